//! Trace generation for the chunk STARK, from the audio samples.
//!
//! Each frame's values come from the integer reference (`fixed::frame_witness`)
//! plus the intermediate values the AIR needs (FFT stages in Pease order,
//! remainders, limbs); debug assertions check that the trace reproduces the
//! reference's FFT output, spectrum, power and energies exactly.

use std::borrow::BorrowMut;

use plonky2::field::polynomial::PolynomialValues;
use plonky2::hash::hash_types::RichField;
use plonky2::util::transpose;

use super::columns::{ChunkCols, LIMB_COLS, NUM_COLS, RANGE_TABLE_COLS, ROWS_PER_FRAME};
use super::fft_air::twiddle_index;
use super::log_air::{NORM_BITS, NORM_REMAINDER_BITS};
use super::poseidon::{self, PoseidonCols, POSEIDON_COLS};
use super::public::{pack_boundary, ChunkPublicInputs, BOUNDARY_ELEMENTS, BOUNDARY_SAMPLES, NUM_PUBLIC_INPUTS};
use super::schedule::SAMPLE_CHECK_ROW;
use super::schedule::{
    bin_slot, butterfly_slot, fft_row, partial_limbs, shift_bound_slots, split_row_bins, window_slot, ACC_OFFSET,
    END_CORRECTION_OFFSET, END_MARKER_OFFSET, EXACT_STAGES, FFT_STAGES, FIRST_END_POSITION, NUM_ACC, PROLOGUE_ROW,
    SHIFT_BOUND_ROW, SPLIT_FIRST_ROW, WINDOW_SAMPLES_PER_ROW,
};
use super::schedule::{dct_slot, log_acc, log_slot, logs_in_row, LOG_ROWS};
use super::schedule::{flag_slots, HOP_HASH_ROWS, LENGTH_HASH_ROW};
use super::schedule::{square_slot, voicing_slot, STATS_C0, STATS_ROW, STATS_VOICED, STATS_WC, STATS_WEIGHT, STATS_WQ};
use super::split_air::acc_weight;
use super::window_air::bitrev;
use super::window_air::WINDOW_PRESCALE_BITS;
use crate::commitment::{length_block, pack_pair, AudioSponge, SAMPLES_PER_BLOCK};
use crate::fixed::fft::twiddle_product;
use crate::fixed::format::{BLOCK_TARGET_BITS, DCT_FRAC_BITS, LOG_MANTISSA_BITS, LOG_POLY_Q24, TWIDDLE_FRAC_BITS};
use crate::fixed::log::{log_parts, LogParts};
use crate::fixed::pooled::{PooledStats, DEFAULT_VOICING_THRESHOLD_Q24, SQUARE_SHIFT_BITS};
use crate::fixed::rounding::round_shift;
use crate::fixed::tables::{tables, CInt, FFT_POINTS};
use crate::fixed::{frame_witness, FrameWitness};
use crate::params::{FRAME_LEN, HOP, NUM_BINS, NUM_CEPS, PREEMPH_DEN, PREEMPH_NUM};

/// The samples one frame of a chunk sees: its 400 samples (zero past the audio),
/// the sample before it, and where the audio ends inside it, if it is the last frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameSamples {
    /// The frame's index `f` in the recording.
    pub index: usize,
    /// `x[160 f + n]`, `n < 400`, or 0 past the audio.
    pub samples: [i16; FRAME_LEN],
    /// `x[160 f - 1]`, or 0 for the first frame.
    pub prev_sample: i16,
    /// For the recording's last frame, `N - 160 f` (in `241..=400`).
    pub last_end: Option<usize>,
    /// First padded position when it lies inside the frame (`last_end < 400`): the
    /// pre-emphasis there is corrected to 0.
    pub end: Option<usize>,
}

impl FrameSamples {
    /// Frame `f` of the recording `audio` (`f` may lie past its last frame).
    pub fn of(audio: &[i16], f: usize) -> Self {
        let at = |i: usize| audio.get(i).copied().unwrap_or(0);
        let start = f * HOP;
        let samples = std::array::from_fn(|n| at(start + n));
        let prev_sample = if start == 0 { 0 } else { at(start - 1) };
        let is_last = crate::params::num_frames(audio.len()) == Some(f + 1);
        let last_end = if is_last { Some(audio.len() - start) } else { None };
        let end = last_end.filter(|&n0| n0 < FRAME_LEN);
        debug_assert!(last_end.is_none_or(|n0| (FIRST_END_POSITION..=FRAME_LEN).contains(&n0)));
        Self { index: f, samples, prev_sample, last_end, end }
    }

