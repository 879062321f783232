//! The typed grid every report table becomes: title, column groups and headings, rows of
//! cells that know their role, total rows and notes. Small-cell suppression runs once over
//! it ([`Grid::suppress`]), and text, CSV, JSON and the app's table component all read the
//! same suppressed grid.
//!
//! Reading a grid: [`Grid::title`], [`Grid::groups`] (label + span over the count columns),
//! [`Grid::first_heading`] and [`Grid::columns`] (the headings), [`Grid::rows`] (body and
//! "di cui" rows), [`Grid::totals`] (total rows) and [`Grid::notes`] (lines under the
//! table). Every [`Cell`] has its [`Role`] and its display text ([`Cell::text`]); a hidden
//! cell never gives its count back ([`Cell::count`] is `None`).

use std::ops::Range;

use crate::domain::suppress::{exposes_a_total, suppress};

/// What a cell is: it decides how suppression treats the cell and how zero is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A count in a row of the table's body: a cell of the suppression matrix, hidden when
    /// small or when it is needed as a complement. Printed blank when zero.
    Count,
    /// A body row's own total (the TOTAL column of a synthesis or of the items table): in the
    /// suppression matrix like a count, as the published tables always had it. Blank when zero.
    RowTotal,
    /// A sum over the table's rows: a cell of a total row, or a per-shift or grand total
    /// under the table. Withheld when a hidden cell has no partner in its column, since the
    /// total would give it back.
    Total,
    /// A "di cui" count standing on its own (minors, first contacts, ...): hidden when small.
    OfWhich,
    /// A duration in tenths of an hour (the outings table's hours), printed with one
    /// decimal ("12.5"): not a head count, never in the suppression matrix nor hidden.
    Hours,
}

/// What a row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKind {
    /// A row of the table's body (a nationality, a province, an item).
    Body,
    /// A "di cui" row under the body (leaflets by language): a suppression matrix of its own.
    OfWhich,
    /// A total row, printed under a line.
    Total,
}

/// One count of a grid, with its role and, once suppressed, whether it is hidden.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    value: u64,
    role: Role,
    /// `Some(k)` when hidden with threshold `k`.
    hidden: Option<u64>,
    /// Where the count sits in the table's JSON, below its row (a JSON pointer).
    key: String,
}

impl Cell {
    /// A visible count whose JSON place, below its row, is the pointer `key` ("/day/M").
    pub(crate) fn new(value: u64, role: Role, key: impl Into<String>) -> Self {
        Cell { value, role, hidden: None, key: key.into() }
    }

    /// What the cell is.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The count, or `None` when it is hidden.
    pub fn count(&self) -> Option<u64> {
        self.hidden.is_none().then_some(self.value)
    }

    /// True when suppression hid the cell: it reads "<k".
    pub fn is_hidden(&self) -> bool {
        self.hidden.is_some()
    }

    /// The text a printed table shows: "<k" when hidden, blank for a zero in a body row
    /// ([`Role::Count`], [`Role::RowTotal`]), otherwise the count.
    pub fn text(&self) -> String {
        match (self.hidden, self.role) {
            (None, Role::Count | Role::RowTotal) if self.value == 0 => String::new(),
            (None, Role::Hours) => format!("{}.{}", self.value / 10, self.value % 10),
            _ => self.to_string(),
        }
    }

    fn in_matrix(&self) -> bool {
        matches!(self.role, Role::Count | Role::RowTotal)
    }

    fn hide(&mut self, k: u64) {
        self.hidden = Some(k);
    }

    /// The count, hidden or not: what joint suppression weighs (never rendered when hidden).
    pub(super) fn value(&self) -> u64 {
        self.value
    }

    /// Its JSON pointer below its row.
    pub(super) fn key(&self) -> &str {
        &self.key
    }

    /// Hides the cell with threshold `k`, or shows it (`None`).
    pub(super) fn set_hidden(&mut self, k: Option<u64>) {
        self.hidden = k;
    }
}

/// The count, or "<k" when hidden (zeros included: what CSV and notes show).
impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.hidden {
            None if self.role == Role::Hours => write!(f, "{}.{}", self.value / 10, self.value % 10),
            None => write!(f, "{}", self.value),
            Some(k) => write!(f, "<{k}"),
        }
    }
}

/// A labelled row of cells, one per count column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    code: String,
    label: String,
    kind: RowKind,
    cells: Vec<Cell>,
    /// The row's JSON pointer within the table ("/rows/3"; "" for total rows).
    at: String,
}

