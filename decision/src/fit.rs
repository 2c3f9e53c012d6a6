//! Fitting a model to a population of speakers (`voizk model fit`, issue 16), and measuring it on speakers
//! held out of the fit.
//!
//! **The embedding.** The center and scale are the mean and standard deviation of the integer features
//! (`crate::embedding::features`) over every recording. With whitening (the default), the projection `W` makes
//! the within-speaker covariance of the standardised values the identity: `S_w` is the mean over speakers (each
//! speaker weighing the same, speakers with one recording left out) of the covariance of the speaker's
//! standardised values, regularised by `r tr(S_w) / d` (`d` = 116 features) on the diagonal (`r` = [`FitOptions::ridge`], 0.1 by
//! default); `S_w = L L^T` (Cholesky) and
//! `W = L^-1`, scaled so that its largest entry is `2^16` (`Q16` 1.0). The cosine of `W z` is then the cosine
//! under the metric `S_w^-1` (within-class covariance normalisation): directions in which a speaker's own
//! recordings vary count less.
//!
//! **S-norm** (the default, [`FitOptions::s_norm`]). The model's cohort is the unit mean embedding of every speaker
//! fitted on (at most 64, `crate::snorm`), and scores are the cosine normalised against it on both sides: a fold's
//! model has the cohort of its own training speakers only, so no held-out speaker is in the cohort that scores it.
//!
//! **Channels.** A population may hold each recording twice, as it is and as its telephone-band copy
//! (`crate::augment`, [`Channel`]), both labelled with the speaker: the fit then learns that the channel is not the
//! speaker. The copies count as recordings for the center, scale and within-speaker covariance; in the protocol
//! below each channel is scored apart (enrollment and trials in the same channel) and the trials are pooled.
//!
//! **The threshold.** Speakers are split into `folds` folds (sorted by name, speaker `i` in fold `i mod folds`).
//! For each fold, the embedding is fitted on the other folds and the eval protocol (`crate::eval`) is run on
//! the fold's speakers alone, so every score is a score of speakers the model has not seen. The threshold is
//! the lowest one that accepts at most `target_far` of these held-out impostor trials; the model keeps it, and
//! the rates there, in its [`Calibration`] record.
//!
//! **Duration calibration** ([`FitOptions::duration_bins`], `crate::duration`). Before the threshold, a table of
//! offsets by the trial's voiced frames is fitted on the held-out trials (their scores without offsets), and every
//! score is calibrated (its bin's offset subtracted); the threshold is then chosen on the calibrated scores.
//!
//! **An honest estimate.** That threshold (and table) was chosen on the very trials it is measured on, so the report
//! also gives nested figures: for each fold, a duration table and then a threshold are calibrated as above on the
//! other folds alone (each scored by a model fitted without it and without the fold), and the fold's trials are
//! calibrated with that table and counted at that threshold. Those counts, summed, are what a population of new
//! speakers can expect. The reported EER is that of the trials calibrated with their fold's nested table (an EER
//! needs no threshold, but the table would otherwise have seen the trials it calibrates).
//!
//! Everything is deterministic: the same recordings in the same order give the same model, bit for bit.

use stark_frames::fixed::pooled::PooledStats;

use crate::duration::{fit_offsets, offset_for, CalibrationTrial, DurationOffset, MAX_DURATION_BINS};
use crate::embedding::{
    features, Embedding, EmbeddingError, EMBED_DIM, FEATURE_BITS, MAX_PROJECTION, MAX_SCALE, SCALE_SHIFT,
};
use crate::eval::{enrollments, integer_trials, integer_trials_of, trial_groups};
use crate::model::{Calibration, EmbeddingParams, Metric, Model};
use crate::rates::{eer, threshold_for_far, Rates};
use crate::score::cosine;
use crate::snorm::MAX_COHORT;
use crate::template::template_unit;

