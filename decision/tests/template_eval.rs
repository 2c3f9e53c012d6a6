//! Templates (enrollment, h_template, file checks) and the eval protocol on the speech fixtures.

use std::path::PathBuf;

use decision::embedding::{Embedding, EMBED_DIM};
use decision::eval::{
    embeddings, enrollments, group_trials, parse_manifest, plan_of, summarize, trials, ENROLL_UTTERANCES,
};
use decision::model::Model;
use decision::score::accepts;
use decision::template::{standardised_embedding, Template, TemplateError, MIN_ENROLL_VOICED_FRAMES};
use plonky2::field::goldilocks_field::GoldilocksField as F;
use plonky2::field::types::Field;
use stark_frames::Audio;

fn speech() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/speech")
}

fn z(name: &str, model: &Model) -> (String, [i64; EMBED_DIM], u64) {
    let audio = Audio::load(speech().join(name)).unwrap();
    let (z, voiced) = standardised_embedding(audio.samples(), model).unwrap();
    (name.to_string(), z, voiced)
}

#[test]
fn enrollment_is_salted_and_checked_on_reading() {
    let model = Model::default_model();
    let recs: Vec<_> = (1..=3).map(|i| z(&format!("flite_slt_{i}.wav"), &model)).collect();
    let salt = [F::from_canonical_u64(1), F::from_canonical_u64(2), F::from_canonical_u64(3), F::from_canonical_u64(4)];
    let a = Template::enroll_with_salt(&recs, &model, salt).unwrap();
    let b = Template::enroll_with_salt(&recs, &model, salt).unwrap();
    assert_eq!(a, b, "enrollment is deterministic for a given salt");
    let fresh = Template::enroll(&recs, &model).unwrap();
    assert_eq!(fresh.unit_q15, a.unit_q15, "the salt does not change the template");
    assert_ne!(fresh.h_template, a.h_template, "a fresh salt changes h_template");
    assert_eq!(a.h_model, model.h_model_hex());

    let back = Template::from_json(&a.to_json()).unwrap();
    assert_eq!(back, a);
    let mut v: serde_json::Value = serde_json::from_str(&a.to_json()).unwrap();
    v["unit_q15"][4] = (v["unit_q15"][4].as_i64().unwrap() + 1).into();
    let e = Template::from_json(&v.to_string()).unwrap_err();
    assert!(e.to_string().contains("h_template does not match"), "{e}");
    let mut v: serde_json::Value = serde_json::from_str(&a.to_json()).unwrap();
    v["salt"][0] = 5.into();
    assert!(Template::from_json(&v.to_string()).is_err(), "another salt breaks h_template");
    assert!(Template::enroll(&[], &model).is_err());
}

/// Enrollment needs `MIN_ENROLL_VOICED_FRAMES` voiced frames in all, and says how much speech that is.
#[test]
fn enrollment_refuses_too_little_speech() {
    let model = Model::default_model();
    let (name, z, voiced) = z("flite_slt_1.wav", &model);
    assert!(voiced >= MIN_ENROLL_VOICED_FRAMES, "one synthetic sentence is enough ({voiced} voiced frames)");
    let short = [(name.clone(), z, MIN_ENROLL_VOICED_FRAMES - 1)];
    let e = Template::enroll(&short, &model).unwrap_err();
    assert!(matches!(e, TemplateError::TooLittleSpeech { voiced: 149, needed: 150, .. }), "{e:?}");
    assert!(e.to_string().contains("at least 150 (1.5 s of speech"), "{e}");
    let two = [(name.clone(), z, 75), (name, z, 75)];
    assert!(Template::enroll(&two, &model).is_ok(), "frames add up over the recordings");
}

