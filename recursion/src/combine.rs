//! The in-circuit rules of a fold: how `arity` children's public values (chunk layout) are checked against
//! each other and combined into the parent's, when only a prefix of the children is present.
//!
//! Child 0 is always present; child `i > 0` is present when its flag `p_i` is 1, and flags form a prefix
//! (`p_i = 1` implies `p_{i-1} = 1`). An absent child is still verified as a proof of the child circuit
//! (the prover passes a copy of a present one), but none of its public values reaches any check or the
//! parent. With `s_i = p_i - p_{i+1}` (1 exactly for the last present child, `p_arity = 0`):
//!
//! - for every present child `i > 0`: it states the same recording, threshold and session nonce as child
//!   `i - 1`, starts
//!   `f` frames later (`f` = the child's frame span), and continues its sponge and boundary samples;
//! - when the node is partial (child `arity - 1` absent), the last present child holds the recording's last
//!   hop: `0 <= H - 1 - first_frame < f`. So a node either spans all its `arity f` frames or every hop from
//!   its first frame to the end of the recording, never a truncated range;
//! - the parent takes `first_frame`, the recording values, the nonce, `sponge_in`, `head` from child 0, `sponge_out`,
//!   `tail` from the last present child, and sums the digests and statistics of the present children;
//! - the regression deltas (`stark_frames::chunk::delta_air`): every present child `i > 0` has
//!   `delta_has_prev = 1` and receives child `i - 1`'s `delta_out` as its `delta_in`; the parent takes
//!   `delta_has_prev`, `delta_in` from child 0, `delta_out` from the last present child, and sums `delta_sum_dsq`.
//!
//! Root checks ([`root_checks`]) add that the range starts the recording (`first_frame = 0`, `sponge_in = 0`,
//! the sample before the first frame is 0, no previous frame for the regression deltas), that `1 <= H <= max_hops` (so the root spans every hop), and
//! that `N >= 400` with `H` and `F` the functions of `N` that SPEC §3 defines.

use plonky2::field::types::Field;
use plonky2::iop::target::{BoolTarget, Target};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use stark_frames::chunk::config::{D, F};
use stark_frames::chunk::public::ChunkPublicInputs;
use stark_frames::params::{FRAME_LEN, HOP};

/// Bits needed to range-check values in `[0, n)` (at least 1).
pub(crate) fn bits_for(n: usize) -> usize {
    (usize::BITS - n.saturating_sub(1).leading_zeros()).max(1) as usize
}

/// `flag * (x - y) = 0`: `x = y` where `flag` is 1.
fn connect_if(b: &mut CircuitBuilder<F, D>, flag: Target, x: Target, y: Target) {
    let d = b.sub(x, y);
    let e = b.mul(flag, d);
    b.assert_zero(e);
}

/// `lo <= x < lo + n`, checked only where `flag` is 1 (with two range checks of `flag`-scaled distances).
fn within_if(b: &mut CircuitBuilder<F, D>, flag: Target, x: Target, lo: Target, n: usize) {
    let bits = bits_for(n);
    let above = b.sub(x, lo);
    let above = b.mul(flag, above);
    b.range_check(above, bits);
    let top = b.constant(F::from_canonical_usize(n - 1));
    let below = b.sub(top, above);
    let below = b.mul(flag, below);
    b.range_check(below, bits);
}

/// Adds the presence flags of children `1..arity` (child 0 is always present), constrained to a prefix.
pub(crate) fn presence_flags(b: &mut CircuitBuilder<F, D>, arity: usize) -> Vec<BoolTarget> {
    let mut flags = vec![b._true()];
    for i in 1..arity {
        let p = b.add_virtual_bool_target_safe();
        // p_i = p_i * p_{i-1}: present only after a present child.
        let both = b.and(p, flags[i - 1]);
        b.connect(both.target, p.target);
        flags.push(p);
    }
    flags
}

