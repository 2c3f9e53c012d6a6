//! The accuracy protocol of `voizk eval` and of the model fit's cross-validation (issue 16): per speaker,
//! enroll from the first utterances (at least [`ENROLL_UTTERANCES`], more until the template holds
//! [`MIN_ENROLL_VOICED_FRAMES`] voiced frames) and score every other utterance of every speaker, in the integer
//! pipeline (the decision that is proven) and in `f64`.

use std::path::{Path, PathBuf};

use stark_frames::fixed::pooled::{pooled_stats, PooledStats};

use crate::embedding::{features_f64, unit, Embedding, EmbeddingError, PooledStatsF64, EMBED_DIM};
use crate::model::Model;
use crate::score::cosine;
use crate::template::{template_unit, MIN_ENROLL_VOICED_FRAMES};

/// Utterances per speaker used for enrollment, at least.
pub const ENROLL_UTTERANCES: usize = 3;

/// One line of a manifest: `speaker,path` (paths relative to the manifest's folder).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ManifestEntry {
    /// Speaker label.
    pub speaker: String,
    /// WAV file.
    pub path: PathBuf,
}

/// Why a manifest cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    /// The first line does not start with `speaker,path`.
    #[error("the manifest's first line must be the header `speaker,path` (more columns may follow)")]
    Header,
    /// A line without two fields.
    #[error("manifest line {0}: expected `speaker,path`")]
    Line(usize),
}

/// Parses a manifest's text: a header whose first two columns are `speaker,path`, then one recording a line
/// (columns after the second are ignored, so `fixtures/real/build_corpus.sh`'s `manifest.csv` is one); relative
/// paths are taken from `base`.
pub fn parse_manifest(text: &str, base: &Path) -> Result<Vec<ManifestEntry>, ManifestError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, h)) if h.split(',').map(str::trim).take(2).eq(["speaker", "path"]) => {}
        _ => return Err(ManifestError::Header),
    }
    lines
        .map(|(i, l)| {
            let mut fields = l.split(',').map(str::trim);
            let (speaker, path) = (fields.next().unwrap_or(""), fields.next().unwrap_or(""));
            if speaker.is_empty() || path.is_empty() {
                return Err(ManifestError::Line(i + 1));
            }
            Ok(ManifestEntry { speaker: speaker.to_string(), path: base.join(path) })
        })
        .collect()
}

/// An utterance's standardised embeddings in both pipelines.
#[derive(Clone, Debug)]
pub struct Embeddings {
    /// Integer `z` (`crate::model::Model::embed`).
    pub z: Embedding,
    /// `f64` `z`: the `f64` features standardised (and projected) with the model's values in real units.
    pub z_f64: [f64; EMBED_DIM],
    /// Voiced frames (integer pipeline).
    pub voiced_frames: u64,
    /// The integer pooled statistics `z` is made from (to pool several utterances into one trial).
    pub stats: PooledStats,
    /// The `f64` statistics `z_f64` is made from.
    pub stats_f64: PooledStatsF64,
}

/// Both embeddings of a recording under `model`.
pub fn embeddings(samples: &[i16], model: &Model) -> Result<Embeddings, EmbeddingError> {
    let stats = pooled_stats(&stark_frames::fixed::frame_values(samples), model.embedding.voicing_threshold_q24);
    let stats_f64 = PooledStatsF64::of(&stark_frames::oracle::frame_values(samples), voicing_threshold_f64(model));
    with_stats(stats, stats_f64, model)
}

/// Both embeddings of several utterances spoken as one: their voiced frames pooled (one trial of
/// `--trial-recordings N`).
pub fn pooled_embeddings(group: &[&Embeddings], model: &Model) -> Result<Embeddings, EmbeddingError> {
    let mut stats = PooledStats::default();
    let mut stats_f64 = PooledStatsF64::default();
    for e in group {
        stats.merge(&e.stats);
        stats_f64.merge(&e.stats_f64);
    }
    with_stats(stats, stats_f64, model)
}

fn with_stats(stats: PooledStats, stats_f64: PooledStatsF64, model: &Model) -> Result<Embeddings, EmbeddingError> {
    let z = model.embed(&stats)?;
    let xf = features_f64(&stats_f64)?;
    Ok(Embeddings { z, z_f64: model.embed_f64(&xf), voiced_frames: stats.count, stats, stats_f64 })
}

