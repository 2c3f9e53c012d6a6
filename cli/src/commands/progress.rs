//! Progress of the tree prover: a bar per layer on a terminal, one line per layer on a pipe, nothing with
//! `--quiet`. Everything goes to stderr.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use recursion::progress::Progress;

/// Shows [`Progress`] events as they come.
pub struct LayerProgress {
    quiet: bool,
    terminal: bool,
    bar: Option<ProgressBar>,
    layer: Option<(String, Instant)>,
}

impl LayerProgress {
    /// A display for `--quiet` (silent) or not.
    pub fn new(quiet: bool) -> Self {
        Self { quiet, terminal: std::io::stderr().is_terminal(), bar: None, layer: None }
    }

    /// Handles one event.
    pub fn event(&mut self, event: Progress) {
        if let Progress::Layer { name, .. } = &event {
            crate::backstop::enter_stage(name);
        }
        if self.quiet {
            return;
        }
        match event {
            Progress::Layer { name, steps } => {
                self.finish();
                if self.terminal {
                    let bar = ProgressBar::new(steps as u64);
                    let style =
                        ProgressStyle::with_template(&format!("{name:<24} {{bar:30}} {{pos}}/{{len}}, {{elapsed}}"))
                            .expect("valid template");
                    bar.set_style(style);
                    bar.enable_steady_tick(Duration::from_millis(200));
                    self.bar = Some(bar);
                } else {
                    eprintln!("{name}: {steps} step{}", if steps == 1 { "" } else { "s" });
                }
                self.layer = Some((name, Instant::now()));
            }
            Progress::Step => {
                if let Some(bar) = &self.bar {
                    bar.inc(1);
                }
            }
            Progress::Note(line) => match &self.bar {
                Some(bar) => bar.println(line),
                None => eprintln!("{line}"),
            },
        }
    }

    /// Closes the current layer (prints its time).
    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        if let Some((name, start)) = self.layer.take() {
            if !self.quiet {
                eprintln!("{name}: done in {:.1} s", start.elapsed().as_secs_f64());
            }
        }
    }
}
