//! The chunk STARK on real audio: the trace reproduces the integer reference
//! bit for bit, every constraint holds, proofs verify, and corrupting one named
//! cell is caught.

mod common;

use std::borrow::Borrow;

use plonky2::field::types::{Field, PrimeField64};
use plonky2::plonk::config::{GenericConfig, PoseidonGoldilocksConfig};
use stark_frames::chunk::check::{self, violations};
use stark_frames::chunk::columns::{FrameRow, COL_MAP};
use stark_frames::chunk::layout::{
    dct_slot, delta_quotient_slot, hop_limb, log_slot, shift_bound_slots, spectrum_slot, square_slot, COPY_OFFSET,
    PREV_SAMPLE_LIMB,
};
use stark_frames::chunk::stark::ChunkStark;
use stark_frames::chunk::trace::ChunkTrace;
use stark_frames::params::{NUM_CEPS, NUM_STAT_VALUES};

const D: usize = 2;
type C = PoseidonGoldilocksConfig;
type F = <C as GenericConfig<D>>::F;

fn fixture_trace(name: &str, first: usize, frames: usize) -> (ChunkStark<F, D>, ChunkTrace<F>, Vec<i16>) {
    let audio = common::load(&common::fixtures().join("speech").join(name));
    let stark = ChunkStark::<F, D>::new(frames);
    let trace = ChunkTrace::generate(audio.samples(), first, frames, stark.height());
    (stark, trace, audio.samples().to_vec())
}

fn cols(trace: &ChunkTrace<F>, row: usize) -> &FrameRow<F> {
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
    assert_eq!(trace.frames.len(), 64);
    for (i, wit) in trace.frames.iter().enumerate() {
        assert_eq!(wit, &reference[3 + i], "frame {}", 3 + i);
        let row = cols(&trace, i);
        for (k, x) in wit.spectrum.iter().enumerate() {
            let held = |imag| check::signed(spectrum_slot(k, imag).value.eval(&mut check::Values, &row.limbs));
            assert_eq!((held(false), held(true)), (x.re, x.im), "frame {i} X[{k}]");
        }
        let energies = stark_frames::chunk::log_air::energies(&mut check::Values, row);
        for (j, &m) in wit.mel.iter().enumerate() {
            assert_eq!(energies[j].to_canonical_u64(), m, "frame {i} mel {j}");
        }
        assert_eq!(energies[26].to_canonical_u64(), wit.energy);
        assert_eq!(check::read_mfcc(&trace.rows[i]), wit.mfcc, "frame {i} MFCC");
        assert_eq!(check::read_values(&trace.rows[i]), wit.values(), "frame {i} statistics values");
    }
}

/// Every fixture, cut into chunks of 256 frames: every constraint holds on every row, every frame's 13 MFCCs
/// read from the trace equal the integer reference, and the last chunk's digest is `h_audio`.
#[test]
fn every_fixture_proves_its_reference_mfccs() {
    use stark_frames::chunk::public::ChunkPublicInputs;
    let k = 256;
    let stark = ChunkStark::<F, D>::new(k);
    let mut frames_checked = 0;
    for wav in common::speech_wavs() {
        let audio = common::load(&wav);
        let reference = stark_frames::fixed::mfcc(audio.samples());
        let chunks = audio.len().div_ceil(160).div_ceil(k);
        let mut sponge = [F::ZERO; 4];
        for c in 0..chunks {
            let trace = ChunkTrace::generate(audio.samples(), k * c, k, stark.height());
            let bad = violations(&stark, &trace.rows, &trace.public_inputs, 3);
            assert!(bad.is_empty(), "{}: chunk {c}: {bad:?}", wav.display());
            let pis: &ChunkPublicInputs<F> = trace.public_inputs[..].borrow();
            assert_eq!(pis.sponge_in, sponge, "{}: chunk {c} continues the sponge", wav.display());
            sponge = pis.sponge_out;
            for (i, row) in trace.rows.iter().enumerate().take(k) {
                if let Some(want) = reference.get(k * c + i) {
                    assert_eq!(&check::read_mfcc(row), want, "{}: frame {}", wav.display(), k * c + i);
                    frames_checked += 1;
                }
            }
            if c + 1 == chunks {
                let h = stark_frames::commitment::commit_audio(audio.samples());
                let digest: Vec<u64> = pis.digest.iter().map(|x| x.to_canonical_u64()).collect();
                assert_eq!(digest, h.0.iter().map(|x| x.to_canonical_u64()).collect::<Vec<_>>(), "{}", wav.display());
            }
        }
    }
    println!("{frames_checked} frames checked");
    assert!(frames_checked > 7000);
}