/// The model's voicing threshold in natural-log units (for the `f64` pipeline).
fn voicing_threshold_f64(model: &Model) -> f64 {
    model.embedding.voicing_threshold_q24 as f64 / (1u64 << 24) as f64
}

/// A speaker's enrollment in the protocol.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Enrollment {
    /// The speaker.
    pub speaker: String,
    /// The utterances enrolled (indices into the input, in order).
    pub utterances: Vec<usize>,
}

/// The protocol's enrollments, one per speaker in order of first appearance. A speaker enrolls from its first
/// [`ENROLL_UTTERANCES`] utterances, and from following ones while the enrolled voiced frames are fewer than
/// [`MIN_ENROLL_VOICED_FRAMES`]; a speaker whose utterances cannot reach that has no template (its utterances
/// are still impostor trials for the others). `speakers[i]` and `voiced[i]` describe utterance `i`.
pub fn enrollments(speakers: &[&str], voiced: &[u64]) -> Vec<Enrollment> {
    in_order_of_appearance(speakers)
        .into_iter()
        .filter_map(|s| {
            let mut chosen = Vec::new();
            let mut frames = 0;
            for i in (0..speakers.len()).filter(|&i| speakers[i] == s) {
                if chosen.len() >= ENROLL_UTTERANCES && frames >= MIN_ENROLL_VOICED_FRAMES {
                    break;
                }
                chosen.push(i);
                frames += voiced[i];
            }
            (frames >= MIN_ENROLL_VOICED_FRAMES).then(|| Enrollment { speaker: s.to_string(), utterances: chosen })
        })
        .collect()
}

/// The distinct speakers of `speakers`, in order of first appearance.
fn in_order_of_appearance<'a>(speakers: &[&'a str]) -> Vec<&'a str> {
    let mut order: Vec<&str> = Vec::new();
    for s in speakers {
        if !order.contains(s) {
            order.push(s);
        }
    }
    order
}

/// The unit template of an enrollment, from the embeddings `z[i]` of its utterances.
fn template_of(enrolled: &Enrollment, z: &[Embedding]) -> Result<Embedding, EmbeddingError> {
    let zs: Vec<Embedding> = enrolled.utterances.iter().map(|&i| z[i]).collect();
    template_unit(&zs)
}

/// One scored trial: a speaker's template against an utterance it was not enrolled from (or a group of them).
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// Template speaker.
    pub template: String,
    /// Index of the tested utterance in the input order (of the group, for trials of several utterances).
    pub utterance: usize,
    /// The tested utterance's speaker.
    pub speaker: String,
    /// Same speaker.
    pub genuine: bool,
    /// Integer score (`Q30`) under the model's metric: the decision that is proven.
    pub score_q30: i64,
    /// `f64` score under the model's metric (the cosine, or its S-norm).
    pub score_f64: f64,
}

/// Integer scores of every trial of the protocol under `model`'s metric, `(enrollment index, utterance, genuine,
/// score_q30)`, over integer embeddings `z[i]` of utterance `i`, which has `voiced[i]` voiced frames (the
/// duration calibration's input).
pub fn integer_trials(
    plan: &[Enrollment],
    speakers: &[&str],
    z: &[Embedding],
    voiced: &[u64],
    model: &Model,
) -> Result<Vec<(usize, usize, bool, i64)>, EmbeddingError> {
    let sides = z.iter().map(|v| model.side(unit(v)?)).collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (e, enrolled) in plan.iter().enumerate() {
        let t = model.side(template_of(enrolled, z)?)?;
        for (i, u) in sides.iter().enumerate() {
            if !enrolled.utterances.contains(&i) {
                out.push((e, i, speakers[i] == enrolled.speaker, model.score(u, &t, voiced[i])?));
            }
        }
    }
    Ok(out)
}

/// The trials of the protocol when each trial is `n` recordings long: for each speaker in order of first
/// appearance, the utterances outside every enrollment of `plan`, taken `n` at a time in input order (a last
/// group of fewer is dropped). `speakers[i]` names utterance `i`; `n = 1` gives one trial per utterance.
pub fn trial_groups(plan: &[Enrollment], speakers: &[&str], n: usize) -> Vec<Vec<usize>> {
    let enrolled: Vec<usize> = plan.iter().flat_map(|e| e.utterances.iter().copied()).collect();
    let mut groups = Vec::new();
    for s in in_order_of_appearance(speakers) {
        let rest: Vec<usize> = (0..speakers.len()).filter(|&i| speakers[i] == s && !enrolled.contains(&i)).collect();
        groups.extend(rest.chunks_exact(n.max(1)).map(<[usize]>::to_vec));
    }
    groups
}

