//! Chunk proofs as files: round trip, verification, and clean rejection of
//! corrupted, truncated and foreign bytes.

mod common;

use stark_frames::chunk::config::chunk_count;
use stark_frames::chunk::file::VerifyError;
use stark_frames::chunk::file::{FORMAT_VERSION, HEADER_LEN};
use stark_frames::chunk::forge::non_canonical_tail;
use stark_frames::chunk::prover::{prove_chunk, ChunkProof, ProveError};

#[test]
fn proof_file_round_trip_and_rejections() {
    let audio = common::load(&common::fixtures().join("speech/espeak_gb_m3_2.wav"));
    let n = audio.len();
    let last = chunk_count(n, 64) - 1;
    let proof = prove_chunk(audio.samples(), 64, last).expect("prove");
    let bytes = proof.to_bytes();
    println!("chunk proof: {} bytes", bytes.len());
    let parsed = ChunkProof::from_bytes(&bytes).expect("parse");
    parsed.verify().expect("verifies");
    let values = parsed.public_values();
    assert_eq!(values.num_samples, n as u64);
    assert_eq!(values.first_frame, 64 * last);
    assert_eq!(values.h_audio, Some(stark_frames::commitment::commit_audio(audio.samples()).to_string()));

    // Truncated files and garbage fail to parse; flipped bytes fail to parse or verify.
    assert!(matches!(ChunkProof::from_bytes(&bytes[..bytes.len() / 2]), Err(VerifyError::Corrupt(_))));
    assert!(matches!(ChunkProof::from_bytes(b"hello world, not a proof"), Err(VerifyError::Magic)));
    let mut longer = bytes.clone();
    longer.extend_from_slice(b"extra");
    let r = ChunkProof::from_bytes(&longer);
    assert!(matches!(r, Err(VerifyError::Corrupt(_))), "trailing bytes accepted: {:?}", r.as_ref().err());
    // Strictness, one deviation at a time: bytes after the encoding that the announced length covers, a
    // field element written as x + p, another version, an unsupported chunk size in the header.
    let mut inside = longer.clone();
    inside[16..24].copy_from_slice(&((longer.len() - HEADER_LEN) as u64).to_le_bytes());
    let r = ChunkProof::from_bytes(&inside);
    assert!(matches!(r, Err(VerifyError::Corrupt(ref m)) if m.contains("after the end")), "{:?}", r.err());
    let second = non_canonical_tail(&bytes).expect("a small public input");
    let r = ChunkProof::from_bytes(&second);
    assert!(matches!(r, Err(VerifyError::Corrupt(ref m)) if m.contains("not canonical")), "{:?}", r.err());
    let mut version = bytes.clone();
    version[8..12].copy_from_slice(&(FORMAT_VERSION + 1).to_le_bytes());
    assert!(matches!(ChunkProof::from_bytes(&version), Err(VerifyError::Version(v)) if v == FORMAT_VERSION + 1));
    let mut size = bytes.clone();
    size[12..16].copy_from_slice(&4097u32.to_le_bytes());
    assert!(matches!(ChunkProof::from_bytes(&size), Err(VerifyError::ChunkSize(4097))));
    for at in [40, bytes.len() / 3, bytes.len() - 100] {
        let mut bad = bytes.clone();
        bad[at] ^= 0x5a;
        let outcome = ChunkProof::from_bytes(&bad).and_then(|p| p.verify());
        assert!(outcome.is_err(), "a flipped byte at {at} was accepted");
    }
}

#[test]
fn unsupported_requests_are_refused() {
    let audio = common::load(&common::fixtures().join("malformed/one_frame.wav"));
    assert!(matches!(prove_chunk(audio.samples(), 0, 0), Err(ProveError::ChunkSize(0))));
    assert!(matches!(prove_chunk(audio.samples(), 1 << 17, 0), Err(ProveError::ChunkSize(_))));
    assert!(matches!(prove_chunk(audio.samples(), 4097, 0), Err(ProveError::ChunkSize(4097))));
    assert!(stark_frames::chunk::config::supported_chunk_size(4096));
    assert!(matches!(prove_chunk(audio.samples(), 64, 1), Err(ProveError::NoSuchChunk { .. })));
    let p = prove_chunk(audio.samples(), 64, 0).expect("one-frame recording proves");
    p.verify().expect("verifies");
    let p = prove_chunk(audio.samples(), 16, 0).expect("chunks of 16 frames prove");
    p.verify().expect("verifies");
}

