//! The circuits of a tree above its leaf: fold levels `1..=levels` and, optionally, the wrap (the root), built
//! from the leaf's verifier data alone.
//!
//! A fold circuit needs only its child's verifier data (common data and key), never its prover data, so the
//! part of a tree above the leaves can be built without the leaf circuit (hundreds of megabytes): from the leaf
//! key in the circuit cache. [`crate::tree::TreeCircuits`] holds one complete chain; a stage run apart (one fold
//! level, the root, the final proof) builds the chain up to what it proves. The same settings give the same
//! circuits, and so the same keys, either way.

use std::time::Instant;

use plonky2::plonk::circuit_data::{CircuitData, CommonCircuitData, VerifierOnlyCircuitData};
use stark_frames::chunk::config::{C, D, F};

use crate::circuit::HasRoot;
use crate::fold::{FoldCircuit, FoldError, FoldRole};
use crate::progress::Progress;
use crate::settings::TreeSettings;
use crate::wrap::WrapCircuit;

/// Why a chain of fold circuits cannot be built.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// More levels asked for than the tree has.
    #[error("the tree has {depth} fold levels, not {levels}")]
    Levels {
        /// Levels asked for.
        levels: usize,
        /// The tree's depth.
        depth: usize,
    },
    /// A fold level could not be built.
    #[error("fold level {level}: {source}")]
    Fold {
        /// The level.
        level: usize,
        /// What failed.
        source: FoldError,
    },
}

/// Fold levels `1..=levels` of a tree of `settings` over a leaf with the given verifier data, and the wrap
/// of the top fold when every level is built and it was asked for.
pub struct FoldChain {
    folds: Vec<FoldCircuit>,
    wrap: Option<WrapCircuit>,
    /// Build seconds of each fold level, then of the wrap.
    build_secs: Vec<f64>,
}

impl FoldChain {
    /// Builds fold levels `1..=levels` over the leaf circuit of `leaf_common` and `leaf_key` (level `depth`
    /// with the root checks), then the wrap if `with_wrap` (only when `levels == depth`). One progress step
    /// per circuit built.
    pub fn build(
        settings: TreeSettings,
        leaf_common: &CommonCircuitData<F, D>,
        leaf_key: &VerifierOnlyCircuitData<C, D>,
        levels: usize,
        with_wrap: bool,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, ChainError> {
        let depth = settings.depth();
        if levels > depth || (with_wrap && levels != depth) {
            return Err(ChainError::Levels { levels, depth });
        }
        let mut folds: Vec<FoldCircuit> = Vec::with_capacity(levels);
        let mut build_secs = Vec::with_capacity(levels + 1);
        for level in 1..=levels {
            let t = Instant::now();
            let (common, key) =
                folds.last().map_or((leaf_common, leaf_key), |f| (&f.data().common, &f.data().verifier_only));
            let role = if level == depth { FoldRole::Root { max_hops: settings.max_hops() } } else { FoldRole::Inner };
            let fold = FoldCircuit::build(common, key, settings.span(level - 1), settings.arity, role)
                .map_err(|source| ChainError::Fold { level, source })?;
            folds.push(fold);
            build_secs.push(t.elapsed().as_secs_f64());
            progress(Progress::Step);
        }
        let wrap = with_wrap.then(|| {
            let t = Instant::now();
            let wrap = WrapCircuit::build(folds.last().expect("a tree has at least one fold level").data());
            build_secs.push(t.elapsed().as_secs_f64());
            progress(Progress::Step);
            wrap
        });
        Ok(Self { folds, wrap, build_secs })
    }

    /// Fold levels built.
    pub fn levels(&self) -> usize {
        self.folds.len()
    }

    /// The fold circuit of `level`. Panics unless `1 <= level <= levels`.
    pub fn fold(&self, level: usize) -> &FoldCircuit {
        &self.folds[level - 1]
    }

    /// The wrap circuit, if built.
    pub fn wrap(&self) -> Option<&WrapCircuit> {
        self.wrap.as_ref()
    }

    /// Seconds it took to build fold level `level` (1 to `levels`), or the wrap (`levels + 1`).
    pub fn build_secs(&self, level: usize) -> f64 {
        self.build_secs[level - 1]
    }
}

impl HasRoot for FoldChain {
    /// The wrap of the top fold. Panics if the chain was built without it.
    fn root(&self) -> &CircuitData<F, C, D> {
        self.wrap.as_ref().expect("a chain built with its wrap").data()
    }
}
