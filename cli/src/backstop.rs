//! The last line of defence against a bug: a panic anywhere in a command, in the prover's worker threads
//! included (rayon hands a worker's panic to the thread that waits for it), becomes one line
//! `error: internal error in <stage>: <message>` and the exit code [`INTERNAL_ERROR_EXIT`], never a
//! backtrace dump. Every input error is an ordinary error before that; reaching this is a bug to report.
//!
//! The stage is the command's name, then each layer its progress announces (`chunk STARK (K = 512)`,
//! `leaf`, ...). Panics that the library catches on purpose (plonky2's decoders and provers, turned into
//! errors by `recursion::guard`) print nothing either.

use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

/// Exit code of an internal error: distinct from every documented code (`verify`'s 1 means a valid proof
/// of reject), `EX_SOFTWARE` of sysexits.
pub const INTERNAL_ERROR_EXIT: i32 = 70;

/// Environment variable that makes the named stage fail in a worker thread, to test this backstop.
pub const INJECT_FAILURE_ENV: &str = "VOIZK_TEST_FAIL_STAGE";

static STAGE: Mutex<String> = Mutex::new(String::new());
static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Records the stage the command is in (and fails there in a worker thread if [`INJECT_FAILURE_ENV`]
/// names it).
pub fn enter_stage(name: &str) {
    if let Ok(mut stage) = STAGE.lock() {
        name.clone_into(&mut stage);
    }
    if std::env::var(INJECT_FAILURE_ENV).is_ok_and(|s| name.starts_with(&s)) {
        rayon::scope(|scope| scope.spawn(|_| panic!("failure injected by {INJECT_FAILURE_ENV}")));
    }
}

/// Runs a command behind the backstop: its result, or, if it panicked, the one-line report of the panic.
pub fn run<T>(command: &str, body: impl FnOnce() -> T) -> Result<T, String> {
    panic::set_hook(Box::new(|info| {
        let location = info.location().map(|l| format!(" ({}:{})", l.file(), l.line())).unwrap_or_default();
        if let Ok(mut last) = LAST_PANIC.lock() {
            *last = Some(format!("{}{location}", message(info.payload())));
        }
    }));
    enter_stage(command);
    panic::catch_unwind(AssertUnwindSafe(body)).map_err(|payload| {
        let stage = STAGE.lock().map(|s| s.clone()).unwrap_or_default();
        let what = LAST_PANIC.lock().ok().and_then(|mut l| l.take()).unwrap_or_else(|| message(&*payload));
        format!("internal error in {stage}: {what}")
    })
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}