/// How to fit.
#[derive(Clone, Debug, PartialEq)]
pub struct FitOptions {
    /// Frames whose `c0` (natural log of the energy, `Q24`) reaches this are voiced.
    pub voicing_threshold_q24: i64,
    /// The false-accept rate the threshold is chosen for, in `(0, 1)`.
    pub target_far: f64,
    /// Speaker folds of the cross-validation (at least 3: the nested estimate calibrates on two or more).
    pub folds: usize,
    /// Fit the whitening projection (otherwise the model has none).
    pub whiten: bool,
    /// Recordings per held-out trial (at least 1): a speaker's recordings outside the enrollments are taken this
    /// many at a time in order and their voiced frames pooled into one trial, a longer utterance
    /// ([`trial_groups`]); a last group of fewer is dropped. Above 1, only those groups are trials. The
    /// threshold is calibrated on these trials; the embedding's parameters do not depend on them.
    pub trial_recordings: usize,
    /// Normalise scores against a cohort of the fitted speakers (S-norm, `crate::snorm`): the model's metric is
    /// then `s_norm_cosine` and its cohort the unit mean embeddings of the speakers fitted on.
    pub s_norm: bool,
    /// The ridge `r` added to the within-speaker covariance before whitening, as `r tr(S_w) / d` on its diagonal (`d` = 116 features).
    pub ridge: f64,
    /// Bins of the duration calibration (`crate::duration`): the model's threshold is offset by the trial's voiced
    /// frames, in this many bins fitted on the held-out trials. 0 or 1: no duration calibration.
    pub duration_bins: usize,
}

/// The default voicing threshold of a fit: `c0 >= 6.0` (Q24). Chosen by speaker-held-out cross-validation on
/// the development corpus (`docs/ACCURACY.md`): lower levels keep more of each short utterance.
pub const DEFAULT_VOICING_THRESHOLD_Q24: i64 = 6 << 24;

/// The default whitening ridge of a fit (with S-norm): chosen by speaker-held-out cross-validation on the
/// development corpus (`docs/ACCURACY.md`, "A stronger provable embedding").
pub const DEFAULT_RIDGE: f64 = 0.1;

/// The default number of duration bins (`crate::duration`): chosen by speaker-held-out cross-validation on the
/// development corpus (`docs/ACCURACY.md`, "Duration calibration").
pub const DEFAULT_DURATION_BINS: usize = 4;

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            voicing_threshold_q24: DEFAULT_VOICING_THRESHOLD_Q24,
            target_far: 0.01,
            folds: 5,
            whiten: true,
            trial_recordings: 1,
            s_norm: true,
            ridge: DEFAULT_RIDGE,
            duration_bins: DEFAULT_DURATION_BINS,
        }
    }
}

/// The channel a recording's statistics come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// The recording as it is.
    Wideband,
    /// Its telephone-band copy (`crate::augment::telephone_band`).
    Telephone,
}

/// One recording of the population: its speaker, channel and pooled statistics at the options' voicing threshold.
#[derive(Clone, Debug)]
pub struct FitRecording {
    /// Speaker label.
    pub speaker: String,
    /// Which version of the recording.
    pub channel: Channel,
    /// Pooled statistics (`stark_frames::fixed::pooled::pooled_stats` at `voicing_threshold_q24`).
    pub stats: PooledStats,
}

/// Why a model cannot be fitted.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// Options out of range.
    #[error("{0}")]
    Options(String),
    /// Too few speakers or recordings.
    #[error("{0}")]
    Population(String),
    /// A fitted value outside the model's ranges, or an embedding outside the circuit's bounds.
    #[error("the fitted model is not usable: {0}")]
    Embedding(#[from] EmbeddingError),
    /// The within-speaker covariance is singular.
    #[error("the within-speaker covariance is not positive definite (too few recordings per speaker?)")]
    Singular,
}

/// The counts of one fold.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct FoldReport {
    /// The fold's speakers.
    pub speakers: Vec<String>,
    /// Threshold (cosine) calibrated on the other folds alone.
    pub nested_threshold: f64,
    /// The fold's trials at that threshold.
    pub nested: Rates,
    /// The fold's trials at the shipped threshold.
    pub at_threshold: Rates,
}

/// Held-out figures of one channel: the eval protocol run on that channel's recordings only.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct ChannelReport {
    /// The channel.
    pub channel: Channel,
    /// Its held-out trials at the shipped threshold.
    pub at_threshold: Rates,
    /// At the nested thresholds.
    pub nested: Rates,
    /// Its held-out EER and threshold.
    pub eer: (f64, f64),
}

