//! What each row of a frame block does, and where its values live.
//!
//! | row | general region | limb region | constraints (local -> next) |
//! |---|---|---|---|
//! | 0 | end-of-audio marker `z` and pre-emphasis corrections `c` | window: samples 0..200 (`r`, `v`) | window (with row 1's limbs and `x_0`), frame energy |
//! | 1 | FFT input `x_0` = bit-reversed packed windowed samples `v` | window: samples 200..400 | FFT stage 0 |
//! | 2 | `x_1` | — | FFT stage 1 |
//! | 3..=8 | `x_s`, `s = 2..=7` | butterflies of stage `s` (`r`, `t`); row 3 also the block-shift bounds | FFT stage `s` |
//! | 9..=12 | `Z = x_8`, mel/energy accumulators | split + power of 64 (row 12: 65) bins | split, power, accumulation |
//! | 13 | accumulators `M[0..26]`, `E`; log witnesses of `M[0..13]` | logs of `M[0..13]`; DCT rescales | logs, DCT (with row 14's logs), accumulator carry |
//! | 14 | accumulators; log witnesses of `M[13..26]`, `E` | logs of `M[13..26]` and `E` | logs |
//! | 15 | — | sample range checks `x + 2^15` | — |
//!
//! Complex value `p` of an FFT vector sits at `general[2p]` (re) and `general[2p + 1]` (im).

use super::columns::{GENERAL_COLS, LIMB_COLS, ROWS_PER_FRAME};
use super::limbs::LimbValue;
use crate::params::{FRAME_LEN, NUM_BINS, NUM_FILTERS};

/// The prologue row: window constraints and the end-of-audio marker.
pub const PROLOGUE_ROW: usize = 0;
/// Row holding FFT stage `s`'s input vector `x_s` (`s = 0..=8`; row 9 holds the FFT output `Z`).
pub const fn fft_row(stage: usize) -> usize {
    stage + 1
}
/// Number of radix-2 stages of the 256-point FFT.
pub const FFT_STAGES: usize = 8;
/// Stages whose twiddles are all exact (1 or -i): no rescale, no limbs.
pub const EXACT_STAGES: usize = 2;
/// First row of the split/power rows.
pub const SPLIT_FIRST_ROW: usize = fft_row(FFT_STAGES);
/// Number of split/power rows.
pub const SPLIT_ROWS: usize = 4;
/// Bins handled per split row (the last row also takes bin 256).
pub const BINS_PER_SPLIT_ROW: usize = 64;
/// Row whose accumulators hold the final mel energies and frame energy.
pub const MEL_RESULT_ROW: usize = SPLIT_FIRST_ROW + SPLIT_ROWS;
/// The two rows holding the 27 integer logs (13 in the first, 14 in the second).
pub const LOG_ROWS: [usize; 2] = [MEL_RESULT_ROW, MEL_RESULT_ROW + 1];
/// Logs held by the first log row; the second holds the rest (13 mel bands and the energy).
pub const LOGS_IN_FIRST_ROW: usize = 13;
/// Row holding the range checks of the frame's samples.
pub const SAMPLE_CHECK_ROW: usize = MEL_RESULT_ROW + 2;
/// General columns per log: `z, inv, b0..b5, p1..p5, Q`.
pub const LOG_GENERAL_COLS: usize = 15;
/// Limbs per log: `u` (2), `r'` (3), upper bound (4), 7 Horner steps of 4.
pub const LOG_LIMBS: usize = 9 + 4 * 7;
/// Limbs of the DCT rescales (in the first log row, after its logs).
pub const DCT_LIMB_OFFSET: usize = LOG_LIMBS * LOGS_IN_FIRST_ROW;
/// Offset of the 27 accumulators (26 mel energies, then the frame energy) in the general region.
pub const ACC_OFFSET: usize = 512;
/// Number of accumulators.
pub const NUM_ACC: usize = NUM_FILTERS + 1;
/// Samples whose window limbs sit in each of rows 0 and 1.
pub const WINDOW_SAMPLES_PER_ROW: usize = 200;
/// First position where the audio can end inside its last frame: `N - 160 f` for
/// the last frame `f` lies in `241..=400` (400: the frame ends exactly with the audio).
pub const FIRST_END_POSITION: usize = 241;
/// Positions `241..400` where padding starts inside the last frame (each needs a correction).
pub const END_POSITIONS: usize = FRAME_LEN - FIRST_END_POSITION;
/// Entries of the end marker one-hot: "not the last frame", then end positions `241..=400`.
pub const END_MARKERS: usize = END_POSITIONS + 2;
/// Offset of the end marker one-hot in the prologue's general region: entry 0 means
/// "not the recording's last frame", entry `1 + i` marks end position `241 + i`.
pub const END_MARKER_OFFSET: usize = 0;
/// Offset of the pre-emphasis corrections `c[i] = 97 x[240 + i] z[1 + i]` (the
/// amount that makes `y = 0` at the end position, as python_speech_features pads
/// the pre-emphasised signal).
pub const END_CORRECTION_OFFSET: usize = END_MARKER_OFFSET + END_MARKERS;
/// Rows 0..10 absorb the frame's hop, one 16-sample block each.
pub const HOP_HASH_ROWS: usize = crate::commitment::BLOCKS_PER_HOP;
/// Row absorbing the length block (in the frame that owns the last hop).
pub const LENGTH_HASH_ROW: usize = HOP_HASH_ROWS;
/// Flag range checks in the sample-check row: `real`, `hop_live` and `in_chunk`
/// distances (2 limbs each), and the last hop's fill `N - 160 f - 1` and
/// `160 f + 160 - N` (8 bits each).
pub fn flag_slots() -> [LimbValue; 5] {
    let s = FRAME_LEN;
    [
        LimbValue::full(s, 2, 0),
        LimbValue::full(s + 2, 2, 0),
        LimbValue { start: s + 4, limbs: 1, top_bits: 8, offset: 0 },
        LimbValue { start: s + 5, limbs: 1, top_bits: 8, offset: 0 },
        LimbValue::full(s + 6, 2, 0),
    ]
}

