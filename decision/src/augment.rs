//! Channel augmentation for fitting a model (`crate::fit`): a telephone-band copy of every recording.
//!
//! A voice heard through a telephone channel (8 kHz sampling: nothing above 4 kHz) has other cepstra than the same
//! voice recorded wideband, and without help the embedding mistakes the channel for the speaker: fitted on wideband
//! speech only, the model accepted 74% of impostors among telephone-band copies of its own corpus
//! (`docs/ACCURACY.md`). Fitting on both versions of every recording, labelled with the same speaker, puts the
//! channel's direction into the within-speaker covariance, which the whitening then weighs down.
//!
//! The copy is a linear-phase low-pass FIR at 16 kHz (windowed sinc, Blackman window, [`TELEPHONE_TAPS`] taps,
//! cut-off [`TELEPHONE_CUTOFF_HZ`]): what resampling to 8 kHz and back leaves of a recording, without resampling.
//! Deterministic (`f64`, fixed order), same length as the input, rounded to the nearest integer and saturated to
//! 16 bits. Used only to fit models; nothing proven depends on it.

use stark_frames::params::SAMPLE_RATE;

/// Cut-off of the telephone-band copy, in Hz (just below 8 kHz sampling's Nyquist frequency).
pub const TELEPHONE_CUTOFF_HZ: f64 = 3_800.0;
/// Taps of the low-pass filter (odd, so the filter is centred on a sample).
pub const TELEPHONE_TAPS: usize = 127;

/// The filter's taps, summing to 1.
fn taps() -> Vec<f64> {
    let m = (TELEPHONE_TAPS - 1) as f64;
    let fc = TELEPHONE_CUTOFF_HZ / f64::from(SAMPLE_RATE);
    let pi = std::f64::consts::PI;
    let raw: Vec<f64> = (0..TELEPHONE_TAPS)
        .map(|n| {
            let t = n as f64 - m / 2.0;
            let sinc = if t == 0.0 { 2.0 * fc } else { (2.0 * pi * fc * t).sin() / (pi * t) };
            let window = 0.42 - 0.5 * (2.0 * pi * n as f64 / m).cos() + 0.08 * (4.0 * pi * n as f64 / m).cos();
            sinc * window
        })
        .collect();
    let sum: f64 = raw.iter().sum();
    raw.into_iter().map(|v| v / sum).collect()
}

/// The telephone-band copy of `samples` (16 kHz): low-passed at [`TELEPHONE_CUTOFF_HZ`], same length.
pub fn telephone_band(samples: &[i16]) -> Vec<i16> {
    let h = taps();
    let half = TELEPHONE_TAPS / 2;
    // Zero-padded by half the filter on both sides: output i is the dot product of the taps, reversed, with
    // padded[i .. i + TAPS].
    let mut padded = vec![0.0f64; samples.len() + 2 * half];
    for (p, &s) in padded[half..].iter_mut().zip(samples) {
        *p = f64::from(s);
    }
    padded
        .windows(TELEPHONE_TAPS)
        .map(|w| {
            let acc: f64 = w.iter().rev().zip(&h).map(|(x, c)| x * c).sum();
            acc.round().clamp(f64::from(i16::MIN), f64::from(i16::MAX)) as i16
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Amplitude of a sine of `hz` after the filter (middle of a 1 s signal).
    fn gain(hz: f64) -> f64 {
        let x: Vec<i16> = (0..16_000)
            .map(|n| (10_000.0 * (2.0 * std::f64::consts::PI * hz * n as f64 / 16_000.0).sin()).round() as i16)
            .collect();
        let y = telephone_band(&x);
        y[4_000..12_000].iter().map(|&v| f64::from(v).abs()).fold(0.0, f64::max) / 10_000.0
    }

    #[test]
    fn passes_the_telephone_band_and_stops_above_it() {
        for hz in [200.0, 1_000.0, 3_000.0] {
            assert!((gain(hz) - 1.0).abs() < 0.01, "{hz} Hz: gain {}", gain(hz));
        }
        for hz in [4_500.0, 6_000.0, 7_900.0] {
            assert!(gain(hz) < 0.01, "{hz} Hz: gain {}", gain(hz));
        }
    }

    #[test]
    fn keeps_length_saturates_and_is_deterministic() {
        let x: Vec<i16> = (0..1_000).map(|n| if n % 2 == 0 { i16::MAX } else { i16::MIN }).collect();
        let y = telephone_band(&x);
        assert_eq!(y.len(), x.len());
        assert_eq!(y, telephone_band(&x));
        let dc = vec![i16::MAX; 500];
        assert_eq!(telephone_band(&dc)[250], i16::MAX, "a full-scale constant passes, saturated, not wrapped");
        assert!(telephone_band(&[]).is_empty());
    }
}
