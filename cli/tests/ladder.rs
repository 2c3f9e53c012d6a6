//! `voizk prove-frames` without `-k`/`--arity`: the recording is proven as one chunk sized to it (the size
//! ladder), verified with and without the key file (rebuilding the circuits, or with the leaf key from the
//! circuit cache), reported, and proven again under the key file with the leaf read from the cache; keys for
//! other settings or another build, over-long recordings and maxima that one chunk cannot hold are refused.
//!
//! Slow (the ladder's one leaf circuit is built twice, read from the cache twice and proven twice: about two
//! minutes): one test.

mod common;

use common::{assert_refused, fixture_prefix, path, temp_dir, text, voizk, write_wav};

#[test]
fn prove_frames_as_one_chunk_sized_to_the_recording() {
    let tmp = temp_dir("ladder");
    let wav = fixture_prefix(&tmp, "flite_kal_1.wav", 8_000); // 0.5 s: 50 hops, one chunk of 256 frames
    let root = tmp.join("root.proof");
    let cache = tmp.join("cache");
    let o =
        voizk(&["prove-frames", path(&wav), "--max-seconds", "2", "--out", path(&root), "--cache-dir", path(&cache)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let (summary, progress) = (text(&o.stdout), text(&o.stderr));
    assert!(progress.contains("leaf K = 256: built in") && progress.contains("to the circuit cache"), "{progress}");
    assert!(summary.contains("one chunk of 256 to 256 frames, at most 2 s"), "{summary}");
    for layer in ["build circuits", "chunk STARK (K = 256)", "leaf", "root"] {
        assert!(progress.contains(&format!("{layer}: done in")), "no progress for {layer}: {progress}");
    }
    let hash = voizk(&["hash-audio", path(&wav)]);
    let h_audio = text(&hash.stdout).split_whitespace().next().unwrap().to_string();
    assert!(summary.contains(&format!("h_audio:    {h_audio}")), "{summary}");
    let key = tmp.join("root.proof.key");

    let o = voizk(&["verify-frames", path(&root), "--key", path(&key)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("the root proof verifies") && out.contains("one chunk of 256 to 256 frames"), "{out}");
    assert!(out.lines().any(|l| l.split_whitespace().eq(["h_audio", h_audio.as_str()])), "{out}");
    assert!(out.lines().any(|l| l.split_whitespace().eq(["num_hops", "50"])), "{out}");

    // Without the key: the ladder is rebuilt from the settings in the proof, to the same key.
    let o = voizk(&["--json", "--quiet", "verify-frames", path(&root), "--no-cache"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["h_audio"], h_audio.as_str());
    assert_eq!(v["settings"]["shape"], "ladder");
    let report = voizk(&["--json", "report", path(&root)]);
    let r: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(v["root_key_digest"], r["root_key_digest"], "the rebuilt key is the key the proof was made for");
    let layers = r["layers"].as_array().unwrap();
    let names: Vec<&str> = layers.iter().map(|l| l["layer"].as_str().unwrap()).collect();
    assert_eq!(names, ["chunk STARK (K = 256)", "leaf", "root (ladder)"]);
    assert!(layers[2]["proof_bytes"].as_u64().unwrap() <= 150_000, "root proof at most 150 KB");
    // Or with the leaf key from the circuit cache that prove-frames wrote: the same key, no leaf built.
    let o = voizk(&["--json", "verify-frames", path(&root), "--cache-dir", path(&cache)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("leaf key K = 256: read from the circuit cache"), "{}", text(&o.stderr));
    let cached: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(cached["root_key_digest"], v["root_key_digest"], "the cached leaf key makes the same root key");

    // A key whose header names other settings is refused (its header edited: quicker than building one).
    let mut key_bytes = std::fs::read(&key).unwrap();
    let field = br#""max_seconds":2"#;
    let at = key_bytes.windows(field.len()).position(|w| w == field).expect("the key header names its settings");
    key_bytes[at + field.len() - 1] = b'3';
    let other_key = tmp.join("other.key");
    std::fs::write(&other_key, &key_bytes).unwrap();
    let o = voizk(&["verify-frames", path(&root), "--key", path(&other_key)]);
    assert_refused(&o, "a key for other settings", "the key is for one chunk of 256 to 512 frames, at most 3 s");

    // Proving again under the key: only the leaf this recording needs is built, the key is unchanged.
    let again = tmp.join("again.proof");
    let key_before = std::fs::read(&key).unwrap();
    let o =
        voizk(&["prove-frames", path(&wav), "--key", path(&key), "--out", path(&again), "--cache-dir", path(&cache)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("build circuits: done in"), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("leaf K = 256: read from the circuit cache"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(&key).unwrap(), key_before, "the key file is left as it was");
    assert!(!tmp.join("again.proof.key").exists(), "no second key is written");
    let o = voizk(&["verify-frames", path(&again), "--key", path(&key)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    // A key whose leaf keys do not match what this build makes is refused before proving.
    let o = voizk(&["prove-frames", path(&wav), "--key", path(&other_key), "--out", path(&again), "--no-cache"]);
    assert_refused(&o, "proving under a key from another build", "another version of voizk");

    let long = tmp.join("long.wav");
    write_wav(&long, &vec![0i16; 2 * 16_000 + 1]);
    let out = tmp.join("refused.proof");
    let o = voizk(&["prove-frames", path(&long), "--max-seconds", "2", "--out", path(&out)]);
    assert_refused(&o, "a recording longer than the maximum", "these circuits take 1 to 200");
    let o = voizk(&["prove-frames", path(&wav), "--max-seconds", "41", "--out", path(&out)]);
    assert_refused(&o, "a maximum one chunk cannot hold", "not supported by a single-chunk proof (1 to 40 s)");
    assert!(!out.exists(), "nothing is written for a refused recording");
    std::fs::remove_dir_all(&tmp).unwrap();
}
