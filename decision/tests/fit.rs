//! Fitting a model (`decision::fit`) on the synthetic fixtures' 8 voices: deterministic, valid, a threshold
//! that meets its target on the held-out trials it was chosen on, nested counts that add up, and a whitening
//! projection that does what it says. (The default model is fitted on real speech; `benches/scripts/
//! fit_default_model.sh` reproduces it from the development corpus.)

use std::path::PathBuf;

use decision::embedding::{EMBED_DIM, MAX_PROJECTION};
use decision::eval::parse_manifest;
use decision::fit::{fit, fit_embedding, Channel, FitOptions, FitRecording};
use decision::model::{Metric, Model};
use decision::rates::Rates;
use stark_frames::fixed::pooled::pooled_stats;
use stark_frames::Audio;

/// The speech fixtures in `channel` (telephone: their telephone-band copies).
fn recordings_in(channel: Channel, voicing_threshold_q24: i64) -> Vec<FitRecording> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/speech");
    let manifest = parse_manifest(&std::fs::read_to_string(dir.join("manifest.csv")).unwrap(), &dir).unwrap();
    manifest
        .iter()
        .map(|e| {
            let audio = Audio::load(&e.path).unwrap();
            let samples = match channel {
                Channel::Wideband => audio.samples().to_vec(),
                Channel::Telephone => decision::augment::telephone_band(audio.samples()),
            };
            let stats = pooled_stats(&stark_frames::fixed::frame_values(&samples), voicing_threshold_q24);
            FitRecording { speaker: e.speaker.clone(), channel, stats }
        })
        .collect()
}

fn recordings(voicing_threshold_q24: i64) -> Vec<FitRecording> {
    recordings_in(Channel::Wideband, voicing_threshold_q24)
}

fn options() -> FitOptions {
    FitOptions { folds: 3, target_far: 0.05, ..FitOptions::default() }
}

#[test]
fn a_fit_is_deterministic_valid_and_calibrated_on_held_out_speakers() {
    let recs = recordings(options().voicing_threshold_q24);
    let a = fit(&recs, &options(), "digest").unwrap();
    let b = fit(&recs, &options(), "digest").unwrap();
    assert_eq!(a.model.to_json(), b.model.to_json(), "the same recordings give the same file");
    let m = Model::from_json(&a.model.to_json()).unwrap();
    assert_eq!(m.h_model(), a.model.h_model());

    // The threshold accepts at most the target share of the held-out impostor trials, and one step lower (the
    // S-norm threshold moves by 2^15) would accept more than that share (it is the lowest such threshold).
    let target = options().target_far;
    let at = Rates::at(&a.genuine, &a.impostor, m.threshold_q30);
    assert!(at.far() <= target, "held-out FAR {}", at.far());
    assert_eq!(m.metric, Metric::SNormCosine);
    assert_eq!(m.threshold_step(), 1 << 15);
    assert_eq!(m.threshold_q30 % m.threshold_step(), 0);
    assert!(Rates::at(&a.genuine, &a.impostor, m.threshold_q30 - m.threshold_step()).far() > target);
    assert_eq!(at, a.at_threshold);
    let c = m.calibration.as_ref().unwrap();
    assert_eq!((c.speakers, c.recordings, c.folds, c.manifest_sha256.as_str()), (8, 32, 3, "digest"));
    assert_eq!(c.false_accepts, [at.false_accepts, at.impostor]);
    assert_eq!(c.false_rejects, [at.false_rejects, at.genuine]);
    // Held-out trials: each fold's speakers are enrolled and tested among themselves only (folds of 3, 3 and 2
    // speakers of 4 utterances: 3 enrolled and 1 genuine trial each, and the other speakers' 4 utterances).
    assert_eq!(at.genuine, 8);
    assert_eq!(at.impostor, 3 * 2 * 4 + 3 * 2 * 4 + 2 * 4);
    // The nested counts cover the same trials, fold by fold.
    let speakers: Vec<&String> = a.folds.iter().flat_map(|f| &f.speakers).collect();
    assert_eq!(speakers.len(), 8);
    assert_eq!((a.nested.genuine, a.nested.impostor), (at.genuine, at.impostor));
    assert_eq!(a.folds.iter().map(|f| f.at_threshold.false_accepts).sum::<usize>(), at.false_accepts);
}

