//! `voizk experiment`: sweeps of the recursion settings and thread counts on one recording.
//!
//! The parent (`commands/experiment.rs`) plans the configurations ([`config`]), runs each one in a child
//! process of the same binary ([`child`], the hidden `experiment-run` command, which measures it:
//! [`measure`]), keeps every layer's figures in `results.csv` ([`csv`], which also tells which configurations
//! a rerun can skip), shows one line per configuration with an estimate of the time left ([`eta`]) and draws
//! the SVG plots ([`plots`]).

pub mod child;
pub mod config;
pub mod csv;
pub mod eta;
pub mod measure;
pub mod plots;

use std::path::Path;

use anyhow::{Context, Result};
use stark_frames::Audio;

/// The recording swept without FILE: real speech, 3.00 s (300 hops), male, codec2's test sentence.
const BUILTIN_RECORDING: &[u8] = include_bytes!("../../../fixtures/real/codec2_hts1a_male.wav");
/// Its name, for notes and the summary.
pub const BUILTIN_NAME: &str = "built-in recording (fixtures/real/codec2_hts1a_male.wav)";

/// Loads `path`, or the built-in recording when `None`.
pub fn load_recording(path: Option<&Path>) -> Result<Audio> {
    match path {
        Some(p) => Audio::load(p).with_context(|| p.display().to_string()),
        None => Ok(Audio::read(BUILTIN_RECORDING).expect("the built-in recording is valid")),
    }
}

/// The recording's name as the summary prints it.
pub fn recording_name(path: Option<&Path>) -> String {
    path.map_or_else(|| BUILTIN_NAME.to_string(), |p| p.display().to_string())
}
