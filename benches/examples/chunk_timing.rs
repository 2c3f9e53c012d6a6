//! Prints plonky2's timing tree for proving one chunk (where the prover's time goes).
//!
//! Run: `cargo run --release -p voizk-benches --example chunk_timing [FRAMES]`.

use plonky2::util::timing::TimingTree;
use stark_frames::chunk::prover::{chunk_config, C, D, F};
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::chunk::trace::ChunkTrace;
use stark_frames::Audio;

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("debug")).init();
    let frames: usize = std::env::args().nth(1).map(|s| s.parse().expect("FRAMES")).unwrap_or(64);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    let audio = Audio::load(path).expect("fixture");
    let stark = ChunkStark::<F, D>::new(frames);
    let trace = ChunkTrace::<F>::generate(audio.samples(), 0, frames, stark.blocks());
    let pis = trace.public_inputs.clone();
    let mut timing = TimingTree::new("prove chunk", log::Level::Debug);
    starky::prover::prove::<F, C, _, D>(stark, &chunk_config(), trace.into_polys(), &pis, None, &mut timing)
        .expect("prove");
    timing.print();
}
