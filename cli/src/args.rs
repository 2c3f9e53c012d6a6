//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// voizk: zero-knowledge proofs that a voice recording matches an enrolled voice.
///
/// The audio is 16 kHz mono 16-bit PCM WAV. Features are the MFCCs of
/// python_speech_features (Hamming window, 26 mel filters, 13 cepstra), computed
/// in fixed-point integers exactly as the proofs compute them.
#[derive(Debug, Parser)]
#[command(name = "voizk", version, propagate_version = true)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalOpts,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Args)]
pub struct GlobalOpts {
    /// Machine-readable JSON output instead of text.
    #[arg(long, global = true)]
    pub json: bool,
    /// No progress or notes on stderr (errors are still printed).
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// Worker threads for parallel work (default: one per core).
    #[arg(long, global = true, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub threads: Option<u16>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the MFCCs of a WAV file as CSV (header c0..c12, one row per 10 ms frame).
    ///
    /// By default prints the fixed-point integer MFCCs that the proofs reproduce,
    /// as decimals. Without FILE, uses a built-in speech sample.
    Mfcc(MfccCmd),
    /// Print the audio commitment h_audio of a WAV file (64 hex digits).
    ///
    /// h_audio is the Poseidon sponge over the packed samples and their count
    /// that every proof about this audio exposes; it does not depend on any
    /// prover setting.
    HashAudio(HashAudioCmd),
}

#[derive(Debug, Args)]
pub struct MfccCmd {
    /// 16 kHz mono 16-bit PCM WAV file (default: the built-in sample).
    pub file: Option<PathBuf>,
    /// Print the f64 oracle (python_speech_features semantics) instead of the integer pipeline.
    #[arg(long = "f64", conflicts_with = "compare")]
    pub f64: bool,
    /// Print how far the integer MFCCs are from the f64 oracle (per coefficient) instead of CSV.
    #[arg(long)]
    pub compare: bool,
}

#[derive(Debug, Args)]
pub struct HashAudioCmd {
    /// 16 kHz mono 16-bit PCM WAV file.
    pub file: PathBuf,
}
