//! Prologue constraints (row 0, with row 1): the end-of-audio marker, and the
//! window `v[n] = round(y[n] 2^s W[n] / 2^21)`, witnessed as
//! `y 2^s (2^11 W) + 2^31 = 2^32 v + r` with `0 <= r < 2^32` and `|v| < 2^31`,
//! `v` sitting, bit-reversed and packed, in row 1 as the FFT input `x_0`.
//!
//! End of audio: python_speech_features pads the *pre-emphasised* signal with
//! zeros, so at the first padded position `n0` it has `y = 0` where
//! `100 x[n0] - 97 x[n0-1]` would give `-97 x[n0-1]`. The marker `z` is a one-hot
//! over "not the last frame" (`z[0] = 1 - marks_end`) and the end positions
//! `n0 = 241..=400` of the last frame, where `n0 = N - 160 f` (public `N`). It adds
//! the correction `c = 97 x[n0-1]` at `n0` and forces every sample from `n0` on to
//! be zero.

use plonky2::hash::hash_types::RichField;

use super::block_air::{pow2_shift, preemph};
use super::columns::ChunkCols;
use super::expr::Constraints;
use super::schedule::{
    window_slot, END_CORRECTION_OFFSET, END_MARKERS, END_MARKER_OFFSET, END_POSITIONS, FIRST_END_POSITION,
    PROLOGUE_ROW, WINDOW_SAMPLES_PER_ROW,
};
use crate::fixed::format::WINDOW_RESCALE_BITS;
use crate::fixed::tables::{tables, FFT_POINTS};
use crate::params::{FRAME_LEN, PREEMPH_NUM};

/// Extra factor on the window coefficients so the remainder is exactly 32 bits.
pub const WINDOW_PRESCALE_BITS: u32 = 32 - WINDOW_RESCALE_BITS;

/// Bit reversal of an FFT index (8 bits).
pub fn bitrev(j: usize) -> usize {
    j.reverse_bits() >> (usize::BITS - FFT_POINTS.trailing_zeros())
}

/// Position in the general region of windowed sample `n` within the FFT input `x_0`.
pub fn v_position(n: usize) -> usize {
    2 * bitrev(n / 2) + n % 2
}

/// All prologue constraints.
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &ChunkCols<B::Expr>,
    next: &ChunkCols<B::Expr>,
    num_samples: B::Expr,
) {
    let sel = local.row[PROLOGUE_ROW];
    let one = b.int(1);
    let g = &local.general;

    // End marker: one-hot; z[0] = 1 - last_real; in the last frame the marked position
    // is N - 160 f; correction c = 97 x[n0 - 1] z; samples from n0 on are zero.
    let z = &g[END_MARKER_OFFSET..END_MARKER_OFFSET + END_MARKERS];
    for &zi in z {
        let zm1 = b.sub(zi, one);
        let e = b.mul(zi, zm1);
        let e = b.mul(sel, e);
        b.constraint(e);
    }
    let sum = b.sum(z);
    let e = b.sub(sum, one);
    let e = b.mul(sel, e);
    b.constraint(e);
    let e = b.add(z[0], local.flags.marks_end);
    let e = b.sub(e, one);
    let e = b.mul(sel, e);
    b.constraint(e);
    let mut terms: Vec<(B::Expr, i64)> =
        (1..END_MARKERS).map(|i| (z[i], (FIRST_END_POSITION + i - 1) as i64)).collect();
    terms.push((local.frame_index, crate::params::HOP as i64));
    terms.push((num_samples, -1));
    let position = b.lin(&terms, 0);
    let not_none = b.sub(one, z[0]);
    let e = b.mul(not_none, position);
    let e = b.mul(sel, e);
    b.constraint(e);
    let mut ended = b.int(0);
    for i in 0..END_POSITIONS {
        let n0 = FIRST_END_POSITION + i;
        let zi = z[1 + i];
        let c = g[END_CORRECTION_OFFSET + i];
        let want = b.mul(local.samples[n0 - 1], zi);
        let d = b.add_scaled(c, want, -F::from_canonical_u64(PREEMPH_NUM as u64));
        let e = b.mul(sel, d);
        b.constraint(e);
        ended = b.add(ended, zi);
        let e = b.mul(local.samples[n0], ended);
        let e = b.mul(sel, e);
        b.constraint(e);
    }

    // Window.
    let pow2s = pow2_shift(b, local);
    let w = &tables().window;
    for (n, &w_n) in w.iter().enumerate() {
        let (limbs, slot) =
            if n < WINDOW_SAMPLES_PER_ROW { (&local.limbs, n) } else { (&next.limbs, n - WINDOW_SAMPLES_PER_ROW) };
        let (r_slot, v_slot) = window_slot(slot);
        let r = r_slot.eval(b, limbs);
        let v_held = v_slot.eval(b, limbs);
        let v = next.general[v_position(n)];
        // y 2^s W' + 2^31 - r - 2^32 v = 0
        let y = preemph(b, local, n);
        let u = b.mul(y, pow2s);
        let rhs = b.lin(&[(u, w_n << WINDOW_PRESCALE_BITS), (r, -1), (v, -(1i64 << 32))], 1 << 31);
        let e = b.mul(sel, rhs);
        b.constraint_transition(e);
        let d = b.sub(v, v_held);
        let e = b.mul(sel, d);
        b.constraint_transition(e);
    }
    // The packed input is zero past the 400 samples.
    for j in FRAME_LEN / 2..FFT_POINTS {
        for part in 0..2 {
            let e = b.mul(sel, next.general[2 * bitrev(j) + part]);
            b.constraint_transition(e);
        }
    }
}
