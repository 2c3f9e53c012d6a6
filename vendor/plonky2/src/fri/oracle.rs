#[cfg(not(feature = "std"))]
use alloc::{format, vec::Vec};

use itertools::Itertools;
use plonky2_field::types::Field;
use plonky2_maybe_rayon::*;

use crate::field::extension::{Extendable, FieldExtension};
use crate::field::fft::FftRootTable;
use crate::field::packed::PackedField;
use crate::field::polynomial::{PolynomialCoeffs, PolynomialValues};
use crate::fri::proof::FriProof;
use crate::fri::prover::fri_proof;
use crate::fri::structure::{FriBatchInfo, FriInstanceInfo};
use crate::fri::FriParams;
use crate::hash::hash_types::RichField;
use crate::hash::merkle_tree::MerkleTree;
use crate::iop::challenger::Challenger;
use crate::plonk::config::GenericConfig;
use crate::timed;
use crate::util::reducing::ReducingFactor;
use crate::util::timing::TimingTree;
use crate::util::{log2_strict, reverse_bits, reverse_index_bits_in_place};

/// Four (~64 bit) field elements gives ~128 bit security.
pub const SALT_SIZE: usize = 4;

/// Columns whose LDEs [`PolynomialBatch::lde_leaves`] computes at once (voizk memory patch): enough for every
/// core to run FFTs, few enough that the batch is small beside the leaves.
pub const LDE_BATCH: usize = 16;

/// Represents a FRI oracle, i.e. a batch of polynomials which have been Merklized.
#[derive(Eq, PartialEq, Debug)]
pub struct PolynomialBatch<F: RichField + Extendable<D>, C: GenericConfig<D, F = F>, const D: usize>
{
    pub polynomials: Vec<PolynomialCoeffs<F>>,
    pub merkle_tree: MerkleTree<F, C::Hasher>,
    pub degree_log: usize,
    pub rate_bits: usize,
    pub blinding: bool,
}

impl<F: RichField + Extendable<D>, C: GenericConfig<D, F = F>, const D: usize> Default
    for PolynomialBatch<F, C, D>
{
    fn default() -> Self {
        PolynomialBatch {
            polynomials: Vec::new(),
            merkle_tree: MerkleTree::default(),
            degree_log: 0,
            rate_bits: 0,
            blinding: false,
        }
    }
}

