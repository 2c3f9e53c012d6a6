//! The adversary's toolkit: consistent alternative witnesses of the chunk STARK, built as a cheating prover
//! would build them, so that soundness tests try each freedom as an attack (`docs/SECURITY.md`).
//!
//! A one-cell tamper test shows that a constraint notices a corrupted cell. An attack is different: the
//! forger picks another value for something the prover chooses (the recording counts it states, a log's
//! exponent, a voicing flag) and rewrites everything that depends on it — the row's other witness cells,
//! the cepstra, the running statistics, the public totals, the scaled copies and the range table — so that
//! every constraint that does not pin the choice holds. What remains is the reason the attack fails: one
//! named constraint on one row ([`crate::chunk::check::violations`]), a value that no range-checked cell can
//! hold ([`ForgeError`]), or a rule of a layer above (the root's), which the tests of that layer show.
//!
//! Nothing here is used by the prover.

use std::borrow::{Borrow, BorrowMut};

use plonky2::hash::hash_types::RichField;

use super::check::{read_values, signed, Values};
use super::columns::{FrameRow, NUM_COLS, NUM_LOGS};
use super::layout::{dct_slot, log_slot, square_slot, voicing_slot};
use super::limbs::LimbRangeError;
use super::log_air::{energies, log_value, HORNER_PRESCALE_BITS, NORM_BITS, NORM_REMAINDER_BITS};
use super::stats_air::stat_value;
use super::trace::{remainder, voicing_row, ChunkTrace};
use crate::fixed::format::{DCT_FRAC_BITS, LOG_MANTISSA_BITS, LOG_POLY_Q24};
use crate::fixed::rounding::round_shift;
use crate::fixed::tables::tables;
use crate::params::{NUM_CEPS, NUM_FILTERS, NUM_STAT_VALUES};

/// Why a forgery cannot be written: a value it implies has no witness.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ForgeError {
    /// A value does not fit its range-checked cells, so the lookup argument refuses it.
    #[error("{what}: {source}")]
    OutOfRange {
        /// Which value.
        what: &'static str,
        /// Its value and range.
        source: LimbRangeError,
    },
    /// An equation of the AIR has no solution in range for the forger's choice.
    #[error("no witness: {0}")]
    NoWitness(String),
}

fn in_range(what: &'static str) -> impl Fn(LimbRangeError) -> ForgeError {
    move |source| ForgeError::OutOfRange { what, source }
}

/// A chunk trace being rewritten by a forger, with the voicing threshold its statistics use.
pub struct Forgery<F: RichField> {
    trace: ChunkTrace<F>,
    threshold: i64,
}

impl<F: RichField> Forgery<F> {
    /// Starts from the honest trace of frames `first..first + count` of `audio` (`height` rows).
    pub fn honest(audio: &[i16], first: usize, count: usize, height: usize, threshold: i64) -> Self {
        Self { trace: ChunkTrace::generate_with_threshold(audio, first, count, height, threshold), threshold }
    }

    /// The trace as it stands.
    pub fn trace(&self) -> &ChunkTrace<F> {
        &self.trace
    }

    /// Energy `j` of `row` (a mel energy, or the frame energy for `j = 26`) as the AIR computes it.
    pub fn energy(&self, row: usize, j: usize) -> u64 {
        let c: &FrameRow<F> = self.trace.rows[row][..].borrow();
        energies(&mut Values, c)[j].to_canonical_u64()
    }

    /// Rewrites log `j` of `row` with leading-bit position `bit` instead of the true one: the bits, powers of
    /// two, normaliser `2^59 / 2^bit`, upper bound `2^(bit+1) - 1 - m`, mantissa, remainder and Horner steps
    /// that `bit` implies in the field; then the row's cepstra and voicing values, and every running sum.
    /// Fails when one of those values has no range-checked witness (a `bit` near the true one: the mantissa
    /// or the upper bound leaves its range).
    pub fn set_log_exponent(&mut self, row: usize, j: usize, bit: u32) -> Result<(), ForgeError> {
        assert!(j < NUM_LOGS && bit < 64);
        let m = F::from_canonical_u64(self.energy(row, j));
        if m == F::ZERO {
            return Err(ForgeError::NoWitness("a zero energy has no exponent to choose".into()));
        }
        let c: &mut FrameRow<F> = self.trace.rows[row][..].borrow_mut();
        let s = log_slot(j);
        let g = &mut c.logs[j];
        let pow = F::TWO.exp_u64(bit.into());
        for i in 0..6 {
            g.bits[i] = F::from_bool(bit >> i & 1 == 1);
        }
        for i in 0..5 {
            g.pow[i] = F::TWO.exp_u64(u64::from(bit) & ((1 << (i + 2)) - 1));
        }
        g.norm = F::from_canonical_u64(1 << NORM_BITS) * pow.inverse();
        let upper = pow.double() - F::ONE - m;
        s.upper.try_write(&mut c.limbs, upper.to_canonical_u64().into()).map_err(in_range("upper bound"))?;
        let normalised = (m * c.logs[j].norm).to_canonical_u64();
        let top = i128::from(normalised >> NORM_REMAINDER_BITS);
        let u = top - (1 << LOG_MANTISSA_BITS);
        s.u.try_write(&mut c.limbs, u).map_err(in_range("mantissa"))?;
        let r_norm = i128::from(normalised & ((1 << NORM_REMAINDER_BITS) - 1));
        s.r_norm.try_write(&mut c.limbs, r_norm).map_err(in_range("normalisation remainder"))?;
        let mut acc = i128::from(LOG_POLY_Q24[7]);
        for (k, step) in s.horner.iter().enumerate() {
            let prod = acc * u;
            let q = round_shift(prod, LOG_MANTISSA_BITS);
            step.rem
                .try_write(&mut c.limbs, remainder(prod, LOG_MANTISSA_BITS) << HORNER_PRESCALE_BITS)
                .map_err(in_range("Horner remainder"))?;
            step.value.try_write(&mut c.limbs, q.into()).map_err(in_range("Horner quotient"))?;
            acc = i128::from(q) + i128::from(LOG_POLY_Q24[6 - k]);
        }
        self.rewrite_cepstra(row)?;
        self.trace.restate_statistics();
        Ok(())
    }

