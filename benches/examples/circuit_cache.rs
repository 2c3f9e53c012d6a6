//! Would caching the leaf circuit on disk pay? Builds the leaf circuit, serialises its full circuit data
//! (prover and verifier parts, plonky2's default gate and generator serializers), reads it back, and
//! prints the sizes and times next to the build time.
//!
//! Run: `cargo run --release -p voizk-benches --example circuit_cache [FRAMES]` (default 256).

use std::time::Instant;

use plonky2::plonk::circuit_data::CircuitData;
use plonky2::util::serialization::{DefaultGateSerializer, DefaultGeneratorSerializer};
use recursion::leaf::LeafCircuit;
use stark_frames::chunk::prover::{C, D, F};

fn main() {
    let frames: usize = std::env::args().nth(1).map_or(256, |s| s.parse().expect("FRAMES"));
    let t = Instant::now();
    let leaf = LeafCircuit::build(frames).expect("leaf");
    println!("leaf K={frames}: degree 2^{}, built in {:.1?}", leaf.data().common.degree_bits(), t.elapsed());
    let generators = DefaultGeneratorSerializer::<C, D>::default();
    let t = Instant::now();
    let bytes = leaf.data().to_bytes(&DefaultGateSerializer, &generators).expect("serialise");
    println!("serialised: {} bytes in {:.1?}", bytes.len(), t.elapsed());
    let path = std::env::temp_dir().join("voizk-leaf-cache.bin");
    let t = Instant::now();
    std::fs::write(&path, &bytes).expect("write");
    println!("written to {} in {:.1?}", path.display(), t.elapsed());
    drop(bytes);
    let t = Instant::now();
    let bytes = std::fs::read(&path).expect("read");
    let data = CircuitData::<F, C, D>::from_bytes(&bytes, &DefaultGateSerializer, &generators).expect("deserialise");
    println!("read and deserialised in {:.1?}", t.elapsed());
    assert_eq!(data.verifier_only.circuit_digest, leaf.verifier_digest());
    std::fs::remove_file(&path).expect("remove");
}
