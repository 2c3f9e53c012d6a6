//! `voizk eval MANIFEST.csv [--model M] [--prove N]`.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use decision::eval::{embeddings, enrollment, nearest_threshold, parse_manifest, summarize, trials, Trial};
use decision::model::Model;
use decision::pipeline::Pipeline;
use decision::score::accepts;
use decision::template::Template;
use plonky2::field::types::Sample;
use rayon::prelude::*;
use stark_frames::chunk::prover::F;
use stark_frames::Audio;

use super::progress::LayerProgress;
use crate::args::{EvalCmd, GlobalOpts};
use crate::input::{load_audio, load_model};
use crate::output::with_stdout;

/// One proven trial.
#[derive(serde::Serialize)]
struct ProvenTrial {
    template: String,
    recording: String,
    genuine: bool,
    score: f64,
    native_accept: bool,
    proven_accept: bool,
    prove_secs: f64,
}

/// Runs the protocol of `decision::eval`, proves `--prove N` trials, and prints the summary.
pub fn run(cmd: &EvalCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(cmd.model.as_deref())?;
    let text =
        std::fs::read_to_string(&cmd.manifest).with_context(|| format!("cannot read {}", cmd.manifest.display()))?;
    let base = cmd.manifest.parent().unwrap_or(std::path::Path::new("."));
    let entries = parse_manifest(&text, base).with_context(|| cmd.manifest.display().to_string())?;
    let loaded = entries
        .par_iter()
        .map(|e| {
            let audio = load_audio(Some(&e.path))?;
            let emb = embeddings(audio.samples(), &model).with_context(|| e.path.display().to_string())?;
            Ok((audio, (e.speaker.clone(), emb)))
        })
        .collect::<Result<Vec<_>>>()?;
    let (audio, utterances): (Vec<Audio>, Vec<_>) = loaded.into_iter().unzip();
    let trials = trials(&utterances).context("a speaker's enrollment averages to the model's center")?;
    let s = summarize(&trials, &model);
    let names: Vec<String> = entries.iter().map(|e| e.path.display().to_string()).collect();
    let proven = if cmd.prove > 0 {
        prove_trials(cmd, global, &model, &trials, &audio, &utterances, &names)?
    } else {
        Vec::new()
    };
    let agree = proven.iter().all(|p| p.native_accept == p.proven_accept);
    with_stdout(|out| {
        if global.json {
            let mut json = serde_json::to_value(&s).expect("serialises");
            if cmd.prove > 0 {
                json["proven"] = serde_json::to_value(&proven).expect("serialises");
                json["proven_all_equal_native"] = agree.into();
            }
            return writeln!(out, "{json}");
        }
        writeln!(
            out,
            "{} recordings: {} genuine and {} impostor trials",
            utterances.len(),
            s.genuine_trials,
            s.impostor_trials
        )?;
        writeln!(out, "integer EER {:.2}% (at threshold {:.4})", 100.0 * s.eer_integer, s.eer_threshold_integer)?;
        writeln!(out, "f64 EER     {:.2}% (at threshold {:.4})", 100.0 * s.eer_f64, s.eer_threshold_f64)?;
        writeln!(
            out,
            "model threshold {:.4}: integer and f64 decisions differ in {} of {} trials ({:.2}%)",
            s.threshold,
            s.decisions_differing,
            trials.len(),
            100.0 * s.fraction_differing
        )?;
        print_proven(out, &proven, agree)
    })?;
    anyhow::ensure!(agree, "a proven decision differs from the native integer decision");
    Ok(())
}

fn print_proven(out: &mut dyn Write, proven: &[ProvenTrial], agree: bool) -> std::io::Result<()> {
    if proven.is_empty() {
        return Ok(());
    }
    writeln!(out, "proven trials (nearest the threshold first):")?;
    for p in proven {
        writeln!(
            out,
            "  template {} vs {}: score {:.4}, native {}, proven {} ({:.1} s)",
            p.template,
            p.recording,
            p.score,
            if p.native_accept { "accept" } else { "reject" },
            if p.proven_accept { "accept" } else { "reject" },
            p.prove_secs
        )?;
    }
    let verdict = if agree { "every proven decision equals" } else { "A PROVEN DECISION DIFFERS FROM" };
    writeln!(out, "{} proofs: {verdict} the native integer decision", proven.len())
}

/// Proves the `cmd.prove` trials nearest the threshold, each against its speaker's template (fresh salt).
fn prove_trials(
    cmd: &EvalCmd,
    global: &GlobalOpts,
    model: &Model,
    trials: &[Trial],
    audio: &[Audio],
    utterances: &[(String, decision::eval::Embeddings)],
    names: &[String],
) -> Result<Vec<ProvenTrial>> {
    let chosen = nearest_threshold(trials, model.threshold_q30, cmd.prove);
    let settings = cmd.root.settings();
    settings.validate()?;
    for t in &chosen {
        settings.check_length(audio[t.utterance].len()).with_context(|| names[t.utterance].clone())?;
    }
    let lengths: Vec<usize> = chosen.iter().map(|t| audio[t.utterance].len()).collect();
    let mut progress = LayerProgress::new(global.quiet);
    let cache = cmd.cache.cache();
    let pipeline = Pipeline::build(settings, model, &lengths, cache.as_ref(), &mut |e| progress.event(e))?;
    progress.finish();
    let nonce = F::rand_array();
    let mut out = Vec::with_capacity(chosen.len());
    for t in chosen {
        let enrolled: Vec<_> = enrollment(utterances, &t.template)
            .into_iter()
            .map(|i| (names[i].clone(), utterances[i].1.z, utterances[i].1.voiced_frames))
            .collect();
        let template = Template::enroll(&enrolled, model)?;
        let start = Instant::now();
        let proof = pipeline
            .prove(audio[t.utterance].samples(), &template, nonce, &mut |e| progress.event(e))
            .with_context(|| names[t.utterance].clone())?;
        progress.finish();
        out.push(ProvenTrial {
            template: t.template.clone(),
            recording: names[t.utterance].clone(),
            genuine: t.genuine,
            score: t.score_q30 as f64 / (1u64 << 30) as f64,
            native_accept: accepts(t.score_q30, model.threshold_q30),
            proven_accept: proof.output.statement.accept,
            prove_secs: start.elapsed().as_secs_f64(),
        });
    }
    Ok(out)
}
