//! voizk recursion: plonky2 circuits over the chunk STARK proofs, folded into one root proof.
//!
//! - [`leaf`]: the leaf circuit, which verifies one chunk STARK proof (starky's recursive verifier) and
//!   exposes the chunk's public values as its own public inputs;
//! - [`fold`]: fold circuits, which verify up to `arity` child proofs of consecutive chunk ranges and combine
//!   their public values into those of the whole range (rules in `combine.rs`, checked natively first by
//!   [`rules`]);
//! - [`settings`] and [`tree`]: the tree of one leaf layer and `depth` fold levels, built once per settings,
//!   whose root ([`wrap`] of the top fold) has a verifier key that does not depend on the length of the audio;
//! - [`ladder`]: a recording proven as one chunk of a size chosen per recording (256 to 4 096 frames) under
//!   one root key, with no fold: the fastest proof of a recording one chunk can hold;
//! - [`root`]: either shape ([`settings::RootSettings`]) behind one interface;
//! - [`files`] and [`report`]: root proof and key files, per-layer figures;
//! - [`cache`]: built leaf circuits on disk, so that a command reads them instead of building them.

pub mod cache;
pub mod combine;
pub mod files;
pub mod fold;
pub mod guard;
pub mod ladder;
pub mod leaf;
pub mod report;
pub mod root;
pub mod rules;
pub mod settings;
pub mod tree;
pub mod wrap;
