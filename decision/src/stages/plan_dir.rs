//! The directory of one proof run stage by stage: `plan.json` and the inputs every stage reads (the recording,
//! the template, the model), the job lists of batch engines, and the files the stages write.
//!
//! ```text
//! DIR/plan.json          what is proven: settings, recording (samples, h_audio), nonce, h_model, h_template,
//!                        and the stage ids of each wave
//! DIR/wave-0.jobs ...    one stage id per line, a file per wave: `parallel voizk stage DIR {} :::: DIR/wave-0.jobs`
//! DIR/recording.wav      the recording, byte for byte as given
//! DIR/template.json      the template (private: the directory belongs to the prover)
//! DIR/model.json         the model
//! DIR/chunk-00000.proof  ... the stages' outputs, then final.proof; DIR/<stage>.report.json: how each was made
//! ```

use std::path::{Path, PathBuf};

use recursion::plan::Plan;
use recursion::settings::{RootSettings, TreeSettings};
use stark_frames::chunk::config::F;
use stark_frames::commitment::commit_audio;
use stark_frames::Audio;

use super::StageError;
use crate::model::Model;
use crate::statement::Hex4;
use crate::template::Template;

/// The plan file's name.
pub const PLAN_FILE: &str = "plan.json";
/// The recording's copy.
pub const RECORDING_FILE: &str = "recording.wav";
/// The template's copy.
pub const TEMPLATE_FILE: &str = "template.json";
/// The model's copy.
pub const MODEL_FILE: &str = "model.json";
/// Version of `plan.json`.
pub const PLAN_VERSION: u32 = 1;

/// `plan.json`: everything a stage needs to know of the proof besides the files it reads.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    /// Format version ([`PLAN_VERSION`]).
    pub version: u32,
    /// The tree's settings (stages are run apart only in the tree shape).
    pub settings: TreeSettings,
    /// Samples of the recording.
    pub num_samples: usize,
    /// Its duration, seconds.
    pub audio_secs: f64,
    /// Its `h_audio`.
    pub h_audio: Hex4,
    /// The verifier's nonce every proof is bound to.
    pub nonce: Hex4,
    /// `h_model` of the model.
    pub h_model: String,
    /// `h_template` of the template.
    pub h_template: String,
    /// The stage ids of each wave, in order (what `wave-N.jobs` lists).
    pub waves: Vec<Vec<String>>,
}

/// The job list of wave `wave`: `wave-0.jobs`, ...
pub fn jobs_file_name(wave: usize) -> String {
    format!("wave-{wave}.jobs")
}

/// The report file of stage `id`: `leaf-00003.report.json`.
pub fn report_file_name(id: &str) -> String {
    format!("{id}.report.json")
}

/// A file to write into a plan directory: its name and its bytes.
pub type NamedFile = (String, Vec<u8>);

/// A plan directory, opened: the plan and the stages it implies.
pub struct PlanDir {
    dir: PathBuf,
    file: PlanFile,
    plan: Plan,
}

impl PlanDir {
    /// The files of a new plan directory for proving the WAV `recording` (its bytes) against `template` under
    /// `model` and `settings`, bound to `nonce`: `(file name, bytes)` pairs for the caller to write (atomically)
    /// into the directory. Refuses a recording the settings do not take and a template of another model.
    pub fn files(
        settings: TreeSettings,
        recording: &[u8],
        template: &Template,
        model: &Model,
        nonce: [F; 4],
    ) -> Result<(PlanFile, Vec<NamedFile>), StageError> {
        let audio = Audio::read(recording)?;
        let plan = Plan::new(RootSettings::Tree(settings), audio.len())?;
        if template.h_model != model.h_model_hex() {
            return Err(StageError::TemplateModel { template: template.h_model.clone(), model: model.h_model_hex() });
        }
        let file = PlanFile {
            version: PLAN_VERSION,
            settings,
            num_samples: audio.len(),
            audio_secs: audio.duration_secs(),
            h_audio: Hex4(commit_audio(audio.samples()).0),
            nonce: Hex4(nonce),
            h_model: model.h_model_hex(),
            h_template: template.h_template.clone(),
            waves: plan.ids(),
        };
        let mut files = vec![
            (PLAN_FILE.to_string(), format!("{}\n", serde_json::to_string_pretty(&file)?).into_bytes()),
            (RECORDING_FILE.to_string(), recording.to_vec()),
            (TEMPLATE_FILE.to_string(), template.to_json().into_bytes()),
            (MODEL_FILE.to_string(), model.to_json().into_bytes()),
        ];
        for (wave, ids) in file.waves.iter().enumerate() {
            files.push((jobs_file_name(wave), ids.iter().map(|id| format!("{id}\n")).collect::<String>().into_bytes()));
        }
        Ok((file, files))
    }

    /// Opens the plan directory `dir`: reads and checks `plan.json` (its waves must be the plan of its
    /// settings and length).
    pub fn open(dir: &Path) -> Result<Self, StageError> {
        let path = dir.join(PLAN_FILE);
        let text = std::fs::read_to_string(&path).map_err(|source| StageError::Io { path: path.clone(), source })?;
        let file: PlanFile = serde_json::from_str(&text)
            .map_err(|e| StageError::Plan(format!("{}: not a voizk plan file: {e}", path.display())))?;
        if file.version != PLAN_VERSION {
            return Err(StageError::Plan(format!(
                "{}: plan version {}, this voizk reads version {PLAN_VERSION}",
                path.display(),
                file.version
            )));
        }
        let plan = Plan::new(RootSettings::Tree(file.settings), file.num_samples)?;
        if plan.ids() != file.waves {
            return Err(StageError::Plan(format!(
                "{}: its waves are not the plan of its settings and length",
                path.display()
            )));
        }
        Ok(Self { dir: dir.to_path_buf(), file, plan })
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The plan file.
    pub fn file(&self) -> &PlanFile {
        &self.file
    }

    /// The plan.
    pub fn plan(&self) -> &Plan {
        &self.plan
    }

    /// `name` in the directory.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// The bytes of `name` in the directory; a missing file is [`StageError::Missing`] naming the stage that
    /// writes it when `writer` is given.
    pub fn read(&self, name: &str, writer: Option<&str>) -> Result<Vec<u8>, StageError> {
        let path = self.path(name);
        std::fs::read(&path).map_err(|source| match (source.kind(), writer) {
            (std::io::ErrorKind::NotFound, Some(stage)) => {
                StageError::Missing { file: path.clone(), stage: stage.to_string() }
            }
            _ => StageError::Io { path: path.clone(), source },
        })
    }
}
