//! A diagnostic evaluator: runs every constraint of the chunk STARK on a trace,
//! over the base field, and reports the ones that do not vanish. Tests use it to
//! show that a corrupted cell breaks a constraint (quickly, and naming where);
//! full prove/verify tests show the same rejection end to end.

use std::borrow::Borrow;

use plonky2::field::extension::Extendable;
use plonky2::hash::hash_types::RichField;

use super::columns::{FrameRow, NUM_COLS};
use super::expr::Constraints;
use super::stark::ChunkStark;

/// A constraint that does not vanish: the row and its index in evaluation order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Violation {
    /// Trace row.
    pub row: usize,
    /// Index of the constraint in evaluation order.
    pub constraint: usize,
}

/// The arithmetic of [`Constraints`] over the base field itself.
macro_rules! field_arithmetic {
    () => {
        type Expr = F;
        fn constant(&mut self, c: F) -> F {
            c
        }
        fn add(&mut self, a: F, b: F) -> F {
            a + b
        }
        fn sub(&mut self, a: F, b: F) -> F {
            a - b
        }
        fn mul(&mut self, a: F, b: F) -> F {
            a * b
        }
        fn scale(&mut self, a: F, c: F) -> F {
            a * c
        }
        fn add_scaled(&mut self, acc: F, a: F, c: F) -> F {
            acc + a * c
        }
    };
}

struct Checker<F> {
    row: usize,
    last_row: usize,
    count: usize,
    violations: Vec<Violation>,
    _f: std::marker::PhantomData<F>,
}

impl<F: RichField> Checker<F> {
    fn check(&mut self, e: F, applies: bool) {
        if applies && e != F::ZERO {
            self.violations.push(Violation { row: self.row, constraint: self.count });
        }
        self.count += 1;
    }
}

impl<F: RichField> Constraints<F> for Checker<F> {
    field_arithmetic!();
    fn constraint(&mut self, e: F) {
        self.check(e, true)
    }
    fn constraint_transition(&mut self, e: F) {
        let applies = self.row != self.last_row;
        self.check(e, applies)
    }
    fn constraint_first_row(&mut self, e: F) {
        let applies = self.row == 0;
        self.check(e, applies)
    }
    fn constraint_last_row(&mut self, e: F) {
        let applies = self.row == self.last_row;
        self.check(e, applies)
    }
}

/// Every non-vanishing constraint of `rows` (at most `limit` of them). The lookup
/// argument is not checked here (the prover checks it).
pub fn violations<F: RichField + Extendable<D>, const D: usize>(
    stark: &ChunkStark<F, D>,
    rows: &[[F; NUM_COLS]],
    public_inputs: &[F],
    limit: usize,
) -> Vec<Violation> {
    let pis: &super::public::ChunkPublicInputs<F> = public_inputs.borrow();
    let mut checker =
        Checker { row: 0, last_row: rows.len() - 1, count: 0, violations: Vec::new(), _f: std::marker::PhantomData };
    for r in 0..rows.len() {
        checker.row = r;
        checker.count = 0;
        let local: &FrameRow<F> = rows[r][..].borrow();
        let next: &FrameRow<F> = rows[(r + 1) % rows.len()][..].borrow();
        stark.eval_all(&mut checker, local, next, pis);
        if checker.violations.len() >= limit {
            break;
        }
    }
    checker.violations.truncate(limit);
    checker.violations
}

/// Evaluates expressions over the base field without checking anything: used to
/// read values the AIR defines as expressions (such as a log) out of a trace.
pub struct Values;

impl<F: RichField> Constraints<F> for Values {
    field_arithmetic!();
    fn constraint(&mut self, _: F) {}
    fn constraint_transition(&mut self, _: F) {}
    fn constraint_first_row(&mut self, _: F) {}
    fn constraint_last_row(&mut self, _: F) {}
}

/// A field element read as a signed integer (`x` or `x - p`, whichever is smaller).
pub fn signed<F: RichField>(x: F) -> i64 {
    let v = x.to_canonical_u64();
    if v > F::ORDER / 2 {
        -((F::ORDER - v) as i64)
    } else {
        v as i64
    }
}

/// The statistics values (Q24: the 13 MFCCs, then the 26 log mel energies) of the frame in `row`, read from the
/// trace as the statistics constraints see them (`stats_air::stat_value`).
pub fn read_values<F: RichField>(row: &[F; NUM_COLS]) -> crate::fixed::FrameValuesQ24 {
    use super::stats_air::stat_value;
    let c: &FrameRow<F> = row[..].borrow();
    let mfcc = read_mfcc(row);
    std::array::from_fn(|n| if n < mfcc.len() { mfcc[n] } else { signed(stat_value(&mut Values, c, n)) })
}

/// The 13 MFCCs (Q24) of the frame in `row`, read from the trace: `c1..c12` from the DCT limbs, `c0` as
/// the log of the frame energy (an expression of the log witness).
pub fn read_mfcc<F: RichField>(row: &[F; NUM_COLS]) -> [i64; crate::params::NUM_CEPS] {
    use super::columns::NUM_LOGS;
    use super::log_air::log_value;
    use super::stats_air::coefficient;
    let c: &FrameRow<F> = row[..].borrow();
    std::array::from_fn(|n| {
        if n == 0 {
            signed(log_value(&mut Values, c, NUM_LOGS - 1))
        } else {
            signed(coefficient(&mut Values, c, n))
        }
    })
}
