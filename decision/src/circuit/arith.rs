//! Integer arithmetic by bounds on signed values held in field elements.
//!
//! Every gadget states the bit widths it relies on and asserts (at build time) that no product or sum of the
//! checked equation can reach `p / 2`, so each equation holds over the integers and its range checks make the
//! result unique: a prover cannot shift a quotient by a multiple of `p / d`.

use plonky2::field::extension::Extendable;
use plonky2::hash::hash_types::RichField;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::plonk::circuit_builder::CircuitBuilder;

use super::hints::{element, Hint, HintOp};

/// Bits below which every checked equation stays: `2^62 < p / 2`.
const SAFE_BITS: usize = 62;

/// Integer gadgets on a [`CircuitBuilder`].
pub trait IntArith<F: RichField + Extendable<D>, const D: usize> {
    /// Checks `0 <= x < 2^bits`.
    fn nonneg(&mut self, x: Target, bits: usize);
    /// Checks `-2^bits <= x < 2^bits`.
    fn signed_range(&mut self, x: Target, bits: usize);
    /// `q = round(a / d)` (half up) for `|a| < 2^a_bits`, `1 <= d < 2^d_bits` and a quotient known to satisfy
    /// `|q| < 2^q_bits`; checks `2a + d = 2dq + r` with `0 <= r < 2d`.
    fn round_div(&mut self, a: Target, d: Target, bits: (usize, usize, usize)) -> Target;
    /// `q = floor(a / d)` for `0 <= a < 2^a_bits`, `1 <= d < 2^d_bits`, `0 <= q < 2^q_bits`; checks
    /// `a = dq + r` with `0 <= r < d`.
    fn floor_div(&mut self, a: Target, d: Target, bits: (usize, usize, usize)) -> Target;
    /// `s = floor(sqrt(v))` for `0 <= v < 2^v_bits`; checks `s^2 <= v < (s + 1)^2`.
    fn isqrt(&mut self, v: Target, v_bits: usize) -> Target;
    /// `max(v, 0)` for `|v| < 2^bits`.
    fn relu(&mut self, v: Target, bits: usize) -> Target;
    /// `[v >= 0]` for `|v| < 2^bits`.
    fn is_nonneg(&mut self, v: Target, bits: usize) -> BoolTarget;
}

impl<F: RichField + Extendable<D>, const D: usize> IntArith<F, D> for CircuitBuilder<F, D> {
    fn nonneg(&mut self, x: Target, bits: usize) {
        assert!(bits <= SAFE_BITS);
        self.range_check(x, bits);
    }

    fn signed_range(&mut self, x: Target, bits: usize) {
        assert!(bits < SAFE_BITS);
        let shifted = self.add_const(x, element::<F>(1i128 << bits));
        self.range_check(shifted, bits + 1);
    }

    fn round_div(&mut self, a: Target, d: Target, (a_bits, d_bits, q_bits): (usize, usize, usize)) -> Target {
        assert!(a_bits + 2 <= SAFE_BITS && d_bits + q_bits + 2 <= SAFE_BITS, "round_div could wrap");
        let (q, r) = (self.add_virtual_target(), self.add_virtual_target());
        self.add_simple_generator(Hint { op: HintOp::RoundDiv, inputs: vec![a, d], outputs: vec![q, r] });
        self.signed_range(q, q_bits);
        // r in [0, 2d): r and 2d - 1 - r are non-negative.
        self.nonneg(r, d_bits + 1);
        let two_d = self.add(d, d);
        let room = self.sub(two_d, r);
        let room = self.add_const(room, -F::ONE);
        self.nonneg(room, d_bits + 1);
        // 2a + d - 2dq - r = 0.
        let two_a = self.add(a, a);
        let lhs = self.add(two_a, d);
        let dq = self.mul(two_d, q);
        let rhs = self.add(dq, r);
        self.connect(lhs, rhs);
        q
    }

    fn floor_div(&mut self, a: Target, d: Target, (a_bits, d_bits, q_bits): (usize, usize, usize)) -> Target {
        assert!(a_bits <= SAFE_BITS && d_bits + q_bits <= SAFE_BITS + 1, "floor_div could wrap");
        let (q, r) = (self.add_virtual_target(), self.add_virtual_target());
        self.add_simple_generator(Hint { op: HintOp::FloorDiv, inputs: vec![a, d], outputs: vec![q, r] });
        self.nonneg(q, q_bits);
        self.nonneg(r, d_bits);
        let room = self.sub(d, r);
        let room = self.add_const(room, -F::ONE);
        self.nonneg(room, d_bits);
        let rhs = self.mul_add(d, q, r);
        self.connect(a, rhs);
        q
    }

    fn isqrt(&mut self, v: Target, v_bits: usize) -> Target {
        assert!(v_bits + 2 <= SAFE_BITS);
        let s = self.add_virtual_target();
        self.add_simple_generator(Hint { op: HintOp::Isqrt, inputs: vec![v], outputs: vec![s] });
        self.nonneg(s, v_bits / 2 + 1);
        let s2 = self.mul(s, s);
        let below = self.sub(v, s2);
        self.nonneg(below, v_bits);
        // (s + 1)^2 - 1 - v = s^2 + 2s - v >= 0.
        let two_s = self.add(s, s);
        let up = self.add(s2, two_s);
        let above = self.sub(up, v);
        self.nonneg(above, v_bits + 2);
        s
    }

    fn relu(&mut self, v: Target, bits: usize) -> Target {
        let b = self.is_nonneg(v, bits);
        self.mul(b.target, v)
    }

    fn is_nonneg(&mut self, v: Target, bits: usize) -> BoolTarget {
        assert!(bits + 1 < SAFE_BITS);
        let b = self.add_virtual_bool_target_safe();
        self.add_simple_generator(Hint { op: HintOp::NonNegative, inputs: vec![v], outputs: vec![b.target] });
        // b ? v : -v - 1 is non-negative.
        let minus_v_minus_one = self.neg(v);
        let minus_v_minus_one = self.add_const(minus_v_minus_one, -F::ONE);
        let chosen = self.select(b, v, minus_v_minus_one);
        self.nonneg(chosen, bits);
        b
    }
}
