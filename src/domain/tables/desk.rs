//! Drop-in desks ("sportello"): persons met at the desk (or contacts) by nationality ×
//! M/F/T per province, and the synthesis: the labour tables' shape (no day and night),
//! over outings of activity desk. The desk's services and items are the services and
//! items tables with activity desk.

use super::ReportScope;
use super::labour::{LabourReport, by_nationality};
use crate::domain::{Activity, Tally};

/// The desk tables: the shape of the labour tables.
pub type DeskReport = LabourReport;

/// Builds the desk tables.
pub fn desk_report(tally: &Tally, scope: &ReportScope) -> DeskReport {
    by_nationality(tally, scope, Activity::Desk)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{ContactData, ContactRecord, Gender, Nationality, Period, Place, Province, Shift, parse_date};

    #[test]
    fn only_desk_contacts_count() {
        let rec = |activity, nat: &str, g| ContactRecord {
            activity,
            date: parse_date("2024-05-01").unwrap(),
            shift: Shift::Day,
            place: Place::province(Province::parse("BG").unwrap()),
            person: None,
            data: ContactData::new(g, Nationality::parse(nat).unwrap()),
        };
        let recs = [
            rec(Activity::Desk, "NG", Gender::F),
            rec(Activity::Desk, "NG", Gender::T),
            rec(Activity::Street, "NG", Gender::F),
            rec(Activity::Labour, "PK", Gender::M),
        ];
        let scope = ReportScope::period(
            Period::new(parse_date("2024-01-01").unwrap(), parse_date("2024-12-31").unwrap()).unwrap(),
        );
        let r = desk_report(&Tally::of_records(&recs), &scope);
        assert_eq!(r.tables.len(), 1);
        assert_eq!(r.tables[0].rows.len(), 1);
        assert_eq!((r.tables[0].rows[0].contacts.f, r.tables[0].rows[0].contacts.t), (1, 1));
        assert_eq!(r.synthesis.grand_total, 2);
    }
}
