//! Prints plonky2's timing tree for proving one chunk (where the prover's time goes).
//!
//! Run: `cargo run --release -p voizk-benches --example chunk_timing [FRAMES]`.

use plonky2::util::timing::TimingTree;
use stark_frames::chunk::config::chunk_config;
use stark_frames::chunk::prover::prove_chunk_with_config;
use stark_frames::Audio;

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("debug")).init();
    let frames: usize = std::env::args().nth(1).map(|s| s.parse().expect("FRAMES")).unwrap_or(64);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    let audio = Audio::load(path).expect("fixture");
    let mut timing = TimingTree::new("prove chunk", log::Level::Debug);
    prove_chunk_with_config(audio.samples(), frames, 0, &chunk_config(), &mut timing).expect("prove");
    timing.print();
}
