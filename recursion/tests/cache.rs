//! The disk cache of leaf circuits: a leaf read from the cache is the leaf that was built (same key; its
//! proofs verify against the built circuit), and an entry that is truncated, of another chunk size, of
//! other code (fingerprint) or whose witness targets do not fit the circuit is a miss, never a wrong circuit.
//!
//! Slow (two builds of a 2^16 circuit, two reads of its 640 MB entry, one proof): about a minute.

use std::path::{Path, PathBuf};

use recursion::cache::{CacheOutcome, CircuitCache, CIRCUIT_FINGERPRINT};
use recursion::leaf::LeafCircuit;
use stark_frames::chunk::prover::prove_chunk;
use stark_frames::Audio;

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    std::env::temp_dir().join(format!("voizk-cache-test-{}-{nanos}", std::process::id()))
}

fn edit(path: &Path, at: usize, byte: u8) {
    let mut bytes = std::fs::read(path).unwrap();
    bytes[at] = byte;
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn cached_leaf_is_the_built_leaf_and_bad_entries_are_misses() {
    let k = 256;
    let dir = temp_dir();
    let cache = CircuitCache::new(&dir);

    let (built, outcome) = LeafCircuit::load_or_build(k, &cache).expect("leaf");
    let CacheOutcome::Built { stored: Ok(bytes) } = outcome else { panic!("an empty cache must build: {outcome:?}") };
    let (circuit, key) = (cache.circuit_path(k), cache.key_path(k));
    assert!(circuit.exists() && key.exists(), "both entries are written");
    assert!(circuit.file_name().unwrap().to_str().unwrap().contains(CIRCUIT_FINGERPRINT));
    println!("entries: {bytes} bytes");

    // Read back: the same circuit, whose proofs verify against the built one.
    let (loaded, outcome) = LeafCircuit::load_or_build(k, &cache).expect("leaf");
    assert!(matches!(outcome, CacheOutcome::Loaded), "{outcome:?}");
    assert_eq!(loaded.verifier_digest(), built.verifier_digest());
    assert_eq!(loaded.data().common, built.data().common);
    let audio = Audio::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav")).unwrap();
    let chunk = prove_chunk(audio.samples(), k, 0).expect("chunk proof");
    let proof = loaded.prove(&chunk).expect("a loaded leaf proves");
    built.verify(&proof).expect("its proof verifies against the built leaf");
    drop(loaded);
    let (cached_key, outcome) = LeafCircuit::load_or_build_key(k, &cache).expect("key");
    assert!(matches!(outcome, CacheOutcome::Loaded), "{outcome:?}");
    assert_eq!(cached_key.data.verifier_only, built.data().verifier_only);
    assert_eq!(cached_key.gates, built.gates());

    // An entry copied under another chunk size is not that size's entry.
    std::fs::copy(&key, cache.key_path(512)).unwrap();
    assert!(cache.load_leaf_key(512).is_none(), "an entry of 256 frames was read as one of 512");
    // An entry of other code (another fingerprint: byte 12 starts it) or another gate count is a miss.
    let first = std::fs::read(&key).unwrap()[12];
    edit(&key, 12, if first == b'0' { b'1' } else { b'0' });
    assert!(cache.load_leaf_key(k).is_none(), "an entry of other code was read");
    edit(&key, 12, first);
    assert!(cache.load_leaf_key(k).is_some());
    // A circuit entry whose zero constant (the body's first 8 bytes, after the 44-byte header) is not one of the
    // circuit's targets is a miss.
    let zero_top = 44 + 7;
    edit(&circuit, zero_top, 0x7f);
    assert!(LeafCircuit::load_or_build(k, &cache).is_ok_and(|(_, o)| matches!(o, CacheOutcome::Built { .. })));

    // A truncated circuit entry is a miss: the leaf is built again and the entry rewritten.
    let len = std::fs::metadata(&circuit).unwrap().len();
    std::fs::OpenOptions::new().write(true).open(&circuit).unwrap().set_len(len / 2).unwrap();
    let (rebuilt, outcome) = LeafCircuit::load_or_build(k, &cache).expect("leaf");
    assert!(matches!(outcome, CacheOutcome::Built { stored: Ok(_) }), "{outcome:?}");
    assert_eq!(rebuilt.verifier_digest(), built.verifier_digest());
    assert_eq!(std::fs::metadata(&circuit).unwrap().len(), len, "the entry is rewritten whole");
    std::fs::remove_dir_all(&dir).unwrap();
}
