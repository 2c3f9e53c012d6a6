//! `voizk eval MANIFEST.csv [--model M] [--telephone] [--prove N] [--plot DIR] [--trial-recordings N]`.

use std::io::Write;
use std::time::Instant;

use anyhow::{Context, Result};
use decision::augment::telephone_band;
use decision::eval::{embeddings, group_trials, nearest_threshold, plan_of, summarize, Summary, Trial};
use decision::model::Model;
use decision::pipeline::Pipeline;
use decision::rates::Rates;
use decision::score::{accepts, cosine};
use decision::template::Template;
use plonky2::field::types::Sample;
use stark_frames::chunk::config::F;
use stark_frames::Audio;

use super::progress::LayerProgress;
use crate::args::{EvalCmd, GlobalOpts};
use crate::corpus::{for_each_file, read_manifest};
use crate::input::{load_audio, load_model};
use crate::output::{percent, rates_line, with_stdout};

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

/// One trial as `--json` lists it.
#[derive(serde::Serialize)]
struct TrialLine<'a> {
    /// The template's speaker (the claimed identity).
    speaker: &'a str,
    /// The tested recording.
    path: String,
    /// Its speaker.
    recording_speaker: &'a str,
    genuine: bool,
    /// Integer score (the proven one) as a real number: the cosine, or its S-norm (the model's metric).
    score: f64,
    score_f64: f64,
    accept: bool,
}

/// Runs the protocol of `decision::eval`, proves `--prove N` trials, and prints the summary.
pub fn run(cmd: &EvalCmd, global: &GlobalOpts) -> Result<()> {
    anyhow::ensure!(cmd.trial_recordings >= 1, "--trial-recordings must be at least 1");
    anyhow::ensure!(
        cmd.prove == 0 || cmd.trial_recordings == 1,
        "--prove needs --trial-recordings 1: a proof covers one recording, not a group pooled from several"
    );
    let model = load_model(cmd.model.as_deref())?;
    let (entries, _) = read_manifest(&cmd.manifest)?;
    let loaded = for_each_file(&entries, "embedding", global.quiet, |e| {
        let mut audio = load_audio(Some(&e.path))?;
        if cmd.telephone {
            audio = Audio::from_samples(telephone_band(audio.samples()))?;
        }
        let emb = embeddings(audio.samples(), &model)?;
        Ok((audio, (e.speaker.clone(), emb)))
    })?;
    let (audio, utterances): (Vec<Audio>, Vec<_>) = loaded.into_iter().unzip();
    let (trials, groups) = group_trials(&utterances, cmd.trial_recordings, &model)
        .context("a speaker's enrollment averages to the model's center")?;
    anyhow::ensure!(
        !trials.is_empty(),
        "no trial: no enrolled speaker, or no speaker has {} recordings outside its enrollment",
        cmd.trial_recordings
    );
    let speakers: Vec<&str> = entries.iter().map(|e| e.speaker.as_str()).collect();
    let s = summarize(&trials, &speakers, &plan_of(&utterances), &model);
    let names: Vec<String> = entries.iter().map(|e| e.path.display().to_string()).collect();
    // The tested recordings of each trial, joined with `+` for a group.
    let tested: Vec<String> =
        groups.iter().map(|g| g.iter().map(|&i| names[i].as_str()).collect::<Vec<_>>().join("+")).collect();
    if let Some(dir) = &cmd.plot {
        let pick = |g: bool| -> Vec<i64> { trials.iter().filter(|t| t.genuine == g).map(|t| t.score_q30).collect() };
        let marks = crate::plot::Marks {
            score_name: model.score_name(),
            title: match cmd.trial_recordings {
                1 => "voizk eval".into(),
                n => format!("voizk eval, trials of {n} recordings"),
            },
            threshold: s.threshold,
            far: s.far,
            frr: s.frr,
            eer: s.eer,
        };
        crate::plot::score_plots(dir, &pick(true), &pick(false), &marks)
            .with_context(|| format!("plotting into {}", dir.display()))?;
    }
    let proven = if cmd.prove > 0 {
        prove_trials(cmd, global, &model, &trials, &audio, &utterances, &names)?
    } else {
        Vec::new()
    };
    let agree = proven.iter().all(|p| p.native_accept == p.proven_accept);
    with_stdout(|out| {
        if global.json {
            let mut json = serde_json::to_value(&s).expect("serialises");
            let lines: Vec<TrialLine> = trials
                .iter()
                .map(|t| TrialLine {
                    speaker: &t.template,
                    path: tested[t.utterance].clone(),
                    recording_speaker: &t.speaker,
                    genuine: t.genuine,
                    score: cosine(t.score_q30),
                    score_f64: t.score_f64,
                    accept: accepts(t.score_q30, model.threshold_q30),
                })
                .collect();
            json["trials"] = serde_json::to_value(lines).expect("serialises");
            if cmd.prove > 0 {
                json["proven"] = serde_json::to_value(&proven).expect("serialises");
                json["proven_all_equal_native"] = agree.into();
            }
            return writeln!(out, "{json}");
        }
        print_summary(out, &s, utterances.len(), trials.len())?;
        if cmd.trial_recordings > 1 {
            writeln!(
                out,
                "each trial pools {} recordings of a speaker ({} groups)",
                cmd.trial_recordings,
                groups.len()
            )?;
        }
        print_proven(out, &proven, agree)
    })?;
    anyhow::ensure!(agree, "a proven decision differs from the native integer decision");
    Ok(())
}