#[test]
fn layout_sizes() {
    use stark_frames::chunk::config::{chunk_config, D, F};
    use stark_frames::chunk::stark::ChunkStark;
    use starky::stark::Stark;
    let s = ChunkStark::<F, D>::new(64);
    println!(
        "columns {} helpers {} public inputs {}",
        <ChunkStark<F, D> as Stark<F, D>>::COLUMNS,
        s.num_lookup_helper_columns(&chunk_config()),
        stark_frames::chunk::public::NUM_PUBLIC_INPUTS
    );
    // first frame, N, F, H; sponge in and out, digest; head and tail of 241 samples each; threshold; statistics;
    // the regression deltas' sums, has-previous flag, and registers in and out (two weights, four frames' 39
    // delta quotients); nonce.
    assert_eq!(
        stark_frames::chunk::public::NUM_PUBLIC_INPUTS,
        4 + 3 * 4 + 2 * 241 + 1 + (39 + 39 + 1) + (39 + 1 + 2 * (2 + 4 * 39)) + 4
    );
}

#[test]
fn another_voicing_threshold_is_proven_and_stated() {
    use stark_frames::chunk::prover::prove_chunk_with_threshold;
    use stark_frames::fixed::pooled::{pooled_stats, DEFAULT_VOICING_THRESHOLD_Q24};
    let audio = common::load(&common::fixtures().join("speech/flite_kal_1.wav"));
    let reference = stark_frames::fixed::frame_values(audio.samples());
    let threshold = DEFAULT_VOICING_THRESHOLD_Q24 + (3 << 23); // 10.5 instead of 9
    let want = pooled_stats(&reference, threshold);
    let default = pooled_stats(&reference, DEFAULT_VOICING_THRESHOLD_Q24);
    assert!(want.count > 0 && want.count < default.count, "the threshold changes the voiced frames");
    let proof = prove_chunk_with_threshold(audio.samples(), 256, 0, threshold).expect("prove");
    ChunkProof::from_bytes(&proof.to_bytes()).expect("parse").verify().expect("verifies");
    let values = proof.public_values();
    assert_eq!(values.voicing_threshold_q24, threshold);
    assert_eq!(values.pooled_stats(), want);
}

/// A chunk proof is bound to its session nonce: it states the nonce, and the same proof with any nonce
/// element changed does not verify (the nonce is absorbed into the transcript before the trace commitment).
#[test]
fn a_chunk_proof_is_bound_to_its_nonce() {
    use plonky2::field::types::Field;
    use stark_frames::chunk::config::F;
    use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding};
    use stark_frames::chunk::public::{NONCE_ELEMENTS, NUM_PUBLIC_INPUTS};
    let audio = common::load(&common::fixtures().join("speech/flite_kal_1.wav"));
    let nonce = [0x1234_5678_9abc_def0, 1, 2, 3].map(F::from_canonical_u64);
    let proof = prove_chunk_bound(audio.samples(), 256, 0, &ChunkBinding::default().with_nonce(nonce)).expect("prove");
    let read = ChunkProof::from_bytes(&proof.to_bytes()).expect("parse");
    read.verify().expect("verifies");
    assert_eq!(read.public_values().nonce, format!("123456789abcdef0{:016x}{:016x}{:016x}", 1, 2, 3));
    for e in 0..NONCE_ELEMENTS {
        let mut other = read.clone();
        other.proof.public_inputs[NUM_PUBLIC_INPUTS - NONCE_ELEMENTS + e] += F::ONE;
        assert!(other.verify().is_err(), "nonce element {e} changed, the chunk proof still verifies");
    }
}
