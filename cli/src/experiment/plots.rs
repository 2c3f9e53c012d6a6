//! The sweep's SVG plots (plotters), drawn from every row of `results.csv` and written atomically:
//!
//! - [`PROVE_TIME_SVG`]: prove time per layer, a stacked bar per configuration, ordered by chunk size, depth and
//!   arity: where the time goes, and what depth and arity cost;
//! - [`PROOF_SIZE_SVG`]: proof size per layer (log scale), a line per tree (threads do not change sizes);
//! - [`THREADS_SVG`]: total prove time against the thread count, a line per tree.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::Result;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;

use super::config::Config;
use super::csv::Row;
use super::measure::{stage_ids, CHUNK_STAGE, FOLD_STAGE, LEAF_STAGE, ROOT_STAGE};
use crate::durable::write_file;

/// Prove time per layer and configuration.
pub const PROVE_TIME_SVG: &str = "prove_time.svg";
/// Proof size per layer and tree.
pub const PROOF_SIZE_SVG: &str = "proof_size.svg";
/// Prove time against threads.
pub const THREADS_SVG: &str = "threads.svg";

/// Height of every plot, pixels.
const HEIGHT: u32 = 560;
/// Smallest width of a plot, pixels.
const MIN_WIDTH: u32 = 800;
/// Width given to each bar of the prove-time plot (with its label), pixels.
const BAR_WIDTH: u32 = 120;
/// Room for the axes and the legend beside the bars, pixels.
const BAR_PLOT_MARGIN: u32 = 200;
/// Gap on either side of a bar, pixels.
const BAR_GAP: u32 = 12;
/// Font of captions and labels.
const FONT: &str = "sans-serif";
/// Caption size, points.
const CAPTION_PT: u32 = 18;
/// Size of the bar labels, points.
const LABEL_PT: u32 = 12;
/// Headroom above the highest value of a linear axis.
const HEADROOM: f64 = 1.15;
/// Empty bar slots right of the prove-time bars, where the legend goes.
const LEGEND_SEGMENTS: usize = 2;

/// A categorical axis of `n` slots (plotters' `a..b` of integers holds `b` too).
fn categories(n: usize) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.saturating_sub(1)).into_segmented()
}

/// A configuration's rows, in the provers' order.
struct Run<'a> {
    config: Config,
    depth: usize,
    rows: Vec<&'a Row>,
}

impl Run<'_> {
    fn prove_secs(&self, stage: &str) -> f64 {
        self.rows.iter().filter(|r| r.stage == stage).map(|r| r.prove_secs).sum()
    }

    fn total_prove_secs(&self) -> f64 {
        self.rows.iter().map(|r| r.prove_secs).sum()
    }

    /// The tree (what sizes depend on), in plot order: chunk size, depth, arity, maximum length.
    fn tree_key(&self) -> TreeKey {
        let c = &self.config;
        (c.frames_per_chunk, self.depth, c.arity, c.max_seconds)
    }

    /// `K512 A2 30s D3 T2`.
    fn label(&self) -> String {
        let c = &self.config;
        format!("K{} A{} {}s D{} T{}", c.frames_per_chunk, c.arity, c.max_seconds, self.depth, c.threads)
    }

    /// `K = 512, arity 2, 30 s (depth 3)`: the tree, without the thread count.
    fn tree_label(&self) -> String {
        let c = &self.config;
        format!("K = {}, arity {}, {} s (depth {})", c.frames_per_chunk, c.arity, c.max_seconds, self.depth)
    }
}

/// A tree's chunk size, depth, arity and maximum length, in plot order.
type TreeKey = (usize, usize, usize, u32);

/// The configurations of `rows`, ordered by chunk size, depth, arity, maximum length, threads.
fn runs(rows: &[Row]) -> Vec<Run<'_>> {
    let mut by_config: BTreeMap<(TreeKey, usize), Run> = BTreeMap::new();
    for r in rows {
        let run = Run { config: r.config, depth: r.depth, rows: Vec::new() };
        by_config.entry((run.tree_key(), r.config.threads)).or_insert(run).rows.push(r);
    }
    by_config.into_values().collect()
}

