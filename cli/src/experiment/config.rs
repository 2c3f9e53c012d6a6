//! The configurations of a sweep: every combination of the chunk sizes, arities, maximum lengths and thread
//! counts asked for, checked before anything runs.
//!
//! Policy for bad options: a value no tree can have (a chunk size outside 1 to 4 096 frames, an arity outside
//! 2 to 16, a maximum length outside 1 to 3 600 s) refuses the whole sweep, naming the option and the value,
//! since it is a typing mistake that no configuration can use. A maximum length shorter than the recording is a
//! legitimate point of a sweep over lengths that this recording cannot take: its configurations are skipped
//! with a warning, and the sweep is refused only when every maximum is too short.

use std::fmt;

use anyhow::{bail, Result};
use recursion::settings::{SettingsError, TreeSettings};
use stark_frames::chunk::config::MAX_FRAMES_PER_CHUNK;

/// One point of a sweep: the tree's settings and the size of rayon's pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Config {
    /// Frames per chunk `K`.
    pub frames_per_chunk: usize,
    /// Children per fold.
    pub arity: usize,
    /// Longest recording the tree accepts, seconds (with `K` and the arity, it fixes the depth).
    pub max_seconds: u32,
    /// Worker threads of the prover.
    pub threads: usize,
}

impl Config {
    /// The tree's settings.
    pub fn settings(&self) -> TreeSettings {
        TreeSettings { frames_per_chunk: self.frames_per_chunk, arity: self.arity, max_seconds: self.max_seconds }
    }

    /// Fold levels of the tree.
    pub fn depth(&self) -> usize {
        self.settings().depth()
    }
}

impl fmt::Display for Config {
    /// `K = 512, arity 2, at most 30 s (depth 3), 2 threads`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let threads = if self.threads == 1 { "thread" } else { "threads" };
        write!(
            f,
            "K = {}, arity {}, at most {} s (depth {}), {} {threads}",
            self.frames_per_chunk,
            self.arity,
            self.max_seconds,
            self.depth(),
            self.threads
        )
    }
}

/// The values to sweep, option by option, as given (duplicates are dropped, the order is kept).
#[derive(Clone, Debug, Default)]
pub struct Lists {
    /// `-k`.
    pub frames_per_chunk: Vec<usize>,
    /// `--arity`.
    pub arity: Vec<usize>,
    /// `--max-seconds`.
    pub max_seconds: Vec<u32>,
    /// `--threads`.
    pub threads: Vec<usize>,
}

/// The configurations to run for one recording.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Every valid combination, in the order of the lists (K slowest, threads fastest).
    pub configs: Vec<Config>,
    /// The maximum lengths skipped because the recording is longer.
    pub too_short: Vec<u32>,
}

/// Checks the lists and combines them for a recording of `num_samples` samples (see the module documentation
/// for what is refused and what is skipped).
pub fn plan(lists: &Lists, num_samples: usize) -> Result<Plan> {
    let default = TreeSettings::default();
    let frames = dedup(&lists.frames_per_chunk, "-k")?;
    let arities = dedup(&lists.arity, "--arity")?;
    let maxima = dedup(&lists.max_seconds, "--max-seconds")?;
    let threads = dedup(&lists.threads, "--threads")?;
    for &k in &frames {
        let s = TreeSettings { frames_per_chunk: k, ..default };
        if let Err(e) = s.validate() {
            bail!("-k {k}: {e} (1 to {MAX_FRAMES_PER_CHUNK})");
        }
    }
    for &arity in &arities {
        TreeSettings { arity, ..default }.validate().map_err(|e| anyhow::anyhow!("--arity {arity}: {e}"))?;
    }
    let mut fitting = Vec::with_capacity(maxima.len());
    let mut too_short = Vec::new();
    for &max_seconds in &maxima {
        let s = TreeSettings { max_seconds, ..default };
        s.validate().map_err(|e| anyhow::anyhow!("--max-seconds {max_seconds}: {e}"))?;
        match s.check_length(num_samples) {
            Ok(()) => fitting.push(max_seconds),
            Err(SettingsError::Length { .. }) => too_short.push(max_seconds),
            Err(e) => bail!("--max-seconds {max_seconds}: {e}"),
        }
    }
    if fitting.is_empty() {
        bail!(
            "the recording ({:.2} s) is longer than every --max-seconds ({}): nothing to run",
            num_samples as f64 / f64::from(stark_frames::params::SAMPLE_RATE),
            join(&too_short)
        );
    }
    let mut configs = Vec::with_capacity(frames.len() * arities.len() * fitting.len() * threads.len());
    for &frames_per_chunk in &frames {
        for &arity in &arities {
            for &max_seconds in &fitting {
                for &threads in &threads {
                    configs.push(Config { frames_per_chunk, arity, max_seconds, threads });
                }
            }
        }
    }
    Ok(Plan { configs, too_short })
}

