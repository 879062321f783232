//! The domain's codes as SQLite values: each closed list is stored as its stable code
//! (text), a service set as its bit mask (integer). Reading a code that is not in its list
//! is a conversion error naming the list, never a panic. The impls live here, not in the
//! domain, because the domain compiles without rusqlite.

use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSqlOutput, ValueRef};

use crate::domain::emersion::{
    Adhesion, CodeSet, ContactOutcome, EmersionPlace, HelpKind, HelplineOutcome, HelplineSource, IntakeChannel,
    InterviewKind, SetCode, Typology, Verdict,
};
use crate::domain::outreach::{Campaign, LabourSector, LabourSetting, MappingCount, SessionPlace, SessionTheme};
use crate::domain::{
    Activity, AgeBand, Channel, Comune, EventKind, Gender, IndoorKind, ItemKind, Language, Nationality, Outcome,
    OutingStatus, Protection, Province, ServiceKind, ServiceSet, ServiceSubtype, Shift,
};

/// Text codes: `ToSql` borrows `code()`, `FromSql` runs `parse`.
macro_rules! text_codes {
    ($($t:ty),+ $(,)?) => {$(
        impl ToSql for $t {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.code().as_bytes())))
            }
        }

        impl FromSql for $t {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                <$t>::parse(value.as_str()?).map_err(|e| FromSqlError::Other(Box::new(e)))
            }
        }
    )+};
}

text_codes!(
    Activity,
    AgeBand,
    Channel,
    Comune,
    EventKind,
    Gender,
    IndoorKind,
    ItemKind,
    Language,
    Nationality,
    Outcome,
    OutingStatus,
    Protection,
    Province,
    ServiceKind,
    ServiceSubtype,
    Shift,
    Adhesion,
    ContactOutcome,
    EmersionPlace,
    HelpKind,
    HelplineOutcome,
    HelplineSource,
    IntakeChannel,
    InterviewKind,
    Typology,
    Verdict,
    LabourSector,
    LabourSetting,
    SessionPlace,
    SessionTheme,
    Campaign,
    MappingCount,
);

impl<T: SetCode> ToSql for CodeSet<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(i64::from(self.bits())))
    }
}

impl<T: SetCode> FromSql for CodeSet<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let bits = u32::try_from(value.as_i64()?).map_err(|e| FromSqlError::Other(Box::new(e)))?;
        CodeSet::from_bits(bits).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

impl ToSql for ServiceSet {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(i64::from(self.bits())))
    }
}

impl FromSql for ServiceSet {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let bits = u8::try_from(value.as_i64()?).map_err(|e| FromSqlError::Other(Box::new(e)))?;
        ServiceSet::from_bits(bits).map_err(|e| FromSqlError::Other(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    #[test]
    fn codes_round_trip_through_sqlite_and_strangers_are_refused() {
        let conn = Connection::open_in_memory().unwrap();
        let back: (Gender, Province, Nationality, ServiceSet, Option<AgeBand>) = conn
            .query_row(
                "SELECT ?1, ?2, ?3, ?4, ?5",
                rusqlite::params![
                    Gender::T,
                    Province::parse("BS").unwrap(),
                    Nationality::parse("RO").unwrap(),
                    ServiceSet::from_bits(3).unwrap(),
                    None::<AgeBand>
                ],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
            )
            .unwrap();
        assert_eq!(back.0, Gender::T);
        assert_eq!(back.1.code(), "BS");
        assert_eq!(back.2.code(), "RO");
        assert_eq!(back.3.bits(), 3);
        assert_eq!(back.4, None);
        let err = conn.query_row("SELECT 'X'", [], |r| r.get::<_, Gender>(0)).unwrap_err().to_string();
        assert!(err.contains("unknown gender 'X'"), "{err}");
        assert!(conn.query_row("SELECT 255", [], |r| r.get::<_, ServiceSet>(0)).is_err());
    }
}
