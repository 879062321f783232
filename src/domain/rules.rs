//! The field rules: every limit the store, the import and the screens keep, one constant
//! each, and the typed violation a broken rule is reported as. Screens read these
//! constants (input `min`/`max`, clamps); they never repeat a number.

use std::ops::RangeInclusive;

use super::{Activity, Comune, Province};

/// Workers in a team on an outing, and operators in an indoor session.
pub const TEAM_SIZE: RangeInclusive<u8> = 1..=50;
/// Persons recorded by one "+N" tap.
pub const PEOPLE_PER_TAP: RangeInclusive<u32> = 1..=500;
/// Persons counted by one massage-centre visit.
pub const MASSAGE_VISIT_PERSONS: RangeInclusive<u32> = 1..=200;
/// The age an ad may declare.
pub const DECLARED_AGE: RangeInclusive<u8> = 14..=99;
/// The most of one item handed to one person in one contact.
pub const ITEM_QUANTITY_MAX: u32 = 999;
/// The most of one item for one person in an imported file (old registers counted
/// boxes handed to a whole group as one person's).
pub const IMPORTED_ITEM_QUANTITY_MAX: u32 = 10_000;
/// The most events of one kind to one service (accompaniments, referrals) or of talks or
/// legal consultations for one person in one contact: what one stepper of the detail
/// sheet reaches, and what an imported row may count.
pub const EVENTS_PER_STEP_MAX: u32 = 20;
/// The most of one item in the default kit.
pub const KIT_QUANTITY_MAX: u32 = 99;
/// Minutes without a touch before the app locks itself.
pub const IDLE_LOCK_MINUTES: RangeInclusive<u32> = 1..=120;
/// The idle lock's default.
pub const IDLE_LOCK_DEFAULT_MINUTES: u32 = 5;
/// The years a recorded or imported date may fall in (a typo such as 0223 or 2302 is
/// refused, not stored).
pub const DATE_YEARS: RangeInclusive<i32> = 1990..=2200;
/// The longest ad site name.
pub const SITE_NAME_MAX: usize = 60;
/// The longest short name or code a worker gives a person in the register.
pub const PERSON_NAME_MAX: usize = 24;
/// The longest person code in an imported file (`A-Z a-z 0-9 _ -`).
pub const PERSON_CODE_MAX: usize = 32;
/// The fewest digits of a PIN (all digits). 10^8 PINs at one Argon2id guess each cost an
/// attacker who copied the files about 160 core-days on the development laptop (`docs/security.md`).
pub const PIN_MIN_DIGITS: usize = 8;
/// The fewest characters of a passphrase (anything but only spaces; any characters).
pub const PASSPHRASE_MIN_CHARS: usize = 12;
/// The fewest digits of a PIN chosen before [`PIN_MIN_DIGITS`] was raised: such a PIN still
/// opens its database, and then has to be replaced before anything else.
pub const LEGACY_PIN_MIN_DIGITS: usize = 6;
/// Wrong PINs in a row before each further attempt has to wait.
pub const PIN_FREE_ATTEMPTS: u32 = 3;
/// The longest wait between PIN attempts, in seconds (the wait doubles up to it).
pub const PIN_MAX_WAIT_SECS: u64 = 300;

// Plausibility: what one outing or session can hold. The phone refuses a tap past these
// before recording; the sync server refuses a summary past them (its settings may lower
// them, never raise them: what a phone recorded the server must be able to take).
/// The most one cell (nationality × gender × measure) counts in one outing or session.
pub const COUNT_PER_CELL_MAX: u32 = 10_000;
/// The most cells one outing's or session's summary has.
pub const CELLS_PER_SUMMARY_MAX: usize = 5_000;
/// The most comuni one outing's or session's summary names.
pub const COMUNI_PER_SUMMARY_MAX: usize = 200;
/// Days after today (the phone's) an outing or session may be dated: tomorrow, for a
/// night shift past midnight or a clock a little off.
pub const DAYS_AHEAD_MAX: i64 = 1;

