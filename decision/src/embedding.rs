//! The speaker embedding: means and standard deviations of the cepstra and of the log mel energies over voiced
//! frames, and the spreads of their regression deltas, standardised by the model and scaled to unit length.
//!
//! Integer semantics (what the decision circuit proves, every division and square root by bounds):
//!
//! 1. **Features** `x` (`Q12`, [`EMBED_DIM`] values) from [`PooledStats`] over `k >= 1` voiced frames, with
//!    `mean_n = round(sum_n / (k 2^12))` and `std_n = isqrt(max(floor(sum_sq_n / k) - mean_n^2, 0))` of the
//!    statistics values `v_n` (`c0..c12`, then the log mel energies `l_0..l_25`; `round` is half up), in
//!    this order ([`CEP_MEANS`], [`CEP_DEVIATIONS`], [`MEL_MEANS`], [`MEL_DEVIATIONS`]):
//!    - the means of `c1..c12` (the mean of `c0` is loudness, left out);
//!    - the deviations of `c0..c12`;
//!    - the log mel means *centred across the bands*, `round((26 sum_{l_j} - sum_i sum_{l_i}) / (26 k 2^12))`:
//!      a louder recording adds the same constant to every log mel energy, which the centring removes;
//!    - the deviations of `l_0..l_25`;
//!    - the spreads of the regression deltas of all 39 values, `isqrt(floor(sum_dsq_n / k))` ([`DELTA_SPREADS`];
//!      `sum_dsq_n` is `stark_frames::fixed::pooled`'s: the lifted cepstra's deltas in `Q10`, the others' in `Q12`).
//! 2. **Standardised** `z_d = round((x_d - center_d) scale_d / 2^16)` with the model's `center` (`Q12`) and
//!    `scale` (`2^28 / sigma_d`, so `z` is `Q12` of a value of unit spread).
//!
//!    **Projected** (when the model has a projection `W`, `Q16`): `y_j = round(sum_d W_jd z_d / 2^16)`, and `y`
//!    takes `z`'s place below. The default model's `W` whitens the within-speaker spread (`crate::fit`), so that
//!    the cosine weighs each direction by how well it tells speakers apart.
//! 3. **Unit** `u_d = round(z_d 2^15 / isqrt(sum z^2))`: `|u_d| <= 2^15`, and each rounding moves `u_d` by at most
//!    1/2, so `sum u^2` is within about `sum |u_d| <= 5 * 2^15` of `2^30` (a relative `2^-12`).
//!
//! Bounds: `|x| < 2^24.5` (`|c| < 2^35.7` in `Q24`; deviations and delta spreads are roots of values below `2^49`), `|x - center| scale < 2^44` for `scale < 2^19`, `|z| < 2^24`,
//! `sum z^2 < 116 * 2^48 < 2^55`: every intermediate fits in `i64` and in the Goldilocks field without wrapping. With a
//! projection: `|W_jd| <= 2^16` and `|z_d| < 2^24` give `|sum_d W_jd z_d| < 116 * 2^40 < 2^47`, and `y` must lie in
//! `[-2^24, 2^24)` like `z` (refused otherwise, by both the circuit and [`project`]).

use stark_frames::fixed::pooled::{PooledStats, DELTA_RESCALED, DELTA_RESCALE_BITS, SQUARE_SHIFT_BITS};
use stark_frames::oracle::FrameValuesF64;
use stark_frames::params::{NUM_CEPS, NUM_FILTERS, NUM_STAT_VALUES};

