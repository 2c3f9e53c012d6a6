//! Block floating point: the per-frame shift `s` chosen from the frame energy.

use super::format::{BLOCK_TARGET_BITS, MAX_BLOCK_SHIFT};
use crate::params::FRAME_LEN;

/// The frame's energy `sum y[n]^2` (exact; below `400 * 2^46 < 2^55`).
pub fn frame_energy(y: &[i32; FRAME_LEN]) -> u64 {
    y.iter().map(|&v| (i64::from(v) * i64::from(v)) as u64).sum()
}

/// The frame's block shift `s`: the largest `s <= 16` with
/// `sum y[n]^2 * 2^(2s) < 2^46`, so every `|y[n]| * 2^s < 2^23`.
/// A frame of silence (all zero) gets 16.
pub fn block_shift(y: &[i32; FRAME_LEN]) -> u32 {
    let energy = frame_energy(y);
    let bits = u64::BITS - energy.leading_zeros();
    // energy * 2^(2s) < 2^46  <=>  bits + 2s <= 46
    ((2 * BLOCK_TARGET_BITS).saturating_sub(bits) / 2).min(MAX_BLOCK_SHIFT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_normalises_peak() {
        let mut y = [0i32; FRAME_LEN];
        assert_eq!(block_shift(&y), 16);
        y[3] = -127; // energy 16129: 14 bits
        assert_eq!(block_shift(&y), 16);
        y[5] = 128; // energy 32513: 15 bits, 2s <= 31
        assert_eq!(block_shift(&y), 15);
        y[9] = -6_455_296; // the largest possible |y|
        assert_eq!(block_shift(&y), 0);
        let loud = [6_455_296i32; FRAME_LEN];
        assert_eq!(block_shift(&loud), 0);
    }
}
