//! Attacks on the chunk STARK, built with the forging toolkit (`stark_frames::chunk::forge`): each freedom
//! that `docs/SECURITY.md` lists for the chunk AIR is tried as a consistent alternative witness, and each
//! attack fails for the reason stated there: one named constraint on one row, a value with no range-checked
//! witness, or (for the recording counts, which a chunk alone cannot pin) a rule of the root, shown in
//! `recursion/tests/adversary.rs` with the same forged public values.

mod common;

use std::borrow::Borrow;

use plonky2::field::types::{Field, PrimeField64};
use plonky2::plonk::config::{GenericConfig, PoseidonGoldilocksConfig};
use stark_frames::chunk::check::{read_mfcc, violations};
use stark_frames::chunk::columns::{FrameRow, NUM_LOGS};
use stark_frames::chunk::forge::{ForgeError, Forgery};
use stark_frames::chunk::public::ChunkPublicInputs;
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::chunk::trace::{ChunkTrace, RecordingCounts};
use stark_frames::commitment::commit_audio;
use stark_frames::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24;

const D: usize = 2;
type C = PoseidonGoldilocksConfig;
type F = <C as GenericConfig<D>>::F;

const T: i64 = DEFAULT_VOICING_THRESHOLD_Q24;

fn speech(name: &str) -> Vec<i16> {
    common::load(&common::fixtures().join("speech").join(name)).samples().to_vec()
}

fn pis(trace: &ChunkTrace<F>) -> &ChunkPublicInputs<F> {
    trace.public_inputs[..].borrow()
}

/// The log exponent: of the 64 values six bits can hold, only the true leading-bit position and 63 (where
/// `2^(L+1) = 2^64` wraps to `2^32 - 1` and `norm = 2^-4 mod p`) have witnesses in range; the wrapped one
/// raises the log by `(63 - L) ln 2` and changes the statistics, and `L <= 59` (`b2 b3 b4 b5 = 0`) is the
/// one constraint that refuses it.
#[test]
fn wrapped_log_exponent_is_refused_by_the_exponent_bound() {
    let audio = speech("flite_awb_2.wav");
    let stark = ChunkStark::<F, D>::new(64);
    let honest = Forgery::<F>::honest(&audio, 40, 64, stark.height(), T);
    // A real, voiced frame with an energy m = 15 mod 16 and m < 2^32 - 1.
    let (row, j, m) = (0..64)
        .flat_map(|r| (0..NUM_LOGS).map(move |j| (r, j)))
        .map(|(r, j)| (r, j, honest.energy(r, j)))
        .find(|&(r, _, m)| {
            let c: &FrameRow<F> = honest.trace().rows[r][..].borrow();
            m % 16 == 15 && m < (1 << 32) - 1 && c.voicing.weight.to_canonical_u64() == 1
        })
        .expect("a voiced frame with such an energy");
    let true_bit = 63 - m.leading_zeros();
    let honest_mfcc = read_mfcc(&honest.trace().rows[row]);
    let honest_stats = pis(honest.trace()).stats;

    // Every other exponent has no witness in range.
    let mut scratch = Forgery::<F>::honest(&audio, 40, 64, stark.height(), T);
    for bit in (0..63).filter(|&b| b != true_bit) {
        let outcome = scratch.set_log_exponent(row, j, bit);
        assert!(matches!(outcome, Err(ForgeError::OutOfRange { .. })), "exponent {bit} of m = {m}: {outcome:?}");
    }

    let mut forged = Forgery::<F>::honest(&audio, 40, 64, stark.height(), T);
    forged.set_log_exponent(row, j, 63).expect("the wrapped exponent has a witness in range");
    let trace = forged.finish();
    let forged_mfcc = read_mfcc(&trace.rows[row]);
    assert_ne!(forged_mfcc, honest_mfcc, "the forged log changes the cepstra");
    assert_ne!(pis(&trace).stats, honest_stats, "and the pooled statistics");
    println!("log {j} of row {row}: m = {m}, L = {true_bit} forged to 63; c = {honest_mfcc:?} -> {forged_mfcc:?}");

    let bad = violations(&stark, &trace.rows, &trace.public_inputs, 10);
    assert_eq!(bad.len(), 1, "only the exponent bound refuses the forgery: {bad:?}");
    assert_eq!(bad[0].row, row);
    let public_inputs = trace.public_inputs.clone();
    assert!(!common::proves_and_verifies(stark, trace, public_inputs), "a wrapped log exponent was proven");
}

