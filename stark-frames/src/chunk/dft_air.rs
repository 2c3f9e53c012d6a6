//! The spectrum: for each bin `k` and part, `X = round(2^s sum_n y[n] K[k][n] / 2^25)`, witnessed as
//! `2^7 (2^s S + 2^24) = 2^32 X + r'` with `r'` in `[0, 2^32)` and `X + 2^31` in `[0, 2^32)`.
//!
//! `S = sum_n y[n] K[k][n]` is linear in the samples: with `y[n] = 100 x[n] - 97 x[n-1]` corrected at
//! the end position, `S = sum_n E[k][n] x[n] - 97 K[k][0] x[-1] + end_correction * sum_i z_i K[k][n0_i]`
//! where `E[k][n] = 100 K[k][n] - 97 K[k][n+1]`. The constraint has degree 3 (`2^s` times the corrected
//! sum). Both sides stay below `2^63` in magnitude (`docs/FIXED_POINT.md`), so the decomposition is the
//! integer one.

use std::sync::OnceLock;

use plonky2::hash::hash_types::RichField;

use super::columns::{FrameRow, FIRST_END_POSITION};
use super::expr::Constraints;
use super::frame_air::pow2_shift;
use super::layout::spectrum_slot;
use crate::fixed::format::SPECTRUM_RESCALE_BITS;
use crate::fixed::tables::tables;
use crate::params::{FRAME_LEN, NUM_BINS, PREEMPH_DEN, PREEMPH_NUM};

/// Extra factor that makes the rescale remainder exactly 32 bits.
pub const SPECTRUM_PRESCALE_BITS: u32 = 32 - SPECTRUM_RESCALE_BITS;

/// The kernel of one spectrum component folded onto the samples.
pub struct FoldedKernel {
    /// Coefficient of `x[n]`: `100 K[n] - 97 K[n+1]`.
    pub samples: [i64; FRAME_LEN],
    /// Coefficient of `x[-1]`: `-97 K[0]`.
    pub prev: i64,
    /// `K[n0]` for the end positions `n0 = 241..400` (coefficient of `end_correction * z`).
    pub end: [i64; FRAME_LEN - FIRST_END_POSITION],
}

/// Folded kernels of every component: index `2 k` for `X_re[k]`, `2 k + 1` for `X_im[k]`.
pub fn folded_kernels() -> &'static [FoldedKernel] {
    static K: OnceLock<Vec<FoldedKernel>> = OnceLock::new();
    K.get_or_init(|| {
        let t = tables();
        (0..2 * NUM_BINS)
            .map(|i| {
                let d = if i % 2 == 0 { &t.dft_re[i / 2] } else { &t.dft_im[i / 2] };
                let at = |n: usize| d.get(n).copied().unwrap_or(0);
                FoldedKernel {
                    samples: std::array::from_fn(|n| {
                        i64::from(PREEMPH_DEN) * d[n] - i64::from(PREEMPH_NUM) * at(n + 1)
                    }),
                    prev: -i64::from(PREEMPH_NUM) * d[0],
                    end: std::array::from_fn(|i| d[FIRST_END_POSITION + i]),
                }
            })
            .collect()
    })
}

/// All spectrum constraints.
pub fn eval<F: RichField, B: Constraints<F>>(b: &mut B, local: &FrameRow<B::Expr>) {
    let pow2s = pow2_shift(b, local);
    for (i, kernel) in folded_kernels().iter().enumerate() {
        let mut terms: Vec<(B::Expr, i64)> = local.samples.iter().copied().zip(kernel.samples).collect();
        terms.push((local.prev_sample, kernel.prev));
        let end_terms: Vec<(B::Expr, i64)> = local.end_marker[1..].iter().copied().zip(kernel.end).collect();
        let sum = b.lin(&terms, 0);
        let end_weight = b.lin(&end_terms, 0);
        let end = b.mul(local.end_correction, end_weight);
        let sum = b.add(sum, end);
        let shifted = b.mul(pow2s, sum);
        let slot = spectrum_slot(i / 2, i % 2 == 1);
        let rem = slot.rem.eval(b, &local.limbs);
        let x = slot.value.eval(b, &local.limbs);
        let e = b.lin(
            &[(shifted, 1 << SPECTRUM_PRESCALE_BITS), (rem, -1), (x, -(1i64 << 32))],
            1 << (SPECTRUM_PRESCALE_BITS + SPECTRUM_RESCALE_BITS - 1),
        );
        b.constraint(e);
    }
}

/// The spectrum component `X_re[k]` (or `X_im[k]` when `imag`) as an expression of its limbs.
pub fn component<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>, k: usize, imag: bool) -> B::Expr {
    spectrum_slot(k, imag).value.eval(b, &c.limbs)
}
