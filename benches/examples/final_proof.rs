//! Issue 5's experiment: a recording from WAV to the final zero-knowledge proof under the default model and
//! the default recursion settings (the size ladder, at most 30 s), against a genuine and an impostor template.
//!
//! The recording is the first SECONDS of the speech fixtures (`voizk_benches::speech`: 3.00 s is
//! `flite_awb_1.wav` and the first 0.48 s of `flite_awb_2.wav`). The genuine template enrolls
//! `flite_awb_2..4`, the impostor template `flite_kal_1..3`, both with a fixed salt. The circuits are built
//! once (reported apart, with the leaf circuits read from the circuit cache in CACHE_DIR when given). Per
//! template: one markdown row per layer, the total from WAV to final proof, the final proof's size plain and
//! compressed, and the median time of 20 verifications of each form.
//!
//! Run: `cargo run --release -p voizk-benches --example final_proof [SECONDS [CACHE_DIR]]` (default 3 s, no
//! cache).

use std::time::Instant;

use decision::model::Model;
use decision::pipeline::Pipeline;
use decision::template::{standardised_embedding, Template};
use plonky2::field::types::Field;
use recursion::cache::CircuitCache;
use recursion::settings::RootSettings;
use stark_frames::chunk::config::F;
use voizk_benches::{fixture, print_layers, speech};

fn template(names: &[&str], model: &Model) -> Template {
    let recordings: Vec<_> = names
        .iter()
        .map(|n| {
            let (z, voiced) = standardised_embedding(&fixture(n), model).expect("embedding");
            (n.to_string(), z, voiced)
        })
        .collect();
    Template::enroll_with_salt(&recordings, model, [1u64, 2, 3, 4].map(F::from_canonical_u64)).expect("template")
}

fn median_ms(mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..20)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let seconds: f64 = args.first().map_or(3.0, |s| s.parse().expect("SECONDS"));
    let cache = args.get(1).map(CircuitCache::new);
    let samples = &speech(seconds)[..(seconds * 16_000.0).round() as usize];
    let model = Model::default_model();
    let settings = RootSettings::default();
    println!("settings: {settings}; model h_model {}", model.h_model_hex());
    let t = Instant::now();
    let pipeline = Pipeline::build(settings, &model, &[samples.len()], cache.as_ref(), &mut |_| {}).expect("circuits");
    println!(
        "circuits built in {:.1} s (final circuit {:.1} s, {} gates)",
        t.elapsed().as_secs_f64(),
        pipeline.decision().build_secs(),
        pipeline.decision().gates()
    );
    let key = pipeline.key();
    println!("decision key digest {}", key.digest_hex());
    let nonce = [5u64, 6, 7, 8].map(F::from_canonical_u64);
    for (label, names) in [
        ("genuine", ["flite_awb_2.wav", "flite_awb_3.wav", "flite_awb_4.wav"]),
        ("impostor", ["flite_kal_1.wav", "flite_kal_2.wav", "flite_kal_3.wav"]),
    ] {
        let template = template(&names, &model);
        let t = Instant::now();
        let proof = pipeline.prove(samples, &template, nonce, &mut |_| {}).expect("final proof");
        let total = t.elapsed().as_secs_f64();
        let plain = proof.output.proof.clone();
        let compressed = pipeline.decision().compress(&plain).expect("compress");
        let verify_ms = median_ms(|| key.data.verify(plain.clone()).expect("verifies"));
        let verify_compressed_ms = median_ms(|| key.data.verify_compressed(compressed.clone()).expect("verifies"));
        println!(
            "\n{label}: accept {} (score {:.4}, threshold {:.4})",
            proof.output.statement.accept,
            decision::score::cosine(proof.output.score_q30),
            model.threshold()
        );
        print_layers(&proof.layers);
        println!(
            "WAV to final proof: {total:.1} s ({:.2} s per s of audio); final proof {} B, compressed {} B; verify \
             {verify_ms:.1} ms, compressed {verify_compressed_ms:.1} ms",
            total / seconds,
            plain.to_bytes().len(),
            proof.compressed_bytes
        );
    }
}
