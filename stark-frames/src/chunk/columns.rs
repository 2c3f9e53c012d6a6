//! Column layout of the chunk STARK.
//!
//! A chunk of K frames is a trace of `16 K` rows (at least 1024, see
//! [`MIN_ROWS`]): each frame owns a block of [`ROWS_PER_FRAME`] consecutive rows.
//! Every row has the same columns ([`ChunkCols`]); the `general` and `limbs`
//! regions are read differently depending on the row's position in its block
//! (see `schedule.rs` and `docs/ARCHITECTURE.md`). Nothing refers to a column by a
//! literal index: code goes through [`ChunkCols`] views or [`COL_MAP`].

use std::borrow::{Borrow, BorrowMut};
use std::mem::{size_of, transmute};

use super::poseidon::POSEIDON_COLS;
use crate::fixed::format::MAX_BLOCK_SHIFT;
use crate::params::FRAME_LEN;

/// Rows of one frame block.
pub const ROWS_PER_FRAME: usize = 16;
/// Block shift values `s = 0..=16`.
pub const NUM_SHIFTS: usize = MAX_BLOCK_SHIFT as usize + 1;
/// Width of the general-purpose region (holds the 512 FFT values of a stage, plus accumulators).
pub const GENERAL_COLS: usize = 544;
/// Width of the range-checked region: every cell is a 16-bit limb, looked up in the range table.
pub const LIMB_COLS: usize = 800;
/// Columns of the 16-bit range table: table column `i` holds `counter + i * height`.
pub const RANGE_TABLE_COLS: usize = 64;
/// Smallest trace height: the table columns must cover all `2^16` values.
pub const MIN_ROWS: usize = (1 << 16) / RANGE_TABLE_COLS;

/// One row of the chunk STARK.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChunkCols<T> {
    /// One-hot: the row's position `0..16` in its frame block.
    pub row: [T; ROWS_PER_FRAME],
    /// One-hot: the frame's block shift `s` (constant over the block).
    pub shift: [T; NUM_SHIFTS],
    /// The frame's energy `e = sum y[n]^2` (constant over the block).
    pub frame_energy: T,
    /// The sample before the frame, `x[-1]` (constant over the block); 0 before the audio.
    pub prev_sample: T,
    /// The frame's 400 samples (constant over the block; zero past the audio).
    pub samples: [T; FRAME_LEN],
    /// Index of the frame in the whole recording (constant over the block).
    pub frame_index: T,
    /// Per-frame flags and the inverses that define them (constant over the block).
    pub flags: FrameFlags<T>,
    /// Sponge capacity before this row's absorption (carried row to row).
    pub sponge_cap: [T; 4],
    /// `h_audio` once the length block is absorbed, else 0 (carried row to row).
    pub digest: [T; 4],
    /// One Poseidon permutation (rows 0..=10 of a block).
    pub hash: [T; POSEIDON_COLS],
    /// Pooled statistics of the voiced frames so far (carried row to row).
    pub stats: StatsCols<T>,
    /// General-purpose values; meaning depends on the row (see `schedule.rs`).
    pub general: [T; GENERAL_COLS],
    /// 16-bit limbs; meaning depends on the row. Unused limbs are 0.
    pub limbs: [T; LIMB_COLS],
    /// The range table's row counter `0..height`.
    pub range_counter: T,
    /// Multiplicity of each range-table value `range_counter + i * height` among the looked-up limbs.
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
    /// 1 if the frame's hop holds audio (`frame_index < num_hops`) and is absorbed.
    pub hop_live: T,
    /// 1 if the frame's hop is the last one, so the length block follows it.
    pub owns_end: T,
    /// Inverse of `frame_index - (num_hops - 1)` when that is nonzero.
    pub owns_end_inv: T,
    /// 1 for the chunk's K frames; 0 for padding blocks (which repeat the last frame).
    pub in_chunk: T,
    /// `in_chunk * hop_live`: the block absorbs its hop.
    pub absorb_hop: T,
    /// `in_chunk * owns_end`: the block absorbs the length block.
    pub absorb_len: T,
    /// `in_chunk * real`: the frame counts in the statistics.
    pub counted: T,
    /// `in_chunk * last_real`: the block carries the end-of-audio marker.
    pub marks_end: T,
}

/// Running sums of the pooled statistics (see `fixed::pooled`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatsCols<T> {
    /// `sum c_n` over voiced frames so far.
    pub sum: [T; crate::params::NUM_CEPS],
    /// `sum round(c_n / 2^12)^2` over voiced frames so far.
    pub sum_sq: [T; crate::params::NUM_CEPS],
    /// Voiced frames so far.
    pub count: T,
}

/// Number of columns of the chunk STARK.
pub const NUM_COLS: usize = size_of::<ChunkCols<u8>>();

impl<T> Borrow<ChunkCols<T>> for [T] {
    fn borrow(&self) -> &ChunkCols<T> {
        assert_eq!(self.len(), NUM_COLS, "a chunk row has {NUM_COLS} columns");
        // SAFETY: ChunkCols<T> is repr(C) and consists of exactly NUM_COLS fields of type T.
        let (prefix, cols, suffix) = unsafe { self.align_to::<ChunkCols<T>>() };
        assert!(prefix.is_empty() && suffix.is_empty() && cols.len() == 1, "misaligned chunk row");
        &cols[0]
    }
}

impl<T> BorrowMut<ChunkCols<T>> for [T] {
    fn borrow_mut(&mut self) -> &mut ChunkCols<T> {
        assert_eq!(self.len(), NUM_COLS, "a chunk row has {NUM_COLS} columns");
        // SAFETY: as in `borrow`.
        let (prefix, cols, suffix) = unsafe { self.align_to_mut::<ChunkCols<T>>() };
        assert!(prefix.is_empty() && suffix.is_empty() && cols.len() == 1, "misaligned chunk row");
        &mut cols[0]
    }
}

const fn make_col_map() -> ChunkCols<usize> {
    let mut indices = [0usize; NUM_COLS];
    let mut i = 0;
    while i < NUM_COLS {
        indices[i] = i;
        i += 1;
    }
    // SAFETY: same layout, usize fields.
    unsafe { transmute::<[usize; NUM_COLS], ChunkCols<usize>>(indices) }
}

/// The index of every column, for lookups and for tests that corrupt a named cell.
pub const COL_MAP: ChunkCols<usize> = make_col_map();

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn col_map_is_consistent() {
        assert_eq!(COL_MAP.row[0], 0);
        assert_eq!(COL_MAP.range_mult[RANGE_TABLE_COLS - 1], NUM_COLS - 1);
        let mut row = vec![0u32; NUM_COLS];
        let cols: &mut ChunkCols<u32> = row[..].borrow_mut();
        cols.limbs[7] = 42;
        assert_eq!(row[COL_MAP.limbs[7]], 42);
    }
}
