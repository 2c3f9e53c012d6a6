//! `voizk keygen`, `prove`, `verify`, `inspect` and `demo` end to end: a genuine recording accepted (exit 0),
//! an impostor rejected (exit 1), and exit 2 for a wrong nonce, template, salt, audio, key or model, and for
//! unreadable files; the key is the same when built again without the circuit cache.
//!
//! Slow (four final proofs of 1.9 s recordings, about 20 s each, and the demo's two): a ladder of at most
//! 2 s (3 s for the demo), so one leaf circuit each.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{as_piped_wav, path, temp_dir, text, voizk, voizk_with_stdin, write_wav};
use decision::model::Model;
use decision::template::{h_template, hex4, Template};
use plonky2::field::types::Field64;
use stark_frames::chunk::config::F;

const NONCE: &str = "0000000000000007000000000000000800000000000000090000000000000010";

/// The first 1.9 s of a speech fixture, as `dir/NAME`.
fn prefix(dir: &Path, name: &str) -> PathBuf {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/speech").join(name);
    let audio = stark_frames::Audio::load(&fixture).unwrap();
    let wav = dir.join(name);
    write_wav(&wav, &audio.samples()[..30_400]);
    wav
}

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/speech").join(name).to_str().unwrap().to_string()
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", text(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Exit 2 with one `error:` line containing `reason`.
fn assert_invalid(o: &Output, what: &str, reason: &str) {
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{what}: {err}");
    assert_eq!(err.lines().count(), 1, "{what}: not one line: {err}");
    assert!(err.starts_with("error: ") && err.contains(reason), "{what}: {err}");
}