fn print_summary(out: &mut dyn Write, s: &Summary, recordings: usize, trials: usize) -> std::io::Result<()> {
    writeln!(
        out,
        "{recordings} recordings, {} speakers enrolled: {} genuine and {} impostor trials",
        s.speakers.len(),
        s.genuine_trials,
        s.impostor_trials
    )?;
    if !s.speakers_not_enrolled.is_empty() {
        writeln!(
            out,
            "not enrolled (too little voiced speech; their recordings are impostor trials only): {}",
            s.speakers_not_enrolled.join(", ")
        )?;
    }
    let at = Rates {
        genuine: s.genuine_trials,
        impostor: s.impostor_trials,
        false_rejects: s.false_rejects,
        false_accepts: s.false_accepts,
    };
    writeln!(out, "at the model's threshold {:.4}: {}", s.threshold, rates_line(&at))?;
    writeln!(out, "integer EER {} (at threshold {:.4})", percent(s.eer), s.eer_threshold)?;
    writeln!(out, "f64 EER     {} (at threshold {:.4})", percent(s.eer_f64), s.eer_threshold_f64)?;
    writeln!(
        out,
        "integer and f64 decisions differ in {} of {trials} trials ({})",
        s.decisions_differing,
        percent(s.fraction_differing)
    )?;
    writeln!(
        out,
        "{:<28} {:>5} {:>7} {:>8} {:>8} {:>6}  {:<28} {:>7} {:>6}",
        "speaker", "enrol", "genuine", "min", "median", "FR", "worst impostor", "score", "FA"
    )?;
    for r in &s.speakers {
        let opt = |v: Option<f64>| v.map_or("-".to_string(), |v| format!("{v:.4}"));
        let (worst, score) = r
            .worst_impostor
            .as_ref()
            .map_or(("-".to_string(), "-".to_string()), |(w, v)| (w.clone(), format!("{v:.4}")));
        writeln!(
            out,
            "{:<28} {:>5} {:>7} {:>8} {:>8} {:>6}  {:<28} {:>7} {:>6}",
            r.speaker,
            r.enrolled,
            r.genuine_trials,
            opt(r.genuine_min),
            opt(r.genuine_median),
            r.false_rejects,
            worst,
            score,
            r.false_accepts
        )?;
    }
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
    let plan = plan_of(utterances);
    let mut out = Vec::with_capacity(chosen.len());
    for t in chosen {
        let plan_of = plan.iter().find(|e| e.speaker == t.template).expect("a trial's template is enrolled");
        let enrolled: Vec<_> = plan_of
            .utterances
            .iter()
            .map(|&i| (names[i].clone(), utterances[i].1.z, utterances[i].1.voiced_frames))
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
            score: cosine(t.score_q30),
            native_accept: accepts(t.score_q30, model.threshold_q30),
            proven_accept: proof.output.statement.accept,
            prove_secs: start.elapsed().as_secs_f64(),
        });
    }
    Ok(out)
}
