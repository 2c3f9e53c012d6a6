//! The final circuit (SPEC §2): verifies one root proof of a fixed root key — or, for a ladder, the ladder's
//! leaf proof directly, with the ladder root's checks (`recursion::ladder_verify`; one recursion layer less,
//! issue 19) — computes the speaker embedding from the pooled statistics the root (or leaf) states, scores it
//! against a private template, compares the score with
//! the model's threshold, and exposes [`DecisionPublicInputs`]. Its proofs are zero-knowledge
//! (`CircuitConfig::standard_recursion_zk_config`): they reveal the public inputs and nothing else about the
//! root proof, the statistics, the embedding, the score, the template or the salt.
//!
//! What the circuit checks, beyond the gadgets of [`crate::circuit`]:
//! - the root proof verifies against the root key (a constant: the circuit's key covers the recursion
//!   settings and every leaf key); over a ladder, the leaf proof verifies against one of the ladder's leaf keys
//!   (constants), starts the recording and holds every hop, exactly as the ladder's root checks;
//! - the root's voicing threshold is the model's;
//! - `h_audio` and `num_samples` are the root's `digest` and `num_samples` (the root checks that its range
//!   starts the recording and holds every hop, so its digest is `h_audio`);
//! - `h_model` is the model's, as constants (so the key differs per model);
//! - the nonce is a public input, hashed into the proof's transcript with the others.

use std::borrow::Borrow;
use std::time::Instant;

use plonky2::field::types::Field;
use plonky2::fri::reduction_strategies::FriReductionStrategy;
use plonky2::fri::FriConfig;
use plonky2::iop::target::Target;
use plonky2::iop::witness::{PartialWitness, WitnessWrite};
use plonky2::plonk::circuit_builder::CircuitBuilder;
use plonky2::plonk::circuit_data::{CircuitConfig, CircuitData, VerifierCircuitData};
use plonky2::plonk::proof::{CompressedProofWithPublicInputs, ProofWithPublicInputs, ProofWithPublicInputsTarget};
use recursion::circuit::LayerCircuit;
use recursion::guard::{guarded, prove_checked};
use recursion::ladder_verify::{LadderLeafKeys, LadderLeafTargets, LeafCheckError};
use recursion::proof::{LeafProof, RootProof};
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::public::{ChunkPublicInputs, NUM_PUBLIC_INPUTS};
use stark_frames::chunk::values::ChunkPublicValues;

use crate::circuit::hints::element;
use crate::circuit::{decide, template_commitment, unit_embedding, StatsTargets};
use crate::embedding::{unit, EmbeddingError, EMBED_DIM};
use crate::model::Model;
use crate::score::accepts;
use crate::statement::{DecisionPublicInputs, Hex4, Statement};
use crate::template::{h_template, Template};

/// Constant columns of the final circuit: plonky2's 2.
///
/// The model's projection matrix and S-norm cohort enter the circuit as constants (at 116 features about 19 000
/// values). With 16 columns the 77-feature circuit fitted `2^13` (7 648 rows); the 116-feature one needs `2^14`
/// whatever the columns (8 922 rows with 16, 11 998 with 2: `final_gates`, `final_zk`), and at `2^14` every constant
/// column is opened at every FRI query, so 2 give the smallest proof (`docs/PERFORMANCE.md`).
pub const FINAL_NUM_CONSTANTS: usize = 2;

/// Merkle cap height of the final proof's commitments: 5 (plonky2's recursion config has 4). At `2^14` with rate
/// `1/8` it trades 32 more cap hashes per tree for one hash less in each of 28 query paths: 3.2 KB smaller.
pub const FINAL_CAP_HEIGHT: usize = 5;

/// FRI folds the final proof's polynomials by `2^4` per round until at most `2^FINAL_POLY_BITS` coefficients
/// remain (plonky2's recursion config: 5). At `2^14`, 7 ends after two rounds with 64 coefficients sent in clear
/// instead of three rounds, each with 28 query paths: 7.3 KB smaller.
pub const FINAL_POLY_BITS: usize = 7;

