//! `lanterna-server`: serve the sync API, administer units, devices and coordinators, and
//! print the report tables from the command line.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};
use chrono::{Duration, Utc};
use clap::{Parser, Subcommand, ValueEnum};
use lanterna::domain::tables::Selection;
use lanterna::domain::{Activity, Lang, Province, parse_date};
use lanterna::report::Format;
use lanterna::wire::PersonSummary;
use lanterna_server::config::Config;
use lanterna_server::http::{AppState, CODE_LIFETIME_HOURS, serve};
use lanterna_server::report::{self, Kind};
use lanterna_server::secret;
use lanterna_server::store::{self, Backend};
use uuid::Uuid;

// Not `Debug`: `--db` may carry a password.
#[derive(Parser)]
#[command(name = "lanterna-server", version, about = "Lanterna sync endpoint")]
struct Cli {
    /// Settings file (TOML); also LANTERNA_SERVER_CONFIG
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// The store: sqlite://PATH or postgres://...; also LANTERNA_SERVER_DB
    #[arg(long, global = true)]
    db: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API
    Serve {
        /// Address to listen on; also LANTERNA_SERVER_LISTEN
        #[arg(long)]
        listen: Option<String>,
    },
    /// Units
    Unit {
        #[command(subcommand)]
        command: UnitCommand,
    },
    /// Print a one-time enrollment code for a unit (valid 24 hours), alone on its last line
    Enroll {
        /// The unit's name or id
        unit: String,
    },
    /// Devices
    Device {
        #[command(subcommand)]
        command: DeviceCommand,
    },
    /// Coordinators (read API)
    Coordinator {
        #[command(subcommand)]
        command: CoordinatorCommand,
    },
    /// Named reporting periods (the phones count persons met in each)
    Period {
        #[command(subcommand)]
        command: PeriodCommand,
    },
    /// Print a report table from the stored summaries
    Report(ReportArgs),
}

#[derive(Debug, Subcommand)]
enum PeriodCommand {
    /// Add a named period; the phones count the persons met in it from their next sync
    Add {
        /// Its name (1 to 80 characters, unique), e.g. "Bando 2023-2024"
        name: String,
        /// First day (YYYY-MM-DD)
        #[arg(value_parser = date)]
        from: chrono::NaiveDate,
        /// Last day, included (YYYY-MM-DD)
        #[arg(value_parser = date)]
        to: chrono::NaiveDate,
    },
    /// List the named periods, oldest first
    List,
}

#[derive(Debug, Subcommand)]
enum UnitCommand {
    /// Add a unit
    Add {
        /// Its name
        name: String,
    },
    /// List the units
    List,
}

#[derive(Debug, Subcommand)]
enum DeviceCommand {
    /// List the devices
    List,
    /// Revoke a device: its token stops working at once
    Revoke {
        /// The device's id
        id: Uuid,
    },
}

