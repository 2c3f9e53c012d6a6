//! Duration calibration (issue 16): the threshold depends on how much voice the trial has.
//!
//! Genuine scores grow with the trial's voiced frames `k` (a longer utterance gives steadier statistics), while
//! impostor scores do not: measured held out, the genuine S-norm mean is 2.5 under 50 voiced frames and 4.1 over
//! 300, the impostor mean near 0 for every length (`docs/ACCURACY.md`, "Duration calibration"). One threshold for
//! every length therefore rejects short genuine trials that a shorter-aware threshold would accept, and accepts
//! long impostors it need not.
//!
//! The model may hold a table of [`DurationOffset`]s: bins of `k`, each with an offset. The **calibrated score** of
//! a trial is its score (cosine or S-norm, `Q30`) minus the offset of the bin its `k` falls in, and the decision
//! accepts iff the calibrated score is at least the model's `threshold_q30`: that is, iff the score is at least
//! `threshold_q30 + offset(k)`. The table is part of `h_model`; the selected offset is not public (it would tell
//! the trial's length).
//!
//! Fitting ([`fit_offsets`]): the bins are the `bins`-quantiles of `k` over the calibration trials, each bin's
//! offset the midpoint of its genuine and impostor mean scores, relative to the longest bin (whose offset is 0),
//! rounded to the metric's threshold step.

/// Most bins a model's duration table may hold (the decision circuit makes one comparison per bin edge).
pub const MAX_DURATION_BINS: usize = 16;

/// One bin of the duration table: trials with at least `from_voiced_frames` voiced frames (and fewer than the next
/// bin's) have `offset_q30` subtracted from their score.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationOffset {
    /// The bin's first voiced-frame count (the first bin's is 1).
    pub from_voiced_frames: u64,
    /// Subtracted from the score (`Q30`), a multiple of the metric's threshold step.
    pub offset_q30: i64,
}

/// Why a duration table cannot be fitted or is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    /// The table's shape breaks a rule of [`validate`].
    #[error("duration_offsets: {0}")]
    Shape(String),
    /// A bin of the calibration trials has no genuine or no impostor trial.
    #[error("duration calibration: the trials with {from} or more voiced frames (bin {bin}) hold no {what} trial")]
    EmptyBin {
        /// The bin's index.
        bin: usize,
        /// Its first voiced-frame count.
        from: u64,
        /// `genuine` or `impostor`.
        what: &'static str,
    },
}

/// The offset of the bin `voiced_frames` falls in (0 for an empty table).
pub fn offset_for(table: &[DurationOffset], voiced_frames: u64) -> i64 {
    table.iter().rev().find(|b| voiced_frames >= b.from_voiced_frames).map_or(0, |b| b.offset_q30)
}

/// The table for people: `1+ frames -0.5609, 79+ frames -0.3151, ...` (offsets as real scores).
pub fn describe(table: &[DurationOffset]) -> String {
    let bins: Vec<String> = table
        .iter()
        .map(|b| format!("{}+ frames {:+.4}", b.from_voiced_frames, crate::score::cosine(b.offset_q30)))
        .collect();
    bins.join(", ")
}

/// Checks a table's shape: 1 to [`MAX_DURATION_BINS`] bins, the first from 1 voiced frame, the starts strictly
/// increasing and below `2^count_bits` (the decision's bound on `k`), every offset a multiple of `step`.
pub fn validate(table: &[DurationOffset], step: i64, count_bits: u32) -> Result<(), DurationError> {
    if table.is_empty() || table.len() > MAX_DURATION_BINS {
        return Err(DurationError::Shape(format!("1 to {MAX_DURATION_BINS} bins, not {}", table.len())));
    }
    if table[0].from_voiced_frames != 1 {
        return Err(DurationError::Shape("the first bin must start at 1 voiced frame".into()));
    }
    if table.windows(2).any(|w| w[1].from_voiced_frames <= w[0].from_voiced_frames) {
        return Err(DurationError::Shape("bin starts must increase strictly".into()));
    }
    if table.iter().any(|b| b.from_voiced_frames >= 1 << count_bits) {
        return Err(DurationError::Shape(format!("bin starts must be below 2^{count_bits}")));
    }
    if let Some(b) = table.iter().find(|b| b.offset_q30 % step != 0) {
        return Err(DurationError::Shape(format!("offset {} is not a multiple of {step}", b.offset_q30)));
    }
    Ok(())
}

/// One calibration trial: the trial's voiced frames, whether it is genuine, its score (`Q30`).
pub type CalibrationTrial = (u64, bool, i64);

