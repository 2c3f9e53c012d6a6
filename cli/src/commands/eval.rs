//! `voizk eval MANIFEST.csv [--model M]`.

use anyhow::{Context, Result};
use decision::eval::{embeddings, parse_manifest, summarize, trials};
use rayon::prelude::*;

use crate::args::{EvalCmd, GlobalOpts};
use crate::input::{load_audio, load_model};
use crate::output::with_stdout;

/// Runs the protocol of `decision::eval` and prints the summary.
pub fn run(cmd: &EvalCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(cmd.model.as_deref())?;
    let text =
        std::fs::read_to_string(&cmd.manifest).with_context(|| format!("cannot read {}", cmd.manifest.display()))?;
    let base = cmd.manifest.parent().unwrap_or(std::path::Path::new("."));
    let entries = parse_manifest(&text, base).with_context(|| cmd.manifest.display().to_string())?;
    let utterances = entries
        .par_iter()
        .map(|e| {
            let audio = load_audio(Some(&e.path))?;
            let emb = embeddings(audio.samples(), &model).with_context(|| e.path.display().to_string())?;
            Ok((e.speaker.clone(), emb))
        })
        .collect::<Result<Vec<_>>>()?;
    let trials = trials(&utterances).context("a speaker's enrollment averages to the model's center")?;
    let s = summarize(&trials, &model);
    with_stdout(|out| {
        if global.json {
            writeln!(out, "{}", serde_json::to_string(&s).expect("serialises"))
        } else {
            writeln!(
                out,
                "{} recordings: {} genuine and {} impostor trials",
                utterances.len(),
                s.genuine_trials,
                s.impostor_trials
            )?;
            writeln!(out, "integer EER {:.2}% (at threshold {:.4})", 100.0 * s.eer_integer, s.eer_threshold_integer)?;
            writeln!(out, "f64 EER     {:.2}% (at threshold {:.4})", 100.0 * s.eer_f64, s.eer_threshold_f64)?;
            writeln!(
                out,
                "model threshold {:.4}: integer and f64 decisions differ in {} of {} trials ({:.2}%)",
                s.threshold,
                s.decisions_differing,
                trials.len(),
                100.0 * s.fraction_differing
            )
        }
    })
}
