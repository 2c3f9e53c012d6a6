//! AIR gadget proving one plonky2 Poseidon permutation (width 12, Goldilocks).
//!
//! The gadget constrains `output == <F as Poseidon>::poseidon(input)`, i.e. exactly the permutation
//! behind plonky2's `PoseidonHash`: 4 full rounds, 22 partial rounds, 4 full rounds, each round being
//! `constant_layer` (`ALL_ROUND_CONSTANTS`), the S-box `x^7` (all 12 lanes in full rounds, lane 0
//! in partial rounds) and `mds_layer` (`MDS_MATRIX_CIRC` + `MDS_MATRIX_DIAG`). The partial rounds
//! are arithmetised in plonky2's "naive" form (`partial_rounds_naive`), which is equal to the fast
//! form used by `poseidon`. All constants are read from plonky2, none are copied here.
//!
//! # Degree and column scheme
//! Every raw constraint has degree <= 2 in the columns, so `filter * constraint` has degree <= 3
//! for a degree-1 `filter`. An S-box input `x` is always an affine function of columns (the
//! previous round's S-box output columns pass through the linear constant and MDS layers), and
//! `x^7` is obtained through the addition chain 1, 2, 3, 6, 7 with one column per step:
//! `x2 = x*x`, `x3 = x2*x`, `x6 = x3*x3`, `x7 = x6*x` (4 columns per S-box). Three columns cannot
//! suffice: with degree-2 steps the only chains reaching a *column* equal to `x^7` have length 4.
//! The `x7` column is needed because the next S-box input must be degree 1 again; only in the last
//! full round, whose S-box outputs feed nothing but the final MDS layer, `x7 = x6*x` stays a
//! degree-2 expression and `output - MDS(x6*x) = 0` is a degree-2 constraint (saving 12 columns).
//! Lanes 1..11 of partial rounds need no columns at all (they stay affine).
//!
//! Columns: 12 input, 8*12*3 (x2, x3, x6 of full rounds), 7*12 (x7 of the first 7 full rounds),
//! 22*4 (partial rounds) and 12 output, **484** in total. Constraints: 472, all of the form
//! `filter * (a*b - c)` or `filter * (affine - c)`.

use core::borrow::{Borrow, BorrowMut};
use core::mem::size_of;

use plonky2::field::extension::{Extendable, FieldExtension};
use plonky2::field::packed::PackedField;
use plonky2::hash::hash_types::RichField;
use plonky2::hash::poseidon::{ALL_ROUND_CONSTANTS, HALF_N_FULL_ROUNDS, N_PARTIAL_ROUNDS, N_ROUNDS};
use plonky2::iop::ext_target::ExtensionTarget;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use starky::constraint_consumer::{ConstraintConsumer, RecursiveConstraintConsumer};

/// Width of the Poseidon state.
const W: usize = plonky2::hash::poseidon::SPONGE_WIDTH;
/// Total number of full rounds.
const N_FULL: usize = 2 * HALF_N_FULL_ROUNDS;

/// Columns of one Poseidon permutation. Every field is (an array of) `T`, so with `#[repr(C)]` the
/// struct is exactly `POSEIDON_COLS` consecutive `T`s and can be viewed from a trace-row slice.
///
/// Full round `f` (0..8) is plonky2 round `f` for `f < 4` and round `f + 22` otherwise; partial
/// round `p` (0..22) is plonky2 round `p + 4`. For an S-box input `x` (the lane value after the
/// round's constant layer) the columns hold `x^2`, `x^3`, `x^6` and `x^7`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoseidonCols<T> {
    /// The permutation input state.
    pub input: [T; W],
    /// `full_x2[f][i]`: square of the S-box input of lane `i` in full round `f`.
    pub full_x2: [[T; W]; N_FULL],
    /// `full_x3[f][i]`: cube of the S-box input of lane `i` in full round `f`.
    pub full_x3: [[T; W]; N_FULL],
    /// `full_x6[f][i]`: sixth power of the S-box input of lane `i` in full round `f`.
    pub full_x6: [[T; W]; N_FULL],
    /// `full_x7[f][i]`: S-box output of lane `i` in full round `f`, for all full rounds but the last.
    pub full_x7: [[T; W]; N_FULL - 1],
    /// `partial_x2[p]`: square of the S-box input (lane 0) of partial round `p`.
    pub partial_x2: [T; N_PARTIAL_ROUNDS],
    /// `partial_x3[p]`: cube of the S-box input (lane 0) of partial round `p`.
    pub partial_x3: [T; N_PARTIAL_ROUNDS],
    /// `partial_x6[p]`: sixth power of the S-box input (lane 0) of partial round `p`.
    pub partial_x6: [T; N_PARTIAL_ROUNDS],
    /// `partial_x7[p]`: S-box output (lane 0) of partial round `p`.
    pub partial_x7: [T; N_PARTIAL_ROUNDS],
    /// The permutation output state; constrained to equal `F::poseidon(input)` where `filter != 0`.
    pub output: [T; W],
}

