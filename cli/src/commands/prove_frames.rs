//! `voizk prove-frames FILE --out ROOT [-k K] [--arity A] [--max-seconds S] [--key KEY | --key-out KEY]`.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use recursion::circuit::HasRoot;
use recursion::files::{digest_hex, RootFile, RootKey};
use recursion::root::RootCircuits;
use stark_frames::chunk::prover::ChunkBinding;
use stark_frames::commitment::commit_audio;

use super::progress::LayerProgress;
use super::report::{print_layers, print_times};
use crate::args::{GlobalOpts, ProveFramesCmd};
use crate::input::load_audio;
use crate::output::with_stdout;

/// Builds the circuits, proves the file to its root, writes the root proof and the key, prints a summary.
pub fn run(cmd: &ProveFramesCmd, global: &GlobalOpts) -> Result<()> {
    // With --key, the settings and leaf keys come from the key file and only the leaf this recording needs
    // is built; without, every circuit is built and the key is written.
    let given_key = match &cmd.key {
        Some(path) => {
            let bytes = std::fs::read(path).with_context(|| path.display().to_string())?;
            Some(RootKey::from_bytes(&bytes).with_context(|| path.display().to_string())?)
        }
        None => None,
    };
    let settings = given_key.as_ref().map_or_else(|| cmd.root.settings(), |k| k.settings);
    settings.validate()?;
    let audio = load_audio(Some(&cmd.file))?;
    settings.check_length(audio.len()).with_context(|| cmd.file.display().to_string())?;
    let key_path = cmd.key.clone().or_else(|| cmd.key_out.clone()).unwrap_or_else(|| {
        let mut p = cmd.out.clone().into_os_string();
        p.push(".key");
        PathBuf::from(p)
    });

    let mut progress = LayerProgress::new(global.quiet);
    let wall = Instant::now();
    let cache = cmd.cache.cache();
    let circuits = match &given_key {
        Some(key) => RootCircuits::build_from_key(key, audio.len(), cache.as_ref(), &mut |e| progress.event(e))
            .with_context(|| key_path.display().to_string())?,
        None => RootCircuits::build(settings, &[audio.len()], cache.as_ref(), &mut |e| progress.event(e))?,
    };
    let build_secs = wall.elapsed().as_secs_f64();
    let proving = Instant::now();
    let binding = ChunkBinding::default().with_nonce(cmd.nonce.unwrap_or_default().0);
    let proof = circuits.prove(audio.samples(), &binding, &mut |e| progress.event(e))?;
    progress.finish();
    let prove_secs = proving.elapsed().as_secs_f64();

    // Check the proof the way a verifier will, from the files' bytes.
    let key = circuits.root_key();
    let file = RootFile::new(&proof, settings, circuits.root_digest());
    let (root_bytes, key_bytes) = (file.to_bytes(), key.to_bytes());
    let values = RootFile::from_bytes(&root_bytes)?.verify(&RootKey::from_bytes(&key_bytes)?)?;
    crate::durable::write_file(&cmd.out, &root_bytes)?;
    if given_key.is_none() {
        crate::durable::write_file(&key_path, &key_bytes)?;
    }
    let h_audio = commit_audio(audio.samples()).to_string();
    anyhow::ensure!(values.h_audio.as_deref() == Some(h_audio.as_str()), "the root does not state the file's h_audio");

    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "settings": settings,
                "audio_secs": audio.duration_secs(),
                "build_secs": build_secs,
                "prove_secs": prove_secs,
                "root": cmd.out,
                "root_bytes": root_bytes.len(),
                "key": key_path,
                "root_key_digest": digest_hex(key.digest()),
                "h_audio": h_audio,
                "nonce": values.nonce,
                "layers": file.header.layers,
            });
            return writeln!(out, "{json}");
        }
        writeln!(
            out,
            "proved {} ({:.2} s, {} samples) to one root proof: {settings}",
            cmd.file.display(),
            audio.duration_secs(),
            audio.len(),
        )?;
        print_layers(out, &file.header.layers)?;
        print_times(out, build_secs, prove_secs, audio.duration_secs())?;
        writeln!(out, "root proof: {} ({} bytes)", cmd.out.display(), root_bytes.len())?;
        writeln!(out, "root key:   {} (digest {})", key_path.display(), digest_hex(key.digest()))?;
        writeln!(out, "h_audio:    {h_audio}")?;
        writeln!(out, "nonce:      {}", values.nonce)
    })
}
