//! Values held in 16-bit limbs of the range-checked region.
//!
//! A [`LimbValue`] of `n` limbs stands for `sum limb_i 2^(16 i) - offset`. Every
//! limb is looked up in the 16-bit range table; when `top_bits < 16` a scaled copy
//! of the top limb (`top * 2^(16 - top_bits)`, see `layout.rs`) is range-checked too,
//! which bounds it to `[0, 2^top_bits)`. So a value is known to lie in
//! `[-offset, 2^(16 (n - 1) + top_bits) - offset)`. See `docs/FIXED_POINT.md` for why
//! each bound makes its rescale unique.

use plonky2::field::types::Field;
use plonky2::hash::hash_types::RichField;

use super::expr::Constraints;

/// A bounded value stored in consecutive limbs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LimbValue {
    /// Index of the lowest limb in the limb region.
    pub start: usize,
    /// Number of limbs (1..=4).
    pub limbs: usize,
    /// Bits allowed in the top limb (1..=16).
    pub top_bits: u32,
    /// Offset subtracted from the limb sum (to hold signed values).
    pub offset: u64,
}

impl LimbValue {
    /// A value of `limbs` full 16-bit limbs.
    pub const fn full(start: usize, limbs: usize, offset: u64) -> Self {
        Self { start, limbs, top_bits: 16, offset }
    }

    /// A value whose top limb holds only `top_bits` bits.
    pub const fn partial(start: usize, limbs: usize, top_bits: u32, offset: u64) -> Self {
        Self { start, limbs, top_bits, offset }
    }

    /// One past the last limb used.
    pub const fn end(&self) -> usize {
        self.start + self.limbs
    }

    /// Index of the top limb.
    pub const fn top(&self) -> usize {
        self.start + self.limbs - 1
    }

    /// The value as a constraint expression over the limb region.
    pub fn eval<F: RichField, B: Constraints<F>>(&self, b: &mut B, limbs: &[B::Expr]) -> B::Expr {
        let mut acc = b.constant(-F::from_canonical_u64(self.offset));
        for i in 0..self.limbs {
            acc = b.add_scaled(acc, limbs[self.start + i], F::from_canonical_u64(1 << (16 * i)));
        }
        acc
    }

    /// Writes `value` into the limbs. Panics if it is out of the representable range
    /// (the integer pipeline's documented bounds exclude that).
    pub fn write<F: Field>(&self, limbs: &mut [F], value: i128) {
        if let Err(e) = self.try_write(limbs, value) {
            panic!("{e}");
        }
    }

    /// Writes `value` into the limbs, or says why it does not fit (nothing is written then).
    pub fn try_write<F: Field>(&self, limbs: &mut [F], value: i128) -> Result<(), LimbRangeError> {
        let shifted = value + i128::from(self.offset);
        let bits = 16 * (self.limbs as u32 - 1) + self.top_bits;
        if !(0..1i128 << bits).contains(&shifted) {
            return Err(LimbRangeError { value, bits });
        }
        for i in 0..self.limbs {
            limbs[self.start + i] = F::from_canonical_u64(((shifted >> (16 * i)) & 0xffff) as u64);
        }
        Ok(())
    }
}

/// A value that its range-checked cells cannot hold: no witness of the lookup exists for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("value {value} outside its {bits}-bit limb range")]
pub struct LimbRangeError {
    /// The value.
    pub value: i128,
    /// Bits of its range (after the offset).
    pub bits: u32,
}
