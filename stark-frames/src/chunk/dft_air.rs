//! The spectrum: for each bin `k` and part, `X = round(2^s sum_n y[n] K[k][n] / 2^29)`, witnessed as
//! `2^3 (2^s S + 2^28) = 2^32 X + r'` with `r'` in `[0, 2^32)` and `X + 2^31` in `[0, 2^32)`.
//!
//! `S = sum_n y'[n] K[k][n]` is linear in the emphasised samples `y'[n] = 100 x[n] - 97 x[n-1]`,
//! corrected at the end position (`end_correction * z_i` added at `n0_i`). The constraint has degree 3
//! (`2^s` times the corrected sum). All 514 components are one constant matrix times `y'`, which the
//! recursive verifier evaluates with shared products (`Constraints::const_matrix_times`). Both sides stay below `2^54` in magnitude (`|2^s S| < 2^50.7`) (`docs/FIXED_POINT.md`), so the decomposition is the
//! integer one.

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

/// The kernel rows of every component: index `2 k` for `X_re[k]`, `2 k + 1` for `X_im[k]`.
pub fn kernel_rows() -> Vec<&'static [i64; FRAME_LEN]> {
    let t = tables();
    (0..2 * NUM_BINS).map(|i| if i % 2 == 0 { &t.dft_re[i / 2] } else { &t.dft_im[i / 2] }).collect()
}

/// The emphasised samples with the end correction folded in:
/// `y'[n] = 100 x[n] - 97 x[n-1] + [n >= 241] end_correction * end_marker[n - 240]`, so that
/// `sum_n K[n] y'[n]` is the corrected sum `S` of the module comment (the same polynomial,
/// rearranged; degree 2).
fn corrected_emphasis<F: RichField, B: Constraints<F>>(b: &mut B, local: &FrameRow<B::Expr>) -> [B::Expr; FRAME_LEN] {
    std::array::from_fn(|n| {
        let prev = if n == 0 { local.prev_sample } else { local.samples[n - 1] };
        let y = b.lin(&[(local.samples[n], i64::from(PREEMPH_DEN)), (prev, -i64::from(PREEMPH_NUM))], 0);
        if n >= FIRST_END_POSITION {
            let marked = b.mul(local.end_correction, local.end_marker[n - FIRST_END_POSITION + 1]);
            b.add(y, marked)
        } else {
            y
        }
    })
}

/// All spectrum constraints.
pub fn eval<F: RichField, B: Constraints<F>>(b: &mut B, local: &FrameRow<B::Expr>) {
    let pow2s = pow2_shift(b, local);
    let y = corrected_emphasis(b, local);
    let sums = b.const_matrix_times(&kernel_rows(), &y);
    for (i, sum) in sums.into_iter().enumerate() {
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
