//! One constraint language for both evaluation contexts.
//!
//! starky needs every constraint twice: natively over packed fields (prover and
//! verifier) and as plonky2 circuit gates (the recursive verifier), in the same
//! order. [`Constraints`] abstracts the arithmetic so each AIR rule is written
//! once, generically, and both evaluations agree by construction
//! (`test_stark_circuit_constraints` checks it).

use std::marker::PhantomData;

use plonky2::field::extension::{Extendable, FieldExtension};
use plonky2::field::packed::PackedField;
use plonky2::hash::hash_types::RichField;
use plonky2::iop::ext_target::ExtensionTarget;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use starky::constraint_consumer::{ConstraintConsumer, RecursiveConstraintConsumer};

use super::shared_sums::SharedSums;

/// Arithmetic on constraint expressions plus the four ways to emit a constraint.
pub trait Constraints<F: RichField> {
    /// An expression: a packed field value, or a circuit target.
    type Expr: Copy;
    /// The constant `c`.
    fn constant(&mut self, c: F) -> Self::Expr;
    /// `a + b`.
    fn add(&mut self, a: Self::Expr, b: Self::Expr) -> Self::Expr;
    /// `a - b`.
    fn sub(&mut self, a: Self::Expr, b: Self::Expr) -> Self::Expr;
    /// `a * b`.
    fn mul(&mut self, a: Self::Expr, b: Self::Expr) -> Self::Expr;
    /// `a * c` for a constant `c`.
    fn scale(&mut self, a: Self::Expr, c: F) -> Self::Expr;
    /// `acc + a * c` for a constant `c`.
    fn add_scaled(&mut self, acc: Self::Expr, a: Self::Expr, c: F) -> Self::Expr;
    /// `e = 0` on every row.
    fn constraint(&mut self, e: Self::Expr);
    /// `e = 0` on every row but the last (may use next-row values).
    fn constraint_transition(&mut self, e: Self::Expr);
    /// `e = 0` on the first row.
    fn constraint_first_row(&mut self, e: Self::Expr);
    /// `e = 0` on the last row.
    fn constraint_last_row(&mut self, e: Self::Expr);

    /// `sel * e = 0` on every row: `e` holds where the selector is 1.
    fn constraint_where(&mut self, sel: Self::Expr, e: Self::Expr) {
        let e = self.mul(sel, e);
        self.constraint(e);
    }
    /// The constant `c` given as a signed integer.
    fn int(&mut self, c: i64) -> Self::Expr {
        self.constant(F::from_noncanonical_i64(c))
    }
    /// `sum c_i x_i + k` for constant coefficients.
    fn lin(&mut self, terms: &[(Self::Expr, i64)], k: i64) -> Self::Expr {
        let mut acc = self.int(k);
        for &(x, c) in terms {
            acc = self.add_scaled(acc, x, F::from_noncanonical_i64(c));
        }
        acc
    }
    /// `sum_n rows[r][n] x[n]` for every row `r` of a constant matrix.
    ///
    /// Evaluates exactly the linear forms `lin` would; backends may share work between rows.
    fn const_matrix_times<const N: usize>(&mut self, rows: &[&[i64; N]], xs: &[Self::Expr; N]) -> Vec<Self::Expr> {
        rows.iter()
            .map(|row| {
                let terms: Vec<(Self::Expr, i64)> = xs.iter().copied().zip(row.iter().copied()).collect();
                self.lin(&terms, 0)
            })
            .collect()
    }
    /// `sum x_i`.
    fn sum(&mut self, xs: &[Self::Expr]) -> Self::Expr {
        let mut acc = self.int(0);
        for &x in xs {
            acc = self.add(acc, x);
        }
        acc
    }
}

/// Native evaluation over packed fields, feeding a [`ConstraintConsumer`].
pub struct Native<'a, P: PackedField, FE, const D2: usize> {
    yc: &'a mut ConstraintConsumer<P>,
    _fe: PhantomData<FE>,
}

impl<'a, P: PackedField, FE, const D2: usize> Native<'a, P, FE, D2> {
    /// Wraps the consumer of one evaluation.
    pub fn new(yc: &'a mut ConstraintConsumer<P>) -> Self {
        Self { yc, _fe: PhantomData }
    }
}

