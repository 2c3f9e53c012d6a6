//! `voizk prove -`: the recording arrives on standard input (a WAV stream, for example `sox -d -t wav - | voizk
//! prove - ...`) while the circuits that do not depend on its length are read or built; once the stream ends,
//! the chunk STARK is proven beside the one leaf circuit its length needs, then the leaf and the final proof.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use decision::final_circuit::check_template_model;
use decision::model::Model;
use decision::pipeline::Pipeline;
use decision::template::Template;
use recursion::cache::CircuitCache;
use recursion::progress::Progress;
use recursion::settings::RootSettings;
use stark_frames::audio_stream::WavStream;
use stark_frames::params::{FRAME_LEN, SAMPLE_RATE};
use stark_frames::Audio;

use crate::input::piped_stdin;

/// How often the received length is shown while the circuits wait for the end of the stream.
const RECEIVE_POLL: Duration = Duration::from_millis(100);

/// When the stream's work happened, measured from the command's start.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct StreamTimes {
    /// The circuits (everything but the length's leaf) were ready.
    pub circuits_ready_secs: f64,
    /// The stream ended (its last byte arrived).
    pub end_of_stream_secs: f64,
}

/// Reads the recording from standard input while the circuits of `settings` are obtained (without a leaf's prover
/// data: the length is not known yet). Returns them with the recording and when each was ready. A template of
/// another model and a stream of another format are refused before anything is read past the header.
pub fn receive_while_building(
    settings: RootSettings,
    model: &Model,
    template: &Template,
    cache: Option<&CircuitCache>,
    start: Instant,
    progress: &mut dyn FnMut(Progress),
) -> Result<(Pipeline, Audio, StreamTimes)> {
    // A little past the settings' longest recording: the precise check, with its message, comes after.
    let max_samples = settings.max_seconds() as usize * SAMPLE_RATE as usize + FRAME_LEN;
    check_template_model(model, template)?;
    let received = AtomicUsize::new(0);
    // The header first: a stream of the wrong format is refused before anything is built.
    let stream = WavStream::open(piped_stdin()?).context("standard input")?;
    progress(Progress::Note("reading a WAV stream from standard input; the circuits are built meanwhile".into()));
    let (built, audio) = std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            let audio = stream.read_all(max_samples, &mut |n| received.store(n, Ordering::Relaxed));
            (audio, start.elapsed().as_secs_f64())
        });
        let built = Pipeline::build(settings, model, &[], cache, progress)
            .map(|pipeline| (pipeline, start.elapsed().as_secs_f64()));
        if !reader.is_finished() {
            // A step per second of audio received, up to the settings' longest recording.
            progress(Progress::Layer { name: "receive audio (s)".into(), steps: settings.max_seconds() as usize });
            let mut shown = 0;
            while !reader.is_finished() {
                let secs = received.load(Ordering::Relaxed) / SAMPLE_RATE as usize;
                for _ in shown..secs {
                    progress(Progress::Step);
                }
                shown = shown.max(secs);
                std::thread::sleep(RECEIVE_POLL);
            }
        }
        (built, reader.join().expect("the stream reader does not panic"))
    });
    let (audio, end_of_stream_secs) = audio;
    let audio = audio.context("standard input")?;
    let (pipeline, circuits_ready_secs) = built?;
    settings.check_length(audio.len()).context("standard input")?;
    progress(Progress::Note(format!("end of stream: {:.2} s of audio; proving", audio.duration_secs())));
    Ok((pipeline, audio, StreamTimes { circuits_ready_secs, end_of_stream_secs }))
}
