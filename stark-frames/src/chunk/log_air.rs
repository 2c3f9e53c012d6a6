//! Log and DCT constraints (rows 13 and 14).
//!
//! For each integer energy `m` (26 mel energies, then the frame energy):
//! - `z` flags `m = 0` (`m z = 0`, `m inv = 1 - z`);
//! - `L = sum b_i 2^i` with bits `b_i`, `P = 2^L` built in five degree-2 steps,
//!   `Q P = 2^59` (so `Q = 2^(59 - L)`), and `2P - 1 - m` in `[0, 2^60)`, i.e. `m < 2^(L+1)`;
//! - `m Q = (2^20 (1 - z) + u) 2^39 + r'` with `u < 2^20`, `r' < 2^39`: as `m Q < 2^60`
//!   this holds over the integers, so `m >= 2^L` and `u` is the 20-bit mantissa;
//! - Horner's rule in Q24: `acc u + 2^19 = 2^20 q + r`, `acc' = q + a_i`.
//!
//! The log is then `l = (1 - z) ((L + 7 - 2s) LN2 + poly - LN1E4 - ln_scale) + z (-52 LN2)`.
//! The DCT with lifter, on row 13 (with row 14's logs), rescales
//! `sum_j D[n][j] l_j + 2^19 = 2^20 c_n + r` with `c_n + 2^39` in 40 bits.

use plonky2::hash::hash_types::RichField;

use super::columns::ChunkCols;
use super::expr::Constraints;
use super::schedule::{dct_slot, log_acc, log_slot, logs_in_row, ACC_OFFSET, LOG_ROWS, NUM_ACC};
use crate::fixed::format::{
    DCT_FRAC_BITS, ENERGY_LOG2_OFFSET, LN2_Q24, LN_1E4_Q24, LN_FLOOR_Q24, LOG_MANTISSA_BITS, LOG_POLY_Q24,
};
use crate::fixed::tables::tables;
use crate::params::{NUM_CEPS, NUM_FILTERS};

/// Normalised magnitude: `m Q` lies in `[2^59, 2^60)`.
pub const NORM_BITS: u32 = 59;
/// `u` is taken from `m Q` above this many bits.
pub const NORM_REMAINDER_BITS: u32 = NORM_BITS - LOG_MANTISSA_BITS;

/// `ln(scale)` of accumulator `j` in Q24 (0 for the frame energy).
pub fn ln_scale(j: usize) -> i64 {
    if j < NUM_FILTERS {
        tables().mel[j].ln_scale_q24
    } else {
        0
    }
}

/// The Q24 log of slot `slot` of `row` (its `z`, bits and Horner result), as an expression.
pub fn log_value<F: RichField, B: Constraints<F>>(
    b: &mut B,
    c: &ChunkCols<B::Expr>,
    slot: usize,
    acc: usize,
) -> B::Expr {
    let s = log_slot(slot);
    let g = &c.general[s.general..];
    let z = g[0];
    // (L + 7 - 2s) LN2 + poly - LN1E4 - ln_scale
    let mut terms: Vec<(B::Expr, i64)> = (0..6).map(|i| (g[2 + i], LN2_Q24 << i)).collect();
    for (sh, &sel) in c.shift.iter().enumerate() {
        terms.push((sel, -2 * sh as i64 * LN2_Q24));
    }
    let (_, q_last) = s.horner[6];
    let poly = q_last.eval(b, &c.limbs);
    terms.push((poly, 1));
    let k = -ENERGY_LOG2_OFFSET * LN2_Q24 + LOG_POLY_Q24[0] - LN_1E4_Q24 - ln_scale(acc);
    let live = b.lin(&terms, k);
    let one = b.int(1);
    let not_z = b.sub(one, z);
    let live = b.mul(not_z, live);
    b.add_scaled(live, z, F::from_noncanonical_i64(LN_FLOOR_Q24))
}

