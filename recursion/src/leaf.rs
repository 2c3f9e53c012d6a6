//! The leaf circuit: a plonky2 circuit that verifies one chunk STARK proof.
//!
//! The circuit is built once per chunk size `K` (the chunk STARK's trace height, and so the shape of its
//! proof, depends only on `K`) with [`leaf_config`]. Its public inputs are exactly the
//! chunk's [`ChunkPublicInputs`](stark_frames::chunk::public::ChunkPublicInputs), in order, so a fold circuit
//! can read and check them. A leaf proof therefore states: "a chunk STARK proof for these public values
//! verifies". Building is deterministic: the same `K` gives the same verifier key digest.

use plonky2::field::types::Field;
use plonky2::hash::hash_types::HashOut;
use plonky2::iop::target::Target;
use plonky2::iop::witness::PartialWitness;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use stark_frames::chunk::config::{chunk_config, supported_chunk_size, C, D, F};
use stark_frames::chunk::prover::ChunkProof;
use stark_frames::chunk::public::NUM_PUBLIC_INPUTS;
use stark_frames::chunk::stark::ChunkStark;

use crate::circuit::LayerCircuit;
use crate::guard::{guarded, prove_checked};
use crate::proof::LeafProof;
use starky::proof::StarkProofWithPublicInputsTarget;
use starky::recursive_verifier::{
    add_virtual_stark_proof_with_pis, set_stark_proof_with_pis_target, verify_stark_proof_circuit,
};

/// Constant columns of the leaf circuit (plonky2's standard recursion config has 2).
///
/// The recursive verifier evaluates the DFT's 514 spectrum sums with about 26 000 distinct kernel
/// magnitudes. As gate constants each takes a gate of its own (ten operation slots sharing one constant); as
/// constant wires (`ConstantGate`, this many constants per row) they cost `1 / LEAF_NUM_CONSTANTS` of a gate
/// each and the products share multiplication gates. Measured at K = 512 (`leaf_cost`): 107 385 rows with 2
/// constants, 97 790 with 8, 96 254 with 16; 8 keeps the preprocessed data small.
pub const LEAF_NUM_CONSTANTS: usize = 8;

/// The leaf circuit's configuration: plonky2's `standard_recursion_config` (so a leaf proof verifies in the
/// same kind of circuit as any plonky2 recursion) with [`LEAF_NUM_CONSTANTS`] constant columns.
pub fn leaf_config() -> CircuitConfig {
    CircuitConfig { num_constants: LEAF_NUM_CONSTANTS, ..CircuitConfig::standard_recursion_config() }
}

/// Why a leaf proof cannot be made or does not verify.
#[derive(Debug, thiserror::Error)]
pub enum LeafError {
    /// The chunk size is not supported by the chunk STARK.
    #[error("unsupported chunk size {0}")]
    ChunkSize(usize),
    /// The chunk proof was made for chunks of another size than this leaf circuit's.
    #[error("the chunk proof has {got} frames per chunk, this leaf circuit verifies chunks of {want}")]
    WrongChunkSize {
        /// The leaf circuit's chunk size.
        want: usize,
        /// The chunk proof's.
        got: usize,
    },
    /// The chunk proof does not fit the circuit's proof shape (a malformed or foreign proof).
    #[error("the chunk proof does not have the shape of a chunk proof of this size: {0}")]
    Shape(String),
    /// plonky2 could not produce the leaf proof: the chunk proof does not verify.
    #[error("the chunk proof does not verify, so no leaf proof exists: {0}")]
    Prove(String),
    /// The leaf proof does not verify against this leaf circuit.
    #[error("the leaf proof does not verify: {0}")]
    Verify(String),
}

/// What the leaf circuit's builder yields besides the circuit: its shape and witness targets. When the circuit
/// data comes from the cache, the targets come from [`leaf_targets_only`] (the proof's targets are the builder's
/// first allocations, so they are allocated again alone) and the stored index of its zero constant.
#[derive(Debug)]
pub(crate) struct LeafTargets {
    frames: usize,
    degree_bits: usize,
    pub(crate) gates: usize,
    proof_target: StarkProofWithPublicInputsTarget<D>,
    zero: Target,
}

