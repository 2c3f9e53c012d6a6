//! The integer natural logarithm: leading-bit position plus a degree-7
//! polynomial of the next 20 mantissa bits.
//!
//! For `m >= 1` with `L = floor(log2 m)` and `u = floor(m * 2^20 / 2^L) - 2^20`
//! (so `0 <= u < 2^20`): `ln m ~ L ln 2 + ln(1 + u / 2^20)`, the second term by
//! Horner's rule in Q24, each step `acc = round(acc * u / 2^20) + a_i`.
//! Error against the real `ln m`: below `1.3e-6 * (1 + L / 10)` (mantissa
//! truncation 2^-20, polynomial 3.2e-7, `ln 2` rounding 2^-25 per unit of L).

use super::format::{LN2_Q24, LOG_MANTISSA_BITS, LOG_POLY_Q24};
use super::rounding::round_shift;

/// The witness of one integer log: `ln m ~ bit * ln 2 + poly`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LogParts {
    /// `L = floor(log2 m)`, `0..=62` (at most 59 in the pipeline).
    pub bit: u32,
    /// `u`, the 20 mantissa bits after the leading one (truncated).
    pub mantissa: u32,
    /// `ln(1 + u / 2^20)` in Q24, `0 <= poly < ln 2 * 2^24`.
    pub poly: i64,
}

/// Horner's rule for the log polynomial, in Q24.
pub fn log_poly(u: u32) -> i64 {
    let (last, rest) = LOG_POLY_Q24.split_last().expect("non-empty");
    rest.iter().rev().fold(*last, |acc, &a| round_shift(i128::from(acc) * i128::from(u), LOG_MANTISSA_BITS) + a)
}

/// Splits `m >= 1` into its log witness; `None` for `m = 0`.
pub fn log_parts(m: u64) -> Option<LogParts> {
    if m == 0 {
        return None;
    }
    let bit = u64::BITS - 1 - m.leading_zeros();
    let top = if bit >= LOG_MANTISSA_BITS { m >> (bit - LOG_MANTISSA_BITS) } else { m << (LOG_MANTISSA_BITS - bit) };
    let mantissa = (top - (1 << LOG_MANTISSA_BITS)) as u32;
    Some(LogParts { bit, mantissa, poly: log_poly(mantissa) })
}

/// `ln m` in Q24 for `m >= 1`; `None` for `m = 0`.
pub fn ln_q24(m: u64) -> Option<i64> {
    log_parts(m).map(|p| i64::from(p.bit) * LN2_Q24 + p.poly)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixed::format::q24_to_f64;

    #[test]
    fn polynomial_error_below_bound() {
        let mut worst = 0f64;
        for u in 0..1u32 << 20 {
            let err = (q24_to_f64(log_poly(u)) - (u as f64 / (1 << 20) as f64).ln_1p()).abs();
            worst = worst.max(err);
        }
        assert!(worst < 3.2e-7, "worst {worst}");
    }

    #[test]
    fn ln_matches_f64() {
        assert_eq!(ln_q24(0), None);
        assert_eq!(ln_q24(1), Some(LOG_POLY_Q24[0]));
        for m in [1u64, 2, 3, 1000, 123_456_789, 1 << 40, (1 << 62) + 12_345, (1 << 63) - 1] {
            let got = q24_to_f64(ln_q24(m).unwrap());
            let bound = 1.3e-6 * (1.0 + (m as f64).log2() / 10.0);
            assert!((got - (m as f64).ln()).abs() < bound, "m={m} got {got}");
        }
    }
}
