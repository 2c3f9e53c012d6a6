//! The `f64` oracle: python_speech_features' `mfcc` (Hamming window, SPEC §3)
//! re-implemented in plain floating point. It is the yardstick the integer
//! pipeline is measured against, and it agrees with python_speech_features to
//! 1e-6 on every fixture (tested against committed reference CSVs).

mod fft;
mod filterbank;

pub use filterbank::{mel_edge_bins, mel_filterbank};

use std::f64::consts::PI;

use crate::params::{
    num_frames, padded_len, CEP_LIFTER, FRAME_LEN, HOP, NFFT, NUM_BINS, NUM_CEPS, NUM_FILTERS, NUM_STAT_VALUES,
};

/// The log floor python_speech_features applies to exact zeros: `f64::EPSILON`.
pub const LOG_FLOOR: f64 = f64::EPSILON;

/// MFCCs of one frame, `c0..c12`; `c0` is the log of the frame's total power.
pub type MfccF64 = [f64; NUM_CEPS];

/// The statistics values of one frame (`crate::fixed::FrameValuesQ24` in reals): `c0..c12`, then the 26
/// log mel energies.
pub type FrameValuesF64 = [f64; NUM_STAT_VALUES];

/// `numpy.hamming(400)`.
pub fn hamming() -> [f64; FRAME_LEN] {
    std::array::from_fn(|n| 0.54 - 0.46 * (2.0 * PI * n as f64 / (FRAME_LEN - 1) as f64).cos())
}

/// Power spectrum `|rfft(frame, 512)|^2 / 512` of one windowed frame.
pub fn power_spectrum(windowed: &[f64; FRAME_LEN]) -> [f64; NUM_BINS] {
    let spectrum = fft::real_fft_512(windowed);
    std::array::from_fn(|k| spectrum[k].norm_sqr() / NFFT as f64)
}

/// MFCCs of every frame of `samples` (one row per frame), or an empty vector
/// when the audio is shorter than one frame.
pub fn mfcc(samples: &[i16]) -> Vec<MfccF64> {
    frame_values(samples).iter().map(|v| std::array::from_fn(|n| v[n])).collect()
}

/// Statistics values (MFCCs, then log mel energies) of every frame of `samples`, or an empty vector when the
/// audio is shorter than one frame.
pub fn frame_values(samples: &[i16]) -> Vec<FrameValuesF64> {
    let Some(frames) = num_frames(samples.len()) else {
        return Vec::new();
    };
    let mut signal: Vec<f64> = Vec::with_capacity(padded_len(frames));
    let mut prev = 0.0;
    for (n, &s) in samples.iter().enumerate() {
        let x = f64::from(s);
        signal.push(if n == 0 { x } else { x - 0.97 * prev });
        prev = x;
    }
    signal.resize(padded_len(frames), 0.0);
    let window = hamming();
    let bank = mel_filterbank();
    (0..frames)
        .map(|f| {
            let start = f * HOP;
            let windowed: [f64; FRAME_LEN] = std::array::from_fn(|n| signal[start + n] * window[n]);
            frame_values_of(&power_spectrum(&windowed), &bank)
        })
        .collect()
}

/// Statistics values of one frame from its power spectrum.
fn frame_values_of(pspec: &[f64; NUM_BINS], bank: &[[f64; NUM_BINS]; NUM_FILTERS]) -> FrameValuesF64 {
    let floor = |v: f64| if v == 0.0 { LOG_FLOOR } else { v };
    let energy = floor(pspec.iter().sum());
    let log_mel: [f64; NUM_FILTERS] =
        std::array::from_fn(|j| floor(bank[j].iter().zip(pspec).map(|(h, p)| h * p).sum()).ln());
    let mut out = [0.0; NUM_STAT_VALUES];
    for (n, c) in out.iter_mut().enumerate().take(NUM_CEPS).skip(1) {
        *c = dct_lifter_row(n).iter().zip(&log_mel).map(|(d, l)| d * l).sum();
    }
    out[0] = energy.ln();
    out[NUM_CEPS..].copy_from_slice(&log_mel);
    out
}

/// Row `n` of the orthonormal DCT-II times the lifter `1 + 11 sin(pi n / 22)`:
/// `c_n = sum_j row[j] * log_mel[j]`.
pub fn dct_lifter_row(n: usize) -> [f64; NUM_FILTERS] {
    let m = NUM_FILTERS as f64;
    let scale = if n == 0 { (1.0 / m).sqrt() } else { (2.0 / m).sqrt() };
    let lift = 1.0 + (CEP_LIFTER as f64 / 2.0) * (PI * n as f64 / CEP_LIFTER as f64).sin();
    std::array::from_fn(|j| lift * scale * (PI * n as f64 * (2 * j + 1) as f64 / (2.0 * m)).cos())
}
