//! Symmetric score normalisation (S-norm) against a cohort of speakers (issue 16): the raw cosine of a trial and a
//! template is compared with each side's cosines against the model's cohort, so that a voice that resembles
//! everybody (or nobody) is judged by how much more it resembles the template than the cohort.
//!
//! Integer semantics (what the decision circuit proves, `crate::circuit::snorm`), for a unit embedding `v` (`Q15`,
//! the trial's `u` or the template's `t`) and the cohort's `K` unit vectors `c_k` (`Q15`, `2 <= K <=`
//! [`MAX_COHORT`]):
//!
//! 1. **Cohort cosines** `a_k = round(sum_d v_d c_kd / 2^15)` (`Q15`), each in `[-2^16, 2^16)` (checked; a unit
//!    vector's are within `1.001 * 2^15`).
//! 2. **Their mean and deviation** `mu = round(A / K)` with `A = sum a_k`, and
//!    `sigma = isqrt(floor((K sum a_k^2 - A^2) / K^2))` (`Q15`); `sigma >= 1` is required (a cohort whose cosines are
//!    all equal cannot normalise).
//! 3. **The score** with `s15 = round(s / 2^15)` for the raw score `s = sum u_d t_d` (`Q30`), in `[-2^16, 2^16)`, and
//!    `X = (s15 - mu_u) sigma_t + (s15 - mu_t) sigma_u`:
//!    `score = floor(2^30 X / (2 sigma_u sigma_t))` (`Q30`), the halved sum of the two normalised scores
//!    `(s - mu_u) / sigma_u` and `(s - mu_t) / sigma_t`. The model's threshold is a multiple of `2^15`
//!    (`theta = theta15 2^15`), so `score >= theta` holds exactly when `2^15 X >= 2 theta15 sigma_u sigma_t`: the
//!    comparison the circuit makes, with no division.
//!
//! Bounds: `|A| < K 2^16 <= 2^22`, `K sum a_k^2 < 2^44`, `sigma < 2^16`, `|X| < 2^34`; `2^15 |X| < 2^49` and
//! `2 |theta15| sigma_u sigma_t < 2^53` for `|theta| <= 32` ([`MAX_SNORM_THRESHOLD_Q30`]).

use crate::embedding::{isqrt, round_div, Embedding, EmbeddingError, UNIT_BITS};

/// Most cohort vectors a model may hold (the circuit's bounds assume `K <= 64`).
pub const MAX_COHORT: usize = 64;
/// Cohort cosines and the rescaled raw score lie in `[-2^COSINE_BITS, 2^COSINE_BITS)` (`Q15`).
pub const COSINE_BITS: u32 = UNIT_BITS + 1;
/// The largest S-norm threshold in magnitude (`32.0` in `Q30`).
pub const MAX_SNORM_THRESHOLD_Q30: i64 = 32 << (2 * UNIT_BITS);
/// An S-norm threshold is a multiple of `2^THRESHOLD_STEP_BITS` (it is `Q15` inside the circuit).
pub const THRESHOLD_STEP_BITS: u32 = UNIT_BITS;

/// The mean and deviation (`Q15`) of one side's cosines against the cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CohortStats {
    /// `mu = round(sum a_k / K)`.
    pub mean: i64,
    /// `sigma = isqrt(floor((K sum a_k^2 - (sum a_k)^2) / K^2))`, at least 1.
    pub sd: i64,
}

/// `-2^bits <= v < 2^bits`.
fn in_signed_range(v: i128, bits: u32) -> bool {
    (-(1i128 << bits)..1i128 << bits).contains(&v)
}

/// `round(v / 2^15)` of a `Q30` value, refused outside `[-2^16, 2^16)`.
fn to_q15(v: i128, what: &'static str) -> Result<i128, EmbeddingError> {
    let q = round_div(v, 1 << UNIT_BITS);
    if !in_signed_range(q, COSINE_BITS) {
        return Err(EmbeddingError::OutOfBounds(what));
    }
    Ok(q)
}

/// Steps 1 and 2 for the unit embedding `v` against `cohort` (2 to [`MAX_COHORT`] unit vectors).
pub fn cohort_stats(v: &Embedding, cohort: &[Embedding]) -> Result<CohortStats, EmbeddingError> {
    debug_assert!((2..=MAX_COHORT).contains(&cohort.len()));
    let k = cohort.len() as i128;
    let mut sum = 0i128;
    let mut sum_sq = 0i128;
    for c in cohort {
        let dot: i128 = v.iter().zip(c).map(|(&a, &b)| i128::from(a) * i128::from(b)).sum();
        let a = to_q15(dot, "a cohort cosine outside [-2, 2)")?;
        sum += a;
        sum_sq += a * a;
    }
    let var = (k * sum_sq - sum * sum).div_euclid(k * k);
    let sd = isqrt(var.max(0));
    if sd == 0 {
        return Err(EmbeddingError::OutOfBounds("the cohort cosines do not vary (S-norm deviation 0)"));
    }
    Ok(CohortStats { mean: round_div(sum, k) as i64, sd: sd as i64 })
}

