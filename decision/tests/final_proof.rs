//! The final zero-knowledge circuit, over a ladder's leaf proof (the pipeline's, one recursion layer less) and
//! over a root proof (a circuit built over a root key): the proven decision equals the native integer decision
//! at and one unit above the score; every public input is bound; a leaf or root proof with other public values,
//! another voicing threshold or a template of another model is refused; a leaf that breaks a rule of the
//! ladder's root is refused; keys are deterministic and differ per model; proof and key files round-trip, plain
//! and compressed, and refuse other keys and edited headers.
//!
//! One leaf proof and the root proof over it are shared by every test (a ladder of one size, 256 frames: about
//! 25 s to build and prove).

use std::sync::OnceLock;

use decision::files::{
    DecisionFileError, DecisionKey, FinalProofFile, FinalProofHeader, DECISION_FILE_VERSION, DECISION_KEY_MAGIC,
    FINAL_PROOF_MAGIC,
};
use decision::final_circuit::{CompressedDecisionProof, DecisionCircuit, DecisionError, DecisionInput};
use decision::model::Model;
use decision::pipeline::Pipeline;
use decision::score::accepts;
use decision::statement::{Hex4, Statement, NUM_DECISION_PUBLIC_INPUTS};
use decision::template::{standardised_embedding, Template};
use plonky2::field::types::Field;
use recursion::circuit::HasRoot;
use recursion::files::{deviants, FileError};
use recursion::ladder::{LadderChunk, LadderCircuits};
use recursion::ladder_verify::LeafCheckError;
use recursion::progress::Progress;
use recursion::proof::{LeafProof, RootProof};
use recursion::root::RootCircuits;
use recursion::settings::{LadderSettings, RootSettings};
use stark_frames::chunk::config::F;
use stark_frames::chunk::forge::non_canonical_tail;
use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding};
use stark_frames::chunk::public::ChunkPublicInputs;
use stark_frames::commitment::commit_audio;
use stark_frames::Audio;

/// 1.9 s of the genuine recording: one chunk of 256 frames.
const PREFIX: usize = 30_400;

struct Shared {
    pipeline: Pipeline,
    samples: Vec<i16>,
    /// The ladder's leaf proof of `samples`: what the pipeline's final circuit verifies.
    leaf: LeafProof,
    /// The ladder's root proof over `leaf`: what a final circuit built over the root key verifies.
    root: RootProof,
    genuine: Template,
    impostor: Template,
}

fn fixture(name: &str) -> Vec<i16> {
    let path = format!("{}/../fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    Audio::load(path).unwrap().samples().to_vec()
}

fn enroll(names: &[&str], model: &Model, salt: u64) -> Template {
    let recordings: Vec<_> = names
        .iter()
        .map(|n| {
            let (z, voiced) = standardised_embedding(&fixture(n), model).unwrap();
            (n.to_string(), z, voiced)
        })
        .collect();
    Template::enroll_with_salt(&recordings, model, [salt, 2, 3, 4].map(F::from_canonical_u64)).unwrap()
}

fn shared() -> &'static Shared {
    static SHARED: OnceLock<Shared> = OnceLock::new();
    SHARED.get_or_init(|| {
        let model = Model::default_model();
        let samples = fixture("flite_awb_4.wav")[..PREFIX].to_vec();
        let settings = RootSettings::Ladder(LadderSettings { max_seconds: 2 });
        let pipeline = Pipeline::build(settings, &model, &[PREFIX], None, &mut |_| {}).unwrap();
        let binding = ChunkBinding::with_threshold(model.embedding.voicing_threshold_q24).with_nonce(root_nonce());
        let ladder = ladder_of(&pipeline);
        let chunk = LadderChunk::prove(&ladder.settings(), &samples, &binding).unwrap();
        let leaf = ladder.prove_leaf_from_chunk(&chunk, &mut |_| {}).unwrap().leaf;
        let root = ladder.prove_root(&leaf, FRAMES).unwrap();
        let genuine = enroll(&["flite_awb_1.wav", "flite_awb_2.wav", "flite_awb_3.wav"], &model, 1);
        // Another synthesizer's voice: against the default model's cohort of real voices, flite's voices look alike
        // (docs/ACCURACY.md), so a flite impostor would be accepted.
        let impostor = enroll(&["espeak_us_f2_1.wav", "espeak_us_f2_2.wav", "espeak_us_f2_3.wav"], &model, 1);
        Shared { pipeline, samples, leaf, root, genuine, impostor }
    })
}

