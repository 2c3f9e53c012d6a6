//! Many constant linear forms of the same inputs as few plonky2 gates: the recursive verifier's evaluation
//! of `sum_n rows[r][n] x[n]` for every row (the 514 spectrum sums).
//!
//! A plonky2 arithmetic operation with a constant needs a gate of its own unless another operation uses the
//! same constant, so the naive evaluation takes one gate per matrix entry. Here:
//!
//! - **products** `|c| x[n]` are made once per column and distinct magnitude (the DFT kernel has about 130
//!   per column, and columns `n`, `399 - n` share the window). The magnitude is a constant *wire*
//!   (`CircuitBuilder::constant`, deduplicated by value, `num_constants` of them per `ConstantGate` row), so
//!   the products are plain multiplications, thirteen to a gate, instead of one gate per distinct constant;
//! - **partial sums** are split by column residue: the sum over the columns `n = a (mod 2^j)` is the sum of
//!   the two classes mod `2^(j+1)`, and each class sum is memoised by its coefficient vector up to sign.
//!   For the DFT this finds the exact sign symmetries (`K[256-k][n] = +-(-1)^n K[k][n]`, and so on down the
//!   levels), so rows share most of their additions, as in an FFT, with no rounding of twiddles involved;
//! - additions and subtractions use the constants `+-1`, so ten share a gate.
//!
//! The result is the same value as the naive sum (a rearrangement of exact field arithmetic).

use std::collections::HashMap;

use plonky2::field::extension::Extendable;
use plonky2::hash::hash_types::RichField;
use plonky2::iop::ext_target::ExtensionTarget;
use plonky2::plonk::circuit_builder::CircuitBuilder;

/// A memoised class sum `e = sum c' x` with `c'` the class's coefficients times `sign`, so the class sum
/// itself is `sign * e`.
#[derive(Clone, Copy)]
struct Signed<const D: usize> {
    e: ExtensionTarget<D>,
    sign: i64,
}

/// The evaluator for one matrix and one input vector.
pub(crate) struct SharedSums<'a, F: RichField + Extendable<D>, const D: usize, const N: usize> {
    builder: &'a mut CircuitBuilder<F, D>,
    xs: &'a [ExtensionTarget<D>; N],
    products: HashMap<(usize, u64), ExtensionTarget<D>>,
    classes: HashMap<(u32, usize, Vec<i64>), ExtensionTarget<D>>,
}

impl<'a, F: RichField + Extendable<D>, const D: usize, const N: usize> SharedSums<'a, F, D, N> {
    /// An evaluator over the inputs `xs`.
    pub(crate) fn new(builder: &'a mut CircuitBuilder<F, D>, xs: &'a [ExtensionTarget<D>; N]) -> Self {
        Self { builder, xs, products: HashMap::new(), classes: HashMap::new() }
    }

    /// `sum_n row[n] x[n]`.
    pub(crate) fn row(&mut self, row: &[i64; N]) -> ExtensionTarget<D> {
        match self.class(row, 0, 0) {
            None => self.builder.zero_extension(),
            Some(Signed { e, sign: 1 }) => e,
            Some(Signed { e, .. }) => {
                let zero = self.builder.zero_extension();
                self.builder.sub_extension(zero, e)
            }
        }
    }

    /// The sum over the columns `n = class (mod 2^level)`; `None` when all their coefficients are 0.
    fn class(&mut self, row: &[i64; N], level: u32, class: usize) -> Option<Signed<D>> {
        let stride = 1usize << level;
        let coeffs: Vec<i64> = (class..N).step_by(stride).map(|n| row[n]).collect();
        let first = *coeffs.iter().find(|&&c| c != 0)?;
        if coeffs.len() == 1 {
            return Some(Signed { e: self.product(class, first.unsigned_abs()), sign: first.signum() });
        }
        let sign = first.signum();
        let key: Vec<i64> = coeffs.iter().map(|c| c * sign).collect();
        if let Some(&e) = self.classes.get(&(level, class, key.clone())) {
            return Some(Signed { e, sign });
        }
        let low = self.class(row, level + 1, class);
        let high = self.class(row, level + 1, class + stride);
        // e = sign * (class sum) = sign * (low.sign * low.e + high.sign * high.e).
        let e = match (low, high) {
            (Some(l), Some(h)) => {
                let one = self.builder.one_extension();
                let (cl, ch) = (F::from_noncanonical_i64(sign * l.sign), F::from_noncanonical_i64(sign * h.sign));
                self.builder.arithmetic_extension(cl, ch, l.e, one, h.e)
            }
            (Some(only), None) | (None, Some(only)) => {
                if sign * only.sign == 1 {
                    only.e
                } else {
                    let zero = self.builder.zero_extension();
                    self.builder.sub_extension(zero, only.e)
                }
            }
            (None, None) => unreachable!("a class with a nonzero coefficient has a nonzero half"),
        };
        self.classes.insert((level, class, key), e);
        Some(Signed { e, sign })
    }

    /// `magnitude * x[n]`, made once.
    fn product(&mut self, n: usize, magnitude: u64) -> ExtensionTarget<D> {
        if let Some(&p) = self.products.get(&(n, magnitude)) {
            return p;
        }
        let c = self.builder.constant(F::from_canonical_u64(magnitude));
        let p = self.builder.scalar_mul_ext(c, self.xs[n]);
        self.products.insert((n, magnitude), p);
        p
    }
}
