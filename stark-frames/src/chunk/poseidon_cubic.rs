//! AIR gadget proving one plonky2 Poseidon permutation (width 12, Goldilocks) per trace row,
//! **without a filter**, with constraints of degree <= 3.
//!
//! The gadget constrains `output == <F as Poseidon>::poseidon(input)`, i.e. exactly the permutation
//! behind plonky2's `PoseidonHash`: 4 full rounds, 22 partial rounds, 4 full rounds, each round being
//! `constant_layer` (`ALL_ROUND_CONSTANTS`), the S-box `x^7` (all 12 lanes in full rounds, lane 0
//! in partial rounds) and `mds_layer` (`MDS_MATRIX_CIRC` + `MDS_MATRIX_DIAG`). The partial rounds
//! are evaluated in plonky2's fast form (`partial_rounds`: a sparse matrix per round), which has the
//! same lane-0 S-box inputs and the same final state as the naive form (`partial_rounds_naive`, a full
//! MDS layer per round), so the constraint polynomials are those of the naive form; the recursive
//! verifier's evaluation is about 2.5 times smaller. All constants are read from plonky2, none are
//! copied here.
//!
//! Unlike a filtered gadget (the first chunk design's, which needed 4 columns per S-box so that
//! `filter * constraint` stayed degree 3), no constraint is multiplied by a filter: every row of the trace
//! must hold a valid permutation (an AIR using this gadget fills its unused rows with the
//! permutation of any input, e.g. by calling [`generate`] on zeros).
//!
//! # Degree and column scheme
//! Every constraint has degree <= 3 in the columns (and 3 is reached). An S-box input `x` is always
//! an affine function of columns (the previous round's S-box output columns pass through the linear
//! constant and MDS layers), and `x^7` is obtained with two columns per S-box:
//! `x3 = x^3` (constraint `x*x*x - x3`) and `x7 = x3*x3*x` (constraint `x3*x3*x - x7`).
//! One column cannot suffice: a degree-3 polynomial relation between an affine `x` and a single
//! column cannot force that column to be `x^7` (nor can `x^7` be a degree-3 expression of `x`
//! alone), and the `x7` column is needed because the next S-box input must be affine again.
//! Only in the last full round, whose S-box outputs feed nothing but the final MDS layer, the S-box
//! output `x3*x3*x` stays a degree-3 expression and `output - MDS(x3*x3*x, ...) = 0` is a degree-3
//! constraint (saving 12 columns). Lanes 1..11 of partial rounds need no columns at all (they stay
//! affine).
//!
//! Columns: 12 input, 8*12 (x3 of full rounds), 7*12 (x7 of the first 7 full rounds), 22*2
//! (x3 and x7 of partial rounds) and 12 output, **248** in total. Constraints: 8*12 + 7*12 + 22*2 +
//! 12 = **236** (see [`eval_generic`] for their order), all of the form `a*b*c - d` or `affine - d`.

use core::borrow::{Borrow, BorrowMut};
use core::mem::size_of;

use plonky2::hash::hash_types::RichField;
use plonky2::hash::poseidon::{ALL_ROUND_CONSTANTS, HALF_N_FULL_ROUNDS, N_PARTIAL_ROUNDS, N_ROUNDS};

/// Width of the Poseidon state.
const W: usize = plonky2::hash::poseidon::SPONGE_WIDTH;
/// Total number of full rounds.
const N_FULL: usize = 2 * HALF_N_FULL_ROUNDS;

/// Columns of one Poseidon permutation. Every field is (an array of) `T`, so with `#[repr(C)]` the
/// struct is exactly [`POSEIDON_CUBIC_COLS`] consecutive `T`s and can be viewed from a trace-row
/// slice.
///
/// Full round `f` (0..8) is plonky2 round `f` for `f < 4` and round `f + 22` otherwise; partial
/// round `p` (0..22) is plonky2 round `p + 4`. For an S-box input `x` (the lane value after the
/// round's constant layer) the columns hold `x^3` and `x^7` (no `x^7` in the last full round).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoseidonCubicCols<T> {
    /// The permutation input state.
    pub input: [T; W],
    /// `full_x3[f][i]`: cube of the S-box input of lane `i` in full round `f`.
    pub full_x3: [[T; W]; N_FULL],
    /// `full_x7[f][i]`: S-box output of lane `i` in full round `f`, for all full rounds but the last.
    pub full_x7: [[T; W]; N_FULL - 1],
    /// `partial_x3[p]`: cube of the S-box input (lane 0) of partial round `p`.
    pub partial_x3: [T; N_PARTIAL_ROUNDS],
    /// `partial_x7[p]`: S-box output (lane 0) of partial round `p`.
    pub partial_x7: [T; N_PARTIAL_ROUNDS],
    /// The permutation output state; constrained to equal `F::poseidon(input)` on every row.
    pub output: [T; W],
}