/// Checks the children against each other and returns the parent's public values.
pub(crate) fn combine(
    b: &mut CircuitBuilder<F, D>,
    children: &[&ChunkPublicInputs<Target>],
    present: &[BoolTarget],
    child_frames: usize,
) -> ChunkPublicInputs<Target> {
    let arity = children.len();
    let first = children[0];
    let step = b.constant(F::from_canonical_usize(child_frames));
    for i in 1..arity {
        let (l, r, p) = (children[i - 1], children[i], present[i].target);
        for (x, y) in [
            (l.num_samples, r.num_samples),
            (l.num_frames, r.num_frames),
            (l.num_hops, r.num_hops),
            (l.voicing_threshold, r.voicing_threshold),
        ] {
            connect_if(b, p, x, y);
        }
        let next_first = b.add(l.first_frame, step);
        connect_if(b, p, next_first, r.first_frame);
        for (x, y) in l.sponge_out.iter().zip(&r.sponge_in) {
            connect_if(b, p, *x, *y);
        }
        for (x, y) in l.tail.iter().zip(&r.head) {
            connect_if(b, p, *x, *y);
        }
        for (x, y) in l.nonce.iter().zip(&r.nonce) {
            connect_if(b, p, *x, *y);
        }
        // The regression deltas: the right child's first frame has a previous frame, and its register is the
        // left child's hand-over.
        let one = b.one();
        connect_if(b, p, r.delta_has_prev, one);
        for (x, y) in l.delta_out.elements().zip(r.delta_in.elements()) {
            connect_if(b, p, *x, *y);
        }
    }
    // s_i = p_i - p_{i+1}: the last present child.
    let last: Vec<Target> = (0..arity)
        .map(|i| if i + 1 < arity { b.sub(present[i].target, present[i + 1].target) } else { present[i].target })
        .collect();
    // A partial node ends where the recording does: its last present child holds hop H - 1.
    let one = b.one();
    let last_hop = b.sub(first.num_hops, one);
    for i in 0..arity - 1 {
        within_if(b, last[i], last_hop, children[i].first_frame, child_frames);
    }

    let mut parent: ChunkPublicInputs<Target> = *first;
    let zero = b.zero();
    let pick =
        |b: &mut CircuitBuilder<F, D>, weights: &[Target], value: &dyn Fn(&ChunkPublicInputs<Target>) -> Target| {
            weights.iter().zip(children).fold(zero, |acc, (&w, c)| b.mul_add(w, value(c), acc))
        };
    let flags: Vec<Target> = present.iter().map(|p| p.target).collect();
    for j in 0..4 {
        parent.sponge_out[j] = pick(b, &last, &|c| c.sponge_out[j]);
        parent.digest[j] = pick(b, &flags, &|c| c.digest[j]);
    }
    for j in 0..parent.tail.len() {
        parent.tail[j] = pick(b, &last, &|c| c.tail[j]);
    }
    for n in 0..parent.stats.sum.len() {
        parent.stats.sum[n] = pick(b, &flags, &|c| c.stats.sum[n]);
        parent.stats.sum_sq[n] = pick(b, &flags, &|c| c.stats.sum_sq[n]);
    }
    parent.stats.count = pick(b, &flags, &|c| c.stats.count);
    for n in 0..parent.delta_sum_dsq.len() {
        parent.delta_sum_dsq[n] = pick(b, &flags, &|c| c.delta_sum_dsq[n]);
    }
    let picked: Vec<Target> = (0..parent.delta_out.elements().count())
        .map(|j| pick(b, &last, &|c| *c.delta_out.elements().nth(j).expect("same layout")))
        .collect();
    parent.delta_out.elements_mut().zip(picked).for_each(|(x, v)| *x = v);
    parent
}

/// The root's extra checks on its public values: the range starts the recording, and the recording's counts
/// are the ones its length defines and fit the tree.
///
/// - `first_frame = 0`, `sponge_in = 0`, and the sample before the first frame is 0;
/// - `N >= 400` (SPEC §3 refuses shorter audio), `1 <= H <= max_hops`, and `H`, `F` are functions of `N`:
///   `1 <= N - 160 (H - 1) <= 160` (`H = ceil(N / 160)`) and `241 <= N - 160 (F - 1) <= 400`
///   (`F = 1 + ceil((N - 400) / 160)`).
///
/// With `F` pinned by `N`, `F <= H - 1`: the recording's last frame lies in a hop the root's range holds, so
/// a present chunk carries its end marker (which ties `N` to the samples and zeroes everything after the
/// end) and no row past the last frame counts as real. With `H >= 1` some present chunk absorbs the length
/// block, so the digest is `h_audio` (see `docs/SECURITY.md`).
pub fn root_checks(b: &mut CircuitBuilder<F, D>, root: &ChunkPublicInputs<Target>, max_hops: usize) {
    let zero = b.zero();
    b.connect(root.first_frame, zero);
    for x in root.sponge_in {
        b.connect(x, zero);
    }
    // head[0] is x[-1] + 2^15 alone (one sample per boundary element): the sample before the recording is 0.
    let offset = b.constant(F::from_canonical_u64(1 << 15));
    b.connect(root.head[0], offset);
    // The first frame has no previous frame: its register starts as its own delta quotients (the clamped start).
    b.connect(root.delta_has_prev, zero);
    let one = b.one();
    // 1 <= H <= max_hops.
    let hops_less_one = b.sub(root.num_hops, one);
    within(b, hops_less_one, max_hops);
    // F < 2^32 (it is pinned by N below; the bound keeps the products from wrapping).
    b.range_check(root.num_frames, COUNT_BITS);
    // N >= 400 (and N < 2^32, implied by the H rule below).
    let frame_len = b.constant(F::from_canonical_usize(FRAME_LEN));
    let beyond_one_frame = b.sub(root.num_samples, frame_len);
    b.range_check(beyond_one_frame, COUNT_BITS);
    // 1 <= N - 160 (H - 1) <= 160 and 241 <= N - 160 (F - 1) <= 400: both fills lie in a window of 160.
    for (count, lowest) in [(root.num_hops, 1), (root.num_frames, FRAME_LEN - HOP + 1)] {
        let fill = last_unit_fill(b, root.num_samples, count, lowest);
        within(b, fill, HOP);
    }
}

/// Bits of the range checks that bound the recording's counts.
const COUNT_BITS: usize = 32;

/// `N - 160 (count - 1) - lowest`: how far the last hop (or frame) reaches past its smallest fill.
fn last_unit_fill(b: &mut CircuitBuilder<F, D>, samples: Target, count: Target, lowest: usize) -> Target {
    let hop = F::from_canonical_usize(HOP);
    // N - 160 count + (160 - lowest)
    let scaled = b.mul_const(hop, count);
    let diff = b.sub(samples, scaled);
    b.add_const(diff, F::from_canonical_usize(HOP) - F::from_canonical_usize(lowest))
}

/// `0 <= x < n`, with two range checks.
fn within(b: &mut CircuitBuilder<F, D>, x: Target, n: usize) {
    let bits = bits_for(n);
    b.range_check(x, bits);
    let top = b.constant(F::from_canonical_usize(n - 1));
    let below = b.sub(top, x);
    b.range_check(below, bits);
}