impl Row {
    /// The row's code (nationality, province, item, `leaflets.<language>`); empty for totals.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The row's label, as printed in the first column.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// What the row is.
    pub fn kind(&self) -> RowKind {
        self.kind
    }

    /// Its cells, one per [`Grid::columns`] entry.
    pub fn cells(&self) -> &[Cell] {
        &self.cells
    }

    /// Its JSON pointer within the table ("" for total rows).
    pub(super) fn at(&self) -> &str {
        &self.at
    }
}

/// Where a cell sits in a grid: the i-th body or "di cui" row ([`Grid::rows`]), the i-th
/// total row, or the i-th note; with the cell's index in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Place {
    /// In [`Grid::rows`].
    Row(usize),
    /// In [`Grid::totals`].
    Total(usize),
    /// In [`Grid::notes`].
    Note(usize),
}

/// A heading spanning several count columns ("USCITE DIURNE" over M, F, T).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The heading ("" for a column without one).
    pub label: String,
    /// How many count columns it spans, from where the previous group ended.
    pub span: usize,
}

/// A count column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// Its heading ("M", "F", "T", "TOTALE", ...).
    pub head: String,
    /// Its CSV name ("day_M").
    pub key: String,
}

/// A line under a table: "lead: label n · label n".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What the line is about.
    pub lead: String,
    /// Labelled counts (an empty label prints the count alone).
    pub items: Vec<(String, Cell)>,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.items.is_empty() {
            return f.write_str(&self.lead);
        }
        let items: Vec<String> =
            self.items.iter().map(|(l, c)| if l.is_empty() { c.to_string() } else { format!("{l} {c}") }).collect();
        write!(f, "{}: {}", self.lead, items.join(" · "))
    }
}

/// A report table ready for text, CSV, JSON or the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grid {
    title: String,
    province: Option<String>,
    groups: Vec<Group>,
    first: String,
    columns: Vec<Column>,
    rows: Vec<Row>,
    totals: Vec<Row>,
    notes: Vec<Note>,
    /// The table's JSON pointer in the rendered JSON ("/tables/0", "/synthesis", "" when
    /// the table is the whole JSON); `None` when the JSON does not show it.
    at: Option<String>,
}

impl Grid {
    /// The title line.
    pub fn title(&self) -> &str {
        &self.title
    }

    /// The province sigla of a province's table; `None` for syntheses and all-province totals.
    pub fn province(&self) -> Option<&str> {
        self.province.as_deref()
    }

    /// Headings over groups of count columns, left to right (may be empty).
    pub fn groups(&self) -> &[Group] {
        &self.groups
    }

    /// The heading of the label column ("NAZIONALITÀ", "PROVINCIA", ...).
    pub fn first_heading(&self) -> &str {
        &self.first
    }

    /// The count columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }

    /// Body rows, then "di cui" rows ([`RowKind::OfWhich`]).
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Total rows ([`RowKind::Total`]), printed under a line.
    pub fn totals(&self) -> &[Row] {
        &self.totals
    }

    /// Lines of counts under the table.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Hides small cells for publication across units, with threshold `k`: body cells of 1
    /// to k-1 and their complements (so no row or column total gives one back) read "<k",
    /// each group of rows ([`RowKind`]) a matrix of its own; totals stay unless a hidden cell
    /// has no partner in its column, then every [`Role::Total`] is withheld too; "di cui"
    /// counts ([`Role::OfWhich`]) are hidden when small. Columns enter the matrix in the
    /// order of their JSON keys, so which of two equal cells becomes the complement does not
    /// depend on the printed layout (and is what the JSON has always published). When
    /// column groups carry their own row total (a synthesis' M F T Tot per group), each group
    /// is a matrix of its own, so a hidden cell's complement is in its group.
    pub fn suppress(&mut self, k: u64) {
        let mut exposed = false;
        let margins = self.margins();
        for kind in [RowKind::Body, RowKind::OfWhich] {
            for cols in &margins {
                let rows = self.rows.iter_mut().filter(|r| r.kind == kind).collect();
                exposed |= suppress_rows(rows, cols.clone(), k);
            }
        }
        let totals = self.totals.iter_mut().flat_map(|r| r.cells.iter_mut());
        for c in totals.chain(self.notes.iter_mut().flat_map(|n| n.items.iter_mut().map(|(_, c)| c))) {
            match c.role {
                Role::Total if exposed => c.hide(k),
                Role::OfWhich if c.value > 0 && c.value < k => c.hide(k),
                _ => {}
            }
        }
    }

