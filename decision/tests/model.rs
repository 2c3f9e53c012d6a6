//! The model file: parsing, validation, canonical encoding and `h_model`.

use decision::embedding::EMBED_DIM;
use decision::model::{Metric, Model, ModelError};

#[test]
fn default_model_is_valid_and_round_trips() {
    let m = Model::default_model();
    m.validate().unwrap();
    let again = Model::from_json(&m.to_json()).unwrap();
    assert_eq!(again, m);
    assert_eq!(again.h_model(), m.h_model());
    assert_eq!(m.h_model_hex().len(), 64);
}

#[test]
fn h_model_ignores_formatting_but_not_values() {
    let m = Model::default_model();
    let compact = serde_json::to_string(&m).unwrap();
    assert_eq!(Model::from_json(&compact).unwrap().h_model(), m.h_model());

    let mut changed = Vec::new();
    let mut t = m.clone();
    t.threshold_q30 += t.threshold_step();
    changed.push(t);
    let mut t = m.clone();
    t.embedding.center_q12[7] -= 1;
    changed.push(t);
    let mut t = m.clone();
    t.embedding.scale[EMBED_DIM - 1] += 1;
    changed.push(t);
    let mut t = m.clone();
    t.embedding.voicing_threshold_q24 += 1;
    changed.push(t);
    let mut t = m.clone();
    t.embedding.projection_q16.as_mut().unwrap()[24][3] += 1;
    changed.push(t);
    let mut t = m.clone();
    t.embedding.projection_q16 = None;
    changed.push(t);
    let mut t = m.clone();
    t.cohort_q15.as_mut().unwrap()[49][0] += 1;
    changed.push(t);
    let mut t = m.clone();
    t.cohort_q15.as_mut().unwrap().pop();
    changed.push(t);
    for t in changed {
        assert_ne!(t.h_model(), m.h_model(), "a changed value changes h_model");
    }
    // The calibration record says how the threshold was chosen; it is not part of the decision.
    let mut t = m.clone();
    t.calibration = None;
    assert_eq!(t.h_model(), m.h_model());
    assert!(!t.to_json().contains("calibration"), "an absent record is not written");
}

