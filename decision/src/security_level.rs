//! The security level of every proof layer, computed from the configurations the prover uses (issue 17).
//!
//! For each layer — the chunk STARK (starky), the leaf, a fold, the root and the final circuit (plonky2) — the
//! FRI parameters are read from the code (`chunk_config`, `leaf_config`, plonky2's recursion configurations), and
//! two levels are computed, in bits (`-log2` of a cheating prover's success probability per unit of hash work):
//!
//! - **(a) conjectured**, as production provers still state it after Diamond and Gruen (ePrint 2025/2010): the
//!   ethSTARK formula `queries * rate_bits + pow_bits` (ethSTARK documentation, ePrint 2021/582, Conjecture 2.1;
//!   what plonky2's `CircuitBuilder` asserts) and the "random words" form of ePrint 2025/2010 that Plonky3 uses
//!   (`q * -log2(rho + eta) + pow`, `eta = rho log2(e / rho) / log2|F_ext|`); `protocol` is their minimum with the
//!   Schwartz–Zippel terms of the checks drawn from the 64-bit base field (the chunk's LogUp, plonky2's
//!   permutation argument), which no conjecture improves.
//! - **(b) provable**, in the Johnson regime: round-by-round terms at multiplicity `m` (proximity
//!   `theta = 1 - sqrt(rho) (1 + 1 / 2m)`, list size `L = (m + 1/2) / sqrt(rho)`): queries
//!   `-q log2(sqrt(rho)(1 + 1/2m)) + pow`, batching and every folding round by the proximity-gaps bound of
//!   Ben-Sasson, Carmon, Haböck, Kopparty, Saraf (ePrint 2025/2055, Thm 1.5) — or, for comparison, the older
//!   BCIKS20 bound (ePrint 2020/654, Thm 5.1) — the constraint combination (ALI), the out-of-domain point
//!   (DEEP), and the base-field checks; the level is the weakest term at the best `m`. The unique-decoding level
//!   (`theta = (1 - rho) / 2`) is given too. The formulas follow Ethereum's soundcalc and Plonky3's estimator.
//!
//! Inputs that are not in a configuration are measured or counted: the degree of each plonky2 circuit
//! ([`PLONKY2_DEGREE_BITS`], `docs/PERFORMANCE.md`) and the chunk AIR's constraint count (an upper estimate,
//! [`CHUNK_CONSTRAINTS_LOG2`]; it enters only the ALI term, which is not the weakest).

use plonky2::plonk::circuit_data::CircuitConfig;
use recursion::leaf::leaf_config;
use stark_frames::chunk::columns::NUM_COLS;
use stark_frames::chunk::config::chunk_config;
use stark_frames::chunk::stark::ChunkStark;
use starky::stark::Stark;

/// log2 of the Goldilocks order (the base field of every layer).
const BASE_BITS: f64 = 63.999_999_999_664;
/// log2 of the quadratic extension's order, where FRI's and DEEP's challenges are drawn.
const EXT_BITS: f64 = 2.0 * BASE_BITS;
/// Upper estimate of log2 of the chunk AIR's number of constraints.
pub const CHUNK_CONSTRAINTS_LOG2: f64 = 12.0;
/// Degree of the chunk AIR's constraints as declared to starky.
const CHUNK_AIR_DEGREE: usize = 17;
/// Degree bits of the plonky2 circuits as built (`docs/PERFORMANCE.md`): the leaf at every chunk size, a fold of
/// the default tree (arity 4), the root (ladder or wrap), the final circuit (with its zero-knowledge blinding rows).
pub const PLONKY2_DEGREE_BITS: [(&str, usize); 4] = [("leaf", 16), ("fold (arity 4)", 15), ("root", 13), ("final", 14)];
/// log2 of the number of gate constraints of a plonky2 circuit (standard gates), for the ALI term.
const PLONKY2_CONSTRAINTS_LOG2: f64 = 8.0;
/// Degree of plonky2's gate constraints (its quotient degree factor).
const PLONKY2_GATE_DEGREE: usize = 8;
/// Partial products per challenge of plonky2's permutation argument at 80 routed wires and degree 8.
const PLONKY2_PARTIAL_PRODUCTS: usize = 9;