    /// Scaled pre-emphasis as python_speech_features defines it: `y = 0` from the end on.
    pub fn preemphasis(&self) -> [i32; FRAME_LEN] {
        std::array::from_fn(|n| {
            if self.end.is_some_and(|n0| n >= n0) {
                return 0;
            }
            let prev = if n == 0 { self.prev_sample } else { self.samples[n - 1] };
            PREEMPH_DEN * i32::from(self.samples[n]) - PREEMPH_NUM * i32::from(prev)
        })
    }
}

/// The FFT vectors `x_0..=x_8` of the constant-geometry FFT, plus each stage's `t`.
fn pease_stages(z: &[CInt; FFT_POINTS]) -> (Vec<[CInt; FFT_POINTS]>, Vec<[CInt; FFT_POINTS / 2]>) {
    let tw = &tables().fft_twiddles;
    let mut xs = vec![std::array::from_fn(|q| z[bitrev(q)])];
    let mut ts = Vec::new();
    for s in 0..FFT_STAGES {
        let x = xs[s];
        let t: [CInt; FFT_POINTS / 2] = std::array::from_fn(|j| twiddle_product(x[2 * j + 1], tw[twiddle_index(s, j)]));
        let mut y = [CInt::default(); FFT_POINTS];
        for j in 0..FFT_POINTS / 2 {
            let a = x[2 * j];
            y[j] = CInt { re: a.re + t[j].re, im: a.im + t[j].im };
            y[j + FFT_POINTS / 2] = CInt { re: a.re - t[j].re, im: a.im - t[j].im };
        }
        xs.push(y);
        ts.push(t);
    }
    (xs, ts)
}

/// Remainder of `round_shift(v, k)`: `v + 2^(k-1) - 2^k q`.
fn remainder(v: i128, k: u32) -> i128 {
    v + (1i128 << (k - 1)) - (i128::from(round_shift(v, k)) << k)
}

/// Writes `v` (an integer known to be small) into a field cell.
fn put<F: RichField>(cell: &mut F, v: i128) {
    *cell = F::from_noncanonical_i64(i64::try_from(v).expect("trace value fits i64"));
}