/// With a telephone-band copy of every recording, the copies count for the fit and are scored in their own channel:
/// twice the held-out trials, per-channel figures that add up to the pooled ones, and a calibration that says so.
#[test]
fn telephone_copies_are_fitted_on_and_scored_apart() {
    let opts = options();
    let wide = recordings(opts.voicing_threshold_q24);
    let mut both = wide.clone();
    both.extend(recordings_in(Channel::Telephone, opts.voicing_threshold_q24));
    let one = fit(&wide, &opts, "d").unwrap();
    let two = fit(&both, &opts, "d").unwrap();
    assert!(one.channels.is_empty(), "one channel: no per-channel figures");
    assert_eq!(two.channels.len(), 2);
    assert_eq!((two.at_threshold.genuine, two.at_threshold.impostor), (16, 112));
    for field in
        [|r: &Rates| r.genuine, |r: &Rates| r.impostor, |r: &Rates| r.false_accepts, |r: &Rates| r.false_rejects]
    {
        assert_eq!(two.channels.iter().map(|c| field(&c.at_threshold)).sum::<usize>(), field(&two.at_threshold));
        assert_eq!(two.channels.iter().map(|c| field(&c.nested)).sum::<usize>(), field(&two.nested));
    }
    assert!(two.model.calibration.as_ref().unwrap().telephone_copies);
    assert!(!one.model.calibration.as_ref().unwrap().telephone_copies);
    assert_eq!(two.model.calibration.as_ref().unwrap().recordings, 64);
}

#[test]
fn trials_of_several_recordings_pool_them_and_leave_the_embedding_alone() {
    // Eight recordings per speaker: the four fixtures and their telephone-band copies, taken as one channel.
    let opts = options();
    let mut recs = recordings(opts.voicing_threshold_q24);
    let copies = recordings_in(Channel::Telephone, opts.voicing_threshold_q24);
    recs.extend(copies.into_iter().map(|r| FitRecording { channel: Channel::Wideband, ..r }));
    let one = fit(&recs, &opts, "d").unwrap();
    let two = fit(&recs, &FitOptions { trial_recordings: 2, ..opts.clone() }, "d").unwrap();
    assert_eq!(two.model.embedding, one.model.embedding, "the embedding is fitted on the recordings either way");
    // Three enrolled, five left: two trials of two recordings per speaker (the fifth dropped).
    assert_eq!((one.at_threshold.genuine, two.at_threshold.genuine), (8 * 5, 8 * 2));
    assert_eq!(two.impostor.len(), two.at_threshold.impostor);
    assert_eq!(two.model.calibration.as_ref().unwrap().trial_recordings, 2);
    assert!(!one.model.to_json().contains("trial_recordings"), "1 is not written (older files read the same)");
    let back = Model::from_json(&two.model.to_json()).unwrap();
    assert_eq!(back.calibration.unwrap().trial_recordings, 2);
    let none = fit(&recs, &FitOptions { trial_recordings: 0, ..opts }, "d").map(|_| ()).unwrap_err();
    assert!(none.to_string().contains("at least one recording"), "{none}");
}

