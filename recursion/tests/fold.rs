//! A fold of two leaf proofs: it verifies for two consecutive chunks and exposes the public values of the
//! whole range, it folds the recording's last chunk alone (padding), and it rejects children out of order,
//! overlapping, with a gap, with mismatched boundary samples, bound to different session nonces, with a
//! tampered public value, a partial fold that stops before the recording's end, and a child from another
//! circuit.
//!
//! Slow (one leaf circuit, five leaf proofs, one fold circuit: about six minutes): one test, run
//! in sequence.

use std::borrow::Borrow;
use std::time::Instant;

use plonky2::field::types::{Field, PrimeField64};
use recursion::fold::{FoldCircuit, FoldError, FoldRole};
use recursion::leaf::LeafCircuit;
use recursion::proof::LeafProof;
use stark_frames::chunk::config::F;
use stark_frames::chunk::prover::{prove_chunk, prove_chunk_bound, ChunkBinding};
use stark_frames::chunk::public::ChunkPublicInputs;
use stark_frames::commitment::commit_audio;
use stark_frames::params::NUM_STAT_VALUES;
use stark_frames::Audio;

fn audio() -> Audio {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    Audio::load(path).expect("fixture")
}

fn values(pis: &[F]) -> &ChunkPublicInputs<F> {
    pis.borrow()
}

