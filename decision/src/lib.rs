//! The decision layer of voizk (SPEC §4): the model file, the speaker embedding computed from the pooled MFCC
//! statistics a root proof states, enrollment templates and the accept/reject decision, in integer arithmetic
//! (the semantics the final circuit proves) and in `f64` (for accuracy comparisons only).
//!
//! - [`augment`]: telephone-band copies of recordings, to fit models that do not mistake the channel for the voice;
//! - [`duration`]: duration calibration, the threshold offset by how much voice a trial has;
//! - [`eval`]: the accuracy protocol of `voizk eval` (rates at the threshold, EER of both pipelines, a table per
//!   speaker);
//! - [`fit`]: fitting a model to a population of speakers, with a threshold calibrated on held-out speakers;
//! - [`rates`]: false-accept and false-reject rates, EER, thresholds for a target rate, DET curves;
//! - [`embedding`]: pooled statistics to a unit-length integer embedding (`Q15`), and the `f64` counterpart;
//! - [`model`]: the model file (JSON), the built-in default and its commitment `h_model`;
//! - [`score`]: the cosine score and the threshold decision;
//! - [`snorm`]: the cosine normalised against a cohort of speakers (S-norm), integer and `f64`;
//! - [`stages`]: one recording's proof run stage by stage over files (plan directories, one stage per process);
//! - [`security_level`]: the soundness bits of every proof layer, offline and within a nonce's lifetime;
//! - [`tamper`]: the tamper matrix, every layer's proofs altered and refused;
//! - [`template`]: enrollment templates and their commitment `h_template`.

#![warn(missing_docs)]

pub mod augment;
pub mod circuit;
pub mod duration;
pub mod embedding;
pub mod eval;
pub mod files;
pub mod final_circuit;
pub mod fit;
pub mod model;
pub mod pipeline;
pub mod rates;
pub mod score;
pub mod security_level;
pub mod snorm;
pub mod stages;
pub mod statement;
pub mod tamper;
pub mod template;
