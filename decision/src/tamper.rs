//! The tamper matrix (issue 17): one honest proof of every layer — chunk STARK, leaf, two fold levels, the
//! wrapped root, the final proof plain and compressed — each altered in every public input, in a sample of
//! flipped proof bits, and passed where a proof of another layer or another setting is expected. Every altered
//! proof must be refused by the verifier a user of that layer has: [`ChunkProof::verify`] after
//! [`ChunkProof::from_bytes`], the circuit's own `verify` for leaves and folds, [`RootFile::verify`] against the
//! [`RootKey`], and [`FinalProofFile::verify`] against the [`DecisionKey`], as `voizk verify` runs it.
//!
//! The matrix proves one short recording through a small tree ([`MATRIX_SETTINGS`]: chunks of 64 frames, arity
//! 2, at most 2 s, so three chunks and two fold levels), bound to a fixed nonce, under the given model.

use std::borrow::BorrowMut;
use std::panic::AssertUnwindSafe;

use plonky2::field::types::Field;
use plonky2::plonk::circuit_data::CircuitData;
use plonky2::plonk::proof::ProofWithPublicInputs;
use recursion::cache::CircuitCache;
use recursion::circuit::HasRoot;
use recursion::files::{RootFile, RootKey};
use recursion::progress::Progress;
use recursion::proof::{FoldProof, LeafProof, RootOutput, RootProof};
use recursion::root::RootCircuits;
use recursion::settings::{RootSettings, TreeSettings};
use stark_frames::chunk::config::{chunk_count, C, D, F};
use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding, ChunkProof};
use stark_frames::chunk::public::{ChunkPublicInputs, NUM_PUBLIC_INPUTS};

use crate::files::{DecisionKey, FinalProofFile};
use crate::model::Model;
use crate::pipeline::{Pipeline, PipelineError, PipelineProof};
use crate::statement::{Statement, NUM_DECISION_PUBLIC_INPUTS};
use crate::template::Template;

/// The tree the matrix proves through: small enough to build and prove in about two minutes on 2 cores, deep
/// enough to have an inner fold level and a top fold level.
pub const MATRIX_SETTINGS: TreeSettings = TreeSettings { frames_per_chunk: 64, arity: 2, max_seconds: 2 };

/// Samples the matrix proves: 1.9 s, three chunks of 64 frames.
pub const MATRIX_SAMPLES: usize = 30_400;

/// The nonce every layer of the matrix's proofs is bound to.
const MATRIX_NONCE: [u64; 4] = [0x766f_697a_6b00_0001, 2, 3, 4];

/// Why the matrix could not be run (never because a tampered proof was accepted: that is a row of the result).
#[derive(Debug, thiserror::Error)]
pub enum TamperError {
    /// The recording is shorter than the matrix needs.
    #[error("the tamper matrix needs at least {MATRIX_SAMPLES} samples (1.9 s at 16 kHz), got {0}")]
    TooShort(usize),
    /// Building or proving the honest proofs failed.
    #[error(transparent)]
    Pipeline(#[from] PipelineError),
    /// An honest proof of a layer failed (a bug).
    #[error("the honest {layer} proof failed: {reason}")]
    Honest {
        /// The layer.
        layer: &'static str,
        /// Why.
        reason: String,
    },
}

/// What was done to the proofs of one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub enum Tampering {
    /// Each public input, one at a time, plus one.
    PublicInput,
    /// One bit of the proof's bytes flipped, at a pseudo-random place.
    BitFlip,
    /// A proof of another layer or setting in its place.
    OtherLayerOrSetting,
}

/// One row of the matrix: a layer, a kind of tampering, how many cases were tried and how many refused.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TamperRow {
    /// The layer whose verifier was given the altered proofs.
    pub layer: String,
    /// What was done.
    pub tampering: Tampering,
    /// Cases tried.
    pub tried: usize,
    /// Cases refused.
    pub rejected: usize,
    /// The cases accepted (each a soundness failure), by name.
    pub accepted: Vec<String>,
}

