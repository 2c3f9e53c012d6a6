//! Helpers shared by the CLI's end-to-end tests of root proofs.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// Runs the `voizk` binary.
pub fn voizk(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_voizk")).args(args).output().expect("run voizk")
}

/// Runs the `voizk` binary with `input` written to its standard input (then closed).
pub fn voizk_with_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_voizk"))
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run voizk");
    let mut stdin = child.stdin.take().expect("piped");
    let input = input.to_vec();
    // Written from another thread: the child may refuse the stream and exit before reading it all.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for voizk");
    writer.join().unwrap();
    out
}

/// A WAV file's bytes as a recorder writing to a pipe sends them: the RIFF and data lengths are sox's
/// placeholder (the file's own header is 44 bytes, as [`write_wav`] writes it).
pub fn as_piped_wav(wav: &Path) -> Vec<u8> {
    let mut b = std::fs::read(wav).unwrap();
    assert_eq!(&b[36..40], b"data", "{}: not a 44-byte header", wav.display());
    let placeholder = stark_frames::audio_stream::PLACEHOLDER_MIN;
    b[4..8].copy_from_slice(&(placeholder + 36).to_le_bytes());
    b[40..44].copy_from_slice(&placeholder.to_le_bytes());
    b
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
    let mut b = stark_frames::audio_stream::pcm16_header((samples.len() * 2) as u32);
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
