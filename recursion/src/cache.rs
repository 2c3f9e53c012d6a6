//! A disk cache of built leaf circuits, so that a command reads a leaf circuit in seconds instead of
//! building it (about 10 s at 2^16; building every leaf of the default ladder takes about 50 s).
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
//! witness targets are not stored: they come from running the circuit builder again (under 2 s), which is
//! deterministic, and a loaded entry is used only if its gate count equals the rebuilt builder's. An entry
//! that is missing, truncated or of another format is a miss: the circuit is built and the entry rewritten.
//! Entries are written to a temporary name and renamed, so a reader never sees half an entry.
//!
//! Trust: the entries are not checked against anything but their header, so whoever can write the cache
//! directory chooses the circuits (and so the keys) of the commands that read it, as whoever can replace the
//! `voizk` binary does. A verifier that must not trust the directory rebuilds without it (`--no-cache`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use plonky2::plonk::circuit_data::{CircuitData, VerifierCircuitData};
use plonky2::util::serialization::{DefaultGateSerializer, DefaultGeneratorSerializer};
use stark_frames::chunk::prover::{C, D, F};

use crate::leaf::{LeafCircuit, LeafError};
use crate::tree::Progress;

/// The fingerprint of the code that builds circuits (16 hex digits); entries of other code are never read.
pub const CIRCUIT_FINGERPRINT: &str = env!("VOIZK_CIRCUIT_FINGERPRINT");

/// The environment variable that names the cache directory.
pub const CACHE_DIR_VAR: &str = "VOIZK_CACHE_DIR";

const MAGIC: [u8; 8] = *b"VOIZKCC\0";
const FORMAT: u32 = 1;
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

/// A leaf circuit's verifier data as cached: enough for a root circuit that verifies its proofs.
#[derive(Debug, Clone)]
pub struct CachedLeafKey {
    /// Gates before padding (as reported).
    pub gates: usize,
    /// Common data and verifier key.
    pub data: VerifierCircuitData<F, C, D>,
}

/// A directory of cached leaf circuits for this build of voizk.
#[derive(Debug, Clone)]
pub struct CircuitCache {
    dir: PathBuf,
}