    /// The column ranges suppressed as matrices of their own: one per group when a group
    /// holds a row total ([`Role::RowTotal`]), otherwise all the columns together.
    fn margins(&self) -> Vec<Range<usize>> {
        let all = 0..self.columns.len().max(self.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0));
        let mut ranges = Vec::new();
        let mut start = 0;
        for g in &self.groups {
            ranges.push(start..start + g.span);
            start += g.span;
        }
        let first = self.rows.iter().find(|r| r.kind == RowKind::Body);
        let own_totals = first.is_some_and(|r| {
            ranges
                .iter()
                .any(|cols| r.cells.get(cols.clone()).is_some_and(|c| c.iter().any(|c| c.role == Role::RowTotal)))
        });
        if own_totals && start == all.end { ranges } else { vec![all] }
    }

    /// Where `cell` of `row` (a row of this grid; `None` for a note's cell) sits in the
    /// rendered JSON, as a JSON pointer; `None` when the JSON does not show this grid.
    pub fn pointer(&self, row: Option<&Row>, cell: &Cell) -> Option<String> {
        let at = self.at.as_ref()?;
        Some(format!("{at}{}{}", row.map_or("", |r| r.at.as_str()), cell.key))
    }

    /// The table's JSON pointer in the rendered JSON, when the JSON shows it.
    pub(super) fn at(&self) -> Option<&str> {
        self.at.as_deref()
    }

    /// Every cell with its place and index there: rows, total rows, then notes.
    pub(super) fn places(&self) -> Vec<(Place, usize, &Cell)> {
        let rows = self
            .rows
            .iter()
            .enumerate()
            .flat_map(|(r, row)| row.cells.iter().enumerate().map(move |(i, c)| (Place::Row(r), i, c)));
        let totals = self
            .totals
            .iter()
            .enumerate()
            .flat_map(|(r, row)| row.cells.iter().enumerate().map(move |(i, c)| (Place::Total(r), i, c)));
        let notes = self
            .notes
            .iter()
            .enumerate()
            .flat_map(|(n, note)| note.items.iter().enumerate().map(move |(i, (_, c))| (Place::Note(n), i, c)));
        rows.chain(totals).chain(notes).collect()
    }

    /// The cell at `place`, index `i`, when there is one.
    pub(super) fn cell_mut(&mut self, place: Place, i: usize) -> Option<&mut Cell> {
        match place {
            Place::Row(r) => self.rows.get_mut(r)?.cells.get_mut(i),
            Place::Total(r) => self.totals.get_mut(r)?.cells.get_mut(i),
            Place::Note(n) => self.notes.get_mut(n)?.items.get_mut(i).map(|(_, c)| c),
        }
    }

    /// Writes "<k" into `json` (the rendered JSON's value) at the place of every hidden cell.
    pub(crate) fn hide_in_json(&self, json: &mut serde_json::Value) {
        let rows = self.rows.iter().chain(&self.totals).flat_map(|r| r.cells.iter().map(move |c| (Some(r), c)));
        let notes = self.notes.iter().flat_map(|n| &n.items).map(|(_, c)| (None, c));
        for (row, c) in rows.chain(notes).filter(|(_, c)| c.is_hidden()) {
            let Some(pointer) = self.pointer(row, c) else { return };
            let place = json.pointer_mut(&pointer);
            debug_assert!(place.is_some(), "every cell has its place in the JSON: {pointer}");
            if let Some(v) = place {
                *v = serde_json::Value::String(c.to_string());
            }
        }
    }
}

/// Suppresses one matrix of rows, their cells in `within`; true when a hidden cell has no
/// partner in its column.
fn suppress_rows(mut rows: Vec<&mut Row>, within: Range<usize>, k: u64) -> bool {
    let Some(first) = rows.first() else { return false };
    let mut cols: Vec<usize> = within.filter(|&i| first.cells.get(i).is_some_and(Cell::in_matrix)).collect();
    cols.sort_by(|&a, &b| first.cells[a].key.split('/').cmp(first.cells[b].key.split('/')));
    let m: Vec<Vec<u64>> = rows.iter().map(|r| cols.iter().map(|&i| r.cells[i].value).collect()).collect();
    let hide = suppress(&m, k);
    for (row, h) in rows.iter_mut().zip(&hide) {
        for (&i, _) in cols.iter().zip(h).filter(|(_, h)| **h) {
            row.cells[i].hide(k);
        }
    }
    exposes_a_total(&hide)
}

