//! One row of a per-file parser (sessions, outings): its cells by column, each with the
//! header's name as written, so every error names its column.

use std::collections::HashMap;
use std::hash::Hash;

use crate::domain::outreach::OPERATORS_MAX;

/// An error in one cell: the column's name and what is wrong.
pub(super) type CellError = (String, String);

/// A row's cells by column.
pub(super) struct Cells<'a, C> {
    values: HashMap<C, (&'a str, &'a str)>,
}

impl<'a, C: Copy + Eq + Hash> Cells<'a, C> {
    /// The cells of `record`, `columns[i]` naming the column of `headers[i]`.
    pub(super) fn new(headers: &'a csv::StringRecord, columns: &[C], record: &'a csv::StringRecord) -> Self {
        let values = columns.iter().zip(headers.iter()).zip(record.iter()).map(|((c, n), v)| (*c, (n, v))).collect();
        Cells { values }
    }

    /// The column's name and value, when the file has the column.
    pub(super) fn get(&self, c: C) -> Option<(&'a str, &'a str)> {
        self.values.get(&c).copied()
    }

    /// The column's name as the file writes it, or `default` when the file lacks it.
    pub(super) fn name(&self, c: C, default: &str) -> String {
        self.get(c).map_or(default, |(n, _)| n).to_owned()
    }

    /// An optional cell parsed: `None` when the column is missing or the cell empty.
    pub(super) fn value<T>(&self, c: C, parse: impl FnOnce(&str) -> Result<T, String>) -> Result<Option<T>, CellError> {
        match self.get(c) {
            Some((_, "")) | None => Ok(None),
            Some((name, value)) => parse(value).map(Some).map_err(|e| (name.to_owned(), e)),
        }
    }

    /// A required cell parsed: an error when the column is missing (named `name`) or the
    /// cell empty.
    pub(super) fn required<T>(
        &self,
        c: C,
        name: &str,
        parse: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, CellError> {
        match self.get(c) {
            Some((n, "")) => Err((n.to_owned(), "is empty; this column is required".into())),
            Some((n, v)) => parse(v).map_err(|e| (n.to_owned(), e)),
            None => Err((name.to_owned(), "required column is missing".into())),
        }
    }
}

/// The number of operators of a team (1 to [`OPERATORS_MAX`]).
pub(super) fn parse_operators(v: &str) -> Result<u8, String> {
    v.parse::<u8>()
        .ok()
        .filter(|n| (1..=OPERATORS_MAX).contains(n))
        .ok_or_else(|| format!("'{v}' is not a number of operators (1 to {OPERATORS_MAX})"))
}

/// Checks that `parse` refuses each of `bad` (a row and the column its one error names),
/// given as line 3 after the header `head` and the good row `ok`.
#[cfg(test)]
pub(super) fn assert_each_refused<R>(
    parse: fn(&[u8]) -> Result<R, super::ImportError>,
    head: &str,
    ok: &str,
    bad: &[(&str, &str)],
) {
    for (row, column) in bad {
        let csv = format!("{head}\n{ok}\n{row}\n");
        let Err(e) = parse(csv.as_bytes()) else { panic!("{row}: accepted") };
        assert_eq!(e.errors.len(), 1, "{row}: {e}");
        assert_eq!((e.errors[0].line, e.errors[0].column.as_deref()), (3, Some(*column)), "{row}: {e}");
    }
}