/// The ladder's only chunk size.
const FRAMES: usize = 256;

fn ladder_of(pipeline: &Pipeline) -> &LadderCircuits {
    let RootCircuits::Ladder(ladder) = pipeline.root() else { unreachable!("ladder settings build a ladder") };
    ladder
}

impl Shared {
    /// The shared leaf proof, as the pipeline's final circuit takes it.
    fn input(&self) -> DecisionInput<'_> {
        DecisionInput::LadderLeaf { leaf: &self.leaf, frames: FRAMES }
    }
}

fn nonce(k: u64) -> [F; 4] {
    [k, k + 1, k + 2, k + 3].map(F::from_canonical_u64)
}

/// The nonce the shared root proof is bound to: every final proof over it uses this one.
fn root_nonce() -> [F; 4] {
    nonce(1)
}

/// The native integer score of a unit embedding (of a trial of `voiced` voiced frames) against a unit template
/// under the model's metric and duration calibration.
fn native_score(
    model: &Model,
    u: decision::embedding::Embedding,
    t: decision::embedding::Embedding,
    voiced: u64,
) -> i64 {
    model.score(&model.side(u).unwrap(), &model.side(t).unwrap(), voiced).unwrap()
}

fn with_threshold(threshold_q30: i64) -> Model {
    Model { threshold_q30, ..Model::default_model() }
}

#[test]
fn proven_decision_equals_native_at_and_one_step_above_the_score() {
    let s = shared();
    let root_key = s.pipeline.root().root_verifier();
    for template in [&s.genuine, &s.impostor] {
        let (_, score) = s.pipeline.decision().expected(s.input(), template, root_nonce()).unwrap();
        println!("score {:.4} against {}", score as f64 / (1u64 << 30) as f64, template.enrolled[0].name);
        // The thresholds the model's metric allows just at and just above the score (under S-norm, multiples of
        // 2^15).
        let step = Model::default_model().threshold_step();
        let at = score.div_euclid(step) * step;
        for (threshold, want) in [(at, true), (at + step, false)] {
            let model = with_threshold(threshold);
            assert_eq!(accepts(score, threshold), want);
            // The same template (h_template depends on the vector and the salt only) under this model.
            let template = Template { h_model: model.h_model_hex(), ..template.clone() };
            // Over the root key, at the threshold; over the ladder's leaves, one above.
            let out = if want {
                DecisionCircuit::build(&root_key, &model).unwrap().prove(&s.root, &template, root_nonce()).unwrap()
            } else {
                let circuit = DecisionCircuit::build_over_ladder(ladder_of(&s.pipeline).leaf_keys_list(), &model);
                circuit.prove(s.input(), &template, root_nonce()).unwrap()
            };
            let st = out.statement;
            assert_eq!(st.accept, want, "threshold {threshold}, score {score}");
            assert_eq!(out.score_q30, score);
            assert_eq!(st.h_audio.0, commit_audio(&s.samples).0);
            assert_eq!(st.num_samples, PREFIX as u64);
            assert_eq!(st.h_template.to_string(), template.h_template);
            assert_eq!(st.h_model, Hex4(model.h_model()));
            assert_eq!(st.nonce, Hex4(root_nonce()));
        }
    }
}

#[test]
fn the_default_model_accepts_the_genuine_voice_and_rejects_the_impostor() {
    let s = shared();
    let genuine = s.pipeline.decision().prove(s.input(), &s.genuine, root_nonce()).unwrap();
    let impostor = s.pipeline.decision().prove(s.input(), &s.impostor, root_nonce()).unwrap();
    assert!(genuine.statement.accept, "score {}", genuine.score_q30);
    assert!(!impostor.statement.accept, "score {}", impostor.score_q30);
}

