//! Trace generation of the central differences (`delta_air.rs`): the register, the flag and the running sums
//! of every row, and the public `delta_sum_dsq` and `delta_out`.

use std::borrow::{Borrow, BorrowMut};

use plonky2::hash::hash_types::RichField;

use super::check::read_values;
use super::columns::{FrameRow, NUM_COLS};
use super::public::{ChunkPublicInputs, DeltaLink};
use crate::fixed::pooled::quotients;
use crate::fixed::FrameValuesQ24;
use crate::params::NUM_STAT_VALUES;

/// What a chunk receives from the frames before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeltaStart {
    /// The chunk's first frame has a previous frame.
    pub has_prev: bool,
    /// The previous frame's term is pending: it is voiced, real and has a previous frame itself.
    pub pending: bool,
    /// The previous frame's quotients (zero without one).
    pub q: [i64; NUM_STAT_VALUES],
    /// The quotients of the frame before that (zero without one).
    pub prev_q: [i64; NUM_STAT_VALUES],
}

impl DeltaStart {
    /// The start of the recording's first chunk: no previous frame.
    pub const FIRST: Self =
        Self { has_prev: false, pending: false, q: [0; NUM_STAT_VALUES], prev_q: [0; NUM_STAT_VALUES] };

    /// The start of a chunk whose first frame is `first >= 1`, from the values of frames `first - 1` and
    /// (when `first >= 2`) `first - 2`, and whether frame `first - 1` enters the statistics (voiced and real).
    pub fn after(first: usize, last: &FrameValuesQ24, before_last: Option<&FrameValuesQ24>, weighted: bool) -> Self {
        assert!(first >= 1, "the first chunk starts with DeltaStart::FIRST");
        Self {
            has_prev: true,
            pending: weighted && first >= 2,
            q: quotients(last),
            prev_q: before_last.map_or([0; NUM_STAT_VALUES], quotients),
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
            DeltaLink { pending: F::from_bool(self.pending), q: self.q.map(field), prev_q: self.prev_q.map(field) },
        )
    }
}

/// Writes the delta columns of `rows` (whose statistics limbs, flags and weights are written) and the public
/// `delta_*` values, for a chunk that receives `has_prev` and `link_in` (what [`DeltaStart::public`] gives).
pub(crate) fn fill<F: RichField>(
    rows: &mut [[F; NUM_COLS]],
    has_prev_in: F,
    link_in: DeltaLink<F>,
    public_inputs: &mut [F],
) {
    let q: Vec<[F; NUM_STAT_VALUES]> = rows.iter().map(|r| quotients(&read_values(r)).map(field)).collect();
    let mut prev_q = link_in.q;
    let mut has_prev = has_prev_in;
    let in_prev = link_in.prev_q;
    let counted0 = { rows[0][..].borrow() as &FrameRow<F> }.flags.counted;
    let first_gate = link_in.pending * counted0;
    let mut sums: [F; NUM_STAT_VALUES] = std::array::from_fn(|n| {
        let d = q[0][n] - in_prev[n];
        first_gate * d * d
    });
    let mut out = None;
    let height = rows.len();
    for g in 0..height {
        let (w, in_chunk) = {
            let c: &mut FrameRow<F> = rows[g][..].borrow_mut();
            c.delta.prev_q = prev_q;
            c.delta.has_prev = has_prev;
            c.delta.sum_dsq = sums;
            (c.voicing.weight, c.flags.in_chunk)
        };
        let own = w * has_prev;
        let next = rows.get(g + 1).map(|r| { r[..].borrow() as &FrameRow<F> }.flags);
        let ends_here = in_chunk == F::ONE && next.is_none_or(|f| f.in_chunk == F::ZERO);
        if ends_here {
            out = Some(DeltaLink { pending: own, q: q[g], prev_q });
        }
        if let Some(flags) = next {
            let gate = own * flags.counted;
            for n in 0..NUM_STAT_VALUES {
                let d = q[g + 1][n] - prev_q[n];
                sums[n] += gate * d * d;
            }
            prev_q = q[g];
            has_prev = F::ONE;
        }
    }
    let p: &mut ChunkPublicInputs<F> = public_inputs.borrow_mut();
    p.delta_sum_dsq = sums;
    p.delta_has_prev = has_prev_in;
    p.delta_in = link_in;
    p.delta_out = out.expect("a chunk's first row holds one of its frames");
}
