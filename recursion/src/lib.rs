//! voizk recursion: plonky2 circuits over the chunk STARK proofs.
//!
//! - [`leaf`]: the leaf circuit, which verifies one chunk STARK proof (starky's recursive verifier) and
//!   exposes the chunk's public values as its own public inputs;
//! - [`fold`]: fold circuits, which verify `arity` child proofs of consecutive chunk ranges and combine their
//!   public values into those of the whole range.
//!
//! Padding for lengths that do not fill the tree, and the commands, are the next steps of issue 4; see
//! `docs/ARCHITECTURE.md`.

pub mod fold;
mod guard;
pub mod leaf;