/// Features `0..12`: the means of `c1..c12`.
pub const CEP_MEANS: std::ops::Range<usize> = 0..NUM_CEPS - 1;
/// Features `12..25`: the deviations of `c0..c12`.
pub const CEP_DEVIATIONS: std::ops::Range<usize> = CEP_MEANS.end..CEP_MEANS.end + NUM_CEPS;
/// Features `25..51`: the log mel means, centred across the bands.
pub const MEL_MEANS: std::ops::Range<usize> = CEP_DEVIATIONS.end..CEP_DEVIATIONS.end + NUM_FILTERS;
/// Features `51..77`: the deviations of the log mel energies.
pub const MEL_DEVIATIONS: std::ops::Range<usize> = MEL_MEANS.end..MEL_MEANS.end + NUM_FILTERS;
/// Features `77..116`: the spreads of the regression deltas of the 39 statistics values,
/// `isqrt(floor(sum_dsq_n / k))` (`stark_frames::fixed::pooled`).
pub const DELTA_SPREADS: std::ops::Range<usize> = MEL_DEVIATIONS.end..MEL_DEVIATIONS.end + NUM_STAT_VALUES;
/// Embedding dimension: the five groups above.
pub const EMBED_DIM: usize = DELTA_SPREADS.end;
const _: () = assert!(EMBED_DIM == 3 * NUM_STAT_VALUES - 1);
/// `ceil(log2(EMBED_DIM))`: a sum of [`EMBED_DIM`] products of `b` bits has fewer than `b + DIM_BITS` bits (7 for
/// 77 or 116 dimensions). The decision circuit's bounds on sums over the embedding are stated with it.
pub const DIM_BITS: u32 = usize::BITS - (EMBED_DIM - 1).leading_zeros();
/// Fractional bits of features and standardised values.
pub const FEATURE_BITS: u32 = 12;
/// Shift applied after multiplying by the model's scale.
pub const SCALE_SHIFT: u32 = 16;
/// Fractional bits of a unit embedding.
pub const UNIT_BITS: u32 = 15;
/// Largest scale the bounds above allow.
pub const MAX_SCALE: i64 = 1 << 19;

/// Fractional bits of the projection matrix's entries.
pub const PROJECTION_BITS: u32 = 16;
/// Largest magnitude of a projection entry (`1.0` in `Q16`).
pub const MAX_PROJECTION: i64 = 1 << PROJECTION_BITS;

/// Integer vector of [`EMBED_DIM`] values.
pub type Embedding = [i64; EMBED_DIM];

/// Why no embedding exists.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EmbeddingError {
    /// No frame reached the voicing threshold.
    #[error("no voiced frame: the recording is silent or too quiet for the model's voicing threshold")]
    NoVoicedFrames,
    /// The standardised vector is zero, so it has no direction.
    #[error("the standardised embedding is zero (the recording matches the model's center exactly)")]
    ZeroVector,
    /// A value outside the bounds the decision circuit proves within (`crate::circuit`).
    #[error("outside the decision circuit's bounds: {0}")]
    OutOfBounds(&'static str),
}

/// Voiced frames must be below `2^COUNT_BITS` (the decision circuit's bound). 14: a regression delta's square
/// is below `2^48.5` (`stark_frames::fixed::pooled`), so `2^14` voiced frames keep `sum_dsq` below the field's
/// order.
pub const COUNT_BITS: u32 = 14;
/// Bits of the sums of squares (`sum_sq`, `sum_dsq`): they must lie in `[0, 2^SUM_SQ_BITS)`.
pub const SUM_SQ_BITS: u32 = 62;
/// Bits of a mean square of regression deltas, `floor(sum_dsq / k)`: it must be below `2^49` (the circuit's
/// division by `k < 2^14` needs `14 + 49 <= 63` bits; a frame's square is below `2^48.5`, so no honest
/// recording is refused here).
pub const DELTA_MEAN_SQ_BITS: u32 = 49;
/// Standardised values must lie in `[-2^Z_BITS, 2^Z_BITS)` (the decision circuit's bound).
pub const Z_BITS: u32 = 24;

/// `-2^bits <= v < 2^bits`: the circuit's signed range check (`circuit::arith::IntArith::signed_range`).
fn in_signed_range(v: i128, bits: u32) -> bool {
    (-(1i128 << bits)..1i128 << bits).contains(&v)
}

