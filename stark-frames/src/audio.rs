//! WAV input: 16 kHz, mono, 16-bit PCM only, read with `hound` from files (streams: [`crate::audio_stream`]).
//!
//! Everything else is refused with an [`AudioError`] whose message names the
//! problem and, where a conversion helps, the `sox` command that fixes it.

use std::io::Read;
use std::path::Path;

use crate::params::{num_frames, FRAME_LEN, SAMPLE_RATE};

/// The conversion every format error suggests.
const SOX_FIX: &str = "convert it with `sox IN.wav -r 16000 -c 1 -b 16 -e signed-integer OUT.wav`";

/// A validated recording: 16 kHz mono PCM16 with at least one full frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Audio {
    samples: Vec<i16>,
}

/// Why an input was refused. Every message is one line and says how to fix it.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The file could not be opened or read at all.
    #[error("cannot read the file: {cause}")]
    Io {
        /// The file.
        path: String,
        /// The operating-system error.
        cause: std::io::Error,
    },
    /// The path names a directory or other non-file.
    #[error("not a regular file; give a 16 kHz mono 16-bit PCM WAV file")]
    NotAFile {
        /// The path.
        path: String,
    },
    /// The file has no bytes at all.
    #[error("the file is empty (0 bytes); voizk reads 16 kHz mono 16-bit PCM WAV files")]
    EmptyFile,
    /// The bytes are not a RIFF/WAVE file hound can parse.
    #[error("not a WAV file ({reason}); voizk reads 16 kHz mono 16-bit PCM WAV: {SOX_FIX}")]
    NotWav {
        /// What the parser objected to.
        reason: String,
    },
    /// The data chunk ends before the number of samples its header announces.
    #[error("truncated WAV: the header announces {announced} samples but the data ends after {read}; re-export or re-record the file")]
    Truncated {
        /// Samples the header announces.
        announced: u32,
        /// Samples actually present.
        read: usize,
    },
    /// More than one channel.
    #[error("WAV has {channels} channels; voizk needs mono: {SOX_FIX}")]
    Channels {
        /// Channel count found.
        channels: u16,
    },
    /// Sample rate other than 16 kHz.
    #[error("WAV sample rate is {rate} Hz; voizk needs 16000 Hz: {SOX_FIX}")]
    SampleRate {
        /// Sample rate found.
        rate: u32,
    },
    /// Integer PCM of another width, or floating point samples.
    #[error("WAV holds {found} samples; voizk needs 16-bit signed integer PCM: {SOX_FIX}")]
    SampleFormat {
        /// Description of the format found, e.g. "24-bit integer".
        found: String,
    },
    /// No samples at all.
    #[error("WAV holds no samples; voizk needs at least {FRAME_LEN} samples (one 25 ms frame)")]
    Empty,
    /// Fewer samples than one 400-sample frame.
    #[error("audio has {samples} samples; voizk needs at least {FRAME_LEN} samples (one 25 ms frame at 16 kHz)")]
    TooShort {
        /// Samples found.
        samples: usize,
    },
    /// A stream ([`Audio::read_stream`]) closed before its first byte.
    #[error("the stream is empty (0 bytes); voizk reads 16 kHz mono 16-bit PCM WAV, for example `sox IN -r 16000 -c 1 -b 16 -e signed-integer -t wav -`")]
    EmptyStream,
    /// A stream ([`Audio::read_stream`]) went on past the most samples its reader accepts.
    #[error("the stream holds more than {max} samples ({:.1} s), the longest recording accepted here; stop the recording sooner", *max as f64 / f64::from(SAMPLE_RATE))]
    StreamTooLong {
        /// The most samples accepted.
        max: usize,
    },
    /// Longer than [`crate::params::MAX_RECORDING_SECONDS`] (counted from the samples, or announced by the header).
    #[error("audio has {samples} samples ({:.0} s); voizk accepts at most {max} (one hour)", *samples as f64 / f64::from(SAMPLE_RATE))]
    TooLong {
        /// Samples found.
        samples: usize,
        /// The limit.
        max: usize,
    },
}

