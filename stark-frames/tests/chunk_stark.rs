//! The chunk STARK on real audio: the trace reproduces the integer reference
//! bit for bit, every constraint holds, proofs verify, and corrupting one named
//! cell is caught.

mod common;

use std::borrow::Borrow;

use plonky2::field::types::{Field, PrimeField64};
use plonky2::plonk::config::{GenericConfig, PoseidonGoldilocksConfig};
use stark_frames::chunk::check::{self, violations};
use stark_frames::chunk::columns::{ChunkCols, ROWS_PER_FRAME};
use stark_frames::chunk::schedule::{fft_row, ACC_OFFSET, FFT_STAGES, MEL_RESULT_ROW};
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::chunk::trace::ChunkTrace;

const D: usize = 2;
type C = PoseidonGoldilocksConfig;
type F = <C as GenericConfig<D>>::F;

fn fixture_trace(name: &str, first: usize, frames: usize) -> (ChunkStark<F, D>, ChunkTrace<F>, Vec<i16>) {
    let audio = common::load(&common::fixtures().join("speech").join(name));
    let stark = ChunkStark::<F, D>::new(frames);
    let trace = ChunkTrace::generate(audio.samples(), first, frames, stark.blocks());
    (stark, trace, audio.samples().to_vec())
}

fn cols(trace: &ChunkTrace<F>, row: usize) -> &ChunkCols<F> {
    trace.rows[row][..].borrow()
}

#[test]
fn honest_trace_satisfies_every_constraint() {
    let (stark, trace, _) = fixture_trace("flite_slt_1.wav", 0, 64);
    let bad = violations(&stark, &trace.rows, &trace.public_inputs, 10);
    assert!(bad.is_empty(), "violations: {bad:?}");
}

#[test]
fn trace_matches_integer_reference_bit_for_bit() {
    let (_, trace, audio) = fixture_trace("espeak_us_f2_2.wav", 3, 64);
    let reference = stark_frames::fixed::witnesses(&audio);
    for (i, wit) in trace.frames.iter().enumerate() {
        assert_eq!(wit, &reference[3 + i], "frame {}", 3 + i);
        let base = i * ROWS_PER_FRAME;
        let z = cols(&trace, base + fft_row(FFT_STAGES));
        for (p, v) in wit.fft.iter().enumerate() {
            assert_eq!(
                (check::signed(z.general[2 * p]), check::signed(z.general[2 * p + 1])),
                (v.re, v.im),
                "frame {i} Z[{p}]"
            );
        }
        let acc = cols(&trace, base + MEL_RESULT_ROW);
        for (j, &m) in wit.mel.iter().enumerate() {
            assert_eq!(acc.general[ACC_OFFSET + j].to_canonical_u64(), m, "frame {i} mel {j}");
        }
        assert_eq!(acc.general[ACC_OFFSET + 26].to_canonical_u64(), wit.energy);
        let block = &trace.rows[base..base + ROWS_PER_FRAME];
        assert_eq!(stark_frames::chunk::check::read_mfcc(block), wit.mfcc, "frame {i} MFCC");
    }
}

/// Corrupts one cell (row within frame block 2, column index) and returns the violations.
fn tamper(col: usize, block_row: usize) -> Vec<stark_frames::chunk::check::Violation> {
    let (stark, mut trace, _) = fixture_trace("flite_awb_2.wav", 40, 64);
    let row = 2 * ROWS_PER_FRAME + block_row;
    trace.rows[row][col] += F::ONE;
    violations(&stark, &trace.rows, &trace.public_inputs, 5)
}

