//! The workspace's field and hash configuration, the chunk STARK's configuration, and the chunk geometry.
//!
//! Every layer (the chunk STARK, the recursion circuits, the final circuit) proves over the same field `F`
//! (Goldilocks), extension degree `D` and hash configuration `C` (Poseidon): they are defined here once, with the
//! FRI parameters of chunk proofs and the chunk sizes the STARK supports.

use plonky2::fri::reduction_strategies::FriReductionStrategy;
use plonky2::fri::FriConfig;
use plonky2::plonk::config::{GenericConfig, PoseidonGoldilocksConfig};
use starky::config::StarkConfig;
use starky::proof::StarkProofWithPublicInputs;

use crate::params::HOP;

/// Extension degree of the proof system.
pub const D: usize = 2;
/// Hash and field configuration of chunk proofs.
pub type C = PoseidonGoldilocksConfig;
/// The field.
pub type F = <C as GenericConfig<D>>::F;
/// A chunk proof as starky produces it.
pub type StarkChunkProof = StarkProofWithPublicInputs<F, C, D>;

/// The STARK configuration of chunk proofs: FRI rate 1/8 with 28 queries and 16 proof-of-work bits,
/// the same 100 bits of conjectured security as starky's standard rate 1/2 with 84 queries.
///
/// The rate trades prover work for recursion cost: the LDE is 8 times the trace instead of 2, but the
/// recursion leaf, whose size is (queries x opened columns), verifies a third of the queries, and the AIR
/// may have degree 9 (`ChunkStark::constraint_degree`), which shrinks the trace (one column per Poseidon
/// S-box, 8 range-checked columns per LogUp helper). Rate 1/16 with degree 17 (before issue 19) made the
/// LDE twice as long for a leaf of the same degree, 2^16 (`docs/PERFORMANCE.md`). Changing it changes
/// every chunk proof and key.
pub fn chunk_config() -> StarkConfig {
    StarkConfig::new(
        100,
        2,
        FriConfig {
            rate_bits: 3,
            cap_height: 4,
            proof_of_work_bits: 16,
            reduction_strategy: FriReductionStrategy::ConstantArityBits(4, 5),
            num_query_rounds: 28,
        },
    )
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