/// What a fit produced and measured.
#[derive(Clone, Debug)]
pub struct FitReport {
    /// The fitted model (fitted on every recording, threshold calibrated on held-out speakers).
    pub model: Model,
    /// Recordings left out because no frame was voiced.
    pub skipped: usize,
    /// Held-out genuine scores (`Q30`), every fold (calibrated with the shipped duration table, if any).
    pub genuine: Vec<i64>,
    /// Held-out impostor scores (`Q30`).
    pub impostor: Vec<i64>,
    /// Held-out trials at the shipped threshold.
    pub at_threshold: Rates,
    /// Held-out trials at thresholds calibrated without their speakers, summed over the folds.
    pub nested: Rates,
    /// Equal error rate of the held-out trials, and its threshold (cosine); with duration calibration, of the trials
    /// calibrated with their fold's nested table.
    pub eer: (f64, f64),
    /// Per fold.
    pub folds: Vec<FoldReport>,
    /// Per channel, when the recordings hold more than one.
    pub channels: Vec<ChannelReport>,
}

/// Fits a model to `recordings`; `manifest_sha256` is recorded in the model's calibration.
pub fn fit(recordings: &[FitRecording], options: &FitOptions, manifest_sha256: &str) -> Result<FitReport, FitError> {
    if options.folds < 3 {
        return Err(FitError::Options("at least 3 folds are needed".into()));
    }
    if options.trial_recordings == 0 {
        return Err(FitError::Options("a trial needs at least one recording".into()));
    }
    if !(options.ridge >= 0.0 && options.ridge.is_finite()) {
        return Err(FitError::Options(format!("the whitening ridge {} is not a finite value >= 0", options.ridge)));
    }
    if options.duration_bins > MAX_DURATION_BINS {
        return Err(FitError::Options(format!("at most {MAX_DURATION_BINS} duration bins")));
    }
    if !(options.target_far > 0.0 && options.target_far < 1.0) {
        return Err(FitError::Options(format!("the target false-accept rate {} is not in (0, 1)", options.target_far)));
    }
    let mut data: Vec<(&str, Embedding, PooledStats, Channel)> = Vec::new();
    let mut skipped = 0;
    for r in recordings {
        match features(&r.stats) {
            Ok(x) => data.push((&r.speaker, x, r.stats, r.channel)),
            Err(EmbeddingError::NoVoicedFrames) => skipped += 1,
            Err(e) => return Err(e.into()),
        }
    }
    let mut names: Vec<&str> = data.iter().map(|d| d.0).collect();
    names.sort_unstable();
    names.dedup();
    if names.len() < 2 * options.folds {
        return Err(FitError::Population(format!(
            "{} speakers with voiced speech: a {}-fold cross-validation needs at least {}",
            names.len(),
            options.folds,
            2 * options.folds
        )));
    }
    let fold_of = |s: &str| names.binary_search(&s).expect("a known speaker") % options.folds;
    let folds: Vec<usize> = data.iter().map(|d| fold_of(d.0)).collect();
    let base = Model { calibration: None, ..Model::default_model() };
    let fit_on = |keep: &dyn Fn(usize) -> bool| -> Result<Model, FitError> {
        let rows: Vec<(&str, Embedding)> =
            (0..data.len()).filter(|&i| keep(i)).map(|i| (data[i].0, data[i].1)).collect();
        let mut model = base.clone();
        model.embedding = fit_embedding(&rows, options)?;
        model.metric = Metric::Cosine;
        model.cohort_q15 = None;
        model.duration_offsets = None;
        model.threshold_q30 = 0;
        if options.s_norm {
            model.cohort_q15 = Some(fit_cohort(&rows, &model)?);
            model.metric = Metric::SNormCosine;
        }
        Ok(model)
    };
    let mut channels: Vec<Channel> = data.iter().map(|d| d.3).collect();
    channels.sort_unstable();
    channels.dedup();
    // Held-out trials of fold `f` in channel `c` (the protocol on that fold's recordings of that channel), scored
    // without duration calibration: `(voiced frames, genuine, score)`.
    let channel_trials = |model: &Model, f: usize, c: Channel| -> Result<Vec<CalibrationTrial>, FitError> {
        let idx: Vec<usize> = (0..data.len()).filter(|&i| folds[i] == f && data[i].3 == c).collect();
        let speakers: Vec<&str> = idx.iter().map(|&i| data[i].0).collect();
        let voiced: Vec<u64> = idx.iter().map(|&i| data[i].2.count).collect();
        let z = idx.iter().map(|&i| model.embed_features(&data[i].1)).collect::<Result<Vec<_>, _>>()?;
        let plan = enrollments(&speakers, &voiced);
        if options.trial_recordings == 1 {
            let scored = integer_trials(&plan, &speakers, &z, &voiced, model)?;
            Ok(scored.into_iter().map(|(_, i, genuine, s)| (voiced[i], genuine, s)).collect())
        } else {
            let mut trials = Vec::new();
            for group in trial_groups(&plan, &speakers, options.trial_recordings) {
                let mut stats = data[idx[group[0]]].2;
                group[1..].iter().for_each(|&k| stats.merge(&data[idx[k]].2));
                trials.push((speakers[group[0]], model.embed_features(&features(&stats)?)?, stats.count));
            }
            let scored = integer_trials_of(&plan, &z, &trials, model)?;
            Ok(scored.into_iter().map(|(_, i, genuine, s)| (trials[i].2, genuine, s)).collect())
        }
    };
    // Fold `f`'s trials, channel by channel.
    let fold_trials = |model: &Model, f: usize| -> Result<Vec<Vec<CalibrationTrial>>, FitError> {
        channels.iter().map(|&c| channel_trials(model, f, c)).collect()
    };
    let bins = options.duration_bins;
    let step = metric_of(options.s_norm).threshold_step();
    let table_of = |trials: &[CalibrationTrial]| -> Result<Option<Vec<DurationOffset>>, FitError> {
        if bins <= 1 {
            return Ok(None);
        }
        fit_offsets(trials, bins, step).map(Some).map_err(|e| FitError::Population(e.to_string()))
    };
    // held_raw[f][c]: fold f's trials in channel c, scored by the model fitted without fold f.
    let mut held_raw = Vec::with_capacity(options.folds);
    for f in 0..options.folds {
        let model = fit_on(&|i| folds[i] != f)?;
        held_raw.push(fold_trials(&model, f)?);
    }
    // Nested: for each fold, the duration table and the threshold calibrated on the other folds alone (each of
    // them scored by a model fitted without it and without the fold).
    let mut nested_tables = Vec::with_capacity(options.folds);
    let mut nested_thresholds = Vec::with_capacity(options.folds);
    for f in 0..options.folds {
        let mut inner = Vec::new();
        for other in (0..options.folds).filter(|&o| o != f) {
            let model = fit_on(&|i| folds[i] != f && folds[i] != other)?;
            inner.extend(fold_trials(&model, other)?.into_iter().flatten());
        }
        let table = table_of(&inner)?;
        let (_, inner_impostor) = calibrated(&inner, table.as_deref());
        let t = threshold_for_far(&inner_impostor, options.target_far)
            .map(|t| admissible_threshold(t, options.s_norm))
            .ok_or_else(|| FitError::Population("no impostor trial in a nested calibration".into()))?;
        nested_tables.push(table);
        nested_thresholds.push(t);
    }
    // The shipped table: fitted on every held-out trial. held_out[f][c]: fold f's scores in channel c under it;
    // held_nested[f][c]: under fold f's nested table.
    let all_raw: Vec<CalibrationTrial> = held_raw.iter().flatten().flatten().copied().collect();
    let table = table_of(&all_raw)?;
    let held_out: Vec<Vec<Scores>> =
        held_raw.iter().map(|h| h.iter().map(|t| calibrated(t, table.as_deref())).collect()).collect();
    let held_nested: Vec<Vec<Scores>> = held_raw
        .iter()
        .zip(&nested_tables)
        .map(|(h, nt)| h.iter().map(|t| calibrated(t, nt.as_deref())).collect())
        .collect();
    let flatten = |per: &[Scores]| -> Scores {
        (per.iter().flat_map(|p| p.0.clone()).collect(), per.iter().flat_map(|p| p.1.clone()).collect())
    };
    let per_fold: Vec<Scores> = held_out.iter().map(|h| flatten(h)).collect();
    let per_fold_nested: Vec<Scores> = held_nested.iter().map(|h| flatten(h)).collect();
    let genuine: Vec<i64> = per_fold.iter().flat_map(|h| h.0.iter().copied()).collect();
    let impostor: Vec<i64> = per_fold.iter().flat_map(|h| h.1.iter().copied()).collect();
    let threshold_q30 = threshold_for_far(&impostor, options.target_far)
        .map(|t| admissible_threshold(t, options.s_norm))
        .ok_or_else(|| FitError::Population("no impostor trial among the held-out speakers".into()))?;
    let mut fold_reports = Vec::with_capacity(options.folds);
    for (f, ((g, m), (gn, mn))) in per_fold.iter().zip(&per_fold_nested).enumerate() {
        let t = nested_thresholds[f];
        fold_reports.push(FoldReport {
            speakers: names.iter().filter(|s| fold_of(s) == f).map(|s| s.to_string()).collect(),
            nested_threshold: cosine(t),
            nested: Rates::at(gn, mn, t),
            at_threshold: Rates::at(g, m, threshold_q30),
        });
    }
    let nested = sum_rates(fold_reports.iter().map(|r| r.nested));
    let at_threshold = Rates::at(&genuine, &impostor, threshold_q30);
    let real = |v: &[i64]| -> Vec<f64> { v.iter().map(|&s| cosine(s)).collect() };
    let genuine_nested: Vec<f64> = per_fold_nested.iter().flat_map(|h| real(&h.0)).collect();
    let impostor_nested: Vec<f64> = per_fold_nested.iter().flat_map(|h| real(&h.1)).collect();
    let pooled_eer = eer(&genuine_nested, &impostor_nested);
    let channel_reports = if channels.len() < 2 {
        Vec::new()
    } else {
        channels
            .iter()
            .enumerate()
            .map(|(c, &channel)| {
                let g: Vec<i64> = held_out.iter().flat_map(|h| h[c].0.iter().copied()).collect();
                let m: Vec<i64> = held_out.iter().flat_map(|h| h[c].1.iter().copied()).collect();
                let gn: Vec<i64> = held_nested.iter().flat_map(|h| h[c].0.iter().copied()).collect();
                let mn: Vec<i64> = held_nested.iter().flat_map(|h| h[c].1.iter().copied()).collect();
                ChannelReport {
                    channel,
                    at_threshold: Rates::at(&g, &m, threshold_q30),
                    nested: sum_rates(
                        held_nested.iter().zip(&nested_thresholds).map(|(h, &t)| Rates::at(&h[c].0, &h[c].1, t)),
                    ),
                    eer: eer(&real(&gn), &real(&mn)),
                }
            })
            .collect()
    };
    let mut model = fit_on(&|_| true)?;
    model.threshold_q30 = threshold_q30;
    model.duration_offsets = table;
    model.calibration = Some(Calibration {
        manifest_sha256: manifest_sha256.to_string(),
        speakers: names.len(),
        recordings: data.len(),
        folds: options.folds,
        target_far: options.target_far,
        far: at_threshold.far(),
        false_accepts: [at_threshold.false_accepts, at_threshold.impostor],
        frr: at_threshold.frr(),
        false_rejects: [at_threshold.false_rejects, at_threshold.genuine],
        eer: pooled_eer.0,
        telephone_copies: channels.contains(&Channel::Telephone),
        trial_recordings: options.trial_recordings,
    });
    model.validate().map_err(|e| FitError::Population(e.to_string()))?;
    Ok(FitReport {
        model,
        skipped,
        genuine,
        impostor,
        at_threshold,
        nested,
        eer: pooled_eer,
        folds: fold_reports,
        channels: channel_reports,
    })
}

