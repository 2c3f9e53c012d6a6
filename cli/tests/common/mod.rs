//! Helpers shared by the CLI's end-to-end tests of root proofs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `voizk` binary.
pub fn voizk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voizk")).args(args).output().expect("run voizk")
}

/// Bytes as UTF-8 text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A path as `&str`.
pub fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// A 16 kHz mono PCM16 WAV file.
pub fn write_wav(path: &Path, samples: &[i16]) {
    let data = (samples.len() * 2) as u32;
    let mut b = Vec::with_capacity(44 + data as usize);
    b.extend(b"RIFF");
    b.extend((36 + data).to_le_bytes());
    b.extend(b"WAVEfmt ");
    b.extend(16u32.to_le_bytes());
    b.extend(1u16.to_le_bytes()); // PCM
    b.extend(1u16.to_le_bytes()); // mono
    b.extend(16_000u32.to_le_bytes());
    b.extend(32_000u32.to_le_bytes());
    b.extend(2u16.to_le_bytes());
    b.extend(16u16.to_le_bytes());
    b.extend(b"data");
    b.extend(data.to_le_bytes());
    samples.iter().for_each(|s| b.extend(s.to_le_bytes()));
    std::fs::write(path, b).unwrap();
}

/// A refusal: exit 1, nothing on stdout, one `error:` line on stderr that contains `reason`.
pub fn assert_refused(o: &Output, what: &str, reason: &str) {
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{what}: {err}");
    assert!(o.stdout.is_empty(), "{what} printed to stdout: {}", text(&o.stdout));
    assert_eq!(err.lines().count(), 1, "{what}: not one line: {err}");
    assert!(err.starts_with("error: ") && err.contains(reason), "{what}: {err}");
}

/// A fresh temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos();
    let tmp = std::env::temp_dir().join(format!("voizk-{name}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    tmp
}

/// The first `n` samples of a speech fixture, written as a WAV file in `dir`.
pub fn fixture_prefix(dir: &Path, name: &str, n: usize) -> PathBuf {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/speech").join(name);
    let audio = stark_frames::Audio::load(&fixture).unwrap();
    let wav = dir.join("short.wav");
    write_wav(&wav, &audio.samples()[..n]);
    wav
}
