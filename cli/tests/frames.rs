//! `voizk prove-frames`, `verify-frames` and `report` end to end on a short recording, and clean refusals
//! of damaged root and key files.
//!
//! Slow (the tree's circuits are built twice, once by `prove-frames` and once by `verify-frames` without a
//! key: a few minutes): one test.

mod common;

use std::path::PathBuf;

use common::{assert_refused, path, text, voizk, write_wav};

#[test]
fn prove_frames_to_a_root_that_verifies_and_reports() {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let tmp = std::env::temp_dir().join(format!("voizk-frames-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/speech/flite_slt_1.wav");
    let audio = stark_frames::Audio::load(&fixture).unwrap();
    let wav = tmp.join("short.wav");
    write_wav(&wav, &audio.samples()[..8_000]); // 0.5 s: one chunk of 64 frames
    let root = tmp.join("root.proof");

    let o = voizk(&[
        "prove-frames",
        path(&wav),
        "-k",
        "64",
        "--arity",
        "2",
        "--max-seconds",
        "2",
        "--out",
        path(&root),
        "--no-cache",
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (summary, progress) = (text(&o.stdout), text(&o.stderr));
    // Progress: one line per layer when stderr is not a terminal.
    for layer in ["build circuits", "chunk STARK + leaf", "fold level 1", "fold level 2 (top)", "root (wrap)"] {
        assert!(progress.contains(&format!("{layer}: done in")), "no progress for {layer}: {progress}");
    }
    let hash = voizk(&["hash-audio", path(&wav)]);
    let h_audio = text(&hash.stdout).split_whitespace().next().unwrap().to_string();
    assert_eq!(h_audio.len(), 64);
    assert!(summary.contains(&format!("h_audio:    {h_audio}")), "{summary}");
    let key = tmp.join("root.proof.key");
    assert!(key.exists(), "the key is written next to the root by default");

    // With the key file.
    let o = voizk(&["verify-frames", path(&root), "--key", path(&key)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("the root proof verifies"), "{out}");
    assert!(
        out.contains("as the key file's header states, not checked"),
        "a key's settings are not shown as facts: {out}"
    );
    assert!(out.lines().any(|l| l.split_whitespace().eq(["h_audio", h_audio.as_str()])), "{out}");
    assert!(out.lines().any(|l| l.split_whitespace().eq(["num_samples", "8000"])), "{out}");

    // Without: the circuits are rebuilt from the settings, to the same key.
    let o = voizk(&["--json", "--quiet", "verify-frames", path(&root), "--no-cache"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(o.stderr.is_empty(), "--quiet: {}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["h_audio"], h_audio.as_str());
    assert_eq!(v["settings_checked"], true, "rebuilt from the settings");
    let report = voizk(&["--json", "report", path(&root)]);
    let r: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(v["root_key_digest"], r["root_key_digest"], "the rebuilt key is the key the proof was made for");

    // The report: one row per layer.
    let layers = r["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 5);
    assert_eq!(layers[1]["layer"], "leaf");
    // The leaf verifies a whole chunk STARK, in 2^16 rows (the size issue 4's time target needs).
    assert!(layers[1]["gates"].as_u64().unwrap() > 50_000);
    assert_eq!(layers[1]["degree_bits"], 16, "the leaf outgrew 2^16 rows");
    assert_eq!(layers[3]["proofs"], 1);
    assert_eq!(layers[4]["layer"], "root (wrap)");
    assert!(layers[4]["proof_bytes"].as_u64().unwrap() <= 150_000, "root proof at most 150 KB");
    let o = voizk(&["report", path(&root)]);
    let table = text(&o.stdout);
    assert!(table.lines().any(|l| l.starts_with("root (wrap)")), "{table}");
    assert!(table.contains("proof bytes"), "{table}");

    // Damaged files: one error line each.
    let bytes = std::fs::read(&root).unwrap();
    let damaged = tmp.join("damaged.proof");
    let mut flipped = bytes.clone();
    let at = bytes.len() - 1000;
    flipped[at] ^= 1;
    std::fs::write(&damaged, &flipped).unwrap();
    let o = voizk(&["verify-frames", path(&damaged), "--key", path(&key)]);
    assert_refused(&o, "a root proof with one flipped bit", "damaged.proof");
    // A root that names another key (its header edited): refused with the two digests.
    let digest = r["root_key_digest"].as_str().unwrap();
    let other = format!("{}{}", if digest.starts_with('0') { "1" } else { "0" }, &digest[1..]);
    let text_form = String::from_utf8_lossy(&bytes[16..]).to_string();
    assert!(text_form.contains(digest));
    let mut edited = bytes.clone();
    let at = 16 + text_form.find(digest).unwrap();
    edited[at..at + 64].copy_from_slice(other.as_bytes());
    std::fs::write(&damaged, &edited).unwrap();
    let o = voizk(&["verify-frames", path(&damaged), "--key", path(&key)]);
    assert_refused(&o, "a root made for another key", "was made for root key");
    std::fs::write(&damaged, &bytes[..bytes.len() / 2]).unwrap();
    assert_refused(&voizk(&["verify-frames", path(&damaged), "--key", path(&key)]), "a truncated root", "malformed");
    std::fs::write(&damaged, b"").unwrap();
    assert_refused(&voizk(&["verify-frames", path(&damaged), "--key", path(&key)]), "an empty root", "empty");
    assert_refused(&voizk(&["verify-frames", path(&key), "--key", path(&key)]), "a key as the root", "bad magic");
    assert_refused(&voizk(&["verify-frames", path(&root), "--key", path(&root)]), "a root as the key", "bad magic");
    assert_refused(&voizk(&["report", path(&wav)]), "a WAV as the root", "bad magic");
    let too_long = tmp.join("long.wav");
    write_wav(&too_long, &vec![0i16; 2 * 16_000 + 160]);
    let o = voizk(&[
        "prove-frames",
        path(&too_long),
        "-k",
        "64",
        "--arity",
        "2",
        "--max-seconds",
        "2",
        "--out",
        path(&damaged),
    ]);
    assert_refused(&o, "a recording longer than the maximum", "these circuits take 1 to 200");
    let o = voizk(&["prove-frames", path(&wav), "--arity", "1", "--out", path(&damaged)]);
    assert_refused(&o, "arity 1", "arity 1 is not supported");
    std::fs::remove_dir_all(&tmp).unwrap();
}
