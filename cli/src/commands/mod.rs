//! One module per subcommand.

pub mod demo;
pub mod enroll;
pub mod eval;
pub mod experiment;
pub mod experiment_run;
pub mod hash_audio;
pub mod inspect;
pub mod keygen;
pub mod mfcc;
pub mod model;
pub mod model_fit;
pub mod plan;
pub mod progress;
pub mod prove;
pub mod prove_chunks;
pub mod prove_frames;
pub mod prove_stream;
pub mod report;
pub mod security;
pub mod stage;
pub mod tamper_matrix;
pub mod verify;
pub mod verify_chunk;
pub mod verify_frames;