const _: () = assert!(SAMPLE_CHECK_ROW < ROWS_PER_FRAME);
const _: () = assert!(LOG_LIMBS * (NUM_ACC - LOGS_IN_FIRST_ROW) <= LIMB_COLS);
const _: () = assert!(DCT_LIMB_OFFSET + 5 * 12 <= LIMB_COLS);
const _: () = assert!(LOG_GENERAL_COLS * (NUM_ACC - LOGS_IN_FIRST_ROW) <= ACC_OFFSET);
const _: () = assert!(END_CORRECTION_OFFSET + END_POSITIONS <= GENERAL_COLS);
const _: () = assert!(ACC_OFFSET + NUM_ACC <= super::columns::GENERAL_COLS);

/// Window limbs of a sample slot (`0..200`) in row 0 or 1: remainder `r` (32 bits) and
/// `v + 2^31` (32 bits).
pub fn window_slot(slot: usize) -> (LimbValue, LimbValue) {
    (LimbValue::full(4 * slot, 2, 0), LimbValue::full(4 * slot + 2, 2, 1 << 31))
}

/// Limbs of butterfly `j` in an FFT row: remainders (16 bits) and quotients `t + 2^31` (32 bits).
pub struct ButterflyLimbs {
    /// Remainder of the real part's rescale.
    pub r_re: LimbValue,
    /// Remainder of the imaginary part's rescale.
    pub r_im: LimbValue,
    /// Rescaled real part of `b * w`.
    pub t_re: LimbValue,
    /// Rescaled imaginary part of `b * w`.
    pub t_im: LimbValue,
}

/// Limbs of butterfly `j` (`0..128`).
pub fn butterfly_slot(j: usize) -> ButterflyLimbs {
    let s = 6 * j;
    ButterflyLimbs {
        r_re: LimbValue::full(s, 1, 0),
        r_im: LimbValue::full(s + 1, 1, 0),
        t_re: LimbValue::full(s + 2, 2, 1 << 31),
        t_im: LimbValue::full(s + 4, 2, 1 << 31),
    }
}

/// Block-shift bounds in row 2: `q1 = 2^(46 - 2s) - 1 - e` and `q2 = e - 2^(44 - 2s)` (the latter
/// only for `s < 16`), both in `[0, 2^48)`.
pub fn shift_bound_slots() -> (LimbValue, LimbValue) {
    (LimbValue::full(768, 3, 0), LimbValue::full(771, 3, 0))
}
/// Row holding the block-shift bound limbs (an FFT row with 32 spare limbs).
pub const SHIFT_BOUND_ROW: usize = fft_row(EXACT_STAGES);

