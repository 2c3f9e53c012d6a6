//! Pooled statistics of the voiced frames (see `fixed::pooled`).
//!
//! Row 13 (with row 14): per coefficient the rescale `c + 2^11 = 2^12 q + r`
//! (`c_1..c_12` from the DCT limbs, `c_0` from its column in row 14), and the
//! products `weight c` and `weight q` in row 14. Row 14: `c_0` as the log of the
//! frame energy, the voicing flag `voiced = [c_0 >= T]` (public `T`, checked with a
//! range-checked distance), `weight = voiced * counted` (`counted`: a real frame of this chunk). The running sums
//! `sum weight c`, `sum weight q^2` and `sum weight` advance from row 14 to row 15
//! and are carried by every other row; public inputs pin them to zero on the first
//! row and to the chunk's totals on the last.

use plonky2::hash::hash_types::RichField;

use super::columns::ChunkCols;
use super::expr::Constraints;
use super::log_air::log_value;
use super::public::ChunkPublicInputs;
use super::schedule::{
    dct_slot, logs_in_row, square_slot, voicing_slot, LOG_ROWS, NUM_ACC, STATS_C0, STATS_ROW, STATS_VOICED, STATS_WC,
    STATS_WEIGHT, STATS_WQ,
};
use crate::fixed::pooled::SQUARE_SHIFT_BITS;
use crate::params::NUM_CEPS;

/// All statistics constraints.
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &ChunkCols<B::Expr>,
    next: &ChunkCols<B::Expr>,
    pis: &ChunkPublicInputs<B::Expr>,
) {
    let one = b.int(1);
    // Row 13 -> 14: rescales and weighted values.
    let sel = local.row[LOG_ROWS[0]];
    for n in 0..NUM_CEPS {
        let c = if n == 0 { next.general[STATS_C0] } else { dct_slot(n).1.eval(b, &local.limbs) };
        let (r_slot, q_slot) = square_slot(n);
        let r = r_slot.eval(b, &next.limbs);
        let q = q_slot.eval(b, &next.limbs);
        let e = b.lin(&[(c, 1), (r, -1), (q, -(1i64 << SQUARE_SHIFT_BITS))], 1 << (SQUARE_SHIFT_BITS - 1));
        let e = b.mul(sel, e);
        b.constraint_transition(e);
        let w = next.general[STATS_WEIGHT];
        for (value, col) in [(c, STATS_WC + n), (q, STATS_WQ + n)] {
            let wv = b.mul(w, value);
            let d = b.sub(next.general[col], wv);
            let e = b.mul(sel, d);
            b.constraint_transition(e);
        }
    }

    // Row 14: c0, voicing, weight.
    let sel = local.row[STATS_ROW];
    let g = &local.general;
    let c0 = log_value(b, local, logs_in_row(1) - 1, NUM_ACC - 1);
    let d = b.sub(g[STATS_C0], c0);
    let e = b.mul(sel, d);
    b.constraint(e);
    let voiced = g[STATS_VOICED];
    let vm1 = b.sub(voiced, one);
    let e = b.mul(voiced, vm1);
    let e = b.mul(sel, e);
    b.constraint(e);
    let above = b.sub(g[STATS_C0], pis.voicing_threshold);
    let below = b.lin(&[(pis.voicing_threshold, 1), (g[STATS_C0], -1)], -1);
    let x = b.mul(voiced, above);
    let not_voiced = b.sub(one, voiced);
    let y = b.mul(not_voiced, below);
    let dist = b.add(x, y);
    let held = voicing_slot().eval(b, &local.limbs);
    let d = b.sub(dist, held);
    let e = b.mul(sel, d);
    b.constraint(e);
    let w = b.mul(voiced, local.flags.counted);
    let d = b.sub(g[STATS_WEIGHT], w);
    let e = b.mul(sel, d);
    b.constraint(e);

    // Running sums: advance on row 14 -> 15, carried elsewhere.
    let s = &local.stats;
    for n in 0..NUM_CEPS {
        let add = b.mul(sel, g[STATS_WC + n]);
        let d = b.sub(next.stats.sum[n], s.sum[n]);
        let e = b.sub(d, add);
        b.constraint_transition(e);
        let q = square_slot(n).1.eval(b, &local.limbs);
        let wq2 = b.mul(g[STATS_WQ + n], q);
        let add = b.mul(sel, wq2);
        let d = b.sub(next.stats.sum_sq[n], s.sum_sq[n]);
        let e = b.sub(d, add);
        b.constraint_transition(e);
    }
    let add = b.mul(sel, g[STATS_WEIGHT]);
    let d = b.sub(next.stats.count, s.count);
    let e = b.sub(d, add);
    b.constraint_transition(e);

    // Public totals.
    let firsts: Vec<B::Expr> = s.sum.iter().chain(&s.sum_sq).chain([&s.count]).copied().collect();
    let totals: Vec<B::Expr> =
        pis.stats.sum.iter().chain(&pis.stats.sum_sq).chain([&pis.stats.count]).copied().collect();
    for (&v, &t) in firsts.iter().zip(&totals) {
        b.constraint_first_row(v);
        let e = b.sub(v, t);
        b.constraint_last_row(e);
    }
}
