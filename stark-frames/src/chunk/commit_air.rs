//! The frame's place in the recording and the audio commitment.
//!
//! - `frame_index` counts frames from the public `first_frame`, one per row; the flags (checked with
//!   range-checked distances or inverses) are `real = [f < num_frames]`,
//!   `last_real = [f = num_frames - 1]`, `hop_live = [f < num_hops]`, `owns_end = [f = num_hops - 1]`,
//!   `in_chunk = [f - first_frame < K]`; the frame owning the last hop also checks `1 <= N - 160 f <= 160`.
//! - Every row proves eleven Poseidon permutations: slot `i < 10` has the rate `samples[16 i..16 i + 16]`
//!   (packed two per element) and the capacity of the slot before (slot 0: `sponge_cap`); slot 10 has the
//!   rate `[N, TAG, 0..]` and slot 9's capacity. The capacity after the row is slot 9's output when
//!   `absorb_hop`, slot 10's when `absorb_len` (which also sets the digest), else unchanged.
//! - Public inputs pin the first row (first frame, capacity in, zero digest, head samples) and the state
//!   after the last row (capacity out, digest, tail samples).

use std::borrow::Borrow;

use plonky2::hash::hash_types::RichField;

use super::columns::{FrameRow, HASH_SLOTS};
use super::expr::Constraints;
use super::layout::flag_slots;
use super::poseidon_x7::{self, PoseidonX7Cols, W};
use super::public::{boundary_layout, ChunkPublicInputs};
use crate::commitment::{DOMAIN_TAG, SAMPLES_PER_BLOCK};
use crate::params::HOP;

/// `sample + 2^15` packed at `2^shift`, summed: a linear expression of samples.
fn packed<F: RichField, B: Constraints<F>>(b: &mut B, c: &FrameRow<B::Expr>, parts: &[(isize, u32)]) -> B::Expr {
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
    local: &FrameRow<B::Expr>,
    next: &FrameRow<B::Expr>,
    pis: &ChunkPublicInputs<B::Expr>,
    frames_per_chunk: usize,
) {
    let one = b.int(1);
    let fl = &local.flags;
    let fi = local.frame_index;

    // Frame index: from the public first frame, +1 per row.
    let e = b.sub(fi, pis.first_frame);
    b.constraint_first_row(e);
    let d = b.sub(next.frame_index, fi);
    let d = b.sub(d, one);
    b.constraint_transition(d);

    // Flags.
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
        b.constraint(e);
        let not_flag = b.sub(one, flag);
        let x = b.mul(flag, under);
        let y = b.mul(not_flag, over);
        let sum = b.add(x, y);
        let held = dist.eval(b, &local.limbs);
        let e = b.sub(sum, held);
        b.constraint(e);
    }
    for (product, flag, other) in [
        (fl.absorb_hop, fl.in_chunk, fl.hop_live),
        (fl.absorb_len, fl.in_chunk, fl.owns_end),
        (fl.counted, fl.in_chunk, fl.real),
        (fl.marks_end, fl.in_chunk, fl.last_real),
    ] {
        let want = b.mul(flag, other);
        let e = b.sub(product, want);
        b.constraint(e);
    }
    for (flag, inv, count) in
        [(fl.last_real, fl.last_real_inv, pis.num_frames), (fl.owns_end, fl.owns_end_inv, pis.num_hops)]
    {
        // is_zero(f - (count - 1)): diff * flag = 0 and diff * inv = 1 - flag.
        let diff = b.lin(&[(fi, 1), (count, -1)], 1);
        let e = b.mul(diff, flag);
        b.constraint(e);
        let e = b.mul(diff, inv);
        let e = b.add(e, flag);
        let e = b.sub(e, one);
        b.constraint(e);
    }
    // The last hop holds 1..=160 samples: owns_end (N - 1 - 160 f) and owns_end (160 f + 160 - N) are 8-bit.
    let lo = b.lin(&[(pis.num_samples, 1), (fi, -(HOP as i64))], -1);
    let hi = b.lin(&[(fi, HOP as i64), (pis.num_samples, -1)], HOP as i64);
    for (v, slot) in [(lo, fill_lo), (hi, fill_hi)] {
        let v = b.mul(fl.owns_end, v);
        let held = slot.eval(b, &local.limbs);
        let e = b.sub(v, held);
        b.constraint(e);
    }

    // The row's permutations, chained through their capacities: each input is the block's packed samples (or
    // the length block) and the previous output's capacity, all affine, and each output is affine.
    let mut outputs: Vec<[B::Expr; W]> = Vec::with_capacity(HASH_SLOTS);
    for (i, slot) in local.hash.iter().enumerate() {
        let slot: &PoseidonX7Cols<B::Expr> = slot[..].borrow();
        let mut input = [b.int(0); W];
        for (k, x) in input[..8].iter_mut().enumerate() {
            *x = if i + 1 < HASH_SLOTS {
                let base = (SAMPLES_PER_BLOCK * i + 2 * k) as isize;
                packed(b, local, &[(base, 0), (base + 1, 16)])
            } else {
                match k {
                    0 => pis.num_samples,
                    1 => b.constant(F::from_canonical_u64(DOMAIN_TAG)),
                    _ => b.int(0),
                }
            };
        }
        for j in 0..4 {
            input[8 + j] = if i == 0 { local.sponge_cap[j] } else { outputs[i - 1][8 + j] };
        }
        outputs.push(poseidon_x7::eval_generic(b, slot, input));
    }

    // Capacity and digest after the row: carried to the next row, public after the last.
    let (hop_out, len_out) = (outputs[HASH_SLOTS - 2], outputs[HASH_SLOTS - 1]);
    for j in 0..4 {
        let d = b.sub(hop_out[8 + j], local.sponge_cap[j]);
        let hop = b.mul(fl.absorb_hop, d);
        let d = b.sub(len_out[8 + j], hop_out[8 + j]);
        let len = b.mul(fl.absorb_len, d);
        let step = b.add(hop, len);
        let cap_after = b.add(local.sponge_cap[j], step);
        let d = b.sub(len_out[j], local.digest[j]);
        let set = b.mul(fl.absorb_len, d);
        let digest_after = b.add(local.digest[j], set);
        let e = b.sub(next.sponge_cap[j], cap_after);
        b.constraint_transition(e);
        let e = b.sub(next.digest[j], digest_after);
        b.constraint_transition(e);
        let e = b.sub(local.sponge_cap[j], pis.sponge_in[j]);
        b.constraint_first_row(e);
        b.constraint_first_row(local.digest[j]);
        let e = b.sub(cap_after, pis.sponge_out[j]);
        b.constraint_last_row(e);
        let e = b.sub(digest_after, pis.digest[j]);
        b.constraint_last_row(e);
    }

    // Public boundary samples.
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