/// What determines one layer's soundness.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LayerParams {
    /// The layer.
    pub name: String,
    /// `log2` of the number of trace rows (or gates).
    pub degree_bits: usize,
    /// FRI rate `rho = 2^-rate_bits`.
    pub rate_bits: usize,
    /// FRI queries.
    pub queries: usize,
    /// Proof-of-work (grinding) bits before the queries.
    pub pow_bits: u32,
    /// Repetitions of the base-field challenges.
    pub num_challenges: usize,
    /// FRI folding arity bits of each round, and the final polynomial's length.
    pub arity_bits: Vec<usize>,
    /// Final polynomial length.
    pub final_poly_len: usize,
    /// Merkle cap height.
    pub cap_height: usize,
    /// Polynomials batched into FRI (each opening counted).
    pub batched: usize,
    /// `log2` of the number of constraints combined.
    pub constraints_log2: f64,
    /// Degree of the constraints.
    pub constraint_degree: usize,
    /// Base-field Schwartz–Zippel checks: name and `log2` of the polynomial degree.
    pub base_field_checks: Vec<(String, f64)>,
}

/// The computed levels of one layer, in bits.
#[derive(Clone, Debug, serde::Serialize)]
pub struct LayerLevel {
    /// The inputs.
    pub params: LayerParams,
    /// (a) ethSTARK's conjecture: `q r + pow`, at most the extension field's size.
    pub ethstark: f64,
    /// (a) the random-words conjecture of ePrint 2025/2010.
    pub random_words: f64,
    /// (a) the lower of the two, and of the base-field checks.
    pub conjectured: f64,
    /// (b) Johnson regime with the 2025 proximity-gaps bound, at the best multiplicity.
    pub johnson: f64,
    /// The multiplicity `m` that gives [`LayerLevel::johnson`].
    pub johnson_m: usize,
    /// (b) Johnson regime with the BCIKS20 bound only.
    pub johnson_bciks20: f64,
    /// Unique-decoding regime.
    pub unique_decoding: f64,
    /// The weakest four terms of (b), name and bits.
    pub weakest: Vec<(String, f64)>,
}

/// FRI's rounds as plonky2 chooses them (`ConstantArityBits(4, 5)`): fold by 4 bits while the degree exceeds 2^5
/// and the domain stays above the cap.
fn arities(
    degree_bits: usize,
    rate_bits: usize,
    cap_height: usize,
    arity: usize,
    final_bits: usize,
) -> (Vec<usize>, usize) {
    let mut k = degree_bits;
    let mut rounds = Vec::new();
    while k > final_bits && k + rate_bits >= cap_height + arity {
        rounds.push(arity);
        k -= arity;
    }
    (rounds, 1 << k)
}

