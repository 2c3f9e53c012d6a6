//! Constant integer tables of the pipeline (windowed DFT kernel, mel weights,
//! DCT-and-lifter matrix), derived once from `f64` by rounding to nearest.
//!
//! They are part of the statement the proofs make, so a test pins a digest of
//! all of them: a platform whose `libm` rounds one entry differently fails it
//! instead of silently producing other MFCCs.

use std::f64::consts::PI;
use std::sync::OnceLock;

use super::format::{DCT_FRAC_BITS, DFT_FRAC_BITS, LOG_FRAC_BITS};
use crate::oracle;
use crate::params::{FRAME_LEN, MEL_EDGE_BINS, NUM_BINS, NUM_CEPS, NUM_FILTERS};

/// Length of the DFT (python_speech_features' `nfft`): frames are zero-padded from 400 to 512.
pub const DFT_POINTS: usize = 512;

/// A Gaussian integer: a complex value with integer parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct CInt {
    /// Real part.
    pub re: i64,
    /// Imaginary part.
    pub im: i64,
}

/// One mel filter with exact integer weights: python_speech_features' weight of
/// bin `start_bin + i` is exactly `weights[i] / scale`.
///
/// With edges `lo < mid < hi`, `d1 = mid - lo` and `d2 = hi - mid`, the rising
/// side `(k - lo) / d1` becomes `d2 (k - lo)` and the falling side
/// `(hi - k) / d2` becomes `d1 (hi - k)`, over the common scale `d1 d2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MelFilter {
    /// First bin with a nonzero weight (`lo + 1`).
    pub start_bin: usize,
    /// Integer weights of bins `start_bin..hi`, all `> 0`; the peak equals `scale`.
    pub weights: Vec<i64>,
    /// `d1 d2`: the real mel energy is `M / scale` (up to the pipeline's scale factors).
    pub scale: i64,
    /// `round(ln(scale) * 2^24)`.
    pub ln_scale_q24: i64,
}

impl MelFilter {
    /// The integer weight of bin `k` (0 outside the filter).
    pub fn weight(&self, k: usize) -> i64 {
        k.checked_sub(self.start_bin).and_then(|i| self.weights.get(i)).copied().unwrap_or(0)
    }
}

/// All constant tables.
#[derive(Debug)]
pub struct Tables {
    /// `dft_re[k][n] = round(2^20 w[n] cos(2 pi n k / 512))`, `w` the Hamming window, `k = 0..=256`.
    pub dft_re: Vec<[i64; FRAME_LEN]>,
    /// `dft_im[k][n] = round(-2^20 w[n] sin(2 pi n k / 512))`.
    pub dft_im: Vec<[i64; FRAME_LEN]>,
    /// The 26 mel filters with exact integer weights.
    pub mel: Vec<MelFilter>,
    /// `D[n][j] = round(2^20 * lifter(n) * dct_ortho(n, j))`; row 0 is unused (c0 is the energy).
    pub dct: [[i64; NUM_FILTERS]; NUM_CEPS],
}

fn q(v: f64, bits: u32) -> i64 {
    (v * (1u64 << bits) as f64).round() as i64
}

fn build() -> Tables {
    let hamming = oracle::hamming();
    // The angle is reduced exactly (n k mod 512) before the f64 trigonometry.
    let angle = |n: usize, k: usize| 2.0 * PI * ((n * k) % DFT_POINTS) as f64 / DFT_POINTS as f64;
    let dft_re =
        (0..NUM_BINS).map(|k| std::array::from_fn(|n| q(hamming[n] * angle(n, k).cos(), DFT_FRAC_BITS))).collect();
    let dft_im =
        (0..NUM_BINS).map(|k| std::array::from_fn(|n| q(-hamming[n] * angle(n, k).sin(), DFT_FRAC_BITS))).collect();
    let mel = (0..NUM_FILTERS)
        .map(|j| {
            let (lo, mid, hi) = (MEL_EDGE_BINS[j], MEL_EDGE_BINS[j + 1], MEL_EDGE_BINS[j + 2]);
            let (d1, d2) = ((mid - lo) as i64, (hi - mid) as i64);
            let rising = (lo + 1..mid).map(|k| d2 * (k - lo) as i64);
            let falling = (mid..hi).map(|k| d1 * (hi - k) as i64);
            let scale = d1 * d2;
            MelFilter {
                start_bin: lo + 1,
                weights: rising.chain(falling).collect(),
                scale,
                ln_scale_q24: q((scale as f64).ln(), LOG_FRAC_BITS),
            }
        })
        .collect();
    let dct = std::array::from_fn(|n| {
        let row = oracle::dct_lifter_row(n);
        std::array::from_fn(|j| q(row[j], DCT_FRAC_BITS))
    });
    Tables { dft_re, dft_im, mel, dct }
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
        self.dft_re.iter().chain(&self.dft_im).flatten().for_each(|&v| eat(v));
        for f in &self.mel {
            eat(f.start_bin as i64);
            eat(f.scale);
            eat(f.ln_scale_q24);
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
    const PINNED_DIGEST: u64 = 0x445e_e288_603c_494e;

    #[test]
    fn dft_kernel_is_the_windowed_cosine_and_sine() {
        let t = tables();
        let hamming = oracle::hamming();
        // Bin 0 is the window itself; bin 128 (a quarter of the sampling rate) alternates 1, 0, -1, 0.
        for n in 0..FRAME_LEN {
            assert_eq!(t.dft_re[0][n], q(hamming[n], DFT_FRAC_BITS));
            assert_eq!(t.dft_im[0][n], 0);
            let expect = [1, 0, -1, 0][n % 4] * q(hamming[n], DFT_FRAC_BITS);
            assert_eq!(t.dft_re[128][n], expect, "n {n}");
        }
        assert!(t.dft_re.iter().chain(&t.dft_im).flatten().all(|&d| d.abs() <= 1 << DFT_FRAC_BITS));
    }

    #[test]
    fn mel_weights_are_python_speech_features_exactly() {
        let bank = oracle::mel_filterbank();
        for (j, f) in tables().mel.iter().enumerate() {
            assert_eq!(*f.weights.iter().max().unwrap(), f.scale);
            assert!(f.weights.iter().all(|&w| w > 0));
            for (k, &h) in bank[j].iter().enumerate() {
                let w = f.weight(k);
                assert!((w as f64 / f.scale as f64 - h).abs() < 1e-15, "filter {j} bin {k}");
            }
        }
    }
}
