//! The windowed 512-point real DFT of a frame as one exact integer sum per output.
//!
//! `X[k] = round(2^s sum_n y[n] K[k][n] / 2^29)` for `k = 0..=256`, where `D` folds the Hamming
//! window into the DFT kernel (`tables().dft`). The sum is exact (below `2^48`, see
//! `docs/FIXED_POINT.md`), so each output is rounded once: no windowed samples, no FFT stages.

use super::format::SPECTRUM_RESCALE_BITS;
use super::rounding::round_shift;
use super::tables::{tables, CInt};
use crate::params::{FRAME_LEN, NUM_BINS};

/// The exact sums `sum_n y[n] K[k][n]` (real and imaginary), before the block shift and rescale.
pub fn kernel_sums(y: &[i32; FRAME_LEN]) -> [(i64, i64); NUM_BINS] {
    let t = tables();
    std::array::from_fn(|k| {
        let (re, im) = (&t.dft_re[k], &t.dft_im[k]);
        let mut acc = (0i64, 0i64);
        for n in 0..FRAME_LEN {
            let v = i64::from(y[n]);
            acc.0 += v * re[n];
            acc.1 += v * im[n];
        }
        acc
    })
}

/// The spectrum `X[k] = round(2^s * sum_n y[n] K[k][n] / 2^29)`, `k = 0..=256`, of a frame of scaled
/// pre-emphasised samples `y` with block shift `s`. Every component is below `2^21.7` in magnitude.
pub fn spectrum(y: &[i32; FRAME_LEN], shift: u32) -> [CInt; NUM_BINS] {
    spectrum_of_sums(&kernel_sums(y), shift)
}

/// The spectrum from the exact kernel sums of [`kernel_sums`] and the block shift `s`.
pub fn spectrum_of_sums(sums: &[(i64, i64); NUM_BINS], shift: u32) -> [CInt; NUM_BINS] {
    std::array::from_fn(|k| {
        let (re, im) = sums[k];
        CInt {
            re: round_shift(i128::from(re) << shift, SPECTRUM_RESCALE_BITS),
            im: round_shift(i128::from(im) << shift, SPECTRUM_RESCALE_BITS),
        }
    })
}
