//! The frame's place in the recording and the audio commitment.
//!
//! - `frame_index` counts frames from the public `first_frame`; per-frame flags
//!   (checked on row 15, with range-checked distances or inverses):
//!   `real = [f < num_frames]`, `last_real = [f = num_frames - 1]`,
//!   `hop_live = [f < num_hops]`, `owns_end = [f = num_hops - 1]`; the frame owning
//!   the last hop also checks `1 <= N - 160 f <= 160`.
//! - Rows 0..=9 absorb the frame's hop (block `r` = samples `16r..16r+16`, packed
//!   two per element) when `hop_live`; row 10 absorbs the length block `[N, TAG, 0..]`
//!   when `owns_end`. Every row 0..=10 proves one Poseidon permutation of
//!   `[rate, sponge_cap]`; the capacity (and, after the length block, the digest)
//!   is carried from row to row and across frames.
//! - `in_chunk = [f - first_frame < K]`; padding blocks (after the chunk's K frames,
//!   when the trace needs more blocks) repeat the last frame and absorb nothing.
//! - Public inputs pin the first row (first frame, sponge capacity in, head
//!   samples) and the last row (capacity out, digest, tail samples).

use std::borrow::Borrow;

use plonky2::hash::hash_types::RichField;

use super::columns::{ChunkCols, ROWS_PER_FRAME};
use super::expr::Constraints;
use super::poseidon::{self, PoseidonCols, POSEIDON_COLS};
use super::public::{boundary_layout, ChunkPublicInputs};
use super::schedule::{flag_slots, HOP_HASH_ROWS, LENGTH_HASH_ROW, SAMPLE_CHECK_ROW};
use crate::commitment::{DOMAIN_TAG, SAMPLES_PER_BLOCK};
use crate::params::HOP;

/// `sample + 2^15` packed at `2^shift`, summed: a linear expression of samples.
fn packed<F: RichField, B: Constraints<F>>(b: &mut B, c: &ChunkCols<B::Expr>, parts: &[(isize, u32)]) -> B::Expr {
    let mut terms = Vec::new();
    let mut k = 0i64;
    for &(p, shift) in parts {
        let x = if p < 0 { c.prev_sample } else { c.samples[p as usize] };
        terms.push((x, 1i64 << shift));
        k += (1i64 << 15) << shift;
    }
    b.lin(&terms, k)
}

