//! voizk's patch of plonky2 (`vendor/plonky2/VOIZK_PATCHES.md`): Merkle trees hash their leaves eight at a
//! time (in AVX-512 lanes where the build has AVX-512F). The trees must be exactly plonky2's: every cap is
//! compared with one built leaf by leaf with the scalar hash, and the batched permutation with the scalar one
//! on random and edge-case states (lanes at and above p, all ones, tiny values).

use plonky2::field::goldilocks_field::GoldilocksField as F;
use plonky2::hash::hash_types::HashOut;
use plonky2::hash::merkle_proofs::verify_merkle_proof_to_cap;
use plonky2::hash::merkle_tree::MerkleTree;
use plonky2::hash::poseidon::PoseidonHash;
use plonky2::plonk::config::Hasher;

const ORDER: u64 = 0xffff_ffff_0000_0001;

/// Deterministic field elements of every size, including non-canonical ones (at and above p).
fn elements(seed: u64, n: usize) -> Vec<F> {
    let mut x = seed | 1;
    (0..n)
        .map(|i| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            F(match i % 16 {
                0 => ORDER + (x % 0xffff_ffff),
                1 => u64::MAX - (x % 4),
                2 => x % 3,
                _ => x,
            })
        })
        .collect()
}

#[test]
fn merkle_trees_equal_a_leaf_by_leaf_reference() {
    // (log2 leaves, leaf length, cap height): leaves hashed in batches of eight (lengths over 4), leaves that
    // fit a digest (no hash), fewer than eight leaves, a tree that is all cap.
    for (log_leaves, len, cap_height) in
        [(3, 135, 0), (6, 135, 2), (10, 17, 4), (8, 9, 3), (5, 4, 1), (2, 135, 0), (4, 12, 4)]
    {
        let n = 1usize << log_leaves;
        let leaves: Vec<Vec<F>> = (0..n).map(|i| elements((log_leaves * 1000 + len + i) as u64, len)).collect();
        let tree = MerkleTree::<F, PoseidonHash>::new(leaves.clone(), cap_height);

        let mut level: Vec<HashOut<F>> = leaves.iter().map(|l| PoseidonHash::hash_or_noop(l)).collect();
        while level.len() > 1 << cap_height {
            level = level.chunks(2).map(|pair| PoseidonHash::two_to_one(pair[0], pair[1])).collect();
        }
        assert_eq!(tree.cap.0, level, "cap of {n} leaves of {len} elements, cap height {cap_height}");
        for i in [0, n / 2 + 1, n - 1].into_iter().filter(|&i| i < n) {
            verify_merkle_proof_to_cap(leaves[i].clone(), i, &tree.cap, &tree.prove(i))
                .unwrap_or_else(|e| panic!("leaf {i} of {n} ({len} elements): {e}"));
        }
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "avx512f"))]
#[test]
fn batched_permutation_and_sponge_equal_plonkys() {
    use plonky2::hash::poseidon::{Poseidon, SPONGE_WIDTH};
    use plonky2::hash::poseidon_goldilocks_x8::{hash_no_pad_x8, permute_x8};

    for batch in 0..500u64 {
        let values = elements(0x9e37_79b9_7f4a_7c15 ^ batch, 8 * SPONGE_WIDTH);
        let mut states: [[F; SPONGE_WIDTH]; 8] =
            core::array::from_fn(|j| core::array::from_fn(|i| values[j * SPONGE_WIDTH + i]));
        if batch == 0 {
            states[0] = [F(u64::MAX); SPONGE_WIDTH];
            states[1] = [F(ORDER); SPONGE_WIDTH];
            states[2] = [F(0); SPONGE_WIDTH];
        }
        let want = states.map(<F as Poseidon>::poseidon);
        permute_x8(&mut states);
        assert_eq!(states, want, "batch {batch}");
    }
    for len in [5, 8, 9, 16, 135, 7471] {
        let rows: Vec<Vec<F>> = (0..8).map(|j| elements((len * 8 + j) as u64, len)).collect();
        let got = hash_no_pad_x8(core::array::from_fn(|j| rows[j].as_slice()));
        for (j, row) in rows.iter().enumerate() {
            assert_eq!(got[j], PoseidonHash::hash_no_pad(row).elements, "row {j} of {len} elements");
        }
    }
}

