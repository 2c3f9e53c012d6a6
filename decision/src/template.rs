//! Enrollment templates: the unit embedding of several utterances, a random salt and the commitment
//! `h_template` (SPEC §2), kept in a JSON file that the prover needs and nobody else should see.
//!
//! `t = unit(round(sum_i unit(z_i) / m))` over the `m` enrolled utterances' standardised embeddings `z_i`
//! (`crate::embedding`; each utterance weighs the same, whatever its length: issue 16, `docs/ACCURACY.md`), and `h_template = PoseidonHash::hash_no_pad([TAG "voizkTP1", t_0 .. t_24, salt_0 ..
//! salt_3])`, each `t_d` as `t_d mod p`. The salt is four field elements from the operating system's random
//! source, so `h_template` reveals nothing that guessing a template could confirm.

use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::field::types::{Field, Field64, PrimeField64, Sample};
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::plonk::config::Hasher;
use stark_frames::fixed::pooled::pooled_stats;
use stark_frames::params::{HOP, SAMPLE_RATE};

use crate::embedding::{round_div, unit, Embedding, EmbeddingError, EMBED_DIM, UNIT_BITS};
use crate::model::Model;

type F = GoldilocksField;

/// Voiced frames a template needs in all (1.5 s of speech above the model's voicing level, 10 ms a frame): the
/// standard deviations in the embedding are not stable over fewer.
pub const MIN_ENROLL_VOICED_FRAMES: u64 = 150;

/// Format tag of the template commitment, ASCII `voizkTP1`.
pub const TEMPLATE_TAG: u64 = u64::from_be_bytes(*b"voizkTP1");

/// A recording's standardised (and projected) embedding under `model` ([`Model::embed`]), and its number of
/// voiced frames.
pub fn standardised_embedding(samples: &[i16], model: &Model) -> Result<(Embedding, u64), EmbeddingError> {
    let stats = pooled_stats(&stark_frames::fixed::frame_values(samples), model.embedding.voicing_threshold_q24);
    Ok((model.embed(&stats)?, stats.count))
}

/// The unit template of standardised embeddings: `unit(round(sum unit(z_i) / m))`, the mean direction. Fails
/// when there are none, one is zero, or they average to zero.
pub fn template_unit(zs: &[Embedding]) -> Result<Embedding, EmbeddingError> {
    if zs.is_empty() {
        return Err(EmbeddingError::ZeroVector);
    }
    let us = zs.iter().map(unit).collect::<Result<Vec<_>, _>>()?;
    let m = us.len() as i128;
    let mean: Embedding = std::array::from_fn(|d| round_div(us.iter().map(|z| i128::from(z[d])).sum(), m) as i64);
    unit(&mean)
}

/// `h_template` of a unit template and a salt.
pub fn h_template(unit_q15: &Embedding, salt: &[F; 4]) -> [F; 4] {
    let mut input = vec![F::from_noncanonical_u64(TEMPLATE_TAG)];
    input.extend(unit_q15.iter().map(|&v| F::from_noncanonical_i64(v)));
    input.extend(salt);
    PoseidonHash::hash_no_pad(&input).elements
}

/// Four elements as 64 hex digits, the form the CLI prints commitments in.
pub fn hex4(h: &[F; 4]) -> String {
    h.iter().map(|e| format!("{:016x}", e.to_canonical_u64())).collect()
}

/// One enrolled recording, as recorded in the template file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enrolled {
    /// The file name given to `enroll`.
    pub name: String,
    /// Its voiced frames.
    pub voiced_frames: u64,
}

/// A template file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// Format version (1).
    pub version: u32,
    /// `h_model` (hex) of the model the template was made with; it only scores under that model.
    pub h_model: String,
    /// The unit template `t` (`Q15`), [`EMBED_DIM`] values.
    pub unit_q15: Vec<i64>,
    /// The salt: four canonical field elements.
    pub salt: [u64; 4],
    /// `h_template` (hex), checked against `unit_q15` and `salt` when the file is read.
    pub h_template: String,
    /// The recordings enrolled.
    pub enrolled: Vec<Enrolled>,
}

