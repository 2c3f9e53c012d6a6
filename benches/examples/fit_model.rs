//! Fits the default model's embedding (center and scale) and threshold on the speech fixtures, and measures
//! the equal error rate of the integer and the `f64` pipelines (issue 5).
//!
//! Protocol: speakers are the fixture name prefixes (`flite_awb_1.wav` is speaker `flite_awb`). Center and
//! scale are the mean and standard deviation of the integer features over every utterance. Each speaker
//! enrolls from its first three utterances (the template is the unit vector of the mean standardised
//! embedding); every utterance outside that speaker's enrollment is scored against the template. The
//! threshold is the integer pipeline's equal-error threshold.
//!
//! Run: `cargo run --release -p voizk-benches --example fit_model [OUT.json]` (prints the model when no path).

use std::collections::BTreeMap;

use decision::embedding::{features, features_f64, round_div, standardise, unit, Embedding, EMBED_DIM, MAX_SCALE};
use decision::model::Model;
use decision::score::{cosine_f64, score_q30};
use stark_frames::fixed::pooled::pooled_stats;
use stark_frames::Audio;

/// One utterance: integer features and `f64` features.
struct Utterance {
    x: Embedding,
    xf: [f64; EMBED_DIM],
}

/// The threshold minimising `max(FRR, FAR)` over the observed scores, and that error.
fn eer(genuine: &[f64], impostor: &[f64]) -> (f64, f64) {
    let mut candidates: Vec<f64> = genuine.iter().chain(impostor).copied().collect();
    candidates.sort_by(f64::total_cmp);
    let mut best = (f64::INFINITY, 0.0);
    for &t in &candidates {
        let frr = genuine.iter().filter(|&&g| g < t).count() as f64 / genuine.len() as f64;
        let far = impostor.iter().filter(|&&i| i >= t).count() as f64 / impostor.len() as f64;
        if frr.max(far) < best.0 {
            best = (frr.max(far), t);
        }
    }
    best
}

fn main() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech");
    let mut model = Model::default_model();
    let threshold_q24 = model.embedding.voicing_threshold_q24;
    let mut speakers: BTreeMap<String, Vec<Utterance>> = BTreeMap::new();
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wav"))
        .collect();
    names.sort();
    for name in &names {
        let audio = Audio::load(format!("{dir}/{name}")).expect("fixture WAV");
        let x = features(&pooled_stats(&stark_frames::fixed::mfcc(audio.samples()), threshold_q24)).expect("voiced");
        let xf = features_f64(&stark_frames::oracle::mfcc(audio.samples()), threshold_q24 as f64 / (1u64 << 24) as f64)
            .expect("voiced");
        let speaker = name.rsplit_once('_').expect("speaker_N.wav").0.to_string();
        speakers.entry(speaker).or_default().push(Utterance { x, xf });
    }
    let all: Vec<&Utterance> = speakers.values().flatten().collect();
    let n = all.len() as f64;
    let mean: Vec<f64> = (0..EMBED_DIM).map(|d| all.iter().map(|u| u.x[d] as f64).sum::<f64>() / n).collect();
    let sd: Vec<f64> = (0..EMBED_DIM)
        .map(|d| (all.iter().map(|u| (u.x[d] as f64 - mean[d]).powi(2)).sum::<f64>() / n).sqrt())
        .collect();
    model.embedding.center_q12 = mean.iter().map(|m| m.round() as i64).collect();
    model.embedding.scale =
        sd.iter().map(|s| ((f64::from(1u32 << 28) / s).round() as i64).clamp(1, MAX_SCALE)).collect();
    let (center, scale) = (model.center(), model.scale());
    // The f64 pipeline standardises with the same center and spread, in real units.
    let zf = |xf: &[f64; EMBED_DIM]| -> Vec<f64> {
        (0..EMBED_DIM).map(|d| (xf[d] - center[d] as f64 / 4096.0) * scale[d] as f64 / f64::from(1u32 << 16)).collect()
    };

    let (mut gen, mut imp, mut gen_f, mut imp_f) = (vec![], vec![], vec![], vec![]);
    let mut trials: Vec<(i64, f64)> = vec![];
    for (s, enrolled) in &speakers {
        let zs: Vec<Embedding> = enrolled[..3].iter().map(|u| standardise(&u.x, &center, &scale)).collect();
        let mean_z: Embedding = std::array::from_fn(|d| round_div(zs.iter().map(|z| i128::from(z[d])).sum(), 3) as i64);
        let t = unit(&mean_z).expect("non-zero template");
        let tf: Vec<f64> =
            (0..EMBED_DIM).map(|d| enrolled[..3].iter().map(|u| zf(&u.xf)[d]).sum::<f64>() / 3.0).collect();
        for (o, utts) in &speakers {
            for (i, u) in utts.iter().enumerate() {
                if o == s && i < 3 {
                    continue;
                }
                let score = score_q30(&unit(&standardise(&u.x, &center, &scale)).expect("non-zero"), &t);
                let score_f = cosine_f64(&zf(&u.xf), &tf);
                trials.push((score, score_f));
                let (g, i_) = if o == s { (&mut gen, &mut gen_f) } else { (&mut imp, &mut imp_f) };
                g.push(score as f64 / (1u64 << 30) as f64);
                i_.push(score_f);
            }
        }
    }
    let (eer_int, t_int) = eer(&gen, &imp);
    let (eer_f64, t_f64) = eer(&gen_f, &imp_f);
    model.threshold_q30 = (t_int * (1u64 << 30) as f64).round() as i64;
    let differ = trials.iter().filter(|(s, f)| (*s >= model.threshold_q30) != (*f >= model.threshold())).count();
    eprintln!(
        "{} speakers, {} utterances; {} genuine and {} impostor trials",
        speakers.len(),
        all.len(),
        gen.len(),
        imp.len()
    );
    eprintln!(
        "integer EER {:.2}% at threshold {:.4}; f64 EER {:.2}% at {:.4}",
        100.0 * eer_int,
        t_int,
        100.0 * eer_f64,
        t_f64
    );
    eprintln!("integer and f64 decisions differ in {differ} of {} trials at the integer threshold", trials.len());
    model.validate().expect("fitted model is valid");
    match std::env::args().nth(1) {
        Some(path) => std::fs::write(&path, model.to_json() + "\n").expect("write model"),
        None => println!("{}", model.to_json()),
    }
}
