//! voizk patch: eight of this crate's Poseidon permutations (Goldilocks, width 12) at once, one per
//! AVX-512 lane, for hashing Merkle leaves (`PoseidonHash::hash_or_noop_x8`).
//!
//! The permutation is exactly [`Poseidon::poseidon`]: the same round constants and MDS matrix, and the same
//! "fast partial rounds" decomposition. voizk's tests (`stark-frames/tests/plonky2_patch.rs`) compare it with
//! the scalar permutation on random and edge-case states and compare whole Merkle trees.
//!
//! Compiled only where AVX-512F is enabled at compile time, as plonky2_field's own AVX-512 arithmetic is.
//!
//! Representation: a lane holds any `u64` (not necessarily below p, as in plonky2); every operation is
//! correct modulo p = 2^64 - 2^32 + 1 for any inputs, and outputs are reduced to canonical form at the end.
//! Arithmetic follows plonky2_field's AVX-512 Goldilocks code (`movehdup` for high halves, three-product
//! squares, reduction with a multiplication by 2^32 - 1).

use core::arch::x86_64::*;

use plonky2_field::goldilocks_field::GoldilocksField;
use plonky2_field::types::Field;

use crate::hash::poseidon::{Poseidon, ALL_ROUND_CONSTANTS, HALF_N_FULL_ROUNDS, N_PARTIAL_ROUNDS, SPONGE_WIDTH};

type F = GoldilocksField;
type V = __m512i;

/// 2^64 mod p.
const EPSILON: u64 = 0xffff_ffff;
const ORDER: u64 = 0xffff_ffff_0000_0001;

/// Eight permutations: `states[j]` becomes `Poseidon::poseidon(states[j])`.
pub fn permute_x8(states: &mut [[F; SPONGE_WIDTH]; 8]) {
    // SAFETY: this module is compiled only when AVX-512F is enabled for the whole build.
    unsafe { permute_x8_avx512(states) }
}

/// Eight sponge hashes without padding, as plonky2's `PoseidonHash::hash_no_pad` (overwrite mode, rate 8):
/// `inputs[j]` is hashed to `out[j]` (the first four state elements). All inputs have the same length.
pub fn hash_no_pad_x8(inputs: [&[F]; 8]) -> [[F; 4]; 8] {
    let len = inputs[0].len();
    assert!(inputs.iter().all(|i| i.len() == len), "inputs of one length");
    let mut states = [[F::ZERO; SPONGE_WIDTH]; 8];
    for start in (0..len).step_by(8) {
        for (state, input) in states.iter_mut().zip(inputs) {
            let chunk = &input[start..(start + 8).min(len)];
            state[..chunk.len()].copy_from_slice(chunk);
        }
        permute_x8(&mut states);
    }
    states.map(|s| [s[0], s[1], s[2], s[3]])
}

#[target_feature(enable = "avx512f")]
fn permute_x8_avx512(states: &mut [[F; SPONGE_WIDTH]; 8]) {
    let mut s = [_mm512_setzero_si512(); SPONGE_WIDTH];
    for (i, v) in s.iter_mut().enumerate() {
        let lanes: [u64; 8] = core::array::from_fn(|j| states[j][i].0);
        // SAFETY: `lanes` is 64 readable bytes.
        *v = unsafe { _mm512_loadu_si512(lanes.as_ptr().cast()) };
    }
    let mut round = 0;
    for _ in 0..HALF_N_FULL_ROUNDS {
        full_round(&mut s, round);
        round += 1;
    }
    partial_rounds(&mut s);
    round += N_PARTIAL_ROUNDS;
    for _ in 0..HALF_N_FULL_ROUNDS {
        full_round(&mut s, round);
        round += 1;
    }
    for (i, v) in s.iter().enumerate() {
        let mut lanes = [0u64; 8];
        // SAFETY: `lanes` is 64 writable bytes.
        unsafe { _mm512_storeu_si512(lanes.as_mut_ptr().cast(), canonical(*v)) };
        for j in 0..8 {
            states[j][i] = F::from_canonical_u64(lanes[j]);
        }
    }
}

#[inline]
#[target_feature(enable = "avx512f")]
fn splat(x: u64) -> V {
    _mm512_set1_epi64(x as i64)
}

/// The canonical representative (below p).
#[inline]
#[target_feature(enable = "avx512f")]
fn canonical(a: V) -> V {
    let big = _mm512_cmpge_epu64_mask(a, splat(ORDER));
    _mm512_mask_sub_epi64(a, big, a, splat(ORDER))
}

/// a + b mod p, for any lanes (plonky2's `GoldilocksField::add`).
#[inline]
#[target_feature(enable = "avx512f")]
fn add(a: V, b: V) -> V {
    let s = _mm512_add_epi64(a, b);
    let over = _mm512_cmplt_epu64_mask(s, a);
    let t = _mm512_mask_add_epi64(s, over, s, splat(EPSILON));
    let over2 = _mm512_mask_cmplt_epu64_mask(over, t, s);
    _mm512_mask_add_epi64(t, over2, t, splat(EPSILON))
}