/// Corrupts one cell (column index) of the chunk's third frame and returns the violations.
fn tamper(col: usize) -> Vec<stark_frames::chunk::check::Violation> {
    let (stark, mut trace, _) = fixture_trace("flite_awb_2.wav", 40, 64);
    trace.rows[2][col] += F::ONE;
    violations(&stark, &trace.rows, &trace.public_inputs, 5)
}

#[test]
fn corrupted_cells_break_constraints() {
    let last = stark_frames::chunk::poseidon_x7::POSEIDON_X7_COLS - 1;
    let cases = [
        ("sample", COL_MAP.samples[123]),
        ("sample of the next frame's overlap", COL_MAP.samples[390]),
        ("prev_sample", COL_MAP.prev_sample),
        ("end-marker one-hot", COL_MAP.end_marker[0]),
        ("end correction", COL_MAP.end_correction),
        ("frame_energy", COL_MAP.frame_energy),
        ("shift one-hot", COL_MAP.shift[3]),
        ("shift bound limb", COL_MAP.limbs[shift_bound_slots().1.start]),
        ("spectrum remainder", COL_MAP.limbs[spectrum_slot(17, false).rem.start]),
        ("spectrum value", COL_MAP.limbs[spectrum_slot(100, true).value.start + 1]),
        ("spectrum value of bin 0", COL_MAP.limbs[spectrum_slot(0, false).value.start]),
        ("hop range limb", COL_MAP.limbs[hop_limb(12)]),
        ("prev_sample range limb", COL_MAP.limbs[PREV_SAMPLE_LIMB]),
        ("log zero flag", COL_MAP.logs[3].is_zero),
        ("log inverse", COL_MAP.logs[8].inv),
        ("log exponent bit", COL_MAP.logs[10].bits[4]),
        ("log power of two", COL_MAP.logs[2].pow[3]),
        ("log normaliser", COL_MAP.logs[5].norm),
        ("log mantissa", COL_MAP.limbs[log_slot(5).u.start]),
        ("log upper bound", COL_MAP.limbs[log_slot(26).upper.start]),
        ("log Horner quotient", COL_MAP.limbs[log_slot(13).horner[4].value.start]),
        ("DCT coefficient", COL_MAP.limbs[dct_slot(7).value.start]),
        ("scaled copy of a partial limb", COL_MAP.limbs[COPY_OFFSET + 10]),
        ("range counter", COL_MAP.range_counter),
        ("frame index", COL_MAP.frame_index),
        ("real flag", COL_MAP.flags.real),
        ("hop-live flag", COL_MAP.flags.hop_live),
        ("in-chunk flag", COL_MAP.flags.in_chunk),
        ("absorb flag", COL_MAP.flags.absorb_hop),
        ("hash first-round S-box", COL_MAP.hash[0][3]),
        ("hash partial-round S-box", COL_MAP.hash[4][100]),
        ("hash last-round S-box (feeds the next capacity)", COL_MAP.hash[9][last]),
        ("length-block hash", COL_MAP.hash[10][0]),
        ("sponge capacity", COL_MAP.sponge_cap[2]),
        ("digest", COL_MAP.digest[0]),
        ("c0 column", COL_MAP.voicing.c0),
        ("voiced flag", COL_MAP.voicing.voiced),
        ("weight", COL_MAP.voicing.weight),
        ("weighted coefficient", COL_MAP.voicing.weighted_value[3]),
        ("weighted log mel energy", COL_MAP.voicing.weighted_value[NUM_CEPS + 4]),
        ("weighted log mel quotient", COL_MAP.voicing.weighted_q[NUM_CEPS + 9]),
        ("square quotient", COL_MAP.limbs[square_slot(5).value.start]),
        ("log mel square remainder", COL_MAP.limbs[square_slot(NUM_CEPS + 2).rem.start]),
        ("log mel square quotient", COL_MAP.limbs[square_slot(NUM_CEPS + 20).value.start]),
        ("running sum", COL_MAP.stats.sum_sq[7]),
        ("log mel running sum", COL_MAP.stats.sum[NUM_CEPS + 11]),
        ("log mel running sum of squares", COL_MAP.stats.sum_sq[NUM_CEPS + 25]),
        ("delta register (previous delta quotients)", COL_MAP.delta.prev_e[3][6]),
        ("delta register of a log mel energy", COL_MAP.delta.prev_e[0][NUM_CEPS + 5]),
        ("delta register (previous weights)", COL_MAP.delta.prev_weight[1]),
        ("delta remainder bit", COL_MAP.delta.rem_bits[4][1]),
        ("rescaled delta quotient", COL_MAP.limbs[delta_quotient_slot(9).start]),
        ("delta running sum", COL_MAP.delta.sum_dsq[NUM_CEPS + 3]),
        ("delta running sum of a cepstrum", COL_MAP.delta.sum_dsq[2]),
    ];
    for (name, col) in cases {
        assert!(!tamper(col).is_empty(), "corrupting the {name} went unnoticed");
    }
}

