//! Pooled statistics over voiced frames: what the embedding (means and standard
//! deviations of the cepstra and of the log mel energies) is computed from, and
//! what a chunk proof exposes.
//!
//! A frame is voiced when its log energy `c0` (Q24) is at least the model's
//! threshold. Per value `v` of [`FrameValuesQ24`] (the 13 cepstra, then the 26 log
//! mel energies) the statistics are `sum v` (Q24, exact) and `sum q^2` with
//! `q = round(v / 2^12)` (Q12 values, so the squares are Q24).

use super::rounding::round_shift;
use super::FrameValuesQ24;
use crate::params::NUM_STAT_VALUES;

/// Bits dropped from a Q24 coefficient before squaring.
pub const SQUARE_SHIFT_BITS: u32 = 12;
/// The default voicing threshold on `c0`: 9.0 (natural log of the frame energy), in Q24.
/// Measured on the fixtures: noise-floor frames have `c0` near 5.3, speech 10 to 20.
pub const DEFAULT_VOICING_THRESHOLD_Q24: i64 = 9 << 24;

/// Sums over the voiced frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PooledStats {
    /// `sum v_n` over voiced frames (Q24), per value of [`FrameValuesQ24`].
    pub sum: [i64; NUM_STAT_VALUES],
    /// `sum round(v_n / 2^12)^2` over voiced frames (Q24).
    pub sum_sq: [i64; NUM_STAT_VALUES],
    /// Number of voiced frames.
    pub count: u64,
}

impl Default for PooledStats {
    fn default() -> Self {
        Self { sum: [0; NUM_STAT_VALUES], sum_sq: [0; NUM_STAT_VALUES], count: 0 }
    }
}

impl PooledStats {
    /// Adds one frame if it is voiced.
    pub fn add(&mut self, c: &FrameValuesQ24, threshold_q24: i64) {
        if c[0] < threshold_q24 {
            return;
        }
        for (n, &cn) in c.iter().enumerate() {
            let q = round_shift(i128::from(cn), SQUARE_SHIFT_BITS);
            self.sum[n] += cn;
            self.sum_sq[n] += q * q;
        }
        self.count += 1;
    }

    /// Adds another set of sums (for combining chunks).
    pub fn merge(&mut self, other: &Self) {
        for n in 0..NUM_STAT_VALUES {
            self.sum[n] += other.sum[n];
            self.sum_sq[n] += other.sum_sq[n];
        }
        self.count += other.count;
    }
}

/// Statistics of a sequence of frames' values (`crate::fixed::frame_values`).
pub fn pooled_stats(frames: &[FrameValuesQ24], threshold_q24: i64) -> PooledStats {
    let mut s = PooledStats::default();
    for c in frames {
        s.add(c, threshold_q24);
    }
    s
}
