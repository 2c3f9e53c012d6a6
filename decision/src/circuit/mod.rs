//! The decision's arithmetic as plonky2 gadgets: the embedding of `crate::embedding`, the score and the
//! threshold comparison of `crate::score`, and `h_template` of `crate::template`, each equal to the native
//! integer computation on every input within the bounds below (tested against it).
//!
//! Bounds the circuit enforces (a recording outside them cannot be proven; none is near them in practice), and
//! the native functions refuse alike (`EmbeddingError::OutOfBounds`): `1 <= k < 2^14` voiced frames (2.7 minutes),
//! `sum_n` in `[-2^51, 2^51)`, `0 <= sum_sq_n, sum_dsq_n < 2^62`, `mean_n` in `[-2^24, 2^24)`, `sum_sq_n / k < 2^48`,
//! `sum_dsq_n / k < 2^49`, `z_d` in
//! `[-2^24, 2^24)` (4 096 model spreads), projected values `y_j` in `[-2^24, 2^24)`, template values in `[-2^15, 2^15]`
//! (what a template file may hold); under S-norm, cohort cosines and the rescaled score in `[-2^16, 2^16)` (`Q15`)
//! and cohort deviations of at least 1 (`crate::snorm`).
//!
//! The final circuit (`crate::final_circuit`), which verifies the root proof and exposes SPEC §2's public inputs,
//! is built from these gadgets.

pub mod arith;
pub mod hints;

use plonky2::field::extension::Extendable;
use plonky2::hash::hash_types::{HashOutTarget, RichField};
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use stark_frames::params::{NUM_CEPS, NUM_FILTERS, NUM_STAT_VALUES};

use crate::embedding::{
    Embedding, CEP_DEVIATIONS, CEP_MEANS, DELTA_MEAN_SQ_BITS, DELTA_SPREADS, DIM_BITS, EMBED_DIM, FEATURE_BITS,
    MEL_DEVIATIONS, MEL_MEANS, PROJECTION_BITS, SCALE_SHIFT, SUM_SQ_BITS, UNIT_BITS, Z_BITS,
};
use crate::model::Model;
use crate::snorm::{COSINE_BITS, MAX_COHORT, THRESHOLD_STEP_BITS};
use crate::template::TEMPLATE_TAG;
use arith::IntArith;
use hints::element;

/// Voiced frames are below `2^COUNT_BITS` (`crate::embedding::COUNT_BITS`, which the native functions check).
pub const COUNT_BITS: usize = crate::embedding::COUNT_BITS as usize;

/// Bits of a projection row's sum `sum_d W_jd z_d`: `|W_jd| <= 2^16`, `|z_d| < 2^24`.
const PROJECTED_SUM_BITS: usize = (PROJECTION_BITS + Z_BITS + DIM_BITS) as usize;
/// Bits of `sum z_d^2` (`|z_d| <= 2^24`).
const NORM_SQ_BITS: usize = (2 * Z_BITS + DIM_BITS) as usize;
/// Bits of `isqrt(sum z_d^2)`.
const NORM_BITS: usize = NORM_SQ_BITS.div_ceil(2);
/// Bits of a dot product of a computed unit vector (`|u_d| < 2^16`) with a checked one (`|t_d| <= 2^15`, or a
/// cohort vector): the raw score and the cohort cosines before their rescale.
const DOT_BITS: usize = (2 * UNIT_BITS + 1 + DIM_BITS) as usize;

/// Bits of the centred log mel sums `26 sum_j - sum_i sum_i` (`|.| < 52 * 2^51`).
const MEL_CENTRED_BITS: usize = 57;

/// The pooled statistics as targets (the root proof's public values).
#[derive(Clone, Copy, Debug)]
pub struct StatsTargets {
    /// `sum v_n` (`Q24`; the cepstra, then the log mel energies).
    pub sum: [Target; NUM_STAT_VALUES],
    /// `sum round(v_n / 2^12)^2`.
    pub sum_sq: [Target; NUM_STAT_VALUES],
    /// Voiced frames.
    pub count: Target,
    /// `sum d_n^2` of the regression deltas (`stark_frames::fixed::pooled`).
    pub sum_dsq: [Target; NUM_STAT_VALUES],
}

impl StatsTargets {
    /// Fresh virtual targets for every statistic (a circuit that takes the statistics as a witness: tests and
    /// gate counts).
    pub fn new_virtual<F: RichField + Extendable<D>, const D: usize>(b: &mut CircuitBuilder<F, D>) -> Self {
        Self {
            sum: b.add_virtual_target_arr(),
            sum_sq: b.add_virtual_target_arr(),
            count: b.add_virtual_target(),
            sum_dsq: b.add_virtual_target_arr(),
        }
    }
}

