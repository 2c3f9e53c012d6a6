//! Fold circuits: a plonky2 circuit that verifies `arity` child proofs (leaf proofs, or fold proofs of the
//! level below) of consecutive chunk ranges and combines their public values.
//!
//! Every node of the tree (leaf or fold) has the public-value layout of a chunk,
//! [`ChunkPublicInputs`]: a fold over children `c_0, ..., c_{A-1}` covering `f` frames each checks that
//! - all children state the same recording (`num_samples`, `num_frames`, `num_hops`) and voicing threshold;
//! - their frame ranges are contiguous and in order: `c_{i+1}.first_frame = c_i.first_frame + f`
//!   (no gap, no overlap, no reordering);
//! - the audio sponge is chained: `c_{i+1}.sponge_in = c_i.sponge_out`;
//! - neighbouring chunks agree on the samples they share: `c_{i+1}.head = c_i.tail` (which also carries the
//!   range checks of those samples, see `docs/ARCHITECTURE.md`);
//!
//! and exposes `first_frame`, `sponge_in`, `head` of `c_0`; `sponge_out`, `tail` of `c_{A-1}`; the recording
//! values; the sum of the digests (at most one chunk of a recording absorbs the length block, so the sum is
//! that chunk's digest, `h_audio`, or zero); and the sums of the pooled statistics. A fold proof therefore
//! states what one chunk proof of `A f` frames would.

use std::borrow::{Borrow, BorrowMut};

use plonky2::hash::hash_types::HashOut;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData, CommonCircuitData, VerifierOnlyCircuitData};
use plonky2::plonk::proof::{ProofWithPublicInputs, ProofWithPublicInputsTarget};
use stark_frames::chunk::prover::{C, D, F};
use stark_frames::chunk::public::{ChunkPublicInputs, NUM_PUBLIC_INPUTS};

use crate::guard::{guarded, prove_checked};

/// A fold proof: a plonky2 proof with a chunk's public-value layout.
pub type FoldProof = ProofWithPublicInputs<F, C, D>;

/// Why a fold proof cannot be made or does not verify.
#[derive(Debug, thiserror::Error)]
pub enum FoldError {
    /// Arity below 2.
    #[error("a fold needs at least 2 children (arity {0})")]
    Arity(usize),
    /// The child circuit does not expose a chunk's public values.
    #[error("the child circuit has {0} public inputs, a chunk has {NUM_PUBLIC_INPUTS}")]
    ChildLayout(usize),
    /// Wrong number of children.
    #[error("this fold takes {want} children, got {got}")]
    ChildCount {
        /// The fold's arity.
        want: usize,
        /// Children given.
        got: usize,
    },
    /// A child proof does not have the shape of the child circuit's proofs (it is from another circuit).
    #[error("child {index} is not a proof of the child circuit: {reason}")]
    ChildShape {
        /// Position of the child.
        index: usize,
        /// What did not fit.
        reason: String,
    },
    /// No fold proof exists for these children: one does not verify, or they do not chain.
    #[error("the children do not verify or do not form a contiguous, chained range: {0}")]
    Prove(String),
    /// The fold proof does not verify against this fold circuit.
    #[error("the fold proof does not verify: {0}")]
    Verify(String),
}

/// The fold circuit of one tree level.
pub struct FoldCircuit {
    arity: usize,
    child_frames: usize,
    data: CircuitData<F, C, D>,
    children: Vec<ProofWithPublicInputsTarget<D>>,
}

