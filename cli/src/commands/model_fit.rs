//! `voizk model fit MANIFEST --out MODEL [--target-far F] [--folds K] [--voicing-threshold C0] [--no-whitening]
//! [--ridge R] [--no-s-norm] [--duration-bins B]`.

use anyhow::Result;
use decision::augment::telephone_band;
use decision::fit::{fit, Channel, FitOptions, FitRecording, FitReport};
use stark_frames::fixed::pooled::pooled_stats;

use crate::args::{GlobalOpts, ModelFitCmd};
use crate::corpus::{for_each_file, read_manifest};
use crate::input::load_audio;
use crate::output::{percent, rates_line, with_stdout};

/// Fits, prints the cross-validated rates, and writes the model.
pub fn run(cmd: &ModelFitCmd, global: &GlobalOpts) -> Result<()> {
    anyhow::ensure!(
        cmd.voicing_threshold.is_finite() && cmd.voicing_threshold.abs() < 1000.0,
        "--voicing-threshold {} is not a natural-log energy level",
        cmd.voicing_threshold
    );
    let options = FitOptions {
        voicing_threshold_q24: (cmd.voicing_threshold * f64::from(1u32 << 24)).round() as i64,
        target_far: cmd.target_far,
        folds: cmd.folds,
        whiten: !cmd.no_whitening,
        trial_recordings: cmd.trial_recordings,
        s_norm: !cmd.no_s_norm,
        ridge: cmd.ridge,
        duration_bins: cmd.duration_bins,
    };
    let (entries, digest) = read_manifest(&cmd.manifest)?;
    let per_file = for_each_file(&entries, "pooling MFCCs", global.quiet, |e| {
        let audio = load_audio(Some(&e.path))?;
        let pooled =
            |samples: &[i16]| pooled_stats(&stark_frames::fixed::frame_values(samples), options.voicing_threshold_q24);
        let mut out = vec![FitRecording {
            speaker: e.speaker.clone(),
            channel: Channel::Wideband,
            stats: pooled(audio.samples()),
        }];
        if !cmd.no_telephone {
            out.push(FitRecording {
                speaker: e.speaker.clone(),
                channel: Channel::Telephone,
                stats: pooled(&telephone_band(audio.samples())),
            });
        }
        Ok(out)
    })?;
    let recordings: Vec<FitRecording> = per_file.into_iter().flatten().collect();
    let report = fit(&recordings, &options, &digest)?;
    if let Some(dir) = &cmd.plot {
        let marks = crate::plot::Marks {
            score_name: report.model.score_name(),
            title: match cmd.trial_recordings {
                1 => format!("held out ({} speaker folds)", cmd.folds),
                n => format!("held out ({} speaker folds, trials of {n} recordings)", cmd.folds),
            },
            threshold: report.model.threshold(),
            far: report.at_threshold.far(),
            frr: report.at_threshold.frr(),
            eer: report.eer.0,
        };
        crate::plot::score_plots(dir, &report.genuine, &report.impostor, &marks)
            .map_err(|e| e.context(format!("plotting into {}", dir.display())))?;
    }
    crate::durable::write_file(&cmd.out, (report.model.to_json() + "\n").as_bytes())?;
    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{}", json(&report, cmd));
        }
        let c = report.model.calibration.as_ref().expect("a fitted model records its calibration");
        writeln!(
            out,
            "{} recordings of {} speakers (manifest sha256 {}){}",
            c.recordings,
            c.speakers,
            c.manifest_sha256,
            if report.skipped > 0 {
                format!("; {} without voiced frames left out", report.skipped)
            } else {
                String::new()
            }
        )?;
        writeln!(
            out,
            "held out, {} speaker folds: {} genuine and {} impostor trials{}",
            c.folds,
            c.false_rejects[1],
            c.false_accepts[1],
            match c.trial_recordings {
                1 => String::new(),
                n => format!(" (each of {n} recordings pooled)"),
            }
        )?;
        writeln!(out, "  EER {} at {:.4}", percent(report.eer.0), report.eer.1)?;
        writeln!(
            out,
            "  threshold {:.4} for FAR {}: {}",
            report.model.threshold(),
            percent(c.target_far),
            rates_line(&report.at_threshold)
        )?;
        writeln!(out, "  nested (thresholds calibrated without the tested speakers): {}", rates_line(&report.nested))?;
        if let Some(table) = &report.model.duration_offsets {
            writeln!(out, "  duration offsets (subtracted from the score): {}", decision::duration::describe(table))?;
        }
        for c in &report.channels {
            writeln!(
                out,
                "  {:?} trials: EER {} at {:.4}; at the threshold {}; nested {}",
                c.channel,
                percent(c.eer.0),
                c.eer.1,
                rates_line(&c.at_threshold),
                rates_line(&c.nested)
            )?;
        }
        for (i, f) in report.folds.iter().enumerate() {
            writeln!(
                out,
                "  fold {i} ({} speakers): threshold {:.4}, {}",
                f.speakers.len(),
                f.nested_threshold,
                rates_line(&f.nested)
            )?;
        }
        writeln!(out, "model: {} (h_model {})", cmd.out.display(), report.model.h_model_hex())
    })
}

fn json(report: &FitReport, cmd: &ModelFitCmd) -> serde_json::Value {
    serde_json::json!({
        "model": cmd.out.display().to_string(),
        "h_model": report.model.h_model_hex(),
        "threshold": report.model.threshold(),
        "duration_offsets": report.model.duration_offsets,
        "calibration": report.model.calibration,
        "skipped": report.skipped,
        "eer": report.eer.0,
        "eer_threshold": report.eer.1,
        "at_threshold": report.at_threshold,
        "nested": report.nested,
        "folds": report.folds,
        "channels": report.channels,
    })
}
