//! Helper gadgets providing additional methods to
//! [CircuitBuilder](crate::plonk::circuit_builder::CircuitBuilder),
//! to ease circuit creation.

pub mod arithmetic;
pub mod arithmetic_extension;
pub mod hash;
pub mod interpolation;
pub mod lookup;
pub mod polynomial;
pub mod random_access;
pub mod range_check;
pub mod select;
pub mod split_base;
pub mod split_join;
