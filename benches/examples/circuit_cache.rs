//! What the disk cache of leaf circuits costs and saves: builds the leaf circuit into an empty cache (the
//! build, then writing both entries), reads it back twice (the whole circuit, then only its key), and prints
//! the times and sizes.
//!
//! Run: `cargo run --release -p voizk-benches --example circuit_cache [FRAMES]` (default 512). The cache is a
//! temporary directory, removed at the end.

use std::time::Instant;

use recursion::cache::{CacheOutcome, CircuitCache};
use recursion::leaf::LeafCircuit;

fn main() {
    let frames: usize = std::env::args().nth(1).map_or(512, |s| s.parse().expect("FRAMES"));
    let dir = std::env::temp_dir().join(format!("voizk-circuit-cache-{}", std::process::id()));
    let cache = CircuitCache::new(&dir);
    let t = Instant::now();
    let (leaf, outcome) = LeafCircuit::load_or_build(frames, &cache).expect("leaf");
    let CacheOutcome::Built { stored } = outcome else { panic!("the cache was not empty") };
    let bytes = stored.expect("entries written");
    println!(
        "leaf K = {frames}: degree 2^{}, built and cached in {:.1?} ({bytes} bytes)",
        leaf.data().common.degree_bits(),
        t.elapsed()
    );
    let digest = leaf.verifier_digest();
    drop(leaf);
    let t = Instant::now();
    let (leaf, outcome) = LeafCircuit::load_or_build(frames, &cache).expect("leaf");
    assert!(matches!(outcome, CacheOutcome::Loaded) && leaf.verifier_digest() == digest);
    println!("whole circuit read from the cache in {:.1?}", t.elapsed());
    drop(leaf);
    let t = Instant::now();
    let (key, outcome) = LeafCircuit::load_or_build_key(frames, &cache).expect("key");
    assert!(matches!(outcome, CacheOutcome::Loaded) && key.data.verifier_only.circuit_digest == digest);
    let key_bytes = std::fs::metadata(cache.key_path(frames)).expect("key entry").len();
    println!("key read from the cache in {:.1?} ({key_bytes} bytes)", t.elapsed());
    std::fs::remove_dir_all(&dir).expect("remove the cache");
}