/// The final circuit's configuration: plonky2's `standard_recursion_zk_config` with [`FINAL_NUM_CONSTANTS`]
/// constant columns, [`FINAL_CAP_HEIGHT`] and [`FINAL_POLY_BITS`]: a proof of 139 896 B at `2^14` (150 KB at most).
pub fn final_config() -> CircuitConfig {
    let base = CircuitConfig::standard_recursion_zk_config();
    CircuitConfig {
        num_constants: FINAL_NUM_CONSTANTS,
        fri_config: FriConfig {
            cap_height: FINAL_CAP_HEIGHT,
            reduction_strategy: FriReductionStrategy::ConstantArityBits(4, FINAL_POLY_BITS),
            ..base.fri_config.clone()
        },
        ..base
    }
}

/// A final proof.
pub type DecisionProof = ProofWithPublicInputs<F, C, D>;
/// A final proof in plonky2's compressed form (FRI query paths merged).
pub type CompressedDecisionProof = CompressedProofWithPublicInputs<F, C, D>;

/// Why the final circuit cannot be built or a final proof cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum DecisionError {
    /// The root key is not a root key of voizk (another public-input layout).
    #[error("the root key has {0} public inputs, a voizk root has {NUM_PUBLIC_INPUTS}")]
    RootLayout(usize),
    /// The template was enrolled under another model.
    #[error("the template was enrolled under model {template}, this is model {model}")]
    TemplateModel {
        /// The template's `h_model`.
        template: String,
        /// The model's.
        model: String,
    },
    /// The root proof pooled its statistics with another voicing threshold than the model's.
    #[error("the root proof uses voicing threshold {root} (Q24), the model {model}")]
    VoicingThreshold {
        /// The root's threshold.
        root: i64,
        /// The model's.
        model: i64,
    },
    /// The root proof was made for another session nonce than the final proof's.
    #[error("the root proof is bound to nonce {root}, the final proof to {nonce}: prove the recording again with this nonce")]
    Nonce {
        /// The root proof's nonce (hex).
        root: String,
        /// The final proof's nonce (hex).
        nonce: String,
    },
    /// The root proof does not state `h_audio` (it does not cover a whole recording).
    #[error("the root proof does not state h_audio")]
    NoAudioCommitment,
    /// The recording has no embedding the circuit can prove (no voiced frame, or statistics out of bounds).
    #[error("{0}")]
    Embedding(#[from] EmbeddingError),
    /// The root proof does not have the root circuit's shape.
    #[error("not a proof of the root circuit: {0}")]
    Shape(String),
    /// The proof given is of another kind than the one the circuit verifies (a root proof to a circuit over a
    /// ladder's leaves, or a leaf proof to a circuit over a root key).
    #[error("this final circuit verifies {circuit}, it was given {given}")]
    Kind {
        /// What the circuit verifies.
        circuit: &'static str,
        /// What it was given.
        given: &'static str,
    },
    /// The ladder's leaf proof breaks a rule of the ladder's root (checked natively before proving).
    #[error("{0}")]
    LadderLeaf(#[from] LeafCheckError),
    /// No final proof exists for this witness (the root proof does not verify, or a bound fails).
    #[error("the final proof cannot be made: {0}")]
    Prove(String),
    /// The proof states something else than the native computation: a bug in voizk.
    #[error(
        "the proven statement differs from the native decision (a bug in voizk): proven {proven:?}, native {native:?}"
    )]
    Mismatch {
        /// The proof's statement.
        proven: Box<Statement>,
        /// The native one.
        native: Box<Statement>,
    },
}

/// The final circuit of one model over one root key, or over a ladder's leaf keys.
pub struct DecisionCircuit {
    data: CircuitData<F, C, D>,
    model: Model,
    gates: usize,
    build_secs: f64,
    verified: Verified,
    template: [Target; EMBED_DIM],
    salt: [Target; 4],
    nonce: [Target; 4],
}