/// Number of columns of [`PoseidonCols`] (484): `size_of::<PoseidonCols<u8>>()`.
pub const POSEIDON_COLS: usize = size_of::<PoseidonCols<u8>>();

impl<T> Borrow<PoseidonCols<T>> for [T] {
    /// Views a slice of exactly [`POSEIDON_COLS`] elements as columns; panics on any other length.
    fn borrow(&self) -> &PoseidonCols<T> {
        assert_eq!(self.len(), POSEIDON_COLS, "PoseidonCols needs exactly POSEIDON_COLS elements");
        assert_eq!(size_of::<PoseidonCols<T>>(), POSEIDON_COLS * size_of::<T>());
        // SAFETY: `PoseidonCols<T>` is `#[repr(C)]` and made only of arrays of `T`, so it has the
        // alignment of `T` and the layout of `[T; POSEIDON_COLS]`; the length was checked above.
        unsafe { &*self.as_ptr().cast::<PoseidonCols<T>>() }
    }
}

impl<T> BorrowMut<PoseidonCols<T>> for [T] {
    /// Mutable view of a slice of exactly [`POSEIDON_COLS`] elements; panics on any other length.
    fn borrow_mut(&mut self) -> &mut PoseidonCols<T> {
        assert_eq!(self.len(), POSEIDON_COLS, "PoseidonCols needs exactly POSEIDON_COLS elements");
        assert_eq!(size_of::<PoseidonCols<T>>(), POSEIDON_COLS * size_of::<T>());
        // SAFETY: as in `borrow`; the exclusive borrow of the slice is carried over.
        unsafe { &mut *self.as_mut_ptr().cast::<PoseidonCols<T>>() }
    }
}

/// Where plonky2 round `r` (0..30) is stored.
#[derive(Clone, Copy)]
enum Round {
    Full(usize),
    Partial(usize),
}

impl Round {
    fn of(r: usize) -> Self {
        if r < HALF_N_FULL_ROUNDS {
            Round::Full(r)
        } else if r < HALF_N_FULL_ROUNDS + N_PARTIAL_ROUNDS {
            Round::Partial(r - HALF_N_FULL_ROUNDS)
        } else {
            Round::Full(r - N_PARTIAL_ROUNDS)
        }
    }

    /// Number of lanes going through the S-box.
    fn lanes(self) -> usize {
        match self {
            Round::Full(_) => W,
            Round::Partial(_) => 1,
        }
    }
}

impl<T: Copy> PoseidonCols<T> {
    /// `(x2, x3, x6, x7)` of lane `lane` in round `r`; `x7` is `None` in the last full round.
    fn sbox(&self, r: usize, lane: usize) -> (T, T, T, Option<T>) {
        match Round::of(r) {
            Round::Full(f) => (
                self.full_x2[f][lane],
                self.full_x3[f][lane],
                self.full_x6[f][lane],
                self.full_x7.get(f).map(|row| row[lane]),
            ),
            Round::Partial(p) => (self.partial_x2[p], self.partial_x3[p], self.partial_x6[p], Some(self.partial_x7[p])),
        }
    }