/// The lowest threshold at or above `t` that a model may hold: within `[-2^30, 2^30]` for the cosine; for S-norm
/// a multiple of `2^15` within `[-32 * 2^30, 32 * 2^30]` (`crate::snorm`). Rounding up never accepts more.
fn admissible_threshold(t: i64, s_norm: bool) -> i64 {
    let metric = metric_of(s_norm);
    let step = metric.threshold_step();
    let max = metric.max_threshold();
    ((t.div_euclid(step) + i64::from(t.rem_euclid(step) != 0)) * step).clamp(-max, max)
}

/// The metric a fit gives its model.
fn metric_of(s_norm: bool) -> Metric {
    if s_norm {
        Metric::SNormCosine
    } else {
        Metric::Cosine
    }
}

/// The S-norm cohort of features `(speaker, x)` under `model` (whose embedding is fitted): each speaker's unit mean
/// embedding (`crate::template::template_unit` of its recordings), speakers in sorted order; with more than
/// [`MAX_COHORT`] speakers, [`MAX_COHORT`] of them evenly spaced in that order.
fn fit_cohort(rows: &[(&str, Embedding)], model: &Model) -> Result<Vec<Vec<i64>>, FitError> {
    let mut speakers: Vec<&str> = rows.iter().map(|r| r.0).collect();
    speakers.sort_unstable();
    speakers.dedup();
    let n = speakers.len();
    if n < 2 {
        return Err(FitError::Population("S-norm needs a cohort of at least two speakers".into()));
    }
    let chosen: Vec<&str> =
        if n <= MAX_COHORT { speakers } else { (0..MAX_COHORT).map(|i| speakers[i * n / MAX_COHORT]).collect() };
    chosen
        .iter()
        .map(|s| {
            let zs =
                rows.iter().filter(|r| r.0 == *s).map(|r| model.embed_features(&r.1)).collect::<Result<Vec<_>, _>>()?;
            Ok(template_unit(&zs)?.to_vec())
        })
        .collect()
}