/// Options of the matrix.
#[derive(Clone, Copy, Debug)]
pub struct TamperOptions {
    /// Bit flips per layer.
    pub flips: usize,
    /// Seed of the flip positions.
    pub seed: u64,
}

impl Default for TamperOptions {
    /// 64 flips per layer, a fixed seed.
    fn default() -> Self {
        Self { flips: 64, seed: 17 }
    }
}

/// Accumulates the outcomes of one row.
struct Row(TamperRow);

impl Row {
    fn new(layer: &str, tampering: Tampering) -> Self {
        Self(TamperRow { layer: layer.into(), tampering, tried: 0, rejected: 0, accepted: Vec::new() })
    }

    /// Records one case; `refused` runs the verifier (a panic counts as a refusal, and is what a caller that
    /// catches panics, like every file verifier, sees).
    fn case(&mut self, name: impl Into<String>, refused: impl FnOnce() -> bool) {
        self.0.tried += 1;
        if std::panic::catch_unwind(AssertUnwindSafe(refused)).unwrap_or(true) {
            self.0.rejected += 1;
        } else {
            self.0.accepted.push(name.into());
        }
    }
}

/// SplitMix64: a reproducible stream of flip positions.
struct Flips(u64);

impl Flips {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// `bytes` with one pseudo-random bit flipped in `range`, and its name.
    fn flip(&mut self, bytes: &[u8], range: std::ops::Range<usize>) -> (String, Vec<u8>) {
        let at = range.start + (self.next() % range.len() as u64) as usize;
        let bit = self.next() % 8;
        let mut out = bytes.to_vec();
        out[at] ^= 1 << bit;
        (format!("byte {at} bit {bit}"), out)
    }
}

/// The names of the chunk layout's public inputs, in order (`first_frame`, `sponge_in[2]`, ...).
pub fn chunk_input_names() -> Vec<String> {
    let mut names = vec![String::new(); NUM_PUBLIC_INPUTS];
    let mut index: Vec<usize> = (0..NUM_PUBLIC_INPUTS).collect();
    let view: &mut ChunkPublicInputs<usize> = index[..].borrow_mut();
    let mut name = |i: usize, n: String| names[i] = n;
    for (field, value) in [
        ("first_frame", view.first_frame),
        ("num_samples", view.num_samples),
        ("num_frames", view.num_frames),
        ("num_hops", view.num_hops),
        ("voicing_threshold", view.voicing_threshold),
        ("stats.count", view.stats.count),
        ("delta_has_prev", view.delta_has_prev),
    ] {
        name(value, field.into());
    }
    for (side, link) in [("delta_in", &view.delta_in), ("delta_out", &view.delta_out)] {
        for (i, e) in link.e.iter().enumerate() {
            for (n, &j) in e.iter().enumerate() {
                name(j, format!("{side}.e[{i}][{n}]"));
            }
        }
    }
    for (field, values) in [
        ("sponge_in", &view.sponge_in[..]),
        ("sponge_out", &view.sponge_out[..]),
        ("digest", &view.digest[..]),
        ("head", &view.head[..]),
        ("tail", &view.tail[..]),
        ("stats.sum", &view.stats.sum[..]),
        ("stats.sum_sq", &view.stats.sum_sq[..]),
        ("delta_sum_dsq", &view.delta_sum_dsq[..]),
        ("delta_in.weight", &view.delta_in.weight[..]),
        ("delta_out.weight", &view.delta_out.weight[..]),
        ("nonce", &view.nonce[..]),
    ] {
        for (j, &i) in values.iter().enumerate() {
            name(i, format!("{field}[{j}]"));
        }
    }
    names
}

/// A plonky2 proof of `data`'s circuit, its public inputs and bytes checked by the circuit's verifier: refused when
/// the bytes do not parse or the proof does not verify.
fn plonky2_refuses(data: &CircuitData<F, C, D>, bytes: Vec<u8>) -> bool {
    match ProofWithPublicInputs::<F, C, D>::from_bytes(bytes, &data.common) {
        Ok(p) => data.verify(p).is_err(),
        Err(_) => true,
    }
}

