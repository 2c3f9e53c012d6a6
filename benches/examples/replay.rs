//! Replays a WAV file to standard output as a recorder writing to a pipe would: a header whose lengths are sox's
//! placeholder, then the samples in 20 ms blocks at real-time speed. When the last block is written it prints
//! to stderr the Unix time in seconds, so the latency of `voizk prove -` after the last sample can be measured:
//!
//! ```text
//! cargo run --release -p voizk-benches --example replay -- FILE.wav | voizk --json prove - --template T ...
//! ```
//!
//! (`voizk prove -` also reports the time from the end of its input to the checked proof itself.)

use std::io::Write;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use stark_frames::audio_stream::{pcm16_header, PLACEHOLDER_MIN};
use stark_frames::params::SAMPLE_RATE;
use stark_frames::Audio;

/// Samples per block written: 20 ms.
const BLOCK: usize = SAMPLE_RATE as usize / 50;

fn main() {
    let path = std::env::args().nth(1).expect("usage: replay FILE.wav");
    let audio = Audio::load(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut out = std::io::stdout().lock();
    out.write_all(&pcm16_header(PLACEHOLDER_MIN)).and_then(|_| out.flush()).expect("stdout");
    let start = Instant::now();
    for (i, block) in audio.samples().chunks(BLOCK).enumerate() {
        // Block i is complete (and so written) at the end of its 20 ms.
        let due = Duration::from_secs_f64(((i * BLOCK + block.len()) as f64) / f64::from(SAMPLE_RATE));
        if let Some(wait) = due.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
        let bytes: Vec<u8> = block.iter().flat_map(|s| s.to_le_bytes()).collect();
        out.write_all(&bytes).and_then(|_| out.flush()).expect("stdout");
    }
    let unix = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock after 1970").as_secs_f64();
    eprintln!(
        "replay: {:.2} s of audio written in {:.2} s; last byte at unix {unix:.3}",
        audio.duration_secs(),
        start.elapsed().as_secs_f64()
    );
}