/// `round(a / b)` with ties up, for `b > 0`: `floor((2a + b) / 2b)`.
pub fn round_div(a: i128, b: i128) -> i128 {
    debug_assert!(b > 0);
    (2 * a + b).div_euclid(2 * b)
}

/// `floor(sqrt(v))` for `v >= 0`.
pub fn isqrt(v: i128) -> i128 {
    debug_assert!(v >= 0);
    let mut r = (v as f64).sqrt() as i128;
    while r * r > v {
        r -= 1;
    }
    while (r + 1) * (r + 1) <= v {
        r += 1;
    }
    r
}

/// Step 1: the `Q12` features of the statistics.
pub fn features(stats: &PooledStats) -> Result<Embedding, EmbeddingError> {
    if stats.count == 0 {
        return Err(EmbeddingError::NoVoicedFrames);
    }
    if stats.count >= 1 << COUNT_BITS {
        return Err(EmbeddingError::OutOfBounds("at most 16 383 voiced frames"));
    }
    if stats.sum.iter().any(|&s| !in_signed_range(i128::from(s), 51)) {
        return Err(EmbeddingError::OutOfBounds("a cepstral sum outside [-2^51, 2^51)"));
    }
    if stats.sum_sq.iter().chain(&stats.sum_dsq).any(|&s| !(0..1 << SUM_SQ_BITS).contains(&s)) {
        return Err(EmbeddingError::OutOfBounds("a sum of squares outside [0, 2^62)"));
    }
    let k = i128::from(stats.count);
    let mean: Vec<i128> = stats.sum.iter().map(|&s| round_div(i128::from(s), k << SQUARE_SHIFT_BITS)).collect();
    if mean.iter().any(|&m| !in_signed_range(m, 24)) {
        return Err(EmbeddingError::OutOfBounds("a mean value outside [-2^24, 2^24) (Q12)"));
    }
    let mut deviation = [0i64; NUM_STAT_VALUES];
    for (n, d) in deviation.iter_mut().enumerate() {
        let ex2 = i128::from(stats.sum_sq[n]).div_euclid(k);
        if ex2 >= 1 << 48 {
            return Err(EmbeddingError::OutOfBounds("a mean square of 2^48 or more"));
        }
        *d = isqrt((ex2 - mean[n] * mean[n]).max(0)) as i64;
    }
    let bands = NUM_FILTERS as i128;
    let mel_total: i128 = stats.sum[NUM_CEPS..].iter().map(|&s| i128::from(s)).sum();
    let mut x = [0i64; EMBED_DIM];
    for (n, d) in CEP_MEANS.enumerate() {
        x[d] = mean[n + 1] as i64;
    }
    for (n, d) in CEP_DEVIATIONS.enumerate() {
        x[d] = deviation[n];
    }
    for (j, d) in MEL_MEANS.enumerate() {
        let centred = bands * i128::from(stats.sum[NUM_CEPS + j]) - mel_total;
        x[d] = round_div(centred, (bands * k) << SQUARE_SHIFT_BITS) as i64;
    }
    for (j, d) in MEL_DEVIATIONS.enumerate() {
        x[d] = deviation[NUM_CEPS + j];
    }
    for (n, d) in DELTA_SPREADS.enumerate() {
        let e = i128::from(stats.sum_dsq[n]).div_euclid(k);
        if e >= 1 << DELTA_MEAN_SQ_BITS {
            return Err(EmbeddingError::OutOfBounds("a mean square regression delta of 2^49 or more"));
        }
        x[d] = isqrt(e) as i64;
    }
    Ok(x)
}

/// Step 2: `round((x - center) scale / 2^16)`.
pub fn standardise(x: &Embedding, center: &Embedding, scale: &Embedding) -> Embedding {
    std::array::from_fn(|d| {
        let v = (i128::from(x[d]) - i128::from(center[d])) * i128::from(scale[d]);
        round_div(v, 1 << SCALE_SHIFT) as i64
    })
}

