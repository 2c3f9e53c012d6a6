//! The statement of a final proof (SPEC §2): its public inputs as one `#[repr(C)]` struct, in the order the
//! proof holds them, and their decoded, printable form.
//!
//! A final proof that verifies against a decision key means: the audio committed as `h_audio` (`num_samples`
//! samples), run through the MFCC pipeline and the embedding of the model committed as `h_model`, scores
//! against the template committed as `h_template` on the side of the model's threshold that `decision` says;
//! and the proof was made for the verifier's `nonce`.

use std::borrow::{Borrow, BorrowMut};
use std::fmt;
use std::mem::size_of;
use std::str::FromStr;

use plonky2::field::goldilocks_field::GoldilocksField;
use plonky2::field::types::{Field, PrimeField64};
use stark_frames::commitment::AudioCommitment;

type F = GoldilocksField;

/// The public inputs of a final proof, in order.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DecisionPublicInputs<T> {
    /// `h_audio`: the Poseidon sponge over the packed samples and their count (`voizk hash-audio`), as the root
    /// proof states it for a range that starts the recording and holds every hop.
    pub h_audio: [T; 4],
    /// Samples in the recording.
    pub num_samples: T,
    /// `h_template = Poseidon([TAG, t, salt])` of the private template `t` and salt.
    pub h_template: [T; 4],
    /// `h_model`: Poseidon over the model's canonical encoding (a constant of the circuit).
    pub h_model: [T; 4],
    /// The verifier's nonce, four field elements; the proof is bound to it (public inputs are hashed into
    /// the proof's Fiat-Shamir transcript).
    pub nonce: [T; 4],
    /// 1 accept, 0 reject.
    pub decision: T,
}

/// Number of public inputs of a final proof.
pub const NUM_DECISION_PUBLIC_INPUTS: usize = size_of::<DecisionPublicInputs<u8>>();

impl<T> Borrow<DecisionPublicInputs<T>> for [T] {
    fn borrow(&self) -> &DecisionPublicInputs<T> {
        assert_eq!(
            self.len(),
            NUM_DECISION_PUBLIC_INPUTS,
            "a final proof has {NUM_DECISION_PUBLIC_INPUTS} public inputs"
        );
        // SAFETY: repr(C), exactly NUM_DECISION_PUBLIC_INPUTS fields of type T.
        unsafe { &*self.as_ptr().cast::<DecisionPublicInputs<T>>() }
    }
}

impl<T> BorrowMut<DecisionPublicInputs<T>> for [T] {
    fn borrow_mut(&mut self) -> &mut DecisionPublicInputs<T> {
        assert_eq!(
            self.len(),
            NUM_DECISION_PUBLIC_INPUTS,
            "a final proof has {NUM_DECISION_PUBLIC_INPUTS} public inputs"
        );
        // SAFETY: as above.
        unsafe { &mut *self.as_mut_ptr().cast::<DecisionPublicInputs<T>>() }
    }
}

impl<T: Copy> DecisionPublicInputs<T> {
    /// The public inputs in the order a proof holds them (the inverse of borrowing a slice as the struct).
    pub fn to_vec(&self) -> Vec<T> {
        // SAFETY: repr(C), exactly NUM_DECISION_PUBLIC_INPUTS fields of type T.
        unsafe { std::slice::from_raw_parts((self as *const Self).cast::<T>(), NUM_DECISION_PUBLIC_INPUTS) }.to_vec()
    }
}

/// Four field elements as 64 hex digits (each element 16 big-endian digits), the form in which the CLI
/// prints and reads commitments and nonces.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Hex4(pub [F; 4]);

/// A string that is not 64 hex digits of four canonical field elements.
#[derive(Debug, thiserror::Error)]
#[error("{0:?} is not 64 hex digits (four field elements below 2^64 - 2^32 + 1)")]
pub struct ParseHex4Error(String);

impl fmt::Display for Hex4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        AudioCommitment(self.0).fmt(f)
    }
}

