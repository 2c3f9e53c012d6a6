//! The root prover for either shape of [`RootSettings`]: the size ladder (one chunk sized to the
//! recording) or the tree (chunks of a fixed size, folded), behind one interface, so that the CLI and the
//! layers above handle every root proof alike. Both roots have the chunk layout of public inputs.

use plonky2::plonk::circuit_data::CircuitData;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::prover::ChunkBinding;

use crate::cache::CircuitCache;
use crate::circuit::HasRoot;
use crate::files::{digest_hex, RootKey};
use crate::ladder::{LadderCircuits, LadderError};
use crate::progress::Progress;
use crate::proof::RootOutput;
use crate::settings::RootSettings;
use crate::tree::{TreeCircuits, TreeError};

/// Why root circuits cannot be built or a recording cannot be proven.
#[derive(Debug, thiserror::Error)]
pub enum RootError {
    /// From the ladder.
    #[error(transparent)]
    Ladder(#[from] LadderError),
    /// From the tree.
    #[error(transparent)]
    Tree(#[from] TreeError),
    /// The circuits rebuilt from a key file have another root key than the file's.
    #[error("this build of voizk makes root key {built}, the key file holds {file}: it was made by another version")]
    StaleKey {
        /// The rebuilt root key's digest (hex).
        built: String,
        /// The file's.
        file: String,
    },
}

/// The circuits of one root shape.
pub enum RootCircuits {
    /// A size ladder.
    Ladder(Box<LadderCircuits>),
    /// A fold tree.
    Tree(Box<TreeCircuits>),
}

impl RootCircuits {
    /// Builds the circuits of `settings`. For a ladder, the leaf prover data is kept for the sizes that
    /// prove recordings of the `lengths` given, in samples (none when empty: enough to verify, not to prove).
    /// Leaf circuits are read from `cache` when it holds them, and written to it when built.
    pub fn build(
        settings: RootSettings,
        lengths: &[usize],
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, RootError> {
        Ok(match settings {
            RootSettings::Ladder(s) => {
                let mut keep =
                    lengths.iter().map(|&n| s.size_for(n)).collect::<Result<Vec<_>, _>>().map_err(LadderError::from)?;
                keep.sort_unstable();
                keep.dedup();
                Self::Ladder(Box::new(LadderCircuits::build(s, &keep, cache, progress)?))
            }
            RootSettings::Tree(s) => Self::Tree(Box::new(TreeCircuits::build(s, cache, progress)?)),
        })
    }

    /// Rebuilds the circuits a key file was made from, to prove `num_samples` samples: for a ladder with its
    /// leaf keys, only the one leaf needed (the others' keys come from the file), else everything (leaves from
    /// `cache` when it holds them). Fails with
    /// a stale-key error when the rebuilt root's key is not the file's (a key from another build).
    pub fn build_from_key(
        key: &RootKey,
        num_samples: usize,
        cache: Option<&CircuitCache>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Self, RootError> {
        let circuits = match key.settings {
            RootSettings::Ladder(s) if !key.leaf_keys.is_empty() => {
                let frames = s.size_for(num_samples).map_err(LadderError::from)?;
                Self::Ladder(Box::new(LadderCircuits::build_from_keys(s, &key.leaf_keys, frames, cache, progress)?))
            }
            settings => Self::build(settings, &[num_samples], cache, progress)?,
        };
        if circuits.root_digest() != key.digest() {
            return Err(RootError::StaleKey {
                built: digest_hex(circuits.root_digest()),
                file: digest_hex(key.digest()),
            });
        }
        Ok(circuits)
    }

    /// The root key, with the leaf keys a prover needs to rebuild a ladder from it.
    pub fn root_key(&self) -> RootKey {
        let leaf_keys = match self {
            Self::Ladder(l) => l.leaf_keys(),
            Self::Tree(_) => Vec::new(),
        };
        RootKey { settings: self.settings(), data: self.root_verifier(), leaf_keys }
    }

    /// The settings the circuits were built for.
    pub fn settings(&self) -> RootSettings {
        match self {
            Self::Ladder(l) => RootSettings::Ladder(l.settings()),
            Self::Tree(t) => RootSettings::Tree(t.settings()),
        }
    }

    /// Proves `samples` (16 kHz mono) up to one root proof, every chunk stating `binding` (statistics pooled
    /// over frames whose `c0` reaches its voicing threshold, the proof bound to its session nonce); every
    /// proof is checked as it is made.
    pub fn prove(
        &self,
        samples: &[i16],
        binding: &ChunkBinding,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<RootOutput, RootError> {
        Ok(match self {
            Self::Ladder(l) => l.prove(samples, binding, progress)?.into(),
            Self::Tree(t) => t.prove(samples, binding, progress)?,
        })
    }
}

impl HasRoot for RootCircuits {
    /// The root circuit of the shape built.
    fn root(&self) -> &CircuitData<F, C, D> {
        match self {
            Self::Ladder(l) => l.root(),
            Self::Tree(t) => t.root(),
        }
    }
}
