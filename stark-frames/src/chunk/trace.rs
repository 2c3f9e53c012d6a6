//! Trace generation for the chunk STARK, from the audio samples: one row per frame.
//!
//! Each frame's values come from the integer reference (`fixed::frame_witness`) plus the witnesses the AIR
//! needs (remainders, limbs, log bits, Poseidon permutations); debug assertions check that the trace
//! reproduces the reference's spectrum and cepstra exactly. The per-frame work runs in parallel; the audio
//! sponge, which chains the rows, runs afterwards in order.

use std::borrow::BorrowMut;

use plonky2::field::polynomial::PolynomialValues;
use plonky2::hash::hash_types::RichField;
use plonky2::util::transpose;
use rayon::prelude::*;

use super::columns::{FrameRow, FIRST_END_POSITION, HASH_SLOTS, NUM_COLS, NUM_LOGS, RANGE_TABLE_COLS};
use super::delta_gen::{self, DeltaStart};
use super::dft_air::SPECTRUM_PRESCALE_BITS;
use super::layout::{
    dct_slot, delta_quotient_slot, flag_slots, hop_limb, log_slot, partial_values, shift_bound_slots, spectrum_slot,
    square_slot, voicing_slot, COPY_OFFSET, LIMB_COLS, PREV_SAMPLE_LIMB,
};
use super::limbs::LimbRangeError;
use super::log_air::{HORNER_PRESCALE_BITS, NORM_BITS, NORM_REMAINDER_BITS};
use super::poseidon_x7::{self, PoseidonX7Cols};
use super::public::{pack_boundary, ChunkPublicInputs, BOUNDARY_ELEMENTS, BOUNDARY_SAMPLES, NUM_PUBLIC_INPUTS};
use crate::commitment::{length_block, pack_pair, AudioSponge, SAMPLES_PER_BLOCK};
use crate::fixed::block::frame_energy;
use crate::fixed::format::{
    BLOCK_TARGET_BITS, DCT_FRAC_BITS, LOG_MANTISSA_BITS, LOG_POLY_Q24, MAX_BLOCK_SHIFT, SPECTRUM_RESCALE_BITS,
};
use crate::fixed::log::{log_parts, LogParts};
use crate::fixed::pooled::{
    delta_quotients, quotients, PooledStats, DEFAULT_VOICING_THRESHOLD_Q24, DELTA_RESCALED, DELTA_RESCALE_BITS,
    SQUARE_SHIFT_BITS,
};
use crate::fixed::rounding::round_shift;
use crate::fixed::tables::tables;
use crate::fixed::{frame_witness, FrameValuesQ24, FrameWitness};
use crate::params::{FRAME_LEN, HOP, NUM_CEPS, NUM_STAT_VALUES, PREEMPH_DEN, PREEMPH_NUM};

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
        let claims = RecordingCounts::of(audio.len()).unwrap_or(RecordingCounts {
            num_samples: audio.len(),
            num_frames: 0,
            num_hops: audio.len().div_ceil(HOP),
        });
        Self::claimed(audio, f, &claims)
    }

    /// Frame `f` as a prover stating the recording counts `claims` writes it: its samples read from
    /// `audio` (zero past its end), and the end of the audio marked on frame `claims.num_frames - 1` at
    /// `claims.num_samples - 160 f`. For honest claims this is [`FrameSamples::of`].
    pub fn claimed(audio: &[i16], f: usize, claims: &RecordingCounts) -> Self {
        let at = |i: usize| audio.get(i).copied().unwrap_or(0);
        let start = f * HOP;
        let samples = std::array::from_fn(|n| at(start + n));
        let prev_sample = if start == 0 { 0 } else { at(start - 1) };
        let is_last = claims.num_frames == f + 1;
        let last_end = if is_last { Some(claims.num_samples.saturating_sub(start)) } else { None };
        let end = last_end.filter(|&n0| n0 < FRAME_LEN);
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

/// Remainder of `round_shift(v, k)`: `v + 2^(k-1) - 2^k q`.
pub(crate) fn remainder(v: i128, k: u32) -> i128 {
    v + (1i128 << (k - 1)) - (i128::from(round_shift(v, k)) << k)
}

/// Writes `v` (an integer known to be small) into a field cell.
fn put<F: RichField>(cell: &mut F, v: i128) {
    *cell = F::from_noncanonical_i64(i64::try_from(v).expect("trace value fits i64"));
}

/// The DSP part of one frame's row: samples, end marker, shift, spectrum, logs, cepstra.
fn dsp_row<F: RichField>(frame: &FrameSamples, c: &mut FrameRow<F>) -> FrameWitness {
    let y = frame.preemphasis();
    let wit = frame_witness(&y);
    let energy = i128::from(frame_energy(&y));
    let s = wit.block_shift;

    put(&mut c.prev_sample, frame.prev_sample.into());
    for n in 0..FRAME_LEN {
        put(&mut c.samples[n], frame.samples[n].into());
    }
    for n in 0..HOP {
        put(&mut c.limbs[hop_limb(n)], i128::from(frame.samples[n]) + (1 << 15));
    }
    put(&mut c.limbs[PREV_SAMPLE_LIMB], i128::from(frame.prev_sample) + (1 << 15));
    match frame.last_end {
        None => c.end_marker[0] = F::ONE,
        Some(n0) => c.end_marker[1 + n0 - FIRST_END_POSITION] = F::ONE,
    }
    if let Some(n0) = frame.end {
        put(&mut c.end_correction, i128::from(PREEMPH_NUM) * i128::from(frame.samples[n0 - 1]));
    }
    c.shift[s as usize] = F::ONE;
    put(&mut c.frame_energy, energy);
    let t = 2 * BLOCK_TARGET_BITS;
    let (q1, q2) = shift_bound_slots();
    q1.write(&mut c.limbs, (1i128 << (t - 2 * s)) - 1 - energy);
    let lower = if s < MAX_BLOCK_SHIFT { 1i128 << (t - 2 - 2 * s) } else { 0 };
    q2.write(&mut c.limbs, energy - lower);

    // Spectrum: 2^3 (2^s S + 2^28) = 2^32 X + r'.
    for (k, &(re, im)) in wit.kernel_sums.iter().enumerate() {
        for (imag, sum) in [(false, re), (true, im)] {
            let v = ((i128::from(sum) << s) + (1 << (SPECTRUM_RESCALE_BITS - 1))) << SPECTRUM_PRESCALE_BITS;
            let x = v >> 32;
            let want = if imag { wit.spectrum[k].im } else { wit.spectrum[k].re };
            debug_assert_eq!(x, i128::from(want), "bin {k}");
            let slot = spectrum_slot(k, imag);
            slot.rem.write(&mut c.limbs, v - (x << 32));
            slot.value.write(&mut c.limbs, x);
        }
    }

    // Logs of the mel energies and of the frame energy.
    for j in 0..NUM_LOGS {
        let m = if j < NUM_LOGS - 1 { wit.mel[j] } else { wit.energy };
        write_log(c, j, m);
    }
    // DCT rescales from the reference's logs.
    let d = &tables().dct;
    for (n, row) in d.iter().enumerate().take(NUM_CEPS).skip(1) {
        let sum: i128 = row.iter().zip(&wit.log_mel).map(|(&a, &l)| i128::from(a) * i128::from(l)).sum();
        let slot = dct_slot(n);
        slot.rem.write(&mut c.limbs, remainder(sum, DCT_FRAC_BITS));
        slot.value.write(&mut c.limbs, round_shift(sum, DCT_FRAC_BITS).into());
        debug_assert_eq!(round_shift(sum, DCT_FRAC_BITS), wit.mfcc[n]);
    }
    wit
}

/// Writes the log witness of `m` into log `j`.
fn write_log<F: RichField>(c: &mut FrameRow<F>, j: usize, m: u64) {
    let s = log_slot(j);
    let parts = log_parts(m).unwrap_or(LogParts { bit: 0, mantissa: 0, poly: LOG_POLY_Q24[0] });
    let g = &mut c.logs[j];
    g.is_zero = F::from_bool(m == 0);
    g.inv = if m == 0 { F::ZERO } else { F::from_canonical_u64(m).inverse() };
    let l = parts.bit as usize;
    for i in 0..6 {
        g.bits[i] = F::from_bool(l >> i & 1 == 1);
    }
    for i in 0..5 {
        g.pow[i] = F::from_canonical_u64(1 << (l & ((1 << (i + 2)) - 1)));
    }
    g.norm = F::from_canonical_u64(1 << (NORM_BITS as usize - l));
    let n = i128::from(m) << (NORM_BITS as usize - l);
    let u = if m == 0 { 0 } else { (n >> NORM_REMAINDER_BITS) - (1 << LOG_MANTISSA_BITS) };
    debug_assert_eq!(u, i128::from(parts.mantissa));
    s.u.write(&mut c.limbs, u);
    s.r_norm.write(&mut c.limbs, n & ((1 << NORM_REMAINDER_BITS) - 1));
    s.upper.write(&mut c.limbs, (2i128 << l) - 1 - i128::from(m));
    let mut acc = i128::from(LOG_POLY_Q24[7]);
    for (k, step) in s.horner.iter().enumerate() {
        let prod = acc * u;
        let q = round_shift(prod, LOG_MANTISSA_BITS);
        step.rem.write(&mut c.limbs, remainder(prod, LOG_MANTISSA_BITS) << HORNER_PRESCALE_BITS);
        step.value.write(&mut c.limbs, q.into());
        acc = i128::from(q) + i128::from(LOG_POLY_Q24[6 - k]);
    }
    debug_assert_eq!(acc, i128::from(parts.poly));
}

/// Writes the per-frame statistics values of a row from its values (cepstra, then log mel energies): the
/// voicing decision, the weights, and the rescales of the values. Fails (writing part of the row) when a value
/// does not fit its cells.
pub(crate) fn voicing_row<F: RichField>(
    c: &mut FrameRow<F>,
    values: &FrameValuesQ24,
    counted: bool,
    threshold: i64,
) -> Result<(), LimbRangeError> {
    let voiced = values[0] >= threshold;
    let weight = voiced && counted;
    let v = &mut c.voicing;
    put(&mut v.c0, values[0].into());
    v.voiced = F::from_bool(voiced);
    v.weight = F::from_bool(weight);
    for (n, &vn) in values.iter().enumerate() {
        let q = round_shift(i128::from(vn), SQUARE_SHIFT_BITS);
        let w = i128::from(weight);
        put(&mut v.weighted_value[n], w * i128::from(vn));
        put(&mut v.weighted_q[n], w * i128::from(q));
        let slot = square_slot(n);
        slot.rem.try_write(&mut c.limbs, remainder(vn.into(), SQUARE_SHIFT_BITS))?;
        slot.value.try_write(&mut c.limbs, q.into())?;
    }
    let (q, e) = (quotients(values), delta_quotients(values));
    for (i, n) in DELTA_RESCALED.enumerate() {
        let r = q[n] + (1 << (DELTA_RESCALE_BITS - 1)) - (e[n] << DELTA_RESCALE_BITS);
        c.delta.rem_bits[i] = std::array::from_fn(|b| F::from_bool(r >> b & 1 == 1));
        delta_quotient_slot(n).try_write(&mut c.limbs, e[n].into())?;
    }
    let (t, c0) = (i128::from(threshold), i128::from(values[0]));
    voicing_slot().try_write(&mut c.limbs, if voiced { c0 - t } else { t - 1 - c0 })
}

/// Writes the scaled copies of the partial top limbs (after every other limb is set).
fn fill_copies<F: RichField>(c: &mut FrameRow<F>) {
    for (i, v) in partial_values().iter().enumerate() {
        c.limbs[COPY_OFFSET + i] = c.limbs[v.top()] * F::from_canonical_u64(1 << (16 - v.top_bits));
    }
}

/// Fills the range-table counter and multiplicities of a complete trace.
fn fill_range_table<F: RichField>(rows: &mut [[F; NUM_COLS]]) {
    let height = rows.len();
    let mut counts = vec![0u64; 1 << 16];
    for row in rows.iter() {
        let c: &FrameRow<F> = std::borrow::Borrow::borrow(&row[..]);
        // A value outside [0, 2^16) has no table entry: it is left uncounted, and the
        // lookup argument then fails, as it must.
        for &l in &c.limbs[..LIMB_COLS] {
            if let Some(n) = counts.get_mut(l.to_canonical_u64() as usize) {
                *n += 1;
            }
        }
    }
    for (r, row) in rows.iter_mut().enumerate() {
        let c: &mut FrameRow<F> = row[..].borrow_mut();
        c.range_counter = F::from_canonical_usize(r);
        for i in 0..RANGE_TABLE_COLS {
            let v = r + i * height;
            c.range_mult[i] = F::from_canonical_u64(if v < 1 << 16 { counts[v] } else { 0 });
        }
    }
}

/// A generated chunk trace, its public inputs and the reference witnesses of its real frames.
pub struct ChunkTrace<F: RichField> {
    /// The trace, one row per frame.
    pub rows: Vec<[F; NUM_COLS]>,
    /// The public inputs ([`ChunkPublicInputs`] in order).
    pub public_inputs: Vec<F>,
    /// The integer-reference witness of each of the chunk's `count` frames, in order (frames past the end of the
    /// recording included: the zero-padded audio the rows hold).
    pub frames: Vec<FrameWitness>,
}

/// A Goldilocks element of the native commitment as a trace field element.
fn gl<F: RichField>(x: crate::commitment::F) -> F {
    use plonky2::field::types::PrimeField64;
    F::from_canonical_u64(x.to_canonical_u64())
}

/// The recording-level counts a chunk proof states (`num_samples`, `num_frames`, `num_hops` of its public
/// inputs), on which a row's flags depend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RecordingCounts {
    /// `N`.
    pub num_samples: usize,
    /// `F = 1 + ceil((N - 400) / 160)`.
    pub num_frames: usize,
    /// `H = ceil(N / 160)`.
    pub num_hops: usize,
}

