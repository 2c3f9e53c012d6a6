//! The proofs of each recursion layer, one type per layer, and a root proof with the report of how it was made.
//!
//! [`LeafProof`], [`FoldProof`] and [`RootProof`] (the tree's wrap and the ladder's root alike) are each a
//! plonky2 [`ProofWithPublicInputs`] with the public-value layout of a chunk ([`ChunkPublicInputs`]), under a type
//! of its own: the provers return and take these types, so a proof of one layer cannot be passed where another
//! layer's is expected. A fold takes leaf proofs or fold proofs ([`FoldChild`]), never a root proof:
//!
//! ```compile_fail
//! use recursion::proof::{LeafProof, RootOutput};
//! // A leaf proof is not a root proof: this does not compile.
//! fn root_of(leaf: LeafProof) -> RootOutput {
//!     RootOutput { root: leaf, layers: Vec::new() }
//! }
//! ```
//!
//! while the same with a root proof does:
//!
//! ```
//! use recursion::proof::{RootOutput, RootProof};
//! fn root_of(root: RootProof) -> RootOutput {
//!     RootOutput { root, layers: Vec::new() }
//! }
//! ```
//!
//! A type names the circuit a proof is for; whether the proof holds is what verification decides. Each type
//! reads through to plonky2's proof (`Deref`), and gives its public values as the chunk layout
//! ([`LeafProof::chunk_inputs`]) and decoded ([`LeafProof::public_values`], the decoder of chunk proofs).
//!
//! This module imports nothing of the crate's circuits, so every layer (and the files, and the crates above)
//! can name these types without depending on the circuits that make them.

use std::borrow::Borrow;
use std::ops::Deref;

use plonky2::plonk::proof::ProofWithPublicInputs;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::public::{ChunkPublicInputs, NUM_PUBLIC_INPUTS};
use stark_frames::chunk::values::ChunkPublicValues;

use crate::report::LayerReport;

macro_rules! layer_proof {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub struct $name(ProofWithPublicInputs<F, C, D>);

        impl $name {
            /// Names `proof` as a proof of this layer. Nothing is checked: verification against the layer's
            /// circuit decides whether it holds (files, and soundness tests that forge proofs, use this).
            pub fn from_plonky2(proof: ProofWithPublicInputs<F, C, D>) -> Self {
                Self(proof)
            }

            /// plonky2's proof with its public inputs.
            pub fn plonky2(&self) -> &ProofWithPublicInputs<F, C, D> {
                &self.0
            }

            /// plonky2's proof, to edit (soundness tests: a proof changed after it was made must not verify).
            pub fn plonky2_mut(&mut self) -> &mut ProofWithPublicInputs<F, C, D> {
                &mut self.0
            }

            /// plonky2's proof, unwrapped.
            pub fn into_plonky2(self) -> ProofWithPublicInputs<F, C, D> {
                self.0
            }

            /// The public inputs as the chunk layout, or `None` if there are not as many as the layout has
            /// (never for a proof these circuits made).
            pub fn chunk_inputs(&self) -> Option<&ChunkPublicInputs<F>> {
                (self.0.public_inputs.len() == NUM_PUBLIC_INPUTS).then(|| self.0.public_inputs[..].borrow())
            }

            /// The public values decoded as a chunk proof's are ([`ChunkPublicValues::decode`]), with
            /// `frames_per_chunk` the frames one chunk index counts. Panics if the public inputs do not have the
            /// chunk layout's length (never for a proof these circuits made).
            pub fn public_values(&self, frames_per_chunk: usize) -> ChunkPublicValues {
                ChunkPublicValues::decode(&self.0.public_inputs, frames_per_chunk)
            }
        }

        impl Deref for $name {
            type Target = ProofWithPublicInputs<F, C, D>;

            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    };
}

layer_proof! {
    /// A leaf proof: a chunk STARK proof with these public values verifies (`leaf.rs`). Its public inputs are
    /// the chunk's, in order.
    LeafProof
}

layer_proof! {
    /// A fold proof: its children verify and form one contiguous, chained range with these public values
    /// (`fold.rs`, rules in `combine.rs`).
    FoldProof
}

layer_proof! {
    /// A root proof, of either shape: the tree's wrap of its top fold, or the ladder's root over one leaf. Its
    /// public values span the whole recording (`first_frame = 0`, every hop), so its digest is `h_audio`.
    RootProof
}

/// A proof a fold circuit takes as a child: a leaf proof (level 1) or a fold proof (the levels above). A
/// root proof is not one.
pub trait FoldChild {
    /// plonky2's proof with its public inputs.
    fn child_proof(&self) -> &ProofWithPublicInputs<F, C, D>;
}

impl FoldChild for LeafProof {
    fn child_proof(&self) -> &ProofWithPublicInputs<F, C, D> {
        self.plonky2()
    }
}

impl FoldChild for FoldProof {
    fn child_proof(&self) -> &ProofWithPublicInputs<F, C, D> {
        self.plonky2()
    }
}

/// A root proof with the report of how it was made.
pub struct RootOutput {
    /// The root proof, with a chunk's public-value layout spanning the whole recording.
    pub root: RootProof,
    /// One entry per layer, from the chunk STARKs to the root.
    pub layers: Vec<LayerReport>,
}
