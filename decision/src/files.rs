//! On-disk forms of the decision key (what a verifier needs) and of a final proof, in the framing of
//! `recursion::files` (magic, version, JSON header, plonky2 encoding).
//!
//! - The key's header holds the recursion settings, the whole model, `h_model`, and the digests of the root
//!   key and of the decision key; its body is plonky2's `VerifierCircuitData` of the final circuit. Only the
//!   body is used to verify; reading the file checks that the header's model and digests agree with it.
//! - A proof's header holds the settings, the digest of the key it was made for, whether the body is
//!   compressed, the statement, and how it was made (per-layer report). Its body is the plonky2 proof. The
//!   header is informative (`voizk inspect` prints it without a key); [`FinalProofFile::verify`] decodes the
//!   statement from the verified proof and refuses a header that says otherwise: another statement, other
//!   settings than the key's, another length than the statement's. Only the per-layer report is not
//!   authenticated (it is how the proof was made, not what it states).

use std::panic::AssertUnwindSafe;

use plonky2::plonk::circuit_data::VerifierCircuitData;
use plonky2::util::serialization::DefaultGateSerializer;
use recursion::files::{digest_hex, ensure_canonical, frame, unframe_header, FileError};
use recursion::report::LayerReport;
use recursion::settings::RootSettings;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::params::SAMPLE_RATE;

use crate::final_circuit::{CompressedDecisionProof, DecisionProof};
use crate::model::{Model, ModelError};
use crate::statement::{Statement, NUM_DECISION_PUBLIC_INPUTS};

/// Magic of a decision key file.
pub const DECISION_KEY_MAGIC: [u8; 8] = *b"VOIZKDKY";
/// Magic of a final proof file.
pub const FINAL_PROOF_MAGIC: [u8; 8] = *b"VOIZKFPF";
/// Version of both formats. 2: zero-knowledge final proofs of the patched plonky2 (randomised quotient chunks
/// and a FRI batch mask, `vendor/plonky2/VOIZK_PATCHES.md`), which version-1 keys and proofs do not match.
/// 3: over a ladder, the final circuit verifies the leaf proof itself (no root proof), and the key header
/// names the digest of what it verifies `inner_key_digest`.
pub const DECISION_FILE_VERSION: u32 = 3;

