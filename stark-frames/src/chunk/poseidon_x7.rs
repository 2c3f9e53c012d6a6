//! AIR gadget proving one plonky2 Poseidon permutation (width 12, Goldilocks) per trace row,
//! **without a filter**, with one column per S-box and constraints of degree 7.
//!
//! The gadget constrains `output == <F as Poseidon>::poseidon(input)`, i.e. exactly the permutation
//! behind plonky2's `PoseidonHash`: 4 full rounds, 22 partial rounds, 4 full rounds, each round being
//! `constant_layer` (`ALL_ROUND_CONSTANTS`), the S-box `x^7` (all 12 lanes in full rounds, lane 0
//! in partial rounds) and `mds_layer` (`MDS_MATRIX_CIRC` + `MDS_MATRIX_DIAG`). All constants are read
//! from plonky2, none are copied here.
//!
//! # Columns, inputs and outputs
//! The columns are the 118 S-box outputs: 8 full rounds of 12 lanes and 22 partial rounds of one. The
//! permutation's input is not a column: it is given as 12 expressions of degree at most 1 (for the chunk
//! STARK, packed samples and the previous permutation's output), and the output is returned as 12 affine
//! expressions (the MDS layer of the last round's columns), which the caller constrains or feeds on. Every
//! S-box input is affine in the columns and the input, so `x7 = x^7` is one constraint of degree 7 per
//! S-box: **118 constraints, all of degree 7**. The chunk STARK declares degree 9 (FRI rate 1/8), which
//! also lets starky batch 8 range-checked columns per LogUp helper column.
//!
//! The partial rounds are evaluated in plonky2's fast form (`partial_rounds`: a sparse matrix per round),
//! which has the same lane-0 S-box inputs and the same final state as the naive form
//! (`partial_rounds_naive`, a full MDS layer per round), so the constraint polynomials are those of the
//! naive form; the recursive verifier's evaluation is about 2.5 times smaller (tested on random cells).
//!
//! No constraint is multiplied by a filter: every row of the trace must hold a valid permutation (an AIR
//! using this gadget fills unused rows with the permutation of some input, e.g. by calling [`generate`]).

use core::borrow::{Borrow, BorrowMut};
use core::mem::size_of;

use plonky2::hash::hash_types::RichField;
use plonky2::hash::poseidon::{ALL_ROUND_CONSTANTS, HALF_N_FULL_ROUNDS, N_PARTIAL_ROUNDS, N_ROUNDS};

/// Width of the Poseidon state.
pub const W: usize = plonky2::hash::poseidon::SPONGE_WIDTH;
/// Total number of full rounds.
const N_FULL: usize = 2 * HALF_N_FULL_ROUNDS;

/// Columns of one Poseidon permutation: its S-box outputs. Every field is (an array of) `T`, so with
/// `#[repr(C)]` the struct is exactly [`POSEIDON_X7_COLS`] consecutive `T`s and can be viewed from a
/// trace-row slice.
///
/// Full round `f` (0..8) is plonky2 round `f` for `f < 4` and round `f + 22` otherwise; partial
/// round `p` (0..22) is plonky2 round `p + 4`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoseidonX7Cols<T> {
    /// `full_x7[f][i]`: S-box output `x^7` of lane `i` in full round `f`, `x` the lane after the round's
    /// constant layer.
    pub full_x7: [[T; W]; N_FULL],
    /// `partial_x7[p]`: S-box output of lane 0 in partial round `p`.
    pub partial_x7: [T; N_PARTIAL_ROUNDS],
}

/// Number of columns of [`PoseidonX7Cols`] (118): `size_of::<PoseidonX7Cols<u8>>()`.
pub const POSEIDON_X7_COLS: usize = size_of::<PoseidonX7Cols<u8>>();

const _: () = assert!(POSEIDON_X7_COLS == 118);

impl<T> Borrow<PoseidonX7Cols<T>> for [T] {
    /// Views a slice of exactly [`POSEIDON_X7_COLS`] elements as columns; panics on any other length.
    fn borrow(&self) -> &PoseidonX7Cols<T> {
        assert_eq!(self.len(), POSEIDON_X7_COLS, "PoseidonX7Cols needs exactly POSEIDON_X7_COLS elements");
        assert_eq!(size_of::<PoseidonX7Cols<T>>(), POSEIDON_X7_COLS * size_of::<T>());
        // SAFETY: `PoseidonX7Cols<T>` is `#[repr(C)]` and made only of arrays of `T`, so it has the
        // alignment of `T` and the layout of `[T; POSEIDON_X7_COLS]`; the length was checked above.
        unsafe { &*self.as_ptr().cast::<PoseidonX7Cols<T>>() }
    }
}

