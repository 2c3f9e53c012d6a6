//! Fold circuits: a plonky2 circuit that verifies `arity` child proofs (leaf proofs, or fold proofs of the
//! level below) of consecutive chunk ranges and combines their public values.
//!
//! Every node of the tree (leaf or fold) has the public-value layout of a chunk, [`ChunkPublicInputs`].
//! A fold takes 1 to `arity` present children; the rules that tie them together and the parent's values are
//! in `combine.rs`: same recording and threshold, `first_frame`s stepping by the child's frame span, chained
//! sponge, matching boundary samples, and a partial node must end with the recording. The root (the top
//! level, [`FoldRole::Root`]) also checks that its range starts the recording and that the recording fits
//! the tree. Absent children are filled with copies of child 0, verified like any child and ignored, so one
//! circuit (and one verifier key) serves every length.
//!
//! [`FoldCircuit::prove`] first checks the same rules natively (`rules.rs`) to name a broken one;
//! [`FoldCircuit::prove_unchecked`] leaves them to the circuit alone (the soundness tests use it).

use std::borrow::{Borrow, BorrowMut};

use plonky2::hash::hash_types::HashOut;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData, CommonCircuitData, VerifierOnlyCircuitData};
use plonky2::plonk::proof::ProofWithPublicInputsTarget;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::public::{ChunkPublicInputs, NUM_PUBLIC_INPUTS};

use crate::circuit::LayerCircuit;
use crate::combine::{combine, presence_flags, root_checks};
use crate::guard::{guarded, prove_checked};
use crate::proof::{FoldChild, FoldProof};
pub use crate::rules::FoldRole;
use crate::rules::{check_children, RuleViolation};

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
    #[error("this fold takes 1 to {arity} children, got {got}")]
    ChildCount {
        /// The fold's arity.
        arity: usize,
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
    /// The children's public values break a rule of the fold (found natively, before proving).
    #[error(transparent)]
    Rule(#[from] RuleViolation),
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
    role: FoldRole,
    gates: usize,
    data: CircuitData<F, C, D>,
    children: Vec<ProofWithPublicInputsTarget<D>>,
    present: Vec<BoolTarget>,
}

impl FoldCircuit {
    /// Builds the fold of up to `arity` children, each a proof of the circuit given by `child_common` and
    /// `child_verifier` spanning `child_frames` frames.
    pub fn build(
        child_common: &CommonCircuitData<F, D>,
        child_verifier: &VerifierOnlyCircuitData<C, D>,
        child_frames: usize,
        arity: usize,
        role: FoldRole,
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
        let present = presence_flags(&mut b, arity);
        let pis: Vec<&ChunkPublicInputs<Target>> = children.iter().map(|c| c.public_inputs[..].borrow()).collect();
        let parent = combine(&mut b, &pis, &present, child_frames);
        if let FoldRole::Root { max_hops } = role {
            root_checks(&mut b, &parent, max_hops);
        }
        let mut flat = vec![parent.first_frame; NUM_PUBLIC_INPUTS];
        let view: &mut ChunkPublicInputs<Target> = flat[..].borrow_mut();
        *view = parent;
        b.register_public_inputs(&flat);
        let gates = b.num_gates();
        let data = b.build::<C>();
        Ok(Self { arity, child_frames, role, gates, data, children, present })
    }

    /// Children per fold.
    pub fn arity(&self) -> usize {
        self.arity
    }

    /// Frames spanned by one fold proof (`arity` times the child's span).
    pub fn frames(&self) -> usize {
        self.arity * self.child_frames
    }

    /// Whether this is the root and which maximum it enforces.
    pub fn role(&self) -> FoldRole {
        self.role
    }

    /// Gates of the circuit before padding to a power of two.
    pub fn gates(&self) -> usize {
        self.gates
    }

    /// The circuit (prover and verifier data), for the next level and reports.
    pub fn data(&self) -> &CircuitData<F, C, D> {
        &self.data
    }

    /// The digest of the verifier key: equal for every build with the same child circuit, arity and role.
    pub fn verifier_digest(&self) -> HashOut<F> {
        self.data.verifier_only.circuit_digest
    }

    /// Folds `children` (1 to `arity` leaf or fold proofs of consecutive ranges, in order). Checks the fold's rules on
    /// their public values first and names the first one broken; then proves. Never panics.
    pub fn prove<P: FoldChild>(&self, children: &[P]) -> Result<FoldProof, FoldError> {
        self.count(children)?;
        let pis: Vec<&ChunkPublicInputs<F>> = children
            .iter()
            .enumerate()
            .map(|(index, c)| {
                let c = c.child_proof();
                if c.public_inputs.len() == NUM_PUBLIC_INPUTS {
                    Ok(c.public_inputs[..].borrow())
                } else {
                    Err(FoldError::ChildShape { index, reason: "wrong number of public inputs".into() })
                }
            })
            .collect::<Result<_, _>>()?;
        check_children(&pis, self.arity, self.child_frames, self.role)?;
        self.prove_unchecked(children)
    }

    /// [`Self::prove`] without the native rule check: only the circuit decides. For soundness tests.
    pub fn prove_unchecked<P: FoldChild>(&self, children: &[P]) -> Result<FoldProof, FoldError> {
        self.count(children)?;
        let mut pw = PartialWitness::new();
        for (index, target) in self.children.iter().enumerate() {
            // Absent children: a copy of child 0, verified and ignored.
            let proof = children.get(index).unwrap_or(&children[0]).child_proof();
            guarded(|| pw.set_proof_with_pis_target(target, proof), "its vectors have the wrong lengths")
                .map_err(|reason| FoldError::ChildShape { index, reason })?;
        }
        for (index, flag) in self.present.iter().enumerate().skip(1) {
            pw.set_bool_target(*flag, index < children.len()).map_err(|e| FoldError::Prove(e.to_string()))?;
        }
        prove_checked(&self.data, pw, "a check of the fold circuit fails")
            .map(FoldProof::from_plonky2)
            .map_err(FoldError::Prove)
    }

    fn count<P>(&self, children: &[P]) -> Result<(), FoldError> {
        if children.is_empty() || children.len() > self.arity {
            return Err(FoldError::ChildCount { arity: self.arity, got: children.len() });
        }
        Ok(())
    }

    /// Verifies a fold proof against this circuit.
    pub fn verify(&self, proof: &FoldProof) -> Result<(), FoldError> {
        self.data.verify(proof.plonky2().clone()).map_err(|e| FoldError::Verify(e.to_string()))
    }
}

impl LayerCircuit for FoldCircuit {
    fn circuit_data(&self) -> &CircuitData<F, C, D> {
        self.data()
    }

    fn gate_count(&self) -> usize {
        self.gates()
    }
}
