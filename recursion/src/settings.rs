//! The settings of a proof tree. They, and nothing about the audio, fix every circuit of the tree and so
//! the root verifier key.

use stark_frames::chunk::config::{supported_chunk_size, MAX_FRAMES_PER_CHUNK};
use stark_frames::params::{HOP, MAX_RECORDING_SECONDS, SAMPLE_RATE};

/// Chunk size, arity and maximum length of a proof tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TreeSettings {
    /// Frames per chunk `K` (one chunk STARK proof, one leaf proof per chunk).
    pub frames_per_chunk: usize,
    /// Children per fold.
    pub arity: usize,
    /// Longest recording the tree accepts, in seconds. The depth is the smallest that holds it.
    pub max_seconds: u32,
}

/// Settings that cannot make a tree.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SettingsError {
    /// The chunk STARK does not support this chunk size.
    #[error("unsupported chunk size {0} frames")]
    ChunkSize(usize),
    /// Arity outside `2..=16`.
    #[error("arity {0} is not supported (2 to 16)")]
    Arity(usize),
    /// Maximum length outside `1..=3600` s.
    #[error("maximum length {0} s is not supported (1 to {MAX_RECORDING_SECONDS} s)")]
    MaxSeconds(u32),
    /// Maximum length over what one chunk holds (a ladder proves the recording as one chunk).
    #[error("maximum length {0} s is not supported by a single-chunk proof (1 to {LADDER_MAX_SECONDS} s)")]
    LadderMaxSeconds(u32),
    /// A recording that is empty or longer than the maximum.
    #[error("the recording has {hops} hops ({seconds:.2} s); these circuits take 1 to {max_hops} ({max_seconds} s)")]
    Length {
        /// Hops of the recording.
        hops: usize,
        /// Its duration.
        seconds: f64,
        /// The tree's maximum in hops.
        max_hops: usize,
        /// The tree's maximum in seconds.
        max_seconds: u32,
    },
}

impl Default for TreeSettings {
    /// 512 frames per chunk (5.12 s), arity 4, at most 30 s: two fold levels. The leaf costs the same for
    /// any chunk size, so a chunk of 512 frames proves a short utterance twice as fast as two of 256
    /// (`docs/PERFORMANCE.md`, proof tree).
    fn default() -> Self {
        Self { frames_per_chunk: 512, arity: 4, max_seconds: 30 }
    }
}

impl TreeSettings {
    /// Checks that the settings make a tree.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if !supported_chunk_size(self.frames_per_chunk) {
            return Err(SettingsError::ChunkSize(self.frames_per_chunk));
        }
        if !(2..=16).contains(&self.arity) {
            return Err(SettingsError::Arity(self.arity));
        }
        if !(1..=MAX_RECORDING_SECONDS).contains(&self.max_seconds) {
            return Err(SettingsError::MaxSeconds(self.max_seconds));
        }
        Ok(())
    }

    /// Checks that a recording of `num_samples` samples fits the tree (1 to `max_hops` hops).
    pub fn check_length(&self, num_samples: usize) -> Result<(), SettingsError> {
        hops_within(num_samples, self.max_seconds, self.max_hops()).map(|_| ())
    }

    /// The maximum length in hops of 160 samples (`100 * max_seconds`).
    pub fn max_hops(&self) -> usize {
        self.max_seconds as usize * SAMPLE_RATE as usize / HOP
    }

    /// Chunks of the longest recording.
    pub fn max_chunks(&self) -> usize {
        self.max_hops().div_ceil(self.frames_per_chunk)
    }

    /// Fold levels above the leaves (at least 1, so the root is always a fold with the root checks).
    pub fn depth(&self) -> usize {
        let mut depth = 1;
        let mut span = self.arity;
        while span < self.max_chunks() {
            span *= self.arity;
            depth += 1;
        }
        depth
    }

    /// Frames spanned by one node of `level` (0 = leaf).
    pub fn span(&self, level: usize) -> usize {
        self.frames_per_chunk * self.arity.pow(level as u32)
    }
}