/// The sum of several counts.
fn sum_rates(rates: impl Iterator<Item = Rates>) -> Rates {
    rates.fold(Rates::at(&[], &[], 0), |a, r| Rates {
        genuine: a.genuine + r.genuine,
        impostor: a.impostor + r.impostor,
        false_rejects: a.false_rejects + r.false_rejects,
        false_accepts: a.false_accepts + r.false_accepts,
    })
}

/// Held-out scores (`Q30`) of one fold in one channel: genuine, impostor.
type Scores = (Vec<i64>, Vec<i64>);

/// Genuine and impostor calibrated scores (`score - offset(k)`) of trials `(k, genuine, score)` under a duration
/// table (none: the scores as they are).
fn calibrated(trials: &[CalibrationTrial], table: Option<&[DurationOffset]>) -> Scores {
    let (mut g, mut m) = (Vec::new(), Vec::new());
    for &(k, genuine, s) in trials {
        let c = s - table.map_or(0, |t| offset_for(t, k));
        if genuine {
            g.push(c)
        } else {
            m.push(c)
        }
    }
    (g, m)
}

/// Center, scale and (with `options.whiten`) the whitening projection of features `(speaker, x)`.
pub fn fit_embedding(rows: &[(&str, Embedding)], options: &FitOptions) -> Result<EmbeddingParams, FitError> {
    let n = rows.len() as f64;
    let mean: Vec<f64> = (0..EMBED_DIM).map(|d| rows.iter().map(|r| r.1[d] as f64).sum::<f64>() / n).collect();
    let sd: Vec<f64> = (0..EMBED_DIM)
        .map(|d| (rows.iter().map(|r| (r.1[d] as f64 - mean[d]).powi(2)).sum::<f64>() / n).sqrt())
        .collect();
    let center_q12: Vec<i64> = mean.iter().map(|m| m.round() as i64).collect();
    // `scale = 2^(12 + 16) / sigma`: `z` is then `Q12` of a value of unit spread (`crate::embedding`).
    let unit_spread = f64::from(1u32 << (FEATURE_BITS + SCALE_SHIFT));
    let scale: Vec<i64> = sd.iter().map(|s| ((unit_spread / s).round() as i64).clamp(1, MAX_SCALE)).collect();
    let mut params = EmbeddingParams {
        voicing_threshold_q24: options.voicing_threshold_q24,
        center_q12,
        scale,
        projection_q16: None,
    };
    if options.whiten {
        let c: Embedding = std::array::from_fn(|d| params.center_q12[d]);
        let s: Embedding = std::array::from_fn(|d| params.scale[d]);
        let z: Vec<(&str, [f64; EMBED_DIM])> = rows
            .iter()
            .map(|r| {
                let zi = crate::embedding::standardise(&r.1, &c, &s);
                (r.0, std::array::from_fn(|d| zi[d] as f64 / f64::from(1u32 << FEATURE_BITS)))
            })
            .collect();
        params.projection_q16 = Some(whitening(&z, options.ridge)?);
    }
    Ok(params)
}