/// The layers as configured: the chunk STARK at the largest and at the default ladder's 3 s chunk size, then the
/// plonky2 circuits.
pub fn layers() -> Vec<LayerParams> {
    let mut out = Vec::new();
    let chunk = chunk_config();
    for frames in [4096, 512] {
        let stark = ChunkStark::<stark_frames::chunk::config::F, 2>::new(frames);
        let degree_bits = stark.height().trailing_zeros() as usize;
        let aux = stark.num_lookup_helper_columns(&chunk);
        let quotient = stark.num_quotient_polys(&chunk);
        let looked_up: usize = stark.lookups().iter().map(|l| l.columns.len() + 1).sum();
        let (arity_bits, final_poly_len) = fri_rounds(degree_bits, &chunk.fri_config);
        out.push(LayerParams {
            name: format!("chunk STARK, K = {frames}"),
            degree_bits,
            rate_bits: chunk.fri_config.rate_bits,
            queries: chunk.fri_config.num_query_rounds,
            pow_bits: chunk.fri_config.proof_of_work_bits,
            num_challenges: chunk.num_challenges,
            arity_bits,
            final_poly_len,
            cap_height: chunk.fri_config.cap_height,
            batched: 2 * (NUM_COLS + aux) + quotient,
            constraints_log2: CHUNK_CONSTRAINTS_LOG2,
            constraint_degree: CHUNK_AIR_DEGREE,
            base_field_checks: vec![("LogUp".into(), ((looked_up * stark.height()) as f64).log2())],
        });
    }
    for (name, degree_bits) in PLONKY2_DEGREE_BITS {
        let config = match name {
            "leaf" => leaf_config(),
            "final" => crate::final_circuit::final_config(),
            _ => CircuitConfig::standard_recursion_config(),
        };
        let nc = config.num_challenges;
        let (arity_bits, final_poly_len) = fri_rounds(degree_bits, &config.fri_config);
        out.push(LayerParams {
            name: name.into(),
            degree_bits,
            rate_bits: config.fri_config.rate_bits,
            queries: config.fri_config.num_query_rounds,
            pow_bits: config.fri_config.proof_of_work_bits,
            num_challenges: nc,
            arity_bits,
            final_poly_len,
            cap_height: config.fri_config.cap_height,
            // Constants and sigmas, wires, Z and partial products (Z also at g zeta), quotient chunks.
            batched: config.num_constants
                + config.num_routed_wires
                + config.num_wires
                + nc * (1 + PLONKY2_PARTIAL_PRODUCTS)
                + 2 * nc
                + PLONKY2_GATE_DEGREE * nc
                // Zero knowledge (vendor/plonky2/VOIZK_PATCHES.md): one more quotient chunk per challenge (chunks of
                // n - h_t coefficients) and the FRI batch mask.
                + usize::from(config.zero_knowledge) * (nc + 1),
            constraints_log2: PLONKY2_CONSTRAINTS_LOG2,
            constraint_degree: PLONKY2_GATE_DEGREE,
            base_field_checks: vec![("permutation".into(), ((config.num_routed_wires << degree_bits) as f64).log2())],
        });
    }
    out
}

/// FRI rounds of a configuration with plonky2's constant-arity strategy.
fn fri_rounds(degree_bits: usize, fri: &plonky2::fri::FriConfig) -> (Vec<usize>, usize) {
    use plonky2::fri::reduction_strategies::FriReductionStrategy;
    let (arity, final_bits) = match fri.reduction_strategy {
        FriReductionStrategy::ConstantArityBits(a, f) => (a, f),
        _ => (4, 5),
    };
    arities(degree_bits, fri.rate_bits, fri.cap_height, arity, final_bits)
}

/// The proximity-gaps error of one batching or folding step on a domain of `n` points, per unit of the
/// combination's degree, in the Johnson regime at multiplicity `m`: ePrint 2025/2055 (linear in `n`).
fn line_error_2025(rho: f64, n: f64, m: f64) -> f64 {
    let mp = m + 0.5;
    let gamma = 1.0 - rho.sqrt() * (1.0 + 1.0 / (2.0 * m));
    ((2.0 * mp.powi(5) + 3.0 * mp * gamma * rho) * n / (3.0 * rho.powf(1.5)) + mp / rho.sqrt()) / EXT_BITS.exp2()
}

/// The same with BCIKS20's bound (quadratic in `n`).
fn line_error_2020(rho: f64, n: f64, m: f64) -> f64 {
    (m + 0.5).powi(7) * n * n / (3.0 * rho.powf(1.5)) / EXT_BITS.exp2()
}