/// The 16 rows of one frame block.
fn frame_rows<F: RichField>(frame: &FrameSamples) -> (Vec<[F; NUM_COLS]>, FrameWitness) {
    let y = frame.preemphasis();
    let wit = frame_witness(&y);
    let mut rows = vec![[F::ZERO; NUM_COLS]; ROWS_PER_FRAME];
    let energy = i128::from(crate::fixed::window::frame_energy(&y));
    let s = wit.block_shift as usize;

    for (r, row) in rows.iter_mut().enumerate() {
        let c: &mut ChunkCols<F> = row[..].borrow_mut();
        c.row[r] = F::ONE;
        c.shift[s] = F::ONE;
        put(&mut c.frame_energy, energy);
        put(&mut c.prev_sample, frame.prev_sample.into());
        for n in 0..FRAME_LEN {
            put(&mut c.samples[n], frame.samples[n].into());
        }
    }

    // Prologue: end marker, corrections, window limbs (samples 0..200 here, 200..400 in row 1).
    {
        let c: &mut ChunkCols<F> = rows[PROLOGUE_ROW][..].borrow_mut();
        match frame.last_end {
            None => c.general[END_MARKER_OFFSET] = F::ONE,
            Some(n0) => c.general[END_MARKER_OFFSET + 1 + n0 - FIRST_END_POSITION] = F::ONE,
        }
        if let Some(n0) = frame.end {
            put(
                &mut c.general[END_CORRECTION_OFFSET + n0 - FIRST_END_POSITION],
                i128::from(PREEMPH_NUM) * i128::from(frame.samples[n0 - 1]),
            );
        }
    }
    let w = &tables().window;
    for n in 0..FRAME_LEN {
        let product = (i128::from(y[n]) << s) * i128::from(w[n] << WINDOW_PRESCALE_BITS);
        let r = remainder(product, 32);
        let v = i128::from(wit.windowed[n]);
        debug_assert_eq!(round_shift(product, 32) as i128, v);
        let (row, slot) =
            if n < WINDOW_SAMPLES_PER_ROW { (PROLOGUE_ROW, n) } else { (PROLOGUE_ROW + 1, n - WINDOW_SAMPLES_PER_ROW) };
        let c: &mut ChunkCols<F> = rows[row][..].borrow_mut();
        let (r_slot, v_slot) = window_slot(slot);
        r_slot.write(&mut c.limbs, r);
        v_slot.write(&mut c.limbs, v);
    }

    // FFT stages in constant geometry.
    let (xs, ts) = pease_stages(&crate::fixed::fft::pack(&wit.windowed));
    debug_assert_eq!(xs[FFT_STAGES], wit.fft, "Pease FFT must equal the reference DIT FFT");
    let tw = &tables().fft_twiddles;
    for (stage, x) in xs.iter().enumerate() {
        let c: &mut ChunkCols<F> = rows[fft_row(stage)][..].borrow_mut();
        for (p, v) in x.iter().enumerate() {
            put(&mut c.general[2 * p], v.re.into());
            put(&mut c.general[2 * p + 1], v.im.into());
        }
        if (EXACT_STAGES..FFT_STAGES).contains(&stage) {
            for j in 0..FFT_POINTS / 2 {
                let b = x[2 * j + 1];
                let wj = tw[twiddle_index(stage, j)];
                let (br, bi, wr, wi) = (i128::from(b.re), i128::from(b.im), i128::from(wj.re), i128::from(wj.im));
                let slot = butterfly_slot(j);
                slot.r_re.write(&mut c.limbs, remainder(br * wr - bi * wi, TWIDDLE_FRAC_BITS));
                slot.r_im.write(&mut c.limbs, remainder(br * wi + bi * wr, TWIDDLE_FRAC_BITS));
                slot.t_re.write(&mut c.limbs, ts[stage][j].re.into());
                slot.t_im.write(&mut c.limbs, ts[stage][j].im.into());
            }
        }
    }

    // Block-shift bounds.
    {
        let c: &mut ChunkCols<F> = rows[SHIFT_BOUND_ROW][..].borrow_mut();
        let t = 2 * BLOCK_TARGET_BITS;
        let (q1, q2) = shift_bound_slots();
        q1.write(&mut c.limbs, (1i128 << (t - 2 * s as u32)) - 1 - energy);
        let lower = if s < 16 { 1i128 << (t - 2 - 2 * s as u32) } else { 0 };
        q2.write(&mut c.limbs, energy - lower);
    }

    // Split, power, accumulators.
    let z = &xs[FFT_STAGES];
    let u = &tables().split_twiddles;
    let mut acc = [0i128; NUM_ACC];
    for q in 0..super::schedule::SPLIT_ROWS {
        let r = SPLIT_FIRST_ROW + q;
        let c: &mut ChunkCols<F> = rows[r][..].borrow_mut();
        for (p, v) in z.iter().enumerate() {
            put(&mut c.general[2 * p], v.re.into());
            put(&mut c.general[2 * p + 1], v.im.into());
        }
        for (j, &a) in acc.iter().enumerate() {
            put(&mut c.general[ACC_OFFSET + j], a);
        }
        for (slot, k) in split_row_bins(q) {
            let a = z[k % FFT_POINTS];
            let b = z[(FFT_POINTS - k % FFT_POINTS) % FFT_POINTS];
            let e = CInt { re: a.re + b.re, im: a.im - b.im };
            let o = CInt { re: a.re - b.re, im: a.im + b.im };
            let t = twiddle_product(o, u[k]);
            let (or, oi, ur, ui) = (i128::from(o.re), i128::from(o.im), i128::from(u[k].re), i128::from(u[k].im));
            let yk = CInt { re: e.re + t.re, im: e.im + t.im };
            debug_assert_eq!(yk, wit.spectrum[k]);
            let p = i128::from(yk.re).pow(2) + i128::from(yk.im).pow(2);
            let pw = round_shift(p, 16);
            debug_assert_eq!(pw, wit.power[k]);
            let l = bin_slot(slot);
            l.r_re.write(&mut c.limbs, remainder(or * ur - oi * ui, TWIDDLE_FRAC_BITS));
            l.r_im.write(&mut c.limbs, remainder(or * ui + oi * ur, TWIDDLE_FRAC_BITS));
            l.t_re.write(&mut c.limbs, t.re.into());
            l.t_im.write(&mut c.limbs, t.im.into());
            l.r_pow.write(&mut c.limbs, remainder(p, 16));
            l.power.write(&mut c.limbs, pw.into());
            for (j, a) in acc.iter_mut().enumerate() {
                *a += i128::from(acc_weight(j, k)) * i128::from(pw);
            }
        }
    }
    debug_assert!(acc[..NUM_ACC - 1].iter().zip(&wit.mel).all(|(&a, &m)| a == i128::from(m)));
    debug_assert_eq!(acc[NUM_ACC - 1], i128::from(wit.energy));
    for (r, &row) in LOG_ROWS.iter().enumerate() {
        let c: &mut ChunkCols<F> = rows[row][..].borrow_mut();
        for (j, &a) in acc.iter().enumerate() {
            put(&mut c.general[ACC_OFFSET + j], a);
        }
        for slot in 0..logs_in_row(r) {
            write_log(c, slot, acc[log_acc(r, slot)] as u64);
        }
    }
    {
        // DCT rescales from the reference's logs.
        let c: &mut ChunkCols<F> = rows[LOG_ROWS[0]][..].borrow_mut();
        let d = &tables().dct;
        for (n, row) in d.iter().enumerate().take(NUM_CEPS).skip(1) {
            let sum: i128 = row.iter().zip(&wit.log_mel).map(|(&a, &l)| i128::from(a) * i128::from(l)).sum();
            let (rem, coef) = dct_slot(n);
            rem.write(&mut c.limbs, remainder(sum, DCT_FRAC_BITS));
            coef.write(&mut c.limbs, round_shift(sum, DCT_FRAC_BITS).into());
            debug_assert_eq!(round_shift(sum, DCT_FRAC_BITS), wit.mfcc[n]);
        }
    }
    {
        let c: &mut ChunkCols<F> = rows[SAMPLE_CHECK_ROW][..].borrow_mut();
        for n in 0..FRAME_LEN {
            put(&mut c.limbs[n], i128::from(frame.samples[n]) + (1 << 15));
        }
    }
    (rows, wit)
}

