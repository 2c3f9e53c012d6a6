pub mod oracle;
pub mod prover;
pub mod recursive_verifier;
pub mod verifier;
