//! Column layout of the chunk STARK: one row per frame.
//!
//! A chunk of K frames is a trace of `max(K, 256)` rows rounded up to a power of two ([`MIN_ROWS`]: the
//! range table needs `2^16 / height <= 256` columns). Row `i` holds frame `first_frame + i` completely:
//! its 400 samples, the end-of-audio marker, block shift, the limbs of its spectrum, logs, cepstra and
//! statistics, and the eleven Poseidon permutations that absorb its hop (and, for the frame owning the
//! last hop, the length block). Rows past the chunk's K frames are padding rows (`in_chunk = 0`) that repeat
//! the last frame's samples and absorb and count nothing. Nothing refers to a column by a literal index:
//! code goes through [`FrameRow`] views or [`COL_MAP`]; the range-checked cells are named by `layout.rs`.

use std::borrow::{Borrow, BorrowMut};
use std::mem::{size_of, transmute};

use super::layout::LIMB_COLS;
pub use super::layout::NUM_LOGS;
use super::poseidon_x7::POSEIDON_X7_COLS;
use crate::fixed::format::MAX_BLOCK_SHIFT;
use crate::fixed::pooled::NUM_DELTA_RESCALED;
use crate::params::{FRAME_LEN, NUM_STAT_VALUES};

/// Block shift values `s = 0..=20` (scale `2^(s - 4)`).
pub const NUM_SHIFTS: usize = MAX_BLOCK_SHIFT as usize + 1;
/// First sample position where the audio can end inside its last frame: `N - 160 f` lies in `241..=400`.
pub const FIRST_END_POSITION: usize = 241;
/// Entries of the end marker: "not the last frame", then the end positions `241..=400`.
pub const END_MARKERS: usize = FRAME_LEN - FIRST_END_POSITION + 2;
/// Poseidon permutations per row: the hop's 10 blocks, then the length block.
pub const HASH_SLOTS: usize = crate::commitment::BLOCKS_PER_HOP + 1;
/// Columns of the 16-bit range table: table column `i` holds `counter + i * height`.
pub const RANGE_TABLE_COLS: usize = 256;
/// Smallest trace height: the table columns must cover all `2^16` values.
pub const MIN_ROWS: usize = (1 << 16) / RANGE_TABLE_COLS;

/// One row of the chunk STARK: everything about one frame.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameRow<T> {
    /// Index `f` of the frame in the whole recording.
    pub frame_index: T,
    /// The frame's place in the recording and the chunk, with the witnesses that pin it.
    pub flags: FrameFlags<T>,
    /// The sample before the frame, `x[160 f - 1]` (0 before the audio).
    pub prev_sample: T,
    /// The frame's samples `x[160 f + n]`, zero past the audio.
    pub samples: [T; FRAME_LEN],
    /// One-hot: entry 0 "not the recording's last frame"; entry `1 + i` marks the end of the audio at
    /// position `241 + i` of the last frame (`N - 160 f`).
    pub end_marker: [T; END_MARKERS],
    /// `97 x[n0 - 1]` at the first padded position `n0 < 400`, else 0: python_speech_features pads the
    /// pre-emphasised signal, so `y[n0] = 0` rather than `-97 x[n0 - 1]`.
    pub end_correction: T,
    /// One-hot: the frame's block shift `s`.
    pub shift: [T; NUM_SHIFTS],
    /// The frame energy `e = sum y[n]^2`.
    pub frame_energy: T,
    /// Witness of the integer log of each mel energy and of the frame energy.
    pub logs: [LogCols<T>; NUM_LOGS],
    /// `c0`, the voicing decision and the weighted values of the statistics.
    pub voicing: VoicingCols<T>,
    /// Audio-sponge capacity before this row's absorption.
    pub sponge_cap: [T; 4],
    /// `h_audio` if an earlier row absorbed the length block, else 0.
    pub digest: [T; 4],
    /// Pooled statistics of the chunk's voiced frames before this row.
    pub stats: StatsCols<T>,
    /// The regression deltas of the statistics (`delta_air.rs`).
    pub delta: DeltaCols<T>,
    /// The row's Poseidon permutations: slot `i < 10` absorbs samples `16 i .. 16 i + 16`, slot 10 the
    /// length block.
    pub hash: [[T; POSEIDON_X7_COLS]; HASH_SLOTS],
    /// 16-bit limbs, all range-checked; named by `layout.rs`.
    pub limbs: [T; LIMB_COLS],
    /// The range table's row counter `0..height`.
    pub range_counter: T,
    /// Multiplicity of each range-table value `range_counter + i * height` among the limbs.
    pub range_mult: [T; RANGE_TABLE_COLS],
}

