//! One module per subcommand.

pub mod hash_audio;
pub mod mfcc;
pub mod prove_chunks;
pub mod verify_chunk;