/// The voicing flag: a frame's flag cannot contradict its `c0`, because the distance to the threshold
/// would be negative and has no 32-bit witness.
#[test]
fn voicing_flag_cannot_contradict_c0() {
    let audio = speech("flite_slt_1.wav");
    let stark = ChunkStark::<F, D>::new(64);
    let mut forgery = Forgery::<F>::honest(&audio, 0, 64, stark.height(), T);
    let voiced: Vec<bool> = (0..64)
        .map(|r| {
            let c: &FrameRow<F> = forgery.trace().rows[r][..].borrow();
            c.voicing.voiced.to_canonical_u64() == 1
        })
        .collect();
    let on = voiced.iter().position(|&v| v).expect("a voiced frame");
    let off = voiced.iter().position(|&v| !v).expect("an unvoiced frame");
    for (row, flag) in [(on, false), (off, true)] {
        let outcome = forgery.set_voiced(row, flag);
        assert!(
            matches!(outcome, Err(ForgeError::OutOfRange { what: "voicing distance", .. })),
            "row {row} voiced = {flag}: {outcome:?}"
        );
    }
}

/// The claims of a recording that states one more frame than the chunk holds.
fn invented_frames_claims(n: usize, last_chunk_frame: usize) -> RecordingCounts {
    let honest = RecordingCounts::of(n).expect("one frame");
    RecordingCounts { num_frames: last_chunk_frame + 2, ..honest }
}

/// Frames invented after the end of the audio: a 1 s impostor recording (100 hops) in a chunk of 256
/// frames, stating 258 frames, with the target speaker's speech in the rows after the last hop. The rows
/// past hop 99 absorb nothing, so the digest is the honest `h_audio`, yet all 256 rows count as real
/// frames. Every constraint of the chunk holds: the chunk alone cannot know `F` (it never sees the end of
/// the recording), so the root pins `F` from `N` (`recursion/tests/adversary.rs` refuses these values).
#[test]
fn invented_frames_satisfy_the_chunk_and_are_left_to_the_root() {
    let impostor = &speech("flite_kal_1.wav")[..16_000];
    let target = speech("flite_awb_1.wav");
    let mut rows_audio = impostor.to_vec();
    rows_audio.extend_from_slice(&target);
    let stark = ChunkStark::<F, D>::new(256);
    let claims = invented_frames_claims(impostor.len(), 255);
    let forged = ChunkTrace::<F>::generate_claiming(&rows_audio, &claims, 0, 256, stark.height(), T);
    let honest = ChunkTrace::<F>::generate(impostor, 0, 256, stark.height());
    assert!(violations(&stark, &forged.rows, &forged.public_inputs, 3).is_empty(), "the chunk AIR accepts it");
    let (f, h) = (pis(&forged), pis(&honest));
    assert_eq!(f.digest, h.digest, "the forged chunk states the honest h_audio");
    assert_eq!(f.digest, commit_audio(impostor).0.map(|x| F::from_canonical_u64(x.to_canonical_u64())));
    assert!(f.stats.count.to_canonical_u64() > h.stats.count.to_canonical_u64() + 50, "invented voiced frames");
    assert_eq!(f.num_frames.to_canonical_u64(), 257);
}

/// A recording stating no hop: nothing is absorbed, the digest is 0, and `N` is free (here 3 s of a 1 s
/// recording). The chunk holds no hop-dependent row, so it accepts; the root requires `1 <= H` and
/// `H = ceil(N / 160)`.
#[test]
fn zero_hops_satisfy_the_chunk_and_are_left_to_the_root() {
    let audio = &speech("flite_rms_2.wav")[..16_000];
    let stark = ChunkStark::<F, D>::new(256);
    // 3 s stated (299 frames, past the chunk, so no row carries the end marker), no hop.
    let claims = RecordingCounts { num_samples: 48_000, num_frames: 299, num_hops: 0 };
    let forged = ChunkTrace::<F>::generate_claiming(audio, &claims, 0, 256, stark.height(), T);
    assert!(violations(&stark, &forged.rows, &forged.public_inputs, 3).is_empty(), "the chunk AIR accepts it");
    assert_eq!(pis(&forged).digest, [F::default(); 4], "no digest");
    let public_inputs = forged.public_inputs.clone();
    assert!(common::proves_and_verifies(stark, forged, public_inputs), "and its proof verifies (lookups included)");
}

