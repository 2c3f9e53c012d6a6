//! Pooled statistics over voiced frames: what the embedding (means and standard
//! deviations of the cepstra and of the log mel energies) is computed from, and
//! what a chunk proof exposes.
//!
//! A frame is voiced when its log energy `c0` (Q24) is at least the model's
//! threshold. Per value `v` of [`FrameValuesQ24`] (the 13 cepstra, then the 26 log
//! mel energies) the statistics are `sum v` (Q24, exact) and `sum q^2` with
//! `q = round(v / 2^12)` (Q12 values, so the squares are Q24).
//!
//! The spread of the frame-to-frame change (issue 16 step 2b, regression deltas since session 22):
//! `sum_dsq = sum d(f)^2` over every voiced frame `f`, with the regression delta over +-2 frames
//! `d(f) = (e(f + 1) - e(f - 1)) + 2 (e(f + 2) - e(f - 2))` of the *delta quotients* `e` ([`delta_quotients`]:
//! the `Q12` quotients above, the lifted cepstra `c_1..c_12` rounded once more to `Q10`), and frame indices
//! clamped to the recording (frames `-2`, `-1` read as frame 0, frames `N`, `N + 1` as frame `N - 1`). The
//! neighbours need not be voiced. The cepstra's extra rounding keeps every term below `2^48.5`, so `2^14`
//! voiced frames' sums stay below the field's order (`docs/FIXED_POINT.md`, "Regression deltas").

use super::rounding::round_shift;
use super::FrameValuesQ24;
use crate::params::NUM_STAT_VALUES;

/// Bits dropped from a Q24 coefficient before squaring.
pub const SQUARE_SHIFT_BITS: u32 = 12;
/// The statistics values whose delta quotient is rounded once more ([`DELTA_RESCALE_BITS`]): the lifted
/// cepstra `c_1..c_12`, whose `Q12` quotients reach `2^23.7` (`c0` and the log mel energies stay below `2^18`).
pub const DELTA_RESCALED: std::ops::Range<usize> = 1..crate::params::NUM_CEPS;
/// Number of [`DELTA_RESCALED`] values.
pub const NUM_DELTA_RESCALED: usize = DELTA_RESCALED.end - DELTA_RESCALED.start;
/// Bits dropped from the `Q12` quotient of a [`DELTA_RESCALED`] value for its regression delta.
pub const DELTA_RESCALE_BITS: u32 = 2;
/// Frames on each side of a regression delta.
pub const DELTA_REACH: usize = 2;
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
    /// `sum d_n(f)^2` of the regression deltas ([`regression_delta`]) over voiced frames `f`.
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

    /// Adds the squares of a voiced frame's regression deltas ([`regression_delta`]).
    pub fn add_delta(&mut self, d: &[i64; NUM_STAT_VALUES]) {
        for (sum, &dn) in self.sum_dsq.iter_mut().zip(d) {
            // Saturates rather than wraps: at most 2^14 voiced frames reach the decision, whose terms are below
            // 2^48.5, but a longer recording's sum may pass i64 (the decision refuses sums of 2^62 or more).
            *sum = sum.saturating_add(dn * dn);
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

/// The delta quotients of a frame's values: the [`quotients`], those of [`DELTA_RESCALED`] rounded by
/// `2^DELTA_RESCALE_BITS` more (`Q10`).
pub fn delta_quotients(c: &FrameValuesQ24) -> [i64; NUM_STAT_VALUES] {
    let mut e = quotients(c);
    for n in DELTA_RESCALED {
        e[n] = round_shift(i128::from(e[n]), DELTA_RESCALE_BITS);
    }
    e
}

/// The regression delta `(e(f + 1) - e(f - 1)) + 2 (e(f + 2) - e(f - 2))` of the delta quotients `e` of a
/// recording's frames, at frame `f`, with indices clamped to `0..e.len()`.
pub fn regression_delta(e: &[[i64; NUM_STAT_VALUES]], f: usize) -> [i64; NUM_STAT_VALUES] {
    let at = |i: isize| &e[i.clamp(0, e.len() as isize - 1) as usize];
    let f = f as isize;
    let (p1, n1, p2, n2) = (at(f - 1), at(f + 1), at(f - 2), at(f + 2));
    std::array::from_fn(|n| (n1[n] - p1[n]) + 2 * (n2[n] - p2[n]))
}

/// Statistics of a recording's frames' values (`crate::fixed::frame_values`), all of them in order (the
/// regression deltas need each frame's neighbours).
pub fn pooled_stats(frames: &[FrameValuesQ24], threshold_q24: i64) -> PooledStats {
    let mut s = PooledStats::default();
    let e: Vec<[i64; NUM_STAT_VALUES]> = frames.iter().map(delta_quotients).collect();
    for (f, c) in frames.iter().enumerate() {
        s.add(c, threshold_q24);
        if c[0] >= threshold_q24 {
            s.add_delta(&regression_delta(&e, f));
        }
    }
    s
}