#[test]
fn invalid_models_are_refused_with_a_reason() {
    let m = Model::default_model();
    let refuse = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = serde_json::to_value(&m).unwrap();
        edit(&mut v);
        Model::from_json(&v.to_string()).unwrap_err()
    };
    let ok = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = serde_json::to_value(&m).unwrap();
        edit(&mut v);
        Model::from_json(&v.to_string()).is_ok()
    };
    assert!(matches!(refuse(&|v| v["version"] = 2.into()), ModelError::Version(2)));
    assert!(matches!(refuse(&|v| v["dsp"]["hop"] = 128.into()), ModelError::Dsp(_)));
    assert!(matches!(refuse(&|v| v["embedding"]["scale"][0] = 0.into()), ModelError::Range(_)));
    assert!(matches!(refuse(&|v| v["embedding"]["center_q12"] = serde_json::json!([1, 2])), ModelError::Range(_)));
    // The default model is S-norm: its threshold is a multiple of 2^15 of magnitude at most 32 * 2^30, and its
    // cohort holds 2 to 64 rows of 25 values in [-2^15, 2^15].
    assert_eq!(m.metric, Metric::SNormCosine);
    assert!(matches!(refuse(&|v| v["threshold_q30"] = (33i64 << 30).into()), ModelError::Range(_)));
    assert!(matches!(refuse(&|v| v["threshold_q30"] = ((1i64 << 31) + 1).into()), ModelError::Range(_)));
    let no_table = |v: &mut serde_json::Value| {
        v.as_object_mut().unwrap().remove("duration_offsets");
    };
    assert!(
        ok(&|v| {
            no_table(v);
            v["threshold_q30"] = (-(32i64 << 30)).into();
        }),
        "the bound itself"
    );
    // The duration table (the default model has one): the bound holds for the threshold plus every offset, and the
    // table's shape is checked.
    let table = |bins: serde_json::Value| move |v: &mut serde_json::Value| v["duration_offsets"] = bins.clone();
    let bin = |from: u64, offset: i64| serde_json::json!({ "from_voiced_frames": from, "offset_q30": offset });
    assert!(m.duration_offsets.as_ref().is_some_and(|t| t.len() == 4), "the default model has four bins");
    assert!(ok(&|v| {
        table(serde_json::json!([bin(1, -(1 << 30)), bin(80, 0)]))(v);
        v["threshold_q30"] = (-(31i64 << 30)).into();
    }));
    assert!(matches!(
        refuse(&|v| {
            table(serde_json::json!([bin(1, -(2 << 30)), bin(80, 0)]))(v);
            v["threshold_q30"] = (-(31i64 << 30)).into();
        }),
        ModelError::Range(_)
    ));
    for bad in [
        serde_json::json!([]),
        serde_json::json!([bin(2, 0)]),
        serde_json::json!([bin(1, 0), bin(80, 0), bin(80, 0)]),
        serde_json::json!([bin(1, 0), bin(1 << 14, 0)]),
        serde_json::json!([bin(1, 1)]),
    ] {
        assert!(matches!(refuse(&table(bad.clone())), ModelError::Range(_)), "{bad}");
    }
    assert!(matches!(
        refuse(&table(serde_json::json!([{ "from_voiced_frames": 1, "offset_q30": 0, "x": 1 }]))),
        ModelError::Json(_)
    ));
    assert!(matches!(refuse(&|v| v["cohort_q15"][3][1] = ((1 << 15) + 1).into()), ModelError::Range(_)));
    assert!(ok(&|v| v["cohort_q15"][3][1] = (-(1 << 15)).into()), "the bound itself");
    assert!(matches!(refuse(&|v| v["cohort_q15"][3] = serde_json::json!([1, 2])), ModelError::Range(_)));
    assert!(matches!(refuse(&|v| v["cohort_q15"].as_array_mut().unwrap().truncate(1)), ModelError::Range(_)));
    let rows = |n: usize| serde_json::Value::Array(vec![serde_json::json!(vec![1; EMBED_DIM]); n]);
    assert!(matches!(refuse(&|v| v["cohort_q15"] = rows(65)), ModelError::Range(_)));
    assert!(ok(&|v| v["cohort_q15"] = rows(64)), "64 rows");
    assert!(matches!(
        refuse(&|v| v.as_object_mut().unwrap().remove("cohort_q15").map(drop).unwrap()),
        ModelError::Range(_)
    ));
    // A cosine model: a threshold in [-2^30, 2^30] and no cohort.
    let cosine = |v: &mut serde_json::Value| {
        v["metric"] = "cosine".into();
        v.as_object_mut().unwrap().remove("cohort_q15");
        v["threshold_q30"] = (1i64 << 29).into();
    };
    assert!(ok(&cosine));
    assert!(matches!(
        refuse(&|v| {
            cosine(v);
            v["threshold_q30"] = ((1i64 << 30) + 1).into();
        }),
        ModelError::Range(_)
    ));
    assert!(matches!(
        refuse(&|v| {
            cosine(v);
            v["cohort_q15"] = rows(2);
        }),
        ModelError::Range(_)
    ));
    assert!(matches!(refuse(&|v| v["metric"] = "euclid".into()), ModelError::Json(_)));
    assert!(matches!(refuse(&|v| v["extra"] = 1.into()), ModelError::Json(_)));
    assert!(matches!(refuse(&|v| v["embedding"]["projection_q16"][2][2] = (65537).into()), ModelError::Range(_)));
    assert!(matches!(refuse(&|v| v["embedding"]["projection_q16"][2][2] = (-65537).into()), ModelError::Range(_)));
    assert!(ok(&|v| v["embedding"]["projection_q16"][2][2] = (-65536).into()), "the bound itself");
    assert!(matches!(
        refuse(&|v| v["embedding"]["projection_q16"][7] = serde_json::json!([1, 2, 3])),
        ModelError::Range(_)
    ));
    assert!(matches!(
        refuse(&|v| v["embedding"]["projection_q16"].as_array_mut().unwrap().truncate(24)),
        ModelError::Range(_)
    ));
    let e = Model::from_json("{").unwrap_err();
    assert!(e.to_string().starts_with("not a voizk model file"), "{e}");
}
