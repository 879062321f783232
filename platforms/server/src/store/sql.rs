//! SQL written once for both backends: a transaction either driver lends as a [`Tx`], with
//! parameters and columns as [`Val`]s. The console's store (`console.rs`) is written on
//! it. Parameters are `$1, $2, ...`, numbered in the order they first appear in the text
//! (PostgreSQL's syntax; SQLite numbers `$N` by first appearance, so the two agree only
//! then: [`Tx::exec`] checks it in debug builds).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::{Result, StoreError};

/// A parameter or a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Val {
    /// SQL NULL.
    Null,
    /// An integer.
    Int(i64),
    /// Text (ids, codes, RFC 3339 times).
    Text(String),
    /// A day (DATE in PostgreSQL, `YYYY-MM-DD` text in SQLite).
    Date(NaiveDate),
    /// A flag.
    Bool(bool),
}

impl Val {
    /// Text, or an error naming the column.
    pub fn text(&self) -> Result<String> {
        match self {
            Val::Text(s) => Ok(s.clone()),
            Val::Date(d) => Ok(d.to_string()),
            Val::Int(i) => Ok(i.to_string()),
            other => Err(StoreError::Db(format!("expected text, found {other:?}"))),
        }
    }

    /// Text or NULL.
    pub fn opt_text(&self) -> Result<Option<String>> {
        if *self == Val::Null { Ok(None) } else { self.text().map(Some) }
    }

    /// An integer.
    pub fn int(&self) -> Result<i64> {
        match self {
            Val::Int(i) => Ok(*i),
            Val::Bool(b) => Ok(i64::from(*b)),
            other => Err(StoreError::Db(format!("expected an integer, found {other:?}"))),
        }
    }

    /// A flag (SQLite keeps them as 0 and 1).
    pub fn bool(&self) -> Result<bool> {
        match self {
            Val::Bool(b) => Ok(*b),
            Val::Int(i) => Ok(*i != 0),
            other => Err(StoreError::Db(format!("expected a flag, found {other:?}"))),
        }
    }

    /// A day.
    pub fn date(&self) -> Result<NaiveDate> {
        match self {
            Val::Date(d) => Ok(*d),
            Val::Text(s) => s.parse().map_err(|e| StoreError::Db(format!("date '{s}': {e}"))),
            other => Err(StoreError::Db(format!("expected a date, found {other:?}"))),
        }
    }

    /// An id.
    pub fn uuid(&self) -> Result<Uuid> {
        let s = self.text()?;
        Uuid::parse_str(&s).map_err(|e| StoreError::Db(format!("id '{s}': {e}")))
    }

    /// An id or NULL.
    pub fn opt_uuid(&self) -> Result<Option<Uuid>> {
        if *self == Val::Null { Ok(None) } else { self.uuid().map(Some) }
    }

    /// A time kept as RFC 3339 text.
    pub fn time(&self) -> Result<DateTime<Utc>> {
        let s = self.text()?;
        DateTime::parse_from_rfc3339(&s)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| StoreError::Db(format!("time '{s}': {e}")))
    }

    /// A time or NULL.
    pub fn opt_time(&self) -> Result<Option<DateTime<Utc>>> {
        if *self == Val::Null { Ok(None) } else { self.time().map(Some) }
    }
}

impl From<&str> for Val {
    fn from(s: &str) -> Val {
        Val::Text(s.to_owned())
    }
}
impl From<String> for Val {
    fn from(s: String) -> Val {
        Val::Text(s)
    }
}
impl From<Uuid> for Val {
    fn from(u: Uuid) -> Val {
        Val::Text(u.to_string())
    }
}
impl From<DateTime<Utc>> for Val {
    fn from(t: DateTime<Utc>) -> Val {
        Val::Text(t.to_rfc3339())
    }
}
impl From<NaiveDate> for Val {
    fn from(d: NaiveDate) -> Val {
        Val::Date(d)
    }
}
impl From<i64> for Val {
    fn from(i: i64) -> Val {
        Val::Int(i)
    }
}
impl From<bool> for Val {
    fn from(b: bool) -> Val {
        Val::Bool(b)
    }
}
impl<T: Into<Val>> From<Option<T>> for Val {
    fn from(v: Option<T>) -> Val {
        v.map_or(Val::Null, Into::into)
    }
}

/// A transaction of either backend.
pub trait Tx {
    /// Runs a statement; the rows it changed.
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64>;
    /// Runs a query; its rows, each a row of columns.
    fn rows(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>>;
    /// Holds a unit's lock until the transaction ends: shared by batches, exclusive for
    /// closing a period, so a batch and a closing of its unit never interleave. SQLite
    /// has one writer at a time already: nothing to do there.
    fn lock_unit(&mut self, _unit: Uuid, _exclusive: bool) -> Result<()> {
        Ok(())
    }
}

impl dyn Tx + '_ {
    /// The first row, if any.
    pub fn row(&mut self, sql: &str, params: &[Val]) -> Result<Option<Vec<Val>>> {
        Ok(self.rows(sql, params)?.into_iter().next())
    }
}