/// All frame-position, commitment and public-input constraints.
pub fn eval<F: RichField, B: Constraints<F>>(
    b: &mut B,
    local: &ChunkCols<B::Expr>,
    next: &ChunkCols<B::Expr>,
    pis: &ChunkPublicInputs<B::Expr>,
    frames_per_chunk: usize,
) {
    let one = b.int(1);
    let fl = &local.flags;
    let fi = local.frame_index;

    // Frame index: from the public first frame, +1 per block.
    let e = b.sub(fi, pis.first_frame);
    b.constraint_first_row(e);
    let last = local.row[ROWS_PER_FRAME - 1];
    let d = b.sub(next.frame_index, fi);
    let d = b.sub(d, last);
    b.constraint_transition(d);

    // Flags, on the sample-check row.
    let sel = local.row[SAMPLE_CHECK_ROW];
    let [real_dist, live_dist, fill_lo, fill_hi, chunk_dist] = flag_slots();
    let k = frames_per_chunk as i64;
    // flag = [value < bound]: boolean, and flag (bound - 1 - value) + (1 - flag) (value - bound) is range-checked.
    let below = |b: &mut B, value: &[(B::Expr, i64)], bound: &[(B::Expr, i64)], k: i64| {
        let terms: Vec<_> = bound.iter().copied().chain(value.iter().map(|&(x, c)| (x, -c))).collect();
        let under = b.lin(&terms, k - 1);
        let terms: Vec<_> = value.iter().copied().chain(bound.iter().map(|&(x, c)| (x, -c))).collect();
        (under, b.lin(&terms, -k))
    };
    let checks = [
        (fl.real, below(b, &[(fi, 1)], &[(pis.num_frames, 1)], 0), real_dist),
        (fl.hop_live, below(b, &[(fi, 1)], &[(pis.num_hops, 1)], 0), live_dist),
        (fl.in_chunk, below(b, &[(fi, 1), (pis.first_frame, -1)], &[], k), chunk_dist),
    ];
    for (flag, (under, over), dist) in checks {
        let fm1 = b.sub(flag, one);
        let e = b.mul(flag, fm1);
        b.constraint_where(sel, e);
        let not_flag = b.sub(one, flag);
        let x = b.mul(flag, under);
        let y = b.mul(not_flag, over);
        let sum = b.add(x, y);
        let held = dist.eval(b, &local.limbs);
        let e = b.sub(sum, held);
        b.constraint_where(sel, e);
    }
    for (product, flag, other) in [
        (fl.absorb_hop, fl.in_chunk, fl.hop_live),
        (fl.absorb_len, fl.in_chunk, fl.owns_end),
        (fl.counted, fl.in_chunk, fl.real),
        (fl.marks_end, fl.in_chunk, fl.last_real),
    ] {
        let want = b.mul(flag, other);
        let e = b.sub(product, want);
        b.constraint_where(sel, e);
    }
    for (flag, inv, count) in
        [(fl.last_real, fl.last_real_inv, pis.num_frames), (fl.owns_end, fl.owns_end_inv, pis.num_hops)]
    {
        // is_zero(f - (count - 1)): diff * flag = 0 and diff * inv = 1 - flag.
        let diff = b.lin(&[(fi, 1), (count, -1)], 1);
        let e = b.mul(diff, flag);
        b.constraint_where(sel, e);
        let e = b.mul(diff, inv);
        let e = b.add(e, flag);
        let e = b.sub(e, one);
        b.constraint_where(sel, e);
    }
    // The last hop holds 1..=160 samples: owns_end (N - 1 - 160 f) and owns_end (160 f + 160 - N) are 8-bit.
    let lo = b.lin(&[(pis.num_samples, 1), (fi, -(HOP as i64))], -1);
    let hi = b.lin(&[(fi, HOP as i64), (pis.num_samples, -1)], HOP as i64);
    for (v, slot) in [(lo, fill_lo), (hi, fill_hi)] {
        let v = b.mul(fl.owns_end, v);
        let held = slot.eval(b, &local.limbs);
        let e = b.sub(v, held);
        let e = b.mul(sel, e);
        b.constraint(e);
    }

    // Sponge inputs.
    let hash: &PoseidonCols<B::Expr> = local.hash[..POSEIDON_COLS].borrow();
    let hop_rows: Vec<B::Expr> = (0..HOP_HASH_ROWS).map(|r| local.row[r]).collect();
    let in_hop = b.sum(&hop_rows);
    let len_row = local.row[LENGTH_HASH_ROW];
    let is_hash = b.add(in_hop, len_row);
    for k in 0..8 {
        let mut e = b.int(0);
        for (r, &sel_r) in hop_rows.iter().enumerate() {
            let base = (SAMPLES_PER_BLOCK * r + 2 * k) as isize;
            let p = packed(b, local, &[(base, 0), (base + 1, 16)]);
            let d = b.sub(hash.input[k], p);
            let d = b.mul(sel_r, d);
            e = b.add(e, d);
        }
        let want = match k {
            0 => pis.num_samples,
            1 => b.constant(F::from_canonical_u64(DOMAIN_TAG)),
            _ => b.int(0),
        };
        let d = b.sub(hash.input[k], want);
        let d = b.mul(len_row, d);
        let e = b.add(e, d);
        b.constraint(e);
    }
    for i in 0..4 {
        let d = b.sub(hash.input[8 + i], local.sponge_cap[i]);
        let e = b.mul(is_hash, d);
        b.constraint(e);
    }
    poseidon::eval_generic(b, hash, is_hash);

    // Capacity and digest carried to the next row.
    let live_hop = b.mul(fl.absorb_hop, in_hop);
    let end_len = b.mul(fl.absorb_len, len_row);
    let absorbs = b.add(live_hop, end_len);
    for i in 0..4 {
        let step = b.sub(hash.output[8 + i], local.sponge_cap[i]);
        let step = b.mul(absorbs, step);
        let d = b.sub(next.sponge_cap[i], local.sponge_cap[i]);
        let e = b.sub(d, step);
        b.constraint_transition(e);
        let set = b.sub(hash.output[i], local.digest[i]);
        let set = b.mul(end_len, set);
        let d = b.sub(next.digest[i], local.digest[i]);
        let e = b.sub(d, set);
        b.constraint_transition(e);
        b.constraint_first_row(local.digest[i]);
    }

    // Public boundary values.
    for i in 0..4 {
        let e = b.sub(local.sponge_cap[i], pis.sponge_in[i]);
        b.constraint_first_row(e);
        let e = b.sub(local.sponge_cap[i], pis.sponge_out[i]);
        b.constraint_last_row(e);
        let e = b.sub(local.digest[i], pis.digest[i]);
        b.constraint_last_row(e);
    }
    for (e_idx, parts) in boundary_layout(false).iter().enumerate() {
        let p = packed(b, local, parts);
        let e = b.sub(p, pis.head[e_idx]);
        b.constraint_first_row(e);
    }
    for (e_idx, parts) in boundary_layout(true).iter().enumerate() {
        let p = packed(b, local, parts);
        let e = b.sub(p, pis.tail[e_idx]);
        b.constraint_last_row(e);
    }
}
