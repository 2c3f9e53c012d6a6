//! The model file: what a proof's decision means (SPEC §4). JSON through serde; the built-in default is
//! `default_model.json`, chosen by measurement (`docs/PERFORMANCE.md`, "Embedding and threshold").
//!
//! Its commitment `h_model` is plonky2's `PoseidonHash::hash_no_pad` over the canonical encoding
//! ([`Model::canonical_elements`]): a tag, every DSP parameter, the voicing threshold, the embedding's center and
//! scale, the metric and the threshold, each integer offset into a canonical field element, then the projection
//! matrix, the S-norm cohort and the duration table when the model has them. Two models with the same encoding mean the same decision; the JSON's formatting
//! does not matter. The [`Calibration`] record is not part of `h_model`: it says how the threshold was chosen,
//! it does not change the decision.

use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::field::types::{Field, PrimeField64};
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::plonk::config::Hasher;
use stark_frames::params::{
    CEP_LIFTER, FRAME_LEN, HOP, NFFT, NUM_CEPS, NUM_FILTERS, PREEMPH_DEN, PREEMPH_NUM, SAMPLE_RATE,
};

use crate::duration::{self, DurationOffset};
use crate::embedding::COUNT_BITS;
use crate::embedding::{
    features, project, standardise, Embedding, EmbeddingError, EMBED_DIM, FEATURE_BITS, MAX_PROJECTION, MAX_SCALE,
    SCALE_SHIFT, UNIT_BITS,
};
use crate::score::{cosine_f64, score_q30};
use crate::snorm::{
    cohort_stats, snorm_score_f64, snorm_score_q30, CohortStats, MAX_COHORT, MAX_SNORM_THRESHOLD_Q30,
    THRESHOLD_STEP_BITS,
};
use stark_frames::fixed::pooled::PooledStats;

type F = GoldilocksField;

/// Format tag of the canonical encoding, ASCII `voizkMD1`.
pub const MODEL_TAG: u64 = u64::from_be_bytes(*b"voizkMD1");
/// Marks the start of the projection matrix in the canonical encoding, ASCII `voizkPJ1`.
pub const PROJECTION_TAG: u64 = u64::from_be_bytes(*b"voizkPJ1");
/// Marks the start of the S-norm cohort in the canonical encoding, ASCII `voizkCH1`.
pub const COHORT_TAG: u64 = u64::from_be_bytes(*b"voizkCH1");
/// Marks the start of the duration table in the canonical encoding, ASCII `voizkDC1`.
pub const DURATION_TAG: u64 = u64::from_be_bytes(*b"voizkDC1");

/// The DSP parameters of SPEC §3. voizk implements exactly one pipeline, so a model must state these values;
/// they are part of `h_model` so that a proof says which pipeline it ran.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DspParams {
    /// Sample rate in Hz (16 000).
    pub sample_rate: u32,
    /// Samples per frame (400).
    pub frame_len: u32,
    /// Samples between frame starts (160).
    pub hop: u32,
    /// FFT size (512).
    pub nfft: u32,
    /// Mel filters (26).
    pub num_filters: u32,
    /// Cepstral coefficients kept, `c0` (log energy) included (13).
    pub num_ceps: u32,
    /// Pre-emphasis coefficient as a fraction `num / den` (97 / 100).
    pub preemph: [u32; 2],
    /// Cepstral lifter (22).
    pub lifter: u32,
}

impl DspParams {
    /// The pipeline voizk implements.
    pub fn supported() -> Self {
        Self {
            sample_rate: SAMPLE_RATE,
            frame_len: FRAME_LEN as u32,
            hop: HOP as u32,
            nfft: NFFT as u32,
            num_filters: NUM_FILTERS as u32,
            num_ceps: NUM_CEPS as u32,
            preemph: [PREEMPH_NUM as u32, PREEMPH_DEN as u32],
            lifter: CEP_LIFTER as u32,
        }
    }
}

/// The similarity measure between embeddings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Cosine similarity of the unit embeddings: `sum u_d t_d / 2^30`.
    Cosine,
    /// The cosine normalised against the model's cohort on both sides (symmetric S-norm, `crate::snorm`): the
    /// halved sum of `(s - mu_u) / sigma_u` and `(s - mu_t) / sigma_t`.
    SNormCosine,
}

impl Metric {
    /// The smallest change of a threshold the metric allows: 1 for the cosine, `2^15` under S-norm.
    pub fn threshold_step(self) -> i64 {
        match self {
            Metric::Cosine => 1,
            Metric::SNormCosine => 1 << THRESHOLD_STEP_BITS,
        }
    }