/// Writes the log witness of `m` into log slot `slot` of a log row.
fn write_log<F: RichField>(c: &mut ChunkCols<F>, slot: usize, m: u64) {
    let s = log_slot(slot);
    let parts = log_parts(m).unwrap_or(LogParts { bit: 0, mantissa: 0, poly: LOG_POLY_Q24[0] });
    let g = &mut c.general[s.general..];
    g[0] = F::from_bool(m == 0);
    g[1] = if m == 0 { F::ZERO } else { F::from_canonical_u64(m).inverse() };
    let l = parts.bit as usize;
    for i in 0..6 {
        g[2 + i] = F::from_bool(l >> i & 1 == 1);
    }
    for i in 0..5 {
        g[8 + i] = F::from_canonical_u64(1 << (l & ((1 << (i + 2)) - 1)));
    }
    g[13] = F::from_canonical_u64(1 << (NORM_BITS as usize - l));
    let n = i128::from(m) << (NORM_BITS as usize - l);
    let u = if m == 0 { 0 } else { (n >> NORM_REMAINDER_BITS) - (1 << LOG_MANTISSA_BITS) };
    debug_assert_eq!(u, i128::from(parts.mantissa));
    s.u.write(&mut c.limbs, u);
    s.r_norm.write(&mut c.limbs, n & ((1 << NORM_REMAINDER_BITS) - 1));
    s.upper.write(&mut c.limbs, (2i128 << l) - 1 - i128::from(m));
    let mut acc = i128::from(LOG_POLY_Q24[7]);
    for (k, (rem, quo)) in s.horner.iter().enumerate() {
        let prod = acc * u;
        let q = round_shift(prod, LOG_MANTISSA_BITS);
        rem.write(&mut c.limbs, remainder(prod, LOG_MANTISSA_BITS));
        quo.write(&mut c.limbs, q.into());
        acc = i128::from(q) + i128::from(LOG_POLY_Q24[6 - k]);
    }
    debug_assert_eq!(acc, i128::from(parts.poly));
}

