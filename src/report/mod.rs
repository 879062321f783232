//! Renderers of the report tables: text laid out like the printed tables, CSV for
//! spreadsheets and JSON for programs. Pure functions over the domain's tables, so the
//! sync server renders exactly what the app renders.
//!
//! Every table becomes a typed [`Grid`] (one module per family builds them); small-cell
//! suppression runs once over the grids, and text, CSV and JSON are all rendered from the
//! same suppressed grids. The app's report table component reads the grids too
//! ([`Rendered::grids`], [`grids`]).

mod age;
mod campaigns;
mod emersion;
mod emersion_total;
mod grid;
mod indoor;
mod items;
mod labour;
mod labour_sectors;
mod mapping;
mod outings;
mod publish;
mod services;
mod sessions;
mod street;

use serde::Serialize;

use crate::domain::tables::{
    BreakdownReport, DeskReport, HelplineReport, IdentificationReport, OutcomesReport, ReferralReport,
    breakdown_report, desk_report, helpline_report, identification_report, outcomes_report, referral_report,
};
use crate::domain::tables::{EmersionTotalReport, emersion_total_report};
use crate::domain::tables::{IndoorReport, ItemsReport, LabourReport, MassageReport, ServicesReport, StreetReport};
use crate::domain::tables::{LabourSectorsReport, MappingReport, labour_sectors_report, mapping_report};
use crate::domain::tables::{
    Mft, MftTotal, OfWhich, ReportScope, indoor_report, items_report, labour_report, massage_report, services_report,
    street_report,
};
use crate::domain::{Activity, Count, Gender, Lang, Province, Tally};
// Informative sessions and message campaigns (issue 15).
use crate::domain::outreach::SessionFacts;
use crate::domain::tables::{CampaignsReport, SessionsReport, campaigns_report, sessions_report};
pub use grid::{Cell, Column, Grid, Group, Note, Role, Row, RowKind};
pub use indoor::indoor_stats_text;

pub use publish::{Disclosure, PUBLISHED_K_MIN, disclosures, suppress_jointly};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Laid out like the printed tables.
    #[default]
    Text,
    /// One CSV table, a `province` column first.
    Csv,
    /// The JSON documented in the README.
    Json,
}

