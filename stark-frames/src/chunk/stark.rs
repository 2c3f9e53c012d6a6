//! The chunk STARK: the [`starky::stark::Stark`] implementation that ties the
//! constraint families together and declares the range-check lookup.

use std::borrow::Borrow;
use std::marker::PhantomData;

use plonky2::field::extension::{Extendable, FieldExtension};
use plonky2::field::packed::PackedField;
use plonky2::hash::hash_types::RichField;
use plonky2::iop::ext_target::ExtensionTarget;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use starky::constraint_consumer::{ConstraintConsumer, RecursiveConstraintConsumer};
use starky::evaluation_frame::{StarkEvaluationFrame, StarkFrame};
use starky::lookup::{Column, Filter, Lookup};
use starky::stark::Stark;

use super::columns::{FrameRow, COL_MAP, MIN_ROWS, NUM_COLS, RANGE_TABLE_COLS};
use super::expr::{Circuit, Constraints, Native};
use super::{commit_air, delta_air, dft_air, frame_air, log_air, stats_air};

use super::public::ChunkPublicInputs;
pub use super::public::NUM_PUBLIC_INPUTS;

/// Largest trace height: the range table's counter column (`0..height`) must not go
/// past `2^16`, or it would accept limbs of 17 bits and more.
pub const MAX_HEIGHT: usize = 1 << 16;

/// Declared constraint degree of the chunk STARK (see [`Stark::constraint_degree`] below).
pub const CONSTRAINT_DEGREE: usize = 9;

/// Version of the chunk AIR's constraints, part of its transcript fingerprint ([`Stark::air_fingerprint`]):
/// raised with every change of the constraints, the columns or the public inputs. 6: degree 9 at rate 1/8,
/// the fingerprint in place of starky's constraint-binding pass (issue 19). 7: the central differences'
/// sums and their hand-over between chunks (issue 16 step 2b). 8: regression deltas over +-2 frames, a register
/// of four frames, the lifted cepstra's delta quotients rescaled, the recording's ends clamped (issue 16).
pub const AIR_VERSION: u64 = 8;

/// `"voizkAIR"` as a big-endian integer (below the field's order): the first element of the fingerprint.
const AIR_TAG: u64 = u64::from_be_bytes(*b"voizkAIR");

/// The chunk STARK for a fixed number of frames per chunk.
#[derive(Clone, Copy, Debug)]
pub struct ChunkStark<F: RichField + Extendable<D>, const D: usize> {
    frames: usize,
    height: usize,
    _f: PhantomData<F>,
}

impl<F: RichField + Extendable<D>, const D: usize> ChunkStark<F, D> {
    /// A STARK for chunks of `frames` frames. The trace has one row per frame, `max(frames, 256)` rows
    /// rounded up to a power of two; rows beyond `frames` are padding rows.
    ///
    /// Panics if the trace would exceed [`MAX_HEIGHT`] rows.
    pub fn new(frames: usize) -> Self {
        let frames = frames.max(1);
        let height = frames.next_power_of_two().max(MIN_ROWS);
        assert!(height <= MAX_HEIGHT, "a chunk trace holds at most {MAX_HEIGHT} rows");
        Self { frames, height, _f: PhantomData }
    }

    /// Frames per chunk `K`.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// Trace height (real frames plus padding rows).
    pub fn height(&self) -> usize {
        self.height
    }

    /// Range-table columns that cover `[0, 2^16)` at this height.
    pub fn active_table_cols(&self) -> usize {
        (1usize << 16) / self.height
    }

    pub(crate) fn eval_all<B: Constraints<F>>(
        &self,
        b: &mut B,
        local: &FrameRow<B::Expr>,
        next: &FrameRow<B::Expr>,
        pis: &ChunkPublicInputs<B::Expr>,
    ) {
        frame_air::eval(b, local, next, pis.num_samples, self.active_table_cols());
        commit_air::eval(b, local, next, pis, self.frames);
        dft_air::eval(b, local);
        log_air::eval(b, local);
        stats_air::eval(b, local, next, pis);
        delta_air::eval(b, local, next, pis);
    }
}

