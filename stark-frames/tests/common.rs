//! Shared helpers for the fixture tests.
#![allow(dead_code)]

use std::path::PathBuf;

use stark_frames::Audio;

/// The repository's `fixtures/` folder.
pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

/// The WAV files of a folder of `fixtures/` (sorted), at least `min` of them.
fn wavs_in(folder: &str, min: usize) -> Vec<PathBuf> {
    let mut wavs: Vec<PathBuf> = std::fs::read_dir(fixtures().join(folder))
        .unwrap_or_else(|e| panic!("fixtures/{folder}: {e}"))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "wav"))
        .collect();
    wavs.sort();
    assert!(wavs.len() >= min, "expected the {folder} fixtures, found {}", wavs.len());
    wavs
}

/// Every speech fixture (sorted).
pub fn speech_wavs() -> Vec<PathBuf> {
    wavs_in("speech", 18)
}

/// Every real recording committed under `fixtures/real/` (sorted).
pub fn real_wavs() -> Vec<PathBuf> {
    wavs_in("real", 4)
}

/// Loads a fixture that must be valid.
pub fn load(path: &std::path::Path) -> Audio {
    Audio::load(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Reads a reference CSV written by `fixtures/gen_reference.py`.
pub fn reference_csv(stem: &str) -> Vec<[f64; 13]> {
    let path = fixtures().join("reference").join(format!("{stem}.csv"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("c0,c1,c2,c3,c4,c5,c6,c7,c8,c9,c10,c11,c12"));
    lines
        .map(|l| {
            let v: Vec<f64> = l.split(',').map(|x| x.parse().unwrap()).collect();
            v.try_into().expect("13 columns")
        })
        .collect()
}

/// Proves a chunk trace (possibly corrupted or forged) with these public inputs and verifies the proof
/// (`chunk_config`); true when the result is a verified proof. A prover panic counts as rejection.
pub fn proves_and_verifies(
    stark: stark_frames::chunk::stark::ChunkStark<stark_frames::chunk::config::F, 2>,
    trace: stark_frames::chunk::trace::ChunkTrace<stark_frames::chunk::config::F>,
    pis: Vec<stark_frames::chunk::config::F>,
) -> bool {
    use plonky2::util::timing::TimingTree;
    use stark_frames::chunk::config::{chunk_config, C, D, F};
    let polys = trace.into_polys();
    let result = std::panic::catch_unwind(move || {
        let config = chunk_config();
        starky::prover::prove::<F, C, _, D>(stark, &config, polys, &pis, None, &mut TimingTree::default())
            .and_then(|p| starky::verifier::verify_stark_proof(stark, p, &config, None))
    });
    matches!(result, Ok(Ok(())))
}
