//! Proving and verifying chunks (the file format is in [`super::file`]).
//!
//! A chunk covers frames `c K .. c K + K` of a recording (`K` = frames per chunk,
//! any number from 1 to 4096; the trace has one row per frame, `K` rounded up to a power of
//! two and at least 256 rows, so small chunks cost as much as 256 frames). A recording of `N` samples has
//! `ceil(ceil(N / 160) / K)` chunks: enough to own every hop, including the one or
//! two hops past the last frame.

use std::borrow::{Borrow, BorrowMut};

use plonky2::field::types::PrimeField64;
use plonky2::fri::reduction_strategies::FriReductionStrategy;
use plonky2::fri::FriConfig;
use plonky2::plonk::config::{GenericConfig, PoseidonGoldilocksConfig};
use plonky2::util::timing::TimingTree;
use starky::config::StarkConfig;
use starky::proof::StarkProofWithPublicInputs;

use super::check::signed;
use super::public::{ChunkPublicInputs, NONCE_ELEMENTS};
use super::stark::ChunkStark;
use super::trace::ChunkTrace;
use crate::commitment::AudioCommitment;
use crate::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24;
use crate::params::HOP;

/// Extension degree of the proof system.
pub const D: usize = 2;
/// Hash and field configuration of chunk proofs.
pub type C = PoseidonGoldilocksConfig;
/// The field.
pub type F = <C as GenericConfig<D>>::F;
/// A chunk proof as starky produces it.
pub type StarkChunkProof = StarkProofWithPublicInputs<F, C, D>;

/// The STARK configuration of chunk proofs: FRI rate 1/16 with 21 queries and 16 proof-of-work bits,
/// the same 100 bits of conjectured security as starky's standard rate 1/2 with 84 queries.
///
/// The rate trades prover work for recursion cost: the LDE is 16 times the trace instead of 2, but the
/// recursion leaf, whose size is (queries x opened columns), verifies a quarter of the queries, and the
/// AIR may have degree 17 (`ChunkStark::constraint_degree`), which shrinks the trace (one column per
/// Poseidon S-box, 16 range-checked columns per LogUp helper). Together they bring the leaf to 2^16 rows
/// (`docs/PERFORMANCE.md`). Changing it changes every chunk proof and key.
pub fn chunk_config() -> StarkConfig {
    StarkConfig::new(
        100,
        2,
        FriConfig {
            rate_bits: 4,
            cap_height: 4,
            proof_of_work_bits: 16,
            reduction_strategy: FriReductionStrategy::ConstantArityBits(4, 5),
            num_query_rounds: 21,
        },
    )
}

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

/// Why a chunk proof file is rejected.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// Not a chunk proof file.
    #[error("not a voizk chunk proof (bad magic bytes)")]
    Magic,
    /// Written by another format version.
    #[error("unsupported chunk proof format version {0} (this voizk reads version {current})", current = super::file::FORMAT_VERSION)]
    Version(u32),
    /// Truncated or garbled.
    #[error("corrupted chunk proof: {0}")]
    Corrupt(String),
    /// Unsupported chunk size in the header.
    #[error("the proof claims {0} frames per chunk, which this voizk does not support")]
    ChunkSize(usize),
    /// The proof does not verify.
    #[error("the chunk proof does not verify: {0}")]
    Invalid(String),
}

/// A proven chunk: its size and the STARK proof with its public inputs.
#[derive(Clone, Debug)]
pub struct ChunkProof {
    /// Frames per chunk `K`.
    pub frames_per_chunk: usize,
    /// The proof and its public inputs.
    pub proof: StarkChunkProof,
}

/// Largest supported chunk size (41 s of audio): the trace of 4096 frames takes about 0.3 GB and its
/// low-degree extension about 0.7 GB; longer recordings use more chunks.
pub const MAX_FRAMES_PER_CHUNK: usize = 4096;

/// Whether `frames` is a supported chunk size.
pub fn supported_chunk_size(frames: usize) -> bool {
    (1..=MAX_FRAMES_PER_CHUNK).contains(&frames)
}