impl FromStr for Hex4 {
    type Err = ParseHex4Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AudioCommitment::from_str(s).map(|c| Self(c.0)).map_err(|_| ParseHex4Error(s.to_string()))
    }
}

impl serde::Serialize for Hex4 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Hex4 {
    fn deserialize<De: serde::Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        let text = String::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// What a final proof states, decoded from its public inputs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Statement {
    /// `h_audio` of the recording.
    pub h_audio: Hex4,
    /// Samples in the recording.
    pub num_samples: u64,
    /// `h_template` of the template scored against.
    pub h_template: Hex4,
    /// `h_model` of the model.
    pub h_model: Hex4,
    /// The nonce the proof is bound to.
    pub nonce: Hex4,
    /// `true` for accept.
    pub accept: bool,
}

/// Public inputs that are not a final proof's.
#[derive(Debug, thiserror::Error)]
pub enum StatementError {
    /// Wrong count.
    #[error("a final proof has {NUM_DECISION_PUBLIC_INPUTS} public inputs, this one {0}")]
    Length(usize),
    /// The decision is not a bit (the circuit makes it one; only a forged list can hold anything else).
    #[error("the decision public input is {0}, not 0 or 1")]
    Decision(u64),
}

impl Statement {
    /// Decodes a final proof's public inputs.
    pub fn decode(public_inputs: &[F]) -> Result<Self, StatementError> {
        if public_inputs.len() != NUM_DECISION_PUBLIC_INPUTS {
            return Err(StatementError::Length(public_inputs.len()));
        }
        let p: &DecisionPublicInputs<F> = public_inputs.borrow();
        let accept = match p.decision.to_canonical_u64() {
            0 => false,
            1 => true,
            other => return Err(StatementError::Decision(other)),
        };
        Ok(Self {
            h_audio: Hex4(p.h_audio),
            num_samples: p.num_samples.to_canonical_u64(),
            h_template: Hex4(p.h_template),
            h_model: Hex4(p.h_model),
            nonce: Hex4(p.nonce),
            accept,
        })
    }

    /// The public inputs this statement decodes from.
    pub fn encode(&self) -> Vec<F> {
        let mut out = vec![F::ZERO; NUM_DECISION_PUBLIC_INPUTS];
        let p: &mut DecisionPublicInputs<F> = out[..].borrow_mut();
        p.h_audio = self.h_audio.0;
        p.num_samples = F::from_canonical_u64(self.num_samples);
        p.h_template = self.h_template.0;
        p.h_model = self.h_model.0;
        p.nonce = self.nonce.0;
        p.decision = F::from_bool(self.accept);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layout_and_round_trip() {
        assert_eq!(NUM_DECISION_PUBLIC_INPUTS, 18);
        let h = |k: u64| Hex4([1, 2, 3, 4].map(|i| F::from_canonical_u64(k * 10 + i)));
        let s = Statement {
            h_audio: h(1),
            num_samples: 48_000,
            h_template: h(2),
            h_model: h(3),
            nonce: h(4),
            accept: true,
        };
        let pis = s.encode();
        assert_eq!(pis[4], F::from_canonical_u64(48_000));
        assert_eq!(pis[17], F::ONE);
        assert_eq!(Statement::decode(&pis).unwrap(), s);
        let mut bad = pis.clone();
        bad[17] = F::TWO;
        assert!(matches!(Statement::decode(&bad), Err(StatementError::Decision(2))));
        assert!(matches!(Statement::decode(&pis[1..]), Err(StatementError::Length(17))));
        let p: &DecisionPublicInputs<F> = pis[..].borrow();
        assert_eq!(p.to_vec(), pis);
    }

    #[test]
    fn hex4_round_trips_and_refuses_non_canonical() {
        let h = Hex4([F::from_canonical_u64(7), F::ZERO, F::NEG_ONE, F::ONE]);
        assert_eq!(h.to_string().parse::<Hex4>().unwrap(), h);
        assert!("ffffffffffffffff".repeat(4).parse::<Hex4>().is_err());
        assert!("00".parse::<Hex4>().is_err());
    }
}