/// Draws the three plots from `rows` and writes them into `dir`; returns their paths.
pub fn write_plots(dir: &Path, rows: &[Row]) -> Result<Vec<PathBuf>> {
    let runs = runs(rows);
    let plots =
        [(PROVE_TIME_SVG, prove_time(&runs)), (PROOF_SIZE_SVG, proof_size(&runs)), (THREADS_SVG, threads(&runs))];
    let mut paths = Vec::with_capacity(plots.len());
    for (name, svg) in plots {
        let svg = svg.map_err(|e| anyhow::anyhow!("cannot draw {name}: {e}"))?;
        let path = dir.join(name);
        write_file(&path, svg.as_bytes())?;
        paths.push(path);
    }
    Ok(paths)
}

/// An SVG document, or why plotters could not draw it.
type PlotResult = std::result::Result<String, Box<dyn std::error::Error>>;

/// The colour of a stage: the chunk STARK, the leaf, fold level `l` (greens, darker with the level), the root.
fn stage_colour(stage: &str) -> RGBColor {
    match stage {
        CHUNK_STAGE => RGBColor(66, 114, 196),
        LEAF_STAGE => RGBColor(214, 96, 77),
        ROOT_STAGE => RGBColor(90, 90, 90),
        fold => {
            let level: usize = fold.strip_prefix(FOLD_STAGE).and_then(|l| l.parse().ok()).unwrap_or(1);
            FOLD_SHADES[(level.max(1) - 1) % FOLD_SHADES.len()]
        }
    }
}

/// The fold levels' colours, from level 1 (lightest) on, repeated past the last.
const FOLD_SHADES: [RGBColor; 6] = [
    RGBColor(170, 215, 140),
    RGBColor(120, 185, 100),
    RGBColor(75, 150, 70),
    RGBColor(45, 115, 55),
    RGBColor(30, 85, 60),
    RGBColor(20, 60, 50),
];

/// The legend's name of a stage.
fn stage_name(stage: &str) -> String {
    match stage {
        CHUNK_STAGE => "chunk STARKs".into(),
        LEAF_STAGE => "leaves".into(),
        ROOT_STAGE => "root (wrap)".into(),
        fold => format!("fold level {}", fold.strip_prefix(FOLD_STAGE).unwrap_or(fold)),
    }
}

/// Every stage of the deepest tree among `runs`.
fn all_stages(runs: &[Run]) -> Vec<String> {
    stage_ids(runs.iter().map(|r| r.depth).max().unwrap_or(0))
}

