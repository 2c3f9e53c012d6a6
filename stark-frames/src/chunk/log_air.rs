//! Power, mel and energy sums, the 27 integer logs, and the DCT with lifter.
//!
//! The power `P[k] = X_re^2 + X_im^2` of the range-checked spectrum is exact, and so are the mel energies
//! `M[j] = sum_k H[j][k] P[k]` and the frame energy `E = sum_k P[k]`: they are degree-2 expressions, not
//! columns. For each `m` of them:
//! - `is_zero` flags `m = 0` (`m is_zero = 0`, `m inv = 1 - is_zero`);
//! - `L = sum b_i 2^i` with bits `b_i` and `L <= 59` (`b2 b3 b4 b5 = 0`), `2^L` built in five degree-2
//!   steps, `norm 2^L = 2^59` (so `norm = 2^(59 - L)`, an integer power of two), and `2^(L+1) - 1 - m` in
//!   `[0, 2^60)`, i.e. `m < 2^(L+1)` with no wrap since `2^(L+1) <= 2^60`;
//! - `m norm = (2^20 (1 - is_zero) + u) 2^39 + r'` with `u < 2^20`, `r' < 2^39`: as `m norm < 2^60`
//!   this holds over the integers, so `m >= 2^L` and `u` is the 20-bit mantissa;
//! - Horner's rule in Q24: `2^12 acc u + 2^31 = 2^32 q + r` (`r < 2^32`), `acc' = q + a_i`.
//!
//! The log is `l = (1 - is_zero) ((L + 1 - 2s) LN2 + poly - LN1E4 - ln_scale) + is_zero (-52 LN2)`.
//! The DCT with lifter rescales `sum_j D[n][j] l_j + 2^19 = 2^20 c_n + r` with `c_n + 2^39` in 40 bits.

use plonky2::hash::hash_types::RichField;

use super::columns::{FrameRow, NUM_LOGS};
use super::dft_air::component;
use super::expr::Constraints;
use super::layout::{dct_slot, log_slot};
use crate::fixed::format::{
    DCT_FRAC_BITS, ENERGY_LOG2_OFFSET, LN2_Q24, LN_1E4_Q24, LN_FLOOR_Q24, LOG_MANTISSA_BITS, LOG_POLY_Q24,
};
use crate::fixed::tables::tables;
use crate::params::{NUM_BINS, NUM_CEPS, NUM_FILTERS};

/// Normalised magnitude: `m norm` lies in `[2^59, 2^60)`.
pub const NORM_BITS: u32 = 59;
/// `u` is taken from `m norm` above this many bits.
pub const NORM_REMAINDER_BITS: u32 = NORM_BITS - LOG_MANTISSA_BITS;
/// Extra factor on the Horner products that makes their remainders exactly 32 bits.
pub const HORNER_PRESCALE_BITS: u32 = 32 - LOG_MANTISSA_BITS;

/// `ln(scale)` of log `j` in Q24 (0 for the frame energy).
pub fn ln_scale(j: usize) -> i64 {
    if j < NUM_FILTERS {
        tables().mel[j].ln_scale_q24
    } else {
        0
    }
}

/// The 27 energies (26 mel energies, then the frame energy) as degree-2 expressions of the spectrum.
pub fn energies<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>) -> [B::Expr; NUM_LOGS] {
    let power: Vec<B::Expr> = (0..NUM_BINS)
        .map(|k| {
            let re = component(b, c, k, false);
            let im = component(b, c, k, true);
            let re2 = b.mul(re, re);
            let im2 = b.mul(im, im);
            b.add(re2, im2)
        })
        .collect();
    let mel = &tables().mel;
    std::array::from_fn(|j| {
        if j < NUM_FILTERS {
            let terms: Vec<(B::Expr, i64)> =
                mel[j].weights.iter().enumerate().map(|(i, &h)| (power[mel[j].start_bin + i], h)).collect();
            b.lin(&terms, 0)
        } else {
            b.sum(&power)
        }
    })
}

/// The Q24 log of energy `j` (its witness columns and Horner result), as an expression.
pub fn log_value<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>, j: usize) -> B::Expr {
    let g = &c.logs[j];
    // (L + 1 - 2s) LN2 + poly - LN1E4 - ln_scale
    let mut terms: Vec<(B::Expr, i64)> = (0..6).map(|i| (g.bits[i], LN2_Q24 << i)).collect();
    for (sh, &sel) in c.shift.iter().enumerate() {
        terms.push((sel, -2 * sh as i64 * LN2_Q24));
    }
    let poly = log_slot(j).horner[6].value.eval(b, &c.limbs);
    terms.push((poly, 1));
    let k = -ENERGY_LOG2_OFFSET * LN2_Q24 + LOG_POLY_Q24[0] - LN_1E4_Q24 - ln_scale(j);
    let live = b.lin(&terms, k);
    let one = b.int(1);
    let not_zero = b.sub(one, g.is_zero);
    let live = b.mul(not_zero, live);
    b.add_scaled(live, g.is_zero, F::from_noncanonical_i64(LN_FLOOR_Q24))
}