    /// Writes the S-box columns of lane `lane` in round `r` (`x7` is dropped in the last full round).
    fn set_sbox(&mut self, r: usize, lane: usize, [x2, x3, x6, x7]: [T; 4]) {
        match Round::of(r) {
            Round::Full(f) => {
                self.full_x2[f][lane] = x2;
                self.full_x3[f][lane] = x3;
                self.full_x6[f][lane] = x6;
                if let Some(row) = self.full_x7.get_mut(f) {
                    row[lane] = x7;
                }
            }
            Round::Partial(p) => {
                self.partial_x2[p] = x2;
                self.partial_x3[p] = x3;
                self.partial_x6[p] = x6;
                self.partial_x7[p] = x7;
            }
        }
    }
}

/// Fills every column of `cols` from `input`. Guarantees that all constraints of [`eval`] hold
/// (for any filter) and that `cols.output == F::poseidon(input)`.
pub fn generate<F: RichField>(cols: &mut PoseidonCols<F>, input: [F; W]) {
    cols.input = input;
    let mut state = input;
    for r in 0..N_ROUNDS {
        F::constant_layer(&mut state, r);
        for (lane, s) in state.iter_mut().enumerate().take(Round::of(r).lanes()) {
            let x = *s;
            let x2 = x.square();
            let x3 = x2 * x;
            let x6 = x3.square();
            let x7 = x6 * x;
            cols.set_sbox(r, lane, [x2, x3, x6, x7]);
            *s = x7;
        }
        state = F::mds_layer(&state);
    }
    cols.output = state;
    debug_assert_eq!(state, F::poseidon(input));
}

/// Emits `filter * c == 0` for the 472 relations that, where `filter != 0`, hold iff every
/// internal column is as [`generate`] sets it and `output == F::poseidon(input)`. Each `c` has
/// degree <= 2 in the columns, so the emitted constraints have degree <= 1 + deg(filter).
pub fn eval<F, FE, P, const D2: usize>(cols: &PoseidonCols<P>, filter: P, yield_constr: &mut ConstraintConsumer<P>)
where
    F: RichField,
    FE: FieldExtension<D2, BaseField = F>,
    P: PackedField<Scalar = FE>,
{
    eval_generic::<F, _>(&mut super::expr::Native::<P, FE, D2>::new(yield_constr), cols, filter);
}

/// Circuit version of [`eval`]: the same constraints, with the same values, in the same order.
pub fn eval_circuit<F: RichField + Extendable<D>, const D: usize>(
    builder: &mut CircuitBuilder<F, D>,
    cols: &PoseidonCols<ExtensionTarget<D>>,
    filter: ExtensionTarget<D>,
    yield_constr: &mut RecursiveConstraintConsumer<F, D>,
) {
    eval_generic::<F, _>(&mut super::expr::Circuit::new(builder, yield_constr), cols, filter);
}

/// The constraints of [`eval`], in the same order, written once against the
/// [`Constraints`](super::expr::Constraints) language (used by the chunk STARK, so
/// its native, recursive and diagnostic evaluations all include the hash).
pub fn eval_generic<F: RichField, B: super::expr::Constraints<F>>(
    b: &mut B,
    cols: &PoseidonCols<B::Expr>,
    filter: B::Expr,
) {
    let one = b.int(1);
    let mut state = cols.input;
    for r in 0..N_ROUNDS {
        for (i, s) in state.iter_mut().enumerate() {
            *s = b.add_scaled(*s, one, F::from_canonical_u64(ALL_ROUND_CONSTANTS[i + W * r]));
        }
        for (lane, s) in state.iter_mut().enumerate().take(Round::of(r).lanes()) {
            let x = *s;
            let (x2, x3, x6, x7) = cols.sbox(r, lane);
            for (a, c, out) in [(x, x, x2), (x2, x, x3), (x3, x3, x6)] {
                let p = b.mul(a, c);
                let d = b.sub(p, out);
                let e = b.mul(filter, d);
                b.constraint(e);
            }
            *s = match x7 {
                Some(x7) => {
                    let p = b.mul(x6, x);
                    let d = b.sub(p, x7);
                    let e = b.mul(filter, d);
                    b.constraint(e);
                    x7
                }
                None => b.mul(x6, x),
            };
        }
        state = std::array::from_fn(|r| {
            let mut terms: Vec<(B::Expr, F)> = vec![(state[r], F::from_canonical_u64(F::MDS_MATRIX_DIAG[r]))];
            terms.extend((0..W).map(|i| (state[(i + r) % W], F::from_canonical_u64(F::MDS_MATRIX_CIRC[i]))));
            let mut acc = b.int(0);
            for (x, c) in terms {
                acc = b.add_scaled(acc, x, c);
            }
            acc
        });
    }
    for (s, o) in state.into_iter().zip(cols.output) {
        let d = b.sub(s, o);
        let e = b.mul(filter, d);
        b.constraint(e);
    }
}

