//! `results.csv`: one row per configuration and layer, and what a rerun reads back from it.
//!
//! The columns are [`COLUMNS`]: the configuration (`k`, `arity`, `max_seconds`, `depth`, `threads`,
//! `audio_seconds`), the layer (`stage` id and the prover's `layer` name), its figures (`proofs`, where its
//! `circuit` came from, `build_secs`, `prove_secs`, `gates`, `degree_bits`, `proof_bytes`), the configuration's
//! `peak_rss_bytes`, `config_secs` (the child's wall time) and `cpu_secs` (its CPU time) on each of its rows, and
//! the recording's
//! `h_audio`. A configuration is identified by `k`, `arity`, `max_seconds` and `threads` (the depth and the
//! recording's values follow from them and the recording, which is one per file): a rerun skips those present.
//!
//! Fields are written as RFC 4180 does (quoted when they hold a comma or a quote; no field holds a line break)
//! and read back the same way; a file whose header is not [`COLUMNS`] is refused rather than mixed with.

use std::collections::BTreeSet;

use anyhow::{bail, Result};

use super::config::Config;
use super::measure::{CircuitSource, Measurement};

/// The file name in the output directory.
pub const RESULTS_FILE: &str = "results.csv";

/// The header, in order.
pub const COLUMNS: [&str; 19] = [
    "k",
    "arity",
    "max_seconds",
    "depth",
    "threads",
    "audio_seconds",
    "stage",
    "layer",
    "proofs",
    "circuit",
    "build_secs",
    "prove_secs",
    "gates",
    "degree_bits",
    "proof_bytes",
    "peak_rss_bytes",
    "config_secs",
    "cpu_secs",
    "h_audio",
];

/// One row: one layer of one configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// The configuration.
    pub config: Config,
    /// Fold levels of its tree.
    pub depth: usize,
    /// Length of the recording, seconds.
    pub audio_seconds: f64,
    /// Stage id (`chunk`, `leaf`, `fold1`, .., `root`).
    pub stage: String,
    /// The prover's name of the layer.
    pub layer: String,
    /// Proofs made in the layer.
    pub proofs: usize,
    /// Where the layer's circuit came from.
    pub circuit: CircuitSource,
    /// Time to build (or read) the layer's circuit, seconds.
    pub build_secs: f64,
    /// Time to make all the layer's proofs, seconds.
    pub prove_secs: f64,
    /// Gates before padding (plonky2 layers; none for the STARK).
    pub gates: Option<usize>,
    /// log2 of the circuit size or trace height.
    pub degree_bits: usize,
    /// Size of one proof of the layer, bytes.
    pub proof_bytes: usize,
    /// Peak resident set of the configuration's process, bytes.
    pub peak_rss_bytes: u64,
    /// Wall time of the configuration's process, seconds.
    pub config_secs: f64,
    /// CPU time of the configuration's process (user and system, all threads), seconds.
    pub cpu_secs: f64,
    /// The recording's `h_audio` (64 hex digits).
    pub h_audio: String,
}

/// The recording a sweep runs on, as its rows state it.
#[derive(Clone, Debug, PartialEq)]
pub struct Recording {
    /// Length, seconds.
    pub seconds: f64,
    /// `h_audio`, 64 hex digits.
    pub h_audio: String,
}

impl Row {
    /// The rows of one configuration's measurement, one per layer.
    pub fn of_measurement(config: Config, recording: &Recording, m: &Measurement) -> Vec<Self> {
        m.layers
            .iter()
            .map(|l| Self {
                config,
                depth: config.depth(),
                audio_seconds: recording.seconds,
                stage: l.stage.clone(),
                layer: l.report.layer.clone(),
                proofs: l.report.proofs,
                circuit: l.circuit,
                build_secs: l.report.build_secs,
                prove_secs: l.report.prove_secs,
                gates: l.report.gates,
                degree_bits: l.report.degree_bits,
                proof_bytes: l.report.proof_bytes,
                peak_rss_bytes: m.peak_rss_bytes,
                config_secs: m.wall_secs,
                cpu_secs: m.cpu_secs,
                h_audio: recording.h_audio.clone(),
            })
            .collect()
    }

