//! The accuracy protocol of `voizk eval` (issue 5): per speaker, enroll from the first utterances and score
//! every other utterance of every speaker, in the integer pipeline and in `f64`.

use std::path::{Path, PathBuf};

use stark_frames::oracle::MfccF64;

use crate::embedding::{features_f64, Embedding, EmbeddingError, EMBED_DIM};
use crate::model::Model;
use crate::score::{cosine_f64, score_q30};
use crate::template::{standardised_embedding, template_unit};

/// Utterances per speaker used for enrollment.
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
    /// The first line is not `speaker,path`.
    #[error("the manifest's first line must be the header `speaker,path`")]
    Header,
    /// A line without two fields.
    #[error("manifest line {0}: expected `speaker,path`")]
    Line(usize),
}

/// Parses a manifest's text; relative paths are taken from `base`.
pub fn parse_manifest(text: &str, base: &Path) -> Result<Vec<ManifestEntry>, ManifestError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, h)) if h.trim() == "speaker,path" => {}
        _ => return Err(ManifestError::Header),
    }
    lines
        .map(|(i, l)| {
            let (speaker, path) = l.split_once(',').ok_or(ManifestError::Line(i + 1))?;
            let (speaker, path) = (speaker.trim(), path.trim());
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
    /// Integer `z` (`crate::embedding`).
    pub z: Embedding,
    /// `f64` `z`: the `f64` features standardised with the model's center and scale in real units.
    pub z_f64: [f64; EMBED_DIM],
    /// Voiced frames (integer pipeline).
    pub voiced_frames: u64,
}

/// Both embeddings of a recording under `model`.
pub fn embeddings(samples: &[i16], model: &Model) -> Result<Embeddings, EmbeddingError> {
    let (z, voiced_frames) = standardised_embedding(samples, model)?;
    let frames: Vec<MfccF64> = stark_frames::oracle::mfcc(samples);
    let xf = features_f64(&frames, model.embedding.voicing_threshold_q24 as f64 / (1u64 << 24) as f64)?;
    let (center, scale) = (model.center(), model.scale());
    let z_f64 = std::array::from_fn(|d| (xf[d] - center[d] as f64 / 4096.0) * scale[d] as f64 / f64::from(1u32 << 16));
    Ok(Embeddings { z, z_f64, voiced_frames })
}

/// One scored trial.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// Template speaker.
    pub template: String,
    /// Index of the tested utterance in the input order.
    pub utterance: usize,
    /// Same speaker.
    pub genuine: bool,
    /// Integer score (`Q30`).
    pub score_q30: i64,
    /// `f64` cosine.
    pub score_f64: f64,
}

/// Scores every trial of the protocol. `utterances` are `(speaker, embeddings)` in manifest order; a speaker
/// with at most [`ENROLL_UTTERANCES`] utterances enrolls from all of them and has no genuine trial.
pub fn trials(utterances: &[(String, Embeddings)]) -> Result<Vec<Trial>, EmbeddingError> {
    let mut speakers: Vec<&str> = Vec::new();
    for (s, _) in utterances {
        if !speakers.contains(&s.as_str()) {
            speakers.push(s);
        }
    }
    let mut out = Vec::new();
    for s in speakers {
        let enrolled = enrollment(utterances, s);
        let zs: Vec<Embedding> = enrolled.iter().map(|&i| utterances[i].1.z).collect();
        let t = template_unit(&zs)?;
        let tf: Vec<f64> = (0..EMBED_DIM)
            .map(|d| enrolled.iter().map(|&i| utterances[i].1.z_f64[d]).sum::<f64>() / enrolled.len() as f64)
            .collect();
        for (i, (speaker, e)) in utterances.iter().enumerate() {
            if enrolled.contains(&i) {
                continue;
            }
            out.push(Trial {
                template: s.to_string(),
                utterance: i,
                genuine: speaker == s,
                score_q30: score_q30(&crate::embedding::unit(&e.z)?, &t),
                score_f64: cosine_f64(&e.z_f64, &tf),
            });
        }
    }
    Ok(out)
}