impl<T> BorrowMut<PoseidonX7Cols<T>> for [T] {
    /// Mutable view of a slice of exactly [`POSEIDON_X7_COLS`] elements; panics on any other length.
    fn borrow_mut(&mut self) -> &mut PoseidonX7Cols<T> {
        assert_eq!(self.len(), POSEIDON_X7_COLS, "PoseidonX7Cols needs exactly POSEIDON_X7_COLS elements");
        assert_eq!(size_of::<PoseidonX7Cols<T>>(), POSEIDON_X7_COLS * size_of::<T>());
        // SAFETY: as in `borrow`; the exclusive borrow of the slice is carried over.
        unsafe { &mut *self.as_mut_ptr().cast::<PoseidonX7Cols<T>>() }
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

impl<T: Copy> PoseidonX7Cols<T> {
    /// The S-box output column of lane `lane` in round `r`.
    fn sbox(&self, r: usize, lane: usize) -> T {
        match Round::of(r) {
            Round::Full(f) => self.full_x7[f][lane],
            Round::Partial(p) => self.partial_x7[p],
        }
    }

    /// Writes the S-box output column of lane `lane` in round `r`.
    fn set_sbox(&mut self, r: usize, lane: usize, x7: T) {
        match Round::of(r) {
            Round::Full(f) => self.full_x7[f][lane] = x7,
            Round::Partial(p) => self.partial_x7[p] = x7,
        }
    }
}

/// Fills every column of `cols` for the permutation of `input` and returns its output
/// `F::poseidon(input)` (debug-asserted). Guarantees that all constraints of [`eval_generic`] hold for
/// this input.
pub fn generate<F: RichField>(cols: &mut PoseidonX7Cols<F>, input: [F; W]) -> [F; W] {
    let mut state = input;
    for r in 0..N_ROUNDS {
        F::constant_layer(&mut state, r);
        for (lane, s) in state.iter_mut().enumerate().take(Round::of(r).lanes()) {
            let x = *s;
            let x7 = x.square().square() * x.square() * x;
            cols.set_sbox(r, lane, x7);
            *s = x7;
        }
        state = F::mds_layer(&state);
    }
    debug_assert_eq!(state, F::poseidon(input));
    state
}

/// `MDS_MATRIX_CIRC` / `MDS_MATRIX_DIAG` applied to `state`, as affine expressions.
fn mds<F: RichField, B: super::expr::Constraints<F>>(b: &mut B, state: &[B::Expr; W]) -> [B::Expr; W] {
    std::array::from_fn(|r| {
        // Lane `r` gets `CIRC[0] + DIAG[r]`, lane `(i + r) % W` gets `CIRC[i]` (plonky2's `mds_row_shf`).
        let c0 = F::from_canonical_u64(F::MDS_MATRIX_CIRC[0]) + F::from_canonical_u64(F::MDS_MATRIX_DIAG[r]);
        let mut acc = b.scale(state[r], c0);
        for i in 1..W {
            acc = b.add_scaled(acc, state[(i + r) % W], F::from_canonical_u64(F::MDS_MATRIX_CIRC[i]));
        }
        acc
    })
}

/// Emits, unconditionally (on every row), the 118 constraints that hold iff every column is as
/// [`generate`] sets it for `input` (12 expressions of degree at most 1), and returns the permutation's
/// output `F::poseidon(input)` as 12 affine expressions of the columns. Order: for each plonky2 round and
/// each S-box lane, `x^7 - x7`.
///
/// Written once against the [`Constraints`](super::expr::Constraints) language, so the native,
/// recursive and diagnostic evaluations agree.
pub fn eval_generic<F: RichField, B: super::expr::Constraints<F>>(
    b: &mut B,
    cols: &PoseidonX7Cols<B::Expr>,
    input: [B::Expr; W],
) -> [B::Expr; W] {
    let mut state = input;
    for r in 0..HALF_N_FULL_ROUNDS {
        state = full_round(b, cols, state, r);
    }
    state = partial_rounds_fast(b, cols, state);
    for r in HALF_N_FULL_ROUNDS + N_PARTIAL_ROUNDS..N_ROUNDS {
        state = full_round(b, cols, state, r);
    }
    state
}

/// Emits the S-box constraint `x^7 - x7` of `lane` in round `r` for the S-box input `x` (affine), and
/// returns the S-box output column.
fn sbox<F: RichField, B: super::expr::Constraints<F>>(
    b: &mut B,
    cols: &PoseidonX7Cols<B::Expr>,
    r: usize,
    lane: usize,
    x: B::Expr,
) -> B::Expr {
    let x7 = cols.sbox(r, lane);
    let x2 = b.mul(x, x);
    let x3 = b.mul(x2, x);
    let x4 = b.mul(x2, x2);
    let x7_expr = b.mul(x4, x3);
    let d = b.sub(x7_expr, x7);
    b.constraint(d);
    x7
}

/// Full round `r`: constant layer, S-boxes on all lanes, MDS layer.
fn full_round<F: RichField, B: super::expr::Constraints<F>>(
    b: &mut B,
    cols: &PoseidonX7Cols<B::Expr>,
    mut state: [B::Expr; W],
    r: usize,
) -> [B::Expr; W] {
    for (lane, s) in state.iter_mut().enumerate() {
        let c = b.constant(F::from_canonical_u64(ALL_ROUND_CONSTANTS[lane + W * r]));
        let x = b.add(*s, c);
        *s = sbox(b, cols, r, lane, x);
    }
    mds(b, &state)
}

/// The 22 partial rounds in plonky2's fast form (`Poseidon::partial_rounds`): the same lane-0 S-box inputs and
/// the same state after the last round as the naive form (`partial_rounds_naive`), so the same constraint
/// polynomials, but with a sparse matrix per round (23 terms instead of the full MDS layer's 144). This is
/// what keeps the recursive verifier's evaluation of the permutation small.
fn partial_rounds_fast<F: RichField, B: super::expr::Constraints<F>>(
    b: &mut B,
    cols: &PoseidonX7Cols<B::Expr>,
    state: [B::Expr; W],
) -> [B::Expr; W] {
    let u = F::from_canonical_u64;
    // `partial_first_constant_layer`, then `mds_partial_layer_init` (first row and column `[1, 0, ..., 0]`).
    let shifted: [B::Expr; W] = std::array::from_fn(|i| {
        let c = b.constant(u(F::FAST_PARTIAL_FIRST_ROUND_CONSTANT[i]));
        b.add(state[i], c)
    });
    let mut state: [B::Expr; W] = std::array::from_fn(|c| {
        if c == 0 {
            return shifted[0];
        }
        let mut acc = b.scale(shifted[1], u(F::FAST_PARTIAL_ROUND_INITIAL_MATRIX[0][c - 1]));
        for (r, &s) in shifted.iter().enumerate().skip(2) {
            acc = b.add_scaled(acc, s, u(F::FAST_PARTIAL_ROUND_INITIAL_MATRIX[r - 1][c - 1]));
        }
        acc
    });
    for p in 0..N_PARTIAL_ROUNDS {
        let s0 = sbox(b, cols, HALF_N_FULL_ROUNDS + p, 0, state[0]);
        let k = b.constant(u(F::FAST_PARTIAL_ROUND_CONSTANTS[p]));
        let s0 = b.add(s0, k);
        // `mds_partial_layer_fast`: `[d] ++ [s0 * v + state[1..]]`, `d = m00 s0 + w_hat . state[1..]`.
        let mut d = b.scale(s0, u(F::MDS_MATRIX_CIRC[0] + F::MDS_MATRIX_DIAG[0]));
        for (&s, &w_hat) in state[1..].iter().zip(&F::FAST_PARTIAL_ROUND_W_HATS[p]) {
            d = b.add_scaled(d, s, u(w_hat));
        }
        for (s, &v) in state[1..].iter_mut().zip(&F::FAST_PARTIAL_ROUND_VS[p]) {
            *s = b.add_scaled(*s, s0, u(v));
        }
        state[0] = d;
    }
    state
}

#[cfg(test)]
mod tests {
    use core::marker::PhantomData;
    use std::panic::{catch_unwind, AssertUnwindSafe};

    use plonky2::field::extension::{Extendable, FieldExtension};
    use plonky2::field::goldilocks_field::GoldilocksField;
    use plonky2::field::packed::PackedField;
    use plonky2::field::polynomial::PolynomialValues;
    use plonky2::field::types::{Field, Sample};
    use plonky2::hash::poseidon::Poseidon;
    use plonky2::iop::ext_target::ExtensionTarget;
    use plonky2::plonk::circuit_builder::CircuitBuilder;
    use plonky2::plonk::config::PoseidonGoldilocksConfig;
    use plonky2::util::timing::TimingTree;
    use starky::constraint_consumer::{ConstraintConsumer, RecursiveConstraintConsumer};
    use starky::evaluation_frame::{StarkEvaluationFrame, StarkFrame};
    use starky::prover::prove;
    use starky::stark::Stark;
    use starky::stark_testing::{test_stark_circuit_constraints, test_stark_low_degree};
    use starky::util::trace_rows_to_poly_values;
    use starky::verifier::verify_stark_proof;

    use super::super::expr::{Circuit, Constraints, Native};
    use super::*;

    const D: usize = 2;
    type F = GoldilocksField;
    type C = PoseidonGoldilocksConfig;
    /// Test rows: the input (12 columns), the gadget, the output (12 columns).
    const COLS: usize = W + POSEIDON_X7_COLS + W;
    const ROWS: usize = 32;
    /// Constraints per row: the gadget's 118 and the 12 output equalities of the test STARK.
    const N_CONSTRAINTS: usize = N_FULL * W + N_PARTIAL_ROUNDS + W;

    /// The test layout of a row.
    struct Row<'a, T> {
        input: [T; W],
        gadget: &'a PoseidonX7Cols<T>,
        output: [T; W],
    }

    fn split<T: Copy>(row: &[T]) -> Row<'_, T> {
        Row {
            input: row[..W].try_into().unwrap(),
            gadget: row[W..W + POSEIDON_X7_COLS].borrow(),
            output: row[W + POSEIDON_X7_COLS..].try_into().unwrap(),
        }
    }

