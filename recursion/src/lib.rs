//! voizk recursion: plonky2 circuits over the chunk STARK proofs.
//!
//! - [`leaf`]: the leaf circuit, which verifies one chunk STARK proof (starky's recursive verifier) and
//!   exposes the chunk's public values as its own public inputs.
//!
//! Fold circuits (verifying `arity` leaf or fold proofs and combining their public values) are the next
//! step of issue 4; see `docs/ARCHITECTURE.md`.

pub mod leaf;
