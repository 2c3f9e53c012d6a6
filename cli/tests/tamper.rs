//! `voizk tamper-matrix` end to end: every layer's altered proofs (each public input, flipped bits, proofs of other
//! layers and settings) are refused, and the table covers every layer and every kind of tampering.
//!
//! Slow (the matrix's tree and final circuit are built and one recording is proven through them: about two
//! minutes): one test, with few bit flips.

mod common;

use common::{text, voizk};
use stark_frames::chunk::public::NUM_PUBLIC_INPUTS;

#[test]
fn the_tamper_matrix_refuses_every_altered_proof() {
    let o = voizk(&["--json", "--quiet", "tamper-matrix", "--flips", "8", "--no-cache"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_str(&text(&o.stdout)).unwrap();
    assert_eq!(v["accepted"].as_array().unwrap().len(), 0, "{v}");
    let rows = v["rows"].as_array().unwrap();
    let layers = ["chunk STARK", "leaf", "fold level 1", "fold level 2", "root", "final", "final (compressed)"];
    for layer in layers {
        for kind in ["PublicInput", "BitFlip", "OtherLayerOrSetting"] {
            let row = rows.iter().find(|r| r["layer"] == layer && r["tampering"] == kind);
            let row = row.unwrap_or_else(|| panic!("no row for {layer} / {kind}: {v}"));
            let (tried, rejected) = (row["tried"].as_u64().unwrap(), row["rejected"].as_u64().unwrap());
            assert!(tried > 0 && tried == rejected, "{row}");
            let want = match (layer, kind) {
                ("final" | "final (compressed)", "PublicInput") => 18,
                (_, "PublicInput") => NUM_PUBLIC_INPUTS as u64,
                (_, "BitFlip") => 8,
                _ => tried,
            };
            assert_eq!(tried, want, "{row}");
        }
    }
    assert_eq!(rows.len(), layers.len() * 3);
}