impl RecordingCounts {
    /// The counts of a recording of `num_samples` samples (`None` below one frame).
    pub fn of(num_samples: usize) -> Option<Self> {
        Some(Self {
            num_samples,
            num_frames: crate::params::num_frames(num_samples)?,
            num_hops: num_samples.div_ceil(HOP),
        })
    }
}

/// Writes a row's frame index and flags; returns `(absorb_hop, absorb_len, counted)`.
fn flags_row<F: RichField>(
    c: &mut FrameRow<F>,
    f: usize,
    rec: &RecordingCounts,
    first: usize,
    k: usize,
) -> (bool, bool, bool) {
    let real = f < rec.num_frames;
    let live = f < rec.num_hops;
    let owns_end = f + 1 == rec.num_hops;
    let in_chunk = f - first < k;
    let inv = |d: i64| if d == 0 { F::ZERO } else { F::from_noncanonical_i64(d).inverse() };
    c.frame_index = F::from_canonical_usize(f);
    let fl = &mut c.flags;
    fl.real = F::from_bool(real);
    fl.last_real = F::from_bool(f + 1 == rec.num_frames);
    fl.last_real_inv = inv(f as i64 + 1 - rec.num_frames as i64);
    fl.hop_live = F::from_bool(live);
    fl.owns_end = F::from_bool(owns_end);
    fl.owns_end_inv = inv(f as i64 + 1 - rec.num_hops as i64);
    fl.in_chunk = F::from_bool(in_chunk);
    fl.absorb_hop = F::from_bool(in_chunk && live);
    fl.absorb_len = F::from_bool(in_chunk && owns_end);
    fl.counted = F::from_bool(in_chunk && real);
    fl.marks_end = F::from_bool(in_chunk && f + 1 == rec.num_frames);
    let [real_dist, live_dist, fill_lo, fill_hi, chunk_dist] = flag_slots();
    let (rel, kk) = ((f - first) as i128, k as i128);
    chunk_dist.write(&mut c.limbs, if in_chunk { kk - 1 - rel } else { rel - kk });
    let (fi, nf, nh, n) = (f as i128, rec.num_frames as i128, rec.num_hops as i128, rec.num_samples as i128);
    real_dist.write(&mut c.limbs, if real { nf - 1 - fi } else { fi - nf });
    live_dist.write(&mut c.limbs, if live { nh - 1 - fi } else { fi - nh });
    let hop = HOP as i128;
    fill_lo.write(&mut c.limbs, if owns_end { n - 1 - hop * fi } else { 0 });
    fill_hi.write(&mut c.limbs, if owns_end { hop * fi + hop - n } else { 0 });
    (in_chunk && live, in_chunk && owns_end, in_chunk && real)
}

