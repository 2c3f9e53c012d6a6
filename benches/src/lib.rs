//! Benchmarks live in `benches/benches/`, measurement programs in `benches/examples/`; this library holds
//! what the programs share.

use recursion::report::LayerReport;
use stark_frames::Audio;

/// The samples of `fixtures/speech/NAME`.
pub fn fixture(name: &str) -> Vec<i16> {
    let path = format!("{}/../fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    Audio::load(path).expect("fixture").samples().to_vec()
}

/// The speech fixtures concatenated, `flite_awb_*` first, then every other fixture by name, until at least
/// `seconds` of audio (or all of them): the recordings the experiments cut their lengths from (3.00 s is
/// `flite_awb_1.wav` followed by the first 0.48 s of `flite_awb_2.wav`).
pub fn speech(seconds: f64) -> Vec<i16> {
    let dir = format!("{}/../fixtures/speech", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".wav"))
        .collect();
    names.sort_by_key(|n| (!n.starts_with("flite_awb_"), n.clone()));
    let mut out = Vec::new();
    for name in names {
        if out.len() as f64 >= 16_000.0 * seconds {
            break;
        }
        out.extend(fixture(&name));
    }
    out
}

/// Prints the per-layer table of one proof run (markdown, one row per layer).
pub fn print_layers(layers: &[LayerReport]) {
    println!("| layer | proofs | degree | gates | build | prove | proof |");
    println!("|---|---|---|---|---|---|---|");
    for l in layers {
        println!(
            "| {} | {} | 2^{} | {} | {:.1} s | {:.2} s | {} B |",
            l.layer,
            l.proofs,
            l.degree_bits,
            l.gates.map_or_else(|| "-".into(), |g| g.to_string()),
            l.build_secs,
            l.prove_secs,
            l.proof_bytes
        );
    }
}

/// Prints one proof run as a markdown table, one row per layer, then the totals: time from WAV to root
/// (`prove_secs` for `audio_secs` of audio), root verification time and root proof size.
pub fn print_root_run(layers: &[LayerReport], prove_secs: f64, audio_secs: f64, verify_secs: f64, root_bytes: usize) {
    print_layers(layers);
    println!(
        "WAV to root: {prove_secs:.1} s ({:.2} s per s of audio); root verify {:.1} ms; root proof {root_bytes} B",
        prove_secs / audio_secs,
        verify_secs * 1e3,
    );
}