    /// The fields, in the order of [`COLUMNS`].
    fn fields(&self) -> [String; COLUMNS.len()] {
        let c = &self.config;
        [
            c.frames_per_chunk.to_string(),
            c.arity.to_string(),
            c.max_seconds.to_string(),
            self.depth.to_string(),
            c.threads.to_string(),
            format!("{:.3}", self.audio_seconds),
            self.stage.clone(),
            self.layer.clone(),
            self.proofs.to_string(),
            self.circuit.as_str().to_string(),
            format!("{:.3}", self.build_secs),
            format!("{:.3}", self.prove_secs),
            self.gates.map_or_else(String::new, |g| g.to_string()),
            self.degree_bits.to_string(),
            self.proof_bytes.to_string(),
            self.peak_rss_bytes.to_string(),
            format!("{:.3}", self.config_secs),
            format!("{:.3}", self.cpu_secs),
            self.h_audio.clone(),
        ]
    }

    /// A row from its fields (as many as [`COLUMNS`], in that order), or what is wrong with which column.
    fn from_fields(f: &[String]) -> std::result::Result<Self, String> {
        if f.len() != COLUMNS.len() {
            return Err(format!("{} fields, expected {}", f.len(), COLUMNS.len()));
        }
        fn num<T: std::str::FromStr>(f: &[String], i: usize) -> std::result::Result<T, String> {
            f[i].parse().map_err(|_| format!("{}: {:?} is not a number", COLUMNS[i], f[i]))
        }
        let circuit =
            CircuitSource::parse(&f[9]).ok_or_else(|| format!("circuit: {:?} is not none, built or cached", f[9]))?;
        let gates = if f[12].is_empty() { None } else { Some(num(f, 12)?) };
        Ok(Self {
            config: Config {
                frames_per_chunk: num(f, 0)?,
                arity: num(f, 1)?,
                max_seconds: num(f, 2)?,
                threads: num(f, 4)?,
            },
            depth: num(f, 3)?,
            audio_seconds: num(f, 5)?,
            stage: f[6].clone(),
            layer: f[7].clone(),
            proofs: num(f, 8)?,
            circuit,
            build_secs: num(f, 10)?,
            prove_secs: num(f, 11)?,
            gates,
            degree_bits: num(f, 13)?,
            proof_bytes: num(f, 14)?,
            peak_rss_bytes: num(f, 15)?,
            config_secs: num(f, 16)?,
            cpu_secs: num(f, 17)?,
            h_audio: f[18].clone(),
        })
    }
}

/// The header line (with its line break).
pub fn header() -> String {
    format!("{}\n", COLUMNS.join(","))
}

/// `rows` as CSV lines (each with its line break), without the header.
pub fn format_rows(rows: &[Row]) -> String {
    rows.iter().map(|r| format!("{}\n", r.fields().iter().map(|f| quote(f)).collect::<Vec<_>>().join(","))).collect()
}

/// The rows of a results file: its header must be [`COLUMNS`]; an empty text has none. Errors name the line.
pub fn parse(text: &str) -> Result<Vec<Row>> {
    let mut lines = text.lines().enumerate();
    let Some((_, head)) = lines.next() else { return Ok(Vec::new()) };
    if split(head).ok().as_deref() != Some(&COLUMNS.map(String::from)[..]) {
        bail!("its header is not that of `voizk experiment` ({}): use another --out", COLUMNS.join(","));
    }
    lines
        .filter(|(_, line)| !line.is_empty())
        .map(|(i, line)| {
            split(line).and_then(|f| Row::from_fields(&f)).map_err(|e| anyhow::anyhow!("line {}: {e}", i + 1))
        })
        .collect()
}

/// The configurations that have rows.
pub fn done(rows: &[Row]) -> BTreeSet<Config> {
    rows.iter().map(|r| r.config).collect()
}

/// Fails unless every row is of `recording` (one directory holds the sweeps of one recording).
pub fn check_recording(rows: &[Row], recording: &Recording) -> Result<()> {
    if let Some(r) = rows.iter().find(|r| r.h_audio != recording.h_audio) {
        bail!(
            "it holds results for another recording (h_audio {}, {:.2} s; this one is {}, {:.2} s): use another --out",
            r.h_audio,
            r.audio_seconds,
            recording.h_audio,
            recording.seconds
        );
    }
    Ok(())
}

