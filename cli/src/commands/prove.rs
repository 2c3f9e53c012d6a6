//! `voizk prove FILE --template T [--model M] --nonce HEX --out PROOF [--compressed]`; `FILE` may be `-`, a WAV
//! stream on standard input.

use std::time::Instant;

use anyhow::{Context, Result};
use decision::files::{DecisionKey, FinalProofFile};
use decision::pipeline::Pipeline;

use super::progress::LayerProgress;
use super::prove_stream::receive_while_building;
use super::report::{print_layers, print_times};
use crate::args::{GlobalOpts, ProveCmd};
use crate::input::{is_stdin, load_audio, load_model, read_template};
use crate::output::with_stdout;

/// Reads the template, builds the circuits, proves, checks the proof as a verifier would, writes it. With `-` as
/// the file, the recording is read from standard input while the circuits are built (`prove_stream`).
pub fn run(cmd: &ProveCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(cmd.model.as_deref())?;
    let template = read_template(&cmd.template)?;
    let settings = cmd.root.settings();
    settings.validate()?;
    let streamed = is_stdin(&cmd.file);
    let name = if streamed { "standard input".to_string() } else { cmd.file.display().to_string() };

    let mut progress = LayerProgress::new(global.quiet);
    let wall = Instant::now();
    let cache = cmd.cache.cache();
    let (pipeline, proof, audio, build_secs, stream) = if streamed {
        let (mut pipeline, audio, times) =
            receive_while_building(settings, &model, &template, cache.as_ref(), wall, &mut |e| progress.event(e))?;
        let proof = pipeline
            .prove_completing(audio.samples(), &template, cmd.nonce.0, cache.as_ref(), &mut |e| progress.event(e))
            .context(name.clone())?;
        let build_secs = times.circuits_ready_secs;
        (pipeline, proof, audio, build_secs, Some(times))
    } else {
        let audio = load_audio(Some(&cmd.file))?;
        settings.check_length(audio.len()).context(name.clone())?;
        // For the default ladder the chunk STARK is proven while the circuits are read or built.
        let (pipeline, proof, build_secs) = Pipeline::build_and_prove(
            settings,
            &model,
            audio.samples(),
            &template,
            cmd.nonce.0,
            cache.as_ref(),
            &mut |e| progress.event(e),
        )
        .context(name.clone())?;
        (pipeline, proof, audio, build_secs, None)
    };
    let overlapped = matches!(settings, recursion::settings::RootSettings::Ladder(_));
    progress.finish();
    let prove_secs: f64 = proof.layers.iter().map(|l| l.prove_secs).sum();
    let wall_secs = wall.elapsed().as_secs_f64();
    // From the stream's last byte to the checked proof (the proof is checked below, in well under a second).
    let latency_secs = stream.map(|t| wall_secs - t.end_of_stream_secs);

    // Check the proof the way a verifier will, from the files' bytes.
    let file = pipeline.file(&proof, cmd.compressed, audio.duration_secs())?;
    let bytes = file.to_bytes();
    let key = DecisionKey::from_bytes(&pipeline.key().to_bytes())?;
    let statement = FinalProofFile::from_bytes(&bytes)?.verify(&key)?;
    crate::durable::write_file(&cmd.out, &bytes)?;
    let plain_bytes = proof.output.proof.to_bytes().len();

    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "proof": cmd.out,
                "proof_file_bytes": bytes.len(),
                "final_proof_bytes": plain_bytes,
                "compressed_bytes": proof.compressed_bytes,
                "compressed": cmd.compressed,
                "statement": statement,
                "key_digest": key.header.key_digest,
                "settings": settings,
                "audio_secs": audio.duration_secs(),
                "build_secs": build_secs,
                "prove_secs": prove_secs,
                "wall_secs": wall_secs,
                "stream": stream.map(|t| serde_json::json!({
                    "circuits_ready_secs": t.circuits_ready_secs,
                    "end_of_stream_secs": t.end_of_stream_secs,
                    "latency_secs": latency_secs,
                })),
                "layers": file.header.layers,
            });
            return writeln!(out, "{json}");
        }
        writeln!(
            out,
            "proved {} ({:.2} s) against template {}: {}",
            name,
            audio.duration_secs(),
            cmd.template.display(),
            if statement.accept { "ACCEPT" } else { "REJECT" }
        )?;
        print_layers(out, &file.header.layers)?;
        print_times(out, build_secs, prove_secs, audio.duration_secs())?;
        if let (Some(t), Some(latency)) = (stream, latency_secs) {
            writeln!(
                out,
                "{wall_secs:.1} s from the start to the checked proof: circuits ready after {:.1} s, the stream's \
                 end after {:.1} s, then {latency:.1} s to the checked proof",
                t.circuits_ready_secs, t.end_of_stream_secs
            )?;
        } else {
            let alongside = if overlapped { ", the circuits read or built alongside the chunk STARK" } else { "" };
            writeln!(out, "{wall_secs:.1} s from the start to the checked proof{alongside}")?;
        }
        writeln!(
            out,
            "final proof: {} ({} bytes; {} plain, {} compressed)",
            cmd.out.display(),
            bytes.len(),
            plain_bytes,
            proof.compressed_bytes
        )?;
        writeln!(out, "key digest:  {}", key.header.key_digest)?;
        super::inspect::print_statement(out, &statement)
    })
}
