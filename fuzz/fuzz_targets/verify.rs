//! `verify` end to end on mutated final proofs and decision keys. The honest pair is read once from the files
//! named by `VOIZK_FUZZ_KEY` and `VOIZK_FUZZ_PROOF` (scripts/fuzz.sh makes them with `voizk keygen` and
//! `voizk prove`), and must verify. The first input byte chooses what the rest replaces: even, the proof; odd, the key. A mutated
//! file may be refused or verify; it may verify only if it is byte for byte the honest file (the readers are
//! strict), so anything else that verifies is a finding.
#![no_main]

use std::sync::OnceLock;

use decision::files::{DecisionKey, FinalProofFile};
use libfuzzer_sys::fuzz_target;

/// The honest key and proof bytes.
fn honest() -> &'static (Vec<u8>, Vec<u8>) {
    static PAIR: OnceLock<(Vec<u8>, Vec<u8>)> = OnceLock::new();
    PAIR.get_or_init(|| {
        let read = |var: &str| {
            let path = std::env::var(var).unwrap_or_else(|_| panic!("{var} names the honest file"));
            std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
        };
        let (key, proof) = (read("VOIZK_FUZZ_KEY"), read("VOIZK_FUZZ_PROOF"));
        // A stale pair (made by an older build) would only exercise the refusals: the honest pair must verify.
        DecisionKey::from_bytes(&key)
            .and_then(|k| FinalProofFile::from_bytes(&proof).and_then(|f| f.verify(&k)))
            .unwrap_or_else(|e| {
                panic!("the honest pair does not verify ({e}): remake it (scripts/fuzz.sh without env)")
            });
        (key, proof)
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let (key_bytes, proof_bytes) = honest();
    let (key_bytes, proof_bytes) =
        if mode % 2 == 0 { (key_bytes.as_slice(), rest) } else { (rest, proof_bytes.as_slice()) };
    let verified = DecisionKey::from_bytes(key_bytes)
        .and_then(|key| FinalProofFile::from_bytes(proof_bytes).and_then(|file| file.verify(&key)));
    if verified.is_ok() {
        assert_eq!((key_bytes, proof_bytes), (honest().0.as_slice(), honest().1.as_slice()), "a mutated file verified");
    }
});
