//! Manifests of recordings for `eval` and `model fit`: reading them, and working through their files in parallel
//! with a progress bar on a terminal (nothing with `--quiet` or on a pipe).

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{Context, Result};
use decision::eval::{parse_manifest, ManifestEntry};
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use sha2::{Digest, Sha256};

/// A manifest's entries and the SHA-256 (hex) of its bytes.
pub fn read_manifest(path: &Path) -> Result<(Vec<ManifestEntry>, String)> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let digest: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    let text = String::from_utf8(bytes).with_context(|| format!("{} is not UTF-8 text", path.display()))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let entries = parse_manifest(&text, base).with_context(|| path.display().to_string())?;
    anyhow::ensure!(!entries.is_empty(), "{}: no recordings listed", path.display());
    Ok((entries, digest))
}

/// `work` on every entry in parallel, results in manifest order; the first failure, named by its file, stops it.
pub fn for_each_file<T: Send>(
    entries: &[ManifestEntry],
    what: &str,
    quiet: bool,
    work: impl Fn(&ManifestEntry) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = ProgressBar::new(entries.len() as u64);
        bar.set_style(
            ProgressStyle::with_template(&format!("{what:<24} {{bar:30}} {{pos}}/{{len}}, {{elapsed}}"))
                .expect("valid template"),
        );
        bar
    });
    let out = entries
        .par_iter()
        .map(|e| {
            let r = work(e).with_context(|| e.path.display().to_string());
            if let Some(b) = &bar {
                b.inc(1);
            }
            r
        })
        .collect::<Result<Vec<_>>>();
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    out
}
