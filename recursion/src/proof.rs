//! The proofs of each recursion layer, and a root proof with the report of how it was made.
//!
//! Every layer's proof has the public-value layout of a chunk
//! ([`ChunkPublicInputs`](stark_frames::chunk::public::ChunkPublicInputs)). This module imports nothing of the
//! crate's circuits, so every layer (and the files, and the crates above) can name these types without
//! depending on the circuits that make them.

use plonky2::plonk::proof::ProofWithPublicInputs;
use stark_frames::chunk::prover::{C, D, F};

use crate::report::LayerReport;

/// A leaf proof: a plonky2 proof whose public inputs are the chunk's public values.
pub type LeafProof = ProofWithPublicInputs<F, C, D>;

/// A fold proof: a plonky2 proof with a chunk's public-value layout.
pub type FoldProof = ProofWithPublicInputs<F, C, D>;

/// A root proof with the report of how it was made.
pub struct RootProof {
    /// The root proof, with a chunk's public-value layout spanning the whole recording.
    pub root: FoldProof,
    /// One entry per layer, from the chunk STARKs to the root.
    pub layers: Vec<LayerReport>,
}
