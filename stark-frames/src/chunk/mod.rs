//! The chunk STARK: proves the integer MFCC pipeline of K consecutive frames, one trace row per frame
//! (see `docs/ARCHITECTURE.md`, "Chunk STARK").
//!
//! - [`columns`]: the row layout and the column map; [`layout`]: names of the range-checked cells;
//! - [`expr`]: one constraint language for native and recursive evaluation (`shared_sums`: the recursive
//!   evaluation of many constant linear forms);
//! - `*_air`: the constraint families; [`trace`]: trace generation ([`delta_gen`]: of the regression deltas);
//! - [`stark`]: the starky `Stark` implementation; [`poseidon_x7`]: the permutation gadget;
//! - [`config`]: the workspace's field and hash configuration, the STARK configuration, the chunk sizes;
//! - [`prover`]: proving; [`verifier`]: verifying; [`file`]: the proof file; [`values`]: the public values
//!   decoded (for every layer); [`check`]: a diagnostic evaluator.

pub mod check;
pub mod columns;
pub mod commit_air;
pub mod config;
pub mod delta_air;
pub mod delta_gen;
pub(crate) mod delta_terms;
pub mod dft_air;
pub mod expr;
pub mod file;
pub mod forge;
pub mod frame_air;
pub mod layout;
pub mod limbs;
pub mod log_air;
pub mod poseidon_x7;
pub mod prover;
pub mod public;
mod shared_sums;
pub mod stark;
pub mod stats_air;
pub mod trace;
pub mod values;
pub mod verifier;
