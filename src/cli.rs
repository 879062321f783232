//! The command line: the same library calls the app makes, for imports, reports and
//! scripts.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Parser, Subcommand, ValueEnum};

use crate::app::sync::{describe, enroll, sync_all};
use crate::app::{ImportFile, Imported, Lanterna, ReportRequest};
use crate::domain::rules::{PASSPHRASE_MIN_CHARS, PIN_MIN_DIGITS, valid_pin};
use crate::domain::tables::Selection;
use crate::domain::{Activity, Count, Lang, Province, RowOrder, parse_date};
use crate::report::{Format, Table};

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
    /// Export the outings' diary (the unit's own notes, never synced) as Markdown for the
    /// narrative report; never writes over an existing file
    Notes {
        /// First day [default: the first recorded]
        #[arg(long, value_parser = parse_date_arg)]
        from: Option<chrono::NaiveDate>,
        /// Last day [default: today]
        #[arg(long, value_parser = parse_date_arg)]
        to: Option<chrono::NaiveDate>,
        /// Write to this new file instead of printing
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Change the PIN or key: the current one from LANTERNA_KEY (or the terminal), the new
    /// one from LANTERNA_NEW_KEY (or the terminal, twice)
    ChangeKey,
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
    /// Drop-in desks: persons met at the desk, nationality × M/F/T (services and items of
    /// the desk: `services`/`items --activity desk`)
    Desk,
    /// Identification interviews by kind (segretariato sociale, Referral): persons,
    /// interviews, victims identified, adhesions to the programme, and TOT
    Identification,
    /// Referral requests of the Commissione Territoriale: requests, persons, interviews,
    /// identified by typology, not identified, in progress, adhesions, waiting, unanswered
    Referral,
    /// Persons interviewed by gender, age, nationality, place of emersion; identified by typology
    IdentificationBreakdown,
    /// Outcomes of contacts (programme, complaints, Commissione, return, networking), in persons
    Outcomes,
    /// Helpline (Numero Verde) reports: nationality × M/F/T, new/known, caller, help, outcome
    Helpline,
    /// The province's emersion total: persons contacted on the street, in labour outreach,
    /// indoor (reached and met), in massage centres, at the desk and in informative
    /// sessions, M/F/T and of which asylum seekers or protection holders; the total is the
    /// sum of the rows
    EmersionTotal,
    /// Outings and sessions by activity × shift × month: of which empty, hours,
    /// operator-hours, with mediator, with legal operator
    Outings,
    /// Presences (people seen, not approached) next to contacts, street and labour, by shift × M/F/T
    Presences,
    /// Indoor figures beyond the printed tables: messages by channel, ads reached,
    /// numbers in several ads, numbers seen again within 14 days
    IndoorStats,
    /// Labour outreach by sector (persons and contacts) and setting, joint inspections
    LabourSectors,
    /// National mapping nights: persons seen and contacted by comune × nationality × M/F/T
    Mapping,
    /// Informative group sessions: participants M/F/T, of whom asylum seekers or protection
    /// holders, sessions by place, theme and language
    Sessions,
    /// Message campaigns on indoor numbers: persons reached per campaign M/F/T, messages by language
    Campaigns,
}

