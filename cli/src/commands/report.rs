//! `voizk report PROOF`: the per-layer figures recorded in a root or final proof file.

use std::io::Write;

use anyhow::{Context, Result};
use decision::files::{FinalProofFile, FINAL_PROOF_MAGIC};
use recursion::files::RootFile;
use recursion::report::LayerReport;

use crate::args::{GlobalOpts, ReportCmd};
use crate::output::with_stdout;

/// Reads the proof file's header and prints its layers.
pub fn run(cmd: &ReportCmd, global: &GlobalOpts) -> Result<()> {
    let name = cmd.root.display().to_string();
    let bytes = std::fs::read(&cmd.root).with_context(|| name.clone())?;
    if bytes.starts_with(&FINAL_PROOF_MAGIC) {
        let file = FinalProofFile::from_bytes(&bytes).with_context(|| name.clone())?;
        return with_stdout(|out| {
            if global.json {
                return writeln!(out, "{}", serde_json::to_string(&file.header)?);
            }
            writeln!(out, "{name}: final proof, {}; decision key {}", file.header.settings, file.header.key_digest)?;
            print_layers(out, &file.header.layers)
        });
    }
    let file = RootFile::from_bytes(&bytes).with_context(|| name.clone())?;
    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{}", serde_json::to_string(&file.header)?);
        }
        writeln!(out, "{name}: {}; root key {}", file.header.settings, file.header.root_key_digest)?;
        print_layers(out, &file.header.layers)
    })
}

/// The timing line of a prover command: circuits built, proving time, and proving time per second of audio.
pub fn print_times(out: &mut dyn Write, build_secs: f64, prove_secs: f64, audio_secs: f64) -> std::io::Result<()> {
    writeln!(
        out,
        "circuits built in {build_secs:.1} s; proving took {prove_secs:.1} s ({:.2} s per second of audio)",
        prove_secs / audio_secs
    )
}

/// The per-layer table.
pub fn print_layers(out: &mut dyn Write, layers: &[LayerReport]) -> std::io::Result<()> {
    writeln!(
        out,
        "{:<24} {:>6} {:>7} {:>9} {:>9} {:>10} {:>11}",
        "layer", "proofs", "degree", "gates", "build s", "prove s", "proof bytes"
    )?;
    for l in layers {
        let gates = l.gates.map_or_else(|| "-".to_string(), |g| g.to_string());
        writeln!(
            out,
            "{:<24} {:>6} {:>7} {:>9} {:>9.1} {:>10.1} {:>11}",
            l.layer,
            l.proofs,
            format!("2^{}", l.degree_bits),
            gates,
            l.build_secs,
            l.prove_secs,
            l.proof_bytes
        )?;
    }
    Ok(())
}