/// Checks that `$N` parameters first appear in increasing order, as both drivers need.
pub(crate) fn check_numbering(sql: &str) -> bool {
    let mut next = 1;
    let b = sql.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'$' {
            let digits: String = sql[i + 1..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<usize>() {
                if n > next {
                    return false;
                }
                if n == next {
                    next += 1;
                }
            }
            i += 1 + digits.len();
        } else {
            i += 1;
        }
    }
    true
}

/// `$first, $first+1, ...` for `n` parameters: an `IN (...)` list.
pub fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

// SQLite.

impl rusqlite::ToSql for Val {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        use rusqlite::types::{ToSqlOutput, Value};
        Ok(match self {
            Val::Null => ToSqlOutput::Owned(Value::Null),
            Val::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            Val::Text(s) => ToSqlOutput::Borrowed(rusqlite::types::ValueRef::Text(s.as_bytes())),
            Val::Date(d) => ToSqlOutput::Owned(Value::Text(d.format("%F").to_string())),
            Val::Bool(b) => ToSqlOutput::Owned(Value::Integer(i64::from(*b))),
        })
    }
}

fn sqlite_val(v: rusqlite::types::ValueRef<'_>) -> Val {
    use rusqlite::types::ValueRef;
    match v {
        ValueRef::Null => Val::Null,
        ValueRef::Integer(i) => Val::Int(i),
        ValueRef::Real(r) => Val::Int(r as i64),
        ValueRef::Text(t) | ValueRef::Blob(t) => Val::Text(String::from_utf8_lossy(t).into_owned()),
    }
}

impl Tx for rusqlite::Transaction<'_> {
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64> {
        debug_assert!(check_numbering(sql), "parameters out of order: {sql}");
        Ok(self.prepare_cached(sql)?.execute(rusqlite::params_from_iter(params))? as u64)
    }

    fn rows(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>> {
        debug_assert!(check_numbering(sql), "parameters out of order: {sql}");
        let mut st = self.prepare_cached(sql)?;
        let n = st.column_count();
        let rows = st.query_map(rusqlite::params_from_iter(params), |r| {
            (0..n).map(|i| r.get_ref(i).map(sqlite_val)).collect::<rusqlite::Result<Vec<_>>>()
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}

// PostgreSQL.

impl postgres::types::ToSql for Val {
    fn to_sql(
        &self,
        ty: &postgres::types::Type,
        out: &mut bytes::BytesMut,
    ) -> std::result::Result<postgres::types::IsNull, Box<dyn std::error::Error + Sync + Send>> {
        use postgres::types::Type;
        match self {
            Val::Null => Ok(postgres::types::IsNull::Yes),
            Val::Int(i) if *ty == Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
            Val::Int(i) => i.to_sql(ty, out),
            Val::Text(s) => s.as_str().to_sql(ty, out),
            Val::Date(d) if *ty == Type::DATE => d.to_sql(ty, out),
            Val::Date(d) => d.format("%F").to_string().as_str().to_sql(ty, out),
            Val::Bool(b) => b.to_sql(ty, out),
        }
    }

    fn accepts(_: &postgres::types::Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn pg_val(row: &postgres::Row, i: usize) -> Result<Val> {
    use postgres::types::Type;
    let ty = row.columns()[i].type_().clone();
    let v = if ty == Type::INT8 {
        row.try_get::<_, Option<i64>>(i)?.map(Val::Int)
    } else if ty == Type::INT4 {
        row.try_get::<_, Option<i32>>(i)?.map(|n| Val::Int(n.into()))
    } else if ty == Type::BOOL {
        row.try_get::<_, Option<bool>>(i)?.map(Val::Bool)
    } else if ty == Type::DATE {
        row.try_get::<_, Option<NaiveDate>>(i)?.map(Val::Date)
    } else {
        row.try_get::<_, Option<String>>(i)?.map(Val::Text)
    };
    Ok(v.unwrap_or(Val::Null))
}

fn pg_params(params: &[Val]) -> Vec<&(dyn postgres::types::ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn postgres::types::ToSql + Sync)).collect()
}

impl Tx for postgres::Transaction<'_> {
    fn exec(&mut self, sql: &str, params: &[Val]) -> Result<u64> {
        Ok(self.execute(sql, &pg_params(params))?)
    }

    fn rows(&mut self, sql: &str, params: &[Val]) -> Result<Vec<Vec<Val>>> {
        let rows = self.query(sql, &pg_params(params))?;
        rows.iter().map(|r| (0..r.len()).map(|i| pg_val(r, i)).collect()).collect()
    }

    fn lock_unit(&mut self, unit: Uuid, exclusive: bool) -> Result<()> {
        // Read committed: without it a closing committed while a batch runs would let the
        // batch into the period just closed.
        let f = if exclusive { "pg_advisory_xact_lock" } else { "pg_advisory_xact_lock_shared" };
        self.execute(&format!("SELECT {f}(hashtext($1))"), &[&unit.to_string()])?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_must_first_appear_in_order() {
        assert!(check_numbering("SELECT $1, $2 WHERE a = $1 AND b = $3"));
        assert!(!check_numbering("SELECT $2, $1"));
        assert!(check_numbering("SELECT 'no params'"));
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
    }
}
