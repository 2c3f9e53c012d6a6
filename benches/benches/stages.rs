//! Every stage of a proof, one benchmark each: chunk STARK, leaf, fold, root (wrap), final, and verification
//! of the root and the final proof, on 3.0 s of real speech (`fixtures/real/codec2_hts1a_male.wav`).
//!
//! The tree is K = 256, arity 4, at most 10 s: two chunks, one fold level (the top fold, two of its four
//! children present), the wrap, then the final circuit of the default model against a template of three real
//! Spanish recordings. The circuits are built once before measuring (the leaf read from the circuit cache,
//! `$VOIZK_CACHE_DIR` or `~/.cache/voizk`, when it holds it) and each stage is measured on the outputs of the
//! stage below, so a benchmark is one stage's proving time, as `voizk stage` spends it after loading circuits.
//!
//! Run: `cargo bench -p voizk-benches --bench stages` (about 6 minutes on 2 cores; the leaf alone is 10 samples of
//! about 10 s).

use criterion::{criterion_group, criterion_main, Criterion};
use decision::model::Model;
use decision::template::{standardised_embedding, Template};
use plonky2::field::types::Field;
use recursion::cache::CircuitCache;
use recursion::circuit::HasRoot;
use recursion::settings::TreeSettings;
use recursion::tree::TreeCircuits;
use stark_frames::chunk::config::F;
use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding};
use stark_frames::Audio;

/// A real recording of `fixtures/real`.
fn real(name: &str) -> Vec<i16> {
    let path = format!("{}/../fixtures/real/{name}", env!("CARGO_MANIFEST_DIR"));
    Audio::load(path).expect("fixture").samples().to_vec()
}

fn bench_stages(c: &mut Criterion) {
    let samples = real("codec2_hts1a_male.wav");
    let model = Model::default_model();
    let enrolled: Vec<_> =
        ["tuxpaint_es_adelaide_rosella.wav", "tuxpaint_es_albino_peahen.wav", "tuxpaint_es_crowned_crane.wav"]
            .iter()
            .map(|n| {
                let (z, voiced) = standardised_embedding(&real(n), &model).expect("embedding");
                (n.to_string(), z, voiced)
            })
            .collect();
    let template =
        Template::enroll_with_salt(&enrolled, &model, [1u64, 2, 3, 4].map(F::from_canonical_u64)).expect("template");
    let nonce = [5u64, 6, 7, 8].map(F::from_canonical_u64);
    let binding = ChunkBinding::with_threshold(model.embedding.voicing_threshold_q24).with_nonce(nonce);

    let settings = TreeSettings { frames_per_chunk: 256, arity: 4, max_seconds: 10 };
    let cache = CircuitCache::default_dir().map(CircuitCache::new);
    let tree = TreeCircuits::build(settings, cache.as_ref(), &mut |_| {}).expect("tree");
    let decision = decision::final_circuit::DecisionCircuit::build(&tree.root_verifier(), &model).expect("final");

    // One run of every stage, the inputs of the next.
    let chunks: Vec<_> =
        (0..2).map(|i| prove_chunk_bound(&samples, settings.frames_per_chunk, i, &binding).expect("chunk")).collect();
    let leaves: Vec<_> = chunks.iter().map(|ch| tree.leaf().prove(ch).expect("leaf")).collect();
    let top = tree.fold(1).prove(&leaves).expect("fold");
    let root = tree.wrap().prove(&top).expect("wrap");
    let output = decision.prove(&root, &template, nonce).expect("final proof");
    let root_verifier = tree.root_verifier();
    let final_verifier = decision.verifier();

    let mut group = c.benchmark_group("stages");
    group.sample_size(10);
    group.bench_function("chunk STARK (K = 256)", |b| {
        b.iter(|| prove_chunk_bound(&samples, settings.frames_per_chunk, 0, &binding).expect("chunk"))
    });
    group.bench_function("leaf", |b| b.iter(|| tree.leaf().prove(&chunks[0]).expect("leaf")));
    group.bench_function("fold (top, 2 of 4 children)", |b| b.iter(|| tree.fold(1).prove(&leaves).expect("fold")));
    group.bench_function("root (wrap)", |b| b.iter(|| tree.wrap().prove(&top).expect("wrap")));
    group.bench_function("final (zero-knowledge)", |b| {
        b.iter(|| decision.prove(&root, &template, nonce).expect("final"))
    });
    group.bench_function("verify root", |b| b.iter(|| root_verifier.verify(root.plonky2().clone()).expect("valid")));
    group.bench_function("verify final", |b| b.iter(|| final_verifier.verify(output.proof.clone()).expect("valid")));
    group.finish();
}

criterion_group!(benches, bench_stages);
criterion_main!(benches);