/// The utterances a speaker enrolls from: its first [`ENROLL_UTTERANCES`] in `utterances` (indices).
pub fn enrollment(utterances: &[(String, Embeddings)], speaker: &str) -> Vec<usize> {
    (0..utterances.len()).filter(|&i| utterances[i].0 == speaker).take(ENROLL_UTTERANCES).collect()
}

/// The `n` trials whose integer scores are nearest `threshold_q30` (the decisions most sensitive to
/// arithmetic), nearest first.
pub fn nearest_threshold(trials: &[Trial], threshold_q30: i64, n: usize) -> Vec<&Trial> {
    let mut sorted: Vec<&Trial> = trials.iter().collect();
    sorted.sort_by_key(|t| ((t.score_q30 - threshold_q30).unsigned_abs(), t.utterance, t.template.clone()));
    sorted.truncate(n);
    sorted
}

/// The threshold minimising `max(FRR, FAR)` over the observed scores, and that error (the equal error rate
/// as this project reports it). `(1, 0)` when either list is empty.
pub fn eer(genuine: &[f64], impostor: &[f64]) -> (f64, f64) {
    if genuine.is_empty() || impostor.is_empty() {
        return (1.0, 0.0);
    }
    let mut candidates: Vec<f64> = genuine.iter().chain(impostor).copied().collect();
    candidates.sort_by(f64::total_cmp);
    let mut best = (f64::INFINITY, 0.0);
    for &t in &candidates {
        let frr = genuine.iter().filter(|&&g| g < t).count() as f64 / genuine.len() as f64;
        let far = impostor.iter().filter(|&&i| i >= t).count() as f64 / impostor.len() as f64;
        if frr.max(far) < best.0 {
            best = (frr.max(far), t);
        }
    }
    best
}

/// What `voizk eval` reports.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Summary {
    /// Genuine trials.
    pub genuine_trials: usize,
    /// Impostor trials.
    pub impostor_trials: usize,
    /// Integer pipeline: EER and its threshold.
    pub eer_integer: f64,
    /// The integer EER's threshold.
    pub eer_threshold_integer: f64,
    /// `f64` pipeline: EER.
    pub eer_f64: f64,
    /// The `f64` EER's threshold.
    pub eer_threshold_f64: f64,
    /// The model's threshold, used for the decisions below.
    pub threshold: f64,
    /// Trials whose integer decision (`score_q30 >= threshold_q30`) differs from the `f64` one.
    pub decisions_differing: usize,
    /// That count over all trials.
    pub fraction_differing: f64,
}

/// Summarises trials under `model`'s threshold.
pub fn summarize(trials: &[Trial], model: &Model) -> Summary {
    let q30 = (1u64 << 30) as f64;
    let pick = |genuine: bool, f: &dyn Fn(&Trial) -> f64| -> Vec<f64> {
        trials.iter().filter(|t| t.genuine == genuine).map(f).collect()
    };
    let int = |t: &Trial| t.score_q30 as f64 / q30;
    let flt = |t: &Trial| t.score_f64;
    let (eer_integer, eer_threshold_integer) = eer(&pick(true, &int), &pick(false, &int));
    let (eer_f64, eer_threshold_f64) = eer(&pick(true, &flt), &pick(false, &flt));
    let differing =
        trials.iter().filter(|t| (t.score_q30 >= model.threshold_q30) != (t.score_f64 >= model.threshold())).count();
    Summary {
        genuine_trials: trials.iter().filter(|t| t.genuine).count(),
        impostor_trials: trials.iter().filter(|t| !t.genuine).count(),
        eer_integer,
        eer_threshold_integer,
        eer_f64,
        eer_threshold_f64,
        threshold: model.threshold(),
        decisions_differing: differing,
        fraction_differing: if trials.is_empty() { 0.0 } else { differing as f64 / trials.len() as f64 },
    }
}
