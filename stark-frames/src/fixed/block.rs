//! Block floating point: the per-frame shift `s` chosen from the frame energy.

use super::format::{BLOCK_TARGET_BITS, MAX_BLOCK_SHIFT};
use crate::params::FRAME_LEN;

/// The frame's energy `sum y[n]^2` (exact; at most `400 * 6 455 196^2 < 2^53.9` for 16-bit samples).
pub fn frame_energy(y: &[i32; FRAME_LEN]) -> u64 {
    y.iter().map(|&v| (i64::from(v) * i64::from(v)) as u64).sum()
}

/// The frame's block shift `s`: the largest `s <= 20` with
/// `sum y[n]^2 * 2^(2s) < 2^54`, so every `|y[n]| * 2^(s - 4) < 2^23` (`format::BLOCK_SHIFT_BIAS`).
/// A frame of silence (all zero) gets 20; every frame of 16-bit samples has one (energy below `2^54`).
pub fn block_shift(y: &[i32; FRAME_LEN]) -> u32 {
    let energy = frame_energy(y);
    let bits = u64::BITS - energy.leading_zeros();
    // energy * 2^(2s) < 2^54  <=>  bits + 2s <= 54
    ((2 * BLOCK_TARGET_BITS).saturating_sub(bits) / 2).min(MAX_BLOCK_SHIFT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shift_normalises_peak() {
        let mut y = [0i32; FRAME_LEN];
        assert_eq!(block_shift(&y), 20);
        y[3] = -127; // energy 16129: 14 bits
        assert_eq!(block_shift(&y), 20);
        y[5] = 128; // energy 32513: 15 bits, 2s <= 39
        assert_eq!(block_shift(&y), 19);
        y[9] = -6_455_196; // the largest possible |y|: 100 * 32767 + 97 * 32768
        assert_eq!(block_shift(&y), 4, "one full-scale sample: energy 2^45.2, scale 1");
        // The loudest frame: alternating full-scale samples, energy 2^53.9, scale 2^-4.
        let loud: [i32; FRAME_LEN] = std::array::from_fn(|n| if n % 2 == 0 { 6_455_196 } else { -6_455_196 });
        assert!(frame_energy(&loud) < 1 << 54);
        assert_eq!(block_shift(&loud), 0);
    }
}
