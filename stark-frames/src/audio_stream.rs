//! WAV from a stream: standard input, a pipe from a recorder (`sox -d -t wav -`, `arecord -f S16_LE -r 16000 -t
//! wav`).
//!
//! A program that writes a WAV to a pipe cannot go back to fill in the lengths once it knows them, so it writes a
//! placeholder: sox `0x7FFFF000` bytes, arecord and ffmpeg `0x7FFFFFFF` or `0xFFFFFFFF`, some writers `0`. Here a
//! data length of `0` or of at least [`PLACEHOLDER_MIN`] bytes means "until the end of the stream"; any other
//! length is a promise, and a stream that ends before it is refused as truncated, as a file would be. The format is
//! checked as soon as the header has arrived (16 kHz, mono, 16-bit PCM: the same refusals as
//! [`Audio::load`](crate::Audio::load)), before any sample is waited for, and a stream longer than the reader's
//! limit is refused as soon as it passes it, without reading the rest.
//!
//! The header is parsed here rather than by `hound`, which refuses odd placeholder lengths
//! (`0x7FFFFFFF`) as "not a multiple of the sample size".

use std::io::Read;

use crate::audio::{Audio, AudioError};
use crate::params::SAMPLE_RATE;

/// The smallest data length read as a placeholder: sox's `0x7FFFF000` (a length this large would be 18.6 hours
/// at 16 kHz, far past any accepted recording).
pub const PLACEHOLDER_MIN: u32 = 0x7FFF_F000;

/// WAVE format tags: integer PCM, IEEE float, and the extensible format (whose sub-format GUID begins with the
/// tag of the real format).
const FORMAT_PCM: u16 = 1;
const FORMAT_FLOAT: u16 = 3;
const FORMAT_EXTENSIBLE: u16 = 0xFFFE;

/// Bytes of one sample: 16-bit mono.
const SAMPLE_BYTES: usize = 2;

/// Samples read from the stream per `read` call (about 0.13 s of audio).
const READ_SAMPLES: usize = 2048;

/// The length of the data, as the header states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataLength {
    /// A real length in samples: the stream must hold that many.
    Samples(u32),
    /// A placeholder: the data runs to the end of the stream.
    UntilEnd,
}

impl DataLength {
    /// How the data chunk's length field `bytes` reads (see the module's documentation).
    pub fn of_field(bytes: u32) -> Result<Self, AudioError> {
        if bytes == 0 || bytes >= PLACEHOLDER_MIN {
            return Ok(Self::UntilEnd);
        }
        if !(bytes as usize).is_multiple_of(SAMPLE_BYTES) {
            return Err(not_wav("the data chunk's length is odd: not a whole number of 16-bit samples"));
        }
        Ok(Self::Samples(bytes / SAMPLE_BYTES as u32))
    }
}

/// The 44-byte header of 16 kHz mono 16-bit PCM whose data chunk states `data_len` bytes (the RIFF length follows
/// it): what a recorder writes, with [`PLACEHOLDER_MIN`] when it writes to a pipe.
pub fn pcm16_header(data_len: u32) -> Vec<u8> {
    let mut h = Vec::with_capacity(44);
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&data_len.wrapping_add(36).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16u32.to_le_bytes());
    h.extend_from_slice(&FORMAT_PCM.to_le_bytes());
    h.extend_from_slice(&1u16.to_le_bytes()); // mono
    h.extend_from_slice(&SAMPLE_RATE.to_le_bytes());
    h.extend_from_slice(&(SAMPLE_RATE * SAMPLE_BYTES as u32).to_le_bytes()); // bytes per second
    h.extend_from_slice(&(SAMPLE_BYTES as u16).to_le_bytes()); // block align
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_len.to_le_bytes());
    h
}

/// A WAV stream whose header has been read and accepted: what remains is the samples.
pub struct WavStream<R> {
    reader: Counting<R>,
    length: DataLength,
}

impl<R: Read> WavStream<R> {
    /// Reads the header up to the first data byte, refusing any format but 16 kHz mono 16-bit PCM (the same
    /// refusals as [`Audio::load`]) before any sample is waited for.
    pub fn open(reader: R) -> Result<Self, AudioError> {
        let mut reader = Counting { inner: reader, bytes: 0 };
        let length = read_header(&mut reader)?;
        Ok(Self { reader, length })
    }

    /// The data length the header states.
    pub fn length(&self) -> DataLength {
        self.length
    }