/// Limbs of one bin in a split/power row.
pub struct BinLimbs {
    /// Remainder of the real part of `O * U`.
    pub r_re: LimbValue,
    /// Rescaled real part `T_re + 2^31`.
    pub t_re: LimbValue,
    /// Remainder of the imaginary part.
    pub r_im: LimbValue,
    /// Rescaled imaginary part `T_im + 2^31`.
    pub t_im: LimbValue,
    /// Remainder of the power rescale.
    pub r_pow: LimbValue,
    /// `P'` in `[0, 2^46)`.
    pub power: LimbValue,
}

/// Limbs of bin slot `i` (`0..=64`) in a split row.
pub fn bin_slot(i: usize) -> BinLimbs {
    let s = 10 * i;
    BinLimbs {
        r_re: LimbValue::full(s, 1, 0),
        t_re: LimbValue::full(s + 1, 2, 1 << 31),
        r_im: LimbValue::full(s + 3, 1, 0),
        t_im: LimbValue::full(s + 4, 2, 1 << 31),
        r_pow: LimbValue::full(s + 6, 1, 0),
        power: LimbValue { start: s + 7, limbs: 3, top_bits: 14, offset: 0 },
    }
}

/// The bins of split row `q` (`0..4`): `(slot, k)` pairs.
pub fn split_row_bins(q: usize) -> impl Iterator<Item = (usize, usize)> {
    let count = if q == SPLIT_ROWS - 1 { BINS_PER_SPLIT_ROW + 1 } else { BINS_PER_SPLIT_ROW };
    (0..count).map(move |i| (i, q * BINS_PER_SPLIT_ROW + i))
}

const _: () = assert!(SPLIT_ROWS * BINS_PER_SPLIT_ROW + 1 == NUM_BINS);
const _: () = assert!(10 * (BINS_PER_SPLIT_ROW + 1) <= LIMB_COLS);
const _: () = assert!(6 * 128 + 6 <= LIMB_COLS);
const _: () = assert!(4 * WINDOW_SAMPLES_PER_ROW <= LIMB_COLS);

/// A limb whose top bits are restricted in some rows: the limb index, its allowed
/// bits, and the block rows where that applies.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartialLimb {
    /// Limb index.
    pub limb: usize,
    /// Allowed bits.
    pub bits: u32,
    /// Rows of the block where the restriction applies.
    pub rows: Vec<usize>,
}

/// The witness of one integer log in its row (see `log_air.rs`).
pub struct LogSlot {
    /// First general column: `z, inv, b0..b5, p1..p5, Q` follow.
    pub general: usize,
    /// Mantissa `u` in `[0, 2^20)`.
    pub u: LimbValue,
    /// Normalisation remainder `r'` in `[0, 2^39)`.
    pub r_norm: LimbValue,
    /// `2^(L+1) - 1 - m` in `[0, 2^60)`.
    pub upper: LimbValue,
    /// Horner steps `i = 6, 5, ..., 0`: remainder in `[0, 2^20)` and quotient `q + 2^31` in 32 bits.
    pub horner: [(LimbValue, LimbValue); 7],
}

/// Log slot `i` of a log row.
pub fn log_slot(i: usize) -> LogSlot {
    let l = LOG_LIMBS * i;
    let partial = |start, limbs, top_bits| LimbValue { start, limbs, top_bits, offset: 0 };
    LogSlot {
        general: LOG_GENERAL_COLS * i,
        u: partial(l, 2, 4),
        r_norm: partial(l + 2, 3, 7),
        upper: partial(l + 5, 4, 12),
        horner: std::array::from_fn(|k| {
            let s = l + 9 + 4 * k;
            (partial(s, 2, 4), LimbValue::full(s + 2, 2, 1 << 31))
        }),
    }
}

/// Which accumulator (mel band `0..26`, or 26 for the energy) log slot `slot` of log row `row` (0 or 1) takes.
pub fn log_acc(row: usize, slot: usize) -> usize {
    row * LOGS_IN_FIRST_ROW + slot
}

