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
//!   one root key, with no fold: the fastest proof of a recording one chunk can hold; [`ladder_verify`]: its
//!   root's verification of the leaf and checks as a gadget, for a circuit that verifies the leaf directly;
//! - [`root`]: either shape ([`settings::RootSettings`]) behind one interface; [`circuit::HasRoot`]: the root
//!   circuit, its verifier key and digest, written once for the tree, the ladder and either shape;
//! - [`files`] and [`report`]: root proof and key files, per-layer figures;
//! - [`cache`]: a store of built leaf circuits on disk (bytes under a header), so that a command reads them
//!   instead of building them; [`leaf_cache`] encodes, decodes and builds them on a miss;
//! - [`plan`]: the stages of one recording's proof (chunk STARKs, leaves, folds, root, final), the file each
//!   writes and the stages it reads, in waves that can each run in parallel (for running stages apart);
//! - [`proof`]: the proofs of each layer; [`progress`]: progress events; [`guard`]: plonky2's panics as errors.
//!
//! The modules depend one way: `guard`, `progress`, `report`, `settings`, `combine`, `rules` and `cache` import
//! nothing of the crate; `proof` and `circuit` import `report`; the circuits (`leaf`, `fold`, `wrap`, `ladder_verify`) import those; `leaf_cache`,
//! `tree` and `ladder` build on the circuits, `files` on `proof`, `plan` on `settings`, and `root` on all of them
//! (`docs/ARCHITECTURE.md` has the table). `scripts/module_cycles.sh` fails if two modules import each other.

pub mod cache;
pub mod circuit;
pub mod combine;
pub mod files;
pub mod fold;
pub mod fold_chain;
pub mod guard;
pub mod ladder;
pub mod ladder_verify;
pub mod leaf;
pub mod leaf_cache;
pub mod plan;
pub mod progress;
pub mod proof;
pub mod report;
pub mod root;
pub mod rules;
pub mod settings;
pub mod stage_file;
pub mod tree;
pub mod wrap;
