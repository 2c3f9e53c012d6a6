//! voizk zero-knowledge patch (`VOIZK_PATCHES.md`, "Zero knowledge"): hooks for tests of zero knowledge.
//! Nothing here runs unless a test calls it; proofs made through [`prove_with_frozen_challenger`] verify
//! only against the frozen challenges ([`verify_with_frozen_challenges`]).

use core::cell::RefCell;

use anyhow::Result;

use crate::field::extension::Extendable;
use crate::fri::proof::FriProof;
use crate::hash::hash_types::RichField;
use crate::iop::challenger::Challenger;
use crate::iop::witness::PartitionWitness;
use crate::plonk::circuit_data::{
    CommonCircuitData, ProverOnlyCircuitData, VerifierOnlyCircuitData,
};
use crate::plonk::config::GenericConfig;
use crate::plonk::get_challenges::get_challenges;
use crate::plonk::proof::{Proof, ProofChallenges, ProofWithPublicInputs};
use crate::plonk::prover::{prove_with_partition_witness_and_challenger, ZkRandomness};
use crate::plonk::validate_shape::validate_proof_with_pis_shape;
use crate::plonk::verifier::verify_with_challenges;
use crate::util::timing::TimingTree;

std::thread_local! {
    /// The generator states of the quotient randomisers and of the FRI batch mask, when a test set them.
    static SEEDS: RefCell<Option<[u64; 2]>> = const { RefCell::new(None) };
}

/// Runs `f` with the zero-knowledge randomness that the prover draws on this thread (the quotient chunks'
/// randomisers `t_i` and the FRI batch mask `R`, not the witness's random rows or the Merkle salts) taken
/// from two deterministic generators seeded with `seed_quotient` and `seed_mask`, instead of the operating
/// system's. For tests that isolate one source of randomness; the values are not uniform enough for
/// anything else.
pub fn with_seeded_zk_randomness<R>(
    seed_quotient: u64,
    seed_mask: u64,
    f: impl FnOnce() -> R,
) -> R {
    let previous = SEEDS.with(|s| s.replace(Some([seed_quotient, seed_mask])));
    let out = f();
    SEEDS.with(|s| *s.borrow_mut() = previous);
    out
}

/// `n` elements from the seeded generator of `what`, if a test set one on this thread.
pub(crate) fn seeded_vec<F: RichField>(what: ZkRandomness, n: usize) -> Option<Vec<F>> {
    SEEDS.with(|s| {
        let mut seeds = s.borrow_mut();
        let state = &mut seeds.as_mut()?[what as usize];
        Some(
            (0..n)
                .map(|_| {
                    // SplitMix64.
                    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
                    let mut z = *state;
                    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                    F::from_noncanonical_u64(z ^ (z >> 31))
                })
                .collect(),
        )
    })
}

/// The prover, with a challenger that ignores the transcript: every proof of a circuit made this way draws
/// the same challenges (β, γ, α, ζ, the FRI challenges and the query indices), so that tests can compare
/// what two proofs reveal at the same points. The circuit must have `proof_of_work_bits == 0` (the frozen
/// challenger's proof-of-work response is whatever it is). The proof verifies only against the frozen
/// challenges.
pub fn prove_with_frozen_challenger<
    F: RichField + Extendable<D>,
    C: GenericConfig<D, F = F>,
    const D: usize,
>(
    prover_data: &ProverOnlyCircuitData<F, C, D>,
    common_data: &CommonCircuitData<F, D>,
    partition_witness: PartitionWitness<F>,
) -> Result<ProofWithPublicInputs<F, C, D>> {
    assert_eq!(
        common_data.config.fri_config.proof_of_work_bits, 0,
        "a frozen challenger needs a circuit without proof of work"
    );
    prove_with_partition_witness_and_challenger(
        prover_data,
        common_data,
        partition_witness,
        Challenger::new_frozen(),
        &mut TimingTree::default(),
    )
}

/// The challenges of every proof made with [`prove_with_frozen_challenger`] for this circuit.
pub fn frozen_challenges<
    F: RichField + Extendable<D>,
    C: GenericConfig<D, F = F>,
    const D: usize,
>(
    proof: &ProofWithPublicInputs<F, C, D>,
    verifier_data: &VerifierOnlyCircuitData<C, D>,
    common_data: &CommonCircuitData<F, D>,
) -> Result<ProofChallenges<F, D>> {
    let Proof {
        wires_cap,
        plonk_zs_partial_products_cap,
        quotient_polys_cap,
        openings,
        opening_proof:
            FriProof {
                commit_phase_merkle_caps,
                final_poly,
                pow_witness,
                ..
            },
    } = &proof.proof;
    get_challenges::<F, C, D>(
        Challenger::new_frozen(),
        proof.get_public_inputs_hash(),
        wires_cap,
        plonk_zs_partial_products_cap,
        quotient_polys_cap,
        openings,
        commit_phase_merkle_caps,
        final_poly,
        *pow_witness,
        &verifier_data.circuit_digest,
        common_data,
    )
}

/// plonky2's verifier with the frozen challenges ([`frozen_challenges`]) instead of the transcript's: every
/// check but Fiat-Shamir.
pub fn verify_with_frozen_challenges<
    F: RichField + Extendable<D>,
    C: GenericConfig<D, F = F>,
    const D: usize,
>(
    proof: ProofWithPublicInputs<F, C, D>,
    verifier_data: &VerifierOnlyCircuitData<C, D>,
    common_data: &CommonCircuitData<F, D>,
) -> Result<()> {
    validate_proof_with_pis_shape(&proof, common_data)?;
    let challenges = frozen_challenges(&proof, verifier_data, common_data)?;
    let public_inputs_hash = proof.get_public_inputs_hash();
    verify_with_challenges::<F, C, D>(
        proof.proof,
        public_inputs_hash,
        challenges,
        verifier_data,
        common_data,
    )
}
