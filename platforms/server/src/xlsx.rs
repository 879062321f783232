//! The report tables as an Excel workbook laid out as printed, for coordinators to hand
//! to funders: each grid ([`lanterna::report::Grid`]) becomes a bordered table with its
//! title over it, its column groups merged over their columns, the heading row, the body
//! and "di cui" rows, bold total rows under a line and the notes under the table. Counts
//! are numbers; hidden cells read as printed ("<3"), right-aligned; a zero in the body is
//! blank, as on paper. Grids are stacked down a sheet with a blank row between them.
//!
//! [`report_xlsx`] writes one sheet of grids, [`pack`] one sheet per table kind,
//! [`workbook`] any list of [`Sheet`]s. Sheet names are made valid for Excel
//! ([`sheet_names`]).

use lanterna::domain::Lang;
use lanterna::report::{Cell, Grid, Row, RowKind};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet};

use crate::report::Kind;

pub use rust_xlsxwriter::XlsxError;

/// One worksheet: its name (made valid and unique by [`workbook`]) and the grids stacked
/// down it.
#[derive(Debug, Clone, Copy)]
pub struct Sheet<'a> {
    /// The name on its tab.
    pub name: &'a str,
    /// The tables, top to bottom.
    pub grids: &'a [Grid],
}

/// A workbook of `sheets`, as the bytes of an `.xlsx` file.
pub fn workbook(sheets: &[Sheet<'_>]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let names = sheet_names(&sheets.iter().map(|s| s.name).collect::<Vec<_>>());
    for (sheet, name) in sheets.iter().zip(names) {
        let ws = book.add_worksheet();
        ws.set_name(name)?;
        write_sheet(ws, sheet.grids)?;
    }
    if sheets.is_empty() {
        // A workbook has at least one sheet.
        book.add_worksheet();
    }
    book.save_to_buffer()
}

/// One sheet named `sheet_name` holding `grids`: what the console hands out for one table.
pub fn report_xlsx(grids: &[Grid], sheet_name: &str) -> Result<Vec<u8>, XlsxError> {
    workbook(&[Sheet { name: sheet_name, grids }])
}

/// A report pack: one sheet per table kind, `tables` as (sheet name, its grids) in order,
/// e.g. `[("street", street_grids), ("labour", labour_grids), ...]`.
pub fn pack<N: AsRef<str>, G: AsRef<[Grid]>>(tables: &[(N, G)]) -> Result<Vec<u8>, XlsxError> {
    let sheets: Vec<Sheet<'_>> = tables.iter().map(|(n, g)| Sheet { name: n.as_ref(), grids: g.as_ref() }).collect();
    workbook(&sheets)
}

/// The name of a table kind's sheet in a pack, in `lang`.
pub fn sheet_title(kind: Kind, lang: Lang) -> &'static str {
    let (it, en) = match kind {
        Kind::Street => ("Strada", "Street"),
        Kind::Labour => ("Lavoro", "Labour"),
        Kind::Indoor => ("Indoor", "Indoor"),
        Kind::Massage => ("Centri massaggi", "Massage centres"),
        Kind::Services => ("Servizi", "Services"),
        Kind::Items => ("Materiali", "Items"),
        Kind::Desk => ("Sportello", "Desk"),
        Kind::Identification => ("Identificazione", "Identification"),
        Kind::Referral => ("Referral", "Referral"),
        Kind::IdBreakdown => ("Identificazione per gruppi", "Identification breakdowns"),
        Kind::Outcomes => ("Esiti", "Outcomes"),
        Kind::Helpline => ("Numero Verde", "Helpline"),
        Kind::Outings => ("Uscite", "Outings"),
        Kind::Presences => ("Presenze", "Presences"),
    };
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

/// The longest sheet name Excel accepts, in characters.
const SHEET_NAME_MAX: usize = 31;

/// `names` made valid for Excel, in order: the characters `[]:*?/\` become `_`, leading and
/// trailing apostrophes and blanks go, at most 31 characters, never empty ("Foglio") and
/// never "History" (Excel's own); a name equal to an earlier one (case-insensitively, as
/// Excel compares them) gets " (2)", " (3)", ... within the 31 characters.
pub fn sheet_names(names: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    let taken = |out: &[String], n: &str| {
        n.eq_ignore_ascii_case("history") || out.iter().any(|o| o.to_lowercase() == n.to_lowercase())
    };
    for name in names {
        let clean: String =
            name.chars().map(|c| if "[]:*?/\\".contains(c) || c.is_control() { '_' } else { c }).collect();
        let clean = clean.trim_matches(|c: char| c == '\'' || c.is_whitespace());
        let base = if clean.is_empty() { "Foglio" } else { clean };
        let mut candidate = truncate(base, SHEET_NAME_MAX);
        let mut n = 2;
        while taken(&out, &candidate) {
            let suffix = format!(" ({n})");
            let stem = truncate(base, SHEET_NAME_MAX - suffix.chars().count());
            candidate = format!("{}{suffix}", stem.trim_end_matches(|c: char| c == '\'' || c.is_whitespace()));
            n += 1;
        }
        out.push(candidate);
    }
    out
}

fn truncate(s: &str, max: usize) -> String {
    let t: String = s.chars().take(max).collect();
    t.trim_end_matches(|c: char| c == '\'' || c.is_whitespace()).to_owned()
}

/// The widest column written, in characters (Excel's limit is 255).
const WIDEST: f64 = 100.0;

/// Excel's limit on columns; a grid wider than this cannot be written.
const MAX_COLUMNS: usize = 16_383;

/// Writes `grids` down `ws`, a blank row between them, with column widths that fit every
/// grid and a page set up to print them (A4 landscape, one page wide).
fn write_sheet(ws: &mut Worksheet, grids: &[Grid]) -> Result<(), XlsxError> {
    let widths = widths(grids);
    for (i, w) in widths.iter().enumerate() {
        ws.set_column_width(col(i)?, w.min(WIDEST))?;
    }
    // A grid that does not fit on what is left of the page starts a new one.
    let page = page_height(&widths);
    let (mut row, mut used, mut breaks) = (0, 0.0, Vec::new());
    for g in grids {
        let sizes = Sizes::of(g, &widths);
        let height = sizes.total();
        if used > 0.0 && used + height > page && breaks.len() < MAX_PAGE_BREAKS {
            breaks.push(row);
            used = 0.0;
        }
        used += height + DEFAULT_ROW;
        row = write_grid(ws, g, row, &sizes)? + 1;
    }
    ws.set_page_breaks(&breaks)?;
    ws.set_paper_size(9); // A4
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 0);
    ws.set_print_center_horizontally(true);
    ws.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    ws.set_footer("&C&P / &N");
    Ok(())
}

