//! Native MFCC throughput (frames per second): the integer pipeline that the
//! proofs reproduce, the f64 oracle, and the audio commitment.
//!
//! Run: `cargo bench -p voizk-benches --bench mfcc`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use stark_frames::{commitment, fixed, oracle, Audio};

fn fixture() -> Audio {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    Audio::load(path).expect("fixture")
}

fn bench_mfcc(c: &mut Criterion) {
    let audio = fixture();
    let mut group = c.benchmark_group("mfcc");
    group.throughput(Throughput::Elements(audio.num_frames() as u64));
    group.bench_function("integer", |b| b.iter(|| fixed::mfcc(audio.samples())));
    group.bench_function("f64_oracle", |b| b.iter(|| oracle::mfcc(audio.samples())));
    group.finish();

    let mut group = c.benchmark_group("h_audio");
    group.throughput(Throughput::Elements(audio.len() as u64));
    group.bench_function("poseidon_sponge", |b| b.iter(|| commitment::commit_audio(audio.samples())));
    group.finish();
}

criterion_group!(benches, bench_mfcc);
criterion_main!(benches);
