//! Split, power and accumulation constraints, rows 8..=11 (`Z` carried in the
//! general region). For each bin `k` of the row:
//! `E = Z[k] + conj(Z[256-k])`, `O = Z[k] - conj(Z[256-k])`,
//! `O U[k] + 2^15 = 2^16 T + r` per component, `Y = E + T` (= 2 X[k]),
//! `Y_re^2 + Y_im^2 + 2^15 = 2^16 P' + r_p`. The 26 mel energies and the frame
//! energy are accumulated over the four rows with exact integer weights; row 12
//! holds the totals.

use plonky2::hash::hash_types::RichField;

use super::columns::ChunkCols;
use super::expr::Constraints;
use super::schedule::{bin_slot, split_row_bins, ACC_OFFSET, NUM_ACC, SPLIT_FIRST_ROW, SPLIT_ROWS};
use crate::fixed::tables::{tables, FFT_POINTS};
use crate::params::NUM_FILTERS;

/// `(E, O)` of bin `k` as linear expressions of `Z` in the general region.
fn even_odd<F: RichField, B: Constraints<F>>(b: &mut B, g: &[B::Expr], k: usize) -> [B::Expr; 4] {
    let a = k % FFT_POINTS;
    let c = (FFT_POINTS - a) % FFT_POINTS;
    let (ar, ai, cr, ci) = (g[2 * a], g[2 * a + 1], g[2 * c], g[2 * c + 1]);
    // E = Z[a] + conj(Z[c]); O = Z[a] - conj(Z[c])
    let e_re = b.add(ar, cr);
    let e_im = b.sub(ai, ci);
    let o_re = b.sub(ar, cr);
    let o_im = b.add(ai, ci);
    [e_re, e_im, o_re, o_im]
}

/// Integer weight of bin `k` in accumulator `j` (mel filters, then 1 for the energy).
pub fn acc_weight(j: usize, k: usize) -> i64 {
    if j == NUM_FILTERS {
        return 1;
    }
    tables().mel[j].weight(k)
}

/// All split, power and accumulation constraints.
pub fn eval<F: RichField, B: Constraints<F>>(b: &mut B, local: &ChunkCols<B::Expr>, next: &ChunkCols<B::Expr>) {
    let sel: Vec<B::Expr> = (0..SPLIT_ROWS).map(|q| local.row[SPLIT_FIRST_ROW + q]).collect();
    let is_split = b.sum(&sel);
    let g = &local.general;
    let u = &tables().split_twiddles;

    // Z is carried from row 8 to rows 9, 10, 11.
    let carry = b.sum(&sel[..SPLIT_ROWS - 1]);
    for (&n, &l) in next.general.iter().zip(g).take(2 * FFT_POINTS) {
        let d = b.sub(n, l);
        let e = b.mul(carry, d);
        b.constraint_transition(e);
    }

    // Per bin slot: the rescale of O U and the power, summed over the rows that use the slot.
    let mut power_of_slot = Vec::new();
    let slots = split_row_bins(SPLIT_ROWS - 1).count();
    for slot in 0..slots {
        let limbs = bin_slot(slot);
        let t_re = limbs.t_re.eval(b, &local.limbs);
        let t_im = limbs.t_im.eval(b, &local.limbs);
        let r_re = limbs.r_re.eval(b, &local.limbs);
        let r_im = limbs.r_im.eval(b, &local.limbs);
        let r_pow = limbs.r_pow.eval(b, &local.limbs);
        let p = limbs.power.eval(b, &local.limbs);
        power_of_slot.push(p);

        let mut rescale_re = b.int(0);
        let mut rescale_im = b.int(0);
        let mut power = b.int(0);
        for (q, &sel_q) in sel.iter().enumerate() {
            let Some((_, k)) = split_row_bins(q).find(|&(s, _)| s == slot) else { continue };
            let [e_re, e_im, o_re, o_im] = even_odd(b, g, k);
            let w = u[k];
            // O U + 2^15 - r - 2^16 T = 0
            let x = b.lin(&[(o_re, w.re), (o_im, -w.im), (r_re, -1), (t_re, -(1 << 16))], 1 << 15);
            let y = b.lin(&[(o_re, w.im), (o_im, w.re), (r_im, -1), (t_im, -(1 << 16))], 1 << 15);
            let x = b.mul(sel_q, x);
            let y = b.mul(sel_q, y);
            rescale_re = b.add(rescale_re, x);
            rescale_im = b.add(rescale_im, y);
            // Y = E + T; Y_re^2 + Y_im^2 + 2^15 - r_p - 2^16 P' = 0
            let y_re = b.add(e_re, t_re);
            let y_im = b.add(e_im, t_im);
            let sq_re = b.mul(y_re, y_re);
            let sq_im = b.mul(y_im, y_im);
            let sq = b.add(sq_re, sq_im);
            let rest = b.lin(&[(sq, 1), (r_pow, -1), (p, -(1 << 16))], 1 << 15);
            let rest = b.mul(sel_q, rest);
            power = b.add(power, rest);
        }
        b.constraint(rescale_re);
        b.constraint(rescale_im);
        b.constraint(power);
    }

    // Accumulators: zero on row 8, then acc' = acc + sum_k weight(j, k) P'[k].
    for j in 0..NUM_ACC {
        let acc = g[ACC_OFFSET + j];
        let e = b.mul(sel[0], acc);
        b.constraint(e);
        let d = b.sub(next.general[ACC_OFFSET + j], acc);
        let mut e = b.mul(is_split, d);
        for (q, &sel_q) in sel.iter().enumerate() {
            let terms: Vec<_> = split_row_bins(q)
                .map(|(slot, k)| (power_of_slot[slot], acc_weight(j, k)))
                .filter(|&(_, w)| w != 0)
                .collect();
            if terms.is_empty() {
                continue;
            }
            let contribution = b.lin(&terms, 0);
            let c = b.mul(sel_q, contribution);
            e = b.sub(e, c);
        }
        b.constraint_transition(e);
    }
}
