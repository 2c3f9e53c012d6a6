//! End-to-end tests of the `voizk` binary: output formats and clean refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn voizk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voizk")).args(args).output().expect("run voizk")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Every malformed input gets exit 1 and one `error:` line naming the problem, never a panic.
#[test]
fn malformed_inputs_are_refused_cleanly() {
    let cases = [
        ("stereo.wav", "2 channels"),
        ("rate_8k.wav", "8000 Hz"),
        ("rate_44k.wav", "44100 Hz"),
        ("pcm8.wav", "8-bit integer"),
        ("pcm24.wav", "24-bit integer"),
        ("pcm32.wav", "32-bit integer"),
        ("float32.wav", "32-bit floating point"),
        ("truncated.wav", "truncated WAV"),
        ("header_only.wav", "truncated WAV"),
        ("empty.wav", "empty (0 bytes)"),
        ("not_a_wav.wav", "not a WAV file"),
        ("too_short.wav", "320 samples"),
    ];
    for (file, reason) in cases {
        let p = fixtures().join("malformed").join(file);
        for cmd in [vec!["mfcc", path(&p)], vec!["mfcc", "--f64", path(&p)], vec!["hash-audio", path(&p)]] {
            let o = voizk(&cmd);
            let err = stderr(&o);
            assert_eq!(o.status.code(), Some(1), "{cmd:?}: {err}");
            assert!(o.stdout.is_empty(), "{cmd:?} printed to stdout");
            assert_eq!(err.lines().count(), 1, "{cmd:?}: not one line: {err}");
            assert!(err.starts_with("error: ") && err.contains(reason), "{cmd:?}: {err}");
            assert!(!err.contains("panicked"), "{cmd:?}: {err}");
        }
    }
    // Format errors say how to convert.
    let o = voizk(&["mfcc", path(&fixtures().join("malformed/stereo.wav"))]);
    assert!(stderr(&o).contains("sox IN.wav -r 16000 -c 1 -b 16"));
    let o = voizk(&["hash-audio", "/no/such/file.wav"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("No such file"));
}

#[test]
fn mfcc_prints_csv_with_one_row_per_frame() {
    let wav = fixtures().join("speech/espeak_us_f2_3.wav");
    let o = voizk(&["mfcc", path(&wav)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12"));
    let audio = stark_frames::Audio::load(&wav).unwrap();
    let want = stark_frames::fixed::mfcc(audio.samples());
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), want.len());
    for (row, w) in rows.iter().zip(&want) {
        let vals: Vec<f64> = row.split(',').map(|v| v.parse().unwrap()).collect();
        assert_eq!(vals.len(), 13);
        for (v, q) in vals.iter().zip(w) {
            // 8 decimals of k / 2^24: the printed value identifies the integer.
            assert_eq!((v * (1u64 << 24) as f64).round() as i64, *q);
        }
    }
}

#[test]
fn mfcc_f64_matches_python_reference() {
    let o = voizk(&["mfcc", "--f64", path(&fixtures().join("speech/flite_slt_2.wav"))]);
    assert!(o.status.success());
    let reference = std::fs::read_to_string(fixtures().join("reference/flite_slt_2.csv")).unwrap();
    let got = stdout(&o);
    assert_eq!(got.lines().count(), reference.lines().count());
    for (g, r) in got.lines().zip(reference.lines()).skip(1) {
        for (a, b) in g.split(',').zip(r.split(',')) {
            let (a, b): (f64, f64) = (a.parse().unwrap(), b.parse().unwrap());
            assert!((a - b).abs() <= 1e-6, "{a} vs {b}");
        }
    }
}

#[test]
fn mfcc_without_file_uses_builtin_sample() {
    let o = voizk(&["mfcc"]);
    assert!(o.status.success());
    let with_file = voizk(&["mfcc", path(&fixtures().join("speech/flite_awb_1.wav"))]);
    assert_eq!(o.stdout, with_file.stdout);
    assert!(stderr(&o).contains("built-in sample"));
    assert!(voizk(&["mfcc", "--quiet"]).stderr.is_empty());
}

#[test]
fn hash_audio_prints_the_commitment() {
    let wav = fixtures().join("speech/flite_rms_1.wav");
    let o = voizk(&["hash-audio", path(&wav)]);
    assert!(o.status.success());
    let line = stdout(&o);
    let hex = line.trim_end();
    assert_eq!(hex.len(), 64);
    let audio = stark_frames::Audio::load(&wav).unwrap();
    assert_eq!(hex, stark_frames::commitment::commit_audio(audio.samples()).to_string());
    let json: serde_json::Value = serde_json::from_slice(&voizk(&["hash-audio", "--json", path(&wav)]).stdout).unwrap();
    assert_eq!(json["h_audio"], hex);
    assert_eq!(json["num_samples"], audio.len());
}

#[test]
fn compare_reports_the_accuracy_target() {
    let o = voizk(&["mfcc", "--compare", "--json", path(&fixtures().join("speech/flite_kal_4.wav"))]);
    assert!(o.status.success());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(json["p99"].as_f64().unwrap() <= 0.05);
    assert_eq!(json["per_coefficient"].as_array().unwrap().len(), 13);
}

#[test]
fn help_explains_every_command() {
    let o = voizk(&["--help"]);
    let text = stdout(&o);
    assert!(text.contains("mfcc") && text.contains("hash-audio"));
    for cmd in ["mfcc", "hash-audio"] {
        let o = voizk(&[cmd, "--help"]);
        assert!(o.status.success() && stdout(&o).contains("Usage: voizk"), "{cmd}");
    }
}

#[test]
fn bad_arguments_exit_nonzero_without_panic() {
    for args in [vec!["frobnicate"], vec!["mfcc", "--threads", "0"], vec!["hash-audio"]] {
        let o = voizk(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!stderr(&o).contains("panicked"));
    }
}