#[test]
fn every_public_input_is_bound_plain_and_compressed() {
    let s = shared();
    let circuit = s.pipeline.decision();
    let out = circuit.prove(s.input(), &s.genuine, root_nonce()).unwrap();
    let key = circuit.verifier();
    key.verify(out.proof.clone()).unwrap();
    let compressed = circuit.compress(&out.proof).unwrap();
    key.verify_compressed(compressed.clone()).unwrap();
    for i in 0..NUM_DECISION_PUBLIC_INPUTS {
        let mut p = out.proof.clone();
        p.public_inputs[i] += F::ONE;
        assert!(key.verify(p).is_err(), "public input {i} changed, the proof still verifies");
        // plonky2's decompression may panic on a compressed proof whose challenges moved; a rejection
        // either way (`FinalProofFile::verify` turns the panic into an error, checked below).
        let mut c = compressed.clone();
        c.public_inputs[i] += F::ONE;
        let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| key.verify_compressed(c)));
        assert!(verdict.map_or(true, |r| r.is_err()), "public input {i} changed, the compressed proof still verifies");
    }
    // Through the file, as `voizk verify` reads it: a changed nonce in a compressed proof is an error.
    let mut c = compressed.clone();
    c.public_inputs[NUM_DECISION_PUBLIC_INPUTS - 2] += F::ONE;
    let key_file = DecisionKey::from_bytes(&s.pipeline.key().to_bytes()).unwrap();
    let file = FinalProofFile {
        header: FinalProofHeader {
            settings: s.pipeline.root().settings(),
            key_digest: key_file.digest_hex(),
            compressed: true,
            statement: Statement::decode(&c.public_inputs).unwrap(),
            audio_secs: 1.9,
            layers: Vec::new(),
        },
        proof_bytes: c.to_bytes(),
    };
    assert!(matches!(file.verify(&key_file), Err(DecisionFileError::Invalid(_))));
}

/// Adds one to the public value `field` of a proof with the chunk layout.
fn bump(public_inputs: &mut [F], field: &str) {
    let p: &mut ChunkPublicInputs<F> = std::borrow::BorrowMut::borrow_mut(public_inputs);
    let cell = match field {
        "count" => &mut p.stats.count,
        "sum[3]" => &mut p.stats.sum[3],
        "digest[0]" => &mut p.digest[0],
        "num_samples" => &mut p.num_samples,
        "nonce[2]" => &mut p.nonce[2],
        "first_frame" => &mut p.first_frame,
        _ => &mut p.voicing_threshold,
    };
    *cell += F::ONE;
}

#[test]
fn a_leaf_or_root_proof_with_changed_public_values_is_refused() {
    let s = shared();
    let over_leaf = s.pipeline.decision();
    let over_root = DecisionCircuit::build(&s.pipeline.root().root_verifier(), &Model::default_model()).unwrap();
    for field in ["count", "sum[3]", "digest[0]", "num_samples", "voicing_threshold", "nonce[2]", "first_frame"] {
        let mut leaf = s.leaf.clone();
        bump(&mut leaf.plonky2_mut().public_inputs, field);
        let r = over_leaf.prove_unchecked(
            DecisionInput::LadderLeaf { leaf: &leaf, frames: FRAMES },
            &s.genuine,
            root_nonce(),
        );
        assert!(matches!(r, Err(DecisionError::Prove(_))), "leaf {field}: {:?}", r.err());
        let mut root = s.root.clone();
        bump(&mut root.plonky2_mut().public_inputs, field);
        let r = over_root.prove_unchecked(&root, &s.genuine, root_nonce());
        assert!(matches!(r, Err(DecisionError::Prove(_))), "root {field}: {:?}", r.err());
    }
}

