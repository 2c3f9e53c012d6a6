//! Verifying a ladder's leaf proof inside a circuit: the ladder root's checks as a gadget, so that the ladder's
//! root circuit and a circuit above it that skips the root (`decision`'s final circuit for a ladder, issue 19)
//! state exactly the same thing about the recording.
//!
//! [`LadderLeafKeys::add_verifier`] adds to a circuit: a leaf proof verifies against the key of size `K[i]`,
//! picked from the ladder's constant list of leaf keys by a private index `i` (plonky2's
//! `random_access_verifier_data`), with `K = random_access(i, sizes)`; its range starts the recording and the
//! recording's length fixes its frame and hop counts (`combine::root_checks`); and the chunk holds every hop
//! (`H <= K`), so the leaf's digest is `h_audio` and its statistics cover every frame. [`LadderLeafKeys::check`]
//! is the same, natively, naming the broken rule.

use std::borrow::Borrow;

use plonky2::field::types::{Field, PrimeField64};
use plonky2::hash::hash_types::HashOut;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CommonCircuitData, VerifierCircuitData, VerifierOnlyCircuitData};
use plonky2::plonk::config::Hasher;
use plonky2::plonk::proof::ProofWithPublicInputsTarget;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::public::ChunkPublicInputs;

use crate::combine::root_checks;
use crate::guard::guarded;
use crate::proof::LeafProof;
use crate::rules::{check_root, RuleViolation};
use crate::settings::LadderSettings;

/// Bits of the range check of `K - H`: chunk sizes and hop counts are below `2^32` (the root checks bound `H`).
const ROOM_BITS: usize = 32;

/// Why a leaf proof cannot be the one a ladder's root (or a circuit verifying a ladder's leaf directly) accepts.
#[derive(Debug, thiserror::Error)]
pub enum LeafCheckError {
    /// Its public values break a root rule.
    #[error("the leaf proof cannot be the root's: {0}")]
    Rule(#[from] RuleViolation),
    /// Its chunk does not hold every hop of the recording.
    #[error("the chunk of {frames} frames does not hold the recording's {hops} hops")]
    ChunkTooShort {
        /// The chunk size.
        frames: usize,
        /// Hops of the recording.
        hops: u64,
    },
    /// The chunk size is not one of the ladder's.
    #[error("{frames} frames is not a size of the ladder ({sizes:?})")]
    NotASize {
        /// The size asked for.
        frames: usize,
        /// The ladder's sizes.
        sizes: Vec<usize>,
    },
    /// The proof does not have the leaf's shape (its vectors have other lengths).
    #[error("not a leaf proof of the ladder: {0}")]
    Shape(String),
}

/// Every leaf key of a ladder, ascending by size, with their common data (identical for every size) and the
/// settings: all a circuit needs to verify a leaf proof of any size as the ladder's root does.
#[derive(Clone, Debug)]
pub struct LadderLeafKeys {
    settings: LadderSettings,
    keys: Vec<(usize, VerifierOnlyCircuitData<C, D>)>,
    common: CommonCircuitData<F, D>,
}

/// The targets of one leaf verified by [`LadderLeafKeys::add_verifier`]: the proof and the private index of its
/// size. The leaf's public inputs (the chunk layout) are the proof's.
pub struct LadderLeafTargets {
    /// The leaf proof.
    pub leaf: ProofWithPublicInputsTarget<D>,
    index: Target,
    sizes: Vec<usize>,
}

impl LadderLeafKeys {
    /// The keys of `settings`' ladder: `keys` lists every size of [`LadderSettings::sizes`], ascending, and
    /// every key has the common data `common` (the ladder checks both when it is built).
    pub fn new(
        settings: LadderSettings,
        keys: Vec<(usize, VerifierOnlyCircuitData<C, D>)>,
        common: CommonCircuitData<F, D>,
    ) -> Self {
        debug_assert_eq!(keys.iter().map(|(k, _)| *k).collect::<Vec<_>>(), settings.sizes());
        Self { settings, keys, common }
    }

    /// The settings of the ladder.
    pub fn settings(&self) -> LadderSettings {
        self.settings
    }

    /// The ladder's chunk sizes, ascending.
    pub fn sizes(&self) -> Vec<usize> {
        self.keys.iter().map(|(k, _)| *k).collect()
    }