/// Writes a row's permutations and advances the sponge capacity and digest.
fn hash_row<F: RichField>(
    c: &mut FrameRow<F>,
    samples: &[i16; FRAME_LEN],
    n: usize,
    absorb: (bool, bool),
    sponge: &mut [F; 4],
    digest: &mut [F; 4],
) {
    c.sponge_cap = *sponge;
    c.digest = *digest;
    let mut cap = *sponge;
    let mut outputs = Vec::with_capacity(HASH_SLOTS);
    for i in 0..HASH_SLOTS {
        let rate: [F; 8] = if i + 1 < HASH_SLOTS {
            std::array::from_fn(|k| {
                let at = SAMPLES_PER_BLOCK * i + 2 * k;
                gl(pack_pair(samples[at], Some(samples[at + 1])))
            })
        } else {
            length_block(n as u64).map(gl)
        };
        let state: [F; 12] = std::array::from_fn(|j| if j < 8 { rate[j] } else { cap[j - 8] });
        let slot: &mut PoseidonX7Cols<F> = c.hash[i][..].borrow_mut();
        let output = poseidon_x7::generate(slot, state);
        cap.copy_from_slice(&output[8..12]);
        outputs.push(output);
    }
    let (absorb_hop, absorb_len) = absorb;
    if absorb_hop {
        sponge.copy_from_slice(&outputs[HASH_SLOTS - 2][8..12]);
    }
    if absorb_len {
        sponge.copy_from_slice(&outputs[HASH_SLOTS - 1][8..12]);
        digest.copy_from_slice(&outputs[HASH_SLOTS - 1][..4]);
    }
}

