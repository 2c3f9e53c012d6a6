//! `voizk plan FILE --dir DIR --template T [--model M] --nonce HEX [-k K] [--arity A] [--max-seconds S]`.

use std::path::Path;

use anyhow::{bail, Context, Result};
use decision::stages::plan_dir::{PlanDir, PlanFile, PLAN_FILE};

use crate::args::{GlobalOpts, PlanCmd};
use crate::input::{load_model, read_template};
use crate::output::with_stdout;

/// Extensions of the files stages write, removed when a directory is planned again.
const STAGE_OUTPUTS: [&str; 3] = [".proof", ".report.json", ".jobs"];

/// Writes the plan directory and prints its waves.
pub fn run(cmd: &PlanCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(cmd.model.as_deref())?;
    let template = read_template(&cmd.template)?;
    let settings = cmd.root.tree_settings();
    settings.validate()?;
    let recording = std::fs::read(&cmd.file).with_context(|| format!("cannot read {}", cmd.file.display()))?;
    let (plan, files) = PlanDir::files(settings, &recording, &template, &model, cmd.nonce.0)
        .with_context(|| cmd.file.display().to_string())?;
    prepare_dir(&cmd.dir)?;
    for (name, bytes) in &files {
        crate::durable::write_file(&cmd.dir.join(name), bytes)?;
    }
    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{}", serde_json::to_string(&plan).expect("a plan serialises"));
        }
        print_plan(out, &plan, &cmd.dir)
    })
}

fn print_plan(out: &mut dyn std::io::Write, plan: &PlanFile, dir: &Path) -> std::io::Result<()> {
    let stages: usize = plan.waves.iter().map(Vec::len).sum();
    writeln!(
        out,
        "planned {stages} stages in {} waves for {:.2} s of audio (K = {}, arity {}, {} fold levels, at most {} s) in {}",
        plan.waves.len(),
        plan.audio_secs,
        plan.settings.frames_per_chunk,
        plan.settings.arity,
        plan.settings.depth(),
        plan.settings.max_seconds,
        dir.display()
    )?;
    for (wave, ids) in plan.waves.iter().enumerate() {
        let shown =
            if ids.len() > 4 { format!("{} ... {}", ids[..2].join(" "), ids[ids.len() - 1]) } else { ids.join(" ") };
        writeln!(out, "wave {wave}: {} stage{}: {shown}", ids.len(), if ids.len() == 1 { "" } else { "s" })?;
    }
    writeln!(out, "h_audio: {}", plan.h_audio)?;
    writeln!(
        out,
        "run each wave in order, e.g. parallel voizk stage {} {{}} :::: {}/wave-0.jobs",
        dir.display(),
        dir.display()
    )
}

/// Creates `dir` if missing; in a directory planned before, removes the files of the earlier plan's stages.
fn prepare_dir(dir: &Path) -> Result<()> {
    match std::fs::metadata(dir) {
        Ok(meta) if !meta.is_dir() => bail!("{}: exists and is not a directory", dir.display()),
        Ok(_) if dir.join(PLAN_FILE).exists() => {
            for entry in std::fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))? {
                let path = entry?.path();
                let name = path.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
                if STAGE_OUTPUTS.iter().any(|ext| name.ends_with(ext)) {
                    std::fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
                }
            }
            Ok(())
        }
        Ok(_) => Ok(()),
        Err(_) => std::fs::create_dir_all(dir).with_context(|| format!("cannot create directory {}", dir.display())),
    }
}