#[derive(Clone, Copy)]
enum Kind {
    Key,
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
        self.path(frames, Kind::Circuit)
    }

    /// The file of the key entry for chunks of `frames` frames (whether or not it exists).
    pub fn key_path(&self, frames: usize) -> PathBuf {
        self.path(frames, Kind::Key)
    }

    fn path(&self, frames: usize, kind: Kind) -> PathBuf {
        let ext = match kind {
            Kind::Key => "key",
            Kind::Circuit => "circuit",
        };
        self.dir.join(format!("leaf-{frames}-{CIRCUIT_FINGERPRINT}.{ext}"))
    }

    /// The cached verifier data of the leaf for `frames` frames, if there is a valid entry.
    pub fn load_leaf_key(&self, frames: usize) -> Option<CachedLeafKey> {
        let bytes = std::fs::read(self.path(frames, Kind::Key)).ok()?;
        let (gates, body) = parse(&bytes, frames)?;
        let data = std::panic::catch_unwind(|| VerifierCircuitData::from_bytes(body.to_vec(), &DefaultGateSerializer))
            .ok()?
            .ok()?;
        Some(CachedLeafKey { gates, data })
    }

    /// The cached circuit of the leaf for `frames` frames, if there is a valid entry whose gate count is
    /// `gates` (the rebuilt builder's).
    pub(crate) fn load_leaf_circuit(&self, frames: usize, gates: usize) -> Option<CircuitData<F, C, D>> {
        let bytes = std::fs::read(self.path(frames, Kind::Circuit)).ok()?;
        let (cached_gates, body) = parse(&bytes, frames)?;
        if cached_gates != gates {
            return None;
        }
        let generators = DefaultGeneratorSerializer::<C, D>::default();
        std::panic::catch_unwind(|| CircuitData::from_bytes(body, &DefaultGateSerializer, &generators)).ok()?.ok()
    }

    /// Writes the key entry of a leaf and, when `with_prover`, its circuit entry; returns the bytes written.
    pub(crate) fn store_leaf(
        &self,
        frames: usize,
        gates: usize,
        data: &CircuitData<F, C, D>,
        with_prover: bool,
    ) -> Result<usize, CacheError> {
        std::fs::create_dir_all(&self.dir).map_err(|source| CacheError::Write { path: self.dir.clone(), source })?;
        let key =
            data.verifier_data().to_bytes(&DefaultGateSerializer).map_err(|e| CacheError::Serialise(e.to_string()))?;
        let mut written = self.write(frames, gates, Kind::Key, &key)?;
        if with_prover {
            let generators = DefaultGeneratorSerializer::<C, D>::default();
            let body =
                data.to_bytes(&DefaultGateSerializer, &generators).map_err(|e| CacheError::Serialise(e.to_string()))?;
            written += self.write(frames, gates, Kind::Circuit, &body)?;
        }
        Ok(written)
    }

    fn write(&self, frames: usize, gates: usize, kind: Kind, body: &[u8]) -> Result<usize, CacheError> {
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

/// The gate count and body of an entry for `frames` frames written by this build, or `None`.
fn parse(bytes: &[u8], frames: usize) -> Option<(usize, &[u8])> {
    if bytes.len() < HEADER_LEN || bytes[..8] != MAGIC {
        return None;
    }
    let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    let same_code = &bytes[12..28] == CIRCUIT_FINGERPRINT.as_bytes();
    if format != FORMAT || !same_code || u64_at(28) != frames as u64 {
        return None;
    }
    Some((usize::try_from(u64_at(36)).ok()?, &bytes[HEADER_LEN..]))
}

/// One line for progress displays: how `what` (the leaf, or only its key) for `frames` frames was obtained
/// in `secs` seconds.
fn describe(what: &str, frames: usize, outcome: &CacheOutcome, cache: &CircuitCache, secs: f64) -> String {
    match outcome {
        CacheOutcome::Loaded => format!("{what} K = {frames}: read from the circuit cache in {secs:.1} s"),
        CacheOutcome::Built { stored: Ok(bytes) } => {
            let size = if *bytes >= 1 << 20 {
                format!("{:.1} MB", *bytes as f64 / 1e6)
            } else {
                format!("{:.1} kB", *bytes as f64 / 1e3)
            };
            format!(
                "{what} K = {frames}: built in {secs:.1} s, including writing {size} to the circuit cache {}",
                cache.dir().display()
            )
        }
        CacheOutcome::Built { stored: Err(e) } => format!("{what} K = {frames}: built in {secs:.1} s; not cached: {e}"),
    }
}

/// The leaf for `frames` frames, from `cache` or written to it when there is one, else built; a progress
/// note says which when a cache is used. Returns the seconds it took.
pub(crate) fn obtain_leaf(
    frames: usize,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(LeafCircuit, f64), LeafError> {
    let t = Instant::now();
    let Some(cache) = cache else {
        return Ok((LeafCircuit::build(frames)?, t.elapsed().as_secs_f64()));
    };
    let (leaf, outcome) = LeafCircuit::load_or_build(frames, cache)?;
    let secs = t.elapsed().as_secs_f64();
    progress(Progress::Note(describe("leaf", frames, &outcome, cache, secs)));
    Ok((leaf, secs))
}

/// The verifier data of the leaf for `frames` frames, as [`obtain_leaf`] (only its key entry is cached).
pub(crate) fn obtain_leaf_key(
    frames: usize,
    cache: Option<&CircuitCache>,
    progress: &mut dyn FnMut(Progress),
) -> Result<(CachedLeafKey, f64), LeafError> {
    let t = Instant::now();
    let Some(cache) = cache else {
        let leaf = LeafCircuit::build(frames)?;
        let key = CachedLeafKey { gates: leaf.gates(), data: leaf.data().verifier_data() };
        return Ok((key, t.elapsed().as_secs_f64()));
    };
    let (key, outcome) = LeafCircuit::load_or_build_key(frames, cache)?;
    let secs = t.elapsed().as_secs_f64();
    progress(Progress::Note(describe("leaf key", frames, &outcome, cache, secs)));
    Ok((key, secs))
}
