//! `voizk stage DIR ID` and `voizk stage DIR --wave W --index I`.

use std::time::Instant;

use anyhow::{anyhow, Result};
use decision::stages::plan_dir::{report_file_name, PlanDir};
use decision::stages::run::run_stage;
use decision::stages::StageError;

use super::inspect::print_statement;
use super::progress::LayerProgress;
use crate::args::{GlobalOpts, StageCmd};
use crate::output::with_stdout;

/// Proves the stage, writes its file and its report in the plan directory, prints a line (or JSON).
pub fn run(cmd: &StageCmd, global: &GlobalOpts) -> Result<()> {
    let dir = PlanDir::open(&cmd.dir)?;
    let stage = match (&cmd.stage, cmd.wave, cmd.index) {
        (Some(id), _, _) => dir.plan().find(id).ok_or_else(|| StageError::UnknownStage(id.clone()))?,
        (None, Some(wave), Some(index)) => dir.plan().at(wave, index).ok_or_else(|| {
            let size = dir.plan().waves.get(wave).map_or(0, Vec::len);
            anyhow!(
                "the plan has no stage {index} in wave {wave} (it has {} waves; this one has {size} stages)",
                dir.plan().waves.len()
            )
        })?,
        _ => unreachable!("clap requires a stage or --wave with --index"),
    }
    .clone();
    let mut progress = LayerProgress::new(global.quiet);
    crate::backstop::enter_stage(&stage.name());
    let wall = Instant::now();
    let cache = cmd.cache.cache();
    let output = run_stage(&dir, &stage, cache.as_ref(), &mut |e| progress.event(e))?;
    progress.finish();
    let path = dir.path(&output.file_name);
    crate::durable::write_file(&path, &output.bytes)?;
    let report = serde_json::to_string(&output.report).expect("a report serialises");
    crate::durable::write_file(&dir.path(&report_file_name(&stage.id())), format!("{report}\n").as_bytes())?;
    let wall_secs = wall.elapsed().as_secs_f64();
    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "stage": stage.id(),
                "file": path,
                "bytes": output.bytes.len(),
                "report": output.report,
                "wall_secs": wall_secs,
                "statement": output.statement,
            });
            return writeln!(out, "{json}");
        }
        writeln!(
            out,
            "{}: {} ({} bytes), proved in {:.2} s, {:.2} s in all",
            stage.name(),
            path.display(),
            output.bytes.len(),
            output.report.prove_secs,
            wall_secs
        )?;
        match &output.statement {
            Some(statement) => print_statement(out, statement),
            None => Ok(()),
        }
    })
}