impl Format {
    /// Parses `text`, `csv` or `json`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A report ready to render: with `single` set (a `--province` was given) the JSON is
/// that province's table alone, otherwise every table and the synthesis.
#[derive(Debug, Clone)]
pub enum Rendered {
    /// Street contacts.
    Street(StreetReport),
    /// Labour outreach contacts.
    Labour(LabourReport),
    /// Referrals, accompaniments, talks.
    Services(ServicesReport),
    /// Items handed out.
    Items(ItemsReport),
    /// Indoor: ads, calls, contacts, persons met.
    Indoor(IndoorReport),
    /// Massage centres: persons contacted.
    Massage(MassageReport),
    /// Drop-in desks: persons met (or contacts).
    Desk(DeskReport),
    /// Identification interviews by kind.
    Identification(IdentificationReport),
    /// Referral requests of the Commissione and what came of them.
    Referral(ReferralReport),
    /// Persons interviewed by gender, age, nationality, place of emersion, typology.
    IdBreakdown(BreakdownReport),
    /// Outcomes of contacts, in persons.
    Outcomes(OutcomesReport),
    /// Helpline reports.
    Helpline(HelplineReport),
    /// Labour outreach by sector and setting.
    LabourSectors(LabourSectorsReport),
    /// National mapping nights: persons seen and contacted by comune.
    Mapping(MappingReport),
    /// Informative group sessions: participants, places, themes, languages.
    Sessions(SessionsReport),
    /// Message campaigns: persons reached, messages by language.
    Campaigns(CampaignsReport),
    /// The province's emersion total: persons contacted across every kind of outreach.
    EmersionTotal(EmersionTotalReport),
    /// Outings (and sessions) by activity × shift × month, their hours and teams.
    Outings(crate::domain::tables::OutingsReport),
    /// Presences (seen, not approached) next to contacts.
    Presences(crate::domain::tables::PresencesReport),
}

/// The report tables, as both `lanterna report` and `lanterna-server report` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Street contacts.
    Street,
    /// Labour outreach contacts.
    Labour,
    /// Indoor: ads, calls, contacts, persons met.
    Indoor,
    /// Massage centres.
    Massage,
    /// Referrals, accompaniments, talks.
    Services,
    /// Items handed out.
    Items,
    /// Drop-in desks: persons met by nationality × M/F/T.
    Desk,
    /// Identification interviews: persons, interviews, identified, adhesions by kind.
    Identification,
    /// Referral requests of the Commissione Territoriale.
    Referral,
    /// Persons interviewed by gender, age, nationality, place of emersion, typology.
    IdBreakdown,
    /// Outcomes of contacts, in persons.
    Outcomes,
    /// Helpline (Numero Verde) reports.
    Helpline,
    /// Labour outreach by sector and setting, with joint inspections.
    LabourSectors,
    /// National mapping nights: persons seen and contacted by comune × nationality.
    Mapping,
    /// Informative group sessions (built from the sessions' facts: [`Rendered::sessions`]).
    Sessions,
    /// Message campaigns on indoor numbers.
    Campaigns,
    /// The province's emersion total: persons contacted across every kind of outreach.
    EmersionTotal,
    /// Outings and sessions: empty ones, hours, operator-hours, mediator, legal operator.
    /// Built from outing facts ([`Rendered::build_with`]), not from a tally.
    Outings,
    /// Presences (people seen, not approached) next to contacts, street and labour.
    Presences,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 19] = [
        Table::Street,
        Table::Labour,
        Table::Indoor,
        Table::Massage,
        Table::Services,
        Table::Items,
        Table::Desk,
        Table::Identification,
        Table::Referral,
        Table::IdBreakdown,
        Table::Outcomes,
        Table::Helpline,
        Table::LabourSectors,
        Table::Mapping,
        Table::Sessions,
        Table::Campaigns,
        Table::EmersionTotal,
        Table::Outings,
        Table::Presences,
    ];

    /// The tables of emersion beyond the outing, built from a period's emersion tally
    /// (interviews, outcomes, helpline), whatever the activity.
    pub const EMERSION: [Table; 5] =
        [Table::Identification, Table::Referral, Table::IdBreakdown, Table::Outcomes, Table::Helpline];

    /// True for the tables built from the emersion tally ([`Table::EMERSION`]).
    pub fn is_emersion(self) -> bool {
        Table::EMERSION.contains(&self)
    }

    /// Its name on the command line and in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Table::Street => "street",
            Table::Labour => "labour",
            Table::Indoor => "indoor",
            Table::Massage => "massage",
            Table::Services => "services",
            Table::Items => "items",
            Table::Desk => "desk",
            Table::Identification => "identification",
            Table::Referral => "referral",
            Table::IdBreakdown => "identification-breakdown",
            Table::Outcomes => "outcomes",
            Table::Helpline => "helpline",
            Table::LabourSectors => "labour-sectors",
            Table::Mapping => "mapping",
            Table::Sessions => "sessions",
            Table::Campaigns => "campaigns",
            Table::EmersionTotal => "emersion-total",
            Table::Outings => "outings",
            Table::Presences => "presences",
        }
    }

    /// Parses a name.
    pub fn parse(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.code() == s)
    }

    /// The activity the table is about; services and items cover every activity.
    pub fn activity(self) -> Option<Activity> {
        match self {
            Table::Street => Some(Activity::Street),
            Table::Labour | Table::LabourSectors => Some(Activity::Labour),
            Table::Mapping => None,
            Table::Indoor | Table::Massage | Table::Campaigns => Some(Activity::Indoor),
            Table::Sessions => Some(Activity::Session),
            Table::Desk => Some(Activity::Desk),
            Table::Services | Table::Items | Table::EmersionTotal | Table::Outings | Table::Presences => None,
            Table::Identification | Table::Referral | Table::IdBreakdown | Table::Outcomes | Table::Helpline => {
                Some(Activity::Emersion)
            }
        }
    }
}

impl Rendered {
    /// Builds a table from a tally.
    pub fn build(table: Table, tally: &Tally, scope: &ReportScope) -> Rendered {
        match table {
            Table::Street => Rendered::Street(street_report(tally, scope)),
            Table::Labour => Rendered::Labour(labour_report(tally, scope)),
            Table::Indoor => Rendered::Indoor(indoor_report(tally, scope)),
            Table::Massage => Rendered::Massage(massage_report(tally, scope)),
            Table::Services => Rendered::Services(services_report(tally, scope)),
            Table::Items => Rendered::Items(items_report(tally, scope)),
            Table::Desk => Rendered::Desk(desk_report(tally, scope)),
            Table::Identification => Rendered::Identification(identification_report(tally, scope)),
            Table::Referral => Rendered::Referral(referral_report(tally, scope)),
            Table::IdBreakdown => Rendered::IdBreakdown(breakdown_report(tally, scope)),
            Table::Outcomes => Rendered::Outcomes(outcomes_report(tally, scope)),
            Table::Helpline => Rendered::Helpline(helpline_report(tally, scope)),
            Table::LabourSectors => Rendered::LabourSectors(labour_sectors_report(tally, scope)),
            Table::Mapping => Rendered::Mapping(mapping_report(tally, scope)),
            // Sessions are head counts, never cells of a tally: a tally has none to give.
            Table::Sessions => Rendered::sessions(&[], scope),
            Table::Campaigns => Rendered::Campaigns(campaigns_report(tally, scope)),
            Table::EmersionTotal => Rendered::EmersionTotal(emersion_total_report(tally, scope)),
            Table::Outings => Rendered::Outings(crate::domain::tables::outings_report(&[], scope)),
            Table::Presences => Rendered::Presences(crate::domain::tables::presences_report(tally, scope)),
        }
    }

