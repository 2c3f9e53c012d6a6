//! The decision gadgets equal the native integer computation: on the fixtures' statistics, on statistics near
//! the circuit's bounds, and for decisions one unit either side of the threshold.

use decision::circuit::{decide, template_commitment, unit_embedding, StatsTargets};
use decision::embedding::{features, unit, Embedding, EmbeddingError, EMBED_DIM, MAX_PROJECTION, Z_BITS};
use decision::model::Model;
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
use stark_frames::Audio;

type C = PoseidonGoldilocksConfig;
const D: usize = 2;

fn el(v: i64) -> F {
    F::from_noncanonical_i64(v)
}

fn stats_of(name: &str, model: &Model) -> PooledStats {
    let path = format!("{}/../fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    let audio = Audio::load(path).unwrap();
    pooled_stats(&stark_frames::fixed::mfcc(audio.samples()), model.embedding.voicing_threshold_q24)
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
    let s = StatsTargets {
        sum: std::array::from_fn(|_| b.add_virtual_target()),
        sum_sq: std::array::from_fn(|_| b.add_virtual_target()),
        count: b.add_virtual_target(),
    };
    let tt: [Target; EMBED_DIM] = std::array::from_fn(|_| b.add_virtual_target());
    let st: [Target; 4] = std::array::from_fn(|_| b.add_virtual_target());
    let u = unit_embedding(&mut b, &s, model);
    let (score, accept) = decide(&mut b, &u, &tt, threshold_q30);
    let h = template_commitment(&mut b, &tt, &st);
    b.register_public_inputs(&u);
    b.register_public_input(score);
    b.register_public_input(accept.target);
    b.register_public_inputs(&h.elements);
    let data = b.build::<C>();
    let mut pw = PartialWitness::new();
    for n in 0..13 {
        pw.set_target(s.sum[n], el(stats.sum[n])).unwrap();
        pw.set_target(s.sum_sq[n], el(stats.sum_sq[n])).unwrap();
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

/// The default model (with its whitening projection) and the same without a projection.
fn models() -> [Model; 2] {
    let with = Model::default_model();
    assert!(with.projection().is_some(), "the default model projects");
    let mut without = with.clone();
    without.embedding.projection_q16 = None;
    [with, without]
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
        let score = score_q30(&u, &t);
        // The model's threshold, and thresholds exactly at the score and one above it.
        for (threshold, want) in
            [(model.threshold_q30, score >= model.threshold_q30), (score, true), (score + 1, false)]
        {
            let (u_c, score_c, accept_c, h_c) = prove(&model, threshold, &stats, &t, &salt);
            assert_eq!(u_c, u.to_vec(), "{name}: unit embedding");
            assert_eq!(score_c, score, "{name}: score");
            assert_eq!(accept_c, want, "{name}: decision at threshold {threshold}");
            assert_eq!(h_c, h_template(&t, &salt).to_vec(), "h_template");
        }
    }
}

#[test]
fn circuit_equals_native_near_the_bounds() {
    for model in models() {
        equal_near_the_bounds(&model);
    }
}

fn equal_near_the_bounds(model: &Model) {
    let model = model.clone();
    let t: Embedding = std::array::from_fn(|d| if d % 2 == 0 { 1 << 15 } else { -(1 << 15) });
    let salt = [F::ZERO; 4];
    // One voiced frame; 2^15 - 1 frames with large sums; negative sums; a variance that rounds negative.
    let mut cases = Vec::new();
    let mut s = PooledStats { count: 1, ..Default::default() };
    s.sum[0] = 9 << 24;
    s.sum[5] = -(7 << 24);
    s.sum_sq[0] = 81 << 24;
    s.sum_sq[5] = 49 << 24;
    cases.push(s);
    let mut s = PooledStats { count: (1 << 15) - 1, ..Default::default() };
    for n in 0..13 {
        s.sum[n] = ((n as i64 - 6) * 30 + 1) * (1 << 24) * ((1 << 15) - 1) / 2;
        s.sum_sq[n] = ((1i64 << 46) - 12345) * 2;
    }
    cases.push(s);
    let mut s = PooledStats { count: 3, ..Default::default() };
    for n in 0..13 {
        s.sum[n] = -(n as i64 + 1) * 3 * (1 << 24) - 7;
        s.sum_sq[n] = 0;
    }
    cases.push(s);
    for stats in cases {
        let u = native_unit(&stats, &model);
        let score = score_q30(&u, &t);
        let (u_c, score_c, accept_c, _) = prove(&model, score, &stats, &t, &salt);
        assert_eq!(u_c, u.to_vec());
        assert_eq!(score_c, score);
        assert!(accept_c);
    }
}

/// Just past the bounds, the circuit has no proof, as the native functions refuse: `2^15` voiced frames (the
/// circuit admitted it before, review finding R4), and a template value of `2^15 + 1` or `-2^15 - 1` (the
/// circuit admitted up to `2^16`).
#[test]
fn circuit_refuses_just_past_the_bounds() {
    let model = Model::default_model();
    let salt = [F::ZERO; 4];
    let stats = stats_of("flite_rms_4.wav", &model);
    let t: Embedding = std::array::from_fn(|d| if d % 2 == 0 { 1 << 15 } else { -(1 << 15) });
    assert!(try_prove(&model, 0, &stats, &t, &salt).is_some(), "the edges themselves are proven");
    for edge in [(1 << 15) + 1, -(1 << 15) - 1] {
        let mut bad = t;
        bad[3] = edge;
        assert!(try_prove(&model, 0, &stats, &bad, &salt).is_none(), "template value {edge} accepted");
    }
    let mut many = PooledStats { count: 1 << 15, ..Default::default() };
    for n in 0..13 {
        many.sum[n] = (n as i64 + 1) << 30;
        many.sum_sq[n] = 1 << 50;
    }
    assert!(features(&many).is_err(), "the native functions refuse 2^15 voiced frames");
    assert!(try_prove(&model, 0, &many, &t, &salt).is_none(), "2^15 voiced frames accepted");
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