/// A recording of 241 to 399 samples: the chunk's end marker accepts it as one frame (the AIR only knows
/// `241 <= N - 160 (F - 1) <= 400`); SPEC §3 refuses it, and so does the root (`N >= 400`).
#[test]
fn sub_frame_recording_satisfies_the_chunk_and_is_left_to_the_root() {
    let audio = &speech("flite_rms_2.wav")[4_000..4_300];
    assert!(RecordingCounts::of(audio.len()).is_none(), "the native pipeline refuses 300 samples");
    let stark = ChunkStark::<F, D>::new(64);
    let claims = RecordingCounts { num_samples: 300, num_frames: 1, num_hops: 2 };
    let forged = ChunkTrace::<F>::generate_claiming(audio, &claims, 0, 64, stark.height(), T);
    assert!(violations(&stark, &forged.rows, &forged.public_inputs, 3).is_empty(), "the chunk AIR accepts it");
    assert_ne!(pis(&forged).digest, [F::default(); 4]);
    let public_inputs = forged.public_inputs.clone();
    assert!(common::proves_and_verifies(stark, forged, public_inputs), "and its proof verifies (lookups included)");
}

/// Samples after the last frame in the last hop: when `H = F + 2` the hash absorbs the hop `F + 1`, whose
/// samples from `160 F + 240` on no real frame covers. A prover that puts anything there (here 80 samples
/// of speech) would commit to another `h_audio` for the same recording, with the same MFCCs; the rows
/// after the last frame must hold zeros from position 240 on, and only that constraint refuses it.
#[test]
fn padding_after_the_last_frame_is_zero() {
    let speech = speech("flite_slt_2.wav");
    let n = 481; // F = 2, H = 4: hop 3 spans samples 480..640, the last frame ends at 560.
    let claims = RecordingCounts::of(n).unwrap();
    assert_eq!((claims.num_frames, claims.num_hops), (2, 4));
    let mut rows_audio = speech[4_000..4_000 + n].to_vec();
    rows_audio.resize(560, 0);
    rows_audio.extend_from_slice(&speech[8_000..8_080]);
    let stark = ChunkStark::<F, D>::new(64);
    let forged = ChunkTrace::<F>::generate_claiming(&rows_audio, &claims, 0, 64, stark.height(), T);
    let honest = ChunkTrace::<F>::generate(&rows_audio[..n], 0, 64, stark.height());
    assert_ne!(pis(&forged).digest, pis(&honest).digest, "another h_audio for the same recording");
    for row in [0, 1] {
        assert_eq!(read_mfcc(&forged.rows[row]), read_mfcc(&honest.rows[row]), "same MFCCs");
    }
    let bad = violations(&stark, &forged.rows, &forged.public_inputs, 200);
    let nonzero = speech[8_000..8_080].iter().filter(|&&x| x != 0).count();
    assert_eq!(bad.len(), nonzero, "one violation per padding sample that is not zero: {bad:?}");
    assert!(bad.iter().all(|v| v.row == 2), "all on frame F = 2, positions 240..320: {bad:?}");
}

/// Chunk boundaries: a chunk range-checks only the samples it absorbs, so its last frame's
/// `samples[160..400]` are bounded only by being equal to the next chunk's (range-checked) head. Each
/// boundary element is one sample, so `tail(c) = head(c + 1)` is that equality in the field. Packed three
/// to an element (`a + 2^16 b + 2^32 c`), an unchecked `(2^16, -1, 0)` would have matched a head of
/// `(0, 0, 0)`.
#[test]
fn boundary_elements_are_single_samples() {
    use stark_frames::chunk::public::{boundary_layout, pack_boundary, BOUNDARY_ELEMENTS, BOUNDARY_SAMPLES};
    for tail in [false, true] {
        let layout = boundary_layout(tail);
        assert_eq!(layout.len(), BOUNDARY_SAMPLES);
        assert!(layout.iter().all(|e| e.len() == 1 && e[0].1 == 0), "one sample, unscaled, per element");
    }
    assert_eq!(BOUNDARY_ELEMENTS, BOUNDARY_SAMPLES);
    let mut samples = [0i16; BOUNDARY_SAMPLES];
    samples[5] = -32768;
    samples[6] = 32767;
    let packed = pack_boundary(&samples);
    assert_eq!((packed[5], packed[6], packed[7]), (0, 65_535, 32_768));
}