/// The final circuit over a ladder applies the ladder root's rules itself: an honest leaf proof of a chunk that
/// does not start the recording (chunk 1 of a 3.8 s recording) is named natively and unsatisfiable in the circuit;
/// a root proof given to it, or a leaf proof to a circuit over the root key, is refused as the wrong kind.
#[test]
fn the_final_circuit_over_a_ladder_applies_the_root_rules() {
    let s = shared();
    let circuit = s.pipeline.decision();
    let mut twice = s.samples.clone();
    twice.extend_from_slice(&s.samples);
    let binding =
        ChunkBinding::with_threshold(Model::default_model().embedding.voicing_threshold_q24).with_nonce(root_nonce());
    let chunk = prove_chunk_bound(&twice, FRAMES, 1, &binding).expect("chunk 1 proves");
    let leaf = ladder_of(&s.pipeline).leaf(FRAMES).unwrap().prove(&chunk).expect("its leaf proves");
    let input = DecisionInput::LadderLeaf { leaf: &leaf, frames: FRAMES };
    let r = circuit.expected(input, &s.genuine, root_nonce());
    assert!(matches!(r, Err(DecisionError::LadderLeaf(LeafCheckError::Rule(_)))), "{:?}", r.err());
    let r = circuit.prove_unchecked(input, &s.genuine, root_nonce());
    assert!(matches!(r, Err(DecisionError::Prove(_))), "a chunk that does not start the recording: {:?}", r.err());
    let r = circuit.prove_unchecked(DecisionInput::LadderLeaf { leaf: &s.leaf, frames: 512 }, &s.genuine, root_nonce());
    assert!(matches!(r, Err(DecisionError::LadderLeaf(LeafCheckError::NotASize { .. }))), "{:?}", r.err());

    let r = circuit.prove_unchecked(&s.root, &s.genuine, root_nonce());
    assert!(matches!(r, Err(DecisionError::Kind { .. })), "{:?}", r.err());
    let over_root = DecisionCircuit::build(&s.pipeline.root().root_verifier(), &Model::default_model()).unwrap();
    let r = over_root.prove(s.input(), &s.genuine, root_nonce());
    assert!(matches!(r, Err(DecisionError::Kind { .. })), "{:?}", r.err());
}

/// Every layer is bound to the session nonce: a root proof made for one nonce gives no final proof for
/// another (named natively; unsatisfiable in the circuit).
#[test]
fn a_root_proof_made_for_another_nonce_is_refused() {
    let s = shared();
    let circuit = s.pipeline.decision();
    let r = circuit.expected(s.input(), &s.genuine, nonce(2));
    assert!(matches!(r, Err(DecisionError::Nonce { .. })), "{:?}", r.err());
    let r = circuit.prove_unchecked(s.input(), &s.genuine, nonce(2));
    assert!(matches!(r, Err(DecisionError::Prove(_))), "{:?}", r.err());
    assert!(circuit.prove_unchecked(s.input(), &s.genuine, root_nonce()).is_ok());
}

#[test]
fn another_voicing_threshold_or_a_template_of_another_model_is_refused() {
    let s = shared();
    let mut model = Model::default_model();
    model.embedding.voicing_threshold_q24 += 1;
    let circuit = DecisionCircuit::build(&s.pipeline.root().root_verifier(), &model).unwrap();
    let template = enroll(&["flite_awb_1.wav", "flite_awb_2.wav", "flite_awb_3.wav"], &model, 1);
    assert!(matches!(circuit.expected(&s.root, &template, root_nonce()), Err(DecisionError::VoicingThreshold { .. })));
    assert!(matches!(circuit.prove_unchecked(&s.root, &template, root_nonce()), Err(DecisionError::Prove(_))));
    // The default model's circuit with that template: enrolled under another h_model.
    let r = s.pipeline.decision().prove(s.input(), &template, root_nonce());
    assert!(matches!(r, Err(DecisionError::TemplateModel { .. })), "{:?}", r.err());
}

