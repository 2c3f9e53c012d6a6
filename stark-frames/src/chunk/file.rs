//! The chunk proof file: magic, version (u32 LE), frames per chunk (u32 LE), length of the proof encoding
//! (u64 LE), then starky's proof with its public inputs in bincode.
//!
//! Writing is canonical: bincode writes a field element's raw `u64`, which plonky2's arithmetic leaves anywhere
//! in `[0, 2^64)` (honest proofs hold elements above the order), so [`ChunkProof::to_bytes`] rewrites every field
//! element as its canonical value below the Goldilocks order `p`. Every `u64` of a starky proof is a field
//! element (lengths are sequence lengths), which [`FieldOffsets`] uses to find them in the encoding.
//!
//! Reading is strict: the file must be exactly the bytes [`ChunkProof::to_bytes`] writes of what was read — no
//! trailing bytes inside or after the encoding, no field element written as `x + p`.

use plonky2::field::types::Field64;
use serde::ser::{self, Serialize};

use super::config::{supported_chunk_size, StarkChunkProof, F};
use super::prover::ChunkProof;

/// Magic bytes opening a chunk proof file.
pub const MAGIC: &[u8; 8] = b"VOIZKCHK";
/// Version of the chunk proof file format.
pub const FORMAT_VERSION: u32 = 6;
/// Bytes before the proof encoding: magic, version, frames per chunk, encoding length.
pub const HEADER_LEN: usize = 24;

/// Why a chunk proof file is rejected.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// Not a chunk proof file.
    #[error("not a voizk chunk proof (bad magic bytes)")]
    Magic,
    /// Written by another format version.
    #[error("unsupported chunk proof format version {0} (this voizk reads version {current})", current = FORMAT_VERSION)]
    Version(u32),
    /// Truncated or garbled.
    #[error("corrupted chunk proof: {0}")]
    Corrupt(String),
    /// Unsupported chunk size in the header.
    #[error("the proof claims {0} frames per chunk, which this voizk does not support")]
    ChunkSize(usize),
    /// The proof does not verify.
    #[error("the chunk proof does not verify: {0}")]
    Invalid(String),
}

impl ChunkProof {
    /// The proof file's bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let body = canonical_encoding(&self.proof);
        let mut out = MAGIC.to_vec();
        out.extend(FORMAT_VERSION.to_le_bytes());
        out.extend((self.frames_per_chunk as u32).to_le_bytes());
        out.extend((body.len() as u64).to_le_bytes());
        out.extend(body);
        out
    }

    /// Parses a proof file strictly (does not verify it): known magic, version and chunk size, the announced
    /// length, canonical field elements, and no byte that [`ChunkProof::to_bytes`] would not write.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, VerifyError> {
        if bytes.len() < HEADER_LEN || &bytes[..8] != MAGIC {
            return Err(VerifyError::Magic);
        }
        let version = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
        if version != FORMAT_VERSION {
            return Err(VerifyError::Version(version));
        }
        let frames = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes")) as usize;
        if !supported_chunk_size(frames) {
            return Err(VerifyError::ChunkSize(frames));
        }
        let body_len = u64::from_le_bytes(bytes[16..24].try_into().expect("8 bytes"));
        let body = &bytes[HEADER_LEN..];
        if body.len() as u64 != body_len {
            return Err(VerifyError::Corrupt(format!(
                "the header announces {body_len} proof bytes, the file holds {}",
                body.len()
            )));
        }
        let proof: StarkChunkProof = bincode::deserialize(body).map_err(|e| VerifyError::Corrupt(e.to_string()))?;
        let canonical = canonical_encoding(&proof);
        if canonical.len() < body.len() {
            let extra = body.len() - canonical.len();
            return Err(VerifyError::Corrupt(format!("{extra} bytes after the end of the proof encoding")));
        }
        if let Some(at) = (0..body.len()).step_by(8).find(|&at| body.get(at..at + 8) != canonical.get(at..at + 8)) {
            return Err(VerifyError::Corrupt(format!(
                "a field element near byte {at} of the proof encoding is not canonical (at least the order)"
            )));
        }
        Ok(Self { frames_per_chunk: frames, proof })
    }
}