/// Hops of a recording of `num_samples` samples, or the length error when it has none or more than
/// `max_hops`.
fn hops_within(num_samples: usize, max_seconds: u32, max_hops: usize) -> Result<usize, SettingsError> {
    let hops = num_samples.div_ceil(HOP);
    if hops == 0 || hops > max_hops {
        return Err(SettingsError::Length {
            hops,
            seconds: num_samples as f64 / f64::from(SAMPLE_RATE),
            max_hops,
            max_seconds,
        });
    }
    Ok(hops)
}

/// The smallest chunk size of a ladder: chunk STARKs shorter than 256 rows cost as much as 256.
pub const LADDER_MIN_FRAMES: usize = 256;
/// The longest recording a ladder takes: one chunk holds at most [`MAX_FRAMES_PER_CHUNK`] frames.
pub const LADDER_MAX_SECONDS: u32 = (MAX_FRAMES_PER_CHUNK * HOP / SAMPLE_RATE as usize) as u32;

/// The settings of a size ladder (`ladder.rs`): a recording is proven as one chunk whose size is the
/// smallest power of two from [`LADDER_MIN_FRAMES`] that holds all its hops, and the root accepts the leaf
/// of any size up to the one that holds `max_seconds`. They fix every circuit and so the root key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LadderSettings {
    /// Longest recording accepted, in seconds (at most [`LADDER_MAX_SECONDS`]).
    pub max_seconds: u32,
}

impl Default for LadderSettings {
    /// At most 30 s: chunk sizes 256 to 4096.
    fn default() -> Self {
        Self { max_seconds: 30 }
    }
}

impl LadderSettings {
    /// Checks that one chunk can hold the maximum length.
    pub fn validate(&self) -> Result<(), SettingsError> {
        if !(1..=LADDER_MAX_SECONDS).contains(&self.max_seconds) {
            return Err(SettingsError::LadderMaxSeconds(self.max_seconds));
        }
        Ok(())
    }

    /// The maximum length in hops of 160 samples (`100 * max_seconds`).
    pub fn max_hops(&self) -> usize {
        self.max_seconds as usize * SAMPLE_RATE as usize / HOP
    }

    /// The chunk sizes of the ladder, ascending: powers of two from [`LADDER_MIN_FRAMES`] to the first that
    /// holds `max_hops`.
    pub fn sizes(&self) -> Vec<usize> {
        let top = self.max_hops().next_power_of_two().max(LADDER_MIN_FRAMES);
        std::iter::successors(Some(LADDER_MIN_FRAMES), |k| Some(k * 2)).take_while(|&k| k <= top).collect()
    }

    /// The chunk size that proves a recording of `num_samples` samples: the smallest size of the ladder that
    /// holds all its hops. Fails for an empty recording or one longer than `max_seconds`.
    pub fn size_for(&self, num_samples: usize) -> Result<usize, SettingsError> {
        let hops = hops_within(num_samples, self.max_seconds, self.max_hops())?;
        Ok(hops.next_power_of_two().max(LADDER_MIN_FRAMES))
    }
}

/// How a recording is proven up to its root proof, and so which root key it has.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "shape", rename_all = "snake_case")]
pub enum RootSettings {
    /// One chunk sized to the recording (`ladder.rs`): the fastest for recordings up to 40 s.
    Ladder(LadderSettings),
    /// Chunks of a fixed size folded by a tree (`tree.rs`): any length up to an hour, and chunks that can be
    /// proven apart.
    Tree(TreeSettings),
}

impl Default for RootSettings {
    /// The ladder, at most 30 s.
    fn default() -> Self {
        Self::Ladder(LadderSettings::default())
    }
}

impl RootSettings {
    /// Checks that the settings make circuits.
    pub fn validate(&self) -> Result<(), SettingsError> {
        match self {
            Self::Ladder(s) => s.validate(),
            Self::Tree(s) => s.validate(),
        }
    }

    /// Checks that a recording of `num_samples` samples can be proven with these settings.
    pub fn check_length(&self, num_samples: usize) -> Result<(), SettingsError> {
        match self {
            Self::Ladder(s) => s.size_for(num_samples).map(|_| ()),
            Self::Tree(s) => s.check_length(num_samples),
        }
    }

    /// The longest recording accepted, in seconds.
    pub fn max_seconds(&self) -> u32 {
        match self {
            Self::Ladder(s) => s.max_seconds,
            Self::Tree(s) => s.max_seconds,
        }
    }

