//! The core's report tables computed from stored summaries: the same functions and
//! renderers as the app's `lanterna report`, so the two print the same tables. Street,
//! labour and desk tables over a published period (a named one, or a calendar month,
//! quarter or year) count the persons the devices sent for exactly that period; over
//! other dates they count contacts. Emersion tables (interviews, outcomes, helpline) exist
//! only over a published period: the devices send them per period.

use std::collections::HashMap;

use chrono::NaiveDate;
use lanterna::domain::rules::DATE_YEARS;
use lanterna::domain::tables::{ReportScope, Selection};

use lanterna::domain::outreach::{OutingFact, SessionFacts};
use lanterna::domain::{Activity, Count, Lang, Measure, Period, Province, Tally};
use lanterna::report::{Format, Grid, Rendered};
use uuid::Uuid;

use crate::store::{Backend, StoreError, Stored};

/// Which table: the app's own list.
pub use lanterna::report::Table as Kind;

/// What a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// Which table.
    pub kind: Kind,
    /// Dates (default: the first and last summary's), province, activity.
    pub selection: Selection,
    /// The units counted (a coordinator's scope, or one unit of it); None for every unit.
    pub units: Option<Vec<Uuid>>,
    /// Label language.
    pub lang: Lang,
    /// Published (an export marked public, the network view): small cells hidden with
    /// this threshold, never below [`PUBLISHED_K_MIN`], and only over a whole reporting
    /// period. None: the exact counts, as the funder's tables print them.
    pub published: Option<u64>,
    /// Persons (street and labour tables over a published period) or contacts.
    pub count: Count,
}

impl Query {
    /// A table over `selection`, of every unit, in Italian, nothing hidden, counting
    /// contacts.
    pub fn new(kind: Kind, selection: Selection) -> Query {
        Query { kind, selection, units: None, lang: Lang::It, published: None, count: Count::Contacts }
    }

    /// A table over `selection`, counting persons when its dates are exactly a published
    /// period (see [`counts`]).
    pub fn over(backend: &dyn Backend, kind: Kind, selection: Selection) -> Result<Query, StoreError> {
        Ok(Query { count: counts(backend, &selection)?, ..Query::new(kind, selection) })
    }
}

/// What tables over `selection`'s dates count: persons when the dates are exactly a
/// published period (named, or a calendar month, quarter or year), contacts otherwise.
pub fn counts(backend: &dyn Backend, selection: &Selection) -> Result<Count, StoreError> {
    let (Some(from), Some(to)) = (selection.from, selection.to) else { return Ok(Count::Contacts) };
    let Ok(period) = Period::new(from, to) else { return Ok(Count::Contacts) };
    if period.is_calendar() || backend.periods()?.iter().any(|p| p.from == from && p.to == to) {
        Ok(Count::Persons)
    } else {
        Ok(Count::Contacts)
    }
}

/// The period `name` stands for: a named period (`lanterna-server period add`), else a
/// calendar month `2023-05`, quarter `2023-Q2` or year `2023`.
pub fn published(backend: &dyn Backend, name: &str) -> Result<Period, ReportError> {
    if let Some(p) = backend.periods()?.into_iter().find(|p| p.name == name) {
        return Ok(Period { from: p.from, to: p.to });
    }
    calendar(name).ok_or_else(|| {
        ReportError::Bad(format!(
            "no period '{name}': expected a named period (lanterna-server period list), a month YYYY-MM, a quarter \
             YYYY-Qn or a year YYYY"
        ))
    })
}

/// A calendar month `2023-05`, quarter `2023-Q2` or year `2023`.
pub fn calendar(s: &str) -> Option<Period> {
    let (year, rest) = match s.split_once('-') {
        Some((y, r)) => (y, Some(r)),
        None => (s, None),
    };
    let digits = |t: &str, n: usize| t.len() == n && t.bytes().all(|b| b.is_ascii_digit());
    if !digits(year, 4) {
        return None;
    }
    let year: i32 = year.parse().ok().filter(|y| DATE_YEARS.contains(y))?;
    let (month, which) = match rest {
        None => (1, 2),
        Some(q) if q.len() == 2 && q.starts_with(['Q', 'q']) && digits(&q[1..], 1) => {
            let n: u32 = q[1..].parse().ok().filter(|n| (1..=4).contains(n))?;
            ((n - 1) * 3 + 1, 1)
        }
        Some(m) if digits(m, 2) => (m.parse().ok()?, 0),
        Some(_) => return None,
    };
    NaiveDate::from_ymd_opt(year, month, 1).map(|first| Period::calendar_of(first)[which])
}

