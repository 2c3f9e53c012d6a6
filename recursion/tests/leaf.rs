//! The leaf circuit on a real chunk proof: it verifies an honest chunk proof and exposes its public values,
//! it refuses a chunk proof whose public values were changed and one of another chunk size, and building it
//! twice gives the same verifier key digest.
//!
//! Slow (two builds and two proofs of a 2^18-gate circuit, several minutes): one test, run in sequence to
//! keep the memory of a single circuit at a time.

use std::time::Instant;

use plonky2::field::types::Field;
use recursion::leaf::{LeafCircuit, LeafError};
use stark_frames::chunk::config::F;
use stark_frames::chunk::prover::prove_chunk;
use stark_frames::Audio;

fn audio() -> Audio {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    Audio::load(path).expect("fixture")
}

#[test]
fn leaf_verifies_chunk_proofs_and_refuses_bad_ones() {
    let audio = audio();
    let k = 256;
    let t = Instant::now();
    let leaf = LeafCircuit::build(k).expect("leaf circuit");
    println!("leaf circuit for K={k}: degree 2^{}, built in {:.1?}", leaf.data().common.degree_bits(), t.elapsed());

    // An honest chunk proof gives a leaf proof whose public inputs are the chunk's.
    let chunk = prove_chunk(audio.samples(), k, 0).expect("chunk proof");
    let t = Instant::now();
    let proof = leaf.prove(&chunk).expect("leaf proof of an honest chunk");
    println!("leaf proof in {:.1?}", t.elapsed());
    leaf.verify(&proof).expect("leaf proof verifies");
    assert_eq!(proof.public_inputs, chunk.proof.public_inputs, "the leaf exposes the chunk's public values");

    // A leaf proof with a changed public input does not verify.
    let mut forged = proof.clone();
    forged.plonky2_mut().public_inputs[1] += F::ONE;
    assert!(leaf.verify(&forged).is_err(), "a leaf proof with a changed public input verified");

    // A chunk proof whose public values were changed has no leaf proof.
    let mut tampered = chunk.clone();
    tampered.proof.public_inputs[1] += F::ONE;
    assert!(matches!(leaf.prove(&tampered), Err(LeafError::Prove(_))), "a tampered chunk proof was accepted");

    // A chunk proof of another chunk size is refused before proving.
    let small = prove_chunk(audio.samples(), 64, 0).expect("chunk proof of 64 frames");
    assert!(matches!(leaf.prove(&small), Err(LeafError::WrongChunkSize { want: 256, got: 64 })));
    assert!(matches!(LeafCircuit::build(0), Err(LeafError::ChunkSize(0))));

    // Building again gives the same verifier key.
    let digest = leaf.verifier_digest();
    drop(leaf);
    let again = LeafCircuit::build(k).expect("leaf circuit, second build");
    assert_eq!(again.verifier_digest(), digest, "the verifier key depends only on the chunk size");
}
