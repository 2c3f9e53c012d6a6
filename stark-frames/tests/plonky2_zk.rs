//! voizk's zero-knowledge patch of plonky2 (`vendor/plonky2/VOIZK_PATCHES.md`, "Zero knowledge"): tests.

mod common;

use plonky2::field::goldilocks_field::GoldilocksField as F;
use plonky2::field::extension::FieldExtension;
use plonky2::field::types::Field;
use plonky2::iop::target::Target;
use plonky2::iop::generator::generate_partial_witness;
use plonky2::iop::witness::{PartialWitness, PartitionWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData};
use plonky2::plonk::config::PoseidonGoldilocksConfig;
use plonky2::plonk::proof::{ProofWithPublicInputs, ProofWithPublicInputsTarget};
use plonky2::plonk::prover::prove_with_partition_witness;
use plonky2::util::timing::TimingTree;

const D: usize = 2;
type C = PoseidonGoldilocksConfig;

/// 64-bit FNV-1a, for short fingerprints of byte strings in the regression test.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3))
}

/// Runs `f` on a rayon pool of one thread. plonky2's proof-of-work search (`find_any` over the candidates)
/// returns whichever thread finds a witness first; on one thread the search order, and so every proof that is
/// not zero-knowledge, is fixed.
fn one_thread<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("a pool").install(f)
}

/// A small circuit: private `x`, `y`; public `x^2 + x*y + 7`, `y^3`, `x + y`; a range check on `y` and a copy
/// constraint between two routed computations of `x * y`. `x` and `y` are the witness.
struct Small {
    data: CircuitData<F, C, D>,
    x: Target,
    y: Target,
}

fn small(config: CircuitConfig) -> Small {
    let mut b = CircuitBuilder::<F, D>::new(config);
    let x = b.add_virtual_target();
    let y = b.add_virtual_target();
    let xx = b.mul(x, x);
    let xy = b.mul(x, y);
    let yx = b.mul(y, x);
    b.connect(xy, yx);
    let s = b.add(xx, xy);
    let seven = b.constant(F::from_canonical_u64(7));
    let out = b.add(s, seven);
    let y3 = b.exp_u64(y, 3);
    let sum = b.add(x, y);
    b.range_check(y, 20);
    b.register_public_input(out);
    b.register_public_input(y3);
    b.register_public_input(sum);
    Small { data: b.build::<C>(), x, y }
}

fn witness(s: &Small, x: u64, y: u64) -> PartialWitness<F> {
    let mut pw = PartialWitness::new();
    pw.set_target(s.x, F::from_canonical_u64(x)).unwrap();
    pw.set_target(s.y, F::from_canonical_u64(y)).unwrap();
    pw
}

/// A circuit that verifies a proof of `inner` in-circuit (plonky2's recursive verifier).
fn recursive(inner: &CircuitData<F, C, D>, config: CircuitConfig) -> (CircuitData<F, C, D>, ProofWithPublicInputsTarget<D>) {
    let mut b = CircuitBuilder::<F, D>::new(config);
    let pt = b.add_virtual_proof_with_pis(&inner.common);
    let vk = b.constant_verifier_data(&inner.verifier_only);
    b.verify_proof::<C>(&pt, &vk, &inner.common);
    b.register_public_inputs(&pt.public_inputs);
    (b.build::<C>(), pt)
}

fn prove_recursive(
    outer: &CircuitData<F, C, D>,
    pt: &ProofWithPublicInputsTarget<D>,
    inner: &ProofWithPublicInputs<F, C, D>,
) -> ProofWithPublicInputs<F, C, D> {
    let mut pw = PartialWitness::new();
    pw.set_proof_with_pis_target(pt, inner).expect("the inner proof has the circuit's shape");
    outer.prove(pw).expect("the inner proof verifies")
}

/// The full witness of `pw` with its random values fixed. Even without zero knowledge, plonky2 fills the
/// unused wires of its public-input gate with random values (`randomize_unused_pi_wires`), so its proofs
/// are deterministic only from a fixed full witness: the values that differ between two witness generations
/// are the random ones, and they are replaced by values that depend on their index only.
fn fixed_witness<'a>(data: &'a CircuitData<F, C, D>, pw: PartialWitness<F>) -> PartitionWitness<'a, F> {
    let mut w = generate_partial_witness(pw.clone(), &data.prover_only, &data.common).unwrap();
    let again = generate_partial_witness(pw, &data.prover_only, &data.common).unwrap();
    let mut random = 0;
    for (i, (v, a)) in w.values.iter_mut().zip(&again.values).enumerate() {
        if v != a {
            *v = Some(F::from_canonical_u64(1_000_003 * i as u64 + 17));
            random += 1;
        }
    }
    assert!(random > 0, "plonky2 randomises the public-input gate's unused wires");
    w
}

