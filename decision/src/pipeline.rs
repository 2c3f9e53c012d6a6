//! The whole prover: the root circuits of `recursion` (chunk STARK, leaf, folds or ladder, root) and the
//! final circuit of one model over their root key, built together, so that a recording and a template become
//! one zero-knowledge proof and a [`DecisionKey`] verifies it.

use std::time::Instant;

use plonky2::hash::hash_types::HashOut;
use recursion::cache::CircuitCache;
use recursion::circuit::{HasRoot, LayerCircuit};
use recursion::files::digest_hex;
use recursion::ladder::{LadderChunk, LadderCircuits};
use recursion::progress::Progress;
use recursion::proof::RootOutput;
use recursion::report::{chunk_layer_name, LayerReport};
use recursion::root::{RootCircuits, RootError};
use recursion::settings::{LadderSettings, RootSettings};
use stark_frames::chunk::config::F;
use stark_frames::chunk::prover::ChunkBinding;

use crate::files::{DecisionKey, DecisionKeyHeader, FinalProofFile, FinalProofHeader};
use crate::final_circuit::{check_template_model, DecisionCircuit, DecisionError, DecisionInput, DecisionOutput};
use crate::model::Model;
use crate::template::Template;

/// Name of the final layer in reports.
pub const FINAL_LAYER: &str = "final (zero-knowledge)";

