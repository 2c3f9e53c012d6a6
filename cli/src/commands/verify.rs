//! `voizk verify PROOF --key KEY --nonce HEX [--audio-commitment H] [--template-commitment H]`.
//!
//! Exit codes: 0 valid and accept, 1 valid and reject, 2 anything else (unreadable files, a proof that does
//! not verify against the key, or public inputs other than the ones expected).

use std::time::Instant;

use anyhow::{bail, Context, Result};
use decision::files::{DecisionKey, FinalProofFile};
use decision::statement::{Hex4, Statement};

use super::inspect::print_statement;
use crate::args::{GlobalOpts, VerifyCmd};
use crate::output::with_stdout;

/// Exit code of a valid proof of accept.
pub const EXIT_ACCEPT: i32 = 0;
/// Exit code of a valid proof of reject.
pub const EXIT_REJECT: i32 = 1;
/// Exit code of an invalid or mismatching proof.
pub const EXIT_INVALID: i32 = 2;

/// Verifies and prints the verdict; returns the exit code.
pub fn run(cmd: &VerifyCmd, global: &GlobalOpts) -> i32 {
    match verified(cmd) {
        Ok((key, statement, verify_ms)) => {
            let printed = with_stdout(|out| {
                if global.json {
                    let json = serde_json::json!({
                        "valid": true,
                        "accept": statement.accept,
                        "statement": statement,
                        "key_digest": key.header.key_digest,
                        "settings": key.header.settings,
                        "verify_ms": verify_ms,
                    });
                    return writeln!(out, "{json}");
                }
                writeln!(
                    out,
                    "{}: valid, {} (verified in {verify_ms:.1} ms against key {})",
                    cmd.proof.display(),
                    if statement.accept { "ACCEPT" } else { "REJECT" },
                    key.header.key_digest
                )?;
                print_statement(out, &statement)
            });
            if let Err(e) = printed {
                if !crate::output::is_broken_pipe(&e) {
                    eprintln!("error: {e}");
                }
            }
            if statement.accept {
                EXIT_ACCEPT
            } else {
                EXIT_REJECT
            }
        }
        Err(e) => {
            let reason = e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ");
            if global.json {
                println!("{}", serde_json::json!({ "valid": false, "reason": reason }));
            }
            eprintln!("error: {reason}");
            EXIT_INVALID
        }
    }
}

/// The key, the verified statement (checked against every expected value) and the verification time.
fn verified(cmd: &VerifyCmd) -> Result<(DecisionKey, Statement, f64)> {
    let kname = cmd.key.display().to_string();
    let key_bytes = std::fs::read(&cmd.key).with_context(|| kname.clone())?;
    let key = DecisionKey::from_bytes(&key_bytes).with_context(|| kname.clone())?;
    let name = cmd.proof.display().to_string();
    let bytes = std::fs::read(&cmd.proof).with_context(|| name.clone())?;
    if bytes.is_empty() {
        bail!("{name}: empty (0 bytes), not a final proof");
    }
    let file = FinalProofFile::from_bytes(&bytes).with_context(|| name.clone())?;
    let t = Instant::now();
    let statement = file.verify(&key).with_context(|| name.clone())?;
    let verify_ms = t.elapsed().as_secs_f64() * 1e3;
    expect(&name, "nonce", statement.nonce, Some(cmd.nonce))?;
    expect(&name, "h_audio", statement.h_audio, cmd.audio_commitment)?;
    expect(&name, "h_template", statement.h_template, cmd.template_commitment)?;
    Ok((key, statement, verify_ms))
}

fn expect(name: &str, what: &str, stated: Hex4, expected: Option<Hex4>) -> Result<()> {
    match expected {
        Some(e) if e != stated => bail!("{name}: the proof states {what} {stated}, expected {e}"),
        _ => Ok(()),
    }
}
