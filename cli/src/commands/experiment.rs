//! `voizk experiment [FILE] --out DIR [-k K,..] [--arity A,..] [--max-seconds S,..] [--threads N,..]`: sweeps the
//! tree's settings and the thread count on one recording (`crate::experiment` has the parts). Each
//! configuration runs in a child process; its rows are added to `DIR/results.csv` and the plots redrawn as soon
//! as it finishes, so an interrupted sweep keeps what it measured and a rerun resumes.

use std::collections::BTreeSet;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result};
use stark_frames::commitment::commit_audio;

use crate::args::{ExperimentCmd, GlobalOpts};
use crate::durable::write_file;
use crate::experiment::child::Child;
use crate::experiment::config::{join, plan, Config, Lists};
use crate::experiment::csv::{self, Recording, Row, RESULTS_FILE};
use crate::experiment::eta::{human, progress_line, Eta, GB};
use crate::experiment::measure::LEAF_STAGE;
use crate::experiment::{load_recording, plots, recording_name};
use crate::output::with_stdout;

/// Plans the sweep, runs what results.csv does not hold yet, draws the plots, prints a summary.
pub fn run(cmd: &ExperimentCmd, global: &GlobalOpts) -> Result<()> {
    let audio = load_recording(cmd.file.as_deref())?;
    let recording = Recording { seconds: audio.duration_secs(), h_audio: commit_audio(audio.samples()).to_string() };
    let threads = if global.threads.is_empty() {
        vec![std::thread::available_parallelism().map_or(1, usize::from)]
    } else {
        global.threads.iter().map(|&t| usize::from(t)).collect()
    };
    let lists = Lists {
        frames_per_chunk: cmd.frames_per_chunk.clone(),
        arity: cmd.arity.clone(),
        max_seconds: cmd.max_seconds.clone(),
        threads,
    };
    let plan = plan(&lists, audio.len())?;
    let note = |line: String| {
        if !global.quiet {
            eprintln!("{line}");
        }
    };
    for s in &plan.too_short {
        note(format!("warning: skipping --max-seconds {s}: the recording is {:.2} s", recording.seconds));
    }

    std::fs::create_dir_all(&cmd.out).with_context(|| format!("cannot create {}", cmd.out.display()))?;
    let csv_path = cmd.out.join(RESULTS_FILE);
    let mut text = read_results(&csv_path)?;
    let mut rows = csv::parse(&text).with_context(|| csv_path.display().to_string())?;
    csv::check_recording(&rows, &recording).with_context(|| csv_path.display().to_string())?;
    let done = csv::done(&rows);
    let todo: Vec<Config> = plan.configs.iter().filter(|c| !done.contains(c)).copied().collect();
    note(format!(
        "experiment on {} ({:.2} s): {}, {} already in {}, {} to run",
        recording_name(cmd.file.as_deref()),
        recording.seconds,
        configurations(plan.configs.len()),
        plan.configs.len() - todo.len(),
        csv_path.display(),
        todo.len()
    ));
    if text.is_empty() {
        text = csv::header();
    } else if !text.ends_with('\n') {
        text.push('\n');
    }

    let exe = std::env::current_exe().context("cannot find the voizk binary to run the configurations")?;
    let child = Child { exe, file: cmd.file.as_deref(), cache: &cmd.cache };
    let mut eta = Eta::default();
    let sweep = Instant::now();
    for (i, config) in todo.iter().enumerate() {
        let t = Instant::now();
        let m = child.run(config).map_err(|e| {
            anyhow::anyhow!(
                "{e:#}; {i} of {} configurations to run were done and are kept in {}: a rerun resumes",
                todo.len(),
                csv_path.display()
            )
        })?;
        let wall = t.elapsed().as_secs_f64();
        eta.record(wall);
        let new = Row::of_measurement(*config, &recording, &m);
        text.push_str(&csv::format_rows(&new));
        write_file(&csv_path, text.as_bytes())?;
        rows.extend(new);
        plots::write_plots(&cmd.out, &rows)?;
        note(progress_line(i + 1, todo.len(), config, &m, wall, eta.left(todo.len() - i - 1)));
    }
    let plot_paths = plots::write_plots(&cmd.out, &rows)?;
    if !todo.is_empty() {
        note(format!("swept {} in {}", configurations(todo.len()), human(sweep.elapsed().as_secs_f64())));
    }
    let resumed: BTreeSet<Config> = done.intersection(&plan.configs.iter().copied().collect()).copied().collect();
    print_summary(global, &plan.configs, &resumed, &rows, &csv_path, &plot_paths, &plan.too_short)
}

