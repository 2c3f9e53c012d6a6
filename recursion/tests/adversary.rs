//! Attacks on the root rules (`recursion::combine::root_checks`, shared by the ladder root and the tree's
//! top fold): the public values of chunks forged with `stark_frames::chunk::forge` — values the chunk
//! STARK accepts (`stark-frames/tests/adversary.rs` shows it), since a chunk cannot know where the
//! recording ends — are refused by the root's constraints alone, and by the native check that names the
//! rule. The honest values of the same recording are accepted by both. The ladder test
//! (`tests/ladder.rs`) runs the invented-frames attack end to end through a real chunk proof and leaf; the
//! chunks of the other two attacks are proven and verified in `stark-frames/tests/adversary.rs`.

use std::borrow::{Borrow, BorrowMut};

use plonky2::field::types::Field;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use recursion::combine::root_checks;
use recursion::guard::prove_checked;
use recursion::rules::check_root;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::public::{ChunkPublicInputs, NUM_PUBLIC_INPUTS};
use stark_frames::chunk::trace::{ChunkTrace, RecordingCounts};
use stark_frames::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24;
use stark_frames::Audio;

/// The ladder's maximum at its smallest rung: 256 hops (2.56 s).
const MAX_HOPS: usize = 256;
const ROWS: usize = 256;