/// A field as written: quoted (quotes doubled) when it holds a comma or a quote.
fn quote(field: &str) -> String {
    if field.contains([',', '"']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The fields of one line, unquoted.
fn split(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("a quoted field is not closed".into()),
                }
            }
            if !matches!(chars.peek(), None | Some(',')) {
                return Err("text after a quoted field".into());
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c == ',' {
                    break;
                }
                if c == '"' {
                    return Err("a quote inside an unquoted field".into());
                }
                field.push(c);
                chars.next();
            }
        }
        fields.push(field);
        if chars.next().is_none() {
            return Ok(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use recursion::report::LayerReport;

    use super::*;
    use crate::experiment::measure::{label_stages, CircuitSource};

    const H: &str = "4fb4b3b1000000000000000000000000000000000000000000000000e8efab00";

    fn recording() -> Recording {
        Recording { seconds: 3.0, h_audio: H.into() }
    }

    fn measurement(config: Config) -> Measurement {
        let names = ["chunk STARK (K = 512)".to_string(), "leaf".into()]
            .into_iter()
            .chain((1..=config.depth()).map(|l| format!("fold level {l}")))
            .chain(["root (wrap)".to_string()]);
        let layers = names
            .enumerate()
            .map(|(i, layer)| LayerReport {
                layer,
                proofs: 1,
                degree_bits: 13 + i,
                gates: (i > 0).then_some(1000 * i),
                build_secs: 0.5 * i as f64,
                prove_secs: 1.25 + i as f64,
                proof_bytes: 100_000 + i,
            })
            .collect();
        Measurement {
            threads: config.threads,
            layers: label_stages(layers, config.depth(), CircuitSource::Cached).unwrap(),
            peak_rss_bytes: 3_400_000_000,
            wall_secs: 31.5,
            cpu_secs: 55.25,
        }
    }

    const A: Config = Config { frames_per_chunk: 512, arity: 2, max_seconds: 30, threads: 2 };

    #[test]
    fn rows_round_trip_through_the_file() {
        let b = Config { arity: 4, threads: 1, ..A };
        let mut rows = Row::of_measurement(A, &recording(), &measurement(A));
        rows.extend(Row::of_measurement(b, &recording(), &measurement(b)));
        assert_eq!(rows.len(), 6 + 5, "depth 3 and depth 2: chunk, leaf, folds, root");
        let text = header() + &format_rows(&rows);
        let first = text.lines().nth(1).unwrap();
        assert_eq!(
            first,
            format!(
                "512,2,30,3,2,3.000,chunk,chunk STARK (K = 512),1,none,0.000,1.250,,13,100000,3400000000,31.500,55.250,{H}"
            )
        );
        let back = parse(&text).unwrap();
        assert_eq!(back, rows);
        assert_eq!(done(&back).into_iter().collect::<Vec<_>>(), vec![A, b]);
        assert_eq!(parse("").unwrap(), vec![]);
        assert_eq!(parse(&header()).unwrap(), vec![]);
    }

    #[test]
    fn resume_skips_the_configurations_present_and_keeps_one_recording() {
        let rows = Row::of_measurement(A, &recording(), &measurement(A));
        let text = header() + &format_rows(&rows);
        let done = done(&parse(&text).unwrap());
        assert!(done.contains(&A));
        assert!(!done.contains(&Config { threads: 1, ..A }), "another thread count is another configuration");
        assert!(check_recording(&rows, &recording()).is_ok());
        let other = Recording { seconds: 2.5, h_audio: "ab".repeat(32) };
        let e = check_recording(&rows, &other).unwrap_err().to_string();
        assert!(e.starts_with(&format!("it holds results for another recording (h_audio {H}, 3.00 s")), "{e}");
    }

    #[test]
    fn fields_are_quoted_and_damaged_files_name_the_line() {
        let mut row = Row::of_measurement(A, &recording(), &measurement(A)).remove(0);
        row.layer = "a \"quoted\", layer".into();
        let text = header() + &format_rows(std::slice::from_ref(&row));
        assert!(text.contains(r#","a ""quoted"", layer","#), "{text}");
        assert_eq!(parse(&text).unwrap(), vec![row]);
        assert_eq!(split("a,,\"\"").unwrap(), ["a", "", ""]);

        let good = header() + &format_rows(&Row::of_measurement(A, &recording(), &measurement(A)));
        let err = |t: &str| parse(t).unwrap_err().to_string();
        assert!(err("k,arity\n").starts_with("its header is not that of `voizk experiment`"));
        assert_eq!(
            err(&good.replacen(",none,", ",loaded,", 1)),
            "line 2: circuit: \"loaded\" is not none, built or cached"
        );
        assert_eq!(err(&good.replacen("\n512,", "\nx,", 1)), "line 2: k: \"x\" is not a number");
        assert_eq!(err(&format!("{}1,2\n", header())), "line 2: 2 fields, expected 19");
        assert_eq!(err(&format!("{}\"open\n", header())), "line 2: a quoted field is not closed");
        assert_eq!(err(&format!("{}a\"b\n", header())), "line 2: a quote inside an unquoted field");
        assert_eq!(err(&format!("{}\"a\"b\n", header())), "line 2: text after a quoted field");
    }
}
