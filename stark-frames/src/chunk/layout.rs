//! Names of the range-checked cells (`FrameRow::limbs`) of a frame row.
//!
//! Every cell of the limb region is a 16-bit limb, looked up in the range table. A bounded value is a
//! [`LimbValue`] of consecutive limbs. When a value's bound is not a multiple of 16 bits, its top limb
//! has a *scaled copy* among the last [`NUM_PARTIAL`] limbs (`copy = top * 2^(16 - top_bits)`, a
//! constraint in `frame_air.rs`): the copy is range-checked like every limb, which bounds the top limb
//! to `top_bits` bits without a second lookup column.
//!
//! | region | limbs | values |
//! |---|---|---|
//! | spectrum | 257 x 2 x 4 | per bin and part: the rescale remainder `2^3 r` (32 bits) and `X + 2^31` (32 bits) |
//! | hop | 160 + 1 | `x + 2^15` for the samples the row absorbs (`samples[0..160]`), then for `prev_sample` |
//! | shift bounds | 8 | `2^(54-2s) - 1 - e` and `e - 2^(52-2s)` (54 bits each) |
//! | flags | 8 | distances behind `real`, `hop_live`, `in_chunk`; the last hop's fill (8 bits each) |
//! | logs | 27 x 37 | per log: `u`, `r'`, the upper bound, seven Horner steps |
//! | DCT | 12 x 5 | per coefficient: remainder (20 bits) and `c + 2^39` (40 bits) |
//! | voicing | 2 | the distance of `c0` to the threshold |
//! | squares | 39 x 3 | per statistics value (13 cepstra, 26 log mels): remainder (12 bits) and `q + 2^31` |
//! | delta quotients | 12 x 2 | per lifted cepstrum `c_1..c_12`: `e + 2^31`, `e = round(q / 4)` (`delta_air.rs`) |
//! | copies | 148 | scaled top limbs of the partial values above |

use super::limbs::LimbValue;
use crate::fixed::pooled::{DELTA_RESCALED, NUM_DELTA_RESCALED};
use crate::params::{HOP, NUM_BINS, NUM_CEPS, NUM_FILTERS, NUM_STAT_VALUES};

/// Logs per frame: the 26 mel energies, then the frame energy (one `LogCols` of `columns.rs` and one log slot
/// of limbs each).
pub const NUM_LOGS: usize = NUM_FILTERS + 1;

/// A rescale `v + 2^(k-1) = 2^k q + r`: its remainder and its quotient.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rescaled {
    /// The remainder (possibly scaled, see the slot's documentation).
    pub rem: LimbValue,
    /// The quotient, offset to be non-negative.
    pub value: LimbValue,
}

/// Limbs per spectrum component: remainder 2, value 2.
const SPECTRUM_COMPONENT_LIMBS: usize = 4;
/// First limb of the spectrum.
pub const SPECTRUM_OFFSET: usize = 0;
/// Spectrum component `X_re[k]` (`imag = false`) or `X_im[k]`: the remainder of the rescale by `2^29`,
/// scaled by `2^3` to exactly 32 bits, and `X + 2^31`.
pub fn spectrum_slot(k: usize, imag: bool) -> Rescaled {
    let s = SPECTRUM_OFFSET + SPECTRUM_COMPONENT_LIMBS * (2 * k + usize::from(imag));
    Rescaled { rem: LimbValue::full(s, 2, 0), value: LimbValue::full(s + 2, 2, 1 << 31) }
}

/// First limb of the hop's sample checks.
pub const HOP_OFFSET: usize = SPECTRUM_OFFSET + SPECTRUM_COMPONENT_LIMBS * 2 * NUM_BINS;
/// The limb holding `samples[n] + 2^15`, `n < 160`.
pub const fn hop_limb(n: usize) -> usize {
    HOP_OFFSET + n
}

/// The limb holding `prev_sample + 2^15`. Redundant on every row but a chunk's first, whose `prev_sample`
/// only its public `head` carries; bounding it there lets the root check that the recording's first frame
/// has `x[-1] = 0` from the packed head (`recursion`).
pub const PREV_SAMPLE_LIMB: usize = HOP_OFFSET + HOP;

