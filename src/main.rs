//! Thin: parse the command line, then run a subcommand or start the app.

use std::process::ExitCode;

use clap::Parser;
use lanterna::cli::{self, Cli};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match &cli.command {
        Some(command) => cli::run(&cli, command, &mut std::io::stdout().lock()),
        None => start_app(&cli),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The app on the renderer this binary was built for: a native window with `desktop`, the
/// phone app with `mobile`, else the embedded default (liveview on 127.0.0.1).
fn start_app(cli: &Cli) -> anyhow::Result<()> {
    let path = cli.db_path();
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| anyhow::anyhow!("cannot create {}: {e}", dir.display()))?;
    }
    let vault = lanterna::ui::Vault::new(path.clone());
    if cfg!(any(feature = "desktop", feature = "mobile")) {
        println!("Lanterna: database {}", path.display());
        lanterna::ui::launch_native(vault);
        return Ok(());
    }
    #[cfg(feature = "liveview")]
    {
        // The link carries this launch's secret: printed on its own line, logged nowhere else.
        let options = lanterna::ui::liveview::Options::new()?;
        let url = |addr| options.url(addr);
        let runtime = tokio::runtime::Runtime::new()?;
        runtime.block_on(lanterna::ui::liveview::serve(vault, options.clone(), cli.port, |addr| {
            println!("Lanterna: database {}; open this link (it carries this launch's key):", path.display());
            println!("{}", url(addr));
        }))?;
    }
    Ok(())
}
