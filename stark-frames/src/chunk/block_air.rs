//! Block structure constraints: the row one-hot, per-frame constants and their
//! carry through the block, the overlap of consecutive frames, the frame energy,
//! the block-shift bounds, the sample range checks and the range-table counter.

use plonky2::hash::hash_types::RichField;

use super::columns::{ChunkCols, NUM_SHIFTS, RANGE_TABLE_COLS, ROWS_PER_FRAME};
use super::expr::Constraints;
use super::schedule::{
    shift_bound_slots, END_CORRECTION_OFFSET, FIRST_END_POSITION, PROLOGUE_ROW, SAMPLE_CHECK_ROW, SHIFT_BOUND_ROW,
};
use crate::fixed::format::BLOCK_TARGET_BITS;
use crate::params::{FRAME_LEN, HOP, PREEMPH_DEN, PREEMPH_NUM};

/// Scaled pre-emphasis `y[n] = 100 x[n] - 97 x[n-1] + c[n]` as an expression, valid on the
/// prologue row (where the end-of-audio corrections `c` live).
pub fn preemph<F: RichField, B: Constraints<F>>(b: &mut B, c: &ChunkCols<B::Expr>, n: usize) -> B::Expr {
    let prev = if n == 0 { c.prev_sample } else { c.samples[n - 1] };
    let y = b.lin(&[(c.samples[n], i64::from(PREEMPH_DEN)), (prev, -i64::from(PREEMPH_NUM))], 0);
    if (FIRST_END_POSITION..FRAME_LEN).contains(&n) {
        b.add(y, c.general[END_CORRECTION_OFFSET + n - FIRST_END_POSITION])
    } else {
        y
    }
}

/// `2^s` from the shift one-hot.
pub fn pow2_shift<F: RichField, B: Constraints<F>>(b: &mut B, c: &ChunkCols<B::Expr>) -> B::Expr {
    let terms: Vec<_> = (0..NUM_SHIFTS).map(|s| (c.shift[s], 1i64 << s)).collect();
    b.lin(&terms, 0)
}

/// `cols` are booleans summing to one (on every row).
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

/// All block-structure constraints. `active_table_cols` is `2^16 / height`.
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &ChunkCols<B::Expr>,
    next: &ChunkCols<B::Expr>,
    active_table_cols: usize,
) {
    let one = b.int(1);
    // Row one-hot: booleans summing to one, starting at 0, cycling with period 16.
    one_hot(b, &local.row);
    let e = b.sub(local.row[0], one);
    b.constraint_first_row(e);
    for i in 0..ROWS_PER_FRAME {
        let e = b.sub(next.row[(i + 1) % ROWS_PER_FRAME], local.row[i]);
        b.constraint_transition(e);
    }

    // Shift one-hot.
    one_hot(b, &local.shift);

    // Per-frame constants are carried through the block...
    let last = local.row[ROWS_PER_FRAME - 1];
    let not_last = b.sub(one, last);
    let constants = |c: &ChunkCols<B::Expr>| {
        let f = &c.flags;
        let mut v = vec![
            c.frame_energy,
            c.prev_sample,
            f.real,
            f.last_real,
            f.last_real_inv,
            f.hop_live,
            f.owns_end,
            f.owns_end_inv,
        ];
        v.extend_from_slice(&c.shift);
        v.extend_from_slice(&c.samples);
        v
    };
    for (l, n) in constants(local).into_iter().zip(constants(next)) {
        let d = b.sub(n, l);
        let e = b.mul(not_last, d);
        b.constraint_transition(e);
    }
    // ...consecutive frames of the chunk overlap by 240 samples, and a padding block
    // (next.in_chunk = 0) repeats the samples of the block before it.
    let into_chunk = b.mul(last, next.flags.in_chunk);
    let into_padding = b.sub(last, into_chunk);
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

    // Frame energy e = sum y^2, checked on the prologue row.
    let mut energy = b.int(0);
    for n in 0..FRAME_LEN {
        let y = preemph(b, local, n);
        let y2 = b.mul(y, y);
        energy = b.add(energy, y2);
    }
    let d = b.sub(local.frame_energy, energy);
    let e = b.mul(local.row[PROLOGUE_ROW], d);
    b.constraint(e);

    // Block shift: q1 = 2^(46-2s) - 1 - e >= 0 and (s < 16) q2 = e - 2^(44-2s) >= 0.
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
        let d = b.sub(q, held);
        let e = b.mul(local.row[SHIFT_BOUND_ROW], d);
        b.constraint(e);
    }

    // Samples are 16-bit: x + 2^15 is a limb of the sample-check row.
    for n in 0..FRAME_LEN {
        let shifted = b.add_scaled(local.samples[n], one, F::from_canonical_u64(1 << 15));
        let d = b.sub(local.limbs[n], shifted);
        let e = b.mul(local.row[SAMPLE_CHECK_ROW], d);
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