#[test]
fn keys_are_deterministic_and_differ_per_model() {
    let s = shared();
    let keys = ladder_of(&s.pipeline).leaf_keys_list();
    let model = Model::default_model();
    let again = DecisionCircuit::build_over_ladder(keys, &model);
    assert_eq!(again.verifier().verifier_only, s.pipeline.decision().verifier().verifier_only);
    assert_eq!(again.verifier().common, s.pipeline.decision().verifier().common);
    let other = DecisionCircuit::build_over_ladder(keys, &with_threshold(model.threshold_q30 + model.threshold_step()));
    assert_ne!(other.verifier().verifier_only.circuit_digest, again.verifier().verifier_only.circuit_digest);
    // Over the root key: deterministic too, and another circuit than over the leaves.
    let root_key = s.pipeline.root().root_verifier();
    let over_root = DecisionCircuit::build(&root_key, &model).unwrap();
    assert_eq!(
        over_root.verifier().verifier_only,
        DecisionCircuit::build(&root_key, &model).unwrap().verifier().verifier_only
    );
    assert_ne!(over_root.verifier().verifier_only.circuit_digest, again.verifier().verifier_only.circuit_digest);
}

#[test]
fn the_final_circuit_is_zero_knowledge() {
    let s = shared();
    let circuit = s.pipeline.decision();
    assert!(circuit.data().common.config.zero_knowledge);
    // Blinding makes two proofs of the same witness differ (a non-zero-knowledge plonky2 prover is
    // deterministic); both verify and state the same.
    let a = circuit.prove(s.input(), &s.genuine, root_nonce()).unwrap();
    let b = circuit.prove(s.input(), &s.genuine, root_nonce()).unwrap();
    assert_eq!(a.statement, b.statement);
    assert_ne!(a.proof.to_bytes(), b.proof.to_bytes());
    // voizk's plonky2 zero-knowledge patch (vendor/plonky2/VOIZK_PATCHES.md; the library's own tests are in
    // stark-frames/tests/plonky2_zk.rs): 2^14 rows (116 features, issue 16 step 2b), 9 randomised quotient chunks
    // per challenge, a FRI batch mask of 2 polynomials at the end of the quotient leaves, fresh in every proof; both
    // proofs verify.
    let common = &circuit.data().common;
    assert_eq!((common.degree_bits(), common.num_quotient_polys(), common.num_batch_mask_polys()), (14, 18, 2));
    for p in [&a.proof, &b.proof] {
        circuit.data().verify(p.clone()).unwrap();
    }
    let mask = |p: &decision::final_circuit::DecisionProof| -> Vec<F> {
        let rounds = &p.proof.opening_proof.query_round_proofs;
        rounds.iter().flat_map(|r| r.initial_trees_proof.evals_proofs[3].0[18..20].to_vec()).collect()
    };
    assert!(mask(&a.proof).iter().zip(mask(&b.proof)).all(|(x, y)| *x != y && !x.is_zero()));
    // The leaf and root proofs are not zero-knowledge (deterministic).
    assert!(!ladder_of(&s.pipeline).leaf(FRAMES).unwrap().data().common.config.zero_knowledge);
    assert!(!s.pipeline.root().root().common.config.zero_knowledge);
}

