//! The wrap circuit: verifies one proof of a fixed child circuit and exposes its public inputs unchanged.
//!
//! The tree's root is the wrap of its top fold, so the root proof has the same small shape (2^13 rows,
//! about 133 KB) whatever the arity: a fold of 4 or 8 children is a 2^15 or 2^16 circuit with a larger
//! proof, and the final circuit (`decision::final_circuit`) then verifies one fixed, small circuit.

use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use plonky2::plonk::proof::ProofWithPublicInputsTarget;
use stark_frames::chunk::config::{C, D, F};

use crate::circuit::LayerCircuit;
use crate::guard::{guarded, prove_checked};
use crate::proof::{FoldProof, RootProof};

/// Why a wrap proof cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum WrapError {
    /// The proof does not have the child circuit's shape.
    #[error("not a proof of the wrapped circuit: {0}")]
    Shape(String),
    /// The proof does not verify.
    #[error("the wrapped proof does not verify: {0}")]
    Prove(String),
}

/// A circuit verifying one proof of a fixed child circuit.
pub struct WrapCircuit {
    gates: usize,
    data: CircuitData<F, C, D>,
    child: ProofWithPublicInputsTarget<D>,
}

impl WrapCircuit {
    /// Builds the wrap of proofs of `child`.
    pub fn build(child: &CircuitData<F, C, D>) -> Self {
        let mut b = CircuitBuilder::<F, D>::new(CircuitConfig::standard_recursion_config());
        let target = b.add_virtual_proof_with_pis(&child.common);
        let vk = b.constant_verifier_data(&child.verifier_only);
        b.verify_proof::<C>(&target, &vk, &child.common);
        b.register_public_inputs(&target.public_inputs);
        let gates = b.num_gates();
        Self { gates, data: b.build::<C>(), child: target }
    }

    /// Gates before padding.
    pub fn gates(&self) -> usize {
        self.gates
    }

    /// The circuit.
    pub fn data(&self) -> &CircuitData<F, C, D> {
        &self.data
    }

    /// Wraps `proof`, the tree's top fold, into the root proof (checked: a returned proof verifies).
    pub fn prove(&self, proof: &FoldProof) -> Result<RootProof, WrapError> {
        let mut pw = PartialWitness::new();
        guarded(|| pw.set_proof_with_pis_target(&self.child, proof.plonky2()), "its vectors have the wrong lengths")
            .map_err(WrapError::Shape)?;
        prove_checked(&self.data, pw, "the wrapped proof does not verify")
            .map(RootProof::from_plonky2)
            .map_err(WrapError::Prove)
    }
}

impl LayerCircuit for WrapCircuit {
    fn circuit_data(&self) -> &CircuitData<F, C, D> {
        self.data()
    }

    fn gate_count(&self) -> usize {
        self.gates()
    }
}
