//! End-to-end tests of the `voizk` binary: output formats and clean refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

mod common;

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
    // A header announcing more than the maximum length (here 2^31 samples, 37 hours) is refused before reading.
    let mut wav = std::fs::read(fixtures().join("malformed/one_frame.wav")).unwrap();
    let data = wav.windows(4).position(|w| w == b"data").unwrap();
    wav[data + 4..data + 8].copy_from_slice(&(1u32 << 31).to_le_bytes());
    let dir = temp_dir("long");
    let long = dir.join("long.wav");
    std::fs::write(&long, wav).unwrap();
    assert_refused(&voizk(&["hash-audio", path(&long)]), "a 37-hour header", "voizk accepts at most 57600000");
}

#[test]
fn security_prints_every_layer() {
    let o = voizk(&["--json", "security"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let layers = v["layers"].as_array().unwrap();
    let names: Vec<&str> = layers.iter().map(|l| l["params"]["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["chunk STARK, K = 4096", "chunk STARK, K = 512", "leaf", "fold (arity 4)", "root", "final"]);
    for l in layers {
        let (a, b) = (l["conjectured"].as_f64().unwrap(), l["johnson"].as_f64().unwrap());
        // Provable below conjectured, both positive, ethSTARK's figure the configured q r + pow.
        assert!(0.0 < b && b < a && a <= l["ethstark"].as_f64().unwrap(), "{l}");
        let p = &l["params"];
        let q_r_pow =
            p["queries"].as_u64().unwrap() * p["rate_bits"].as_u64().unwrap() + p["pow_bits"].as_u64().unwrap();
        assert_eq!(l["ethstark"].as_f64().unwrap(), q_r_pow as f64);
    }
    // Online: every layer is nonce-bound; more work, more risk, never above probability 1; (b) above (a).
    assert_eq!(v["nonce_bound"], true);
    let online = v["online"].as_array().unwrap();
    assert_eq!(online.len(), 4);
    for pair in online.windows(2) {
        let (x, y) = (&pair[0]["risk"], &pair[1]["risk"]);
        assert!(x["work_log2"].as_f64() < y["work_log2"].as_f64(), "{x} {y}");
        assert!(x["provable_log2"].as_f64() <= y["provable_log2"].as_f64(), "{x} {y}");
    }
    for r in online.iter().map(|o| &o["risk"]) {
        let (a, b) = (r["conjectured_log2"].as_f64().unwrap(), r["provable_log2"].as_f64().unwrap());
        assert!(a <= b && b <= 0.0, "{r}");
    }
    // A longer lifetime gives the adversary more work.
    let longer: serde_json::Value =
        serde_json::from_slice(&voizk(&["--json", "security", "--nonce-lifetime", "600"]).stdout).unwrap();
    let work = |v: &serde_json::Value| v["online"][0]["risk"]["work_log2"].as_f64().unwrap();
    assert!((work(&longer) - work(&v) - 10f64.log2()).abs() < 1e-9);
    let o = voizk(&["security", "--nonce-lifetime", "0"]);
    assert!(!o.status.success() && stderr(&o).contains("--nonce-lifetime"), "{}", stderr(&o));
    let text = stdout(&voizk(&["security"]));
    assert!(text.contains("chunk STARK, K = 4096") && text.contains("targets:") && text.contains("online"), "{text}");
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
    for cmd in ["mfcc", "hash-audio", "prove-chunks", "verify-chunk"] {
        assert!(text.contains(cmd), "{cmd} missing from --help");
    }
    for cmd in ["mfcc", "hash-audio", "prove-chunks", "verify-chunk"] {
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

/// A fresh directory under the system temp dir (removed by the caller).
fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let dir = std::env::temp_dir().join(format!("voizk-test-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Exit 1, nothing on stdout, one `error:` line on stderr (containing `reason`), no panic.
fn assert_refused(o: &Output, what: &str, reason: &str) {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(1), "{what}: {err}");
    assert!(o.stdout.is_empty(), "{what} printed to stdout: {}", stdout(o));
    assert_eq!(err.lines().count(), 1, "{what}: not one line: {err}");
    assert!(err.starts_with("error: ") && err.contains(reason), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
}

/// Every chunk of a recording is proven, listed in the manifest and verifies on its own.
#[test]
fn prove_chunks_writes_proofs_that_verify() {
    let wav = fixtures().join("speech/flite_kal_1.wav");
    let audio = stark_frames::Audio::load(&wav).unwrap();
    let count = stark_frames::chunk::config::chunk_count(audio.len(), 64);
    assert!(count > 1);
    // A directory that does not exist yet: prove-chunks creates it.
    let tmp = temp_dir("prove");
    let out = tmp.join("proofs");
    let o = voizk(&["prove-chunks", path(&wav), "--frames-per-chunk", "64", "--out", path(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "no progress bar without a terminal: {}", stderr(&o));
    let summary = stdout(&o);
    assert!(summary.contains(&format!("proved {count} chunks of 64 frames")), "{summary}");

    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("chunks.json")).unwrap()).unwrap();
    let h_audio = stark_frames::commitment::commit_audio(audio.samples()).to_string();
    assert_eq!(manifest["input"], "flite_kal_1.wav");
    assert_eq!(manifest["num_samples"], audio.len());
    assert_eq!(manifest["frames_per_chunk"], 64);
    assert_eq!(manifest["num_chunks"], count);
    assert_eq!(manifest["h_audio"], h_audio.as_str());
    let chunks = manifest["chunks"].as_array().unwrap();
    assert_eq!(chunks.len(), count);
    for (i, chunk) in chunks.iter().enumerate() {
        let file = format!("chunk-{i:05}.proof");
        assert_eq!(chunk["file"], file.as_str());
        assert_eq!(chunk["first_frame"], i * 64);
        let proof = out.join(&file);
        assert_eq!(chunk["proof_bytes"], std::fs::metadata(&proof).unwrap().len());
        assert!(chunk["prove_secs"].as_f64().unwrap() > 0.0);

        let o = voizk(&["verify-chunk", "--json", path(&proof)]);
        assert!(o.status.success(), "{file}: {}", stderr(&o));
        let values: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(values["chunk_index"], i);
        assert_eq!(values["num_samples"], audio.len());
        assert_eq!(values["num_frames"], audio.num_frames());
        // Only the last chunk absorbs the end of the audio and exposes h_audio.
        if i + 1 == count {
            assert_eq!(values["h_audio"], h_audio.as_str());
        } else {
            assert!(values["h_audio"].is_null());
        }
    }
    // The text form names the values.
    let o = voizk(&["verify-chunk", path(&out.join("chunk-00000.proof"))]);
    assert!(o.status.success());
    let text = stdout(&o);
    assert!(text.contains("verifies"), "{text}");
    assert!(text.lines().any(|l| l.split_whitespace().eq(["num_samples", &audio.len().to_string()])), "{text}");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// Damaged, foreign and missing proof files are one clean `error:` line each.
#[test]
fn verify_chunk_refuses_bad_files_cleanly() {
    let tmp = temp_dir("verify");
    let wav = fixtures().join("malformed/one_frame.wav");
    let o = voizk(&["prove-chunks", "--json", path(&wav), "--out", path(&tmp)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let manifest: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(manifest["num_chunks"], 1);
    assert_eq!(manifest["num_samples"], 400);
    let good = std::fs::read(tmp.join("chunk-00000.proof")).unwrap();
    assert!(voizk(&["verify-chunk", path(&tmp.join("chunk-00000.proof"))]).status.success());

    let mut flipped = good.clone();
    flipped[good.len() / 2] ^= 0x01;
    let cases: [(&str, Vec<u8>, &str); 5] = [
        ("truncated", good[..good.len() / 2].to_vec(), "corrupted chunk proof"),
        // Rejected by the parser or the verifier, depending on where the byte lands.
        ("flipped", flipped, "chunk proof"),
        ("empty", Vec::new(), "empty"),
        ("text", b"this is not a proof\n".to_vec(), "not a voizk chunk proof"),
        ("header", good[..12].to_vec(), "not a voizk chunk proof"),
    ];
    for (name, bytes, reason) in cases {
        let file = tmp.join(format!("{name}.proof"));
        std::fs::write(&file, bytes).unwrap();
        assert_refused(&voizk(&["verify-chunk", path(&file)]), name, reason);
        assert_refused(&voizk(&["verify-chunk", "--json", path(&file)]), name, reason);
    }
    assert_refused(&voizk(&["verify-chunk", path(&tmp.join("missing.proof"))]), "missing", "No such file");
    assert_refused(&voizk(&["verify-chunk", path(&tmp)]), "directory", "directory");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// Unsupported chunk sizes, bad inputs and an output path that is a file are refused before any proving.
#[test]
fn prove_chunks_refuses_bad_arguments_cleanly() {
    let tmp = temp_dir("refuse");
    let wav = fixtures().join("malformed/one_frame.wav");
    let out = tmp.join("out");
    for k in ["0", "1000000"] {
        let o = voizk(&["prove-chunks", path(&wav), "--frames-per-chunk", k, "--out", path(&out)]);
        assert_refused(&o, k, "frames per chunk");
        assert!(!out.exists(), "K = {k} created the output directory");
    }
    let file = tmp.join("a_file");
    std::fs::write(&file, "x").unwrap();
    let o = voizk(&["prove-chunks", path(&wav), "--out", path(&file)]);
    assert_refused(&o, "--out FILE", "is not a directory");
    let o = voizk(&["prove-chunks", path(&fixtures().join("malformed/stereo.wav")), "--out", path(&out)]);
    assert_refused(&o, "stereo", "2 channels");
    let o = voizk(&["prove-chunks", path(&wav)]);
    assert_eq!(o.status.code(), Some(2), "--out is required");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// `model show`: the built-in model and its h_model; a model file written from it reads back to the same
/// h_model; a broken or changed model file is refused or hashes differently.
#[test]
fn model_show_prints_the_model_and_h_model() {
    let o = voizk(&["model", "show"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let h_line = out.lines().find(|l| l.starts_with("h_model ")).expect("h_model line");
    let h = h_line.split_whitespace().nth(1).unwrap().to_string();
    assert_eq!(h.len(), 64);

    let o = voizk(&["--json", "model", "show"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["h_model"], h.as_str());

    let tmp = std::env::temp_dir().join(format!("voizk-model-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let file = tmp.join("model.json");
    std::fs::write(&file, v["model"].to_string()).unwrap();
    let o = voizk(&["--json", "model", "show", "--model", path(&file)]);
    let w: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(w["h_model"], h.as_str(), "the same model in another layout has the same h_model");

    let mut changed = v["model"].clone();
    changed["threshold_q30"] = (changed["threshold_q30"].as_i64().unwrap() + (1 << 15)).into();
    std::fs::write(&file, changed.to_string()).unwrap();
    let o = voizk(&["--json", "model", "show", "--model", path(&file)]);
    let w: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_ne!(w["h_model"], h.as_str());

    std::fs::write(&file, "{\"version\": 1}").unwrap();
    let o = voizk(&["model", "show", "--model", path(&file)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.starts_with("error: ") && err.contains("not a voizk model file"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// `enroll` writes a template and prints its h_template (a fresh salt each time); `eval` reports both EERs.
#[test]
fn enroll_and_eval() {
    let speech = fixtures().join("speech");
    let tmp = std::env::temp_dir().join(format!("voizk-enroll-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let out = tmp.join("slt.template");
    let files: Vec<PathBuf> = (1..=3).map(|i| speech.join(format!("flite_slt_{i}.wav"))).collect();
    let mut args = vec!["--json", "enroll", "--out", path(&out)];
    args.extend(files.iter().map(|f| path(f)));
    let o = voizk(&args);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let h = v["h_template"].as_str().unwrap().to_string();
    assert_eq!(h.len(), 64);
    let file: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(file["h_template"], h.as_str());
    assert_eq!(file["enrolled"].as_array().unwrap().len(), 3);
    let o = voizk(&args);
    let w: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_ne!(w["h_template"], h.as_str(), "a fresh salt per enrollment");

    let bad = fixtures().join("malformed/stereo.wav");
    let o = voizk(&["enroll", "--out", path(&tmp.join("x")), path(&bad)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("2 channels"), "{}", stderr(&o));

    let o = voizk(&["--json", "eval", path(&speech.join("manifest.csv"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(s["genuine_trials"], 8);
    assert_eq!(s["impostor_trials"], 224);
    assert!(s["eer"].as_f64().unwrap() < 0.125);
    assert!(s["eer_f64"].as_f64().unwrap() < 0.125);
    let trials = s["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 232);
    let accepted_impostors = trials.iter().filter(|t| t["genuine"] == false && t["accept"] == true).count();
    assert_eq!(s["false_accepts"].as_u64(), Some(accepted_impostors as u64));
    assert_eq!(s["far"].as_f64(), Some(accepted_impostors as f64 / 224.0));
    for t in trials {
        assert!(t["speaker"].is_string() && t["path"].is_string() && t["genuine"].is_boolean(), "{t}");
        let score = t["score"].as_f64().unwrap();
        assert_eq!(t["accept"].as_bool(), Some(score >= s["threshold"].as_f64().unwrap() - 1e-9), "{t}");
    }
    assert_eq!(s["speakers"].as_array().unwrap().len(), 8);

    // Trials of two recordings: the fixtures twice over (8 recordings a speaker, 3 enrolled, two groups of two).
    let twice = tmp.join("twice.csv");
    let text = std::fs::read_to_string(speech.join("manifest.csv")).unwrap();
    let rows: Vec<String> = text
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (speaker, file) = l.split_once(',').unwrap();
            format!("{speaker},{}", speech.join(file.trim()).display())
        })
        .collect();
    std::fs::write(&twice, format!("speaker,path\n{}\n{}\n", rows.join("\n"), rows.join("\n"))).unwrap();
    let o = voizk(&["--json", "eval", path(&twice), "--trial-recordings", "2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let s: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((s["genuine_trials"].as_u64(), s["impostor_trials"].as_u64()), (Some(16), Some(112)));
    let first = &s["trials"][0];
    assert_eq!(first["path"].as_str().unwrap().matches(".wav").count(), 2, "a group names both recordings: {first}");
    let o = voizk(&["eval", path(&twice), "--trial-recordings", "2", "--prove", "1"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("a proof covers one recording"), "{}", stderr(&o));
    let o = voizk(&["eval", path(&speech.join("manifest.csv")), "--trial-recordings", "2"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no trial"), "{}", stderr(&o));

    // Too little speech to enroll: one second of a real voice (99 frames, fewer voiced).
    let short = fixtures().join("real/codec2_wia_loud_unclipped.wav");
    let o = voizk(&["enroll", "--out", path(&tmp.join("short")), path(&short)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("too little speech to enroll") && stderr(&o).contains("1.5 s"), "{}", stderr(&o));
    let manifest = tmp.join("bad.csv");
    std::fs::write(&manifest, "name,file\n").unwrap();
    let o = voizk(&["eval", path(&manifest)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("speaker,path"), "{}", stderr(&o));
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// `voizk model fit` on the synthetic voices (8 speakers, 3 folds): deterministic, a valid model that `model
/// show` and `eval` take, and the held-out plots; `eval` on the real clips accepts the enrolled real voice's
/// other recordings and writes its plots.
#[test]
fn model_fit_and_eval_plots() {
    let tmp = temp_dir("fit");
    let speech = fixtures().join("speech/manifest.csv");
    let fit = |out: &Path, plot: &Path| {
        let o = voizk(&[
            "--json",
            "model",
            "fit",
            path(&speech),
            "--out",
            path(out),
            "--folds",
            "3",
            "--target-far",
            "0.05",
            "--plot",
            path(plot),
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()
    };
    let (a, b) = (tmp.join("a.json"), tmp.join("b.json"));
    let report = fit(&a, &tmp.join("plots"));
    fit(&b, &tmp.join("plots"));
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap(), "the same manifest gives the same file");
    assert_eq!(report["calibration"]["speakers"], 8);
    // Both channels (the recordings and their telephone-band copies), each scored apart and pooled.
    let at = &report["at_threshold"];
    assert_eq!(at["impostor"], 2 * 56);
    assert!(at["false_accepts"].as_u64().unwrap() as f64 <= 0.05 * 112.0);
    assert_eq!(report["channels"].as_array().unwrap().len(), 2);
    assert_eq!(report["calibration"]["telephone_copies"], true);
    // Written whole (temporary file, then rename): nothing else is left in the directory.
    let mut names: Vec<String> =
        std::fs::read_dir(tmp.join("plots")).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["det.svg", "scores.svg"]);
    for svg in ["scores.svg", "det.svg"] {
        let text = std::fs::read_to_string(tmp.join("plots").join(svg)).unwrap();
        assert!(text.starts_with("<svg") && text.contains("held out"), "{svg}");
    }
    let o = voizk(&["model", "show", "--model", path(&a)]);
    assert!(o.status.success() && stdout(&o).contains("projection_q16"), "{}", stderr(&o));
    let o = voizk(&["--json", "eval", path(&speech), "--model", path(&a)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = voizk(&["model", "fit", path(&speech), "--out", path(&tmp.join("c.json")), "--folds", "5"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("needs at least 10"), "{}", stderr(&o));

    let real = fixtures().join("real/manifest.csv");
    let o = voizk(&["--json", "eval", path(&real), "--plot", path(&tmp.join("real"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let genuine: Vec<&serde_json::Value> =
        v["trials"].as_array().unwrap().iter().filter(|t| t["genuine"] == true).collect();
    assert_eq!(genuine.len(), 2, "tuxpaint-es: 3 enrolled, 2 tested");
    assert!(genuine.iter().all(|t| t["accept"] == true), "{genuine:?}");
    assert!(std::fs::read_to_string(tmp.join("real/det.svg")).unwrap().contains("DET curve"));
    // The same recordings through a telephone channel: other scores, same trials.
    let o = voizk(&["--json", "eval", path(&real), "--telephone"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let t: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(t["trials"].as_array().unwrap().len(), v["trials"].as_array().unwrap().len());
    assert_ne!(t["trials"][0]["score"], v["trials"][0]["score"]);
    std::fs::remove_dir_all(&tmp).unwrap();
}

/// Loud real speech (a saturated voice whose frames reach energy 2^52.4, beyond the old block shift's
/// range, which made every prover command panic in its worker threads) proves chunk by chunk and verifies.
#[test]
fn loud_real_speech_proves() {
    let wav = fixtures().join("real/klettres_ml_jheae_loudest.wav");
    let out = temp_dir("loud");
    let o = voizk(&["prove-chunks", "--quiet", path(&wav), "--out", path(&out)]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = voizk(&["verify-chunk", path(&out.join("chunk-00000.proof"))]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = voizk(&["mfcc", "--compare", path(&wav)]);
    assert!(o.status.success(), "{}", stderr(&o));
    std::fs::remove_dir_all(&out).ok();
}

/// The backstop: a panic inside the prover's worker threads (injected in the chunk STARK stage) is one
/// `error: internal error in <stage>: <message>` line and exit code 70, with no panic message or
/// backtrace, even with `RUST_BACKTRACE=1`.
#[test]
fn a_panic_in_a_worker_thread_is_one_error_line() {
    let wav = fixtures().join("speech/flite_slt_1.wav");
    let out = temp_dir("backstop");
    let o = Command::new(env!("CARGO_BIN_EXE_voizk"))
        .args(["prove-chunks", "--quiet", path(&wav), "--out", path(&out)])
        .env("VOIZK_TEST_FAIL_STAGE", "chunk STARK")
        .env("RUST_BACKTRACE", "1")
        .output()
        .expect("run voizk");
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(70), "{err}");
    assert_eq!(err.lines().count(), 1, "not one line: {err}");
    assert!(err.starts_with("error: internal error in chunk STARK (K = 256): failure injected"), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
    std::fs::remove_dir_all(&out).ok();
}

/// `-` reads a WAV stream from standard input, with the lengths a recorder writing to a pipe leaves as
/// placeholders: the same h_audio as the file. A stream of another format is refused from its header, and
/// `prove -` refuses it before building anything (the cache directory is never created).
#[test]
fn standard_input_is_a_wav_stream() {
    let dir = temp_dir("stdin");
    let audio = stark_frames::Audio::load(fixtures().join("real/codec2_hts1a_male.wav")).unwrap();
    let wav = dir.join("real.wav");
    common::write_wav(&wav, audio.samples());
    let from_file = voizk(&["hash-audio", path(&wav)]);
    let from_stdin = common::voizk_with_stdin(&["hash-audio", "-"], &common::as_piped_wav(&wav));
    assert!(from_stdin.status.success(), "{}", stderr(&from_stdin));
    assert_eq!(stdout(&from_stdin), stdout(&from_file));

    let stereo = std::fs::read(fixtures().join("malformed/stereo.wav")).unwrap();
    assert_refused(&common::voizk_with_stdin(&["hash-audio", "-"], &stereo), "a stereo stream", "2 channels");
    assert_refused(&common::voizk_with_stdin(&["mfcc", "-"], &[]), "an empty stream", "the stream is empty");

    let template = dir.join("t.json");
    let enroll = voizk(&["enroll", path(&wav), path(&wav), path(&wav), "--out", path(&template)]);
    assert!(enroll.status.success(), "{}", stderr(&enroll));
    let cache = dir.join("cache");
    let nonce = "0".repeat(64);
    let proof = dir.join("p.proof");
    let prove = [
        "prove",
        "-",
        "--template",
        path(&template),
        "--nonce",
        &nonce,
        "--out",
        path(&proof),
        "--cache-dir",
        path(&cache),
    ];
    assert_refused(&common::voizk_with_stdin(&prove, &stereo), "prove - of a stereo stream", "2 channels");
    assert!(!cache.exists(), "nothing was built for a refused stream");
}
