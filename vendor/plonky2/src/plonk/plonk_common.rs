//! Utility methods and constants for Plonk.

#[cfg(not(feature = "std"))]
use alloc::{vec, vec::Vec};

use crate::field::extension::Extendable;
use crate::field::packed::PackedField;
use crate::field::polynomial::PolynomialCoeffs;
use crate::field::types::Field;
use crate::fri::oracle::SALT_SIZE;
use crate::gates::arithmetic_base::ArithmeticGate;
use crate::hash::hash_types::RichField;
use crate::iop::ext_target::ExtensionTarget;
use crate::iop::target::Target;
use crate::plonk::circuit_builder::CircuitBuilder;
use crate::util::reducing::ReducingFactorTarget;

/// Holds the Merkle tree index and blinding flag of a set of polynomials used in FRI.
#[derive(Debug, Copy, Clone)]
pub struct PlonkOracle {
    pub(crate) index: usize,
    pub(crate) blinding: bool,
}

impl PlonkOracle {
    pub const CONSTANTS_SIGMAS: PlonkOracle = PlonkOracle {
        index: 0,
        blinding: false,
    };
    pub const WIRES: PlonkOracle = PlonkOracle {
        index: 1,
        blinding: true,
    };
    pub const ZS_PARTIAL_PRODUCTS: PlonkOracle = PlonkOracle {
        index: 2,
        blinding: true,
    };
    pub const QUOTIENT: PlonkOracle = PlonkOracle {
        index: 3,
        blinding: true,
    };
}

pub const fn salt_size(salted: bool) -> usize {
    if salted {
        SALT_SIZE
    } else {
        0
    }
}

/// voizk zero-knowledge patch: an element appended to the circuit digest of every zero-knowledge circuit
/// (ASCII "voizk_zk"), so that no zero-knowledge circuit shares a digest, and so a transcript, with one of
/// plonky2 1.1.0, whose zero-knowledge proofs have another format.
pub const ZK_PATCH_DIGEST_TAG: u64 = 0x766f_697a_6b5f_7a6b;

/// voizk zero-knowledge patch (`VOIZK_PATCHES.md`, "Zero knowledge"): the randomness budgets
/// `(h_w, h_Z, h_t)` of a zero-knowledge circuit with `D` (the degree of the extension ζ is drawn from) and
/// `num_query_rounds` (`q`) FRI queries.
///
/// With the FRI batch mask `R` (see [`crate::fri::FriParams::hiding`]) the FRI layers reveal nothing, and a
/// committed witness polynomial is revealed only through base-field linear functionals: `D` per opening
/// point (its value at an extension point) and one per FRI query (its value in the queried leaf), plus
/// one per query for `Z` at `g x_j`: the queried leaf holds every quotient chunk at `x_j`, so the verifier
/// learns `t(x_j) = C(x_j) / Z_H(x_j)`, and the permutation constraint in `C(x)` involves `Z(g x)`. A
/// polynomial with at least as many independent uniform values on rows of `H` as revealed functionals is
/// perfectly hidden (the functionals restricted to those rows form a Cauchy matrix).
///
/// - `h_w = D + q` random rows (every wire random): wires open at ζ and appear in `t` at `x_j` only.
/// - `h_Z = 2D + 2q` pairs of rows with equal random routed wires and a copy constraint between them,
///   each giving `Z` one free value: `Z` is revealed at ζ, gζ, `x_j` and `g x_j`. The partial products
///   (ζ and `x_j`: `D + q` functionals) take their pair values non-linearly (`u` at the first row of a
///   pair, `c / u` at the second); a Kloosterman-sum bound puts them within `2^(N - 1) p^((D + q - N) / 2)`
///   of uniform with `N` pairs, negligible at `N = 2D + 2q`.
/// - `h_t = D + q` random coefficients per quotient chunk: chunks open at ζ and `x_j`.
pub const fn zk_randomness_budgets<const D: usize>(
    num_query_rounds: usize,
) -> (usize, usize, usize) {
    (
        D + num_query_rounds,
        2 * (D + num_query_rounds),
        D + num_query_rounds,
    )
}

/// voizk zero-knowledge patch: the quotient chunks `q'_0..q'_{k-1}` of a zero-knowledge proof, from the
/// quotient `t` (coefficients, any length up to `k * chunk_len`), cut into `k = len.div_ceil(chunk_len)`
/// pieces `q_i` of `chunk_len = degree - h_t` coefficients and randomised with `ts` (`k - 1` vectors of
/// `h_t` coefficients each; the prover draws them fresh and uniform):
///
/// `q'_0 = q_0 + X^c t_0`, `q'_i = q_i - t_{i-1} + X^c t_i`, `q'_{k-1} = q_{k-1} - t_{k-2}`,
///
/// so that `sum_i X^(i c) q'_i = t` and every chunk has `degree` coefficients (ePrint 2024/1037, §4.2; the
/// Plonk chunk randomisation). Each `q'_i` but the last carries its own uniform `t_i` on the coefficients
/// `c..c + h_t`, which hides its `D + q` revealed functionals; the last one is then determined by `t`.
#[doc(hidden)]
pub fn zk_randomize_quotient_chunks<F: Field>(
    quotient: &PolynomialCoeffs<F>,
    chunk_len: usize,
    degree: usize,
    ts: &[Vec<F>],
) -> Vec<PolynomialCoeffs<F>> {
    let mut chunks = quotient.chunks(chunk_len);
    let k = chunks.len();
    assert!(k >= 2, "zero knowledge needs at least two quotient chunks");
    assert_eq!(ts.len(), k - 1, "one randomiser per chunk but the last");
    for t in ts {
        assert_eq!(
            t.len(),
            degree - chunk_len,
            "randomisers have h_t = degree - chunk_len coefficients"
        );
    }
    assert!(
        degree - chunk_len <= chunk_len,
        "h_t must not exceed the chunk length"
    );
    for (i, chunk) in chunks.iter_mut().enumerate() {
        chunk
            .pad(chunk_len)
            .expect("a chunk is at most chunk_len long");
        if i > 0 {
            for (c, &r) in chunk.coeffs.iter_mut().zip(&ts[i - 1]) {
                *c -= r;
            }
        }
        if i + 1 < k {
            chunk.coeffs.extend_from_slice(&ts[i]);
        }
        chunk.pad(degree).expect("a chunk is at most degree long");
    }
    chunks
}