    /// Reads the samples to the end of the stream (or to the length the header promises), refusing the stream
    /// as soon as it holds more than `max_samples` samples. `received` is called after every block read with the
    /// number of samples so far (for progress while a recording arrives).
    pub fn read_all(mut self, max_samples: usize, received: &mut dyn FnMut(usize)) -> Result<Audio, AudioError> {
        let mut samples = Vec::new();
        let mut block = vec![0u8; READ_SAMPLES * SAMPLE_BYTES];
        let mut pending = 0usize; // bytes of `block` filled
        loop {
            let wanted = match self.length {
                DataLength::Samples(n) => (n as usize - samples.len()) * SAMPLE_BYTES,
                DataLength::UntilEnd => usize::MAX,
            };
            if wanted == 0 {
                break;
            }
            let room = block.len().min(wanted.saturating_add(pending)) - pending;
            let got = read_some(&mut self.reader, &mut block[pending..pending + room])?;
            if got == 0 {
                break;
            }
            pending += got;
            let whole = pending / SAMPLE_BYTES * SAMPLE_BYTES;
            samples.extend(block[..whole].chunks_exact(SAMPLE_BYTES).map(|b| i16::from_le_bytes([b[0], b[1]])));
            block.copy_within(whole..pending, 0);
            pending -= whole;
            if samples.len() > max_samples {
                return Err(AudioError::StreamTooLong { max: max_samples });
            }
            received(samples.len());
        }
        match self.length {
            DataLength::Samples(announced) if samples.len() < announced as usize => {
                return Err(AudioError::Truncated { announced, read: samples.len() });
            }
            DataLength::UntilEnd if pending != 0 => {
                return Err(not_wav("the stream ends inside a sample (an odd number of data bytes)"));
            }
            _ => {}
        }
        Audio::from_samples(samples)
    }
}

impl Audio {
    /// Reads a WAV stream to its end (or to the length its header promises): [`WavStream::open`], then
    /// [`WavStream::read_all`].
    pub fn read_stream(
        reader: impl Read,
        max_samples: usize,
        received: &mut dyn FnMut(usize),
    ) -> Result<Self, AudioError> {
        WavStream::open(reader)?.read_all(max_samples, received)
    }
}

/// A reader that counts the bytes it has given, to tell an empty stream from one that ends inside its header.
struct Counting<R> {
    inner: R,
    bytes: u64,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        Ok(n)
    }
}

/// Reads the RIFF header up to the first data byte: the format is checked, other chunks are skipped.
fn read_header(reader: &mut Counting<impl Read>) -> Result<DataLength, AudioError> {
    let mut riff = [0u8; 12];
    read_header_bytes(reader, &mut riff)?;
    if &riff[0..4] != b"RIFF" || &riff[8..12] != b"WAVE" {
        return Err(not_wav("no RIFF/WAVE header"));
    }
    let mut format_checked = false;
    loop {
        let mut chunk = [0u8; 8];
        read_header_bytes(reader, &mut chunk)?;
        let len = u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]);
        match &chunk[0..4] {
            b"fmt " => {
                check_format(reader, len)?;
                format_checked = true;
            }
            b"data" if !format_checked => return Err(not_wav("the data chunk comes before the fmt chunk")),
            b"data" => return DataLength::of_field(len),
            _ => skip(reader, u64::from(len) + u64::from(len % 2))?,
        }
    }
}

/// Reads a `fmt ` chunk of `len` bytes and refuses anything but 16 kHz mono 16-bit integer PCM.
fn check_format(reader: &mut Counting<impl Read>, len: u32) -> Result<(), AudioError> {
    if !(16..=1024).contains(&len) {
        return Err(not_wav("the fmt chunk's length is not that of a PCM format"));
    }
    let mut fmt = vec![0u8; len as usize + len as usize % 2];
    read_header_bytes(reader, &mut fmt)?;
    let u16_at = |i: usize| u16::from_le_bytes([fmt[i], fmt[i + 1]]);
    let mut tag = u16_at(0);
    let channels = u16_at(2);
    let rate = u32::from_le_bytes([fmt[4], fmt[5], fmt[6], fmt[7]]);
    let bits = u16_at(14);
    if tag == FORMAT_EXTENSIBLE {
        if len < 40 {
            return Err(not_wav("an extensible fmt chunk shorter than 40 bytes"));
        }
        tag = u16_at(24); // the sub-format GUID's first two bytes
    }
    if channels != 1 {
        return Err(AudioError::Channels { channels });
    }
    if rate != SAMPLE_RATE {
        return Err(AudioError::SampleRate { rate });
    }
    match (tag, bits) {
        (FORMAT_PCM, 16) => Ok(()),
        (FORMAT_PCM, bits) => Err(AudioError::SampleFormat { found: format!("{bits}-bit integer") }),
        (FORMAT_FLOAT, bits) => Err(AudioError::SampleFormat { found: format!("{bits}-bit floating point") }),
        (tag, _) => Err(not_wav(&format!("format tag {tag:#06x}: not PCM"))),
    }
}

/// Fills `buf` from the header, naming an empty stream and one that ends inside the header.
fn read_header_bytes(reader: &mut Counting<impl Read>, buf: &mut [u8]) -> Result<(), AudioError> {
    let mut filled = 0;
    while filled < buf.len() {
        match read_some(reader, &mut buf[filled..])? {
            0 if reader.bytes == 0 => return Err(AudioError::EmptyStream),
            0 => return Err(not_wav("the stream ends inside the header")),
            n => filled += n,
        }
    }
    Ok(())
}

