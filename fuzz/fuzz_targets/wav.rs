//! WAV reading: any bytes give audio or an error, never a panic, a hang or an allocation the file does not back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stark_frames::Audio;

fuzz_target!(|data: &[u8]| {
    if let Ok(audio) = Audio::read(data) {
        // What was read is what the file holds: at least one frame, two bytes per sample.
        assert!(audio.num_frames() >= 1);
        assert!(audio.len() * 2 <= data.len());
    }
});