    /// Frames the root can span (the top node's span for a tree, the largest chunk for a ladder).
    pub fn root_span(&self) -> usize {
        match self {
            Self::Ladder(s) => *s.sizes().last().expect("a ladder has a size"),
            Self::Tree(s) => s.span(s.depth()),
        }
    }
}

impl std::fmt::Display for RootSettings {
    /// `one chunk of 256 to 4096 frames, at most 30 s` or `K = 512, arity 4, 2 fold levels, at most 30 s`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Ladder(s) => {
                let sizes = s.sizes();
                write!(f, "one chunk of {} to {} frames, at most {} s", sizes[0], sizes[sizes.len() - 1], s.max_seconds)
            }
            Self::Tree(s) => {
                let d = s.depth();
                let levels = if d == 1 { "level" } else { "levels" };
                write!(
                    f,
                    "K = {}, arity {}, {d} fold {levels}, at most {} s",
                    s.frames_per_chunk, s.arity, s.max_seconds
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_holds_the_maximum() {
        let s = TreeSettings::default();
        assert_eq!((s.max_hops(), s.max_chunks(), s.depth()), (3000, 6, 2));
        let s = TreeSettings { arity: 2, ..s };
        assert_eq!(s.depth(), 3);
        let s = TreeSettings { frames_per_chunk: 256, ..s };
        assert_eq!((s.max_chunks(), s.depth()), (12, 4));
        let s = TreeSettings { arity: 8, ..s };
        assert_eq!(s.depth(), 2);
        let s = TreeSettings { frames_per_chunk: 4096, arity: 2, max_seconds: 30 };
        assert_eq!(s.depth(), 1, "one chunk holds 30 s; the root still folds it");
        for s in [TreeSettings::default(), TreeSettings { arity: 3, frames_per_chunk: 100, max_seconds: 61 }] {
            assert!(s.span(s.depth()) >= s.max_hops());
            assert!(s.depth() == 1 || s.span(s.depth() - 1) < s.max_hops());
        }
        assert_eq!(TreeSettings { arity: 1, ..s }.validate(), Err(SettingsError::Arity(1)));
        assert_eq!(TreeSettings { frames_per_chunk: 0, ..s }.validate(), Err(SettingsError::ChunkSize(0)));
        assert_eq!(TreeSettings { max_seconds: 0, ..s }.validate(), Err(SettingsError::MaxSeconds(0)));
    }

    #[test]
    fn ladder_sizes_hold_every_length() {
        let s = LadderSettings::default();
        assert_eq!(s.sizes(), vec![256, 512, 1024, 2048, 4096]);
        assert_eq!(LadderSettings { max_seconds: 5 }.sizes(), vec![256, 512]);
        assert_eq!(LadderSettings { max_seconds: 1 }.sizes(), vec![256]);
        assert_eq!(s.size_for(48_000), Ok(512), "3 s = 300 hops");
        assert_eq!(s.size_for(160 * 256), Ok(256));
        assert_eq!(s.size_for(160 * 256 + 1), Ok(512));
        assert_eq!(s.size_for(1), Ok(256));
        assert!(matches!(s.size_for(0), Err(SettingsError::Length { hops: 0, .. })));
        assert!(matches!(s.size_for(160 * 3000 + 1), Err(SettingsError::Length { hops: 3001, .. })));
        assert_eq!(LADDER_MAX_SECONDS, 40);
        assert_eq!(LadderSettings { max_seconds: 41 }.validate(), Err(SettingsError::LadderMaxSeconds(41)));
        assert_eq!(LadderSettings { max_seconds: 40 }.sizes().last(), Some(&4096));
        let shape = RootSettings::default();
        assert_eq!(shape.to_string(), "one chunk of 256 to 4096 frames, at most 30 s");
        let json = serde_json::to_string(&shape).unwrap();
        assert_eq!(json, r#"{"shape":"ladder","max_seconds":30}"#);
        let tree = RootSettings::Tree(TreeSettings::default());
        assert_eq!(tree.to_string(), "K = 512, arity 4, 2 fold levels, at most 30 s");
        let json = serde_json::to_string(&tree).unwrap();
        assert_eq!(serde_json::from_str::<RootSettings>(&json).unwrap(), tree);
    }
}
