//! Pre-emphasis and framing shared by both pipelines.
//!
//! The integer pipeline keeps pre-emphasis exact by scaling it by 100:
//! `y[n] = 100 x[n] - 97 x[n-1]` (with `x[-1] = 0`), so `|y| <= 197 * 32768 < 2^23`.

use crate::params::{num_frames, padded_len, FRAME_LEN, HOP, PREEMPH_DEN, PREEMPH_NUM};

/// Exact scaled pre-emphasis `y[n] = 100 x[n] - 97 x[n-1]`, `y[0] = 100 x[0]`.
pub fn preemphasis_scaled(samples: &[i16]) -> Vec<i32> {
    let mut prev = 0i32;
    samples
        .iter()
        .map(|&s| {
            let x = i32::from(s);
            let y = PREEMPH_DEN * x - PREEMPH_NUM * prev;
            prev = x;
            y
        })
        .collect()
}

/// The pre-emphasised signal zero-padded to cover every frame, as
/// python_speech_features pads it.
pub fn padded_preemphasis(samples: &[i16]) -> Vec<i32> {
    let frames = num_frames(samples.len()).unwrap_or(1);
    let mut y = preemphasis_scaled(samples);
    y.resize(padded_len(frames).max(y.len()), 0);
    y
}

/// The 400 samples of frame `f` of a padded signal.
pub fn frame(padded: &[i32], f: usize) -> &[i32; FRAME_LEN] {
    padded[f * HOP..f * HOP + FRAME_LEN].try_into().expect("frame inside padded signal")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preemphasis_is_exact_and_bounded() {
        let y = preemphasis_scaled(&[i16::MAX, i16::MIN, 5]);
        assert_eq!(y, vec![3_276_700, -3_276_800 - 97 * 32_767, 500 + 97 * 32_768]);
        assert!(y.iter().all(|v| v.unsigned_abs() < 1 << 23));
    }

    #[test]
    fn padding_covers_last_frame() {
        let y = padded_preemphasis(&[1; 401]);
        assert_eq!(y.len(), 560);
        assert_eq!(frame(&y, 1)[0], 3);
        assert_eq!(frame(&y, 1)[399], 0);
    }
}