/// Step 2b: `y_j = round(sum_d W_jd z_d / 2^16)` for a projection `W` (rows of `Q16` entries, each at most
/// [`MAX_PROJECTION`] in magnitude, which `crate::model::Model::validate` checks). Refuses a `z` or a `y`
/// outside `[-2^24, 2^24)`, as the circuit does.
pub fn project(z: &Embedding, w: &[Embedding]) -> Result<Embedding, EmbeddingError> {
    check_standardised(z)?;
    debug_assert_eq!(w.len(), EMBED_DIM);
    let y: Embedding = std::array::from_fn(|j| {
        let acc: i128 = w[j].iter().zip(z).map(|(&a, &b)| i128::from(a) * i128::from(b)).sum();
        round_div(acc, 1 << PROJECTION_BITS) as i64
    });
    check_standardised(&y)?;
    Ok(y)
}

/// `z` within `[-2^24, 2^24)`, the circuit's bound on standardised (and projected) values.
fn check_standardised(z: &Embedding) -> Result<(), EmbeddingError> {
    if z.iter().any(|&v| !in_signed_range(i128::from(v), Z_BITS)) {
        return Err(EmbeddingError::OutOfBounds("a standardised value outside [-2^24, 2^24) (4 096 model spreads)"));
    }
    Ok(())
}

/// Step 3: `round(z 2^15 / isqrt(sum z^2))`.
pub fn unit(z: &Embedding) -> Result<Embedding, EmbeddingError> {
    check_standardised(z)?;
    let n2: i128 = z.iter().map(|&v| i128::from(v) * i128::from(v)).sum();
    let norm = isqrt(n2);
    if norm == 0 {
        return Err(EmbeddingError::ZeroVector);
    }
    Ok(std::array::from_fn(|d| round_div(i128::from(z[d]) << UNIT_BITS, norm) as i64))
}

/// The `f64` twin of [`PooledStats`]: sums of the oracle's frame values (not rounded) over the voiced frames.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PooledStatsF64 {
    /// `sum v_n`.
    pub sum: [f64; NUM_STAT_VALUES],
    /// `sum v_n^2`.
    pub sum_sq: [f64; NUM_STAT_VALUES],
    /// `sum (v_n(f + 1) - v_n(f - 1))^2` over voiced frames with a frame on both sides.
    pub sum_dsq: [f64; NUM_STAT_VALUES],
    /// Voiced frames.
    pub count: u64,
}

impl Default for PooledStatsF64 {
    fn default() -> Self {
        Self { sum: [0.0; NUM_STAT_VALUES], sum_sq: [0.0; NUM_STAT_VALUES], sum_dsq: [0.0; NUM_STAT_VALUES], count: 0 }
    }
}

impl PooledStatsF64 {
    /// The statistics of a recording's frames (all of them, in order), voiced where `c0 >= voicing_threshold`
    /// (natural log of the energy).
    pub fn of(frames: &[FrameValuesF64], voicing_threshold: f64) -> Self {
        let mut s = Self::default();
        for (f, c) in frames.iter().enumerate() {
            if c[0] < voicing_threshold {
                continue;
            }
            for ((sum, sum_sq), &v) in s.sum.iter_mut().zip(&mut s.sum_sq).zip(c) {
                *sum += v;
                *sum_sq += v * v;
            }
            s.count += 1;
            let at = |i: isize| &frames[i.clamp(0, frames.len() as isize - 1) as usize];
            let f = f as isize;
            let (p1, n1, p2, n2) = (at(f - 1), at(f + 1), at(f - 2), at(f + 2));
            for n in 0..NUM_STAT_VALUES {
                let d = ((n1[n] - p1[n]) + 2.0 * (n2[n] - p2[n])) * delta_scale(n);
                s.sum_dsq[n] += d * d;
            }
        }
        s
    }

    /// Adds another recording's statistics (utterances pooled into one trial).
    pub fn merge(&mut self, other: &Self) {
        for n in 0..NUM_STAT_VALUES {
            self.sum[n] += other.sum[n];
            self.sum_sq[n] += other.sum_sq[n];
            self.sum_dsq[n] += other.sum_dsq[n];
        }
        self.count += other.count;
    }
}