/// Writes a row's running statistics (the sums before it) and advances them.
fn stats_row<F: RichField>(
    c: &mut FrameRow<F>,
    values: &FrameValuesQ24,
    weight: bool,
    threshold: i64,
    totals: &mut PooledStats,
) {
    for n in 0..NUM_STAT_VALUES {
        put(&mut c.stats.sum[n], totals.sum[n].into());
        put(&mut c.stats.sum_sq[n], totals.sum_sq[n].into());
    }
    c.stats.count = F::from_canonical_u64(totals.count);
    if weight {
        totals.add(values, threshold);
    }
}

impl<F: RichField> ChunkTrace<F> {
    /// The trace of frames `first .. first + height` of `audio` (frames from `first + count` on are padding
    /// rows, which repeat frame `first + count - 1`), with its public inputs, using the default voicing
    /// threshold.
    pub fn generate(audio: &[i16], first: usize, count: usize, height: usize) -> Self {
        Self::generate_with_threshold(audio, first, count, height, DEFAULT_VOICING_THRESHOLD_Q24)
    }

    /// As [`Self::generate`], with the voicing threshold (Q24) of the pooled statistics.
    pub fn generate_with_threshold(audio: &[i16], first: usize, count: usize, height: usize, threshold: i64) -> Self {
        let claims = RecordingCounts::of(audio.len()).expect("one frame at least");
        Self::generate_claiming(audio, &claims, first, count, height, threshold)
    }