/// First limb of the block-shift bounds.
pub const SHIFT_BOUND_OFFSET: usize = PREV_SAMPLE_LIMB + 1;
/// Block-shift bounds `q1 = 2^(54 - 2s) - 1 - e` and `q2 = e - 2^(52 - 2s)` (the latter only for `s < 20`),
/// both in `[0, 2^54)`.
pub fn shift_bound_slots() -> (LimbValue, LimbValue) {
    (LimbValue::partial(SHIFT_BOUND_OFFSET, 4, 6, 0), LimbValue::partial(SHIFT_BOUND_OFFSET + 4, 4, 6, 0))
}

/// First limb of the flag distances.
pub const FLAG_OFFSET: usize = SHIFT_BOUND_OFFSET + 8;
/// Flag range checks: `real`, `hop_live` distances (32 bits each), the last hop's fill `N - 160 f - 1`
/// and `160 f + 160 - N` (8 bits each), and the `in_chunk` distance (32 bits).
pub fn flag_slots() -> [LimbValue; 5] {
    let s = FLAG_OFFSET;
    [
        LimbValue::full(s, 2, 0),
        LimbValue::full(s + 2, 2, 0),
        LimbValue::partial(s + 4, 1, 8, 0),
        LimbValue::partial(s + 5, 1, 8, 0),
        LimbValue::full(s + 6, 2, 0),
    ]
}

/// First limb of the logs.
pub const LOG_OFFSET: usize = FLAG_OFFSET + 8;
/// Limbs per log: `u` (2), `r'` (3), upper bound (4), 7 Horner steps of 4.
pub const LOG_LIMBS: usize = 9 + 4 * 7;
/// The range-checked values of one integer log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogSlot {
    /// Mantissa `u` in `[0, 2^20)`.
    pub u: LimbValue,
    /// Normalisation remainder `r'` in `[0, 2^39)`.
    pub r_norm: LimbValue,
    /// `2^(L+1) - 1 - m` in `[0, 2^60)`.
    pub upper: LimbValue,
    /// Horner steps `i = 6, 5, ..., 0`: remainder times `2^12` (32 bits) and quotient `q + 2^31` (32 bits).
    pub horner: [Rescaled; 7],
}

/// Limbs of log `j` (`0..26` the mel energies, 26 the frame energy).
pub fn log_slot(j: usize) -> LogSlot {
    let l = LOG_OFFSET + LOG_LIMBS * j;
    LogSlot {
        u: LimbValue::partial(l, 2, 4, 0),
        r_norm: LimbValue::partial(l + 2, 3, 7, 0),
        upper: LimbValue::partial(l + 5, 4, 12, 0),
        horner: std::array::from_fn(|k| {
            let s = l + 9 + 4 * k;
            Rescaled { rem: LimbValue::full(s, 2, 0), value: LimbValue::full(s + 2, 2, 1 << 31) }
        }),
    }
}

/// First limb of the DCT rescales.
pub const DCT_OFFSET: usize = LOG_OFFSET + LOG_LIMBS * NUM_LOGS;
/// DCT rescale of coefficient `n` (`1..=12`): remainder in `[0, 2^20)` and `c + 2^39` in 40 bits.
pub fn dct_slot(n: usize) -> Rescaled {
    let s = DCT_OFFSET + 5 * (n - 1);
    Rescaled { rem: LimbValue::partial(s, 2, 4, 0), value: LimbValue::partial(s + 2, 3, 8, 1 << 39) }
}

/// The voicing distance (32 bits).
pub const VOICING_OFFSET: usize = DCT_OFFSET + 5 * (NUM_CEPS - 1);
/// `c0 - T` if voiced, else `T - 1 - c0`.
pub fn voicing_slot() -> LimbValue {
    LimbValue::full(VOICING_OFFSET, 2, 0)
}

/// First limb of the value rescales of the statistics.
pub const SQUARE_OFFSET: usize = VOICING_OFFSET + 2;
/// Rescale `v + 2^11 = 2^12 q + r` of statistics value `n` (`c_n` for `n < 13`, then the log mel energies):
/// `r` 12 bits, `q + 2^31` 32 bits.
pub fn square_slot(n: usize) -> Rescaled {
    let s = SQUARE_OFFSET + 3 * n;
    Rescaled { rem: LimbValue::partial(s, 1, 12, 0), value: LimbValue::full(s + 1, 2, 1 << 31) }
}