/// The rows of one plonky2 layer (leaf or fold): public inputs, bit flips, and the `others` proofs in its place.
fn plonky2_rows(
    layer: &str,
    data: &CircuitData<F, C, D>,
    proof: &ProofWithPublicInputs<F, C, D>,
    names: &[String],
    others: &[(&str, &ProofWithPublicInputs<F, C, D>)],
    opts: &TamperOptions,
    flips: &mut Flips,
) -> Vec<TamperRow> {
    let mut inputs = Row::new(layer, Tampering::PublicInput);
    for (i, name) in names.iter().enumerate() {
        let mut p = proof.clone();
        p.public_inputs[i] += F::ONE;
        inputs.case(name.clone(), || data.verify(p).is_err());
    }
    let bytes = proof.to_bytes();
    let mut bits = Row::new(layer, Tampering::BitFlip);
    for _ in 0..opts.flips {
        let (name, flipped) = flips.flip(&bytes, 0..bytes.len());
        bits.case(name, || plonky2_refuses(data, flipped));
    }
    let mut cross = Row::new(layer, Tampering::OtherLayerOrSetting);
    for (name, other) in others {
        cross.case(*name, || plonky2_refuses(data, other.to_bytes()));
    }
    vec![inputs.0, bits.0, cross.0]
}

