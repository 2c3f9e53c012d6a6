//! Writing to stdout without panicking when the reader goes away (`| head`), and the formats of rates.

use std::io::{self, Write};

use decision::rates::Rates;

/// Runs `f` with a buffered, locked stdout and flushes it.
pub fn with_stdout(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    f(&mut out)?;
    out.flush()?;
    Ok(())
}

/// A rate as a percentage with two decimals (`0.0123` is `1.23%`).
pub fn percent(rate: f64) -> String {
    format!("{:.2}%", 100.0 * rate)
}

/// Counts at a threshold as `FAR x% (accepted/impostor), FRR y% (rejected/genuine)`.
pub fn rates_line(r: &Rates) -> String {
    format!(
        "FAR {} ({}/{}), FRR {} ({}/{})",
        percent(r.far()),
        r.false_accepts,
        r.impostor,
        percent(r.frr()),
        r.false_rejects,
        r.genuine
    )
}

/// True when the error is a closed pipe on stdout: not worth reporting.
pub fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>().is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
}
