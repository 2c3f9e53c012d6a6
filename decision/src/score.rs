//! The score and the decision.
//!
//! Integer: `score = sum_d u_d t_d` for the unit embeddings `u` (the recording) and `t` (the template), both
//! `Q15`, so `score` is the cosine in `Q30` (`|score| <= 116 * 2^30`; in practice within a few units of
//! `[-2^30, 2^30]`). Accept iff `score >= threshold_q30`. `f64`: the cosine of the standardised vectors.

use crate::embedding::{Embedding, UNIT_BITS};

/// A `Q30` score (or threshold) as the cosine it stands for.
pub fn cosine(score_q30: i64) -> f64 {
    score_q30 as f64 / (1u64 << (2 * UNIT_BITS)) as f64
}

/// `sum u_d t_d` (`Q30`).
pub fn score_q30(u: &Embedding, t: &Embedding) -> i64 {
    u.iter().zip(t).map(|(a, b)| a * b).sum()
}

/// Accept iff the score reaches the threshold.
pub fn accepts(score_q30: i64, threshold_q30: i64) -> bool {
    score_q30 >= threshold_q30
}

/// Cosine similarity of two `f64` vectors (0 if either is zero).
pub fn cosine_f64(a: &[f64], b: &[f64]) -> f64 {
    let dot: f64 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na = a.iter().map(|x| x * x).sum::<f64>().sqrt();
    let nb = b.iter().map(|x| x * x).sum::<f64>().sqrt();
    if na == 0.0 || nb == 0.0 {
        0.0
    } else {
        dot / (na * nb)
    }
}