    /// Builds a table from a tally and the outing facts of the same period: the outings
    /// table counts the facts, every other table the tally, and the street, labour and
    /// desk tables print their province's outings line under them ([`Rendered::build`] is
    /// this with no facts: its outings table is empty and no line is printed).
    pub fn build_with(
        table: Table,
        tally: &Tally,
        facts: &[crate::domain::outreach::OutingFact],
        scope: &ReportScope,
    ) -> Rendered {
        use crate::domain::tables::outing_line;
        let lines = |tables: &mut Vec<crate::domain::tables::LabourTable>, activity| {
            for t in tables {
                t.outings = Some(outing_line(facts, scope, t.province, activity));
            }
        };
        match Rendered::build(table, tally, scope) {
            Rendered::Outings(_) => Rendered::Outings(crate::domain::tables::outings_report(facts, scope)),
            Rendered::Street(mut r) => {
                for t in &mut r.tables {
                    t.outings = Some(outing_line(facts, scope, t.province, Activity::Street));
                }
                Rendered::Street(r)
            }
            Rendered::Labour(mut r) => {
                lines(&mut r.tables, Activity::Labour);
                Rendered::Labour(r)
            }
            Rendered::Desk(mut r) => {
                lines(&mut r.tables, Activity::Desk);
                Rendered::Desk(r)
            }
            other => other,
        }
    }

    /// Builds the informative sessions table from the sessions of the scope's period, each
    /// with its province (on the phone from its store, on the server from the summaries of
    /// activity session).
    pub fn sessions(sessions: &[(Province, SessionFacts)], scope: &ReportScope) -> Rendered {
        Rendered::Sessions(sessions_report(sessions, scope))
    }
}

fn json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("report tables serialise");
    s.push('\n');
    s
}

/// The grids of `table` over a tally, nothing hidden, labels in the scope's language: the
/// province's table alone when the scope names a province, otherwise every province's table
/// and the synthesis. What the app's report table component shows.
pub fn grids(table: Table, tally: &Tally, scope: &ReportScope) -> Vec<Grid> {
    Rendered::build(table, tally, scope).grids(scope.province.is_some(), scope.lang, None)
}

impl Rendered {
    /// Renders in `format`; `single` when the report was asked for one province.
    pub fn render(&self, format: Format, single: bool, lang: Lang) -> String {
        self.render_suppressed(format, single, lang, None)
    }

    /// Renders with small cells hidden (`k`: threshold) when the table is published
    /// across units: cells of 1..k-1 and their complements read "<k" (see
    /// [`Grid::suppress`]). Text, CSV and JSON show the same suppressed grids.
    pub fn render_suppressed(&self, format: Format, single: bool, lang: Lang, k: Option<u64>) -> String {
        self.render_grids(format, single, self.grids(single, lang, k), k.is_some())
    }

    /// Renders `grids` (this report's, as [`Rendered::grids`] gives them for `single`) in
    /// `format`; `suppressed` when some of their cells may be hidden, so the JSON gets "<k"
    /// at their places.
    fn render_grids(&self, format: Format, single: bool, grids: Vec<Grid>, suppressed: bool) -> String {
        match format {
            Format::Json => {
                if !suppressed {
                    return json(&JsonView(self, single));
                }
                let mut v = serde_json::to_value(JsonView(self, single)).expect("report tables serialise");
                grids.iter().for_each(|g| g.hide_in_json(&mut v));
                json(&v)
            }
            Format::Text => grids.iter().map(Grid::to_text).collect::<Vec<_>>().join("\n"),
            Format::Csv => {
                // One row per province's row: syntheses and all-province totals are left out.
                // Tables of another shape (the services' referrals after the accompaniments)
                // follow as CSV tables of their own, after an empty line.
                let mut shapes: Vec<Vec<Grid>> = Vec::new();
                for g in grids.into_iter().filter(|g| g.province().is_some()) {
                    match shapes.iter_mut().find(|s| s[0].columns() == g.columns()) {
                        Some(s) => s.push(g),
                        None => shapes.push(vec![g]),
                    }
                }
                shapes.iter().map(|s| Grid::to_csv(s)).collect::<Vec<_>>().join("\n")
            }
        }
    }

