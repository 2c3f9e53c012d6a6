//! Proving one stage of a plan directory from the files of the stages before it.
//!
//! Each stage builds (or reads from the circuit cache) only the circuits it needs: a chunk STARK none; a leaf
//! the leaf circuit; fold level `l` the leaf's key and fold levels `1..=l` ([`FoldChain`]); the root all fold
//! levels and the wrap; the final stage those and the final circuit of the model. It returns the bytes of its
//! output file and a report of how it was made; the caller writes them (atomically). The final stage checks
//! its proof as a verifier would, from the file's bytes, under the decision key of the plan's settings and model.

use std::time::Instant;

use plonky2::plonk::circuit_data::VerifierCircuitData;
use plonky2::plonk::proof::ProofWithPublicInputs;
use recursion::cache::CircuitCache;
use recursion::circuit::{HasRoot, LayerCircuit};
use recursion::files::{digest_hex, RootFile, RootKey};
use recursion::fold_chain::FoldChain;
use recursion::leaf_cache::{obtain_leaf, obtain_leaf_key};
use recursion::plan::Stage;
use recursion::progress::Progress;
use recursion::proof::{FoldChild, FoldProof, LeafProof, RootOutput};
use recursion::report::{chunk_layer_name, fold_layer_name, LayerReport, LEAF_LAYER, ROOT_LAYER};
use recursion::settings::{RootSettings, TreeSettings};
use recursion::stage_file::StageFile;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding};
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::commitment::commit_audio;
use stark_frames::Audio;

use super::inputs::{check_values, expected_header, read_chunk, read_stage_proof};
use super::plan_dir::{report_file_name, PlanDir, MODEL_FILE, RECORDING_FILE, TEMPLATE_FILE};
use super::StageError;
use crate::files::FinalProofFile;
use crate::final_circuit::DecisionCircuit;
use crate::model::Model;
use crate::pipeline::{decision_key, final_file, final_layer_report};
use crate::statement::Statement;
use crate::template::Template;

/// What a stage made.
pub struct StageOutput {
    /// The file to write in the plan directory (the stage's output name).
    pub file_name: String,
    /// Its bytes.
    pub bytes: Vec<u8>,
    /// How the stage's proof was made (one proof).
    pub report: LayerReport,
    /// For the final stage, what the final proof states (checked as a verifier would).
    pub statement: Option<Statement>,
}

