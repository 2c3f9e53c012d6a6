//! Proving chunks: the chunk STARK's prover over a recording's samples, with the statement's binding (voicing
//! threshold and session nonce). Verifying is in [`super::verifier`], the file format in [`super::file`], the
//! decoded public values in [`super::values`], the field and the STARK configuration in [`super::config`].
//!
//! A chunk covers frames `c K .. c K + K` of a recording (`K` = frames per chunk,
//! any number from 1 to 4096; the trace has one row per frame, `K` rounded up to a power of
//! two and at least 256 rows, so small chunks cost as much as 256 frames). A recording of `N` samples has
//! `ceil(ceil(N / 160) / K)` chunks: enough to own every hop, including the one or
//! two hops past the last frame.

use std::borrow::BorrowMut;

use plonky2::util::timing::TimingTree;
use starky::config::StarkConfig;

use super::config::{chunk_config, chunk_count, supported_chunk_size, StarkChunkProof, C, D, F, MAX_FRAMES_PER_CHUNK};
use super::public::{ChunkPublicInputs, NONCE_ELEMENTS};
use super::stark::ChunkStark;
use super::trace::ChunkTrace;
use crate::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24;

/// Why a chunk cannot be proven.
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
    /// Unsupported chunk size.
    #[error("frames per chunk must be between 1 and {MAX_FRAMES_PER_CHUNK} (got {0})")]
    ChunkSize(usize),
    /// The chunk lies past the end of the recording.
    #[error("chunk {index} is past the end: the recording has {count} chunks of {frames} frames")]
    NoSuchChunk {
        /// Requested chunk.
        index: usize,
        /// Chunks in the recording.
        count: usize,
        /// Frames per chunk.
        frames: usize,
    },
    /// The prover failed (a bug: honest traces always prove).
    #[error("the STARK prover failed: {0}")]
    Prover(String),
    /// The trace could not be generated (a bug: every 16-bit recording has one).
    #[error("internal error in trace generation: {0}")]
    Trace(String),
}

/// A proven chunk: its size and the STARK proof with its public inputs.
#[derive(Clone, Debug)]
pub struct ChunkProof {
    /// Frames per chunk `K`.
    pub frames_per_chunk: usize,
    /// The proof and its public inputs.
    pub proof: StarkChunkProof,
}

/// What a chunk proof states besides its audio, the same for every chunk of one proof: the voicing threshold
/// of its pooled statistics and the verifier's session nonce the proof is bound to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkBinding {
    /// Voicing threshold on `c0` (Q24).
    pub voicing_threshold_q24: i64,
    /// The session nonce (public input `nonce`; zero when the proof serves no session).
    pub nonce: [F; NONCE_ELEMENTS],
}

impl Default for ChunkBinding {
    /// The default voicing threshold (`DEFAULT_VOICING_THRESHOLD_Q24`) and the zero nonce.
    fn default() -> Self {
        Self { voicing_threshold_q24: DEFAULT_VOICING_THRESHOLD_Q24, nonce: [F::default(); NONCE_ELEMENTS] }
    }
}

impl ChunkBinding {
    /// The voicing threshold `voicing_threshold_q24` and the zero nonce.
    pub fn with_threshold(voicing_threshold_q24: i64) -> Self {
        Self { voicing_threshold_q24, ..Self::default() }
    }

    /// The same threshold, bound to `nonce`.
    pub fn with_nonce(self, nonce: [F; NONCE_ELEMENTS]) -> Self {
        Self { nonce, ..self }
    }
}

/// Proves chunk `index` of `audio` with `frames` frames per chunk, pooling the statistics of frames whose
/// `c0` reaches the default voicing threshold (`DEFAULT_VOICING_THRESHOLD_Q24`), with the zero nonce.
pub fn prove_chunk(audio: &[i16], frames: usize, index: usize) -> Result<ChunkProof, ProveError> {
    prove_chunk_bound(audio, frames, index, &ChunkBinding::default())
}

/// [`prove_chunk`] with another voicing threshold on `c0` (Q24), which the proof states as a public input.
pub fn prove_chunk_with_threshold(
    audio: &[i16],
    frames: usize,
    index: usize,
    voicing_threshold_q24: i64,
) -> Result<ChunkProof, ProveError> {
    prove_chunk_bound(audio, frames, index, &ChunkBinding::with_threshold(voicing_threshold_q24))
}

/// [`prove_chunk`] with the voicing threshold and the session nonce of `binding`, both stated as public
/// inputs; the nonce enters the proof's transcript before anything else, so the proof could not have been
/// searched for before the nonce was known.
pub fn prove_chunk_bound(
    audio: &[i16],
    frames: usize,
    index: usize,
    binding: &ChunkBinding,
) -> Result<ChunkProof, ProveError> {
    prove_chunk_inner(audio, frames, index, binding, &chunk_config(), &mut TimingTree::default())
}

/// [`prove_chunk`] with another STARK configuration (for experiments; proofs made
/// with it verify only under the same configuration) and a timing tree.
pub fn prove_chunk_with_config(
    audio: &[i16],
    frames: usize,
    index: usize,
    config: &StarkConfig,
    timing: &mut TimingTree,
) -> Result<ChunkProof, ProveError> {
    prove_chunk_inner(audio, frames, index, &ChunkBinding::default(), config, timing)
}

fn prove_chunk_inner(
    audio: &[i16],
    frames: usize,
    index: usize,
    binding: &ChunkBinding,
    config: &StarkConfig,
    timing: &mut TimingTree,
) -> Result<ChunkProof, ProveError> {
    if !supported_chunk_size(frames) {
        return Err(ProveError::ChunkSize(frames));
    }
    let count = chunk_count(audio.len(), frames);
    if index >= count {
        return Err(ProveError::NoSuchChunk { index, count, frames });
    }
    let stark = ChunkStark::<F, D>::new(frames);
    // Every 16-bit recording has a trace (`docs/FIXED_POINT.md`, "The whole input domain"); should a value
    // ever not fit its cells, that is a bug, reported as an error rather than a panic of the caller.
    let trace = std::panic::catch_unwind(|| {
        ChunkTrace::<F>::generate_with_threshold(
            audio,
            index * frames,
            frames,
            stark.height(),
            binding.voicing_threshold_q24,
        )
    })
    .map_err(|payload| ProveError::Trace(panic_message(&*payload)))?;
    let mut pis = trace.public_inputs.clone();
    let view: &mut ChunkPublicInputs<F> = pis[..].borrow_mut();
    view.nonce = binding.nonce;
    let proof = starky::prover::prove::<F, C, _, D>(stark, config, trace.into_polys(), &pis, None, timing)
        .map_err(|e| ProveError::Prover(e.to_string()))?;
    Ok(ChunkProof { frames_per_chunk: frames, proof })
}

/// The message of a caught panic.
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}