    /// The tables as grids, labels in `lang`: one per province, then (unless `single`) the
    /// synthesis (items: all provinces together); with `k`, small cells are hidden for
    /// publication across units ([`Grid::suppress`]).
    pub fn grids(&self, single: bool, lang: Lang, k: Option<u64>) -> Vec<Grid> {
        let mut out = match self {
            Rendered::Street(r) => {
                per_province(&r.tables, single, || street::synthesis(r, lang), |t, at| street::table(t, lang, at))
            }
            Rendered::Labour(r) => {
                per_province(&r.tables, single, || labour::synthesis(r, lang), |t, at| labour::table(t, lang, at))
            }
            Rendered::Services(r) => per_province_many(
                &r.tables,
                single,
                || services::synthesis(r, lang),
                |t, at| services::tables(t, lang, at),
            ),
            Rendered::Items(r) => per_province(
                &r.tables,
                single,
                || items::table(&r.total, lang, Some("/total".into())),
                |t, at| items::table(t, lang, at),
            ),
            Rendered::Indoor(r) => {
                per_province(&r.tables, single, || indoor::synthesis(r, lang), |t, at| indoor::table(t, lang, at))
            }
            Rendered::Massage(r) => per_province(
                &r.tables,
                single,
                || indoor::massage_synthesis(r, lang),
                |t, at| indoor::massage(t, lang, at),
            ),
            Rendered::Desk(r) => per_province(
                &r.tables,
                single,
                || labour::titled_synthesis(r, lang, labour::desk_title(lang)),
                |t, at| labour::titled_table(t, lang, at, labour::desk_title(lang)),
            ),
            Rendered::Identification(r) => emersion::identification(r, single, lang),
            Rendered::Referral(r) => emersion::referral(r, single, lang),
            Rendered::IdBreakdown(r) => emersion::breakdown(r, single, lang),
            Rendered::Outcomes(r) => emersion::outcomes(r, single, lang),
            Rendered::Helpline(r) => emersion::helpline(r, single, lang),
            Rendered::LabourSectors(r) => per_province_many(
                &r.tables,
                single,
                || labour_sectors::synthesis(r, lang),
                |t, at| labour_sectors::tables(t, r.count, lang, at),
            ),
            Rendered::Mapping(r) => {
                per_province(&r.tables, single, || mapping::synthesis(r, lang), |t, at| mapping::table(t, lang, at))
            }
            Rendered::Sessions(r) => {
                per_province(&r.tables, single, || sessions::synthesis(r, lang), |t, at| sessions::table(t, lang, at))
            }
            Rendered::Campaigns(r) => {
                per_province(&r.tables, single, || campaigns::synthesis(r, lang), |t, at| campaigns::table(t, lang, at))
            }
            Rendered::EmersionTotal(r) => per_province(
                &r.tables,
                single,
                || emersion_total::synthesis(r, lang),
                |t, at| emersion_total::table(t, lang, at),
            ),
            Rendered::Outings(r) => {
                per_province(&r.tables, single, || outings::synthesis(r, lang), |t, at| outings::table(t, lang, at))
            }
            Rendered::Presences(r) => per_province(
                &r.tables,
                single,
                || outings::presences_synthesis(r, lang),
                |t, at| outings::presences_table(t, lang, at),
            ),
        };
        if let Some(k) = k {
            out.iter_mut().for_each(|g| g.suppress(k));
        }
        out
    }
}

/// What the JSON shows: one province's table when `single` (the first), else the report.
struct JsonView<'a>(&'a Rendered, bool);

impl Serialize for JsonView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        fn table_or<T: Serialize, R: Serialize, S: serde::Serializer>(
            tables: &[T],
            report: &R,
            single: bool,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match tables.first() {
                Some(t) if single => t.serialize(s),
                _ => report.serialize(s),
            }
        }
        let single = self.1;
        match self.0 {
            Rendered::Street(r) => table_or(&r.tables, r, single, s),
            Rendered::Labour(r) => table_or(&r.tables, r, single, s),
            Rendered::Services(r) => table_or(&r.tables, r, single, s),
            Rendered::Items(r) => table_or(&r.tables, r, single, s),
            Rendered::Indoor(r) => table_or(&r.tables, r, single, s),
            Rendered::Massage(r) => table_or(&r.tables, r, single, s),
            Rendered::Desk(r) => table_or(&r.tables, r, single, s),
            // One table, always: the province's when one was asked for, else the synthesis.
            Rendered::Identification(r) => match r.tables.first() {
                Some(t) if single => t.table.serialize(s),
                _ => r.synthesis.serialize(s),
            },
            Rendered::Referral(r) => table_or(&r.tables, r, single, s),
            Rendered::IdBreakdown(r) => table_or(&r.tables, r, single, s),
            Rendered::Outcomes(r) => table_or(&r.tables, r, single, s),
            Rendered::Helpline(r) => table_or(&r.tables, r, single, s),
            Rendered::LabourSectors(r) => table_or(&r.tables, r, single, s),
            Rendered::Mapping(r) => table_or(&r.tables, r, single, s),
            Rendered::Sessions(r) => table_or(&r.tables, r, single, s),
            Rendered::Campaigns(r) => table_or(&r.tables, r, single, s),
            Rendered::EmersionTotal(r) => table_or(&r.tables, r, single, s),
            Rendered::Outings(r) => table_or(&r.tables, r, single, s),
            Rendered::Presences(r) => table_or(&r.tables, r, single, s),
        }
    }
}