fn eval_log<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>, j: usize, m: B::Expr) {
    let s = log_slot(j);
    let g = &c.logs[j];
    let one = b.int(1);
    // is_zero = [m == 0]
    let zm1 = b.sub(g.is_zero, one);
    let e = b.mul(g.is_zero, zm1);
    b.constraint(e);
    let e = b.mul(m, g.is_zero);
    b.constraint(e);
    let e = b.mul(m, g.inv);
    let e = b.add(e, g.is_zero);
    let e = b.sub(e, one);
    b.constraint(e);
    // bits and 2^L
    for &bit in &g.bits {
        let bm1 = b.sub(bit, one);
        let e = b.mul(bit, bm1);
        b.constraint(e);
    }
    let factor = |b: &mut B, i: usize| b.lin(&[(g.bits[i], (1i64 << (1u32 << i)) - 1)], 1);
    let f0 = factor(b, 0);
    let f1 = factor(b, 1);
    let mut prev = b.mul(f0, f1);
    for i in 0..5 {
        if i > 0 {
            let fi = factor(b, i + 1);
            prev = b.mul(g.pow[i - 1], fi);
        }
        let e = b.sub(g.pow[i], prev);
        b.constraint(e);
    }
    // L <= 59: the bits of L = 60..63 are 1111xx, so b2 b3 b4 b5 = 0. Without it 2^(L+1) would wrap
    // (2^64 = 2^32 - 1 mod p) and `norm = 2^(59 - L)` would be a field inverse, not a power of two.
    let top = b.mul(g.bits[2], g.bits[3]);
    let top = b.mul(top, g.bits[4]);
    let top = b.mul(top, g.bits[5]);
    b.constraint(top);
    let pow = g.pow[4];
    // norm 2^L = 2^59
    let np = b.mul(g.norm, pow);
    let e = b.lin(&[(np, 1)], -(1i64 << NORM_BITS));
    b.constraint(e);
    // 2^(L+1) - 1 - m = upper
    let upper = s.upper.eval(b, &c.limbs);
    let e = b.lin(&[(pow, 2), (m, -1), (upper, -1)], -1);
    b.constraint(e);
    // m norm = (2^20 (1 - is_zero) + u) 2^39 + r'
    let u = s.u.eval(b, &c.limbs);
    let r_norm = s.r_norm.eval(b, &c.limbs);
    let mn = b.mul(m, g.norm);
    let e = b.lin(
        &[
            (mn, 1),
            (g.is_zero, 1i64 << (LOG_MANTISSA_BITS + NORM_REMAINDER_BITS)),
            (u, -(1i64 << NORM_REMAINDER_BITS)),
            (r_norm, -1),
        ],
        -(1i64 << (LOG_MANTISSA_BITS + NORM_REMAINDER_BITS)),
    );
    b.constraint(e);
    // Horner
    let mut acc = b.int(LOG_POLY_Q24[7]);
    for (k, step) in s.horner.iter().enumerate() {
        let i = 6 - k;
        let r = step.rem.eval(b, &c.limbs);
        let q = step.value.eval(b, &c.limbs);
        let prod = b.mul(acc, u);
        let e = b.lin(&[(prod, 1 << HORNER_PRESCALE_BITS), (r, -1), (q, -(1i64 << 32))], 1 << 31);
        b.constraint(e);
        acc = b.lin(&[(q, 1)], LOG_POLY_Q24[i]);
    }
}

/// All log and DCT constraints.
pub fn eval<F: RichField, B: Constraints<F>>(b: &mut B, local: &FrameRow<B::Expr>) {
    let m = energies(b, local);
    for (j, &mj) in m.iter().enumerate() {
        eval_log(b, local, j, mj);
    }
    let logs: Vec<B::Expr> = (0..NUM_FILTERS).map(|j| log_value(b, local, j)).collect();
    let d = &tables().dct;
    for (n, row) in d.iter().enumerate().take(NUM_CEPS).skip(1) {
        let slot = dct_slot(n);
        let r = slot.rem.eval(b, &local.limbs);
        let cn = slot.value.eval(b, &local.limbs);
        let mut terms: Vec<(B::Expr, i64)> = logs.iter().zip(row).map(|(&l, &dn)| (l, dn)).collect();
        terms.push((r, -1));
        terms.push((cn, -(1i64 << DCT_FRAC_BITS)));
        let e = b.lin(&terms, 1 << (DCT_FRAC_BITS - 1));
        b.constraint(e);
    }
}