/// Round-by-round terms (bits) of (b) at multiplicity `m`.
fn johnson_terms(p: &LayerParams, m: f64, line: fn(f64, f64, f64) -> f64) -> Vec<(String, f64)> {
    let rho = (-(p.rate_bits as f64)).exp2();
    let n = ((p.degree_bits + p.rate_bits) as f64).exp2();
    let rows = (p.degree_bits as f64).exp2();
    let list = (m + 0.5) / rho.sqrt();
    let nc = p.num_challenges as f64;
    let mut t = vec![
        (
            "queries".to_string(),
            -(p.queries as f64) * (rho.sqrt() * (1.0 + 1.0 / (2.0 * m))).log2() + f64::from(p.pow_bits),
        ),
        ("batching".to_string(), -(line(rho, n, m) * (p.batched as f64 - 1.0)).log2()),
    ];
    let mut domain = n;
    for (i, a) in p.arity_bits.iter().enumerate() {
        t.push((format!("fold {}", i + 1), -(line(rho, domain, m) * ((1u64 << a) as f64 - 1.0)).log2()));
        domain /= (1u64 << a) as f64;
    }
    t.push(("ALI".into(), nc * (BASE_BITS - p.constraints_log2) - list.log2()));
    let deep = list * (p.constraint_degree as f64 * (rows + 1.0) + rows - 1.0);
    t.push(("DEEP".into(), EXT_BITS - deep.log2()));
    for (name, degree_log2) in &p.base_field_checks {
        t.push((name.clone(), nc * (BASE_BITS - degree_log2)));
    }
    t
}

