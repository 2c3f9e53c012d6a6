//! The f64 oracle agrees with python_speech_features (Hamming window) to 1e-6
//! on every fixture, using the committed reference CSVs.

mod common;

use stark_frames::oracle;

#[test]
fn oracle_matches_python_speech_features_to_1e6() {
    let mut wavs = common::speech_wavs();
    wavs.push(common::fixtures().join("malformed/one_frame.wav"));
    let mut worst = (0.0f64, String::new());
    for wav in &wavs {
        let stem = wav.file_stem().unwrap().to_str().unwrap();
        let want = common::reference_csv(stem);
        let got = oracle::mfcc(common::load(wav).samples());
        assert_eq!(got.len(), want.len(), "{stem}: frame count");
        for (f, (g, w)) in got.iter().zip(&want).enumerate() {
            for c in 0..13 {
                let err = (g[c] - w[c]).abs();
                if err > worst.0 {
                    worst = (err, format!("{stem} frame {f} c{c}: {} vs {}", g[c], w[c]));
                }
            }
        }
    }
    println!("worst oracle error: {:.3e} at {}", worst.0, worst.1);
    assert!(worst.0 <= 1e-6, "oracle disagrees with python_speech_features: {:.3e} at {}", worst.0, worst.1);
}
