//! The audio commitment `h_audio` (SPEC §2): a Poseidon sponge over the packed
//! PCM samples followed by their count.
//!
//! The samples are zero-padded to a whole number of 160-sample hops. Each sample
//! is offset to `x + 32768` (16 bits) and two samples form one Goldilocks element
//! `lo + 2^16 hi`: a hop is 80 elements, 10 blocks of 8. The blocks of every hop,
//! in order, are followed by the length block `[N, TAG, 0, 0, 0, 0, 0, 0]`.
//! `h_audio` is plonky2's `PoseidonHash::hash_no_pad` of that sequence: an
//! overwrite-mode sponge of rate 8 over the width-12 Poseidon permutation, output
//! the first 4 elements.
//!
//! Because everything is absorbed hop by hop, a prover that splits the audio into
//! chunks of whole hops (frame `f` owns hop `f`) carries the 4-element capacity
//! from chunk to chunk and reaches the same value ([`AudioSponge`]); the padding
//! is unambiguous because `N` is absorbed last.

use std::fmt;
use std::str::FromStr;

use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::field::types::{Field, Field64, PrimeField64};
use plonky2::hash::poseidon::{Poseidon, SPONGE_RATE, SPONGE_WIDTH};

/// The field every proof works over.
pub type F = GoldilocksField;

/// Samples packed into one field element.
pub const SAMPLES_PER_ELEMENT: usize = 2;
/// Samples absorbed by one permutation.
pub const SAMPLES_PER_BLOCK: usize = SAMPLES_PER_ELEMENT * SPONGE_RATE;
/// Samples per hop, the unit of absorption.
pub const HOP_SAMPLES: usize = crate::params::HOP;
/// Permutations per hop.
pub const BLOCKS_PER_HOP: usize = HOP_SAMPLES / SAMPLES_PER_BLOCK;
/// Domain tag in the length block: ASCII "voizkAU1".
pub const DOMAIN_TAG: u64 = u64::from_be_bytes(*b"voizkAU1");

/// `h_audio`: four Goldilocks elements. Shown as 64 hex digits, each element as
/// 16 big-endian hex digits, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct AudioCommitment(pub [F; 4]);

/// A commitment string that is not 64 hex digits of canonical field elements.
#[derive(Debug, thiserror::Error)]
#[error("invalid audio commitment {0:?}: expected 64 hex digits (four field elements below 2^64 - 2^32 + 1)")]
pub struct ParseCommitmentError(String);

impl fmt::Display for AudioCommitment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for e in self.0 {
            write!(f, "{:016x}", e.to_canonical_u64())?;
        }
        Ok(())
    }
}

impl FromStr for AudioCommitment {
    type Err = ParseCommitmentError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || ParseCommitmentError(s.to_string());
        let hex = s.strip_prefix("0x").unwrap_or(s);
        if hex.len() != 64 || !hex.is_ascii() {
            return Err(bad());
        }
        let mut out = [F::ZERO; 4];
        for (i, e) in out.iter_mut().enumerate() {
            let v = u64::from_str_radix(&hex[16 * i..16 * (i + 1)], 16).map_err(|_| bad())?;
            if v >= <F as Field64>::ORDER {
                return Err(bad());
            }
            *e = F::from_canonical_u64(v);
        }
        Ok(Self(out))
    }
}

/// The packed element of two samples.
pub fn pack_pair(lo: i16, hi: Option<i16>) -> F {
    let off = |s: i16| u64::from((i32::from(s) + 32_768) as u16);
    F::from_canonical_u64(off(lo) + (hi.map_or(0, off) << 16))
}

/// The field elements of `samples`, two per element, unpadded.
pub fn pack_samples(samples: &[i16]) -> Vec<F> {
    samples.chunks(SAMPLES_PER_ELEMENT).map(|c| pack_pair(c[0], c.get(1).copied())).collect()
}

/// A sponge that absorbs whole hops and can be carried across chunks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AudioSponge {
    state: [F; SPONGE_WIDTH],
    absorbed: u64,
}

/// `absorb` was given a sample count that is not a whole number of hops.
#[derive(Debug, thiserror::Error)]
#[error("the audio sponge absorbs whole hops of {HOP_SAMPLES} samples; got {0} samples")]
pub struct PartialBlockError(pub usize);

impl Default for AudioSponge {
    fn default() -> Self {
        Self::new()
    }
}

impl AudioSponge {
    /// The initial (all-zero) sponge.
    pub fn new() -> Self {
        Self { state: [F::ZERO; SPONGE_WIDTH], absorbed: 0 }
    }

    /// Resumes from a state and the number of samples absorbed so far.
    pub fn from_state(state: [F; SPONGE_WIDTH], absorbed: u64) -> Self {
        Self { state, absorbed }
    }

