//! The frame-to-frame change of the statistics (issue 16; `fixed::pooled`): per statistics value, the sum over
//! the recording's voiced frames `f` of the squared regression delta
//! `d(f) = (e(f + 1) - e(f - 1)) + 2 (e(f + 2) - e(f - 2))` of the delta quotients `e`, frame indices clamped to
//! the recording.
//!
//! - **Delta quotients.** `e_n` is the range-checked `Q12` quotient `q_n` of `stats_air`, except for the lifted
//!   cepstra (`DELTA_RESCALED`), rounded once more: `q + 2 = 4 e + r` with `r = b0 + 2 b1` (two boolean
//!   columns) and `e + 2^31` in two range-checked limbs (`layout::delta_quotient_slot`). That keeps every term
//!   below `2^48.5` (`docs/FIXED_POINT.md`).
//! - **Register.** Row `f` holds `prev_e[i] = e(f - 1 - i)` for `i < 4` and `prev_weight[i] = weight(f - 1 - i)`
//!   for `i < 2`, shifted row by row. On a chunk's first row it is the public `delta_in` (the previous chunk's
//!   `delta_out`), or, in the recording's first chunk (`delta_has_prev = 0`), the row's own `e` four times and
//!   weights 0: frames `-1 .. -4` read as frame 0.
//! - **Terms.** Row `f` adds the term of frame `f - 2`, `(prev_e[0] - prev_e[2]) + 2 (e - prev_e[3])`, weighted
//!   by `prev_weight[1]` and by `counted(f)` (frame `f` is a real frame of the chunk). The recording's last row
//!   (`marks_end`) adds the terms of frames `f - 1` and `f` too, with frames `f + 1`, `f + 2` read as `f`:
//!   `(e - prev_e[1]) + 2 (e - prev_e[2])` weighted by `prev_weight[0]`, and `(e - prev_e[0]) + 2 (e -
//!   prev_e[1])` by the row's own weight. So every voiced frame's term is added exactly once, by the row two
//!   frames later or by the last row, whichever chunk holds it.
//! - **Sums.** `sum_dsq` holds the terms of the rows before; it starts at 0, and the last row's sums plus its
//!   terms are the public `delta_sum_dsq`.
//! - **Hand-over.** The register the frame after the chunk's last one would hold is the public `delta_out`, read
//!   on the row where `in_chunk` falls (or the last row). The next chunk's `delta_in` must equal it (the fold
//!   rule, `recursion/src/combine.rs`); the recording's first chunk has `delta_has_prev = 0` (the root's rule).

use plonky2::hash::hash_types::RichField;

use super::columns::{FrameRow, DELTA_HISTORY};
use super::delta_terms::{source, ROW_TERMS};
use super::expr::Constraints;
use super::layout::{delta_quotient_slot, square_slot};
use super::public::ChunkPublicInputs;
use crate::fixed::pooled::{DELTA_RESCALED, DELTA_RESCALE_BITS};
use crate::params::NUM_STAT_VALUES;

/// Delta quotient `e_n` of a row (linear in its limbs).
fn delta_quotient<F: RichField, B: Constraints<F>>(b: &mut B, row: &FrameRow<B::Expr>, n: usize) -> B::Expr {
    if DELTA_RESCALED.contains(&n) {
        delta_quotient_slot(n).eval(b, &row.limbs)
    } else {
        square_slot(n).value.eval(b, &row.limbs)
    }
}