#[test]
fn fold_combines_consecutive_chunks_and_rejects_bad_children() {
    let audio = audio();
    let samples = audio.samples();
    let k = 64;
    let t = Instant::now();
    let leaf = LeafCircuit::build(k).expect("leaf circuit");
    println!("leaf circuit K={k}: built in {:.1?}", t.elapsed());
    let leaf_of = |samples: &[i16], c: usize| {
        let t = Instant::now();
        let chunk = prove_chunk(samples, k, c).expect("chunk proof");
        let p = leaf.prove(&chunk).expect("leaf proof");
        println!("leaf proof of chunk {c} in {:.1?}", t.elapsed());
        p
    };
    let l0 = leaf_of(samples, 0);
    let l1 = leaf_of(samples, 1);
    let l2 = leaf_of(samples, 2);
    // Chunk 1 of a recording that differs from this one in one sample of chunk 1's first hop: its sponge input
    // still chains to chunk 0, but the samples it shares with chunk 0 differ.
    let mut edited = samples.to_vec();
    edited[64 * 160 + 60] = edited[64 * 160 + 60].wrapping_add(1000);
    let l1_edited = leaf_of(&edited, 1);
    assert_eq!(values(&l1_edited.public_inputs).sponge_in, values(&l1.public_inputs).sponge_in);
    assert_ne!(values(&l1_edited.public_inputs).head, values(&l0.public_inputs).tail);

    let t = Instant::now();
    let build = || FoldCircuit::build(&leaf.data().common, &leaf.data().verifier_only, k, 2, FoldRole::Inner);
    let fold = build().expect("fold circuit");
    println!("fold circuit (arity 2): degree 2^{}, built in {:.1?}", fold.data().common.degree_bits(), t.elapsed());
    assert_eq!(fold.frames(), 2 * k);
    assert_eq!(build().expect("fold circuit").verifier_digest(), fold.verifier_digest(), "fold key is deterministic");

    // Honest: chunks 0 and 1.
    let t = Instant::now();
    let proof = fold.prove(&[l0.clone(), l1.clone()]).expect("fold of chunks 0 and 1");
    println!("fold proof in {:.1?}, {} bytes", t.elapsed(), proof.to_bytes().len());
    fold.verify(&proof).expect("fold verifies");
    let (p, a, b) = (values(&proof.public_inputs), values(&l0.public_inputs), values(&l1.public_inputs));
    assert_eq!(p.first_frame, F::ZERO);
    assert_eq!(p.sponge_in, a.sponge_in);
    assert_eq!(p.sponge_out, b.sponge_out);
    assert_eq!(p.head, a.head);
    assert_eq!(p.tail, b.tail);
    assert_eq!(p.num_samples, a.num_samples);
    for n in 0..NUM_STAT_VALUES {
        assert_eq!(p.stats.sum[n], a.stats.sum[n] + b.stats.sum[n]);
        assert_eq!(p.stats.sum_sq[n], a.stats.sum_sq[n] + b.stats.sum_sq[n]);
    }
    assert_eq!(p.stats.count, a.stats.count + b.stats.count);
    for n in 0..NUM_STAT_VALUES {
        assert_eq!(p.delta_sum_dsq[n], a.delta_sum_dsq[n] + b.delta_sum_dsq[n]);
    }
    assert_eq!((p.delta_has_prev, p.delta_in, p.delta_out), (a.delta_has_prev, a.delta_in, b.delta_out));
    assert_eq!(a.delta_out, b.delta_in, "chunk 0 hands chunk 1 its regression-delta register");
    assert_eq!(p.digest, [F::ZERO; 4], "chunks 0 and 1 do not hold the last hop");

    // The last chunk's digest reaches the fold: chunks 2 and 3 hold the recording's end.
    let l3 = leaf_of(samples, 3);
    let end = fold.prove(&[l2.clone(), l3.clone()]).expect("fold of chunks 2 and 3");
    let h = commit_audio(samples);
    let digest: Vec<u64> = values(&end.public_inputs).digest.iter().map(|x| x.to_canonical_u64()).collect();
    assert_eq!(digest, h.0.iter().map(|x| x.to_canonical_u64()).collect::<Vec<_>>(), "the fold carries h_audio");

    // A partial fold: chunk 3 alone holds the recording's end, so the fold may end with it.
    let partial = fold.prove(std::slice::from_ref(&l3)).expect("fold of the last chunk alone");
    assert_eq!(partial.public_inputs, l3.public_inputs, "a fold of one present child states that child");

    // Rejections, by the circuit alone (`prove_unchecked`), and by the native rules with the rule named.
    let rejected = |children: &[_], what: &str| {
        let outcome = fold.prove_unchecked(children);
        assert!(matches!(outcome, Err(FoldError::Prove(_))), "a fold of {what} was accepted: {outcome:?}");
        match fold.prove(children) {
            Err(FoldError::Rule(rule)) => println!("{what}: rejected; {rule}"),
            other => panic!("the native rules let {what} through: {other:?}"),
        }
    };
    rejected(&[l1.clone(), l0.clone()], "children out of order");
    rejected(&[l0.clone(), l0.clone()], "overlapping children");
    rejected(&[l0.clone(), l2.clone()], "children with a gap");
    rejected(&[l0.clone(), l1_edited], "children with mismatched boundary samples");
    rejected(std::slice::from_ref(&l2), "a partial fold that stops before the recording's end");
    // Chunk 1 proven for another session nonce: every other value chains to chunk 0.
    let other_session = ChunkBinding::default().with_nonce([7, 8, 9, 10].map(F::from_canonical_u64));
    let l1_other_session = leaf.prove(&prove_chunk_bound(samples, k, 1, &other_session).expect("chunk proof")).unwrap();
    assert_eq!(values(&l1_other_session.public_inputs).sponge_in, values(&l1.public_inputs).sponge_in);
    rejected(&[l0.clone(), l1_other_session], "children bound to different session nonces");
    let mut tampered = l1.clone();
    tampered.plonky2_mut().public_inputs[5] += F::ONE; // sponge_in[1]
    rejected(&[l0.clone(), tampered], "a child with a tampered public value");
    // A child from another circuit whose public values are exactly right: the fold proof of chunk 3 alone
    // states what chunk 3's leaf proof states, but it is not a leaf proof.
    // The types refuse it: the fold proof has to be named a leaf proof explicitly.
    let outcome = fold.prove(&[l2.clone(), LeafProof::from_plonky2(partial.into_plonky2())]);
    assert!(matches!(outcome, Err(FoldError::ChildShape { index: 1, .. }) | Err(FoldError::Prove(_))), "{outcome:?}");
    println!("a child from another circuit: {}", outcome.err().unwrap());
    let outcome = fold.prove_unchecked(&[l0.clone(), LeafProof::from_plonky2(proof.into_plonky2())]);
    assert!(matches!(outcome, Err(FoldError::ChildShape { index: 1, .. }) | Err(FoldError::Prove(_))), "{outcome:?}");
    assert!(matches!(fold.prove::<LeafProof>(&[]), Err(FoldError::ChildCount { arity: 2, got: 0 })));
    assert!(matches!(fold.prove(&[l0.clone(), l1.clone(), l2]), Err(FoldError::ChildCount { arity: 2, got: 3 })));
}
