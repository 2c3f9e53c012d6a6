//! Log mel energies with their scale offsets, and the DCT-II with the lifter.

use super::format::{DCT_FRAC_BITS, ENERGY_LOG2_OFFSET, LN2_Q24, LN_1E4_Q24, LN_FLOOR_Q24};
use super::log::log_parts;
use super::rounding::round_shift;
use super::tables::tables;
use crate::params::{NUM_CEPS, NUM_FILTERS};

/// `ln` of a real energy from its integer form `m`, in Q24: the integer `ln m`
/// minus `(2s - 7) ln 2 + ln 10^4 + ln_scale`, or the floor `ln eps` when `m = 0`.
fn scaled_log(m: u64, ln_scale_q24: i64, shift: u32) -> i64 {
    match log_parts(m) {
        None => LN_FLOOR_Q24,
        Some(p) => {
            (i64::from(p.bit) - ENERGY_LOG2_OFFSET - 2 * i64::from(shift)) * LN2_Q24 + p.poly
                - LN_1E4_Q24
                - ln_scale_q24
        }
    }
}

/// `ln` of each real mel energy, Q24.
pub fn log_mel(mel: &[u64; NUM_FILTERS], shift: u32) -> [i64; NUM_FILTERS] {
    let filters = &tables().mel;
    std::array::from_fn(|j| scaled_log(mel[j], filters[j].ln_scale_q24, shift))
}

/// `ln` of the real frame energy, Q24.
pub fn log_energy(energy: u64, shift: u32) -> i64 {
    scaled_log(energy, 0, shift)
}

/// `c[n] = round(sum_j D[n][j] l[j] / 2^20)` for `n = 1..=12` (Q24), `c[0] = log energy`.
pub fn cepstra(log_mel: &[i64; NUM_FILTERS], log_energy: i64) -> [i64; NUM_CEPS] {
    let d = &tables().dct;
    std::array::from_fn(|n| {
        if n == 0 {
            return log_energy;
        }
        let sum: i128 = d[n].iter().zip(log_mel).map(|(&a, &b)| i128::from(a) * i128::from(b)).sum();
        round_shift(sum, DCT_FRAC_BITS)
    })
}
