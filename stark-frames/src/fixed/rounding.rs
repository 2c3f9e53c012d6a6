//! The one rounding rule of the integer pipeline.

/// `round(v / 2^k)` with halves rounded up (towards +infinity):
/// `floor((v + 2^(k-1)) / 2^k)`. In the STARK this is witnessed as
/// `v + 2^(k-1) = q * 2^k + r` with `0 <= r < 2^k` and `q` bounded.
///
/// Panics if the result does not fit in `i64` (the documented bounds exclude it).
pub fn round_shift(v: i128, k: u32) -> i64 {
    debug_assert!(k >= 1);
    let q = (v + (1i128 << (k - 1))) >> k;
    i64::try_from(q).expect("rescaled value exceeds its documented bound")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_up() {
        assert_eq!(round_shift(3, 1), 2); // 1.5 -> 2
        assert_eq!(round_shift(-3, 1), -1); // -1.5 -> -1
        assert_eq!(round_shift(-5, 2), -1); // -1.25 -> -1
        assert_eq!(round_shift(-6, 2), -1); // -1.5 -> -1
        assert_eq!(round_shift(-7, 2), -2); // -1.75 -> -2
        assert_eq!(round_shift(1 << 40, 24), 1 << 16);
    }

    #[test]
    fn witness_identity_holds() {
        for v in [-1_000_003i128, -1, 0, 1, 65_535, 987_654_321] {
            let k = 16;
            let q = round_shift(v, k) as i128;
            let r = v + (1 << (k - 1)) - (q << k);
            assert!((0..1 << k).contains(&r), "v={v}");
        }
    }
}
