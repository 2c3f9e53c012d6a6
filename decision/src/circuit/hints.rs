//! Witness hints: values the prover computes outside the circuit and the circuit then checks by bounds
//! (`arith.rs`). A hint adds no constraint; soundness never depends on it.

use plonky2::field::extension::Extendable;
use plonky2::field::types::{Field, PrimeField64};
use plonky2::hash::hash_types::RichField;
use plonky2::iop::generator::{GeneratedValues, SimpleGenerator};
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartitionWitness, Witness, WitnessWrite};
use plonky2::plonk::circuit_data::CommonCircuitData;
use plonky2::util::serialization::{Buffer, IoResult, Read, Write};

use crate::embedding::{isqrt, round_div};

/// The operation a hint performs on signed integers (field elements above `p / 2` are negative).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintOp {
    /// `(a, d) -> (q, r)`: `q = round(a / d)` (half up), `r = 2a + d - 2dq`.
    RoundDiv,
    /// `(a, d) -> (q, r)`: `q = floor(a / d)`, `r = a - dq`.
    FloorDiv,
    /// `(v) -> (s)`: `s = floor(sqrt(v))`.
    Isqrt,
    /// `(v) -> (b)`: `b = 1` if `v >= 0`, else 0.
    NonNegative,
}

impl HintOp {
    fn code(self) -> usize {
        self as usize
    }

    fn from_code(c: usize) -> Option<Self> {
        [Self::RoundDiv, Self::FloorDiv, Self::Isqrt, Self::NonNegative].get(c).copied()
    }
}

/// A hint: `outputs = op(inputs)`.
#[derive(Debug, Clone)]
pub struct Hint {
    /// What to compute.
    pub op: HintOp,
    /// Input targets.
    pub inputs: Vec<Target>,
    /// Output targets.
    pub outputs: Vec<Target>,
}

/// The signed integer a field element stands for.
pub fn signed<F: PrimeField64>(x: F) -> i128 {
    let v = x.to_canonical_u64();
    if v > F::ORDER / 2 {
        i128::from(v) - i128::from(F::ORDER)
    } else {
        i128::from(v)
    }
}

/// The field element of a signed integer.
pub fn element<F: Field>(v: i128) -> F {
    let m = F::order();
    let m = u128::try_from(m).expect("64-bit field");
    let r = v.rem_euclid(m as i128) as u128;
    F::from_noncanonical_u128(r)
}

impl<F: RichField + Extendable<D>, const D: usize> SimpleGenerator<F, D> for Hint {
    fn id(&self) -> String {
        "VoizkDecisionHint".to_string()
    }

    fn dependencies(&self) -> Vec<Target> {
        self.inputs.clone()
    }

    fn run_once(&self, witness: &PartitionWitness<F>, out: &mut GeneratedValues<F>) -> anyhow::Result<()> {
        let ins: Vec<i128> = self.inputs.iter().map(|&t| signed(witness.get_target(t))).collect();
        let outs: Vec<i128> = match self.op {
            HintOp::RoundDiv => {
                let (a, d) = (ins[0], ins[1].max(1));
                let q = round_div(a, d);
                vec![q, 2 * a + d - 2 * d * q]
            }
            HintOp::FloorDiv => {
                let (a, d) = (ins[0], ins[1].max(1));
                let q = a.div_euclid(d);
                vec![q, a - d * q]
            }
            HintOp::Isqrt => vec![isqrt(ins[0].max(0))],
            HintOp::NonNegative => vec![i128::from(ins[0] >= 0)],
        };
        for (&t, v) in self.outputs.iter().zip(outs) {
            out.set_target(t, element(v))?;
        }
        Ok(())
    }

    fn serialize(&self, dst: &mut Vec<u8>, _common: &CommonCircuitData<F, D>) -> IoResult<()> {
        dst.write_usize(self.op.code())?;
        dst.write_target_vec(&self.inputs)?;
        dst.write_target_vec(&self.outputs)
    }

    fn deserialize(src: &mut Buffer, _common: &CommonCircuitData<F, D>) -> IoResult<Self> {
        let op = HintOp::from_code(src.read_usize()?).ok_or(plonky2::util::serialization::IoError)?;
        Ok(Self { op, inputs: src.read_target_vec()?, outputs: src.read_target_vec()? })
    }
}
