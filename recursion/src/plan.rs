//! The plan of one recording's proof: its stages (chunk STARKs, leaves, folds, root, final), each with the
//! file it writes and the stages whose files it reads, in waves that can each run in parallel.
//!
//! A plan depends on the settings and the recording's length only; it is what [`TreeCircuits::prove`]
//! and [`LadderCircuits::prove`] do in one process, written down so that the stages can be run apart
//! (one job per stage, by GNU parallel, a Slurm job array or Kubernetes). The groupings are the provers':
//! level 0 holds one leaf per chunk; level `l` groups level `l - 1` by `arity`, in order, the last group
//! possibly short; a tree always has `depth` fold levels; the root wraps the top fold (tree) or verifies the
//! only leaf (ladder); the final proof verifies the root.
//!
//! [`TreeCircuits::prove`]: crate::tree::TreeCircuits::prove
//! [`LadderCircuits::prove`]: crate::ladder::LadderCircuits::prove

use std::ops::Range;

use stark_frames::chunk::config::chunk_count;

use crate::settings::{RootSettings, SettingsError};

/// One stage of a proof: what it proves, from which stages' outputs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
pub enum Stage {
    /// The chunk STARK of chunk `index`: frames `index * frames ..` of the recording, `frames` per chunk.
    Chunk {
        /// Chunk index, from 0.
        index: usize,
        /// Frames per chunk (the tree's `K`, or the ladder's size for this recording).
        frames: usize,
    },
    /// The leaf of chunk `index`'s STARK proof.
    Leaf {
        /// Chunk index.
        index: usize,
    },
    /// Fold `index` of fold level `level` (1 = over the leaves): children `children` of the level below.
    Fold {
        /// Fold level, from 1 (over the leaves) to the tree's depth.
        level: usize,
        /// Index of this fold within its level.
        index: usize,
        /// Indices of its children in the level below, consecutive.
        children: Range<usize>,
    },
    /// The root proof: the wrap of the top fold (tree) or the ladder's root over the only leaf.
    Root,
    /// The final decision proof over the root.
    Final,
}

impl Stage {
    /// The file this stage writes, relative to the plan's directory: `chunk-00042.proof`, `leaf-00042.proof`,
    /// `fold-1-00003.proof`, `root.proof`, `final.proof`.
    pub fn output(&self) -> String {
        match self {
            Self::Chunk { index, .. } => chunk_file_name(*index),
            Self::Leaf { index } => format!("leaf-{index:05}.proof"),
            Self::Fold { level, index, .. } => format!("fold-{level}-{index:05}.proof"),
            Self::Root => "root.proof".to_string(),
            Self::Final => "final.proof".to_string(),
        }
    }

    /// The stage's id in plans and job files: its output file's name without `.proof` (`chunk-00042`,
    /// `leaf-00042`, `fold-1-00003`, `root`, `final`).
    pub fn id(&self) -> String {
        self.output().trim_end_matches(PROOF_EXTENSION).to_string()
    }

    /// A short name for logs and job names: `chunk 42`, `leaf 42`, `fold 1.3`, `root`, `final`.
    pub fn name(&self) -> String {
        match self {
            Self::Chunk { index, .. } => format!("chunk {index}"),
            Self::Leaf { index } => format!("leaf {index}"),
            Self::Fold { level, index, .. } => format!("fold {level}.{index}"),
            Self::Root => "root".to_string(),
            Self::Final => "final".to_string(),
        }
    }
}

/// The extension of every stage's output file.
const PROOF_EXTENSION: &str = ".proof";

/// `chunk-00042.proof`: the chunk STARK proof file of chunk 42 (also `voizk prove-chunks`'s naming).
pub fn chunk_file_name(index: usize) -> String {
    format!("chunk-{index:05}.proof")
}