/// `values` without repeats, in their order; an error naming `option` when there is none.
fn dedup<T: PartialEq + Copy>(values: &[T], option: &str) -> Result<Vec<T>> {
    let mut out: Vec<T> = Vec::with_capacity(values.len());
    for &v in values {
        if !out.contains(&v) {
            out.push(v);
        }
    }
    if out.is_empty() {
        bail!("{option} needs at least one value");
    }
    Ok(out)
}

/// `10, 30`.
pub fn join<T: ToString>(values: &[T]) -> String {
    values.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 3.00 s: 300 hops.
    const THREE_SECONDS: usize = 48_000;

    fn lists(k: &[usize], arity: &[usize], max: &[u32], threads: &[usize]) -> Lists {
        Lists {
            frames_per_chunk: k.to_vec(),
            arity: arity.to_vec(),
            max_seconds: max.to_vec(),
            threads: threads.to_vec(),
        }
    }

    #[test]
    fn every_combination_in_order_without_repeats() {
        let p = plan(&lists(&[256, 512, 256], &[2, 4], &[10, 30], &[1, 2]), THREE_SECONDS).unwrap();
        assert_eq!(p.configs.len(), 16);
        assert!(p.too_short.is_empty());
        let first = Config { frames_per_chunk: 256, arity: 2, max_seconds: 10, threads: 1 };
        assert_eq!(p.configs[0], first);
        assert_eq!(p.configs[1], Config { threads: 2, ..first });
        assert_eq!(p.configs[15], Config { frames_per_chunk: 512, arity: 4, max_seconds: 30, threads: 2 });
        assert_eq!(p.configs[15].to_string(), "K = 512, arity 4, at most 30 s (depth 2), 2 threads");
        assert_eq!(
            Config { threads: 1, ..p.configs[15] }.to_string(),
            "K = 512, arity 4, at most 30 s (depth 2), 1 thread"
        );
    }

    #[test]
    fn invalid_values_refuse_the_sweep_and_short_maxima_are_skipped() {
        let err = |l: Lists| plan(&l, THREE_SECONDS).unwrap_err().to_string();
        assert_eq!(
            err(lists(&[512, 5000], &[2], &[30], &[1])),
            "-k 5000: unsupported chunk size 5000 frames (1 to 4096)"
        );
        assert_eq!(err(lists(&[0], &[2], &[30], &[1])), "-k 0: unsupported chunk size 0 frames (1 to 4096)");
        assert_eq!(err(lists(&[512], &[1], &[30], &[1])), "--arity 1: arity 1 is not supported (2 to 16)");
        assert!(err(lists(&[512], &[2], &[3601], &[1])).starts_with("--max-seconds 3601: maximum length 3601 s"));
        assert_eq!(err(lists(&[], &[2], &[30], &[1])), "-k needs at least one value");
        // 3.00 s fits a maximum of 3 s (300 hops), not of 2 s.
        let p = plan(&lists(&[512], &[2], &[2, 3, 1], &[1]), THREE_SECONDS).unwrap();
        assert_eq!(p.too_short, vec![2, 1]);
        assert_eq!(p.configs.iter().map(|c| c.max_seconds).collect::<Vec<_>>(), vec![3]);
        assert_eq!(
            err(lists(&[512], &[2], &[2, 1], &[1])),
            "the recording (3.00 s) is longer than every --max-seconds (2, 1): nothing to run"
        );
    }
}
