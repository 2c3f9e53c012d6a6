//! Power spectrum, mel filterbank and frame energy in integers.

use super::tables::{tables, CInt};
use crate::params::{NUM_BINS, NUM_FILTERS};

/// The exact power `P[k] = X_re^2 + X_im^2`; `0 <= P < 2^44.4`.
pub fn power(x: &[CInt; NUM_BINS]) -> [i64; NUM_BINS] {
    std::array::from_fn(|k| {
        let p = x[k].re * x[k].re + x[k].im * x[k].im;
        debug_assert!(p < 1 << 45);
        p
    })
}

/// Mel energies `M[j] = sum_k H[j][k] P[k]` with the exact integer weights of [`super::tables::MelFilter`]; `M < 2^60`.
pub fn mel_energies(power: &[i64; NUM_BINS]) -> [u64; NUM_FILTERS] {
    let mel = &tables().mel;
    std::array::from_fn(|j| {
        let f = &mel[j];
        let sum: i128 = f.weights.iter().zip(&power[f.start_bin..]).map(|(&h, &p)| i128::from(h * p)).sum();
        u64::try_from(sum).ok().filter(|&m| m < 1 << 63).expect("mel energy exceeds 2^63")
    })
}

/// Frame energy `E = sum_k P[k]` (exact); `E < 2^53`.
pub fn energy(power: &[i64; NUM_BINS]) -> u64 {
    power.iter().map(|&p| p as u64).sum()
}