/// The stages of one recording's proof in waves: every stage of a wave reads only outputs of earlier waves,
/// so a wave's stages can run in parallel and the waves in order.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Plan {
    /// The settings the plan is for.
    pub settings: RootSettings,
    /// Samples of the recording.
    pub num_samples: usize,
    /// The waves, in order: chunk STARKs; leaves; each fold level (tree); root; final.
    pub waves: Vec<Vec<Stage>>,
}

impl Plan {
    /// The plan of a recording of `num_samples` samples under `settings`. Fails when the settings make no
    /// circuits or the recording does not fit them (empty, or longer than their maximum).
    pub fn new(settings: RootSettings, num_samples: usize) -> Result<Self, SettingsError> {
        settings.validate()?;
        settings.check_length(num_samples)?;
        let (frames, chunks) = match settings {
            RootSettings::Ladder(s) => (s.size_for(num_samples)?, 1),
            RootSettings::Tree(s) => (s.frames_per_chunk, chunk_count(num_samples, s.frames_per_chunk)),
        };
        let mut waves = vec![
            (0..chunks).map(|index| Stage::Chunk { index, frames }).collect(),
            (0..chunks).map(|index| Stage::Leaf { index }).collect::<Vec<_>>(),
        ];
        if let RootSettings::Tree(s) = settings {
            let mut below = chunks;
            for level in 1..=s.depth() {
                let folds: Vec<Stage> = (0..below.div_ceil(s.arity))
                    .map(|index| Stage::Fold {
                        level,
                        index,
                        children: index * s.arity..((index + 1) * s.arity).min(below),
                    })
                    .collect();
                below = folds.len();
                waves.push(folds);
            }
        }
        waves.push(vec![Stage::Root]);
        waves.push(vec![Stage::Final]);
        Ok(Self { settings, num_samples, waves })
    }

    /// Every stage, wave by wave.
    pub fn stages(&self) -> impl Iterator<Item = &Stage> {
        self.waves.iter().flatten()
    }

    /// The stage of id `id` ([`Stage::id`]), if the plan has one.
    pub fn find(&self, id: &str) -> Option<&Stage> {
        self.stages().find(|s| s.id() == id)
    }

    /// Stage `index` (from 0) of wave `wave` (from 0), if there is one: how a job array's task finds its stage.
    pub fn at(&self, wave: usize, index: usize) -> Option<&Stage> {
        self.waves.get(wave)?.get(index)
    }

    /// The stage ids of each wave, in order: the job lists of batch engines.
    pub fn ids(&self) -> Vec<Vec<String>> {
        self.waves.iter().map(|w| w.iter().map(Stage::id).collect()).collect()
    }

    /// The stages whose outputs `stage` reads, all in earlier waves (empty for a chunk STARK, which reads
    /// the recording).
    pub fn inputs(&self, stage: &Stage) -> Vec<Stage> {
        match stage {
            Stage::Chunk { .. } => Vec::new(),
            Stage::Leaf { index } => self.waves[0]
                .iter()
                .filter(|s| matches!(s, Stage::Chunk { index: i, .. } if i == index))
                .cloned()
                .collect(),
            Stage::Fold { level, children, .. } => self.waves[*level]
                .iter()
                .filter(|s| below_index(s).is_some_and(|i| children.contains(&i)))
                .cloned()
                .collect(),
            Stage::Root => self.waves[self.waves.len() - 3].clone(),
            Stage::Final => vec![Stage::Root],
        }
    }
}

