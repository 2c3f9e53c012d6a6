//! The fixed-point integer MFCC pipeline: the exact semantics every proof
//! reproduces, and the witness generator of the chunk STARK.
//!
//! Per frame: exact scaled pre-emphasis, block floating point, the Hamming-windowed
//! 512-point real DFT as one exact sum per bin (Q20 kernel, one rounding), power,
//! mel filterbank (exact integer weights), integer log (leading bit +
//! polynomial), DCT-II with lifter (Q20), energy. Formats, bounds and errors: `docs/FIXED_POINT.md`.
//! Deterministic: the same samples give the same integers on every platform
//! (the constant tables are pinned by a digest test).

pub mod block;
pub mod cepstrum;
pub mod dft;
pub mod format;
pub mod log;
pub mod pooled;
pub mod rounding;
pub mod spectrum;
pub mod tables;

use crate::framing::{frame, padded_preemphasis};
use crate::params::{FRAME_LEN, NUM_BINS, NUM_CEPS, NUM_FILTERS, NUM_STAT_VALUES};
pub use format::q24_to_f64;
use tables::CInt;

/// The MFCCs of one frame in Q24: `c[n] / 2^24` approximates the f64 `c_n`.
pub type MfccQ24 = [i64; NUM_CEPS];

/// The values of one frame that the pooled statistics sum, Q24: `c0..c12`, then the 26 log mel energies
/// (`FrameWitness::log_mel`). Entry 0, `c0`, is also what voicing compares with the threshold.
pub type FrameValuesQ24 = [i64; NUM_STAT_VALUES];

/// Every intermediate value of one frame, in pipeline order. The chunk STARK
/// proves exactly these values; `mfcc` is the last field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameWitness {
    /// Scaled pre-emphasised samples `y = 100 x[n] - 97 x[n-1]` (zero past the audio).
    pub preemph: [i32; FRAME_LEN],
    /// Block shift `s` (0..=20; the frame is scaled by `2^(s - 4)`).
    pub block_shift: u32,
    /// Exact kernel sums `sum_n y[n] K[k][n]` (real, imaginary), before the shift and rescale.
    pub kernel_sums: [(i64, i64); NUM_BINS],
    /// Spectrum `X[k]`, `k = 0..=256` (see [`dft::spectrum`]).
    pub spectrum: [CInt; NUM_BINS],
    /// Rescaled power `P'`.
    pub power: [i64; NUM_BINS],
    /// Integer mel energies `M`.
    pub mel: [u64; NUM_FILTERS],
    /// Integer frame energy `E`.
    pub energy: u64,
    /// Log mel energies, Q24, scale offsets applied.
    pub log_mel: [i64; NUM_FILTERS],
    /// The 13 MFCCs, Q24 (`c0` is the log energy).
    pub mfcc: MfccQ24,
}

impl FrameWitness {
    /// The frame's statistics values: the cepstra, then the log mel energies.
    pub fn values(&self) -> FrameValuesQ24 {
        std::array::from_fn(|i| if i < NUM_CEPS { self.mfcc[i] } else { self.log_mel[i - NUM_CEPS] })
    }
}

/// Runs the integer pipeline on one frame of scaled pre-emphasised samples.
pub fn frame_witness(preemph: &[i32; FRAME_LEN]) -> FrameWitness {
    let block_shift = block::block_shift(preemph);
    let kernel_sums = dft::kernel_sums(preemph);
    let spectrum = dft::spectrum_of_sums(&kernel_sums, block_shift);
    let power = spectrum::power(&spectrum);
    let mel = spectrum::mel_energies(&power);
    let energy = spectrum::energy(&power);
    let log_mel = cepstrum::log_mel(&mel, block_shift);
    let mfcc = cepstrum::cepstra(&log_mel, cepstrum::log_energy(energy, block_shift));
    FrameWitness { preemph: *preemph, block_shift, kernel_sums, spectrum, power, mel, energy, log_mel, mfcc }
}

/// The witness of every frame of `samples` in order, one at a time (none if shorter than one frame): the
/// framing every whole-recording function below shares, without holding every frame's witness at once.
fn frame_witnesses(samples: &[i16]) -> impl Iterator<Item = FrameWitness> {
    let frames = crate::params::num_frames(samples.len()).unwrap_or(0);
    let padded = if frames == 0 { Vec::new() } else { padded_preemphasis(samples) };
    (0..frames).map(move |f| frame_witness(frame(&padded, f)))
}

/// Witnesses of every frame of `samples` (none if shorter than one frame).
pub fn witnesses(samples: &[i16]) -> Vec<FrameWitness> {
    frame_witnesses(samples).collect()
}

/// Integer MFCCs (Q24) of every frame of `samples`.
pub fn mfcc(samples: &[i16]) -> Vec<MfccQ24> {
    frame_witnesses(samples).map(|w| w.mfcc).collect()
}

/// Statistics values (cepstra, then log mel energies, Q24) of every frame of `samples`.
pub fn frame_values(samples: &[i16]) -> Vec<FrameValuesQ24> {
    frame_witnesses(samples).map(|w| w.values()).collect()
}
