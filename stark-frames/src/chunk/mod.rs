//! The chunk STARK: proves the integer MFCC pipeline of K consecutive frames
//! (see `docs/ARCHITECTURE.md`, "Chunk STARK").

pub mod poseidon;
