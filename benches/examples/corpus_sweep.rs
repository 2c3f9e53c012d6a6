//! A witness-level sweep over a corpus of recordings: for every file of a manifest, the chunk trace of the
//! default prover (one chunk of the smallest size in 256, 512, ..., 4 096 frames that holds it, as the
//! size ladder proves it) is generated, every constraint is checked on every row (`check::violations`; no
//! proof), the trace's witnesses are compared with the integer reference frame by frame, and the last
//! digest with `h_audio`. Also the integer MFCCs' error against the f64 oracle over the whole corpus.
//!
//! Run: `cargo run --release -p voizk-benches --example corpus_sweep -- MANIFEST.csv` (the manifest's first
//! two columns are `speaker,path`, paths relative to the manifest; `fixtures/real/build_corpus.sh` makes one).
//! A file the CLI refuses (not 16 kHz mono 16-bit, shorter than a frame) is counted apart; a trace that
//! cannot be generated, breaks a constraint or differs from the reference is a failure, listed.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use plonky2::field::types::{Field, PrimeField64};
use rayon::prelude::*;
use stark_frames::chunk::check::violations;
use stark_frames::chunk::config::{D, F};
use stark_frames::chunk::public::ChunkPublicInputs;
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::chunk::trace::ChunkTrace;
use stark_frames::commitment::commit_audio;
use stark_frames::params::HOP;
use stark_frames::{fixed, oracle, Audio};

/// The smallest ladder size that holds `hops` hops.
fn ladder_size(hops: usize) -> usize {
    hops.next_power_of_two().max(256)
}

/// Checks one recording; `Ok(frames)` or the first problem.
fn check(samples: &[i16], errors: &mut Vec<f32>) -> Result<usize, String> {
    let k = ladder_size(samples.len().div_ceil(HOP));
    let stark = ChunkStark::<F, D>::new(k);
    let trace = std::panic::catch_unwind(|| ChunkTrace::<F>::generate(samples, 0, k, stark.height()))
        .map_err(|_| "trace generation panicked".to_string())?;
    if let Some(v) = violations(&stark, &trace.rows, &trace.public_inputs, 1).first() {
        return Err(format!("constraint {} fails on row {}", v.constraint, v.row));
    }
    let reference = fixed::witnesses(samples);
    // The trace holds a witness per row of the chunk; the recording's frames are the first ones.
    if trace.frames.get(..reference.len()) != Some(&reference[..]) {
        return Err("the trace's witnesses differ from the integer reference".into());
    }
    let pis: &ChunkPublicInputs<F> = std::borrow::Borrow::borrow(&trace.public_inputs[..]);
    let h = commit_audio(samples).0.map(|x| F::from_canonical_u64(x.to_canonical_u64()));
    if pis.digest != h {
        return Err("the digest is not h_audio".into());
    }
    let real = oracle::mfcc(samples);
    for (w, r) in reference.iter().zip(&real) {
        errors.extend((0..13).map(|c| (fixed::q24_to_f64(w.mfcc[c]) - r[c]).abs() as f32));
    }
    Ok(reference.len())
}

fn main() {
    let manifest = PathBuf::from(std::env::args().nth(1).expect("usage: corpus_sweep MANIFEST.csv"));
    let dir = manifest.parent().unwrap_or(Path::new(".")).to_path_buf();
    let text = std::fs::read_to_string(&manifest).expect("read the manifest");
    let files: Vec<PathBuf> = text.lines().skip(1).filter_map(|l| l.split(',').nth(1)).map(|p| dir.join(p)).collect();
    let start = Instant::now();
    let done = AtomicUsize::new(0);
    let refused = Mutex::new(Vec::new());
    let failed = Mutex::new(Vec::new());
    let frames = AtomicUsize::new(0);
    let loud = AtomicUsize::new(0);
    let all_errors = Mutex::new(Vec::<f32>::new());
    files.par_iter().for_each(|path| {
        match Audio::load(path) {
            Err(e) => refused.lock().unwrap().push(format!("{}: {e}", path.display())),
            Ok(audio) => {
                let mut errors = Vec::new();
                match check(audio.samples(), &mut errors) {
                    Ok(n) => {
                        frames.fetch_add(n, Ordering::Relaxed);
                        all_errors.lock().unwrap().extend(errors);
                    }
                    Err(e) => failed.lock().unwrap().push(format!("{}: {e}", path.display())),
                }
                let energy = fixed::witnesses(audio.samples())
                    .iter()
                    .map(|w| fixed::block::frame_energy(&w.preemph))
                    .max()
                    .unwrap_or(0);
                if energy >= 1 << 46 {
                    loud.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
        let n = done.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(500) {
            eprintln!("{n} of {} files, {:.0} s", files.len(), start.elapsed().as_secs_f64());
        }
    });
    let (refused, failed) = (refused.into_inner().unwrap(), failed.into_inner().unwrap());
    let mut errors = all_errors.into_inner().unwrap();
    errors.sort_by(f32::total_cmp);
    let q = |p: f64| errors.get(((errors.len().max(1) - 1) as f64 * p).round() as usize).copied().unwrap_or(f32::NAN);
    println!("manifest: {}", manifest.display());
    println!(
        "files: {} checked, {} failing, {} refused by the input rules; {} with a frame of energy >= 2^46",
        files.len() - refused.len(),
        failed.len(),
        refused.len(),
        loud.load(Ordering::Relaxed)
    );
    println!("frames checked: {}", frames.load(Ordering::Relaxed));
    println!(
        "|integer - f64| over {} values: median {:.2e}, p99 {:.2e}, p99.9 {:.2e}, max {:.2e}",
        errors.len(),
        q(0.5),
        q(0.99),
        q(0.999),
        q(1.0)
    );
    println!("time: {:.0} s", start.elapsed().as_secs_f64());
    for line in failed.iter().chain(&refused).take(20) {
        println!("  {line}");
    }
    if !failed.is_empty() {
        std::process::exit(1);
    }
}
