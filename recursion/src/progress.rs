//! Progress events: what a prover or a circuit builder is doing, for progress displays.
//!
//! Every layer reports through `&mut dyn FnMut(Progress)`; this module imports nothing of the crate, so any
//! layer may report without depending on the layers that show the events (the CLI) or that run it.

/// What the prover is doing, for progress displays.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Progress {
    /// A layer starts: its name and how many proofs (or circuits) it makes.
    Layer {
        /// Layer name as in reports.
        name: String,
        /// Steps in the layer.
        steps: usize,
    },
    /// One step of the current layer is done.
    Step,
    /// A line worth showing, such as where a circuit came from (the disk cache, or built).
    Note(String),
}