#[test]
fn corrupted_cells_break_constraints() {
    use stark_frames::chunk::columns::COL_MAP;
    use stark_frames::chunk::schedule::{
        butterfly_slot, dct_slot, log_slot, square_slot, LOG_ROWS, PROLOGUE_ROW, SAMPLE_CHECK_ROW, SPLIT_FIRST_ROW,
        STATS_C0, STATS_ROW, STATS_VOICED, STATS_WEIGHT,
    };
    let cases = [
        ("sample", COL_MAP.samples[123], 5),
        ("prev_sample", COL_MAP.prev_sample, PROLOGUE_ROW),
        ("frame_energy", COL_MAP.frame_energy, PROLOGUE_ROW),
        ("shift one-hot", COL_MAP.shift[3], 7),
        ("row one-hot", COL_MAP.row[4], 4),
        ("window v (FFT input)", COL_MAP.general[17], fft_row(0)),
        ("window remainder limb", COL_MAP.limbs[0], PROLOGUE_ROW),
        ("FFT stage-1 value", COL_MAP.general[300], fft_row(1)),
        ("FFT stage-5 remainder", COL_MAP.limbs[butterfly_slot(9).r_im.start], fft_row(5)),
        ("FFT stage-7 quotient", COL_MAP.limbs[butterfly_slot(100).t_re.start], fft_row(7)),
        ("FFT output Z", COL_MAP.general[2 * 77], fft_row(8)),
        ("split T limb", COL_MAP.limbs[1], SPLIT_FIRST_ROW + 1),
        ("power limb", COL_MAP.limbs[10 * 5 + 7], SPLIT_FIRST_ROW + 2),
        ("mel accumulator", COL_MAP.general[ACC_OFFSET + 3], SPLIT_FIRST_ROW + 2),
        ("mel result", COL_MAP.general[ACC_OFFSET + 20], MEL_RESULT_ROW),
        ("log zero flag", COL_MAP.general[log_slot(3).general], LOG_ROWS[0]),
        ("log exponent bit", COL_MAP.general[log_slot(10).general + 4], LOG_ROWS[1]),
        ("log power of two", COL_MAP.general[log_slot(2).general + 12], LOG_ROWS[0]),
        ("log mantissa", COL_MAP.limbs[log_slot(5).u.start], LOG_ROWS[0]),
        ("log Horner quotient", COL_MAP.limbs[log_slot(13).horner[4].1.start], LOG_ROWS[1]),
        ("DCT coefficient", COL_MAP.limbs[dct_slot(7).1.start], LOG_ROWS[0]),
        ("sample range limb", COL_MAP.limbs[12], SAMPLE_CHECK_ROW),
        ("range counter", COL_MAP.range_counter, 9),
        ("frame index", COL_MAP.frame_index, 6),
        ("real flag", COL_MAP.flags.real, 2),
        ("hop-live flag", COL_MAP.flags.hop_live, SAMPLE_CHECK_ROW),
        ("in-chunk flag", COL_MAP.flags.in_chunk, SAMPLE_CHECK_ROW),
        ("absorb flag", COL_MAP.flags.absorb_hop, 0),
        ("end-marker one-hot", COL_MAP.general[0], PROLOGUE_ROW),
        ("hash input", COL_MAP.hash[3], 4),
        ("hash S-box", COL_MAP.hash[200], 7),
        ("sponge capacity", COL_MAP.sponge_cap[2], 11),
        ("digest", COL_MAP.digest[0], 12),
        ("c0 column", COL_MAP.general[STATS_C0], STATS_ROW),
        ("voiced flag", COL_MAP.general[STATS_VOICED], STATS_ROW),
        ("weight", COL_MAP.general[STATS_WEIGHT], STATS_ROW),
        ("square quotient", COL_MAP.limbs[square_slot(5).1.start], STATS_ROW),
        ("running sum", COL_MAP.stats.sum_sq[7], 3),
    ];
    for (name, col, block_row) in cases {
        assert!(!tamper(col, block_row).is_empty(), "corrupting the {name} went unnoticed");
    }
}

