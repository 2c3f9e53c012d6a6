//! How much faster the patched plonky2's batched Poseidon (eight permutations in AVX-512 lanes,
//! `vendor/plonky2/src/hash/poseidon_goldilocks_x8.rs`) is than plonky2's scalar permutation, on one
//! thread: bare permutations, and sponge hashes of 135-element rows (a leaf circuit's wires row, the bulk of
//! its Merkle tree). Checks agreement with the scalar code on the measured inputs first.
//!
//! Run: `cargo run --release -p voizk-benches --example poseidon_x8 [BATCHES]` (default 200 000 batches of 8).

#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
fn main() {
    use std::hint::black_box;
    use std::time::Instant;

    use plonky2::field::goldilocks_field::GoldilocksField as F;
    use plonky2::field::types::Sample;
    use plonky2::hash::poseidon::{Poseidon, PoseidonHash, SPONGE_WIDTH};
    use plonky2::hash::poseidon_goldilocks_x8::{hash_no_pad_x8, permute_x8};
    use plonky2::plonk::config::Hasher;

    let batches: usize = std::env::args().nth(1).map_or(200_000, |s| s.parse().expect("BATCHES"));
    let mut states: [[F; SPONGE_WIDTH]; 8] = core::array::from_fn(|_| F::rand_array());
    let mut check = states;
    permute_x8(&mut check);
    assert_eq!(check, states.map(<F as Poseidon>::poseidon), "permute_x8 disagrees with plonky2");

    let t = Instant::now();
    for _ in 0..batches {
        for s in states.iter_mut() {
            *s = <F as Poseidon>::poseidon(black_box(*s));
        }
    }
    let scalar = t.elapsed().as_secs_f64() / (8 * batches) as f64;
    black_box(states);
    let t = Instant::now();
    for _ in 0..batches {
        permute_x8(black_box(&mut states));
    }
    let vector = t.elapsed().as_secs_f64() / (8 * batches) as f64;
    println!(
        "permutation: scalar {:.3} us, AVX-512 x8 {:.3} us per permutation: {:.2}x",
        scalar * 1e6,
        vector * 1e6,
        scalar / vector
    );

    let rows: Vec<Vec<F>> = (0..8).map(|_| F::rand_vec(135)).collect();
    let refs: [&[F]; 8] = core::array::from_fn(|j| rows[j].as_slice());
    let got = hash_no_pad_x8(refs);
    for j in 0..8 {
        assert_eq!(got[j], PoseidonHash::hash_no_pad(&rows[j]).elements, "hash_no_pad_x8 disagrees with plonky2");
    }
    let n = batches / 17;
    let t = Instant::now();
    for _ in 0..n {
        for row in &rows {
            black_box(PoseidonHash::hash_no_pad(black_box(row)));
        }
    }
    let scalar = t.elapsed().as_secs_f64() / (8 * n) as f64;
    let t = Instant::now();
    for _ in 0..n {
        black_box(hash_no_pad_x8(black_box(refs)));
    }
    let vector = t.elapsed().as_secs_f64() / (8 * n) as f64;
    println!(
        "135-element row: scalar {:.2} us, AVX-512 x8 {:.2} us per row: {:.2}x",
        scalar * 1e6,
        vector * 1e6,
        scalar / vector
    );
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "avx512f")))]
fn main() {
    eprintln!("this build has no AVX-512F: plonky2 hashes one leaf at a time here, there is nothing to compare");
}
