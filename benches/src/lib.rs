//! Benchmarks live in `benches/benches/`, measurement programs in `benches/examples/`; this library holds
//! what the programs share.

use recursion::report::LayerReport;
use stark_frames::Audio;

/// The samples of `fixtures/speech/NAME`.
pub fn fixture(name: &str) -> Vec<i16> {
    let path = format!("{}/../fixtures/speech/{name}", env!("CARGO_MANIFEST_DIR"));
    Audio::load(path).expect("fixture").samples().to_vec()
}

/// Prints one proof run as a markdown table, one row per layer, then the totals: time from WAV to root
/// (`prove_secs` for `audio_secs` of audio), root verification time and root proof size.
pub fn print_root_run(layers: &[LayerReport], prove_secs: f64, audio_secs: f64, verify_secs: f64, root_bytes: usize) {
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
    println!(
        "WAV to root: {prove_secs:.1} s ({:.2} s per s of audio); root verify {:.1} ms; root proof {root_bytes} B",
        prove_secs / audio_secs,
        verify_secs * 1e3,
    );
}