fn speech(name: &str) -> Vec<i16> {
    let path = format!("{}/../fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    Audio::load(&path).expect("fixture").samples().to_vec()
}

/// A circuit applying only the root checks to public values given as its witness.
struct RootRules {
    data: CircuitData<F, C, D>,
    values: Vec<Target>,
}

impl RootRules {
    fn build() -> Self {
        let mut b = CircuitBuilder::<F, D>::new(CircuitConfig::standard_recursion_config());
        let values = b.add_virtual_targets(NUM_PUBLIC_INPUTS);
        let pis: &ChunkPublicInputs<Target> = values[..].borrow();
        root_checks(&mut b, pis, MAX_HOPS);
        Self { data: b.build::<C>(), values }
    }

    /// Whether a proof of the root rules over these public values exists (is made and verifies).
    fn accepts(&self, public_inputs: &[F]) -> bool {
        let mut pw = PartialWitness::new();
        for (&t, &v) in self.values.iter().zip(public_inputs) {
            pw.set_target(t, v).expect("fresh witness");
        }
        prove_checked(&self.data, pw, "witness generation failed").is_ok()
    }
}

/// Public values of a forged chunk of 256 frames (the first chunk of a recording) stating `claims`.
fn forged(rows_audio: &[i16], claims: &RecordingCounts) -> Vec<F> {
    ChunkTrace::<F>::generate_claiming(rows_audio, claims, 0, ROWS, ROWS, DEFAULT_VOICING_THRESHOLD_Q24).public_inputs
}

#[test]
fn forged_recording_counts_are_refused_by_the_root() {
    let rules = RootRules::build();
    let impostor = &speech("flite_kal_1.wav")[..16_000];
    let honest = ChunkTrace::<F>::generate(impostor, 0, ROWS, ROWS).public_inputs;
    assert!(rules.accepts(&honest), "the honest chunk of a 1 s recording");
    check_root(honest[..].borrow(), MAX_HOPS).expect("honest values keep the native rules");
    let counts = RecordingCounts::of(impostor.len()).unwrap();

    // The attacks of stark-frames/tests/adversary.rs, whose chunk proofs verify there.
    let mut rows_audio = impostor.to_vec();
    rows_audio.extend_from_slice(&speech("flite_awb_1.wav"));
    let attacks: Vec<(&str, Vec<F>)> = vec![
        ("frames invented after the end", forged(&rows_audio, &RecordingCounts { num_frames: 257, ..counts })),
        (
            "no hop (N free, no digest)",
            forged(impostor, &RecordingCounts { num_samples: 48_000, num_frames: 299, num_hops: 0 }),
        ),
        (
            "fewer than 400 samples",
            forged(&impostor[..300], &RecordingCounts { num_samples: 300, num_frames: 1, num_hops: 2 }),
        ),
    ];
    // Public values edited one at a time: every count must be the one N defines.
    type Edit = fn(&mut ChunkPublicInputs<F>);
    let edits: [(&str, Edit); 7] = [
        ("one frame more", |p| p.num_frames += F::ONE),
        ("one frame fewer", |p| p.num_frames -= F::ONE),
        ("one hop more", |p| p.num_hops += F::ONE),
        ("one hop fewer", |p| p.num_hops -= F::ONE),
        ("H = 0", |p| p.num_hops = F::ZERO),
        ("more hops than the maximum", |p| p.num_hops = F::from_canonical_usize(MAX_HOPS + 1)),
        ("160 samples more", |p| p.num_samples += F::from_canonical_u64(160)),
    ];
    let edited = edits.iter().map(|&(name, edit)| {
        let mut v = honest.clone();
        edit(v[..].borrow_mut());
        (name, v)
    });
    for (name, values) in attacks.into_iter().chain(edited) {
        let native = check_root(values[..].borrow(), MAX_HOPS);
        assert!(native.is_err(), "{name}: the native rules accept it");
        println!("{name}: {}", native.unwrap_err());
        assert!(!rules.accepts(&values), "{name}: the root circuit accepts it");
    }
}

#[test]
fn every_length_the_root_allows_is_the_one_n_defines() {
    // Natively, every length up to past the maximum: the honest counts pass (when they fit), their neighbours fail.
    for n in 400..=160 * MAX_HOPS + 400 {
        let counts = RecordingCounts::of(n).unwrap();
        let mut values = vec![F::ZERO; NUM_PUBLIC_INPUTS];
        let p: &mut ChunkPublicInputs<F> = values[..].borrow_mut();
        p.num_samples = F::from_canonical_usize(n);
        p.head[0] = F::from_canonical_u64(1 << 15);
        for (df, dh) in [(0i64, 0i64), (1, 0), (-1, 0), (0, 1), (0, -1)] {
            p.num_frames = F::from_noncanonical_i64(counts.num_frames as i64 + df);
            p.num_hops = F::from_noncanonical_i64(counts.num_hops as i64 + dh);
            let want = (df, dh) == (0, 0) && counts.num_hops <= MAX_HOPS;
            assert_eq!(check_root(p, MAX_HOPS).is_ok(), want, "N = {n}, frames {df:+}, hops {dh:+}");
        }
    }
    // In the circuit, the lengths around the first frame and hop boundaries and the maximum.
    let rules = RootRules::build();
    for n in [400usize, 401, 480, 481, 560, 561, 640, 641, 720, 16_000, 16_001, 40_800, 40_960, 40_961] {
        let counts = RecordingCounts::of(n).unwrap();
        let mut values = vec![F::ZERO; NUM_PUBLIC_INPUTS];
        {
            let p: &mut ChunkPublicInputs<F> = values[..].borrow_mut();
            p.num_samples = F::from_canonical_usize(n);
            p.num_frames = F::from_canonical_usize(counts.num_frames);
            p.num_hops = F::from_canonical_usize(counts.num_hops);
            p.head[0] = F::from_canonical_u64(1 << 15);
        }
        let fits = counts.num_hops <= MAX_HOPS;
        assert_eq!(rules.accepts(&values), fits, "N = {n}");
        assert_eq!(check_root(values[..].borrow(), MAX_HOPS).is_ok(), fits, "N = {n} (native)");
        for (df, dh) in [(1i64, 0i64), (-1, 0), (0, 1), (0, -1)] {
            let mut v = values.clone();
            let p: &mut ChunkPublicInputs<F> = v[..].borrow_mut();
            p.num_frames += F::from_noncanonical_i64(df);
            p.num_hops += F::from_noncanonical_i64(dh);
            assert!(!rules.accepts(&v), "N = {n} with frames {df:+}, hops {dh:+}");
        }
    }
}

/// Chunk boundaries: packed three samples to an element (`a + 2^16 b + 2^32 c`, the layout before the review),
/// a chunk whose unchecked tail cells hold `(x + 2^16, y - 1, z)` would have stated the same tail as the honest
/// `(x, y, z)` and matched the next chunk's range-checked head. One sample per element, the fold's rule
/// `tail(c) = head(c + 1)` refuses it.
#[test]
fn boundary_collisions_are_refused_by_the_fold() {
    use recursion::fold::FoldRole;
    use recursion::rules::check_children;
    let audio = speech("flite_awb_2.wav");
    let k = 64;
    let first = ChunkTrace::<F>::generate(&audio, 0, k, ROWS).public_inputs;
    let second = ChunkTrace::<F>::generate(&audio, k, k, ROWS).public_inputs;
    let pair = |a: &[F]| -> Result<(), _> { check_children(&[a.borrow(), second[..].borrow()], 2, k, FoldRole::Inner) };
    pair(&first).expect("the honest chunks chain");
    let mut forged = first.clone();
    {
        let p: &mut ChunkPublicInputs<F> = forged[..].borrow_mut();
        // Tail elements 3, 4, 5: samples 162, 163, 164 of the last frame, which chunk 0 does not absorb.
        p.tail[3] += F::from_canonical_u64(1 << 16);
        p.tail[4] -= F::ONE;
    }
    let packed = |v: &[F]| -> F {
        let p: &ChunkPublicInputs<F> = v.borrow();
        p.tail[3] + p.tail[4] * F::from_canonical_u64(1 << 16) + p.tail[5] * F::from_canonical_u64(1 << 32)
    };
    assert_eq!(packed(&forged), packed(&first), "packed three to an element, the forgery matches");
    assert!(pair(&forged).is_err(), "one sample per element, the fold refuses it");
}

/// The regression deltas' hand-over (issue 16): a chunk cannot check what the previous chunk hands it, so a
/// forger may state another `delta_in` (here: the previous chunk's last frame stated unvoiced, so its term is
/// dropped, or a register invented before the recording's first frame) and the chunk STARK accepts the
/// re-derived trace. The fold's rule `delta_out(c) = delta_in(c + 1)` and the root's `delta_has_prev = 0`
/// refuse them.
#[test]
fn forged_delta_hand_overs_are_refused_by_the_fold_and_the_root() {
    use recursion::fold::FoldRole;
    use recursion::rules::check_children;
    use stark_frames::chunk::check::violations;
    use stark_frames::chunk::forge::Forgery;
    use stark_frames::chunk::public::DeltaLink;
    use stark_frames::chunk::stark::ChunkStark;
    let audio = speech("flite_awb_2.wav");
    let k = 64;
    let t = DEFAULT_VOICING_THRESHOLD_Q24;
    let stark = ChunkStark::<F, D>::new(k);
    let first = ChunkTrace::<F>::generate(&audio, 0, k, ROWS).public_inputs;
    let second = ChunkTrace::<F>::generate(&audio, k, k, ROWS).public_inputs;
    let pair = |a: &[F], b: &[F]| check_children(&[a.borrow(), b.borrow()], 2, k, FoldRole::Inner);
    pair(&first, &second).expect("the honest chunks chain");
    let handed: DeltaLink<F> = Borrow::<ChunkPublicInputs<F>>::borrow(&first[..]).delta_out;
    assert_eq!(handed.weight, [F::ONE; 2], "chunk 0's last two frames are voiced: their terms are open");

    // Chunk 1 drops the open term of chunk 0's last frame: its STARK accepts the trace, the fold refuses it.
    let mut dropped = Forgery::honest(&audio, k, k, ROWS, t);
    dropped.set_delta_start(F::ONE, DeltaLink { weight: [F::ZERO, F::ONE], ..handed });
    let dropped = dropped.finish();
    assert!(violations(&stark, &dropped.rows, &dropped.public_inputs, 3).is_empty(), "the STARK accepts");
    let (d, h): (&ChunkPublicInputs<F>, &ChunkPublicInputs<F>) =
        (dropped.public_inputs[..].borrow(), second[..].borrow());
    assert_ne!(d.delta_sum_dsq, h.delta_sum_dsq, "dropping the term changes the sums");
    let rule = pair(&first, &dropped.public_inputs).expect_err("the fold refuses a dropped hand-over");
    assert!(rule.rule.contains("regression deltas"), "{rule}");
    // Chunk 1 states that its first frame has no previous one.
    let mut orphan = Forgery::honest(&audio, k, k, ROWS, t);
    orphan.set_delta_start(F::ZERO, handed);
    let orphan = orphan.finish();
    assert!(violations(&stark, &orphan.rows, &orphan.public_inputs, 3).is_empty(), "the STARK accepts");
    pair(&first, &orphan.public_inputs).expect_err("the fold refuses a follower without a previous frame");

    // Chunk 0 invents frames before the recording's first: a register of other quotients, with open terms or not.
    let rules = RootRules::build();
    let honest_root = ChunkTrace::<F>::generate(&audio, 0, ROWS, ROWS).public_inputs;
    assert!(rules.accepts(&honest_root) && check_root(honest_root[..].borrow(), MAX_HOPS).is_ok());
    let invented = DeltaLink { weight: [F::ZERO; 2], e: [[F::from_canonical_u64(7); 39]; 4] };
    for weight in [[F::ZERO, F::ZERO], [F::ONE, F::ZERO], [F::ONE, F::ONE]] {
        let mut f = Forgery::honest(&audio, 0, ROWS, ROWS, t);
        f.set_delta_start(F::ONE, DeltaLink { weight, ..invented });
        let f = f.finish();
        let stark = ChunkStark::<F, D>::new(ROWS);
        assert!(violations(&stark, &f.rows, &f.public_inputs, 3).is_empty(), "the STARK accepts");
        assert!(!rules.accepts(&f.public_inputs), "the root circuit refuses an invented previous frame");
        assert!(check_root(f.public_inputs[..].borrow(), MAX_HOPS).is_err(), "the native root rule too");
    }
}