/// Flags of a frame, each with the witness that pins it down (see `commit_air.rs`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameFlags<T> {
    /// 1 if the frame is one of the recording's frames (`frame_index < num_frames`).
    pub real: T,
    /// 1 if the frame is the recording's last frame.
    pub last_real: T,
    /// Inverse of `frame_index - (num_frames - 1)` when that is nonzero.
    pub last_real_inv: T,
    /// 1 if the frame's hop holds audio (`frame_index < num_hops`).
    pub hop_live: T,
    /// 1 if the frame's hop is the last one, so the length block follows it.
    pub owns_end: T,
    /// Inverse of `frame_index - (num_hops - 1)` when that is nonzero.
    pub owns_end_inv: T,
    /// 1 for the chunk's K frames; 0 for padding rows.
    pub in_chunk: T,
    /// `in_chunk * hop_live`: the row absorbs its hop.
    pub absorb_hop: T,
    /// `in_chunk * owns_end`: the row absorbs the length block.
    pub absorb_len: T,
    /// `in_chunk * real`: the frame counts in the statistics.
    pub counted: T,
    /// `in_chunk * last_real`: the row carries the end-of-audio marker.
    pub marks_end: T,
}

/// The witness of one integer log `ln(m)` (see `log_air.rs`); its limbs are in `layout::log_slot`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogCols<T> {
    /// `[m == 0]`.
    pub is_zero: T,
    /// `1 / m` when `m != 0`.
    pub inv: T,
    /// Bits of the leading-bit position `L`.
    pub bits: [T; 6],
    /// `2^(L mod 4)`, `2^(L mod 8)`, ..., `2^L`: partial powers of two built from the bits.
    pub pow: [T; 5],
    /// `2^(59 - L)`: normalises `m` into `[2^59, 2^60)`.
    pub norm: T,
}

/// Per-frame values of the pooled statistics: value `n` is `c_n` for `n < 13`, then log mel energy `n - 13`
/// (`crate::fixed::FrameValuesQ24`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VoicingCols<T> {
    /// `c0`, the log frame energy (Q24).
    pub c0: T,
    /// `[c0 >= threshold]`.
    pub voiced: T,
    /// `voiced * counted`: the frame enters the statistics.
    pub weight: T,
    /// `weight * v_n`.
    pub weighted_value: [T; NUM_STAT_VALUES],
    /// `weight * q_n`, `q_n = round(v_n / 2^12)`.
    pub weighted_q: [T; NUM_STAT_VALUES],
}

/// Running sums of the pooled statistics (see `fixed::pooled`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatsCols<T> {
    /// `sum v_n` over voiced frames so far (the cepstra, then the log mel energies).
    pub sum: [T; NUM_STAT_VALUES],
    /// `sum round(v_n / 2^12)^2` over voiced frames so far.
    pub sum_sq: [T; NUM_STAT_VALUES],
    /// Voiced frames so far.
    pub count: T,
}