/// `Q16` rows of `L^-1` for the within-speaker covariance of `z` regularised by `ridge tr(S_w) / 25` on its
/// diagonal (`L L^T`), largest entry `2^16`.
fn whitening(z: &[(&str, [f64; EMBED_DIM])], ridge: f64) -> Result<Vec<Vec<i64>>, FitError> {
    let mut speakers: Vec<&str> = z.iter().map(|r| r.0).collect();
    speakers.sort_unstable();
    speakers.dedup();
    let mut sw = [[0.0f64; EMBED_DIM]; EMBED_DIM];
    let mut counted = 0usize;
    for s in speakers {
        let own: Vec<&[f64; EMBED_DIM]> = z.iter().filter(|r| r.0 == s).map(|r| &r.1).collect();
        if own.len() < 2 {
            continue;
        }
        let m = own.len() as f64;
        let mu: Vec<f64> = (0..EMBED_DIM).map(|d| own.iter().map(|v| v[d]).sum::<f64>() / m).collect();
        for (a, row) in sw.iter_mut().enumerate() {
            for (b, cell) in row.iter_mut().enumerate() {
                *cell += own.iter().map(|v| (v[a] - mu[a]) * (v[b] - mu[b])).sum::<f64>() / m;
            }
        }
        counted += 1;
    }
    if counted == 0 {
        return Err(FitError::Population("no speaker has two recordings: the within-speaker spread is unknown".into()));
    }
    let trace: f64 = (0..EMBED_DIM).map(|d| sw[d][d]).sum::<f64>() / counted as f64;
    for (a, row) in sw.iter_mut().enumerate() {
        for cell in row.iter_mut() {
            *cell /= counted as f64;
        }
        row[a] += ridge * trace / EMBED_DIM as f64;
    }
    let l = cholesky(&sw).ok_or(FitError::Singular)?;
    let w = lower_inverse(&l);
    let max = w.iter().flatten().fold(0.0f64, |m, v| m.max(v.abs()));
    Ok(w.iter().map(|row| row.iter().map(|v| (v / max * MAX_PROJECTION as f64).round() as i64).collect()).collect())
}

