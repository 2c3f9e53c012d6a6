//! Command-line arguments (clap).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use decision::statement::Hex4;
use recursion::cache::CircuitCache;
use recursion::settings::{LadderSettings, RootSettings, TreeSettings};

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
    /// Worker threads for parallel work (default: one per core). `experiment` takes a list (`1,2`) and sweeps it.
    #[arg(
        long,
        global = true,
        value_name = "N",
        value_delimiter = ',',
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub threads: Vec<u16>,
}

impl GlobalOpts {
    /// The size of rayon's pool for a command that takes one `--threads` count: `None` for the default (one
    /// per core), an error message for a list.
    pub fn pool_threads(&self) -> Result<Option<usize>, String> {
        match self.threads[..] {
            [] => Ok(None),
            [n] => Ok(Some(usize::from(n))),
            _ => Err(format!(
                "--threads takes one count here, not {} (a list is for `voizk experiment`)",
                self.threads.len()
            )),
        }
    }
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
    /// Print per-layer figures of a root or final proof: circuit degree, gates, build and prove time, proof size.
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
    /// Accuracy on a manifest of labelled recordings, in the integer pipeline and in f64; --prove N proves N trials.
    ///
    /// MANIFEST.csv has the header `speaker,path` (paths relative to the manifest). Per speaker, enrolls
    /// from its first three recordings and scores every other recording of every speaker. Reports both
    /// equal error rates with their thresholds, and how many trials the integer and f64 decisions differ on
    /// at the model's threshold. With --prove N, also proves the N trials nearest the threshold (a final proof
    /// each) and fails unless every proven decision equals the native integer decision.
    Eval(EvalCmd),
    /// Write the verifier key of the whole pipeline for a model: what a verifier needs to check final proofs.
    ///
    /// Builds every circuit (the chunk STARK's leaf circuits, read from the circuit cache when it holds them,
    /// the root, and the final zero-knowledge circuit of the model) and writes the final circuit's verifier
    /// key with the model and the recursion settings. The same model and settings give the same key on every
    /// build. Prints the key's digest.
    Keygen(KeygenCmd),
    /// Prove that a recording matches an enrolled template: a zero-knowledge final proof bound to a nonce.
    ///
    /// Proves the recording up to a root proof (chunk STARK, leaf, root), then the final circuit: the
    /// embedding of the recording's pooled MFCC statistics, its score against the private template, and
    /// the model's threshold. The proof states h_audio, num_samples, h_template, h_model, the nonce and the
    /// decision, and nothing else. Prints the decision, the sizes and the times.
    Prove(ProveCmd),
    /// Verify a final proof against a decision key and the expected public inputs.
    ///
    /// Exit code 0: the proof is valid and the decision is accept; 1: valid and reject; 2: invalid, or not
    /// matching the key, the nonce or the commitments given (one `error:` line says why; with --json, also
    /// an object with "valid": false and the reason).
    Verify(VerifyCmd),
    /// Print what a final proof states (unverified: `verify` checks it) and how it was made.
    Inspect(InspectCmd),
    /// Enroll a built-in voice, prove a genuine and an impostor recording, verify both; print the decisions,
    /// times and sizes.
    ///
    /// Uses the built-in model, the default recursion settings and recordings built into the binary
    /// (fixtures/real: a real voice of tuxpaint-es enrolled from three recordings, its fourth, and a tuxpaint-ro
    /// voice as the impostor). The first run builds the circuits (about a minute, then
    /// kept in the circuit cache).
    Demo(DemoCmd),
    /// Print the security level of every proof layer, computed from the configurations this build proves with:
    /// FRI parameters, and the bits (a) under the conjectures production provers state and (b) provably in the
    /// Johnson regime (formulas and sources: docs/SECURITY.md).
    Security(SecurityCmd),
    /// Run the tamper matrix: prove a short recording through every layer (chunk STARK, leaf, two fold levels, root,
    /// final plain and compressed), alter each proof in every public input, in a sample of flipped bits, and pass
    /// proofs of other layers and settings in its place; print how many of each were tried and refused (about two
    /// minutes on 2 cores). Exits with an error if any altered proof is accepted.
    TamperMatrix(TamperMatrixCmd),
    /// Sweep recursion settings and thread counts on a recording; write a CSV of every layer's costs and SVG plots.
    ///
    /// Every configuration (a chunk size -k, an arity, a maximum length --max-seconds, which fixes the tree's
    /// depth, and a thread count --threads; each option a comma-separated list) proves the recording from WAV to
    /// a root proof in a child process of its own, so that its peak memory is measured alone. Appends one row per
    /// layer (chunk STARK, leaf, each fold level, root wrap) to DIR/results.csv and redraws the plots
    /// DIR/prove_time.svg, DIR/proof_size.svg and DIR/threads.svg after each configuration. A rerun with the same
    /// DIR skips the configurations already in results.csv. Invalid settings are refused before anything runs;
    /// a maximum length shorter than the recording skips its configurations with a warning. Without FILE, the
    /// built-in 3.00 s real recording (fixtures/real/codec2_hts1a_male.wav); the default sweep (-k 512,
    /// --arity 2,4, --max-seconds 10,30, one thread count: all cores) takes about 4 minutes on 2 cores once the
    /// leaf circuit is in the circuit cache (docs/EXPERIMENTS.md).
    Experiment(ExperimentCmd),
    /// One configuration of `experiment`, run in a child process: prints its layer reports and peak memory as
    /// JSON.
    #[command(hide = true)]
    ExperimentRun(ExperimentRunCmd),
    /// Plan the proof of a recording as stages over files, for running them apart (batch engines).
    ///
    /// Writes DIR/plan.json (settings, recording, nonce, h_model, h_template, and the stage ids of each
    /// wave), DIR/wave-0.jobs, DIR/wave-1.jobs, ... (one stage id per line; the stages of a wave are
    /// independent, the waves run in order) and copies of the recording, template and model. Then
    /// `voizk stage DIR ID` proves each stage, e.g. `parallel voizk stage DIR {} :::: DIR/wave-0.jobs` per
    /// wave, or a Slurm job array per wave (`--wave W --index $SLURM_ARRAY_TASK_ID`). The final proof,
    /// DIR/final.proof, states what `voizk prove` with the same settings states. Always a fold tree (-k,
    /// --arity, --max-seconds; defaults K = 512, arity 4, 30 s).
    Plan(PlanCmd),
    /// Prove one stage of a plan directory from the files of earlier stages; writes the stage's file there.
    ///
    /// Chunk STARKs read the recording; a leaf, its chunk's proof; a fold, its children's proofs; the root,
    /// the top fold; the final stage, the root proof (and writes DIR/final.proof, checked as a verifier
    /// would). A missing input, or a file of another stage, order, recording, nonce or settings, is refused
    /// with an error naming the file.
    Stage(StageCmd),
}