/// Runs the matrix on the first [`MATRIX_SAMPLES`] of `samples`, with `template` enrolled under `model`; `note`
/// hears each stage. Returns one row per layer and kind of tampering.
pub fn tamper_matrix(
    samples: &[i16],
    template: &Template,
    model: &Model,
    opts: &TamperOptions,
    cache: Option<&CircuitCache>,
    note: &mut dyn FnMut(&str),
) -> Result<Vec<TamperRow>, TamperError> {
    if samples.len() < MATRIX_SAMPLES {
        return Err(TamperError::TooShort(samples.len()));
    }
    let samples = &samples[..MATRIX_SAMPLES];
    let honest = |layer: &'static str| move |e: String| TamperError::Honest { layer, reason: e };
    note("building the circuits (tree of 64-frame chunks, arity 2, at most 2 s) and the final circuit");
    let settings = RootSettings::Tree(MATRIX_SETTINGS);
    let pipeline = Pipeline::build(settings, model, &[samples.len()], cache, &mut |_: Progress| {})?;
    let RootCircuits::Tree(tree) = pipeline.root() else { unreachable!("tree settings build a tree") };
    let nonce = MATRIX_NONCE.map(F::from_canonical_u64);
    let binding = ChunkBinding::with_threshold(model.embedding.voicing_threshold_q24).with_nonce(nonce);
    let k = MATRIX_SETTINGS.frames_per_chunk;

    note("proving the honest proofs: three chunk STARKs and leaves, two fold levels, the root, the final proof");
    let chunks: Vec<ChunkProof> = (0..chunk_count(samples.len(), k))
        .map(|i| prove_chunk_bound(samples, k, i, &binding))
        .collect::<Result<_, _>>()
        .map_err(|e| honest("chunk")(e.to_string()))?;
    let leaves: Vec<LeafProof> = chunks
        .iter()
        .map(|c| tree.leaf().prove(c))
        .collect::<Result<_, _>>()
        .map_err(|e| honest("leaf")(e.to_string()))?;
    let inner: Vec<FoldProof> = leaves
        .chunks(MATRIX_SETTINGS.arity)
        .map(|g| tree.fold(1).prove(g))
        .collect::<Result<_, _>>()
        .map_err(|e| honest("fold")(e.to_string()))?;
    let top = tree.fold(2).prove(&inner).map_err(|e| honest("top fold")(e.to_string()))?;
    let root = tree.wrap().prove(&top).map_err(|e| honest("root")(e.to_string()))?;
    let root_proof = RootOutput { root, layers: Vec::new() };
    let key =
        RootKey::from_bytes(&pipeline.root().root_key().to_bytes()).map_err(|e| honest("root key")(e.to_string()))?;
    let root_file = RootFile::new(&root_proof, settings, pipeline.root().root_digest());
    let output = pipeline.decision().prove(&root_proof.root, template, nonce).map_err(PipelineError::from)?;
    let final_proof = PipelineProof { output, layers: Vec::new(), compressed_bytes: 0 };
    let decision_key =
        DecisionKey::from_bytes(&pipeline.key().to_bytes()).map_err(|e| honest("decision key")(e.to_string()))?;

    let names = chunk_input_names();
    let mut flips = Flips(opts.seed);
    let mut rows = Vec::new();

    note("chunk STARK");
    let chunk = &chunks[0];
    let mut inputs = Row::new("chunk STARK", Tampering::PublicInput);
    for (i, name) in names.iter().enumerate() {
        let mut c = chunk.clone();
        c.proof.public_inputs[i] += F::ONE;
        inputs.case(name.clone(), || c.verify().is_err());
    }
    let bytes = chunk.to_bytes();
    let mut bits = Row::new("chunk STARK", Tampering::BitFlip);
    for _ in 0..opts.flips {
        let (name, flipped) = flips.flip(&bytes, stark_frames::chunk::file::HEADER_LEN..bytes.len());
        bits.case(name, || ChunkProof::from_bytes(&flipped).and_then(|c| c.verify()).is_err());
    }
    let mut cross = Row::new("chunk STARK", Tampering::OtherLayerOrSetting);
    // Twice the frames (the same trace height, 256 rows: only the AIR's chunk size differs), and larger traces.
    for frames in [k * 2, k * 8, k * 64] {
        let relabelled = ChunkProof { frames_per_chunk: frames, proof: chunk.proof.clone() };
        cross.case(format!("a {k}-frame chunk proof read as {frames} frames"), || relabelled.verify().is_err());
    }
    cross.case("a leaf proof's bytes as a chunk proof", || {
        let mut b = bytes[..stark_frames::chunk::file::HEADER_LEN].to_vec();
        b.extend(leaves[0].to_bytes());
        ChunkProof::from_bytes(&b).and_then(|c| c.verify()).is_err()
    });
    rows.extend([inputs.0, bits.0, cross.0]);

    note("leaf");
    let others = [("a level-1 fold proof", inner[0].plonky2()), ("the root proof", root_proof.root.plonky2())];
    rows.extend(plonky2_rows("leaf", tree.leaf().data(), &leaves[0], &names, &others, opts, &mut flips));
    note("fold level 1");
    let others = [("a leaf proof", leaves[0].plonky2()), ("the top fold proof", top.plonky2())];
    rows.extend(plonky2_rows("fold level 1", tree.fold(1).data(), &inner[0], &names, &others, opts, &mut flips));
    note("fold level 2 (top)");
    let others = [("a level-1 fold proof", inner[0].plonky2()), ("the root proof", root_proof.root.plonky2())];
    rows.extend(plonky2_rows("fold level 2", tree.fold(2).data(), &top, &names, &others, opts, &mut flips));

    note("root (wrap), through the root file and key");
    // Any plonky2 proof, named a root proof: the root file and key must refuse all but the honest one.
    let root_refuses = |proof: &ProofWithPublicInputs<F, C, D>| {
        let root = RootProof::from_plonky2(proof.clone());
        let file = RootFile::new(&RootOutput { root, layers: Vec::new() }, settings, key.digest());
        RootFile::from_bytes(&file.to_bytes()).and_then(|f| f.verify(&key)).is_err()
    };
    let mut inputs = Row::new("root", Tampering::PublicInput);
    for (i, name) in names.iter().enumerate() {
        let mut p = root_proof.root.plonky2().clone();
        p.public_inputs[i] += F::ONE;
        inputs.case(name.clone(), || root_refuses(&p));
    }
    let mut bits = Row::new("root", Tampering::BitFlip);
    for _ in 0..opts.flips {
        let (name, flipped) = flips.flip(&root_file.proof_bytes, 0..root_file.proof_bytes.len());
        let file = RootFile { header: root_file.header.clone(), proof_bytes: flipped };
        bits.case(name, || RootFile::from_bytes(&file.to_bytes()).and_then(|f| f.verify(&key)).is_err());
    }
    let mut cross = Row::new("root", Tampering::OtherLayerOrSetting);
    cross.case("the top fold proof (not wrapped)", || root_refuses(&top));
    cross.case("a leaf proof", || root_refuses(&leaves[0]));
    let other_settings = RootSettings::Tree(TreeSettings { max_seconds: 3, ..MATRIX_SETTINGS });
    cross.case("the root file stating other settings", || {
        let file = RootFile::new(&root_proof, other_settings, key.digest());
        file.verify(&key).is_err()
    });
    rows.extend([inputs.0, bits.0, cross.0]);

    for compressed in [false, true] {
        let layer = if compressed { "final (compressed)" } else { "final" };
        note(layer);
        let file = pipeline.file(&final_proof, compressed, samples.len() as f64 / 16_000.0)?;
        let verify = |f: &FinalProofFile| {
            FinalProofFile::from_bytes(&f.to_bytes()).and_then(|f| f.verify(&decision_key)).is_err()
        };
        let mut inputs = Row::new(layer, Tampering::PublicInput);
        let names = ["h_audio", "num_samples", "h_template", "h_model", "nonce", "decision"];
        let mut proof = final_proof.output.proof.clone();
        for i in 0..NUM_DECISION_PUBLIC_INPUTS {
            proof.public_inputs[i] += F::ONE;
            // The header states what the altered proof says, so only the proof can refuse it.
            let mut f = file.clone();
            let body = if compressed {
                pipeline.decision().compress(&proof).map(|c| c.to_bytes())
            } else {
                Ok(proof.to_bytes())
            };
            let name = format!("public input {i} ({})", names[field_of(i)]);
            match (body, Statement::decode(&proof.public_inputs)) {
                (Ok(body), Ok(statement)) => {
                    f.proof_bytes = body;
                    f.header.statement = statement;
                    inputs.case(name, || verify(&f));
                }
                // Not a statement any header can state (a decision bit of 2): refused before any proof.
                _ => inputs.case(name, || true),
            }
            proof.public_inputs[i] -= F::ONE;
        }
        let mut bits = Row::new(layer, Tampering::BitFlip);
        for _ in 0..opts.flips {
            let (name, flipped) = flips.flip(&file.proof_bytes, 0..file.proof_bytes.len());
            let f = FinalProofFile { proof_bytes: flipped, ..file.clone() };
            bits.case(name, || verify(&f));
        }
        let mut cross = Row::new(layer, Tampering::OtherLayerOrSetting);
        cross.case("the root proof as the final proof", || {
            verify(&FinalProofFile { proof_bytes: root_proof.root.to_bytes(), ..file.clone() })
        });
        let other_model = Model { threshold_q30: model.threshold_q30 + model.threshold_step(), ..model.clone() };
        let other = crate::final_circuit::DecisionCircuit::build(&pipeline.root().root_verifier(), &other_model)
            .map_err(|e| honest("other model's circuit")(e.to_string()))?;
        let other_key = DecisionKey::signed(
            crate::files::DecisionKeyHeader {
                model: other_model.clone(),
                h_model: other_model.h_model_hex(),
                ..decision_key.header.clone()
            },
            other.verifier(),
        );
        cross.case("verified under the key of another model (header naming it)", || {
            let f = FinalProofFile {
                header: crate::files::FinalProofHeader { key_digest: other_key.digest_hex(), ..file.header.clone() },
                ..file.clone()
            };
            FinalProofFile::from_bytes(&f.to_bytes()).and_then(|f| f.verify(&other_key)).is_err()
        });
        cross.case("a header stating other root settings", || {
            let f = FinalProofFile {
                header: crate::files::FinalProofHeader { settings: other_settings, ..file.header.clone() },
                ..file.clone()
            };
            verify(&f)
        });
        rows.extend([inputs.0, bits.0, cross.0]);
    }
    Ok(rows)
}

/// Which statement field public input `i` of a final proof belongs to (h_audio 4, num_samples 1, h_template 4,
/// h_model 4, nonce 4, decision 1).
fn field_of(i: usize) -> usize {
    match i {
        0..=3 => 0,
        4 => 1,
        5..=8 => 2,
        9..=12 => 3,
        13..=16 => 4,
        _ => 5,
    }
}
