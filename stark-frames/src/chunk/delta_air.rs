//! The frame-to-frame change of the statistics (issue 16 step 2b; `fixed::pooled`): per statistics quotient
//! `q_n = round(v_n / 2^12)` (the range-checked `Q12` quotients of `stats_air`), the sum over voiced frames `f`
//! with a frame on both sides of `(q_n(f + 1) - q_n(f - 1))^2`.
//!
//! The term of frame `f` needs `f + 1`, so it is added on the transition from row `f` to row `f + 1`, using the
//! shift register `prev_q` (`q(f - 1)`) and the next row's quotients:
//! `sum_dsq(f + 1) = sum_dsq(f) + weight(f) has_prev(f) counted(f + 1) (q(f + 1) - prev_q(f))^2`. A frame
//! without a previous one (`has_prev = 0`: the recording's first) or without a next one (`counted(f + 1) = 0`:
//! the recording's last, or padding rows after it) adds nothing.
//!
//! Across chunks: the term of a chunk's last frame needs the next chunk's first, so the chunk hands it on in
//! the public `delta_out` (`pending = weight has_prev`, `q(f)`, `q(f - 1)`), read on the row where the chunk's
//! frames end (`in_chunk` falls, or the last row). The next chunk's `delta_in` must equal it (the fold rule,
//! `recursion/src/combine.rs`), and its first row starts `sum_dsq` with that pending term. The recording's
//! first chunk has `delta_has_prev = 0` and nothing pending (the root's rule).

use plonky2::hash::hash_types::RichField;

use super::columns::FrameRow;
use super::expr::Constraints;
use super::layout::square_slot;
use super::public::ChunkPublicInputs;
use crate::params::NUM_STAT_VALUES;

/// Statistics quotient `q_n` of a row (linear in its limbs).
fn quotient<F: RichField, B: Constraints<F>>(b: &mut B, row: &FrameRow<B::Expr>, n: usize) -> B::Expr {
    square_slot(n).value.eval(b, &row.limbs)
}

/// All constraints of the central differences.
#[allow(clippy::needless_range_loop)] // n indexes the quotients, the register, the sums and the public values alike
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &FrameRow<B::Expr>,
    next: &FrameRow<B::Expr>,
    pis: &ChunkPublicInputs<B::Expr>,
) {
    let one = b.int(1);
    let d = &local.delta;
    let q: Vec<B::Expr> = (0..NUM_STAT_VALUES).map(|n| quotient(b, local, n)).collect();
    let q_next: Vec<B::Expr> = (0..NUM_STAT_VALUES).map(|n| quotient(b, next, n)).collect();

    // First row: the register and the flag from the previous chunk, the sums from its pending term.
    let e = b.sub(d.has_prev, pis.delta_has_prev);
    b.constraint_first_row(e);
    let pending_in = b.mul(pis.delta_in.pending, local.flags.counted);
    for n in 0..NUM_STAT_VALUES {
        let e = b.sub(d.prev_q[n], pis.delta_in.q[n]);
        b.constraint_first_row(e);
        let diff = b.sub(q[n], pis.delta_in.prev_q[n]);
        let sq = b.mul(diff, diff);
        let term = b.mul(pending_in, sq);
        let e = b.sub(d.sum_dsq[n], term);
        b.constraint_first_row(e);
    }

    // Transitions: shift the register, add the term of this row's frame.
    let e = b.sub(next.delta.has_prev, one);
    b.constraint_transition(e);
    let own = b.mul(local.voicing.weight, d.has_prev);
    let gate = b.mul(own, next.flags.counted);
    for n in 0..NUM_STAT_VALUES {
        let e = b.sub(next.delta.prev_q[n], q[n]);
        b.constraint_transition(e);
        let diff = b.sub(q_next[n], d.prev_q[n]);
        let sq = b.mul(diff, diff);
        let term = b.mul(gate, sq);
        let grown = b.add(d.sum_dsq[n], term);
        let e = b.sub(next.delta.sum_dsq[n], grown);
        b.constraint_transition(e);
        // The totals after the last row (whose own term is the next chunk's).
        let e = b.sub(pis.delta_sum_dsq[n], d.sum_dsq[n]);
        b.constraint_last_row(e);
    }

    // The hand-over, on the chunk's last frame: where `in_chunk` falls to 0, or the last row if it never does.
    let falls = b.sub(one, next.flags.in_chunk);
    let ends_here = b.mul(local.flags.in_chunk, falls);
    let out = &pis.delta_out;
    let mut hand_over = vec![b.sub(out.pending, own)];
    for n in 0..NUM_STAT_VALUES {
        hand_over.push(b.sub(out.q[n], q[n]));
        hand_over.push(b.sub(out.prev_q[n], d.prev_q[n]));
    }
    for e in hand_over {
        let t = b.mul(ends_here, e);
        b.constraint_transition(t);
        let l = b.mul(local.flags.in_chunk, e);
        b.constraint_last_row(l);
    }
}