impl Command {
    /// The subcommand's name, as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Mfcc(_) => "mfcc",
            Self::HashAudio(_) => "hash-audio",
            Self::ProveChunks(_) => "prove-chunks",
            Self::VerifyChunk(_) => "verify-chunk",
            Self::ProveFrames(_) => "prove-frames",
            Self::VerifyFrames(_) => "verify-frames",
            Self::Report(_) => "report",
            Self::Model(_) => "model",
            Self::Enroll(_) => "enroll",
            Self::Eval(_) => "eval",
            Self::Keygen(_) => "keygen",
            Self::Prove(_) => "prove",
            Self::Verify(_) => "verify",
            Self::Inspect(_) => "inspect",
            Self::Demo(_) => "demo",
            Self::Security(_) => "security",
            Self::TamperMatrix(_) => "tamper-matrix",
            Self::Experiment(_) => "experiment",
            Self::ExperimentRun(_) => "experiment-run",
            Self::Plan(_) => "plan",
            Self::Stage(_) => "stage",
        }
    }
}

/// Recursion settings of the root circuits (the root verifier key depends on them).
#[derive(Debug, Args)]
pub struct RootOpts {
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
}

impl RootOpts {
    /// The settings of a fold tree: those given, the others at their defaults.
    pub fn tree_settings(&self) -> TreeSettings {
        let default = TreeSettings::default();
        TreeSettings {
            frames_per_chunk: self.frames_per_chunk.unwrap_or(default.frames_per_chunk),
            arity: self.arity.unwrap_or(default.arity),
            max_seconds: self.max_seconds.unwrap_or(default.max_seconds),
        }
    }