/// All constraints of the regression deltas.
#[allow(clippy::needless_range_loop)] // n indexes the quotients, the register, the sums and the public values alike
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &FrameRow<B::Expr>,
    next: &FrameRow<B::Expr>,
    pis: &ChunkPublicInputs<B::Expr>,
) {
    let one = b.int(1);
    let d = &local.delta;
    let e: [B::Expr; NUM_STAT_VALUES] = std::array::from_fn(|n| delta_quotient(b, local, n));

    // The rescale of the lifted cepstra's quotients: q + 2 = 4 e + b0 + 2 b1, with boolean bits.
    for (i, n) in DELTA_RESCALED.enumerate() {
        let [b0, b1] = d.rem_bits[i];
        for bit in [b0, b1] {
            let m = b.sub(bit, one);
            let e = b.mul(bit, m);
            b.constraint(e);
        }
        let q = square_slot(n).value.eval(b, &local.limbs);
        let rescale = 1i64 << DELTA_RESCALE_BITS;
        let eq = b.lin(&[(q, 1), (e[n], -rescale), (b0, -1), (b1, -2)], rescale / 2);
        b.constraint(eq);
    }

    // First row: the previous chunk's register, or the row's own quotients in the recording's first chunk.
    let h = pis.delta_has_prev;
    for i in 0..DELTA_HISTORY {
        for n in 0..NUM_STAT_VALUES {
            let handed = b.sub(pis.delta_in.e[i][n], e[n]);
            let chosen = b.mul(h, handed);
            let want = b.add(e[n], chosen);
            let c = b.sub(d.prev_e[i][n], want);
            b.constraint_first_row(c);
        }
    }
    for (&w, &handed) in d.prev_weight.iter().zip(&pis.delta_in.weight) {
        let want = b.mul(h, handed);
        let c = b.sub(w, want);
        b.constraint_first_row(c);
    }

    // The register shifts by one frame.
    let shifted_e = [&e, &d.prev_e[0], &d.prev_e[1], &d.prev_e[2]];
    for (i, from) in shifted_e.iter().enumerate() {
        for n in 0..NUM_STAT_VALUES {
            let c = b.sub(next.delta.prev_e[i][n], from[n]);
            b.constraint_transition(c);
        }
    }
    let shifted_w = [local.voicing.weight, d.prev_weight[0]];
    for (i, &from) in shifted_w.iter().enumerate() {
        let c = b.sub(next.delta.prev_weight[i], from);
        b.constraint_transition(c);
    }

    // The terms: frame f - 2's on a counted row, frames f - 1 and f's on the recording's last row.
    let f = &local.flags;
    let own = b.mul(f.counted, d.prev_weight[1]);
    let end_prev = b.mul(f.marks_end, d.prev_weight[0]);
    let end_own = b.mul(f.marks_end, local.voicing.weight);
    for n in 0..NUM_STAT_VALUES {
        let [x, y, z] = ROW_TERMS.map(|t| {
            let terms: Vec<(B::Expr, i64)> = t.iter().map(|&(s, k)| (source(&e, &d.prev_e, s, n), k)).collect();
            b.lin(&terms, 0)
        });
        let mut added = b.int(0);
        for (gate, t) in [(own, x), (end_prev, y), (end_own, z)] {
            let sq = b.mul(t, t);
            let g = b.mul(gate, sq);
            added = b.add(added, g);
        }
        let after = b.add(d.sum_dsq[n], added);
        b.constraint_first_row(d.sum_dsq[n]);
        let c = b.sub(next.delta.sum_dsq[n], after);
        b.constraint_transition(c);
        let c = b.sub(pis.delta_sum_dsq[n], after);
        b.constraint_last_row(c);
    }

    // The hand-over, on the chunk's last frame: where `in_chunk` falls to 0, or the last row if it never does.
    let falls = b.sub(one, next.flags.in_chunk);
    let ends_here = b.mul(f.in_chunk, falls);
    let out = &pis.delta_out;
    let mut hand_over = Vec::new();
    for (i, from) in shifted_e.iter().enumerate() {
        for n in 0..NUM_STAT_VALUES {
            hand_over.push(b.sub(out.e[i][n], from[n]));
        }
    }
    for (i, &from) in shifted_w.iter().enumerate() {
        hand_over.push(b.sub(out.weight[i], from));
    }
    for c in hand_over {
        let t = b.mul(ends_here, c);
        b.constraint_transition(t);
        let l = b.mul(f.in_chunk, c);
        b.constraint_last_row(l);
    }
}