/// The unit embedding `u` (`Q15`) of the statistics under `model`, computed and checked in the circuit.
pub fn unit_embedding<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    s: &StatsTargets,
    model: &Model,
) -> [Target; EMBED_DIM] {
    // 1 <= k < 2^14: k - 1 and 2^14 - 1 - k are both 14-bit (the divisions below assume k < 2^14).
    let k_minus_one = b.add_const(s.count, -F::ONE);
    b.nonneg(k_minus_one, COUNT_BITS);
    let k_max = b.constant(F::from_canonical_u64((1 << COUNT_BITS) - 1));
    let k_room = b.sub(k_max, s.count);
    b.nonneg(k_room, COUNT_BITS);
    let k_q12 = b.mul_const(F::from_canonical_u64(1 << FEATURE_BITS), s.count);
    let mut mean = Vec::with_capacity(NUM_STAT_VALUES);
    let mut std = Vec::with_capacity(NUM_STAT_VALUES);
    for n in 0..NUM_STAT_VALUES {
        b.signed_range(s.sum[n], 51);
        let m = b.round_div(s.sum[n], k_q12, (51, COUNT_BITS + FEATURE_BITS as usize, 24));
        b.nonneg(s.sum_sq[n], SUM_SQ_BITS as usize);
        let ex2 = b.floor_div(s.sum_sq[n], s.count, (SUM_SQ_BITS as usize, COUNT_BITS, 48));
        let m2 = b.mul(m, m);
        let var = b.sub(ex2, m2);
        let var = b.relu(var, 49);
        std.push(b.isqrt(var, 49));
        mean.push(m);
    }
    // The log mel means centred across the bands: round((26 sum_j - sum_i sum_i) / (26 k 2^12)), with
    // |26 sum_j - sum_i sum_i| < 52 * 2^51 < 2^57 and a divisor below 26 * 2^27 < 2^32.
    let mel_total = b.add_many(s.sum[NUM_CEPS..].iter().copied());
    let k_bands_q12 = b.mul_const(F::from_canonical_usize(NUM_FILTERS), k_q12);
    let mel_mean: Vec<Target> = (0..NUM_FILTERS)
        .map(|j| {
            let scaled = b.mul_const(F::from_canonical_usize(NUM_FILTERS), s.sum[NUM_CEPS + j]);
            let centred = b.sub(scaled, mel_total);
            b.round_div(centred, k_bands_q12, (MEL_CENTRED_BITS, COUNT_BITS + FEATURE_BITS as usize + 5, 24))
        })
        .collect();
    let mut x = vec![b.zero(); EMBED_DIM];
    for (n, d) in CEP_MEANS.enumerate() {
        x[d] = mean[n + 1];
    }
    for (n, d) in CEP_DEVIATIONS.enumerate() {
        x[d] = std[n];
    }
    for (j, d) in MEL_MEANS.enumerate() {
        x[d] = mel_mean[j];
    }
    for (j, d) in MEL_DEVIATIONS.enumerate() {
        x[d] = std[NUM_CEPS + j];
    }
    // The spreads of the regression deltas: isqrt(floor(sum_dsq / k)), the mean square below 2^49.
    for (n, d) in DELTA_SPREADS.enumerate() {
        b.nonneg(s.sum_dsq[n], SUM_SQ_BITS as usize);
        let bits = DELTA_MEAN_SQ_BITS as usize;
        let e = b.floor_div(s.sum_dsq[n], s.count, (SUM_SQ_BITS as usize, COUNT_BITS, bits));
        x[d] = b.isqrt(e, bits);
    }
    let two16 = b.constant(F::from_canonical_u64(1 << SCALE_SHIFT));
    let z: Vec<Target> = (0..EMBED_DIM)
        .map(|d| {
            let centered = b.add_const(x[d], element::<F>(-i128::from(model.embedding.center_q12[d])));
            let scaled = b.mul_const(F::from_canonical_u64(model.embedding.scale[d] as u64), centered);
            b.round_div(scaled, two16, (45, SCALE_SHIFT as usize + 1, Z_BITS as usize))
        })
        .collect();
    let z = match model.projection() {
        Some(w) => project(b, &z, &w),
        None => z,
    };
    let mut n2 = b.zero();
    for &zd in &z {
        n2 = b.mul_add(zd, zd, n2);
    }
    let norm = b.isqrt(n2, NORM_SQ_BITS);
    let norm_minus_one = b.add_const(norm, -F::ONE);
    b.nonneg(norm_minus_one, NORM_BITS);
    std::array::from_fn(|d| {
        let a = b.mul_const(F::from_canonical_u64(1 << UNIT_BITS), z[d]);
        b.round_div(a, norm, ((UNIT_BITS + Z_BITS) as usize, NORM_BITS, UNIT_BITS as usize + 1))
    })
}