/// The vendored reader reserves at most 2^16 elements for a length read from the input: a length of 2^40 elements
/// with no elements behind it is an error, not an 8 TiB allocation that aborts the process (`VOIZK_PATCHES.md`).
#[test]
fn a_hostile_length_is_an_error_not_an_abort() {
    use plonky2::util::serialization::{Buffer, Read};
    let mut bytes = (1u64 << 40).to_le_bytes().to_vec();
    bytes.extend(7u64.to_le_bytes());
    assert!(Buffer::new(&bytes).read_usize_vec().is_err());
    assert!(Buffer::new(&bytes[8..])
        .read_field_vec::<plonky2::field::goldilocks_field::GoldilocksField>(1 << 40)
        .is_err());
}

/// A Merkle cap height of 64 read from a file is an error, not a shift overflow (found by `fuzz/fuzz_targets/verify.rs`
/// in a mutated decision key).
#[test]
fn a_hostile_cap_height_is_an_error_not_a_panic() {
    use plonky2::field::goldilocks_field::GoldilocksField;
    use plonky2::hash::poseidon::PoseidonHash;
    use plonky2::util::serialization::{Buffer, Read};
    let bytes = [0u8; 64];
    assert!(Buffer::new(&bytes).read_merkle_cap::<GoldilocksField, PoseidonHash>(64).is_err());
    assert!(Buffer::new(&bytes).read_merkle_cap::<GoldilocksField, PoseidonHash>(1).is_ok());
}

/// A hash element written as `x + p` is an error, not a debug-assertion panic or a second encoding (found by
/// `fuzz/fuzz_targets/verify.rs` in a mutated decision key).
#[test]
fn a_non_canonical_hash_is_an_error() {
    use plonky2::field::goldilocks_field::GoldilocksField;
    use plonky2::hash::poseidon::PoseidonHash;
    use plonky2::util::serialization::{Buffer, Read};
    let mut bytes = [0u8; 32];
    assert!(Buffer::new(&bytes).read_hash::<GoldilocksField, PoseidonHash>().is_ok());
    bytes[..8].copy_from_slice(&0xffff_ffff_0000_0001u64.to_le_bytes()); // p itself: 0 written as 0 + p
    assert!(Buffer::new(&bytes).read_hash::<GoldilocksField, PoseidonHash>().is_err());
}

/// A root key whose common data names a lookup table that does not exist (index 55 834 574 848 of none) is an
/// error, not an index panic in the lookup gates' deserialisers (found by `fuzz/fuzz_targets/files.rs`; the input is
/// the fuzzer's, `fixtures/malformed/root_key_lookup_index.key`). The body is read here without voizk's
/// `catch_unwind`, so a panic fails the test.
#[test]
fn a_hostile_lookup_table_index_is_an_error_not_a_panic() {
    use plonky2::plonk::circuit_data::VerifierCircuitData;
    use plonky2::plonk::config::PoseidonGoldilocksConfig;
    use plonky2::util::serialization::DefaultGateSerializer;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/malformed/root_key_lookup_index.key");
    let bytes = std::fs::read(path).unwrap();
    // voizk's framing: magic (8), version (4), header length (4), header, then plonky2's verifier data.
    assert_eq!(&bytes[..8], b"VOIZKKEY");
    let header_len = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
    let body = bytes[16 + header_len..].to_vec();
    let read = VerifierCircuitData::<F, PoseidonGoldilocksConfig, 2>::from_bytes(body, &DefaultGateSerializer);
    assert!(read.is_err());
}