/// A population with a known within-speaker covariance: 40 speakers, 30 recordings each, features
/// `x = mean_speaker + A e` with a fixed mixing `A` (correlated, uneven spreads) and pseudo-random `e`.
fn population() -> Vec<(String, [i64; EMBED_DIM])> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as f64 / (1u64 << 31) as f64) - 0.5
    };
    let a: Vec<Vec<f64>> = (0..EMBED_DIM)
        .map(|i| {
            (0..EMBED_DIM)
                .map(|j| {
                    if i == j {
                        1.0 + i as f64 / 3.0
                    } else if j < i {
                        0.6
                    } else {
                        0.0
                    }
                })
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for s in 0..40 {
        let mean: Vec<f64> = (0..EMBED_DIM).map(|_| 4000.0 * next()).collect();
        for _ in 0..30 {
            let e: Vec<f64> = (0..EMBED_DIM).map(|_| 400.0 * next()).collect();
            let x =
                std::array::from_fn(|i| (mean[i] + (0..EMBED_DIM).map(|j| a[i][j] * e[j]).sum::<f64>()).round() as i64);
            out.push((format!("s{s:02}"), x));
        }
    }
    out
}

/// Under S-norm (the default) the cohort is every fitted speaker's unit template, in sorted order; without it, the
/// model scores by the plain cosine and holds no cohort.
#[test]
fn the_s_norm_cohort_is_the_fitted_speakers_templates() {
    let recs = recordings(options().voicing_threshold_q24);
    let m = fit(&recs, &options(), "digest").unwrap().model;
    let cohort = m.cohort().unwrap();
    let mut speakers: Vec<&str> = recs.iter().map(|r| r.speaker.as_str()).collect();
    speakers.sort_unstable();
    speakers.dedup();
    assert_eq!(cohort.len(), speakers.len());
    for (row, s) in cohort.iter().zip(&speakers) {
        let zs: Vec<_> = recs.iter().filter(|r| r.speaker == *s).map(|r| m.embed(&r.stats).unwrap()).collect();
        assert_eq!(*row, decision::template::template_unit(&zs).unwrap(), "{s}");
    }
    let plain = fit(&recs, &FitOptions { s_norm: false, ..options() }, "digest").unwrap().model;
    assert_eq!((plain.metric, plain.cohort_q15.is_none(), plain.threshold_step()), (Metric::Cosine, true, 1));
    assert_eq!(plain.embedding, m.embedding, "S-norm does not change the embedding");
}

#[test]
fn whitening_makes_the_within_speaker_spread_even() {
    // A ridge of 10^-3 (the regularisation only keeps the covariance invertible).
    let opts = FitOptions { ridge: 1e-3, ..options() };
    let population = population();
    let rows: Vec<(&str, [i64; EMBED_DIM])> = population.iter().map(|(s, x)| (s.as_str(), *x)).collect();
    let plain = fit_embedding(&rows, &FitOptions { whiten: false, ..opts.clone() }).unwrap();
    assert!(plain.projection_q16.is_none());
    let white = fit_embedding(&rows, &opts).unwrap();
    let w = white.projection_q16.as_ref().unwrap();
    assert_eq!(w.iter().flatten().map(|v| v.abs()).max(), Some(MAX_PROJECTION), "largest entry is 1.0");
    assert!(w.iter().enumerate().all(|(j, row)| row[j + 1..].iter().all(|&v| v == 0)), "L^-1 is lower-triangular");
    // Projected, every speaker's own recordings spread about as much in every direction: the mean within-speaker
    // variance of each coordinate is equal across coordinates (up to the regularisation and the rounding).
    let model = Model { embedding: white, calibration: None, ..Model::default_model() };
    let y: Vec<(&str, [i64; EMBED_DIM])> = rows.iter().map(|(s, x)| (*s, model.embed_features(x).unwrap())).collect();
    let mut names: Vec<&str> = rows.iter().map(|r| r.0).collect();
    names.dedup();
    let var: Vec<f64> = (0..EMBED_DIM)
        .map(|d| {
            names
                .iter()
                .map(|s| {
                    let own: Vec<f64> = y.iter().filter(|r| r.0 == *s).map(|r| r.1[d] as f64).collect();
                    let m = own.iter().sum::<f64>() / own.len() as f64;
                    own.iter().map(|v| (v - m).powi(2)).sum::<f64>() / own.len() as f64
                })
                .sum::<f64>()
                / names.len() as f64
        })
        .collect();
    let (lo, hi) = var.iter().fold((f64::MAX, 0.0f64), |(a, b), &v| (a.min(v), b.max(v)));
    assert!(hi / lo < 1.1, "within-speaker variances from {lo} to {hi}");
    // Without the projection, the standardised coordinates spread very unevenly (the mixing's diagonal runs
    // from 1 to 9).
    let plain_model = Model { embedding: plain, calibration: None, ..Model::default_model() };
    let z: Vec<(&str, [i64; EMBED_DIM])> =
        rows.iter().map(|(s, x)| (*s, plain_model.embed_features(x).unwrap())).collect();
    let spread = |d: usize| -> f64 {
        let v: Vec<f64> = z.iter().map(|r| r.1[d] as f64).collect();
        let m = v.iter().sum::<f64>() / v.len() as f64;
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / v.len() as f64
    };
    assert!((spread(0) / 4096f64.powi(2) - 1.0).abs() < 0.05, "standardised: unit spread overall");
}
