//! `voizk`: prove in zero knowledge that a voice recording matches an enrolled
//! voice template. This binary is the command-line edge: argument parsing,
//! input loading, output formatting; the work is done by the library crates.

mod args;
mod backstop;
mod commands;
mod corpus;
mod durable;
mod experiment;
mod huge_pages;
mod input;
mod output;
mod plot;

use clap::{CommandFactory, Parser};

#[global_allocator]
static ALLOCATOR: huge_pages::HugePageAlloc = huge_pages::HugePageAlloc;

fn main() {
    let args = args::Cli::parse();
    // `experiment` sweeps its --threads list in child processes, each of which sets its own pool.
    if !matches!(args.command, args::Command::Experiment(_)) {
        match args.global.pool_threads() {
            Ok(None) => {}
            Ok(Some(threads)) => {
                if let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global() {
                    eprintln!("error: cannot set up {threads} threads: {e}");
                    std::process::exit(1);
                }
            }
            Err(msg) => args::Cli::command().error(clap::error::ErrorKind::ValueValidation, msg).exit(),
        }
    }
    let name = args.command.name();
    let outcome = backstop::run(name, || match &args.command {
        args::Command::Mfcc(cmd) => commands::mfcc::run(cmd, &args.global),
        args::Command::HashAudio(cmd) => commands::hash_audio::run(cmd, &args.global),
        args::Command::ProveChunks(cmd) => commands::prove_chunks::run(cmd, &args.global),
        args::Command::VerifyChunk(cmd) => commands::verify_chunk::run(cmd, &args.global),
        args::Command::ProveFrames(cmd) => commands::prove_frames::run(cmd, &args.global),
        args::Command::VerifyFrames(cmd) => commands::verify_frames::run(cmd, &args.global),
        args::Command::Report(cmd) => commands::report::run(cmd, &args.global),
        args::Command::Model(args::ModelCmd::Show(cmd)) => commands::model::show(cmd, &args.global),
        args::Command::Model(args::ModelCmd::Fit(cmd)) => commands::model_fit::run(cmd, &args.global),
        args::Command::Enroll(cmd) => commands::enroll::run(cmd, &args.global),
        args::Command::Eval(cmd) => commands::eval::run(cmd, &args.global),
        args::Command::Keygen(cmd) => commands::keygen::run(cmd, &args.global),
        args::Command::Prove(cmd) => commands::prove::run(cmd, &args.global),
        // Exit codes of their own: 0 accept, 1 reject, 2 invalid.
        args::Command::Verify(cmd) => std::process::exit(commands::verify::run(cmd, &args.global)),
        args::Command::Inspect(cmd) => commands::inspect::run(cmd, &args.global),
        args::Command::Demo(cmd) => commands::demo::run(cmd, &args.global),
        args::Command::Security(cmd) => commands::security::run(cmd, &args.global),
        args::Command::TamperMatrix(cmd) => commands::tamper_matrix::run(cmd, &args.global),
        args::Command::Experiment(cmd) => commands::experiment::run(cmd, &args.global),
        args::Command::ExperimentRun(cmd) => commands::experiment_run::run(cmd, &args.global),
        args::Command::Plan(cmd) => commands::plan::run(cmd, &args.global),
        args::Command::Stage(cmd) => commands::stage::run(cmd, &args.global),
    });
    let result = match outcome {
        Ok(result) => result,
        Err(report) => {
            eprintln!("error: {}", report.replace('\n', " "));
            std::process::exit(backstop::INTERNAL_ERROR_EXIT);
        }
    };
    match result {
        Ok(()) => {}
        Err(e) if output::is_broken_pipe(&e) => {}
        Err(e) => {
            // One line: the chain of causes joined, no backtrace.
            let msg = e.chain().map(|c| c.to_string()).collect::<Vec<_>>().join(": ");
            eprintln!("error: {msg}");
            std::process::exit(1);
        }
    }
}
