//! What the circuits of the crate share: [`LayerCircuit`], the interface of one layer's circuit (leaf, fold, wrap,
//! and the final circuit of `decision`), and [`HasRoot`], the root circuit of a set of circuits (a tree, a ladder,
//! either shape) and its verifier key, written once for all of them.
//!
//! This module imports only `report` of the crate, so the circuits of both shapes and the interface over them
//! (`root.rs`) implement it without importing each other.

use plonky2::hash::hash_types::HashOut;
use plonky2::plonk::circuit_data::{CircuitData, VerifierCircuitData};
use plonky2::plonk::proof::ProofWithPublicInputs;
use stark_frames::chunk::config::{C, D, F};

use crate::report::LayerReport;

/// The circuit of one proof layer: its circuit data, verifier data, gate count and report. Proving takes each
/// layer's own inputs (a chunk proof, child proofs, a root proof and a template) and stays with each type. A layer
/// circuit knows nothing of files, caches, settings or progress: those belong to the shapes and stages above it.
pub trait LayerCircuit {
    /// The circuit (prover and verifier data).
    fn circuit_data(&self) -> &CircuitData<F, C, D>;

    /// Gates before padding to a power of two.
    fn gate_count(&self) -> usize;

    /// The verifier data: what checks this layer's proofs, and all it needs.
    fn verifier_data(&self) -> VerifierCircuitData<F, C, D> {
        self.circuit_data().verifier_data()
    }

    /// The report of `proofs` proofs of this layer, named `layer`, made in `prove_secs` seconds in all after
    /// `build_secs` of building (or loading) the circuit; `sample` is one of them (for its size).
    fn report(
        &self,
        layer: &str,
        build_secs: f64,
        proofs: usize,
        prove_secs: f64,
        sample: &ProofWithPublicInputs<F, C, D>,
    ) -> LayerReport {
        LayerReport::of_circuit(layer, self.circuit_data(), self.gate_count(), build_secs, proofs, prove_secs, sample)
    }
}

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