/// The recording's first row: its register must be its own delta quotients four times (the clamped start) and no
/// open weights; one corrupted cell of either breaks a first-row constraint.
#[test]
fn the_first_rows_register_is_its_own_quotients() {
    let (stark, trace, _) = fixture_trace("flite_awb_2.wav", 0, 64);
    assert!(violations(&stark, &trace.rows, &trace.public_inputs, 1).is_empty());
    for (name, col) in [
        ("delta quotient of frame -4", COL_MAP.delta.prev_e[3][5]),
        ("delta quotient of frame -1", COL_MAP.delta.prev_e[0][NUM_CEPS + 7]),
        ("weight of frame -1", COL_MAP.delta.prev_weight[0]),
        ("weight of frame -2", COL_MAP.delta.prev_weight[1]),
    ] {
        let mut rows = trace.rows.clone();
        rows[0][col] += F::ONE;
        let bad = violations(&stark, &rows, &trace.public_inputs, 5);
        assert!(bad.iter().any(|v| v.row == 0), "corrupting the {name} on the first row went unnoticed: {bad:?}");
    }
}

#[test]
fn proof_verifies_and_tampered_proof_is_rejected() {
    use plonky2::util::timing::TimingTree;
    let (stark, trace, _) = fixture_trace("flite_rms_3.wav", 64, 64);
    assert_eq!(trace.public_inputs.len(), stark_frames::chunk::public::NUM_PUBLIC_INPUTS);
    let config = stark_frames::chunk::config::chunk_config();
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
    // A limb of 2^16 is outside the range table; its multiplicity cannot be accounted for.
    let (stark, mut trace, _) = fixture_trace("flite_rms_3.wav", 0, 64);
    // The remainder's low limb and the value's low limb can trade 2^16 for a carry of one into the limb
    // above: the constraints hold, only the range check tells the two apart.
    let slot = spectrum_slot(40, false);
    let row = &mut trace.rows[5];
    row[COL_MAP.limbs[slot.rem.start]] += F::from_canonical_u64(1 << 16);
    row[COL_MAP.limbs[slot.rem.start + 1]] -= F::ONE;
    trace.refill_range_table();
    assert!(
        violations(&stark, &trace.rows, &trace.public_inputs, 1).is_empty(),
        "the re-split remainder satisfies every constraint"
    );
    let config = stark_frames::chunk::config::chunk_config();
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
    starky::stark_testing::test_stark_low_degree(ChunkStark::<F, D>::new(64)).expect("degree <= CONSTRAINT_DEGREE");
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
        (0..4).map(|c| ChunkTrace::generate(audio.samples(), 64 * c, 64, stark.height())).collect();
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
    let reference = stark_frames::fixed::frame_values(audio.samples());
    let want = stark_frames::fixed::pooled::pooled_stats(
        &reference,
        stark_frames::fixed::pooled::DEFAULT_VOICING_THRESHOLD_Q24,
    );
    assert!(want.count > 50 && want.count < reference.len() as u64, "voicing splits the frames: {}", want.count);
    for n in 0..NUM_STAT_VALUES {
        let sum: i64 = pis.iter().map(|p| check::signed(p.stats.sum[n])).sum();
        let sum_sq: i64 = pis.iter().map(|p| check::signed(p.stats.sum_sq[n])).sum();
        assert_eq!((sum, sum_sq), (want.sum[n], want.sum_sq[n]), "statistics value {n}");
    }
    let count: u64 = pis.iter().map(|p| p.stats.count.to_canonical_u64()).sum();
    assert_eq!(count, want.count);
    assert_deltas_chain(&pis, &want, "K=64");
    // The MFCCs and log mel energies of the real frames of the last chunk (192..251) match the reference.
    for i in 0..reference.len() - 192 {
        assert_eq!(check::read_values(&traces[3].rows[i]), reference[192 + i], "frame {}", 192 + i);
    }
}