/// The proof a final circuit verifies, as targets.
enum Verified {
    /// A root proof of a fixed root key.
    Root(ProofWithPublicInputsTarget<D>),
    /// A leaf proof of one of a ladder's sizes, with the ladder root's checks.
    LadderLeaf(LadderLeafTargets, Box<LadderLeafKeys>),
}

impl Verified {
    fn kind(&self) -> &'static str {
        match self {
            Self::Root(_) => ROOT_KIND,
            Self::LadderLeaf(..) => LEAF_KIND,
        }
    }
}

const ROOT_KIND: &str = "a root proof";
const LEAF_KIND: &str = "a ladder's leaf proof";

/// The proof a final proof is made over: a root proof (for a circuit built over a root key) or a ladder's leaf
/// proof with its chunk size (for a circuit built over the ladder's leaf keys). Both state the chunk layout of
/// public inputs over the whole recording.
#[derive(Clone, Copy)]
pub enum DecisionInput<'a> {
    /// A root proof.
    Root(&'a RootProof),
    /// A leaf proof of a whole recording, of a ladder's chunk size `frames`.
    LadderLeaf {
        /// The leaf proof.
        leaf: &'a LeafProof,
        /// Its chunk size.
        frames: usize,
    },
}

impl<'a> From<&'a RootProof> for DecisionInput<'a> {
    fn from(root: &'a RootProof) -> Self {
        Self::Root(root)
    }
}

impl DecisionInput<'_> {
    /// The proof's public inputs.
    pub fn public_inputs(&self) -> &[F] {
        match self {
            Self::Root(r) => &r.public_inputs,
            Self::LadderLeaf { leaf, .. } => &leaf.public_inputs,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            Self::Root(_) => ROOT_KIND,
            Self::LadderLeaf { .. } => LEAF_KIND,
        }
    }
}

/// A final proof with what it states and how it was made.
pub struct DecisionOutput {
    /// The proof.
    pub proof: DecisionProof,
    /// Its statement (decoded from the proof, equal to the native computation).
    pub statement: Statement,
    /// The native integer score (`Q30`) under the model's metric (the cosine, or its S-norm), for reports; not part
    /// of the statement.
    pub score_q30: i64,
    /// Proving time in seconds.
    pub prove_secs: f64,
}

impl DecisionCircuit {
    /// Builds the final circuit of `model` over root proofs of `root` (a few seconds). The same inputs give
    /// the same key.
    pub fn build(root: &VerifierCircuitData<F, C, D>, model: &Model) -> Result<Self, DecisionError> {
        if root.common.num_public_inputs != NUM_PUBLIC_INPUTS {
            return Err(DecisionError::RootLayout(root.common.num_public_inputs));
        }
        Ok(Self::build_with(model, |b| {
            let proof = b.add_virtual_proof_with_pis(&root.common);
            let key = b.constant_verifier_data(&root.verifier_only);
            b.verify_proof::<C>(&proof, &key, &root.common);
            Verified::Root(proof)
        }))
    }

    /// Builds the final circuit of `model` over leaf proofs of the ladder whose leaf keys are `keys`, verified
    /// directly with the ladder root's checks, in place of the ladder's root proof: the same statement, one
    /// recursion layer less. The same inputs give the same key.
    pub fn build_over_ladder(keys: &LadderLeafKeys, model: &Model) -> Self {
        Self::build_with(model, |b| Verified::LadderLeaf(keys.add_verifier(b), Box::new(keys.clone())))
    }