/// Why a report could not be built.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A bad period.
    #[error("{0}")]
    Bad(String),
    /// The store.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Builds a report from the stored summaries, or, for the tables that read persons
/// ([`reads_persons`]: street, labour and desk counting persons, emersion always), from
/// the persons stored for exactly the query's dates, summed over the units.
/// A published query is built over every province, whatever it names: the whole pack is
/// suppressed together, and only then is a province's table picked out of it.
fn build(backend: &dyn Backend, q: &Query) -> Result<Rendered, ReportError> {
    if q.kind == Kind::Sessions {
        let (period, facts) = session_facts(backend, q)?;
        let province = if q.published.is_some() { None } else { q.selection.province };
        let scope = ReportScope { province, lang: q.lang, ..ReportScope::period(period) };
        return Ok(Rendered::sessions(&facts, &scope));
    }
    if q.kind == Kind::EmersionTotal {
        return emersion_total(backend, q);
    }
    if q.kind == Kind::Outings {
        let (period, stored) = stored_over(backend, q)?;
        let facts: Vec<OutingFact> = stored.iter().filter_map(|s| outing_fact(&s.summary)).collect();
        let province = if q.published.is_some() { None } else { q.selection.province };
        let scope = ReportScope { province, lang: q.lang, ..ReportScope::period(period) };
        return Ok(Rendered::build_with(q.kind, &Tally::new(), &facts, &scope));
    }
    let persons = reads_persons(backend, q.kind.activity(), &q.selection, q.count)?;
    let (period, mut tally) = if persons { persons_tally(backend, q)? } else { contacts_tally(backend, q)? };
    // Labour sectors: persons per sector and in all (per period) beside the contacts by
    // sector and setting (outing summaries), as the phone builds it.
    if persons && q.kind == Kind::LabourSectors {
        tally.merge(&contacts_tally(backend, q)?.1);
    }
    let scope = ReportScope {
        province: if q.published.is_some() { None } else { q.selection.province },
        activity: q.selection.activity,
        lang: q.lang,
        count: if persons { Count::Persons } else { Count::Contacts },
        ..ReportScope::period(period)
    };
    // The street, labour and desk tables print their outings line, from the summaries.
    if matches!(q.kind, Kind::Street | Kind::Labour | Kind::Desk) {
        let (_, stored) = stored_over(backend, q)?;
        let facts: Vec<OutingFact> = stored.iter().filter_map(|s| outing_fact(&s.summary)).collect();
        return Ok(Rendered::build_with(q.kind, &tally, &facts, &scope));
    }
    Ok(Rendered::build(q.kind, &tally, &scope))
}

/// Whether a table of `activity` over `selection` is built from the persons the devices
/// sent per period rather than from the summaries of outings: tables of street, labour
/// and desk outings when they count persons (`count`), and emersion tables always, as
/// emersion is counted only per period. An emersion table over dates that are not
/// exactly a published period (a calendar month, quarter or year, or a named period) is
/// an error, never a table of zeros.
pub fn reads_persons(
    backend: &dyn Backend,
    activity: Option<Activity>,
    selection: &Selection,
    count: Count,
) -> Result<bool, ReportError> {
    match activity {
        Some(Activity::Emersion) => match counts(backend, selection)? {
            Count::Persons => Ok(true),
            Count::Contacts => Err(ReportError::Bad(
                "emersion tables (interviews, outcomes, helpline) are counted per reporting period: give a month, \
                 a quarter, a year or a named period, not other dates"
                    .into(),
            )),
        },
        Some(Activity::Street | Activity::Labour | Activity::Desk) => Ok(count == Count::Persons),
        _ => Ok(false),
    }
}

/// Builds and renders a report (see [`build`]). A published query renders the whole
/// pack (every province's table and the synthesis) suppressed together, whatever province
/// it names: the set is what keeps hidden cells hidden.
pub fn render(backend: &dyn Backend, q: &Query, format: Format) -> Result<String, ReportError> {
    let rendered = build(backend, q)?;
    Ok(match published_k(backend, q)? {
        Some(k) => rendered.render_published(format, q.lang, k),
        None => rendered.render(format, q.selection.province.is_some(), q.lang),
    })
}