impl<F: RichField + Extendable<D>, C: GenericConfig<D, F = F>, const D: usize>
    PolynomialBatch<F, C, D>
{
    /// Creates a list polynomial commitment for the polynomials interpolating the values in `values`.
    pub fn from_values(
        values: Vec<PolynomialValues<F>>,
        rate_bits: usize,
        blinding: bool,
        cap_height: usize,
        timing: &mut TimingTree,
        fft_root_table: Option<&FftRootTable<F>>,
    ) -> Self {
        let coeffs = timed!(
            timing,
            "IFFT",
            values.into_par_iter().map(|v| v.ifft()).collect::<Vec<_>>()
        );

        Self::from_coeffs(
            coeffs,
            rate_bits,
            blinding,
            cap_height,
            timing,
            fft_root_table,
        )
    }

    /// Creates a list polynomial commitment for the polynomials `polynomials`.
    pub fn from_coeffs(
        polynomials: Vec<PolynomialCoeffs<F>>,
        rate_bits: usize,
        blinding: bool,
        cap_height: usize,
        timing: &mut TimingTree,
        fft_root_table: Option<&FftRootTable<F>>,
    ) -> Self {
        let degree = polynomials[0].len();
        // voizk memory patch: the leaves are filled from a few columns' LDEs at a time (`lde_leaves`) instead
        // of every column's LDE followed by their transpose, which held two copies of the whole LDE at once.
        let mut leaves = timed!(
            timing,
            "FFT + blinding + transpose LDEs",
            Self::lde_leaves(&polynomials, rate_bits, blinding, fft_root_table)
        );
        reverse_index_bits_in_place(&mut leaves);
        let merkle_tree = timed!(
            timing,
            "build Merkle tree",
            MerkleTree::new(leaves, cap_height)
        );

        Self {
            polynomials,
            merkle_tree,
            degree_log: log2_strict(degree),
            rate_bits,
            blinding,
        }
    }

    /// The LDE of `polynomials` on the coset, row by row (leaf `i` holds every polynomial's value at point `i`,
    /// then the salt when blinding): the transpose of [`Self::lde_values`], equal to it value for value (the salt
    /// is random either way).
    ///
    /// voizk memory patch: the LDEs are computed [`LDE_BATCH`] columns at a time and copied into the leaves, so
    /// the peak holds the leaves and one batch, not the column-major LDE and its transpose together (for the
    /// recursion leaf's 135 wires at `2^19` points, 0.57 GB less; for the chunk STARK's trace at K = 4 096, 1.6 GB
    /// less).
    pub(crate) fn lde_leaves(
        polynomials: &[PolynomialCoeffs<F>],
        rate_bits: usize,
        blinding: bool,
        fft_root_table: Option<&FftRootTable<F>>,
    ) -> Vec<Vec<F>> {
        let degree = polynomials[0].len();
        let salt_size = if blinding { SALT_SIZE } else { 0 };
        let width = polynomials.len() + salt_size;
        let mut leaves: Vec<Vec<F>> = (0..degree << rate_bits)
            .into_par_iter()
            .map(|_| Vec::with_capacity(width))
            .collect();
        for batch in polynomials.chunks(LDE_BATCH) {
            let ldes: Vec<Vec<F>> = batch
                .par_iter()
                .map(|p| {
                    assert_eq!(p.len(), degree, "Polynomial degrees inconsistent");
                    p.lde(rate_bits)
                        .coset_fft_with_options(F::coset_shift(), Some(rate_bits), fft_root_table)
                        .values
                })
                .collect();
            leaves
                .par_iter_mut()
                .enumerate()
                .for_each(|(i, leaf)| leaf.extend(ldes.iter().map(|column| column[i])));
        }
        if salt_size > 0 {
            leaves
                .par_iter_mut()
                .for_each(|leaf| leaf.extend(F::rand_vec(salt_size)));
        }
        leaves
    }

    pub(crate) fn lde_values(
        polynomials: &[PolynomialCoeffs<F>],
        rate_bits: usize,
        blinding: bool,
        fft_root_table: Option<&FftRootTable<F>>,
    ) -> Vec<Vec<F>> {
        let degree = polynomials[0].len();

        // If blinding, salt with two random elements to each leaf vector.
        let salt_size = if blinding { SALT_SIZE } else { 0 };

        polynomials
            .par_iter()
            .map(|p| {
                assert_eq!(p.len(), degree, "Polynomial degrees inconsistent");
                p.lde(rate_bits)
                    .coset_fft_with_options(F::coset_shift(), Some(rate_bits), fft_root_table)
                    .values
            })
            .chain(
                (0..salt_size)
                    .into_par_iter()
                    .map(|_| F::rand_vec(degree << rate_bits)),
            )
            .collect()
    }

    /// Fetches LDE values at the `index * step`th point.
    pub fn get_lde_values(&self, index: usize, step: usize) -> &[F] {
        let index = index * step;
        let index = reverse_bits(index, self.degree_log + self.rate_bits);
        let slice = &self.merkle_tree.leaves[index];
        &slice[..slice.len() - if self.blinding { SALT_SIZE } else { 0 }]
    }

    /// Like `get_lde_values`, but fetches LDE values from a batch of `P::WIDTH` points, and returns
    /// packed values.
    pub fn get_lde_values_packed<P>(&self, index_start: usize, step: usize) -> Vec<P>
    where
        P: PackedField<Scalar = F>,
    {
        let row_wise = (0..P::WIDTH)
            .map(|i| self.get_lde_values(index_start + i, step))
            .collect_vec();

        // This is essentially a transpose, but we will not use the generic transpose method as we
        // want inner lists to be of type P, not Vecs which would involve allocation.
        let leaf_size = row_wise[0].len();
        (0..leaf_size)
            .map(|j| {
                let mut packed = P::ZEROS;
                packed
                    .as_slice_mut()
                    .iter_mut()
                    .zip(&row_wise)
                    .for_each(|(packed_i, row_i)| *packed_i = row_i[j]);
                packed
            })
            .collect_vec()
    }

    /// voizk zero-knowledge patch: `R + alpha * batch`, with `R = sum_k phi^k R_k` made of the last `D`
    /// polynomials of the last oracle (see [`FriParams::hiding`]). `R` takes a coefficient of its own (1),
    /// so that every term of the batch keeps its own power of `alpha` (plonky2's batch already has a term
    /// at `alpha^0`, the first polynomial of the last opening point).
    fn add_batch_mask(
        instance: &FriInstanceInfo<F, D>,
        oracles: &[&Self],
        batch: PolynomialCoeffs<F::Extension>,
        alpha: F::Extension,
    ) -> PolynomialCoeffs<F::Extension> {
        let o = oracles.len() - 1;
        let polys = &oracles[o].polynomials;
        assert_eq!(instance.oracles.len(), oracles.len());
        assert_eq!(instance.oracles[o].num_polys, polys.len());
        assert!(
            instance.oracles[o].blinding && oracles[o].blinding && polys.len() >= D,
            "the FRI batch mask is the last D polynomials of a salted oracle"
        );
        let first = polys.len() - D;
        assert!(
            instance.batches.iter().all(|b| b
                .polynomials
                .iter()
                .all(|p| p.oracle_index != o || p.polynomial_index < first)),
            "the FRI batch mask is opened at no point"
        );
        let mask = &polys[first..];
        assert!(mask.iter().all(|m| m.len() == batch.len()));
        let coeffs = batch
            .coeffs
            .par_iter()
            .enumerate()
            .map(|(i, &b)| {
                F::Extension::from_basefield_array(core::array::from_fn(|k| mask[k].coeffs[i]))
                    + alpha * b
            })
            .collect();
        PolynomialCoeffs::new(coeffs)
    }

    /// Produces a batch opening proof.
    pub fn prove_openings(
        instance: &FriInstanceInfo<F, D>,
        oracles: &[&Self],
        challenger: &mut Challenger<F, C::Hasher>,
        fri_params: &FriParams,
        final_poly_coeff_len: Option<usize>,
        max_num_query_steps: Option<usize>,
        timing: &mut TimingTree,
    ) -> FriProof<F, C::Hasher, D> {
        assert!(D > 1, "Not implemented for D=1.");
        let fri_alpha = challenger.get_extension_challenge::<D>();
        let mut alpha = ReducingFactor::new(fri_alpha);

        // Final low-degree polynomial that goes into FRI.
        let mut final_poly = PolynomialCoeffs::empty();

        // Each batch `i` consists of an opening point `z_i` and polynomials `{f_ij}_j` to be opened at that point.
        // For each batch, we compute the composition polynomial `F_i = sum alpha^j f_ij`,
        // where `alpha` is a random challenge in the extension field.
        // The final polynomial is then computed as `final_poly = sum_i alpha^(k_i) (F_i(X) - F_i(z_i))/(X-z_i)`
        // where the `k_i`s are chosen such that each power of `alpha` appears only once in the final sum.
        // There are usually two batches for the openings at `zeta` and `g * zeta`.
        // The oracles used in Plonky2 are given in `FRI_ORACLES` in `plonky2/src/plonk/plonk_common.rs`.
        for FriBatchInfo { point, polynomials } in &instance.batches {
            // Collect the coefficients of all the polynomials in `polynomials`.
            let polys_coeff = polynomials.iter().map(|fri_poly| {
                &oracles[fri_poly.oracle_index].polynomials[fri_poly.polynomial_index]
            });
            let composition_poly = timed!(
                timing,
                &format!("reduce batch of {} polynomials", polynomials.len()),
                alpha.reduce_polys_base(polys_coeff)
            );
            let mut quotient = composition_poly.divide_by_linear(*point);
            quotient.coeffs.push(F::Extension::ZERO); // pad back to power of two
            alpha.shift_poly(&mut final_poly);
            final_poly += quotient;
        }

        if fri_params.hiding {
            final_poly = Self::add_batch_mask(instance, oracles, final_poly, fri_alpha);
        }

        let lde_final_poly = final_poly.lde(fri_params.config.rate_bits);
        let lde_final_values = timed!(
            timing,
            &format!("perform final FFT {}", lde_final_poly.len()),
            lde_final_poly.coset_fft(F::coset_shift().into())
        );

        let fri_proof = fri_proof::<F, C, D>(
            &oracles
                .par_iter()
                .map(|c| &c.merkle_tree)
                .collect::<Vec<_>>(),
            lde_final_poly,
            lde_final_values,
            challenger,
            fri_params,
            final_poly_coeff_len,
            max_num_query_steps,
            timing,
        );

        fri_proof
    }
}
