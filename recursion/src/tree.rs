//! The whole proof tree: the leaf circuit and one fold circuit per level, built once per [`TreeSettings`],
//! and the prover that turns a recording into one root proof.
//!
//! Level 0 holds one leaf proof per chunk (`ceil(H / K)` chunks for `H` hops). Level `l` groups the proofs
//! of level `l - 1` by `arity`, in order; the last group may be short (its fold marks the missing children
//! absent). The tree always has `depth` fold levels, so a short recording is folded up to the same top
//! circuit as a long one; the top fold (with the root checks) is wrapped into the root proof
//! ([`WrapCircuit`]), a small circuit of the same shape for every arity. The root verifier key depends on the
//! settings only.

use std::time::Instant;

use plonky2::plonk::circuit_data::CircuitData;
use stark_frames::chunk::config::{chunk_count, C, D, F};
use stark_frames::chunk::prover::{prove_chunk_bound, ChunkBinding, ProveError};
use stark_frames::chunk::stark::ChunkStark;

use crate::cache::CircuitCache;
use crate::circuit::{HasRoot, LayerCircuit};
use crate::fold::{FoldCircuit, FoldError};
use crate::fold_chain::{ChainError, FoldChain};
use crate::leaf::{LeafCircuit, LeafError};
use crate::leaf_cache::obtain_leaf;
use crate::progress::Progress;
use crate::proof::{FoldChild, FoldProof, LeafProof, RootOutput, RootProof};
use crate::report::{chunk_layer_name, fold_layer_name, LayerReport, LEAF_LAYER, ROOT_LAYER};
use crate::settings::{SettingsError, TreeSettings};
use crate::wrap::{WrapCircuit, WrapError};

