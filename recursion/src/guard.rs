//! Running plonky2 steps that report bad input by panicking, as `Result`s.
//!
//! plonky2's witness setters panic when a proof has the wrong shape (vector lengths), and its prover may
//! panic when a witness contradicts the circuit. The recursion layers never let such a panic escape: they
//! turn it into an error, and check every proof they produce before handing it out.

use plonky2::iop::witness::PartialWitness;
use plonky2::plonk::circuit_data::CircuitData;
use plonky2::plonk::proof::ProofWithPublicInputs;
use stark_frames::chunk::config::{C, D, F};

/// Runs a fallible step that may also panic; a panic becomes `Err(on_panic)`.
pub fn guarded<T, E: std::fmt::Display>(step: impl FnOnce() -> Result<T, E>, on_panic: &str) -> Result<T, String> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(step)) {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(on_panic.to_string()),
    }
}

/// Proves `data` with the witness `pw` and verifies the result: a proof is returned only if it verifies.
pub fn prove_checked(
    data: &CircuitData<F, C, D>,
    pw: PartialWitness<F>,
    on_panic: &str,
) -> Result<ProofWithPublicInputs<F, C, D>, String> {
    let proof = guarded(|| data.prove(pw), on_panic)?;
    data.verify(proof.clone()).map_err(|e| e.to_string())?;
    Ok(proof)
}
