//! `voizk keygen [--model M] --out KEY [-k K] [--arity A] [--max-seconds S]`.

use std::time::Instant;

use anyhow::Result;
use decision::pipeline::Pipeline;

use super::progress::LayerProgress;
use crate::args::{GlobalOpts, KeygenCmd};
use crate::input::load_model;
use crate::output::with_stdout;

/// Builds every circuit and writes the decision key; prints its digest.
pub fn run(cmd: &KeygenCmd, global: &GlobalOpts) -> Result<()> {
    let model = load_model(cmd.model.as_deref())?;
    let settings = cmd.root.settings();
    settings.validate()?;
    let mut progress = LayerProgress::new(global.quiet);
    let t = Instant::now();
    let cache = cmd.cache.cache();
    let pipeline = Pipeline::build(settings, &model, &[], cache.as_ref(), &mut |e| progress.event(e))?;
    progress.finish();
    let build_secs = t.elapsed().as_secs_f64();
    let key = pipeline.key();
    let bytes = key.to_bytes();
    crate::durable::write_file(&cmd.out, &bytes)?;
    with_stdout(|out| {
        if global.json {
            let json = serde_json::json!({
                "key": cmd.out,
                "key_bytes": bytes.len(),
                "key_digest": key.header.key_digest,
                "inner_key_digest": key.header.inner_key_digest,
                "h_model": key.header.h_model,
                "settings": settings,
                "build_secs": build_secs,
            });
            return writeln!(out, "{json}");
        }
        writeln!(out, "decision key: {} ({} bytes, built in {build_secs:.1} s)", cmd.out.display(), bytes.len())?;
        writeln!(out, "key digest:   {}", key.header.key_digest)?;
        writeln!(out, "h_model:      {}", key.header.h_model)?;
        writeln!(out, "settings:     {settings}")
    })
}
