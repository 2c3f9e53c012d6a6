//! The chunk AIR's fingerprint is part of every chunk proof's transcript (`Stark::air_fingerprint`, the voizk
//! patch of starky that replaces its constraint-binding pass, `vendor/starky/VOIZK_PATCHES.md`).
//!
//! A real chunk proof verifies under the chunk STARK, and is refused by a STARK with the very same constraints,
//! columns and lookups whose fingerprint differs in one element, or which has none (starky's binding pass): the
//! challenges of the quotient depend on the fingerprint, so a proof made for one AIR identity is no proof of
//! another.

mod common;

use plonky2::field::extension::FieldExtension;
use plonky2::field::packed::PackedField;
use plonky2::field::types::{Field, Field64};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use stark_frames::chunk::config::{chunk_config, D, F};
use stark_frames::chunk::prover::prove_chunk;
use stark_frames::chunk::stark::ChunkStark;
use starky::constraint_consumer::{ConstraintConsumer, RecursiveConstraintConsumer};
use starky::lookup::Lookup;
use starky::stark::Stark;

/// The chunk STARK with another fingerprint: every other method is the chunk STARK's.
#[derive(Clone)]
struct Refingerprinted {
    inner: ChunkStark<F, D>,
    fingerprint: Option<Vec<F>>,
}

impl Stark<F, D> for Refingerprinted {
    type EvaluationFrame<FE, P, const D2: usize>
        = <ChunkStark<F, D> as Stark<F, D>>::EvaluationFrame<FE, P, D2>
    where
        FE: FieldExtension<D2, BaseField = F>,
        P: PackedField<Scalar = FE>;
    type EvaluationFrameTarget = <ChunkStark<F, D> as Stark<F, D>>::EvaluationFrameTarget;

    fn eval_packed_generic<FE, P, const D2: usize>(
        &self,
        vars: &Self::EvaluationFrame<FE, P, D2>,
        yield_constr: &mut ConstraintConsumer<P>,
    ) where
        FE: FieldExtension<D2, BaseField = F>,
        P: PackedField<Scalar = FE>,
    {
        self.inner.eval_packed_generic(vars, yield_constr)
    }

    fn eval_ext_circuit(
        &self,
        builder: &mut CircuitBuilder<F, D>,
        vars: &Self::EvaluationFrameTarget,
        yield_constr: &mut RecursiveConstraintConsumer<F, D>,
    ) {
        self.inner.eval_ext_circuit(builder, vars, yield_constr)
    }

    fn constraint_degree(&self) -> usize {
        self.inner.constraint_degree()
    }

    fn air_fingerprint(&self) -> Option<Vec<F>> {
        self.fingerprint.clone()
    }

    fn lookups(&self) -> Vec<Lookup<F>> {
        self.inner.lookups()
    }
}

fn verifies<S: Stark<F, D> + Clone>(stark: &S, proof: &stark_frames::chunk::config::StarkChunkProof) -> bool {
    starky::verifier::verify_stark_proof(stark.clone(), proof.clone(), &chunk_config(), None).is_ok()
}

#[test]
fn the_fingerprint_is_in_the_transcript() {
    let audio = common::load(&common::real_wavs()[0]);
    let proof = prove_chunk(audio.samples(), 64, 0).expect("prove").proof;
    let inner = ChunkStark::<F, D>::new(64);
    let fingerprint = inner.air_fingerprint().expect("the chunk AIR has a fingerprint");
    assert!(fingerprint.iter().all(|x| x.0 < F::ORDER), "canonical elements");

    let same = Refingerprinted { inner, fingerprint: Some(fingerprint.clone()) };
    assert!(verifies(&inner, &proof), "the honest proof verifies");
    assert!(verifies(&same, &proof), "the wrapper is the chunk STARK when the fingerprint is the same");

    for i in 0..fingerprint.len() {
        let mut other = fingerprint.clone();
        other[i] += F::ONE;
        let stark = Refingerprinted { inner, fingerprint: Some(other) };
        assert!(!verifies(&stark, &proof), "fingerprint element {i} changed: refused");
    }
    let unbound = Refingerprinted { inner, fingerprint: None };
    assert!(!verifies(&unbound, &proof), "starky's own binding pass draws other challenges: refused");
}

#[test]
fn fingerprints_differ_between_chunk_sizes() {
    let a = ChunkStark::<F, D>::new(256).air_fingerprint();
    let b = ChunkStark::<F, D>::new(512).air_fingerprint();
    let c = ChunkStark::<F, D>::new(300).air_fingerprint();
    assert_ne!(a, b);
    assert_ne!(b, c, "the same height, another frame count");
}