/// Fits a table of `bins` bins to calibration trials (see the module's documentation): bin starts at the
/// quantiles `i / bins` of the trials' voiced frames (repeated starts merged, and bins without genuine or without
/// impostor trials, empty ones included, merged into a neighbour), offsets rounded to multiples of
/// `step`. Deterministic.
pub fn fit_offsets(trials: &[CalibrationTrial], bins: usize, step: i64) -> Result<Vec<DurationOffset>, DurationError> {
    let mut ks: Vec<u64> = trials.iter().map(|t| t.0).collect();
    ks.sort_unstable();
    if ks.is_empty() || bins == 0 {
        return Err(DurationError::Shape("no calibration trial, or no bin".into()));
    }
    let mut starts = vec![1u64];
    for i in 1..bins {
        let q = ks[i * ks.len() / bins];
        if q > *starts.last().expect("one start") {
            starts.push(q);
        }
    }
    // A bin without genuine or without impostor trials (a small population) is merged into its neighbour: the
    // previous bin, or for the first bin the next one.
    let sums = loop {
        let sums = bin_sums(trials, &starts);
        match sums.iter().position(|[impostor, genuine]| impostor.1 == 0 || genuine.1 == 0) {
            None => break sums,
            Some(bin) if starts.len() > 1 => {
                starts.remove(bin.max(1));
            }
            Some(bin) => {
                let what = if sums[bin][1].1 == 0 { "genuine" } else { "impostor" };
                return Err(DurationError::EmptyBin { bin, from: starts[bin], what });
            }
        }
    };
    let mean = |acc: &(i128, usize)| acc.0 as f64 / acc.1 as f64;
    let mid: Vec<f64> = sums.iter().map(|[impostor, genuine]| (mean(genuine) + mean(impostor)) / 2.0).collect();
    let last = *mid.last().expect("one bin");
    Ok(starts
        .iter()
        .zip(&mid)
        .map(|(&from, &m)| DurationOffset {
            from_voiced_frames: from,
            offset_q30: ((m - last) / step as f64).round() as i64 * step,
        })
        .collect())
}

/// Per bin of `starts`, the `(sum, count)` of the impostor and of the genuine trials' scores.
fn bin_sums(trials: &[CalibrationTrial], starts: &[u64]) -> Vec<[(i128, usize); 2]> {
    let mut sums = vec![[(0i128, 0usize); 2]; starts.len()];
    for &(k, genuine, s) in trials {
        let bin = starts.iter().rposition(|&from| k >= from).expect("the first start is 1");
        let acc = &mut sums[bin][usize::from(genuine)];
        acc.0 += i128::from(s);
        acc.1 += 1;
    }
    sums
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_follow_the_bins_and_the_longest_bin_is_zero() {
        // Short trials: genuine 2.0, impostor 0.0 (midpoint 1.0); long ones: genuine 4.0, impostor 0.0 (2.0).
        let one = 1i64 << 30;
        let mut trials = Vec::new();
        for k in [10u64, 20, 30, 40] {
            trials.push((k, true, 2 * one));
            trials.push((k, false, 0));
        }
        for k in [200u64, 300, 400, 500] {
            trials.push((k, true, 4 * one));
            trials.push((k, false, 0));
        }
        let table = fit_offsets(&trials, 2, 1 << 15).unwrap();
        assert_eq!(
            table,
            vec![
                DurationOffset { from_voiced_frames: 1, offset_q30: -one },
                DurationOffset { from_voiced_frames: 200, offset_q30: 0 }
            ]
        );
        assert_eq!(offset_for(&table, 1), -one);
        assert_eq!(offset_for(&table, 199), -one);
        assert_eq!(offset_for(&table, 200), 0);
        assert_eq!(offset_for(&[], 50), 0);
        validate(&table, 1 << 15, 14).unwrap();
    }

    #[test]
    fn a_bin_without_impostors_is_merged_and_no_impostor_at_all_is_refused() {
        let trials = [(10u64, true, 5), (10, false, 0), (20, true, 9), (500, true, 9), (600, true, 9)];
        let table = fit_offsets(&trials, 2, 1).unwrap();
        assert_eq!(table, vec![DurationOffset { from_voiced_frames: 1, offset_q30: 0 }], "one bin left");
        let genuine_only = [(10u64, true, 5), (600, true, 9)];
        assert!(matches!(fit_offsets(&genuine_only, 2, 1), Err(DurationError::EmptyBin { what: "impostor", .. })));
    }

    #[test]
    fn malformed_tables_are_refused() {
        let b = |from, offset_q30| DurationOffset { from_voiced_frames: from, offset_q30 };
        assert!(validate(&[], 1, 14).is_err());
        assert!(validate(&[b(2, 0)], 1, 14).is_err());
        assert!(validate(&[b(1, 0), b(1, 0)], 1, 14).is_err());
        assert!(validate(&[b(1, 0), b(1 << 14, 0)], 1, 14).is_err());
        assert!(validate(&[b(1, 3)], 2, 14).is_err());
        assert!(validate(&vec![b(1, 0); MAX_DURATION_BINS + 1], 1, 14).is_err());
        validate(&[b(1, -4), b(60, 2)], 2, 14).unwrap();
    }
}
