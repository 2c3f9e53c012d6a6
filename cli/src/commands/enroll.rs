//! `voizk enroll FILE... --out TEMPLATE [--model M]`.

use anyhow::{Context, Result};
use decision::template::{standardised_embedding, Template};

use crate::args::{EnrollCmd, GlobalOpts};
use crate::input::{load_audio, load_model};
use crate::output::with_stdout;

/// Enrolls the files and writes the template; prints `h_template`.
pub fn run(cmd: &EnrollCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(cmd.model.as_deref())?;
    let mut recordings = Vec::with_capacity(cmd.files.len());
    for file in &cmd.files {
        let audio = load_audio(Some(file))?;
        let (z, voiced) =
            standardised_embedding(audio.samples(), &model).with_context(|| file.display().to_string())?;
        recordings.push((file.display().to_string(), z, voiced));
    }
    let template = Template::enroll(&recordings, &model)?;
    crate::durable::write_file(&cmd.out, (template.to_json() + "\n").as_bytes())?;
    with_stdout(|out| {
        if global.json {
            writeln!(
                out,
                "{}",
                serde_json::json!({
                    "h_template": template.h_template,
                    "h_model": template.h_model,
                    "template": cmd.out.display().to_string(),
                    "enrolled": template.enrolled,
                })
            )
        } else {
            for e in &template.enrolled {
                writeln!(out, "enrolled {} ({} voiced frames)", e.name, e.voiced_frames)?;
            }
            writeln!(out, "template:   {}", cmd.out.display())?;
            writeln!(out, "h_template: {}", template.h_template)
        }
    })
}
