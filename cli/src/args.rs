//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use recursion::cache::CircuitCache;

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
    /// Prove every chunk of a WAV file: one chunk STARK proof file per chunk, and a manifest.
    ///
    /// Chunk c covers frames c K .. c K + K (K = --frames-per-chunk). The chunks
    /// are proven in parallel (--threads sets the number of workers) and written to
    /// DIR/chunk-00000.proof, DIR/chunk-00001.proof, ...; DIR/chunks.json lists them
    /// with the input's sample count, h_audio, and each proof's size and prove time.
    /// Prints a summary (or, with --json, the manifest).
    ProveChunks(ProveChunksCmd),
    /// Verify a chunk proof file and print its public values.
    ///
    /// Exits 0 only if the file is a chunk proof that verifies; anything else
    /// (missing, empty, truncated, garbled, not a proof, a proof that does not
    /// verify) is one `error:` line and exit code 1.
    VerifyChunk(VerifyChunkCmd),
    /// Prove a WAV file up to one root proof: chunk STARK, leaf, root.
    ///
    /// By default the recording is one chunk of the smallest size (256, 512, ...,
    /// 4096 frames) that holds it, and the root accepts a leaf of any of those sizes:
    /// building the circuits builds every leaf size once (about 10 s each), or reads
    /// them from the circuit cache (see --cache-dir) after the first time. With -k
    /// or --arity, chunks of K frames are proven one by one and folded --arity at a
    /// time up to the root. Either way the root verifier key depends on the settings
    /// only, never on the length of the audio (at most --max-seconds). Writes the root
    /// proof to ROOT and the root verifier key to KEY (default: ROOT.key). Prints a
    /// per-layer summary (or, with --json, the report).
    ProveFrames(ProveFramesCmd),
    /// Verify a root proof and print what it states, h_audio as `hash-audio` prints it.
    ///
    /// With --key, checks the proof against that key file; without, rebuilds the
    /// circuits from the settings recorded in the proof (a minute or more, seconds
    /// with the leaf keys in the circuit cache) so the key comes from nothing but the
    /// settings and this build of voizk. Exits 0 only if the proof verifies.
    VerifyFrames(VerifyFramesCmd),
    /// Print per-layer figures of a root proof: circuit degree, gates, build and prove time, proof size.
    Report(ReportCmd),
    /// Model files: what a decision means (DSP parameters, embedding, metric, threshold).
    #[command(subcommand)]
    Model(ModelCmd),
    /// Enroll a speaker: the template (averaged unit embedding) of one or more recordings, with a fresh salt.
    ///
    /// Writes TEMPLATE (JSON: the unit embedding, the salt, h_model of the model used and h_template) and
    /// prints h_template, the commitment a verifier pins. The template file is private: with it anyone can
    /// check a guess of whose voice it is.
    Enroll(EnrollCmd),
    /// Accuracy on a manifest of labelled recordings, in the integer pipeline and in f64 (no proofs).
    ///
    /// MANIFEST.csv has the header `speaker,path` (paths relative to the manifest). Per speaker, enrolls
    /// from its first three recordings and scores every other recording of every speaker. Reports both
    /// equal error rates with their thresholds, and how many trials the integer and f64 decisions differ on
    /// at the model's threshold.
    Eval(EvalCmd),
}

