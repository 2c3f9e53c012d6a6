//! Issue 17 (zero knowledge): the final circuit alone. Builds the pipeline of `final_proof` (3 s of the
//! speech fixtures, default settings and model, the genuine template), proves the ladder's leaf once (the final
//! circuit verifies it directly), then proves the
//! final circuit RUNS times and prints its degree, gates, quotient openings, proof size (plain and compressed),
//! and the median and minimum proving and verifying times. Built against the code before and after the
//! zero-knowledge patch of plonky2 for `docs/PERFORMANCE.md`.
//!
//! Run: `cargo run --release -p voizk-benches --example final_zk [CACHE_DIR [RUNS]]` (default no cache, 9 runs).

use std::time::Instant;

use decision::final_circuit::DecisionInput;
use decision::model::Model;
use decision::pipeline::Pipeline;
use decision::template::{standardised_embedding, Template};
use plonky2::field::types::Field;
use recursion::cache::CircuitCache;
use recursion::ladder::LadderChunk;
use recursion::root::RootCircuits;
use recursion::settings::RootSettings;
use stark_frames::chunk::config::F;
use stark_frames::chunk::prover::ChunkBinding;
use voizk_benches::{fixture, speech};

/// CPU seconds this process has used (user and system, all threads), from `/proc/self/stat` (Linux, 100 ticks
/// per second); less sensitive than wall time to other processes on a shared machine.
fn cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() {
    // plonky2's builder logs the rows before blinding and padding (constant gates included).
    env_logger::Builder::from_env(
        env_logger::Env::default().default_filter_or("plonky2::plonk::circuit_builder=debug"),
    )
    .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cache = args.first().map(CircuitCache::new);
    let runs: usize = args.get(1).map_or(9, |s| s.parse().expect("RUNS"));
    let samples = &speech(3.0)[..48_000];
    let model = Model::default_model();
    let pipeline = Pipeline::build(RootSettings::default(), &model, &[samples.len()], cache.as_ref(), &mut |_| {})
        .expect("circuits");
    let nonce = [5u64, 6, 7, 8].map(F::from_canonical_u64);
    let binding = ChunkBinding::with_threshold(model.embedding.voicing_threshold_q24).with_nonce(nonce);
    let RootCircuits::Ladder(ladder) = pipeline.root() else { panic!("the default settings are a ladder") };
    let chunk = LadderChunk::prove(&ladder.settings(), samples, &binding).expect("chunk STARK");
    let leaf = ladder.prove_leaf_from_chunk(&chunk, &mut |_| {}).expect("leaf");
    let input = DecisionInput::LadderLeaf { leaf: &leaf.leaf, frames: leaf.frames };
    let recordings: Vec<_> = ["flite_awb_2.wav", "flite_awb_3.wav", "flite_awb_4.wav"]
        .iter()
        .map(|n| {
            let (z, voiced) = standardised_embedding(&fixture(n), &model).expect("embedding");
            (n.to_string(), z, voiced)
        })
        .collect();
    let template =
        Template::enroll_with_salt(&recordings, &model, [1u64, 2, 3, 4].map(F::from_canonical_u64)).expect("template");
    let circuit = pipeline.decision();
    let data = circuit.data();
    let common = &data.common;
    let first = circuit.prove(input, &template, nonce).expect("final proof");
    let mut prove_secs = vec![];
    let mut verify_ms = vec![];
    let cpu_start = cpu_secs();
    for _ in 0..runs {
        let (proof, secs) = circuit.prove_unchecked(input, &template, nonce).expect("final proof");
        prove_secs.push(secs);
        let t = Instant::now();
        data.verify(proof).expect("verifies");
        verify_ms.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let cpu = cpu_start.zip(cpu_secs()).map(|(a, b)| (b - a) / runs as f64);
    let bytes = first.proof.to_bytes().len();
    let compressed = circuit.compress(&first.proof).expect("compress").to_bytes().len();
    println!(
        "final circuit: degree 2^{}, {} gates before blinding and padding, zero knowledge {}, {} quotient \
         openings, quotient leaves of {} elements, FRI arity bits {:?}, final poly {}",
        common.degree_bits(),
        circuit.gates(),
        common.config.zero_knowledge,
        first.proof.proof.openings.quotient_polys.len(),
        first.proof.proof.opening_proof.query_round_proofs[0].initial_trees_proof.evals_proofs[3].0.len(),
        common.fri_params.reduction_arity_bits,
        common.fri_params.final_poly_len()
    );
    println!("proof {bytes} B plain, {compressed} B compressed");
    println!(
        "prove (DecisionCircuit::prove_unchecked: plonky2's prover and a verification of a few ms) over {runs} runs: median {:.3} s, min {:.3} s; verify median {:.2} ms",
        median(prove_secs.clone()),
        prove_secs.iter().copied().fold(f64::INFINITY, f64::min),
        median(verify_ms)
    );
    if let Some(cpu) = cpu {
        println!("CPU time per proof and verification (all threads): {cpu:.2} s");
    }
}
