//! `voizk inspect PROOF`: what a final proof file states, and how it was made, without verifying it.

use std::io::Write;

use anyhow::{bail, Context, Result};
use decision::files::FinalProofFile;
use decision::statement::Statement;

use super::report::print_layers;
use crate::args::{GlobalOpts, InspectCmd};
use crate::output::with_stdout;

/// Reads the proof file's header and prints it.
pub fn run(cmd: &InspectCmd, global: &GlobalOpts) -> Result<()> {
    let name = cmd.proof.display().to_string();
    let bytes = std::fs::read(&cmd.proof).with_context(|| name.clone())?;
    if bytes.is_empty() {
        bail!("{name}: empty (0 bytes), not a final proof");
    }
    let file = FinalProofFile::from_bytes(&bytes).with_context(|| name.clone())?;
    let h = &file.header;
    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "verified": false,
                "proof_file_bytes": bytes.len(),
                "proof_bytes": file.proof_bytes.len(),
                "header": h,
            });
            return writeln!(out, "{json}");
        }
        writeln!(out, "{name}: a final proof, unverified (`voizk verify` checks it against a key)")?;
        writeln!(
            out,
            "form:        {} ({} bytes of proof, {} in the file)",
            if h.compressed { "compressed" } else { "plain" },
            file.proof_bytes.len(),
            bytes.len()
        )?;
        writeln!(out, "made for key {}", h.key_digest)?;
        writeln!(out, "settings:    {}", h.settings)?;
        writeln!(out, "audio:       {:.2} s", h.audio_secs)?;
        print_statement(out, &h.statement)?;
        print_layers(out, &h.layers)
    })
}

/// The statement, one `name value` line per public input.
pub fn print_statement(out: &mut dyn Write, s: &Statement) -> std::io::Result<()> {
    let rows: [(&str, String); 6] = [
        ("decision", if s.accept { "accept".into() } else { "reject".into() }),
        ("h_audio", s.h_audio.to_string()),
        ("num_samples", s.num_samples.to_string()),
        ("h_template", s.h_template.to_string()),
        ("h_model", s.h_model.to_string()),
        ("nonce", s.nonce.to_string()),
    ];
    for (k, v) in rows {
        writeln!(out, "{k:<12} {v}")?;
    }
    Ok(())
}