/// Integer scores of templates against trials that are not single utterances: `(enrollment index, trial
/// index, genuine, score_q30)` under `model`'s metric for every enrollment of `plan` (its template from `z[i]` of
/// its utterances) and every trial `(speaker, embedding, voiced frames)`. Unlike [`integer_trials`], other speakers' enrollment
/// utterances are not trials: only `trials` are.
pub fn integer_trials_of(
    plan: &[Enrollment],
    z: &[Embedding],
    trials: &[(&str, Embedding, u64)],
    model: &Model,
) -> Result<Vec<(usize, usize, bool, i64)>, EmbeddingError> {
    let sides = trials.iter().map(|(_, v, _)| model.side(unit(v)?)).collect::<Result<Vec<_>, _>>()?;
    let mut out = Vec::new();
    for (e, enrolled) in plan.iter().enumerate() {
        let t = model.side(template_of(enrolled, z)?)?;
        for (i, u) in sides.iter().enumerate() {
            out.push((e, i, trials[i].0 == enrolled.speaker, model.score(u, &t, trials[i].2)?));
        }
    }
    Ok(out)
}

/// The protocol's enrollments of `utterances` (`(speaker, embeddings)` in manifest order).
pub fn plan_of(utterances: &[(String, Embeddings)]) -> Vec<Enrollment> {
    let speakers: Vec<&str> = utterances.iter().map(|(s, _)| s.as_str()).collect();
    let voiced: Vec<u64> = utterances.iter().map(|(_, e)| e.voiced_frames).collect();
    enrollments(&speakers, &voiced)
}

/// Scores every trial of the protocol in both pipelines under `model`'s metric. `utterances` are `(speaker,
/// embeddings)` in manifest order, embedded under `model`.
pub fn trials(utterances: &[(String, Embeddings)], model: &Model) -> Result<Vec<Trial>, EmbeddingError> {
    let speakers: Vec<&str> = utterances.iter().map(|(s, _)| s.as_str()).collect();
    let z: Vec<Embedding> = utterances.iter().map(|(_, e)| e.z).collect();
    let voiced: Vec<u64> = utterances.iter().map(|(_, e)| e.voiced_frames).collect();
    let plan = plan_of(utterances);
    let templates_f64 = templates_f64(&plan, utterances);
    Ok(integer_trials(&plan, &speakers, &z, &voiced, model)?
        .into_iter()
        .map(|(e, i, genuine, score_q30)| Trial {
            template: plan[e].speaker.clone(),
            utterance: i,
            speaker: speakers[i].to_string(),
            genuine,
            score_q30,
            score_f64: model.score_f64(&utterances[i].1.z_f64, &templates_f64[e], voiced[i]),
        })
        .collect())
}

/// Scores the protocol with trials of `n` utterances each, their voiced frames pooled ([`trial_groups`]: a
/// speaker's utterances outside the enrollments, `n` at a time in order; only these groups are trials), in both
/// pipelines. Returns the trials (`Trial::utterance` indexes the groups) and the groups (indices into
/// `utterances`). `n = 1` is [`trials`], each utterance its own group.
pub fn group_trials(
    utterances: &[(String, Embeddings)],
    n: usize,
    model: &Model,
) -> Result<(Vec<Trial>, Vec<Vec<usize>>), EmbeddingError> {
    if n <= 1 {
        return Ok((trials(utterances, model)?, (0..utterances.len()).map(|i| vec![i]).collect()));
    }
    let speakers: Vec<&str> = utterances.iter().map(|(s, _)| s.as_str()).collect();
    let z: Vec<Embedding> = utterances.iter().map(|(_, e)| e.z).collect();
    let plan = plan_of(utterances);
    let groups = trial_groups(&plan, &speakers, n);
    let pooled = groups
        .iter()
        .map(|g| {
            let members: Vec<&Embeddings> = g.iter().map(|&i| &utterances[i].1).collect();
            Ok((speakers[g[0]], pooled_embeddings(&members, model)?))
        })
        .collect::<Result<Vec<_>, EmbeddingError>>()?;
    let templates_f64 = templates_f64(&plan, utterances);
    let tested: Vec<(&str, Embedding, u64)> = pooled.iter().map(|(s, e)| (*s, e.z, e.voiced_frames)).collect();
    let trials = integer_trials_of(&plan, &z, &tested, model)?
        .into_iter()
        .map(|(e, g, genuine, score_q30)| Trial {
            template: plan[e].speaker.clone(),
            utterance: g,
            speaker: pooled[g].0.to_string(),
            genuine,
            score_q30,
            score_f64: model.score_f64(&pooled[g].1.z_f64, &templates_f64[e], pooled[g].1.voiced_frames),
        })
        .collect();
    Ok((trials, groups))
}

