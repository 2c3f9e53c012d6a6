//! Per-layer figures of a proof tree: what `voizk report` prints.

use plonky2::plonk::circuit_data::CircuitData;
use plonky2::plonk::proof::ProofWithPublicInputs;
use stark_frames::chunk::config::{C, D, F};

/// The report name of the leaf layer.
pub const LEAF_LAYER: &str = "leaf";

/// The report name of the chunk STARK layer with chunks of `frames_per_chunk` frames.
pub fn chunk_layer_name(frames_per_chunk: usize) -> String {
    format!("chunk STARK (K = {frames_per_chunk})")
}

/// The report name of a tree's root layer (the wrap of its top fold).
pub const ROOT_LAYER: &str = "root (wrap)";

/// The report name of a ladder's root layer.
pub const LADDER_ROOT_LAYER: &str = "root (ladder)";

/// The report name of fold level `level` of a tree of `depth` levels: `fold level 1`, `fold level 2 (top)`.
pub fn fold_layer_name(level: usize, depth: usize) -> String {
    if level == depth {
        format!("fold level {level} (top)")
    } else {
        format!("fold level {level}")
    }
}

/// How one layer of a tree was made.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LayerReport {
    /// Layer name: `chunk STARK (K = ..)`, `leaf`, `fold level l`, `fold level d (root)`.
    pub layer: String,
    /// Proofs made in this layer.
    pub proofs: usize,
    /// log2 of the circuit size (plonky2) or of the trace height (STARK).
    pub degree_bits: usize,
    /// Gates before padding (plonky2 layers only).
    pub gates: Option<usize>,
    /// Time to build the layer's circuit, seconds (0 for the STARK, which has no preprocessing).
    pub build_secs: f64,
    /// Total time to make the layer's proofs, seconds.
    pub prove_secs: f64,
    /// Size of one proof of the layer, bytes.
    pub proof_bytes: usize,
}

impl LayerReport {
    /// The report of a plonky2 layer.
    pub fn of_circuit(
        layer: &str,
        data: &CircuitData<F, C, D>,
        gates: usize,
        build_secs: f64,
        proofs: usize,
        prove_secs: f64,
        sample: &ProofWithPublicInputs<F, C, D>,
    ) -> Self {
        Self {
            layer: layer.to_string(),
            proofs,
            degree_bits: data.common.degree_bits(),
            gates: Some(gates),
            build_secs,
            prove_secs,
            proof_bytes: sample.to_bytes().len(),
        }
    }
}
