//! Issue 4's experiment for the size ladder: recordings from WAV to a verified root proof, each proven as
//! one chunk of the ladder's size for its length, all under one root key.
//!
//! Recordings are cut from the speech fixtures (concatenated, `flite_awb_*` first) to each length asked
//! for; 3.00 s is `flite_awb_1.wav` followed by the first 0.48 s of
//! `flite_awb_2.wav`, as in `tree_arity`. The ladder's circuits are built once (reported apart: a prover
//! builds them once per settings), keeping the leaf prover data of the sizes the recordings need. Prints
//! one markdown row per layer and a total per recording.
//!
//! Run: `cargo run --release -p voizk-benches --example ladder [MAX_SECONDS [SECONDS...]]`
//! (defaults: 30 s, one recording of 3 s).

use std::time::Instant;

use recursion::circuit::HasRoot;
use recursion::ladder::LadderCircuits;
use recursion::settings::LadderSettings;
use stark_frames::chunk::prover::ChunkBinding;
use stark_frames::chunk::values::ChunkPublicValues;
use stark_frames::commitment::commit_audio;
use voizk_benches::{print_root_run, speech};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let max_seconds: u32 = args.first().map_or(30, |s| s.parse().expect("MAX_SECONDS"));
    let lengths: Vec<f64> =
        if args.len() > 1 { args[1..].iter().map(|s| s.parse().expect("SECONDS")).collect() } else { vec![3.0] };
    let settings = LadderSettings { max_seconds };
    let speech = speech(f64::from(max_seconds));
    let recordings: Vec<&[i16]> = lengths
        .iter()
        .map(|&s| {
            let n = (s * 16_000.0).round() as usize;
            assert!(n <= speech.len(), "the fixtures hold {:.2} s of speech", speech.len() as f64 / 16_000.0);
            &speech[..n]
        })
        .collect();
    let keep: Vec<usize> = recordings.iter().map(|r| settings.size_for(r.len()).expect("length")).collect();
    println!("ladder: at most {max_seconds} s, sizes {:?}", settings.sizes());
    let t = Instant::now();
    let ladder = LadderCircuits::build(settings, &keep, None, &mut |_| {}).expect("circuits");
    println!("circuits built in {:.1} s (every leaf size, and the root)", t.elapsed().as_secs_f64());
    let key = ladder.root_verifier();
    for samples in recordings {
        let seconds = samples.len() as f64 / 16_000.0;
        let t = Instant::now();
        let proof = ladder.prove(samples, &ChunkBinding::default(), &mut |_| {}).expect("root proof");
        let prove = t.elapsed().as_secs_f64();
        let t = Instant::now();
        key.verify(proof.root.plonky2().clone()).expect("root verifies");
        let verify = t.elapsed().as_secs_f64();
        let values = ChunkPublicValues::decode(&proof.root.public_inputs, proof.frames_per_chunk);
        assert_eq!(values.h_audio, Some(commit_audio(samples).to_string()));
        println!("\n{} samples ({seconds:.2} s), K = {}", samples.len(), proof.frames_per_chunk);
        print_root_run(&proof.layers, prove, seconds, verify, proof.root.to_bytes().len());
    }
}