/// The report's grids as shown on screen and written to XLSX: the province's table alone
/// when the query names one, otherwise every province's table and the synthesis. A
/// published query's grids are suppressed together over the whole pack first.
pub fn grids(backend: &dyn Backend, q: &Query) -> Result<Vec<lanterna::report::Grid>, ReportError> {
    let rendered = build(backend, q)?;
    Ok(match published_k(backend, q)? {
        Some(k) => {
            let all = rendered.published(q.lang, k);
            match q.selection.province {
                Some(p) => all.into_iter().filter(|g| g.province() == Some(p.code())).collect(),
                None => all,
            }
        }
        None => rendered.grids(q.selection.province.is_some(), q.lang, None),
    })
}

pub use lanterna::report::PUBLISHED_K_MIN;

/// The units of the network view for a coordinator whose scope is `scope`: every unit for
/// a coordinator of the whole network, otherwise the units outside their scope. Their own
/// units' exact counts are theirs already; a network total that held them could be
/// differenced back into the other units' small cells.
pub fn network_units(backend: &dyn Backend, scope: Option<&[Uuid]>) -> Result<Option<Vec<Uuid>>, StoreError> {
    let Some(mine) = scope else { return Ok(None) };
    Ok(Some(backend.units()?.into_iter().map(|u| u.id).filter(|u| !mine.contains(u)).collect()))
}

/// The threshold of a published query, after checking that it covers a whole reporting
/// period (so two published ranges cannot be differenced into a small cell).
pub fn published_k(backend: &dyn Backend, q: &Query) -> Result<Option<u64>, ReportError> {
    let Some(k) = q.published else { return Ok(None) };
    if q.selection.activity.is_some() {
        // Tables of one activity and of all, each suppressed on its own, could be differenced.
        return Err(ReportError::Bad("published tables cover every activity: leave out activity".into()));
    }
    if counts(backend, &q.selection)? != Count::Persons {
        return Err(ReportError::Bad(
            "published tables cover a whole reporting period: a month, a quarter, a year or a named period".into(),
        ));
    }
    Ok(Some(k.max(PUBLISHED_K_MIN)))
}

/// The indicators of targets and of the table of units: code, Italian, English.
pub const INDICATORS: [(&str, &str, &str); 7] = [
    ("persons", "Persone contattate (strada e lavoro)", "Persons contacted (street and labour)"),
    ("contacts", "Contatti", "Contacts"),
    ("outings", "Uscite", "Outings"),
    ("sessions", "Sessioni indoor", "Indoor sessions"),
    ("items", "Materiali distribuiti", "Items handed out"),
    ("referrals", "Invii ai servizi", "Referrals to services"),
    ("accompaniments", "Accompagnamenti", "Accompaniments"),
];

/// The actual values of every indicator ([`INDICATORS`]) for some units over a period, in
/// one pass over its summaries; persons only over a published period (None otherwise).
pub fn indicators(
    b: &dyn Backend,
    units: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<&'static str, Option<u64>>, StoreError> {
    let period = Period::new(from, to).map_err(|e| StoreError::Db(e.to_string()))?;
    let published = period.is_calendar() || b.periods()?.iter().any(|p| p.from == from && p.to == to);
    let persons = if published {
        let n = b.persons(Some(units), from, to)?;
        Some(
            n.iter()
                .filter(|p| matches!(p.activity, Activity::Street | Activity::Labour))
                .flat_map(|p| &p.cells)
                .filter(|c| c.measure == Measure::Persons)
                .map(|c| u64::from(c.count))
                .sum(),
        )
    } else {
        None
    };
    let mut tally = Tally::new();
    let (mut outings, mut sessions) = (0, 0);
    for s in b.summaries(Some(units), from, to)? {
        s.summary.add_to(&mut tally);
        if s.summary.activity == Activity::Indoor {
            sessions += 1;
        } else if s.summary.activity != Activity::Session {
            outings += 1;
        }
    }
    let of =
        |keep: fn(&Measure) -> bool| tally.iter().filter(|(_, k, _)| keep(&k.measure)).map(|(_, _, n)| n).sum::<u64>();
    Ok(HashMap::from([
        ("persons", persons),
        ("contacts", Some(contacts(&tally))),
        ("outings", Some(outings)),
        ("sessions", Some(sessions)),
        ("items", Some(of(|m| matches!(m, Measure::Item(_))))),
        ("referrals", Some(of(|m| matches!(m, Measure::Referral(_))))),
        ("accompaniments", Some(of(|m| matches!(m, Measure::Accompaniment(_))))),
    ]))
}