#[derive(Debug, Subcommand)]
enum CoordinatorCommand {
    /// Add a coordinator; prints the token once, alone on its last line
    Add {
        /// Their name
        name: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Text,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
struct ReportArgs {
    /// Which table: street, labour, indoor, massage, services, items
    #[arg(value_parser = table)]
    kind: Kind,
    /// First day (YYYY-MM-DD)
    #[arg(long, value_parser = date)]
    from: Option<chrono::NaiveDate>,
    /// Last day (YYYY-MM-DD)
    #[arg(long, value_parser = date)]
    to: Option<chrono::NaiveDate>,
    /// A published period instead of --from/--to: a named one (period list), a month
    /// 2023-05, a quarter 2023-Q2 or a year 2023. Street and labour tables then count
    /// persons, as they do when --from/--to are exactly such a period
    #[arg(long, conflicts_with_all = ["from", "to"])]
    period: Option<String>,
    /// One province (sigla)
    #[arg(long)]
    province: Option<Province>,
    /// One unit (name or id); without it the tables are across units
    #[arg(long)]
    unit: Option<String>,
    /// Services and items: one activity
    #[arg(long)]
    activity: Option<Activity>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    format: FormatArg,
    /// Smallest count shown in cross-unit tables (default from the settings, 3)
    #[arg(long)]
    k: Option<u64>,
    /// Label language
    #[arg(long, default_value = "it")]
    lang: Lang,
}

fn table(s: &str) -> Result<Kind, String> {
    Kind::parse(s).ok_or_else(|| format!("'{s}': expected street, labour, indoor, massage, services or items"))
}
fn date(s: &str) -> Result<chrono::NaiveDate, String> {
    parse_date(s).map_err(|e| e.to_string())
}

/// Why a named period cannot be added, in words.
fn check_period(name: &str, from: chrono::NaiveDate, to: chrono::NaiveDate) -> anyhow::Result<()> {
    let chars = name.chars().count();
    if !(1..=80).contains(&chars) {
        bail!("period name '{name}': {chars} characters; a period name has 1 to 80");
    }
    if name.chars().any(char::is_control) {
        bail!("period name {name:?}: no control characters (tabs, line breaks)");
    }
    if report::calendar(name).is_some() {
        bail!("period name '{name}': calendar months, quarters and years are published already; choose another name");
    }
    if from > to {
        bail!("period '{name}': FROM {from} is after TO {to}");
    }
    let days = (to - from).num_days() + 1;
    if days > PersonSummary::MAX_DAYS {
        bail!("period '{name}': {days} days, longer than the {} the phones count persons in", PersonSummary::MAX_DAYS);
    }
    Ok(())
}

fn unit_id(backend: &dyn Backend, name_or_id: &str) -> anyhow::Result<Uuid> {
    let units = backend.units()?;
    units
        .iter()
        .find(|u| u.name == name_or_id || u.id.to_string() == name_or_id)
        .map(|u| u.id)
        .with_context(|| format!("no unit '{name_or_id}' (lanterna-server unit list)"))
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(db) = cli.db {
        config.db = db;
    }
    let open = || store::open(&config.db);
    match cli.command {
        Command::Serve { listen } => {
            if let Some(l) = listen {
                config.listen = l;
            }
            let backend: Arc<dyn Backend> = Arc::from(open()?);
            let state = AppState::new(backend.clone(), config);
            let runtime = tokio::runtime::Runtime::new()?;
            let served = runtime.block_on(serve(state, |addr| println!("lanterna-server: listening on http://{addr}")));
            // Every request has had its answer. Ending the runtime drops what its tasks
            // still held; then the last handle on the store goes and the store closes.
            drop(runtime);
            drop(backend);
            served?;
            eprintln!("lanterna-server: stopped");
        }
        Command::Unit { command: UnitCommand::Add { name } } => {
            if name.trim().is_empty() || name.len() > 100 {
                bail!("a unit name has 1 to 100 characters");
            }
            let u = open()?.add_unit(name.trim())?;
            println!("unit {} added: {}", u.name, u.id);
        }
        Command::Unit { command: UnitCommand::List } => {
            for u in open()?.units()? {
                println!("{}  {}  {}", u.id, u.created_at.format("%Y-%m-%d"), u.name);
            }
        }
        Command::Enroll { unit } => {
            let b = open()?;
            let id = unit_id(b.as_ref(), &unit)?;
            let code = secret::code();
            let expires = Utc::now() + Duration::hours(CODE_LIFETIME_HOURS);
            b.add_enrollment(id, &secret::hash(&code), expires)?;
            println!("one-time code for unit {unit}, valid until {} UTC:", expires.format("%Y-%m-%d %H:%M"));
            println!("{code}");
        }
        Command::Device { command: DeviceCommand::List } => {
            let b = open()?;
            let units = b.units()?;
            for d in b.devices()? {
                let unit = units.iter().find(|u| u.id == d.unit).map_or("?", |u| u.name.as_str());
                let state =
                    d.revoked_at.map_or("active".to_owned(), |t| format!("revoked {}", t.format("%Y-%m-%d %H:%M")));
                println!("{}  {}  enrolled {}  {state}", d.id, unit, d.enrolled_at.format("%Y-%m-%d %H:%M"));
            }
        }
        Command::Device { command: DeviceCommand::Revoke { id } } => {
            if !open()?.revoke(id, Utc::now())? {
                bail!("no device {id} (lanterna-server device list)");
            }
            println!("device {id} revoked");
        }
        Command::Coordinator { command: CoordinatorCommand::Add { name } } => {
            let token = secret::token();
            let id = open()?.add_coordinator(name.trim(), &secret::hash(&token))?;
            println!("coordinator {name} added ({id}); their token, shown once:");
            println!("{token}");
        }
        Command::Period { command: PeriodCommand::Add { name, from, to } } => {
            let name = name.trim();
            check_period(name, from, to)?;
            let p = open()?.add_period(name, from, to)?;
            println!("period {} added: {} to {}", p.name, p.from, p.to);
        }
        Command::Period { command: PeriodCommand::List } => {
            for p in open()?.periods()? {
                println!("{}  {}  {}", p.from, p.to, p.name);
            }
        }
        Command::Report(a) => {
            let b = open()?;
            let unit = a.unit.as_deref().map(|u| unit_id(b.as_ref(), u)).transpose()?;
            let (from, to) = match a.period.as_deref() {
                Some(name) => {
                    let p = report::published(b.as_ref(), name).with_context(|| "--period".to_owned())?;
                    (Some(p.from), Some(p.to))
                }
                None => (a.from, a.to),
            };
            let selection = Selection { from, to, province: a.province, activity: a.activity };
            let q = report::Query {
                unit,
                lang: a.lang,
                k: a.k.unwrap_or(config.k),
                ..report::Query::over(b.as_ref(), a.kind, selection)?
            };
            let format = match a.format {
                FormatArg::Text => Format::Text,
                FormatArg::Csv => Format::Csv,
                FormatArg::Json => Format::Json,
            };
            print!("{}", report::render(b.as_ref(), &q, format)?);
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