    /// The trace a prover stating the recording counts `claims` would build, its rows reading their samples
    /// from `audio` (zero past its end) and its hash absorbing the length `claims.num_samples`. With the
    /// counts of `audio` itself this is [`Self::generate_with_threshold`]; with other counts it is how the
    /// soundness tests (`forge`) build the traces of cheating provers, to show which constraint, or which
    /// layer above, refuses them.
    ///
    /// Panics if a value does not fit its range-checked cells (honest counts never do).
    pub fn generate_claiming(
        audio: &[i16],
        claims: &RecordingCounts,
        first: usize,
        count: usize,
        height: usize,
        threshold: i64,
    ) -> Self {
        assert!((1..=height).contains(&count), "{count} frames do not fit {height} rows");
        let rec = *claims;
        let n = rec.num_samples;
        let last_in_chunk = FrameSamples::claimed(audio, first + count - 1, &rec);
        let frames: Vec<FrameSamples> = (0..height)
            .map(|i| {
                if i < count {
                    FrameSamples::claimed(audio, first + i, &rec)
                } else {
                    FrameSamples { index: first + i, last_end: None, end: None, ..last_in_chunk.clone() }
                }
            })
            .collect();
        let mut rows = vec![[F::ZERO; NUM_COLS]; height];
        let mut witnesses: Vec<(FrameWitness, bool)> = rows
            .par_iter_mut()
            .zip(&frames)
            .map(|(row, frame)| {
                let c: &mut FrameRow<F> = row[..].borrow_mut();
                let wit = dsp_row(frame, c);
                let (_, _, counted) = flags_row(c, frame.index, &rec, first, count);
                voicing_row(c, &wit.values(), counted, threshold).expect("reference values fit their cells");
                (wit, counted)
            })
            .collect();

        // The sponge capacity after the hops before this chunk.
        let mut before = AudioSponge::new();
        let mut prefix = audio[..(first * HOP).min(n).min(audio.len())].to_vec();
        prefix.resize(first * HOP, 0);
        before.absorb(&prefix).expect("whole hops");
        let state = before.state();
        let mut sponge: [F; 4] = std::array::from_fn(|i| gl(state[8 + i]));
        let sponge_in = sponge;
        let mut digest = [F::ZERO; 4];
        let mut totals = PooledStats::default();
        for ((row, (wit, counted)), frame) in rows.iter_mut().zip(&witnesses).zip(&frames) {
            let c: &mut FrameRow<F> = row[..].borrow_mut();
            let absorb = (c.flags.absorb_hop == F::ONE, c.flags.absorb_len == F::ONE);
            hash_row(c, &frame.samples, n, absorb, &mut sponge, &mut digest);
            stats_row(c, &wit.values(), *counted && wit.mfcc[0] >= threshold, threshold, &mut totals);
            fill_copies(c);
        }
        fill_range_table(&mut rows);
        let delta_start = if first == 0 {
            DeltaStart::FIRST
        } else {
            let values = |f: usize| frame_witness(&FrameSamples::claimed(audio, f, &rec).preemphasis()).values();
            let weighted = |f: usize| f < rec.num_frames && values(f)[0] >= threshold;
            DeltaStart::after(first, values, weighted)
        };

        let first_frame = &frames[0];
        let last_frame = &frames[height - 1];
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
            p.num_frames = F::from_canonical_usize(rec.num_frames);
            p.num_hops = F::from_canonical_usize(rec.num_hops);
            p.sponge_in = sponge_in;
            p.sponge_out = sponge;
            p.digest = digest;
            p.head = boundary(first_frame, false);
            p.tail = boundary(last_frame, true);
            p.voicing_threshold = F::from_noncanonical_i64(threshold);
            for i in 0..NUM_STAT_VALUES {
                p.stats.sum[i] = F::from_noncanonical_i64(totals.sum[i]);
                p.stats.sum_sq[i] = F::from_noncanonical_i64(totals.sum_sq[i]);
            }
            p.stats.count = F::from_canonical_u64(totals.count);
        }
        let (has_prev, link_in) = delta_start.public();
        delta_gen::fill(&mut rows, has_prev, link_in, &mut public_inputs);
        witnesses.truncate(count);
        let frames = witnesses.into_iter().map(|(w, _)| w).collect();
        Self { rows, public_inputs, frames }
    }

    /// Re-derives, after rows were edited, what follows from every row's statistics values: the running sums
    /// row by row, the public totals, the scaled copies of partial limbs and the range table (the forging
    /// toolkit, `forge`, uses it to keep an edited trace consistent).
    pub(crate) fn restate_statistics(&mut self) {
        let mut totals = PooledStats::default();
        for row in self.rows.iter_mut() {
            let values = super::check::read_values(row);
            let c: &mut FrameRow<F> = row[..].borrow_mut();
            let weight = c.voicing.weight == F::ONE;
            // The row's weight decides, even one a forger set on a frame below the threshold.
            stats_row(c, &values, weight, i64::MIN, &mut totals);
            fill_copies(c);
        }
        let p: &mut ChunkPublicInputs<F> = self.public_inputs[..].borrow_mut();
        for i in 0..NUM_STAT_VALUES {
            p.stats.sum[i] = F::from_noncanonical_i64(totals.sum[i]);
            p.stats.sum_sq[i] = F::from_noncanonical_i64(totals.sum_sq[i]);
        }
        p.stats.count = F::from_canonical_u64(totals.count);
        let (has_prev, link_in) = (p.delta_has_prev, p.delta_in);
        delta_gen::fill(&mut self.rows, has_prev, link_in, &mut self.public_inputs);
        fill_range_table(&mut self.rows);
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