/// Stacked bars of prove time per stage, one bar per configuration.
fn prove_time(runs: &[Run]) -> PlotResult {
    let mut svg = String::new();
    {
        let width = (BAR_WIDTH * runs.len() as u32 + BAR_PLOT_MARGIN).max(MIN_WIDTH);
        let root = SVGBackend::with_string(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let top = runs.iter().map(Run::total_prove_secs).fold(0.0, f64::max) * HEADROOM + 1e-9;
        let labels: Vec<String> = runs.iter().map(Run::label).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption("Prove time per layer (K chunk size, A arity, max length, D depth, T threads)", (FONT, CAPTION_PT))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(categories(runs.len() + LEGEND_SEGMENTS), 0.0..top)?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(runs.len() + 1)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_label_style((FONT, LABEL_PT))
            .y_desc("prove time, s")
            .draw()?;
        let mut base = vec![0.0; runs.len()];
        for stage in all_stages(runs) {
            let colour = stage_colour(&stage);
            let mut bars = Vec::with_capacity(runs.len());
            for (i, run) in runs.iter().enumerate() {
                let secs = run.prove_secs(&stage);
                if secs > 0.0 {
                    let mut bar = Rectangle::new(
                        [(SegmentValue::Exact(i), base[i] + secs), (SegmentValue::Exact(i + 1), base[i])],
                        colour.filled(),
                    );
                    bar.set_margin(0, 0, BAR_GAP, BAR_GAP);
                    bars.push(bar);
                    base[i] += secs;
                }
            }
            chart
                .draw_series(bars)?
                .label(stage_name(&stage))
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 15, y + 5)], colour.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .border_style(BLACK)
            .background_style(WHITE)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

/// The runs of each tree with the most threads (sizes do not depend on threads), in plot order.
fn one_run_per_tree<'a, 'b>(runs: &'b [Run<'a>]) -> Vec<&'b Run<'a>> {
    let mut best: BTreeMap<TreeKey, &Run> = BTreeMap::new();
    for r in runs {
        let e = best.entry(r.tree_key()).or_insert(r);
        if r.config.threads > e.config.threads {
            *e = r;
        }
    }
    best.into_values().collect()
}

/// Proof size per stage (log scale), a line per tree.
fn proof_size(runs: &[Run]) -> PlotResult {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (MIN_WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let stages = all_stages(runs);
        let sizes = runs.iter().flat_map(|r| r.rows.iter().map(|row| row.proof_bytes as f64));
        let (lo, hi) = sizes.fold((f64::INFINITY, 0.0f64), |(lo, hi), b| (lo.min(b), hi.max(b)));
        let (lo, hi) = if hi > 0.0 { (lo / 1.5, hi * 1.5) } else { (1.0, 10.0) };
        let names: Vec<String> = stages.iter().map(|s| stage_name(s)).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption("Size of one proof per layer", (FONT, CAPTION_PT))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(80)
            .build_cartesian_2d(categories(stages.len()), (lo..hi).log_scale())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(stages.len() + 1)
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .y_desc("bytes (log scale)")
            .y_label_formatter(&|b| format!("{:.0} kB", b / 1e3))
            .draw()?;
        for (n, run) in one_run_per_tree(runs).into_iter().enumerate() {
            let colour = Palette99::pick(n).to_rgba();
            let points: Vec<(SegmentValue<usize>, f64)> = run
                .rows
                .iter()
                .filter_map(|row| {
                    let i = stages.iter().position(|s| *s == row.stage)?;
                    Some((SegmentValue::CenterOf(i), row.proof_bytes as f64))
                })
                .collect();
            chart.draw_series(points.iter().map(|p| Circle::new(p.clone(), 4, colour.filled())))?;
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
                .label(run.tree_label())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .border_style(BLACK)
            .background_style(WHITE)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

/// Total prove time against threads, a line per tree.
fn threads(runs: &[Run]) -> PlotResult {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (MIN_WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE)?;
        let max_threads = runs.iter().map(|r| r.config.threads).max().unwrap_or(1);
        let top = runs.iter().map(Run::total_prove_secs).fold(0.0, f64::max) * HEADROOM + 1e-9;
        let mut chart = ChartBuilder::on(&root)
            .caption("Prove time (all layers) against threads", (FONT, CAPTION_PT))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d(0.5..max_threads as f64 + 0.5, 0.0..top)?;
        chart
            .configure_mesh()
            .x_labels(max_threads.min(16))
            .x_label_formatter(&|t| if t.fract() == 0.0 { format!("{t:.0}") } else { String::new() })
            .x_desc("threads")
            .y_desc("prove time, s")
            .draw()?;
        let mut trees: BTreeMap<TreeKey, Vec<&Run>> = BTreeMap::new();
        for r in runs {
            trees.entry(r.tree_key()).or_default().push(r);
        }
        // Trees measured at one thread count only are single points: grey, one legend entry for all of them.
        let (swept, single): (Vec<_>, Vec<_>) = trees.values().partition(|t| t.len() > 1);
        let mut ideal_label = Some("perfect scaling from 1 thread (time / threads)");
        for (n, tree) in swept.into_iter().enumerate() {
            let colour = Palette99::pick(n).to_rgba();
            let mut points: Vec<(f64, f64)> =
                tree.iter().map(|r| (r.config.threads as f64, r.total_prove_secs())).collect();
            points.sort_by(|a, b| a.0.total_cmp(&b.0));
            if let Some(&(1.0, one)) = points.first() {
                let ideal = (1..=max_threads).map(|t| (t as f64, one / t as f64));
                let series = chart.draw_series(DashedLineSeries::new(ideal, 4, 4, colour.stroke_width(1)))?;
                if let Some(label) = ideal_label.take() {
                    series.label(label).legend(|(x, y)| PathElement::new([(x, y), (x + 20, y)], BLACK));
                }
            }
            chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, colour.filled())))?;
            chart
                .draw_series(LineSeries::new(points, colour.stroke_width(2)))?
                .label(tree[0].tree_label())
                .legend(move |(x, y)| PathElement::new([(x, y), (x + 20, y)], colour.stroke_width(2)));
        }
        let grey = BLACK.mix(0.35);
        let points =
            single.iter().map(|t| Circle::new((t[0].config.threads as f64, t[0].total_prove_secs()), 4, grey.filled()));
        let series = chart.draw_series(points)?;
        if !single.is_empty() {
            series
                .label(format!("{} trees measured at one thread count", single.len()))
                .legend(move |(x, y)| Circle::new((x + 10, y), 4, grey.filled()));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerLeft)
            .border_style(BLACK)
            .background_style(WHITE)
            .draw()?;
        root.present()?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::measure::CircuitSource;

    fn row(config: Config, depth: usize, stage: &str, secs: f64, bytes: usize) -> Row {
        Row {
            config,
            depth,
            audio_seconds: 3.0,
            stage: stage.into(),
            layer: stage.into(),
            proofs: 1,
            circuit: CircuitSource::Built,
            build_secs: 1.0,
            prove_secs: secs,
            gates: Some(1000),
            degree_bits: 14,
            proof_bytes: bytes,
            peak_rss_bytes: 1,
            config_secs: 30.0,
            cpu_secs: 55.0,
            h_audio: String::new(),
        }
    }

    #[test]
    fn plots_are_drawn_for_every_configuration() {
        let a = Config { frames_per_chunk: 512, arity: 2, max_seconds: 10, threads: 2 };
        let b = Config { threads: 1, ..a };
        let mut rows = Vec::new();
        for (c, scale) in [(a, 1.0), (b, 1.8)] {
            for (stage, secs, bytes) in
                [("chunk", 5.0, 1_340_198), ("leaf", 11.0, 162_420), ("fold1", 2.5, 148_004), ("root", 1.2, 134_472)]
            {
                rows.push(row(c, 1, stage, secs * scale, bytes));
            }
        }
        let ordered = runs(&rows);
        assert_eq!(ordered.iter().map(|r| r.config.threads).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(ordered[0].label(), "K512 A2 10s D1 T1");
        assert_eq!(one_run_per_tree(&ordered).len(), 1);
        let drawn = [prove_time(&ordered), proof_size(&ordered), threads(&ordered)].map(Result::unwrap);
        assert!(drawn.iter().all(|svg| svg.starts_with("<svg")));
        assert!(drawn[0].contains("leaves") && drawn[0].contains("K512 A2 10s D1 T2"), "legend and bar labels");
        assert!(drawn[1].contains("K = 512, arity 2, 10 s (depth 1)"), "a line per tree");
        assert!(drawn[2].contains("threads"));
        // No rows (every configuration skipped): empty plots, no failure.
        for svg in [prove_time(&[]), proof_size(&[]), threads(&[])] {
            assert!(svg.unwrap().starts_with("<svg"));
        }
    }
}
