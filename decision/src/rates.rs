//! Error rates of a verifier over scored trials: false-accept and false-reject rates at a threshold (a trial is
//! accepted when its score is at least the threshold), the equal error rate, the threshold for a target
//! false-accept rate, and the DET curve. Sort-based, so a corpus's hundreds of thousands of trials take
//! milliseconds.

/// Counts at one threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Rates {
    /// Genuine trials.
    pub genuine: usize,
    /// Impostor trials.
    pub impostor: usize,
    /// Genuine trials scoring below the threshold.
    pub false_rejects: usize,
    /// Impostor trials scoring at or above the threshold.
    pub false_accepts: usize,
}

impl Rates {
    /// The counts of integer scores at `threshold` (accept iff `score >= threshold`).
    pub fn at(genuine: &[i64], impostor: &[i64], threshold: i64) -> Self {
        Self {
            genuine: genuine.len(),
            impostor: impostor.len(),
            false_rejects: genuine.iter().filter(|&&s| s < threshold).count(),
            false_accepts: impostor.iter().filter(|&&s| s >= threshold).count(),
        }
    }

    /// False-accept rate (0 without impostor trials).
    pub fn far(&self) -> f64 {
        ratio(self.false_accepts, self.impostor)
    }

    /// False-reject rate (0 without genuine trials).
    pub fn frr(&self) -> f64 {
        ratio(self.false_rejects, self.genuine)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

fn sorted(v: &[f64]) -> Vec<f64> {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Scores of `sorted` below `t`.
fn below(sorted: &[f64], t: f64) -> usize {
    sorted.partition_point(|&s| s < t)
}

/// The threshold among the observed scores minimising `max(FRR, FAR)` (the lowest such), and that error: the
/// equal error rate as this project reports it. `(1, 0)` when either list is empty.
pub fn eer(genuine: &[f64], impostor: &[f64]) -> (f64, f64) {
    if genuine.is_empty() || impostor.is_empty() {
        return (1.0, 0.0);
    }
    let (g, i) = (sorted(genuine), sorted(impostor));
    let candidates = sorted(&[genuine, impostor].concat());
    let mut best = (f64::INFINITY, 0.0);
    for &t in &candidates {
        let frr = below(&g, t) as f64 / g.len() as f64;
        let far = (i.len() - below(&i, t)) as f64 / i.len() as f64;
        if frr.max(far) < best.0 {
            best = (frr.max(far), t);
        }
    }
    best
}

/// The lowest integer threshold whose false-accept rate on `impostor` is at most `target_far`: above all but
/// `floor(target_far * n)` impostor scores. `None` without impostor trials.
pub fn threshold_for_far(impostor: &[i64], target_far: f64) -> Option<i64> {
    if impostor.is_empty() {
        return None;
    }
    let mut desc = impostor.to_vec();
    desc.sort_unstable_by(|a, b| b.cmp(a));
    let allowed = ((target_far * desc.len() as f64).floor() as usize).min(desc.len() - 1);
    // Accepting the `allowed` highest scores at most: one above the next one down.
    Some(desc[allowed] + 1)
}

/// The DET curve: `(FAR, FRR)` at every observed score as threshold, in increasing threshold order.
pub fn det_curve(genuine: &[f64], impostor: &[f64]) -> Vec<(f64, f64)> {
    let (g, i) = (sorted(genuine), sorted(impostor));
    let mut candidates = sorted(&[genuine, impostor].concat());
    candidates.dedup();
    candidates
        .iter()
        .map(|&t| {
            let far = ratio(i.len() - below(&i, t), i.len());
            (far, ratio(below(&g, t), g.len()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_count_accepts_at_or_above() {
        let r = Rates::at(&[5, 10, 15], &[1, 5, 9, 10], 10);
        assert_eq!((r.false_rejects, r.false_accepts), (1, 1));
        assert!((r.frr() - 1.0 / 3.0).abs() < 1e-12 && (r.far() - 0.25).abs() < 1e-12);
        assert_eq!(Rates::at(&[], &[], 0).far(), 0.0);
    }

    #[test]
    fn eer_of_separable_and_overlapping_scores() {
        assert_eq!(eer(&[0.8, 0.9], &[0.1, 0.2]), (0.0, 0.8));
        // One genuine score among the impostors: the lowest best threshold errs on one trial in four of each kind.
        let (e, t) = eer(&[0.15, 0.8, 0.85, 0.9], &[0.1, 0.2, 0.3, 0.4]);
        assert_eq!((e, t), (0.25, 0.4));
        assert_eq!(eer(&[], &[0.1]), (1.0, 0.0));
    }

    #[test]
    fn threshold_for_far_accepts_at_most_the_target() {
        let imp: Vec<i64> = (0..200).collect();
        let t = threshold_for_far(&imp, 0.01).unwrap();
        assert_eq!(t, 198);
        assert_eq!(Rates::at(&[], &imp, t).false_accepts, 2);
        assert_eq!(threshold_for_far(&imp, 0.0), Some(200));
        assert_eq!(threshold_for_far(&[], 0.01), None);
        // Ties: never more accepted than allowed.
        let tied = [7, 7, 7, 7, 1];
        let t = threshold_for_far(&tied, 0.5).unwrap();
        assert!(Rates::at(&[], &tied, t).false_accepts <= 2);
    }

    #[test]
    fn det_curve_runs_from_all_accepted_to_all_rejected() {
        let c = det_curve(&[0.5, 0.9], &[0.1, 0.5]);
        assert_eq!(c.first(), Some(&(1.0, 0.0)));
        assert_eq!(c.last(), Some(&(0.0, 0.5)));
        assert!(c.windows(2).all(|w| w[1].0 <= w[0].0 && w[1].1 >= w[0].1));
    }
}
