//! Per-frame structure: the block shift and its bounds, the end-of-audio marker and pre-emphasis
//! correction, the frame energy, the overlap of consecutive frames, the range checks of the absorbed
//! samples, the scaled copies of partial limbs, and the range-table counter.
//!
//! End of audio: python_speech_features pads the *pre-emphasised* signal with zeros, so at the first
//! padded position `n0` it has `y = 0` where `100 x[n0] - 97 x[n0-1]` would give `-97 x[n0-1]`. The
//! marker is a one-hot over "not the last frame" (`end_marker[0] = 1 - marks_end`) and the end positions
//! `n0 = 241..=400` of the last frame, where `n0 = N - 160 f` (public `N`). It defines
//! `end_correction = 97 x[n0-1]` (0 when `n0 = 400`) and forces every sample from `n0` on to be zero.
//! Frames of the chunk after the last one have zeros from position 240 on (what the last frame does not
//! cover of the hops after it), so the samples the hash absorbs past `N` are all zero.

use plonky2::hash::hash_types::RichField;

use super::columns::{FrameRow, FIRST_END_POSITION, NUM_SHIFTS, RANGE_TABLE_COLS};
use super::expr::Constraints;
use super::layout::{hop_limb, partial_values, shift_bound_slots, COPY_OFFSET, PREV_SAMPLE_LIMB};
use crate::fixed::format::BLOCK_TARGET_BITS;
use crate::params::{FRAME_LEN, HOP, PREEMPH_DEN, PREEMPH_NUM};

/// `100 x[n] - 97 x[n-1]` (`x[-1]` is `prev_sample`): the scaled pre-emphasis before the end correction.
pub fn raw_preemph<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>, n: usize) -> B::Expr {
    let prev = if n == 0 { c.prev_sample } else { c.samples[n - 1] };
    b.lin(&[(c.samples[n], i64::from(PREEMPH_DEN)), (prev, -i64::from(PREEMPH_NUM))], 0)
}

/// `2^s` from the shift one-hot.
pub fn pow2_shift<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>) -> B::Expr {
    let terms: Vec<_> = (0..NUM_SHIFTS).map(|s| (c.shift[s], 1i64 << s)).collect();
    b.lin(&terms, 0)
}

/// `cols` are booleans summing to one.
fn one_hot<F: RichField, B: Constraints<F>>(b: &mut B, cols: &[B::Expr]) {
    let one = b.int(1);
    for &c in cols {
        let cm1 = b.sub(c, one);
        let e = b.mul(c, cm1);
        b.constraint(e);
    }
    let sum = b.sum(cols);
    let e = b.sub(sum, one);
    b.constraint(e);
}

