//! A plain radix-2 complex FFT in `f64`, enough for the oracle.

use std::f64::consts::PI;

use crate::params::{FRAME_LEN, NFFT, NUM_BINS};

/// A complex number in `f64`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    fn add(self, o: Self) -> Self {
        Self { re: self.re + o.re, im: self.im + o.im }
    }
    fn sub(self, o: Self) -> Self {
        Self { re: self.re - o.re, im: self.im - o.im }
    }
    fn mul(self, o: Self) -> Self {
        Self { re: self.re * o.re - self.im * o.im, im: self.re * o.im + self.im * o.re }
    }
    /// `re^2 + im^2`.
    pub fn norm_sqr(self) -> f64 {
        self.re * self.re + self.im * self.im
    }
}

/// Bins `0..=256` of the 512-point DFT of a 400-sample real frame padded with zeros.
pub fn real_fft_512(frame: &[f64; FRAME_LEN]) -> [Complex; NUM_BINS] {
    let mut data = [Complex::default(); NFFT];
    for (d, &x) in data.iter_mut().zip(frame) {
        d.re = x;
    }
    fft_in_place(&mut data);
    std::array::from_fn(|k| data[k])
}

fn fft_in_place(data: &mut [Complex; NFFT]) {
    let bits = NFFT.trailing_zeros();
    for i in 0..NFFT {
        let j = i.reverse_bits() >> (usize::BITS - bits);
        if j > i {
            data.swap(i, j);
        }
    }
    let mut m = 2;
    while m <= NFFT {
        let half = m / 2;
        for j in 0..half {
            let theta = -2.0 * PI * j as f64 / m as f64;
            let w = Complex { re: theta.cos(), im: theta.sin() };
            for start in (0..NFFT).step_by(m) {
                let t = w.mul(data[start + j + half]);
                let a = data[start + j];
                data[start + j] = a.add(t);
                data[start + j + half] = a.sub(t);
            }
        }
        m *= 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_naive_dft() {
        let frame: [f64; FRAME_LEN] = std::array::from_fn(|n| ((n * 37 % 101) as f64 - 50.0) * 3.5);
        let fast = real_fft_512(&frame);
        for (k, got) in fast.iter().enumerate() {
            let mut want = Complex::default();
            for (n, &x) in frame.iter().enumerate() {
                let theta = -2.0 * PI * (k * n) as f64 / NFFT as f64;
                want = want.add(Complex { re: x * theta.cos(), im: x * theta.sin() });
            }
            assert!((got.re - want.re).abs() < 1e-8 && (got.im - want.im).abs() < 1e-8, "bin {k}");
        }
    }
}
