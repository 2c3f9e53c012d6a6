//! On-disk forms of a root proof and of a root verifier key.
//!
//! Both files are: an 8-byte magic, a format version (u32 LE), the length of a JSON header (u32 LE), the
//! header, then a plonky2 encoding. The root proof's header holds the settings (shape and limits), the digest of the
//! root key it was made for, and the per-layer report; the proof encoding needs the root circuit's common
//! data to be read, which the key holds. The key's header holds the settings and the key digest; its
//! encoding is plonky2's `VerifierCircuitData` (standard gate serializer). A header is informative only:
//! verification uses the key's circuit data and checks the proof against it.
//!
//! Reading is strict: a file is accepted only if it is byte for byte the encoding voizk would write of what was
//! read from it ([`ensure_canonical`]) — no trailing bytes, no field element written as `x + p`, no other JSON
//! spelling of a header (whitespace, key order, unknown fields) — so that one proof has one encoding.

use std::panic::AssertUnwindSafe;

use plonky2::hash::hash_types::HashOut;
use plonky2::plonk::circuit_data::{VerifierCircuitData, VerifierOnlyCircuitData};
use plonky2::plonk::proof::ProofWithPublicInputs;
use plonky2::util::serialization::DefaultGateSerializer;
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::public::NUM_PUBLIC_INPUTS;
use stark_frames::chunk::values::ChunkPublicValues;
use stark_frames::commitment::AudioCommitment;

use crate::proof::{RootOutput, RootProof};
use crate::report::LayerReport;
use crate::settings::RootSettings;

/// Magic of a root proof file.
pub const ROOT_MAGIC: [u8; 8] = *b"VOIZKRTP";
/// Magic of a root verifier key file.
pub const KEY_MAGIC: [u8; 8] = *b"VOIZKKEY";
/// Version of both formats.
pub const FILE_VERSION: u32 = 3;

/// A file that is not a readable root proof or key.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Shorter than its own length fields say, or than the fixed prefix.
    #[error("the file is truncated ({0} bytes)")]
    Truncated(usize),
    /// Another kind of file.
    #[error("not a voizk {0} file (bad magic)")]
    Magic(&'static str),
    /// Written by another format version.
    #[error("unsupported {kind} file version {version} (this voizk reads version {expected})")]
    Version {
        /// Root proof or key.
        kind: &'static str,
        /// The version found.
        version: u32,
        /// The version this build reads.
        expected: u32,
    },
    /// The JSON header is malformed.
    #[error("malformed header: {0}")]
    Header(#[from] serde_json::Error),
    /// Readable, but not the one encoding voizk writes of its content.
    #[error("the {kind} file is not in canonical form: {detail}")]
    NonCanonical {
        /// The kind of file.
        kind: &'static str,
        /// Where and how it deviates.
        detail: String,
    },
    /// The plonky2 encoding is malformed.
    #[error("malformed {0} encoding")]
    Encoding(&'static str),
    /// The key was made for other settings than the proof.
    #[error("the key is for {key}, the proof for {proof}")]
    SettingsMismatch {
        /// The key's settings.
        key: RootSettings,
        /// The proof's settings.
        proof: RootSettings,
    },
    /// The proof says it was made for another root key than the one given.
    #[error("the proof was made for root key {proof}, the key given is {key}")]
    KeyMismatch {
        /// The given key's digest.
        key: String,
        /// The digest the proof's header names.
        proof: String,
    },
    /// The proof does not verify against the key.
    #[error("the root proof does not verify against the key: {0}")]
    Invalid(String),
}

/// Header of a root proof file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RootHeader {
    /// Settings of the circuits that made the proof.
    pub settings: RootSettings,
    /// Digest of the root verifier key the proof was made for (hex).
    pub root_key_digest: String,
    /// How each layer was made.
    pub layers: Vec<LayerReport>,
}

/// Header of a key file.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KeyHeader {
    /// Settings of the circuits.
    pub settings: RootSettings,
    /// Digest of the root verifier key (hex).
    pub root_key_digest: String,
    /// For a ladder, the leaf key of each chunk size (hex of plonky2's encoding): constants of the root
    /// circuit, so that a prover can rebuild it from this file and the one leaf it needs. Empty for a tree.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leaf_keys: Vec<LeafKeyEntry>,
}

/// One leaf key in a key file's header.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LeafKeyEntry {
    /// Frames per chunk of the leaf.
    pub frames: usize,
    /// plonky2's encoding of the leaf's `VerifierOnlyCircuitData`, hex.
    pub key: String,
}

