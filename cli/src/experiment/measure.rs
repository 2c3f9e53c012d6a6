//! What one configuration's child process measures and hands to the sweep, as JSON on its stdout: the
//! report of every layer, named by stage, where each circuit came from, the pool size, the peak resident
//! memory and the wall time.

use anyhow::{bail, Context, Result};
use recursion::report::LayerReport;

/// Where a layer's circuit came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CircuitSource {
    /// No circuit: the chunk STARK has no preprocessing.
    None,
    /// Built by this run (its build time is the build's, including writing it to the circuit cache if one is
    /// used).
    Built,
    /// Read from the circuit cache (its build time is the read's).
    Cached,
}

impl CircuitSource {
    /// The CSV spelling: `none`, `built`, `cached`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Built => "built",
            Self::Cached => "cached",
        }
    }

    /// The value of a CSV spelling.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::None, Self::Built, Self::Cached].into_iter().find(|v| v.as_str() == s)
    }
}

/// One layer of a configuration's proof.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StageReport {
    /// Stage id: `chunk`, `leaf`, `fold1` .. `foldD`, `root` (see [`stage_ids`]).
    pub stage: String,
    /// Where its circuit came from.
    pub circuit: CircuitSource,
    /// The prover's report of the layer.
    pub report: LayerReport,
}

/// What a child process measured for one configuration.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Measurement {
    /// rayon's pool size in the child (the configuration's thread count).
    pub threads: usize,
    /// The layers, from the chunk STARK to the root wrap.
    pub layers: Vec<StageReport>,
    /// Peak resident set of the child (`VmHWM`), bytes: circuits, proofs and everything else it held.
    pub peak_rss_bytes: u64,
    /// The child's time from start to its report: circuits built, then the recording proven.
    pub wall_secs: f64,
    /// CPU time of the child, user and system, all threads, seconds: against `wall_secs` times the threads, the
    /// share of the cores it got (less than one when other work ran on the machine).
    pub cpu_secs: f64,
}

/// The stage ids of a tree of `depth` fold levels, in the provers' order: `chunk`, `leaf`, `fold1` ..
/// `fold{depth}`, `root`.
pub fn stage_ids(depth: usize) -> Vec<String> {
    let folds = (1..=depth).map(|l| format!("{FOLD_STAGE}{l}"));
    [CHUNK_STAGE.to_string(), LEAF_STAGE.to_string()].into_iter().chain(folds).chain([ROOT_STAGE.to_string()]).collect()
}

/// The stage id of the chunk STARK.
pub const CHUNK_STAGE: &str = "chunk";
/// The stage id of the leaf.
pub const LEAF_STAGE: &str = "leaf";
/// The prefix of the fold levels' stage ids (`fold1`, `fold2`, ...).
pub const FOLD_STAGE: &str = "fold";
/// The stage id of the root wrap.
pub const ROOT_STAGE: &str = "root";

/// Names the layers of a tree of `depth` fold levels by stage (they come in the provers' order), the leaf's
/// circuit from `leaf`, every fold and the wrap built. Fails if there are not `depth + 3` layers.
pub fn label_stages(layers: Vec<LayerReport>, depth: usize, leaf: CircuitSource) -> Result<Vec<StageReport>> {
    let ids = stage_ids(depth);
    if layers.len() != ids.len() {
        bail!("the prover reported {} layers; a tree of depth {depth} has {}", layers.len(), ids.len());
    }
    Ok(ids
        .into_iter()
        .zip(layers)
        .map(|(stage, report)| {
            let circuit = match stage.as_str() {
                CHUNK_STAGE => CircuitSource::None,
                LEAF_STAGE => leaf,
                _ => CircuitSource::Built,
            };
            StageReport { stage, circuit, report }
        })
        .collect())
}

/// Where the leaf for `frames` frames came from, from the progress notes of building the circuits: with a
/// cache, the note of `recursion::leaf_cache` says `leaf K = {frames}: read from the circuit cache in ..`
/// when it was read (the CLI tests of `prove-frames` check that wording), and otherwise that it was built.
pub fn leaf_source(with_cache: bool, frames: usize, notes: &[String]) -> CircuitSource {
    let read = format!("leaf K = {frames}: read from the circuit cache");
    if with_cache && notes.iter().any(|n| n.starts_with(&read)) {
        CircuitSource::Cached
    } else {
        CircuitSource::Built
    }
}

/// The peak resident set of this process so far, bytes (`VmHWM` of `/proc/self/status`, Linux).
pub fn peak_rss_bytes() -> Result<u64> {
    let status = std::fs::read_to_string("/proc/self/status")
        .context("cannot read /proc/self/status (peak memory is measured on Linux only)")?;
    parse_vm_hwm(&status).context("/proc/self/status has no VmHWM line")
}