    /// The largest threshold magnitude the metric allows (`threshold_q30`, and `threshold_q30` plus any duration
    /// offset): `2^30` for the cosine, [`MAX_SNORM_THRESHOLD_Q30`] under S-norm.
    pub fn max_threshold(self) -> i64 {
        match self {
            Metric::Cosine => 1 << (2 * UNIT_BITS),
            Metric::SNormCosine => MAX_SNORM_THRESHOLD_Q30,
        }
    }

    /// The code of the metric in the canonical encoding.
    fn code(self) -> i64 {
        match self {
            Metric::Cosine => 1,
            Metric::SNormCosine => 2,
        }
    }
}

/// One side of a trial as the decision scores it: a unit embedding (`Q15`) and, under S-norm, the mean and
/// deviation of its cosines against the model's cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Side {
    /// The unit embedding (`Q15`).
    pub unit: Embedding,
    /// Its cohort statistics (S-norm models only).
    pub cohort: Option<CohortStats>,
}

/// The embedding: mean and standard deviation of the cepstra over voiced frames (`crate::embedding`),
/// standardised per dimension.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmbeddingParams {
    /// Frames whose `c0` (natural log of the energy, `Q24`) is at least this are voiced.
    pub voicing_threshold_q24: i64,
    /// Subtracted from the features (`Q12`), [`EMBED_DIM`] values.
    pub center_q12: Vec<i64>,
    /// Multiplies the centered features before the `2^-16` rescale (`2^28 / sigma`), [`EMBED_DIM`] values in
    /// `1..=2^19`.
    pub scale: Vec<i64>,
    /// Optional projection `W` (`Q16`): [`EMBED_DIM`] rows of [`EMBED_DIM`] entries in `[-2^16, 2^16]`, applied to
    /// the standardised values (`crate::embedding::project`). Absent: the standardised values are used as they
    /// are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection_q16: Option<Vec<Vec<i64>>>,
}

/// How a model's threshold was chosen and what it achieved on speakers held out of the fit (`crate::fit`).
/// A record for people, not part of `h_model`: it does not change a decision.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Calibration {
    /// SHA-256 (hex) of the manifest the model was fitted on.
    pub manifest_sha256: String,
    /// Speakers and recordings fitted on.
    pub speakers: usize,
    /// Recordings fitted on.
    pub recordings: usize,
    /// Speaker folds of the cross-validation.
    pub folds: usize,
    /// The false-accept rate the threshold was chosen for.
    pub target_far: f64,
    /// On the held-out trials of the cross-validation at the chosen threshold: false-accept rate.
    pub far: f64,
    /// Impostor trials accepted / impostor trials.
    pub false_accepts: [usize; 2],
    /// False-reject rate.
    pub frr: f64,
    /// Genuine trials rejected / genuine trials.
    pub false_rejects: [usize; 2],
    /// Equal error rate of the held-out trials.
    pub eer: f64,
    /// The fit also used a telephone-band copy of every recording (`crate::augment`), and the held-out trials
    /// include both channels.
    #[serde(default)]
    pub telephone_copies: bool,
    /// Recordings pooled into one held-out trial (`crate::fit::FitOptions::trial_recordings`); 1, the
    /// default, is not written.
    #[serde(default = "one", skip_serializing_if = "is_one")]
    pub trial_recordings: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// A model file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Model format version (1).
    pub version: u32,
    /// The DSP pipeline; must equal [`DspParams::supported`].
    pub dsp: DspParams,
    /// The embedding.
    pub embedding: EmbeddingParams,
    /// The metric.
    pub metric: Metric,
    /// Accept when the score, in `Q30`, is at least this: the cosine (metric `cosine`, in `[-2^30, 2^30]`) or the
    /// normalised score (metric `s_norm_cosine`, a multiple of `2^15` of magnitude at most `32 * 2^30`).
    pub threshold_q30: i64,
    /// The S-norm cohort (metric `s_norm_cosine` only): 2 to 64 unit vectors (`Q15`) of [`EMBED_DIM`] entries in
    /// `[-2^15, 2^15]`, in the space of the unit embeddings (after the projection).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cohort_q15: Option<Vec<Vec<i64>>>,
    /// Duration calibration (`crate::duration`): bins of the trial's voiced frames, each with an offset subtracted
    /// from the score before it is compared with `threshold_q30`. Absent: no offset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_offsets: Option<Vec<DurationOffset>>,
    /// How the threshold was calibrated (absent for hand-made models).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub calibration: Option<Calibration>,
}

