//! Constant integer tables of the pipeline (window, twiddles, mel weights,
//! DCT-and-lifter matrix), derived once from `f64` by rounding to nearest.
//!
//! They are part of the statement the proofs make, so a test pins a digest of
//! all of them: a platform whose `libm` rounds one entry differently fails it
//! instead of silently producing other MFCCs.

use std::f64::consts::PI;
use std::sync::OnceLock;

use super::format::{DCT_FRAC_BITS, MEL_FRAC_BITS, TWIDDLE_FRAC_BITS, WINDOW_FRAC_BITS};
use crate::oracle;
use crate::params::{FRAME_LEN, MEL_EDGE_BINS, NUM_BINS, NUM_CEPS, NUM_FILTERS};

/// Points of the complex FFT (the 512-point real FFT packs even/odd samples).
pub const FFT_POINTS: usize = 256;

/// A Gaussian integer: a complex value with integer parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CInt {
    /// Real part.
    pub re: i64,
    /// Imaginary part.
    pub im: i64,
}

/// One mel filter: its first nonzero bin and its Q12 weights from there on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MelFilter {
    /// First bin with a nonzero weight.
    pub start_bin: usize,
    /// `H[j][start_bin + i]`, all in `(0, 4096]`.
    pub weights: Vec<i64>,
}

/// All constant tables.
#[derive(Debug)]
pub struct Tables {
    /// `W[n] = round(2^16 * hamming(400)[n])`.
    pub window: [i64; FRAME_LEN],
    /// `T[k] = round(2^24 * e^{-2 pi i k / 256})`, `k < 128`.
    pub fft_twiddles: [CInt; FFT_POINTS / 2],
    /// `U[k] = round(2^24 * (-i) * e^{-2 pi i k / 512})`, `k <= 256`, for the real split.
    pub split_twiddles: [CInt; NUM_BINS],
    /// The 26 mel filters in Q12.
    pub mel: Vec<MelFilter>,
    /// `D[n][j] = round(2^20 * lifter(n) * dct_ortho(n, j))`; row 0 is unused (c0 is the energy).
    pub dct: [[i64; NUM_FILTERS]; NUM_CEPS],
}

fn q(v: f64, bits: u32) -> i64 {
    (v * (1u64 << bits) as f64).round() as i64
}

fn build() -> Tables {
    let hamming = oracle::hamming();
    let window = std::array::from_fn(|n| q(hamming[n], WINDOW_FRAC_BITS));
    let fft_twiddles = std::array::from_fn(|k| {
        let t = 2.0 * PI * k as f64 / FFT_POINTS as f64;
        CInt { re: q(t.cos(), TWIDDLE_FRAC_BITS), im: q(-t.sin(), TWIDDLE_FRAC_BITS) }
    });
    let split_twiddles = std::array::from_fn(|k| {
        let t = 2.0 * PI * k as f64 / (2 * FFT_POINTS) as f64;
        // (-i)(cos t - i sin t) = -sin t - i cos t
        CInt { re: q(-t.sin(), TWIDDLE_FRAC_BITS), im: q(-t.cos(), TWIDDLE_FRAC_BITS) }
    });
    let bank = oracle::mel_filterbank();
    let mel = (0..NUM_FILTERS)
        .map(|j| {
            let (start_bin, end) = (MEL_EDGE_BINS[j], MEL_EDGE_BINS[j + 2]);
            let weights = (start_bin..end).map(|k| q(bank[j][k], MEL_FRAC_BITS)).collect();
            MelFilter { start_bin, weights }
        })
        .map(|mut f: MelFilter| {
            // Rising edges start at weight 0: drop leading zeros so every stored weight is > 0.
            while f.weights.first() == Some(&0) {
                f.weights.remove(0);
                f.start_bin += 1;
            }
            f
        })
        .collect();
    let dct = std::array::from_fn(|n| {
        let row = oracle::dct_lifter_row(n);
        std::array::from_fn(|j| q(row[j], DCT_FRAC_BITS))
    });
    Tables { window, fft_twiddles, split_twiddles, mel, dct }
}

/// The tables, built on first use.
pub fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(build)
}

impl Tables {
    /// FNV-1a digest over every entry, in a fixed order.
    pub fn digest(&self) -> u64 {
        let mut h = 0xcbf2_9ce4_8422_2325u64;
        let mut eat = |v: i64| {
            for b in v.to_le_bytes() {
                h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
            }
        };
        self.window.iter().for_each(|&v| eat(v));
        for t in self.fft_twiddles.iter().chain(&self.split_twiddles) {
            eat(t.re);
            eat(t.im);
        }
        for f in &self.mel {
            eat(f.start_bin as i64);
            f.weights.iter().for_each(|&v| eat(v));
        }
        self.dct.iter().flatten().for_each(|&v| eat(v));
        h
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pins every constant table. If this fails on a new platform, its `libm`
    /// rounds some table entry differently and the MFCCs (and every proof) would
    /// differ: treat that as a bug, not as a number to update.
    #[test]
    fn table_digest_is_pinned() {
        assert_eq!(tables().digest(), PINNED_DIGEST, "got {:#x}", tables().digest());
    }
    const PINNED_DIGEST: u64 = 0xbc9a_c225_ec16_ece7;

    #[test]
    fn trivial_twiddles_are_exact() {
        let t = tables();
        assert_eq!(t.fft_twiddles[0], CInt { re: 1 << 24, im: 0 });
        assert_eq!(t.fft_twiddles[64], CInt { re: 0, im: -(1 << 24) });
        assert_eq!(t.split_twiddles[0], CInt { re: 0, im: -(1 << 24) });
    }

    #[test]
    fn window_fits_16_bits() {
        assert!(tables().window.iter().all(|&w| (0..1 << 16).contains(&w)));
    }

    #[test]
    fn mel_weights_peak_at_4096() {
        for f in &tables().mel {
            assert_eq!(*f.weights.iter().max().unwrap(), 1 << MEL_FRAC_BITS);
            assert!(f.weights.iter().all(|&w| w > 0));
        }
    }
}