    /// A fold tree when `-k` or `--arity` is given (the other taking its default), else the ladder.
    pub fn settings(&self) -> RootSettings {
        let max_seconds = self.max_seconds.unwrap_or_else(|| RootSettings::default().max_seconds());
        if self.frames_per_chunk.is_none() && self.arity.is_none() {
            return RootSettings::Ladder(LadderSettings { max_seconds });
        }
        let default = TreeSettings::default();
        RootSettings::Tree(TreeSettings {
            frames_per_chunk: self.frames_per_chunk.unwrap_or(default.frames_per_chunk),
            arity: self.arity.unwrap_or(default.arity),
            max_seconds,
        })
    }
}

#[derive(Debug, Args)]
pub struct KeygenCmd {
    /// A model file (JSON); the built-in default if omitted.
    #[arg(long, value_name = "M")]
    pub model: Option<PathBuf>,
    /// Where to write the key.
    #[arg(long, value_name = "KEY")]
    pub out: PathBuf,
    #[command(flatten)]
    pub root: RootOpts,
    #[command(flatten)]
    pub cache: CacheOpts,
}

#[derive(Debug, Args)]
pub struct ProveCmd {
    /// 16 kHz mono 16-bit PCM WAV file, or `-` for a WAV stream on standard input (for example `sox -d -r 16000 -c 1
    /// -b 16 -t wav - | voizk prove - ...`): the circuits are built while it arrives, and the output states the
    /// time from its end to the checked proof.
    pub file: PathBuf,
    /// The template file written by `voizk enroll` (private).
    #[arg(long, value_name = "T")]
    pub template: PathBuf,
    /// A model file (JSON); the built-in default if omitted. The template must be enrolled under it.
    #[arg(long, value_name = "M")]
    pub model: Option<PathBuf>,
    /// The verifier's nonce: 64 hex digits (four field elements); the proof is bound to it.
    #[arg(long, value_name = "HEX")]
    pub nonce: Hex4,
    /// Output file for the final proof.
    #[arg(long, short, value_name = "PROOF")]
    pub out: PathBuf,
    /// Write the proof in plonky2's compressed form (smaller; verified the same way).
    #[arg(long)]
    pub compressed: bool,
    #[command(flatten)]
    pub root: RootOpts,
    #[command(flatten)]
    pub cache: CacheOpts,
}

#[derive(Debug, Args)]
pub struct VerifyCmd {
    /// Final proof file written by `voizk prove`.
    pub proof: PathBuf,
    /// Decision key file written by `voizk keygen`.
    #[arg(long, value_name = "KEY")]
    pub key: PathBuf,
    /// The nonce the proof must be bound to (64 hex digits).
    #[arg(long, value_name = "HEX")]
    pub nonce: Hex4,
    /// The h_audio the proof must state (64 hex digits, as `voizk hash-audio` prints it).
    #[arg(long, value_name = "H")]
    pub audio_commitment: Option<Hex4>,
    /// The h_template the proof must state (64 hex digits, as `voizk enroll` prints it).
    #[arg(long, value_name = "H")]
    pub template_commitment: Option<Hex4>,
}

#[derive(Debug, Args)]
pub struct InspectCmd {
    /// Final proof file written by `voizk prove`.
    pub proof: PathBuf,
}

#[derive(Debug, Args)]
pub struct SecurityCmd {
    /// How long a verifier's nonce stays valid, in seconds: a forgery must be found within it (every layer's
    /// transcript starts from the nonce).
    #[arg(long, value_name = "SECS", default_value_t = 60.0)]
    pub nonce_lifetime: f64,
}

#[derive(Debug, Args)]
pub struct TamperMatrixCmd {
    /// 16 kHz mono 16-bit PCM WAV file, at least 1.9 s (its first 1.9 s are proven; the template is enrolled from
    /// it); the built-in sample if omitted.
    pub file: Option<PathBuf>,
    /// A model file (JSON); the built-in default if omitted.
    #[arg(long, value_name = "M")]
    pub model: Option<PathBuf>,
    /// Bit flips per layer.
    #[arg(long, value_name = "N", default_value_t = 64)]
    pub flips: usize,
    /// Seed of the flip positions.
    #[arg(long, value_name = "SEED", default_value_t = 17)]
    pub seed: u64,
    #[command(flatten)]
    pub cache: CacheOpts,
}