/// Whether a phone sends counts of `activity` per reporting period (a `PersonSummary`):
/// the persons met on street, labour and desk outings, and the emersion counts
/// (interviews, outcomes, helpline reports), which exist only per period.
pub fn sends_persons(activity: Activity) -> bool {
    matches!(activity, Activity::Street | Activity::Labour | Activity::Desk | Activity::Emersion)
}

/// Whether `activity` has summaries of one outing or session: every activity but
/// emersion, which is never an outing.
pub fn has_summaries(activity: Activity) -> bool {
    activity != Activity::Emersion
}

/// Whether `pin` is a secret the app accepts for a new or changed PIN: at least
/// [`PIN_MIN_DIGITS`] digits and nothing else, or a passphrase of at least
/// [`PASSPHRASE_MIN_CHARS`] characters that are not all spaces.
pub fn valid_pin(pin: &str) -> bool {
    let digits = pin.len() >= PIN_MIN_DIGITS && pin.bytes().all(|b| b.is_ascii_digit());
    let passphrase = pin.chars().count() >= PASSPHRASE_MIN_CHARS && !pin.trim().is_empty();
    digits || passphrase
}

/// Whether `pin` may be tried on an existing database: a valid one, or a PIN of at least
/// [`LEGACY_PIN_MIN_DIGITS`] digits from before the rule was raised.
pub fn openable_pin(pin: &str) -> bool {
    valid_pin(pin) || (pin.len() >= LEGACY_PIN_MIN_DIGITS && pin.bytes().all(|b| b.is_ascii_digit()))
}

/// Seconds to wait before the next PIN attempt after `failures` wrong ones in a row.
pub fn pin_wait_secs(failures: u32) -> u64 {
    if failures < PIN_FREE_ATTEMPTS {
        return 0;
    }
    (1u64 << (failures - PIN_FREE_ATTEMPTS).min(16)).min(PIN_MAX_WAIT_SECS)
}

/// A value outside a field rule. `Display` is the English wording; the app translates
/// each variant through its table.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// A team size or operator count outside [`TEAM_SIZE`].
    #[error("team size must be between {} and {}", TEAM_SIZE.start(), TEAM_SIZE.end())]
    TeamSize,
    /// An indoor session's operators outside [`TEAM_SIZE`].
    #[error("operators must be between {} and {}", TEAM_SIZE.start(), TEAM_SIZE.end())]
    Operators,
    /// A "+N" outside [`PEOPLE_PER_TAP`].
    #[error("cannot record {0} people at once ({min} to {max})", min = PEOPLE_PER_TAP.start(), max = PEOPLE_PER_TAP.end())]
    PeoplePerTap(u32),
    /// A massage visit outside [`MASSAGE_VISIT_PERSONS`].
    #[error("a visit counts {min} to {max} persons, not {0}", min = MASSAGE_VISIT_PERSONS.start(), max = MASSAGE_VISIT_PERSONS.end())]
    MassageVisit(u32),
    /// A declared age outside [`DECLARED_AGE`].
    #[error("declared age {0} is not between {min} and {max}", min = DECLARED_AGE.start(), max = DECLARED_AGE.end())]
    DeclaredAge(u8),
    /// A comune of another province.
    #[error("{comune} is not in province {province}")]
    ComuneNotInProvince {
        /// The comune's name.
        comune: String,
        /// The province it was given for.
        province: Province,
    },
    /// An ad without a site, or a site name that is too long.
    #[error("pick a site from the list (at most {SITE_NAME_MAX} characters)")]
    Site,
    /// A person's short name longer than [`PERSON_NAME_MAX`] characters.
    #[error("a short name or code has at most {PERSON_NAME_MAX} characters")]
    PersonName,
    /// An imported person code that is empty, too long or has other characters.
    #[error("a person code is 1 to {PERSON_CODE_MAX} of A-Z a-z 0-9 _ -")]
    PersonCode,
    /// Merging a person into themself, or into one already merged.
    #[error("pick two different persons to merge")]
    SamePerson,
    /// Settings without any ad site, or with an empty or too long one.
    #[error("give at least one ad site, each up to {SITE_NAME_MAX} characters")]
    Sites,
    /// An idle lock outside [`IDLE_LOCK_MINUTES`].
    #[error("the idle lock must be between {} and {} minutes", IDLE_LOCK_MINUTES.start(), IDLE_LOCK_MINUTES.end())]
    IdleLock,
    /// Indoor work recorded as an outing.
    #[error("indoor work is recorded in indoor sessions, not outings")]
    IndoorIsNotAnOuting,
    /// A tap that would take one count of an outing or session past [`COUNT_PER_CELL_MAX`].
    #[error("one count of an outing or session reaches at most {COUNT_PER_CELL_MAX}")]
    CellOverLimit,
    /// A day outside [`DATE_YEARS`] or after tomorrow.
    #[error("the date must fall between {} and tomorrow", DATE_YEARS.start())]
    DateOutOfRange,
}

