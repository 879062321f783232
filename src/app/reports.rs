//! Reports as a use case: any table for a period, a province and an activity, built from
//! the store's tallies by `domain::tables` and rendered by `report`, as the command line
//! prints it and the server's tests compare it.

use chrono::NaiveDate;

use super::{Error, Lanterna, Result};
use crate::domain::tables::{ReportScope, Selection};
use crate::domain::{Activity, Count, Lang, Period, RowOrder, Tally};
use crate::report::{Format, Rendered, Table};
use crate::store::TallyParts;

/// Which report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    /// One of the printed tables.
    Table(Table),
    /// The indoor figures beyond the printed tables: messages by channel, ads reached,
    /// numbers in several ads, numbers seen again within 14 days.
    IndoorStats,
}

/// What a report covers and how it is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportRequest {
    /// Which report.
    pub kind: ReportKind,
    /// Dates, province, activity (unset: what is recorded).
    pub selection: Selection,
    /// Text, CSV or JSON.
    pub format: Format,
    /// Language of labels.
    pub lang: Lang,
    /// Persons met in the period (the default) or contacts.
    pub count: Count,
    /// Rows by name or largest total first.
    pub order: RowOrder,
}

impl ReportRequest {
    /// A report of `kind` over `selection`, as JSON in Italian, counting persons.
    pub fn json(kind: ReportKind, selection: Selection) -> ReportRequest {
        ReportRequest {
            kind,
            selection,
            format: Format::Json,
            lang: Lang::It,
            count: Count::Persons,
            order: RowOrder::Name,
        }
    }
}

impl Lanterna {
    /// The first and last recorded day of `activity` (of anything, with `None`).
    fn recorded_range(&self, activity: Option<Activity>) -> Result<Option<(NaiveDate, NaiveDate)>> {
        Ok(match activity {
            Some(Activity::Indoor) => self.store.indoor_date_range()?,
            Some(Activity::Emersion) => self.store.emersion_range()?,
            Some(Activity::Session) => self.store.info_session_range()?,
            Some(a) => self.store.date_range(Some(a))?,
            None => {
                let (a, b) = (self.store.date_range(None)?, self.store.indoor_date_range()?);
                a.into_iter().chain(b).reduce(|x, y| (x.0.min(y.0), x.1.max(y.1)))
            }
        })
    }

    /// The period a request covers: its dates, else the recorded range (of interviews,
    /// outcomes and helpline reports for the emersion tables), else today.
    fn period_of(&self, req: &ReportRequest, activity: Option<Activity>) -> Result<Period> {
        let range = self.recorded_range(activity)?;
        let today = chrono::Local::now().date_naive();
        let from = req.selection.from.or(range.map(|r| r.0)).unwrap_or(today);
        let to = match req.selection.to {
            Some(to) => to,
            None => range.map(|r| r.1).unwrap_or(today).max(from),
        };
        Ok(Period::new(from, to)?)
    }

    /// The tally a table is built from, over `period`.
    fn tally_for(&self, table: Table, activity: Option<Activity>, period: Period, count: Count) -> Result<Tally> {
        let parts = match table {
            Table::Street | Table::Labour | Table::Desk if count == Count::Persons => {
                return Ok(self.store.persons_tally(period, table.activity())?);
            }
            Table::Street | Table::Labour | Table::Desk => Some(TallyParts::CONTACTS),
            Table::Identification | Table::Referral | Table::IdBreakdown | Table::Outcomes | Table::Helpline => {
                return Ok(self.store.emersion_tally(period)?);
            }
            Table::Services => Some(TallyParts { contacts: false, services: true, items: false }),
            Table::Items => Some(TallyParts { contacts: false, services: false, items: true }),
            Table::Indoor | Table::Massage | Table::Campaigns => None,
            // Built from the sessions' facts, never a tally: see `build_report`.
            Table::Sessions => return Ok(Tally::new()),
            // Contacts by sector and setting, persons per sector (emersion), persons in all.
            Table::LabourSectors => {
                let mut tally = self.store.tally(period, TallyParts::CONTACTS)?;
                tally.merge(&self.store.emersion_tally(period)?);
                tally.merge(&self.store.persons_tally(period, Some(Activity::Labour))?);
                return Ok(tally);
            }
            Table::Mapping => return Ok(self.store.tally(period, TallyParts::CONTACTS)?),
            Table::EmersionTotal => {
                let mut tally = match count {
                    Count::Persons => self.store.persons_tally(period, None)?,
                    Count::Contacts => self.store.tally(period, TallyParts::CONTACTS)?,
                };
                tally.merge(&self.store.indoor_tally(period)?);
                crate::domain::tables::add_sessions(&mut tally, &self.store.info_session_facts(period)?);
                return Ok(tally);
            }
            // Outings: their facts are read in build_report; presences next to contacts.
            Table::Outings => return Ok(Tally::new()),
            Table::Presences => return Ok(self.store.tally(period, TallyParts::CONTACTS)?),
        };
        let mut tally = match parts {
            Some(parts) => self.store.tally(period, parts)?,
            None => Tally::new(),
        };
        if activity.is_none_or(|a| a == Activity::Indoor) {
            tally.merge(&self.store.indoor_tally(period)?);
        }
        Ok(tally)
    }

    /// Builds a table's report for a request (not yet rendered).
    pub fn build_report(&self, table: Table, req: &ReportRequest) -> Result<Rendered> {
        let Selection { province, activity: only, .. } = req.selection;
        let activity = table.activity().or(only);
        let period = self.period_of(req, activity)?;
        if table == Table::Sessions {
            let scope = ReportScope {
                province,
                lang: req.lang,
                count: req.count,
                order: req.order,
                ..ReportScope::period(period)
            };
            return Ok(Rendered::sessions(&self.store.info_session_facts(period)?, &scope));
        }
        let tally = self.tally_for(table, activity, period, req.count)?;
        // Emersion counts are of any activity: an activity asked for does not apply.
        let only = if table.is_emersion() { None } else { only };
        let scope =
            ReportScope { period, province, activity: only, lang: req.lang, count: req.count, order: req.order };
        if matches!(table, Table::Outings | Table::Street | Table::Labour | Table::Desk) {
            let facts = self.store.outing_facts(period)?;
            return Ok(Rendered::build_with(table, &tally, &facts, &scope));
        }
        Ok(Rendered::build(table, &tally, &scope))
    }

    /// Builds and renders a report.
    pub fn report(&self, req: &ReportRequest) -> Result<String> {
        let table = match req.kind {
            ReportKind::Table(table) => table,
            ReportKind::IndoorStats => return self.indoor_stats_report(req),
        };
        let rendered = self.build_report(table, req)?;
        Ok(rendered.render(req.format, req.selection.province.is_some(), req.lang))
    }

    fn indoor_stats_report(&self, req: &ReportRequest) -> Result<String> {
        if req.format == Format::Csv {
            return Err(Error::NoCsv { report: "indoor-stats" });
        }
        let stats = self.store.indoor_stats(self.period_of(req, Some(Activity::Indoor))?)?;
        Ok(if req.format == Format::Json {
            format!("{}\n", serde_json::to_string_pretty(&stats).expect("stats serialise"))
        } else {
            crate::report::indoor_stats_text(&stats, req.lang)
        })
    }
}
