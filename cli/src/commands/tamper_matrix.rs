//! `voizk tamper-matrix [FILE] [--model M] [--flips N] [--seed SEED]`: the tamper matrix of `decision::tamper`.

use anyhow::{ensure, Result};
use decision::tamper::{tamper_matrix, TamperOptions, Tampering};
use decision::template::{standardised_embedding, Template};

use crate::args::{GlobalOpts, TamperMatrixCmd};
use crate::input::{load_audio, load_model};
use crate::output::with_stdout;

/// Runs the matrix and prints one row per layer and kind of tampering (markdown; with `--json`, the rows).
pub fn run(cmd: &TamperMatrixCmd, global: &GlobalOpts) -> Result<()> {
    let audio = load_audio(cmd.file.as_deref())?;
    let model = load_model(cmd.model.as_deref())?;
    let (z, voiced) = standardised_embedding(audio.samples(), &model)?;
    let template = Template::enroll(&[("matrix".into(), z, voiced)], &model)?;
    let opts = TamperOptions { flips: cmd.flips, seed: cmd.seed };
    let started = std::time::Instant::now();
    let quiet = global.quiet;
    let rows = tamper_matrix(audio.samples(), &template, &model, &opts, cmd.cache.cache().as_ref(), &mut |stage| {
        if !quiet {
            eprintln!("[{:6.1} s] {stage}", started.elapsed().as_secs_f64());
        }
    })?;
    let accepted: Vec<String> = rows
        .iter()
        .flat_map(|r| r.accepted.iter().map(move |a| format!("{} ({:?}): {a}", r.layer, r.tampering)))
        .collect();
    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{}", serde_json::json!({ "rows": rows, "accepted": accepted }));
        }
        writeln!(out, "| layer | public inputs (each + 1) | bit flips | other layer or setting |")?;
        writeln!(out, "|---|---|---|---|")?;
        let mut layers: Vec<&str> = rows.iter().map(|r| r.layer.as_str()).collect();
        layers.dedup();
        for layer in layers {
            let cell = |t: Tampering| {
                rows.iter()
                    .find(|r| r.layer == layer && r.tampering == t)
                    .map_or_else(|| "-".to_string(), |r| format!("{} / {} refused", r.rejected, r.tried))
            };
            writeln!(
                out,
                "| {layer} | {} | {} | {} |",
                cell(Tampering::PublicInput),
                cell(Tampering::BitFlip),
                cell(Tampering::OtherLayerOrSetting)
            )?;
        }
        let (tried, rejected) = rows.iter().fold((0, 0), |(t, r), row| (t + row.tried, r + row.rejected));
        writeln!(
            out,
            "total: {rejected} of {tried} altered proofs refused ({:.0} s)",
            started.elapsed().as_secs_f64()
        )?;
        for a in &accepted {
            writeln!(out, "ACCEPTED: {a}")?;
        }
        Ok(())
    })?;
    ensure!(accepted.is_empty(), "{} altered proofs were accepted", accepted.len());
    Ok(())
}
