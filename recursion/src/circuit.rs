//! What the circuits of the crate share: [`HasRoot`], the root circuit of a set of circuits (a tree, a ladder,
//! either shape) and its verifier key, written once for all of them.
//!
//! This module imports nothing of the crate, so the circuits of both shapes and the interface over them
//! (`root.rs`) implement it without importing each other.

use plonky2::hash::hash_types::HashOut;
use plonky2::plonk::circuit_data::{CircuitData, VerifierCircuitData};
use stark_frames::chunk::config::{C, D, F};

/// Circuits that end in one root circuit, whose proofs are root proofs with the chunk layout of public inputs
/// over the whole recording. Only [`HasRoot::root`] differs between implementations; the verifier key and its
/// digest are derived from it here, so every shape states them alike.
pub trait HasRoot {
    /// The root circuit (prover and verifier data).
    fn root(&self) -> &CircuitData<F, C, D>;

    /// The root verifier key: what a verifier needs, and all it needs, to check root proofs.
    fn root_verifier(&self) -> VerifierCircuitData<F, C, D> {
        self.root().verifier_data()
    }

    /// The digest of the root verifier key: equal for every build with the same settings.
    fn root_digest(&self) -> HashOut<F> {
        self.root().verifier_only.circuit_digest
    }
}
