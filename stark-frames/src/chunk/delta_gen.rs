//! Trace generation of the regression deltas (`delta_air.rs`): the register and the running sums of every row,
//! and the public `delta_sum_dsq` and `delta_out`. The rescaled delta quotients and their remainder bits are
//! per-frame values, written with the statistics (`trace::voicing_row`).

use std::borrow::{Borrow, BorrowMut};

use plonky2::hash::hash_types::RichField;

use super::check::read_values;
use super::columns::{FrameRow, DELTA_HISTORY, DELTA_WEIGHT_HISTORY, NUM_COLS};
use super::delta_terms::{source, ROW_TERMS};
use super::public::{ChunkPublicInputs, DeltaLink};
use crate::fixed::pooled::delta_quotients;
use crate::fixed::FrameValuesQ24;
use crate::params::NUM_STAT_VALUES;

/// What a chunk receives from the frames before it: the register of its first frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeltaStart {
    /// The chunk's first frame has a previous frame.
    pub has_prev: bool,
    /// Whether the two previous frames enter the statistics (voiced and real).
    pub weight: [bool; DELTA_WEIGHT_HISTORY],
    /// The delta quotients of the four previous frames, indices clamped to frame 0 (zero without a previous
    /// frame: the chunk then starts from its own first frame's).
    pub e: [[i64; NUM_STAT_VALUES]; DELTA_HISTORY],
}

impl DeltaStart {
    /// The start of the recording's first chunk: no previous frame.
    pub const FIRST: Self =
        Self { has_prev: false, weight: [false; DELTA_WEIGHT_HISTORY], e: [[0; NUM_STAT_VALUES]; DELTA_HISTORY] };

    /// The start of a chunk whose first frame is `first >= 1`, from the values of the frames before it
    /// (`values(f)` for `f < first`) and whether each enters the statistics (`weighted(f)`).
    pub fn after(first: usize, values: impl Fn(usize) -> FrameValuesQ24, weighted: impl Fn(usize) -> bool) -> Self {
        assert!(first >= 1, "the first chunk starts with DeltaStart::FIRST");
        Self {
            has_prev: true,
            weight: std::array::from_fn(|i| first > i && weighted(first - 1 - i)),
            e: std::array::from_fn(|i| delta_quotients(&values(first.saturating_sub(1 + i)))),
        }
    }
}

fn field<F: RichField>(v: i64) -> F {
    F::from_noncanonical_i64(v)
}

impl DeltaStart {
    /// As the public inputs state it: `(delta_has_prev, delta_in)`.
    pub fn public<F: RichField>(&self) -> (F, DeltaLink<F>) {
        (
            F::from_bool(self.has_prev),
            DeltaLink { weight: self.weight.map(F::from_bool), e: self.e.map(|e| e.map(field)) },
        )
    }
}

/// Writes the delta register and running sums of `rows` (whose statistics limbs, flags and weights are written)
/// and the public `delta_*` values, for a chunk that receives `has_prev` and `link_in` (what
/// [`DeltaStart::public`] gives).
pub(crate) fn fill<F: RichField>(
    rows: &mut [[F; NUM_COLS]],
    has_prev_in: F,
    link_in: DeltaLink<F>,
    public_inputs: &mut [F],
) {
    let e: Vec<[F; NUM_STAT_VALUES]> = rows.iter().map(|r| delta_quotients(&read_values(r)).map(field)).collect();
    // The first row's register: the previous chunk's, or the row's own quotients (the clamped start).
    let h = has_prev_in;
    let mut prev: [[F; NUM_STAT_VALUES]; DELTA_HISTORY] =
        link_in.e.map(|p| std::array::from_fn(|n| h * p[n] + (F::ONE - h) * e[0][n]));
    let mut prev_weight = link_in.weight.map(|w| h * w);
    let mut sums = [F::ZERO; NUM_STAT_VALUES];
    let mut out = None;
    let height = rows.len();
    for g in 0..height {
        let (weight, flags) = {
            let c: &mut FrameRow<F> = rows[g][..].borrow_mut();
            c.delta.prev_e = prev;
            c.delta.prev_weight = prev_weight;
            c.delta.sum_dsq = sums;
            (c.voicing.weight, c.flags)
        };
        for (n, sum) in sums.iter_mut().enumerate() {
            let [a, b, c] = ROW_TERMS.map(|t| {
                t.iter().map(|&(s, k)| source(&e[g], &prev, s, n) * field::<F>(k)).fold(F::ZERO, |x, y| x + y)
            });
            *sum +=
                flags.counted * prev_weight[1] * a * a + flags.marks_end * (prev_weight[0] * b * b + weight * c * c);
        }
        let next_in_chunk = rows.get(g + 1).map(|r| { r[..].borrow() as &FrameRow<F> }.flags.in_chunk);
        prev = [e[g], prev[0], prev[1], prev[2]];
        prev_weight = [weight, prev_weight[0]];
        if flags.in_chunk == F::ONE && next_in_chunk.is_none_or(|f| f == F::ZERO) {
            out = Some(DeltaLink { weight: prev_weight, e: prev });
        }
    }
    let p: &mut ChunkPublicInputs<F> = public_inputs.borrow_mut();
    p.delta_sum_dsq = sums;
    p.delta_has_prev = has_prev_in;
    p.delta_in = link_in;
    p.delta_out = out.expect("a chunk's first row holds one of its frames");
}