/// Building a grid (the report's family modules).
impl Grid {
    /// An empty grid; `province` for a province's table, `at` its place in the JSON.
    pub(crate) fn new(title: String, province: Option<&str>, at: Option<String>) -> Self {
        Grid { title, province: province.map(str::to_owned), at, ..Grid::default() }
    }

    /// Moves the grid to another place in the JSON (`None`: the JSON does not show it).
    pub(crate) fn set_at(&mut self, at: Option<String>) {
        self.at = at;
    }

    /// Sets the column groups.
    pub(crate) fn group(&mut self, groups: impl IntoIterator<Item = (String, usize)>) {
        self.groups = groups.into_iter().map(|(label, span)| Group { label, span }).collect();
    }

    /// Sets the headings: the label column's, the count columns' and their CSV names.
    pub(crate) fn header<S: Into<String>>(
        &mut self,
        first: &str,
        heads: impl IntoIterator<Item = S>,
        keys: Vec<String>,
    ) {
        self.first = first.to_owned();
        self.columns = heads.into_iter().zip(keys).map(|(h, key)| Column { head: h.into(), key }).collect();
    }

    /// Adds a body or "di cui" row whose JSON pointer within the table is `at`.
    pub(crate) fn row(&mut self, kind: RowKind, at: String, code: &str, label: &str, cells: Vec<Cell>) {
        self.rows.push(Row { code: code.to_owned(), label: label.to_owned(), kind, cells, at });
    }

    /// Adds the body rows (code, label, cells), the i-th at "/rows/i" in the table's JSON.
    pub(crate) fn body<'a>(&mut self, rows: impl IntoIterator<Item = (&'a str, &'a str, Vec<Cell>)>) {
        for (i, (code, label, cells)) in rows.into_iter().enumerate() {
            self.row(RowKind::Body, format!("/rows/{i}"), code, label, cells);
        }
    }

    /// Adds a total row; its cells' keys are pointers within the table ("/total/day/M").
    pub(crate) fn total(&mut self, label: &str, cells: Vec<Cell>) {
        self.totals.push(Row {
            code: String::new(),
            label: label.to_owned(),
            kind: RowKind::Total,
            cells,
            at: "".into(),
        });
    }

    /// Adds a line of counts under the table; their keys are pointers within the table.
    pub(crate) fn note(&mut self, lead: &str, items: impl IntoIterator<Item = (String, Cell)>) {
        self.notes.push(Note { lead: lead.to_owned(), items: items.into_iter().collect() });
    }

    /// A line of words under the table, without counts.
    pub(crate) fn remark(&mut self, text: &str) {
        self.note(text, []);
    }
}

/// Tables built outside the report families.
impl Grid {
    /// A plain table of counts: `rows` of labelled counts under the column `heads`, and,
    /// with `total`, a total row of each column's sum. For tables a report family does not
    /// build (the server's table of units as rows); it has no place in a report's JSON and
    /// is never suppressed, so it is for exact, unpublished tables only.
    pub fn plain(
        title: String,
        first: &str,
        heads: &[String],
        rows: &[(String, Vec<u64>)],
        total: Option<&str>,
    ) -> Grid {
        let mut g = Grid::new(title, None, None);
        let keys: Vec<String> = (0..heads.len()).map(|i| format!("/{i}")).collect();
        g.header(first, heads.iter().cloned(), keys.clone());
        for (i, (label, counts)) in rows.iter().enumerate() {
            let cells = counts.iter().zip(&keys).map(|(n, k)| Cell::new(*n, Role::Count, k.clone())).collect();
            g.row(RowKind::Body, format!("/rows/{i}"), label, label, cells);
        }
        if let Some(label) = total {
            let sums = (0..heads.len()).map(|c| rows.iter().map(|(_, v)| v.get(c).copied().unwrap_or(0)).sum::<u64>());
            g.total(label, sums.zip(&keys).map(|(n, k)| Cell::new(n, Role::Total, k.clone())).collect());
        }
        g
    }
}

