//! The fixed DSP parameters of SPEC §3 (python_speech_features' `mfcc` at 16 kHz
//! with a Hamming window). Every other module reads them from here.

/// Sample rate every input must have, in Hz.
pub const SAMPLE_RATE: u32 = 16_000;
/// Longest recording voizk reads, proves or scores, in seconds (one hour): bounds the memory of reading
/// (115 MB of samples) and every circuit's maximum length (`recursion::settings`).
pub const MAX_RECORDING_SECONDS: u32 = 3600;
/// Samples per analysis frame (25 ms).
pub const FRAME_LEN: usize = 400;
/// Samples between the starts of consecutive frames (10 ms).
pub const HOP: usize = 160;
/// Samples that frame `f` shares with frame `f + 1`.
pub const FRAME_OVERLAP: usize = FRAME_LEN - HOP;
/// Real FFT length; frames are zero-padded from 400 to 512 samples.
pub const NFFT: usize = 512;
/// Power-spectrum bins `k = 0..=256`.
pub const NUM_BINS: usize = NFFT / 2 + 1;
/// Number of triangular mel filters.
pub const NUM_FILTERS: usize = 26;
/// Number of cepstral coefficients kept (c0..c12).
pub const NUM_CEPS: usize = 13;
/// Per-frame values the pooled statistics are taken of: the 13 cepstra `c0..c12`, then the 26 log mel
/// energies (`fixed::FrameValuesQ24`, `fixed::pooled`).
pub const NUM_STAT_VALUES: usize = NUM_CEPS + NUM_FILTERS;
/// Cepstral lifter parameter `L` in `1 + (L/2) sin(pi n / L)`.
pub const CEP_LIFTER: usize = 22;
/// Pre-emphasis coefficient as a ratio: `y[n] = x[n] - (97/100) x[n-1]`.
pub const PREEMPH_NUM: i32 = 97;
/// Denominator of the pre-emphasis coefficient.
pub const PREEMPH_DEN: i32 = 100;

/// FFT bin edges of the 26 mel filters (28 points), as python_speech_features
/// computes them with `floor((nfft + 1) * mel2hz(melpoints) / samplerate)`.
/// Filter `j` rises over `[EDGE[j], EDGE[j+1])`, peaks at `EDGE[j+1]` with 1, and
/// falls over `[EDGE[j+1], EDGE[j+2])`. The oracle recomputes these from the
/// mel formula and a test checks the two agree.
pub const MEL_EDGE_BINS: [usize; NUM_FILTERS + 2] = [
    0, 2, 4, 7, 10, 13, 16, 20, 24, 29, 34, 40, 46, 53, 60, 68, 77, 87, 97, 109, 122, 136, 152, 169, 188, 209, 231, 256,
];

/// Number of frames for `num_samples` samples: `1 + ceil((N - 400) / 160)`,
/// or `None` when the audio is shorter than one frame (the product refuses it).
pub fn num_frames(num_samples: usize) -> Option<usize> {
    if num_samples < FRAME_LEN {
        return None;
    }
    Some(1 + (num_samples - FRAME_LEN).div_ceil(HOP))
}

/// Length of the zero-padded signal that the frames cover.
pub fn padded_len(num_frames: usize) -> usize {
    (num_frames - 1) * HOP + FRAME_LEN
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_count_matches_python_speech_features() {
        assert_eq!(num_frames(399), None);
        assert_eq!(num_frames(0), None);
        assert_eq!(num_frames(400), Some(1));
        assert_eq!(num_frames(401), Some(2));
        assert_eq!(num_frames(560), Some(2));
        assert_eq!(num_frames(561), Some(3));
        assert_eq!(num_frames(16_000), Some(99));
        assert_eq!(padded_len(2), 560);
    }
}
