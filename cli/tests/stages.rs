//! `voizk plan` and `voizk stage` end to end: a real recording proven stage by stage with GNU parallel
//! (`scripts/prove-parallel.sh`) states what `voizk prove` states in one process and verifies under the same
//! key; files of another order, recording, nonce or settings, missing inputs and unknown stages are refused
//! with an error naming the file.
//!
//! Slow (about five minutes on 2 cores): a tree of chunks of 128 frames, arity 2, at most 4 s, over 3.0 s of
//! real male speech (codec2 `hts1a`): three chunks, two fold levels with a short last group, proven twice.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::{assert_refused, path, temp_dir, text, voizk};

const NONCE: &str = "00000000000000110000000000000012000000000000001300000000000000a4";
const OTHER_NONCE: &str = "00000000000000110000000000000012000000000000001300000000000000a5";
/// The tree: 3 chunks of 128 frames for 3.0 s, folded 2 at a time over 2 levels.
const TREE: [&str; 6] = ["-k", "128", "--arity", "2", "--max-seconds", "4"];

fn real(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/real").join(name).to_str().unwrap().to_string()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// `voizk ARGS --cache-dir CACHE` (refusals are checked with `--quiet`: one `error:` line on stderr).
fn run(args: &[&str], cache: &Path) -> Output {
    let mut a = args.to_vec();
    a.extend(["--cache-dir", path(cache)]);
    voizk(&a)
}

/// A plan of `wav` in `dir` with the tree settings (or `settings`) bound to `nonce`.
fn plan(wav: &str, dir: &Path, template: &Path, nonce: &str, settings: &[&str]) {
    let mut a = vec!["--quiet", "plan", wav, "--dir", path(dir), "--template", path(template), "--nonce", nonce];
    a.extend(settings);
    let o = voizk(&a);
    assert!(o.status.success(), "plan: {}", text(&o.stderr));
}

/// A copy of the files of plan directory `from` as `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
    }
}

