//! One module per subcommand.

pub mod enroll;
pub mod eval;
pub mod hash_audio;
pub mod mfcc;
pub mod model;
pub mod progress;
pub mod prove_chunks;
pub mod prove_frames;
pub mod report;
pub mod verify_chunk;
pub mod verify_frames;
