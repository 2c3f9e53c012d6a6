//! The whole tree on recordings that do not fill it: two lengths fold up to the same root circuit (one
//! verifier key), the root states `h_audio` of the file, the key and proof files round-trip, and the root
//! refuses a range that does not start the recording or that drops the recording's last chunk.
//!
//! Slow (one leaf circuit, four leaf proofs: about six minutes): one test, run in sequence.

use std::time::Instant;

use recursion::circuit::HasRoot;
use recursion::files::{deviants, digest_hex, FileError, RootFile, RootKey, FILE_VERSION, KEY_MAGIC, ROOT_MAGIC};
use recursion::fold::{FoldCircuit, FoldError, FoldRole};
use recursion::progress::Progress;
use recursion::proof::RootOutput;
use recursion::settings::{RootSettings, SettingsError, TreeSettings};
use recursion::tree::{TreeCircuits, TreeError};
use stark_frames::chunk::forge::non_canonical_tail;
use stark_frames::chunk::prover::ChunkBinding;
use stark_frames::commitment::commit_audio;
use stark_frames::Audio;

fn samples() -> Vec<i16> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    Audio::load(path).expect("fixture").samples().to_vec()
}

#[test]
fn recordings_of_any_length_fold_to_one_root_key() {
    // K = 64, arity 2, at most 4 s = 400 hops = 7 chunks: three fold levels.
    let settings = TreeSettings { frames_per_chunk: 64, arity: 2, max_seconds: 4 };
    assert_eq!(settings.depth(), 3);
    let mut quiet = |_: Progress| {};
    let t = Instant::now();
    let tree = TreeCircuits::build(settings, None, &mut quiet).expect("tree circuits");
    println!("tree circuits built in {:.1?}; root key {}", t.elapsed(), digest_hex(tree.root_digest()));

    // Every fold level's key is deterministic.
    for level in 1..=settings.depth() {
        let fold = tree.fold(level);
        let child = if level == 1 { tree.leaf().data() } else { tree.fold(level - 1).data() };
        let again =
            FoldCircuit::build(&child.common, &child.verifier_only, settings.span(level - 1), 2, fold.role()).unwrap();
        assert_eq!(again.verifier_digest(), fold.verifier_digest(), "fold level {level} key differs between builds");
    }

    // 1.5 s: 150 hops, three chunks; 0.5 s: one chunk. Both end at the same root circuit.
    let all = samples();
    let key = RootKey { settings: RootSettings::Tree(settings), data: tree.root_verifier(), leaf_keys: vec![] };
    let key_bytes = key.to_bytes();
    let key = RootKey::from_bytes(&key_bytes).expect("key file round-trips");
    assert_eq!(key.digest(), tree.root_digest());
    for (what, deviant) in deviants(&key_bytes, KEY_MAGIC, FILE_VERSION) {
        let r = RootKey::from_bytes(&deviant);
        assert!(
            matches!(r, Err(FileError::NonCanonical { .. } | FileError::Version { .. })),
            "key {what}: {:?}",
            r.err()
        );
    }
    let mut leaves_of_three = Vec::new();
    for seconds in [1.5, 0.5] {
        let audio = &all[..(seconds * 16_000.0) as usize];
        let t = Instant::now();
        let (leaves, mut layers) = tree.prove_leaves(audio, &ChunkBinding::default(), &mut quiet).expect("leaf proofs");
        if leaves.len() == 3 {
            leaves_of_three = leaves.clone();
        }
        let (root, folds) = tree.fold_levels(leaves, &mut quiet).expect("root proof");
        layers.extend(folds);
        let proof = RootOutput { root, layers };
        println!("{seconds} s proven to the root in {:.1?}:", t.elapsed());
        for l in &proof.layers {
            println!("  {l:?}");
        }
        assert_eq!(proof.layers.len(), 3 + settings.depth());
        let file = RootFile::new(&proof, RootSettings::Tree(settings), tree.root_digest());
        let bytes = file.to_bytes();
        let file = RootFile::from_bytes(&bytes).expect("root file round-trips");
        let values = file.verify(&key).expect("the root verifies against the key");
        let mut cases = deviants(&bytes, ROOT_MAGIC, FILE_VERSION);
        cases.push(("a public input as x + p", non_canonical_tail(&bytes).expect("a small public input")));
        for (what, deviant) in cases {
            let r = RootFile::from_bytes(&deviant).and_then(|f| f.verify(&key));
            let refused =
                matches!(r, Err(FileError::NonCanonical { .. } | FileError::Version { .. } | FileError::Encoding(_)));
            assert!(refused, "root proof {what}: {:?}", r.err());
        }
        assert_eq!(values.h_audio, Some(commit_audio(audio).to_string()), "the root states h_audio of the audio");
        assert_eq!((values.first_frame, values.num_samples), (0, audio.len() as u64));
    }

    // Too long for the tree: refused before any proving.
    let long = vec![0i16; 4 * 16_000 + 1];
    assert!(matches!(
        tree.prove(&long, &ChunkBinding::default(), &mut quiet),
        Err(TreeError::Settings(SettingsError::Length { hops: 401, .. }))
    ));

    // Dishonest trees of the 1.5 s recording: chunks 1 and 2 only (not from the start), chunks 0 and 1 only
    // (the last chunk dropped). The folds below the root accept them; the root, or the level that sees a
    // partial range end early, does not.
    let [l0, l1, l2]: [_; 3] = leaves_of_three.try_into().expect("the 1.5 s recording has three chunks");
    let rejected = |outcome: Result<_, FoldError>, what: &str| {
        assert!(matches!(outcome, Err(FoldError::Prove(_))), "{what} was accepted: {:?}", outcome.err());
        println!("{what}: rejected by the circuit");
    };
    let from_one = tree.fold(1).prove(&[l1.clone(), l2.clone()]).expect("chunks 1 and 2 fold");
    let from_one = tree.fold(2).prove(&[from_one]).expect("they hold the end");
    rejected(tree.fold(3).prove_unchecked(std::slice::from_ref(&from_one)), "a root that starts at chunk 1");
    assert!(matches!(tree.fold(3).prove(&[from_one]), Err(FoldError::Rule(_))));
    let head = tree.fold(1).prove(&[l0, l1]).expect("chunks 0 and 1 fold");
    rejected(tree.fold(2).prove_unchecked(std::slice::from_ref(&head)), "a partial level that drops the last chunk");
    assert!(matches!(tree.fold(2).prove(&[head]), Err(FoldError::Rule(_))));
    assert!(matches!(
        FoldCircuit::build(&tree.root().common, &tree.root().verifier_only, 64, 1, FoldRole::Inner),
        Err(FoldError::Arity(1))
    ));
}