/// Step 3: the S-norm score (`Q30`) of the raw score `s_q30` between a trial and a template with cohort statistics
/// `trial` and `template`. Saturates at the `i64` range (never reached within the bounds above).
pub fn snorm_score_q30(s_q30: i64, trial: CohortStats, template: CohortStats) -> Result<i64, EmbeddingError> {
    let s15 = to_q15(i128::from(s_q30), "a raw score outside [-2, 2)")?;
    let x = (s15 - i128::from(trial.mean)) * i128::from(template.sd)
        + (s15 - i128::from(template.mean)) * i128::from(trial.sd);
    let den = 2 * i128::from(trial.sd) * i128::from(template.sd);
    let score = (x << (2 * UNIT_BITS)).div_euclid(den);
    Ok(score.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
}

/// The `f64` counterpart: `((s - mu_u) / sigma_u + (s - mu_t) / sigma_t) / 2` with each side's mean and deviation
/// of its cosines against the cohort (`f64` vectors, not necessarily unit: cosines are taken).
pub fn snorm_score_f64(u: &[f64], t: &[f64], cohort: &[Vec<f64>]) -> f64 {
    let stats = |v: &[f64]| -> (f64, f64) {
        let a: Vec<f64> = cohort.iter().map(|c| crate::score::cosine_f64(v, c)).collect();
        let k = a.len() as f64;
        let mean = a.iter().sum::<f64>() / k;
        let var = a.iter().map(|x| x * x).sum::<f64>() / k - mean * mean;
        (mean, var.max(0.0).sqrt())
    };
    let s = crate::score::cosine_f64(u, t);
    let ((mu_u, sd_u), (mu_t, sd_t)) = (stats(u), stats(t));
    if sd_u == 0.0 || sd_t == 0.0 {
        return 0.0;
    }
    ((s - mu_u) / sd_u + (s - mu_t) / sd_t) / 2.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::embedding::{unit, EMBED_DIM};

    fn vector(seed: i64) -> Embedding {
        let z: Embedding = std::array::from_fn(|d| ((d as i64 * 7919 + seed * 104_729) % 2001) - 1000);
        unit(&z).unwrap()
    }

    #[test]
    fn integer_s_norm_follows_the_f64_one() {
        let cohort: Vec<Embedding> = (0..40).map(vector).collect();
        let cohort_f64: Vec<Vec<f64>> = cohort.iter().map(|c| c.iter().map(|&v| v as f64).collect()).collect();
        let (u, t) = (vector(1000), vector(1001));
        let s = crate::score::score_q30(&u, &t);
        let (cu, ct) = (cohort_stats(&u, &cohort).unwrap(), cohort_stats(&t, &cohort).unwrap());
        let score = crate::score::cosine(snorm_score_q30(s, cu, ct).unwrap());
        let f = |v: &Embedding| -> Vec<f64> { v.iter().map(|&x| x as f64).collect() };
        let reference = snorm_score_f64(&f(&u), &f(&t), &cohort_f64);
        assert!((score - reference).abs() < 2e-3 * (1.0 + reference.abs()), "{score} {reference}");
    }

    #[test]
    fn the_threshold_test_needs_no_division() {
        // score >= theta15 2^15 exactly when 2^15 X >= 2 theta15 sigma_u sigma_t.
        let cohort: Vec<Embedding> = (0..8).map(|k| vector(k + 50)).collect();
        for seed in 0..30 {
            let (u, t) = (vector(seed), vector(seed + 300));
            let s = crate::score::score_q30(&u, &t);
            let (cu, ct) = (cohort_stats(&u, &cohort).unwrap(), cohort_stats(&t, &cohort).unwrap());
            let score = snorm_score_q30(s, cu, ct).unwrap();
            let s15 = round_div(i128::from(s), 1 << 15);
            let x = (s15 - i128::from(cu.mean)) * i128::from(ct.sd) + (s15 - i128::from(ct.mean)) * i128::from(cu.sd);
            for theta15 in [score >> 15, (score >> 15) + 1, -3, 0, 7] {
                let exact = (x << 15) >= 2 * i128::from(theta15) * i128::from(cu.sd) * i128::from(ct.sd);
                assert_eq!(score >= theta15 << 15, exact, "seed {seed} theta15 {theta15}");
            }
        }
    }

    #[test]
    fn a_cohort_that_does_not_vary_is_refused() {
        let v = vector(3);
        let same = vec![vector(9); 4];
        assert!(matches!(cohort_stats(&v, &same), Err(EmbeddingError::OutOfBounds(_))));
        let mut big = [0i64; EMBED_DIM];
        big[0] = 1 << 15;
        let far: Vec<Embedding> = vec![std::array::from_fn(|d| if d < 5 { 1 << 15 } else { 0 }), vector(4)];
        assert!(cohort_stats(&big, &far).is_ok());
        let huge: Embedding = [1 << 15; EMBED_DIM];
        assert!(matches!(cohort_stats(&huge, &[huge, vector(5)]), Err(EmbeddingError::OutOfBounds(_))));
    }
}
