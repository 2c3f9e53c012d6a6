//! Block floating point and the Hamming window.

use super::format::{BLOCK_TARGET_BITS, MAX_BLOCK_SHIFT, WINDOW_RESCALE_BITS};
use super::rounding::round_shift;
use super::tables::tables;
use crate::params::FRAME_LEN;

/// The frame's block shift `s`: the largest `s <= 16` with `max |y| * 2^s < 2^23`.
/// A frame of silence (all zero) gets 16.
pub fn block_shift(y: &[i32; FRAME_LEN]) -> u32 {
    let peak = y.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
    let bits = u32::BITS - peak.leading_zeros();
    BLOCK_TARGET_BITS.saturating_sub(bits).min(MAX_BLOCK_SHIFT)
}

/// Windowed samples `v[n] = round(y[n] * W[n] * 2^s / 2^21)`; `|v[n]| <= 2^22`.
pub fn apply_window(y: &[i32; FRAME_LEN], shift: u32) -> [i64; FRAME_LEN] {
    let w = &tables().window;
    std::array::from_fn(|n| {
        let v = round_shift((i128::from(y[n]) * i128::from(w[n])) << shift, WINDOW_RESCALE_BITS);
        debug_assert!(v.abs() <= 1 << 22);
        v
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_normalises_peak() {
        let mut y = [0i32; FRAME_LEN];
        assert_eq!(block_shift(&y), 16);
        y[3] = -127; // 7 bits
        assert_eq!(block_shift(&y), 16);
        y[5] = 128; // 8 bits
        assert_eq!(block_shift(&y), 15);
        y[9] = -6_488_064; // 23 bits: the largest possible |y|
        assert_eq!(block_shift(&y), 0);
    }
}