impl From<ReportKind> for crate::app::ReportKind {
    fn from(k: ReportKind) -> crate::app::ReportKind {
        use crate::app::ReportKind::{IndoorStats, Table as T};
        match k {
            ReportKind::Street => T(Table::Street),
            ReportKind::Labour => T(Table::Labour),
            ReportKind::Services => T(Table::Services),
            ReportKind::Items => T(Table::Items),
            ReportKind::Indoor => T(Table::Indoor),
            ReportKind::Massage => T(Table::Massage),
            ReportKind::Desk => T(Table::Desk),
            ReportKind::Identification => T(Table::Identification),
            ReportKind::Referral => T(Table::Referral),
            ReportKind::IdentificationBreakdown => T(Table::IdBreakdown),
            ReportKind::Outcomes => T(Table::Outcomes),
            ReportKind::Helpline => T(Table::Helpline),
            ReportKind::EmersionTotal => T(Table::EmersionTotal),
            ReportKind::Outings => T(Table::Outings),
            ReportKind::Presences => T(Table::Presences),
            ReportKind::IndoorStats => IndoorStats,
            ReportKind::LabourSectors => T(Table::LabourSectors),
            ReportKind::Mapping => T(Table::Mapping),
            ReportKind::Sessions => T(Table::Sessions),
            ReportKind::Campaigns => T(Table::Campaigns),
        }
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// Laid out like the printed tables
    Text,
    /// CSV
    Csv,
    /// JSON (shapes in docs/cli.md)
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
    /// First day, YYYY-MM-DD [default: the first outing's date; for the emersion tables
    /// the first interview, outcome or helpline report]
    #[arg(long, value_parser = parse_date_arg)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day, included, YYYY-MM-DD [default: the last outing's date; for the emersion
    /// tables the last interview, outcome or helpline report]
    #[arg(long, value_parser = parse_date_arg)]
    pub to: Option<chrono::NaiveDate>,
    /// Only this province (sigla, e.g. BS)
    #[arg(long)]
    pub province: Option<Province>,
    /// Only this activity (services and items reports; `desk` for the desk's)
    #[arg(long)]
    pub activity: Option<Activity>,
    /// Output format
    #[arg(long, value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Language of labels (it, en)
    #[arg(long, default_value = "it")]
    pub lang: Lang,
    /// What street and labour tables count: distinct persons met in the period, or contacts (encounters)
    #[arg(long, default_value = "persons")]
    pub count: Count,
    /// Row order: name (as printed, the unknown last) or total (largest first, ties by name)
    #[arg(long, default_value = "name")]
    pub order: RowOrder,
}

impl ReportArgs {
    /// The application layer's request for these arguments.
    pub fn request(&self) -> ReportRequest {
        ReportRequest {
            kind: self.kind.into(),
            selection: Selection { from: self.from, to: self.to, province: self.province, activity: self.activity },
            format: self.format.into(),
            lang: self.lang,
            count: self.count,
            order: self.order,
        }
    }
}

fn parse_date_arg(s: &str) -> Result<chrono::NaiveDate, String> {
    parse_date(s).map_err(|e| e.to_string())
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
/// when the database is about to be created). A database is never created with a key
/// shorter than the app's rule ([`valid_pin`]).
pub fn secret_for(path: &Path, creating: bool) -> Result<String> {
    let key = match std::env::var("LANTERNA_KEY") {
        Ok(key) if key.is_empty() => bail!("LANTERNA_KEY is set but empty"),
        Ok(key) => key,
        Err(_) => {
            if !std::io::stdin().is_terminal() {
                bail!("no key for {}: set LANTERNA_KEY or run in a terminal to type it", path.display());
            }
            let key = rpassword::prompt_password(format!("PIN or key for {}: ", path.display()))?;
            if key.is_empty() {
                bail!("an empty key cannot protect the database");
            }
            if creating {
                check_new_key(&key)?;
                let again =
                    rpassword::prompt_password("A new database will be created; type the same PIN or key again: ")?;
                if again != key {
                    bail!("the two keys differ; nothing was created");
                }
            }
            key
        }
    };
    if creating {
        check_new_key(&key)?;
    }
    Ok(key)
}

fn check_new_key(key: &str) -> Result<()> {
    if !valid_pin(key) {
        bail!(
            "the key is too short to protect a database: at least {PIN_MIN_DIGITS} digits, or a passphrase of at \
             least {PASSPHRASE_MIN_CHARS} characters (nothing was created or changed)"
        );
    }
    Ok(())
}

/// Unlocks the database at `path` (creating it when `create` and there is none) under the
/// app's back-off. A key shorter than the rule opens an old database only to change it.
fn unlock(path: &Path, create: bool) -> Result<(Lanterna, String)> {
    let creating = create && !path.exists();
    if !creating && !path.exists() {
        bail!("no Lanterna database at {} (import a file or record an outing first, or pass --db)", path.display());
    }
    let secret = secret_for(path, creating)?;
    let app = Lanterna::unlock(path, &secret)?;
    Ok((app, secret))
}

fn open_existing(path: &Path) -> Result<Lanterna> {
    open_checked(path, false)
}

/// Unlocks, and refuses to go on with a key shorter than the rule.
fn open_checked(path: &Path, create: bool) -> Result<Lanterna> {
    let (app, secret) = unlock(path, create)?;
    if !valid_pin(&secret) {
        bail!(
            "{}: its key is shorter than {PIN_MIN_DIGITS} digits; run `lanterna change-key` (LANTERNA_NEW_KEY) to \
             choose a longer one before anything else",
            path.display()
        );
    }
    Ok(app)
}

/// `lanterna change-key`: the current key, then the new one.
fn change_key(path: &Path, out: &mut dyn std::io::Write) -> Result<()> {
    let (mut app, current) = unlock(path, false)?;
    let new = match std::env::var("LANTERNA_NEW_KEY") {
        Ok(key) => key,
        Err(_) if std::io::stdin().is_terminal() => {
            let key = rpassword::prompt_password("New PIN or key: ")?;
            check_new_key(&key)?;
            let again = rpassword::prompt_password("The new PIN or key again: ")?;
            if again != key {
                bail!("the two keys differ; nothing was changed");
            }
            key
        }
        Err(_) => bail!("no new key: set LANTERNA_NEW_KEY or run in a terminal to type it"),
    };
    check_new_key(&new)?;
    app.change_pin(&current, &new, &new)?;
    writeln!(out, "the key of {} is changed", path.display())?;
    Ok(())
}

/// Runs a subcommand; what it prints goes to `out`.
pub fn run(cli: &Cli, command: &Command, out: &mut dyn std::io::Write) -> Result<()> {
    let path = cli.db_path();
    match command {
        Command::Import { file } => {
            // The file is checked whole before any database is opened or created.
            let checked = ImportFile::read(file)?;
            let mut app = open_checked(&path, true)?;
            match app.import(&checked)?.value {
                Imported::Indoor(o) => writeln!(
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
                )?,
                Imported::Contacts(o) => writeln!(
                    out,
                    "imported {} contacts in {} outings ({} stops) from {} into {}",
                    o.contacts,
                    o.outings,
                    o.stops,
                    file.display(),
                    path.display()
                )?,
                Imported::Emersion(o) => writeln!(
                    out,
                    "imported {} interviews of {} persons ({} new to the register) and {} helpline reports from {} \
                     into {}",
                    o.interviews,
                    o.persons,
                    o.new_persons,
                    o.helpline,
                    file.display(),
                    path.display()
                )?,
                Imported::Sessions(n) => {
                    writeln!(out, "imported {n} informative sessions from {} into {}", file.display(), path.display())?
                }
                Imported::Outings(o) => writeln!(
                    out,
                    "imported outings from {} into {}: {} new (without contacts so far), {} filled in, {} stops added",
                    file.display(),
                    path.display(),
                    o.created,
                    o.filled,
                    o.stops
                )?,
            }
        }
        Command::Report(args) => {
            let app = open_existing(&path)?;
            out.write_all(app.report(&args.request())?.as_bytes())?;
        }
        Command::Outings { command: OutingsCommand::Delete { id } } => {
            open_existing(&path)?.delete(*id)?;
            writeln!(out, "deleted {id}")?;
        }
        Command::Notes { from, to, out: file } => {
            let app = open_existing(&path)?;
            let to = to.unwrap_or_else(|| chrono::Local::now().date_naive());
            let from = from.or(chrono::NaiveDate::from_ymd_opt(2000, 1, 1)).unwrap_or(to).min(to);
            let period = crate::domain::Period::new(from, to)?;
            match file {
                Some(file) => {
                    if file.exists() {
                        bail!("{} exists: the diary is never written over a file", file.display());
                    }
                    let n = app.export_diary(period, file)?;
                    writeln!(out, "wrote the diary ({n} bytes) to {}", file.display())?;
                }
                None => out.write_all(app.diary_text(period)?.as_bytes())?,
            }
        }
        Command::Sync { command } => sync(&path, command.as_ref(), out)?,
        Command::ChangeKey => change_key(&path, out)?,
        Command::Outings { command: OutingsCommand::List { format } } => {
            let outings = open_existing(&path)?.list_outings()?;
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

/// `lanterna sync [enroll URL CODE | status]`.
fn sync(path: &Path, command: Option<&SyncCommand>, out: &mut dyn std::io::Write) -> Result<()> {
    let app = std::sync::Mutex::new(open_existing(path)?);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    match command {
        Some(SyncCommand::Enroll { url, code }) => {
            runtime.block_on(enroll(&app, url, code))?;
            writeln!(out, "enrolled with {url}; `lanterna sync` sends the closed outings")?;
        }
        Some(SyncCommand::Status) => {
            let a = app.lock().unwrap_or_else(|e| e.into_inner());
            let enrolled = a.sync_endpoint()?.map(|e| e.url);
            writeln!(out, "endpoint: {}", enrolled.as_deref().unwrap_or("none (not enrolled)"))?;
            writeln!(out, "{}", describe(&a.sync_status()?, a.pending_count()?))?;
        }
        None => {
            let report = runtime.block_on(sync_all(&app, |sent, total| {
                eprintln!("sync: {sent}/{total} summaries acknowledged");
            }))?;
            writeln!(out, "sync done: {} stored, {} already on the server", report.stored, report.ignored)?;
            if report.closed + report.closed_persons > 0 {
                writeln!(
                    out,
                    "held back, period closed by the coordinator: {} summaries, {} periods' persons",
                    report.closed, report.closed_persons
                )?;
            }
            if report.returned > 0 {
                writeln!(out, "returned by the coordinator to correct: {}", report.returned)?;
            }
            let refused = app.lock().unwrap_or_else(|e| e.into_inner()).refused_summaries()?;
            for r in refused {
                writeln!(
                    out,
                    "refused by the server (edit it to send again): {} {} {}: {}",
                    r.id, r.activity, r.date, r.reason
                )?;
            }
        }
    }
    Ok(())
}
