//! Every file decoder on any bytes: chunk proofs, root proofs and keys, stage (leaf and fold) proof files, decision
//! keys, final proofs (framing and header), templates, models and plan files. No panic, no hang; whatever decodes re-encodes to the same bytes (the readers
//! are strict: one encoding per value).
#![no_main]

use decision::files::{DecisionKey, FinalProofFile};
use decision::model::Model;
use decision::stages::plan_dir::PlanFile;
use decision::template::Template;
use libfuzzer_sys::fuzz_target;
use recursion::files::{RootFile, RootKey};
use recursion::stage_file::StageFile;
use stark_frames::chunk::prover::ChunkProof;

fuzz_target!(|data: &[u8]| {
    if let Ok(p) = ChunkProof::from_bytes(data) {
        assert_eq!(p.to_bytes(), data, "a chunk proof with a second encoding");
    }
    if let Ok(k) = RootKey::from_bytes(data) {
        assert_eq!(k.to_bytes(), data, "a root key with a second encoding");
    }
    if let Ok(f) = RootFile::from_bytes(data) {
        assert_eq!(f.to_bytes(), data, "a root proof file with a second header");
    }
    if let Ok(f) = StageFile::from_bytes(data) {
        assert_eq!(f.to_bytes(), data, "a stage proof file with a second header");
    }
    if let Ok(k) = DecisionKey::from_bytes(data) {
        assert_eq!(k.to_bytes(), data, "a decision key with a second encoding");
    }
    if let Ok(f) = FinalProofFile::from_bytes(data) {
        assert_eq!(f.to_bytes(), data, "a final proof file with a second header");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Template::from_json(text);
        let _ = Model::from_json(text);
        let _ = serde_json::from_str::<PlanFile>(text);
    }
});