/// One grid per province's table, then the synthesis unless `single`.
fn per_province<T>(
    tables: &[T],
    single: bool,
    synthesis: impl FnOnce() -> Grid,
    table: impl Fn(&T, Option<String>) -> Grid,
) -> Vec<Grid> {
    per_province_many(tables, single, || vec![synthesis()], |t, at| vec![table(t, at)])
}

/// The grids of each province's table, then the synthesis's unless `single`.
fn per_province_many<T>(
    tables: &[T],
    single: bool,
    synthesis: impl FnOnce() -> Vec<Grid>,
    table: impl Fn(&T, Option<String>) -> Vec<Grid>,
) -> Vec<Grid> {
    let mut out: Vec<Grid> = tables.iter().enumerate().flat_map(|(i, t)| table(t, table_at(single, i))).collect();
    if !single {
        out.extend(synthesis());
    }
    out
}

/// Where a province's table sits in the JSON: the first is the whole JSON when `single`.
fn table_at(single: bool, i: usize) -> Option<String> {
    match (single, i) {
        (false, i) => Some(format!("/tables/{i}")),
        (true, 0) => Some(String::new()),
        (true, _) => None,
    }
}

/// What a headcount table's title says it counts.
fn headcount(lang: Lang, count: Count) -> &'static str {
    match count {
        Count::Persons => tr(lang, "PERSONE INCONTRATE", "PERSONS MET"),
        Count::Contacts => tr(lang, "CONTATTI", "CONTACTS"),
    }
}

/// Under a table of persons by shift: why day and night do not add up to persons.
fn both_shifts_note(g: &mut Grid, lang: Lang, count: Count) {
    if count == Count::Persons {
        g.remark(tr(
            lang,
            "Una persona incontrata sia in uscite diurne sia in uscite notturne è contata in entrambe le colonne.",
            "A person met on both day and night outings is counted in both columns.",
        ));
    }
}

fn tr(lang: Lang, it: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

fn period(lang: Lang, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    match lang {
        Lang::It => format!("dal {} al {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")),
        Lang::En => format!("from {from} to {to}"),
    }
}

fn province_title(lang: Lang, name: &str, code: &str) -> String {
    format!("{} {name} ({code})", tr(lang, "Provincia di", "Province of"))
}

/// An empty province's table titled "TITLE — Provincia di Name (XX) — dal … al …"; `at` is
/// its place in the JSON.
fn province_grid(lang: Lang, title: &str, province: Province, name: &str, dates: Dates, at: Option<String>) -> Grid {
    let code = province.code();
    let title = format!("{title} — {} — {}", province_title(lang, name, code), period(lang, dates.0, dates.1));
    Grid::new(title, Some(code), at)
}

/// An empty synthesis titled "TITLE — dal … al …", the JSON's `synthesis`.
fn synthesis_grid(lang: Lang, title: &str, dates: Dates) -> Grid {
    Grid::new(format!("{title} — {}", period(lang, dates.0, dates.1)), None, Some("/synthesis".into()))
}

/// A table's first and last day.
type Dates = (chrono::NaiveDate, chrono::NaiveDate);

/// M, F and T cells of `m`; `at` is its JSON pointer within the row or table ("/day").
fn mft(m: &Mft, role: Role, at: &str) -> Vec<Cell> {
    Gender::ALL.iter().map(|&g| Cell::new(m.get(g), role, format!("{at}/{}", g.code()))).collect()
}

fn mft_keys(prefix: &str) -> Vec<String> {
    Gender::ALL.iter().map(|g| format!("{prefix}_{}", g.code())).collect()
}

/// M, F, T and Tot cells of `m`, a synthesis' group; `total` says whether they are in a
/// total row ([`Role::Total`]) or a province's row (counts and their [`Role::RowTotal`]).
fn mft_total(m: &MftTotal, total: bool, at: &str) -> Vec<Cell> {
    let (role, sum) = if total { (Role::Total, Role::Total) } else { (Role::Count, Role::RowTotal) };
    let mut cells = mft(&m.mft, role, at);
    cells.push(Cell::new(m.total, sum, format!("{at}/total")));
    cells
}

/// The CSV names of [`mft_total`]'s cells: `prefix_M`, `prefix_F`, `prefix_T`, `prefix_total`.
fn mft_total_keys(prefix: &str) -> Vec<String> {
    let mut keys = mft_keys(prefix);
    keys.push(format!("{prefix}_total"));
    keys
}

/// The headings of [`mft_total`]'s cells.
const MFT_TOT: [&str; 4] = ["M", "F", "T", "Tot"];

