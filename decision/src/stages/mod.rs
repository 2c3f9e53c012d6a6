//! One recording's proof run stage by stage over files, so that its stages can run in separate processes, on
//! separate machines, by a batch engine (GNU parallel, Slurm job arrays, Kubernetes Indexed Jobs).
//!
//! [`plan_dir`] writes and opens the directory of one proof (the plan of `recursion::plan`, the recording, the
//! template and the model); [`run`] proves one stage of it from the files earlier stages wrote; [`inputs`]
//! reads those files and refuses, with an error naming the file and what is wrong, a file of another stage,
//! another order, another recording, another nonce, other settings or another circuit. The stages prove with the
//! circuits `voizk prove` uses with the same tree settings, so the final proof states what the one-process proof
//! states and verifies under the same decision key.
//!
//! Only the tree shape is run apart: the ladder proves a recording as one chunk, so it has nothing to spread.

pub mod inputs;
pub mod plan_dir;
pub mod run;

use std::path::PathBuf;

use recursion::cache::CacheError;
use recursion::fold::FoldError;
use recursion::fold_chain::ChainError;
use recursion::leaf::LeafError;
use recursion::settings::SettingsError;
use recursion::wrap::WrapError;
use stark_frames::chunk::file::VerifyError;
use stark_frames::chunk::prover::ProveError;
use stark_frames::AudioError;

use crate::files::DecisionFileError;
use crate::final_circuit::DecisionError;
use crate::model::ModelError;
use crate::template::TemplateError;

/// Why a plan cannot be made or a stage cannot run.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// An input of the stage does not exist yet.
    #[error("{file} does not exist: run stage {stage} first")]
    Missing {
        /// The file.
        file: PathBuf,
        /// The stage that writes it.
        stage: String,
    },
    /// `plan.json` is not a plan of this voizk.
    #[error("{0}")]
    Plan(String),
    /// No such stage in the plan.
    #[error("the plan has no stage {0}")]
    UnknownStage(String),
    /// An input file is readable but belongs to another proof (stage, order, recording, nonce, settings, circuit).
    #[error("{file}: {reason}")]
    Mismatch {
        /// The file.
        file: PathBuf,
        /// What does not match.
        reason: String,
    },
    /// The template was enrolled under another model.
    #[error("the template was enrolled under model {template}, the model given is {model}")]
    TemplateModel {
        /// The template's `h_model`.
        template: String,
        /// The model's.
        model: String,
    },
    /// A plan file that does not serialise (never).
    #[error("plan file: {0}")]
    Json(#[from] serde_json::Error),
    /// The recording.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// The settings or the recording's length.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// The model file.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The template file.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A chunk proof file.
    #[error("{file}: {source}")]
    ChunkFile {
        /// The file.
        file: PathBuf,
        /// Why it is refused.
        source: VerifyError,
    },
    /// A leaf, fold or root proof file.
    #[error("{file}: {source}")]
    ProofFile {
        /// The file.
        file: PathBuf,
        /// Why it is refused.
        source: recursion::files::FileError,
    },
    /// Proving a chunk STARK.
    #[error(transparent)]
    Chunk(#[from] ProveError),
    /// The leaf circuit.
    #[error(transparent)]
    Leaf(#[from] LeafError),
    /// Building the fold levels or the wrap.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Proving a fold.
    #[error(transparent)]
    Fold(#[from] FoldError),
    /// Proving the wrap.
    #[error(transparent)]
    Wrap(#[from] WrapError),
    /// The final circuit.
    #[error(transparent)]
    Decision(#[from] DecisionError),
    /// Checking the final proof as a verifier would.
    #[error(transparent)]
    FinalFile(#[from] DecisionFileError),
    /// The circuit cache.
    #[error(transparent)]
    Cache(#[from] CacheError),
}