/// Why a model file is refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// Not valid JSON for a model.
    #[error("not a voizk model file: {0}")]
    Json(serde_json::Error),
    /// Another format version.
    #[error("model format version {0} is not supported (this voizk reads version 1)")]
    Version(u32),
    /// DSP parameters other than the implemented pipeline.
    #[error("the model's DSP parameters differ from the pipeline voizk implements (SPEC §3): {0}")]
    Dsp(String),
    /// A value outside its documented range.
    #[error("{0}")]
    Range(String),
}

impl Model {
    /// The built-in default model.
    pub fn default_model() -> Self {
        Self::from_json(include_str!("default_model.json")).expect("the built-in model is valid")
    }

    /// Parses and validates a model file's text.
    pub fn from_json(text: &str) -> Result<Self, ModelError> {
        let model: Self = serde_json::from_str(text).map_err(ModelError::Json)?;
        model.validate()?;
        Ok(model)
    }

    /// Pretty JSON, as written to files and printed by `voizk model show`.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a model serialises")
    }

    /// Checks everything the embedding's and the circuit's bounds rely on.
    pub fn validate(&self) -> Result<(), ModelError> {
        if self.version != 1 {
            return Err(ModelError::Version(self.version));
        }
        let want = DspParams::supported();
        if self.dsp != want {
            return Err(ModelError::Dsp(format!("expected {}", serde_json::to_string(&want).expect("serialises"))));
        }
        let e = &self.embedding;
        if e.center_q12.len() != EMBED_DIM || e.scale.len() != EMBED_DIM {
            return Err(ModelError::Range(format!("center_q12 and scale need {EMBED_DIM} values each")));
        }
        if let Some(c) = e.center_q12.iter().find(|c| c.abs() >= 1 << 24) {
            return Err(ModelError::Range(format!("center_q12 value {c} is outside (-2^24, 2^24)")));
        }
        if let Some(s) = e.scale.iter().find(|&&s| !(1..=MAX_SCALE).contains(&s)) {
            return Err(ModelError::Range(format!("scale value {s} is outside 1..=2^19")));
        }
        if let Some(w) = &e.projection_q16 {
            if w.len() != EMBED_DIM || w.iter().any(|row| row.len() != EMBED_DIM) {
                return Err(ModelError::Range(format!("projection_q16 needs {EMBED_DIM} rows of {EMBED_DIM} values")));
            }
            if let Some(v) = w.iter().flatten().find(|v| v.abs() > MAX_PROJECTION) {
                return Err(ModelError::Range(format!("projection_q16 value {v} is outside [-2^16, 2^16]")));
            }
        }
        if e.voicing_threshold_q24.abs() >= 1 << 40 {
            return Err(ModelError::Range("voicing_threshold_q24 is outside (-2^40, 2^40)".into()));
        }
        match (self.metric, &self.cohort_q15) {
            (Metric::Cosine, None) => {
                let one = 1i64 << (2 * UNIT_BITS);
                if !(-one..=one).contains(&self.threshold_q30) {
                    return Err(ModelError::Range(format!(
                        "threshold_q30 {} is outside [-2^30, 2^30]",
                        self.threshold_q30
                    )));
                }
            }
            (Metric::SNormCosine, Some(cohort)) => {
                if !(2..=MAX_COHORT).contains(&cohort.len()) || cohort.iter().any(|row| row.len() != EMBED_DIM) {
                    return Err(ModelError::Range(format!(
                        "cohort_q15 needs 2 to {MAX_COHORT} rows of {EMBED_DIM} values"
                    )));
                }
                if let Some(v) = cohort.iter().flatten().find(|v| v.abs() > 1 << UNIT_BITS) {
                    return Err(ModelError::Range(format!("cohort_q15 value {v} is outside [-2^15, 2^15]")));
                }
                let t = self.threshold_q30;
                if t.abs() > MAX_SNORM_THRESHOLD_Q30 || t % (1 << THRESHOLD_STEP_BITS) != 0 {
                    return Err(ModelError::Range(format!(
                        "threshold_q30 {t} of an S-norm model must be a multiple of 2^15 in [-32 * 2^30, 32 * 2^30]"
                    )));
                }
            }
            (Metric::Cosine, Some(_)) => {
                return Err(ModelError::Range("cohort_q15 is only used by the metric s_norm_cosine".into()))
            }
            (Metric::SNormCosine, None) => {
                return Err(ModelError::Range("the metric s_norm_cosine needs cohort_q15".into()))
            }
        }
        if let Some(table) = &self.duration_offsets {
            duration::validate(table, self.threshold_step(), COUNT_BITS)
                .map_err(|e| ModelError::Range(e.to_string()))?;
            let max = self.metric.max_threshold();
            if let Some(b) = table.iter().find(|b| (self.threshold_q30 + b.offset_q30).abs() > max) {
                return Err(ModelError::Range(format!(
                    "duration_offsets: threshold_q30 plus the offset {} is outside [-{max}, {max}]",
                    b.offset_q30
                )));
            }
        }
        Ok(())
    }

    /// The center as an array.
    pub fn center(&self) -> Embedding {
        std::array::from_fn(|d| self.embedding.center_q12[d])
    }

    /// The scale as an array.
    pub fn scale(&self) -> Embedding {
        std::array::from_fn(|d| self.embedding.scale[d])
    }

    /// The projection's rows, if the model has one (shapes checked by [`Model::validate`]).
    pub fn projection(&self) -> Option<Vec<Embedding>> {
        self.embedding.projection_q16.as_ref().map(|w| w.iter().map(|row| std::array::from_fn(|d| row[d])).collect())
    }

    /// The S-norm cohort's rows, if the model has one (shapes checked by [`Model::validate`]).
    pub fn cohort(&self) -> Option<Vec<Embedding>> {
        self.cohort_q15.as_ref().map(|c| c.iter().map(|row| std::array::from_fn(|d| row[d])).collect())
    }

    /// A unit embedding (`Q15`) as the decision scores it: with its cohort statistics under S-norm.
    pub fn side(&self, unit: Embedding) -> Result<Side, EmbeddingError> {
        let cohort = match self.cohort() {
            Some(c) => Some(cohort_stats(&unit, &c)?),
            None => None,
        };
        Ok(Side { unit, cohort })
    }

    /// The integer score (`Q30`) of a trial of `trial_voiced` voiced frames against a template under the model's
    /// metric, calibrated for the trial's duration: the decision accepts iff it is at least `threshold_q30`
    /// (`crate::score`, `crate::snorm`, `crate::duration`).
    pub fn score(&self, trial: &Side, template: &Side, trial_voiced: u64) -> Result<i64, EmbeddingError> {
        let s = score_q30(&trial.unit, &template.unit);
        let raw = match (trial.cohort, template.cohort) {
            (Some(cu), Some(ct)) => snorm_score_q30(s, cu, ct)?,
            _ => s,
        };
        Ok(raw.saturating_sub(self.duration_offset_q30(trial_voiced)))
    }

    /// The `f64` score of `f64` embeddings (not necessarily unit) under the model's metric, calibrated for a trial
    /// of `trial_voiced` voiced frames (the integer pipeline's count: the offsets are the model's).
    pub fn score_f64(&self, u: &[f64], t: &[f64], trial_voiced: u64) -> f64 {
        let raw = match self.cohort() {
            Some(c) => {
                let cohort: Vec<Vec<f64>> = c.iter().map(|row| row.iter().map(|&v| v as f64).collect()).collect();
                snorm_score_f64(u, t, &cohort)
            }
            None => cosine_f64(u, t),
        };
        raw - crate::score::cosine(self.duration_offset_q30(trial_voiced))
    }

    /// The offset (`Q30`) the duration table subtracts from the score of a trial of `trial_voiced` voiced frames
    /// (0 without a table).
    pub fn duration_offset_q30(&self, trial_voiced: u64) -> i64 {
        self.duration_offsets.as_deref().map_or(0, |t| duration::offset_for(t, trial_voiced))
    }

    /// The standardised (and, with a projection, projected) embedding of pooled statistics: steps 1, 2 and 2b of
    /// `crate::embedding`, the vector that templates average and the circuit scales to unit length.
    pub fn embed(&self, stats: &PooledStats) -> Result<Embedding, EmbeddingError> {
        self.embed_features(&features(stats)?)
    }

    /// [`Model::embed`] from the features (step 1's output) on.
    pub fn embed_features(&self, x: &Embedding) -> Result<Embedding, EmbeddingError> {
        let z = standardise(x, &self.center(), &self.scale());
        match self.projection() {
            Some(w) => project(&z, &w),
            None => Ok(z),
        }
    }

    /// The same in `f64`, for features `x` in real units (the oracle's): `W (x - center) scale / 2^16` with the
    /// model's integers read as the reals they stand for.
    pub fn embed_f64(&self, x: &[f64; EMBED_DIM]) -> [f64; EMBED_DIM] {
        let (center, scale) = (self.center(), self.scale());
        let z: [f64; EMBED_DIM] = std::array::from_fn(|d| {
            (x[d] - center[d] as f64 / f64::from(1u32 << FEATURE_BITS)) * scale[d] as f64
                / f64::from(1u32 << SCALE_SHIFT)
        });
        match self.projection() {
            Some(w) => std::array::from_fn(|j| {
                w[j].iter().zip(&z).map(|(&a, b)| a as f64 * b).sum::<f64>() / MAX_PROJECTION as f64
            }),
            None => z,
        }
    }

    /// The smallest change of `threshold_q30` the model's metric allows: 1 for the cosine, `2^15` under S-norm.
    pub fn threshold_step(&self) -> i64 {
        self.metric.threshold_step()
    }

    /// What the score and threshold measure, for people: `cosine` or `S-norm cosine`.
    pub fn score_name(&self) -> &'static str {
        match self.metric {
            Metric::Cosine => "cosine",
            Metric::SNormCosine => "S-norm cosine",
        }
    }

    /// The threshold as a real number.
    pub fn threshold(&self) -> f64 {
        crate::score::cosine(self.threshold_q30)
    }

    /// The canonical encoding: `[TAG, version, dsp..., voicing threshold, center..., scale..., metric,
    /// threshold]`, then, for a model with a projection, `[PROJECTION_TAG, W_00, W_01, ..., W_24,24]` (row by row),
    /// then, for an S-norm model (metric code 2), `[COHORT_TAG, K, c_0,0, ..., c_K-1,24]`, then, for a model with a
    /// duration table of `B` bins, `[DURATION_TAG, B, from_0, offset_0, ..., from_B-1, offset_B-1]`; each integer `v` as the
    /// field element `v mod p` (all are below `2^41` in magnitude). The encoding is injective: the metric says
    /// whether a cohort follows, the tags (which no bounded entry equals) mark where each part starts, and `K`
    /// gives the cohort's length.
    pub fn canonical_elements(&self) -> Vec<F> {
        let d = &self.dsp;
        let mut ints: Vec<i64> = vec![self.version as i64];
        ints.extend(
            [
                d.sample_rate,
                d.frame_len,
                d.hop,
                d.nfft,
                d.num_filters,
                d.num_ceps,
                d.preemph[0],
                d.preemph[1],
                d.lifter,
            ]
            .map(i64::from),
        );
        ints.push(self.embedding.voicing_threshold_q24);
        ints.extend(&self.embedding.center_q12);
        ints.extend(&self.embedding.scale);
        ints.push(self.metric.code());
        ints.push(self.threshold_q30);
        let mut out = vec![F::from_noncanonical_u64(MODEL_TAG)];
        out.extend(ints.into_iter().map(F::from_noncanonical_i64));
        if let Some(w) = &self.embedding.projection_q16 {
            out.push(F::from_noncanonical_u64(PROJECTION_TAG));
            out.extend(w.iter().flatten().map(|&v| F::from_noncanonical_i64(v)));
        }
        if let Some(c) = &self.cohort_q15 {
            out.push(F::from_noncanonical_u64(COHORT_TAG));
            out.push(F::from_canonical_usize(c.len()));
            out.extend(c.iter().flatten().map(|&v| F::from_noncanonical_i64(v)));
        }
        if let Some(t) = &self.duration_offsets {
            out.push(F::from_noncanonical_u64(DURATION_TAG));
            out.push(F::from_canonical_usize(t.len()));
            for b in t {
                out.push(F::from_canonical_u64(b.from_voiced_frames));
                out.push(F::from_noncanonical_i64(b.offset_q30));
            }
        }
        out
    }

    /// `h_model`: Poseidon over the canonical encoding.
    pub fn h_model(&self) -> [F; 4] {
        PoseidonHash::hash_no_pad(&self.canonical_elements()).elements
    }

    /// `h_model` as 64 hex digits (four elements of 16 digits), the form the CLI prints.
    pub fn h_model_hex(&self) -> String {
        self.h_model().iter().map(|e| format!("{:016x}", e.to_canonical_u64())).collect()
    }
}
