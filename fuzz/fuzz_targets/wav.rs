//! WAV reading, from a file's bytes and as a stream (`voizk prove -`): any bytes give audio or an error, never a
//! panic, a hang or an allocation the input does not back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stark_frames::audio::MAX_SAMPLES;
use stark_frames::Audio;

fuzz_target!(|data: &[u8]| {
    let file = Audio::read(data);
    let stream = Audio::read_stream(data, MAX_SAMPLES, &mut |_| {});
    // The two readers may differ on malformed inputs (hound skips no pad byte after an odd-length chunk; the stream
    // reader follows RIFF), so each is held to the bounds alone.
    for audio in [file.ok(), stream.ok()].into_iter().flatten() {
        // What was read is what the input holds: at least one frame, two bytes per sample.
        assert!(audio.num_frames() >= 1);
        assert!(audio.len() * 2 <= data.len());
    }
});