/// The CPU time of this process so far (user and system, every thread), seconds (`/proc/self/stat`, Linux).
pub fn cpu_secs() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat")
        .context("cannot read /proc/self/stat (CPU time is measured on Linux only)")?;
    parse_cpu_ticks(&stat).map(|ticks| ticks as f64 / USER_HZ).context("/proc/self/stat has no utime and stime")
}

/// Clock ticks per second of `/proc/PID/stat`'s times (`USER_HZ`, 100 on Linux whatever the kernel's `HZ`).
const USER_HZ: f64 = 100.0;

/// `utime + stime` (fields 14 and 15) of a `/proc/PID/stat` line, in clock ticks. The command name (field 2)
/// is in parentheses and may hold spaces, so fields are counted after its closing parenthesis.
fn parse_cpu_ticks(stat: &str) -> Option<u64> {
    let after_name = &stat[stat.rfind(')')? + 1..];
    // Field 3 (state) is the first after the name: utime and stime are the 12th and 13th from there.
    let mut fields = after_name.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    Some(utime + stime)
}

/// The `VmHWM:  123456 kB` line of a `/proc/PID/status` text, in bytes.
fn parse_vm_hwm(status: &str) -> Option<u64> {
    let line = status.lines().find_map(|l| l.strip_prefix("VmHWM:"))?;
    let mut words = line.split_whitespace();
    let value: u64 = words.next()?.parse().ok()?;
    (words.next()? == "kB").then_some(value * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(layer: &str) -> LayerReport {
        LayerReport {
            layer: layer.into(),
            proofs: 1,
            degree_bits: 13,
            gates: Some(4000),
            build_secs: 1.0,
            prove_secs: 2.0,
            proof_bytes: 134_472,
        }
    }

    #[test]
    fn stages_are_named_in_the_provers_order() {
        assert_eq!(stage_ids(2), ["chunk", "leaf", "fold1", "fold2", "root"]);
        let layers = ["chunk STARK (K = 512)", "leaf", "fold level 1 (top)", "root (wrap)"].map(report).to_vec();
        let staged = label_stages(layers.clone(), 1, CircuitSource::Cached).unwrap();
        let got: Vec<_> = staged.iter().map(|s| (s.stage.as_str(), s.circuit, s.report.layer.as_str())).collect();
        assert_eq!(
            got,
            [
                ("chunk", CircuitSource::None, "chunk STARK (K = 512)"),
                ("leaf", CircuitSource::Cached, "leaf"),
                ("fold1", CircuitSource::Built, "fold level 1 (top)"),
                ("root", CircuitSource::Built, "root (wrap)"),
            ]
        );
        let e = label_stages(layers, 2, CircuitSource::Built).unwrap_err().to_string();
        assert_eq!(e, "the prover reported 4 layers; a tree of depth 2 has 5");
        for s in [CircuitSource::None, CircuitSource::Built, CircuitSource::Cached] {
            assert_eq!(CircuitSource::parse(s.as_str()), Some(s));
        }
        assert_eq!(CircuitSource::parse("loaded"), None);
    }

    #[test]
    fn the_leaf_source_is_read_from_the_cache_note() {
        let read = vec!["leaf K = 512: read from the circuit cache in 4.9 s".to_string()];
        let built = vec!["leaf K = 512: built in 10.4 s, including writing 638.5 MB to the circuit cache /c".into()];
        assert_eq!(leaf_source(true, 512, &read), CircuitSource::Cached);
        assert_eq!(leaf_source(true, 256, &read), CircuitSource::Built, "another size's note");
        assert_eq!(leaf_source(true, 512, &built), CircuitSource::Built);
        assert_eq!(leaf_source(false, 512, &[]), CircuitSource::Built);
    }

    #[test]
    fn peak_memory_comes_from_vm_hwm() {
        let status = "Name:\tvoizk\nVmPeak:\t 9999 kB\nVmHWM:\t  123456 kB\nVmRSS:\t 100 kB\n";
        assert_eq!(parse_vm_hwm(status), Some(123_456 * 1024));
        assert_eq!(parse_vm_hwm("VmRSS:\t 100 kB\n"), None);
        assert_eq!(parse_vm_hwm("VmHWM:\t 12 MB\n"), None);
        assert!(peak_rss_bytes().unwrap() > 0, "this test process has a resident set");
    }

    #[test]
    fn cpu_time_comes_from_proc_stat() {
        let stat = "4242 (vo izk) R 1 4242 4242 0 -1 4194304 100 0 0 0 250 31 0 0 20 0 3 0 1 2 3";
        assert_eq!(parse_cpu_ticks(stat), Some(281));
        assert_eq!(parse_cpu_ticks("4242 (voizk) R 1"), None);
        let before = cpu_secs().unwrap();
        let spin = (0..20_000_000u64).fold(0u64, |a, i| a.wrapping_mul(31).wrapping_add(i));
        assert!(std::hint::black_box(spin) != 1 && cpu_secs().unwrap() >= before);
    }
}