/// A root verifier key with its settings.
pub struct RootKey {
    /// The settings the key belongs to.
    pub settings: RootSettings,
    /// The root circuit's verifier data.
    pub data: VerifierCircuitData<F, C, D>,
    /// For a ladder, the leaf key of each chunk size, ascending (empty for a tree): not needed to verify,
    /// only to prove again without building every leaf ([`crate::root::RootCircuits::build_from_key`]).
    pub leaf_keys: Vec<(usize, VerifierOnlyCircuitData<C, D>)>,
}

/// A root proof file, read but not yet verified.
pub struct RootFile {
    /// The header.
    pub header: RootHeader,
    /// The proof's plonky2 encoding (decoded against a key by [`RootFile::verify`]).
    pub proof_bytes: Vec<u8>,
}

/// Hex form of a key digest (as `h_audio` is printed).
pub fn digest_hex(d: HashOut<F>) -> String {
    AudioCommitment(d.elements).to_string()
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

/// A file of voizk's framing: `magic`, `version` (u32 LE), the header's length (u32 LE), `header`, `body`.
pub fn frame(magic: [u8; 8], version: u32, header: &[u8], body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + header.len() + body.len());
    out.extend(magic);
    out.extend(version.to_le_bytes());
    out.extend((header.len() as u32).to_le_bytes());
    out.extend(header);
    out.extend(body);
    out
}

/// Refuses `given`, the bytes of `part` of a `kind` file, unless they equal `canonical`, the encoding voizk writes
/// of the value decoded from them. Together with decoders that read a value from a prefix of their input, this
/// rejects trailing bytes, non-canonical field elements (plonky2 writes `x mod p`) and any other second spelling.
pub fn ensure_canonical(kind: &'static str, part: &str, given: &[u8], canonical: &[u8]) -> Result<(), FileError> {
    if given == canonical {
        return Ok(());
    }
    let detail = if given.len() > canonical.len() && given.starts_with(canonical) {
        format!("{} bytes after the end of the {part}", given.len() - canonical.len())
    } else {
        let at = given.iter().zip(canonical).take_while(|(a, b)| a == b).count();
        format!("the {part} differs from its canonical encoding at byte {at} of {}", given.len())
    };
    Err(FileError::NonCanonical { kind, detail })
}

/// Second spellings of a file of [`frame`]'s framing, one deviation each — a byte appended, the header in
/// other JSON spelling (pretty, keys sorted), the next format version — each of which a strict reader refuses
/// (the tests of every framed format, and the tamper matrix, try them). Panics if `bytes` is not such a file.
pub fn deviants(bytes: &[u8], magic: [u8; 8], version: u32) -> Vec<(&'static str, Vec<u8>)> {
    let (header, body) = unframe(bytes, magic, version, "framed").expect("a framed file");
    let value: serde_json::Value = serde_json::from_slice(header).expect("a JSON header");
    let pretty = serde_json::to_vec_pretty(&value).expect("JSON");
    let mut next = bytes.to_vec();
    next[8..12].copy_from_slice(&(version + 1).to_le_bytes());
    vec![
        ("with a trailing byte", [bytes, &[0]].concat()),
        ("with a respelled header", frame(magic, version, &pretty, body)),
        ("of the next version", next),
    ]
}

/// Splits a file of [`frame`]'s framing into its strictly parsed JSON header and its body, checking magic,
/// version, lengths and that the header is exactly `serde_json`'s compact encoding of what it holds.
pub fn unframe_header<'a, H: serde::Serialize + serde::de::DeserializeOwned>(
    bytes: &'a [u8],
    magic: [u8; 8],
    version: u32,
    kind: &'static str,
) -> Result<(H, &'a [u8]), FileError> {
    let (header_bytes, body) = unframe(bytes, magic, version, kind)?;
    let header: H = serde_json::from_slice(header_bytes)?;
    ensure_canonical(kind, "header", header_bytes, &serde_json::to_vec(&header)?)?;
    Ok((header, body))
}

/// Splits a file of [`frame`]'s framing into header and body, checking its magic and version (`kind` names
/// the file in errors).
pub fn unframe<'a>(
    bytes: &'a [u8],
    magic: [u8; 8],
    version: u32,
    kind: &'static str,
) -> Result<(&'a [u8], &'a [u8]), FileError> {
    if bytes.len() < 16 {
        return Err(FileError::Truncated(bytes.len()));
    }
    if bytes[..8] != magic {
        return Err(FileError::Magic(kind));
    }
    let found = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    if found != version {
        return Err(FileError::Version { kind, version: found, expected: version });
    }
    let len = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
    let rest = &bytes[16..];
    if rest.len() < len {
        return Err(FileError::Truncated(bytes.len()));
    }
    Ok(rest.split_at(len))
}