    fn build_with(model: &Model, verify: impl FnOnce(&mut CircuitBuilder<F, D>) -> Verified) -> Self {
        let t = Instant::now();
        let mut b = CircuitBuilder::<F, D>::new(final_config());
        let verified = verify(&mut b);
        let inner = match &verified {
            Verified::Root(proof) => proof.public_inputs.clone(),
            Verified::LadderLeaf(leaf, _) => leaf.leaf.public_inputs.clone(),
        };
        let pis: &ChunkPublicInputs<Target> = inner[..].borrow();

        let voicing = b.constant(element::<F>(i128::from(model.embedding.voicing_threshold_q24)));
        b.connect(pis.voicing_threshold, voicing);
        let stats = StatsTargets {
            sum: pis.stats.sum,
            sum_sq: pis.stats.sum_sq,
            count: pis.stats.count,
            sum_dsq: pis.delta_sum_dsq,
        };
        let u = unit_embedding(&mut b, &stats, model);
        let template: [Target; EMBED_DIM] = b.add_virtual_target_arr();
        let (_score, accept) = decide(&mut b, &u, &template, stats.count, model);
        let salt: [Target; 4] = b.add_virtual_target_arr();
        let h_t = template_commitment(&mut b, &template, &salt);
        let nonce: [Target; 4] = b.add_virtual_target_arr();
        // The root (or leaf), and through it every chunk, leaf and fold proof, was made for this nonce.
        for (inner_nonce, own) in pis.nonce.iter().zip(&nonce) {
            b.connect(*inner_nonce, *own);
        }
        let h_model = model.h_model().map(|e| b.constant(e));

        let public = DecisionPublicInputs {
            h_audio: pis.digest,
            num_samples: pis.num_samples,
            h_template: h_t.elements,
            h_model,
            nonce,
            decision: accept.target,
        };
        b.register_public_inputs(&public.to_vec());
        let gates = b.num_gates();
        let data = b.build::<C>();
        Self {
            data,
            model: model.clone(),
            gates,
            build_secs: t.elapsed().as_secs_f64(),
            verified,
            template,
            salt,
            nonce,
        }
    }

    /// The circuit.
    pub fn data(&self) -> &CircuitData<F, C, D> {
        &self.data
    }

    /// The verifier key.
    pub fn verifier(&self) -> VerifierCircuitData<F, C, D> {
        self.data.verifier_data()
    }

    /// The model the circuit decides with.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// Gates before padding.
    pub fn gates(&self) -> usize {
        self.gates
    }

    /// Seconds the build took.
    pub fn build_secs(&self) -> f64 {
        self.build_secs
    }

    /// Refuses a template enrolled under another model than the circuit's.
    pub fn check_template(&self, template: &Template) -> Result<(), DecisionError> {
        check_template_model(&self.model, template)
    }