type Square = [[f64; EMBED_DIM]; EMBED_DIM];

/// `L` with `L L^T = a` for a symmetric positive definite `a`.
fn cholesky(a: &Square) -> Option<Square> {
    let mut l = [[0.0; EMBED_DIM]; EMBED_DIM];
    for i in 0..EMBED_DIM {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            if i == j {
                let v = a[i][i] - s;
                if v <= 0.0 || !v.is_finite() {
                    return None;
                }
                l[i][j] = v.sqrt();
            } else {
                l[i][j] = (a[i][j] - s) / l[j][j];
            }
        }
    }
    Some(l)
}

/// The inverse of a lower-triangular matrix with a non-zero diagonal (forward substitution; matrix indices read
/// as the formula does).
#[allow(clippy::needless_range_loop)]
fn lower_inverse(l: &Square) -> Square {
    let mut inv = [[0.0; EMBED_DIM]; EMBED_DIM];
    for c in 0..EMBED_DIM {
        for i in c..EMBED_DIM {
            let rhs = if i == c { 1.0 } else { 0.0 };
            let s: f64 = (c..i).map(|k| l[i][k] * inv[k][c]).sum();
            inv[i][c] = (rhs - s) / l[i][i];
        }
    }
    inv
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_and_inverse_whiten() {
        let mut a = [[0.0; EMBED_DIM]; EMBED_DIM];
        for (i, row) in a.iter_mut().enumerate() {
            for (j, cell) in row.iter_mut().enumerate() {
                *cell = if i == j { 2.0 + i as f64 } else { 0.3f64.powi((i as i32 - j as i32).abs()) };
            }
        }
        let l = cholesky(&a).unwrap();
        let w = lower_inverse(&l);
        // W A W^T = I.
        for i in 0..EMBED_DIM {
            for j in 0..EMBED_DIM {
                let v: f64 =
                    (0..EMBED_DIM).map(|p| (0..EMBED_DIM).map(|q| w[i][p] * a[p][q] * w[j][q]).sum::<f64>()).sum();
                assert!((v - if i == j { 1.0 } else { 0.0 }).abs() < 1e-9, "{i} {j} {v}");
            }
        }
        a[3][3] = -1.0;
        assert!(cholesky(&a).is_none());
    }

    #[test]
    fn options_and_populations_are_checked() {
        let opts = FitOptions { folds: 2, ..FitOptions::default() };
        assert!(matches!(fit(&[], &opts, ""), Err(FitError::Options(_))));
        let opts = FitOptions { target_far: 0.0, ..FitOptions::default() };
        assert!(matches!(fit(&[], &opts, ""), Err(FitError::Options(_))));
        assert!(matches!(fit(&[], &FitOptions::default(), ""), Err(FitError::Population(_))));
    }
}
