//! The decision gadgets equal the native integer computation: on the fixtures' statistics, on statistics near
//! the circuit's bounds, and for decisions one unit either side of the threshold, under both metrics (the plain
//! cosine and its S-norm against a cohort).

use decision::circuit::{decide, template_commitment, unit_embedding, StatsTargets};
use decision::duration::DurationOffset;
use decision::embedding::{
    features, unit, Embedding, EmbeddingError, COUNT_BITS, DELTA_MEAN_SQ_BITS, EMBED_DIM, MAX_PROJECTION, SUM_SQ_BITS,
    Z_BITS,
};
use decision::model::{Metric, Model};
use decision::score::score_q30;
use decision::template::{h_template, standardised_embedding, template_unit};
use plonky2::field::goldilocks_field::GoldilocksField as F;
use plonky2::field::types::Field;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::CircuitConfig;
use plonky2::plonk::config::PoseidonGoldilocksConfig;
use stark_frames::fixed::pooled::{pooled_stats, PooledStats};
use stark_frames::params::NUM_STAT_VALUES;
use stark_frames::Audio;

type C = PoseidonGoldilocksConfig;
const D: usize = 2;

fn el(v: i64) -> F {
    F::from_noncanonical_i64(v)
}

fn stats_of(name: &str, model: &Model) -> PooledStats {
    let path = format!("{}/../fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    let audio = Audio::load(path).unwrap();
    pooled_stats(&stark_frames::fixed::frame_values(audio.samples()), model.embedding.voicing_threshold_q24)
}

type Outcome = (Vec<i64>, i64, bool, Vec<F>);

/// Proves the gadgets on `stats` against template `t` and salt, and returns the public `(u, score, accept,
/// h_template)` the proof states.
fn prove(model: &Model, threshold_q30: i64, stats: &PooledStats, t: &Embedding, salt: &[F; 4]) -> Outcome {
    try_prove(model, threshold_q30, stats, t, salt).expect("a proof")
}

/// As [`prove`], or `None` when no verifying proof exists (a panic of the prover counts as none).
fn try_prove(model: &Model, threshold_q30: i64, stats: &PooledStats, t: &Embedding, salt: &[F; 4]) -> Option<Outcome> {
    let (model, stats, t, salt) = (model.clone(), *stats, *t, *salt);
    std::panic::catch_unwind(move || prove_inner(&model, threshold_q30, &stats, &t, &salt)).ok().flatten()
}

fn prove_inner(
    model: &Model,
    threshold_q30: i64,
    stats: &PooledStats,
    t: &Embedding,
    salt: &[F; 4],
) -> Option<Outcome> {
    let mut b = CircuitBuilder::<F, D>::new(CircuitConfig::standard_recursion_config());
    let s = StatsTargets::new_virtual(&mut b);
    let tt: [Target; EMBED_DIM] = std::array::from_fn(|_| b.add_virtual_target());
    let st: [Target; 4] = std::array::from_fn(|_| b.add_virtual_target());
    let u = unit_embedding(&mut b, &s, model);
    let (score, accept) = decide(&mut b, &u, &tt, s.count, &Model { threshold_q30, ..model.clone() });
    let h = template_commitment(&mut b, &tt, &st);
    b.register_public_inputs(&u);
    b.register_public_input(score);
    b.register_public_input(accept.target);
    b.register_public_inputs(&h.elements);
    let data = b.build::<C>();
    let mut pw = PartialWitness::new();
    for n in 0..NUM_STAT_VALUES {
        pw.set_target(s.sum[n], el(stats.sum[n])).unwrap();
        pw.set_target(s.sum_sq[n], el(stats.sum_sq[n])).unwrap();
        pw.set_target(s.sum_dsq[n], el(stats.sum_dsq[n])).unwrap();
    }
    pw.set_target(s.count, F::from_canonical_u64(stats.count)).unwrap();
    for d in 0..EMBED_DIM {
        pw.set_target(tt[d], el(t[d])).unwrap();
    }
    for i in 0..4 {
        pw.set_target(st[i], salt[i]).unwrap();
    }
    let proof = data.prove(pw).ok()?;
    data.verify(proof.clone()).ok()?;
    let pis = proof.public_inputs;
    let signed = |x: F| decision::circuit::hints::signed(x) as i64;
    let u_out: Vec<i64> = pis[..EMBED_DIM].iter().map(|&x| signed(x)).collect();
    Some((u_out, signed(pis[EMBED_DIM]), pis[EMBED_DIM + 1] == F::ONE, pis[EMBED_DIM + 2..].to_vec()))
}

fn native_unit(stats: &PooledStats, model: &Model) -> Embedding {
    unit(&model.embed(stats).unwrap()).unwrap()
}

/// The default model (with its whitening projection), the same without a projection, and each of them under the
/// other metric (cosine or S-norm; the S-norm cohort is the unit templates of the fixtures' eight voices).
fn models() -> Vec<Model> {
    let with = Model::default_model();
    assert!(with.projection().is_some(), "the default model projects");
    let mut without = with.clone();
    without.embedding.projection_q16 = None;
    let other = |m: &Model| -> Model {
        let mut o = m.clone();
        if o.cohort_q15.is_some() {
            o.cohort_q15 = None;
            o.metric = Metric::Cosine;
            o.threshold_q30 = 600 << 20;
            // The S-norm table's offsets are in units of the normalised score, some 16 times the cosine's.
            if let Some(table) = o.duration_offsets.as_mut() {
                table.iter_mut().for_each(|b| b.offset_q30 /= 16);
            }
        } else {
            o.cohort_q15 = Some(fixture_cohort(&o));
            o.metric = Metric::SNormCosine;
            o.threshold_q30 = 3 << 29;
        }
        o.validate().unwrap();
        o
    };
    let (a, b) = (other(&with), other(&without));
    vec![with, without, a, b]
}

/// The unit templates of the fixtures' eight voices (each from its four recordings) under `model`.
fn fixture_cohort(model: &Model) -> Vec<Vec<i64>> {
    ["espeak_gb_m3", "espeak_sc_f4", "espeak_us_f2", "espeak_us_m1", "flite_awb", "flite_kal", "flite_rms", "flite_slt"]
        .iter()
        .map(|voice| {
            let zs: Vec<Embedding> = (1..=4)
                .map(|i| {
                    let path = format!("{}/../fixtures/speech/{voice}_{i}.wav", env!("CARGO_MANIFEST_DIR"));
                    standardised_embedding(Audio::load(path).unwrap().samples(), model).unwrap().0
                })
                .collect();
            template_unit(&zs).unwrap().to_vec()
        })
        .collect()
}

/// The model's score of `u` (a trial of `voiced` voiced frames) against `t` (`Q30`, calibrated for the duration),
/// and the thresholds just at and just above it that the model's metric allows (one unit for the cosine, `2^15`
/// for S-norm), clamped to the allowed range.
fn score_and_edges(model: &Model, u: &Embedding, t: &Embedding, voiced: u64) -> (i64, [i64; 2]) {
    let score = model.score(&model.side(*u).unwrap(), &model.side(*t).unwrap(), voiced).unwrap();
    let edges = match model.metric {
        Metric::Cosine => [score, score + 1],
        Metric::SNormCosine => {
            let max = decision::snorm::MAX_SNORM_THRESHOLD_Q30;
            let at = (score >> 15 << 15).clamp(-max, max - (1 << 15));
            [at, at + (1 << 15)]
        }
    };
    (score, edges)
}

#[test]
fn circuit_equals_native_on_fixtures_and_at_the_threshold() {
    for model in models() {
        equal_on_fixtures(&model);
    }
}

fn equal_on_fixtures(model: &Model) {
    let model = model.clone();
    let enrolled: Vec<Embedding> = (1..=3)
        .map(|i| {
            let path = format!("{}/../fixtures/speech/flite_rms_{i}.wav", env!("CARGO_MANIFEST_DIR"));
            standardised_embedding(Audio::load(path).unwrap().samples(), &model).unwrap().0
        })
        .collect();
    let t = template_unit(&enrolled).unwrap();
    let salt =
        [F::from_canonical_u64(11), F::from_canonical_u64(22), F::from_canonical_u64(33), F::from_canonical_u64(44)];
    for name in ["flite_rms_4.wav", "espeak_gb_m3_2.wav"] {
        let stats = stats_of(name, &model);
        let u = native_unit(&stats, &model);
        let (score, [at, above]) = score_and_edges(&model, &u, &t, stats.count);
        // The model's threshold, and thresholds exactly at the score and one step above it.
        for (threshold, want) in [(model.threshold_q30, score >= model.threshold_q30), (at, true), (above, false)] {
            let (u_c, score_c, accept_c, h_c) = prove(&model, threshold, &stats, &t, &salt);
            assert_eq!(u_c, u.to_vec(), "{name}: unit embedding");
            assert_eq!(score_c, score_q30(&u, &t), "{name}: raw score");
            assert_eq!(accept_c, want, "{name}: decision at threshold {threshold} ({:?})", model.metric);
            assert_eq!(h_c, h_template(&t, &salt).to_vec(), "h_template");
        }
    }
}

/// The duration table's comparison at its edges: a trial of `k` voiced frames against a bin starting at `k` (the
/// bin applies), at `k + 1` (it does not) and at `k - 1`, with a threshold between the two bins' effective
/// thresholds, so that the decision flips with the bin; the circuit decides as the native score does, for both
/// metrics.
#[test]
fn circuit_threshold_follows_the_duration_table() {
    for base in models().into_iter().filter(|m| m.projection().is_some()) {
        let stats = stats_of("flite_rms_4.wav", &base);
        let k = stats.count;
        assert!(k > 2, "{k} voiced frames");
        let u = native_unit(&stats, &base);
        let t = u.map(|v| v / 2);
        let salt = [F::ZERO; 4];
        let step = base.threshold_step();
        let raw = Model { duration_offsets: None, ..base.clone() };
        let (score, [at, _]) = score_and_edges(&raw, &u, &t, k);
        // Short trials (the first bin) need 3 steps more than `at`, long ones 3 steps fewer.
        let table = |from: u64| {
            Some(vec![
                DurationOffset { from_voiced_frames: 1, offset_q30: 3 * step },
                DurationOffset { from_voiced_frames: from, offset_q30: -3 * step },
            ])
        };
        for (from, long) in [(k - 1, true), (k, true), (k + 1, false)] {
            let model = Model { duration_offsets: table(from), threshold_q30: at, ..base.clone() };
            model.validate().unwrap();
            let native = model.score(&model.side(u).unwrap(), &model.side(t).unwrap(), k).unwrap();
            assert_eq!(native >= at, long, "{:?}: score {score}, bin from {from}", model.metric);
            let (_, _, accept_c, _) = prove(&model, at, &stats, &t, &salt);
            assert_eq!(accept_c, long, "{:?}: the circuit's decision with a bin from {from} (k = {k})", model.metric);
        }
    }
}

#[test]
fn circuit_equals_native_near_the_bounds() {
    for model in models() {
        equal_near_the_bounds(&model);
    }
}

/// A template at the edges of what a template file may hold: every value `2^15` in magnitude for the cosine; under
/// S-norm, whose cohort cosines must stay in `[-2, 2)`, the unit vector `-2^15 e_0`.
fn edge_template(model: &Model) -> Embedding {
    match model.metric {
        Metric::Cosine => std::array::from_fn(|d| if d % 2 == 0 { 1 << 15 } else { -(1 << 15) }),
        Metric::SNormCosine => std::array::from_fn(|d| if d == 0 { -(1 << 15) } else { 0 }),
    }
}

fn equal_near_the_bounds(model: &Model) {
    let model = model.clone();
    let t = edge_template(&model);
    let salt = [F::ZERO; 4];
    // One voiced frame; 2^14 - 1 frames with large sums; negative sums; a variance that rounds negative.
    let mut cases = Vec::new();
    let mut s = PooledStats { count: 1, ..Default::default() };
    // Regression deltas within the model's standardised bound (the circuit's own bounds are tested below).
    s.sum_dsq[7] = (1 << 34) - 1;
    s.sum_dsq[30] = 12345;
    s.sum[0] = 9 << 24;
    s.sum[5] = -(7 << 24);
    s.sum_sq[0] = 81 << 24;
    s.sum_sq[5] = 49 << 24;
    cases.push(s);
    let mut s = PooledStats { count: (1 << COUNT_BITS) - 1, ..Default::default() };
    for n in 0..NUM_STAT_VALUES {
        s.sum[n] = ((n as i64 - 6) * 30 + 1) * (1 << 24) * ((1 << COUNT_BITS) - 1) / 2;
        s.sum_sq[n] = ((1i64 << 46) - 12345) * 2;
        s.sum_dsq[n] = ((1i64 << 46) - 12345 - n as i64) * 2;
    }
    cases.push(s);
    let mut s = PooledStats { count: 3, ..Default::default() };
    for n in 0..NUM_STAT_VALUES {
        s.sum[n] = -(n as i64 + 1) * 3 * (1 << 24) - 7;
        s.sum_sq[n] = 0;
    }
    cases.push(s);
    for stats in cases {
        let u = native_unit(&stats, &model);
        let (score, [at, _]) = score_and_edges(&model, &u, &t, stats.count);
        let (u_c, score_c, accept_c, _) = prove(&model, at, &stats, &t, &salt);
        assert_eq!(u_c, u.to_vec());
        assert_eq!(score_c, score_q30(&u, &t));
        assert_eq!(accept_c, score >= at);
    }
}

/// Under S-norm, a template whose cohort cosines leave `[-2, 2)`, or a cohort whose cosines with a side do not vary
/// (here two equal rows), cannot be normalised: the native score refuses it, and the circuit has no proof.
#[test]
fn circuit_refuses_what_s_norm_cannot_normalise() {
    let mut model = models().into_iter().find(|m| m.metric == Metric::SNormCosine).unwrap();
    let stats = stats_of("flite_rms_4.wav", &model);
    let u = native_unit(&stats, &model);
    let t = u;
    let salt = [F::ZERO; 4];
    assert!(try_prove(&model, 0, &stats, &t, &salt).is_some(), "a varied cohort is proven");
    // A template file may hold values up to 2^15 but not a vector several times unit length: aligned with a cohort
    // vector (each entry 2^15 with that vector's sign), its cosine with it leaves [-2, 2), and both the native score
    // and the circuit refuse it.
    let first = &model.cohort_q15.as_ref().unwrap()[0];
    let long: Embedding = std::array::from_fn(|d| if first[d] >= 0 { 1 << 15 } else { -(1 << 15) });
    assert!(matches!(model.side(long), Err(EmbeddingError::OutOfBounds(_))), "the native score refuses");
    assert!(try_prove(&model, 0, &stats, &long, &salt).is_none(), "the circuit refuses");
    let row = model.cohort_q15.as_ref().unwrap()[0].clone();
    model.cohort_q15 = Some(vec![row.clone(), row]);
    model.validate().unwrap();
    assert!(matches!(model.side(u), Err(EmbeddingError::OutOfBounds(_))), "the native score refuses");
    assert!(try_prove(&model, 0, &stats, &t, &salt).is_none(), "the circuit refuses");
}

/// Just past the bounds, the circuit has no proof, as the native functions refuse: `2^15` voiced frames (the
/// circuit admitted it before, review finding R4), and a template value of `2^15 + 1` or `-2^15 - 1` (the
/// circuit admitted up to `2^16`).
#[test]
fn circuit_refuses_just_past_the_bounds() {
    let model = Model::default_model();
    let salt = [F::ZERO; 4];
    let stats = stats_of("flite_rms_4.wav", &model);
    let t = edge_template(&model);
    for good in [t, t.map(|v| -v)] {
        assert!(try_prove(&model, 0, &stats, &good, &salt).is_some(), "the edges themselves are proven");
    }
    for edge in [(1 << 15) + 1, -(1 << 15) - 1] {
        let mut bad = t;
        bad[0] = edge;
        assert!(try_prove(&model, 0, &stats, &bad, &salt).is_none(), "template value {edge} accepted");
    }
    let mut many = PooledStats { count: 1 << COUNT_BITS, ..Default::default() };
    for n in 0..NUM_STAT_VALUES {
        many.sum[n] = (n as i64 + 1) << 30;
        many.sum_sq[n] = 1 << 50;
    }
    assert!(features(&many).is_err(), "the native functions refuse 2^14 voiced frames");
    assert!(try_prove(&model, 0, &many, &t, &salt).is_none(), "2^14 voiced frames accepted");
    // A mean square regression delta of 2^49 (one frame), and a sum of 2^62.
    for (count, sum_dsq) in [(1, 1i64 << DELTA_MEAN_SQ_BITS), (1 << 13, 1i64 << SUM_SQ_BITS)] {
        // Zero sums otherwise: only the regression deltas are out of bounds.
        let mut wild = PooledStats { count, ..Default::default() };
        wild.sum_dsq[11] = sum_dsq;
        let mut tame = wild;
        tame.sum_dsq[11] = 0;
        assert!(features(&tame).is_ok(), "the same statistics with sum_dsq 0 have an embedding");
        assert!(features(&wild).is_err(), "the native functions refuse sum_dsq {sum_dsq} over {count} frames");
        assert!(try_prove(&model, 0, &wild, &t, &salt).is_none(), "sum_dsq {sum_dsq} over {count} frames accepted");
    }
}

/// A projected value must stay in `[-2^24, 2^24)`, as the standardised ones: a projection summing two
/// standardised values near the bound leaves it, and neither the native embedding nor the circuit has one; the
/// same statistics without that row are proven.
#[test]
fn circuit_refuses_a_projection_past_the_bound() {
    let mut model = Model { calibration: None, ..Model::default_model() };
    let mut w: Vec<Vec<i64>> =
        (0..EMBED_DIM).map(|j| (0..EMBED_DIM).map(|d| if d == j { MAX_PROJECTION } else { 0 }).collect()).collect();
    model.embedding.projection_q16 = Some(w.clone());
    // One voiced frame whose c1 and c2 standardise to just under 2^23 each (center 0, scale 2^16: z = x).
    model.embedding.center_q12 = vec![0; EMBED_DIM];
    model.embedding.scale = vec![1 << 16; EMBED_DIM];
    let mut stats = PooledStats { count: 1, ..Default::default() };
    let near = (1i64 << (Z_BITS - 1)) - 5;
    stats.sum[1] = near << 12;
    stats.sum[2] = near << 12;
    stats.sum_sq[1] = near * near;
    stats.sum_sq[2] = near * near;
    let t: Embedding = std::array::from_fn(|d| if d < 2 { 1 << 14 } else { 0 });
    let salt = [F::ZERO; 4];
    assert!(model.embed(&stats).is_ok());
    assert!(try_prove(&model, 0, &stats, &t, &salt).is_some(), "the identity projection is proven");
    // Row 0 becomes 2 z_0 + 2 z_1 (both entries at most 2^16 in Q16 means at most 1.0: use two rows' worth).
    w[0] = (0..EMBED_DIM).map(|d| if d < 2 { MAX_PROJECTION } else { 0 }).collect();
    w[1] = w[0].clone();
    model.embedding.projection_q16 = Some(w);
    let mut big = stats;
    let over = (1i64 << (Z_BITS - 1)) + 5;
    big.sum[1] = over << 12;
    big.sum[2] = over << 12;
    big.sum_sq[1] = over * over;
    big.sum_sq[2] = over * over;
    assert!(matches!(model.embed(&big), Err(EmbeddingError::OutOfBounds(_))), "native refuses y >= 2^24");
    assert!(try_prove(&model, 0, &big, &t, &salt).is_none(), "the circuit refuses y >= 2^24");
    assert!(model.embed(&stats).is_ok(), "just under: 2 (2^23 - 5) < 2^24");
    assert!(try_prove(&model, 0, &stats, &t, &salt).is_some(), "and proven");
}
