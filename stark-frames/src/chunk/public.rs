//! The public values of a chunk proof.

use std::borrow::{Borrow, BorrowMut};
use std::mem::size_of;

use super::columns::{DELTA_HISTORY, DELTA_WEIGHT_HISTORY};
use crate::params::{FRAME_LEN, HOP, NUM_STAT_VALUES};

/// Samples a chunk shares with its neighbour: the 240 samples the next frame
/// re-reads, plus the one before them (the pre-emphasis carry).
pub const BOUNDARY_SAMPLES: usize = FRAME_LEN - HOP + 1;
/// Samples per public element of a boundary: one. A chunk range-checks the samples it absorbs, not the
/// last frame's `samples[160..400]` that the next chunk absorbs, so the public element must equal that one
/// sample in the field: packing several (`a + 2^16 b + ...`) would let out-of-range values of this chunk
/// collide with the next chunk's range-checked ones (`(2^16, -1)` packs like `(0, 0)`).
pub const SAMPLES_PER_BOUNDARY_ELEMENT: usize = 1;
// The root reads the sample before the recording as `head[0]` alone.
const _: () = assert!(SAMPLES_PER_BOUNDARY_ELEMENT == 1);
/// Field elements of a boundary.
pub const BOUNDARY_ELEMENTS: usize = BOUNDARY_SAMPLES.div_ceil(SAMPLES_PER_BOUNDARY_ELEMENT);

/// Public values of a chunk proof, in the order of the proof's public inputs.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkPublicInputs<T> {
    /// Index of the chunk's first frame in the recording.
    pub first_frame: T,
    /// Samples in the recording, `N`.
    pub num_samples: T,
    /// Frames of the recording, `1 + ceil((N - 400) / 160)`.
    pub num_frames: T,
    /// Hops of the recording, `ceil(N / 160)`.
    pub num_hops: T,
    /// Audio-sponge capacity before the chunk's first hop.
    pub sponge_in: [T; 4],
    /// Audio-sponge capacity after the chunk's last hop.
    pub sponge_out: [T; 4],
    /// `h_audio` if the chunk absorbs the length block (it holds the last hop), else zero.
    pub digest: [T; 4],
    /// The first frame's `x[-1], x[0..240]`, one sample (`x + 2^15`) per element.
    pub head: [T; BOUNDARY_ELEMENTS],
    /// The last frame's `x[159], x[160..400]`, the same way; the next chunk's head.
    pub tail: [T; BOUNDARY_ELEMENTS],
    /// Voicing threshold on `c0` (Q24, as a field element) that the statistics use.
    pub voicing_threshold: T,
    /// Pooled statistics of the chunk's voiced real frames.
    pub stats: super::columns::StatsCols<T>,
    /// `sum d^2` (per statistics value) of the regression deltas of the voiced frames whose term this chunk adds:
    /// its own frames up to the one two before its last (all of them if it holds the recording's end), and the
    /// previous chunk's last two.
    pub delta_sum_dsq: [T; NUM_STAT_VALUES],
    /// 1 if the chunk's first frame has a previous frame (every chunk but the recording's first); 0 makes the
    /// first row's register its own delta quotients (the clamped start) and ignores `delta_in`.
    pub delta_has_prev: T,
    /// The previous chunk's [`Self::delta_out`].
    pub delta_in: DeltaLink<T>,
    /// The register the frame after this chunk's last one starts with.
    pub delta_out: DeltaLink<T>,
    /// The verifier's session nonce the proof is made for (zero when none was given). No constraint reads
    /// it: the proof is bound to it because the public inputs are the first thing its Fiat-Shamir transcript
    /// absorbs, and every layer above requires its children's nonces to equal its own, up to the final proof.
    pub nonce: [T; NONCE_ELEMENTS],
}

/// What a chunk hands its successor for the regression deltas: the register (`columns::DeltaCols`) of the
/// frame after its last frame `f`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeltaLink<T> {
    /// `weight(f)`, `weight(f - 1)`: whether the terms of frames `f` and `f - 1`, still open, are added.
    pub weight: [T; DELTA_WEIGHT_HISTORY],
    /// `e(f)`, `e(f - 1)`, `e(f - 2)`, `e(f - 3)`: the delta quotients of the last four frames (clamped).
    pub e: [[T; NUM_STAT_VALUES]; DELTA_HISTORY],
}

impl<T> DeltaLink<T> {
    /// Every element, in the order of the public inputs.
    pub fn elements(&self) -> impl Iterator<Item = &T> {
        self.weight.iter().chain(self.e.iter().flatten())
    }

    /// Every element, mutably, in the order of the public inputs.
    pub fn elements_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.weight.iter_mut().chain(self.e.iter_mut().flatten())
    }
}

/// Field elements of a session nonce.
pub const NONCE_ELEMENTS: usize = 4;

/// Number of public inputs of a chunk proof.
pub const NUM_PUBLIC_INPUTS: usize = size_of::<ChunkPublicInputs<u8>>();

impl<T> Borrow<ChunkPublicInputs<T>> for [T] {
    fn borrow(&self) -> &ChunkPublicInputs<T> {
        assert_eq!(self.len(), NUM_PUBLIC_INPUTS, "a chunk proof has {NUM_PUBLIC_INPUTS} public inputs");
        // SAFETY: repr(C), exactly NUM_PUBLIC_INPUTS fields of type T.
        unsafe { &*self.as_ptr().cast::<ChunkPublicInputs<T>>() }
    }
}

impl<T> BorrowMut<ChunkPublicInputs<T>> for [T] {
    fn borrow_mut(&mut self) -> &mut ChunkPublicInputs<T> {
        assert_eq!(self.len(), NUM_PUBLIC_INPUTS, "a chunk proof has {NUM_PUBLIC_INPUTS} public inputs");
        // SAFETY: as above.
        unsafe { &mut *self.as_mut_ptr().cast::<ChunkPublicInputs<T>>() }
    }
}

/// The boundary samples `x[-1], x[0..240]` (or `x[159], x[160..400]`) of a frame
/// as packing coefficients: element `e` is `sum_k 2^(16 k) (x[i_k] + 2^15)` over
/// its [`SAMPLES_PER_BOUNDARY_ELEMENT`] samples; returns, per element, the list of `(sample position, shift)`
/// where position `-1` is the previous sample. Used by constraints and generation.
pub fn boundary_layout(tail: bool) -> Vec<Vec<(isize, u32)>> {
    let positions: Vec<isize> = if tail {
        std::iter::once(HOP as isize - 1).chain((HOP..FRAME_LEN).map(|n| n as isize)).collect()
    } else {
        std::iter::once(-1).chain((0..FRAME_LEN - HOP).map(|n| n as isize)).collect()
    };
    positions
        .chunks(SAMPLES_PER_BOUNDARY_ELEMENT)
        .map(|c| c.iter().enumerate().map(|(k, &p)| (p, 16 * k as u32)).collect())
        .collect()
}

/// Packs boundary samples (`x[-1]` first) as the public inputs hold them.
pub fn pack_boundary(samples: &[i16; BOUNDARY_SAMPLES]) -> [u64; BOUNDARY_ELEMENTS] {
    std::array::from_fn(|e| {
        let k = SAMPLES_PER_BOUNDARY_ELEMENT;
        samples[k * e..(k * e + k).min(BOUNDARY_SAMPLES)]
            .iter()
            .enumerate()
            .map(|(k, &x)| ((i64::from(x) + (1 << 15)) as u64) << (16 * k))
            .sum()
    })
}
