//! `voizk experiment-run [FILE] -k K --arity A --max-seconds S` (hidden): one configuration of `voizk
//! experiment`, run in a child process with `--threads` setting its pool. Builds the tree's circuits (the leaf
//! through the circuit cache), proves the recording to its root, and prints a [`Measurement`] as JSON: the
//! layers' reports named by stage, where the leaf came from, the pool size, and the process's peak resident
//! memory and CPU time read at the end.

use std::time::Instant;

use anyhow::Result;
use recursion::progress::Progress;
use recursion::root::RootCircuits;
use recursion::settings::{RootSettings, TreeSettings};
use stark_frames::chunk::prover::ChunkBinding;

use super::progress::LayerProgress;
use crate::args::{ExperimentRunCmd, GlobalOpts};
use crate::experiment::load_recording;
use crate::experiment::measure::{cpu_secs, label_stages, leaf_source, peak_rss_bytes, Measurement};
use crate::output::with_stdout;

/// Builds, proves, measures, prints.
pub fn run(cmd: &ExperimentRunCmd, global: &GlobalOpts) -> Result<()> {
    let started = Instant::now();
    let settings =
        TreeSettings { frames_per_chunk: cmd.frames_per_chunk, arity: cmd.arity, max_seconds: cmd.max_seconds };
    settings.validate()?;
    let audio = load_recording(cmd.file.as_deref())?;
    settings.check_length(audio.len())?;
    let cache = cmd.cache.cache();
    let mut progress = LayerProgress::new(global.quiet);
    let mut notes = Vec::new();
    let circuits = RootCircuits::build(RootSettings::Tree(settings), &[audio.len()], cache.as_ref(), &mut |e| {
        if let Progress::Note(note) = &e {
            notes.push(note.clone());
        }
        progress.event(e);
    })?;
    let output = circuits.prove(audio.samples(), &ChunkBinding::default(), &mut |e| progress.event(e))?;
    progress.finish();
    let leaf = leaf_source(cache.is_some(), settings.frames_per_chunk, &notes);
    let measurement = Measurement {
        threads: rayon::current_num_threads(),
        layers: label_stages(output.layers, settings.depth(), leaf)?,
        peak_rss_bytes: peak_rss_bytes()?,
        wall_secs: started.elapsed().as_secs_f64(),
        cpu_secs: cpu_secs()?,
    };
    with_stdout(|out| writeln!(out, "{}", serde_json::to_string(&measurement)?))
}
