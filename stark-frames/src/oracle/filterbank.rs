//! python_speech_features' triangular mel filterbank (`get_filterbanks`).

use crate::params::{NFFT, NUM_BINS, NUM_FILTERS, SAMPLE_RATE};

fn hz_to_mel(hz: f64) -> f64 {
    2595.0 * (1.0 + hz / 700.0).log10()
}

fn mel_to_hz(mel: f64) -> f64 {
    700.0 * (10f64.powf(mel / 2595.0) - 1.0)
}

/// The 28 filter edge bins, computed as python_speech_features does:
/// `floor((nfft + 1) * mel2hz(linspace(0, hz2mel(8000), 28)) / 16000)`.
pub fn mel_edge_bins() -> [usize; NUM_FILTERS + 2] {
    let high = hz_to_mel(f64::from(SAMPLE_RATE) / 2.0);
    let step = high / (NUM_FILTERS + 1) as f64;
    std::array::from_fn(|i| {
        // numpy.linspace computes start + i * step and pins the last point to stop.
        let mel = if i == NUM_FILTERS + 1 { high } else { i as f64 * step };
        ((NFFT + 1) as f64 * mel_to_hz(mel) / f64::from(SAMPLE_RATE)).floor() as usize
    })
}

/// The filterbank matrix `H[j][k]` (26 x 257), peak value 1 at the middle edge.
pub fn mel_filterbank() -> [[f64; NUM_BINS]; NUM_FILTERS] {
    let edges = mel_edge_bins();
    let mut bank = [[0.0; NUM_BINS]; NUM_FILTERS];
    for (j, row) in bank.iter_mut().enumerate() {
        let (lo, mid, hi) = (edges[j], edges[j + 1], edges[j + 2]);
        for (k, h) in row.iter_mut().enumerate().take(mid).skip(lo) {
            *h = (k - lo) as f64 / (mid - lo) as f64;
        }
        for (k, h) in row.iter_mut().enumerate().take(hi).skip(mid) {
            *h = (hi - k) as f64 / (hi - mid) as f64;
        }
    }
    bank
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::MEL_EDGE_BINS;

    #[test]
    fn edges_match_spec() {
        assert_eq!(mel_edge_bins(), MEL_EDGE_BINS);
    }

    #[test]
    fn peaks_are_one() {
        let bank = mel_filterbank();
        for (j, row) in bank.iter().enumerate() {
            assert_eq!(row[MEL_EDGE_BINS[j + 1]], 1.0);
        }
    }
}
