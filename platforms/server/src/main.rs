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
use lanterna_server::store::console::{Coordinator, SERVER_ADMIN, Scope};
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
    /// Coordinators: accounts of the console and API tokens
    Coordinator {
        #[command(subcommand)]
        command: CoordinatorCommand,
    },
    /// Projects: calls for proposals grouping partner units
    Project {
        #[command(subcommand)]
        command: ProjectCommand,
    },
    /// The audit trail, newest first
    Audit {
        /// How many lines
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Named reporting periods (the phones count persons met in each)
    Period {
        #[command(subcommand)]
        command: PeriodCommand,
    },
    /// Print a report table from the stored summaries
    Report(ReportArgs),
    /// National street-prostitution mapping nights (published to the phones)
    MappingNight {
        #[command(subcommand)]
        command: MappingNightCommand,
    },
}

#[derive(Debug, Subcommand)]
enum MappingNightCommand {
    /// Set a mapping night: the phones flag the street outings started on it
    Add {
        /// The night (YYYY-MM-DD)
        #[arg(value_parser = date)]
        night: chrono::NaiveDate,
    },
    /// Remove a mapping night
    Remove {
        /// The night (YYYY-MM-DD)
        #[arg(value_parser = date)]
        night: chrono::NaiveDate,
    },
    /// List the mapping nights, oldest first
    List,
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
    /// Revoke a device: its token stops working at once. With --purge (also for a device
    /// revoked before), what it sent from --since on leaves every report, page and
    /// published table, kept aside in quarantine and counted in the audit trail
    Revoke {
        /// The device's id
        id: Uuid,
        /// Quarantine what the device sent (summaries, their reviews, periods' persons)
        #[arg(long, requires = "since")]
        purge: bool,
        /// With --purge: from this day on, by the day the server received it (YYYY-MM-DD)
        #[arg(long, value_parser = date, requires = "purge")]
        since: Option<chrono::NaiveDate>,
    },
}

#[derive(Debug, Subcommand)]
enum CoordinatorCommand {
    /// Add a coordinator; prints a one-time sign-in link (valid 24 hours) alone on its last
    /// line, where they set their password
    Add {
        /// Their name (1 to 80 characters, unique)
        name: String,
        /// What they see: all, unit:UNIT or project:PROJECT (names or ids)
        #[arg(long)]
        scope: String,
    },
    /// List the coordinators
    List,
    /// Revoke a coordinator: their sessions end and their API tokens stop at once
    Revoke {
        /// Their name
        name: String,
    },
    /// A new one-time sign-in link to set a new password (valid 24 hours), alone on its
    /// last line
    Reset {
        /// Their name
        name: String,
    },
    /// A new API token with the coordinator's scope, shown once, alone on its last line
    Token {
        /// Their name
        name: String,
        /// The token stops working this many days from now (default: api_token_days from
        /// the settings; 0 there means never)
        #[arg(long)]
        expires: Option<u32>,
    },
    /// List a coordinator's API tokens
    Tokens {
        /// Their name
        name: String,
    },
    /// Revoke one API token
    RevokeToken {
        /// The token's id (coordinator tokens NAME)
        id: Uuid,
    },
}