/// Fills the range-table counter and multiplicities of a complete trace.
fn fill_range_table<F: RichField>(rows: &mut [[F; NUM_COLS]]) {
    let height = rows.len();
    let mut counts = vec![0u64; 1 << 16];
    let partials = partial_limbs();
    for row in rows.iter() {
        let c: &ChunkCols<F> = std::borrow::Borrow::borrow(&row[..]);
        let block_row = (0..ROWS_PER_FRAME).find(|&r| c.row[r] == F::ONE).expect("row one-hot");
        // A value outside [0, 2^16) has no table entry: it is left uncounted, and the
        // lookup argument then fails, as it must.
        for &l in &c.limbs[..LIMB_COLS] {
            if let Some(n) = counts.get_mut(l.to_canonical_u64() as usize) {
                *n += 1;
            }
        }
        for p in partials.iter().filter(|p| p.rows.contains(&block_row)) {
            let v = c.limbs[p.limb].to_canonical_u64().checked_shl(16 - p.bits).unwrap_or(u64::MAX);
            if let Some(n) = counts.get_mut(v as usize) {
                *n += 1;
            }
        }
    }
    for (r, row) in rows.iter_mut().enumerate() {
        let c: &mut ChunkCols<F> = row[..].borrow_mut();
        c.range_counter = F::from_canonical_usize(r);
        for i in 0..RANGE_TABLE_COLS {
            let v = r + i * height;
            c.range_mult[i] = F::from_canonical_u64(if v < 1 << 16 { counts[v] } else { 0 });
        }
    }
}

/// A generated chunk trace, its public inputs and the reference witnesses of its real frames.
pub struct ChunkTrace<F: RichField> {
    /// The trace, one row per entry.
    pub rows: Vec<[F; NUM_COLS]>,
    /// The public inputs ([`ChunkPublicInputs`] in order).
    pub public_inputs: Vec<F>,
    /// The integer-reference witness of each real frame of the chunk, in order.
    pub frames: Vec<FrameWitness>,
}

/// A Goldilocks element of the native commitment as a trace field element.
fn gl<F: RichField>(x: crate::commitment::F) -> F {
    use plonky2::field::types::PrimeField64;
    F::from_canonical_u64(x.to_canonical_u64())
}

/// Writes the commitment part of one frame block: index, flags, hashing, carries.
#[allow(clippy::too_many_arguments)]
fn commit_rows<F: RichField>(
    rows: &mut [[F; NUM_COLS]],
    frame: &FrameSamples,
    n: usize,
    first: usize,
    frames_per_chunk: usize,
    sponge: &mut [F; 4],
    digest: &mut [F; 4],
) {
    let (num_frames, num_hops) = (crate::params::num_frames(n).expect("one frame at least"), n.div_ceil(HOP));
    let f = frame.index;
    let real = f < num_frames;
    let live = f < num_hops;
    let owns_end = f + 1 == num_hops;
    let in_chunk = f - first < frames_per_chunk;
    let inv = |d: i64| if d == 0 { F::ZERO } else { F::from_noncanonical_i64(d).inverse() };
    for (r, row) in rows.iter_mut().enumerate() {
        let c: &mut ChunkCols<F> = row[..].borrow_mut();
        c.frame_index = F::from_canonical_usize(f);
        c.flags.real = F::from_bool(real);
        c.flags.last_real = F::from_bool(f + 1 == num_frames);
        c.flags.last_real_inv = inv(f as i64 + 1 - num_frames as i64);
        c.flags.hop_live = F::from_bool(live);
        c.flags.owns_end = F::from_bool(owns_end);
        c.flags.owns_end_inv = inv(f as i64 + 1 - num_hops as i64);
        c.flags.in_chunk = F::from_bool(in_chunk);
        c.flags.absorb_hop = F::from_bool(in_chunk && live);
        c.flags.absorb_len = F::from_bool(in_chunk && owns_end);
        c.flags.counted = F::from_bool(in_chunk && real);
        c.flags.marks_end = F::from_bool(in_chunk && f + 1 == num_frames);
        c.sponge_cap = *sponge;
        c.digest = *digest;
        let input: Option<[F; 8]> = if r < HOP_HASH_ROWS {
            Some(std::array::from_fn(|k| {
                let at = SAMPLES_PER_BLOCK * r + 2 * k;
                gl(pack_pair(frame.samples[at], Some(frame.samples[at + 1])))
            }))
        } else if r == LENGTH_HASH_ROW {
            Some(length_block(n as u64).map(gl))
        } else {
            None
        };
        if let Some(rate) = input {
            let state: [F; 12] = std::array::from_fn(|i| if i < 8 { rate[i] } else { sponge[i - 8] });
            let hash: &mut PoseidonCols<F> = c.hash[..POSEIDON_COLS].borrow_mut();
            poseidon::generate(hash, state);
            let absorbs = in_chunk && if r < HOP_HASH_ROWS { live } else { owns_end };
            if absorbs {
                sponge.copy_from_slice(&hash.output[8..12]);
            }
            if r == LENGTH_HASH_ROW && owns_end && in_chunk {
                digest.copy_from_slice(&hash.output[..4]);
            }
        }
        if r == SAMPLE_CHECK_ROW {
            let [real_dist, live_dist, fill_lo, fill_hi, chunk_dist] = flag_slots();
            let rel = (f - first) as i128;
            let k = frames_per_chunk as i128;
            chunk_dist.write(&mut c.limbs, if in_chunk { k - 1 - rel } else { rel - k });
            let (f, nf, nh, n) = (f as i128, num_frames as i128, num_hops as i128, n as i128);
            real_dist.write(&mut c.limbs, if real { nf - 1 - f } else { f - nf });
            live_dist.write(&mut c.limbs, if live { nh - 1 - f } else { f - nh });
            let hop = HOP as i128;
            fill_lo.write(&mut c.limbs, if owns_end { n - 1 - hop * f } else { 0 });
            fill_hi.write(&mut c.limbs, if owns_end { hop * f + hop - n } else { 0 });
        }
    }
}