    /// What a final proof over `root` with `template` and `nonce` states, computed natively, with the score;
    /// fails with the reason the circuit would fail.
    pub fn expected<'a>(
        &self,
        input: impl Into<DecisionInput<'a>>,
        template: &Template,
        nonce: [F; 4],
    ) -> Result<(Statement, i64), DecisionError> {
        let input = input.into();
        self.check_template(template)?;
        self.check_kind(&input)?;
        let public_inputs = input.public_inputs();
        if public_inputs.len() != NUM_PUBLIC_INPUTS {
            return Err(DecisionError::RootLayout(public_inputs.len()));
        }
        if let (Verified::LadderLeaf(_, keys), DecisionInput::LadderLeaf { leaf, frames }) = (&self.verified, input) {
            keys.check(leaf, frames)?;
        }
        let pis: &ChunkPublicInputs<F> = public_inputs.borrow();
        // The chunk span only sets `chunk_index`, which is not used here.
        let values = ChunkPublicValues::decode(public_inputs, 1);
        if values.voicing_threshold_q24 != self.model.embedding.voicing_threshold_q24 {
            return Err(DecisionError::VoicingThreshold {
                root: values.voicing_threshold_q24,
                model: self.model.embedding.voicing_threshold_q24,
            });
        }
        if pis.nonce != nonce {
            return Err(DecisionError::Nonce { root: Hex4(pis.nonce).to_string(), nonce: Hex4(nonce).to_string() });
        }
        if values.h_audio.is_none() {
            return Err(DecisionError::NoAudioCommitment);
        }
        let stats = values.pooled_stats();
        let z = self.model.embed(&stats)?;
        let u = unit(&z)?;
        let t = template.unit();
        let score = self.model.score(&self.model.side(u)?, &self.model.side(t)?, stats.count)?;
        let statement = Statement {
            h_audio: Hex4(pis.digest),
            num_samples: values.num_samples,
            h_template: Hex4(h_template(&t, &template.salt())),
            h_model: Hex4(self.model.h_model()),
            nonce: Hex4(nonce),
            accept: accepts(score, self.model.threshold_q30),
        };
        Ok((statement, score))
    }

    /// Proves the decision over `input` (a proof of the root key, or of one of the ladder's leaf keys, the
    /// circuit was built for) with `template`, bound to `nonce`. The statement is computed natively first (a
    /// recording the circuit cannot prove is named by its reason), and the proof is checked to verify and to
    /// state exactly that.
    pub fn prove<'a>(
        &self,
        input: impl Into<DecisionInput<'a>>,
        template: &Template,
        nonce: [F; 4],
    ) -> Result<DecisionOutput, DecisionError> {
        let input = input.into();
        let (native, score_q30) = self.expected(input, template, nonce)?;
        let (proof, prove_secs) = self.prove_unchecked(input, template, nonce)?;
        let statement = Statement::decode(&proof.public_inputs).map_err(|e| DecisionError::Prove(e.to_string()))?;
        if statement != native {
            return Err(DecisionError::Mismatch { proven: Box::new(statement), native: Box::new(native) });
        }
        Ok(DecisionOutput { proof, statement, score_q30, prove_secs })
    }

    /// Proves without the native checks, leaving everything to the circuit (for soundness tests); returns
    /// the proof (which verifies) and the proving time.
    pub fn prove_unchecked<'a>(
        &self,
        input: impl Into<DecisionInput<'a>>,
        template: &Template,
        nonce: [F; 4],
    ) -> Result<(DecisionProof, f64), DecisionError> {
        let input = input.into();
        self.check_kind(&input)?;
        let t = Instant::now();
        let mut pw = PartialWitness::new();
        if let (Verified::LadderLeaf(targets, _), DecisionInput::LadderLeaf { leaf, frames }) = (&self.verified, input)
        {
            targets.set_witness(&mut pw, leaf, frames)?;
        }
        guarded(
            || -> anyhow::Result<()> {
                if let (Verified::Root(target), DecisionInput::Root(root)) = (&self.verified, input) {
                    pw.set_proof_with_pis_target(target, root.plonky2())?;
                }
                for (d, &v) in template.unit().iter().enumerate() {
                    pw.set_target(self.template[d], F::from_noncanonical_i64(v))?;
                }
                pw.set_target_arr(&self.salt, &template.salt())?;
                pw.set_target_arr(&self.nonce, &nonce)
            },
            "the root proof's vectors have the wrong lengths",
        )
        .map_err(DecisionError::Shape)?;
        let proof =
            prove_checked(&self.data, pw, "a constraint of the final circuit fails").map_err(DecisionError::Prove)?;
        Ok((proof, t.elapsed().as_secs_f64()))
    }

    /// Refuses a proof of another kind than the circuit verifies.
    fn check_kind(&self, input: &DecisionInput<'_>) -> Result<(), DecisionError> {
        if self.verified.kind() != input.kind() {
            return Err(DecisionError::Kind { circuit: self.verified.kind(), given: input.kind() });
        }
        Ok(())
    }

    /// The compressed form of a final proof of this circuit.
    pub fn compress(&self, proof: &DecisionProof) -> Result<CompressedDecisionProof, DecisionError> {
        proof
            .clone()
            .compress(&self.data.verifier_only.circuit_digest, &self.data.common)
            .map_err(|e| DecisionError::Prove(format!("compressing: {e}")))
    }
}

impl LayerCircuit for DecisionCircuit {
    fn circuit_data(&self) -> &CircuitData<F, C, D> {
        self.data()
    }

    fn gate_count(&self) -> usize {
        self.gates()
    }
}

/// Refuses a template enrolled under another model than `model` (its `h_model` differs).
pub fn check_template_model(model: &Model, template: &Template) -> Result<(), DecisionError> {
    if template.h_model != model.h_model_hex() {
        return Err(DecisionError::TemplateModel { template: template.h_model.clone(), model: model.h_model_hex() });
    }
    Ok(())
}