/// bincode's encoding of `proof` with every field element written canonically.
fn canonical_encoding(proof: &StarkChunkProof) -> Vec<u8> {
    let mut body = bincode::serialize(proof).expect("proofs serialize");
    let mut offsets = FieldOffsets::default();
    proof.serialize(&mut offsets).expect("counting never fails");
    assert_eq!(offsets.offset, body.len(), "FieldOffsets follows bincode's layout");
    for at in offsets.fields {
        let raw = u64::from_le_bytes(body[at..at + 8].try_into().expect("8 bytes"));
        let canonical = if raw >= F::ORDER { raw - F::ORDER } else { raw };
        body[at..at + 8].copy_from_slice(&canonical.to_le_bytes());
    }
    body
}

/// A serde serializer that writes nothing and records where bincode (1.x defaults: fixed-width little-endian
/// integers, `u64` lengths, one-byte option tags, `u32` variant indices) puts each `u64` of a value. Checked
/// against bincode's own length on every use ([`canonical_encoding`]).
#[derive(Default)]
struct FieldOffsets {
    /// Bytes bincode has written so far.
    offset: usize,
    /// Offsets of the `u64`s.
    fields: Vec<usize>,
}

/// Never raised: counting cannot fail.
#[derive(Debug)]
struct Never(String);

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

/// Methods for values of a fixed width in bincode.
macro_rules! fixed {
    ($($name:ident: $ty:ty = $bytes:expr),*) => {
        $(fn $name(self, _: $ty) -> Result<(), Never> {
            self.offset += $bytes;
            Ok(())
        })*
    };
}

impl ser::Serializer for &mut FieldOffsets {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Self;
    type SerializeMap = Self;
    type SerializeStruct = Self;
    type SerializeStructVariant = Self;

    fixed!(serialize_bool: bool = 1, serialize_i8: i8 = 1, serialize_i16: i16 = 2, serialize_i32: i32 = 4,
        serialize_i64: i64 = 8, serialize_u8: u8 = 1, serialize_u16: u16 = 2, serialize_u32: u32 = 4,
        serialize_f32: f32 = 4, serialize_f64: f64 = 8, serialize_unit_struct: &'static str = 0);

    fn serialize_u64(self, _: u64) -> Result<(), Never> {
        self.fields.push(self.offset);
        self.offset += 8;
        Ok(())
    }
    fn serialize_char(self, c: char) -> Result<(), Never> {
        self.offset += c.len_utf8();
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Never> {
        self.offset += 8 + v.len();
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Never> {
        self.offset += 8 + v.len();
        Ok(())
    }
    fn serialize_none(self) -> Result<(), Never> {
        self.offset += 1;
        Ok(())
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), Never> {
        self.offset += 1;
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Never> {
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, _: &'static str) -> Result<(), Never> {
        self.offset += 4;
        Ok(())
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(self, _: &'static str, v: &T) -> Result<(), Never> {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        v: &T,
    ) -> Result<(), Never> {
        self.offset += 4;
        v.serialize(self)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self, Never> {
        self.offset += 8;
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_tuple_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        self.offset += 4;
        Ok(self)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self, Never> {
        self.offset += 8;
        Ok(self)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, Never> {
        Ok(self)
    }
    fn serialize_struct_variant(self, _: &'static str, _: u32, _: &'static str, _: usize) -> Result<Self, Never> {
        self.offset += 4;
        Ok(self)
    }
}

/// The compound-value traits: each element in turn.
macro_rules! compound {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for &mut FieldOffsets {
            type Ok = ();
            type Error = Never;
            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        })*
    };
}

compound!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for &mut FieldOffsets {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: ?Sized + Serialize>(&mut self, key: &T) -> Result<(), Never> {
        key.serialize(&mut **self)
    }
    fn serialize_value<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), Never> {
        value.serialize(&mut **self)
    }
    fn end(self) -> Result<(), Never> {
        Ok(())
    }
}

/// Structs: each field in turn.
macro_rules! fields {
    ($($trait:ident),*) => {
        $(impl ser::$trait for &mut FieldOffsets {
            type Ok = ();
            type Error = Never;
            fn serialize_field<T: ?Sized + Serialize>(&mut self, _: &'static str, value: &T) -> Result<(), Never> {
                value.serialize(&mut **self)
            }
            fn end(self) -> Result<(), Never> {
                Ok(())
            }
        })*
    };
}

fields!(SerializeStruct, SerializeStructVariant);
