//! A disk cache of built leaf circuits, so that a command reads a leaf circuit in seconds instead of
//! building it (about 10 s at 2^16; building every leaf of the default ladder takes about 50 s).
//!
//! This module is the store: it reads and writes entries of bytes under their header and knows nothing of
//! circuits, which `leaf_cache.rs` encodes and decodes (plonky2's serializers) and builds on a miss.
//!
//! Two entries per chunk size `K`, in one directory:
//!
//! - `leaf-K-FINGERPRINT.key`: the leaf's verifier data (common data and verifier key, a few kilobytes):
//!   all a root circuit needs of a leaf it only verifies;
//! - `leaf-K-FINGERPRINT.circuit`: the whole circuit data with the prover part (about 640 MB at 2^16: the
//!   low-degree extensions of its constant and permutation polynomials and their Merkle tree), written only
//!   for sizes that are proven.
//!
//! `FINGERPRINT` ([`CIRCUIT_FINGERPRINT`]) is a hash of the sources of the chunk STARK, of these circuits and
//! of the vendored plonky2, and of `Cargo.lock`, made at build time: code that could build another circuit
//! never reads an entry. The
//! witness targets are not stored: `leaf_cache.rs` allocates them again (the circuit entry's body starts with what
//! that needs). An entry
//! that is missing, truncated or of another format is a miss: the circuit is built and the entry rewritten.
//! Entries are written to a temporary name and renamed, so a reader never sees half an entry.
//!
//! Trust: the entries are not checked against anything but their header, so whoever can write the cache
//! directory chooses the circuits (and so the keys) of the commands that read it, as whoever can replace the
//! `voizk` binary does. A verifier that must not trust the directory rebuilds without it (`--no-cache`).

use std::io::Write;
use std::path::{Path, PathBuf};

/// The fingerprint of the code that builds circuits (16 hex digits); entries of other code are never read.
pub const CIRCUIT_FINGERPRINT: &str = env!("VOIZK_CIRCUIT_FINGERPRINT");

/// The environment variable that names the cache directory.
pub const CACHE_DIR_VAR: &str = "VOIZK_CACHE_DIR";

const MAGIC: [u8; 8] = *b"VOIZKCC\0";
/// 2: a circuit entry's body starts with the index of the leaf's zero constant (`leaf_cache.rs`).
const FORMAT: u32 = 2;
const HEADER_LEN: usize = 8 + 4 + 16 + 8 + 8;

/// Why an entry could not be written (reading never fails: a bad entry is a miss).
#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    /// The directory or the file could not be written.
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file or directory.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// plonky2 could not serialise the circuit (a gate or generator without a serializer).
    #[error("cannot serialise the circuit: {0}")]
    Serialise(String),
}

/// Whether a circuit came from the disk cache.
#[derive(Debug)]
pub enum CacheOutcome {
    /// Read from the cache.
    Loaded,
    /// Built; `stored` says whether writing it to the cache worked (bytes written) or why not.
    Built {
        /// The result of writing the cache entries.
        stored: Result<usize, CacheError>,
    },
}

/// An entry read from the cache, its header checked.
#[derive(Debug)]
pub struct Entry {
    /// The gate count of the builder that wrote it.
    pub gates: usize,
    bytes: Vec<u8>,
}

impl Entry {
    /// The entry's body: plonky2's encoding of the circuit or key, as written.
    pub fn body(&self) -> &[u8] {
        &self.bytes[HEADER_LEN..]
    }
}

/// A directory of cached leaf circuits for this build of voizk.
#[derive(Debug, Clone)]
pub struct CircuitCache {
    dir: PathBuf,
}

/// The two entries of a chunk size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    /// The leaf's verifier data (common data and verifier key).
    Key,
    /// The whole circuit data, with the prover part.
    Circuit,
}

impl CircuitCache {
    /// A cache in `dir` (created when the first entry is written).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The default directory: `$VOIZK_CACHE_DIR`, else `$XDG_CACHE_HOME/voizk`, else `$HOME/.cache/voizk`;
    /// `None` when none of these is set.
    pub fn default_dir() -> Option<PathBuf> {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        var(CACHE_DIR_VAR)
            .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("voizk")))
            .or_else(|| var("HOME").map(|d| d.join(".cache").join("voizk")))
    }

    /// The cache's directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file of the circuit entry for chunks of `frames` frames (whether or not it exists).
    pub fn circuit_path(&self, frames: usize) -> PathBuf {
        self.path(frames, EntryKind::Circuit)
    }

    /// The file of the key entry for chunks of `frames` frames (whether or not it exists).
    pub fn key_path(&self, frames: usize) -> PathBuf {
        self.path(frames, EntryKind::Key)
    }

    fn path(&self, frames: usize, kind: EntryKind) -> PathBuf {
        let ext = match kind {
            EntryKind::Key => "key",
            EntryKind::Circuit => "circuit",
        };
        self.dir.join(format!("leaf-{frames}-{CIRCUIT_FINGERPRINT}.{ext}"))
    }

    /// The gate count and body of the `kind` entry for chunks of `frames` frames, if there is one written by
    /// this build for this size (magic, format, fingerprint and size checked); `None` otherwise.
    pub fn read(&self, frames: usize, kind: EntryKind) -> Option<Entry> {
        let bytes = std::fs::read(self.path(frames, kind)).ok()?;
        let gates = parse(&bytes, frames)?;
        Some(Entry { gates, bytes })
    }

    /// Creates the cache's directory if it does not exist (before entries are written).
    pub fn create_dir(&self) -> Result<(), CacheError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| CacheError::Write { path: self.dir.clone(), source })
    }

    /// Writes `body` as the `kind` entry for `frames` frames built with `gates` gates, through a temporary file
    /// and a rename (a reader never sees half an entry); returns the bytes written, header included.
    pub fn write(&self, frames: usize, gates: usize, kind: EntryKind, body: &[u8]) -> Result<usize, CacheError> {
        let path = self.path(frames, kind);
        let mut tmp = path.clone().into_os_string();
        tmp.push(format!(".tmp{}", std::process::id()));
        let tmp = PathBuf::from(tmp);
        let result = (|| {
            let mut file = std::fs::File::create(&tmp)?;
            file.write_all(&MAGIC)?;
            file.write_all(&FORMAT.to_le_bytes())?;
            file.write_all(CIRCUIT_FINGERPRINT.as_bytes())?;
            file.write_all(&(frames as u64).to_le_bytes())?;
            file.write_all(&(gates as u64).to_le_bytes())?;
            file.write_all(body)?;
            file.sync_all()?;
            std::fs::rename(&tmp, &path)
        })();
        result.map_err(|source| {
            let _ = std::fs::remove_file(&tmp);
            CacheError::Write { path: path.clone(), source }
        })?;
        Ok(HEADER_LEN + body.len())
    }
}

/// The gate count of an entry for `frames` frames written by this build, or `None`.
fn parse(bytes: &[u8], frames: usize) -> Option<usize> {
    if bytes.len() < HEADER_LEN || bytes[..8] != MAGIC {
        return None;
    }
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    let same_code = &bytes[12..28] == CIRCUIT_FINGERPRINT.as_bytes();
    if format != FORMAT || !same_code || u64_at(28) != frames as u64 {
        return None;
    }
    usize::try_from(u64_at(36)).ok()
}