/// Why the pipeline cannot be built or cannot prove.
#[derive(Debug, thiserror::Error)]
pub enum PipelineError {
    /// From the root circuits.
    #[error(transparent)]
    Root(#[from] RootError),
    /// From the final circuit.
    #[error(transparent)]
    Decision(#[from] DecisionError),
}

/// The root circuits and the final circuit over their root key.
pub struct Pipeline {
    root: RootCircuits,
    decision: DecisionCircuit,
}

/// A final proof with everything a report needs.
pub struct PipelineProof {
    /// The final proof and its statement.
    pub output: DecisionOutput,
    /// One entry per layer, from the chunk STARK to the final proof.
    pub layers: Vec<LayerReport>,
    /// Size of the final proof in plonky2's compressed form, bytes.
    pub compressed_bytes: usize,
}

impl Pipeline {
    /// Builds the root circuits of `settings` (leaf circuits from `cache` when it holds them; for a ladder,
    /// the leaf prover data only for the sizes that prove recordings of the `lengths` given, in samples) and
    /// the final circuit of `model` over their root key.
    pub fn build(
        settings: RootSettings,
        model: &Model,
        lengths: &[usize],
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, PipelineError> {
        let root = RootCircuits::build(settings, lengths, cache, progress)?;
        progress(Progress::Layer { name: "build final circuit".into(), steps: 1 });
        let decision = match &root {
            // One layer less: the final circuit verifies the ladder's leaf itself, with the root's checks.
            RootCircuits::Ladder(ladder) => DecisionCircuit::build_over_ladder(ladder.leaf_keys_list(), model),
            RootCircuits::Tree(tree) => DecisionCircuit::build(&tree.root_verifier(), model)?,
        };
        progress(Progress::Step);
        Ok(Self { root, decision })
    }

    /// The root circuits (for a ladder, the final circuit verifies the leaf directly: its root circuit is
    /// built only if asked for).
    pub fn root(&self) -> &RootCircuits {
        &self.root
    }

    /// The final circuit.
    pub fn decision(&self) -> &DecisionCircuit {
        &self.decision
    }

    /// The verifier key of the whole pipeline.
    pub fn key(&self) -> DecisionKey {
        let inner = match &self.root {
            RootCircuits::Ladder(ladder) => ladder.leaf_keys_list().digest(),
            RootCircuits::Tree(tree) => tree.root_digest(),
        };
        decision_key(self.root.settings(), inner, &self.decision)
    }

    /// Proves that `samples` (16 kHz mono) scored against `template` give the model's decision, bound to
    /// `nonce`: the root proof (every layer checked as it is made), then the final proof (checked to verify
    /// and to state the native decision).
    pub fn prove(
        &self,
        samples: &[i16],
        template: &Template,
        nonce: [F; 4],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<PipelineProof, PipelineError> {
        // Refuse a template of another model before the long work.
        self.decision.check_template(template)?;
        let threshold = self.decision.model().embedding.voicing_threshold_q24;
        let binding = ChunkBinding::with_threshold(threshold).with_nonce(nonce);
        match &self.root {
            RootCircuits::Ladder(ladder) => {
                let frames = ladder.settings().size_for(samples.len()).map_err(|e| RootError::Ladder(e.into()))?;
                progress(Progress::Layer { name: chunk_layer_name(frames), steps: 1 });
                let chunk = LadderChunk::prove(&ladder.settings(), samples, &binding).map_err(RootError::Ladder)?;
                progress(Progress::Step);
                self.prove_over_ladder_chunk(ladder, &chunk, template, nonce, progress)
            }
            RootCircuits::Tree(tree) => {
                let root: RootOutput = tree.prove(samples, &binding, progress).map_err(RootError::Tree)?;
                self.prove_final(DecisionInput::Root(&root.root), root.layers, template, nonce, progress)
            }
        }
    }

    /// The leaf over a ladder's chunk STARK proof, then the final proof over the leaf.
    fn prove_over_ladder_chunk(
        &self,
        ladder: &LadderCircuits,
        chunk: &LadderChunk,
        template: &Template,
        nonce: [F; 4],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<PipelineProof, PipelineError> {
        let out = ladder.prove_leaf_from_chunk(chunk, progress).map_err(RootError::Ladder)?;
        let input = DecisionInput::LadderLeaf { leaf: &out.leaf, frames: out.frames };
        self.prove_final(input, out.layers, template, nonce, progress)
    }

    /// The final proof over `input` (after `layers`), checked to verify and to state the native decision.
    fn prove_final(
        &self,
        input: DecisionInput<'_>,
        mut layers: Vec<LayerReport>,
        template: &Template,
        nonce: [F; 4],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<PipelineProof, PipelineError> {
        progress(Progress::Layer { name: FINAL_LAYER.into(), steps: 1 });
        let output = self.decision.prove(input, template, nonce)?;
        progress(Progress::Step);
        let compressed_bytes = self.decision.compress(&output.proof)?.to_bytes().len();
        layers.push(final_layer_report(&self.decision, &output));
        Ok(PipelineProof { output, layers, compressed_bytes })
    }

    /// Builds the pipeline for one recording and proves it, as [`Pipeline::build`] then [`Pipeline::prove`]
    /// would, with the same proof. For a ladder the chunk STARK needs no circuit, so a second thread proves it
    /// while this one reads or builds the circuits (with their progress); a tree is built, then proven. Returns
    /// the pipeline, the proof, and the seconds the circuits took (overlapping the chunk STARK for a ladder).
    #[allow(clippy::too_many_arguments)]
    pub fn build_and_prove(
        settings: RootSettings,
        model: &Model,
        samples: &[i16],
        template: &Template,
        nonce: [F; 4],
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Self, PipelineProof, f64), PipelineError> {
        let RootSettings::Ladder(ladder) = settings else {
            let t = Instant::now();
            let pipeline = Self::build(settings, model, &[samples.len()], cache, progress)?;
            let build_secs = t.elapsed().as_secs_f64();
            let proof = pipeline.prove(samples, template, nonce, progress)?;
            return Ok((pipeline, proof, build_secs));
        };
        // Refuse a template of another model, and a recording the ladder cannot hold, before the long work.
        check_template_model(model, template)?;
        let threshold = model.embedding.voicing_threshold_q24;
        let (built, chunk) = prove_chunk_beside(ladder, samples, threshold, nonce, "the circuits", progress, |p| {
            let t = Instant::now();
            Self::build(settings, model, &[samples.len()], cache, p)
                .map(|pipeline| (pipeline, t.elapsed().as_secs_f64()))
        })?;
        let (pipeline, build_secs) = built?;
        let chunk = chunk?;
        let RootCircuits::Ladder(circuits) = &pipeline.root else { unreachable!("ladder settings build a ladder") };
        let proof = pipeline.prove_over_ladder_chunk(circuits, &chunk, template, nonce, progress)?;
        Ok((pipeline, proof, build_secs))
    }

    /// Proves `samples` with a pipeline built before their length was known (`Pipeline::build` with no lengths,
    /// for example while a recording streams in), giving the same proof [`Pipeline::prove`] would. For a ladder
    /// the chunk STARK is proven on a second thread while this one obtains the one leaf the length needs (read
    /// from `cache`, or built); a tree has every circuit already.
    pub fn prove_completing(
        &mut self,
        samples: &[i16],
        template: &Template,
        nonce: [F; 4],
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<PipelineProof, PipelineError> {
        let RootCircuits::Ladder(ladder) = &mut self.root else {
            return self.prove(samples, template, nonce, progress);
        };
        self.decision.check_template(template)?;
        let settings = ladder.settings();
        let threshold = self.decision.model().embedding.voicing_threshold_q24;
        let (kept, chunk) =
            prove_chunk_beside(settings, samples, threshold, nonce, "the leaf circuit", progress, |p| {
                let frames = settings.size_for(samples.len()).expect("checked by prove_chunk_beside");
                ladder.keep_leaf(frames, cache, p)
            })?;
        kept.map_err(RootError::Ladder)?;
        let chunk = chunk?;
        let RootCircuits::Ladder(circuits) = &self.root else { unreachable!("matched above") };
        self.prove_over_ladder_chunk(circuits, &chunk, template, nonce, progress)
    }

    /// The proof file of `proof` (compressed or not) for a recording of `audio_secs` seconds.
    pub fn file(
        &self,
        proof: &PipelineProof,
        compressed: bool,
        audio_secs: f64,
    ) -> Result<FinalProofFile, PipelineError> {
        Ok(final_file(&self.key(), &self.decision, &proof.output, proof.layers.clone(), compressed, audio_secs)?)
    }
}

/// Proves the ladder's chunk STARK of `samples` (voicing threshold and nonce bound) on a second thread while
/// `beside` runs on this one with the progress (it needs no chunk proof: circuits being read or built), and notes
/// the chunk's prove time. Fails before any work when the ladder cannot hold the recording; otherwise returns what
/// `beside` gave and the chunk proof (or the chunk prover's error).
fn prove_chunk_beside<T>(
    ladder: LadderSettings,
    samples: &[i16],
    voicing_threshold_q24: i64,
    nonce: [F; 4],
    beside_name: &str,
    progress: &mut dyn FnMut(Progress),
    beside: impl FnOnce(&mut dyn FnMut(Progress)) -> T,
) -> Result<(T, Result<LadderChunk, RootError>), PipelineError> {
    let frames = ladder.size_for(samples.len()).map_err(|e| RootError::Ladder(e.into()))?;
    let binding = ChunkBinding::with_threshold(voicing_threshold_q24).with_nonce(nonce);
    let chunk_name = chunk_layer_name(frames);
    let (other, chunk) = std::thread::scope(|scope| {
        let prover = scope.spawn(|| LadderChunk::prove(&ladder, samples, &binding));
        progress(Progress::Note(format!("{chunk_name}: proving alongside {beside_name}")));
        let other = beside(&mut *progress);
        progress(Progress::Layer { name: format!("{chunk_name}, rest"), steps: 1 });
        let chunk = prover.join().expect("the chunk prover does not panic");
        progress(Progress::Step);
        (other, chunk)
    });
    if let Ok(chunk) = &chunk {
        progress(Progress::Note(format!("{chunk_name}: proven in {:.1} s", chunk.prove_secs)));
    }
    Ok((other, chunk.map_err(RootError::Ladder)))
}

/// The verifier key of the final circuit `decision` over the proofs of `settings` whose key has the digest
/// `inner_digest` (the root key of a tree, the leaf keys of a ladder): what [`Pipeline::key`] gives, for a final
/// proof made apart from the root circuits (`crate::stages`).
pub fn decision_key(settings: RootSettings, inner_digest: HashOut<F>, decision: &DecisionCircuit) -> DecisionKey {
    let model = decision.model().clone();
    let header = DecisionKeyHeader {
        settings,
        h_model: model.h_model_hex(),
        model,
        inner_key_digest: digest_hex(inner_digest),
        key_digest: String::new(),
    };
    DecisionKey::signed(header, decision.verifier())
}

/// The report of the final layer for one proof.
pub fn final_layer_report(decision: &DecisionCircuit, output: &DecisionOutput) -> LayerReport {
    decision.report(FINAL_LAYER, decision.build_secs(), 1, output.prove_secs, &output.proof)
}

/// The file of the final proof `output` of `decision` under `key` (compressed or not), with the reports of
/// every layer, for a recording of `audio_secs` seconds.
pub fn final_file(
    key: &DecisionKey,
    decision: &DecisionCircuit,
    output: &DecisionOutput,
    layers: Vec<LayerReport>,
    compressed: bool,
    audio_secs: f64,
) -> Result<FinalProofFile, DecisionError> {
    let proof_bytes = if compressed { decision.compress(&output.proof)?.to_bytes() } else { output.proof.to_bytes() };
    Ok(FinalProofFile {
        header: FinalProofHeader {
            settings: key.header.settings,
            key_digest: key.header.key_digest.clone(),
            compressed,
            statement: output.statement,
            audio_secs,
            layers,
        },
        proof_bytes,
    })
}
