//! Issue 4's experiment: 3.00 s of speech from WAV to a verified root proof, per arity.
//!
//! The recording is `flite_awb_1.wav` (2.52 s) followed by the first 0.48 s of `flite_awb_2.wav`: 48 000
//! samples. For each arity the tree's circuits are built once (reported apart: a prover builds them once
//! per settings), then the recording is proven (chunk STARKs, leaves, every fold level up to the root) and
//! the root verified against the key. Prints one markdown row per layer and a total per arity.
//!
//! Run: `cargo run --release -p voizk-benches --example tree_arity [K [MAX_SECONDS [ARITY...]]]`
//! (defaults: K = 512, 30 s, arities 2 4 8).

use std::time::Instant;

use recursion::circuit::HasRoot;
use recursion::files::{RootFile, RootKey};
use recursion::settings::{RootSettings, TreeSettings};
use recursion::tree::TreeCircuits;
use stark_frames::chunk::prover::ChunkBinding;
use stark_frames::commitment::commit_audio;
use voizk_benches::{fixture, print_root_run};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let k: usize = args.first().map_or(512, |s| s.parse().expect("K"));
    let max_seconds: u32 = args.get(1).map_or(30, |s| s.parse().expect("MAX_SECONDS"));
    let arities: Vec<usize> =
        if args.len() > 2 { args[2..].iter().map(|s| s.parse().expect("ARITY")).collect() } else { vec![2, 4, 8] };
    let mut samples = fixture("flite_awb_1.wav");
    samples.extend_from_slice(&fixture("flite_awb_2.wav")[..48_000 - samples.len()]);
    let seconds = samples.len() as f64 / 16_000.0;
    println!("recording: {} samples ({seconds:.2} s), K = {k}, at most {max_seconds} s", samples.len());

    for arity in arities {
        let settings = TreeSettings { frames_per_chunk: k, arity, max_seconds };
        let t = Instant::now();
        let tree = TreeCircuits::build(settings, None, &mut |_| {}).expect("circuits");
        let build = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let proof = tree.prove(&samples, &ChunkBinding::default(), &mut |_| {}).expect("root proof");
        let prove = t.elapsed().as_secs_f64();
        let key = RootKey { settings: RootSettings::Tree(settings), data: tree.root_verifier(), leaf_keys: vec![] };
        let file = RootFile::new(&proof, RootSettings::Tree(settings), tree.root_digest());
        let t = Instant::now();
        let values = file.verify(&key).expect("root verifies");
        let verify = t.elapsed().as_secs_f64();
        assert_eq!(values.h_audio, Some(commit_audio(&samples).to_string()));
        println!("\narity {arity} (depth {}), circuits built in {build:.1} s", settings.depth());
        print_root_run(&proof.layers, prove, seconds, verify, proof.root.to_bytes().len());
    }
}