fn col(i: usize) -> Result<u16, XlsxError> {
    u16::try_from(i).ok().filter(|&c| usize::from(c) <= MAX_COLUMNS).ok_or(XlsxError::RowColumnLimitError)
}

/// Characters of `s`, as Excel's column widths count them.
fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Widest count column before its heading wraps onto a second line.
const COUNT_MAX: f64 = 14.0;

/// How much wider than a digit a bold capital of a heading is.
const HEAD_WIDE: f64 = 1.15;

/// The narrowest a sheet's tables are, in characters.
const MIN_TABLE: f64 = 50.0;

/// Column widths (in characters of the default font) fitting every grid's labels,
/// headings and counts: the label column, then the count columns.
fn widths(grids: &[Grid]) -> Vec<f64> {
    let ncols = grids.iter().map(|g| g.columns().len()).max().unwrap_or(0);
    let mut w = vec![0usize; ncols + 1];
    for g in grids {
        w[0] = w[0].max(chars(g.first_heading()));
        for r in g.rows().iter().chain(g.totals()) {
            w[0] = w[0].max(chars(r.label()));
            for (i, c) in r.cells().iter().enumerate().take(ncols) {
                w[i + 1] = w[i + 1].max(chars(&shown(c)));
            }
        }
        for (i, c) in g.columns().iter().enumerate() {
            // Headings wrap at spaces: the longest word must fit.
            let word = c.head.split_whitespace().map(chars).max().unwrap_or(0);
            let head = (word.max(chars(&c.head).min(COUNT_MAX as usize)) as f64 * HEAD_WIDE).ceil() as usize;
            w[i + 1] = w[i + 1].max(head);
        }
    }
    let mut out: Vec<f64> =
        w.iter().enumerate().map(|(i, &n)| if i == 0 { n as f64 + 3.0 } else { (n as f64 + 2.0).max(6.0) }).collect();
    // The columns under groups of a grid's headings that span as many columns are as wide
    // as each other (M, F and T by day and by night alike), and each heading fits over its
    // columns: widen them evenly when it does not.
    for g in grids {
        let mut ranges = Vec::new();
        let mut start = 1;
        for group in g.groups() {
            let end = (start + group.span).min(out.len());
            if end > start && !group.label.is_empty() {
                ranges.push((group.span, start..end));
            }
            start = end;
        }
        for (span, _) in &ranges {
            let alike = || ranges.iter().filter(|(s, _)| s == span).map(|(_, r)| r.clone());
            let widest = alike().flat_map(|r| out[r].to_vec()).fold(0.0, f64::max);
            alike().for_each(|r| out[r].iter_mut().for_each(|x| *x = widest));
        }
        let mut start = 1;
        for group in g.groups() {
            let end = (start + group.span).min(out.len());
            if end > start && !group.label.is_empty() {
                let have: f64 = out[start..end].iter().sum();
                let need = chars(&group.label) as f64 * HEAD_WIDE + 2.0;
                if need > have {
                    let more = (need - have) / (end - start) as f64;
                    out[start..end].iter_mut().for_each(|x| *x += more);
                }
            }
            start = end;
        }
    }
    // A narrow table is widened at its label column, so its title takes a line or two.
    let table: f64 = out.iter().sum();
    if table < MIN_TABLE {
        out[0] += MIN_TABLE - table;
    }
    out
}