impl<F, FE, P, const D2: usize> Constraints<F> for Native<'_, P, FE, D2>
where
    F: RichField,
    FE: FieldExtension<D2, BaseField = F>,
    P: PackedField<Scalar = FE>,
{
    type Expr = P;
    fn constant(&mut self, c: F) -> P {
        P::from(FE::from_basefield(c))
    }
    fn add(&mut self, a: P, b: P) -> P {
        a + b
    }
    fn sub(&mut self, a: P, b: P) -> P {
        a - b
    }
    fn mul(&mut self, a: P, b: P) -> P {
        a * b
    }
    fn scale(&mut self, a: P, c: F) -> P {
        a * FE::from_basefield(c)
    }
    fn add_scaled(&mut self, acc: P, a: P, c: F) -> P {
        acc + a * FE::from_basefield(c)
    }
    fn constraint(&mut self, e: P) {
        self.yc.constraint(e)
    }
    fn constraint_transition(&mut self, e: P) {
        self.yc.constraint_transition(e)
    }
    fn constraint_first_row(&mut self, e: P) {
        self.yc.constraint_first_row(e)
    }
    fn constraint_last_row(&mut self, e: P) {
        self.yc.constraint_last_row(e)
    }
}

/// Evaluation as plonky2 gates, for the recursive verifier.
pub struct Circuit<'a, F: RichField + Extendable<D>, const D: usize> {
    builder: &'a mut CircuitBuilder<F, D>,
    yc: &'a mut RecursiveConstraintConsumer<F, D>,
}

impl<'a, F: RichField + Extendable<D>, const D: usize> Circuit<'a, F, D> {
    /// Wraps a builder and the recursive consumer of one evaluation.
    pub fn new(builder: &'a mut CircuitBuilder<F, D>, yc: &'a mut RecursiveConstraintConsumer<F, D>) -> Self {
        Self { builder, yc }
    }
}

impl<F: RichField + Extendable<D>, const D: usize> Constraints<F> for Circuit<'_, F, D> {
    type Expr = ExtensionTarget<D>;
    fn constant(&mut self, c: F) -> ExtensionTarget<D> {
        self.builder.constant_extension(F::Extension::from_basefield(c))
    }
    fn add(&mut self, a: ExtensionTarget<D>, b: ExtensionTarget<D>) -> ExtensionTarget<D> {
        self.builder.add_extension(a, b)
    }
    fn sub(&mut self, a: ExtensionTarget<D>, b: ExtensionTarget<D>) -> ExtensionTarget<D> {
        self.builder.sub_extension(a, b)
    }
    fn mul(&mut self, a: ExtensionTarget<D>, b: ExtensionTarget<D>) -> ExtensionTarget<D> {
        self.builder.mul_extension(a, b)
    }
    fn scale(&mut self, a: ExtensionTarget<D>, c: F) -> ExtensionTarget<D> {
        let (one, zero) = (self.builder.one_extension(), self.builder.zero_extension());
        self.builder.arithmetic_extension(c, F::ZERO, one, a, zero)
    }
    fn add_scaled(&mut self, acc: ExtensionTarget<D>, a: ExtensionTarget<D>, c: F) -> ExtensionTarget<D> {
        if c == F::ZERO {
            return acc;
        }
        // c * 1 * a + 1 * acc in one arithmetic operation.
        let one = self.builder.one_extension();
        self.builder.arithmetic_extension(c, F::ONE, one, a, acc)
    }
    /// Shares products and partial sums between rows (`shared_sums.rs`): for the windowed DFT, a few
    /// thousand gates per evaluation instead of one gate per matrix entry (206 000).
    fn const_matrix_times<const N: usize>(
        &mut self,
        rows: &[&[i64; N]],
        xs: &[ExtensionTarget<D>; N],
    ) -> Vec<ExtensionTarget<D>> {
        let mut shared = SharedSums::new(self.builder, xs);
        rows.iter().map(|row| shared.row(row)).collect()
    }
    fn constraint(&mut self, e: ExtensionTarget<D>) {
        self.yc.constraint(self.builder, e)
    }
    fn constraint_transition(&mut self, e: ExtensionTarget<D>) {
        self.yc.constraint_transition(self.builder, e)
    }
    fn constraint_first_row(&mut self, e: ExtensionTarget<D>) {
        self.yc.constraint_first_row(self.builder, e)
    }
    fn constraint_last_row(&mut self, e: ExtensionTarget<D>) {
        self.yc.constraint_last_row(self.builder, e)
    }
}