/// Largest accepted sample count: [`crate::params::MAX_RECORDING_SECONDS`] of audio (well inside the 32 bits in
/// which the audio commitment stores the count).
pub const MAX_SAMPLES: usize = crate::params::MAX_RECORDING_SECONDS as usize * SAMPLE_RATE as usize;

impl Audio {
    /// Wraps samples that are already 16 kHz mono PCM16, refusing audio shorter
    /// than one frame. The samples are not modified.
    pub fn from_samples(samples: Vec<i16>) -> Result<Self, AudioError> {
        if samples.is_empty() {
            return Err(AudioError::Empty);
        }
        if num_frames(samples.len()).is_none() {
            return Err(AudioError::TooShort { samples: samples.len() });
        }
        if samples.len() > MAX_SAMPLES {
            return Err(AudioError::TooLong { samples: samples.len(), max: MAX_SAMPLES });
        }
        Ok(Self { samples })
    }

    /// Reads and validates a WAV file.
    pub fn load(path: impl AsRef<Path>) -> Result<Self, AudioError> {
        let path = path.as_ref();
        let io_err = |cause| AudioError::Io { path: path.display().to_string(), cause };
        let file = std::fs::File::open(path).map_err(io_err)?;
        let meta = file.metadata().map_err(io_err)?;
        if !meta.is_file() {
            return Err(AudioError::NotAFile { path: path.display().to_string() });
        }
        if meta.len() == 0 {
            return Err(AudioError::EmptyFile);
        }
        Self::read(std::io::BufReader::new(file))
    }

    /// Reads and validates WAV bytes from any reader.
    pub fn read(reader: impl Read) -> Result<Self, AudioError> {
        let wav = hound::WavReader::new(reader).map_err(not_wav)?;
        let spec = wav.spec();
        if spec.channels != 1 {
            return Err(AudioError::Channels { channels: spec.channels });
        }
        if spec.sample_rate != SAMPLE_RATE {
            return Err(AudioError::SampleRate { rate: spec.sample_rate });
        }
        match (spec.sample_format, spec.bits_per_sample) {
            (hound::SampleFormat::Int, 16) => {}
            (hound::SampleFormat::Int, bits) => {
                return Err(AudioError::SampleFormat { found: format!("{bits}-bit integer") })
            }
            (hound::SampleFormat::Float, bits) => {
                return Err(AudioError::SampleFormat { found: format!("{bits}-bit floating point") })
            }
        }
        let announced = wav.len();
        // Refused before reading: a header may announce up to 2^32 samples that are not there.
        if announced as usize > MAX_SAMPLES {
            return Err(AudioError::TooLong { samples: announced as usize, max: MAX_SAMPLES });
        }
        let mut samples = Vec::with_capacity(announced as usize);
        for sample in wav.into_samples::<i16>() {
            match sample {
                Ok(s) => samples.push(s),
                // hound reports a short data chunk as an I/O error ("Failed to read enough bytes").
                Err(hound::Error::IoError(_)) => return Err(AudioError::Truncated { announced, read: samples.len() }),
                Err(e) => return Err(not_wav(e)),
            }
        }
        Self::from_samples(samples)
    }

    /// The PCM samples, in order.
    pub fn samples(&self) -> &[i16] {
        &self.samples
    }

    /// Number of samples `N`.
    pub fn len(&self) -> usize {
        self.samples.len()
    }

    /// Always false: an `Audio` holds at least one frame.
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Number of 400-sample frames (at least 1).
    pub fn num_frames(&self) -> usize {
        num_frames(self.samples.len()).expect("validated at construction")
    }

    /// Duration in seconds.
    pub fn duration_secs(&self) -> f64 {
        self.samples.len() as f64 / SAMPLE_RATE as f64
    }
}

fn not_wav(e: hound::Error) -> AudioError {
    let reason = match e {
        // hound's reader reports running out of bytes as an I/O error.
        hound::Error::IoError(_) => "the file ends inside the header".to_string(),
        hound::Error::FormatError(msg) => msg.to_string(),
        hound::Error::Unsupported => "unsupported WAV encoding".to_string(),
        other => other.to_string(),
    };
    AudioError::NotWav { reason }
}