#[test]
fn prove_and_verify_a_decision_and_refuse_every_mismatch() {
    let tmp = temp_dir("decision");
    let cache = tmp.join("cache");
    let c = |args: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        v.extend(["--max-seconds", "2", "--cache-dir", path(&cache)].map(String::from));
        v
    };
    let run = |args: Vec<String>| voizk(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let genuine = prefix(&tmp, "flite_awb_4.wav");
    // Another synthesizer: the S-norm cohort is real voices, against which flite's four voices look alike (their
    // trials accept each other, docs/ACCURACY.md), so the impostor is an espeak voice.
    let impostor = prefix(&tmp, "espeak_us_f2_4.wav");
    let (key, key_again) = (tmp.join("k.key"), tmp.join("again.key"));

    // The key, and the same key built again without the cache.
    let k = json(&run(c(&["--json", "keygen", "--out", path(&key)])));
    let o = voizk(&["--json", "keygen", "--max-seconds", "2", "--no-cache", "--out", path(&key_again)]);
    assert_eq!(json(&o)["key_digest"], k["key_digest"]);
    assert_eq!(std::fs::read(&key).unwrap(), std::fs::read(&key_again).unwrap(), "the key is deterministic");
    assert_eq!(k["h_model"], Model::default_model().h_model_hex().as_str());

    // Enroll, then prove a genuine (plain) and an impostor (compressed) recording.
    let template = tmp.join("awb.json");
    let awb = ["flite_awb_1.wav", "flite_awb_2.wav", "flite_awb_3.wav"].map(fixture);
    let mut args = vec!["--json".to_string(), "enroll".into()];
    args.extend(awb.iter().cloned());
    args.extend(["--out".into(), path(&template).into()]);
    let h_t = json(&run(args.clone()))["h_template"].as_str().unwrap().to_string();
    let (g, i) = (tmp.join("g.proof"), tmp.join("i.proof"));
    let prove = |wav: &Path, t: &Path, out: &Path, extra: &[&str]| {
        let mut a = vec!["--json", "prove", path(wav), "--template", path(t), "--nonce", NONCE, "--out", path(out)];
        a.extend(extra);
        run(c(&a))
    };
    let pg = json(&prove(&genuine, &template, &g, &[]));
    assert_eq!(pg["statement"]["accept"], true);
    assert!(pg["final_proof_bytes"].as_u64().unwrap() <= 150_000, "final proof at most 150 KB");
    assert!(pg["compressed_bytes"].as_u64() < pg["final_proof_bytes"].as_u64());
    // A run killed while proving (SIGKILL, at three moments) leaves the previous proof whole and no temporary file:
    // outputs are written beside the destination and renamed (cli/src/durable.rs).
    let before = std::fs::read(&g).unwrap();
    for wait_ms in [300, 1500, 4000] {
        let a = c(&["prove", path(&genuine), "--template", path(&template), "--nonce", NONCE, "--out", path(&g)]);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_voizk"))
            .args(&a)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        let finished = child.try_wait().unwrap().is_some();
        child.kill().ok();
        child.wait().unwrap();
        if !finished {
            assert_eq!(std::fs::read(&g).unwrap(), before, "killed after {wait_ms} ms: the proof file changed");
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(&tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // The impostor comes through standard input, as from a recorder (`voizk prove -`, lengths left as placeholders);
    // the verifications below check that its statement names the file's h_audio.
    let a = c(&[
        "--json",
        "prove",
        "-",
        "--template",
        path(&template),
        "--nonce",
        NONCE,
        "--out",
        path(&i),
        "--compressed",
    ]);
    let pi = json(&voizk_with_stdin(&strs(&a), &as_piped_wav(&impostor)));
    assert_eq!(pi["statement"]["accept"], false);
    let (stream, wall) = (&pi["stream"], pi["wall_secs"].as_f64().unwrap());
    let end = stream["end_of_stream_secs"].as_f64().unwrap();
    let latency = stream["latency_secs"].as_f64().unwrap();
    assert!(end >= 0.0 && latency > 0.0 && (end + latency - wall).abs() < 1e-6, "{stream} against wall {wall}");
    assert!(pg["stream"].is_null(), "a file is not a stream");
    assert_eq!(pi["proof_file_bytes"].as_u64().unwrap() as usize, std::fs::metadata(&i).unwrap().len() as usize);

    let h_audio =
        |wav: &Path| text(&voizk(&["hash-audio", path(wav)]).stdout).split_whitespace().next().unwrap().to_string();
    let (ha_g, ha_i) = (h_audio(&genuine), h_audio(&impostor));
    let verify = |proof: &Path, key: &Path, nonce: &str, extra: &[&str]| {
        let mut a = vec!["verify", path(proof), "--key", path(key), "--nonce", nonce];
        a.extend(extra);
        voizk(&a)
    };
    let full =
        |ha: &str| vec!["--audio-commitment".to_string(), ha.to_string(), "--template-commitment".into(), h_t.clone()];

    // Valid: accept is 0, reject is 1, with every expected value given.
    let o = verify(&g, &key, NONCE, &strs(&full(&ha_g)));
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("valid, ACCEPT"), "{}", text(&o.stdout));
    let o = verify(&i, &key, NONCE, &strs(&full(&ha_i)));
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let o = voizk(&["--json", "verify", path(&i), "--key", path(&key), "--nonce", NONCE]);
    assert_eq!(o.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["valid"].clone(), v["accept"].clone()), (true.into(), false.into()));
    assert_eq!(v["statement"]["h_audio"], ha_i.as_str());

    // Wrong nonce, audio, template.
    let other_nonce = NONCE.replace('7', "6");
    assert_invalid(&verify(&g, &key, &other_nonce, &[]), "wrong nonce", "the proof states nonce");
    assert_invalid(&verify(&g, &key, NONCE, &strs(&full(&ha_i))), "wrong audio", "the proof states h_audio");
    let mut args2 = args.clone();
    *args2.last_mut().unwrap() = path(&tmp.join("awb2.json")).into();
    let h_t2 = json(&run(args2))["h_template"].as_str().unwrap().to_string();
    assert_ne!(h_t2, h_t, "a fresh salt");
    let o = verify(&g, &key, NONCE, &["--template-commitment", &h_t2]);
    assert_invalid(&o, "another enrollment of the same voice", "the proof states h_template");
    let o = voizk(&["--json", "verify", path(&g), "--key", path(&key), "--nonce", &other_nonce]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert!(v["reason"].as_str().unwrap().contains("nonce"));

    // Wrong salt: a template file whose salt was changed is refused when read; one whose h_template was
    // recomputed too proves another h_template, which the verifier refuses.
    let mut t = Template::from_json(&std::fs::read_to_string(&template).unwrap()).unwrap();
    t.salt[0] = (t.salt[0] + 1) % F::ORDER;
    let edited = tmp.join("edited.json");
    std::fs::write(&edited, t.to_json()).unwrap();
    let o = prove(&genuine, &edited, &tmp.join("x.proof"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("h_template does not match"), "{}", text(&o.stderr));
    t.h_template = hex4(&h_template(&t.unit(), &t.salt()));
    std::fs::write(&edited, t.to_json()).unwrap();
    let salted = tmp.join("salted.proof");
    assert_eq!(json(&prove(&genuine, &edited, &salted, &[]))["statement"]["accept"], true);
    assert_invalid(&verify(&salted, &key, NONCE, &strs(&full(&ha_g))), "wrong salt", "the proof states h_template");

    // Another model: its key refuses the default model's proofs, and its proofs do not verify under the
    // default key; its templates are refused by the default model.
    let model2 = Model { threshold_q30: 1 << 29, ..Model::default_model() };
    let m2 = tmp.join("model2.json");
    std::fs::write(&m2, model2.to_json()).unwrap();
    let key2 = tmp.join("k2.key");
    let k2 = json(&run(c(&["--json", "keygen", "--model", path(&m2), "--out", path(&key2)])));
    assert_ne!(k2["key_digest"], k["key_digest"]);
    assert_invalid(&verify(&g, &key2, NONCE, &[]), "another model's key", "the proof was made for decision key");
    let t2 = tmp.join("awb_m2.json");
    let mut a = vec!["enroll".to_string()];
    a.extend(awb.iter().cloned());
    a.extend(["--model".into(), path(&m2).into(), "--out".into(), path(&t2).into()]);
    assert!(run(a).status.success());
    let o = prove(&genuine, &t2, &tmp.join("x.proof"), &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("the template was enrolled under model"), "{}", text(&o.stderr));
    let p2 = tmp.join("m2.proof");
    assert!(json(&prove(&genuine, &t2, &p2, &["--model", path(&m2)]))["statement"]["accept"] == true);
    assert_invalid(&verify(&p2, &key, NONCE, &[]), "a proof of another model", "the proof was made for decision key");
    // Its header forged to name the default key: the proof itself does not verify.
    let mut forged = std::fs::read(&p2).unwrap();
    let (old, new) = (k2["key_digest"].as_str().unwrap(), k["key_digest"].as_str().unwrap());
    let at = forged.windows(old.len()).position(|w| w == old.as_bytes()).unwrap();
    forged[at..at + old.len()].copy_from_slice(new.as_bytes());
    let forged_path = tmp.join("forged.proof");
    std::fs::write(&forged_path, forged).unwrap();
    assert_invalid(&verify(&forged_path, &key, NONCE, &[]), "a forged header", "does not verify against the key");

    // Unreadable inputs.
    let garbage = tmp.join("garbage.proof");
    std::fs::write(&garbage, b"not a proof at all").unwrap();
    assert_invalid(&verify(&garbage, &key, NONCE, &[]), "garbage", "not a voizk final proof file");
    let bytes = std::fs::read(&g).unwrap();
    std::fs::write(&garbage, &bytes[..bytes.len() - 1000]).unwrap();
    assert_invalid(&verify(&garbage, &key, NONCE, &[]), "truncated", "malformed final proof encoding");
    assert_invalid(&verify(&g, &g, NONCE, &[]), "a proof as key", "not a voizk decision key file");
    assert_invalid(&verify(&g, &tmp.join("missing.key"), NONCE, &[]), "no key", "missing.key");
    let o = voizk(&["verify", path(&g), "--key", path(&key), "--nonce", "12"]);
    assert_eq!(o.status.code(), Some(2), "a malformed nonce is a usage error");

    // inspect: what the proofs state, without a key.
    let o = voizk(&["inspect", path(&i)]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("unverified") && out.contains("compressed"), "{out}");
    assert!(out.lines().any(|l| l.split_whitespace().eq(["decision", "reject"])), "{out}");
    assert!(out.lines().any(|l| l.split_whitespace().eq(["nonce", NONCE])), "{out}");
    assert!(out.contains("final (zero-knowledge)"), "{out}");
    let o = voizk(&["report", path(&g)]);
    assert!(o.status.success() && text(&o.stdout).contains("final (zero-knowledge)"), "{}", text(&o.stdout));
    let v = json(&voizk(&["--json", "inspect", path(&g)]));
    assert_eq!(v["header"]["statement"]["h_template"], h_t.as_str());
    assert_eq!(v["header"]["statement"]["accept"], true);
}

#[test]
fn demo_enrolls_proves_and_verifies() {
    let tmp = temp_dir("demo");
    let o = voizk(&["--json", "demo", "--max-seconds", "3", "--cache-dir", path(&tmp.join("cache"))]);
    let v = json(&o);
    let trials = v["trials"].as_array().unwrap();
    assert_eq!(trials.len(), 2);
    assert_eq!((trials[0]["trial"].as_str(), trials[0]["accept"].as_bool()), (Some("genuine"), Some(true)));
    assert_eq!((trials[1]["trial"].as_str(), trials[1]["accept"].as_bool()), (Some("impostor"), Some(false)));
    for t in trials {
        assert!(t["final_proof_bytes"].as_u64().unwrap() <= 150_000);
        assert!(t["compressed_bytes"].as_u64() < t["final_proof_bytes"].as_u64());
    }
    assert_eq!(v["nonce"].as_str().unwrap().len(), 64);
}

#[test]
fn eval_proves_the_trials_nearest_the_threshold() {
    let tmp = temp_dir("eval-prove");
    let mut manifest = String::from("speaker,path\n");
    for voice in ["awb", "slt"] {
        for i in 1..=4 {
            let name = format!("flite_{voice}_{i}.wav");
            prefix(&tmp, &name);
            manifest.push_str(&format!("{voice},{name}\n"));
        }
    }
    let m = tmp.join("manifest.csv");
    std::fs::write(&m, manifest).unwrap();
    let cache = tmp.join("cache");
    let v =
        json(&voizk(&["--json", "eval", path(&m), "--prove", "1", "--max-seconds", "2", "--cache-dir", path(&cache)]));
    assert_eq!(v["genuine_trials"], 2);
    let proven = v["proven"].as_array().unwrap();
    assert_eq!(proven.len(), 1);
    assert_eq!(proven[0]["proven_accept"], proven[0]["native_accept"]);
    assert_eq!(v["proven_all_equal_native"], true);
}
