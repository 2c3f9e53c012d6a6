//! Embeds `VOIZK_CIRCUIT_FINGERPRINT`: a hash of everything a circuit's shape can depend on (the sources of
//! the chunk STARK, of the recursion circuits, of the patched plonky2 and starky in `vendor/`, and `Cargo.lock`,
//! which pins the rest). The disk
//! cache of built circuits (`src/cache.rs`) files its entries under it, so a changed source or dependency
//! never loads a circuit built by other code.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let roots = [
        manifest.join("src"),
        manifest.join("../stark-frames/src"),
        manifest.join("../vendor/plonky2/src"),
        manifest.join("../vendor/starky/src"),
        manifest.join("../Cargo.lock"),
    ];
    let mut files = Vec::new();
    for root in &roots {
        println!("cargo:rerun-if-changed={}", root.display());
        collect(root, &mut files);
    }
    files.sort();
    // FNV-1a, 64 bits, over (relative path, contents) of every file in a fixed order.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for file in &files {
        let rel = file.strip_prefix(&manifest).unwrap_or(file);
        feed(rel.to_string_lossy().as_bytes());
        feed(&[0]);
        feed(&std::fs::read(file).expect("readable source file"));
        feed(&[0]);
    }
    println!("cargo:rustc-env=VOIZK_CIRCUIT_FINGERPRINT={hash:016x}");
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).expect("readable source directory") {
            collect(&entry.expect("directory entry").path(), out);
        }
    } else if path.is_file() {
        out.push(path.to_path_buf());
    }
}