/// The protocol's enrollment takes recordings until the template holds enough voiced speech, and leaves a
/// speaker without enough out (its recordings remain impostor trials).
#[test]
fn the_protocol_enrolls_enough_speech() {
    let speakers = ["a", "a", "a", "a", "a", "b", "b", "c", "a"];
    let voiced = [10, 20, 30, 100, 5, 400, 1, 149, 7];
    let plan = enrollments(&speakers, &voiced);
    assert_eq!(plan.len(), 2, "c has 149 voiced frames: not enrolled");
    assert_eq!((plan[0].speaker.as_str(), plan[0].utterances.clone()), ("a", vec![0, 1, 2, 3]));
    assert_eq!((plan[1].speaker.as_str(), plan[1].utterances.clone()), ("b", vec![5, 6]), "all it has");
}

#[test]
fn genuine_scores_above_impostor_on_an_example() {
    let model = Model::default_model();
    let recs: Vec<_> = (1..=3).map(|i| z(&format!("flite_awb_{i}.wav"), &model)).collect();
    let t = Template::enroll(&recs, &model).unwrap().unit();
    let unit = |name: &str| {
        let (_, z, voiced) = z(name, &model);
        (decision::embedding::unit(&z).unwrap(), voiced)
    };
    let score =
        |(u, voiced): (Embedding, u64)| model.score(&model.side(u).unwrap(), &model.side(t).unwrap(), voiced).unwrap();
    let genuine = score(unit("flite_awb_4.wav"));
    let impostor = score(unit("espeak_us_f2_4.wav"));
    assert!(genuine > impostor, "{genuine} vs {impostor}");
    assert!(accepts(genuine, model.threshold_q30), "awb's own fourth utterance is accepted");
    assert!(!accepts(impostor, model.threshold_q30));
}

#[test]
fn eval_protocol_on_the_fixtures() {
    let dir = speech();
    let manifest = parse_manifest(&std::fs::read_to_string(dir.join("manifest.csv")).unwrap(), &dir).unwrap();
    assert_eq!(manifest.len(), 32);
    let model = Model::default_model();
    let utterances: Vec<_> = manifest
        .iter()
        .map(|e| (e.speaker.clone(), embeddings(Audio::load(&e.path).unwrap().samples(), &model).unwrap()))
        .collect();
    let t = trials(&utterances, &model).unwrap();
    // 8 speakers of 4: each enrolls 3 (each synthetic utterance has well over 50 voiced frames) and is tested on
    // the other 29.
    assert_eq!(t.len(), 8 * (32 - ENROLL_UTTERANCES));
    let speakers: Vec<&str> = manifest.iter().map(|e| e.speaker.as_str()).collect();
    let s = summarize(&t, &speakers, &plan_of(&utterances), &model);
    assert_eq!((s.genuine_trials, s.impostor_trials), (8, 224));
    // The default model was fitted on real speech only; on these synthetic voices its EER is 4.9% (S-norm).
    assert!(s.eer < 0.125, "integer EER {}", s.eer);
    assert!(s.fraction_differing <= 0.01, "{} decisions differ", s.decisions_differing);
    // The rates at the threshold are the counts of the trials.
    let fa = t.iter().filter(|x| !x.genuine && x.score_q30 >= model.threshold_q30).count();
    let fr = t.iter().filter(|x| x.genuine && x.score_q30 < model.threshold_q30).count();
    assert_eq!((s.false_accepts, s.false_rejects), (fa, fr));
    assert_eq!(s.far, fa as f64 / 224.0);
    // One row per speaker, holding its own trials.
    assert_eq!(s.speakers.len(), 8);
    assert!(s.speakers_not_enrolled.is_empty());
    for row in &s.speakers {
        assert_eq!((row.enrolled, row.genuine_trials), (3, 1), "{}", row.speaker);
        let own = t.iter().find(|x| x.genuine && x.template == row.speaker).unwrap();
        assert_eq!(row.genuine_min, Some(own.score_q30 as f64 / (1u64 << 30) as f64));
        let worst = t.iter().filter(|x| !x.genuine && x.template == row.speaker).map(|x| x.score_q30).max().unwrap();
        assert_eq!(row.worst_impostor.as_ref().unwrap().1, worst as f64 / (1u64 << 30) as f64);
    }
    assert_eq!(s.speakers.iter().map(|r| r.false_accepts).sum::<usize>(), fa);
}