/// The "di cui" line of a contacts table.
fn of_which_note(g: &mut Grid, lang: Lang, count: Count, o: &OfWhich) {
    let (first, known) = match count {
        Count::Persons => {
            (tr(lang, "nuove nel periodo", "new in the period"), tr(lang, "già conosciute", "already known"))
        }
        Count::Contacts => (tr(lang, "primi contatti", "first contacts"), tr(lang, "già conosciuti", "already known")),
    };
    let items = [
        (tr(lang, "minori", "minors"), o.minors, "minors"),
        (first, o.first_contacts, "first_contacts"),
        (known, o.known_contacts, "known_contacts"),
        (
            tr(lang, "richiedenti o titolari di protezione internazionale", "asylum seekers or protection holders"),
            o.protection,
            "protection",
        ),
    ];
    g.note(
        tr(lang, "di cui", "of which"),
        items.map(|(l, n, key)| (l.to_owned(), Cell::new(n, Role::OfWhich, format!("/of_which/{key}")))),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tables::{ReportScope, street_report};
    use crate::domain::{
        Activity, ContactData, ContactRecord, Nationality, Period, Place, Province, Shift, Tally, parse_date,
    };

    fn sample() -> Rendered {
        let rec = |shift, nat: &str, g| ContactRecord {
            activity: Activity::Street,
            date: parse_date("2023-03-01").unwrap(),
            shift,
            place: Place::province(Province::parse("BS").unwrap()),
            person: None,
            data: ContactData::new(g, Nationality::parse(nat).unwrap()),
        };
        let recs =
            [rec(Shift::Night, "RO", Gender::F), rec(Shift::Day, "BR", Gender::T), rec(Shift::Night, "ZZ", Gender::F)];
        let scope = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        Rendered::Street(street_report(&Tally::of_records(&recs), &scope))
    }

    #[test]
    fn text_looks_like_the_printed_table() {
        let text = sample().render(Format::Text, false, Lang::It);
        assert!(text.contains("USCITE DIURNE"), "{text}");
        assert!(text.contains("Provincia di Brescia (BS)"));
        assert!(text.contains("dal 01/01/2023 al 31/12/2023"));
        let romania = text.lines().find(|l| l.starts_with("Romania")).unwrap();
        assert_eq!(romania.split_whitespace().collect::<Vec<_>>(), ["Romania", "1"]);
        assert!(text.lines().any(|l| l.starts_with("Non rilevato")));
        assert!(text.contains("SINTESI PER PROVINCIA"));
    }

    #[test]
    fn the_labour_title_names_begging_and_illegal_economies() {
        let recs = [ContactRecord {
            activity: Activity::Labour,
            date: parse_date("2023-03-01").unwrap(),
            shift: Shift::Day,
            place: Place::province(Province::parse("BS").unwrap()),
            person: None,
            data: ContactData::new(Gender::M, Nationality::parse("PK").unwrap()),
        }];
        let scope = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        let tally = Tally::of_records(&recs);
        let it = grids(Table::Labour, &tally, &scope);
        assert!(it[0].title().starts_with("CONTATTI: SFRUTTAMENTO LAVORATIVO, ACCATTONAGGIO ED ECONOMIE ILLEGALI — "));
        let phrase = "sfruttamento lavorativo, accattonaggio ed economie illegali";
        assert!(it.iter().all(|g| g.title().to_lowercase().contains(phrase)), "table and synthesis");
        let en = grids(Table::Labour, &tally, &ReportScope { lang: Lang::En, ..scope });
        assert!(en[0].title().starts_with("CONTACTS: LABOUR EXPLOITATION, BEGGING AND ILLEGAL ECONOMIES"));
        let persons = grids(Table::Labour, &tally, &ReportScope { count: Count::Persons, ..scope });
        assert!(persons[0].title().starts_with("PERSONE INCONTRATE: SFRUTTAMENTO LAVORATIVO"));
    }

    #[test]
    fn csv_has_keys_and_a_province_column() {
        let csv = sample().render(Format::Csv, false, Lang::It);
        let mut lines = csv.lines();
        assert_eq!(lines.next().unwrap(), "province,code,label,day_M,day_F,day_T,night_M,night_F,night_T");
        assert!(csv.contains("BS,RO,Romania,0,0,0,0,1,0"), "{csv}");
        assert!(csv.contains("BS,,TOTALE,0,0,1,0,2,0"), "{csv}");
    }

    /// A Brescia street table of day contacts: (nationality, gender, how many).
    fn day_contacts(cells: &[(&str, Gender, usize)], minors: usize) -> Rendered {
        let mut recs = Vec::new();
        for &(nat, g, n) in cells {
            for _ in 0..n {
                recs.push(ContactRecord {
                    activity: Activity::Street,
                    date: parse_date("2023-03-01").unwrap(),
                    shift: Shift::Day,
                    place: Place::province(Province::parse("BS").unwrap()),
                    person: None,
                    data: ContactData::new(g, Nationality::parse(nat).unwrap()),
                });
            }
        }
        recs.iter_mut().take(minors).for_each(|r| r.data.age_band = Some(crate::domain::AgeBand::Minor));
        let scope = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        Rendered::Street(street_report(&Tally::of_records(&recs), &scope))
    }

    fn suppressed_json(r: &Rendered) -> serde_json::Value {
        serde_json::from_str(&r.render_suppressed(Format::Json, true, Lang::It, Some(3))).unwrap()
    }

    fn row<'a>(v: &'a serde_json::Value, nat: &str) -> &'a serde_json::Value {
        v["rows"].as_array().unwrap().iter().find(|r| r["nationality"] == nat).unwrap()
    }

    #[test]
    fn small_cells_are_hidden_and_totals_withheld_only_when_they_would_tell() {
        // Partners exist: the small cell and its complements go, the totals stay.
        let v = suppressed_json(&day_contacts(
            &[("RO", Gender::F, 1), ("RO", Gender::T, 4), ("NG", Gender::F, 5), ("NG", Gender::T, 6)],
            0,
        ));
        assert_eq!(row(&v, "RO")["day"]["F"], "<3");
        assert_eq!(row(&v, "RO")["day"]["T"], "<3", "row complement");
        assert_eq!(row(&v, "NG")["day"]["F"], "<3", "column complement");
        assert_eq!(v["total"]["day"]["F"], 6);
        assert_eq!(v["grand_total"], 16);
        // No partner in its column: the totals would tell, so they are withheld.
        let v = suppressed_json(&day_contacts(&[("RO", Gender::F, 1), ("NG", Gender::T, 5)], 0));
        assert_eq!(row(&v, "RO")["day"]["F"], "<3");
        assert_eq!(v["total"]["day"]["F"], "<3");
        assert_eq!(v["grand_total"], "<3");
        assert_eq!(v["shift_totals"]["day"], "<3");
        assert_eq!(row(&v, "NG")["day"]["T"], 5, "large cells stay");
    }

    #[test]
    fn one_units_cells_of_one_and_two_give_nothing_back_in_any_format() {
        let r = day_contacts(&[("RO", Gender::F, 1), ("BR", Gender::T, 2)], 1);
        let v = suppressed_json(&r);
        assert_eq!(row(&v, "RO")["day"]["F"], "<3");
        assert_eq!(row(&v, "BR")["day"]["T"], "<3");
        for total in [&v["total"]["day"]["F"], &v["total"]["day"]["T"], &v["shift_totals"]["day"], &v["grand_total"]] {
            assert_eq!(total, "<3", "no total gives a hidden cell back");
        }
        assert_eq!(v["of_which"]["minors"], "<3", "a small 'di cui' count is hidden");
        assert_eq!(v["of_which"]["first_contacts"], 0);
        // Text and CSV show the same suppressed grid.
        let text = r.render_suppressed(Format::Text, true, Lang::It, Some(3));
        let romania = text.lines().find(|l| l.starts_with("Romania")).unwrap();
        assert_eq!(romania.split_whitespace().collect::<Vec<_>>(), ["Romania", "<3"]);
        assert!(text.contains("di cui: minori <3 · primi contatti 0"), "{text}");
        assert!(text.contains("totale generale <3"), "{text}");
        let csv = r.render_suppressed(Format::Csv, true, Lang::It, Some(3));
        assert!(csv.contains("BS,RO,Romania,0,<3,0,0,0,0"), "{csv}");
        assert!(csv.contains("BS,,TOTALE,<3,<3,<3,<3,<3,<3"), "{csv}");
        // The grids say the same, with each cell's role.
        let g = &r.grids(true, Lang::It, Some(3))[0];
        assert_eq!(g.title(), "CONTATTI IN STRADA — Provincia di Brescia (BS) — dal 01/01/2023 al 31/12/2023");
        assert_eq!(g.groups()[0], Group { label: "USCITE DIURNE".into(), span: 3 });
        assert_eq!(g.columns()[1], Column { head: "F".into(), key: "day_F".into() });
        let ro = g.rows().iter().find(|r| r.code() == "RO").unwrap();
        assert_eq!((ro.kind(), ro.cells()[1].role(), ro.cells()[1].count()), (RowKind::Body, Role::Count, None));
        assert_eq!(g.totals()[0].cells()[0].role(), Role::Total);
        assert_eq!(g.notes()[1].items[0].1.role(), Role::OfWhich);
    }

    #[test]
    fn unsuppressed_grids_are_the_tables() {
        let scope = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        let g = grids(Table::Street, &Tally::new(), &scope);
        assert!(g.is_empty() || g.last().unwrap().province().is_none(), "the synthesis closes the list");
        let g = &sample().grids(true, Lang::En, None)[0];
        assert_eq!(g.province(), Some("BS"));
        let ro = g.rows().iter().find(|r| r.code() == "RO").unwrap();
        assert_eq!(ro.label(), "Romania");
        assert_eq!(ro.cells()[4].count(), Some(1));
        assert_eq!(ro.cells()[0].text(), "", "zero is blank in the body");
        assert_eq!(g.totals()[0].cells()[0].text(), "0");
    }

    /// A Brescia services report: a Romanian woman accompanied three times to health (one
    /// an STI test), given two talks and referred to work; a Nigerian man given a legal
    /// consultation.
    fn services_sample() -> Rendered {
        use crate::domain::{EventKind, ServiceKind, ServiceSubtype};
        let rec = |nat: &str, g| ContactRecord {
            activity: Activity::Street,
            date: parse_date("2023-03-01").unwrap(),
            shift: Shift::Night,
            place: Place::province(Province::parse("BS").unwrap()),
            person: None,
            data: ContactData::new(g, Nationality::parse(nat).unwrap()),
        };
        let mut ro = rec("RO", Gender::F);
        ro.data.services.set_count(EventKind::Accompaniment, Some(ServiceKind::Health), 3);
        ro.data.services.toggle_subtype(EventKind::Accompaniment, ServiceSubtype::StiTest);
        ro.data.services.set_count(EventKind::Listening, None, 2);
        ro.data.services.set_count(EventKind::Referral, Some(ServiceKind::Work), 1);
        let mut ng = rec("NG", Gender::M);
        ng.data.services.set_count(EventKind::LegalConsultation, None, 1);
        let scope = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        Rendered::build(Table::Services, &Tally::of_records(&[ro, ng]), &scope)
    }

    #[test]
    fn services_render_as_the_printed_accompaniments_and_referrals_tables() {
        let r = services_sample();
        let text = r.render(Format::Text, false, Lang::It);
        for heading in ["ACCOMPAGNAMENTI, COLLOQUI DI ASCOLTO E CONSULENZE LEGALI", "INVII AI SERVIZI", "N. PERSONE"] {
            assert!(text.contains(heading), "{heading}: {text}");
        }
        assert!(text.contains("SANITARIO — Test IST"), "{text}");
        let grids = r.grids(false, Lang::It, None);
        assert_eq!(grids.len(), 6, "three per province, three syntheses");
        let cells = |g: &Grid, code: &str| -> Vec<u64> {
            g.rows().iter().find(|r| r.code() == code).unwrap().cells().iter().map(|c| c.count().unwrap()).collect()
        };
        // Accompaniments: legal M F T Tot, health M F T Tot, work, other, persons, talks, consultations, TOT, info.
        assert_eq!(
            cells(&grids[0], "RO"),
            [0, 0, 0, 0, 0, 3, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 5, 0, 0, 0]
        );
        assert_eq!(cells(&grids[0], "NG")[16..24], [1, 0, 0, 0, 1, 0, 0, 1]);
        // Referrals: four services M F T Tot, persons, TOT.
        assert_eq!(cells(&grids[1], "RO"), [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 1, 1]);
        assert_eq!(cells(&grids[2], "sti_test"), [0, 1, 0, 0, 0, 0]);
        let csv = r.render(Format::Csv, false, Lang::It);
        assert_eq!(csv.split("\n\n").count(), 3, "{csv}");
        let json: serde_json::Value = serde_json::from_str(&r.render(Format::Json, true, Lang::It)).unwrap();
        assert_eq!(json["total"]["accompaniments"]["health"]["total"], 3);
        assert_eq!(json["total"]["accompanied_persons"], 2);
        // Published: every cell small, so hidden in every format, and at its JSON place.
        for single in [true, false] {
            let v: serde_json::Value =
                serde_json::from_str(&r.render_suppressed(Format::Json, single, Lang::It, Some(3))).unwrap();
            let t = if single { &v } else { &v["tables"][0] };
            assert_eq!(t["total"]["subtypes"]["sti_test"]["accompaniments"]["F"], "<3");
            assert_eq!(t["rows"][1]["accompaniments"]["health"]["total"], 3, "three events are not small");
            assert_eq!(t["rows"][1]["listening"]["F"], "<3");
        }
        let text = r.render_suppressed(Format::Text, true, Lang::It, Some(3));
        assert!(text.contains("<3"), "{text}");
    }

    #[test]
    fn json_of_one_province_is_the_table() {
        let v: serde_json::Value = serde_json::from_str(&sample().render(Format::Json, true, Lang::It)).unwrap();
        assert_eq!(v["province"], "BS");
        assert_eq!(v["rows"][1]["nationality"], "RO");
        assert_eq!(v["rows"][1]["night"]["F"], 1);
        assert_eq!(v["total"]["day"]["T"], 1);
        let all: serde_json::Value = serde_json::from_str(&sample().render(Format::Json, false, Lang::It)).unwrap();
        assert_eq!(all["synthesis"]["grand_total"], 3);
    }
}