#[test]
fn proof_verifies_and_tampered_proof_is_rejected() {
    use plonky2::util::timing::TimingTree;
    use starky::config::StarkConfig;
    let (stark, trace, _) = fixture_trace("flite_rms_3.wav", 64, 64);
    assert_eq!(trace.public_inputs.len(), stark_frames::chunk::public::NUM_PUBLIC_INPUTS);
    let config = StarkConfig::standard_fast_config();
    let pis = trace.public_inputs.clone();
    let t = std::time::Instant::now();
    let proof =
        starky::prover::prove::<F, C, _, D>(stark, &config, trace.into_polys(), &pis, None, &mut TimingTree::default())
            .expect("honest proof");
    println!("chunk of 64 frames proven in {:?}", t.elapsed());
    starky::verifier::verify_stark_proof(stark, proof.clone(), &config, None).expect("honest proof verifies");
    let proof_copy = proof.clone();

    let mut bad = proof;
    bad.proof.openings.local_values[100] += <F as plonky2::field::extension::Extendable<D>>::Extension::ONE;
    assert!(starky::verifier::verify_stark_proof(stark, bad, &config, None).is_err());
    let mut bad = proof_copy;
    bad.public_inputs[5] += F::ONE;
    assert!(starky::verifier::verify_stark_proof(stark, bad, &config, None).is_err(), "a changed public input");
}

#[test]
fn lookup_catches_out_of_range_limb() {
    use plonky2::util::timing::TimingTree;
    use stark_frames::chunk::columns::COL_MAP;
    use starky::config::StarkConfig;
    // A limb of 2^16 is outside the range table; its multiplicity cannot be accounted for.
    let (stark, mut trace, _) = fixture_trace("flite_rms_3.wav", 0, 64);
    let row = 5 * ROWS_PER_FRAME + 15;
    trace.rows[row][COL_MAP.limbs[700]] = F::from_canonical_u64(1 << 16);
    trace.refill_range_table();
    assert!(
        violations(&stark, &trace.rows, &trace.public_inputs, 1).is_empty(),
        "the unused limb is constrained only by the lookup"
    );
    let config = StarkConfig::standard_fast_config();
    let pis = trace.public_inputs.clone();
    let polys = trace.into_polys();
    let result = std::panic::catch_unwind(|| {
        starky::prover::prove::<F, C, _, D>(stark, &config, polys, &pis, None, &mut TimingTree::default())
            .and_then(|p| starky::verifier::verify_stark_proof(stark, p, &config, None))
    });
    assert!(!matches!(result, Ok(Ok(()))), "an out-of-range limb was accepted");
}

#[test]
fn constraints_have_the_declared_degree() {
    starky::stark_testing::test_stark_low_degree(ChunkStark::<F, D>::new(64)).expect("degree <= 3");
}

#[test]
fn recursive_constraints_match_native() {
    starky::stark_testing::test_stark_circuit_constraints::<F, C, _, D>(ChunkStark::<F, D>::new(64))
        .expect("circuit evaluation equals native evaluation");
}

#[test]
fn chunks_chain_and_the_last_one_yields_h_audio() {
    use stark_frames::chunk::public::ChunkPublicInputs;
    // flite_awb_1: 40 275 samples, 251 frames, 252 hops: chunks of 64 frames at 0, 64, 128, 192.
    let audio = common::load(&common::fixtures().join("speech/flite_awb_1.wav"));
    let stark = ChunkStark::<F, D>::new(64);
    let traces: Vec<ChunkTrace<F>> =
        (0..4).map(|c| ChunkTrace::generate(audio.samples(), 64 * c, 64, stark.blocks())).collect();
    for (c, t) in traces.iter().enumerate() {
        assert!(violations(&stark, &t.rows, &t.public_inputs, 3).is_empty(), "chunk {c}");
    }
    let pis: Vec<&ChunkPublicInputs<F>> = traces.iter().map(|t| t.public_inputs[..].borrow()).collect();
    assert_eq!(pis[0].sponge_in, [F::ZERO; 4]);
    for c in 0..3 {
        assert_eq!(pis[c].sponge_out, pis[c + 1].sponge_in, "sponge chained {c} -> {}", c + 1);
        assert_eq!(pis[c].tail, pis[c + 1].head, "boundary samples {c} -> {}", c + 1);
        assert_eq!(pis[c].digest, [F::ZERO; 4]);
    }
    let h = stark_frames::commitment::commit_audio(audio.samples());
    let digest: Vec<u64> = pis[3].digest.iter().map(|x| x.to_canonical_u64()).collect();
    let want: Vec<u64> = h.0.iter().map(|x| x.to_canonical_u64()).collect();
    assert_eq!(digest, want, "the last chunk's digest is h_audio");
    // The pooled statistics of the chunks add up to those of the whole recording.
    let reference = stark_frames::fixed::mfcc(audio.samples());
    let want = stark_frames::fixed::pooled::pooled_stats(
        &reference,
        stark_frames::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24,
    );
    assert!(want.count > 50 && want.count < reference.len() as u64, "voicing splits the frames: {}", want.count);
    for n in 0..13 {
        let sum: i64 = pis.iter().map(|p| check::signed(p.stats.sum[n])).sum();
        let sum_sq: i64 = pis.iter().map(|p| check::signed(p.stats.sum_sq[n])).sum();
        assert_eq!((sum, sum_sq), (want.sum[n], want.sum_sq[n]), "coefficient {n}");
    }
    let count: u64 = pis.iter().map(|p| p.stats.count.to_canonical_u64()).sum();
    assert_eq!(count, want.count);
    // The MFCCs of the real frames of the last chunk (192..251) match the reference.
    for i in 0..reference.len() - 192 {
        let block = &traces[3].rows[i * ROWS_PER_FRAME..(i + 1) * ROWS_PER_FRAME];
        assert_eq!(stark_frames::chunk::check::read_mfcc(block), reference[192 + i], "frame {}", 192 + i);
    }
}

