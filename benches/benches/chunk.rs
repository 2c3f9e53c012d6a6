//! Chunk STARK proving: trace generation and proof for chunks of K frames.
//!
//! Run: `cargo bench -p voizk-benches --bench chunk`. Before measuring it prints,
//! per K, the trace shape (columns incl. lookup helpers, rows) and the proof size.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use stark_frames::chunk::config::{chunk_config, C, D, F};
use stark_frames::chunk::prover::prove_chunk;
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::chunk::trace::ChunkTrace;
use stark_frames::Audio;
use starky::stark::Stark;

fn fixture() -> Audio {
    // 2.5 s of speech (251 frames): 4 chunks of 64 frames, 2 of 128, 1 of 256 or 512.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/speech/flite_awb_1.wav");
    Audio::load(path).expect("fixture")
}

fn bench_chunk(c: &mut Criterion) {
    let audio = fixture();
    let mut group = c.benchmark_group("chunk");
    group.sample_size(10);
    for frames in [16usize, 32, 64, 128, 256, 512] {
        let stark = ChunkStark::<F, D>::new(frames);
        let helpers = stark.num_lookup_helper_columns(&chunk_config());
        let size = prove_chunk(audio.samples(), frames, 0).expect("prove").to_bytes().len();
        println!(
            "K={frames}: trace {} columns + {helpers} lookup helper columns, {} rows; proof {size} bytes",
            <ChunkStark<F, D> as Stark<F, D>>::COLUMNS,
            stark.height()
        );
        group.throughput(Throughput::Elements(frames as u64));
        group.bench_with_input(BenchmarkId::new("trace", frames), &frames, |b, &k| {
            b.iter(|| ChunkTrace::<F>::generate(audio.samples(), 0, k, stark.height()))
        });
        group.bench_with_input(BenchmarkId::new("prove", frames), &frames, |b, &k| {
            b.iter(|| prove_chunk(audio.samples(), k, 0).expect("prove"))
        });
    }
    group.finish();
    let _ = std::marker::PhantomData::<C>;
}

criterion_group!(benches, bench_chunk);
criterion_main!(benches);