/// Proves `stage` of the plan in `dir` from its input files; leaf circuits come from `cache` when it holds them.
pub fn run_stage(
    dir: &PlanDir,
    stage: &Stage,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<StageOutput, StageError> {
    let model = read_model(dir)?;
    let threshold = model.embedding.voicing_threshold_q24;
    match stage {
        Stage::Chunk { index, frames } => prove_chunk_stage(dir, stage, *index, *frames, threshold),
        Stage::Leaf { index } => prove_leaf_stage(dir, stage, *index, threshold, cache, progress),
        Stage::Fold { level, .. } => prove_fold_stage(dir, stage, *level, threshold, cache, progress),
        Stage::Root => prove_root_stage(dir, threshold, cache, progress),
        Stage::Final => prove_final_stage(dir, &model, cache, progress),
    }
}

/// The model of the plan, checked against the plan's `h_model`.
fn read_model(dir: &PlanDir) -> Result<Model, StageError> {
    let bytes = dir.read(MODEL_FILE, None)?;
    let model = Model::from_json(&String::from_utf8_lossy(&bytes))?;
    if model.h_model_hex() != dir.file().h_model {
        return Err(StageError::Mismatch {
            file: dir.path(MODEL_FILE),
            reason: format!("model {}, the plan's is {}", model.h_model_hex(), dir.file().h_model),
        });
    }
    Ok(model)
}

/// The binding every chunk of the plan states.
fn binding(dir: &PlanDir, threshold: i64) -> ChunkBinding {
    ChunkBinding::with_threshold(threshold).with_nonce(dir.file().nonce.0)
}

fn prove_chunk_stage(
    dir: &PlanDir,
    stage: &Stage,
    index: usize,
    frames: usize,
    threshold: i64,
) -> Result<StageOutput, StageError> {
    let audio = Audio::read(&dir.read(RECORDING_FILE, None)?[..])?;
    let h_audio = commit_audio(audio.samples());
    if h_audio.0 != dir.file().h_audio.0 {
        return Err(StageError::Mismatch {
            file: dir.path(RECORDING_FILE),
            reason: format!("not the recording of the plan (h_audio {h_audio}; the plan's is {})", dir.file().h_audio),
        });
    }
    let t = Instant::now();
    let proof = prove_chunk_bound(audio.samples(), frames, index, &binding(dir, threshold))?;
    let prove_secs = t.elapsed().as_secs_f64();
    let bytes = proof.to_bytes();
    let height = ChunkStark::<F, D>::new(frames).height();
    let report = LayerReport {
        layer: chunk_layer_name(frames),
        proofs: 1,
        degree_bits: height.trailing_zeros() as usize,
        gates: None,
        build_secs: 0.0,
        prove_secs,
        proof_bytes: bytes.len(),
    };
    Ok(StageOutput { file_name: stage.output(), bytes, report, statement: None })
}

fn prove_leaf_stage(
    dir: &PlanDir,
    stage: &Stage,
    index: usize,
    threshold: i64,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<StageOutput, StageError> {
    let k = dir.file().settings.frames_per_chunk;
    let chunk = read_chunk(dir, &Stage::Chunk { index, frames: k }, threshold)?;
    let (leaf, build_secs) = obtain_leaf(k, cache, progress)?;
    let t = Instant::now();
    let proof = leaf.prove(&chunk)?;
    let secs = t.elapsed().as_secs_f64();
    let report = leaf.report(LEAF_LAYER, build_secs, 1, secs, &proof);
    Ok(stage_output(dir, stage, &digest_hex(leaf.verifier_digest()), proof.plonky2(), report))
}

/// The leaf's verifier data and the fold levels `1..=levels` (and the wrap if `with_wrap`) of the plan's tree.
fn chain(
    settings: TreeSettings,
    levels: usize,
    with_wrap: bool,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(VerifierCircuitData<F, C, D>, FoldChain, f64), StageError> {
    let t = Instant::now();
    let (leaf, _) = obtain_leaf_key(settings.frames_per_chunk, cache, progress)?;
    let chain = FoldChain::build(settings, &leaf.data.common, &leaf.data.verifier_only, levels, with_wrap, progress)?;
    Ok((leaf.data, chain, t.elapsed().as_secs_f64()))
}

/// The verifier data of the children of fold level `level` (the leaf's for level 1).
fn child_circuit(leaf: &VerifierCircuitData<F, C, D>, chain: &FoldChain, level: usize) -> VerifierCircuitData<F, C, D> {
    if level == 1 {
        leaf.clone()
    } else {
        chain.fold(level - 1).data().verifier_data()
    }
}

fn prove_fold_stage(
    dir: &PlanDir,
    stage: &Stage,
    level: usize,
    threshold: i64,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<StageOutput, StageError> {
    let settings = dir.file().settings;
    let (leaf, chain, build_secs) = chain(settings, level, false, cache, progress)?;
    let child = child_circuit(&leaf, &chain, level);
    let span = settings.span(level - 1);
    let Stage::Fold { children, .. } = stage else { unreachable!("a fold stage") };
    let proofs = dir
        .plan()
        .inputs(stage)
        .iter()
        .zip(children.clone())
        .map(|(input, index)| read_stage_proof(dir, input, index, span, &child, threshold))
        .collect::<Result<Vec<_>, _>>()?;
    let fold = chain.fold(level);
    let t = Instant::now();
    let proof = if level == 1 {
        fold.prove(&typed(proofs, LeafProof::from_plonky2))?
    } else {
        fold.prove(&typed(proofs, FoldProof::from_plonky2))?
    };
    let secs = t.elapsed().as_secs_f64();
    let name = fold_layer_name(level, settings.depth());
    let report = fold.report(&name, build_secs, 1, secs, &proof);
    Ok(stage_output(dir, stage, &digest_hex(fold.verifier_digest()), proof.plonky2(), report))
}

/// The proofs read as proofs of the layer `as_layer` names.
fn typed<P: FoldChild>(
    proofs: Vec<ProofWithPublicInputs<F, C, D>>,
    as_layer: fn(ProofWithPublicInputs<F, C, D>) -> P,
) -> Vec<P> {
    proofs.into_iter().map(as_layer).collect()
}

/// The stage file of `proof`, made by the circuit of digest `circuit_digest`.
fn stage_output(
    dir: &PlanDir,
    stage: &Stage,
    circuit_digest: &str,
    proof: &ProofWithPublicInputs<F, C, D>,
    report: LayerReport,
) -> StageOutput {
    let file = StageFile { header: expected_header(dir, stage, circuit_digest), proof_bytes: proof.to_bytes() };
    StageOutput { file_name: stage.output(), bytes: file.to_bytes(), report, statement: None }
}

fn prove_root_stage(
    dir: &PlanDir,
    threshold: i64,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<StageOutput, StageError> {
    let settings = dir.file().settings;
    let depth = settings.depth();
    let (_, chain, build_secs) = chain(settings, depth, true, cache, progress)?;
    let top = dir.plan().inputs(&Stage::Root).pop().expect("the root reads the top fold");
    let circuit = chain.fold(depth).data().verifier_data();
    let proof = read_stage_proof(dir, &top, 0, settings.span(depth), &circuit, threshold)?;
    let wrap = chain.wrap().expect("built with the wrap");
    let t = Instant::now();
    let root = wrap.prove(&FoldProof::from_plonky2(proof))?;
    let secs = t.elapsed().as_secs_f64();
    let report = wrap.report(ROOT_LAYER, build_secs, 1, secs, &root);
    let mut layers = earlier_reports(dir, &Stage::Root);
    layers.push(report.clone());
    let file = RootFile::new(&RootOutput { root, layers }, RootSettings::Tree(settings), chain.root_digest());
    Ok(StageOutput { file_name: Stage::Root.output(), bytes: file.to_bytes(), report, statement: None })
}

fn prove_final_stage(
    dir: &PlanDir,
    model: &Model,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<StageOutput, StageError> {
    let plan = dir.file();
    let template = Template::from_json(&String::from_utf8_lossy(&dir.read(TEMPLATE_FILE, None)?))?;
    if template.h_template != plan.h_template {
        return Err(StageError::Mismatch {
            file: dir.path(TEMPLATE_FILE),
            reason: format!("template {}, the plan's is {}", template.h_template, plan.h_template),
        });
    }
    let settings = RootSettings::Tree(plan.settings);
    let (_, chain, _) = chain(plan.settings, plan.settings.depth(), true, cache, progress)?;
    let root_key = RootKey { settings, data: chain.root_verifier(), leaf_keys: Vec::new() };
    let name = Stage::Root.output();
    let file = dir.path(&name);
    let root_file = RootFile::from_bytes(&dir.read(&name, Some(&Stage::Root.id()))?)
        .map_err(|source| StageError::ProofFile { file: file.clone(), source })?;
    let (root, values) =
        root_file.verified_proof(&root_key).map_err(|source| StageError::ProofFile { file: file.clone(), source })?;
    check_values(dir, &file, &values, 0, model.embedding.voicing_threshold_q24)?;
    let decision = DecisionCircuit::build(&root_key.data, model)?;
    let key = decision_key(settings, chain.root_digest(), &decision);
    let output = decision.prove(&root, &template, plan.nonce.0)?;
    let report = final_layer_report(&decision, &output);
    let mut layers = earlier_reports(dir, &Stage::Final);
    layers.push(report.clone());
    let bytes = final_file(&key, &decision, &output, layers, false, plan.audio_secs)?.to_bytes();
    // Check the proof as a verifier will, from the file's bytes.
    let statement = FinalProofFile::from_bytes(&bytes)?.verify(&key)?;
    Ok(StageOutput { file_name: Stage::Final.output(), bytes, report, statement: Some(statement) })
}

/// The reports of every stage before `stage` in the plan that left one (`<id>.report.json`), summed per layer
/// in plan order: proofs, build and prove seconds add up; degree, gates and proof size are one proof's. Reports
/// are figures, not evidence: a missing or unreadable one is left out.
fn earlier_reports(dir: &PlanDir, stage: &Stage) -> Vec<LayerReport> {
    let mut layers: Vec<LayerReport> = Vec::new();
    for earlier in dir.plan().stages().take_while(|s| *s != stage) {
        let Ok(text) = std::fs::read_to_string(dir.path(&report_file_name(&earlier.id()))) else { continue };
        let Ok(report) = serde_json::from_str::<LayerReport>(&text) else { continue };
        match layers.iter_mut().find(|l| l.layer == report.layer) {
            Some(layer) => {
                layer.proofs += report.proofs;
                layer.build_secs += report.build_secs;
                layer.prove_secs += report.prove_secs;
            }
            None => layers.push(report),
        }
    }
    layers
}