#[cfg(test)]
mod tests {
    use core::marker::PhantomData;
    use plonky2::field::types::Field;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    use plonky2::field::goldilocks_field::GoldilocksField;
    use plonky2::field::polynomial::PolynomialValues;
    use plonky2::field::types::Sample;
    use plonky2::hash::poseidon::Poseidon;
    use plonky2::plonk::config::PoseidonGoldilocksConfig;
    use plonky2::util::timing::TimingTree;
    use starky::config::StarkConfig;
    use starky::evaluation_frame::{StarkEvaluationFrame, StarkFrame};
    use starky::prover::prove;
    use starky::stark::Stark;
    use starky::stark_testing::{test_stark_circuit_constraints, test_stark_low_degree};
    use starky::util::trace_rows_to_poly_values;
    use starky::verifier::verify_stark_proof;

    use super::*;

    const D: usize = 2;
    type F = GoldilocksField;
    type C = PoseidonGoldilocksConfig;
    /// Test row: the Poseidon columns followed by the filter column.
    const COLS: usize = POSEIDON_COLS + 1;
    const FILTER: usize = POSEIDON_COLS;
    const ROWS: usize = 32;
    /// Rows `REAL..ROWS` are padding: filter 0 and random garbage.
    const REAL: usize = 28;

    /// One permutation per row, enabled by the last column (degree-1 filter, total degree 3).
    #[derive(Clone, Copy, Default)]
    struct PoseidonTestStark<F, const D: usize>(PhantomData<F>);

    impl<F: RichField + Extendable<D>, const D: usize> Stark<F, D> for PoseidonTestStark<F, D> {
        type EvaluationFrame<FE, P, const D2: usize>
            = StarkFrame<P, P::Scalar, COLS, 0>
        where
            FE: FieldExtension<D2, BaseField = F>,
            P: PackedField<Scalar = FE>;
        type EvaluationFrameTarget = StarkFrame<ExtensionTarget<D>, ExtensionTarget<D>, COLS, 0>;

        fn eval_packed_generic<FE, P, const D2: usize>(
            &self,
            vars: &Self::EvaluationFrame<FE, P, D2>,
            yield_constr: &mut ConstraintConsumer<P>,
        ) where
            FE: FieldExtension<D2, BaseField = F>,
            P: PackedField<Scalar = FE>,
        {
            let local = vars.get_local_values();
            eval::<F, FE, P, D2>(local[..POSEIDON_COLS].borrow(), local[FILTER], yield_constr);
        }

        fn eval_ext_circuit(
            &self,
            builder: &mut CircuitBuilder<F, D>,
            vars: &Self::EvaluationFrameTarget,
            yield_constr: &mut RecursiveConstraintConsumer<F, D>,
        ) {
            let local = vars.get_local_values();
            eval_circuit(builder, local[..POSEIDON_COLS].borrow(), local[FILTER], yield_constr);
        }

        fn constraint_degree(&self) -> usize {
            3
        }
    }

    type S = PoseidonTestStark<F, D>;

    fn honest_rows() -> Vec<[F; COLS]> {
        (0..ROWS)
            .map(|i| {
                let mut row = [F::ZERO; COLS];
                if i < REAL {
                    generate(row[..POSEIDON_COLS].borrow_mut(), F::rand_array());
                    row[FILTER] = F::ONE;
                } else {
                    row[..POSEIDON_COLS].copy_from_slice(&F::rand_vec(POSEIDON_COLS));
                }
                row
            })
            .collect()
    }

