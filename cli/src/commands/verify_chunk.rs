//! `voizk verify-chunk FILE`.

use std::panic::{self, AssertUnwindSafe};

use anyhow::{anyhow, bail, Context, Result};
use stark_frames::chunk::prover::ChunkProof;

use crate::args::{GlobalOpts, VerifyChunkCmd};
use crate::output::with_stdout;

/// Parses and verifies a chunk proof file, then prints its public values.
pub fn run(cmd: &VerifyChunkCmd, global: &GlobalOpts) -> Result<()> {
    let name = cmd.file.display().to_string();
    if std::fs::metadata(&cmd.file).with_context(|| name.clone())?.is_dir() {
        bail!("{name}: is a directory, not a chunk proof file");
    }
    let bytes = std::fs::read(&cmd.file).with_context(|| name.clone())?;
    if bytes.is_empty() {
        bail!("{name}: empty (0 bytes), not a chunk proof");
    }
    let proof = without_panics(|| ChunkProof::from_bytes(&bytes))?.with_context(|| name.clone())?;
    without_panics(|| proof.verify())?.with_context(|| name.clone())?;
    let values = proof.public_values();
    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{}", serde_json::to_string(&values)?);
        }
        writeln!(out, "{name}: the chunk proof verifies")?;
        let rows: [(&str, String); 11] = [
            ("chunk_index", values.chunk_index.to_string()),
            ("first_frame", values.first_frame.to_string()),
            ("frames_per_chunk", values.frames_per_chunk.to_string()),
            ("num_samples", values.num_samples.to_string()),
            ("num_frames", values.num_frames.to_string()),
            ("num_hops", values.num_hops.to_string()),
            ("sponge_in", values.sponge_in.clone()),
            ("sponge_out", values.sponge_out.clone()),
            ("h_audio", values.h_audio.clone().unwrap_or_else(|| "- (not the last chunk)".into())),
            ("voicing_c0_min", format!("{:.6}", values.voicing_threshold_q24 as f64 / (1u64 << 24) as f64)),
            ("voiced_frames", values.voiced_frames.to_string()),
        ];
        for (key, value) in rows {
            writeln!(out, "{key:<17} {value}")?;
        }
        Ok(())
    })
}

/// Runs `f` on data from a file: a panic (a bug on hostile input) becomes an error
/// and prints nothing, so the user still gets one `error:` line.
fn without_panics<T>(f: impl FnOnce() -> T) -> Result<T> {
    let hook = panic::take_hook();
    panic::set_hook(Box::new(|_| {}));
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    panic::set_hook(hook);
    result.map_err(|_| anyhow!("malformed chunk proof (the parser or verifier failed on it)"))
}
