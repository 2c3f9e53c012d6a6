//! Leaf circuits through the disk cache ([`CircuitCache`]): read when an entry holds them, else built and
//! written, with a progress note saying which.
//!
//! The cache stores bytes; this module encodes and decodes them with plonky2's serializers (the standard gate
//! serializer, and the default generator serializer for the prover part). A circuit entry's body is the index of
//! the builder's zero constant (8 bytes, little-endian) then plonky2's encoding; a loaded circuit's witness
//! targets are allocated again alone (`leaf::leaf_targets_only`: the proof's targets are the builder's first
//! allocations), so the leaf's verifier is not built again (it took about 2 s of every load).

use std::time::Instant;

use plonky2::plonk::circuit_data::{CircuitData, VerifierCircuitData};
use plonky2::util::serialization::{DefaultGateSerializer, DefaultGeneratorSerializer};
use stark_frames::chunk::config::{supported_chunk_size, C, D, F};
use stark_frames::chunk::public::NUM_PUBLIC_INPUTS;

use crate::cache::{CacheError, CacheOutcome, CircuitCache, EntryKind};
use crate::leaf::{leaf_builder, leaf_targets_only, LeafCircuit, LeafError};
use crate::progress::Progress;

/// Bytes of the zero constant's index at the start of a circuit entry's body.
const ZERO_INDEX_BYTES: usize = 8;

/// A leaf circuit's verifier data as cached: enough for a root circuit that verifies its proofs.
#[derive(Debug, Clone)]
pub struct CachedLeafKey {
    /// Gates before padding (as reported).
    pub gates: usize,
    /// Common data and verifier key.
    pub data: VerifierCircuitData<F, C, D>,
}

impl CircuitCache {
    /// The cached verifier data of the leaf for `frames` frames, if there is a valid entry.
    pub fn load_leaf_key(&self, frames: usize) -> Option<CachedLeafKey> {
        let entry = self.read(frames, EntryKind::Key)?;
        let data =
            std::panic::catch_unwind(|| VerifierCircuitData::from_bytes(entry.body().to_vec(), &DefaultGateSerializer))
                .ok()?
                .ok()?;
        Some(CachedLeafKey { gates: entry.gates, data })
    }

    /// The cached circuit of the leaf for `frames` frames, if there is a valid entry: its gate count, the index
    /// of its zero constant, and the circuit data.
    pub(crate) fn load_leaf_circuit(&self, frames: usize) -> Option<(usize, usize, CircuitData<F, C, D>)> {
        let entry = self.read(frames, EntryKind::Circuit)?;
        let (zero, body) = entry.body().split_first_chunk::<ZERO_INDEX_BYTES>()?;
        let zero = usize::try_from(u64::from_le_bytes(*zero)).ok()?;
        let generators = DefaultGeneratorSerializer::<C, D>::default();
        let data = std::panic::catch_unwind(|| CircuitData::from_bytes(body, &DefaultGateSerializer, &generators))
            .ok()?
            .ok()?;
        Some((entry.gates, zero, data))
    }

    /// Writes the key entry of a leaf and, with `prover` (the index of the builder's zero constant), its
    /// circuit entry; returns the bytes written.
    pub(crate) fn store_leaf(
        &self,
        frames: usize,
        gates: usize,
        data: &CircuitData<F, C, D>,
        prover: Option<Option<usize>>,
    ) -> Result<usize, CacheError> {
        self.create_dir()?;
        let key =
            data.verifier_data().to_bytes(&DefaultGateSerializer).map_err(|e| CacheError::Serialise(e.to_string()))?;
        let mut written = self.write(frames, gates, EntryKind::Key, &key)?;
        if let Some(zero) = prover {
            let zero =
                zero.ok_or_else(|| CacheError::Serialise("the leaf's zero constant is not a virtual target".into()))?;
            let generators = DefaultGeneratorSerializer::<C, D>::default();
            let mut body = (zero as u64).to_le_bytes().to_vec();
            body.extend(
                data.to_bytes(&DefaultGateSerializer, &generators).map_err(|e| CacheError::Serialise(e.to_string()))?,
            );
            written += self.write(frames, gates, EntryKind::Circuit, &body)?;
        }
        Ok(written)
    }
}

impl LeafCircuit {
    /// The leaf circuit for `frames` frames from `cache` if it holds it, else built and written to it (both
    /// entries). Building the same circuit twice gives the same circuit, so a loaded leaf proves and
    /// verifies exactly as a built one; the outcome says which it was.
    pub fn load_or_build(frames: usize, cache: &CircuitCache) -> Result<(Self, CacheOutcome), LeafError> {
        if let Some((gates, zero, data)) = cache.load_leaf_circuit(frames) {
            let targets = leaf_targets_only(frames, gates, zero)?;
            if data.common.num_public_inputs == NUM_PUBLIC_INPUTS && targets.fit(&data) {
                return Ok((Self::from_parts(targets, data), CacheOutcome::Loaded));
            }
        }
        let (builder, targets) = leaf_builder(frames)?;
        let data = builder.build::<C>();
        let stored = cache.store_leaf(frames, targets.gates, &data, Some(targets.zero_index()));
        Ok((Self::from_parts(targets, data), CacheOutcome::Built { stored }))
    }

    /// The verifier data of the leaf for `frames` frames (what a root that only verifies its proofs needs):
    /// from `cache` if it holds it, else from building the leaf, whose key entry is then written (not its
    /// prover data).
    pub fn load_or_build_key(frames: usize, cache: &CircuitCache) -> Result<(CachedLeafKey, CacheOutcome), LeafError> {
        if !supported_chunk_size(frames) {
            return Err(LeafError::ChunkSize(frames));
        }
        if let Some(key) = cache.load_leaf_key(frames) {
            return Ok((key, CacheOutcome::Loaded));
        }
        let leaf = Self::build(frames)?;
        let stored = cache.store_leaf(frames, leaf.gates(), leaf.data(), None);
        Ok((CachedLeafKey { gates: leaf.gates(), data: leaf.data().verifier_data() }, CacheOutcome::Built { stored }))
    }
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
pub fn obtain_leaf(
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
pub fn obtain_leaf_key(
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