    /// Sets the voicing flag of `row` to `voiced` whatever its `c0`: the weight and weighted values follow,
    /// and the distance to the threshold is written as the AIR defines it (`c0 - T` if voiced, else
    /// `T - 1 - c0`). Fails when that distance is negative: the flag contradicts `c0`.
    pub fn set_voiced(&mut self, row: usize, voiced: bool) -> Result<(), ForgeError> {
        let threshold = self.threshold;
        let c: &mut FrameRow<F> = self.trace.rows[row][..].borrow_mut();
        let c0 = i128::from(signed(c.voicing.c0));
        let counted = c.flags.counted == F::ONE;
        let weight = F::from_bool(voiced && counted);
        let values: Vec<(F, F)> = (0..NUM_STAT_VALUES)
            .map(|n| {
                let cn = stat_value(&mut Values, &*c, n);
                (cn, square_slot(n).value.eval(&mut Values, &c.limbs))
            })
            .collect();
        let v = &mut c.voicing;
        v.voiced = F::from_bool(voiced);
        v.weight = weight;
        for (n, (cn, q)) in values.into_iter().enumerate() {
            v.weighted_value[n] = weight * cn;
            v.weighted_q[n] = weight * q;
        }
        let t = i128::from(threshold);
        let distance = if voiced { c0 - t } else { t - 1 - c0 };
        voicing_slot().try_write(&mut c.limbs, distance).map_err(in_range("voicing distance"))?;
        self.trace.restate_statistics();
        Ok(())
    }

    /// States another start of the regression deltas (`delta_has_prev`, `delta_in`) and re-derives the delta
    /// columns and totals: the chunk STARK cannot tell the previous chunk's hand-over, so this trace satisfies
    /// it; the fold and root rules refuse the forgery (`recursion/tests/adversary.rs`).
    pub fn set_delta_start(&mut self, has_prev: F, link: super::public::DeltaLink<F>) {
        {
            let p: &mut super::public::ChunkPublicInputs<F> = self.trace.public_inputs[..].borrow_mut();
            p.delta_has_prev = has_prev;
            p.delta_in = link;
        }
        self.trace.restate_statistics();
    }

    /// The forged trace, with the range table and copies of its final cells.
    pub fn finish(self) -> ChunkTrace<F> {
        self.trace
    }

    /// Rewrites the DCT rescales of `row` from the logs its columns hold, and its voicing values from the
    /// resulting MFCCs.
    fn rewrite_cepstra(&mut self, row: usize) -> Result<(), ForgeError> {
        let threshold = self.threshold;
        let cells: &mut [F; NUM_COLS] = &mut self.trace.rows[row];
        let c: &mut FrameRow<F> = cells[..].borrow_mut();
        let logs: Vec<i128> = (0..NUM_FILTERS).map(|j| i128::from(signed(log_value(&mut Values, c, j)))).collect();
        for (n, dn) in tables().dct.iter().enumerate().take(NUM_CEPS).skip(1) {
            let sum: i128 = dn.iter().zip(&logs).map(|(&a, &l)| i128::from(a) * l).sum();
            let slot = dct_slot(n);
            slot.rem.try_write(&mut c.limbs, remainder(sum, DCT_FRAC_BITS)).map_err(in_range("DCT remainder"))?;
            slot.value
                .try_write(&mut c.limbs, round_shift(sum, DCT_FRAC_BITS).into())
                .map_err(in_range("cepstral coefficient"))?;
        }
        let values = read_values(cells);
        let c: &mut FrameRow<F> = cells[..].borrow_mut();
        let counted = c.flags.counted == F::ONE;
        voicing_row(c, &values, counted, threshold).map_err(in_range("statistics of the forged cepstra"))
    }
}

/// A second encoding of a proof file whose encoding ends with its public inputs (chunk, root and final
/// proofs all do): the last of the final eight field elements small enough to be written as `x + p` within a
/// `u64`, so written. A strict reader refuses it; a lax one reads the same proof. `None` if none is small.
pub fn non_canonical_tail(bytes: &[u8]) -> Option<Vec<u8>> {
    use plonky2::field::goldilocks_field::GoldilocksField;
    use plonky2::field::types::Field64;
    let p = GoldilocksField::ORDER;
    (1..=8).map(|i| bytes.len().checked_sub(8 * i)).find_map(|at| {
        let at = at?;
        let value = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        let larger = value.checked_add(p).filter(|_| value < p)?;
        let mut out = bytes.to_vec();
        out[at..at + 8].copy_from_slice(&larger.to_le_bytes());
        Some(out)
    })
}