/// Contacts counted by summaries (indoor: persons reached, massage contacts).
pub fn contacts(t: &Tally) -> u64 {
    t.sum(Measure::Contacts, |_, _| true)
        + t.sum(Measure::Reached, |_, _| true)
        + t.sum(Measure::MassageContacts, |_, _| true)
}

/// The units as rows, as the reports print them per partner organisation: every
/// indicator of each unit over the period, and the total. Exact counts: never published.
pub fn per_unit(
    backend: &dyn Backend,
    units: &[crate::store::Unit],
    period: Period,
    lang: Lang,
) -> Result<Grid, ReportError> {
    let it = lang == Lang::It;
    let heads: Vec<String> = INDICATORS.iter().map(|i| (if it { i.1 } else { i.2 }).to_owned()).collect();
    let mut rows = Vec::with_capacity(units.len());
    for u in units {
        let values = indicators(backend, &[u.id], period.from, period.to)?;
        rows.push((
            u.name.clone(),
            INDICATORS.iter().map(|i| values.get(i.0).copied().flatten().unwrap_or(0)).collect(),
        ));
    }
    let title = format!(
        "{} — {} {} {} {}",
        if it { "ATTIVITÀ PER UNITÀ (ENTE PARTNER)" } else { "ACTIVITY BY UNIT (PARTNER ORGANISATION)" },
        if it { "dal" } else { "from" },
        period.from.format("%d/%m/%Y"),
        if it { "al" } else { "to" },
        period.to.format("%d/%m/%Y")
    );
    Ok(Grid::plain(title, if it { "UNITÀ" } else { "UNIT" }, &heads, &rows, Some(if it { "TOTALE" } else { "TOTAL" })))
}

/// The report as an XLSX workbook laid out as printed: every province's table and the
/// synthesis (or the province's table alone) on one sheet.
pub fn xlsx(backend: &dyn Backend, q: &Query) -> Result<Vec<u8>, ReportError> {
    let grids = grids(backend, q)?;
    crate::xlsx::report_xlsx(&grids, crate::xlsx::sheet_title(q.kind, q.lang)).map_err(xlsx_error)
}

/// A report pack: one workbook, a sheet per query's table, in order, then the table of
/// units as rows when given ([`per_unit`]).
pub fn pack(backend: &dyn Backend, queries: &[(Kind, Query)], units: Option<Grid>) -> Result<Vec<u8>, ReportError> {
    let mut tables = Vec::with_capacity(queries.len() + 1);
    for (kind, q) in queries {
        tables.push((crate::xlsx::sheet_title(*kind, q.lang), grids(backend, q)?));
    }
    if let Some(g) = units {
        let lang = queries.first().map_or(Lang::It, |(_, q)| q.lang);
        tables.push((if lang == Lang::En { "Units" } else { "Per unità" }, vec![g]));
    }
    crate::xlsx::pack(&tables).map_err(xlsx_error)
}

fn xlsx_error(e: crate::xlsx::XlsxError) -> ReportError {
    ReportError::Store(StoreError::Db(format!("writing the workbook: {e}")))
}

/// The persons every device (of the unit, or of all) sent for exactly the query's dates.
fn persons_tally(backend: &dyn Backend, q: &Query) -> Result<(Period, Tally), ReportError> {
    let (Some(from), Some(to)) = (q.selection.from, q.selection.to) else {
        return Err(ReportError::Bad("persons are counted in a period: give --period, or --from and --to".into()));
    };
    let period = Period::new(from, to).map_err(|e| ReportError::Bad(e.to_string()))?;
    let mut tally = Tally::new();
    for p in backend.persons(q.units.as_deref(), from, to)? {
        p.add_to(&mut tally);
    }
    Ok((period, tally))
}

