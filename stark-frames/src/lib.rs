//! voizk's DSP layer: WAV input, the MFCC pipeline of SPEC §3 twice (an `f64`
//! oracle and the fixed-point integer reference that the chunk STARKs prove),
//! and the native audio commitment `h_audio`.
//!
//! - [`audio`]: 16 kHz mono PCM16 WAV input with clear refusals; [`audio_stream`]: the same from a pipe.
//! - [`oracle`]: python_speech_features' MFCC in `f64`.
//! - [`fixed`]: the integer pipeline and its per-frame witness.
//! - [`commitment`]: the Poseidon audio commitment, independent of chunking.

#![warn(missing_docs)]

pub mod audio;
pub mod audio_stream;
pub mod chunk;
pub mod commitment;
pub mod fixed;
pub mod framing;
pub mod oracle;
pub mod params;

pub use audio::{Audio, AudioError};
pub use commitment::AudioCommitment;
