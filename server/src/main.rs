//! The `arbejdsbord` binary: serves the workbench, or runs one of the commands of CONTRACT.md.

#![recursion_limit = "512"]

use clap::Parser;

/// mimalloc: much less time in malloc/free for imports of millions of rows, and less memory
/// fragmentation with thousands of open live connections.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use server::config::{Cli, Command, IsServe};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    server::telemetry::init(cli.command.is_serve());
    let result = match cli.command.unwrap_or_default() {
        Command::Serve(opts) => server::startup::serve(&cli.database_url, opts, cli.limits.limits()).await,
        other => server::cli::run(&cli.database_url, cli.limits.limits(), other).await,
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("fejl: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