impl LeafTargets {
    /// The index of the virtual target the builder holds the constant zero in (what
    /// `set_stark_proof_with_pis_target` fills absent openings with), for the cache; `None` if it is a wire.
    pub(crate) fn zero_index(&self) -> Option<usize> {
        match self.zero {
            Target::VirtualTarget { index } => Some(index),
            Target::Wire(_) => None,
        }
    }

    /// Whether these targets belong to `data`: its public inputs are the chunk proof's public-input targets
    /// (registered by the builder, the last of the proof's allocations), and the zero constant is one of its
    /// virtual targets. A cache entry whose targets fail this is not used.
    pub(crate) fn fit(&self, data: &CircuitData<F, C, D>) -> bool {
        let wires = data.common.config.num_wires * data.common.degree();
        let in_range = self.zero_index().is_some_and(|z| wires + z < data.prover_only.representative_map.len());
        in_range && data.prover_only.public_inputs == self.proof_target.public_inputs
    }
}

/// The witness targets of the leaf for `frames` frames, as [`leaf_builder`] makes them, without building the
/// verifier's constraints (milliseconds instead of about 2 s): the proof's targets are the builder's first
/// allocations, so allocating them alone in a fresh builder gives the same indices; the zero constant's index
/// (`zero_index`) and the gate count come from the cache entry written with the circuit
/// (`tests::targets_alone_equal_the_builders`).
pub(crate) fn leaf_targets_only(frames: usize, gates: usize, zero_index: usize) -> Result<LeafTargets, LeafError> {
    if !supported_chunk_size(frames) {
        return Err(LeafError::ChunkSize(frames));
    }
    let stark = ChunkStark::<F, D>::new(frames);
    let degree_bits = stark.height().trailing_zeros() as usize;
    let mut builder = CircuitBuilder::<F, D>::new(leaf_config());
    let proof_target = add_virtual_stark_proof_with_pis(&mut builder, &stark, &chunk_config(), degree_bits, 0, 0);
    Ok(LeafTargets { frames, degree_bits, gates, proof_target, zero: Target::VirtualTarget { index: zero_index } })
}

/// The leaf circuit's builder, before `build`, with its targets.
pub(crate) fn leaf_builder(frames: usize) -> Result<(CircuitBuilder<F, D>, LeafTargets), LeafError> {
    if !supported_chunk_size(frames) {
        return Err(LeafError::ChunkSize(frames));
    }
    let stark = ChunkStark::<F, D>::new(frames);
    let inner = chunk_config();
    let degree_bits = stark.height().trailing_zeros() as usize;
    let mut builder = CircuitBuilder::<F, D>::new(leaf_config());
    let proof_target = add_virtual_stark_proof_with_pis(&mut builder, &stark, &inner, degree_bits, 0, 0);
    builder.register_public_inputs(&proof_target.public_inputs);
    // starky's recursive verifier reads the trace's degree from a witness target: pin it to this size's, so
    // that the vanishing polynomial and the row selectors are those of the `K`-frame trace.
    let height_bits = builder.constant(F::from_canonical_usize(degree_bits));
    builder.connect(proof_target.proof.degree_bits, height_bits);
    verify_stark_proof_circuit::<F, C, _, D>(&mut builder, stark, proof_target.clone(), &inner, None);
    let zero = builder.zero();
    let gates = builder.num_gates();
    Ok((builder, LeafTargets { frames, degree_bits, gates, proof_target, zero }))
}

/// The leaf circuit for chunks of a fixed size.
pub struct LeafCircuit {
    targets: LeafTargets,
    data: CircuitData<F, C, D>,
}