/// The `f64` template of each enrollment: the mean of its utterances' `f64` `z` scaled to unit length (as
/// `crate::template::template_unit`; the scores are cosines, so the mean's own length does not matter).
fn templates_f64(plan: &[Enrollment], utterances: &[(String, Embeddings)]) -> Vec<Vec<f64>> {
    let unit = |z: &[f64]| -> Vec<f64> {
        let n = z.iter().map(|v| v * v).sum::<f64>().sqrt();
        z.iter().map(|v| if n > 0.0 { v / n } else { 0.0 }).collect()
    };
    plan.iter()
        .map(|e| {
            let m = e.utterances.len() as f64;
            let us: Vec<Vec<f64>> = e.utterances.iter().map(|&i| unit(&utterances[i].1.z_f64)).collect();
            (0..EMBED_DIM).map(|d| us.iter().map(|u| u[d]).sum::<f64>() / m).collect()
        })
        .collect()
}

/// The `n` trials whose integer scores are nearest `threshold_q30` (the decisions most sensitive to
/// arithmetic), nearest first.
pub fn nearest_threshold(trials: &[Trial], threshold_q30: i64, n: usize) -> Vec<&Trial> {
    let mut sorted: Vec<&Trial> = trials.iter().collect();
    sorted.sort_by_key(|t| ((t.score_q30 - threshold_q30).unsigned_abs(), t.utterance, t.template.clone()));
    sorted.truncate(n);
    sorted
}

pub use crate::rates::{eer, Rates};

/// A speaker's line in `voizk eval`'s table.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct SpeakerRow {
    /// The speaker (its template).
    pub speaker: String,
    /// Utterances enrolled.
    pub enrolled: usize,
    /// Genuine trials (its other utterances).
    pub genuine_trials: usize,
    /// Lowest genuine score (`None` without genuine trials).
    pub genuine_min: Option<f64>,
    /// Median genuine score.
    pub genuine_median: Option<f64>,
    /// Genuine trials rejected at the model's threshold.
    pub false_rejects: usize,
    /// The impostor utterance scoring highest against this template: its speaker and score.
    pub worst_impostor: Option<(String, f64)>,
    /// Impostor trials accepted at the model's threshold.
    pub false_accepts: usize,
}

/// What `voizk eval` reports.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// The model's threshold (cosine), used for every decision below.
    pub threshold: f64,
    /// Integer pipeline at the model's threshold: false-accept rate.
    pub far: f64,
    /// False-reject rate.
    pub frr: f64,
    /// Impostor trials accepted.
    pub false_accepts: usize,
    /// Genuine trials rejected.
    pub false_rejects: usize,
    /// Genuine trials.
    pub genuine_trials: usize,
    /// Impostor trials.
    pub impostor_trials: usize,
    /// Integer pipeline: equal error rate.
    pub eer: f64,
    /// Its threshold.
    pub eer_threshold: f64,
    /// `f64` pipeline: equal error rate.
    pub eer_f64: f64,
    /// Its threshold.
    pub eer_threshold_f64: f64,
    /// Trials whose integer decision (`score_q30 >= threshold_q30`) differs from the `f64` one.
    pub decisions_differing: usize,
    /// That count over all trials.
    pub fraction_differing: f64,
    /// Speakers without a template (too little voiced speech to enroll).
    pub speakers_not_enrolled: Vec<String>,
    /// One row per enrolled speaker.
    pub speakers: Vec<SpeakerRow>,
}