/// The proof of `data` from the fixed full witness of `pw`, on one thread: a function of the circuit and
/// `pw` only (without zero knowledge).
fn deterministic_proof(data: &CircuitData<F, C, D>, pw: PartialWitness<F>) -> ProofWithPublicInputs<F, C, D> {
    let w = fixed_witness(data, pw);
    one_thread(|| prove_with_partition_witness(&data.prover_only, &data.common, w, &mut TimingTree::default()))
        .expect("proves")
}

/// Non-zero-knowledge proofs are unchanged by the patch, byte for byte: the circuit digests and the proofs
/// (plain and compressed) of a fixed small circuit, of a circuit that verifies it recursively, and a chunk
/// STARK proof (starky), against fingerprints computed with the unpatched plonky2 (commit 25b911f).
#[test]
fn non_zero_knowledge_proofs_are_unchanged() {
    let got = {
        let s = small(CircuitConfig::standard_recursion_config());
        let proof = deterministic_proof(&s.data, witness(&s, 123_456, 789));
        s.data.verify(proof.clone()).unwrap();
        let compressed = s.data.compress(proof.clone()).unwrap();
        let (outer, pt) = recursive(&s.data, CircuitConfig::standard_recursion_config());
        let mut pw = PartialWitness::new();
        pw.set_proof_with_pis_target(&pt, &proof).unwrap();
        let outer_proof = deterministic_proof(&outer, pw);
        outer.verify(outer_proof.clone()).unwrap();
        let audio = common::load(&common::fixtures().join("speech/espeak_gb_m3_2.wav"));
        let chunk = one_thread(|| stark_frames::chunk::prover::prove_chunk(audio.samples(), 64, 0)).unwrap();
        [
            ("small digest", fnv(&s.data.verifier_only.to_bytes().unwrap())),
            ("small degree", s.data.common.degree_bits() as u64),
            ("small proof", fnv(&proof.to_bytes())),
            ("small proof length", proof.to_bytes().len() as u64),
            ("small compressed", fnv(&compressed.to_bytes())),
            ("outer digest", fnv(&outer.verifier_only.to_bytes().unwrap())),
            ("outer degree", outer.common.degree_bits() as u64),
            ("outer proof", fnv(&outer_proof.to_bytes())),
            ("chunk proof", fnv(&chunk.to_bytes())),
        ]
    };
    for (what, value) in &got {
        println!("(\"{what}\", {value:#x}),");
    }
    let expected: [(&str, u64); 9] = [
        ("small digest", 0xed7b3a2fb547fe3),
        ("small degree", 0x3),
        ("small proof", 0xec2ac3bb1b42864e),
        ("small proof length", 0x11248),
        ("small compressed", 0x7408776c233602ed),
        ("outer digest", 0x4db4af1079caafb),
        ("outer degree", 0xc),
        ("outer proof", 0x4990fe9d110e64cc),
        ("chunk proof", 0x9ed7cdb538475d78),
    ];
    assert_eq!(got, expected);
}

type FE = <F as plonky2::field::extension::Extendable<D>>::Extension;

/// The zero-knowledge configuration of the tests with frozen challenges: voizk's final circuit's
/// (`standard_recursion_zk_config`) without proof of work.
fn frozen_config() -> CircuitConfig {
    let mut config = CircuitConfig::standard_recursion_zk_config();
    config.fri_config.proof_of_work_bits = 0;
    config
}

