//! FFT constraints, rows 0..=7: stage `s` of a constant-geometry (Pease) radix-2
//! FFT maps the vector in row `s` to the vector in row `s + 1`:
//! `x'[j] = a + t`, `x'[j + 128] = a - t` with `a = x[2j]`, `b = x[2j + 1]`,
//! `t = round(b w / 2^16)`, `w = T[(j >> (7 - s)) << (7 - s)]`. These are exactly
//! the butterflies of the reference DIT FFT (`fixed::fft::fft256`), reordered.
//! Stages 0 and 1 have exact twiddles (1, -i); stages 2..=7 witness the rescale
//! `b w + 2^15 = 2^16 t + r` with `r` in 16 bits and `t + 2^31` in 32 bits.

use plonky2::hash::hash_types::RichField;

use super::columns::ChunkCols;
use super::expr::Constraints;
use super::schedule::{butterfly_slot, fft_row, EXACT_STAGES, FFT_STAGES};
use crate::fixed::tables::{tables, CInt, FFT_POINTS};

/// Twiddle exponent of butterfly `j` in stage `s`.
pub fn twiddle_index(stage: usize, j: usize) -> usize {
    let low = FFT_STAGES - 1 - stage;
    (j >> low) << low
}

/// The (exact) twiddle of stages 0 and 1, as a multiple of `2^16`: 1 or -i.
fn exact_twiddle(stage: usize, j: usize) -> CInt {
    let w = tables().fft_twiddles[twiddle_index(stage, j)];
    CInt { re: w.re >> 16, im: w.im >> 16 }
}

/// All FFT constraints.
pub fn eval<F: RichField, B: Constraints<F>>(b: &mut B, local: &ChunkCols<B::Expr>, next: &ChunkCols<B::Expr>) {
    let sel: Vec<B::Expr> = (0..FFT_STAGES).map(|s| local.row[fft_row(s)]).collect();
    let is_fft = b.sum(&sel);
    let is_rescaled = b.sum(&sel[EXACT_STAGES..]);
    let g = &local.general;
    let twiddles = &tables().fft_twiddles;
    for j in 0..FFT_POINTS / 2 {
        let (a_re, a_im, b_re, b_im) = (g[4 * j], g[4 * j + 1], g[4 * j + 2], g[4 * j + 3]);
        let limbs = butterfly_slot(j);
        let t_re_l = limbs.t_re.eval(b, &local.limbs);
        let t_im_l = limbs.t_im.eval(b, &local.limbs);
        let r_re = limbs.r_re.eval(b, &local.limbs);
        let r_im = limbs.r_im.eval(b, &local.limbs);

        // Rescale of stages 2..=7: sum_s sel_s (b w_s) + 2^15 - r - 2^16 t = 0 on those rows.
        let mut prod_re = b.int(0);
        let mut prod_im = b.int(0);
        for (s, &sel_s) in sel.iter().enumerate().skip(EXACT_STAGES) {
            let w = twiddles[twiddle_index(s, j)];
            let pr = b.lin(&[(b_re, w.re), (b_im, -w.im)], 0);
            let pi = b.lin(&[(b_re, w.im), (b_im, w.re)], 0);
            let pr = b.mul(sel_s, pr);
            let pi = b.mul(sel_s, pi);
            prod_re = b.add(prod_re, pr);
            prod_im = b.add(prod_im, pi);
        }
        for (prod, r, t) in [(prod_re, r_re, t_re_l), (prod_im, r_im, t_im_l)] {
            let rest = b.lin(&[(r, -1), (t, -(1 << 16))], 1 << 15);
            let rest = b.mul(is_rescaled, rest);
            let e = b.add(prod, rest);
            b.constraint(e);
        }

        // t as an expression: exact for stages 0 and 1, from limbs afterwards.
        let mut t_re = b.mul(is_rescaled, t_re_l);
        let mut t_im = b.mul(is_rescaled, t_im_l);
        for (s, &sel_s) in sel.iter().enumerate().take(EXACT_STAGES) {
            let w = exact_twiddle(s, j);
            let er = b.lin(&[(b_re, w.re), (b_im, -w.im)], 0);
            let ei = b.lin(&[(b_re, w.im), (b_im, w.re)], 0);
            let er = b.mul(sel_s, er);
            let ei = b.mul(sel_s, ei);
            t_re = b.add(t_re, er);
            t_im = b.add(t_im, ei);
        }

        // Outputs into the next row.
        let n = &next.general;
        for (out, a, t, sign) in [
            (n[2 * j], a_re, t_re, 1),
            (n[2 * j + 1], a_im, t_im, 1),
            (n[2 * (j + 128)], a_re, t_re, -1),
            (n[2 * (j + 128) + 1], a_im, t_im, -1),
        ] {
            let d = b.sub(out, a);
            let d = b.mul(is_fft, d);
            let e = b.add_scaled(d, t, F::from_noncanonical_i64(-sign));
            b.constraint_transition(e);
        }
    }
}