impl LeafCircuit {
    /// Builds the leaf circuit for chunk proofs of `frames` frames per chunk (about 10 s at 2^16; see
    /// `docs/PERFORMANCE.md`).
    pub fn build(frames: usize) -> Result<Self, LeafError> {
        let (builder, targets) = leaf_builder(frames)?;
        let data = builder.build::<C>();
        debug_assert_eq!(data.common.num_public_inputs, NUM_PUBLIC_INPUTS);
        Ok(Self { targets, data })
    }

    /// The leaf of `targets` (from [`leaf_builder`]) with circuit data built by the same builder, or read from
    /// the cache with the same gate count (`leaf_cache.rs`).
    pub(crate) fn from_parts(targets: LeafTargets, data: CircuitData<F, C, D>) -> Self {
        Self { targets, data }
    }

    /// Frames per chunk of the chunk proofs this circuit verifies.
    pub fn frames(&self) -> usize {
        self.targets.frames
    }

    /// Gates of the circuit before padding to a power of two.
    pub fn gates(&self) -> usize {
        self.targets.gates
    }

    /// The circuit (prover and verifier data), for fold circuits and reports.
    pub fn data(&self) -> &CircuitData<F, C, D> {
        &self.data
    }

    /// The digest of the verifier key: equal for every build with the same chunk size.
    pub fn verifier_digest(&self) -> HashOut<F> {
        self.data.verifier_only.circuit_digest
    }

    /// Proves that `chunk` verifies. Fails (without panicking) for a chunk proof of another size, of another
    /// shape, or one that does not verify.
    pub fn prove(&self, chunk: &ChunkProof) -> Result<LeafProof, LeafError> {
        let pw = self.witness_stating_degree(chunk, self.targets.degree_bits)?;
        prove_checked(&self.data, pw, "a constraint of the recursive verifier fails")
            .map(LeafProof::from_plonky2)
            .map_err(LeafError::Prove)
    }

    /// The leaf's witness for `chunk`, stating the chunk trace's degree as `2^degree_bits` rows (the honest
    /// witness states this size's, `log2(height)`). For soundness tests: the circuit fixes the degree, so a
    /// witness stating another contradicts it and no proof exists.
    pub fn witness_stating_degree(
        &self,
        chunk: &ChunkProof,
        degree_bits: usize,
    ) -> Result<PartialWitness<F>, LeafError> {
        if chunk.frames_per_chunk != self.targets.frames {
            return Err(LeafError::WrongChunkSize { want: self.targets.frames, got: chunk.frames_per_chunk });
        }
        let mut pw = PartialWitness::new();
        guarded(
            || {
                set_stark_proof_with_pis_target::<F, C, _, D>(
                    &mut pw,
                    &self.targets.proof_target,
                    &chunk.proof,
                    degree_bits,
                    self.targets.zero,
                )
            },
            "its vectors have the wrong lengths",
        )
        .map_err(LeafError::Shape)?;
        Ok(pw)
    }

    /// Verifies a leaf proof against this circuit.
    pub fn verify(&self, proof: &LeafProof) -> Result<(), LeafError> {
        self.data.verify(proof.plonky2().clone()).map_err(|e| LeafError::Verify(e.to_string()))
    }
}

impl LayerCircuit for LeafCircuit {
    fn circuit_data(&self) -> &CircuitData<F, C, D> {
        self.data()
    }

    fn gate_count(&self) -> usize {
        self.gates()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The targets a cached leaf is proven with are exactly the builder's.
    #[test]
    fn targets_alone_equal_the_builders() {
        for frames in [256, 512] {
            let (_, built) = leaf_builder(frames).unwrap();
            let alone = leaf_targets_only(frames, built.gates, built.zero_index().expect("a virtual target")).unwrap();
            assert_eq!(format!("{alone:?}"), format!("{built:?}"), "K = {frames}");
        }
        // Another zero index is another witness: the comparison above can fail.
        let (_, built) = leaf_builder(256).unwrap();
        let other = leaf_targets_only(256, built.gates, built.zero_index().unwrap() + 1).unwrap();
        assert_ne!(format!("{other:?}"), format!("{built:?}"));
    }
}