/// Every opened value of a proof that depends on the witness, by name: the openings at ζ and gζ, and per
/// query the unsalted leaves of oracles 1-3 (wires, Z and partial products, quotient chunks and mask), the
/// FRI layer values, and the final polynomial. Base-field values are embedded in the extension.
fn witness_dependent_values(proof: &ProofWithPublicInputs<F, C, D>) -> Vec<(String, Vec<FE>)> {
    let o = &proof.proof.openings;
    let mut out = vec![
        ("wires(ζ)".to_string(), o.wires.clone()),
        ("Z(ζ)".to_string(), o.plonk_zs.clone()),
        ("Z(gζ)".to_string(), o.plonk_zs_next.clone()),
        ("partial products(ζ)".to_string(), o.partial_products.clone()),
        ("quotient chunks(ζ)".to_string(), o.quotient_polys.clone()),
    ];
    let fri = &proof.proof.opening_proof;
    for (q, round) in fri.query_round_proofs.iter().enumerate() {
        for (oracle, name) in [(1, "wires"), (2, "Z and partial products"), (3, "quotient chunks and mask")] {
            let leaf = &round.initial_trees_proof.evals_proofs[oracle].0;
            let unsalted = &leaf[..leaf.len() - plonky2::fri::oracle::SALT_SIZE];
            out.push((format!("query {q}: {name} leaf"), unsalted.iter().map(|&x| <FE as FieldExtension<D>>::from_basefield(x)).collect()));
        }
        for (i, step) in round.steps.iter().enumerate() {
            out.push((format!("query {q}: FRI layer {i}"), step.evals.clone()));
        }
    }
    out.push(("FRI final polynomial".to_string(), fri.final_poly.coeffs.clone()));
    out
}

/// The public openings (constants and sigmas at ζ), which no witness changes.
fn public_values(proof: &ProofWithPublicInputs<F, C, D>) -> Vec<FE> {
    [proof.proof.openings.constants.clone(), proof.proof.openings.plonk_sigmas.clone()].concat()
}

/// The values of `a` and `b` that are equal, by name and position (`a` and `b` have the same shape).
fn shared_values(a: &[(String, Vec<FE>)], b: &[(String, Vec<FE>)]) -> Vec<String> {
    assert_eq!(a.len(), b.len());
    let mut shared = vec![];
    for ((name, x), (name_b, y)) in a.iter().zip(b) {
        assert_eq!(name, name_b);
        assert_eq!(x.len(), y.len(), "{name}");
        shared.extend(x.iter().zip(y).enumerate().filter(|(_, (u, v))| u == v).map(|(i, _)| format!("{name}[{i}]")));
    }
    shared
}

/// The shape that the patch gives a zero-knowledge circuit: chunks of `n - h_t` coefficients, one more per
/// challenge than without zero knowledge, and `D` mask polynomials at the end of the quotient oracle.
#[test]
fn zero_knowledge_circuits_have_the_patched_shape() {
    use plonky2::plonk::plonk_common::zk_randomness_budgets;
    assert_eq!(zk_randomness_budgets::<2>(28), (30, 34, 30));
    let s = small(CircuitConfig::standard_recursion_zk_config());
    let common = &s.data.common;
    let n = common.degree();
    assert!(common.config.zero_knowledge && common.fri_params.hiding);
    assert_eq!(common.zk_quotient_blinding(), 30);
    assert_eq!(common.quotient_chunk_len(), n - 30);
    assert_eq!(common.num_quotient_chunks(), (8 * n).div_ceil(n - 30));
    assert_eq!(common.num_quotient_polys(), 2 * common.num_quotient_chunks());
    assert_eq!(common.num_batch_mask_polys(), 2);
    let plain = small(CircuitConfig::standard_recursion_config());
    assert_eq!(plain.data.common.num_quotient_chunks(), 8);
    assert_eq!(plain.data.common.num_batch_mask_polys(), 0);
    assert_eq!(plain.data.common.quotient_chunk_len(), plain.data.common.degree());

    let proof = s.data.prove(witness(&s, 5, 6)).unwrap();
    assert_eq!(proof.proof.openings.quotient_polys.len(), common.num_quotient_polys());
    for round in &proof.proof.opening_proof.query_round_proofs {
        let leaf = &round.initial_trees_proof.evals_proofs[3].0;
        assert_eq!(leaf.len(), common.num_quotient_polys() + 2 + plonky2::fri::oracle::SALT_SIZE);
    }
}