/// `--trial-recordings 2`: each trial pools two recordings of a speaker outside its enrollment; its integer
/// embedding is the embedding of the two recordings' frames pooled, and the rest of the protocol is unchanged.
#[test]
fn trials_of_two_recordings_pool_their_voiced_frames() {
    let dir = speech();
    let manifest = parse_manifest(&std::fs::read_to_string(dir.join("manifest.csv")).unwrap(), &dir).unwrap();
    let model = Model::default_model();
    // Every fixture twice: 8 speakers of 8 recordings, each enrolling 3 and leaving 5 (two groups of two).
    let twice: Vec<_> = manifest.iter().chain(&manifest).collect();
    let audio: Vec<Vec<i16>> = twice.iter().map(|e| Audio::load(&e.path).unwrap().samples().to_vec()).collect();
    let utterances: Vec<_> =
        twice.iter().zip(&audio).map(|(e, a)| (e.speaker.clone(), embeddings(a, &model).unwrap())).collect();
    let (one, singles) = group_trials(&utterances, 1, &model).unwrap();
    assert_eq!(one, trials(&utterances, &model).unwrap(), "one recording per trial is the protocol itself");
    assert_eq!(singles.len(), utterances.len());
    let (t, groups) = group_trials(&utterances, 2, &model).unwrap();
    assert_eq!(groups.len(), 16);
    assert_eq!(t.len(), 8 * 16);
    assert_eq!(t.iter().filter(|x| x.genuine).count(), 16);
    for g in &groups {
        assert_eq!(g.len(), 2);
        assert_eq!(twice[g[0]].speaker, twice[g[1]].speaker);
    }
    // A group's integer embedding is that of both recordings' frames pooled.
    let frames: Vec<_> = groups[0].iter().flat_map(|&i| stark_frames::fixed::frame_values(&audio[i])).collect();
    let stats = stark_frames::fixed::pooled::pooled_stats(&frames, model.embedding.voicing_threshold_q24);
    let u = decision::embedding::unit(&model.embed(&stats).unwrap()).unwrap();
    let plan = plan_of(&utterances);
    let first = &t[0];
    assert_eq!(first.utterance, 0);
    let e = plan.iter().find(|e| e.speaker == first.template).unwrap();
    let zs: Vec<_> = e.utterances.iter().map(|&i| utterances[i].1.z).collect();
    let template = decision::template::template_unit(&zs).unwrap();
    let scored = model.score(&model.side(u).unwrap(), &model.side(template).unwrap(), stats.count).unwrap();
    assert_eq!(first.score_q30, scored);
    let speakers: Vec<&str> = twice.iter().map(|e| e.speaker.as_str()).collect();
    let s = summarize(&t, &speakers, &plan, &model);
    assert_eq!((s.genuine_trials, s.impostor_trials), (16, 112));
    assert!(s.speakers.iter().all(|r| r.enrolled == 3 && r.genuine_trials == 2), "{:?}", s.speakers);
    assert!(s.fraction_differing <= 0.02, "{} decisions differ", s.decisions_differing);
}

#[test]
fn manifests_are_checked() {
    let base = PathBuf::from("/m");
    assert!(parse_manifest("path,speaker\na,b\n", &base).is_err());
    assert!(parse_manifest("speaker\na\n", &base).is_err());
    let more = parse_manifest("speaker,path,seconds\nalice,a.wav,1.5\n", &base).unwrap();
    assert_eq!(more[0].path, PathBuf::from("/m/a.wav"), "columns after path are ignored");
    assert!(parse_manifest("speaker,path\nonlyone\n", &base).is_err());
    let m = parse_manifest("speaker,path\n\nalice, a.wav\nbob,/abs/b.wav\n", &base).unwrap();
    assert_eq!(m[0].speaker, "alice");
    assert_eq!(m[0].path, PathBuf::from("/m/a.wav"));
    assert_eq!(m[1].path, PathBuf::from("/abs/b.wav"));
}
