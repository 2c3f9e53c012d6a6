//! `voizk security`: the security level of every proof layer (`decision::security_level`).

use anyhow::Result;
use decision::security_level::{layers, level};

use crate::args::GlobalOpts;
use crate::output::with_stdout;

/// The targets of issue 17: (a) conjectured, (b) provable, for layers whose proofs could be forged offline.
const TARGET_CONJECTURED: f64 = 100.0;
const TARGET_PROVABLE: f64 = 80.0;

/// Prints one row per layer (or, with `--json`, the parameters and levels).
pub fn run(global: &GlobalOpts) -> Result<()> {
    let levels: Vec<_> = layers().iter().map(level).collect();
    with_stdout(|out| {
        if global.json {
            return writeln!(out, "{}", serde_json::json!({ "field": "Goldilocks^2", "layers": levels }));
        }
        writeln!(out, "field Goldilocks (p = 2^64 - 2^32 + 1), FRI and DEEP challenges in its quadratic extension")?;
        writeln!(
            out,
            "{:<22} {:>3} {:>4} {:>3} {:>3} {:>2} {:>12} | {:>8} {:>6} {:>9} | {:>7} {:>7} {:>6} | weakest (b) terms",
            "layer", "k", "rate", "q", "pow", "nc", "FRI", "ethSTARK", "DG25", "(a) total", "(b) JBR", "BCIKS20", "UDR"
        )?;
        for l in &levels {
            let p = &l.params;
            let fri = format!("{:?}/{}", p.arity_bits, p.final_poly_len);
            let weakest: Vec<String> = l.weakest.iter().map(|(n, b)| format!("{n} {b:.1}")).collect();
            let flag = if l.conjectured < TARGET_CONJECTURED || (p.offline && l.johnson < TARGET_PROVABLE) {
                "  BELOW TARGET"
            } else {
                ""
            };
            writeln!(
                out,
                "{:<22} {:>3} {:>4} {:>3} {:>3} {:>2} {:>12} | {:>8.1} {:>6.1} {:>9.1} | {:>7.1} {:>7.1} {:>6.1} | {}{flag}",
                p.name,
                p.degree_bits,
                format!("1/{}", 1 << p.rate_bits),
                p.queries,
                p.pow_bits,
                p.num_challenges,
                fri,
                l.ethstark,
                l.random_words,
                l.conjectured,
                l.johnson,
                l.johnson_bciks20,
                l.unique_decoding,
                weakest.join(", ")
            )?;
        }
        writeln!(
            out,
            "targets: (a) >= {TARGET_CONJECTURED} bits for every layer, (b) >= {TARGET_PROVABLE} bits for every layer whose \
             proof is not bound to the verifier's nonce (all but the final)"
        )
    })
}