/// The regression deltas of the statistics (see `delta_air.rs`): row `f` adds the term of voiced frame `f - 2`,
/// `d = (e(f - 1) - e(f - 3)) + 2 (e(f) - e(f - 4))` per delta quotient `e_n` (`fixed::pooled::delta_quotients`),
/// squared; the recording's last row adds the terms of its last two frames as well, with the end clamped.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeltaCols<T> {
    /// The delta quotients of the four previous frames, `prev_e[i] = e(f - 1 - i)`, indices clamped to the
    /// recording's first frame (first row: the public `delta_in`, or the row's own `e` in the recording's first
    /// chunk).
    pub prev_e: [[T; NUM_STAT_VALUES]; DELTA_HISTORY],
    /// The weights (voiced and counted) of the two previous frames, `prev_weight[i] = weight(f - 1 - i)`, 0 before
    /// the recording.
    pub prev_weight: [T; DELTA_WEIGHT_HISTORY],
    /// Bits `b0, b1` of the remainder `b0 + 2 b1` of each rescaled delta quotient (`q + 2 = 4 e + r`), one pair
    /// per value of `fixed::pooled::DELTA_RESCALED` in order.
    pub rem_bits: [[T; DELTA_RESCALE_BITS]; NUM_DELTA_RESCALED],
    /// The terms added by the rows before this one.
    pub sum_dsq: [T; NUM_STAT_VALUES],
}

/// Frames of delta quotients a row keeps: `e(f - 1) .. e(f - 4)`.
pub const DELTA_HISTORY: usize = 2 * crate::fixed::pooled::DELTA_REACH;
/// Frames of weights a row keeps: `weight(f - 1)`, `weight(f - 2)` (the frames whose terms are still open).
pub const DELTA_WEIGHT_HISTORY: usize = crate::fixed::pooled::DELTA_REACH;
/// Remainder bits of a rescaled delta quotient.
pub const DELTA_RESCALE_BITS: usize = crate::fixed::pooled::DELTA_RESCALE_BITS as usize;

/// Number of columns of the chunk STARK.
pub const NUM_COLS: usize = size_of::<FrameRow<u8>>();

impl<T> Borrow<FrameRow<T>> for [T] {
    fn borrow(&self) -> &FrameRow<T> {
        assert_eq!(self.len(), NUM_COLS, "a chunk row has {NUM_COLS} columns");
        // SAFETY: FrameRow<T> is repr(C) and consists of exactly NUM_COLS fields of type T.
        let (prefix, cols, suffix) = unsafe { self.align_to::<FrameRow<T>>() };
        assert!(prefix.is_empty() && suffix.is_empty() && cols.len() == 1, "misaligned chunk row");
        &cols[0]
    }
}

impl<T> BorrowMut<FrameRow<T>> for [T] {
    fn borrow_mut(&mut self) -> &mut FrameRow<T> {
        assert_eq!(self.len(), NUM_COLS, "a chunk row has {NUM_COLS} columns");
        // SAFETY: as in `borrow`.
        let (prefix, cols, suffix) = unsafe { self.align_to_mut::<FrameRow<T>>() };
        assert!(prefix.is_empty() && suffix.is_empty() && cols.len() == 1, "misaligned chunk row");
        &mut cols[0]
    }
}

const fn make_col_map() -> FrameRow<usize> {
    let mut indices = [0usize; NUM_COLS];
    let mut i = 0;
    while i < NUM_COLS {
        indices[i] = i;
        i += 1;
    }
    // SAFETY: same layout, usize fields.
    unsafe { transmute::<[usize; NUM_COLS], FrameRow<usize>>(indices) }
}

/// The index of every column, for lookups and for tests that corrupt a named cell.
pub const COL_MAP: FrameRow<usize> = make_col_map();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn col_map_is_consistent() {
        assert_eq!(COL_MAP.frame_index, 0);
        assert_eq!(COL_MAP.range_mult[RANGE_TABLE_COLS - 1], NUM_COLS - 1);
        let mut row = vec![0u32; NUM_COLS];
        let cols: &mut FrameRow<u32> = row[..].borrow_mut();
        cols.limbs[7] = 42;
        cols.logs[3].norm = 9;
        assert_eq!(row[COL_MAP.limbs[7]], 42);
        assert_eq!(row[COL_MAP.logs[3].norm], 9);
    }
}