/// Summarises trials under `model`'s threshold; `speakers[i]` is utterance `i`'s speaker and `plan` the
/// enrollments the trials were scored against.
pub fn summarize(trials: &[Trial], speakers: &[&str], plan: &[Enrollment], model: &Model) -> Summary {
    let genuine: Vec<i64> = trials.iter().filter(|t| t.genuine).map(|t| t.score_q30).collect();
    let impostor: Vec<i64> = trials.iter().filter(|t| !t.genuine).map(|t| t.score_q30).collect();
    let at = Rates::at(&genuine, &impostor, model.threshold_q30);
    let to_real = |v: Vec<i64>| -> Vec<f64> { v.into_iter().map(cosine).collect() };
    let (eer_int, eer_threshold) = eer(&to_real(genuine), &to_real(impostor));
    let pick = |g: bool| -> Vec<f64> { trials.iter().filter(|t| t.genuine == g).map(|t| t.score_f64).collect() };
    let (eer_f64, eer_threshold_f64) = eer(&pick(true), &pick(false));
    let differing =
        trials.iter().filter(|t| (t.score_q30 >= model.threshold_q30) != (t.score_f64 >= model.threshold())).count();
    let mut templates: Vec<&str> = Vec::new();
    for t in trials {
        if !templates.contains(&t.template.as_str()) {
            templates.push(&t.template);
        }
    }
    let rows: Vec<SpeakerRow> = templates.iter().map(|s| speaker_row(s, trials, plan, model)).collect();
    let mut not_enrolled: Vec<String> = Vec::new();
    for s in speakers {
        if !templates.contains(s) && !not_enrolled.iter().any(|n| n == s) {
            not_enrolled.push(s.to_string());
        }
    }
    Summary {
        threshold: model.threshold(),
        far: at.far(),
        frr: at.frr(),
        false_accepts: at.false_accepts,
        false_rejects: at.false_rejects,
        genuine_trials: at.genuine,
        impostor_trials: at.impostor,
        eer: eer_int,
        eer_threshold,
        eer_f64,
        eer_threshold_f64,
        decisions_differing: differing,
        fraction_differing: if trials.is_empty() { 0.0 } else { differing as f64 / trials.len() as f64 },
        speakers_not_enrolled: not_enrolled,
        speakers: rows,
    }
}

fn speaker_row(speaker: &str, trials: &[Trial], plan: &[Enrollment], model: &Model) -> SpeakerRow {
    let mine: Vec<&Trial> = trials.iter().filter(|t| t.template == speaker).collect();
    let mut genuine: Vec<i64> = mine.iter().filter(|t| t.genuine).map(|t| t.score_q30).collect();
    genuine.sort_unstable();
    let worst = mine.iter().filter(|t| !t.genuine).max_by_key(|t| (t.score_q30, std::cmp::Reverse(t.utterance)));
    let enrolled = plan.iter().find(|e| e.speaker == speaker).map_or(0, |e| e.utterances.len());
    SpeakerRow {
        speaker: speaker.to_string(),
        enrolled,
        genuine_trials: genuine.len(),
        genuine_min: genuine.first().map(|&s| cosine(s)),
        genuine_median: (!genuine.is_empty()).then(|| cosine(genuine[genuine.len() / 2])),
        false_rejects: genuine.iter().filter(|&&s| s < model.threshold_q30).count(),
        worst_impostor: worst.map(|t| (t.speaker.clone(), cosine(t.score_q30))),
        false_accepts: mine.iter().filter(|t| !t.genuine && t.score_q30 >= model.threshold_q30).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trial_groups_take_each_speakers_unenrolled_utterances_n_at_a_time() {
        let speakers = ["a", "a", "b", "a", "b", "a", "a", "b", "b", "a", "b", "b"];
        let plan = vec![
            Enrollment { speaker: "a".into(), utterances: vec![0, 1, 3] },
            Enrollment { speaker: "b".into(), utterances: vec![2, 4, 7] },
        ];
        // a: 5, 6, 9 left; b: 8, 10, 11 left.
        assert_eq!(trial_groups(&plan, &speakers, 1), vec![vec![5], vec![6], vec![9], vec![8], vec![10], vec![11]]);
        assert_eq!(trial_groups(&plan, &speakers, 2), vec![vec![5, 6], vec![8, 10]], "a last short group is dropped");
        assert_eq!(trial_groups(&plan, &speakers, 3), vec![vec![5, 6, 9], vec![8, 10, 11]]);
        assert!(trial_groups(&plan, &speakers, 4).is_empty());
        // A speaker without a template still gives trials (impostor ones).
        assert_eq!(trial_groups(&plan[..1], &speakers, 3), vec![vec![5, 6, 9], vec![2, 4, 7], vec![8, 10, 11]]);
    }
}