#[test]
fn files_round_trip_and_refuse_other_keys_and_edited_headers() {
    let s = shared();
    let proof = s.pipeline.prove(&s.samples, &s.genuine, nonce(6), &mut |_| {}).unwrap();
    assert!(proof.compressed_bytes < proof.output.proof.to_bytes().len());
    let key_bytes = s.pipeline.key().to_bytes();
    let key = DecisionKey::from_bytes(&key_bytes).unwrap();
    for (what, deviant) in deviants(&key_bytes, DECISION_KEY_MAGIC, DECISION_FILE_VERSION) {
        let r = DecisionKey::from_bytes(&deviant);
        let refused =
            matches!(r, Err(DecisionFileError::File(FileError::NonCanonical { .. } | FileError::Version { .. })));
        assert!(refused, "decision key {what}: {:?}", r.err());
    }
    for compressed in [false, true] {
        let bytes = s.pipeline.file(&proof, compressed, 1.9).unwrap().to_bytes();
        let file = FinalProofFile::from_bytes(&bytes).unwrap();
        assert_eq!(file.header.compressed, compressed);
        assert_eq!(file.verify(&key).unwrap(), proof.output.statement);
        // A header that states another decision or nonce than the proof.
        let mut edited = FinalProofFile::from_bytes(&bytes).unwrap();
        edited.header.statement.accept = !edited.header.statement.accept;
        assert!(matches!(edited.verify(&key), Err(DecisionFileError::Invalid(_))));
        let mut edited = FinalProofFile::from_bytes(&bytes).unwrap();
        edited.header.statement.nonce = Hex4(nonce(7));
        assert!(matches!(edited.verify(&key), Err(DecisionFileError::Invalid(_))));
        // A header that names other settings than the key's, or another length than the statement's.
        let mut edited = FinalProofFile::from_bytes(&bytes).unwrap();
        edited.header.settings = RootSettings::Ladder(LadderSettings { max_seconds: 30 });
        assert!(matches!(edited.verify(&key), Err(DecisionFileError::Invalid(_))), "edited settings");
        let mut edited = FinalProofFile::from_bytes(&bytes).unwrap();
        edited.header.audio_secs = 3.0;
        assert!(matches!(edited.verify(&key), Err(DecisionFileError::Invalid(_))), "edited length");
        // One flipped byte in the proof body.
        let mut flipped = FinalProofFile::from_bytes(&bytes).unwrap();
        let at = flipped.proof_bytes.len() / 2;
        flipped.proof_bytes[at] ^= 1;
        assert!(flipped.verify(&key).is_err());
        // Second spellings: a byte appended, the header respelled, the next version, a public input as x + p.
        let mut cases = deviants(&bytes, FINAL_PROOF_MAGIC, DECISION_FILE_VERSION);
        cases.push(("a public input as x + p", non_canonical_tail(&bytes).expect("a small public input")));
        for (what, deviant) in cases {
            let r = FinalProofFile::from_bytes(&deviant).and_then(|f| f.verify(&key));
            let refused = matches!(
                r,
                Err(DecisionFileError::File(FileError::NonCanonical { .. } | FileError::Version { .. })
                    | DecisionFileError::Encoding(_))
            );
            assert!(refused, "final proof (compressed {compressed}) {what}: {:?}", r.err());
        }
        // Truncated and garbage files.
        let truncated = FinalProofFile::from_bytes(&bytes[..bytes.len() / 2]).and_then(|f| f.verify(&key));
        assert!(matches!(truncated, Err(DecisionFileError::Encoding(_))), "{:?}", truncated.err());
        assert!(FinalProofFile::from_bytes(b"garbage").is_err());
    }
    // The key of another model: named by the header, and refused by verification when the header is forged.
    let other = DecisionCircuit::build(&s.pipeline.root().root_verifier(), &with_threshold(1 << 29)).unwrap();
    let other_key = DecisionKey::signed(
        decision::files::DecisionKeyHeader {
            model: other.model().clone(),
            h_model: other.model().h_model_hex(),
            ..key.header.clone()
        },
        other.verifier(),
    );
    let other_key = DecisionKey::from_bytes(&other_key.to_bytes()).unwrap();
    let bytes = s.pipeline.file(&proof, false, 1.9).unwrap().to_bytes();
    let file = FinalProofFile::from_bytes(&bytes).unwrap();
    assert!(matches!(file.verify(&other_key), Err(DecisionFileError::KeyMismatch { .. })));
    let mut forged = FinalProofFile::from_bytes(&bytes).unwrap();
    forged.header.key_digest = other_key.digest_hex();
    assert!(matches!(forged.verify(&other_key), Err(DecisionFileError::Invalid(_))));
    // A key file whose header names another model than its circuit decides with: its digest covers the header,
    // so the edited file is refused when read; signed again it is another key, and a proof forged to name it
    // still states the honest h_model.
    let mut lying = DecisionKey::from_bytes(&key.to_bytes()).unwrap();
    lying.header.model = with_threshold(1 << 29);
    lying.header.h_model = lying.header.model.h_model_hex();
    let r = DecisionKey::from_bytes(&lying.to_bytes());
    assert!(matches!(r, Err(DecisionFileError::Inconsistent(_))), "{:?}", r.err());
    let lying = DecisionKey::from_bytes(&DecisionKey::signed(lying.header, lying.data).to_bytes()).unwrap();
    assert_ne!(lying.digest_hex(), key.digest_hex());
    let mut forged = FinalProofFile::from_bytes(&bytes).unwrap();
    forged.header.key_digest = lying.digest_hex();
    assert!(matches!(forged.verify(&lying), Err(DecisionFileError::Invalid(_))));
    // A key of a circuit without zero knowledge (18 public inputs, nothing else) is refused when read.
    let mut b = plonky2::plonk::circuit_builder::CircuitBuilder::<F, 2>::new(
        plonky2::plonk::circuit_data::CircuitConfig::standard_recursion_config(),
    );
    let pis: [_; NUM_DECISION_PUBLIC_INPUTS] = b.add_virtual_target_arr();
    b.register_public_inputs(&pis);
    let plain = b.build::<stark_frames::chunk::config::C>().verifier_data();
    let not_zk = DecisionKey::signed(key.header.clone(), plain);
    let r = DecisionKey::from_bytes(&not_zk.to_bytes());
    assert!(matches!(r, Err(DecisionFileError::Inconsistent(ref m)) if m.contains("zero-knowledge")), "{:?}", r.err());
}

