//! Running one configuration in a child process: the current binary's hidden `experiment-run` command, with
//! `--threads` setting its rayon pool, so that the configuration's peak memory is its own (the child reads its
//! `VmHWM` at its end) and no circuit of an earlier configuration stays in memory.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use super::config::Config;
use super::measure::Measurement;
use crate::args::CacheOpts;

/// How to start the children: the binary, the recording, the cache options.
pub struct Child<'a> {
    /// The `voizk` binary (`std::env::current_exe`).
    pub exe: PathBuf,
    /// The recording (`None`: the built-in one).
    pub file: Option<&'a Path>,
    /// The circuit cache options, passed on.
    pub cache: &'a CacheOpts,
}

impl Child<'_> {
    /// The arguments of the child for `config`.
    pub fn args(&self, config: &Config) -> Vec<String> {
        let mut args =
            vec!["--quiet".to_string(), "--threads".into(), config.threads.to_string(), "experiment-run".into()];
        if let Some(f) = self.file {
            args.push(f.display().to_string());
        }
        args.extend([
            "-k".into(),
            config.frames_per_chunk.to_string(),
            "--arity".into(),
            config.arity.to_string(),
            "--max-seconds".into(),
            config.max_seconds.to_string(),
        ]);
        if self.cache.no_cache {
            args.push("--no-cache".into());
        } else if let Some(dir) = &self.cache.cache_dir {
            args.extend(["--cache-dir".into(), dir.display().to_string()]);
        }
        args
    }

    /// Runs `config` in a child process and returns what it measured; a failure carries the child's error line.
    pub fn run(&self, config: &Config) -> Result<Measurement> {
        let output = Command::new(&self.exe)
            .args(self.args(config))
            .output()
            .with_context(|| format!("cannot run {}", self.exe.display()))?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let reason = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("no message");
            let reason = reason.strip_prefix("error: ").unwrap_or(reason);
            bail!("{config} failed ({}): {reason}", output.status);
        }
        let m: Measurement = serde_json::from_slice(&output.stdout)
            .with_context(|| format!("{config}: the child's report is not valid JSON"))?;
        if m.threads != config.threads {
            bail!("{config}: the child ran {} threads", m.threads);
        }
        Ok(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_child_gets_the_configuration_and_the_cache_options() {
        let config = Config { frames_per_chunk: 256, arity: 4, max_seconds: 10, threads: 1 };
        let cache = CacheOpts { cache_dir: Some("/c".into()), no_cache: false };
        let child = Child { exe: "voizk".into(), file: Some(Path::new("a.wav")), cache: &cache };
        let args = child.args(&config).join(" ");
        assert_eq!(args, "--quiet --threads 1 experiment-run a.wav -k 256 --arity 4 --max-seconds 10 --cache-dir /c");
        let none = CacheOpts { cache_dir: None, no_cache: true };
        let child = Child { exe: "voizk".into(), file: None, cache: &none };
        assert_eq!(
            child.args(&config).join(" "),
            "--quiet --threads 1 experiment-run -k 256 --arity 4 --max-seconds 10 --no-cache"
        );
    }
}