    /// The gadget's constraints plus `output column = returned output`.
    fn eval_row<G: RichField, B: Constraints<G>>(b: &mut B, row: &[B::Expr]) {
        let r = split(row);
        let out = eval_generic(b, r.gadget, r.input);
        for (o, col) in out.into_iter().zip(r.output) {
            let d = b.sub(o, col);
            b.constraint(d);
        }
    }

    /// One permutation per row, no filter; `DEG` is the declared constraint degree.
    #[derive(Clone, Copy, Default)]
    struct X7TestStark<F, const D: usize, const DEG: usize>(PhantomData<F>);

    impl<F: RichField + Extendable<D>, const D: usize, const DEG: usize> Stark<F, D> for X7TestStark<F, D, DEG> {
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
            eval_row::<F, _>(&mut Native::<P, FE, D2>::new(yield_constr), vars.get_local_values());
        }

        fn eval_ext_circuit(
            &self,
            builder: &mut CircuitBuilder<F, D>,
            vars: &Self::EvaluationFrameTarget,
            yield_constr: &mut RecursiveConstraintConsumer<F, D>,
        ) {
            eval_row::<F, _>(&mut Circuit::new(builder, yield_constr), vars.get_local_values());
        }

        fn constraint_degree(&self) -> usize {
            DEG
        }
    }

    type S = X7TestStark<F, D, 7>;

    /// A row holding the permutation of `input`.
    fn row_of(input: [F; W]) -> [F; COLS] {
        let mut row = [F::ZERO; COLS];
        row[..W].copy_from_slice(&input);
        let out = generate(row[W..W + POSEIDON_X7_COLS].borrow_mut(), input);
        row[W + POSEIDON_X7_COLS..].copy_from_slice(&out);
        row
    }

    /// Every row is the permutation of a random input.
    fn honest_rows() -> Vec<[F; COLS]> {
        (0..ROWS).map(|_| row_of(F::rand_array())).collect()
    }

    fn gadget_mut(row: &mut [F; COLS]) -> &mut PoseidonX7Cols<F> {
        row[W..W + POSEIDON_X7_COLS].borrow_mut()
    }

    /// Evaluates each constraint separately, tracking its value and its degree in the columns.
    #[derive(Default)]
    struct Probe {
        /// `(value, degree)` of every emitted constraint, in order.
        constraints: Vec<(F, usize)>,
    }

    impl Constraints<F> for Probe {
        type Expr = (F, usize);
        fn constant(&mut self, c: F) -> (F, usize) {
            (c, 0)
        }
        fn add(&mut self, a: (F, usize), b: (F, usize)) -> (F, usize) {
            (a.0 + b.0, a.1.max(b.1))
        }
        fn sub(&mut self, a: (F, usize), b: (F, usize)) -> (F, usize) {
            (a.0 - b.0, a.1.max(b.1))
        }
        fn mul(&mut self, a: (F, usize), b: (F, usize)) -> (F, usize) {
            (a.0 * b.0, a.1 + b.1)
        }
        fn scale(&mut self, a: (F, usize), c: F) -> (F, usize) {
            (a.0 * c, a.1)
        }
        fn add_scaled(&mut self, acc: (F, usize), a: (F, usize), c: F) -> (F, usize) {
            (acc.0 + a.0 * c, acc.1.max(a.1))
        }
        fn constraint(&mut self, e: (F, usize)) {
            self.constraints.push(e);
        }
        fn constraint_transition(&mut self, _: (F, usize)) {
            unreachable!("the gadget has no transition constraints")
        }
        fn constraint_first_row(&mut self, _: (F, usize)) {
            unreachable!("the gadget has no boundary constraints")
        }
        fn constraint_last_row(&mut self, _: (F, usize)) {
            unreachable!("the gadget has no boundary constraints")
        }
    }

    fn cells(row: &[F; COLS]) -> Vec<(F, usize)> {
        row.iter().map(|&v| (v, 1)).collect()
    }

    /// `(value, degree)` of every constraint on `row` (each column has degree 1).
    fn probe(row: &[F; COLS]) -> Vec<(F, usize)> {
        let mut p = Probe::default();
        eval_row(&mut p, &cells(row));
        p.constraints
    }

    /// The same constraints with the naive partial rounds (a full MDS layer per round).
    fn probe_naive(row: &[F; COLS]) -> Vec<(F, usize)> {
        let cells = cells(row);
        let r = split(&cells);
        let b = &mut Probe::default();
        let mut state = r.input;
        for round in 0..N_ROUNDS {
            for (lane, s) in state.iter_mut().enumerate() {
                let c = b.constant(F::from_canonical_u64(ALL_ROUND_CONSTANTS[lane + W * round]));
                *s = b.add(*s, c);
            }
            for (lane, s) in state.iter_mut().enumerate().take(Round::of(round).lanes()) {
                *s = sbox(b, r.gadget, round, lane, *s);
            }
            state = mds(b, &state);
        }
        for (o, col) in state.into_iter().zip(r.output) {
            let d = b.sub(o, col);
            b.constraint(d);
        }
        std::mem::take(&mut b.constraints)
    }

    /// Indices of the constraints that do not hold on `row`.
    fn failing(row: &[F; COLS]) -> Vec<usize> {
        probe(row).iter().enumerate().filter(|(_, (v, _))| *v != F::ZERO).map(|(i, _)| i).collect()
    }

    /// True iff an honest prover accepts the trace and the verifier accepts the proof; a prover
    /// panic (unsatisfied constraints make the quotient not divisible by Z_H) counts as rejection.
    fn prove_and_verify(rows: Vec<[F; COLS]>) -> bool {
        let config = super::super::config::chunk_config();
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
        assert_eq!(POSEIDON_X7_COLS, 118);
        assert_eq!(POSEIDON_X7_COLS, N_FULL * W + N_PARTIAL_ROUNDS);
    }

    #[test]
    fn constraint_count_and_degrees() {
        let constraints = probe(&honest_rows()[0]);
        assert_eq!(constraints.len(), N_CONSTRAINTS);
        // The gadget's S-box constraints have degree 7; the returned output is affine (degree 1).
        assert!(constraints[..POSEIDON_X7_COLS].iter().all(|&(_, deg)| deg == 7));
        assert!(constraints[POSEIDON_X7_COLS..].iter().all(|&(_, deg)| deg == 1));
    }

    #[test]
    fn fast_partial_rounds_give_the_naive_constraints() {
        // On arbitrary cell values (not only honest rows) every constraint has the same value and degree in
        // both forms: the two are the same polynomials.
        for _ in 0..8 {
            let row: [F; COLS] = F::rand_vec(COLS).try_into().unwrap();
            assert_eq!(probe(&row), probe_naive(&row));
        }
        let honest = honest_rows()[0];
        assert_eq!(probe(&honest), probe_naive(&honest));
    }

    #[test]
    fn generation_matches_plonky2() {
        for _ in 0..ROWS {
            let input = F::rand_array();
            let row = row_of(input);
            assert_eq!(split(&row).output, F::poseidon(input));
            assert_eq!(split(&row).output, F::poseidon_naive(input));
        }
        assert_eq!(split(&row_of([F::ZERO; W])).output, F::poseidon([F::ZERO; W]));
    }

    #[test]
    #[should_panic(expected = "exactly POSEIDON_X7_COLS")]
    fn borrow_checks_length() {
        let row = [F::ZERO; POSEIDON_X7_COLS + 1];
        let _: &PoseidonX7Cols<F> = row[..].borrow();
    }

    #[test]
    fn honest_rows_satisfy_constraints() {
        for row in honest_rows() {
            assert!(failing(&row).is_empty());
        }
    }

    #[test]
    fn declared_degree_is_seven() {
        test_stark_low_degree(S::default()).unwrap();
    }

    #[test]
    fn degree_six_is_not_enough() {
        // The same constraints declared with degree 6 fail starky's low-degree test: they really have degree 7.
        assert!(test_stark_low_degree(X7TestStark::<F, D, 6>::default()).is_err());
    }

    #[test]
    fn circuit_matches_native() {
        test_stark_circuit_constraints::<F, C, S, D>(S::default()).unwrap();
    }

    #[test]
    fn prove_verify_honest() {
        assert!(prove_and_verify(honest_rows()));
    }

    /// Corrupting the given cell of row 3 breaks a constraint and the proof is rejected; returns
    /// the indices of the failing constraints.
    fn assert_tamper_rejected(tamper: impl Fn(&mut [F; COLS])) -> Vec<usize> {
        let mut rows = honest_rows();
        tamper(&mut rows[3]);
        let failing = failing(&rows[3]);
        assert!(!failing.is_empty());
        assert!(!prove_and_verify(rows));
        failing
    }

    #[test]
    fn tampered_input_rejected() {
        // The first constraint is `(input[0] + c)^7 - full_x7[0][0]`.
        assert_eq!(assert_tamper_rejected(|r| r[0] += F::ONE)[0], 0);
    }

    #[test]
    fn tampered_full_sbox_rejected() {
        // Round 2, lane 5: 2 * 12 constraints precede round 2.
        assert_eq!(assert_tamper_rejected(|r| gadget_mut(r).full_x7[2][5] += F::ONE)[0], 2 * W + 5);
    }

    #[test]
    fn tampered_partial_sbox_rejected() {
        // Partial round 10 follows the 4 first full rounds and 10 partial rounds.
        let failing = assert_tamper_rejected(|r| gadget_mut(r).partial_x7[10] += F::ONE);
        assert_eq!(failing[0], HALF_N_FULL_ROUNDS * W + 10);
    }

    #[test]
    fn tampered_last_round_rejected() {
        // The last round's columns feed only the returned output.
        let failing = assert_tamper_rejected(|r| gadget_mut(r).full_x7[N_FULL - 1][0] += F::ONE);
        assert_eq!(failing[0], POSEIDON_X7_COLS - W);
        assert!(failing.iter().any(|&i| i >= POSEIDON_X7_COLS));
    }

    #[test]
    fn tampered_output_rejected() {
        // Only the output equality of lane 7 fails.
        assert_eq!(assert_tamper_rejected(|r| r[W + POSEIDON_X7_COLS + 7] += F::ONE), vec![N_CONSTRAINTS - W + 7]);
    }

    #[test]
    fn garbage_row_rejected() {
        // No filter: a row of random values anywhere in the trace is rejected.
        let mut rows = honest_rows();
        rows[ROWS - 1].copy_from_slice(&F::rand_vec(COLS));
        assert!(!failing(&rows[ROWS - 1]).is_empty());
        assert!(!prove_and_verify(rows));
    }
}
