//! `voizk prove-chunks FILE --frames-per-chunk K --out DIR`.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use recursion::plan::chunk_file_name;
use stark_frames::chunk::config::{chunk_count, supported_chunk_size};
use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding, ProveError};
use stark_frames::commitment::commit_audio;

use crate::args::{GlobalOpts, ProveChunksCmd};
use crate::input::load_audio;
use crate::output::with_stdout;

/// Name of the manifest written next to the proofs.
pub const MANIFEST: &str = "chunks.json";

/// `DIR/chunks.json`: what was proven, and how long it took.
#[derive(Debug, serde::Serialize)]
struct Manifest {
    /// File name of the input WAV.
    input: String,
    /// Samples in the recording.
    num_samples: usize,
    /// Frames in the recording.
    num_frames: usize,
    /// Duration of the recording in seconds.
    audio_secs: f64,
    /// Frames per chunk K.
    frames_per_chunk: usize,
    /// Number of chunks.
    num_chunks: usize,
    /// The audio commitment (hex).
    h_audio: String,
    /// Sum of the chunks' prove times, seconds.
    total_prove_secs: f64,
    /// Wall-clock time of proving all chunks, seconds.
    wall_secs: f64,
    /// Sum of the proof file sizes.
    total_proof_bytes: usize,
    /// One entry per chunk, in order.
    chunks: Vec<ChunkEntry>,
}

#[derive(Debug, serde::Serialize)]
struct ChunkEntry {
    /// Proof file name, relative to the manifest.
    file: String,
    /// First frame of the chunk.
    first_frame: usize,
    /// Size of the proof file.
    proof_bytes: usize,
    /// Time to prove the chunk, seconds (serialisation and writing excluded).
    prove_secs: f64,
}

/// Proves every chunk in parallel, writes the proofs and the manifest, prints a summary.
pub fn run(cmd: &ProveChunksCmd, global: &GlobalOpts) -> Result<()> {
    let k = cmd.frames_per_chunk;
    // Refuse an unsupported chunk size before touching the file system.
    if !supported_chunk_size(k) {
        return Err(ProveError::ChunkSize(k).into());
    }
    let audio = load_audio(Some(&cmd.file))?;
    let input = cmd.file.file_name().map_or_else(|| cmd.file.display().to_string(), |n| n.to_string_lossy().into());
    prepare_dir(&cmd.out)?;

    let h_audio = commit_audio(audio.samples());
    let binding = ChunkBinding::default().with_nonce(cmd.nonce.unwrap_or_default().0);
    let count = chunk_count(audio.len(), k);
    let progress = progress_bar(count, global.quiet);
    let wall = Instant::now();
    crate::backstop::enter_stage(&format!("chunk STARK (K = {k})"));
    let chunks: Vec<ChunkEntry> = (0..count)
        .into_par_iter()
        .map(|index| {
            let start = Instant::now();
            let proof =
                prove_chunk_bound(audio.samples(), k, index, &binding).with_context(|| format!("chunk {index}"))?;
            let prove_secs = start.elapsed().as_secs_f64();
            let bytes = proof.to_bytes();
            let file = chunk_file_name(index);
            let path = cmd.out.join(&file);
            crate::durable::write_file(&path, &bytes)?;
            progress.inc(1);
            Ok(ChunkEntry { file, first_frame: index * k, proof_bytes: bytes.len(), prove_secs })
        })
        .collect::<Result<_>>()?;
    let wall_secs = wall.elapsed().as_secs_f64();
    progress.finish_and_clear();

    let manifest = Manifest {
        input,
        num_samples: audio.len(),
        num_frames: audio.num_frames(),
        audio_secs: audio.duration_secs(),
        frames_per_chunk: k,
        num_chunks: count,
        h_audio: h_audio.to_string(),
        total_prove_secs: chunks.iter().map(|c| c.prove_secs).sum(),
        wall_secs,
        total_proof_bytes: chunks.iter().map(|c| c.proof_bytes).sum(),
        chunks,
    };
    let json = serde_json::to_string_pretty(&manifest)?;
    let manifest_path = cmd.out.join(MANIFEST);
    crate::durable::write_file(&manifest_path, format!("{json}\n").as_bytes())?;

    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{json}");
        }
        let m = &manifest;
        writeln!(
            out,
            "proved {} chunk{} of {} frames of {} ({} samples, {:.2} s of audio) into {}",
            m.num_chunks,
            if m.num_chunks == 1 { "" } else { "s" },
            m.frames_per_chunk,
            m.input,
            m.num_samples,
            m.audio_secs,
            cmd.out.display()
        )?;
        writeln!(
            out,
            "prove time: {:.2} s total ({:.2} s per chunk), wall time {:.2} s",
            m.total_prove_secs,
            m.total_prove_secs / m.num_chunks as f64,
            m.wall_secs
        )?;
        writeln!(
            out,
            "proving per second of audio: {:.2} s (wall {:.2} s)",
            m.total_prove_secs / m.audio_secs,
            m.wall_secs / m.audio_secs
        )?;
        writeln!(
            out,
            "proofs: {} bytes total ({} bytes per chunk), listed in {}",
            m.total_proof_bytes,
            m.total_proof_bytes / m.num_chunks,
            manifest_path.display()
        )?;
        writeln!(out, "h_audio: {}", m.h_audio)
    })
}

/// Creates `dir` if missing; refuses a path that exists and is not a directory.
fn prepare_dir(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if meta.is_dir() => Ok(()),
        Ok(_) => bail!("{}: exists and is not a directory", dir.display()),
        Err(_) => std::fs::create_dir_all(dir).with_context(|| format!("cannot create directory {}", dir.display())),
    }
}

/// A bar counting chunks on stderr, or a hidden one when stderr is not a terminal or with `--quiet`.
fn progress_bar(count: usize, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(count as u64);
    let style = ProgressStyle::with_template("proving {bar:40} {pos}/{len} chunks, {elapsed} elapsed, eta {eta}")
        .expect("valid template");
    bar.set_style(style);
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}
