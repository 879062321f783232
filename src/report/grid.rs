//! A table of labelled rows of counts, rendered as aligned text or as CSV.

/// One cell after the label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// A count: blank when zero in body rows, as printed tables do.
    Count(u64),
    /// A small count hidden from a published table: printed "<k".
    Hidden(u64),
}

/// A report table ready for text or CSV.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    /// Title line.
    pub title: String,
    /// Province sigla for the CSV `province` column ("" for syntheses and totals).
    pub province: String,
    /// Column groups over the count columns: label and how many columns it spans.
    pub groups: Vec<(String, usize)>,
    /// Heading of the label column.
    pub first: String,
    /// Headings of the count columns.
    pub heads: Vec<String>,
    /// CSV names of the count columns.
    pub keys: Vec<String>,
    /// Body rows: code, label, cells.
    pub rows: Vec<(String, String, Vec<Cell>)>,
    /// Total rows: label, cells.
    pub totals: Vec<(String, Vec<Cell>)>,
    /// Lines printed under the table.
    pub notes: Vec<Note>,
}

/// A line under a table: "lead: label n · label n".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// What the line is about.
    pub lead: String,
    /// Labelled counts (an empty label prints the count alone).
    pub items: Vec<(String, Cell)>,
    /// True when the counts are sums of the table's cells (withheld with its totals);
    /// false for counts of their own ("di cui"), hidden only when small.
    pub totals: bool,
}

impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let items: Vec<String> =
            self.items.iter().map(|(l, c)| if l.is_empty() { c.to_string() } else { format!("{l} {c}") }).collect();
        write!(f, "{}: {}", self.lead, items.join(" · "))
    }
}

impl std::fmt::Display for Cell {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cell::Count(n) => write!(f, "{n}"),
            Cell::Hidden(k) => write!(f, "<{k}"),
        }
    }
}

impl Grid {
    /// Hides small body cells and their complements; the totals stay unless a hidden cell
    /// had no partner, then they are withheld too.
    pub fn suppress(&mut self, k: u64) {
        let m: Vec<Vec<u64>> = self
            .rows
            .iter()
            .map(|(_, _, cells)| cells.iter().map(|c| if let Cell::Count(n) = c { *n } else { 0 }).collect())
            .collect();
        let hide = crate::domain::suppress::suppress(&m, k);
        let exposed = crate::domain::suppress::exposes_a_total(&hide);
        if exposed {
            // A hidden cell without a partner in its column: the totals would give it away.
            for (_, cells) in &mut self.totals {
                cells.iter_mut().for_each(|c| *c = Cell::Hidden(k));
            }
        }
        for n in &mut self.notes {
            for (_, c) in &mut n.items {
                if let Cell::Count(v) = *c
                    && ((n.totals && exposed) || (!n.totals && v > 0 && v < k))
                {
                    *c = Cell::Hidden(k);
                }
            }
        }
        for ((_, _, cells), h) in self.rows.iter_mut().zip(hide) {
            for (c, h) in cells.iter_mut().zip(h) {
                if h {
                    *c = Cell::Hidden(k);
                }
            }
        }
    }

    /// An empty grid.
    pub fn new(title: String, province: &str) -> Self {
        Grid { title, province: province.to_owned(), ..Grid::default() }
    }

    /// Sets the headings.
    pub fn header<S: Into<String>>(&mut self, first: &str, heads: impl IntoIterator<Item = S>, keys: Vec<String>) {
        self.first = first.to_owned();
        self.heads = heads.into_iter().map(Into::into).collect();
        self.keys = keys;
    }

    /// Adds a body row.
    pub fn row(&mut self, code: &str, label: &str, cells: Vec<Cell>) {
        self.rows.push((code.to_owned(), label.to_owned(), cells));
    }

    /// Adds a line of counts under the table.
    pub fn note(&mut self, lead: &str, totals: bool, items: impl IntoIterator<Item = (String, u64)>) {
        let items = items.into_iter().map(|(l, n)| (l, Cell::Count(n))).collect();
        self.notes.push(Note { lead: lead.to_owned(), items, totals });
    }

    /// Adds a total row.
    pub fn total(&mut self, label: &str, cells: Vec<Cell>) {
        self.totals.push((label.to_owned(), cells));
    }

    /// Aligned text: label column left, counts right, blank for zero in body rows.
    pub fn to_text(&self) -> String {
        let body = |c: &Cell| match c {
            Cell::Count(0) => String::new(),
            c => c.to_string(),
        };
        let total = |c: &Cell| c.to_string();
        let width = |s: &str| s.chars().count();
        let ncols = self.heads.len();
        let mut w0 = width(&self.first);
        let mut w: Vec<usize> = self.heads.iter().map(|h| width(h).max(3)).collect();
        for (_, label, cells) in &self.rows {
            w0 = w0.max(width(label));
            for (i, c) in cells.iter().enumerate().take(ncols) {
                w[i] = w[i].max(width(&body(c)));
            }
        }
        for (label, cells) in &self.totals {
            w0 = w0.max(width(label));
            for (i, c) in cells.iter().enumerate().take(ncols) {
                w[i] = w[i].max(width(&total(c)));
            }
        }
        // Widen the last column of a group whose title does not fit.
        let mut start = 0;
        for (label, span) in &self.groups {
            let end = (start + span).min(ncols);
            if end > start {
                let have: usize = w[start..end].iter().sum::<usize>() + 2 * (end - start - 1);
                if width(label) > have {
                    w[end - 1] += width(label) - have;
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
            for (label, span) in &self.groups {
                let end = (start + span).min(ncols);
                let have: usize = w[start..end].iter().sum::<usize>() + 2 * (end - start).saturating_sub(1);
                line.push_str("  ");
                line.push_str(&pad_right(label, have));
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
        out.push_str(&line(&self.first, self.heads.clone()));
        for (_, label, cells) in &self.rows {
            out.push_str(&line(label, cells.iter().map(body).collect()));
        }
        if !self.totals.is_empty() {
            out.push_str(&"-".repeat(w0 + w.iter().map(|x| x + 2).sum::<usize>()));
            out.push('\n');
            for (label, cells) in &self.totals {
                out.push_str(&line(label, cells.iter().map(total).collect()));
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
        let header: Vec<String> =
            ["province", "code", "label"].iter().map(|s| s.to_string()).chain(first.keys.clone()).collect();
        push_csv(&mut out, &header);
        for g in grids {
            let count = |c: &Cell| c.to_string();
            for (code, label, cells) in &g.rows {
                let fields = [g.province.clone(), code.clone(), label.trim().to_owned()];
                push_csv(&mut out, &fields.into_iter().chain(cells.iter().map(count)).collect::<Vec<_>>());
            }
            for (label, cells) in &g.totals {
                let fields = [g.province.clone(), String::new(), label.clone()];
                push_csv(&mut out, &fields.into_iter().chain(cells.iter().map(count)).collect::<Vec<_>>());
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
