//! Whether one summary or one period's persons is plausible for the device's unit: the
//! wire rules ([`Summary::validate`]) under the server's limits, and a day within the
//! unit's history: from its start (its creation on the server, less
//! [`Config::history_days`]) to tomorrow. Each is judged on its own, so one implausible
//! summary is refused alone and never holds back the rest of its batch.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use lanterna::domain::rules::{DATE_YEARS, DAYS_AHEAD_MAX};
use lanterna::wire::{Invalid, Limits, PersonSummary, Refusal, Summary};

use crate::config::Config;
use crate::store::Unit;

/// The bounds a unit's summaries are judged against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plausible {
    /// The earliest day a summary may fall on.
    pub earliest: NaiveDate,
    /// The latest: tomorrow (UTC).
    pub latest: NaiveDate,
    /// The server's limits.
    pub limits: Limits,
}

impl Plausible {
    /// The bounds of `unit` at `now` under `config`.
    pub fn of(unit: &Unit, config: &Config, now: DateTime<Utc>) -> Plausible {
        let start = unit.created_at.date_naive() - Duration::days(i64::from(config.history_days));
        let first_year = NaiveDate::from_ymd_opt(*DATE_YEARS.start(), 1, 1).unwrap_or(NaiveDate::MIN);
        Plausible {
            earliest: start.max(first_year),
            latest: now.date_naive() + Duration::days(DAYS_AHEAD_MAX),
            limits: config.limits(),
        }
    }

    /// Checks one summary; the error says why.
    pub fn summary(&self, s: &Summary) -> Result<(), Invalid> {
        s.validate(&self.limits)?;
        let (id, date) = (s.id, s.date);
        let message = if date > self.latest {
            format!("summary {id}: date {date} is in the future (after {})", self.latest)
        } else if date < self.earliest {
            format!("summary {id}: date {date} is before the unit's history on this server ({})", self.earliest)
        } else {
            return Ok(());
        };
        Err(Invalid { reason: Refusal::DateOutOfRange, message })
    }

    /// Checks one period's persons; the error says why. A period may start before the
    /// unit's history (a calendar year the unit joined in), but not end before it.
    pub fn persons(&self, p: &PersonSummary) -> Result<(), Invalid> {
        p.validate(&self.limits)?;
        let years_ok = [p.from, p.to].iter().all(|d| DATE_YEARS.contains(&d.year()));
        if !years_ok || p.to < self.earliest || p.from > self.latest {
            return Err(Invalid {
                reason: Refusal::DateOutOfRange,
                message: format!(
                    "persons {}..{}: outside the unit's history ({}..={}) or years {}..={}",
                    p.from,
                    p.to,
                    self.earliest,
                    self.latest,
                    DATE_YEARS.start(),
                    DATE_YEARS.end()
                ),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use lanterna::domain::{Activity, Gender, Measure, Nationality, Province, Shift};
    use lanterna::wire::Cell;
    use uuid::Uuid;

    use super::*;

    fn summary(date: NaiveDate, count: u32) -> Summary {
        Summary {
            id: Uuid::from_u128(1),
            revision: 1,
            deleted: false,
            activity: Activity::Street,
            date,
            shift: Shift::Night,
            province: Province::parse("BS").unwrap(),
            comuni: Vec::new(),
            cells: vec![Cell {
                province: None,
                nationality: Nationality::UNKNOWN,
                gender: Gender::F,
                measure: Measure::Contacts,
                count,
            }],
            team: None,
            minutes: None,
            mapping: false,
            session: None,
        }
    }

    #[test]
    fn days_and_counts_at_their_edges() {
        let now = DateTime::parse_from_rfc3339("2026-06-10T12:00:00Z").unwrap().with_timezone(&Utc);
        let unit = Unit { id: Uuid::nil(), name: "u".into(), created_at: now - Duration::days(30) };
        let p = Plausible::of(&unit, &Config { history_days: 10, ..Config::default() }, now);
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!((p.earliest, p.latest), (day("2026-05-01"), day("2026-06-11")));
        assert!(p.summary(&summary(day("2026-05-01"), 1)).is_ok());
        assert!(p.summary(&summary(day("2026-06-11"), 1)).is_ok());
        for bad in ["2026-04-30", "2026-06-12", "0001-01-01"] {
            assert_eq!(p.summary(&summary(day(bad), 1)).unwrap_err().reason, Refusal::DateOutOfRange, "{bad}");
        }
        let max = p.limits.count_per_cell;
        assert!(p.summary(&summary(day("2026-06-01"), max)).is_ok());
        assert_eq!(p.summary(&summary(day("2026-06-01"), max + 1)).unwrap_err().reason, Refusal::CellOverLimit);
    }
}