/// Why a tree cannot be built or a recording cannot be proven.
#[derive(Debug, thiserror::Error)]
pub enum TreeError {
    /// The settings do not make a tree.
    #[error(transparent)]
    Settings(#[from] SettingsError),
    /// Building or proving the leaf layer failed.
    #[error("leaf layer: {0}")]
    Leaf(#[from] LeafError),
    /// Building the fold levels or the wrap failed.
    #[error(transparent)]
    Chain(#[from] ChainError),
    /// Proving a fold level failed.
    #[error("fold level {level}: {source}")]
    Fold {
        /// The level (1 = just above the leaves).
        level: usize,
        /// What failed.
        source: FoldError,
    },
    /// Wrapping the top fold failed.
    #[error("root wrap: {0}")]
    Wrap(#[from] WrapError),
    /// A chunk STARK proof failed.
    #[error("chunk {index}: {source}")]
    Chunk {
        /// The chunk.
        index: usize,
        /// What failed.
        source: ProveError,
    },
}

/// The circuits of a tree: leaf, then fold levels `1..=depth` (the last is the root).
pub struct TreeCircuits {
    settings: TreeSettings,
    leaf: LeafCircuit,
    leaf_secs: f64,
    chain: FoldChain,
}

impl TreeCircuits {
    /// Builds every circuit of the tree (about 25 s for the leaf, seconds per fold level).
    /// The leaf is read from `cache` when it holds it (and written to it when not); the folds are built (a
    /// few seconds each).
    pub fn build(
        settings: TreeSettings,
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, TreeError> {
        settings.validate()?;
        let depth = settings.depth();
        progress(Progress::Layer { name: "build circuits".into(), steps: 2 + depth });
        let (leaf, leaf_secs) = obtain_leaf(settings.frames_per_chunk, cache, progress)?;
        progress(Progress::Step);
        let data = leaf.data();
        let chain = FoldChain::build(settings, &data.common, &data.verifier_only, depth, true, progress)?;
        Ok(Self { settings, leaf, leaf_secs, chain })
    }

    /// The settings the tree was built for.
    pub fn settings(&self) -> TreeSettings {
        self.settings
    }

    /// The leaf circuit.
    pub fn leaf(&self) -> &LeafCircuit {
        &self.leaf
    }

    /// The fold circuit of `level`. Panics unless `1 <= level <= depth`.
    pub fn fold(&self, level: usize) -> &FoldCircuit {
        self.chain.fold(level)
    }

    /// The wrap circuit: the root, verifying the top fold.
    pub fn wrap(&self) -> &WrapCircuit {
        self.chain.wrap().expect("a tree's chain has its wrap")
    }

    /// Proves `samples` (16 kHz mono) up to one root proof: chunk STARKs and leaves chunk by chunk, then
    /// each fold level, then the wrap; every chunk states `binding` (voicing threshold and session nonce).
    /// Every proof is checked as it is made.
    pub fn prove(
        &self,
        samples: &[i16],
        binding: &ChunkBinding,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RootOutput, TreeError> {
        let (leaves, mut layers) = self.prove_leaves(samples, binding, progress)?;
        let (root, folds) = self.fold_levels(leaves, progress)?;
        layers.extend(folds);
        Ok(RootOutput { root, layers })
    }

    /// The first two layers: one chunk STARK proof and one leaf proof per chunk, in order, with the reports
    /// of both layers.
    pub fn prove_leaves(
        &self,
        samples: &[i16],
        binding: &ChunkBinding,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Vec<LeafProof>, Vec<LayerReport>), TreeError> {
        let s = self.settings;
        s.check_length(samples.len())?;
        let chunks = chunk_count(samples.len(), s.frames_per_chunk);
        progress(Progress::Layer { name: "chunk STARK + leaf".into(), steps: chunks });
        let (mut stark_secs, mut leaf_secs, mut stark_bytes) = (0.0, 0.0, 0);
        let mut leaves: Vec<LeafProof> = Vec::with_capacity(chunks);
        for index in 0..chunks {
            let t = Instant::now();
            let chunk = prove_chunk_bound(samples, s.frames_per_chunk, index, binding)
                .map_err(|source| TreeError::Chunk { index, source })?;
            stark_secs += t.elapsed().as_secs_f64();
            if index == 0 {
                // Every chunk proof of a tree has the same size; serialise one for the report.
                stark_bytes = chunk.to_bytes().len();
            }
            let t = Instant::now();
            leaves.push(self.leaf.prove(&chunk)?);
            leaf_secs += t.elapsed().as_secs_f64();
            progress(Progress::Step);
        }
        let height = ChunkStark::<F, D>::new(s.frames_per_chunk).height();
        let layers = vec![
            LayerReport {
                layer: chunk_layer_name(s.frames_per_chunk),
                proofs: chunks,
                degree_bits: height.trailing_zeros() as usize,
                gates: None,
                build_secs: 0.0,
                prove_secs: stark_secs,
                proof_bytes: stark_bytes,
            },
            self.leaf.report(LEAF_LAYER, self.leaf_secs, chunks, leaf_secs, &leaves[0]),
        ];
        Ok((leaves, layers))
    }

    /// The fold levels: groups the proofs of each level by `arity` (the last group may be short) up to the
    /// top fold, then wraps it into the root; one report per level and one for the wrap.
    pub fn fold_levels(
        &self,
        leaves: Vec<LeafProof>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(RootProof, Vec<LayerReport>), TreeError> {
        let depth = self.chain.levels();
        let mut layers = Vec::with_capacity(depth + 1);
        let mut level = self.fold_level(1, &leaves, progress, &mut layers)?;
        for lvl in 2..=depth {
            level = self.fold_level(lvl, &level, progress, &mut layers)?;
        }
        if level.len() != 1 {
            return Err(TreeError::Fold {
                level: depth,
                source: FoldError::Prove(format!("{} proofs remain at the root level", level.len())),
            });
        }
        let top = level.pop().expect("one top proof");
        progress(Progress::Layer { name: ROOT_LAYER.into(), steps: 1 });
        let t = Instant::now();
        let wrap = self.wrap();
        let root = wrap.prove(&top)?;
        progress(Progress::Step);
        let secs = t.elapsed().as_secs_f64();
        let build = self.chain.build_secs(depth + 1);
        layers.push(wrap.report(ROOT_LAYER, build, 1, secs, &root));
        Ok((root, layers))
    }

    /// Fold level `lvl` (1 to `depth`): folds `children` (the level below's proofs, in order) in groups of
    /// `arity` and appends the level's report to `layers`.
    fn fold_level<P: FoldChild>(
        &self,
        lvl: usize,
        children: &[P],
        progress: &mut dyn FnMut(Progress),
        layers: &mut Vec<LayerReport>,
    ) -> Result<Vec<FoldProof>, TreeError> {
        let fold = self.chain.fold(lvl);
        let name = fold_layer_name(lvl, self.chain.levels());
        let groups: Vec<&[P]> = children.chunks(self.settings.arity).collect();
        progress(Progress::Layer { name: name.clone(), steps: groups.len() });
        let t = Instant::now();
        let mut next = Vec::with_capacity(groups.len());
        for group in groups {
            next.push(fold.prove(group).map_err(|source| TreeError::Fold { level: lvl, source })?);
            progress(Progress::Step);
        }
        let secs = t.elapsed().as_secs_f64();
        layers.push(fold.report(&name, self.chain.build_secs(lvl), next.len(), secs, &next[0]));
        Ok(next)
    }
}

impl HasRoot for TreeCircuits {
    /// The wrap of the top fold.
    fn root(&self) -> &CircuitData<F, C, D> {
        self.chain.root()
    }
}