/// Number of log slots in log row `row` (0 or 1).
pub fn logs_in_row(row: usize) -> usize {
    if row == 0 {
        LOGS_IN_FIRST_ROW
    } else {
        NUM_ACC - LOGS_IN_FIRST_ROW
    }
}

/// DCT rescale of coefficient `n` (`1..=12`): remainder in `[0, 2^20)` and `c + 2^39` in 40 bits.
pub fn dct_slot(n: usize) -> (LimbValue, LimbValue) {
    let s = DCT_LIMB_OFFSET + 5 * (n - 1);
    (
        LimbValue { start: s, limbs: 2, top_bits: 4, offset: 0 },
        LimbValue { start: s + 2, limbs: 3, top_bits: 8, offset: 1 << 39 },
    )
}

/// Row of the per-frame statistics (the second log row, which holds `c0`).
pub const STATS_ROW: usize = LOG_ROWS[1];
/// General columns of the statistics row: `c0`, `voiced`, `weight`, `weight c_n` (13),
/// `weight q_n` (13).
pub const STATS_GENERAL_OFFSET: usize = 220;
/// Offsets within the statistics general columns.
pub const STATS_C0: usize = STATS_GENERAL_OFFSET;
/// `[c0 >= threshold]`.
pub const STATS_VOICED: usize = STATS_GENERAL_OFFSET + 1;
/// `voiced * real`.
pub const STATS_WEIGHT: usize = STATS_GENERAL_OFFSET + 2;
/// `weight * c_n`, `n = 0..13`.
pub const STATS_WC: usize = STATS_GENERAL_OFFSET + 3;
/// `weight * q_n`, `n = 0..13`.
pub const STATS_WQ: usize = STATS_WC + crate::params::NUM_CEPS;
const _: () = assert!(STATS_WQ + crate::params::NUM_CEPS <= ACC_OFFSET);

/// Limbs of the statistics row: the voicing distance (32 bits), then per coefficient
/// the rescale `c = 2^12 q + r - 2^11` (`r` 12 bits, `q + 2^31` 32 bits).
pub fn voicing_slot() -> LimbValue {
    LimbValue::full(520, 2, 0)
}

/// Rescale limbs of coefficient `n` in the statistics row.
pub fn square_slot(n: usize) -> (LimbValue, LimbValue) {
    let s = 522 + 3 * n;
    (LimbValue { start: s, limbs: 1, top_bits: 12, offset: 0 }, LimbValue::full(s + 1, 2, 1 << 31))
}
const _: () = assert!(522 + 3 * 13 <= LIMB_COLS);
const _: () = assert!(LOG_LIMBS * (NUM_ACC - LOGS_IN_FIRST_ROW) <= 520);

/// Every partial-limb restriction of the layout, one entry per (limb, bits) with the
/// rows where it applies.
pub fn partial_limbs() -> Vec<PartialLimb> {
    let mut found: Vec<(usize, u32, usize)> = Vec::new();
    let mut add = |v: LimbValue, row: usize| {
        if v.top_bits < 16 {
            found.push((v.top(), v.top_bits, row));
        }
    };
    for q in 0..SPLIT_ROWS {
        for (slot, _) in split_row_bins(q) {
            add(bin_slot(slot).power, SPLIT_FIRST_ROW + q);
        }
    }
    for (r, &row) in LOG_ROWS.iter().enumerate() {
        for i in 0..logs_in_row(r) {
            let s = log_slot(i);
            add(s.u, row);
            add(s.r_norm, row);
            add(s.upper, row);
            for (rem, _) in s.horner {
                add(rem, row);
            }
        }
    }
    for n in 1..crate::params::NUM_CEPS {
        let (r, c) = dct_slot(n);
        add(r, LOG_ROWS[0]);
        add(c, LOG_ROWS[0]);
    }
    for v in flag_slots() {
        add(v, SAMPLE_CHECK_ROW);
    }
    for n in 0..crate::params::NUM_CEPS {
        add(square_slot(n).0, STATS_ROW);
    }
    found.sort();
    let mut out: Vec<PartialLimb> = Vec::new();
    for (limb, bits, row) in found {
        match out.last_mut() {
            Some(p) if p.limb == limb && p.bits == bits => p.rows.push(row),
            _ => out.push(PartialLimb { limb, bits, rows: vec![row] }),
        }
    }
    out
}