/// A loud real recording (1.25 s of a real voice whose frames reach energy 2^49.4, beyond the first block
/// shift's range) goes from samples to a verified final proof, stating its `h_audio` and the decision the
/// native integer pipeline makes from the audio alone.
#[test]
fn a_loud_real_recording_is_proven_to_the_final_proof() {
    let s = shared();
    let path = format!("{}/../fixtures/real/tuxpaint_es_toy_truck_loud.wav", env!("CARGO_MANIFEST_DIR"));
    let samples = Audio::load(path).unwrap().samples().to_vec();
    let model = Model::default_model();
    let proof = s.pipeline.prove(&samples, &s.genuine, nonce(9), &mut |_| {}).expect("a loud real recording proves");
    let statement = proof.output.statement;
    assert_eq!(statement.h_audio.0, commit_audio(&samples).0);
    assert_eq!(statement.num_samples, samples.len() as u64);
    let (z, voiced) = standardised_embedding(&samples, &model).unwrap();
    let u = decision::embedding::unit(&z).unwrap();
    let native = accepts(native_score(&model, u, s.genuine.unit(), voiced), model.threshold_q30);
    assert_eq!(statement.accept, native, "the proven decision is the native one");
}

/// A compressed proof of the wrong shape is an error, never a panic (plonky2 1.1.0 indexed its maps by the query
/// indices and unwrapped Merkle siblings: found by `fuzz/fuzz_targets/verify.rs`), and a compressed proof with an
/// unused entry or an extra sibling (a second encoding of the same proof) is refused too.
#[test]
fn compressed_proofs_of_the_wrong_shape_are_errors_not_panics() {
    let s = shared();
    let circuit = s.pipeline.decision();
    let out = circuit.prove(s.input(), &s.genuine, root_nonce()).unwrap();
    let honest = circuit.compress(&out.proof).unwrap();
    let key = circuit.verifier();
    key.verify_compressed(honest.clone()).expect("the honest compressed proof verifies");
    let first = honest.proof.opening_proof.query_round_proofs.indices[0];
    let mut cases: Vec<(&str, CompressedDecisionProof)> = Vec::new();
    let mut c = honest.clone();
    c.proof.opening_proof.query_round_proofs.initial_trees_proofs.remove(&first);
    cases.push(("an initial tree proof missing", c));
    let mut c = honest.clone();
    let extra = c.proof.opening_proof.query_round_proofs.initial_trees_proofs[&first].clone();
    c.proof.opening_proof.query_round_proofs.initial_trees_proofs.insert(usize::MAX >> 8, extra);
    cases.push(("an unused initial tree proof", c));
    let mut c = honest.clone();
    let t = c.proof.opening_proof.query_round_proofs.initial_trees_proofs.get_mut(&first).unwrap();
    let sibling = t.evals_proofs[0].1.siblings[0];
    t.evals_proofs[0].1.siblings.push(sibling);
    cases.push(("an extra Merkle sibling", c));
    let mut c = honest.clone();
    let t = c.proof.opening_proof.query_round_proofs.initial_trees_proofs.get_mut(&first).unwrap();
    t.evals_proofs[0].1.siblings.clear();
    cases.push(("no Merkle siblings", c));
    let mut c = honest.clone();
    let t = c.proof.opening_proof.query_round_proofs.initial_trees_proofs.get_mut(&first).unwrap();
    t.evals_proofs[1].0.pop();
    cases.push(("a short initial leaf", c));
    let mut c = honest.clone();
    let step = c.proof.opening_proof.query_round_proofs.steps[0].values_mut().next().unwrap();
    step.evals.pop();
    cases.push(("a FRI step with an evaluation missing", c));
    let mut c = honest.clone();
    c.proof.opening_proof.query_round_proofs.steps.pop();
    cases.push(("a FRI step level missing", c));
    let mut c = honest.clone();
    c.proof.opening_proof.commit_phase_merkle_caps.pop();
    cases.push(("a commit-phase cap missing", c));
    let mut c = honest.clone();
    c.proof.opening_proof.query_round_proofs.indices.reverse();
    cases.push(("the query indices listed in another order", c));
    let mut c = honest.clone();
    c.proof.openings.wires.pop();
    cases.push(("an opening missing", c));
    for (what, c) in cases {
        assert!(key.verify_compressed(c).is_err(), "{what}: accepted");
    }
}

