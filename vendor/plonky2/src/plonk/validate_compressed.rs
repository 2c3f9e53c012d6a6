//! voizk patch (issue 17): the shape a compressed proof must have before it is decompressed. plonky2 1.1.0's
//! decompression indexes the proof's maps by the query indices and takes Merkle siblings with `unwrap`, so a
//! malformed compressed proof made the verifier panic (found by `fuzz/fuzz_targets/verify.rs`). With this check a
//! malformed proof is an error; and since every map entry and every sibling must be the one decompression uses, a
//! compressed proof has no second encoding (no unused entry, no extra sibling).

use std::collections::{HashMap, HashSet};

use anyhow::{anyhow, ensure};

use crate::field::extension::Extendable;
use crate::hash::hash_types::RichField;
use crate::hash::merkle_proofs::MerkleProof;
use crate::hash::merkle_tree::MerkleCap;
use crate::plonk::circuit_data::CommonCircuitData;
use crate::plonk::config::{GenericConfig, Hasher};
use crate::plonk::plonk_common::salt_size;
use crate::plonk::proof::{CompressedProofWithPublicInputs, ProofChallenges};
use crate::plonk::validate_shape::validate_openings_shape;

/// Checks everything decompression and `get_inferred_elements` read: caps, openings, the FRI commit phase, one
/// initial-tree proof of the instance's shape per query index, one step with `arity - 1` evaluations per coset a
/// query reaches, and exactly the Merkle siblings decompression takes.
pub(crate) fn validate_compressed_proof_shape<F, C, const D: usize>(
    proof: &CompressedProofWithPublicInputs<F, C, D>,
    challenges: &ProofChallenges<F, D>,
    common_data: &CommonCircuitData<F, D>,
) -> anyhow::Result<()>
where
    F: RichField + Extendable<D>,
    C: GenericConfig<D, F = F>,
{
    ensure!(proof.public_inputs.len() == common_data.num_public_inputs, "wrong number of public inputs");
    let p = &proof.proof;
    let params = &common_data.fri_params;
    let cap_height = params.config.cap_height;
    let caps_ok = |cap: &MerkleCap<F, C::Hasher>| cap.height() == cap_height;
    ensure!(caps_ok(&p.wires_cap) && caps_ok(&p.plonk_zs_partial_products_cap) && caps_ok(&p.quotient_polys_cap));
    validate_openings_shape(&p.openings, common_data)?;
    let fri = &p.opening_proof;
    let arity_bits = &params.reduction_arity_bits;
    ensure!(fri.commit_phase_merkle_caps.len() == arity_bits.len() && fri.commit_phase_merkle_caps.iter().all(caps_ok));
    ensure!(fri.final_poly.len() == params.final_poly_len(), "wrong final polynomial length");
    let rounds = &fri.query_round_proofs;
    let indices = &challenges.fri_challenges.fri_query_indices;
    ensure!(&rounds.indices == indices, "the compressed proof lists other query indices");
    ensure!(rounds.steps.len() == arity_bits.len(), "wrong number of FRI steps");

    // Initial trees: one proof per distinct query index, of the instance's oracles and leaf lengths.
    let instance = common_data.get_fri_instance(challenges.plonk_zeta);
    let leaf_len: Vec<usize> =
        instance.oracles.iter().map(|o| o.num_polys + salt_size(o.blinding && params.hiding)).collect();
    let lde_bits = params.lde_bits();
    let mut initial = Vec::with_capacity(indices.len());
    for &i in indices {
        let t = rounds.initial_trees_proofs.get(&i).ok_or_else(|| anyhow!("no initial tree proof for query {i}"))?;
        ensure!(t.evals_proofs.len() == leaf_len.len(), "wrong number of initial trees");
        for ((leaf, _), &len) in t.evals_proofs.iter().zip(&leaf_len) {
            ensure!(leaf.len() == len, "wrong initial leaf length");
        }
        initial.push(t);
    }
    ensure!(rounds.initial_trees_proofs.len() == distinct(indices), "unused initial tree proofs");
    for tree in 0..leaf_len.len() {
        let proofs: Vec<&MerkleProof<F, C::Hasher>> = initial.iter().map(|t| &t.evals_proofs[tree].1).collect();
        siblings_exact(indices, &proofs, lde_bits, cap_height)?;
    }

    // Steps: at depth `d`, one step per distinct coset the queries reach, with `arity - 1` evaluations.
    let mut cosets = indices.clone();
    let mut height = lde_bits;
    for (d, &bits) in arity_bits.iter().enumerate() {
        cosets.iter_mut().for_each(|c| *c >>= bits);
        height -= bits;
        let mut proofs = Vec::with_capacity(cosets.len());
        for c in &cosets {
            let step = rounds.steps[d].get(c).ok_or_else(|| anyhow!("no FRI step {d} for coset {c}"))?;
            ensure!(step.evals.len() == (1 << bits) - 1, "wrong number of FRI step evaluations");
            proofs.push(&step.merkle_proof);
        }
        ensure!(rounds.steps[d].len() == distinct(&cosets), "unused FRI steps");
        siblings_exact(&cosets, &proofs, height, cap_height)?;
    }
    Ok(())
}

fn distinct(indices: &[usize]) -> usize {
    indices.iter().collect::<HashSet<_>>().len()
}

/// `decompress_merkle_proofs` takes, layer by layer and leaf by leaf, each sibling not yet known from the leaves
/// and the nodes computed so far, from that leaf's compressed proof: each distinct leaf's proof must hold exactly
/// that many (a repeated leaf's proof is the same map entry, and takes none).
fn siblings_exact<F: RichField, H: Hasher<F>>(
    leaves: &[usize],
    proofs: &[&MerkleProof<F, H>],
    height: usize,
    cap_height: usize,
) -> anyhow::Result<()> {
    ensure!(height >= cap_height, "tree below its cap");
    let num_leaves = 1usize << height;
    let mut seen: HashSet<usize> = leaves.iter().map(|&i| i + num_leaves).collect();
    let mut needed = vec![0usize; leaves.len()];
    for layer in 0..height - cap_height {
        for (j, &i) in leaves.iter().enumerate() {
            let index = (i + num_leaves) >> layer;
            if seen.insert(index ^ 1) {
                needed[j] += 1;
            }
            seen.insert(index >> 1);
        }
    }
    let mut first: HashMap<usize, usize> = HashMap::new();
    for (j, &i) in leaves.iter().enumerate() {
        first.entry(i).or_insert(j);
    }
    for (&i, &j) in &first {
        ensure!(proofs[j].siblings.len() == needed[j], "leaf {i}: wrong number of compressed Merkle siblings");
    }
    Ok(())
}
