//! The fold's rules (`combine.rs`), checked natively on the children's public values before proving, so a
//! wrong input is reported by the rule it breaks instead of as a failed witness generation. The circuit
//! enforces the same rules on its own; this check only improves the error.

use plonky2::field::types::{Field, PrimeField64};
use stark_frames::chunk::config::F;
use stark_frames::chunk::public::ChunkPublicInputs;
use stark_frames::params::{num_frames, FRAME_LEN, HOP};

/// Where a fold sits in the tree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FoldRole {
    /// Below the root: any range of the recording.
    Inner,
    /// The root: its range starts the recording, and the recording has at most `max_hops` hops.
    Root {
        /// The tree's maximum length in hops (160 samples each).
        max_hops: usize,
    },
}

/// A fold rule that the children's public values break.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("child {child}: {rule}")]
pub struct RuleViolation {
    /// Position of the offending child among the fold's children.
    pub child: usize,
    /// The rule, with the values that break it.
    pub rule: String,
}

fn n(x: F) -> u64 {
    x.to_canonical_u64()
}

fn violation(child: usize, rule: String) -> Result<(), RuleViolation> {
    Err(RuleViolation { child, rule })
}

/// Checks that `children` (the present ones, in order; at most `arity`) may be folded: see `combine.rs`.
pub fn check_children(
    children: &[&ChunkPublicInputs<F>],
    arity: usize,
    child_frames: usize,
    role: FoldRole,
) -> Result<(), RuleViolation> {
    for (i, pair) in children.windows(2).enumerate() {
        let (l, r, i) = (pair[0], pair[1], i + 1);
        let recording = |p: &ChunkPublicInputs<F>| [p.num_samples, p.num_frames, p.num_hops].map(n);
        if recording(l) != recording(r) {
            return violation(
                i,
                format!(
                    "states another recording (samples, frames, hops) {:?} than child {} {:?}",
                    recording(r),
                    i - 1,
                    recording(l)
                ),
            );
        }
        if l.voicing_threshold != r.voicing_threshold {
            return violation(i, format!("uses another voicing threshold than child {}", i - 1));
        }
        if l.nonce != r.nonce {
            return violation(i, format!("is bound to another session nonce than child {}", i - 1));
        }
        let expected = n(l.first_frame) + child_frames as u64;
        if n(r.first_frame) != expected {
            return violation(
                i,
                format!(
                    "starts at frame {}, but child {} starts at {} and spans {child_frames}: expected {expected} \
                     (children out of order, overlapping or with a gap)",
                    n(r.first_frame),
                    i - 1,
                    n(l.first_frame)
                ),
            );
        }
        if l.sponge_out != r.sponge_in {
            return violation(i, format!("its audio sponge does not continue child {}'s", i - 1));
        }
        if l.tail != r.head {
            return violation(i, format!("its first samples differ from the last samples of child {}", i - 1));
        }
        if r.delta_has_prev != F::ONE {
            return violation(i, "states that its first frame has no previous frame, but it follows a child".into());
        }
        if l.delta_out != r.delta_in {
            return violation(i, format!("its regression deltas do not continue child {}'s", i - 1));
        }
    }
    let last = children.len() - 1;
    if children.len() < arity {
        let (first, hops) = (n(children[last].first_frame), n(children[0].num_hops));
        if !(first < hops && hops - 1 < first + child_frames as u64) {
            return violation(
                last,
                format!(
                    "is the last of {} children of {arity}, so it must hold the recording's last hop {}, but it \
                     spans frames {first}..{} (children are missing)",
                    children.len(),
                    hops.saturating_sub(1),
                    first + child_frames as u64
                ),
            );
        }
    }
    if let FoldRole::Root { max_hops } = role {
        check_root(children[0], max_hops)?;
    }
    Ok(())
}

/// Checks the root rules (`combine::root_checks`) on the public values of the proof a root verifies (its
/// first child): the range starts the recording, the recording has at least one frame and at most
/// `max_hops` hops, and its frame and hop counts are those its length defines.
pub fn check_root(c: &ChunkPublicInputs<F>, max_hops: usize) -> Result<(), RuleViolation> {
    if n(c.first_frame) != 0 {
        return violation(0, format!("the root must start at frame 0, not {}", n(c.first_frame)));
    }
    if c.sponge_in != [F::ZERO; 4] {
        return violation(0, "the root's audio sponge must start from zero".into());
    }
    if n(c.head[0]) != 1 << 15 {
        return violation(0, "the sample before the recording's first frame must be 0".into());
    }
    if c.delta_has_prev != F::ZERO {
        return violation(
            0,
            "the recording's first frame has no previous frame to take a regression delta from".into(),
        );
    }
    let (samples, frames, hops) = (n(c.num_samples), n(c.num_frames), n(c.num_hops));
    if !(1..=max_hops as u64).contains(&hops) {
        return violation(0, format!("the recording has {hops} hops, outside 1..={max_hops}"));
    }
    if samples < FRAME_LEN as u64 {
        return violation(0, format!("the recording has {samples} samples, fewer than one frame ({FRAME_LEN})"));
    }
    let want_hops = samples.div_ceil(HOP as u64);
    if hops != want_hops {
        return violation(0, format!("{samples} samples make {want_hops} hops, the proof states {hops}"));
    }
    let want_frames = num_frames(samples as usize).map_or(0, |f| f as u64);
    if frames != want_frames {
        return violation(0, format!("{samples} samples make {want_frames} frames, the proof states {frames}"));
    }
    Ok(())
}