/// Checks that a cell of one outing or session, at `now` and growing by `more`, stays
/// within [`COUNT_PER_CELL_MAX`].
pub fn check_cell(now: u64, more: u64) -> Result<(), Violation> {
    if now.saturating_add(more) <= u64::from(COUNT_PER_CELL_MAX) { Ok(()) } else { Err(Violation::CellOverLimit) }
}

/// Checks the day of an outing or session: in [`DATE_YEARS`], and at most
/// [`DAYS_AHEAD_MAX`] after `today`.
pub fn check_date(date: chrono::NaiveDate, today: chrono::NaiveDate) -> Result<(), Violation> {
    use chrono::Datelike;
    if DATE_YEARS.contains(&date.year()) && date <= today + chrono::Duration::days(DAYS_AHEAD_MAX) {
        Ok(())
    } else {
        Err(Violation::DateOutOfRange)
    }
}

/// Checks a team size or operator count.
pub fn check_team_size(n: u8) -> Result<(), Violation> {
    if TEAM_SIZE.contains(&n) { Ok(()) } else { Err(Violation::TeamSize) }
}

/// Checks the operators of an indoor session.
pub fn check_operators(n: u8) -> Result<(), Violation> {
    if TEAM_SIZE.contains(&n) { Ok(()) } else { Err(Violation::Operators) }
}

/// Checks that an activity is one outings are for (indoor work has sessions).
pub fn check_outing_activity(activity: Activity) -> Result<(), Violation> {
    if Activity::OUTINGS.contains(&activity) { Ok(()) } else { Err(Violation::IndoorIsNotAnOuting) }
}

/// Checks that a comune, when one is given, lies in `province`.
pub fn check_comune_in(comune: Option<Comune>, province: Province) -> Result<(), Violation> {
    match comune {
        Some(c) if c.province() != province => {
            Err(Violation::ComuneNotInProvince { comune: c.name().to_owned(), province })
        }
        _ => Ok(()),
    }
}

/// Checks a "+N".
pub fn check_people_per_tap(n: u32) -> Result<(), Violation> {
    if PEOPLE_PER_TAP.contains(&n) { Ok(()) } else { Err(Violation::PeoplePerTap(n)) }
}

/// Checks the persons of one massage-centre visit.
pub fn check_massage_visit(n: u32) -> Result<(), Violation> {
    if MASSAGE_VISIT_PERSONS.contains(&n) { Ok(()) } else { Err(Violation::MassageVisit(n)) }
}

/// Checks a declared age.
pub fn check_declared_age(age: u8) -> Result<(), Violation> {
    if DECLARED_AGE.contains(&age) { Ok(()) } else { Err(Violation::DeclaredAge(age)) }
}

/// Checks an ad site name.
pub fn check_site(site: &str) -> Result<(), Violation> {
    if site.trim().is_empty() || site.chars().count() > SITE_NAME_MAX { Err(Violation::Site) } else { Ok(()) }
}

/// A person's short name as kept: trimmed, `None` when empty, refused when longer than
/// [`PERSON_NAME_MAX`] characters.
pub fn person_name(name: Option<&str>) -> Result<Option<String>, Violation> {
    match name.map(str::trim).filter(|n| !n.is_empty()) {
        Some(n) if n.chars().count() > PERSON_NAME_MAX => Err(Violation::PersonName),
        n => Ok(n.map(str::to_owned)),
    }
}