/// The index of a leaf or fold within its level (what a fold's `children` count).
fn below_index(stage: &Stage) -> Option<usize> {
    match stage {
        Stage::Leaf { index } | Stage::Fold { index, .. } => Some(*index),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use stark_frames::params::HOP;

    use super::*;
    use crate::settings::{LadderSettings, TreeSettings};

    fn tree(k: usize, arity: usize, max_seconds: u32) -> RootSettings {
        RootSettings::Tree(TreeSettings { frames_per_chunk: k, arity, max_seconds })
    }

    /// A tree plan: one chunk and one leaf per chunk, each level grouped by arity (the last group short),
    /// `depth` levels even when a level has one fold, then root and final; every input in an earlier wave.
    #[test]
    fn a_tree_plan_groups_each_level_by_arity() {
        // 11 chunks of 64 frames (701 hops), arity 4, at most 30 s: depth 3 (47 chunks at most).
        let plan = Plan::new(tree(64, 4, 30), 701 * HOP).unwrap();
        let sizes: Vec<usize> = plan.waves.iter().map(Vec::len).collect();
        assert_eq!(sizes, [11, 11, 3, 1, 1, 1, 1]);
        assert_eq!(plan.waves[2][2], Stage::Fold { level: 1, index: 2, children: 8..11 });
        assert_eq!(plan.waves[4][0], Stage::Fold { level: 3, index: 0, children: 0..1 });
        let fold = &plan.waves[2][1];
        let inputs: Vec<String> = plan.inputs(fold).iter().map(Stage::output).collect();
        assert_eq!(inputs, ["leaf-00004.proof", "leaf-00005.proof", "leaf-00006.proof", "leaf-00007.proof"]);
        assert_eq!(plan.inputs(&Stage::Root), [Stage::Fold { level: 3, index: 0, children: 0..1 }]);
        assert_eq!(plan.inputs(&Stage::Leaf { index: 10 }), [Stage::Chunk { index: 10, frames: 64 }]);
        assert_eq!(plan.find("fold-1-00002"), Some(&plan.waves[2][2]));
        assert_eq!(plan.at(2, 2), plan.find("fold-1-00002"));
        assert_eq!((plan.find("fold-1-00003"), plan.at(2, 3), plan.at(7, 0)), (None, None, None));
        assert_eq!(plan.ids()[5..], [["root"], ["final"]]);
        assert_eq!(plan.ids()[0][10], "chunk-00010");
        for (w, wave) in plan.waves.iter().enumerate() {
            for stage in wave {
                for input in plan.inputs(stage) {
                    let at = plan.waves.iter().position(|v| v.contains(&input)).unwrap();
                    assert!(at < w, "{} reads {} of a later wave", stage.name(), input.name());
                }
            }
        }
        let outputs: std::collections::BTreeSet<String> = plan.stages().map(Stage::output).collect();
        assert_eq!(outputs.len(), plan.stages().count(), "every stage writes its own file");
        // Every stage but the final is read by exactly one other.
        for stage in plan.stages().filter(|s| **s != Stage::Final) {
            let readers = plan.stages().filter(|s| plan.inputs(s).contains(stage)).count();
            assert_eq!(readers, 1, "{}", stage.name());
        }
    }

    /// A ladder plan: one chunk sized to the recording, its leaf, the root, the final proof.
    #[test]
    fn a_ladder_plan_is_one_chunk_sized_to_the_recording() {
        let plan = Plan::new(RootSettings::Ladder(LadderSettings::default()), 48_000).unwrap();
        let stages: Vec<Stage> = plan.stages().cloned().collect();
        assert_eq!(
            stages,
            [Stage::Chunk { index: 0, frames: 512 }, Stage::Leaf { index: 0 }, Stage::Root, Stage::Final]
        );
        assert_eq!(plan.inputs(&Stage::Root), [Stage::Leaf { index: 0 }]);
    }

    /// Recordings the settings do not take make no plan.
    #[test]
    fn a_recording_that_does_not_fit_makes_no_plan() {
        assert!(matches!(Plan::new(tree(64, 4, 1), 0), Err(SettingsError::Length { .. })));
        assert!(matches!(Plan::new(tree(64, 4, 1), 101 * HOP), Err(SettingsError::Length { .. })));
        assert_eq!(Plan::new(tree(64, 1, 1), HOP), Err(SettingsError::Arity(1)));
        assert_eq!(Plan::new(tree(64, 4, 1), 100 * HOP).unwrap().waves[0].len(), 2);
    }
}