/// Number of columns of [`PoseidonCubicCols`] (248): `size_of::<PoseidonCubicCols<u8>>()`.
pub const POSEIDON_CUBIC_COLS: usize = size_of::<PoseidonCubicCols<u8>>();

const _: () = assert!(POSEIDON_CUBIC_COLS == 248);

impl<T> Borrow<PoseidonCubicCols<T>> for [T] {
    /// Views a slice of exactly [`POSEIDON_CUBIC_COLS`] elements as columns; panics on any other
    /// length.
    fn borrow(&self) -> &PoseidonCubicCols<T> {
        assert_eq!(self.len(), POSEIDON_CUBIC_COLS, "PoseidonCubicCols needs exactly POSEIDON_CUBIC_COLS elements");
        assert_eq!(size_of::<PoseidonCubicCols<T>>(), POSEIDON_CUBIC_COLS * size_of::<T>());
        // SAFETY: `PoseidonCubicCols<T>` is `#[repr(C)]` and made only of arrays of `T`, so it has the
        // alignment of `T` and the layout of `[T; POSEIDON_CUBIC_COLS]`; the length was checked above.
        unsafe { &*self.as_ptr().cast::<PoseidonCubicCols<T>>() }
    }
}

impl<T> BorrowMut<PoseidonCubicCols<T>> for [T] {
    /// Mutable view of a slice of exactly [`POSEIDON_CUBIC_COLS`] elements; panics on any other
    /// length.
    fn borrow_mut(&mut self) -> &mut PoseidonCubicCols<T> {
        assert_eq!(self.len(), POSEIDON_CUBIC_COLS, "PoseidonCubicCols needs exactly POSEIDON_CUBIC_COLS elements");
        assert_eq!(size_of::<PoseidonCubicCols<T>>(), POSEIDON_CUBIC_COLS * size_of::<T>());
        // SAFETY: as in `borrow`; the exclusive borrow of the slice is carried over.
        unsafe { &mut *self.as_mut_ptr().cast::<PoseidonCubicCols<T>>() }
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

impl<T: Copy> PoseidonCubicCols<T> {
    /// `(x3, x7)` of lane `lane` in round `r`; `x7` is `None` in the last full round.
    fn sbox(&self, r: usize, lane: usize) -> (T, Option<T>) {
        match Round::of(r) {
            Round::Full(f) => (self.full_x3[f][lane], self.full_x7.get(f).map(|row| row[lane])),
            Round::Partial(p) => (self.partial_x3[p], Some(self.partial_x7[p])),
        }
    }

    /// Writes the S-box columns of lane `lane` in round `r` (`x7` is dropped in the last full round).
    fn set_sbox(&mut self, r: usize, lane: usize, x3: T, x7: T) {
        match Round::of(r) {
            Round::Full(f) => {
                self.full_x3[f][lane] = x3;
                if let Some(row) = self.full_x7.get_mut(f) {
                    row[lane] = x7;
                }
            }
            Round::Partial(p) => {
                self.partial_x3[p] = x3;
                self.partial_x7[p] = x7;
            }
        }
    }
}

/// Fills every column of `cols` from `input`. Guarantees that all constraints of [`eval_generic`]
/// hold on this row and that `cols.output == F::poseidon(input)` (debug-asserted).
pub fn generate<F: RichField>(cols: &mut PoseidonCubicCols<F>, input: [F; W]) {
    cols.input = input;
    let mut state = input;
    for r in 0..N_ROUNDS {
        F::constant_layer(&mut state, r);
        for (lane, s) in state.iter_mut().enumerate().take(Round::of(r).lanes()) {
            let x = *s;
            let x3 = x.square() * x;
            let x7 = x3.square() * x;
            cols.set_sbox(r, lane, x3, x7);
            *s = x7;
        }
        state = F::mds_layer(&state);
    }
    cols.output = state;
    debug_assert_eq!(state, F::poseidon(input));
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

/// Emits, unconditionally (on every row), the 236 constraints that hold iff every internal column
/// is as [`generate`] sets it and `output == F::poseidon(input)`. Every constraint has degree <= 3
/// in the columns. Order: for each plonky2 round and each S-box lane, `x*x*x - x3` then (except in
/// the last full round) `x3*x3*x - x7`; finally the 12 `MDS(last S-box outputs) - output`.
///
/// Written once against the [`Constraints`](super::expr::Constraints) language, so the native,
/// recursive and diagnostic evaluations agree.
pub fn eval_generic<F: RichField, B: super::expr::Constraints<F>>(b: &mut B, cols: &PoseidonCubicCols<B::Expr>) {
    let mut state = cols.input;
    for r in 0..HALF_N_FULL_ROUNDS {
        state = full_round(b, cols, state, r);
    }
    state = partial_rounds_fast(b, cols, state);
    for r in HALF_N_FULL_ROUNDS + N_PARTIAL_ROUNDS..N_ROUNDS {
        state = full_round(b, cols, state, r);
    }
    for (s, o) in state.into_iter().zip(cols.output) {
        let d = b.sub(s, o);
        b.constraint(d);
    }
}

/// Emits the S-box constraints of `lane` in round `r` for the S-box input `x` (affine in the columns), and
/// returns the S-box output: the `x7` column, or in the last full round the degree-3 expression `x3 * x3 * x`.
fn sbox<F: RichField, B: super::expr::Constraints<F>>(
    b: &mut B,
    cols: &PoseidonCubicCols<B::Expr>,
    r: usize,
    lane: usize,
    x: B::Expr,
) -> B::Expr {
    let (x3, x7) = cols.sbox(r, lane);
    let xx = b.mul(x, x);
    let xxx = b.mul(xx, x);
    let d = b.sub(xxx, x3);
    b.constraint(d);
    let x6 = b.mul(x3, x3);
    let sbox_out = b.mul(x6, x);
    match x7 {
        Some(x7) => {
            let d = b.sub(sbox_out, x7);
            b.constraint(d);
            x7
        }
        None => sbox_out,
    }
}

/// Full round `r`: constant layer, S-boxes on all lanes, MDS layer.
fn full_round<F: RichField, B: super::expr::Constraints<F>>(
    b: &mut B,
    cols: &PoseidonCubicCols<B::Expr>,
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
    cols: &PoseidonCubicCols<B::Expr>,
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
    use starky::config::StarkConfig;
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
    const COLS: usize = POSEIDON_CUBIC_COLS;
    const ROWS: usize = 32;
    /// Number of constraints emitted by [`eval_generic`].
    const N_CONSTRAINTS: usize = N_FULL * W + (N_FULL - 1) * W + 2 * N_PARTIAL_ROUNDS + W;

    /// One permutation per row, no filter; `DEG` is the declared constraint degree.
    #[derive(Clone, Copy, Default)]
    struct CubicTestStark<F, const D: usize, const DEG: usize>(PhantomData<F>);

    impl<F: RichField + Extendable<D>, const D: usize, const DEG: usize> Stark<F, D> for CubicTestStark<F, D, DEG> {
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
            eval_generic::<F, _>(&mut Native::<P, FE, D2>::new(yield_constr), local.borrow());
        }

        fn eval_ext_circuit(
            &self,
            builder: &mut CircuitBuilder<F, D>,
            vars: &Self::EvaluationFrameTarget,
            yield_constr: &mut RecursiveConstraintConsumer<F, D>,
        ) {
            let local = vars.get_local_values();
            eval_generic::<F, _>(&mut Circuit::new(builder, yield_constr), local.borrow());
        }

        fn constraint_degree(&self) -> usize {
            DEG
        }
    }

    type S = CubicTestStark<F, D, 3>;

    /// Every row is the permutation of a random input.
    fn honest_rows() -> Vec<[F; COLS]> {
        (0..ROWS)
            .map(|_| {
                let mut row = [F::ZERO; COLS];
                generate(row[..].borrow_mut(), F::rand_array());
                row
            })
            .collect()
    }

    fn cols_mut(row: &mut [F; COLS]) -> &mut PoseidonCubicCols<F> {
        row[..].borrow_mut()
    }

    /// Random linear combination of all constraints of one row (0 iff all hold, w.h.p.).
    fn row_eval(row: &[F; COLS]) -> F {
        let mut consumer = ConstraintConsumer::<F>::new(vec![F::rand()], F::ONE, F::ZERO, F::ZERO);
        eval_generic::<F, _>(&mut Native::<F, F, 1>::new(&mut consumer), row[..].borrow());
        consumer.accumulators()[0]
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

    /// `(value, degree)` of every constraint on `row` (each column has degree 1).
    fn probe(row: &[F; COLS]) -> Vec<(F, usize)> {
        let cells: Vec<(F, usize)> = row.iter().map(|&v| (v, 1)).collect();
        let mut p = Probe::default();
        eval_generic::<F, _>(&mut p, cells[..].borrow());
        p.constraints
    }

    /// Indices of the constraints that do not hold on `row`.
    fn failing(row: &[F; COLS]) -> Vec<usize> {
        probe(row).iter().enumerate().filter(|(_, (v, _))| *v != F::ZERO).map(|(i, _)| i).collect()
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

    /// The constraints written with the naive partial rounds (a full MDS layer per round).
    fn probe_naive(row: &[F; COLS]) -> Vec<(F, usize)> {
        let cells: Vec<(F, usize)> = row.iter().map(|&v| (v, 1)).collect();
        let cols: &PoseidonCubicCols<(F, usize)> = cells[..].borrow();
        let b = &mut Probe::default();
        let mut state = cols.input;
        for r in 0..N_ROUNDS {
            for (lane, s) in state.iter_mut().enumerate() {
                let c = b.constant(F::from_canonical_u64(ALL_ROUND_CONSTANTS[lane + W * r]));
                *s = b.add(*s, c);
            }
            for (lane, s) in state.iter_mut().enumerate().take(Round::of(r).lanes()) {
                *s = sbox(b, cols, r, lane, *s);
            }
            state = mds(b, &state);
        }
        for (s, o) in state.into_iter().zip(cols.output) {
            let d = b.sub(s, o);
            b.constraint(d);
        }
        std::mem::take(&mut b.constraints)
    }

    #[test]
    fn fast_partial_rounds_give_the_naive_constraints() {
        // On arbitrary cell values (not only honest rows) every constraint has the same value and degree in
        // both forms: the two are the same polynomials.
        for _ in 0..8 {
            let row: [F; COLS] = F::rand_vec(COLS).try_into().unwrap();
            assert_eq!(probe(&row), probe_naive(&row));
        }
        assert_eq!(probe(&honest_rows()[0]), probe_naive(&honest_rows()[0]));
    }

    #[test]
    fn column_count() {
        assert_eq!(POSEIDON_CUBIC_COLS, 248);
        assert_eq!(POSEIDON_CUBIC_COLS, W + N_FULL * W + (N_FULL - 1) * W + 2 * N_PARTIAL_ROUNDS + W);
    }

    #[test]
    fn constraint_count_and_degrees() {
        let row = honest_rows()[0];
        let constraints = probe(&row);
        assert_eq!(constraints.len(), N_CONSTRAINTS);
        assert_eq!(N_CONSTRAINTS, 236);
        assert!(constraints.iter().all(|&(_, deg)| deg <= 3));
        // Every S-box constraint and every output constraint reaches degree 3.
        assert!(constraints.iter().all(|&(_, deg)| deg == 3));
    }

    #[test]
    fn generation_matches_plonky2() {
        for _ in 0..ROWS {
            let input = F::rand_array();
            let mut row = [F::ZERO; COLS];
            let cols: &mut PoseidonCubicCols<F> = row[..].borrow_mut();
            generate(cols, input);
            assert_eq!(cols.input, input);
            assert_eq!(cols.output, F::poseidon(input));
            assert_eq!(cols.output, F::poseidon_naive(input));
            let cols: &PoseidonCubicCols<F> = row[..].borrow();
            assert_eq!(cols.output, F::poseidon(input));
        }
        // Also the fixed input used to pad unused rows.
        let mut row = [F::ZERO; COLS];
        generate(cols_mut(&mut row), [F::ZERO; W]);
        assert_eq!(cols_mut(&mut row).output, F::poseidon([F::ZERO; W]));
    }

    #[test]
    #[should_panic(expected = "exactly POSEIDON_CUBIC_COLS")]
    fn borrow_checks_length() {
        let row = [F::ZERO; COLS + 1];
        let _: &PoseidonCubicCols<F> = row[..].borrow();
    }

    #[test]
    fn honest_rows_satisfy_constraints() {
        for row in honest_rows() {
            assert_eq!(row_eval(&row), F::ZERO);
            assert!(failing(&row).is_empty());
        }
    }

    #[test]
    fn declared_degree_is_three() {
        assert_eq!(Stark::<F, D>::constraint_degree(&S::default()), 3);
        test_stark_low_degree(S::default()).unwrap();
    }

    #[test]
    fn degree_two_is_not_enough() {
        // The same constraints declared with degree 2 fail starky's low-degree test: the
        // constraints really have degree 3.
        assert!(test_stark_low_degree(CubicTestStark::<F, D, 2>::default()).is_err());
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
    fn assert_tamper_rejected(tamper: impl Fn(&mut PoseidonCubicCols<F>)) -> Vec<usize> {
        let mut rows = honest_rows();
        tamper(cols_mut(&mut rows[3]));
        assert_ne!(row_eval(&rows[3]), F::ZERO);
        let failing = failing(&rows[3]);
        assert!(!failing.is_empty());
        assert!(!prove_and_verify(rows));
        failing
    }

    #[test]
    fn tampered_input_rejected() {
        // The first constraint is `(input[0] + c)^3 - full_x3[0][0]`.
        assert_eq!(assert_tamper_rejected(|c| c.input[0] += F::ONE)[0], 0);
    }

    #[test]
    fn tampered_full_sbox_rejected() {
        // Round 2: 2 * 24 constraints precede it; lane 5's x3 constraint is the 11th of the round.
        assert_eq!(assert_tamper_rejected(|c| c.full_x3[2][5] += F::ONE)[0], 2 * 2 * W + 2 * 5);
    }

    #[test]
    fn tampered_full_x7_rejected() {
        assert_tamper_rejected(|c| c.full_x7[6][11] += F::ONE);
    }

    #[test]
    fn tampered_partial_sbox_rejected() {
        // Partial round 10's x7 constraint follows the 4 first full rounds and 10 partial rounds.
        let failing = assert_tamper_rejected(|c| c.partial_x7[10] += F::ONE);
        assert_eq!(failing[0], HALF_N_FULL_ROUNDS * 2 * W + 10 * 2 + 1);
    }

    #[test]
    fn tampered_partial_x3_rejected() {
        assert_tamper_rejected(|c| c.partial_x3[0] += F::ONE);
    }

    #[test]
    fn tampered_output_rejected() {
        // Only the output constraint of lane 7 fails.
        assert_eq!(assert_tamper_rejected(|c| c.output[7] += F::ONE), vec![N_CONSTRAINTS - W + 7]);
    }

    #[test]
    fn tampered_last_round_rejected() {
        // The last full round has no x7 column: its x3 feeds the output constraints directly.
        let failing = assert_tamper_rejected(|c| c.full_x3[N_FULL - 1][0] += F::ONE);
        assert!(failing.iter().any(|&i| i >= N_CONSTRAINTS - W));
    }

    #[test]
    fn garbage_row_rejected() {
        // No filter: a row of random values anywhere in the trace is rejected.
        let mut rows = honest_rows();
        rows[ROWS - 1].copy_from_slice(&F::rand_vec(COLS));
        assert_ne!(row_eval(&rows[ROWS - 1]), F::ZERO);
        assert!(!prove_and_verify(rows));
    }
}
