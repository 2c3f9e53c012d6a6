//! The file of a leaf or fold proof made by one stage of a proof run apart ([`crate::plan`]): what the next
//! stage reads.
//!
//! The framing is the root files' ([`crate::files::frame`]): magic `VOIZKSTG`, version, a JSON header, then
//! plonky2's encoding of the proof. The header names the stage that made it, the settings, the recording
//! (`num_samples`, `h_audio`), the session nonce and the digest of the circuit that proved it, so that a file
//! of another stage, another recording or other settings is refused with an error that says which. The header
//! is a label, not evidence: the reading stage decodes the proof against the circuit it expects, verifies it,
//! and checks its public values (first frame, recording length, nonce) against the plan; a fold or wrap then
//! verifies it again inside its circuit. Reading is strict: one encoding per file ([`ensure_canonical`]).

use std::panic::AssertUnwindSafe;

use plonky2::plonk::circuit_data::CommonCircuitData;
use plonky2::plonk::proof::ProofWithPublicInputs;
use stark_frames::chunk::config::{C, D, F};

use crate::files::{ensure_canonical, frame, unframe_header, FileError};
use crate::settings::RootSettings;

/// Magic of a stage proof file.
pub const STAGE_MAGIC: [u8; 8] = *b"VOIZKSTG";
/// Version of the stage proof format.
pub const STAGE_VERSION: u32 = 1;

/// Header of a stage proof file: which proof it is, of what.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StageHeader {
    /// The stage that made it (its plan id, `leaf-00003` or `fold-1-00000`).
    pub stage: String,
    /// The settings of the circuits.
    pub settings: RootSettings,
    /// Samples of the recording.
    pub num_samples: usize,
    /// The recording's `h_audio` (hex), as the plan states it.
    pub h_audio: String,
    /// The session nonce (hex).
    pub nonce: String,
    /// Digest of the verifier key of the circuit that made the proof (hex).
    pub circuit_digest: String,
}

/// A stage proof file, read but not yet decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StageFile {
    /// The header.
    pub header: StageHeader,
    /// plonky2's encoding of the proof with its public inputs.
    pub proof_bytes: Vec<u8>,
}

impl StageFile {
    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).expect("a header serialises");
        frame(STAGE_MAGIC, STAGE_VERSION, &header, &self.proof_bytes)
    }

    /// Reads a stage proof file: magic, version, a header in its one spelling (the proof is decoded by
    /// [`StageFile::decode`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FileError> {
        let (header, body) = unframe_header(bytes, STAGE_MAGIC, STAGE_VERSION, "stage proof")?;
        Ok(Self { header, proof_bytes: body.to_vec() })
    }

    /// Decodes the proof as one of the circuit with `common` data, strictly (no trailing bytes, canonical
    /// field elements). Does not verify it.
    pub fn decode(&self, common: &CommonCircuitData<F, D>) -> Result<ProofWithPublicInputs<F, C, D>, FileError> {
        let proof = std::panic::catch_unwind(AssertUnwindSafe(|| {
            ProofWithPublicInputs::<F, C, D>::from_bytes(self.proof_bytes.clone(), common)
        }))
        .map_err(|_| FileError::Encoding("stage proof"))?
        .map_err(|_| FileError::Encoding("stage proof"))?;
        ensure_canonical("stage proof", "proof", &self.proof_bytes, &proof.to_bytes())?;
        Ok(proof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::deviants;
    use crate::settings::TreeSettings;

    fn sample() -> StageFile {
        StageFile {
            header: StageHeader {
                stage: "leaf-00001".into(),
                settings: RootSettings::Tree(TreeSettings::default()),
                num_samples: 48_000,
                h_audio: "ab".repeat(32),
                nonce: "00".repeat(32),
                circuit_digest: "cd".repeat(32),
            },
            proof_bytes: vec![1, 2, 3],
        }
    }

    /// A file reads back as written; each second spelling of it (a byte appended, the header respelled, the
    /// next version) and a file of another kind are refused.
    #[test]
    fn a_stage_file_has_one_encoding() {
        let file = sample();
        let bytes = file.to_bytes();
        assert_eq!(StageFile::from_bytes(&bytes).unwrap(), file);
        for (what, deviant) in deviants(&bytes, STAGE_MAGIC, STAGE_VERSION) {
            let read = StageFile::from_bytes(&deviant);
            // A trailing byte lands in the proof's encoding, which `decode` refuses; the others fail here.
            if what == "with a trailing byte" {
                assert_eq!(read.unwrap().proof_bytes, [1, 2, 3, 0]);
            } else {
                assert!(read.is_err(), "{what}");
            }
        }
        let mut other = bytes.clone();
        other[..8].copy_from_slice(b"VOIZKRTP");
        assert!(matches!(StageFile::from_bytes(&other), Err(FileError::Magic("stage proof"))));
        assert!(matches!(StageFile::from_bytes(&bytes[..20]), Err(FileError::Truncated(_))));
    }
}
