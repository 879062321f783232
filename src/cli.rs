//! The command line: the same library calls the app makes, for imports, reports and
//! scripts.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::domain::tables::ReportScope;
use crate::domain::{Activity, Lang, Period, Province, Tally, parse_date};
use crate::report::{Format, Rendered, Table};
use crate::store::{Store, StoreError, TallyParts};

/// Lanterna: outreach records for anti-trafficking street and indoor units.
///
/// Without a command, starts the app. The database is encrypted: its key comes from
/// LANTERNA_KEY or is asked for on the terminal.
#[derive(Debug, Parser)]
#[command(name = "lanterna", version, about, long_about)]
pub struct Cli {
    /// The database file [default: LANTERNA_DB, else the platform data directory]
    #[arg(long, global = true, env = "LANTERNA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// Port of the app on 127.0.0.1 when started without a command
    #[arg(long, global = true, env = "LANTERNA_PORT", default_value_t = 8080)]
    pub port: u16,

    /// What to do
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import historical contacts from a CSV file (one row per contact)
    Import {
        /// The CSV file
        file: PathBuf,
    },
    /// Print a report table
    Report(ReportArgs),
    /// List and inspect outings
    Outings {
        /// What to do with outings
        #[command(subcommand)]
        command: OutingsCommand,
    },
    /// Send the closed outings' and sessions' aggregated counts to the sync endpoint
    Sync {
        /// Enroll or show the status (no subcommand: send what is pending)
        #[command(subcommand)]
        command: Option<SyncCommand>,
    },
}

/// `lanterna sync ...`
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Enroll this device with the one-time code a coordinator printed
    Enroll {
        /// The server, e.g. https://sync.example.org
        url: String,
        /// The code, e.g. ABCD-EFGH-JKLM-NPQR
        code: String,
    },
    /// Last sync, pending summaries and the last error
    Status,
}

/// `lanterna outings ...`
#[derive(Debug, Subcommand)]
pub enum OutingsCommand {
    /// Every outing with its totals, newest first
    List {
        /// Output format
        #[arg(long, value_enum, default_value_t = FormatArg::Text)]
        format: FormatArg,
    },
    /// Delete an outing or an indoor session (a synced one is deleted on the server too)
    Delete {
        /// Its id (from `outings list`)
        id: uuid::Uuid,
    },
}

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportKind {
    /// Street contacts: nationality × day/night × M/F/T
    Street,
    /// Labour exploitation and begging outreach: nationality × M/F/T
    Labour,
    /// Referrals, accompaniments and listening talks
    Services,
    /// Items handed out, by shift; leaflets by language
    Items,
    /// Indoor: ads mapped, calls, contacts made, persons met: nationality × M/F/T
    Indoor,
    /// Massage centres: persons contacted, nationality × M/F/T
    Massage,
    /// Indoor figures beyond the printed tables: messages by channel, ads reached,
    /// numbers in several ads, numbers seen again within 14 days
    IndoorStats,
}

impl ReportKind {
    /// The table it prints; `None` for the indoor figures, which are not a table.
    pub fn table(self) -> Option<Table> {
        Some(match self {
            ReportKind::Street => Table::Street,
            ReportKind::Labour => Table::Labour,
            ReportKind::Services => Table::Services,
            ReportKind::Items => Table::Items,
            ReportKind::Indoor => Table::Indoor,
            ReportKind::Massage => Table::Massage,
            ReportKind::IndoorStats => return None,
        })
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Laid out like the printed tables
    Text,
    /// CSV
    Csv,
    /// JSON (shapes in the README)
    Json,
}

impl From<FormatArg> for Format {
    fn from(f: FormatArg) -> Format {
        match f {
            FormatArg::Text => Format::Text,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
        }
    }
}

/// `lanterna report ...`
#[derive(Debug, Clone, clap::Args)]
pub struct ReportArgs {
    /// Which table
    #[arg(value_enum)]
    pub kind: ReportKind,
    /// First day, YYYY-MM-DD [default: the first outing's date]
    #[arg(long, value_parser = parse_date_arg)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day, included, YYYY-MM-DD [default: the last outing's date]
    #[arg(long, value_parser = parse_date_arg)]
    pub to: Option<chrono::NaiveDate>,
    /// Only this province (sigla, e.g. BS)
    #[arg(long, value_parser = parse_province_arg)]
    pub province: Option<Province>,
    /// Only this activity (services and items reports)
    #[arg(long, value_parser = parse_activity_arg)]
    pub activity: Option<Activity>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Language of labels (it, en)
    #[arg(long, value_parser = parse_lang_arg, default_value = "it")]
    pub lang: Lang,
}

fn parse_date_arg(s: &str) -> Result<chrono::NaiveDate, String> {
    parse_date(s).map_err(|e| e.to_string())
}

fn parse_province_arg(s: &str) -> Result<Province, String> {
    Province::parse(s).map_err(|e| e.to_string())
}

fn parse_activity_arg(s: &str) -> Result<Activity, String> {
    Activity::parse(s).map_err(|e| e.to_string())
}

fn parse_lang_arg(s: &str) -> Result<Lang, String> {
    Lang::parse(s).map_err(|e| e.to_string())
}

/// Where the database lives unless `--db`/`LANTERNA_DB` say otherwise.
pub fn default_db_path() -> PathBuf {
    dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("lanterna").join("lanterna.db")
}

impl Cli {
    /// The database path in effect.
    pub fn db_path(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_db_path)
    }
}

