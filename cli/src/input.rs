//! Loading audio for commands, including the built-in sample.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Context, Result};
use stark_frames::audio::MAX_SAMPLES;
use stark_frames::Audio;

/// The built-in sample: `fixtures/speech/flite_awb_1.wav`.
const BUILTIN_SAMPLE: &[u8] = include_bytes!("../../fixtures/speech/flite_awb_1.wav");
/// Its name, for notes.
pub const BUILTIN_NAME: &str = "built-in sample (fixtures/speech/flite_awb_1.wav)";

/// The path that names standard input.
pub const STDIN_PATH: &str = "-";

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == STDIN_PATH
}

/// Standard input, refused when it is a terminal (`-` names a WAV stream piped in, which a terminal is not).
pub fn piped_stdin() -> Result<std::io::Stdin> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        bail!("standard input is a terminal: `-` reads a WAV stream piped in, e.g. `sox -d -r 16000 -c 1 -b 16 -t wav - | voizk prove - ...`");
    }
    Ok(stdin)
}

/// Loads `path` (`-`: a WAV stream on standard input, read to its end), or the built-in sample when `None`.
pub fn load_audio(path: Option<&Path>) -> Result<Audio> {
    match path {
        Some(p) if is_stdin(p) => {
            let stdin = piped_stdin()?;
            Audio::read_stream(stdin.lock(), MAX_SAMPLES, &mut |_| {}).context("standard input")
        }
        Some(p) => Audio::load(p).with_context(|| p.display().to_string()),
        None => Ok(Audio::read(BUILTIN_SAMPLE).expect("the built-in sample is valid")),
    }
}

/// The model file at `path`, validated, or the built-in default model.
pub fn load_model(path: Option<&Path>) -> Result<decision::model::Model> {
    match path {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("cannot read {}", p.display()))?;
            decision::model::Model::from_json(&text).with_context(|| p.display().to_string())
        }
        None => Ok(decision::model::Model::default_model()),
    }
}

/// Reads and checks a template file.
pub fn read_template(path: &Path) -> Result<decision::template::Template> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    decision::template::Template::from_json(&text).with_context(|| path.display().to_string())
}
