//! The presences table: people seen at the stops of street and labour outings but not
//! approached, by shift × M/F/T, next to the contacts of the same outings. One table per
//! province, then the synthesis. A pure function of a [`Tally`] ([`Measure::Presences`]
//! and [`Measure::Contacts`]).
//!
//! JSON: `{"from", "to", "tables": [{"province", "province_name", "from", "to", "rows":
//! [{"activity", "shift", "presences": {"M","F","T"}, "contacts": {"M","F","T"}}],
//! "total": {"presences", "contacts"}}], "synthesis": {same, without province}}`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Mft, ReportScope};
use crate::domain::tally::{Measure, Tally};
use crate::domain::{Activity, Province, Shift};

/// The activities whose outings have presences.
pub const PRESENCE_ACTIVITIES: [Activity; 2] = [Activity::Street, Activity::Labour];

/// One row: an activity and a shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresencesRow {
    /// Street or labour.
    pub activity: Activity,
    /// Day or night.
    pub shift: Shift,
    /// People seen, not approached.
    pub presences: Mft,
    /// Contacts.
    pub contacts: Mft,
}

/// The sums of a table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresencesTotal {
    /// People seen, not approached.
    pub presences: Mft,
    /// Contacts.
    pub contacts: Mft,
}

/// A province's presences (or every province's, as the synthesis).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresencesTable {
    /// The province; `None` in the synthesis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province: Option<Province>,
    /// Its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub province_name: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Activity × shift, rows with nothing left out.
    pub rows: Vec<PresencesRow>,
    /// The sum of the rows.
    pub total: PresencesTotal,
}

/// The presences report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PresencesReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Per province.
    pub tables: Vec<PresencesTable>,
    /// Every province together.
    pub synthesis: PresencesTable,
}

type Cells = BTreeMap<(Activity, Shift), PresencesTotal>;

fn table_of(province: Option<Province>, scope: &ReportScope, cells: Cells) -> PresencesTable {
    let mut total = PresencesTotal::default();
    let rows = cells
        .into_iter()
        .map(|((activity, shift), c)| {
            total.presences = total.presences.plus(c.presences);
            total.contacts = total.contacts.plus(c.contacts);
            PresencesRow { activity, shift, presences: c.presences, contacts: c.contacts }
        })
        .collect();
    PresencesTable {
        province,
        province_name: province.map(|p| p.name().to_owned()),
        from: scope.period.from,
        to: scope.period.to,
        rows,
        total,
    }
}

/// The presences table of a tally (street and labour; the scope's province and activity).
pub fn presences_report(tally: &Tally, scope: &ReportScope) -> PresencesReport {
    let mut by: BTreeMap<Province, Cells> = BTreeMap::new();
    let mut all: Cells = BTreeMap::new();
    for (bucket, cell, n) in tally.iter() {
        if !PRESENCE_ACTIVITIES.contains(&bucket.activity)
            || scope.province.is_some_and(|p| p != bucket.province)
            || scope.activity.is_some_and(|a| a != bucket.activity)
        {
            continue;
        }
        let pick = |t: &mut PresencesTotal| match cell.measure {
            Measure::Presences => t.presences.add(cell.gender, n),
            Measure::Contacts => t.contacts.add(cell.gender, n),
            _ => {}
        };
        if !matches!(cell.measure, Measure::Presences | Measure::Contacts) {
            continue;
        }
        let key = (bucket.activity, bucket.shift);
        pick(by.entry(bucket.province).or_default().entry(key).or_default());
        pick(all.entry(key).or_default());
    }
    PresencesReport {
        from: scope.period.from,
        to: scope.period.to,
        tables: by.into_iter().map(|(p, c)| table_of(Some(p), scope, c)).collect(),
        synthesis: table_of(None, scope, all),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Bucket, CellKey};
    use crate::domain::{Gender, Nationality, Period};

    #[test]
    fn presences_sit_next_to_contacts() {
        let bg = Province::parse("BG").unwrap();
        let b = |activity| Bucket { activity, province: bg, shift: Shift::Night };
        let mut t = Tally::new();
        let cell = |gender, measure| CellKey { nationality: Nationality::UNKNOWN, gender, measure };
        t.add(b(Activity::Street), cell(Gender::F, Measure::Presences), 5);
        t.add(b(Activity::Street), cell(Gender::F, Measure::Contacts), 2);
        t.add(b(Activity::Desk), cell(Gender::F, Measure::Contacts), 9);
        let day = NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
        let r = presences_report(&t, &ReportScope::period(Period::new(day, day).unwrap()));
        assert_eq!(r.tables.len(), 1);
        let row = &r.tables[0].rows[0];
        assert_eq!((row.presences.f, row.contacts.f), (5, 2));
        assert_eq!(r.synthesis.total.presences.total(), 5);
        assert_eq!(r.synthesis.total.contacts.total(), 2, "desk contacts are not in this table");
    }
}