/// Why a template cannot be made or read.
#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    /// No recording to enroll.
    #[error("enrollment needs at least one recording")]
    NoRecordings,
    /// A recording has no embedding.
    #[error("{name}: {source}")]
    Embedding {
        /// The recording.
        name: String,
        /// Why.
        source: EmbeddingError,
    },
    /// Too little voiced speech for a stable template.
    #[error(
        "too little speech to enroll: the recordings hold {voiced} voiced frames and a template needs at least \
         {needed} ({needed_secs:.1} s of speech louder than the model's voicing level, 10 ms a frame); enroll more \
         or longer recordings"
    )]
    TooLittleSpeech {
        /// Voiced frames of the recordings, in all.
        voiced: u64,
        /// [`MIN_ENROLL_VOICED_FRAMES`].
        needed: u64,
        /// The same in seconds.
        needed_secs: f64,
    },
    /// The mean embedding has no direction.
    #[error("the enrolled recordings average to the model's center: {0}")]
    Average(EmbeddingError),
    /// Not a template file.
    #[error("not a voizk template file: {0}")]
    Json(serde_json::Error),
    /// A value out of range, or a commitment that does not match.
    #[error("invalid template file: {0}")]
    Invalid(String),
}

impl Template {
    /// Enrolls the standardised embeddings `(name, z, voiced frames)` under `model` with a fresh salt from the
    /// operating system. Refuses recordings holding fewer than [`MIN_ENROLL_VOICED_FRAMES`] voiced frames in all.
    pub fn enroll(recordings: &[(String, Embedding, u64)], model: &Model) -> Result<Self, TemplateError> {
        Self::enroll_with_salt(recordings, model, F::rand_array())
    }

    /// As [`Template::enroll`] with a given salt (tests and reproducible runs).
    pub fn enroll_with_salt(
        recordings: &[(String, Embedding, u64)],
        model: &Model,
        salt: [F; 4],
    ) -> Result<Self, TemplateError> {
        if recordings.is_empty() {
            return Err(TemplateError::NoRecordings);
        }
        let voiced: u64 = recordings.iter().map(|r| r.2).sum();
        if voiced < MIN_ENROLL_VOICED_FRAMES {
            return Err(TemplateError::TooLittleSpeech {
                voiced,
                needed: MIN_ENROLL_VOICED_FRAMES,
                needed_secs: MIN_ENROLL_VOICED_FRAMES as f64 * HOP as f64 / SAMPLE_RATE as f64,
            });
        }
        let zs: Vec<Embedding> = recordings.iter().map(|r| r.1).collect();
        let t = template_unit(&zs).map_err(TemplateError::Average)?;
        Ok(Self {
            version: 1,
            h_model: model.h_model_hex(),
            unit_q15: t.to_vec(),
            salt: salt.map(|s| s.to_canonical_u64()),
            h_template: hex4(&h_template(&t, &salt)),
            enrolled: recordings.iter().map(|r| Enrolled { name: r.0.clone(), voiced_frames: r.2 }).collect(),
        })
    }

    /// Parses a template file and checks its ranges and its `h_template`.
    pub fn from_json(text: &str) -> Result<Self, TemplateError> {
        let t: Self = serde_json::from_str(text).map_err(TemplateError::Json)?;
        if t.version != 1 {
            return Err(TemplateError::Invalid(format!("format version {} (this voizk reads 1)", t.version)));
        }
        if t.unit_q15.len() != EMBED_DIM || t.unit_q15.iter().any(|v| v.abs() > 1 << UNIT_BITS) {
            return Err(TemplateError::Invalid(format!("unit_q15 needs {EMBED_DIM} values in [-2^15, 2^15]")));
        }
        if t.salt.iter().any(|&s| s >= F::ORDER) {
            return Err(TemplateError::Invalid("a salt element is not a canonical field element".into()));
        }
        if hex4(&h_template(&t.unit(), &t.salt())) != t.h_template {
            return Err(TemplateError::Invalid("h_template does not match the template and salt".into()));
        }
        Ok(t)
    }

    /// Pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a template serialises")
    }

    /// The unit template as an array (length checked by [`Template::from_json`] and the constructors).
    pub fn unit(&self) -> Embedding {
        std::array::from_fn(|d| self.unit_q15[d])
    }

    /// The salt as field elements.
    pub fn salt(&self) -> [F; 4] {
        self.salt.map(F::from_canonical_u64)
    }
}
