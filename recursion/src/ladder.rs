//! The size ladder: a recording proven as one chunk, whose size is chosen per recording, under one root key.
//!
//! The leaf costs about the same for every chunk size (its cost is FRI queries times opened columns, not the
//! trace height: 2^16 rows from 256 to 4 096 frames), so for a recording that one chunk can hold, one long
//! chunk is the fastest proof, and no fold is needed. The leaf circuits of every size have identical common
//! data (checked when the ladder is built), so one root circuit verifies a leaf proof of any size against a
//! verifier key picked from a constant list by a private index, as zk_evm's size-indexed recursive circuits
//! do. The root proof states:
//!
//! - a chunk STARK proof of one of the ladder's sizes `K[i]` verifies, with these public values (the chunk
//!   layout of [`ChunkPublicInputs`], unchanged);
//! - its range starts the recording (`first_frame = 0`, `sponge_in = 0`, the sample before frame 0 is 0) and
//!   holds every hop (`H <= K[i]`), so its digest is `h_audio` and its statistics cover every frame;
//! - the recording has `1 <= H <= max_hops` hops, at least 400 samples, and the frame and hop counts its
//!   length `N` defines (`combine::root_checks`), so its last frame is in the chunk too and no frame past
//!   the end of the audio counts.
//!
//! The root key depends on the settings only (the list of leaf keys is part of the root circuit). Building
//! the ladder builds every leaf circuit once, to know its key, and keeps the prover data of the sizes asked
//! for.

use std::sync::OnceLock;
use std::time::Instant;

use plonky2::hash::hash_types::HashOut;
use plonky2::iop::witness::PartialWitness;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{
    CircuitConfig, CircuitData, CommonCircuitData, VerifierCircuitData, VerifierOnlyCircuitData,
};
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding, ChunkProof, ProveError};
use stark_frames::chunk::stark::ChunkStark;

use crate::cache::CircuitCache;
use crate::circuit::HasRoot;
use crate::guard::prove_checked;
use crate::ladder_verify::{LadderLeafKeys, LadderLeafTargets, LeafCheckError};
use crate::leaf::{LeafCircuit, LeafError};
use crate::leaf_cache::{obtain_leaf, obtain_leaf_key};
use crate::progress::Progress;
use crate::proof::{LeafProof, RootOutput, RootProof};
use crate::report::{chunk_layer_name, LayerReport, LADDER_ROOT_LAYER, LEAF_LAYER};
use crate::settings::{LadderSettings, SettingsError};