/// `y_j = round(sum_d W_jd z_d / 2^16)` for the model's projection (`crate::embedding::project`): `|W_jd| <= 2^16`
/// (model validation) and `z_d` in `[-2^24, 2^24)` (checked where `z` is computed) bound the sum by `2^47`, and `y_j`
/// is range-checked to `[-2^24, 2^24)` like `z`.
fn project<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    z: &[Target],
    w: &[crate::embedding::Embedding],
) -> Vec<Target> {
    let two16 = b.constant(F::from_canonical_u64(1 << PROJECTION_BITS));
    w.iter()
        .map(|row| {
            let mut acc = b.zero();
            for (&wd, &zd) in row.iter().zip(z) {
                if wd != 0 {
                    acc = b.mul_const_add(element::<F>(i128::from(wd)), zd, acc);
                }
            }
            b.round_div(acc, two16, (PROJECTED_SUM_BITS, PROJECTION_BITS as usize + 1, Z_BITS as usize))
        })
        .collect()
}

/// `score = sum u_d t_d` (`Q30`) and the decision `[score >= threshold + offset(k)]` under `model`'s metric,
/// threshold and duration table ([`threshold_for_count`]) for a trial of `count` voiced frames (range-checked to
/// `[1, 2^14)` by [`unit_embedding`]); checks `-2^15 <= t_d <= 2^15`. Under S-norm the decision is
/// [`snorm_accepts`]'s.
pub fn decide<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    u: &[Target; EMBED_DIM],
    t: &[Target; EMBED_DIM],
    count: Target,
    model: &Model,
) -> (Target, BoolTarget) {
    let mut score = b.zero();
    for d in 0..EMBED_DIM {
        // -2^15 <= t_d <= 2^15: t_d + 2^15 and 2^15 - t_d are both in [0, 2^16].
        let unit = element::<F>(1i128 << UNIT_BITS);
        let above = b.add_const(t[d], unit);
        b.nonneg(above, UNIT_BITS as usize + 2);
        let unit = b.constant(unit);
        let below = b.sub(unit, t[d]);
        b.nonneg(below, UNIT_BITS as usize + 2);
        score = b.mul_add(u[d], t[d], score);
    }
    let threshold = threshold_for_count(b, count, model);
    let accept = match model.cohort() {
        None => {
            // |score| < 2^38 and |threshold| <= 2^30 (`Model::validate`).
            let margin = b.sub(score, threshold);
            b.is_nonneg(margin, DOT_BITS)
        }
        Some(cohort) => snorm_accepts(b, score, u, t, &cohort, threshold),
    };
    (score, accept)
}

/// The effective threshold (`Q30`) for a trial of `count` voiced frames: `threshold_q30 + offset(count)` of the
/// model's duration table (`crate::duration`), or `threshold_q30` without one. Bin `j`'s start `from_j` is
/// compared with `count` (`[count >= from_j]` by the sign of `count - from_j`, which lies in `(-2^14, 2^14)` for
/// `1 <= count, from_j < 2^14`); the bins' starts increase, so the offset is the first bin's plus the steps
/// `offset_j - offset_(j-1)` of every bin the count reaches. Every `threshold_q30 + offset_j` is within the
/// metric's bound (`Model::validate`): `[-2^30, 2^30]` for the cosine, `32 * 2^30` under S-norm.
pub fn threshold_for_count<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    count: Target,
    model: &Model,
) -> Target {
    let table = model.duration_offsets.as_deref().unwrap_or(&[]);
    let first = table.first().map_or(0, |bin| bin.offset_q30);
    let mut threshold = b.constant(element::<F>(i128::from(model.threshold_q30) + i128::from(first)));
    for w in table.windows(2) {
        let from = b.constant(F::from_canonical_u64(w[1].from_voiced_frames));
        let past = b.sub(count, from);
        let reached = b.is_nonneg(past, COUNT_BITS);
        let step = element::<F>(i128::from(w[1].offset_q30) - i128::from(w[0].offset_q30));
        let one = b.one();
        threshold = b.arithmetic(step, F::ONE, reached.target, one, threshold);
    }
    threshold
}