/// Skips `bytes` bytes of a chunk the reader does not need.
fn skip(reader: &mut Counting<impl Read>, bytes: u64) -> Result<(), AudioError> {
    let skipped = std::io::copy(&mut reader.by_ref().take(bytes), &mut std::io::sink()).map_err(stream_err)?;
    if skipped < bytes {
        return Err(not_wav("the stream ends inside the header"));
    }
    Ok(())
}

/// One `read`, retried when interrupted by a signal.
fn read_some(reader: &mut impl Read, buf: &mut [u8]) -> Result<usize, AudioError> {
    loop {
        match reader.read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            other => return other.map_err(stream_err),
        }
    }
}

fn stream_err(cause: std::io::Error) -> AudioError {
    AudioError::Io { path: "the stream".into(), cause }
}

fn not_wav(reason: &str) -> AudioError {
    AudioError::NotWav { reason: reason.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples(n: usize) -> Vec<i16> {
        (0..n).map(|i| ((i * 7919) % 65_536) as u16 as i16).collect()
    }

    fn bytes_of(samples: &[i16]) -> Vec<u8> {
        samples.iter().flat_map(|s| s.to_le_bytes()).collect()
    }

    fn read(bytes: &[u8], max: usize) -> Result<Audio, AudioError> {
        Audio::read_stream(bytes, max, &mut |_| {})
    }

    #[test]
    fn every_placeholder_length_reads_to_the_end() {
        let s = samples(5_000);
        for field in [0, PLACEHOLDER_MIN, 0x7FFF_FFFF, u32::MAX] {
            let mut wav = pcm16_header(field);
            wav.extend(bytes_of(&s));
            assert_eq!(read(&wav, 10_000).unwrap().samples(), &s[..], "length field {field:#x}");
        }
    }

    #[test]
    fn a_real_length_is_a_promise() {
        let s = samples(5_000);
        let mut wav = pcm16_header(2 * 4_000);
        wav.extend(bytes_of(&s));
        // Bytes past the announced data are not samples (a trailing chunk, say).
        assert_eq!(read(&wav, 10_000).unwrap().samples(), &s[..4_000]);
        let mut short = pcm16_header(2 * 6_000);
        short.extend(bytes_of(&s));
        assert!(matches!(read(&short, 10_000), Err(AudioError::Truncated { announced: 6_000, read: 5_000 })));
    }

    #[test]
    fn an_endless_stream_is_refused_at_the_limit() {
        // `repeat` never ends: reading must stop at the limit, not at the end.
        let stream = std::io::Cursor::new(pcm16_header(PLACEHOLDER_MIN)).chain(std::io::repeat(1));
        let mut seen = 0;
        let err = Audio::read_stream(stream, 48_000, &mut |n| seen = n).unwrap_err();
        assert!(matches!(err, AudioError::StreamTooLong { max: 48_000 }), "{err}");
        assert!(seen <= 48_000 && seen > 40_000, "progress reported {seen}");
    }

    #[test]
    fn odd_endings_and_bad_headers_are_named() {
        let mut odd = pcm16_header(0);
        odd.extend(bytes_of(&samples(500)));
        odd.push(7);
        assert!(read(&odd, 10_000).unwrap_err().to_string().contains("ends inside a sample"));
        assert!(matches!(read(&[], 10), Err(AudioError::EmptyStream)));
        assert!(read(&pcm16_header(0)[..30], 10).unwrap_err().to_string().contains("ends inside the header"));
        assert!(read(b"RIFX\0\0\0\0WAVE", 10).unwrap_err().to_string().contains("no RIFF/WAVE header"));
        let too_short = pcm16_header(0).into_iter().chain(bytes_of(&samples(100))).collect::<Vec<_>>();
        assert!(matches!(read(&too_short, 10_000), Err(AudioError::TooShort { samples: 100 })));
    }

    #[test]
    fn other_formats_are_refused_before_any_sample() {
        let patch = |offset: usize, value: &[u8]| {
            let mut h = pcm16_header(0);
            h[offset..offset + value.len()].copy_from_slice(value);
            // No samples follow: the refusal must come from the header alone.
            read(&h, 10).unwrap_err()
        };
        assert!(matches!(patch(22, &2u16.to_le_bytes()), AudioError::Channels { channels: 2 }));
        assert!(matches!(patch(24, &44_100u32.to_le_bytes()), AudioError::SampleRate { rate: 44_100 }));
        assert!(patch(34, &24u16.to_le_bytes()).to_string().contains("24-bit integer"));
        let float = patch(20, &FORMAT_FLOAT.to_le_bytes());
        assert!(float.to_string().contains("floating point"), "{float}");
    }

    #[test]
    fn chunks_before_the_data_are_skipped() {
        let s = samples(1_000);
        let plain = pcm16_header(0);
        let mut wav = plain[..36].to_vec();
        wav.extend_from_slice(b"LIST");
        wav.extend_from_slice(&5u32.to_le_bytes());
        wav.extend_from_slice(b"abcde\0"); // odd length: one pad byte
        wav.extend_from_slice(&plain[36..]);
        wav.extend(bytes_of(&s));
        assert_eq!(read(&wav, 10_000).unwrap().samples(), &s[..]);
    }
}