/// The random rows of a zero-knowledge witness: exactly `h_w` rows with every wire random, and `h_Z` pairs
/// of consecutive rows with equal random routed wires (and nothing else random); the rest of the witness
/// is a function of the inputs (except the public-input gate's unused wires).
#[test]
fn the_witness_has_the_budgeted_random_rows() {
    let s = small(CircuitConfig::standard_recursion_zk_config());
    let common = &s.data.common;
    let (n, wires, routed) = (common.degree(), common.config.num_wires, common.config.num_routed_wires);
    let gen = || {
        generate_partial_witness(witness(&s, 5, 6), &s.data.prover_only, &s.data.common).unwrap().full_witness()
    };
    let (a, b) = (gen(), gen());
    let differs = |row: usize, w: usize| a.get_wire(row, w) != b.get_wire(row, w);
    let (mut regular, mut pair_rows, mut pi_rows) = (vec![], vec![], vec![]);
    for row in 0..n {
        let d: Vec<bool> = (0..wires).map(|w| differs(row, w)).collect();
        if d.iter().all(|&x| x) {
            regular.push(row);
        } else if d[..routed].iter().all(|&x| x) && !d[routed..].iter().any(|&x| x) {
            pair_rows.push(row);
        } else if d[..4].iter().all(|&x| !x) && d[4..].iter().all(|&x| x) {
            pi_rows.push(row);
        } else {
            assert!(!d.iter().any(|&x| x), "row {row} is partly random: {d:?}");
        }
    }
    assert_eq!(regular.len(), 30);
    assert_eq!(pi_rows.len(), 1);
    assert_eq!(pair_rows.len(), 2 * 34);
    for pair in pair_rows.chunks(2) {
        assert_eq!(pair[1], pair[0] + 1, "pairs are consecutive rows");
        for w in 0..routed {
            assert_eq!(a.get_wire(pair[0], w), a.get_wire(pair[1], w), "copy-constrained pair");
        }
    }
}

/// `zk_randomize_quotient_chunks`: the chunks recombine to the quotient exactly, each has `n` coefficients
/// (below FRI's degree bound), and each randomiser moves two chunks only, by `+X^c t_i` and `-t_i`.
#[test]
fn quotient_chunks_recombine_and_carry_their_own_randomisers() {
    use plonky2::field::polynomial::PolynomialCoeffs;
    use plonky2::field::types::Sample;
    use plonky2::plonk::plonk_common::zk_randomize_quotient_chunks;
    let (n, h) = (128usize, 30usize);
    let c = n - h;
    for len in [8 * n, 8 * n - 8, c + 1, 2 * c] {
        let t = PolynomialCoeffs::new(F::rand_vec(len));
        let k = len.div_ceil(c);
        let ts: Vec<Vec<F>> = (0..k - 1).map(|_| F::rand_vec(h)).collect();
        let chunks = zk_randomize_quotient_chunks(&t, c, n, &ts);
        assert_eq!(chunks.len(), k);
        let mut sum = vec![F::ZERO; k * c + h];
        for (i, q) in chunks.iter().enumerate() {
            assert_eq!(q.len(), n);
            for (j, &x) in q.coeffs.iter().enumerate() {
                sum[i * c + j] += x;
            }
        }
        assert_eq!(&sum[..len], &t.coeffs[..]);
        assert!(sum[len..].iter().all(|x| x.is_zero()));
        // Without randomisers the chunks are the plain pieces: the randomisers are what the chunks differ by.
        let zero: Vec<Vec<F>> = (0..k - 1).map(|_| vec![F::ZERO; h]).collect();
        let plain = zk_randomize_quotient_chunks(&t, c, n, &zero);
        for (i, (q, p)) in chunks.iter().zip(&plain).enumerate() {
            for j in 0..n {
                let mut expected = F::ZERO;
                if i + 1 < k && j >= c {
                    expected += ts[i][j - c];
                }
                if i > 0 && j < h {
                    expected -= ts[i - 1][j];
                }
                assert_eq!(q.coeffs[j] - p.coeffs[j], expected, "chunk {i}, coefficient {j}");
            }
        }
    }
}

/// (a) Honest zero-knowledge proofs verify: plain, serialised, compressed, decompressed, and in-circuit (a
/// circuit that verifies a zero-knowledge proof, itself without and with zero knowledge).
#[test]
fn zero_knowledge_proofs_verify() {
    let s = small(CircuitConfig::standard_recursion_zk_config());
    let proof = s.data.prove(witness(&s, 123_456, 789)).unwrap();
    s.data.verify(proof.clone()).unwrap();
    let bytes = proof.to_bytes();
    let read = ProofWithPublicInputs::<F, C, D>::from_bytes(bytes, &s.data.common).unwrap();
    assert_eq!(read, proof);
    let compressed = s.data.compress(proof.clone()).unwrap();
    s.data.verify_compressed(compressed.clone()).unwrap();
    assert_eq!(s.data.decompress(compressed).unwrap(), proof);

    for config in [CircuitConfig::standard_recursion_config(), CircuitConfig::standard_recursion_zk_config()] {
        let (outer, pt) = recursive(&s.data, config);
        let outer_proof = prove_recursive(&outer, &pt, &proof);
        outer.verify(outer_proof).unwrap();
    }
}