impl<F: RichField + Extendable<D>, const D: usize> Stark<F, D> for ChunkStark<F, D> {
    type EvaluationFrame<FE, P, const D2: usize>
        = StarkFrame<P, P::Scalar, NUM_COLS, NUM_PUBLIC_INPUTS>
    where
        FE: FieldExtension<D2, BaseField = F>,
        P: PackedField<Scalar = FE>;

    type EvaluationFrameTarget = StarkFrame<ExtensionTarget<D>, ExtensionTarget<D>, NUM_COLS, NUM_PUBLIC_INPUTS>;

    fn eval_packed_generic<FE, P, const D2: usize>(
        &self,
        vars: &Self::EvaluationFrame<FE, P, D2>,
        yield_constr: &mut ConstraintConsumer<P>,
    ) where
        FE: FieldExtension<D2, BaseField = F>,
        P: PackedField<Scalar = FE>,
    {
        let local: &FrameRow<P> = vars.get_local_values().borrow();
        let next: &FrameRow<P> = vars.get_next_values().borrow();
        let pis: Vec<P> = vars.get_public_inputs().iter().map(|&x| P::from(x)).collect();
        let pis: &ChunkPublicInputs<P> = pis[..].borrow();
        let mut b = Native::<P, FE, D2>::new(yield_constr);
        self.eval_all(&mut b, local, next, pis);
    }

    fn eval_ext_circuit(
        &self,
        builder: &mut CircuitBuilder<F, D>,
        vars: &Self::EvaluationFrameTarget,
        yield_constr: &mut RecursiveConstraintConsumer<F, D>,
    ) {
        let local: &FrameRow<ExtensionTarget<D>> = vars.get_local_values().borrow();
        let next: &FrameRow<ExtensionTarget<D>> = vars.get_next_values().borrow();
        let pis: &ChunkPublicInputs<ExtensionTarget<D>> = vars.get_public_inputs().borrow();
        let mut b = Circuit::new(builder, yield_constr);
        self.eval_all(&mut b, local, next, pis);
    }

    /// 9, the most FRI rate 1/8 allows (`chunk_config`). The constraints themselves reach degree 7 (the
    /// Poseidon S-boxes, `poseidon_x7`); the declared degree sets starky's LogUp batch size
    /// (`constraint_degree - 1` = 8 range-checked columns per helper column, `vendor/starky`) and the
    /// quotient's 8 chunks per challenge.
    fn constraint_degree(&self) -> usize {
        CONSTRAINT_DEGREE
    }

    /// `[AIR_TAG, AIR_VERSION, frames, height, columns, declared degree, public inputs]`: the chunk AIR is
    /// fixed by the verifier (its settings natively, the leaf circuit's constants in recursion), so the
    /// transcript absorbs this constant instead of starky's evaluation of every constraint at simulated
    /// openings, which cost the leaf circuit about 20 000 gates (`docs/SECURITY.md` §1, "Transcript: the AIR's
    /// fingerprint instead of starky's binding pass").
    fn air_fingerprint(&self) -> Option<Vec<F>> {
        let parts = [
            AIR_TAG,
            AIR_VERSION,
            self.frames as u64,
            self.height as u64,
            NUM_COLS as u64,
            CONSTRAINT_DEGREE as u64,
            NUM_PUBLIC_INPUTS as u64,
        ];
        Some(parts.iter().map(|&x| F::from_canonical_u64(x)).collect())
    }

    /// One LogUp argument: every limb, and the range table spread over [`RANGE_TABLE_COLS`] columns
    /// (`counter + i * height`, entered as looking columns with filter `-multiplicity`).
    fn lookups(&self) -> Vec<Lookup<F>> {
        let mut columns: Vec<Column<F>> = Column::singles(COL_MAP.limbs).collect();
        let mut filters: Vec<Filter<F>> = vec![Filter::default(); columns.len()];
        let h = self.height() as u64;
        for i in 1..RANGE_TABLE_COLS {
            columns.push(Column::linear_combination_with_constant(
                [(COL_MAP.range_counter, F::ONE)],
                F::from_canonical_u64(i as u64 * h),
            ));
            filters.push(Filter::new_simple(Column::linear_combination([(COL_MAP.range_mult[i], F::NEG_ONE)])));
        }
        vec![Lookup {
            columns,
            table_column: Column::single(COL_MAP.range_counter),
            frequencies_column: Column::single(COL_MAP.range_mult[0]),
            filter_columns: filters,
        }]
    }
}
