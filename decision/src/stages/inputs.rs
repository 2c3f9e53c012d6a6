//! Reading a stage's input files and refusing those of another proof, each with an error that names the file
//! and says what differs: another stage or order, another recording, another nonce, other settings, another
//! circuit. The labels of a file (a stage file's header) are checked first for a clear error; then what counts:
//! the proof is decoded against the circuit the plan expects, verified, and its public values (first frame,
//! recording length, nonce, voicing threshold, `h_audio`) checked against the plan.

use std::path::Path;

use plonky2::plonk::circuit_data::VerifierCircuitData;
use plonky2::plonk::proof::ProofWithPublicInputs;
use recursion::files::digest_hex;
use recursion::plan::Stage;
use recursion::settings::RootSettings;
use recursion::stage_file::{StageFile, StageHeader};
use stark_frames::chunk::config::{C, D, F};
use stark_frames::chunk::prover::ChunkProof;
use stark_frames::chunk::values::ChunkPublicValues;

use super::plan_dir::PlanDir;
use super::StageError;

/// The header a stage file written for `stage` of `dir`'s plan by the circuit of digest `circuit_digest` has.
pub fn expected_header(dir: &PlanDir, stage: &Stage, circuit_digest: &str) -> StageHeader {
    let plan = dir.file();
    StageHeader {
        stage: stage.id(),
        settings: RootSettings::Tree(plan.settings),
        num_samples: plan.num_samples,
        h_audio: plan.h_audio.to_string(),
        nonce: plan.nonce.to_string(),
        circuit_digest: circuit_digest.to_string(),
    }
}

/// Checks the public values of `file`, a proof of `stage`, against the plan: the recording's length, the nonce,
/// the voicing threshold, the first frame its place in the plan gives (`first_frame`), and `h_audio` when the
/// proof reaches the end of the recording.
pub fn check_values(
    dir: &PlanDir,
    file: &Path,
    values: &ChunkPublicValues,
    first_frame: usize,
    voicing_threshold_q24: i64,
) -> Result<(), StageError> {
    let plan = dir.file();
    let mismatch = |reason: String| Err(StageError::Mismatch { file: file.to_path_buf(), reason });
    if values.num_samples != plan.num_samples as u64 {
        return mismatch(format!(
            "a proof of another recording ({} samples; the plan's has {})",
            values.num_samples, plan.num_samples
        ));
    }
    if let Some(h_audio) = &values.h_audio {
        if *h_audio != plan.h_audio.to_string() {
            return mismatch(format!(
                "a proof of another recording (h_audio {h_audio}; the plan's is {})",
                plan.h_audio
            ));
        }
    }
    if values.nonce != plan.nonce.to_string() {
        return mismatch(format!("bound to another nonce ({}; the plan's is {})", values.nonce, plan.nonce));
    }
    if values.voicing_threshold_q24 != voicing_threshold_q24 {
        return mismatch(format!(
            "pooled with voicing threshold {} (Q24); the model's is {voicing_threshold_q24}",
            values.voicing_threshold_q24
        ));
    }
    if values.first_frame != first_frame {
        return mismatch(format!(
            "proves frames from {}, its place in the plan starts at frame {first_frame}: a file of another place \
             (order)",
            values.first_frame
        ));
    }
    Ok(())
}

/// Reads chunk `index`'s proof file, refuses one of another chunk size, verifies it and checks its public
/// values against the plan.
pub fn read_chunk(dir: &PlanDir, chunk: &Stage, voicing_threshold_q24: i64) -> Result<ChunkProof, StageError> {
    let Stage::Chunk { index, frames } = *chunk else { unreachable!("a chunk stage") };
    let name = chunk.output();
    let file = dir.path(&name);
    let bytes = dir.read(&name, Some(&chunk.id()))?;
    let proof =
        ChunkProof::from_bytes(&bytes).map_err(|source| StageError::ChunkFile { file: file.clone(), source })?;
    if proof.frames_per_chunk != frames {
        return Err(StageError::Mismatch {
            file,
            reason: format!(
                "a chunk of {} frames; the plan's chunks have {frames} (other settings)",
                proof.frames_per_chunk
            ),
        });
    }
    proof.verify().map_err(|source| StageError::ChunkFile { file: file.clone(), source })?;
    check_values(dir, &file, &proof.public_values(), index * frames, voicing_threshold_q24)?;
    Ok(proof)
}

/// Reads the leaf or fold proof that `child` of the plan wrote, made by the circuit `circuit` (whose proofs
/// span `span` frames each): checks its header against the plan, decodes it against the circuit, verifies it,
/// and checks its public values (its first frame is `index * span`).
pub fn read_stage_proof(
    dir: &PlanDir,
    child: &Stage,
    index: usize,
    span: usize,
    circuit: &VerifierCircuitData<F, C, D>,
    voicing_threshold_q24: i64,
) -> Result<ProofWithPublicInputs<F, C, D>, StageError> {
    let name = child.output();
    let file = dir.path(&name);
    let bytes = dir.read(&name, Some(&child.id()))?;
    let stage_file =
        StageFile::from_bytes(&bytes).map_err(|source| StageError::ProofFile { file: file.clone(), source })?;
    let found = &stage_file.header;
    let expected = expected_header(dir, child, &digest_hex(circuit.verifier_only.circuit_digest));
    let mismatch = |reason: String| Err(StageError::Mismatch { file: file.clone(), reason });
    if found.stage != expected.stage {
        return mismatch(format!(
            "holds the proof of stage {}, not of {}: files of another order",
            found.stage, expected.stage
        ));
    }
    if found.settings != expected.settings {
        return mismatch(format!("made with settings {}, the plan's are {}", found.settings, expected.settings));
    }
    if (found.num_samples, &found.h_audio) != (expected.num_samples, &expected.h_audio) {
        return mismatch(format!(
            "a proof of another recording (h_audio {}, {} samples; the plan's is {}, {} samples)",
            found.h_audio, found.num_samples, expected.h_audio, expected.num_samples
        ));
    }
    if found.nonce != expected.nonce {
        return mismatch(format!("bound to another nonce ({}; the plan's is {})", found.nonce, expected.nonce));
    }
    if found.circuit_digest != expected.circuit_digest {
        return mismatch(format!(
            "made by circuit {}, the plan's {} is {} (another build or settings)",
            found.circuit_digest,
            child.name(),
            expected.circuit_digest
        ));
    }
    let proof =
        stage_file.decode(&circuit.common).map_err(|source| StageError::ProofFile { file: file.clone(), source })?;
    let verified = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| circuit.verify(proof.clone())));
    match verified {
        Ok(Ok(())) => {}
        Ok(Err(e)) => return mismatch(format!("the proof does not verify: {e}")),
        Err(_) => return mismatch("the proof does not verify: malformed proof structure".into()),
    }
    let values = ChunkPublicValues::decode(&proof.public_inputs, span);
    check_values(dir, &file, &values, index * span, voicing_threshold_q24)?;
    Ok(proof)
}
