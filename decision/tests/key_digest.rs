//! The decision key's digest names one verifier: a key file whose common data was changed (here: one FRI
//! query instead of 28, which would make forging a proof cheap) or whose constants-and-sigmas commitment was
//! replaced (another circuit's wiring under the honest circuit digest) keeps plonky2's circuit digest but not
//! `decision_key_digest`, so reading it fails (review finding R2).

use decision::files::{DecisionFileError, DecisionKey, DecisionKeyHeader};
use decision::model::Model;
use plonky2::field::goldilocks_field::GoldilocksField as F;
use plonky2::field::types::Field;
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, VerifierCircuitData};
use plonky2::plonk::config::PoseidonGoldilocksConfig;
use recursion::settings::{LadderSettings, RootSettings};

/// The verifier data of a small zero-knowledge circuit with the final proof's public inputs, and a header for it.
fn small_key() -> (DecisionKeyHeader, VerifierCircuitData<F, PoseidonGoldilocksConfig, 2>) {
    let mut b = CircuitBuilder::<F, 2>::new(CircuitConfig::standard_recursion_zk_config());
    let pis = b.add_virtual_targets(decision::statement::NUM_DECISION_PUBLIC_INPUTS);
    b.register_public_inputs(&pis);
    let data = b.build::<PoseidonGoldilocksConfig>().verifier_data();
    let model = Model::default_model();
    let header = DecisionKeyHeader {
        settings: RootSettings::Ladder(LadderSettings { max_seconds: 30 }),
        h_model: model.h_model_hex(),
        model,
        inner_key_digest: "00".repeat(32),
        key_digest: String::new(),
    };
    (header, data)
}

#[test]
fn a_key_with_weakened_common_data_is_refused() {
    let (header, data) = small_key();
    let honest = DecisionKey::signed(header.clone(), data.clone());
    let header = honest.header.clone();
    DecisionKey::from_bytes(&honest.to_bytes()).expect("the honest key reads");

    let mut rewired = data.clone();
    rewired.verifier_only.constants_sigmas_cap.0[0].elements[0] += F::ONE;
    let forged = DecisionKey { header: header.clone(), data: rewired };
    let outcome = DecisionKey::from_bytes(&forged.to_bytes());
    assert!(matches!(outcome, Err(DecisionFileError::Inconsistent(_))), "a rewired key was read");

    let mut weak = data;
    weak.common.config.fri_config.num_query_rounds = 1;
    weak.common.fri_params.config.num_query_rounds = 1;
    assert_eq!(weak.verifier_only.circuit_digest, honest.data.verifier_only.circuit_digest, "plonky2's digest");
    let forged = DecisionKey { header, data: weak };
    let outcome = DecisionKey::from_bytes(&forged.to_bytes());
    assert!(matches!(outcome, Err(DecisionFileError::Inconsistent(_))), "a weakened key was read");
}

/// The digest covers the header: a key file whose settings were edited (a verifier would print them as the
/// settings of the proof it checks) is refused when read.
#[test]
fn a_key_with_edited_settings_is_refused() {
    let (header, data) = small_key();
    let honest = DecisionKey::signed(header, data.clone());
    DecisionKey::from_bytes(&honest.to_bytes()).expect("the honest key reads");
    let edited = DecisionKey {
        header: DecisionKeyHeader {
            settings: RootSettings::Ladder(LadderSettings { max_seconds: 10 }),
            ..honest.header.clone()
        },
        data,
    };
    let outcome = DecisionKey::from_bytes(&edited.to_bytes());
    assert!(matches!(outcome, Err(DecisionFileError::Inconsistent(_))), "an edited header was read");
}