fn eval_log<F: RichField, B: Constraints<F>>(b: &mut B, c: &ChunkCols<B::Expr>, sel: B::Expr, slot: usize, acc: usize) {
    let s = log_slot(slot);
    let g = &c.general[s.general..];
    let (z, inv, bits, p, q) = (g[0], g[1], &g[2..8], &g[8..13], g[13]);
    let m = c.general[ACC_OFFSET + acc];
    let one = b.int(1);
    let emit = |b: &mut B, e: B::Expr| {
        let e = b.mul(sel, e);
        b.constraint(e);
    };
    // z = [m == 0]
    let zm1 = b.sub(z, one);
    let e = b.mul(z, zm1);
    emit(b, e);
    let e = b.mul(m, z);
    emit(b, e);
    let e = b.mul(m, inv);
    let e = b.add(e, z);
    let e = b.sub(e, one);
    emit(b, e);
    // bits and P = 2^L
    for &bit in bits {
        let bm1 = b.sub(bit, one);
        let e = b.mul(bit, bm1);
        emit(b, e);
    }
    let factor = |b: &mut B, i: usize| b.lin(&[(bits[i], (1i64 << (1u32 << i)) - 1)], 1);
    let f0 = factor(b, 0);
    let f1 = factor(b, 1);
    let mut prev = b.mul(f0, f1);
    for i in 0..5 {
        if i > 0 {
            let fi = factor(b, i + 1);
            prev = b.mul(p[i - 1], fi);
        }
        let e = b.sub(p[i], prev);
        emit(b, e);
    }
    let pow = p[4];
    // Q P = 2^59
    let qp = b.mul(q, pow);
    let e = b.lin(&[(qp, 1)], -(1i64 << NORM_BITS));
    emit(b, e);
    // 2P - 1 - m = upper
    let upper = s.upper.eval(b, &c.limbs);
    let e = b.lin(&[(pow, 2), (m, -1), (upper, -1)], -1);
    emit(b, e);
    // m Q = (2^20 (1 - z) + u) 2^39 + r'
    let u = s.u.eval(b, &c.limbs);
    let r_norm = s.r_norm.eval(b, &c.limbs);
    let mq = b.mul(m, q);
    let e = b.lin(
        &[
            (mq, 1),
            (z, 1i64 << (LOG_MANTISSA_BITS + NORM_REMAINDER_BITS)),
            (u, -(1i64 << NORM_REMAINDER_BITS)),
            (r_norm, -1),
        ],
        -(1i64 << (LOG_MANTISSA_BITS + NORM_REMAINDER_BITS)),
    );
    emit(b, e);
    // Horner
    let mut acc_e = b.int(LOG_POLY_Q24[7]);
    for (k, (rem, quo)) in s.horner.iter().enumerate() {
        let i = 6 - k;
        let r = rem.eval(b, &c.limbs);
        let qv = quo.eval(b, &c.limbs);
        let prod = b.mul(acc_e, u);
        let e = b.lin(&[(prod, 1), (r, -1), (qv, -(1i64 << LOG_MANTISSA_BITS))], 1 << (LOG_MANTISSA_BITS - 1));
        emit(b, e);
        acc_e = b.lin(&[(qv, 1)], LOG_POLY_Q24[i]);
    }
}

/// All log and DCT constraints.
pub fn eval<F: RichField, B: Constraints<F>>(b: &mut B, local: &ChunkCols<B::Expr>, next: &ChunkCols<B::Expr>) {
    for (r, &row) in LOG_ROWS.iter().enumerate() {
        let sel = local.row[row];
        for slot in 0..logs_in_row(r) {
            eval_log(b, local, sel, slot, log_acc(r, slot));
        }
    }
    // Accumulators carried from the first log row to the second.
    let sel = local.row[LOG_ROWS[0]];
    for j in 0..NUM_ACC {
        let d = b.sub(next.general[ACC_OFFSET + j], local.general[ACC_OFFSET + j]);
        let e = b.mul(sel, d);
        b.constraint_transition(e);
    }
    // DCT and lifter.
    let logs: Vec<B::Expr> = (0..NUM_FILTERS)
        .map(|j| {
            let (r, slot) = if j < logs_in_row(0) { (0, j) } else { (1, j - logs_in_row(0)) };
            let cols = if r == 0 { local } else { next };
            log_value(b, cols, slot, j)
        })
        .collect();
    let d = &tables().dct;
    for (n, row) in d.iter().enumerate().take(NUM_CEPS).skip(1) {
        let (rem, coef) = dct_slot(n);
        let r = rem.eval(b, &local.limbs);
        let cn = coef.eval(b, &local.limbs);
        let mut terms: Vec<(B::Expr, i64)> = logs.iter().zip(row).map(|(&l, &dn)| (l, dn)).collect();
        terms.push((r, -1));
        terms.push((cn, -(1i64 << DCT_FRAC_BITS)));
        let e = b.lin(&terms, 1 << (DCT_FRAC_BITS - 1));
        let e = b.mul(sel, e);
        b.constraint_transition(e);
    }
}
