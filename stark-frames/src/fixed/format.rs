//! Fixed-point formats of the integer pipeline: one named constant per choice.
//! `docs/FIXED_POINT.md` explains each one, its worst-case bit width and the
//! error it contributes.

/// Windowed DFT coefficients `K[k][n] = round(2^20 w[n] e^{-2 pi i n k / 512})` (Hamming `w`).
pub const DFT_FRAC_BITS: u32 = 20;
/// The spectrum `X[k] = round(2^s sum_n y[n] K[k][n] / 2^29)`: the kernel's 20 fractional bits, 5 more, and
/// the block shift's bias of 4, so that `|X| < 2^21.7` and the exact power `X_re^2 + X_im^2` stays below
/// `2^44.4`.
pub const SPECTRUM_RESCALE_BITS: u32 = 25 + BLOCK_SHIFT_BIAS;
/// Block floating point: each frame is scaled by `2^(s - 4)` with the largest `s <= 20` such that
/// `sum y[n]^2 * 2^(2s) < 2^54` (so `|y[n]| * 2^(s - 4) < 2^23`). The scale is below one (`s < 4`) only for
/// frames louder than `2^46`, up to the loudest 16-bit frame (`2^53.9`, alternating full-scale samples).
pub const BLOCK_TARGET_BITS: u32 = 23 + BLOCK_SHIFT_BIAS;
/// The block shift `s` scales a frame by `2^(s - BLOCK_SHIFT_BIAS)`: `s` is a non-negative index, and the
/// frames that need scaling down (energy `2^46` and above) get `s < 4`.
pub const BLOCK_SHIFT_BIAS: u32 = 4;
/// Largest block shift (scale `2^16`, used by frames whose energy is below `2^14`, silence included).
pub const MAX_BLOCK_SHIFT: u32 = 16 + BLOCK_SHIFT_BIAS;
/// Mantissa bits `u` fed to the log polynomial: `u = floor(M * 2^20 / 2^L) - 2^20`.
pub const LOG_MANTISSA_BITS: u32 = 20;
/// Logs and cepstra are Q24: the integer `l` stands for `l / 2^24`.
pub const LOG_FRAC_BITS: u32 = 24;
/// DCT-and-lifter matrix `D = round(d * 2^20)`; `c = round(sum D l / 2^20)`.
pub const DCT_FRAC_BITS: u32 = 20;

/// `round(ln 2 * 2^24)`.
pub const LN2_Q24: i64 = 11_629_080;
/// `round(ln 10000 * 2^24)`: the pre-emphasis scale 100, squared.
pub const LN_1E4_Q24: i64 = 154_523_870;
/// The log floor for a zero energy: `ln(f64::EPSILON) = -52 ln 2`, in Q24.
pub const LN_FLOOR_Q24: i64 = -52 * LN2_Q24;

/// Offset in units of `ln 2` between the log of an integer energy (`E = sum P`,
/// or a mel energy `M` divided by its filter's scale) and the log of the real
/// energy, before the `- 2s` of the block shift: `P = 10^4 2^(2 (s - 4) - 1) P_real`.
pub const ENERGY_LOG2_OFFSET: i64 = -1 - 2 * BLOCK_SHIFT_BIAS as i64;

/// Coefficients `a_0..a_7` (Q24) of the degree-7 polynomial with
/// `ln(1 + x) ~ sum a_i x^i` on `[0, 1)`: Chebyshev interpolation at 8 nodes,
/// rounded to Q24 (`stark-frames/scripts/log_poly.py`). Evaluated by Horner's
/// rule in Q24 with `x = u / 2^20`, its error is below 3.2e-7.
pub const LOG_POLY_Q24: [i64; 8] = [4, 16_776_664, -8_376_613, 5_489_937, -3_744_102, 2_195_021, -879_756, 167_928];

/// Frame values as a rational number: `value / 2^LOG_FRAC_BITS`.
pub fn q24_to_f64(v: i64) -> f64 {
    v as f64 / (1u64 << LOG_FRAC_BITS) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constants_are_the_rounded_reals() {
        let q = (1u64 << LOG_FRAC_BITS) as f64;
        assert_eq!(LN2_Q24, (std::f64::consts::LN_2 * q).round() as i64);
        assert_eq!(LN_1E4_Q24, (10_000f64.ln() * q).round() as i64);
        assert!((q24_to_f64(LN_FLOOR_Q24) - f64::EPSILON.ln()).abs() < 2e-6);
    }
}
