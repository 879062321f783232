//! Thin: parse the command line, then run a subcommand or start the app.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use lanterna::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => cli::run(&cli, command, &mut std::io::stdout().lock()),
        None => {
            let _ = Cli::command().print_help();
            println!("\nDatabase: {}", cli.db_path().display());
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
