//! `voizk demo`: enroll a built-in real voice, prove a genuine and an impostor real recording against it,
//! verify both as a verifier would (from the files' bytes, with a fresh nonce), and print decisions, times and
//! sizes. The recordings are real human speech from Debian's tuxpaint-stamps-default (`fixtures/real/README.md`).

use std::time::Instant;

use anyhow::{Context, Result};
use decision::files::{DecisionKey, FinalProofFile};
use decision::pipeline::Pipeline;
use decision::statement::Hex4;
use decision::template::{standardised_embedding, Template};
use plonky2::field::types::Sample;
use stark_frames::chunk::config::F;
use stark_frames::Audio;

use super::progress::LayerProgress;
use crate::args::{DemoCmd, GlobalOpts};
use crate::input::load_model;
use crate::output::with_stdout;

/// The enrolled voice, as the demo names it.
const VOICE: &str = "tuxpaint-es (a real voice reading Spanish stamp names)";
/// The enrolled voice: three recordings (4.5 s in all).
const ENROLL: [(&str, &[u8]); 3] = [
    ("tuxpaint_es_frog_1.wav", include_bytes!("../../../fixtures/real/tuxpaint_es_frog_1.wav")),
    ("tuxpaint_es_adelaide_rosella.wav", include_bytes!("../../../fixtures/real/tuxpaint_es_adelaide_rosella.wav")),
    ("tuxpaint_es_albino_peahen.wav", include_bytes!("../../../fixtures/real/tuxpaint_es_albino_peahen.wav")),
];
/// A fourth recording of the enrolled voice.
const GENUINE: (&str, &[u8]) =
    ("tuxpaint_es_crowned_crane.wav", include_bytes!("../../../fixtures/real/tuxpaint_es_crowned_crane.wav"));
/// A recording of another real voice (tuxpaint-ro, a quiet one).
const IMPOSTOR: (&str, &[u8]) =
    ("tuxpaint_ro_sheep_lamb_quiet.wav", include_bytes!("../../../fixtures/real/tuxpaint_ro_sheep_lamb_quiet.wav"));

/// One trial of the demo, as printed.
#[derive(serde::Serialize)]
struct TrialReport {
    trial: &'static str,
    recording: &'static str,
    audio_secs: f64,
    accept: bool,
    prove_secs: f64,
    verify_ms: f64,
    final_proof_bytes: usize,
    compressed_bytes: usize,
}

fn builtin(bytes: &[u8]) -> Audio {
    Audio::read(bytes).expect("the built-in recordings are valid")
}

/// Runs the demo.
pub fn run(cmd: &DemoCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(None)?;
    let settings = cmd.root.settings();
    settings.validate()?;
    let note = |line: String| {
        if !global.quiet {
            eprintln!("{line}");
        }
    };
    let mut enrolled = Vec::new();
    for (name, bytes) in ENROLL {
        let (z, voiced) = standardised_embedding(builtin(bytes).samples(), &model).context(name)?;
        enrolled.push((name.to_string(), z, voiced));
    }
    let template = Template::enroll(&enrolled, &model)?;
    note(format!("enrolled {VOICE} from {} built-in recordings: h_template {}", ENROLL.len(), template.h_template));

    let trials = [("genuine", GENUINE), ("impostor", IMPOSTOR)];
    let audio: Vec<Audio> = trials.iter().map(|(_, (_, bytes))| builtin(bytes)).collect();
    let lengths: Vec<usize> = audio.iter().map(Audio::len).collect();
    let mut progress = LayerProgress::new(global.quiet);
    let t = Instant::now();
    let cache = cmd.cache.cache();
    let pipeline = Pipeline::build(settings, &model, &lengths, cache.as_ref(), &mut |e| progress.event(e))?;
    progress.finish();
    let build_secs = t.elapsed().as_secs_f64();
    let key = DecisionKey::from_bytes(&pipeline.key().to_bytes())?;
    let nonce = Hex4(F::rand_array());
    note(format!("circuits ready in {build_secs:.1} s; decision key {}; nonce {nonce}", key.header.key_digest));

    let mut reports = Vec::new();
    for ((trial, (name, _)), audio) in trials.into_iter().zip(&audio) {
        note(format!("{trial}: proving {name} ({:.2} s) against the template", audio.duration_secs()));
        let t = Instant::now();
        let proof = pipeline.prove(audio.samples(), &template, nonce.0, &mut |e| progress.event(e))?;
        progress.finish();
        let prove_secs = t.elapsed().as_secs_f64();
        let bytes = pipeline.file(&proof, false, audio.duration_secs())?.to_bytes();
        // The verifier's side: the file's bytes, the key, the nonce it chose and the template commitment.
        let t = Instant::now();
        let statement = FinalProofFile::from_bytes(&bytes)?.verify(&key)?;
        let verify_ms = t.elapsed().as_secs_f64() * 1e3;
        anyhow::ensure!(statement.nonce == nonce, "the proof is bound to another nonce");
        anyhow::ensure!(statement.h_template.to_string() == template.h_template, "the proof states another template");
        reports.push(TrialReport {
            trial,
            recording: name,
            audio_secs: audio.duration_secs(),
            accept: statement.accept,
            prove_secs,
            verify_ms,
            final_proof_bytes: proof.output.proof.to_bytes().len(),
            compressed_bytes: proof.compressed_bytes,
        });
    }

    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "settings": settings,
                "h_model": model.h_model_hex(),
                "h_template": template.h_template,
                "key_digest": key.header.key_digest,
                "nonce": nonce,
                "build_secs": build_secs,
                "trials": reports,
            });
            return writeln!(out, "{json}");
        }
        writeln!(out, "voizk demo: built-in model (threshold {:.4}), {settings}", model.threshold())?;
        writeln!(out, "enrolled: {VOICE}, {} recordings, h_template {}", ENROLL.len(), template.h_template)?;
        writeln!(out, "circuits ready in {build_secs:.1} s; decision key {}", key.header.key_digest)?;
        for r in &reports {
            writeln!(
                out,
                "{:<8} {} ({:.2} s): {} | proved in {:.1} s, verified in {:.1} ms | proof {} bytes ({} compressed)",
                r.trial,
                r.recording,
                r.audio_secs,
                if r.accept { "ACCEPT" } else { "REJECT" },
                r.prove_secs,
                r.verify_ms,
                r.final_proof_bytes,
                r.compressed_bytes
            )?;
        }
        Ok(())
    })
}