impl RootKey {
    /// The key's digest.
    pub fn digest(&self) -> HashOut<F> {
        self.data.verifier_only.circuit_digest
    }

    /// The key file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let leaf_keys = self
            .leaf_keys
            .iter()
            .map(|(frames, key)| LeafKeyEntry {
                frames: *frames,
                key: to_hex(&key.to_bytes().expect("a verifier key serialises")),
            })
            .collect();
        let header = KeyHeader { settings: self.settings, root_key_digest: digest_hex(self.digest()), leaf_keys };
        let header = serde_json::to_vec(&header).expect("a header serialises");
        let body = self.data.to_bytes(&DefaultGateSerializer).expect("standard gates serialise");
        frame(KEY_MAGIC, FILE_VERSION, &header, &body)
    }

    /// Reads a key file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FileError> {
        let (header, body): (KeyHeader, _) = unframe_header(bytes, KEY_MAGIC, FILE_VERSION, "key")?;
        let data = std::panic::catch_unwind(|| VerifierCircuitData::from_bytes(body.to_vec(), &DefaultGateSerializer))
            .map_err(|_| FileError::Encoding("key"))?
            .map_err(|_| FileError::Encoding("key"))?;
        if data.common.num_public_inputs != NUM_PUBLIC_INPUTS {
            return Err(FileError::Encoding("key"));
        }
        let leaf_keys = header
            .leaf_keys
            .iter()
            .map(|e| {
                let bytes = from_hex(&e.key).ok_or(FileError::Encoding("leaf key"))?;
                let key = std::panic::catch_unwind(|| VerifierOnlyCircuitData::from_bytes(bytes))
                    .map_err(|_| FileError::Encoding("leaf key"))?
                    .map_err(|_| FileError::Encoding("leaf key"))?;
                Ok((e.frames, key))
            })
            .collect::<Result<_, FileError>>()?;
        let key = Self { settings: header.settings, data, leaf_keys };
        ensure_canonical("key", "file", bytes, &key.to_bytes())?;
        Ok(key)
    }
}

impl RootFile {
    /// The file of a root proof made with `settings` for the root key `root_key_digest`.
    pub fn new(proof: &RootOutput, settings: RootSettings, root_key_digest: HashOut<F>) -> Self {
        Self {
            header: RootHeader { settings, root_key_digest: digest_hex(root_key_digest), layers: proof.layers.clone() },
            proof_bytes: proof.root.to_bytes(),
        }
    }

    /// The file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = serde_json::to_vec(&self.header).expect("a header serialises");
        frame(ROOT_MAGIC, FILE_VERSION, &header, &self.proof_bytes)
    }

    /// Reads a root proof file (the proof itself is decoded by [`RootFile::verify`]).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, FileError> {
        let (header, body) = unframe_header(bytes, ROOT_MAGIC, FILE_VERSION, "root proof")?;
        Ok(Self { header, proof_bytes: body.to_vec() })
    }

    /// Decodes the proof against `key` and verifies it; returns the proof's public values.
    pub fn verify(&self, key: &RootKey) -> Result<ChunkPublicValues, FileError> {
        self.verified_proof(key).map(|(_, values)| values)
    }

    /// Decodes the proof against `key` and verifies it; returns the proof (for the final circuit to verify in
    /// its turn) and its public values.
    pub fn verified_proof(&self, key: &RootKey) -> Result<(RootProof, ChunkPublicValues), FileError> {
        if key.settings != self.header.settings {
            return Err(FileError::SettingsMismatch { key: key.settings, proof: self.header.settings });
        }
        // Only a friendlier error: the header is not authenticated, the verification below is what counts.
        let key_digest = digest_hex(key.digest());
        if key_digest != self.header.root_key_digest {
            return Err(FileError::KeyMismatch { key: key_digest, proof: self.header.root_key_digest.clone() });
        }
        let proof: ProofWithPublicInputs<F, C, D> = std::panic::catch_unwind(AssertUnwindSafe(|| {
            ProofWithPublicInputs::<F, C, D>::from_bytes(self.proof_bytes.clone(), &key.data.common)
        }))
        .map_err(|_| FileError::Encoding("root proof"))?
        .map_err(|_| FileError::Encoding("root proof"))?;
        ensure_canonical("root proof", "proof", &self.proof_bytes, &proof.to_bytes())?;
        let checked = proof.clone();
        std::panic::catch_unwind(AssertUnwindSafe(|| key.data.verify(checked)))
            .map_err(|_| FileError::Invalid("malformed proof structure".into()))?
            .map_err(|e| FileError::Invalid(e.to_string()))?;
        let values = ChunkPublicValues::decode(&proof.public_inputs, key.settings.root_span());
        Ok((RootProof::from_plonky2(proof), values))
    }
}
