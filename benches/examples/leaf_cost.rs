//! Measures the recursion leaf: a plonky2 circuit verifying one chunk STARK proof
//! (starky's recursive verifier, `recursion::leaf::leaf_config`). Prints the circuit
//! size, build and prove times and the leaf proof size: the figures SPEC §5 asks to
//! weigh the chunk STARK's width and FRI rate against.
//!
//! Run: `cargo run --release -p voizk-benches --example leaf_cost [FRAMES [RATE_BITS]]` (`RUST_LOG=debug` for
//! the gate breakdown and the prover's timing tree; `LEAF_BUILD_ONLY=1` to stop after building).

use std::time::Instant;

use plonky2::iop::witness::PartialWitness;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::prover::prove;
use plonky2::util::timing::TimingTree;
use recursion::leaf::leaf_config;
use recursion::proof::FoldProof;
use recursion::wrap::WrapCircuit;
use stark_frames::chunk::config::{chunk_config, C, D, F};
use stark_frames::chunk::prover::prove_chunk_with_config;
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::Audio;
use starky::recursive_verifier::{
    add_virtual_stark_proof_with_pis, set_stark_proof_with_pis_target, verify_stark_proof_circuit,
};

fn main() {
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let frames: usize = std::env::args().nth(1).map(|s| s.parse().expect("FRAMES")).unwrap_or(64);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    let audio = Audio::load(path).expect("fixture");
    // Optional FRI rate: `leaf_cost FRAMES RATE_BITS` (queries scaled to keep 100-bit security with 16 PoW bits;
    // at least 3, since the chunk AIR's degree 9 needs a blowup of 8).
    let rate_bits: Option<usize> = std::env::args().nth(2).map(|s| s.parse().expect("RATE_BITS"));
    let mut inner = chunk_config();
    if let Some(r) = rate_bits {
        inner.fri_config.rate_bits = r;
        inner.fri_config.num_query_rounds =
            (inner.security_bits - inner.fri_config.proof_of_work_bits as usize).div_ceil(r);
    }
    let stark = ChunkStark::<F, D>::new(frames);
    let t = Instant::now();
    let chunk =
        prove_chunk_with_config(audio.samples(), frames, 0, &inner, &mut Default::default()).expect("chunk proof");
    println!(
        "chunk STARK ({frames} frames, rate 1/{}, {} queries): proven in {:.2?}, {} bytes",
        1 << inner.fri_config.rate_bits,
        inner.fri_config.num_query_rounds,
        t.elapsed(),
        chunk.to_bytes().len()
    );

    let degree_bits = chunk.proof.proof.recover_degree_bits(&inner);
    let t = Instant::now();
    let mut builder = CircuitBuilder::<F, D>::new(leaf_config());
    let target = add_virtual_stark_proof_with_pis(&mut builder, &stark, &inner, degree_bits, 0, 0);
    let mut pw = PartialWitness::new();
    set_stark_proof_with_pis_target::<F, C, _, D>(&mut pw, &target, &chunk.proof, degree_bits, builder.zero())
        .expect("witness");
    verify_stark_proof_circuit::<F, C, _, D>(&mut builder, stark, target, &inner, None);
    let gates = builder.num_gates();
    builder.print_gate_counts(0);
    let data = builder.build::<C>();
    println!("leaf circuit: {gates} gates, degree 2^{}, built in {:.2?}", data.common.degree_bits(), t.elapsed());
    if std::env::var_os("LEAF_BUILD_ONLY").is_some() {
        return;
    }
    let t = Instant::now();
    // With RUST_LOG=debug, plonky2's timing tree of the leaf proof (where the prover's time goes).
    let mut timing = TimingTree::new("prove leaf", log::Level::Debug);
    let proof = prove::<F, C, D>(&data.prover_only, &data.common, pw, &mut timing).expect("leaf proof");
    timing.print();
    println!("leaf proof: proven in {:.2?}, {} bytes", t.elapsed(), proof.to_bytes().len());
    data.verify(proof.clone()).expect("leaf verifies");

    // Shrinking: one more recursion layer that verifies the leaf proof (the tree's root wrap, as a fold's
    // child would be).
    let t = Instant::now();
    let shrink = WrapCircuit::build(&data);
    let degree = shrink.data().common.degree_bits();
    println!("shrink circuit: {} gates, degree 2^{degree}, built in {:.2?}", shrink.gates(), t.elapsed());
    let t = Instant::now();
    // The wrap takes a top fold proof; its circuit here is built over the leaf, so the leaf proof is named one.
    let small = shrink.prove(&FoldProof::from_plonky2(proof)).expect("shrink proof (checked)");
    println!("shrink proof: proven in {:.2?}, {} bytes", t.elapsed(), small.to_bytes().len());
}
