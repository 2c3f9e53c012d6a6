//! `voizk mfcc [FILE] [--f64 | --compare]`.

use anyhow::Result;
use rayon::prelude::*;
use stark_frames::fixed::{self, q24_to_f64};
use stark_frames::framing::{frame, padded_preemphasis};
use stark_frames::params::NUM_CEPS;
use stark_frames::{oracle, Audio};

use crate::args::{GlobalOpts, MfccCmd};
use crate::input::{load_audio, BUILTIN_NAME};
use crate::output::with_stdout;

/// Prints MFCCs as CSV (or JSON), or the integer-vs-f64 comparison.
pub fn run(cmd: &MfccCmd, global: &GlobalOpts) -> Result<()> {
    let audio = load_audio(cmd.file.as_deref())?;
    if cmd.file.is_none() && !global.quiet {
        eprintln!("note: no FILE given, using the {BUILTIN_NAME}");
    }
    if cmd.compare {
        return compare(&audio, global);
    }
    let rows: Vec<[f64; NUM_CEPS]> = if cmd.f64 {
        oracle::mfcc(audio.samples())
    } else {
        integer_mfcc(&audio).iter().map(|c| c.map(q24_to_f64)).collect()
    };
    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{}", serde_json::json!({ "pipeline": pipeline(cmd), "mfcc": rows }));
        }
        let header: Vec<String> = (0..NUM_CEPS).map(|i| format!("c{i}")).collect();
        writeln!(out, "{}", header.join(","))?;
        for row in &rows {
            // Integer values are k / 2^24: 8 decimals resolve them to 6e-9; f64 values print exactly.
            let cells: Vec<String> =
                row.iter().map(|v| if cmd.f64 { v.to_string() } else { format!("{v:.8}") }).collect();
            writeln!(out, "{}", cells.join(","))?;
        }
        Ok(())
    })
}

fn pipeline(cmd: &MfccCmd) -> &'static str {
    if cmd.f64 {
        "f64"
    } else {
        "fixed"
    }
}

/// The integer MFCCs, frames in parallel.
fn integer_mfcc(audio: &Audio) -> Vec<fixed::MfccQ24> {
    let padded = padded_preemphasis(audio.samples());
    (0..audio.num_frames()).into_par_iter().map(|f| fixed::frame_witness(frame(&padded, f)).mfcc).collect()
}

/// Prints, per coefficient, the max and 99th-percentile |integer - f64|.
fn compare(audio: &Audio, global: &GlobalOpts) -> Result<()> {
    let int = integer_mfcc(audio);
    let real = oracle::mfcc(audio.samples());
    let mut per_coeff: Vec<Vec<f64>> = vec![Vec::new(); NUM_CEPS];
    for (i, r) in int.iter().zip(&real) {
        for c in 0..NUM_CEPS {
            per_coeff[c].push((q24_to_f64(i[c]) - r[c]).abs());
        }
    }
    let mut all: Vec<f64> = per_coeff.iter().flatten().copied().collect();
    let stats = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        (v[((v.len() - 1) as f64 * 0.99).round() as usize], v[v.len() - 1])
    };
    let (p99_all, max_all) = stats(&mut all);
    let rows: Vec<(String, f64, f64)> = per_coeff
        .iter_mut()
        .enumerate()
        .map(|(c, v)| {
            let (p99, max) = stats(v);
            (format!("c{c}"), p99, max)
        })
        .collect();
    with_stdout(|out| {
        if global.json {
            let coeffs: Vec<_> =
                rows.iter().map(|(n, p, m)| serde_json::json!({"coefficient": n, "p99": p, "max": m})).collect();
            return writeln!(
                out,
                "{}",
                serde_json::json!({"frames": int.len(), "p99": p99_all, "max": max_all, "per_coefficient": coeffs})
            );
        }
        writeln!(
            out,
            "frames: {}   |integer - f64| over all coefficients: p99 {p99_all:.2e}, max {max_all:.2e}",
            int.len()
        )?;
        writeln!(out, "{:<5} {:>10} {:>10}", "coef", "p99", "max")?;
        for (n, p, m) in &rows {
            writeln!(out, "{n:<5} {p:>10.2e} {m:>10.2e}")?;
        }
        Ok(())
    })
}