#[derive(Debug, Subcommand)]
enum ProjectCommand {
    /// Add a project
    Add {
        /// Its name (1 to 100 characters, unique)
        name: String,
    },
    /// List the projects and their units
    List,
    /// Add units to a project
    Units {
        /// The project's name
        name: String,
        /// A unit (name or id); repeat for more
        #[arg(long = "add", required = true)]
        add: Vec<String>,
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
    /// Published: small cells hidden (k from the settings, never below 3), only over a
    /// whole reporting period. Without it the counts are exact
    #[arg(long)]
    public: bool,
    /// Threshold of a published table (implies --public; at least 3)
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

fn project_named(backend: &dyn Backend, name_or_id: &str) -> anyhow::Result<store::console::Project> {
    backend
        .projects()?
        .into_iter()
        .find(|p| p.name == name_or_id || p.id.to_string() == name_or_id)
        .with_context(|| format!("no project '{name_or_id}' (lanterna-server project list)"))
}

fn coordinator_named(backend: &dyn Backend, name: &str) -> anyhow::Result<Coordinator> {
    backend
        .coordinator_named(name)?
        .with_context(|| format!("no coordinator '{name}' (lanterna-server coordinator list)"))
}

/// `all`, `unit:UNIT` or `project:PROJECT`, names or ids.
fn scope(backend: &dyn Backend, s: &str) -> anyhow::Result<Scope> {
    match s.split_once(':') {
        None if s == "all" => Ok(Scope::All),
        Some(("unit", u)) => Ok(Scope::Unit(unit_id(backend, u)?)),
        Some(("project", p)) => Ok(Scope::Project(project_named(backend, p)?.id)),
        _ => bail!("--scope {s}: expected all, unit:UNIT or project:PROJECT"),
    }
}

/// Words for a scope.
fn scope_words(backend: &dyn Backend, s: Scope) -> anyhow::Result<String> {
    Ok(match s {
        Scope::All => "all units".into(),
        Scope::Unit(u) => {
            format!("unit {}", backend.units()?.into_iter().find(|x| x.id == u).map_or(u.to_string(), |x| x.name))
        }
        Scope::Project(p) => {
            format!("project {}", backend.projects()?.into_iter().find(|x| x.id == p).map_or(p.to_string(), |x| x.name))
        }
    })
}

/// Prints a new one-time sign-in link for `c`, alone on the last line.
fn print_link(backend: &dyn Backend, config: &Config, c: &Coordinator, why: &str) -> anyhow::Result<()> {
    let link = secret::token();
    let expires = Utc::now() + Duration::hours(CODE_LIFETIME_HOURS);
    backend.add_sign_in_link(c, &secret::hash(&link), expires, why, SERVER_ADMIN)?;
    println!(
        "one-time sign-in link for {}, valid until {} UTC (they set their password there):",
        c.name,
        expires.format("%Y-%m-%d %H:%M")
    );
    println!("{}/console/link/{link}", config.public_url());
    Ok(())
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
            config.check()?;
            let backend: Arc<dyn Backend> = Arc::from(open()?);
            let purged = backend.purge_expired_codes(Utc::now())?;
            if purged > 0 {
                eprintln!("lanterna-server: {purged} expired enrollment codes deleted");
            }
            let state = AppState::new(backend.clone(), config);
            let runtime = tokio::runtime::Runtime::new()?;
            let served = runtime.block_on(serve(state, |addr, tls| {
                println!("lanterna-server: listening on {}://{addr}", if tls { "https" } else { "http" })
            }));
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
            let b = open()?;
            let u = b.add_unit(name.trim())?;
            b.audit(SERVER_ADMIN, "unit.add", &u.name, &u.id.to_string())?;
            println!("unit {} added: {}", u.name, u.id);
        }
        Command::Unit { command: UnitCommand::List } => {
            for u in open()?.units()? {
                println!("{}  {}  {}", u.id, u.created_at.format("%Y-%m-%d"), u.name);
            }
        }
        Command::Enroll { unit } => {
            let b = open()?;
            b.purge_expired_codes(Utc::now())?;
            let id = unit_id(b.as_ref(), &unit)?;
            let code = secret::code();
            let expires = Utc::now() + Duration::hours(CODE_LIFETIME_HOURS);
            b.add_enrollment(id, &secret::hash(&code), expires)?;
            b.audit(SERVER_ADMIN, "device.enroll_code", &unit, &format!("valid until {expires}"))?;
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
        Command::Device { command: DeviceCommand::Revoke { id, purge, since } } => {
            let b = open()?;
            if !b.revoke(id, Utc::now())? {
                bail!("no device {id} (lanterna-server device list)");
            }
            b.audit(SERVER_ADMIN, "device.revoke", &id.to_string(), "")?;
            println!("device {id} revoked");
            if let (true, Some(since)) = (purge, since) {
                let q = b.quarantine(id, since, SERVER_ADMIN)?;
                println!(
                    "quarantined what it sent since {since}: {} summaries, {} periods' persons, {} reviews; they \
                     no longer count anywhere",
                    q.summaries, q.persons, q.reviews
                );
                if q.replaced > 0 {
                    println!(
                        "{} of those summaries were at a revision above 1: the server keeps only the latest revision, \
                         so an earlier one they replaced is gone; have the unit send those outings again",
                        q.replaced
                    );
                }
            }
        }
        Command::Coordinator { command } => coordinator(open()?.as_ref(), &config, command)?,
        Command::Project { command } => project(open()?.as_ref(), command)?,
        Command::Audit { limit } => {
            for e in open()?.audit_log(limit, 0)? {
                println!(
                    "{}  {}  {}  {}  {}",
                    e.at.format("%Y-%m-%d %H:%M:%S"),
                    e.actor,
                    e.action,
                    e.subject,
                    e.detail
                );
            }
        }
        Command::Period { command: PeriodCommand::Add { name, from, to } } => {
            let name = name.trim();
            check_period(name, from, to)?;
            let b = open()?;
            let p = b.add_period(name, from, to)?;
            b.audit(SERVER_ADMIN, "period.add", &p.name, &format!("{}..{}", p.from, p.to))?;
            println!("period {} added: {} to {}", p.name, p.from, p.to);
        }
        Command::MappingNight { command: MappingNightCommand::Add { night } } => {
            let b = open()?;
            if b.add_mapping_night(night)? {
                b.audit(SERVER_ADMIN, "mapping_night.add", &night.to_string(), "")?;
                println!("mapping night {night} added");
            } else {
                println!("mapping night {night} was already set");
            }
        }
        Command::MappingNight { command: MappingNightCommand::Remove { night } } => {
            let b = open()?;
            if !b.remove_mapping_night(night)? {
                anyhow::bail!("no mapping night on {night}");
            }
            b.audit(SERVER_ADMIN, "mapping_night.remove", &night.to_string(), "")?;
            println!("mapping night {night} removed");
        }
        Command::MappingNight { command: MappingNightCommand::List } => {
            for night in open()?.mapping_nights()? {
                println!("{night}");
            }
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
            let published = match (a.k, a.public) {
                (Some(k), _) => Some(k),
                (None, true) => Some(config.k),
                (None, false) => None,
            };
            let q = report::Query {
                units: unit.map(|u| vec![u]),
                lang: a.lang,
                published,
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

fn coordinator(b: &dyn Backend, config: &Config, command: CoordinatorCommand) -> anyhow::Result<()> {
    match command {
        CoordinatorCommand::Add { name, scope: s } => {
            let name = name.trim();
            if !(1..=80).contains(&name.chars().count()) || name.chars().any(char::is_control) {
                bail!("coordinator name '{name}': 1 to 80 characters, no control characters");
            }
            let scope = scope(b, &s)?;
            let c = b.add_account(name, scope, SERVER_ADMIN)?;
            println!("coordinator {} added ({}), sees {}", c.name, c.id, scope_words(b, scope)?);
            print_link(b, config, &c, "invite")?;
        }
        CoordinatorCommand::List => {
            for c in b.coordinators()? {
                let state = match (c.revoked_at, c.has_password) {
                    (Some(t), _) => format!("revoked {}", t.format("%Y-%m-%d %H:%M")),
                    (None, true) => "active".into(),
                    (None, false) => "invited (no password yet)".into(),
                };
                println!("{}  {}  {}  {state}", c.id, c.name, scope_words(b, c.scope)?);
            }
        }
        CoordinatorCommand::Revoke { name } => {
            let c = coordinator_named(b, &name)?;
            b.revoke_coordinator(c.id, SERVER_ADMIN)?;
            println!("coordinator {name} revoked: their sessions ended and their API tokens stopped");
        }
        CoordinatorCommand::Reset { name } => {
            let c = coordinator_named(b, &name)?;
            print_link(b, config, &c, "reset")?;
        }
        CoordinatorCommand::Token { name, expires } => {
            let c = coordinator_named(b, &name)?;
            let token = secret::token();
            let id = b.add_api_token(&c, &secret::hash(&token), SERVER_ADMIN)?;
            // The token is shown only once its expiry is kept.
            let until = match expires.unwrap_or(config.api_token_days) {
                0 => "never expires".to_owned(),
                days => {
                    let at = Utc::now() + Duration::days(i64::from(days));
                    b.expire_api_token(id, at)?;
                    format!("expires {} UTC", at.format("%Y-%m-%d %H:%M"))
                }
            };
            println!("API token {id} for {name} (sees {}, {until}), shown once:", scope_words(b, c.scope)?);
            println!("{token}");
        }
        CoordinatorCommand::Tokens { name } => {
            let c = coordinator_named(b, &name)?;
            for t in b.api_tokens(c.id)? {
                let state =
                    t.revoked_at.map_or("active".to_owned(), |r| format!("revoked {}", r.format("%Y-%m-%d %H:%M")));
                println!("{}  made {}  {state}", t.id, t.created_at.format("%Y-%m-%d %H:%M"));
            }
        }
        CoordinatorCommand::RevokeToken { id } => {
            if !b.revoke_api_token(id, SERVER_ADMIN)? {
                bail!("no API token {id} in use (lanterna-server coordinator tokens NAME)");
            }
            println!("API token {id} revoked");
        }
    }
    Ok(())
}

fn project(b: &dyn Backend, command: ProjectCommand) -> anyhow::Result<()> {
    match command {
        ProjectCommand::Add { name } => {
            let name = name.trim();
            if !(1..=100).contains(&name.chars().count()) || name.chars().any(char::is_control) {
                bail!("project name '{name}': 1 to 100 characters, no control characters");
            }
            let p = b.add_project(name, SERVER_ADMIN)?;
            println!("project {} added: {}", p.name, p.id);
        }
        ProjectCommand::List => {
            let units = b.units()?;
            for p in b.projects()? {
                let names: Vec<&str> =
                    p.units.iter().filter_map(|u| units.iter().find(|x| x.id == *u)).map(|u| u.name.as_str()).collect();
                println!("{}  {}  units: {}", p.id, p.name, names.join(", "));
            }
        }
        ProjectCommand::Units { name, add } => {
            let p = project_named(b, &name)?;
            let units = b.units()?;
            let mut found = Vec::new();
            for u in &add {
                let id = unit_id(b, u)?;
                found.extend(units.iter().find(|x| x.id == id).cloned());
            }
            for u in &found {
                b.add_project_unit(&p, u, SERVER_ADMIN)?;
            }
            println!("project {}: {} units added", p.name, found.len());
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
