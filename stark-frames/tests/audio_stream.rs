//! WAV streams (`Audio::read_stream`) read every committed recording exactly as files (`Audio::load`) do, with
//! the lengths a recorder writing to a pipe leaves as placeholders, and refuse every malformed fixture as files are
//! refused.

mod common;

use std::path::Path;

use common::{fixtures, real_wavs, speech_wavs};
use stark_frames::audio::MAX_SAMPLES;
use stark_frames::audio_stream::PLACEHOLDER_MIN;
use stark_frames::{Audio, AudioError};

/// The offset of the data chunk's length field in a RIFF file.
fn data_length_offset(wav: &[u8]) -> usize {
    let mut at = 12;
    while &wav[at..at + 4] != b"data" {
        let len = u32::from_le_bytes(wav[at + 4..at + 8].try_into().unwrap()) as usize;
        at += 8 + len + len % 2;
    }
    at + 4
}

/// The file's bytes as sox writes them to a pipe: both RIFF lengths replaced by placeholders.
fn as_piped(path: &Path, placeholder: u32) -> Vec<u8> {
    let mut wav = std::fs::read(path).unwrap();
    let at = data_length_offset(&wav);
    wav[at..at + 4].copy_from_slice(&placeholder.to_le_bytes());
    wav[4..8].copy_from_slice(&placeholder.wrapping_add(36).to_le_bytes());
    wav
}

fn read_stream(bytes: &[u8]) -> Result<Audio, AudioError> {
    Audio::read_stream(bytes, MAX_SAMPLES, &mut |_| {})
}

#[test]
fn piped_recordings_read_as_their_files() {
    for path in real_wavs().iter().chain(&speech_wavs()) {
        let file = Audio::load(path).unwrap();
        // As the file is (a promised length), and with every placeholder a recorder writes.
        assert_eq!(read_stream(&std::fs::read(path).unwrap()).unwrap(), file, "{}", path.display());
        for placeholder in [0, PLACEHOLDER_MIN, 0x7FFF_FFFF, u32::MAX] {
            let piped = read_stream(&as_piped(path, placeholder)).unwrap();
            assert_eq!(piped, file, "{} with data length {placeholder:#x}", path.display());
        }
    }
}

#[test]
fn malformed_files_are_refused_as_streams_too() {
    let dir = fixtures().join("malformed");
    let mut tried = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "wav") {
            continue;
        }
        let file = Audio::load(&path);
        let stream = read_stream(&std::fs::read(&path).unwrap());
        match (&file, &stream) {
            (Ok(f), Ok(s)) => assert_eq!(f, s, "{}", path.display()),
            (Err(AudioError::EmptyFile), Err(AudioError::EmptyStream)) => {}
            (Err(f), Err(s)) => assert_eq!(
                std::mem::discriminant(f),
                std::mem::discriminant(s),
                "{}: file {f}, stream {s}",
                path.display()
            ),
            _ => panic!("{}: file {file:?}, stream {stream:?}", path.display()),
        }
        tried += 1;
    }
    assert!(tried >= 12, "expected the malformed fixtures, found {tried}");
}
