//! The decision's arithmetic as plonky2 gadgets: the embedding of `crate::embedding`, the score and the
//! threshold comparison of `crate::score`, and `h_template` of `crate::template`, each equal to the native
//! integer computation on every input within the bounds below (tested against it).
//!
//! Bounds the circuit enforces (a recording outside them cannot be proven; none is near them in practice), and
//! the native functions refuse alike (`EmbeddingError::OutOfBounds`): `1 <= k < 2^15` voiced frames (5.4 minutes),
//! `sum_n` in `[-2^51, 2^51)`, `0 <= sum_sq_n < 2^62`, `mean_n` in `[-2^24, 2^24)`, `sum_sq_n / k < 2^48`, `z_d` in
//! `[-2^24, 2^24)` (4 096 model spreads), projected values `y_j` in `[-2^24, 2^24)`, template values in `[-2^15, 2^15]` (what a template file may hold).
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
use stark_frames::params::NUM_CEPS;

use crate::embedding::{EMBED_DIM, FEATURE_BITS, PROJECTION_BITS, SCALE_SHIFT, UNIT_BITS, Z_BITS};
use crate::model::Model;
use crate::template::TEMPLATE_TAG;
use arith::IntArith;
use hints::element;

/// Voiced frames are below `2^COUNT_BITS` (`crate::embedding::COUNT_BITS`, which the native functions check).
pub const COUNT_BITS: usize = crate::embedding::COUNT_BITS as usize;

/// The pooled statistics as targets (the root proof's public values).
#[derive(Clone, Copy, Debug)]
pub struct StatsTargets {
    /// `sum c_n` (`Q24`).
    pub sum: [Target; NUM_CEPS],
    /// `sum round(c_n / 2^12)^2`.
    pub sum_sq: [Target; NUM_CEPS],
    /// Voiced frames.
    pub count: Target,
}

/// The unit embedding `u` (`Q15`) of the statistics under `model`, computed and checked in the circuit.
pub fn unit_embedding<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    s: &StatsTargets,
    model: &Model,
) -> [Target; EMBED_DIM] {
    // 1 <= k < 2^15: k - 1 and 2^15 - 1 - k are both 15-bit (the divisions below assume k < 2^15).
    let k_minus_one = b.add_const(s.count, -F::ONE);
    b.nonneg(k_minus_one, COUNT_BITS);
    let k_max = b.constant(F::from_canonical_u64((1 << COUNT_BITS) - 1));
    let k_room = b.sub(k_max, s.count);
    b.nonneg(k_room, COUNT_BITS);
    let k_q12 = b.mul_const(F::from_canonical_u64(1 << FEATURE_BITS), s.count);
    let mut mean = Vec::with_capacity(NUM_CEPS);
    let mut std = Vec::with_capacity(NUM_CEPS);
    for n in 0..NUM_CEPS {
        b.signed_range(s.sum[n], 51);
        let m = b.round_div(s.sum[n], k_q12, (51, COUNT_BITS + FEATURE_BITS as usize, 24));
        b.nonneg(s.sum_sq[n], 62);
        let ex2 = b.floor_div(s.sum_sq[n], s.count, (62, COUNT_BITS, 48));
        let m2 = b.mul(m, m);
        let var = b.sub(ex2, m2);
        let var = b.relu(var, 49);
        std.push(b.isqrt(var, 49));
        mean.push(m);
    }
    let x: Vec<Target> = mean[1..].iter().chain(&std).copied().collect();
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
    let norm = b.isqrt(n2, 53);
    let norm_minus_one = b.add_const(norm, -F::ONE);
    b.nonneg(norm_minus_one, 27);
    std::array::from_fn(|d| {
        let a = b.mul_const(F::from_canonical_u64(1 << UNIT_BITS), z[d]);
        b.round_div(a, norm, (39, 27, UNIT_BITS as usize + 1))
    })
}

/// `y_j = round(sum_d W_jd z_d / 2^16)` for the model's projection (`crate::embedding::project`): `|W_jd| <= 2^16`
/// (model validation) and `z_d` in `[-2^24, 2^24)` (checked where `z` is computed) bound the sum by `2^45`, and `y_j`
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
            b.round_div(acc, two16, (45, PROJECTION_BITS as usize + 1, Z_BITS as usize))
        })
        .collect()
}

/// `score = sum u_d t_d` and `[score >= threshold_q30]`; checks `-2^15 <= t_d <= 2^15`.
pub fn decide<F: RichField + Extendable<D>, const D: usize>(
    b: &mut CircuitBuilder<F, D>,
    u: &[Target; EMBED_DIM],
    t: &[Target; EMBED_DIM],
    threshold_q30: i64,
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
    let margin = b.add_const(score, element::<F>(-i128::from(threshold_q30)));
    let accept = b.is_nonneg(margin, 36);
    (score, accept)
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
