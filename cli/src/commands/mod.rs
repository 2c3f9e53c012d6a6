//! One module per subcommand.

pub mod hash_audio;
pub mod mfcc;
