//! The chunk STARK: proves the integer MFCC pipeline of K consecutive frames
//! (see `docs/ARCHITECTURE.md`, "Chunk STARK").
//!
//! - [`columns`]: the row layout and the column map;
//! - [`schedule`]: what each row of a frame block holds;
//! - [`expr`]: one constraint language for native and recursive evaluation;
//! - `*_air`: the constraint families; [`trace`]: trace generation;
//! - [`stark`]: the starky `Stark` implementation; [`poseidon`]: the permutation gadget.

pub mod block_air;
pub mod check;
pub mod columns;
pub mod commit_air;
pub mod expr;
pub mod fft_air;
pub mod limbs;
pub mod log_air;
pub mod poseidon;
pub mod prover;
pub mod public;
pub mod schedule;
pub mod split_air;
pub mod stark;
pub mod stats_air;
pub mod trace;
pub mod window_air;
