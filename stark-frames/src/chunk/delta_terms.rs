//! The terms of the regression deltas a row adds (`delta_air.rs`), shared by the constraints and the trace
//! generation (`delta_gen.rs`) so that both compute the same linear combinations.

use super::columns::DELTA_HISTORY;
use crate::params::NUM_STAT_VALUES;

/// The terms a row adds (`delta_air.rs`), as linear combinations of the row's delta quotients (source 0) and
/// its register (source `1 + i`: `prev_e[i] = e(f - 1 - i)`): the regression delta of frame `f - 2`, added when
/// frame `f` is a counted one, then those of frames `f - 1` and `f` with the end clamped (frames `f + 1`, `f + 2`
/// read as `f`), added on the recording's last frame.
pub(crate) const ROW_TERMS: [[(usize, i64); 4]; 3] =
    [[(1, 1), (3, -1), (0, 2), (4, -2)], [(0, 1), (2, -1), (0, 2), (3, -2)], [(0, 1), (1, -1), (0, 2), (2, -2)]];

/// The value of source `s` of [`ROW_TERMS`] for statistics value `n`.
pub(crate) fn source<T: Copy>(
    e: &[T; NUM_STAT_VALUES],
    prev: &[[T; NUM_STAT_VALUES]; DELTA_HISTORY],
    s: usize,
    n: usize,
) -> T {
    if s == 0 {
        e[n]
    } else {
        prev[s - 1][n]
    }
}