/// Writes the statistics part of one frame block and advances the running sums.
fn stats_rows<F: RichField>(
    rows: &mut [[F; NUM_COLS]],
    wit: &FrameWitness,
    real: bool,
    threshold: i64,
    totals: &mut PooledStats,
) {
    let c = &wit.mfcc;
    let voiced = c[0] >= threshold;
    let weight = voiced && real;
    let q: [i64; NUM_CEPS] = std::array::from_fn(|n| round_shift(i128::from(c[n]), SQUARE_SHIFT_BITS));
    {
        let row: &mut ChunkCols<F> = rows[STATS_ROW][..].borrow_mut();
        put(&mut row.general[STATS_C0], c[0].into());
        row.general[STATS_VOICED] = F::from_bool(voiced);
        row.general[STATS_WEIGHT] = F::from_bool(weight);
        let t = i128::from(threshold);
        let c0 = i128::from(c[0]);
        voicing_slot().write(&mut row.limbs, if voiced { c0 - t } else { t - 1 - c0 });
        for n in 0..NUM_CEPS {
            let w = i128::from(weight);
            put(&mut row.general[STATS_WC + n], w * i128::from(c[n]));
            put(&mut row.general[STATS_WQ + n], w * i128::from(q[n]));
            let (r_slot, q_slot) = square_slot(n);
            r_slot.write(&mut row.limbs, remainder(c[n].into(), SQUARE_SHIFT_BITS));
            q_slot.write(&mut row.limbs, q[n].into());
        }
    }
    for (r, row) in rows.iter_mut().enumerate() {
        let cols: &mut ChunkCols<F> = row[..].borrow_mut();
        for n in 0..NUM_CEPS {
            put(&mut cols.stats.sum[n], totals.sum[n].into());
            put(&mut cols.stats.sum_sq[n], totals.sum_sq[n].into());
        }
        cols.stats.count = F::from_canonical_u64(totals.count);
        if r == STATS_ROW && weight {
            totals.add(c, threshold);
        }
    }
}

impl<F: RichField> ChunkTrace<F> {
    /// The trace of frames `first .. first + blocks` of `audio` (frames from
    /// `first + count` on are not part of this chunk's output, or lie past the
    /// recording's end), with its public inputs, using the default voicing threshold.
    pub fn generate(audio: &[i16], first: usize, count: usize, blocks: usize) -> Self {
        Self::generate_with_threshold(audio, first, count, blocks, DEFAULT_VOICING_THRESHOLD_Q24)
    }

