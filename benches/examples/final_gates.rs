//! Issue 16: the rows the final circuit's decision gadgets take (the embedding, the score and S-norm decision, the
//! template commitment) for the default model, without the recursive verifier, at several numbers of constant
//! columns. The model's projection and cohort are constants, so the constant columns decide the count
//! (`decision::final_circuit::FINAL_NUM_CONSTANTS`).
//!
//! Run: `cargo run --release -p voizk-benches --example final_gates`.

use decision::circuit::{decide, template_commitment, unit_embedding, StatsTargets};
use decision::embedding::EMBED_DIM;
use decision::final_circuit::{final_config, FINAL_NUM_CONSTANTS};
use decision::model::Model;
use std::sync::atomic::{AtomicUsize, Ordering};

use plonky2::iop::target::Target;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::CircuitConfig;
use stark_frames::chunk::config::{C, D, F};

/// Gates placed by the embedding, the decision and the commitment (arithmetic and range checks; constants are
/// placed at build), and the circuit's rows before blinding and padding (constant gates and the public-input gate
/// included).
fn count(model: &Model, config: CircuitConfig) -> ([usize; 3], usize) {
    let mut b = CircuitBuilder::<F, D>::new(config);
    let s = StatsTargets::new_virtual(&mut b);
    let template: [Target; EMBED_DIM] = b.add_virtual_target_arr();
    let salt: [Target; 4] = b.add_virtual_target_arr();
    let g0 = b.num_gates();
    let u = unit_embedding(&mut b, &s, model);
    let g1 = b.num_gates();
    let (_, accept) = decide(&mut b, &u, &template, s.count, model);
    let g2 = b.num_gates();
    let h = template_commitment(&mut b, &template, &salt);
    let g3 = b.num_gates();
    b.register_public_input(accept.target);
    b.register_public_inputs(&h.elements);
    b.build::<C>();
    ([g1 - g0, g2 - g1, g3 - g2], ROWS.load(Ordering::SeqCst))
}

/// The last "rows before blinding and padding" plonky2's builder logged (at debug level; plonky2 has no
/// accessor for it).
static ROWS: AtomicUsize = AtomicUsize::new(0);

/// Reads plonky2's builder log for [`ROWS`].
struct RowsLog;

impl log::Log for RowsLog {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        let message = record.args().to_string();
        if let Some(rows) = message.strip_prefix("Degree before blinding & padding: ") {
            ROWS.store(rows.trim().parse().expect("a row count"), Ordering::SeqCst);
        }
    }

    fn flush(&self) {}
}

fn main() {
    log::set_logger(&RowsLog).expect("the only logger");
    log::set_max_level(log::LevelFilter::Debug);
    let model = Model::default_model();
    for nc in [2, 4, 8, FINAL_NUM_CONSTANTS, 32] {
        let config = CircuitConfig { num_constants: nc, ..final_config() };
        let ([embed, decide, commit], rows) = count(&model, config);
        println!(
            "{nc:>2} constant columns: embedding {embed} gates, decision {decide}, commitment {commit}; {rows} rows"
        );
    }
}