/// First limb of the rescaled delta quotients.
pub const DELTA_QUOTIENT_OFFSET: usize = SQUARE_OFFSET + 3 * NUM_STAT_VALUES;
/// Limbs of a rescaled delta quotient.
const DELTA_QUOTIENT_LIMBS: usize = 2;
/// The delta quotient `e + 2^31` (32 bits) of statistics value `n` in `fixed::pooled::DELTA_RESCALED`,
/// `q + 2 = 4 e + r` (its remainder bits are columns of `DeltaCols`). The window `[-2^31, 2^31)` makes `e` unique:
/// another solution differs by about `p / 4` (`docs/FIXED_POINT.md`).
pub fn delta_quotient_slot(n: usize) -> LimbValue {
    assert!(DELTA_RESCALED.contains(&n), "value {n} has no rescaled delta quotient");
    LimbValue::full(
        DELTA_QUOTIENT_OFFSET + DELTA_QUOTIENT_LIMBS * (n - DELTA_RESCALED.start),
        DELTA_QUOTIENT_LIMBS,
        1 << 31,
    )
}

/// First scaled copy of a partial top limb.
pub const COPY_OFFSET: usize = DELTA_QUOTIENT_OFFSET + DELTA_QUOTIENT_LIMBS * NUM_DELTA_RESCALED;
/// Every value whose top limb holds fewer than 16 bits, in a fixed order: value `i`'s scaled top limb is
/// copied to limb `COPY_OFFSET + i`.
pub fn partial_values() -> Vec<LimbValue> {
    let [_, _, fill_lo, fill_hi, _] = flag_slots();
    let (q1, q2) = shift_bound_slots();
    let mut v = vec![q1, q2, fill_lo, fill_hi];
    for j in 0..NUM_LOGS {
        let s = log_slot(j);
        v.extend([s.u, s.r_norm, s.upper]);
    }
    for n in 1..NUM_CEPS {
        let d = dct_slot(n);
        v.extend([d.rem, d.value]);
    }
    v.extend((0..NUM_STAT_VALUES).map(|n| square_slot(n).rem));
    debug_assert!(v.iter().all(|p| p.top_bits < 16));
    v
}
/// Number of partial values (and scaled copies).
pub const NUM_PARTIAL: usize = 4 + 3 * NUM_LOGS + 2 * (NUM_CEPS - 1) + NUM_STAT_VALUES;
/// Width of the limb region.
pub const LIMB_COLS: usize = COPY_OFFSET + NUM_PARTIAL;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every limb belongs to exactly one value or copy.
    #[test]
    fn slots_tile_the_limb_region() {
        let mut owner = vec![0u32; LIMB_COLS];
        let mut mark = |v: LimbValue| (v.start..v.end()).for_each(|i| owner[i] += 1);
        for k in 0..NUM_BINS {
            for imag in [false, true] {
                let s = spectrum_slot(k, imag);
                mark(s.rem);
                mark(s.value);
            }
        }
        mark(LimbValue::full(HOP_OFFSET, HOP + 1, 0));
        let (q1, q2) = shift_bound_slots();
        mark(q1);
        mark(q2);
        flag_slots().into_iter().for_each(&mut mark);
        for j in 0..NUM_LOGS {
            let s = log_slot(j);
            mark(s.u);
            mark(s.r_norm);
            mark(s.upper);
            s.horner.iter().for_each(|h| {
                mark(h.rem);
                mark(h.value)
            });
        }
        for n in 1..NUM_CEPS {
            mark(dct_slot(n).rem);
            mark(dct_slot(n).value);
        }
        mark(voicing_slot());
        (0..NUM_STAT_VALUES).for_each(|n| {
            mark(square_slot(n).rem);
            mark(square_slot(n).value)
        });
        DELTA_RESCALED.for_each(|n| mark(delta_quotient_slot(n)));
        assert_eq!(partial_values().len(), NUM_PARTIAL);
        mark(LimbValue::full(COPY_OFFSET, NUM_PARTIAL, 0));
        assert!(owner.iter().all(|&n| n == 1), "limb owners: {owner:?}");
    }
}