#[test]
fn wrong_public_values_are_rejected() {
    use stark_frames::chunk::public::ChunkPublicInputs;
    let (stark, trace, _) = fixture_trace("flite_awb_1.wav", 192, 64);
    type Corrupt = fn(&mut ChunkPublicInputs<F>);
    let fields: [(&str, Corrupt); 17] = [
        ("delta sum", |p| p.delta_sum_dsq[2] += F::ONE),
        ("delta has-previous flag", |p| p.delta_has_prev -= F::ONE),
        ("delta weight in", |p| p.delta_in.weight[1] = F::ONE - p.delta_in.weight[1]),
        ("delta quotients in", |p| p.delta_in.e[3][0] += F::ONE),
        ("delta out", |p| p.delta_out.e[2][30] += F::ONE),
        ("delta weight out", |p| p.delta_out.weight[0] = F::ONE - p.delta_out.weight[0]),
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
    let reference = stark_frames::fixed::frame_values(audio.samples());
    let hops = audio.len().div_ceil(160);
    for k in [16usize, 32, 48] {
        let stark = ChunkStark::<F, D>::new(k);
        let chunks = hops.div_ceil(k);
        let traces: Vec<ChunkTrace<F>> =
            (0..chunks).map(|c| ChunkTrace::generate(audio.samples(), k * c, k, stark.height())).collect();
        for (c, t) in traces.iter().enumerate() {
            assert!(violations(&stark, &t.rows, &t.public_inputs, 3).is_empty(), "K={k} chunk {c}");
            for (i, wit) in t.frames.iter().enumerate() {
                if k * c + i < reference.len() {
                    assert_eq!(wit.values(), reference[k * c + i]);
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
        assert_deltas_chain(&pis, &want, &format!("K={k}"));
    }
}

/// Recordings of 1 to 6 frames, in chunks of 1, 2 and 4 frames: the regression deltas' clamped start and end
/// (frames before 0 read as frame 0, frames past the last as the last) meet in the same rows, and a chunk may
/// end on the recording's last frame or one frame before it. Every trace satisfies the constraints and the
/// chunks' sums are the reference's.
#[test]
fn shortest_recordings_clamp_both_ends() {
    use stark_frames::chunk::public::ChunkPublicInputs;
    use stark_frames::fixed::pooled::{pooled_stats, DEFAULT_VOICING_THRESHOLD_Q24};
    let audio = common::load(&common::fixtures().join("speech/flite_awb_2.wav"));
    // Voiced speech from frame 60 on.
    let speech = &audio.samples()[60 * 160..];
    for frames in 1..=6usize {
        let clip = &speech[..400 + 160 * (frames - 1)];
        let reference = stark_frames::fixed::frame_values(clip);
        assert_eq!(reference.len(), frames);
        let want = pooled_stats(&reference, DEFAULT_VOICING_THRESHOLD_Q24);
        assert!(want.count >= frames as u64 - 1, "{frames} frames: {} voiced", want.count);
        for k in [1usize, 2, 4] {
            let stark = ChunkStark::<F, D>::new(k);
            let traces: Vec<ChunkTrace<F>> = (0..clip.len().div_ceil(160).div_ceil(k))
                .map(|c| ChunkTrace::generate(clip, k * c, k, stark.height()))
                .collect();
            for (c, t) in traces.iter().enumerate() {
                let bad = violations(&stark, &t.rows, &t.public_inputs, 3);
                assert!(bad.is_empty(), "{frames} frames, K={k}, chunk {c}: {bad:?}");
            }
            let pis: Vec<&ChunkPublicInputs<F>> = traces.iter().map(|t| t.public_inputs[..].borrow()).collect();
            assert_eq!(pis[0].delta_has_prev, F::ZERO);
            for c in 1..pis.len() {
                assert_eq!(pis[c - 1].delta_out, pis[c].delta_in, "{frames} frames, K={k}: hand-over {c}");
            }
            for n in 0..NUM_STAT_VALUES {
                let sum: i64 = pis.iter().map(|p| check::signed(p.delta_sum_dsq[n])).sum();
                assert_eq!(sum, want.sum_dsq[n], "{frames} frames, K={k}: value {n}");
            }
        }
    }
}

/// Each chunk hands its successor what it receives, the first receives nothing, and the chunks' sums of
/// regression deltas add up to the whole recording's (`fixed::pooled`), with at least one term nonzero.
fn assert_deltas_chain(
    pis: &[&stark_frames::chunk::public::ChunkPublicInputs<F>],
    want: &stark_frames::fixed::pooled::PooledStats,
    what: &str,
) {
    assert_eq!(pis[0].delta_has_prev, F::ZERO, "{what}: first chunk");
    for c in 1..pis.len() {
        assert_eq!(pis[c].delta_has_prev, F::ONE, "{what}: chunk {c} has a previous frame");
        assert_eq!(pis[c - 1].delta_out, pis[c].delta_in, "{what}: delta hand-over {} -> {c}", c - 1);
    }
    assert!(pis[..pis.len() - 1].iter().any(|p| p.delta_out.weight == [F::ONE; 2]), "{what}: open terms cross");
    for n in 0..NUM_STAT_VALUES {
        let sum: i64 = pis.iter().map(|p| check::signed(p.delta_sum_dsq[n])).sum();
        assert_eq!(sum, want.sum_dsq[n], "{what}: regression deltas of value {n}");
    }
    assert!(want.sum_dsq.iter().all(|&s| s > 0), "{what}: {:?}", want.sum_dsq);
}

/// One corrupted cell per constraint family, and one corrupted public value: every proof is rejected.
#[test]
fn tampered_traces_do_not_verify() {
    let cases = [
        ("pre-emphasis input (sample)", COL_MAP.samples[210]),
        ("end-of-audio correction", COL_MAP.end_correction),
        ("frame energy", COL_MAP.frame_energy),
        ("windowed DFT (spectrum)", COL_MAP.limbs[spectrum_slot(77, true).value.start]),
        ("power and mel (log witness)", COL_MAP.logs[11].inv),
        ("log", COL_MAP.logs[6].bits[3]),
        ("DCT and lifter", COL_MAP.limbs[dct_slot(11).value.start]),
        ("hash", COL_MAP.hash[2][100]),
        ("statistics", COL_MAP.voicing.weight),
        ("boundary (overlap sample)", COL_MAP.samples[300]),
    ];
    let (stark, honest, _) = fixture_trace("espeak_sc_f4_3.wav", 64, 64);
    assert!(common::proves_and_verifies(
        stark,
        fixture_trace("espeak_sc_f4_3.wav", 64, 64).1,
        honest.public_inputs.clone()
    ));
    for (name, col) in cases {
        let (_, mut trace, _) = fixture_trace("espeak_sc_f4_3.wav", 64, 64);
        trace.rows[7][col] += F::ONE;
        trace.refill_range_table();
        let pis = trace.public_inputs.clone();
        assert!(!common::proves_and_verifies(stark, trace, pis), "a proof with a corrupted {name} cell verified");
    }
    // A boundary value: the tail of the chunk as a public input.
    let mut pis = honest.public_inputs.clone();
    let at = pis.len() - 40;
    pis[at] += F::ONE;
    assert!(!common::proves_and_verifies(stark, honest, pis), "a proof with a wrong public value verified");
}