/// `Pipeline::build_and_prove` (the chunk STARK proven while the circuits are built, as `voizk prove` does for a
/// ladder) makes the same circuits and key as `Pipeline::build`, and a proof that verifies under the key built the
/// usual way and states the recording, the nonce and the native decision.
#[test]
fn building_and_proving_together_gives_the_same_key_and_a_valid_proof() {
    let s = shared();
    let model = Model::default_model();
    let settings = RootSettings::Ladder(LadderSettings { max_seconds: 2 });
    let mut events = Vec::new();
    let (pipeline, proof, build_secs) =
        Pipeline::build_and_prove(settings, &model, &s.samples, &s.genuine, nonce(11), None, &mut |e| events.push(e))
            .expect("proves");
    assert!(build_secs > 0.0);
    assert_eq!(pipeline.key().to_bytes(), s.pipeline.key().to_bytes(), "the same circuits");
    let layers: Vec<_> = proof.layers.iter().map(|l| l.layer.as_str()).collect();
    assert_eq!(layers, ["chunk STARK (K = 256)", "leaf", "final (zero-knowledge)"], "no root layer over a ladder");
    assert!(events.iter().any(|e| matches!(e, Progress::Layer { name, .. } if name == "leaf")));

    let file = pipeline.file(&proof, false, s.samples.len() as f64 / 16_000.0).unwrap();
    let statement = FinalProofFile::from_bytes(&file.to_bytes()).unwrap().verify(&s.pipeline.key()).unwrap();
    assert_eq!(statement.h_audio.0, commit_audio(&s.samples).0);
    assert_eq!(statement.num_samples, s.samples.len() as u64);
    assert_eq!(statement.nonce, Hex4(nonce(11)));
    let (z, voiced) = standardised_embedding(&s.samples, &model).unwrap();
    let u = decision::embedding::unit(&z).unwrap();
    assert_eq!(statement.accept, accepts(native_score(&model, u, s.genuine.unit(), voiced), model.threshold_q30));

    // A template of another model is refused before any work.
    let mut other = s.genuine.clone();
    other.h_model = "00".repeat(32);
    let refused = Pipeline::build_and_prove(settings, &model, &s.samples, &other, nonce(11), None, &mut |_| {});
    assert!(matches!(refused, Err(decision::pipeline::PipelineError::Decision(DecisionError::TemplateModel { .. }))));
}