/// x + y where the sum wraps at most once and then x + y - 2^64 + EPSILON < 2^64 (plonky2's
/// `add_no_canonicalize_trashing_input`, used where y <= 2^64 - 2^33 + 1).
#[inline]
#[target_feature(enable = "avx512f")]
fn add_small_overflow(x: V, y: V) -> V {
    let s = _mm512_add_epi64(x, y);
    let over = _mm512_cmplt_epu64_mask(s, x);
    _mm512_mask_add_epi64(s, over, s, splat(EPSILON))
}

/// y * EPSILON for y < 2^32.
#[inline]
#[target_feature(enable = "avx512f")]
fn times_epsilon(y: V) -> V {
    _mm512_sub_epi64(_mm512_slli_epi64(y, 32), y)
}

/// The high 32 bits of each lane, in its low half (`movehdup` runs on the shuffle port, leaving the shift
/// port to the multiplier's neighbours; `_mm512_mul_epu32` ignores the high half anyway). As plonky2_field's
/// own AVX-512 arithmetic does.
#[inline]
#[target_feature(enable = "avx512f")]
fn high_half(x: V) -> V {
    _mm512_castps_si512(_mm512_movehdup_ps(_mm512_castsi512_ps(x)))
}

/// The 128-bit products a * b as (low, high) 64-bit halves.
#[inline]
#[target_feature(enable = "avx512f")]
fn mul128(a: V, b: V) -> (V, V) {
    let (a_hi, b_hi) = (high_half(a), high_half(b));
    let ll = _mm512_mul_epu32(a, b);
    let lh = _mm512_mul_epu32(a, b_hi);
    let hl = _mm512_mul_epu32(a_hi, b);
    let hh = _mm512_mul_epu32(a_hi, b_hi);
    let t = _mm512_add_epi64(hl, _mm512_srli_epi64(ll, 32));
    let u = _mm512_add_epi64(lh, _mm512_and_si512(t, splat(EPSILON)));
    let hi = _mm512_add_epi64(hh, _mm512_add_epi64(_mm512_srli_epi64(t, 32), _mm512_srli_epi64(u, 32)));
    // The low 32 bits from ll, the high 32 from the low half of u.
    let u_lo_up = _mm512_castps_si512(_mm512_moveldup_ps(_mm512_castsi512_ps(u)));
    let lo = _mm512_mask_blend_epi32(0x5555, u_lo_up, ll);
    (lo, hi)
}

/// The 128-bit squares a * a as (low, high) halves (three multiplications instead of four).
#[inline]
#[target_feature(enable = "avx512f")]
fn square128(a: V) -> (V, V) {
    let a_hi = high_half(a);
    let ll = _mm512_mul_epu32(a, a);
    let lh = _mm512_mul_epu32(a, a_hi);
    let hh = _mm512_mul_epu32(a_hi, a_hi);
    // a^2 = hh 2^64 + 2 lh 2^32 + ll, with 2 lh 2^32 = lh 2^33.
    let t0 = _mm512_add_epi64(lh, _mm512_srli_epi64(ll, 33));
    let hi = _mm512_add_epi64(hh, _mm512_srli_epi64(t0, 31));
    let lo = _mm512_add_epi64(ll, _mm512_slli_epi64(lh, 33));
    (lo, hi)
}

/// lo + hi * 2^64 mod p (plonky2's `reduce128`).
#[inline]
#[target_feature(enable = "avx512f")]
fn reduce128(lo: V, hi: V) -> V {
    let hi_hi = _mm512_srli_epi64(hi, 32);
    let borrow = _mm512_cmplt_epu64_mask(lo, hi_hi);
    let t0 = _mm512_sub_epi64(lo, hi_hi);
    let t0 = _mm512_mask_sub_epi64(t0, borrow, t0, splat(EPSILON));
    // (hi mod 2^32) * EPSILON: the multiplier reads the low half only.
    add_small_overflow(t0, _mm512_mul_epu32(hi, splat(EPSILON)))
}

/// a * a mod p.
#[inline]
#[target_feature(enable = "avx512f")]
fn square(a: V) -> V {
    let (lo, hi) = square128(a);
    reduce128(lo, hi)
}

/// a * b mod p.
#[inline]
#[target_feature(enable = "avx512f")]
fn mul(a: V, b: V) -> V {
    let (lo, hi) = mul128(a, b);
    reduce128(lo, hi)
}

/// a * b + c mod p, with one reduction (the high half of a * b is at most 2^64 - 2^33, so the carry of the
/// low half fits).
#[inline]
#[target_feature(enable = "avx512f")]
fn mul_add(a: V, b: V, c: V) -> V {
    let (lo, hi) = mul128(a, b);
    let sum = _mm512_add_epi64(lo, c);
    let carry = _mm512_cmplt_epu64_mask(sum, lo);
    reduce128(sum, _mm512_mask_add_epi64(hi, carry, hi, splat(1)))
}

/// x^7.
#[inline]
#[target_feature(enable = "avx512f")]
fn sbox(x: V) -> V {
    let x2 = square(x);
    let x4 = square(x2);
    let x3 = mul(x, x2);
    mul(x3, x4)
}

