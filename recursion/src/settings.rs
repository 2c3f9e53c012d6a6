//! The settings of a proof tree. They, and nothing about the audio, fix every circuit of the tree and so
//! the root verifier key.

use stark_frames::chunk::prover::supported_chunk_size;
use stark_frames::params::{HOP, SAMPLE_RATE};

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
    #[error("maximum length {0} s is not supported (1 to 3600 s)")]
    MaxSeconds(u32),
    /// A recording that is empty or longer than the tree's maximum.
    #[error("the recording has {hops} hops ({seconds:.2} s); this tree takes 1 to {max_hops} ({max_seconds} s)")]
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
        if !(1..=3600).contains(&self.max_seconds) {
            return Err(SettingsError::MaxSeconds(self.max_seconds));
        }
        Ok(())
    }

    /// Checks that a recording of `num_samples` samples fits the tree (1 to `max_hops` hops).
    pub fn check_length(&self, num_samples: usize) -> Result<(), SettingsError> {
        let hops = num_samples.div_ceil(HOP);
        if hops == 0 || hops > self.max_hops() {
            return Err(SettingsError::Length {
                hops,
                seconds: num_samples as f64 / f64::from(SAMPLE_RATE),
                max_hops: self.max_hops(),
                max_seconds: self.max_seconds,
            });
        }
        Ok(())
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
}