#[test]
fn wrong_public_values_are_rejected() {
    use stark_frames::chunk::public::ChunkPublicInputs;
    let (stark, trace, _) = fixture_trace("flite_awb_1.wav", 192, 64);
    type Corrupt = fn(&mut ChunkPublicInputs<F>);
    let fields: [(&str, Corrupt); 11] = [
        ("voicing threshold", |p| p.voicing_threshold += F::from_canonical_u64(1 << 26)),
        ("stats sum", |p| p.stats.sum[4] += F::ONE),
        ("stats count", |p| p.stats.count += F::ONE),
        ("first frame", |p| p.first_frame += F::ONE),
        ("num_samples", |p| p.num_samples += F::ONE),
        ("num_frames", |p| p.num_frames += F::ONE),
        ("num_hops", |p| p.num_hops -= F::ONE),
        ("sponge in", |p| p.sponge_in[1] += F::ONE),
        ("sponge out", |p| p.sponge_out[3] += F::ONE),
        ("digest", |p| p.digest[0] += F::ONE),
        ("tail", |p| p.tail[40] += F::ONE),
    ];
    for (name, corrupt) in fields {
        let mut pis = trace.public_inputs.clone();
        corrupt(std::borrow::BorrowMut::borrow_mut(&mut pis[..]));
        assert!(!violations(&stark, &trace.rows, &pis, 1).is_empty(), "a wrong {name} went unnoticed");
    }
}

#[test]
fn small_chunks_chain_too() {
    use stark_frames::chunk::public::ChunkPublicInputs;
    let audio = common::load(&common::fixtures().join("speech/flite_kal_2.wav"));
    let reference = stark_frames::fixed::mfcc(audio.samples());
    let hops = audio.len().div_ceil(160);
    for k in [16usize, 32, 48] {
        let stark = ChunkStark::<F, D>::new(k);
        let chunks = hops.div_ceil(k);
        let traces: Vec<ChunkTrace<F>> =
            (0..chunks).map(|c| ChunkTrace::generate(audio.samples(), k * c, k, stark.blocks())).collect();
        for (c, t) in traces.iter().enumerate() {
            assert!(violations(&stark, &t.rows, &t.public_inputs, 3).is_empty(), "K={k} chunk {c}");
            for (i, wit) in t.frames.iter().enumerate() {
                if k * c + i < reference.len() {
                    assert_eq!(wit.mfcc, reference[k * c + i]);
                }
            }
        }
        let pis: Vec<&ChunkPublicInputs<F>> = traces.iter().map(|t| t.public_inputs[..].borrow()).collect();
        for c in 0..chunks - 1 {
            assert_eq!(pis[c].sponge_out, pis[c + 1].sponge_in, "K={k}: sponge {c}");
            assert_eq!(pis[c].tail, pis[c + 1].head, "K={k}: boundary {c}");
        }
        let h = stark_frames::commitment::commit_audio(audio.samples());
        let digest: Vec<u64> = pis[chunks - 1].digest.iter().map(|x| x.to_canonical_u64()).collect();
        assert_eq!(digest, h.0.iter().map(|x| x.to_canonical_u64()).collect::<Vec<_>>(), "K={k}");
        let count: u64 = pis.iter().map(|p| p.stats.count.to_canonical_u64()).sum();
        let want = stark_frames::fixed::pooled::pooled_stats(
            &reference,
            stark_frames::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24,
        );
        assert_eq!(count, want.count, "K={k}");
    }
}