/// Rendering a grid as text and CSV.
impl Grid {
    /// Aligned text: label column left, counts right, blank for zero in body rows.
    pub fn to_text(&self) -> String {
        let width = |s: &str| s.chars().count();
        let ncols = self.columns.len();
        let mut w0 = width(&self.first);
        let mut w: Vec<usize> = self.columns.iter().map(|c| width(&c.head).max(3)).collect();
        for r in self.rows.iter().chain(&self.totals) {
            w0 = w0.max(width(&r.label));
            for (i, c) in r.cells.iter().enumerate().take(ncols) {
                w[i] = w[i].max(width(&c.text()));
            }
        }
        // Widen the last column of a group whose title does not fit.
        let mut start = 0;
        for g in &self.groups {
            let end = (start + g.span).min(ncols);
            if end > start {
                let have: usize = w[start..end].iter().sum::<usize>() + 2 * (end - start - 1);
                if width(&g.label) > have {
                    w[end - 1] += width(&g.label) - have;
                }
            }
            start = end;
        }
        let pad_left = |s: &str, n: usize| format!("{}{s}", " ".repeat(n.saturating_sub(width(s))));
        let pad_right = |s: &str, n: usize| format!("{s}{}", " ".repeat(n.saturating_sub(width(s))));
        let mut out = String::new();
        out.push_str(&self.title);
        out.push_str("\n\n");
        if !self.groups.is_empty() {
            let mut line = " ".repeat(w0);
            let mut start = 0;
            for g in &self.groups {
                let end = (start + g.span).min(ncols);
                let have: usize = w[start..end].iter().sum::<usize>() + 2 * (end - start).saturating_sub(1);
                line.push_str("  ");
                line.push_str(&pad_right(&g.label, have));
                start = end;
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        let line = |label: &str, cells: Vec<String>| {
            let mut l = pad_right(label, w0);
            for (i, c) in cells.iter().enumerate() {
                l.push_str("  ");
                l.push_str(&pad_left(c, w[i]));
            }
            l.trim_end().to_owned() + "\n"
        };
        out.push_str(&line(&self.first, self.columns.iter().map(|c| c.head.clone()).collect()));
        for r in &self.rows {
            out.push_str(&line(&r.label, r.cells.iter().map(Cell::text).collect()));
        }
        if !self.totals.is_empty() {
            out.push_str(&"-".repeat(w0 + w.iter().map(|x| x + 2).sum::<usize>()));
            out.push('\n');
            for r in &self.totals {
                out.push_str(&line(&r.label, r.cells.iter().map(Cell::text).collect()));
            }
        }
        for n in &self.notes {
            out.push_str(&n.to_string());
            out.push('\n');
        }
        out
    }

    /// One CSV table of several grids of the same shape: `province,code,label,<keys>`;
    /// total rows have an empty code.
    pub fn to_csv(grids: &[Grid]) -> String {
        let Some(first) = grids.first() else { return String::new() };
        let mut out = String::new();
        let header: Vec<String> = ["province", "code", "label"]
            .iter()
            .map(|s| s.to_string())
            .chain(first.columns.iter().map(|c| c.key.clone()))
            .collect();
        push_csv(&mut out, &header);
        for g in grids {
            let province = g.province.clone().unwrap_or_default();
            for r in g.rows.iter().chain(&g.totals) {
                let label = if r.kind == RowKind::Total { r.label.clone() } else { r.label.trim().to_owned() };
                let fields = [province.clone(), r.code.clone(), label];
                push_csv(&mut out, &fields.into_iter().chain(r.cells.iter().map(Cell::to_string)).collect::<Vec<_>>());
            }
        }
        out
    }
}

fn push_csv(out: &mut String, fields: &[String]) {
    let quoted: Vec<String> = fields
        .iter()
        .map(|f| if f.contains([',', '"', '\n', '\r']) { format!("\"{}\"", f.replace('"', "\"\"")) } else { f.clone() })
        .collect();
    out.push_str(&quoted.join(","));
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of two counts and a row total per row, with its total row and a "di cui" note.
    fn grid(rows: &[[u64; 2]], of_which: u64) -> Grid {
        let mut g = Grid::new("T".into(), Some("BS"), Some(String::new()));
        g.header("X", ["a", "b", "tot"], ["a", "b", "tot"].map(String::from).to_vec());
        let cells = |[a, b]: [u64; 2], role, total_role, at: &str| {
            vec![
                Cell::new(a, role, format!("{at}/a")),
                Cell::new(b, role, format!("{at}/b")),
                Cell::new(a + b, total_role, format!("{at}/tot")),
            ]
        };
        for (i, r) in rows.iter().enumerate() {
            g.row(RowKind::Body, format!("/rows/{i}"), &i.to_string(), "r", cells(*r, Role::Count, Role::RowTotal, ""));
        }
        let sum = rows.iter().fold([0, 0], |s, r| [s[0] + r[0], s[1] + r[1]]);
        g.total("TOT", cells(sum, Role::Total, Role::Total, "/total"));
        g.note("di cui", [("minori".to_owned(), Cell::new(of_which, Role::OfWhich, "/minors"))]);
        g
    }

    /// True when some hidden body cell can be worked out from a visible total and the
    /// visible cells beside it.
    fn gives_one_back(g: &Grid) -> bool {
        let columns = (0..g.columns().len()).any(|c| {
            g.rows().iter().filter(|r| r.cells()[c].is_hidden()).count() == 1 && !g.totals()[0].cells()[c].is_hidden()
        });
        let rows = g.rows().iter().any(|r| {
            let (counts, total) = r.cells().split_at(2);
            counts.iter().filter(|c| c.is_hidden()).count() == 1 && !total[0].is_hidden()
        });
        columns || rows
    }

    #[test]
    fn cells_of_one_and_two_are_hidden_and_no_total_gives_one_back() {
        for code in 0..4u64.pow(4) {
            let v: Vec<u64> = (0..4).map(|i| (code / 4u64.pow(i)) % 4).collect();
            let rows = [[v[0], v[1]], [v[2], v[3]]];
            let mut g = grid(&rows, 1);
            g.suppress(3);
            for (r, row) in rows.iter().enumerate() {
                for (c, &n) in row.iter().enumerate() {
                    let cell = &g.rows()[r].cells()[c];
                    assert!(!cell.is_hidden() || n > 0, "zeros stay: {rows:?}");
                    if (1..3).contains(&n) {
                        assert!(cell.is_hidden() && cell.count().is_none(), "{rows:?}");
                        assert_eq!(cell.text(), "<3");
                    }
                }
            }
            assert!(!gives_one_back(&g), "{rows:?}: {g:#?}");
            assert!(g.notes()[0].items[0].1.is_hidden(), "a 'di cui' count of 1 is hidden");
        }
    }

    #[test]
    fn totals_stay_when_partners_hide_the_small_cells_and_go_when_none_is_left() {
        let mut g = grid(&[[1, 4], [5, 6]], 7);
        g.suppress(3);
        let hidden: Vec<Vec<bool>> = g.rows().iter().map(|r| r.cells().iter().map(Cell::is_hidden).collect()).collect();
        assert_eq!(hidden, [[true, true, false], [true, true, false]], "complements in its row and column");
        assert!(g.totals()[0].cells().iter().all(|c| !c.is_hidden()), "the totals give nothing back");
        assert_eq!(g.notes()[0].to_string(), "di cui: minori 7");
        let mut g = grid(&[[1, 0], [0, 5]], 0);
        g.suppress(3);
        assert_eq!(g.rows()[0].cells()[0].text(), "<3");
        assert_eq!(g.rows()[1].cells()[1].text(), "<3", "the row total's complement");
        assert_eq!(g.rows()[1].cells()[0].text(), "", "zeros print blank in the body");
        assert!(g.totals()[0].cells().iter().all(Cell::is_hidden), "no partner: the totals are withheld");
        assert_eq!(g.notes()[0].to_string(), "di cui: minori 0", "zero is no small count");
    }

    #[test]
    fn hidden_cells_are_written_into_the_json_at_their_place() {
        let mut g = grid(&[[1, 0], [0, 5]], 2);
        g.suppress(3);
        let mut v = serde_json::json!({
            "rows": [{"a": 1, "b": 0, "tot": 1}, {"a": 0, "b": 5, "tot": 5}],
            "total": {"a": 1, "b": 5, "tot": 6},
            "minors": 2
        });
        g.hide_in_json(&mut v);
        assert_eq!(v["rows"][0], serde_json::json!({"a": "<3", "b": 0, "tot": "<3"}));
        assert_eq!(v["rows"][1], serde_json::json!({"a": 0, "b": "<3", "tot": "<3"}));
        assert_eq!(v["total"], serde_json::json!({"a": "<3", "b": "<3", "tot": "<3"}));
        assert_eq!(v["minors"], "<3");
    }
}