/// The key for the database at `path`: `LANTERNA_KEY`, else asked on the terminal (twice
/// when the database is about to be created).
pub fn secret_for(path: &Path, creating: bool) -> Result<String> {
    if let Ok(key) = std::env::var("LANTERNA_KEY") {
        if key.is_empty() {
            bail!("LANTERNA_KEY is set but empty");
        }
        return Ok(key);
    }
    if !std::io::stdin().is_terminal() {
        bail!("no key for {}: set LANTERNA_KEY or run in a terminal to type it", path.display());
    }
    let key = rpassword::prompt_password(format!("PIN or key for {}: ", path.display()))?;
    if key.is_empty() {
        bail!("an empty key cannot protect the database");
    }
    if creating {
        let again = rpassword::prompt_password("A new database will be created; type the same PIN or key again: ")?;
        if again != key {
            bail!("the two keys differ; nothing was created");
        }
    }
    Ok(key)
}

fn open_existing(path: &Path) -> Result<Store> {
    if !path.exists() {
        bail!("no Lanterna database at {} (import a file or record an outing first, or pass --db)", path.display());
    }
    let secret = secret_for(path, false)?;
    Ok(Store::open_existing(path, &secret)?)
}

/// Runs a subcommand; what it prints goes to `out`.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn std::io::Write) -> Result<()> {
    let path = cli.db_path();
    match command {
        Command::Import { file } => {
            let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
            if crate::import::is_indoor_log(&bytes) {
                let parsed =
                    crate::import::parse_indoor(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
                let secret = secret_for(&path, !path.exists())?;
                let mut store = Store::open(&path, &secret)?;
                let o = store.import_indoor(&parsed.records, &parsed.sha256).map_err(|e| match e {
                    StoreError::Conflict(m) => anyhow::anyhow!("{}: {m}", file.display()),
                    e => e.into(),
                })?;
                writeln!(
                    out,
                    "imported {} ads, {} calls and messages, {} meetings, {} massage-centre contacts in {} indoor \
                     sessions from {} into {}",
                    o.ads,
                    o.attempts,
                    o.meetings,
                    o.massage,
                    o.sessions,
                    file.display(),
                    path.display()
                )?;
                return Ok(());
            }
            let parsed =
                crate::import::parse_contacts(&bytes).map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
            let secret = secret_for(&path, !path.exists())?;
            let mut store = Store::open(&path, &secret)?;
            let outcome = store.import_records(&parsed.records, &parsed.sha256).map_err(|e| match e {
                StoreError::Conflict(m) => anyhow::anyhow!("{}: {m}", file.display()),
                e => e.into(),
            })?;
            writeln!(
                out,
                "imported {} contacts in {} outings ({} stops) from {} into {}",
                outcome.contacts,
                outcome.outings,
                outcome.stops,
                file.display(),
                path.display()
            )?;
        }
        Command::Report(args) => {
            let store = open_existing(&path)?;
            let text = report(&store, args)?;
            out.write_all(text.as_bytes())?;
        }
        Command::Outings { command: OutingsCommand::Delete { id } } => {
            let mut store = open_existing(&path)?;
            match store.delete_outing(*id) {
                Err(StoreError::NotFound { .. }) => store.delete_indoor_session(*id)?,
                other => other?,
            }
            writeln!(out, "deleted {id}")?;
        }
        Command::Sync { command } => {
            let store = std::sync::Mutex::new(open_existing(&path)?);
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
            match command {
                Some(SyncCommand::Enroll { url, code }) => {
                    runtime.block_on(crate::sync::enroll(&store, url, code))?;
                    writeln!(out, "enrolled with {url}; `lanterna sync` sends the closed outings")?;
                }
                Some(SyncCommand::Status) => {
                    let s = store.lock().unwrap_or_else(|e| e.into_inner());
                    let enrolled = s.sync_endpoint()?.map(|e| e.url);
                    writeln!(out, "endpoint: {}", enrolled.as_deref().unwrap_or("none (not enrolled)"))?;
                    writeln!(out, "{}", crate::sync::describe(&s.sync_status()?, s.pending_count()?))?;
                }
                None => {
                    let report = runtime.block_on(crate::sync::sync_all(&store, |sent, total| {
                        eprintln!("sync: {sent}/{total} summaries acknowledged");
                    }))?;
                    writeln!(out, "sync done: {} stored, {} already on the server", report.stored, report.ignored)?;
                }
            }
        }
        Command::Outings { command: OutingsCommand::List { format } } => {
            let store = open_existing(&path)?;
            let outings = store.list_outings()?;
            match format {
                FormatArg::Json => writeln!(out, "{}", serde_json::to_string_pretty(&outings)?)?,
                FormatArg::Text | FormatArg::Csv => {
                    let sep = if *format == FormatArg::Csv { "," } else { "  " };
                    writeln!(
                        out,
                        "{}",
                        ["id", "date", "shift", "activity", "status", "provinces", "stops", "M", "F", "T", "total"]
                            .join(sep)
                    )?;
                    for o in &outings {
                        let provinces: Vec<_> = o.provinces.iter().map(|p| p.code()).collect();
                        let c = &o.contacts;
                        writeln!(
                            out,
                            "{}",
                            [
                                o.outing.id.to_string(),
                                o.outing.date.to_string(),
                                o.outing.shift.code().into(),
                                o.outing.activity.code().into(),
                                o.outing.status.code().into(),
                                provinces.join(" "),
                                o.stops.to_string(),
                                c.m.to_string(),
                                c.f.to_string(),
                                c.t.to_string(),
                                c.total().to_string(),
                            ]
                            .join(sep)
                        )?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// Builds and renders a report from the store.
pub fn report(store: &Store, args: &ReportArgs) -> Result<String> {
    let table = args.kind.table();
    let activity = match table {
        None => Some(Activity::Indoor),
        Some(t) => t.activity().or(args.activity),
    };
    let today = chrono::Local::now().date_naive();
    let range = match activity {
        Some(Activity::Indoor) => store.indoor_date_range()?,
        Some(a) => store.date_range(Some(a))?,
        None => {
            let (a, b) = (store.date_range(None)?, store.indoor_date_range()?);
            a.into_iter().chain(b).reduce(|x, y| (x.0.min(y.0), x.1.max(y.1)))
        }
    };
    let from = args.from.or(range.map(|r| r.0)).unwrap_or(today);
    let to = match args.to {
        Some(to) => to,
        None => range.map(|r| r.1).unwrap_or(today).max(from),
    };
    let period = Period::new(from, to)?;
    let Some(table) = table else {
        if args.format == FormatArg::Csv {
            bail!("indoor-stats is printed as text or JSON");
        }
        let stats = store.indoor_stats(period)?;
        return Ok(if args.format == FormatArg::Json {
            format!("{}\n", serde_json::to_string_pretty(&stats)?)
        } else {
            crate::report::indoor_stats_text(&stats, args.lang)
        });
    };
    let mut tally = match table {
        Table::Street | Table::Labour => store.tally(period, TallyParts::CONTACTS)?,
        Table::Services => store.tally(period, TallyParts { contacts: false, services: true, items: false })?,
        Table::Items => store.tally(period, TallyParts { contacts: false, services: false, items: true })?,
        Table::Indoor | Table::Massage => Tally::new(),
    };
    if activity.is_none_or(|a| a == Activity::Indoor) {
        tally.merge(&store.indoor_tally(period)?);
    }
    let scope = ReportScope { period, province: args.province, activity: args.activity, lang: args.lang };
    let rendered = Rendered::build(table, &tally, &scope);
    Ok(rendered.render(args.format.into(), args.province.is_some(), args.lang))
}