#[derive(Debug, Args)]
pub struct EnrollCmd {
    /// 16 kHz mono 16-bit PCM WAV files of the speaker.
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Where to write the template.
    #[arg(long, value_name = "TEMPLATE")]
    pub out: PathBuf,
    /// A model file (JSON); the built-in default if omitted.
    #[arg(long, value_name = "M")]
    pub model: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct EvalCmd {
    /// CSV with header `speaker,path`.
    pub manifest: PathBuf,
    /// A model file (JSON); the built-in default if omitted.
    #[arg(long, value_name = "M")]
    pub model: Option<PathBuf>,
}

/// `voizk model ...`.
#[derive(Debug, Subcommand)]
pub enum ModelCmd {
    /// Print a model (the built-in default without --model) as JSON, and its commitment h_model.
    ///
    /// Without --json, prints the model's JSON, then the lines `h_model <64 hex digits>` and
    /// `threshold <cosine>`; with --json, one object {"model": ..., "h_model": ...}. A model file that
    /// is not valid is one `error:` line and exit code 1.
    Show(ModelShowCmd),
}

#[derive(Debug, Args)]
pub struct ModelShowCmd {
    /// A model file (JSON); the built-in default if omitted.
    #[arg(long, value_name = "M")]
    pub model: Option<PathBuf>,
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

#[derive(Debug, Args)]
pub struct ProveChunksCmd {
    /// 16 kHz mono 16-bit PCM WAV file.
    pub file: PathBuf,
    /// Frames per chunk K (a frame is 10 ms of audio). A chunk below 256 frames costs as much as 256.
    #[arg(long, short = 'k', value_name = "K", default_value_t = 256)]
    pub frames_per_chunk: usize,
    /// Output directory for the proof files and chunks.json (created if missing).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
}

#[derive(Debug, Args)]
pub struct VerifyChunkCmd {
    /// Chunk proof file written by `voizk prove-chunks`.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ProveFramesCmd {
    /// 16 kHz mono 16-bit PCM WAV file.
    pub file: PathBuf,
    /// Prove with a fold tree of chunks of K frames (a frame is 10 ms of audio), one chunk STARK and one
    /// leaf proof each, instead of one chunk sized to the recording (the default, and the fastest up to
    /// 40 s: the leaf costs about the same whatever the chunk size).
    #[arg(long, short = 'k', value_name = "K")]
    pub frames_per_chunk: Option<usize>,
    /// Prove with a fold tree of this arity (2 to 16) instead of one chunk sized to the recording.
    #[arg(long, short, value_name = "A")]
    pub arity: Option<usize>,
    /// Longest recording the circuits (and their key) accept, in seconds (default 30; at most 40 without a
    /// tree).
    #[arg(long, value_name = "S")]
    pub max_seconds: Option<u32>,
    /// Output file for the root proof.
    #[arg(long, short, value_name = "ROOT")]
    pub out: PathBuf,
    /// Output file for the root verifier key (default: ROOT.key).
    #[arg(long, value_name = "KEY")]
    pub key_out: Option<PathBuf>,
    /// Prove again under the key of an earlier prove-frames: its settings are used, and only the leaf this
    /// recording needs is built (the ladder's other leaf keys are in the file). Refused if this build of
    /// voizk makes another key.
    #[arg(long, value_name = "KEY", conflicts_with_all = ["frames_per_chunk", "arity", "max_seconds", "key_out"])]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub cache: CacheOpts,
}

/// Where built leaf circuits are kept between commands.
#[derive(Debug, Args)]
pub struct CacheOpts {
    /// Directory of the circuit cache, where leaf circuits are read instead of built (default:
    /// $VOIZK_CACHE_DIR, else $XDG_CACHE_HOME/voizk, else ~/.cache/voizk). A proven size takes about 640 MB.
    #[arg(long, value_name = "DIR")]
    pub cache_dir: Option<PathBuf>,
    /// Build every circuit, neither reading nor writing the circuit cache.
    #[arg(long, conflicts_with = "cache_dir")]
    pub no_cache: bool,
}

impl CacheOpts {
    /// The cache to use, if any.
    pub fn cache(&self) -> Option<CircuitCache> {
        if self.no_cache {
            return None;
        }
        self.cache_dir.clone().or_else(CircuitCache::default_dir).map(CircuitCache::new)
    }
}

#[derive(Debug, Args)]
pub struct VerifyFramesCmd {
    /// Root proof file written by `voizk prove-frames`.
    pub root: PathBuf,
    /// Root verifier key file (written by `voizk prove-frames`); without it the circuits are rebuilt (their
    /// leaf keys read from the circuit cache when it holds them, trusting that directory as this binary is
    /// trusted; --no-cache builds every one).
    #[arg(long, value_name = "KEY")]
    pub key: Option<PathBuf>,
    #[command(flatten)]
    pub cache: CacheOpts,
}

#[derive(Debug, Args)]
pub struct ReportCmd {
    /// Root proof file written by `voizk prove-frames`.
    pub root: PathBuf,
}