/// Why a ladder cannot be built or a recording cannot be proven.
#[derive(Debug, thiserror::Error)]
pub enum LadderError {
    /// The settings do not make a ladder, or the recording does not fit it.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// Building or proving a leaf failed.
    #[error("leaf: {0}")]
    Leaf(#[from] LeafError),
    /// The leaf circuits of two sizes differ in shape, so no single root can verify both.
    #[error("the leaf circuits for {0} and {1} frames have different common data")]
    LeafShapes(usize, usize),
    /// A key given to rebuild the ladder does not match this build's circuits.
    #[error("the key does not match this build's circuits ({0}): it was made by another version of voizk")]
    StaleKey(String),
    /// The ladder has no prover data for this chunk size (it was built without it, or it is not a size).
    #[error("the ladder was built without the leaf for {0} frames (sizes with prover data: {1:?})")]
    NoLeaf(usize, Vec<usize>),
    /// The leaf proof breaks a rule of the root (checked natively, before proving: a root rule, a chunk that
    /// does not hold every hop, a size that is not the ladder's).
    #[error(transparent)]
    Check(#[from] LeafCheckError),
    /// The root proof could not be made (a malformed leaf proof, or a rule only the circuit checks).
    #[error("root: {0}")]
    Root(String),
    /// The chunk STARK proof failed.
    #[error("chunk STARK: {0}")]
    Chunk(#[from] ProveError),
}

/// One rung: a chunk size, its leaf key, and the leaf circuit when the ladder keeps its prover data.
struct Rung {
    frames: usize,
    verifier: VerifierCircuitData<F, C, D>,
    gates: usize,
    build_secs: f64,
    leaf: Option<LeafCircuit>,
}

/// The root circuit of a ladder.
struct LadderRoot {
    data: CircuitData<F, C, D>,
    gates: usize,
    build_secs: f64,
    leaf: LadderLeafTargets,
}

/// A leaf proof of a whole recording, with the reports of the chunk STARK and the leaf: what a circuit verifying
/// the ladder's leaf directly ([`LadderLeafKeys::add_verifier`]) takes instead of a root proof.
pub struct LadderLeafOutput {
    /// The leaf proof (checked to verify, and against the root rules, as it was made).
    pub leaf: LeafProof,
    /// The chunk size used.
    pub frames: usize,
    /// One entry per layer: chunk STARK, leaf.
    pub layers: Vec<LayerReport>,
}

/// A root proof of a ladder with the report of how it was made.
pub struct LadderProof {
    /// The root proof, with a chunk's public-value layout.
    pub root: RootProof,
    /// The chunk size used.
    pub frames_per_chunk: usize,
    /// One entry per layer: chunk STARK, leaf, root.
    pub layers: Vec<LayerReport>,
}

impl From<LadderProof> for RootOutput {
    /// The root proof and the layer reports, without the chunk size.
    fn from(p: LadderProof) -> Self {
        Self { root: p.root, layers: p.layers }
    }
}

/// The chunk STARK proof of a whole recording at the ladder's size for its length: the first layer of a ladder
/// proof, which needs no circuit, so it can be made while the ladder's circuits are read or built.
pub struct LadderChunk {
    /// The chunk proof (checked by the leaf that verifies it, as every chunk proof is).
    pub proof: ChunkProof,
    /// The chunk size: [`LadderSettings::size_for`] of the recording's length.
    pub frames: usize,
    /// Time to prove it, seconds.
    pub prove_secs: f64,
}

impl LadderChunk {
    /// Proves `samples` (16 kHz mono) as one chunk of the size `settings` gives its length, stating `binding`.
    pub fn prove(settings: &LadderSettings, samples: &[i16], binding: &ChunkBinding) -> Result<Self, LadderError> {
        let frames = settings.size_for(samples.len())?;
        let t = Instant::now();
        let proof = prove_chunk_bound(samples, frames, 0, binding)?;
        Ok(Self { proof, frames, prove_secs: t.elapsed().as_secs_f64() })
    }
}

/// The circuits of a ladder: one leaf per size (keys always, prover data for the sizes kept) and the root, built
/// the first time it is used (a circuit that verifies the leaf directly does not need it).
pub struct LadderCircuits {
    settings: LadderSettings,
    rungs: Vec<Rung>,
    leaf_keys: LadderLeafKeys,
    root: OnceLock<LadderRoot>,
}

impl LadderCircuits {
    /// Builds every leaf circuit (about 10 s each; the root is built when first used); keeps the leaf prover data of the sizes in
    /// `keep` only (a 2^16 leaf's prover data is about 640 MB). With a `cache`, leaves are read from it
    /// when it holds them: for the sizes kept the whole circuit, for the others only the key; what is built
    /// is written to it.
    pub fn build(
        settings: LadderSettings,
        keep: &[usize],
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, LadderError> {
        settings.validate()?;
        let sizes = settings.sizes();
        progress(Progress::Layer { name: "build circuits".into(), steps: sizes.len() });
        let mut rungs = Vec::with_capacity(sizes.len());
        let mut common: Option<(usize, CommonCircuitData<F, D>)> = None;
        for frames in sizes {
            let rung = if keep.contains(&frames) {
                let (leaf, build_secs) = obtain_leaf(frames, cache, progress)?;
                let verifier = leaf.data().verifier_data();
                Rung { frames, verifier, gates: leaf.gates(), build_secs, leaf: Some(leaf) }
            } else {
                let (key, build_secs) = obtain_leaf_key(frames, cache, progress)?;
                Rung { frames, verifier: key.data, gates: key.gates, build_secs, leaf: None }
            };
            match &common {
                None => common = Some((frames, rung.verifier.common.clone())),
                Some((first, c)) if *c != rung.verifier.common => return Err(LadderError::LeafShapes(*first, frames)),
                Some(_) => {}
            }
            rungs.push(rung);
            progress(Progress::Step);
        }
        let (_, common) = common.expect("a ladder has at least one size");
        Ok(Self::assemble(settings, rungs, common))
    }

    fn assemble(settings: LadderSettings, rungs: Vec<Rung>, common: CommonCircuitData<F, D>) -> Self {
        let keys = rungs.iter().map(|r| (r.frames, r.verifier.verifier_only.clone())).collect();
        let leaf_keys = LadderLeafKeys::new(settings, keys, common);
        Self { settings, rungs, leaf_keys, root: OnceLock::new() }
    }

    /// Rebuilds the ladder from the leaf keys of an earlier build ([`LadderCircuits::leaf_keys`]), with only
    /// the leaf of `frames` frames (about 10 s to build, or read from `cache`). Fails with
    /// [`LadderError::StaleKey`] when that leaf's key differs from the one given, or the keys do not list the
    /// ladder's sizes: keys from another build of voizk.
    pub fn build_from_keys(
        settings: LadderSettings,
        leaf_keys: &[(usize, VerifierOnlyCircuitData<C, D>)],
        frames: usize,
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, LadderError> {
        settings.validate()?;
        let sizes = settings.sizes();
        if leaf_keys.iter().map(|(k, _)| *k).collect::<Vec<_>>() != sizes {
            return Err(LadderError::StaleKey(format!("its leaf sizes are not {sizes:?}")));
        }
        if !sizes.contains(&frames) {
            return Err(LadderError::NoLeaf(frames, sizes));
        }
        progress(Progress::Layer { name: "build circuits".into(), steps: 1 });
        let (leaf, build_secs) = obtain_leaf(frames, cache, progress)?;
        progress(Progress::Step);
        let common = leaf.data().common.clone();
        let mut rungs = Vec::with_capacity(sizes.len());
        let mut kept = Some(leaf);
        for (k, verifier_only) in leaf_keys {
            let leaf = if *k == frames { kept.take() } else { None };
            if let Some(l) = &leaf {
                if l.data().verifier_only != *verifier_only {
                    return Err(LadderError::StaleKey(format!("leaf key for {k} frames")));
                }
            }
            let gates = leaf.as_ref().map_or(0, LeafCircuit::gates);
            let verifier = VerifierCircuitData { verifier_only: verifier_only.clone(), common: common.clone() };
            rungs.push(Rung { frames: *k, verifier, gates, build_secs, leaf });
        }
        Ok(Self::assemble(settings, rungs, common))
    }

    /// Obtains the leaf prover data of `frames` frames (read from `cache`, or built) for a ladder built without it
    /// (for example before the recording's length was known); nothing happens if it is already kept. Fails with
    /// [`LadderError::NoLeaf`] when `frames` is not a size of the ladder, and [`LadderError::StaleKey`] when the
    /// leaf obtained does not have the key the ladder was built with.
    pub fn keep_leaf(
        &mut self,
        frames: usize,
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(), LadderError> {
        let sizes: Vec<usize> = self.rungs.iter().map(|r| r.frames).collect();
        let Some(rung) = self.rungs.iter_mut().find(|r| r.frames == frames) else {
            return Err(LadderError::NoLeaf(frames, sizes));
        };
        if rung.leaf.is_some() {
            return Ok(());
        }
        let (leaf, build_secs) = obtain_leaf(frames, cache, progress)?;
        if leaf.data().verifier_only != rung.verifier.verifier_only {
            return Err(LadderError::StaleKey(format!("leaf key for {frames} frames")));
        }
        rung.gates = leaf.gates();
        rung.build_secs = build_secs;
        rung.leaf = Some(leaf);
        Ok(())
    }

    /// Every leaf key with the settings: what a circuit verifying a leaf of this ladder directly needs.
    pub fn leaf_keys_list(&self) -> &LadderLeafKeys {
        &self.leaf_keys
    }

    /// The root circuit, built on first use (about a second).
    fn root_circuit(&self) -> &LadderRoot {
        self.root.get_or_init(|| LadderRoot::build(&self.leaf_keys))
    }

    /// The leaf key of every size, ascending: what [`LadderCircuits::build_from_keys`] needs.
    pub fn leaf_keys(&self) -> Vec<(usize, VerifierOnlyCircuitData<C, D>)> {
        self.rungs.iter().map(|r| (r.frames, r.verifier.verifier_only.clone())).collect()
    }

    /// The settings the ladder was built for.
    pub fn settings(&self) -> LadderSettings {
        self.settings
    }

    /// The digest of the leaf key for chunks of `frames` frames, if it is a size of the ladder.
    pub fn leaf_digest(&self, frames: usize) -> Option<HashOut<F>> {
        self.rungs.iter().find(|r| r.frames == frames).map(|r| r.verifier.verifier_only.circuit_digest)
    }

    /// The leaf circuit for chunks of `frames` frames, if the ladder kept its prover data.
    pub fn leaf(&self, frames: usize) -> Result<&LeafCircuit, LadderError> {
        self.rungs.iter().find(|r| r.frames == frames).and_then(|r| r.leaf.as_ref()).ok_or_else(|| {
            LadderError::NoLeaf(frames, self.rungs.iter().filter(|r| r.leaf.is_some()).map(|r| r.frames).collect())
        })
    }

    /// Proves `samples` (16 kHz mono) up to one root proof: the chunk STARK of the whole recording at the
    /// ladder's size for its length (stating `binding`: voicing threshold and session nonce), its leaf,
    /// then the root. Every proof is checked as it is made.
    pub fn prove(
        &self,
        samples: &[i16],
        binding: &ChunkBinding,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<LadderProof, LadderError> {
        let frames = self.settings.size_for(samples.len())?;
        self.leaf(frames)?;
        progress(Progress::Layer { name: chunk_layer_name(frames), steps: 1 });
        let chunk = LadderChunk::prove(&self.settings, samples, binding)?;
        progress(Progress::Step);
        self.prove_from_chunk(&chunk, progress)
    }

    /// The layers above a chunk STARK proof made apart ([`LadderChunk::prove`], for example while these
    /// circuits were being obtained): its leaf, then the root. Every proof is checked as it is made.
    pub fn prove_from_chunk(
        &self,
        chunk: &LadderChunk,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<LadderProof, LadderError> {
        let LadderLeafOutput { leaf, frames, mut layers } = self.prove_leaf_from_chunk(chunk, progress)?;
        progress(Progress::Layer { name: "root".into(), steps: 1 });
        let t = Instant::now();
        let root = self.prove_root(&leaf, frames)?;
        let root_secs = t.elapsed().as_secs_f64();
        progress(Progress::Step);
        let r = self.root_circuit();
        layers.push(LayerReport::of_circuit(LADDER_ROOT_LAYER, &r.data, r.gates, r.build_secs, 1, root_secs, &root));
        Ok(LadderProof { root, frames_per_chunk: frames, layers })
    }

    /// The leaf over a chunk STARK proof made apart, checked against the root rules (a broken rule is named):
    /// what a circuit verifying the ladder's leaf directly takes instead of a root proof.
    pub fn prove_leaf_from_chunk(
        &self,
        chunk: &LadderChunk,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<LadderLeafOutput, LadderError> {
        let LadderChunk { proof: chunk, frames, prove_secs: stark_secs } = chunk;
        let frames = *frames;
        let leaf = self.leaf(frames)?;
        let stark_bytes = chunk.to_bytes().len();
        progress(Progress::Layer { name: LEAF_LAYER.into(), steps: 1 });
        let t = Instant::now();
        let leaf_proof = leaf.prove(chunk)?;
        let leaf_secs = t.elapsed().as_secs_f64();
        progress(Progress::Step);
        self.leaf_keys.check(&leaf_proof, frames)?;
        let rung = self.rungs.iter().find(|r| r.frames == frames).expect("size_for returns a size of the ladder");
        let height = ChunkStark::<F, D>::new(frames).height();
        let layers = vec![
            LayerReport {
                layer: chunk_layer_name(frames),
                proofs: 1,
                degree_bits: height.trailing_zeros() as usize,
                gates: None,
                build_secs: 0.0,
                prove_secs: *stark_secs,
                proof_bytes: stark_bytes,
            },
            LayerReport::of_circuit(LEAF_LAYER, leaf.data(), rung.gates, rung.build_secs, 1, leaf_secs, &leaf_proof),
        ];
        Ok(LadderLeafOutput { leaf: leaf_proof, frames, layers })
    }

    /// Proves the root over a leaf proof of chunks of `frames` frames, after checking the root rules natively
    /// (a broken rule is named in the error). The circuit checks the same rules on its own.
    pub fn prove_root(&self, leaf: &LeafProof, frames: usize) -> Result<RootProof, LadderError> {
        self.leaf_keys.check(leaf, frames)?;
        self.prove_root_unchecked(leaf, frames)
    }

    /// Proves the root over a leaf proof without the native checks, leaving every rule to the circuit (for
    /// soundness tests). `frames` picks the leaf key the proof is verified against.
    pub fn prove_root_unchecked(&self, leaf: &LeafProof, frames: usize) -> Result<RootProof, LadderError> {
        let root = self.root_circuit();
        let mut pw = PartialWitness::new();
        root.leaf.set_witness(&mut pw, leaf, frames)?;
        prove_checked(&root.data, pw, "a constraint of the root fails")
            .map(RootProof::from_plonky2)
            .map_err(LadderError::Root)
    }
}

impl HasRoot for LadderCircuits {
    /// The root over one leaf of any of the ladder's sizes.
    fn root(&self) -> &CircuitData<F, C, D> {
        &self.root_circuit().data
    }
}

impl LadderRoot {
    /// The root: verifies one leaf proof against the key of size `K[index]` and applies the root checks
    /// (`ladder_verify`), and exposes the leaf's public inputs as its own.
    fn build(leaf_keys: &LadderLeafKeys) -> Self {
        let t = Instant::now();
        let mut b = CircuitBuilder::<F, D>::new(CircuitConfig::standard_recursion_config());
        let leaf = leaf_keys.add_verifier(&mut b);
        b.register_public_inputs(&leaf.leaf.public_inputs);
        let gates = b.num_gates();
        let data = b.build::<C>();
        Self { data, gates, build_secs: t.elapsed().as_secs_f64(), leaf }
    }
}