/// A file that is not a usable decision key or final proof, or a proof that does not verify against a key.
#[derive(Debug, thiserror::Error)]
pub enum DecisionFileError {
    /// The framing (magic, version, lengths) or header is wrong.
    #[error(transparent)]
    File(#[from] FileError),
    /// The JSON header is malformed.
    #[error("malformed header: {0}")]
    Header(#[from] serde_json::Error),
    /// The plonky2 encoding is malformed.
    #[error("malformed {0} encoding")]
    Encoding(&'static str),
    /// The key's header model is not a valid model.
    #[error("the key's model: {0}")]
    Model(#[from] ModelError),
    /// The key's header does not describe its body.
    #[error("the key file is inconsistent: {0}")]
    Inconsistent(String),
    /// The proof was made for another key.
    #[error("the proof was made for decision key {proof}, the key given is {key}")]
    KeyMismatch {
        /// The given key's digest.
        key: String,
        /// The digest the proof's header names.
        proof: String,
    },
    /// The proof does not verify against the key.
    #[error("the proof does not verify against the key: {0}")]
    Invalid(String),
}

/// Header of a decision key file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct DecisionKeyHeader {
    /// Recursion settings of the root the final circuit verifies.
    pub settings: RootSettings,
    /// The model.
    pub model: Model,
    /// `h_model` (hex).
    pub h_model: String,
    /// Digest (hex) of the key of the proofs the final circuit verifies, constants of the circuit: the root
    /// verifier key of a tree; for a ladder, whose final circuit verifies the leaf proof itself, the digest of
    /// the ladder's leaf keys (`recursion::ladder_verify::LadderLeafKeys::digest`).
    pub inner_key_digest: String,
    /// Digest of the decision key (hex).
    pub key_digest: String,
}

/// The verifier key of the whole pipeline: the final circuit's verifier data with its model and settings.
pub struct DecisionKey {
    /// The header.
    pub header: DecisionKeyHeader,
    /// The final circuit's verifier data.
    pub data: VerifierCircuitData<F, C, D>,
}

/// The digest of a decision key: Poseidon over the whole serialised verifier data — the constants-and-sigmas
/// commitment, plonky2's circuit digest and the common data (gates, selectors, FRI parameters, public
/// inputs, zero knowledge) — then over the header's compact JSON with `key_digest` left empty (settings, model,
/// `h_model`, inner key digest), seven bytes per element after each byte count. plonky2's circuit digest alone is
/// read from the file, not recomputed, and covers neither the common data nor (once stored) the commitment
/// the verifier uses, so two keys could share it and verify differently (other wiring, fewer FRI queries);
/// this digest names one verifier and everything its file says about it, so a verifier that pins the digest can
/// show the header's settings and model as facts.
pub fn decision_key_digest(header: &DecisionKeyHeader, data: &VerifierCircuitData<F, C, D>) -> String {
    use plonky2::field::types::Field;
    use plonky2::hash::poseidon::PoseidonHash;
    use plonky2::plonk::config::Hasher;
    let body = data.to_bytes(&DefaultGateSerializer).expect("standard gates serialise");
    let unsigned = DecisionKeyHeader { key_digest: String::new(), ..header.clone() };
    let header = serde_json::to_vec(&unsigned).expect("a header serialises");
    let mut input = Vec::new();
    for bytes in [&body, &header] {
        input.push(F::from_canonical_usize(bytes.len()));
        input.extend(
            bytes
                .chunks(7)
                .map(|c| F::from_canonical_u64(c.iter().rev().fold(0u64, |acc, &byte| (acc << 8) | u64::from(byte)))),
        );
    }
    digest_hex(PoseidonHash::hash_no_pad(&input))
}

impl DecisionKey {
    /// The key's digest as hex ([`decision_key_digest`]).
    pub fn digest_hex(&self) -> String {
        decision_key_digest(&self.header, &self.data)
    }

    /// The key of `data` with `header`'s settings, model and root key digest, its `key_digest` computed.
    pub fn signed(header: DecisionKeyHeader, data: VerifierCircuitData<F, C, D>) -> Self {
        let key_digest = decision_key_digest(&header, &data);
        Self { header: DecisionKeyHeader { key_digest, ..header }, data }
    }

    /// The key file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).expect("a header serialises");
        let body = self.data.to_bytes(&DefaultGateSerializer).expect("standard gates serialise");
        frame(DECISION_KEY_MAGIC, DECISION_FILE_VERSION, &header, &body)
    }

    /// Reads a key file and checks that its header agrees with its body and that its circuit is zero-knowledge.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecisionFileError> {
        let (header, body): (DecisionKeyHeader, _) =
            unframe_header(bytes, DECISION_KEY_MAGIC, DECISION_FILE_VERSION, "decision key")?;
        let data = std::panic::catch_unwind(|| VerifierCircuitData::from_bytes(body.to_vec(), &DefaultGateSerializer))
            .map_err(|_| DecisionFileError::Encoding("decision key"))?
            .map_err(|_| DecisionFileError::Encoding("decision key"))?;
        if data.common.num_public_inputs != NUM_DECISION_PUBLIC_INPUTS {
            return Err(DecisionFileError::Inconsistent(format!(
                "its circuit has {} public inputs, a final proof {NUM_DECISION_PUBLIC_INPUTS}",
                data.common.num_public_inputs
            )));
        }
        if !data.common.config.zero_knowledge {
            return Err(DecisionFileError::Inconsistent("its circuit is not zero-knowledge".into()));
        }
        header.model.validate()?;
        if header.model.h_model_hex() != header.h_model {
            return Err(DecisionFileError::Inconsistent("h_model is not the model's".into()));
        }
        let key = Self { header, data };
        if key.digest_hex() != key.header.key_digest {
            return Err(DecisionFileError::Inconsistent(
                "key_digest is not the digest of the circuit and header".into(),
            ));
        }
        ensure_canonical("decision key", "file", bytes, &key.to_bytes())?;
        Ok(key)
    }
}

/// Header of a final proof file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct FinalProofHeader {
    /// Recursion settings of the pipeline that made it.
    pub settings: RootSettings,
    /// Digest of the decision key it was made for (hex).
    pub key_digest: String,
    /// `true` when the body is plonky2's compressed form.
    pub compressed: bool,
    /// What the proof states (checked against the proof by [`FinalProofFile::verify`]).
    pub statement: Statement,
    /// Length of the recording in seconds.
    pub audio_secs: f64,
    /// How each layer was made, from the chunk STARK to the final proof.
    pub layers: Vec<LayerReport>,
}

