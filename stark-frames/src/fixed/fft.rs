//! The integer FFT: a 256-point radix-2 decimation-in-time FFT of the packed
//! frame `z[j] = v[2j] + i v[2j+1]`, then the split that turns it into the
//! 512-point real DFT.
//!
//! Every twiddle product is rounded once: `t = round(b * T / 2^16)` per real
//! component. The butterfly is `(a + t, a - t)`. Trivial twiddles (1, -i) are
//! exact, so any implementation that skips them computes the same integers.
//! A constant-geometry (Pease) ordering performs the same butterflies on the
//! same values, so it reproduces these results bit for bit.

use super::format::TWIDDLE_FRAC_BITS;
use super::rounding::round_shift;
use super::tables::{tables, CInt, FFT_POINTS};
use crate::params::{FRAME_LEN, NUM_BINS};

/// `round(b * w / 2^16)`, each component rounded half up.
pub fn twiddle_product(b: CInt, w: CInt) -> CInt {
    let (br, bi, wr, wi) = (i128::from(b.re), i128::from(b.im), i128::from(w.re), i128::from(w.im));
    CInt {
        re: round_shift(br * wr - bi * wi, TWIDDLE_FRAC_BITS),
        im: round_shift(br * wi + bi * wr, TWIDDLE_FRAC_BITS),
    }
}

/// The butterfly `(a + t, a - t)` with `t = round(b * w / 2^16)`.
pub fn butterfly(a: CInt, b: CInt, w: CInt) -> (CInt, CInt) {
    let t = twiddle_product(b, w);
    (CInt { re: a.re + t.re, im: a.im + t.im }, CInt { re: a.re - t.re, im: a.im - t.im })
}

/// `z[j] = v[2j] + i v[2j+1]` (zero beyond the 400 samples).
pub fn pack(v: &[i64; FRAME_LEN]) -> [CInt; FFT_POINTS] {
    std::array::from_fn(|j| {
        let at = |n: usize| v.get(n).copied().unwrap_or(0);
        CInt { re: at(2 * j), im: at(2 * j + 1) }
    })
}

/// 256-point FFT in natural output order. Components stay below `2^30` in
/// magnitude at every stage (see `FIXED_POINT.md`).
pub fn fft256(z: &[CInt; FFT_POINTS]) -> [CInt; FFT_POINTS] {
    let tw = &tables().fft_twiddles;
    let bits = FFT_POINTS.trailing_zeros();
    let mut x: [CInt; FFT_POINTS] = std::array::from_fn(|i| z[i.reverse_bits() >> (usize::BITS - bits)]);
    let mut m = 2;
    while m <= FFT_POINTS {
        let half = m / 2;
        for start in (0..FFT_POINTS).step_by(m) {
            for j in 0..half {
                let (hi, lo) = butterfly(x[start + j], x[start + j + half], tw[j * (FFT_POINTS / m)]);
                x[start + j] = hi;
                x[start + j + half] = lo;
            }
        }
        m *= 2;
    }
    debug_assert!(x.iter().all(|c| c.re.abs() < 1 << 30 && c.im.abs() < 1 << 30));
    x
}

/// `Y[k] = 2 X[k]`, `k = 0..=256`, where `X` is the 512-point DFT of the frame:
/// `Y[k] = E + round(O * U[k] / 2^16)` with `E = Z[k] + conj(Z[256-k])` and
/// `O = Z[k] - conj(Z[256-k])` (indices mod 256). Components stay below `2^31`.
pub fn real_split(zf: &[CInt; FFT_POINTS]) -> [CInt; NUM_BINS] {
    let u = &tables().split_twiddles;
    std::array::from_fn(|k| {
        let a = zf[k % FFT_POINTS];
        let b = zf[(FFT_POINTS - k % FFT_POINTS) % FFT_POINTS];
        let e = CInt { re: a.re + b.re, im: a.im - b.im };
        let o = CInt { re: a.re - b.re, im: a.im + b.im };
        let t = twiddle_product(o, u[k]);
        let y = CInt { re: e.re + t.re, im: e.im + t.im };
        debug_assert!(y.re.abs() < 1 << 31 && y.im.abs() < 1 << 31);
        y
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    #[test]
    fn spectrum_is_twice_the_dft() {
        let v: [i64; FRAME_LEN] = std::array::from_fn(|n| ((n as i64 * 7919) % 20_011 - 10_005) * 300);
        let y = real_split(&fft256(&pack(&v)));
        let exact: Vec<(f64, f64)> = (0..y.len())
            .map(|k| {
                v.iter().enumerate().fold((0.0, 0.0), |(re, im), (n, &x)| {
                    let t = -2.0 * PI * (k * n) as f64 / 512.0;
                    (re + 2.0 * x as f64 * t.cos(), im + 2.0 * x as f64 * t.sin())
                })
            })
            .collect();
        let peak = exact.iter().map(|(re, im)| re.abs().max(im.abs())).fold(0.0, f64::max);
        // Rounding errors of 9 stages: a few units; Q16 twiddles leak about 2^-16 of the peak.
        let tol = 64.0 + 3e-5 * peak;
        for (k, (got, (re, im))) in y.iter().zip(&exact).enumerate() {
            assert!((got.re as f64 - re).abs() < tol && (got.im as f64 - im).abs() < tol, "bin {k}");
        }
    }
}