/// `1 configuration`, `4 configurations`.
fn configurations(n: usize) -> String {
    format!("{n} configuration{}", if n == 1 { "" } else { "s" })
}

/// The text of the results file, or an empty text when there is none yet.
fn read_results(path: &Path) -> Result<String> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// One configuration of the sweep as the summary shows it.
#[derive(serde::Serialize)]
struct Summary {
    k: usize,
    arity: usize,
    max_seconds: u32,
    depth: usize,
    threads: usize,
    /// From an earlier run (found in results.csv).
    resumed: bool,
    prove_secs: f64,
    /// The child's wall and CPU time (its cores busy: their ratio).
    config_secs: f64,
    cpu_secs: f64,
    root_proof_bytes: usize,
    peak_rss_bytes: u64,
    leaf_circuit: &'static str,
}

/// Prints one line per configuration of the plan (or, with `--json`, the summaries and the files).
fn print_summary(
    global: &GlobalOpts,
    configs: &[Config],
    resumed: &BTreeSet<Config>,
    rows: &[Row],
    csv_path: &Path,
    plots: &[PathBuf],
    too_short: &[u32],
) -> Result<()> {
    let summaries: Vec<Summary> = configs
        .iter()
        .filter_map(|c| {
            let mine: Vec<&Row> = rows.iter().filter(|r| r.config == *c).collect();
            let root = mine.last()?;
            Some(Summary {
                k: c.frames_per_chunk,
                arity: c.arity,
                max_seconds: c.max_seconds,
                depth: root.depth,
                threads: c.threads,
                resumed: resumed.contains(c),
                prove_secs: mine.iter().map(|r| r.prove_secs).sum(),
                config_secs: root.config_secs,
                cpu_secs: root.cpu_secs,
                root_proof_bytes: root.proof_bytes,
                peak_rss_bytes: root.peak_rss_bytes,
                leaf_circuit: mine.iter().find(|r| r.stage == LEAF_STAGE).map_or("", |r| r.circuit.as_str()),
            })
        })
        .collect();
    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "results": csv_path,
                "rows": rows.len(),
                "plots": plots,
                "configurations": summaries,
                "skipped_max_seconds": too_short,
            });
            return writeln!(out, "{json}");
        }
        writeln!(
            out,
            "{:>5} {:>5} {:>7} {:>5} {:>7} {:>9} {:>8} {:>6} {:>10} {:>8} {:>6}  from",
            "K", "arity", "max s", "depth", "threads", "prove s", "wall s", "cores", "root B", "peak GB", "leaf"
        )?;
        for s in &summaries {
            writeln!(
                out,
                "{:>5} {:>5} {:>7} {:>5} {:>7} {:>9.1} {:>8.1} {:>6.2} {:>10} {:>8.2} {:>6}  {}",
                s.k,
                s.arity,
                s.max_seconds,
                s.depth,
                s.threads,
                s.prove_secs,
                s.config_secs,
                s.cpu_secs / s.config_secs.max(f64::MIN_POSITIVE),
                s.root_proof_bytes,
                s.peak_rss_bytes as f64 / GB,
                s.leaf_circuit,
                if s.resumed { "earlier run" } else { "this run" }
            )?;
        }
        if !too_short.is_empty() {
            writeln!(out, "skipped: --max-seconds {} (shorter than the recording)", join(too_short))?;
        }
        writeln!(out, "results: {} ({} rows)", csv_path.display(), rows.len())?;
        let names: Vec<String> = plots.iter().map(|p| p.display().to_string()).collect();
        writeln!(out, "plots:   {}", names.join(", "))
    })
}