    /// The 12-element permutation state.
    pub fn state(&self) -> [F; SPONGE_WIDTH] {
        self.state
    }

    /// Samples absorbed so far.
    pub fn absorbed(&self) -> u64 {
        self.absorbed
    }

    fn absorb_block(&mut self, block: &[F]) {
        debug_assert_eq!(block.len(), SPONGE_RATE);
        self.state[..SPONGE_RATE].copy_from_slice(block);
        self.state = F::poseidon(self.state);
    }

    /// Absorbs whole hops; `samples.len()` must be a multiple of 160.
    pub fn absorb(&mut self, samples: &[i16]) -> Result<(), PartialBlockError> {
        if !samples.len().is_multiple_of(HOP_SAMPLES) {
            return Err(PartialBlockError(samples.len()));
        }
        for block in pack_samples(samples).chunks(SPONGE_RATE) {
            self.absorb_block(block);
        }
        self.absorbed += samples.len() as u64;
        Ok(())
    }

    /// Absorbs the final `tail` samples (any number) zero-padded to whole hops,
    /// then the length block, and returns `h_audio`.
    pub fn finish(mut self, tail: &[i16]) -> AudioCommitment {
        let total = self.absorbed + tail.len() as u64;
        let mut padded = tail.to_vec();
        padded.resize(tail.len().div_ceil(HOP_SAMPLES) * HOP_SAMPLES, 0);
        self.absorb(&padded).expect("whole hops");
        self.absorb_length(total)
    }

    /// Absorbs the length block for `num_samples` and returns `h_audio`.
    pub fn absorb_length(mut self, num_samples: u64) -> AudioCommitment {
        self.absorb_block(&length_block(num_samples));
        AudioCommitment([self.state[0], self.state[1], self.state[2], self.state[3]])
    }
}

/// The final block `[N, TAG, 0, ..., 0]`.
pub fn length_block(num_samples: u64) -> [F; SPONGE_RATE] {
    let mut block = [F::ZERO; SPONGE_RATE];
    block[0] = F::from_canonical_u64(num_samples);
    block[1] = F::from_canonical_u64(DOMAIN_TAG);
    block
}

/// `h_audio` of a whole recording.
pub fn commit_audio(samples: &[i16]) -> AudioCommitment {
    AudioSponge::new().finish(samples)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::HOP;
    use plonky2::hash::poseidon::PoseidonHash;
    use plonky2::plonk::config::Hasher;

    fn samples(n: usize) -> Vec<i16> {
        (0..n).map(|i| ((i * 7919 + 13) % 65_536) as u16 as i16).collect()
    }

    #[test]
    fn equals_plonky2_hash_no_pad_of_the_documented_sequence() {
        for n in [400, 401, 415, 416, 4_000, 4_001] {
            let mut s = samples(n);
            s.resize(n.div_ceil(HOP_SAMPLES) * HOP_SAMPLES, 0);
            let mut seq = pack_samples(&s);
            seq.extend(length_block(n as u64));
            let s = &s[..n];
            let want = PoseidonHash::hash_no_pad(&seq);
            assert_eq!(commit_audio(s).0, want.elements, "n={n}");
        }
    }

    #[test]
    fn independent_of_chunking_by_hops() {
        let s = samples(16_000 + 77);
        let whole = commit_audio(&s);
        for hops_per_chunk in [1, 3, 16, 64] {
            let chunk = hops_per_chunk * HOP;
            let mut sponge = AudioSponge::new();
            let mut at = 0;
            while s.len() - at > chunk {
                sponge.absorb(&s[at..at + chunk]).unwrap();
                at += chunk;
            }
            assert_eq!(sponge.finish(&s[at..]), whole, "hops per chunk {hops_per_chunk}");
        }
    }

    #[test]
    fn binds_samples_and_length() {
        let s = samples(1_000);
        let base = commit_audio(&s);
        let mut flipped = s.clone();
        flipped[500] ^= 1;
        assert_ne!(commit_audio(&flipped), base);
        assert_ne!(commit_audio(&s[..999]), base);
        let mut padded = s.clone();
        padded.push(0);
        assert_ne!(commit_audio(&padded), base);
    }

    #[test]
    fn hex_round_trips() {
        let c = commit_audio(&samples(500));
        let text = c.to_string();
        assert_eq!(text.len(), 64);
        assert_eq!(text.parse::<AudioCommitment>().unwrap(), c);
        assert!("zz".parse::<AudioCommitment>().is_err());
        assert!("f".repeat(64).parse::<AudioCommitment>().is_err());
    }

    #[test]
    fn partial_blocks_are_refused() {
        assert!(AudioSponge::new().absorb(&[0; 17]).is_err());
        assert!(AudioSponge::new().absorb(&[0; 320]).is_ok());
    }
}