/// Evaluate the polynomial which vanishes on any multiplicative subgroup of a given order `n`.
pub(crate) fn eval_zero_poly<F: Field>(n: usize, x: F) -> F {
    // Z(x) = x^n - 1
    x.exp_u64(n as u64) - F::ONE
}

/// Evaluate the Lagrange basis `L_0` with `L_0(1) = 1`, and `L_0(x) = 0` for other members of the
/// order `n` multiplicative subgroup.
pub(crate) fn eval_l_0<F: Field>(n: usize, x: F) -> F {
    if x.is_one() {
        // The code below would divide by zero, since we have (x - 1) in both the numerator and
        // denominator.
        return F::ONE;
    }

    // L_0(x) = (x^n - 1) / (n * (x - 1))
    //        = Z(x) / (n * (x - 1))
    eval_zero_poly(n, x) / (F::from_canonical_usize(n) * (x - F::ONE))
}

/// Evaluates the Lagrange basis L_0(x), which has L_0(1) = 1 and vanishes at all other points in
/// the order-`n` subgroup.
///
/// Assumes `x != 1`; if `x` could be 1 then this is unsound.
pub(crate) fn eval_l_0_circuit<F: RichField + Extendable<D>, const D: usize>(
    builder: &mut CircuitBuilder<F, D>,
    n: usize,
    x: ExtensionTarget<D>,
    x_pow_n: ExtensionTarget<D>,
) -> ExtensionTarget<D> {
    // L_0(x) = (x^n - 1) / (n * (x - 1))
    //        = Z(x) / (n * (x - 1))
    let one = builder.one_extension();
    let neg_one = builder.neg_one();
    let neg_one = builder.convert_to_ext(neg_one);
    let eval_zero_poly = builder.sub_extension(x_pow_n, one);
    let denominator = builder.arithmetic_extension(
        F::from_canonical_usize(n),
        F::from_canonical_usize(n),
        x,
        one,
        neg_one,
    );
    builder.div_extension(eval_zero_poly, denominator)
}

/// For each alpha in alphas, compute a reduction of the given terms using powers of alpha. T can
/// be any type convertible to a double-ended iterator.
pub(crate) fn reduce_with_powers_multi<
    'a,
    F: Field,
    I: DoubleEndedIterator<Item = &'a F>,
    T: IntoIterator<IntoIter = I>,
>(
    terms: T,
    alphas: &[F],
) -> Vec<F> {
    let mut cumul = vec![F::ZERO; alphas.len()];
    for &term in terms.into_iter().rev() {
        cumul
            .iter_mut()
            .zip(alphas)
            .for_each(|(c, &alpha)| *c = term.multiply_accumulate(*c, alpha));
    }
    cumul
}

pub fn reduce_with_powers<'a, P: PackedField, T: IntoIterator<Item = &'a P>>(
    terms: T,
    alpha: P::Scalar,
) -> P
where
    T::IntoIter: DoubleEndedIterator,
{
    let mut sum = P::ZEROS;
    for &term in terms.into_iter().rev() {
        sum = sum * alpha + term;
    }
    sum
}

pub fn reduce_with_powers_circuit<F: RichField + Extendable<D>, const D: usize>(
    builder: &mut CircuitBuilder<F, D>,
    terms: &[Target],
    alpha: Target,
) -> Target {
    if terms.len() <= ArithmeticGate::new_from_config(&builder.config).num_ops + 1 {
        terms
            .iter()
            .rev()
            .fold(builder.zero(), |acc, &t| builder.mul_add(alpha, acc, t))
    } else {
        let alpha = builder.convert_to_ext(alpha);
        let mut alpha = ReducingFactorTarget::new(alpha);
        alpha.reduce_base(terms, builder).0[0]
    }
}

pub fn reduce_with_powers_ext_circuit<F: RichField + Extendable<D>, const D: usize>(
    builder: &mut CircuitBuilder<F, D>,
    terms: &[ExtensionTarget<D>],
    alpha: Target,
) -> ExtensionTarget<D> {
    let alpha = builder.convert_to_ext(alpha);
    let mut alpha = ReducingFactorTarget::new(alpha);
    alpha.reduce(terms, builder)
}
