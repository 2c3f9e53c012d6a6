//! `voizk hash-audio FILE`.

use anyhow::Result;
use stark_frames::commitment::commit_audio;

use crate::args::{GlobalOpts, HashAudioCmd};
use crate::input::load_audio;
use crate::output::with_stdout;

/// Prints `h_audio` (and, with `--json`, the sample and frame counts).
pub fn run(cmd: &HashAudioCmd, global: &GlobalOpts) -> Result<()> {
    let audio = load_audio(Some(&cmd.file))?;
    let h = commit_audio(audio.samples());
    with_stdout(|out| {
        if global.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({
                    "h_audio": h.to_string(),
                    "num_samples": audio.len(),
                    "num_frames": audio.num_frames(),
                })
            )
        } else {
            writeln!(out, "{h}")
        }
    })
}