/// The emersion total ([`lanterna::domain::tables::emersion_total`]): over a published
/// period, the persons of street, labour and desk the devices sent for it (as the other
/// person tables), otherwise their contacts; the indoor counts of the sessions'
/// summaries; the participants of informative sessions from the sessions' facts.
fn emersion_total(backend: &dyn Backend, q: &Query) -> Result<Rendered, ReportError> {
    let persons = counts(backend, &q.selection)? == Count::Persons;
    let (period, stored) = stored_over(backend, q)?;
    let mut tally = Tally::new();
    let mut sessions = Vec::new();
    for s in stored.iter().map(|s| &s.summary) {
        match s.activity {
            Activity::Session => sessions.extend(s.session.map(|f| (s.province, f))),
            Activity::Street | Activity::Labour | Activity::Desk if persons => {}
            _ => s.add_to(&mut tally),
        }
    }
    if persons {
        for p in backend.persons(q.units.as_deref(), period.from, period.to)? {
            p.add_to(&mut tally);
        }
    }
    lanterna::domain::tables::add_sessions(&mut tally, &sessions);
    let scope = ReportScope {
        province: if q.published.is_some() { None } else { q.selection.province },
        lang: q.lang,
        count: if persons { Count::Persons } else { Count::Contacts },
        ..ReportScope::period(period)
    };
    Ok(Rendered::build(q.kind, &tally, &scope))
}

/// The summaries dated in the query's dates (default: the first and last stored).
fn contacts_tally(backend: &dyn Backend, q: &Query) -> Result<(Period, Tally), ReportError> {
    let (period, stored) = stored_over(backend, q)?;
    let mut tally = Tally::new();
    for s in &stored {
        s.summary.add_to(&mut tally);
    }
    Ok((period, tally))
}

/// What the outings table counts of one summary: when, where, how long, who went, and
/// the persons it reached (contacts, indoor persons reached or met, session participants;
/// zero for an empty outing). A deleted summary counts nothing.
fn outing_fact(s: &lanterna::wire::Summary) -> Option<OutingFact> {
    if s.deleted {
        return None;
    }
    let reached = |m: Measure| matches!(m, Measure::Contacts | Measure::Reached | Measure::Meetings);
    let contacts = match s.session {
        Some(f) => f.participants.total(),
        None => s.cells.iter().filter(|c| reached(c.measure)).map(|c| u64::from(c.count)).sum(),
    };
    Some(OutingFact {
        activity: s.activity,
        date: s.date,
        shift: s.shift,
        province: s.province,
        minutes: s.minutes,
        team: s.team,
        contacts,
    })
}

/// The informative sessions the devices sent over the query's dates: each one's province
/// and facts (from the summaries of activity session), with the period they cover.
fn session_facts(backend: &dyn Backend, q: &Query) -> Result<(Period, Vec<(Province, SessionFacts)>), ReportError> {
    let (period, stored) = stored_over(backend, q)?;
    let facts = stored
        .iter()
        .filter(|s| s.summary.activity == Activity::Session && !s.summary.deleted)
        .filter_map(|s| s.summary.session.map(|f| (s.summary.province, f)))
        .collect();
    Ok((period, facts))
}

/// The summaries over the query's dates and the period they cover (the query's dates,
/// else the first and last summary's, else today).
fn stored_over(backend: &dyn Backend, q: &Query) -> Result<(Period, Vec<Stored>), ReportError> {
    let wide =
        (NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date"), NaiveDate::from_ymd_opt(2999, 12, 31).expect("a date"));
    let (from, to) = (q.selection.from.unwrap_or(wide.0), q.selection.to.unwrap_or(wide.1));
    if from > to {
        return Err(ReportError::Bad(format!("--from {from} is after --to {to}")));
    }
    let stored = backend.summaries(q.units.as_deref(), from, to)?;
    let first = stored.iter().map(|s| s.summary.date).min();
    let last = stored.iter().map(|s| s.summary.date).max();
    let today = chrono::Utc::now().date_naive();
    let from = q.selection.from.or(first).unwrap_or(today);
    let to = q.selection.to.or(last).unwrap_or(today).max(from);
    let period = Period::new(from, to).map_err(|e| ReportError::Bad(e.to_string()))?;
    Ok((period, stored))
}
