//! The size ladder: recordings of two lengths, proven as one chunk each at two chunk sizes, verify against
//! one root key and state `h_audio` of their audio; the root refuses a chunk that does not hold every hop,
//! a chunk that does not start the recording, and a leaf proof checked against the key of another size.
//!
//! It also proves the loudest possible recording and a loud real one to the root, and runs the invented-frames
//! attack end to end. Slow (two leaf circuits, eight leaf proofs: about five minutes): one test.

use std::time::Instant;

use plonky2::iop::generator::generate_partial_witness;
use plonky2::util::timing::TimingTree;
use recursion::circuit::HasRoot;
use recursion::ladder::{LadderCircuits, LadderError};
use recursion::ladder_verify::LeafCheckError;
use recursion::progress::Progress;
use recursion::settings::{LadderSettings, SettingsError};
use stark_frames::chunk::config::{chunk_config, C, D, F};
use stark_frames::chunk::prover::{prove_chunk, ChunkBinding, ChunkProof};
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::chunk::trace::{ChunkTrace, RecordingCounts};
use stark_frames::chunk::values::ChunkPublicValues;
use stark_frames::commitment::commit_audio;
use stark_frames::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24;
use stark_frames::Audio;

fn fixture(name: &str) -> Vec<i16> {
    let path = format!("{}/../fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    Audio::load(&path).expect("fixture").samples().to_vec()
}

#[test]
fn one_root_key_for_every_chunk_size() {
    // At most 5 s: chunk sizes 256 and 512.
    let settings = LadderSettings { max_seconds: 5 };
    assert_eq!(settings.sizes(), vec![256, 512]);
    let mut quiet = |_: Progress| {};
    let t = Instant::now();
    let ladder = LadderCircuits::build(settings, &[256, 512], None, &mut quiet).expect("ladder circuits");
    println!("ladder built in {:.1?}; root circuit 2^{}", t.elapsed(), ladder.root().common.degree_bits());
    assert_ne!(ladder.leaf_digest(256), ladder.leaf_digest(512), "each size has its own leaf key");
    let key = ladder.root_verifier();

    // 3.00 s (300 hops: 512 frames), proven end to end.
    let mut three = fixture("flite_awb_1.wav");
    three.extend_from_slice(&fixture("flite_awb_2.wav")[..48_000 - three.len()]);
    let t = Instant::now();
    let proof = ladder.prove(&three, &ChunkBinding::default(), &mut quiet).expect("root proof");
    println!("3.00 s proven at K = {} in {:.1?}:", proof.frames_per_chunk, t.elapsed());
    for l in &proof.layers {
        println!("  {l:?}");
    }
    assert_eq!(proof.frames_per_chunk, 512);
    // 0.50 s (50 hops: 256 frames), layer by layer.
    let short = &three[..8_000];
    assert_eq!(settings.size_for(short.len()), Ok(256));
    let leaf = ladder.leaf(256).expect("kept");
    let short_leaf = leaf.prove(&prove_chunk(short, 256, 0).unwrap()).expect("leaf");
    let short_root = ladder.prove_root(&short_leaf, 256).expect("root of the short recording");
    for (audio, root) in [(&three[..], &proof.root), (short, &short_root)] {
        key.verify(root.plonky2().clone()).expect("the root verifies against the one key");
        let values = ChunkPublicValues::decode(&root.public_inputs, 256);
        assert_eq!(values.h_audio, Some(commit_audio(audio).to_string()), "the root states h_audio of the audio");
        assert_eq!((values.first_frame, values.num_samples), (0, audio.len() as u64));
        assert_eq!(values.num_hops, audio.len().div_ceil(160) as u64);
    }

    // The whole input domain: the loudest possible recording (1 s of alternating full-scale samples, frame
    // energy 2^53.9, scaled down by the block shift) and a loud real recording (a saturated voice,
    // fixtures/real), proven to the root and stating their h_audio.
    let loudest: Vec<i16> = (0..16_000).map(|i| if i % 2 == 0 { i16::MAX } else { i16::MIN }).collect();
    let real = Audio::load(format!("{}/../fixtures/real/klettres_ml_jheae_loudest.wav", env!("CARGO_MANIFEST_DIR")))
        .expect("real fixture")
        .samples()
        .to_vec();
    for audio in [&loudest, &real] {
        let t = Instant::now();
        let proof = ladder.prove(audio, &ChunkBinding::default(), &mut quiet).expect("a loud recording proves");
        println!("{:.2} s of loud audio proven to the root in {:.1?}", audio.len() as f64 / 16_000.0, t.elapsed());
        key.verify(proof.root.plonky2().clone()).expect("and verifies");
        let values = ChunkPublicValues::decode(&proof.root.public_inputs, proof.frames_per_chunk);
        assert_eq!(values.h_audio, Some(commit_audio(audio).to_string()));
    }

    // Too long for the ladder: refused before any proving.
    let long = vec![0i16; 5 * 16_000 + 1];
    assert!(matches!(
        ladder.prove(&long, &ChunkBinding::default(), &mut quiet),
        Err(LadderError::Settings(SettingsError::Length { .. }))
    ));

    // Dishonest roots over the 3 s recording cut into chunks of 256 frames: chunk 0 does not hold the last
    // hop (its digest is not h_audio), chunk 1 does not start the recording.
    let chunk0 = leaf.prove(&prove_chunk(&three, 256, 0).unwrap()).expect("leaf of chunk 0");
    let r = ladder.prove_root(&chunk0, 256);
    assert!(matches!(r, Err(LadderError::Check(LeafCheckError::ChunkTooShort { frames: 256, hops: 300 }))), "{r:?}");
    let outcome = ladder.prove_root_unchecked(&chunk0, 256);
    assert!(matches!(outcome, Err(LadderError::Root(_))), "a chunk without the last hop was accepted");
    let chunk1 = leaf.prove(&prove_chunk(&three, 256, 1).unwrap()).expect("leaf of chunk 1");
    assert!(matches!(ladder.prove_root(&chunk1, 256), Err(LadderError::Check(LeafCheckError::Rule(_)))));
    let outcome = ladder.prove_root_unchecked(&chunk1, 256);
    assert!(matches!(outcome, Err(LadderError::Root(_))), "a chunk that does not start the recording was accepted");

    // An honest leaf of 256 frames verified against the key of 512 frames.
    let outcome = ladder.prove_root_unchecked(&short_leaf, 512);
    assert!(matches!(outcome, Err(LadderError::Root(_))), "a leaf was accepted under another size's key");

    // A leaf witness stating another trace degree for the chunk proof contradicts the leaf's constant.
    let honest_chunk = prove_chunk(short, 256, 0).unwrap();
    let leaf_data = leaf.data();
    for bits in [7, 9] {
        let pw = leaf.witness_stating_degree(&honest_chunk, bits).expect("same shape");
        let generated = generate_partial_witness(pw, &leaf_data.prover_only, &leaf_data.common);
        assert!(generated.is_err(), "the leaf let the chunk proof state 2^{bits} rows");
    }

    invented_frames_end_to_end(&ladder);
}

/// The invented-frames attack end to end: a 1 s impostor recording proven as a chunk of 256 frames stating
/// 257 frames, with the target's speech in the rows past its last hop. The chunk STARK proof verifies and
/// its leaf proof exists (the chunk AIR cannot know `F`), and it states the honest `h_audio` with invented
/// voiced frames; the root refuses it natively and by its constraints alone (`F` is pinned by `N`), so no
/// root proof, and no final proof over one, exists.
fn invented_frames_end_to_end(ladder: &LadderCircuits) {
    let impostor = &fixture("flite_kal_1.wav")[..16_000];
    let mut rows_audio = impostor.to_vec();
    rows_audio.extend_from_slice(&fixture("flite_awb_1.wav"));
    let claims = RecordingCounts { num_frames: 257, ..RecordingCounts::of(impostor.len()).unwrap() };
    let stark = ChunkStark::<F, D>::new(256);
    let trace =
        ChunkTrace::<F>::generate_claiming(&rows_audio, &claims, 0, 256, stark.height(), DEFAULT_VOICING_THRESHOLD_Q24);
    let pis = trace.public_inputs.clone();
    let proof = starky::prover::prove::<F, C, _, D>(
        stark,
        &chunk_config(),
        trace.into_polys(),
        &pis,
        None,
        &mut TimingTree::default(),
    )
    .expect("the forged chunk proves");
    let chunk = ChunkProof { frames_per_chunk: 256, proof };
    chunk.verify().expect("the forged chunk proof verifies: the chunk cannot know F");
    let honest = prove_chunk(impostor, 256, 0).unwrap().public_values();
    let forged = chunk.public_values();
    assert_eq!(forged.h_audio, honest.h_audio, "same h_audio as the honest proof");
    assert!(forged.voiced_frames > honest.voiced_frames, "with invented voiced frames");
    let leaf = ladder.leaf(256).expect("kept").prove(&chunk).expect("the leaf verifies the forged chunk");
    let r = ladder.prove_root(&leaf, 256);
    assert!(matches!(r, Err(LadderError::Check(LeafCheckError::Rule(_)))), "the native root rule");
    let outcome = ladder.prove_root_unchecked(&leaf, 256);
    assert!(matches!(outcome, Err(LadderError::Root(_))), "a root over invented frames was proven");
}
