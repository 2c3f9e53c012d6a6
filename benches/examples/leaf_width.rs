//! How the recursion leaf's cost grows with the width of the STARK it verifies: the floor of any chunk AIR
//! layout, measured before redesigning the AIR (issue 19's design study, `docs/PERFORMANCE.md`).
//!
//! A synthetic STARK of `W` columns, whose constraints are nearly free (column `j` of the next row is the sum
//! of columns `j` and `j + 1` of this row: one three-term constraint per column), is proven with the chunk
//! STARK's own configuration (`chunk_config`: rate 1/8, 28 queries, 16 proof-of-work bits) and verified by a
//! leaf of the chunk leaf's configuration (`leaf_config`), with an AIR fingerprint in the transcript as the
//! chunk STARK has. Its height holds as many cells as a chunk of 512 frames (`512 x 6 049`, rounded up to a
//! power of two), so the widths compare layouts of the same work. With the constraint evaluation almost free,
//! the leaf's size is what the FRI queries and the transcript cost for `W` opened columns: the floor any chunk
//! AIR of that width pays, whatever its arithmetic (which adds its own constraint-evaluation gates).
//!
//! Run: `cargo run --release -p voizk-benches --example leaf_width [W ...]` (W among 256, 512, 1024, 2048,
//! 4096, 6995; all of them by default). `LEAF_BUILD_ONLY=1` stops after the gate count. Prints, per width, the
//! STARK's height and prove time, the leaf's gate count and degree, and its build and prove times.

use std::marker::PhantomData;
use std::time::Instant;

use plonky2::field::extension::FieldExtension;
use plonky2::field::packed::PackedField;
use plonky2::field::polynomial::PolynomialValues;
use plonky2::field::types::Field;
use plonky2::iop::ext_target::ExtensionTarget;
use plonky2::iop::witness::PartialWitness;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::util::timing::TimingTree;
use recursion::leaf::leaf_config;
use stark_frames::chunk::config::{chunk_config, C, D, F};
use starky::constraint_consumer::{ConstraintConsumer, RecursiveConstraintConsumer};
use starky::evaluation_frame::{StarkEvaluationFrame, StarkFrame};
use starky::recursive_verifier::{
    add_virtual_stark_proof_with_pis, set_stark_proof_with_pis_target, verify_stark_proof_circuit,
};
use starky::stark::Stark;

/// Cells of a chunk of 512 frames: 512 rows of 6 049 trace columns.
const CELLS: usize = 512 * 6049;

/// Rows of the synthetic trace of `w` columns: the chunk's cells, rounded up to a power of two.
const fn height(w: usize) -> usize {
    CELLS.div_ceil(w).next_power_of_two()
}

/// `W` columns; `next[j] = local[j] + local[(j + 1) % W]` on every transition.
#[derive(Clone, Copy, Default)]
struct WideStark<const W: usize>(PhantomData<F>);

impl<const W: usize> Stark<F, D> for WideStark<W> {
    type EvaluationFrame<FE, P, const D2: usize>
        = StarkFrame<P, P::Scalar, W, 0>
    where
        FE: FieldExtension<D2, BaseField = F>,
        P: PackedField<Scalar = FE>;
    type EvaluationFrameTarget = StarkFrame<ExtensionTarget<D>, ExtensionTarget<D>, W, 0>;

    fn eval_packed_generic<FE, P, const D2: usize>(
        &self,
        vars: &Self::EvaluationFrame<FE, P, D2>,
        yield_constr: &mut ConstraintConsumer<P>,
    ) where
        FE: FieldExtension<D2, BaseField = F>,
        P: PackedField<Scalar = FE>,
    {
        let (local, next) = (vars.get_local_values(), vars.get_next_values());
        for j in 0..W {
            yield_constr.constraint_transition(next[j] - local[j] - local[(j + 1) % W]);
        }
    }

    fn eval_ext_circuit(
        &self,
        builder: &mut CircuitBuilder<F, D>,
        vars: &Self::EvaluationFrameTarget,
        yield_constr: &mut RecursiveConstraintConsumer<F, D>,
    ) {
        let (local, next) = (vars.get_local_values(), vars.get_next_values());
        for j in 0..W {
            let sum = builder.add_extension(local[j], local[(j + 1) % W]);
            let e = builder.sub_extension(next[j], sum);
            yield_constr.constraint_transition(builder, e);
        }
    }

    fn constraint_degree(&self) -> usize {
        3
    }

    fn air_fingerprint(&self) -> Option<Vec<F>> {
        Some(vec![F::from_canonical_usize(W)])
    }
}

fn trace<const W: usize>() -> Vec<PolynomialValues<F>> {
    let mut rows = vec![vec![F::ZERO; W]; height(W)];
    for (j, v) in rows[0].iter_mut().enumerate() {
        *v = F::from_canonical_usize(j + 1);
    }
    for r in 1..height(W) {
        rows[r] = (0..W).map(|j| rows[r - 1][j] + rows[r - 1][(j + 1) % W]).collect();
    }
    (0..W).map(|j| PolynomialValues::new(rows.iter().map(|row| row[j]).collect())).collect()
}

fn measure<const W: usize>() {
    let config = chunk_config();
    let stark = WideStark::<W>::default();
    let t = Instant::now();
    let proof =
        starky::prover::prove::<F, C, _, D>(stark, &config, trace::<W>(), &[], None, &mut TimingTree::default())
            .expect("synthetic proof");
    let stark_time = t.elapsed();
    let degree_bits = proof.proof.recover_degree_bits(&config);
    let t = Instant::now();
    let mut builder = CircuitBuilder::<F, D>::new(leaf_config());
    let target = add_virtual_stark_proof_with_pis(&mut builder, &stark, &config, degree_bits, 0, 0);
    let mut pw = PartialWitness::new();
    set_stark_proof_with_pis_target::<F, C, _, D>(&mut pw, &target, &proof, degree_bits, builder.zero())
        .expect("witness");
    verify_stark_proof_circuit::<F, C, _, D>(&mut builder, stark, target, &config, None);
    let gates = builder.num_gates();
    let rows = height(W);
    if std::env::var_os("LEAF_BUILD_ONLY").is_some() {
        println!("W={W}: STARK {rows} rows proven in {stark_time:.2?}; leaf {gates} gates");
        return;
    }
    let data = builder.build::<C>();
    let build = t.elapsed();
    let t = Instant::now();
    let leaf = data.prove(pw).expect("leaf proof");
    let prove = t.elapsed();
    data.verify(leaf).expect("leaf verifies");
    println!(
        "W={W}: STARK {rows} rows proven in {stark_time:.2?}; leaf {gates} gates, degree 2^{}, built in {build:.2?}, \
         proven in {prove:.2?}",
        data.common.degree_bits()
    );
}

fn main() {
    let widths: Vec<usize> = std::env::args().skip(1).map(|s| s.parse().expect("W")).collect();
    let all = widths.is_empty();
    let want = |w: usize| all || widths.contains(&w);
    if want(256) {
        measure::<256>();
    }
    if want(512) {
        measure::<512>();
    }
    if want(1024) {
        measure::<1024>();
    }
    if want(2048) {
        measure::<2048>();
    }
    if want(4096) {
        measure::<4096>();
    }
    if want(6995) {
        measure::<6995>();
    }
}