/// A final proof file, read but not yet verified.
#[derive(Clone, Debug)]
pub struct FinalProofFile {
    /// The header.
    pub header: FinalProofHeader,
    /// The proof's plonky2 encoding.
    pub proof_bytes: Vec<u8>,
}

impl FinalProofFile {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).expect("a header serialises");
        frame(FINAL_PROOF_MAGIC, DECISION_FILE_VERSION, &header, &self.proof_bytes)
    }

    /// Reads a final proof file (the proof itself is decoded by [`FinalProofFile::verify`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, DecisionFileError> {
        let (header, body) = unframe_header(bytes, FINAL_PROOF_MAGIC, DECISION_FILE_VERSION, "final proof")?;
        Ok(Self { header, proof_bytes: body.to_vec() })
    }

    /// Decodes the proof against `key`, verifies it, and returns the statement it proves; refuses a proof
    /// whose header or whose key's header (`h_model`) says something else than the proof.
    pub fn verify(&self, key: &DecisionKey) -> Result<Statement, DecisionFileError> {
        // Only a friendlier error: the header is not authenticated, the verification below is what counts.
        if key.digest_hex() != self.header.key_digest {
            return Err(DecisionFileError::KeyMismatch {
                key: key.digest_hex(),
                proof: self.header.key_digest.clone(),
            });
        }
        let common = &key.data.common;
        let bytes = self.proof_bytes.clone();
        let verified = std::panic::catch_unwind(AssertUnwindSafe(|| -> Result<Vec<F>, DecisionFileError> {
            if self.header.compressed {
                let proof = CompressedDecisionProof::from_bytes(bytes, common)
                    .map_err(|_| DecisionFileError::Encoding("final proof"))?;
                ensure_canonical("final proof", "proof", &self.proof_bytes, &proof.to_bytes())?;
                let pis = proof.public_inputs.clone();
                key.data.verify_compressed(proof).map_err(|e| DecisionFileError::Invalid(e.to_string()))?;
                Ok(pis)
            } else {
                let proof =
                    DecisionProof::from_bytes(bytes, common).map_err(|_| DecisionFileError::Encoding("final proof"))?;
                ensure_canonical("final proof", "proof", &self.proof_bytes, &proof.to_bytes())?;
                let pis = proof.public_inputs.clone();
                key.data.verify(proof).map_err(|e| DecisionFileError::Invalid(e.to_string()))?;
                Ok(pis)
            }
        }))
        .map_err(|_| DecisionFileError::Invalid("malformed proof structure".into()))?;
        let statement = Statement::decode(&verified?).map_err(|e| DecisionFileError::Invalid(e.to_string()))?;
        if statement != self.header.statement {
            return Err(DecisionFileError::Invalid("the header states something else than the proof".into()));
        }
        // The rest of the header is checked against what the key and the verified statement determine: only the
        // per-layer report (timings, sizes) is unauthenticated.
        if self.header.settings != key.header.settings {
            return Err(DecisionFileError::Invalid(format!(
                "the proof's header names settings {}, the key was built with {}",
                self.header.settings, key.header.settings
            )));
        }
        let secs = statement.num_samples as f64 / f64::from(SAMPLE_RATE);
        if (self.header.audio_secs - secs).abs() > 0.5 / f64::from(SAMPLE_RATE) {
            return Err(DecisionFileError::Invalid(format!(
                "the proof's header names {} s of audio, the proof states {} samples ({secs} s)",
                self.header.audio_secs, statement.num_samples
            )));
        }
        if statement.h_model.to_string() != key.header.h_model {
            return Err(DecisionFileError::Invalid(format!(
                "the proof states h_model {}, the key's header names model {}",
                statement.h_model, key.header.h_model
            )));
        }
        Ok(statement)
    }
}