#[derive(Debug, Args)]
pub struct ExperimentCmd {
    /// 16 kHz mono 16-bit PCM WAV file; the built-in real recording (3.00 s) if omitted.
    pub file: Option<PathBuf>,
    /// Output directory: results.csv and the SVG plots (created if missing; a rerun resumes).
    #[arg(long, short, value_name = "DIR")]
    pub out: PathBuf,
    /// Frames per chunk K to sweep, comma-separated (1 to 4096; a chunk below 256 frames costs as much as 256).
    #[arg(long = "frames-per-chunk", short = 'k', value_name = "K,..", value_delimiter = ',', default_values_t = [512])]
    pub frames_per_chunk: Vec<usize>,
    /// Fold arities to sweep, comma-separated (2 to 16).
    #[arg(long, short, value_name = "A,..", value_delimiter = ',', default_values_t = [2, 4])]
    pub arity: Vec<usize>,
    /// Maximum recording lengths to sweep, in seconds, comma-separated (1 to 3600): with K and the arity they fix
    /// the tree's depth. A value shorter than the recording is skipped with a warning.
    #[arg(long, value_name = "S,..", value_delimiter = ',', default_values_t = [10, 30])]
    pub max_seconds: Vec<u32>,
    #[command(flatten)]
    pub cache: CacheOpts,
}

/// One configuration of `experiment` (hidden: the sweep runs it in a child process).
#[derive(Debug, Args)]
pub struct ExperimentRunCmd {
    /// 16 kHz mono 16-bit PCM WAV file; the built-in recording of `experiment` if omitted.
    pub file: Option<PathBuf>,
    /// Frames per chunk.
    #[arg(long = "frames-per-chunk", short = 'k', value_name = "K")]
    pub frames_per_chunk: usize,
    /// Fold arity.
    #[arg(long, short, value_name = "A")]
    pub arity: usize,
    /// Maximum recording length, seconds.
    #[arg(long, value_name = "S")]
    pub max_seconds: u32,
    #[command(flatten)]
    pub cache: CacheOpts,
}

#[derive(Debug, Args)]
pub struct DemoCmd {
    #[command(flatten)]
    pub root: RootOpts,
    #[command(flatten)]
    pub cache: CacheOpts,
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
    /// Also prove the N trials whose integer scores are nearest the model's threshold (a final proof each,
    /// about 20 s) and check that every proven decision equals the native integer decision.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub prove: usize,
    /// Run the protocol on telephone-band copies of the recordings (low-passed at 3.8 kHz, as `model fit` makes
    /// them): how the model fares when every recording comes through a telephone channel. Proven trials prove the
    /// copies.
    #[arg(long)]
    pub telephone: bool,
    /// Write SVG plots into DIR: scores.svg (histograms of genuine and impostor scores, the threshold marked)
    /// and det.svg (the DET curve, the model's operating point marked).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
    /// Recordings per trial: each speaker's recordings outside the enrollment, N at a time in manifest order, their
    /// voiced frames pooled as one longer utterance (a last shorter group is dropped, and only these groups are
    /// trials); what a deployment that verifies sentences should look at (`model fit --trial-recordings`). With
    /// N > 1 no trial can be proven (a proof covers one recording).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub trial_recordings: usize,
    #[command(flatten)]
    pub root: RootOpts,
    #[command(flatten)]
    pub cache: CacheOpts,
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
    /// Fit a model to a population of speakers: center, scale and whitening projection of the embedding, and a
    /// threshold calibrated for --target-far on speakers held out of the fit (speaker-fold cross-validation).
    ///
    /// Prints the held-out rates (and, nested, the rates at thresholds calibrated without the tested speakers,
    /// what new speakers can expect), then writes the model. Deterministic: the same manifest gives the same file.
    Fit(ModelFitCmd),
}