#[test]
fn stages_prove_what_one_process_proves_and_refuse_files_of_another_proof() {
    let tmp = temp_dir("stages");
    let cache = tmp.join("cache");
    let template = tmp.join("es.json");
    let mut enroll = vec!["enroll".to_string()];
    enroll.extend(
        ["tuxpaint_es_adelaide_rosella.wav", "tuxpaint_es_albino_peahen.wav", "tuxpaint_es_crowned_crane.wav"]
            .map(real),
    );
    enroll.extend(["--out".to_string(), path(&template).to_string()]);
    assert!(voizk(&enroll.iter().map(String::as_str).collect::<Vec<_>>()).status.success());
    let wav = real("codec2_hts1a_male.wav");

    // The plan: six waves, the last group of fold level 1 short.
    let dir = tmp.join("plan");
    let o = voizk(&[
        "--json",
        "plan",
        &wav,
        "--dir",
        path(&dir),
        "--template",
        path(&template),
        "--nonce",
        NONCE,
        TREE[0],
        TREE[1],
        TREE[2],
        TREE[3],
        TREE[4],
        TREE[5],
    ]);
    let p = json(&o);
    let waves: Vec<Vec<String>> = serde_json::from_value(p["waves"].clone()).unwrap();
    assert_eq!(
        waves,
        [
            vec!["chunk-00000", "chunk-00001", "chunk-00002"],
            vec!["leaf-00000", "leaf-00001", "leaf-00002"],
            vec!["fold-1-00000", "fold-1-00001"],
            vec!["fold-2-00000"],
            vec!["root"],
            vec!["final"],
        ]
    );
    for (w, ids) in waves.iter().enumerate() {
        let jobs = std::fs::read_to_string(dir.join(format!("wave-{w}.jobs"))).unwrap();
        assert_eq!(jobs.lines().collect::<Vec<_>>(), *ids);
    }

    // GNU parallel runs the waves; the final proof verifies under the key of `keygen` with the same settings.
    let key = tmp.join("tree.key");
    let mut keygen = vec!["--quiet", "keygen", "--out", path(&key)];
    keygen.extend(TREE);
    assert!(run(&keygen, &cache).status.success());
    let par = tmp.join("parallel.proof");
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../scripts/prove-parallel.sh");
    let o = Command::new(&script)
        .args([&wav, "--template", path(&template), "--nonce", NONCE, "--out", path(&par), "--jobs", "2"])
        .args(["--dir", path(&dir), "--voizk", env!("CARGO_BIN_EXE_voizk"), "--cache-dir", path(&cache)])
        .args(TREE)
        .output()
        .unwrap();
    assert!(o.status.success(), "prove-parallel.sh: {}", text(&o.stderr));
    let verify = |proof: &Path| voizk(&["--json", "verify", path(proof), "--key", path(&key), "--nonce", NONCE]);
    let vp = verify(&par);
    // Exit 0 accept or 1 reject; the es template against a male English voice is an impostor trial.
    assert_eq!(vp.status.code(), Some(1), "{}", text(&vp.stderr));
    let vp: serde_json::Value = serde_json::from_slice(&vp.stdout).unwrap();

    // The same recording in one process: the same statement.
    let one = tmp.join("one.proof");
    let mut prove =
        vec!["--quiet", "prove", &wav, "--template", path(&template), "--nonce", NONCE, "--out", path(&one)];
    prove.extend(TREE);
    assert!(run(&prove, &cache).status.success());
    let vo: serde_json::Value = serde_json::from_slice(&verify(&one).stdout).unwrap();
    assert_eq!(vp["statement"], vo["statement"], "the distributed and the one-process proofs state the same");
    let h_audio = text(&voizk(&["hash-audio", &wav]).stdout);
    assert_eq!(vp["statement"]["h_audio"].as_str().unwrap(), h_audio.split_whitespace().next().unwrap());
    assert_eq!(vp["statement"]["nonce"], NONCE);

    // Files of another order: leaf 1's file holds leaf 0's proof.
    let swapped = tmp.join("swapped");
    copy_dir(&dir, &swapped);
    std::fs::copy(dir.join("leaf-00000.proof"), swapped.join("leaf-00001.proof")).unwrap();
    let o = run(&["--quiet", "stage", path(&swapped), "fold-1-00000"], &cache);
    assert_refused(&o, "swapped leaves", "leaf-00001.proof: holds the proof of stage leaf-00000, not of leaf-00001");

    // Another recording (loud real speech, same settings): its chunk proof refused by this plan's leaf.
    let other = tmp.join("other");
    plan(&real("tuxpaint_es_toy_truck_loud.wav"), &other, &template, NONCE, &TREE);
    let o = run(&["--quiet", "stage", path(&other), "chunk-00000"], &cache);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let mixed = tmp.join("mixed");
    copy_dir(&dir, &mixed);
    std::fs::copy(other.join("chunk-00000.proof"), mixed.join("chunk-00000.proof")).unwrap();
    let o = run(&["--quiet", "stage", path(&mixed), "leaf-00000"], &cache);
    assert_refused(&o, "another recording's chunk", "chunk-00000.proof: a proof of another recording");

    // Another nonce: the same recording planned for another session refuses this session's proofs.
    let session = tmp.join("session");
    plan(&wav, &session, &template, OTHER_NONCE, &TREE);
    std::fs::copy(dir.join("chunk-00001.proof"), session.join("chunk-00001.proof")).unwrap();
    std::fs::copy(dir.join("leaf-00002.proof"), session.join("leaf-00002.proof")).unwrap();
    let o = run(&["--quiet", "stage", path(&session), "leaf-00001"], &cache);
    assert_refused(&o, "another nonce's chunk", "chunk-00001.proof: bound to another nonce");
    let o = run(&["--quiet", "stage", path(&session), "fold-1-00001"], &cache);
    assert_refused(&o, "another nonce's leaf", "leaf-00002.proof: bound to another nonce");

    // Other settings (arity 3): this plan's leaves are refused, and a missing input names its stage.
    let arity3 = tmp.join("arity3");
    plan(&wav, &arity3, &template, NONCE, &["-k", "128", "--arity", "3", "--max-seconds", "4"]);
    for leaf in ["leaf-00000.proof", "leaf-00001.proof", "leaf-00002.proof"] {
        std::fs::copy(dir.join(leaf), arity3.join(leaf)).unwrap();
    }
    let o = run(&["--quiet", "stage", path(&arity3), "fold-1-00000"], &cache);
    assert_refused(&o, "leaves of other settings", "leaf-00000.proof: made with settings K = 128, arity 2");
    let o = run(&["--quiet", "stage", path(&arity3), "root"], &cache);
    assert_refused(&o, "missing input", "fold-2-00000.proof does not exist: run stage fold-2-00000 first");

    // Stages the plan does not have.
    assert_refused(
        &run(&["--quiet", "stage", path(&dir), "leaf-00003"], &cache),
        "unknown stage",
        "the plan has no stage leaf-00003",
    );
    assert_refused(
        &run(&["--quiet", "stage", path(&dir), "--wave", "6", "--index", "0"], &cache),
        "unknown wave",
        "the plan has no stage 0 in wave 6",
    );
    std::fs::remove_dir_all(&tmp).unwrap();
}
