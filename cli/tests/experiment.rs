//! `voizk experiment` end to end: the cheapest sweep (one configuration: K = 64, arity 2, at most 1 s, so one
//! chunk, one fold level and the wrap) on half a second of real speech writes a row per layer to results.csv
//! and the three plots; a rerun into the same directory resumes (runs nothing, adds no row); bad options and
//! another recording are refused before anything runs.
//!
//! Slow (the leaf circuit is built once, without the circuit cache, and proven once: about a minute): one test.

mod common;

use std::path::PathBuf;

use common::{assert_refused, path, temp_dir, text, voizk, write_wav};

/// The columns of results.csv.
const HEADER: &str = "k,arity,max_seconds,depth,threads,audio_seconds,stage,layer,proofs,circuit,build_secs,\
prove_secs,gates,degree_bits,proof_bytes,peak_rss_bytes,config_secs,cpu_secs,h_audio";

#[test]
fn a_sweep_writes_rows_and_plots_and_a_rerun_resumes() {
    let tmp = temp_dir("experiment");
    let real = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/real/codec2_hts1a_male.wav");
    let audio = stark_frames::Audio::load(&real).unwrap();
    let wav = tmp.join("half.wav");
    write_wav(&wav, &audio.samples()[..8_000]); // 0.5 s of real speech: 50 hops, one chunk of 64 frames
    let out = tmp.join("sweep");
    let sweep = |extra: &[&str]| {
        let mut args = vec!["experiment", path(&wav), "--out", path(&out), "-k", "64", "--arity", "2"];
        args.extend(["--max-seconds", "1", "--threads", "2", "--no-cache"]);
        args.extend(extra);
        voizk(&args)
    };

    let o = sweep(&[]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let progress = text(&o.stderr);
    assert!(progress.contains("1 configuration, 0 already in"), "{progress}");
    assert!(progress.contains("[1/1] K = 64, arity 2, at most 1 s (depth 1), 2 threads: "), "{progress}");
    assert!(text(&o.stdout).contains("this run"), "{}", text(&o.stdout));
    let csv = std::fs::read_to_string(out.join("results.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some(HEADER));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let col = |name: &str| HEADER.split(',').position(|c| c == name).unwrap();
    let stages: Vec<(&str, &str)> = rows.iter().map(|r| (r[col("stage")], r[col("circuit")])).collect();
    assert_eq!(stages, [("chunk", "none"), ("leaf", "built"), ("fold1", "built"), ("root", "built")]);
    let hash = voizk(&["hash-audio", path(&wav)]);
    let h_audio = text(&hash.stdout).split_whitespace().next().unwrap().to_string();
    for r in &rows {
        assert_eq!(r.len(), HEADER.split(',').count());
        assert_eq!(r[..col("stage")], ["64", "2", "1", "1", "2", "0.500"]);
        assert_eq!(r[col("h_audio")], h_audio);
        let rss: u64 = r[col("peak_rss_bytes")].parse().unwrap();
        assert!(rss > 100_000_000, "a leaf prover holds more than 100 MB: {rss}");
        assert!(r[col("proof_bytes")].parse::<usize>().unwrap() > 0);
        assert!(r[col("prove_secs")].parse::<f64>().unwrap() > 0.0);
        assert!(r[col("cpu_secs")].parse::<f64>().unwrap() > 0.0);
    }
    assert_eq!(rows[0][col("gates")], "", "the STARK has no gates");
    assert_eq!(rows[0][col("layer")], "chunk STARK (K = 64)");
    assert_eq!(rows[1][col("degree_bits")], "16", "the leaf is a 2^16 circuit");
    for plot in ["prove_time.svg", "proof_size.svg", "threads.svg"] {
        let svg = std::fs::read_to_string(out.join(plot)).unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"), "{plot}");
    }

    // The same sweep again: nothing to run, no row added, the plots redrawn.
    let o = sweep(&["--json"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("1 configuration, 1 already in"), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("[1/1]"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(out.join("results.csv")).unwrap(), csv, "a rerun adds no row");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["rows"], 4);
    assert_eq!(v["configurations"][0]["resumed"], true);
    assert_eq!(v["configurations"][0]["depth"], 1);

    // Refusals, before anything runs: options no tree can have, a recording that fits no maximum, another
    // recording in the same directory, and a list of thread counts for a command that takes one.
    assert_refused(&sweep(&["-k", "64,5000"]), "a chunk too long", "-k 5000: unsupported chunk size 5000 frames");
    assert_refused(&sweep(&["--arity", "17"]), "arity 17", "--arity 17: arity 17 is not supported (2 to 16)");
    let long = tmp.join("long.wav");
    write_wav(&long, &vec![0i16; 2 * 16_000]);
    let o = voizk(&["experiment", path(&long), "--out", path(&out), "--max-seconds", "1"]);
    assert_refused(&o, "a recording too long", "the recording (2.00 s) is longer than every --max-seconds (1)");
    let o = voizk(&["experiment", path(&long), "--out", path(&out), "--max-seconds", "1,2", "-q"]);
    assert_refused(&o, "another recording", "holds results for another recording");
    // A configuration that fails (here a failure injected where its child starts building circuits) stops the
    // sweep with one line naming it and the child's reason; nothing is written for it.
    let failing = tmp.join("failing");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_voizk"))
        .args(["experiment", path(&wav), "--out", path(&failing), "-k", "64", "--max-seconds", "1", "--no-cache", "-q"])
        .env("VOIZK_TEST_FAIL_STAGE", "build circuits")
        .output()
        .unwrap();
    assert_refused(&o, "a failing configuration", "K = 64, arity 2, at most 1 s (depth 1), ");
    let err = text(&o.stderr);
    assert!(err.contains("internal error in build circuits") && err.contains("0 of 2 configurations"), "{err}");
    assert!(!failing.join("results.csv").exists(), "no row for a configuration that failed");
    let o = voizk(&["--threads", "1,2", "hash-audio", path(&wav)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("--threads takes one count here, not 2"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(out.join("results.csv")).unwrap(), csv, "refusals write nothing");
    std::fs::remove_dir_all(&tmp).unwrap();
}