#[derive(Debug, Args)]
pub struct ModelFitCmd {
    /// CSV whose header starts `speaker,path` (more columns may follow); paths relative to the manifest.
    pub manifest: PathBuf,
    /// Where to write the model (JSON).
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// The false-accept rate the threshold is calibrated for, on held-out speakers.
    #[arg(long, value_name = "F", default_value_t = 0.01)]
    pub target_far: f64,
    /// Speaker folds of the cross-validation (at least 3).
    #[arg(long, value_name = "K", default_value_t = 5)]
    pub folds: usize,
    /// Voicing level: frames whose c0 (natural log of the frame energy) reaches this are pooled.
    #[arg(long, value_name = "C0", default_value_t = 6.0)]
    pub voicing_threshold: f64,
    /// Fit no whitening projection (center and scale only).
    #[arg(long)]
    pub no_whitening: bool,
    /// Ridge r of the whitening: r tr(S_w) / d (d = 116 features) is added to the within-speaker covariance's diagonal.
    #[arg(long, value_name = "R", default_value_t = decision::fit::DEFAULT_RIDGE)]
    pub ridge: f64,
    /// Score by the plain cosine. By default the cosine is normalised on both sides against a cohort of the
    /// fitted speakers (S-norm), which the model file then holds.
    #[arg(long)]
    pub no_s_norm: bool,
    /// Recordings per held-out trial (their voiced frames pooled: a longer utterance).
    #[arg(long, default_value_t = 1)]
    pub trial_recordings: usize,
    /// Duration calibration: the threshold is offset by the trial's voiced frames, in this many bins fitted on
    /// the held-out trials (the bins' quantiles of voiced frames; offsets from each bin's genuine and impostor
    /// mean scores). 0 or 1: one threshold for every length.
    #[arg(long, value_name = "B", default_value_t = decision::fit::DEFAULT_DURATION_BINS)]
    pub duration_bins: usize,
    /// Fit on the recordings as they are only. By default every recording is used twice, as it is and as a
    /// telephone-band copy (low-passed at 3.8 kHz) of the same speaker, so that the model does not take the
    /// channel for the voice; the held-out trials are then run in each channel and pooled.
    #[arg(long)]
    pub no_telephone: bool,
    /// Write SVG plots of the held-out trials into DIR: scores.svg (score histograms, threshold marked) and
    /// det.svg (DET curve, operating point marked).
    #[arg(long, value_name = "DIR")]
    pub plot: Option<PathBuf>,
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
    /// The session nonce the proofs are bound to (64 hex digits; default zero). A final proof accepts only
    /// chunks made for its own nonce.
    #[arg(long, value_name = "HEX")]
    pub nonce: Option<Hex4>,
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
    #[command(flatten)]
    pub root: RootOpts,
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
    /// The session nonce every layer is bound to (64 hex digits; default zero). A final proof accepts only a
    /// root proof made for its own nonce.
    #[arg(long, value_name = "HEX")]
    pub nonce: Option<Hex4>,
    #[command(flatten)]
    pub cache: CacheOpts,
}

#[derive(Debug, Args)]
pub struct PlanCmd {
    /// WAV file to prove (16 kHz mono 16-bit PCM).
    pub file: PathBuf,
    /// Directory of the plan (created if missing; an earlier plan in it is replaced, with its stages' files).
    #[arg(long, value_name = "DIR")]
    pub dir: PathBuf,
    /// Template file written by `voizk enroll`.
    #[arg(long, value_name = "T")]
    pub template: PathBuf,
    /// A model file (JSON); the built-in default if omitted. The template must be enrolled under it.
    #[arg(long, value_name = "M")]
    pub model: Option<PathBuf>,
    /// The verifier's nonce: 64 hex digits (four field elements); every stage's proof is bound to it.
    #[arg(long, value_name = "HEX")]
    pub nonce: Hex4,
    #[command(flatten)]
    pub root: RootOpts,
}

#[derive(Debug, Args)]
pub struct StageCmd {
    /// Plan directory written by `voizk plan`.
    pub dir: PathBuf,
    /// The stage, as the job lists name it: chunk-00000, leaf-00000, fold-1-00000, root, final.
    #[arg(required_unless_present = "wave", conflicts_with = "wave")]
    pub stage: Option<String>,
    /// The wave of the stage (0: chunk STARKs, 1: leaves, then each fold level, root, final), with --index:
    /// the form for job arrays.
    #[arg(long, value_name = "W", requires = "index")]
    pub wave: Option<usize>,
    /// The stage's place in its wave, from 0 ($SLURM_ARRAY_TASK_ID, $JOB_COMPLETION_INDEX).
    #[arg(long, value_name = "I", requires = "wave")]
    pub index: Option<usize>,
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
    /// Root proof file written by `voizk prove-frames`, or final proof file written by `voizk prove`.
    pub root: PathBuf,
}
