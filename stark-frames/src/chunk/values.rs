//! The public values of a proof with the chunk layout, decoded into plain numbers: what every layer prints and
//! checks (a chunk proof, and the leaf, fold and root proofs of the recursion, which keep the chunk layout).

use std::borrow::Borrow;

use plonky2::field::types::PrimeField64;

use super::check::signed;
use super::config::F;
use super::prover::ChunkProof;
use super::public::ChunkPublicInputs;
use crate::commitment::AudioCommitment;
use crate::fixed::pooled::PooledStats;

impl ChunkProof {
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
    /// `sum v_n` over them (Q24; the 13 cepstra, then the 26 log mel energies).
    pub stats_sum: Vec<i64>,
    /// `sum round(v_n / 2^12)^2` over them (Q24).
    pub stats_sum_sq: Vec<i64>,
    /// `sum d_n^2` of the regression deltas (`fixed::pooled`) of the voiced frames whose term the proof adds.
    pub stats_sum_dsq: Vec<i64>,
    /// The session nonce the proof is bound to (hex; zero when none was given).
    pub nonce: String,
}

impl ChunkPublicValues {
    /// The pooled statistics these values state (`stats_sum`, `stats_sum_sq`, `voiced_frames`, `stats_sum_dsq`).
    pub fn pooled_stats(&self) -> PooledStats {
        PooledStats {
            sum: std::array::from_fn(|i| self.stats_sum[i]),
            sum_sq: std::array::from_fn(|i| self.stats_sum_sq[i]),
            count: self.voiced_frames,
            sum_dsq: std::array::from_fn(|i| self.stats_sum_dsq[i]),
        }
    }

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
            stats_sum: p.stats.sum.map(signed).to_vec(),
            stats_sum_sq: p.stats.sum_sq.map(signed).to_vec(),
            stats_sum_dsq: p.delta_sum_dsq.map(signed).to_vec(),
            nonce: p.nonce.iter().map(|e| format!("{:016x}", e.to_canonical_u64())).collect(),
        }
    }
}