    /// The verifier data of the leaf of `frames` frames, if it is a size of the ladder.
    pub fn verifier(&self, frames: usize) -> Option<VerifierCircuitData<F, C, D>> {
        let (_, key) = self.keys.iter().find(|(k, _)| *k == frames)?;
        Some(VerifierCircuitData { verifier_only: key.clone(), common: self.common.clone() })
    }

    /// A digest of the whole list: Poseidon over each size and its leaf key's circuit digest (which covers the
    /// key's constants and the common data), in order. Equal for every build with the same settings, and what
    /// a circuit built by [`LadderLeafKeys::add_verifier`] holds as constants.
    pub fn digest(&self) -> HashOut<F> {
        let mut input = Vec::with_capacity(self.keys.len() * 5);
        for (frames, key) in &self.keys {
            input.push(F::from_canonical_usize(*frames));
            input.extend(key.circuit_digest.elements);
        }
        PoseidonHash::hash_no_pad(&input)
    }

    /// Adds to `b` the verification of one leaf proof of any of the ladder's sizes and the root's checks on
    /// its public values (module doc). The keys and sizes are constants of the circuit.
    pub fn add_verifier(&self, b: &mut CircuitBuilder<F, D>) -> LadderLeafTargets {
        let leaf = b.add_virtual_proof_with_pis(&self.common);
        let index = b.add_virtual_target();
        let keys = self.keys.iter().map(|(_, key)| b.constant_verifier_data(key)).collect();
        let key = b.random_access_verifier_data(index, keys);
        b.verify_proof::<C>(&leaf, &key, &self.common);
        // The chunk size of the selected key (random_access pads both lists alike, with their last entry).
        let sizes: Vec<Target> = self.keys.iter().map(|(k, _)| b.constant(F::from_canonical_usize(*k))).collect();
        let frames = b.random_access(index, sizes);
        let pis: &ChunkPublicInputs<Target> = leaf.public_inputs[..].borrow();
        root_checks(b, pis, self.settings.max_hops());
        // The chunk holds every hop: H <= K (H < 2^32 is range-checked by the root checks).
        let room = b.sub(frames, pis.num_hops);
        b.range_check(room, ROOM_BITS);
        LadderLeafTargets { leaf, index, sizes: self.sizes() }
    }

    /// The checks of [`LadderLeafKeys::add_verifier`] on `leaf`'s public values, natively, for a leaf of
    /// `frames` frames (the proof's own validity is the circuit's to check).
    pub fn check(&self, leaf: &LeafProof, frames: usize) -> Result<(), LeafCheckError> {
        if !self.keys.iter().any(|(k, _)| *k == frames) {
            return Err(LeafCheckError::NotASize { frames, sizes: self.sizes() });
        }
        let pis = leaf.chunk_inputs().ok_or_else(|| LeafCheckError::Shape("another public-input layout".into()))?;
        check_root(pis, self.settings.max_hops())?;
        let hops = pis.num_hops.to_canonical_u64();
        if hops > frames as u64 {
            return Err(LeafCheckError::ChunkTooShort { frames, hops });
        }
        Ok(())
    }
}

impl LadderLeafTargets {
    /// The leaf's public inputs (the chunk layout of `ChunkPublicInputs`).
    pub fn public_inputs(&self) -> &ChunkPublicInputs<Target> {
        self.leaf.public_inputs[..].borrow()
    }

    /// Sets `leaf`, a proof of the leaf of `frames` frames, as the witness.
    pub fn set_witness(
        &self,
        pw: &mut PartialWitness<F>,
        leaf: &LeafProof,
        frames: usize,
    ) -> Result<(), LeafCheckError> {
        let index = self
            .sizes
            .iter()
            .position(|&k| k == frames)
            .ok_or_else(|| LeafCheckError::NotASize { frames, sizes: self.sizes.clone() })?;
        guarded(
            || {
                pw.set_proof_with_pis_target(&self.leaf, leaf.plonky2())?;
                pw.set_target(self.index, F::from_canonical_usize(index))
            },
            "the leaf proof's vectors have the wrong lengths",
        )
        .map_err(LeafCheckError::Shape)
    }
}
