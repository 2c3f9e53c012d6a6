//! Pooled statistics of the voiced frames (see `fixed::pooled`).
//!
//! Per row: `c0` as the log of the frame energy; the voicing flag `voiced = [c0 >= T]` (public `T`,
//! checked with a range-checked distance); `weight = voiced * counted` (`counted`: a real frame of this
//! chunk); per statistics value `v` (the 13 cepstra, then the 26 log mel energies) the rescale
//! `v + 2^11 = 2^12 q + r` and the products `weight v`, `weight q`.
//! The running sums `sum weight v`, `sum weight q^2`, `sum weight` (the values *before* the row) start at
//! zero on the first row and advance row by row; the last row's sums plus its own terms are the public
//! totals.

use plonky2::hash::hash_types::RichField;

use super::columns::{FrameRow, StatsCols, NUM_LOGS};
use super::expr::Constraints;
use super::layout::{dct_slot, square_slot, voicing_slot};
use super::log_air::log_value;
use super::public::ChunkPublicInputs;
use crate::fixed::pooled::SQUARE_SHIFT_BITS;
use crate::params::{NUM_CEPS, NUM_STAT_VALUES};

/// Coefficient `c_n` (Q24) of a row as an expression: `c0` from its column, `c1..c12` from the DCT limbs.
pub fn coefficient<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>, n: usize) -> B::Expr {
    if n == 0 {
        c.voicing.c0
    } else {
        dct_slot(n).value.eval(b, &c.limbs)
    }
}

/// Statistics value `v_n` (Q24) of a row as an expression: the coefficient `c_n` for `n < 13`, then the log
/// of mel energy `n - 13` (degree 2: `log_air::log_value`).
pub fn stat_value<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>, n: usize) -> B::Expr {
    if n < NUM_CEPS {
        coefficient(b, c, n)
    } else {
        log_value(b, c, n - NUM_CEPS)
    }
}

/// The running sums after `c`'s own contribution.
fn advanced<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>) -> StatsCols<B::Expr> {
    let v = &c.voicing;
    let sum = std::array::from_fn(|n| b.add(c.stats.sum[n], v.weighted_value[n]));
    let sum_sq = std::array::from_fn(|n| {
        let q = square_slot(n).value.eval(b, &c.limbs);
        let wq2 = b.mul(v.weighted_q[n], q);
        b.add(c.stats.sum_sq[n], wq2)
    });
    let count = b.add(c.stats.count, v.weight);
    StatsCols { sum, sum_sq, count }
}

/// All statistics constraints.
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &FrameRow<B::Expr>,
    next: &FrameRow<B::Expr>,
    pis: &ChunkPublicInputs<B::Expr>,
) {
    let one = b.int(1);
    let v = &local.voicing;
    let c0 = log_value(b, local, NUM_LOGS - 1);
    let e = b.sub(v.c0, c0);
    b.constraint(e);
    let vm1 = b.sub(v.voiced, one);
    let e = b.mul(v.voiced, vm1);
    b.constraint(e);
    let above = b.sub(v.c0, pis.voicing_threshold);
    let below = b.lin(&[(pis.voicing_threshold, 1), (v.c0, -1)], -1);
    let x = b.mul(v.voiced, above);
    let not_voiced = b.sub(one, v.voiced);
    let y = b.mul(not_voiced, below);
    let dist = b.add(x, y);
    let held = voicing_slot().eval(b, &local.limbs);
    let e = b.sub(dist, held);
    b.constraint(e);
    let w = b.mul(v.voiced, local.flags.counted);
    let e = b.sub(v.weight, w);
    b.constraint(e);

    for n in 0..NUM_STAT_VALUES {
        let c = stat_value(b, local, n);
        let slot = square_slot(n);
        let r = slot.rem.eval(b, &local.limbs);
        let q = slot.value.eval(b, &local.limbs);
        let e = b.lin(&[(c, 1), (r, -1), (q, -(1i64 << SQUARE_SHIFT_BITS))], 1 << (SQUARE_SHIFT_BITS - 1));
        b.constraint(e);
        for (value, col) in [(c, v.weighted_value[n]), (q, v.weighted_q[n])] {
            let wv = b.mul(v.weight, value);
            let e = b.sub(col, wv);
            b.constraint(e);
        }
    }

    // Running sums: zero before the first row, advanced by every row, the totals after the last.
    let after = advanced(b, local);
    let flat =
        |s: &StatsCols<B::Expr>| -> Vec<B::Expr> { s.sum.iter().chain(&s.sum_sq).chain([&s.count]).copied().collect() };
    for (((&before, &after), &nxt), &total) in
        flat(&local.stats).iter().zip(&flat(&after)).zip(&flat(&next.stats)).zip(&flat(&pis.stats))
    {
        b.constraint_first_row(before);
        let e = b.sub(nxt, after);
        b.constraint_transition(e);
        let e = b.sub(total, after);
        b.constraint_last_row(e);
    }
}
