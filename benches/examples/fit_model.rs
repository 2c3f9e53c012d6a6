//! Fits the default model's embedding (center and scale) and threshold on the speech fixtures, and measures
//! the equal error rate of the integer and the `f64` pipelines (issue 5).
//!
//! Center and scale are the mean and standard deviation of the integer features over every utterance of
//! `fixtures/speech/manifest.csv`; the trials are `voizk eval`'s protocol (`decision::eval`); the threshold is
//! the integer pipeline's equal-error threshold. The committed default (`decision/src/default_model.json`) is
//! this program's output, and refitting from it reproduces it.
//!
//! Run: `cargo run --release -p voizk-benches --example fit_model [OUT.json]` (prints the model when no path).

use decision::embedding::{features, MAX_SCALE};
use decision::eval::{embeddings, parse_manifest, summarize, trials};
use decision::model::Model;
use stark_frames::fixed::pooled::pooled_stats;
use stark_frames::Audio;

fn main() {
    let dir = std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech"));
    let manifest = parse_manifest(&std::fs::read_to_string(dir.join("manifest.csv")).expect("manifest"), &dir)
        .expect("valid manifest");
    let mut model = Model::default_model();
    let audio: Vec<(String, Audio)> =
        manifest.iter().map(|e| (e.speaker.clone(), Audio::load(&e.path).expect("fixture WAV"))).collect();
    let xs: Vec<[i64; 25]> = audio
        .iter()
        .map(|(_, a)| {
            let stats = pooled_stats(&stark_frames::fixed::mfcc(a.samples()), model.embedding.voicing_threshold_q24);
            features(&stats).expect("voiced")
        })
        .collect();
    let n = xs.len() as f64;
    let mean: Vec<f64> = (0..25).map(|d| xs.iter().map(|x| x[d] as f64).sum::<f64>() / n).collect();
    let sd: Vec<f64> =
        (0..25).map(|d| (xs.iter().map(|x| (x[d] as f64 - mean[d]).powi(2)).sum::<f64>() / n).sqrt()).collect();
    model.embedding.center_q12 = mean.iter().map(|m| m.round() as i64).collect();
    model.embedding.scale =
        sd.iter().map(|s| ((f64::from(1u32 << 28) / s).round() as i64).clamp(1, MAX_SCALE)).collect();

    let utterances: Vec<_> =
        audio.iter().map(|(s, a)| (s.clone(), embeddings(a.samples(), &model).expect("voiced"))).collect();
    let trials = trials(&utterances).expect("non-zero embeddings");
    let first = summarize(&trials, &model);
    model.threshold_q30 = (first.eer_threshold_integer * (1u64 << 30) as f64).round() as i64;
    model.validate().expect("fitted model is valid");
    let s = summarize(&trials, &model);
    eprintln!(
        "{} utterances; {} genuine and {} impostor trials",
        utterances.len(),
        s.genuine_trials,
        s.impostor_trials
    );
    eprintln!(
        "integer EER {:.2}% at {:.4}; f64 EER {:.2}% at {:.4}; decisions differing at the threshold: {} ({:.2}%)",
        100.0 * s.eer_integer,
        s.eer_threshold_integer,
        100.0 * s.eer_f64,
        s.eer_threshold_f64,
        s.decisions_differing,
        100.0 * s.fraction_differing
    );
    match std::env::args().nth(1) {
        Some(path) => std::fs::write(&path, model.to_json() + "\n").expect("write model"),
        None => println!("{}", model.to_json()),
    }
}