/// The scale of value `n`'s delta quotient relative to its `Q12` quotient (`stark_frames::fixed::pooled`):
/// `2^-DELTA_RESCALE_BITS` for the rescaled cepstra, else 1.
fn delta_scale(n: usize) -> f64 {
    if DELTA_RESCALED.contains(&n) {
        (-f64::from(DELTA_RESCALE_BITS)).exp2()
    } else {
        1.0
    }
}

/// The `f64` features of `f64` statistics: the same definition as [`features`] without rounding.
pub fn features_f64(stats: &PooledStatsF64) -> Result<[f64; EMBED_DIM], EmbeddingError> {
    if stats.count == 0 {
        return Err(EmbeddingError::NoVoicedFrames);
    }
    let k = stats.count as f64;
    let mean: Vec<f64> = stats.sum.iter().map(|s| s / k).collect();
    let deviation: Vec<f64> =
        (0..NUM_STAT_VALUES).map(|n| (stats.sum_sq[n] / k - mean[n] * mean[n]).max(0.0).sqrt()).collect();
    let mel_mean = mean[NUM_CEPS..].iter().sum::<f64>() / NUM_FILTERS as f64;
    let mut x = [0.0; EMBED_DIM];
    for (n, d) in CEP_MEANS.enumerate() {
        x[d] = mean[n + 1];
    }
    for (n, d) in CEP_DEVIATIONS.enumerate() {
        x[d] = deviation[n];
    }
    for (j, d) in MEL_MEANS.enumerate() {
        x[d] = mean[NUM_CEPS + j] - mel_mean;
    }
    for (j, d) in MEL_DEVIATIONS.enumerate() {
        x[d] = deviation[NUM_CEPS + j];
    }
    for (n, d) in DELTA_SPREADS.enumerate() {
        x[d] = (stats.sum_dsq[n] / k).sqrt();
    }
    Ok(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_div_rounds_half_up_for_both_signs() {
        assert_eq!(round_div(5, 2), 3);
        assert_eq!(round_div(-5, 2), -2);
        assert_eq!(round_div(7, 3), 2);
        assert_eq!(round_div(-7, 3), -2);
        assert_eq!(round_div(-8, 3), -3);
    }

    #[test]
    fn isqrt_is_the_floor() {
        for v in [0i128, 1, 2, 3, 4, 15, 16, 17, (1 << 59) - 1, 1 << 59, 99_999_999_999_999] {
            let r = isqrt(v);
            assert!(r * r <= v && (r + 1) * (r + 1) > v, "{v}");
        }
    }

    #[test]
    fn features_of_constant_frames() {
        // Ten identical voiced frames: the means are the values in Q12 (the log mel means less their average
        // over the bands) and the deviations are zero.
        let c: [i64; NUM_STAT_VALUES] = std::array::from_fn(|n| (n as i64 - 6) << 24);
        let mut s = PooledStats::default();
        for _ in 0..10 {
            s.add(&c, i64::MIN);
        }
        let x = features(&s).unwrap();
        for (n, d) in CEP_MEANS.enumerate() {
            assert_eq!(x[d], (n as i64 + 1 - 6) << 12);
        }
        // The log mel values are 7..32 (Q24): their average is 19.5.
        for (j, d) in MEL_MEANS.enumerate() {
            assert_eq!(x[d], ((2 * (j as i64 + NUM_CEPS as i64 - 6) - 39) << 12) / 2);
        }
        assert!(CEP_DEVIATIONS.chain(MEL_DEVIATIONS).all(|d| x[d] == 0));
        // A louder recording adds the same constant to every log mel energy: the centred means do not move.
        let mut loud = PooledStats::default();
        let louder: [i64; NUM_STAT_VALUES] = std::array::from_fn(|n| c[n] + if n >= NUM_CEPS { 3 << 24 } else { 0 });
        for _ in 0..10 {
            loud.add(&louder, i64::MIN);
        }
        assert_eq!(features(&loud).unwrap(), x);
        assert_eq!(features(&PooledStats::default()), Err(EmbeddingError::NoVoicedFrames));
    }

    #[test]
    fn unit_vectors_have_length_one() {
        let z: Embedding = std::array::from_fn(|d| (d as i64 * 37 - 400) << 10);
        let u = unit(&z).unwrap();
        let n2: i64 = u.iter().map(|v| v * v).sum();
        let slack: i64 = u.iter().map(|v| v.abs()).sum::<i64>() + EMBED_DIM as i64;
        assert!((n2 - (1 << 30)).abs() <= slack, "{n2}");
        assert_eq!(unit(&[0; EMBED_DIM]), Err(EmbeddingError::ZeroVector));
    }

    #[test]
    fn values_outside_the_circuit_bounds_are_refused() {
        let mut s = PooledStats { count: 1 << COUNT_BITS, ..Default::default() };
        assert!(matches!(features(&s), Err(EmbeddingError::OutOfBounds(_))));
        s.count = (1 << COUNT_BITS) - 1;
        assert!(features(&s).is_ok());
        s.sum[3] = 1 << 51;
        assert!(matches!(features(&s), Err(EmbeddingError::OutOfBounds(_))));
        // One frame: the mean is the coefficient; the circuit's signed range includes -2^24 and excludes 2^24.
        let mut one = PooledStats { count: 1, ..Default::default() };
        one.sum[3] = -(1 << 36);
        assert!(features(&one).is_ok());
        one.sum[3] = 1 << 36;
        assert!(matches!(features(&one), Err(EmbeddingError::OutOfBounds(_))));
        s.sum[3] = 0;
        s.sum_sq[0] = -1;
        assert!(matches!(features(&s), Err(EmbeddingError::OutOfBounds(_))));
        let mut z = [1i64; EMBED_DIM];
        z[9] = 1 << Z_BITS;
        assert!(matches!(unit(&z), Err(EmbeddingError::OutOfBounds(_))));
        z[9] = -(1 << Z_BITS);
        assert!(unit(&z).is_ok());
    }

    #[test]
    fn projection_rounds_and_is_bounded() {
        let mut w = vec![[0i64; EMBED_DIM]; EMBED_DIM];
        for (j, row) in w.iter_mut().enumerate() {
            row[j] = MAX_PROJECTION / 2;
            row[(j + 1) % EMBED_DIM] = -MAX_PROJECTION / 4;
        }
        let z: Embedding = std::array::from_fn(|d| d as i64 * 3 - 30);
        let y = project(&z, &w).unwrap();
        for j in 0..EMBED_DIM {
            let exact = i128::from(z[j]) * 2 - i128::from(z[(j + 1) % EMBED_DIM]);
            assert_eq!(i128::from(y[j]), round_div(exact, 4), "row {j}");
        }
        // The identity at full scale lets a value of -2^24 through and refuses its neighbours outside the range.
        let id: Vec<Embedding> =
            (0..EMBED_DIM).map(|j| std::array::from_fn(|d| if d == j { MAX_PROJECTION } else { 0 })).collect();
        let mut z = [0i64; EMBED_DIM];
        z[0] = -(1 << Z_BITS);
        assert_eq!(project(&z, &id).unwrap(), z);
        z[0] = 1 << Z_BITS;
        assert!(matches!(project(&z, &id), Err(EmbeddingError::OutOfBounds(_))));
        // In-range z whose projection leaves the range.
        let mut z = [0i64; EMBED_DIM];
        z[0] = (1 << Z_BITS) - 1;
        z[1] = (1 << Z_BITS) - 1;
        let sum: Vec<Embedding> =
            (0..EMBED_DIM).map(|_| std::array::from_fn(|d| if d < 2 { MAX_PROJECTION } else { 0 })).collect();
        assert!(matches!(project(&z, &sum), Err(EmbeddingError::OutOfBounds(_))));
    }
}