/// A count as the sheet shows it (thousands grouped), for measuring.
fn shown(c: &Cell) -> String {
    match c.count() {
        Some(n) if n >= 1000 => {
            let digits = n.to_string();
            let mut out = String::new();
            for (i, ch) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    out.push('.');
                }
                out.push(ch);
            }
            out
        }
        _ => c.text(),
    }
}

/// How many lines text of `len` characters takes in a width of `width` characters (of
/// the digit "0" of the default font, Excel's unit) when `per` characters of the text fit
/// in one such character: about 1.3 for mixed text at 10 points, 1 for capitals.
fn lines(len: usize, width: f64, per: f64) -> f64 {
    (len as f64 / (width * per).max(1.0)).ceil().max(1.0)
}

/// Characters of a bold capital heading per width unit (a title at 12 points a bit less).
const CAPS: f64 = 1.0;
/// Characters of a note's mixed text at 10 points per width unit.
const TEXT: f64 = 1.3;

/// Row height (points) of `n` lines at `size` points.
fn height(n: f64, size: f64) -> f64 {
    n * size * 1.35 + 3.0
}

/// The height of a row left as it is, in points.
const DEFAULT_ROW: f64 = 15.0;

/// Excel's limit on a sheet's page breaks.
const MAX_PAGE_BREAKS: usize = 1023;

/// The page's printable height (A4 landscape less its margins), in the sheet's points
/// before it is shrunk to fit the page's width, less a little for rounding.
fn page_height(widths: &[f64]) -> f64 {
    let (page_width, page_height) = (842.0 - 72.0, 595.0 - 2.0 * 0.6 * 72.0);
    // A column w characters wide is w * 7 + 5 pixels, 3/4 of a point each.
    let width: f64 = widths.iter().map(|w| (w * 7.0 + 5.0) * 0.75).sum();
    let scale = (page_width / width.max(1.0)).min(1.0);
    page_height / scale * 0.92
}

/// The heights (points) of a grid's rows that are not one line of counts.
struct Sizes {
    title: f64,
    groups: Option<f64>,
    heads: f64,
    rows: usize,
    notes: Vec<f64>,
}

impl Sizes {
    fn of(g: &Grid, widths: &[f64]) -> Sizes {
        let n = g.columns().len();
        let table: f64 = widths.iter().take(n + 1).sum();
        let width = |i: usize| widths.get(i).copied().unwrap_or(0.0) - 1.0;
        let grouped = grouped(g);
        let heads = g
            .columns()
            .iter()
            .enumerate()
            .filter(|(i, _)| g.groups().is_empty() || grouped[*i])
            .map(|(i, c)| lines(chars(&c.head), width(i + 1), CAPS))
            .fold(1.0, f64::max);
        let groups = (!g.groups().is_empty()).then(|| {
            let mut start = 1;
            let mut most = 1.0f64;
            for group in g.groups() {
                let end = (start + group.span).min(n + 1);
                let w: f64 = widths.get(start..end).map_or(0.0, |w| w.iter().sum());
                most = most.max(lines(chars(&group.label), w - 1.0, CAPS));
                start = end;
            }
            height(most, 11.0)
        });
        Sizes {
            title: height(lines(chars(g.title()), table, CAPS * 0.9), 12.0),
            groups,
            heads: height(heads, 11.0),
            rows: g.rows().len() + g.totals().len(),
            notes: g.notes().iter().map(|note| height(lines(chars(&note.to_string()), table, TEXT), 10.0)).collect(),
        }
    }

    fn total(&self) -> f64 {
        self.title
            + self.groups.unwrap_or(0.0)
            + self.heads
            + self.rows as f64 * DEFAULT_ROW
            + self.notes.iter().sum::<f64>()
    }
}

/// For each count column, whether a group with a heading stands over it.
fn grouped(g: &Grid) -> Vec<bool> {
    let n = g.columns().len();
    let mut out = vec![false; n];
    let mut start = 0;
    for group in g.groups() {
        let end = (start + group.span).min(n);
        if end > start && !group.label.is_empty() {
            out[start..end].iter_mut().for_each(|x| *x = true);
        }
        start = end;
    }
    out
}

/// The formats of a grid's parts.
struct Styles {
    title: Format,
    group: Format,
    head: Format,
    label: Format,
    of_which: Format,
    count: Format,
    hidden: Format,
    note: Format,
}

