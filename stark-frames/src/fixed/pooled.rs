//! Pooled statistics over voiced frames: what the embedding (means and standard
//! deviations of the cepstra and of the log mel energies) is computed from, and
//! what a chunk proof exposes.
//!
//! A frame is voiced when its log energy `c0` (Q24) is at least the model's
//! threshold. Per value `v` of [`FrameValuesQ24`] (the 13 cepstra, then the 26 log
//! mel energies) the statistics are `sum v` (Q24, exact) and `sum q^2` with
//! `q = round(v / 2^12)` (Q12 values, so the squares are Q24).
//!
//! The spread of the frame-to-frame change (issue 16 step 2b): `sum_dsq = sum (q(f + 1) - q(f - 1))^2`, the
//! central differences of the same `Q12` quotients, over the voiced frames `f` that have a frame on both sides
//! in the recording (`1 <= f <= N - 2`: the first and last frames add nothing). The neighbours need not be
//! voiced.

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
    /// `sum (q_n(f + 1) - q_n(f - 1))^2` over voiced frames `f` with a frame on both sides (Q24).
    pub sum_dsq: [i64; NUM_STAT_VALUES],
}

impl Default for PooledStats {
    fn default() -> Self {
        Self { sum: [0; NUM_STAT_VALUES], sum_sq: [0; NUM_STAT_VALUES], count: 0, sum_dsq: [0; NUM_STAT_VALUES] }
    }
}

impl PooledStats {
    /// Adds one frame if it is voiced.
    pub fn add(&mut self, c: &FrameValuesQ24, threshold_q24: i64) {
        if c[0] < threshold_q24 {
            return;
        }
        let q = quotients(c);
        for (n, &cn) in c.iter().enumerate() {
            self.sum[n] += cn;
            self.sum_sq[n] += q[n] * q[n];
        }
        self.count += 1;
    }

    /// Adds the central difference `next - prev` of a voiced frame's neighbours' quotients ([`quotients`]).
    pub fn add_delta(&mut self, prev: &[i64; NUM_STAT_VALUES], next: &[i64; NUM_STAT_VALUES]) {
        for n in 0..NUM_STAT_VALUES {
            let d = next[n] - prev[n];
            // Saturates rather than wraps: at most 2^14 voiced frames reach the decision, whose terms are below
            // 2^49.4, but a longer recording's sum may pass i64 (the decision refuses sums of 2^62 or more).
            self.sum_dsq[n] = self.sum_dsq[n].saturating_add(d * d);
        }
    }

    /// Adds another set of sums (for combining chunks).
    pub fn merge(&mut self, other: &Self) {
        for n in 0..NUM_STAT_VALUES {
            self.sum[n] += other.sum[n];
            self.sum_sq[n] += other.sum_sq[n];
            self.sum_dsq[n] = self.sum_dsq[n].saturating_add(other.sum_dsq[n]);
        }
        self.count += other.count;
    }
}

/// The `Q12` quotients `q_n = round(v_n / 2^12)` of a frame's values.
pub fn quotients(c: &FrameValuesQ24) -> [i64; NUM_STAT_VALUES] {
    std::array::from_fn(|n| round_shift(i128::from(c[n]), SQUARE_SHIFT_BITS))
}

/// Statistics of a recording's frames' values (`crate::fixed::frame_values`), all of them in order (the
/// central differences need each frame's neighbours).
pub fn pooled_stats(frames: &[FrameValuesQ24], threshold_q24: i64) -> PooledStats {
    let mut s = PooledStats::default();
    let q: Vec<[i64; NUM_STAT_VALUES]> = frames.iter().map(quotients).collect();
    for (f, c) in frames.iter().enumerate() {
        s.add(c, threshold_q24);
        if c[0] >= threshold_q24 && f >= 1 && f + 1 < frames.len() {
            s.add_delta(&q[f - 1], &q[f + 1]);
        }
    }
    s
}