/// The S-norm decision of `crate::snorm` for the raw score `s` (`Q30`, `|s| < 2^38`: `|u_d| <= 2^16` where `u` is
/// computed, `|t_d| <= 2^15` as [`decide`] checks): with `s15 = round(s / 2^15)` in `[-2^16, 2^16)` and each side's
/// cohort mean and deviation ([`cohort_stats`]), `[2^15 X - 2 theta15 sigma_u sigma_t >= 0]` for
/// `X = (s15 - mu_u) sigma_t + (s15 - mu_t) sigma_u`, where `threshold_q30 = theta15 2^15` is the effective
/// threshold ([`threshold_for_count`]: a multiple of `2^15` by the model's validation, so `theta15` is its
/// quotient, exact). Bounds: `|s15 - mu| < 2^17` and `sigma < 2^17`, so `2^15 |X| < 2^50`; `|theta15| <= 2^20`
/// (`crate::snorm::MAX_SNORM_THRESHOLD_Q30`), so the margin is below `2^50 + 2^55 < 2^56` in magnitude.
pub fn snorm_accepts<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    s: Target,
    u: &[Target; EMBED_DIM],
    t: &[Target; EMBED_DIM],
    cohort: &[Embedding],
    threshold_q30: Target,
) -> BoolTarget {
    let cohort: Vec<[Target; EMBED_DIM]> =
        cohort.iter().map(|c| c.map(|v| b.constant(element::<F>(i128::from(v))))).collect();
    let (mu_u, sd_u) = cohort_stats(b, u, &cohort);
    let (mu_t, sd_t) = cohort_stats(b, t, &cohort);
    let two15 = b.constant(F::from_canonical_u64(1 << UNIT_BITS));
    let s15 = b.round_div(s, two15, (DOT_BITS, UNIT_BITS as usize + 1, COSINE_BITS as usize));
    let du = b.sub(s15, mu_u);
    let dt = b.sub(s15, mu_t);
    let x = b.mul(du, sd_t);
    let x = b.mul_add(dt, sd_u, x);
    let lhs = b.mul_const(F::from_canonical_u64(1 << UNIT_BITS), x);
    let sds = b.mul(sd_u, sd_t);
    // theta15 = threshold / 2^15, exact for the multiples of 2^15 the model holds; 2 theta15 = threshold / 2^14.
    let two_theta15 = b.mul_const(F::from_canonical_u64(1 << (THRESHOLD_STEP_BITS - 1)).inverse(), threshold_q30);
    let rhs = b.mul(two_theta15, sds);
    let margin = b.sub(lhs, rhs);
    b.is_nonneg(margin, 56)
}

/// `(mu, sigma)` (`Q15`) of a vector's cosines against the cohort (`crate::snorm::cohort_stats`), `2 <= K <= 64`:
/// `|v_d| <= 2^16` and `|c_kd| <= 2^15` bound each dot product by `116 * 2^31 < 2^38`; `a_k` is range-checked to
/// `[-2^16, 2^16)`, so `|A| <= 2^22`, `K sum a_k^2 < 2^44` (non-negative after `- A^2`, by Cauchy-Schwarz over the
/// integers), its quotient by `K^2` below `2^33` and `sigma < 2^17`; `sigma >= 1` is checked.
fn cohort_stats<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    v: &[Target; EMBED_DIM],
    cohort: &[[Target; EMBED_DIM]],
) -> (Target, Target) {
    let k = cohort.len();
    assert!((2..=MAX_COHORT).contains(&k));
    let two15 = b.constant(F::from_canonical_u64(1 << UNIT_BITS));
    let (mut sum, mut sum_sq) = (b.zero(), b.zero());
    for c in cohort {
        let mut dot = b.zero();
        for (&vd, &cd) in v.iter().zip(c) {
            dot = b.mul_add(vd, cd, dot);
        }
        let a = b.round_div(dot, two15, (DOT_BITS, UNIT_BITS as usize + 1, COSINE_BITS as usize));
        sum = b.add(sum, a);
        sum_sq = b.mul_add(a, a, sum_sq);
    }
    let k_target = b.constant(F::from_canonical_usize(k));
    let mean = b.round_div(sum, k_target, (23, 7, COSINE_BITS as usize));
    let k_sum_sq = b.mul_const(F::from_canonical_usize(k), sum_sq);
    let var_k2 = b.mul(sum, sum);
    let var_k2 = b.sub(k_sum_sq, var_k2);
    let k2 = b.constant(F::from_canonical_usize(k * k));
    let var = b.floor_div(var_k2, k2, (44, 13, 33));
    let sd = b.isqrt(var, 33);
    let sd_minus_one = b.add_const(sd, -F::ONE);
    b.nonneg(sd_minus_one, 17);
    (mean, sd)
}

/// `h_template = Poseidon([TAG, t, salt])`.
pub fn template_commitment<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    t: &[Target; EMBED_DIM],
    salt: &[Target; 4],
) -> HashOutTarget {
    let mut input = vec![b.constant(F::from_noncanonical_u64(TEMPLATE_TAG))];
    input.extend(t);
    input.extend(salt);
    b.hash_n_to_hash_no_pad::<PoseidonHash>(input)
}