/// lo + hi * 2^32 mod p for lo, hi < 2^42 (the MDS sums of 32-bit halves times small constants).
#[inline]
#[target_feature(enable = "avx512f")]
fn combine_halves(lo: V, hi: V) -> V {
    let s1 = _mm512_add_epi64(lo, _mm512_slli_epi64(_mm512_and_si512(hi, splat(EPSILON)), 32));
    let carry = _mm512_cmplt_epu64_mask(s1, lo);
    let top = _mm512_mask_add_epi64(_mm512_srli_epi64(hi, 32), carry, _mm512_srli_epi64(hi, 32), splat(1));
    add_small_overflow(s1, times_epsilon(top))
}

#[inline]
#[target_feature(enable = "avx512f")]
#[unroll::unroll_for_loops]
fn full_round(s: &mut [V; SPONGE_WIDTH], round: usize) {
    for i in 0..12 {
        s[i] = sbox(add(s[i], splat(ALL_ROUND_CONSTANTS[i + SPONGE_WIDTH * round])));
    }
    *s = mds(s);
}

/// The MDS layer: circulant `MDS_MATRIX_CIRC` plus diagonal `MDS_MATRIX_DIAG`, on the 32-bit halves of
/// the lanes so that the sums of products by small constants (below 2^9 in total per row) never overflow.
#[inline]
#[target_feature(enable = "avx512f")]
#[unroll::unroll_for_loops]
fn mds(s: &[V; SPONGE_WIDTH]) -> [V; SPONGE_WIDTH] {
    let circ = <F as Poseidon>::MDS_MATRIX_CIRC;
    let diag = <F as Poseidon>::MDS_MATRIX_DIAG;
    let mut hi = [_mm512_setzero_si512(); SPONGE_WIDTH];
    for i in 0..12 {
        hi[i] = high_half(s[i]);
    }
    let mut out = [_mm512_setzero_si512(); SPONGE_WIDTH];
    for r in 0..12 {
        let c = splat(diag[r]);
        let mut acc_lo = _mm512_mul_epu32(s[r], c);
        let mut acc_hi = _mm512_mul_epu32(hi[r], c);
        for i in 0..12 {
            let c = splat(circ[i]);
            acc_lo = _mm512_add_epi64(acc_lo, _mm512_mul_epu32(s[(i + r) % 12], c));
            acc_hi = _mm512_add_epi64(acc_hi, _mm512_mul_epu32(hi[(i + r) % 12], c));
        }
        out[r] = combine_halves(acc_lo, acc_hi);
    }
    out
}

/// The 22 partial rounds in plonky2's fast form (`partial_first_constant_layer`, `mds_partial_layer_init`,
/// then per round the S-box of lane 0, its constant and `mds_partial_layer_fast`).
#[inline]
#[target_feature(enable = "avx512f")]
#[unroll::unroll_for_loops]
fn partial_rounds(s: &mut [V; SPONGE_WIDTH]) {
    for i in 0..12 {
        s[i] = add(s[i], splat(<F as Poseidon>::FAST_PARTIAL_FIRST_ROUND_CONSTANT[i]));
    }
    let m = <F as Poseidon>::FAST_PARTIAL_ROUND_INITIAL_MATRIX;
    let mut init = [s[0]; SPONGE_WIDTH];
    for c in 1..12 {
        init[c] = mul(s[1], splat(m[0][c - 1]));
    }
    for r in 2..12 {
        for c in 1..12 {
            init[c] = mul_add(s[r], splat(m[r - 1][c - 1]), init[c]);
        }
    }
    *s = init;
    let mds00 = <F as Poseidon>::MDS_MATRIX_CIRC[0] + <F as Poseidon>::MDS_MATRIX_DIAG[0];
    for round in 0..N_PARTIAL_ROUNDS {
        partial_round(s, round, mds00);
    }
}

/// One partial round after the initial layer: the S-box of lane 0, its constant, `mds_partial_layer_fast`.
#[inline]
#[target_feature(enable = "avx512f")]
#[unroll::unroll_for_loops]
fn partial_round(s: &mut [V; SPONGE_WIDTH], round: usize, mds00: u64) {
    let s0 = add(sbox(s[0]), splat(<F as Poseidon>::FAST_PARTIAL_ROUND_CONSTANTS[round]));
    let w = <F as Poseidon>::FAST_PARTIAL_ROUND_W_HATS[round];
    let v = <F as Poseidon>::FAST_PARTIAL_ROUND_VS[round];
    // d = [M_00 | w_hat] . state, summed as a tree (the next round waits for it).
    let mut t = [mul(s0, splat(mds00)); SPONGE_WIDTH];
    for i in 1..12 {
        t[i] = mul(s[i], splat(w[i - 1]));
    }
    let a = [add(t[0], t[1]), add(t[2], t[3]), add(t[4], t[5]), add(t[6], t[7]), add(t[8], t[9]), add(t[10], t[11])];
    let d = add(add(add(a[0], a[1]), add(a[2], a[3])), add(a[4], a[5]));
    for i in 1..12 {
        s[i] = mul_add(s0, splat(v[i - 1]), s[i]);
    }
    s[0] = d;
}