/// Proves a trace (possibly corrupted) with these public inputs and verifies the proof;
/// true when the result is a verified proof. A prover panic counts as rejection.
fn proves_and_verifies(stark: ChunkStark<F, D>, trace: ChunkTrace<F>, pis: Vec<F>) -> bool {
    use plonky2::util::timing::TimingTree;
    use starky::config::StarkConfig;
    let polys = trace.into_polys();
    let result = std::panic::catch_unwind(move || {
        let config = StarkConfig::standard_fast_config();
        starky::prover::prove::<F, C, _, D>(stark, &config, polys, &pis, None, &mut TimingTree::default())
            .and_then(|p| starky::verifier::verify_stark_proof(stark, p, &config, None))
    });
    matches!(result, Ok(Ok(())))
}

/// One corrupted cell per constraint family, and one corrupted public value: every proof is rejected.
#[test]
fn tampered_traces_do_not_verify() {
    use stark_frames::chunk::columns::COL_MAP;
    use stark_frames::chunk::schedule::{
        bin_slot, butterfly_slot, dct_slot, log_slot, LOG_ROWS, PROLOGUE_ROW, SPLIT_FIRST_ROW, STATS_ROW, STATS_WEIGHT,
    };
    let cases = [
        ("pre-emphasis input (sample)", COL_MAP.samples[210], 6),
        ("window (windowed sample)", COL_MAP.general[33], fft_row(0)),
        ("frame energy", COL_MAP.frame_energy, PROLOGUE_ROW),
        ("FFT stage 4", COL_MAP.limbs[butterfly_slot(17).t_im.start], fft_row(4)),
        ("power", COL_MAP.limbs[bin_slot(9).power.start], SPLIT_FIRST_ROW + 1),
        ("mel sum", COL_MAP.general[ACC_OFFSET + 11], MEL_RESULT_ROW),
        ("log", COL_MAP.general[log_slot(6).general + 3], LOG_ROWS[0]),
        ("DCT and lifter", COL_MAP.limbs[dct_slot(11).1.start], LOG_ROWS[0]),
        ("hash", COL_MAP.hash[321], 5),
        ("statistics", COL_MAP.general[STATS_WEIGHT], STATS_ROW),
    ];
    let (stark, honest, _) = fixture_trace("espeak_sc_f4_3.wav", 64, 64);
    assert!(proves_and_verifies(stark, fixture_trace("espeak_sc_f4_3.wav", 64, 64).1, honest.public_inputs.clone()));
    for (name, col, block_row) in cases {
        let (_, mut trace, _) = fixture_trace("espeak_sc_f4_3.wav", 64, 64);
        trace.rows[7 * ROWS_PER_FRAME + block_row][col] += F::ONE;
        trace.refill_range_table();
        let pis = trace.public_inputs.clone();
        assert!(!proves_and_verifies(stark, trace, pis), "a proof with a corrupted {name} cell verified");
    }
    // A boundary value: the tail of the chunk as a public input.
    let mut pis = honest.public_inputs.clone();
    let at = pis.len() - 40;
    pis[at] += F::ONE;
    assert!(!proves_and_verifies(stark, honest, pis), "a proof with a wrong public value verified");
}
