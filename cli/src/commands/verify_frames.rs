//! `voizk verify-frames ROOT [--key KEY]`.
//!
//! A debugging command for root proofs; `voizk verify` is the verifier of the product.

use anyhow::{bail, Context, Result};
use recursion::files::{digest_hex, RootFile, RootKey};
use recursion::root::RootCircuits;

use super::progress::LayerProgress;
use crate::args::{GlobalOpts, VerifyFramesCmd};
use crate::output::with_stdout;

/// Reads the root proof and its key (from `--key`, or rebuilt from the settings), verifies, prints.
pub fn run(cmd: &VerifyFramesCmd, global: &GlobalOpts) -> Result<()> {
    let name = cmd.root.display().to_string();
    let bytes = std::fs::read(&cmd.root).with_context(|| name.clone())?;
    if bytes.is_empty() {
        bail!("{name}: empty (0 bytes), not a root proof");
    }
    let file = RootFile::from_bytes(&bytes).with_context(|| name.clone())?;
    let key = match &cmd.key {
        Some(path) => {
            let kname = path.display().to_string();
            let bytes = std::fs::read(path).with_context(|| kname.clone())?;
            RootKey::from_bytes(&bytes).with_context(|| kname.clone())?
        }
        None => {
            let settings = file.header.settings;
            if !global.quiet {
                eprintln!(
                    "no --key: building the circuits for {settings} (a minute or more without the circuit cache)"
                );
            }
            let mut progress = LayerProgress::new(global.quiet);
            let cache = cmd.cache.cache();
            let circuits = RootCircuits::build(settings, &[], cache.as_ref(), &mut |e| progress.event(e))?;
            progress.finish();
            circuits.root_key()
        }
    };
    // With --key, the key file's header settings are its own claim: its digest and the proof cover only its
    // body (docs/SECURITY.md §10), so they are shown as the header's, not as facts. Without it, the key was
    // built here from the settings, which are then what the proof was checked against.
    let settings_checked = cmd.key.is_none();
    let values = file.verify(&key).with_context(|| name.clone())?;
    let h_audio = values.h_audio.clone().context("the root states no h_audio")?;
    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "valid": true,
                "settings": key.settings,
                "settings_checked": settings_checked,
                "root_key_digest": digest_hex(key.digest()),
                "h_audio": h_audio,
                "values": values,
            });
            return writeln!(out, "{json}");
        }
        let settings = if settings_checked {
            key.settings.to_string()
        } else {
            format!("{}, as the key file's header states, not checked against its body", key.settings)
        };
        writeln!(out, "{name}: the root proof verifies (key {}: {settings})", digest_hex(key.digest()))?;
        let rows: [(&str, String); 7] = [
            ("h_audio", h_audio.clone()),
            ("num_samples", values.num_samples.to_string()),
            ("num_frames", values.num_frames.to_string()),
            ("num_hops", values.num_hops.to_string()),
            ("voicing_c0_min", format!("{:.6}", values.voicing_threshold_q24 as f64 / (1u64 << 24) as f64)),
            ("voiced_frames", values.voiced_frames.to_string()),
            ("first_frame", values.first_frame.to_string()),
        ];
        for (key, value) in rows {
            writeln!(out, "{key:<17} {value}")?;
        }
        Ok(())
    })
}