    /// As [`Self::generate`], with the voicing threshold (Q24) of the pooled statistics.
    pub fn generate_with_threshold(audio: &[i16], first: usize, count: usize, blocks: usize, threshold: i64) -> Self {
        assert!(count <= blocks, "{count} frames do not fit {blocks} blocks");
        let n = audio.len();
        let mut rows = Vec::with_capacity(blocks * ROWS_PER_FRAME);
        let mut frames = Vec::with_capacity(count);
        // The sponge capacity after the hops before this chunk.
        let mut before = AudioSponge::new();
        let mut prefix = audio[..(first * HOP).min(n)].to_vec();
        prefix.resize(first * HOP, 0);
        before.absorb(&prefix).expect("whole hops");
        let state = before.state();
        let mut sponge: [F; 4] = std::array::from_fn(|i| gl(state[8 + i]));
        let sponge_in = sponge;
        let mut digest = [F::ZERO; 4];
        let mut last_frame = None;
        let mut totals = PooledStats::default();
        let num_frames = crate::params::num_frames(n).expect("one frame at least");
        let mut chunk_last: Option<FrameSamples> = None;
        for b in 0..blocks {
            // Padding blocks past the chunk's `count` frames repeat its last frame.
            let frame = match (&chunk_last, b < count) {
                (Some(last), false) => FrameSamples { index: first + b, last_end: None, end: None, ..last.clone() },
                _ => FrameSamples::of(audio, first + b),
            };
            if b < count {
                chunk_last = Some(frame.clone());
            }
            let (mut block, wit) = frame_rows::<F>(&frame);
            commit_rows(&mut block, &frame, n, first, count, &mut sponge, &mut digest);
            stats_rows(&mut block, &wit, b < count && frame.index < num_frames, threshold, &mut totals);
            rows.extend(block);
            if b < count {
                frames.push(wit);
            }
            last_frame = Some(frame);
        }
        fill_range_table(&mut rows);
        let first_frame = FrameSamples::of(audio, first);
        let last_frame = last_frame.expect("at least one block");
        let boundary = |f: &FrameSamples, tail: bool| -> [F; BOUNDARY_ELEMENTS] {
            let s: [i16; BOUNDARY_SAMPLES] = std::array::from_fn(|i| match (tail, i) {
                (false, 0) => f.prev_sample,
                (false, i) => f.samples[i - 1],
                (true, 0) => f.samples[HOP - 1],
                (true, i) => f.samples[HOP + i - 1],
            });
            pack_boundary(&s).map(F::from_canonical_u64)
        };
        let mut public_inputs = vec![F::ZERO; NUM_PUBLIC_INPUTS];
        {
            let p: &mut ChunkPublicInputs<F> = public_inputs[..].borrow_mut();
            p.first_frame = F::from_canonical_usize(first);
            p.num_samples = F::from_canonical_usize(n);
            p.num_frames = F::from_canonical_usize(crate::params::num_frames(n).expect("one frame at least"));
            p.num_hops = F::from_canonical_usize(n.div_ceil(HOP));
            p.sponge_in = sponge_in;
            p.sponge_out = sponge;
            p.digest = digest;
            p.head = boundary(&first_frame, false);
            p.tail = boundary(&last_frame, true);
            p.voicing_threshold = F::from_noncanonical_i64(threshold);
            for i in 0..NUM_CEPS {
                p.stats.sum[i] = F::from_noncanonical_i64(totals.sum[i]);
                p.stats.sum_sq[i] = F::from_noncanonical_i64(totals.sum_sq[i]);
            }
            p.stats.count = F::from_canonical_u64(totals.count);
        }
        Self { rows, public_inputs, frames }
    }

    /// Recomputes the range-table multiplicities after the rows were edited (tests
    /// use it to build the best trace a cheating prover could).
    pub fn refill_range_table(&mut self) {
        fill_range_table(&mut self.rows);
    }

    /// The trace as column polynomials, as starky's prover expects.
    pub fn into_polys(self) -> Vec<PolynomialValues<F>> {
        let rows: Vec<Vec<F>> = self.rows.iter().map(|r| r.to_vec()).collect();
        transpose(&rows).into_iter().map(PolynomialValues::new).collect()
    }
}

const _: () = assert!(NUM_BINS == 257);
