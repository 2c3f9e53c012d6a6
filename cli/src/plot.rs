//! SVG plots of `voizk eval --plot DIR` (plotters): the score histograms of genuine and impostor trials with
//! the model's threshold, and the DET curve (false-reject against false-accept rate, both on a log scale) with
//! the model's operating point and the equal error rate.

use std::path::Path;

use anyhow::{Context, Result};

use crate::durable::write_file;
use decision::rates::det_curve;
use decision::score::cosine;
use plotters::prelude::*;

/// Histogram bins over the scores' range.
const BINS: usize = 80;
/// Plot size in pixels.
const SIZE: (u32, u32) = (800, 560);
/// Smallest rate shown on the DET curve's log axes.
const DET_FLOOR: f64 = 1e-4;

/// What the plots mark: the threshold and the rates there, and the equal error rate.
pub struct Marks {
    /// Title prefix (which trials these are).
    pub title: String,
    /// What the scores are (`Model::score_name`: the cosine, or its S-norm).
    pub score_name: &'static str,
    /// The threshold, in the scores' units.
    pub threshold: f64,
    /// False-accept rate at the threshold.
    pub far: f64,
    /// False-reject rate at the threshold.
    pub frr: f64,
    /// Equal error rate.
    pub eer: f64,
}

/// Writes `dir/scores.svg` and `dir/det.svg` for integer scores (`Q30`), each atomically.
pub fn score_plots(dir: &Path, genuine_q30: &[i64], impostor_q30: &[i64], marks: &Marks) -> Result<()> {
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let genuine: Vec<f64> = genuine_q30.iter().map(|&s| cosine(s)).collect();
    let impostor: Vec<f64> = impostor_q30.iter().map(|&s| cosine(s)).collect();
    let scores = histograms(&genuine, &impostor, marks).map_err(|e| anyhow::anyhow!("cannot draw scores.svg: {e}"))?;
    let det = det(&genuine, &impostor, marks).map_err(|e| anyhow::anyhow!("cannot draw det.svg: {e}"))?;
    // Drawn in memory and written whole (crate::durable), like every other output.
    write_file(&dir.join("scores.svg"), scores.as_bytes())?;
    write_file(&dir.join("det.svg"), det.as_bytes())
}

/// The histogram's range: `[-1, 1]`, widened to whole units holding every score and the threshold (S-norm scores
/// spread over several units).
fn score_range(genuine: &[f64], impostor: &[f64], threshold: f64) -> (f64, f64) {
    let all = genuine.iter().chain(impostor).chain([&threshold]).filter(|v| v.is_finite());
    let (lo, hi) = all.fold((-1.0f64, 1.0f64), |(lo, hi), &v| (lo.min(v), hi.max(v)));
    (lo.floor(), hi.ceil())
}

/// The share of `scores` in each of [`BINS`] bins of `[lo, hi]`.
fn density(scores: &[f64], (lo, hi): (f64, f64)) -> Vec<(f64, f64)> {
    let mut counts = [0usize; BINS];
    let width = (hi - lo) / BINS as f64;
    for &s in scores {
        let b = (((s - lo) / width) as isize).clamp(0, BINS as isize - 1) as usize;
        counts[b] += 1;
    }
    let n = scores.len().max(1) as f64;
    (0..BINS).map(|b| (lo + (b as f64 + 0.5) * width, counts[b] as f64 / n)).collect()
}

/// An SVG document, or why plotters could not draw it.
type PlotResult = std::result::Result<String, Box<dyn std::error::Error>>;

fn histograms(genuine: &[f64], impostor: &[f64], s: &Marks) -> PlotResult {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let range = score_range(genuine, impostor, s.threshold);
        let (g, i) = (density(genuine, range), density(impostor, range));
        let top = g.iter().chain(&i).map(|p| p.1).fold(0.0, f64::max) * 1.1 + 1e-9;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "{}: {} genuine, {} impostor trials (FAR {:.2}%, FRR {:.2}%)",
                    s.title,
                    genuine.len(),
                    impostor.len(),
                    100.0 * s.far,
                    100.0 * s.frr
                ),
                ("sans-serif", 18),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(range.0..range.1, 0.0f64..top)?;
        let x_desc = format!("{} score (integer pipeline)", s.score_name);
        chart.configure_mesh().x_desc(x_desc).y_desc("share of trials").draw()?;
        let step = |v: &[(f64, f64)]| -> Vec<(f64, f64)> {
            let w = (range.1 - range.0) / BINS as f64 / 2.0;
            v.iter().flat_map(|&(x, y)| [(x - w, y), (x + w, y)]).collect()
        };
        chart
            .draw_series(LineSeries::new(step(&g), BLUE.stroke_width(2)))?
            .label("genuine")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE));
        chart
            .draw_series(LineSeries::new(step(&i), RED.stroke_width(2)))?
            .label("impostor")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], RED));
        chart
            .draw_series(LineSeries::new([(s.threshold, 0.0), (s.threshold, top)], BLACK.stroke_width(1)))?
            .label(format!("threshold {:.4}", s.threshold))
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK));
        chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw()?;
        root.present()?;
    }
    Ok(svg)
}

fn det(genuine: &[f64], impostor: &[f64], s: &Marks) -> PlotResult {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let clamp = |v: f64| v.max(DET_FLOOR);
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("{}: DET curve (EER {:.2}%)", s.title, 100.0 * s.eer), ("sans-serif", 18))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((DET_FLOOR..1.0f64).log_scale(), (DET_FLOOR..1.0f64).log_scale())?;
        chart.configure_mesh().x_desc("false-accept rate").y_desc("false-reject rate").draw()?;
        // One point per visible step (a thousandth of a decade on either log axis), not one per trial.
        let mut curve: Vec<(f64, f64)> = Vec::new();
        for (a, r) in det_curve(genuine, impostor).into_iter().map(|(a, r)| (clamp(a), clamp(r))) {
            let moved =
                |p: &(f64, f64)| (p.0.log10() - a.log10()).abs() > 1e-3 || (p.1.log10() - r.log10()).abs() > 1e-3;
            if curve.last().is_none_or(moved) {
                curve.push((a, r));
            }
        }
        chart
            .draw_series(LineSeries::new(curve, BLUE.stroke_width(2)))?
            .label("integer pipeline")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLUE));
        chart.draw_series(LineSeries::new([(DET_FLOOR, DET_FLOOR), (1.0, 1.0)], BLACK.mix(0.3)))?;
        chart
            .draw_series([Circle::new((clamp(s.far), clamp(s.frr)), 6, RED.filled())])?
            .label(format!("model threshold {:.4}: FAR {:.2}%, FRR {:.2}%", s.threshold, 100.0 * s.far, 100.0 * s.frr))
            .legend(|(x, y)| Circle::new((x + 10, y), 5, RED.filled()));
        chart.configure_series_labels().border_style(BLACK).background_style(WHITE).draw()?;
        root.present()?;
    }
    Ok(svg)
}