impl FoldCircuit {
    /// Builds the fold of `arity` children, each a proof of the circuit given by `child_common` and
    /// `child_verifier` covering `child_frames` frames.
    pub fn build(
        child_common: &CommonCircuitData<F, D>,
        child_verifier: &VerifierOnlyCircuitData<C, D>,
        child_frames: usize,
        arity: usize,
    ) -> Result<Self, FoldError> {
        if arity < 2 {
            return Err(FoldError::Arity(arity));
        }
        if child_common.num_public_inputs != NUM_PUBLIC_INPUTS {
            return Err(FoldError::ChildLayout(child_common.num_public_inputs));
        }
        let mut b = CircuitBuilder::<F, D>::new(CircuitConfig::standard_recursion_config());
        let vk = b.constant_verifier_data(child_verifier);
        let children: Vec<ProofWithPublicInputsTarget<D>> =
            (0..arity).map(|_| b.add_virtual_proof_with_pis(child_common)).collect();
        for child in &children {
            b.verify_proof::<C>(child, &vk, child_common);
        }
        let pis: Vec<&ChunkPublicInputs<Target>> = children.iter().map(|c| c.public_inputs[..].borrow()).collect();
        let (first, last) = (pis[0], pis[arity - 1]);
        let step = b.constant(plonky2::field::types::Field::from_canonical_usize(child_frames));
        for w in pis.windows(2) {
            let (l, r) = (w[0], w[1]);
            for (x, y) in [
                (l.num_samples, r.num_samples),
                (l.num_frames, r.num_frames),
                (l.num_hops, r.num_hops),
                (l.voicing_threshold, r.voicing_threshold),
            ] {
                b.connect(x, y);
            }
            let next_first = b.add(l.first_frame, step);
            b.connect(next_first, r.first_frame);
            for (x, y) in l.sponge_out.iter().zip(&r.sponge_in) {
                b.connect(*x, *y);
            }
            for (x, y) in l.tail.iter().zip(&r.head) {
                b.connect(*x, *y);
            }
        }
        let sum = |b: &mut CircuitBuilder<F, D>, pick: &dyn Fn(&ChunkPublicInputs<Target>) -> Target| {
            let terms: Vec<Target> = pis.iter().map(|p| pick(p)).collect();
            b.add_many(terms)
        };
        let mut parent: ChunkPublicInputs<Target> = *first;
        parent.sponge_out = last.sponge_out;
        parent.tail = last.tail;
        for i in 0..4 {
            parent.digest[i] = sum(&mut b, &|p| p.digest[i]);
        }
        for n in 0..parent.stats.sum.len() {
            parent.stats.sum[n] = sum(&mut b, &|p| p.stats.sum[n]);
            parent.stats.sum_sq[n] = sum(&mut b, &|p| p.stats.sum_sq[n]);
        }
        parent.stats.count = sum(&mut b, &|p| p.stats.count);
        let mut flat = vec![first.first_frame; NUM_PUBLIC_INPUTS];
        let view: &mut ChunkPublicInputs<Target> = flat[..].borrow_mut();
        *view = parent;
        b.register_public_inputs(&flat);
        let data = b.build::<C>();
        Ok(Self { arity, child_frames, data, children })
    }

    /// Children per fold.
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// Frames covered by one fold proof.
    pub fn frames(&self) -> usize {
        self.arity * self.child_frames
    }

    /// The circuit (prover and verifier data), for the next level and reports.
    pub fn data(&self) -> &CircuitData<F, C, D> {
        &self.data
    }

    /// The digest of the verifier key: equal for every build with the same child circuit and arity.
    pub fn verifier_digest(&self) -> HashOut<F> {
        self.data.verifier_only.circuit_digest
    }

    /// Folds `children` (in order). Fails, without panicking, when a child is not a proof of the child
    /// circuit, does not verify, or the children do not form a contiguous, chained range.
    pub fn prove(&self, children: &[ProofWithPublicInputs<F, C, D>]) -> Result<FoldProof, FoldError> {
        if children.len() != self.arity {
            return Err(FoldError::ChildCount { want: self.arity, got: children.len() });
        }
        let mut pw = PartialWitness::new();
        for (index, (target, proof)) in self.children.iter().zip(children).enumerate() {
            guarded(|| pw.set_proof_with_pis_target(target, proof), "its vectors have the wrong lengths")
                .map_err(|reason| FoldError::ChildShape { index, reason })?;
        }
        prove_checked(&self.data, pw, "a check of the fold circuit fails").map_err(FoldError::Prove)
    }

    /// Verifies a fold proof against this circuit.
    pub fn verify(&self, proof: &FoldProof) -> Result<(), FoldError> {
        self.data.verify(proof.clone()).map_err(|e| FoldError::Verify(e.to_string()))
    }
}
