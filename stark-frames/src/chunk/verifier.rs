//! Verifying a chunk proof: starky's verifier under [`chunk_config`], never panicking on a malformed proof.

use super::config::{chunk_config, supported_chunk_size, D, F};
use super::file::VerifyError;
use super::prover::ChunkProof;
use super::public::NUM_PUBLIC_INPUTS;
use super::stark::ChunkStark;

impl ChunkProof {
    /// Verifies the STARK proof against its public inputs.
    pub fn verify(&self) -> Result<(), VerifyError> {
        if !supported_chunk_size(self.frames_per_chunk) {
            return Err(VerifyError::ChunkSize(self.frames_per_chunk));
        }
        let stark = ChunkStark::<F, D>::new(self.frames_per_chunk);
        if self.proof.public_inputs.len() != NUM_PUBLIC_INPUTS {
            return Err(VerifyError::Invalid("wrong number of public inputs".into()));
        }
        // starky's verifier indexes into the proof; a malformed proof must not panic.
        let proof = self.proof.clone();
        let config = chunk_config();
        match std::panic::catch_unwind(move || starky::verifier::verify_stark_proof(stark, proof, &config, None)) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(VerifyError::Invalid(e.to_string())),
            Err(_) => Err(VerifyError::Invalid("malformed proof structure".into())),
        }
    }
}