/// An imported person code: 1 to [`PERSON_CODE_MAX`] of `A-Z a-z 0-9 _ -`.
pub fn check_person_code(code: &str) -> Result<(), Violation> {
    let ok = (1..=PERSON_CODE_MAX).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok { Ok(()) } else { Err(Violation::PersonCode) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_hold_at_their_edges() {
        assert!(check_team_size(*TEAM_SIZE.start()).is_ok() && check_team_size(*TEAM_SIZE.end()).is_ok());
        assert_eq!(check_team_size(0), Err(Violation::TeamSize));
        assert_eq!(check_team_size(TEAM_SIZE.end() + 1), Err(Violation::TeamSize));
        assert_eq!(check_operators(0), Err(Violation::Operators));
        assert!(check_operators(*TEAM_SIZE.end()).is_ok());
        assert!(check_outing_activity(Activity::Labour).is_ok());
        assert_eq!(check_outing_activity(Activity::Indoor), Err(Violation::IndoorIsNotAnOuting));
        assert_eq!(check_people_per_tap(0), Err(Violation::PeoplePerTap(0)));
        assert!(check_people_per_tap(*PEOPLE_PER_TAP.end()).is_ok());
        assert_eq!(check_people_per_tap(501), Err(Violation::PeoplePerTap(501)));
        assert_eq!(check_massage_visit(201), Err(Violation::MassageVisit(201)));
        assert_eq!(check_declared_age(13), Err(Violation::DeclaredAge(13)));
        assert!(check_declared_age(14).is_ok());
        assert_eq!(check_site("  "), Err(Violation::Site));
        assert_eq!(check_site(&"x".repeat(SITE_NAME_MAX + 1)), Err(Violation::Site));
        assert!(check_site("bakecaincontri").is_ok());
        assert_eq!(person_name(Some("  ")), Ok(None));
        assert_eq!(person_name(Some(" Rosa ")), Ok(Some("Rosa".into())));
        assert_eq!(person_name(Some(&"é".repeat(PERSON_NAME_MAX))).map(|n| n.is_some()), Ok(true));
        assert_eq!(person_name(Some(&"x".repeat(PERSON_NAME_MAX + 1))), Err(Violation::PersonName));
        assert!(check_person_code("BS-017_a").is_ok());
        for bad in ["", "a b", "è", &"x".repeat(PERSON_CODE_MAX + 1)] {
            assert_eq!(check_person_code(bad), Err(Violation::PersonCode), "{bad:?}");
        }
        let (bs, mi) = (Province::parse("BS").unwrap(), Province::parse("MI").unwrap());
        let brescia = Comune::parse("017029").unwrap();
        assert!(check_comune_in(Some(brescia), bs).is_ok() && check_comune_in(None, mi).is_ok());
        assert_eq!(
            check_comune_in(Some(brescia), mi),
            Err(Violation::ComuneNotInProvince { comune: brescia.name().to_owned(), province: mi })
        );
    }

    #[test]
    fn pins_and_their_waits() {
        assert!(valid_pin("24681357") && !valid_pin("1234567") && !valid_pin("1234567a"));
        assert!(!valid_pin("123456") && openable_pin("123456") && !openable_pin("12345"));
        assert!(valid_pin("correct horse") && valid_pin("è una notte buia") && !valid_pin("short words"));
        assert!(!valid_pin(&" ".repeat(PASSPHRASE_MIN_CHARS)) && !openable_pin("abcdefgh"));
        let waits: Vec<u64> = (0..14).map(pin_wait_secs).collect();
        assert_eq!(waits, [0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(pin_wait_secs(u32::MAX), PIN_MAX_WAIT_SECS);
    }

    #[test]
    fn violations_say_their_limits() {
        assert_eq!(Violation::TeamSize.to_string(), "team size must be between 1 and 50");
        assert_eq!(Violation::PeoplePerTap(600).to_string(), "cannot record 600 people at once (1 to 500)");
        assert_eq!(Violation::Operators.to_string(), "operators must be between 1 and 50");
        assert_eq!(Violation::MassageVisit(0).to_string(), "a visit counts 1 to 200 persons, not 0");
    }
}
