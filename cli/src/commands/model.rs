//! `voizk model show [--model M]`.

use anyhow::Result;
use decision::duration::describe;

use crate::args::{GlobalOpts, ModelShowCmd};
use crate::input::load_model;
use crate::output::with_stdout;

/// Reads `--model` (or takes the built-in default), validates it, and prints it with `h_model`.
pub fn show(cmd: &ModelShowCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(cmd.model.as_deref())?;
    let h_model = model.h_model_hex();
    with_stdout(|out| {
        if global.json {
            writeln!(out, "{}", serde_json::json!({ "model": model, "h_model": h_model }))
        } else {
            writeln!(out, "{}", model.to_json())?;
            writeln!(out, "h_model {h_model}")?;
            writeln!(out, "threshold {:.6} ({})", model.threshold(), model.score_name())?;
            if let Some(table) = &model.duration_offsets {
                writeln!(out, "duration offsets (subtracted from the score by voiced frames): {}", describe(table))?;
            }
            Ok(())
        }
    })
}