/// Number of chunks of `frames` frames for a recording of `num_samples` samples.
pub fn chunk_count(num_samples: usize, frames: usize) -> usize {
    num_samples.div_ceil(HOP).div_ceil(frames)
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

impl ChunkProof {
    /// Verifies the STARK proof against its public inputs.
    pub fn verify(&self) -> Result<(), VerifyError> {
        if !supported_chunk_size(self.frames_per_chunk) {
            return Err(VerifyError::ChunkSize(self.frames_per_chunk));
        }
        let stark = ChunkStark::<F, D>::new(self.frames_per_chunk);
        if self.proof.public_inputs.len() != super::public::NUM_PUBLIC_INPUTS {
            return Err(VerifyError::Invalid("wrong number of public inputs".into()));
        }
        // starky's verifier indexes into the proof; a malformed proof must not panic.
        let proof = self.proof.clone();
        let config = chunk_config();
        match std::panic::catch_unwind(move || starky::verifier::verify_stark_proof(stark, proof, &config, None)) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(VerifyError::Invalid(e.to_string())),
            Err(_) => Err(VerifyError::Invalid("malformed proof structure".into())),
        }
    }

    /// The public values, decoded.
    pub fn public_values(&self) -> ChunkPublicValues {
        ChunkPublicValues::decode(&self.proof.public_inputs, self.frames_per_chunk)
    }
}

/// The public values of a chunk proof in plain numbers (hex for field-element quadruples).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ChunkPublicValues {
    /// Chunk index `first_frame / K`.
    pub chunk_index: usize,
    /// First frame of the chunk.
    pub first_frame: usize,
    /// Frames per chunk.
    pub frames_per_chunk: usize,
    /// Samples in the recording.
    pub num_samples: u64,
    /// Frames in the recording.
    pub num_frames: u64,
    /// Hops in the recording.
    pub num_hops: u64,
    /// Audio-sponge capacity before the chunk (hex).
    pub sponge_in: String,
    /// Audio-sponge capacity after the chunk (hex).
    pub sponge_out: String,
    /// `h_audio`, when this chunk absorbs the end of the recording.
    pub h_audio: Option<String>,
    /// Voicing threshold on `c0` (Q24).
    pub voicing_threshold_q24: i64,
    /// Voiced real frames of the chunk.
    pub voiced_frames: u64,
    /// `sum c_n` over them (Q24).
    pub stats_sum: [i64; crate::params::NUM_CEPS],
    /// `sum round(c_n / 2^12)^2` over them (Q24).
    pub stats_sum_sq: [i64; crate::params::NUM_CEPS],
    /// The session nonce the proof is bound to (hex; zero when none was given).
    pub nonce: String,
}

impl ChunkPublicValues {
    /// Decodes the public inputs of a proof with the chunk layout (a chunk proof, or a leaf or fold proof
    /// spanning `frames_per_chunk` frames). Panics if `public_inputs` does not have the chunk layout's length.
    pub fn decode(public_inputs: &[F], frames_per_chunk: usize) -> Self {
        let p: &ChunkPublicInputs<F> = public_inputs.borrow();
        let u = |x: F| x.to_canonical_u64();
        let first = u(p.first_frame) as usize;
        ChunkPublicValues {
            chunk_index: first / frames_per_chunk,
            first_frame: first,
            frames_per_chunk,
            num_samples: u(p.num_samples),
            num_frames: u(p.num_frames),
            num_hops: u(p.num_hops),
            sponge_in: AudioCommitment(p.sponge_in).to_string(),
            sponge_out: AudioCommitment(p.sponge_out).to_string(),
            h_audio: (p.digest != [F::default(); 4]).then(|| AudioCommitment(p.digest).to_string()),
            voicing_threshold_q24: signed(p.voicing_threshold),
            voiced_frames: u(p.stats.count),
            stats_sum: p.stats.sum.map(signed),
            stats_sum_sq: p.stats.sum_sq.map(signed),
            nonce: p.nonce.iter().map(|e| format!("{:016x}", e.to_canonical_u64())).collect(),
        }
    }
}