/// Light grey behind the headings, as the printed tables have them.
const HEAD_FILL: u32 = 0xE7E6E6;

impl Styles {
    fn new() -> Styles {
        let cell = || Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let head = cell()
            .set_bold()
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_background_color(Color::RGB(HEAD_FILL));
        Styles {
            title: Format::new()
                .set_bold()
                .set_font_size(12)
                .set_text_wrap()
                .set_align(FormatAlign::Left)
                .set_align(FormatAlign::VerticalCenter),
            group: head.clone(),
            head,
            label: cell(),
            of_which: cell().set_italic(),
            count: cell().set_num_format("#,##0").set_align(FormatAlign::Right),
            hidden: cell().set_align(FormatAlign::Right),
            note: Format::new().set_text_wrap().set_align(FormatAlign::Top).set_font_size(10),
        }
    }
}

/// Writes `g` from row `top`, its rows `sizes` high; returns the row after its last line.
fn write_grid(ws: &mut Worksheet, g: &Grid, top: u32, sizes: &Sizes) -> Result<u32, XlsxError> {
    let st = Styles::new();
    let n = g.columns().len();
    let last = col(n)?;
    let mut r = top;

    // The title, over the table's width.
    if last > 0 {
        ws.merge_range(r, 0, r, last, g.title(), &st.title)?;
    } else {
        ws.write_string_with_format(r, 0, g.title(), &st.title)?;
    }
    ws.set_row_height(r, sizes.title)?;
    r += 1;

    // The column groups, then the headings; the label column's heading and a column
    // without a group stand over both rows.
    let grouped = grouped(g);
    let heads = match sizes.groups {
        Some(h) => {
            ws.set_row_height(r, h)?;
            let mut start = 0;
            for group in g.groups() {
                let end = (start + group.span).min(n);
                match end - start {
                    _ if group.label.is_empty() => {}
                    0 => {}
                    1 => {
                        ws.write_string_with_format(r, col(start + 1)?, &group.label, &st.group)?;
                    }
                    _ => {
                        ws.merge_range(r, col(start + 1)?, r, col(end)?, &group.label, &st.group)?;
                    }
                }
                start = end;
            }
            ws.merge_range(r, 0, r + 1, 0, g.first_heading(), &st.head)?;
            r + 1
        }
        None => {
            ws.write_string_with_format(r, 0, g.first_heading(), &st.head)?;
            r
        }
    };
    for (i, c) in g.columns().iter().enumerate() {
        let at = col(i + 1)?;
        if heads > r && !grouped[i] {
            ws.merge_range(r, at, heads, at, &c.head, &st.head)?;
        } else {
            ws.write_string_with_format(heads, at, &c.head, &st.head)?;
        }
    }
    ws.set_row_height(heads, sizes.heads)?;
    r = heads + 1;

    // Body and "di cui" rows.
    for row in g.rows() {
        let label = if row.kind() == RowKind::OfWhich { &st.of_which } else { &st.label };
        write_row(ws, r, row, n, label, &st.count, &st.hidden)?;
        r += 1;
    }

    // Totals: bold, under a line.
    for (i, row) in g.totals().iter().enumerate() {
        let total = |f: &Format| {
            let f = f.clone().set_bold();
            if i == 0 { f.set_border_top(FormatBorder::Medium) } else { f }
        };
        write_row(ws, r, row, n, &total(&st.label), &total(&st.count), &total(&st.hidden))?;
        r += 1;
    }

    // Notes: lines under the table, wrapped to its width.
    for (note, h) in g.notes().iter().zip(&sizes.notes) {
        let text = note.to_string();
        if last > 0 {
            ws.merge_range(r, 0, r, last, &text, &st.note)?;
        } else {
            ws.write_string_with_format(r, 0, &text, &st.note)?;
        }
        ws.set_row_height(r, *h)?;
        r += 1;
    }
    Ok(r)
}

/// One row: its label, then its cells (numbers; hidden cells as their text, a zero in the
/// body blank) in bordered cells up to the table's `n` columns.
fn write_row(
    ws: &mut Worksheet,
    r: u32,
    row: &Row,
    n: usize,
    label: &Format,
    count: &Format,
    hidden: &Format,
) -> Result<(), XlsxError> {
    ws.write_string_with_format(r, 0, row.label(), label)?;
    for i in 0..n {
        let at = col(i + 1)?;
        match row.cells().get(i) {
            Some(c) if c.is_hidden() => ws.write_string_with_format(r, at, c.text(), hidden)?,
            Some(c) => match c.count() {
                Some(v) if !c.text().is_empty() => ws.write_number_with_format(r, at, v as f64, count)?,
                _ => ws.write_blank(r, at, count)?,
            },
            None => ws.write_blank(r, at, count)?,
        };
    }
    Ok(())
}
