//! The integer pipeline meets its accuracy target against the f64 oracle:
//! 99th percentile of |integer - f64| over all 13 coefficients of every frame
//! of every speech fixture at most 0.05.

mod common;

use stark_frames::{fixed, oracle};

#[test]
fn integer_mfcc_within_target_of_oracle() {
    let mut errors: Vec<f64> = Vec::new();
    let mut per_coeff_max = [0f64; 13];
    let mut worst = (0.0f64, String::new());
    for wav in common::speech_wavs() {
        let stem = wav.file_stem().unwrap().to_str().unwrap().to_string();
        let audio = common::load(&wav);
        let int = fixed::mfcc(audio.samples());
        let real = oracle::mfcc(audio.samples());
        assert_eq!(int.len(), real.len());
        for (f, (i, r)) in int.iter().zip(&real).enumerate() {
            for c in 0..13 {
                let err = (fixed::q24_to_f64(i[c]) - r[c]).abs();
                errors.push(err);
                per_coeff_max[c] = per_coeff_max[c].max(err);
                if err > worst.0 {
                    worst = (err, format!("{stem} frame {f} c{c}"));
                }
            }
        }
    }
    errors.sort_by(f64::total_cmp);
    let p = |q: f64| errors[((errors.len() - 1) as f64 * q).round() as usize];
    println!(
        "{} values: median {:.2e}, p99 {:.2e}, p99.9 {:.2e}, max {:.2e} at {}",
        errors.len(),
        p(0.5),
        p(0.99),
        p(0.999),
        worst.0,
        worst.1
    );
    println!("max per coefficient: {:?}", per_coeff_max.map(|e| format!("{e:.1e}")));
    assert!(p(0.99) <= 0.05, "p99 error {} exceeds 0.05", p(0.99));
}
