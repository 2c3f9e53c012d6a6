//! The sweep's progress line: one per configuration, with an estimate of the time left.
//!
//! The estimate is the mean wall time of the configurations this run has finished times the number left:
//! configurations differ (one thread is slower than two, a small K makes more leaves), so it is a guide that
//! improves as the sweep goes, not a promise.

use super::config::Config;
use super::measure::Measurement;

/// Bytes in a gigabyte, for memory figures.
pub const GB: f64 = 1e9;

/// Wall times of the configurations finished so far in this run.
#[derive(Debug, Default)]
pub struct Eta {
    secs: Vec<f64>,
}

impl Eta {
    /// Records a finished configuration's wall time.
    pub fn record(&mut self, secs: f64) {
        self.secs.push(secs);
    }

    /// Seconds left for `remaining` more configurations; `None` before the first has finished.
    pub fn left(&self, remaining: usize) -> Option<f64> {
        (!self.secs.is_empty()).then(|| self.secs.iter().sum::<f64>() / self.secs.len() as f64 * remaining as f64)
    }
}

/// `[3/8] K = 512, arity 2, at most 30 s (depth 3), 2 threads: 38.2 s, prove 27.9 s, 1.83 cores busy, peak 3.40 GB;
/// about 3 min 10 s left` (`done` of `total` finished, this one measured as `m` in `wall` seconds; cores busy is
/// the child's CPU time over its wall time, below the thread count when other work shared the machine).
pub fn progress_line(
    done: usize,
    total: usize,
    config: &Config,
    m: &Measurement,
    wall: f64,
    left: Option<f64>,
) -> String {
    let prove = m.layers.iter().fold(0.0, |s, l| s + l.report.prove_secs);
    let tail = match left {
        Some(s) if done < total => format!("; about {} left", human(s)),
        _ => String::new(),
    };
    let cores = m.cpu_secs / m.wall_secs.max(f64::MIN_POSITIVE);
    format!(
        "[{done}/{total}] {config}: {wall:.1} s, prove {prove:.1} s, {cores:.2} cores busy, peak {:.2} GB{tail}",
        m.peak_rss_bytes as f64 / GB
    )
}

/// A duration for people: `42 s`, `3 min 10 s`, `1 h 05 min`.
pub fn human(secs: f64) -> String {
    let s = secs.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {:02} min", s / 3600, s % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_estimate_is_the_mean_so_far_times_what_is_left() {
        let mut eta = Eta::default();
        assert_eq!(eta.left(3), None);
        eta.record(30.0);
        eta.record(50.0);
        assert_eq!(eta.left(3), Some(120.0));
        assert_eq!(eta.left(0), Some(0.0));
        assert_eq!(human(42.4), "42 s");
        assert_eq!(human(190.0), "3 min 10 s");
        assert_eq!(human(3900.0), "1 h 05 min");
    }

    #[test]
    fn one_line_per_configuration() {
        let config = Config { frames_per_chunk: 512, arity: 2, max_seconds: 30, threads: 2 };
        let m =
            Measurement { threads: 2, layers: vec![], peak_rss_bytes: 3_400_000_000, wall_secs: 38.2, cpu_secs: 70.0 };
        assert_eq!(
            progress_line(3, 8, &config, &m, 38.2, Some(190.0)),
            "[3/8] K = 512, arity 2, at most 30 s (depth 3), 2 threads: 38.2 s, prove 0.0 s, 1.83 cores busy, peak 3.40 GB; \
             about 3 min 10 s left"
        );
        assert!(!progress_line(8, 8, &config, &m, 38.2, Some(0.0)).contains("left"));
    }
}