/// The best (b) level over multiplicities, with its terms.
fn johnson(p: &LayerParams, line: fn(f64, f64, f64) -> f64) -> (f64, usize, Vec<(String, f64)>) {
    let rows = (p.degree_bits as f64).exp2();
    let m_max = ((1.0 / (2.0 * (((rows + 2.0) / rows).sqrt() - 1.0))) as usize).min(1000);
    (3..=m_max.max(3))
        .map(|m| {
            let t = johnson_terms(p, m as f64, line);
            let low = t.iter().map(|x| x.1).fold(f64::INFINITY, f64::min);
            (low, m, t)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .expect("at least m = 3")
}

/// Both levels of one layer.
pub fn level(p: &LayerParams) -> LayerLevel {
    let rho = (-(p.rate_bits as f64)).exp2();
    let q = p.queries as f64;
    let pow = f64::from(p.pow_bits);
    let ethstark = (q * p.rate_bits as f64 + pow).min(EXT_BITS);
    let eta = rho * (std::f64::consts::E / rho).log2() / EXT_BITS;
    let random_words = -q * (rho + eta).log2() + pow;
    let nc = p.num_challenges as f64;
    let checks = p.base_field_checks.iter().map(|(_, d)| nc * (BASE_BITS - d)).fold(f64::INFINITY, f64::min);
    let (johnson_bits, johnson_m, mut terms) = johnson(p, line_error_2025);
    terms.sort_by(|a, b| a.1.total_cmp(&b.1));
    terms.truncate(4);
    let rows = (p.degree_bits as f64).exp2();
    let unique = -q * ((1.0 + (rows + 2.0) / (rows / rho)) / 2.0).log2() + pow;
    LayerLevel {
        params: p.clone(),
        ethstark,
        random_words,
        conjectured: ethstark.min(random_words).min(checks),
        johnson: johnson_bits,
        johnson_m,
        johnson_bciks20: johnson(p, line_error_2020).0,
        unique_decoding: unique,
        weakest: terms,
    }
}

/// Layers a proof of the default tree passes through (chunk STARK, leaf, fold, root, final): a forger may attack
/// any one, so the per-attempt bound below is a union over them.
pub const LAYERS_PER_PROOF: usize = 5;

/// One row of the online analysis: an adversary who can evaluate `2^work_log2` hashes within a nonce's lifetime.
#[derive(Clone, Debug, serde::Serialize)]
pub struct OnlineRisk {
    /// log2 of the adversary's hash evaluations within one nonce's lifetime.
    pub work_log2: f64,
    /// log2 of the per-attempt forging probability under (a), the conjectured levels.
    pub conjectured_log2: f64,
    /// log2 of the per-attempt forging probability under (b), the provable (Johnson) levels.
    pub provable_log2: f64,
}

/// Every layer's transcript starts from the verifier's nonce (chunk public input `nonce`, carried up to the final
/// proof), so a forgery cannot be searched for before the nonce is issued: it must be found within the nonce's
/// lifetime, for one authentication attempt. With round-by-round soundness (each layer's `bits` is `-log2` of a
/// cheating prover's success per hash evaluation) and a union over the [`LAYERS_PER_PROOF`] layers, an adversary
/// evaluating `W` hashes in that time succeeds with probability at most `LAYERS_PER_PROOF * W * 2^-bits_min`.
pub fn online_risk(levels: &[LayerLevel], work_log2: f64) -> OnlineRisk {
    let union = (LAYERS_PER_PROOF as f64).log2();
    let weakest = |f: fn(&LayerLevel) -> f64| levels.iter().map(f).fold(f64::INFINITY, f64::min);
    OnlineRisk {
        work_log2,
        conjectured_log2: (union + work_log2 - weakest(|l| l.conjectured)).min(0.0),
        provable_log2: (union + work_log2 - weakest(|l| l.johnson)).min(0.0),
    }
}

/// The bits every layer needs so that an adversary of `2^work_log2` hashes per nonce lifetime forges with
/// probability at most `2^-target_log2` per attempt: `target + log2(W) + log2(LAYERS_PER_PROOF)`.
pub fn bits_needed(work_log2: f64, target_log2: f64) -> f64 {
    target_log2 + work_log2 + (LAYERS_PER_PROOF as f64).log2()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The figures of the independent calculator (`docs/SECURITY.md` §11) for the configuration it was run on.
    #[test]
    fn matches_the_reference_calculator() {
        let leaf = LayerParams {
            name: "leaf".into(),
            degree_bits: 16,
            rate_bits: 3,
            queries: 28,
            pow_bits: 16,
            num_challenges: 2,
            arity_bits: vec![4, 4, 4],
            final_poly_len: 16,
            cap_height: 4,
            batched: 8 + 80 + 135 + 2 * 10 + 4 + 16,
            constraints_log2: 8.0,
            constraint_degree: 8,
            base_field_checks: vec![("permutation".into(), (80.0 * 65536.0f64).log2())],
        };
        let l = level(&leaf);
        assert_eq!(l.ethstark, 100.0);
        assert!((l.random_words - 98.6).abs() < 0.1, "{}", l.random_words);
        assert!((l.conjectured - 83.4).abs() < 0.1, "{}", l.conjectured);
        assert!((l.johnson - 57.9).abs() < 0.2, "{}", l.johnson);
        assert!((l.unique_decoding - 39.2).abs() < 0.2, "{}", l.unique_decoding);
        assert_eq!(arities(16, 3, 4, 4, 5), (vec![4, 4, 4], 16));
        assert_eq!(arities(14, 3, 4, 4, 5), (vec![4, 4, 4], 4));
        // Online: 2^40 hashes against the leaf alone: 5 * 2^40 * 2^-57.9.
        let risk = online_risk(std::slice::from_ref(&l), 40.0);
        assert!((risk.provable_log2 - (5f64.log2() + 40.0 - l.johnson)).abs() < 1e-9, "{risk:?}");
        assert!((risk.conjectured_log2 - (5f64.log2() + 40.0 - 83.4)).abs() < 0.1, "{risk:?}");
        assert_eq!(online_risk(&[l], 100.0).provable_log2, 0.0, "a probability is at most 1");
        assert!((bits_needed(40.0, 20.0) - 62.32).abs() < 0.01);
    }
}