/// All per-frame structure constraints. `active_table_cols` is `2^16 / height`.
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &FrameRow<B::Expr>,
    next: &FrameRow<B::Expr>,
    num_samples: B::Expr,
    active_table_cols: usize,
) {
    let one = b.int(1);
    one_hot(b, &local.shift);

    // End marker.
    let z = &local.end_marker;
    one_hot(b, z);
    let e = b.add(z[0], local.flags.marks_end);
    let e = b.sub(e, one);
    b.constraint(e);
    let mut terms: Vec<(B::Expr, i64)> = (1..z.len()).map(|i| (z[i], (FIRST_END_POSITION + i - 1) as i64)).collect();
    terms.push((local.frame_index, HOP as i64));
    terms.push((num_samples, -1));
    let position = b.lin(&terms, 0);
    let not_none = b.sub(one, z[0]);
    let e = b.mul(not_none, position);
    b.constraint(e);
    let mut correction = b.int(0);
    let mut ended = b.int(0);
    for n0 in FIRST_END_POSITION..FRAME_LEN {
        let zi = z[1 + n0 - FIRST_END_POSITION];
        let t = b.mul(zi, local.samples[n0 - 1]);
        correction = b.add_scaled(correction, t, F::from_canonical_u64(PREEMPH_NUM as u64));
        ended = b.add(ended, zi);
        let e = b.mul(local.samples[n0], ended);
        b.constraint(e);
    }
    let e = b.sub(local.end_correction, correction);
    b.constraint(e);

    // After the last frame: a frame of the chunk that is not a real frame (`in_chunk - counted = 1`) has
    // zeros from position 240 on. The last real frame `F - 1` covers the samples up to `160 F + 240` (and
    // zeroes those past `N`); the hop `F + 1`, absorbed when `H = F + 2`, reaches `160 F + 320`: its samples
    // `[160 F + 240, 160 F + 320)` are frame `F`'s `samples[240..320]`, zero here, so `h_audio` commits to
    // zero padding and nothing else.
    let past_frames = b.sub(local.flags.in_chunk, local.flags.counted);
    for n in FRAME_LEN - HOP..FRAME_LEN {
        let e = b.mul(past_frames, local.samples[n]);
        b.constraint(e);
    }

    // Frame energy e = sum y^2 = sum raw^2 - correction^2 (the raw value at n0 is -correction, y[n0] = 0).
    let mut energy = b.int(0);
    for n in 0..FRAME_LEN {
        let y = raw_preemph(b, local, n);
        let y2 = b.mul(y, y);
        energy = b.add(energy, y2);
    }
    let c2 = b.mul(local.end_correction, local.end_correction);
    let energy = b.sub(energy, c2);
    let e = b.sub(local.frame_energy, energy);
    b.constraint(e);

    // Block shift: q1 = 2^(54-2s) - 1 - e >= 0 and (s < 20) q2 = e - 2^(52-2s) >= 0, both below 2^54.
    let (q1_limbs, q2_limbs) = shift_bound_slots();
    let t = 2 * BLOCK_TARGET_BITS as usize;
    let q1_terms: Vec<_> =
        (0..NUM_SHIFTS).map(|s| (local.shift[s], 1i64 << (t - 2 * s))).chain([(local.frame_energy, -1)]).collect();
    let q1 = b.lin(&q1_terms, -1);
    let q2_terms: Vec<_> = (0..NUM_SHIFTS - 1)
        .map(|s| (local.shift[s], -(1i64 << (t - 2 - 2 * s))))
        .chain([(local.frame_energy, 1)])
        .collect();
    let q2 = b.lin(&q2_terms, 0);
    for (q, slot) in [(q1, q1_limbs), (q2, q2_limbs)] {
        let held = slot.eval(b, &local.limbs);
        let e = b.sub(q, held);
        b.constraint(e);
    }

    // Consecutive frames of the chunk overlap by 240 samples; a padding row (next.in_chunk = 0)
    // repeats the samples of the row before it.
    let into_chunk = next.flags.in_chunk;
    let into_padding = b.sub(one, into_chunk);
    for n in 0..FRAME_LEN {
        if n < FRAME_LEN - HOP {
            let d = b.sub(next.samples[n], local.samples[n + HOP]);
            let e = b.mul(into_chunk, d);
            b.constraint_transition(e);
        }
        let d = b.sub(next.samples[n], local.samples[n]);
        let e = b.mul(into_padding, d);
        b.constraint_transition(e);
    }
    let d = b.sub(next.prev_sample, local.samples[HOP - 1]);
    let e = b.mul(into_chunk, d);
    b.constraint_transition(e);
    let d = b.sub(next.prev_sample, local.prev_sample);
    let e = b.mul(into_padding, d);
    b.constraint_transition(e);

    // The samples the row absorbs are 16-bit: x + 2^15 is a limb.
    for n in 0..HOP {
        let shifted = b.add_scaled(local.samples[n], one, F::from_canonical_u64(1 << 15));
        let e = b.sub(local.limbs[hop_limb(n)], shifted);
        b.constraint(e);
    }
    let shifted = b.add_scaled(local.prev_sample, one, F::from_canonical_u64(1 << 15));
    let e = b.sub(local.limbs[PREV_SAMPLE_LIMB], shifted);
    b.constraint(e);

    // Scaled copies bound the partial top limbs.
    for (i, v) in partial_values().iter().enumerate() {
        let scaled = b.scale(local.limbs[v.top()], F::from_canonical_u64(1 << (16 - v.top_bits)));
        let e = b.sub(local.limbs[COPY_OFFSET + i], scaled);
        b.constraint(e);
    }

    // Range-table counter 0, 1, 2, ...; table columns past 2^16 have zero multiplicity.
    b.constraint_first_row(local.range_counter);
    let d = b.sub(next.range_counter, local.range_counter);
    let e = b.sub(d, one);
    b.constraint_transition(e);
    for &m in &local.range_mult[active_table_cols.min(RANGE_TABLE_COLS)..] {
        b.constraint(m);
    }
}