    fn cols_mut(row: &mut [F; COLS]) -> &mut PoseidonCols<F> {
        row[..POSEIDON_COLS].borrow_mut()
    }

    /// Random linear combination of all constraints of one row (0 iff all hold, w.h.p.).
    fn row_eval(row: &[F; COLS]) -> F {
        let mut consumer = ConstraintConsumer::<F>::new(vec![F::rand()], F::ONE, F::ZERO, F::ZERO);
        eval::<F, F, F, 1>(row[..POSEIDON_COLS].borrow(), row[FILTER], &mut consumer);
        consumer.accumulators()[0]
    }

    /// True iff an honest prover accepts the trace and the verifier accepts the proof; a prover
    /// panic (unsatisfied constraints make the quotient not divisible by Z_H) counts as rejection.
    fn prove_and_verify(rows: Vec<[F; COLS]>) -> bool {
        let config = StarkConfig::standard_fast_config();
        let trace: Vec<PolynomialValues<F>> = trace_rows_to_poly_values(rows);
        let stark = S::default();
        catch_unwind(AssertUnwindSafe(|| {
            prove::<F, C, S, D>(stark, &config, trace, &[], None, &mut TimingTree::default())
                .and_then(|proof| verify_stark_proof(stark, proof, &config, None))
        }))
        .is_ok_and(|res| res.is_ok())
    }

    #[test]
    fn column_count() {
        assert_eq!(POSEIDON_COLS, 484);
    }

    #[test]
    fn generation_matches_plonky2() {
        for _ in 0..ROWS {
            let input = F::rand_array();
            let mut row = [F::ZERO; POSEIDON_COLS];
            let cols: &mut PoseidonCols<F> = row[..].borrow_mut();
            generate(cols, input);
            assert_eq!(cols.input, input);
            assert_eq!(cols.output, F::poseidon(input));
            assert_eq!(cols.output, F::poseidon_naive(input));
            let cols: &PoseidonCols<F> = row[..].borrow();
            assert_eq!(cols.output, F::poseidon(input));
        }
    }

    #[test]
    fn honest_rows_satisfy_constraints() {
        for row in honest_rows() {
            assert_eq!(row_eval(&row), F::ZERO);
        }
    }

    #[test]
    fn low_degree() {
        test_stark_low_degree(S::default()).unwrap();
    }

    #[test]
    fn circuit_matches_native() {
        test_stark_circuit_constraints::<F, C, S, D>(S::default()).unwrap();
    }

    #[test]
    fn prove_verify_honest() {
        assert!(prove_and_verify(honest_rows()));
    }

    /// Corrupting the given cell of real row 3 breaks a constraint and the proof is rejected.
    fn assert_tamper_rejected(tamper: impl Fn(&mut PoseidonCols<F>)) {
        let mut rows = honest_rows();
        tamper(cols_mut(&mut rows[3]));
        assert_ne!(row_eval(&rows[3]), F::ZERO);
        assert!(!prove_and_verify(rows));
    }

    #[test]
    fn tampered_full_sbox_rejected() {
        assert_tamper_rejected(|c| c.full_x3[2][5] += F::ONE);
    }

    #[test]
    fn tampered_partial_sbox_rejected() {
        assert_tamper_rejected(|c| c.partial_x7[10] += F::ONE);
    }

    #[test]
    fn tampered_output_rejected() {
        assert_tamper_rejected(|c| c.output[7] += F::ONE);
    }

    #[test]
    fn tampered_last_round_rejected() {
        assert_tamper_rejected(|c| c.full_x6[N_FULL - 1][0] += F::ONE);
    }

    #[test]
    fn padding_rows_unconstrained() {
        let mut rows = honest_rows();
        cols_mut(&mut rows[REAL]).output[0] += F::ONE;
        assert_eq!(row_eval(&rows[REAL]), F::ZERO);
        assert!(prove_and_verify(rows));
    }
}
