//! The XLSX export: every report kind written as a workbook, read back with openpyxl (each
//! number where the JSON report has it, merged group headings, bold totals) and printed to
//! PDF and PNG by LibreOffice, as a coordinator's funder would open it.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lanterna::domain::tables::ReportScope;
use lanterna::domain::{
    Activity, Gender, ItemKind, Lang, Language, Measure, Nationality, Period, Province, ServiceKind, ServiceSubtype,
    Shift, Tally,
};
use lanterna::report::{Format, Grid, Rendered, RowKind, Table};
use lanterna::wire::{Cell, Summary};
use lanterna_server::xlsx::{self, Sheet};
use serde_json::Value;
use uuid::Uuid;

fn date(d: &str) -> NaiveDate {
    NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

/// A summary of `activity` in `province` on `shift`: (nationality, gender, measure, count).
fn summary(activity: Activity, province: &str, shift: Shift, cells: &[(&str, Gender, Measure, u32)]) -> Summary {
    Summary {
        id: Uuid::new_v4(),
        revision: 1,
        deleted: false,
        activity,
        date: date("2024-03-12"),
        shift,
        province: Province::parse(province).unwrap(),
        comuni: vec![],
        cells: cells
            .iter()
            .map(|&(nat, gender, measure, count)| Cell {
                province: None,
                nationality: Nationality::parse(nat).unwrap(),
                gender,
                measure,
                count,
            })
            .collect(),
        team: None,
        minutes: None,
        mapping: false,
        session: None,
    }
}

/// Three provinces' outings and sessions: street and labour by day and at night with their
/// "di cui" counts, services, items and leaflets by language, indoor ads, calls and
/// massage centres. Some counts are small, so published tables hide cells.
fn summaries() -> Vec<Summary> {
    use Gender::{F, M, T};
    use Measure::*;
    let mut summaries = Vec::new();
    for (i, province) in ["BS", "MI", "BG"].into_iter().enumerate() {
        let n = i as u32;
        for (activity, shift) in [
            (Activity::Street, Shift::Night),
            (Activity::Street, Shift::Day),
            (Activity::Labour, Shift::Day),
            (Activity::Labour, Shift::Night),
        ] {
            let night = u32::from(shift == Shift::Night);
            summaries.push(summary(
                activity,
                province,
                shift,
                &[
                    ("RO", F, Contacts, 12 + 3 * n + night * 5),
                    ("RO", T, Contacts, 2 + n),
                    ("NG", F, Contacts, 7 + night * 40 + n * 1000),
                    ("NG", M, Contacts, 1),
                    ("AL", M, Contacts, 4 + n),
                    ("BR", T, Contacts, 6 * night + 1),
                    ("ZZ", F, Contacts, 3),
                    ("RO", F, Minors, 2),
                    ("NG", F, FirstContacts, 5 + n),
                    ("RO", F, KnownContacts, 9),
                    ("NG", F, Protection, 4),
                    ("RO", F, Accompaniment(ServiceKind::Health), 3 + n),
                    ("RO", F, SubAccompaniment(ServiceSubtype::StiTest), 2),
                    ("NG", F, Referral(ServiceKind::Legal), 4),
                    ("NG", M, Referral(ServiceKind::Work), 1 + n),
                    ("RO", F, Listening, 6),
                    ("AL", M, LegalConsultations, 2),
                    ("RO", F, AccompaniedPersons, 3),
                    ("NG", F, ReferredPersons, 4),
                    ("NG", F, Information, 5 + night),
                    ("RO", F, Item(ItemKind::Condoms), 40 + 10 * n),
                    ("NG", F, Item(ItemKind::Lubricant), 7),
                    ("NG", F, Item(ItemKind::Leaflets), 9),
                    ("NG", F, Leaflets(Language::English), 6),
                    ("RO", F, Leaflets(Language::Italian), 3),
                ],
            ));
        }
        summaries.push(summary(
            Activity::Indoor,
            province,
            Shift::Day,
            &[
                ("RO", F, Ads, 20 + n),
                ("CN", F, Ads, 11),
                ("BR", T, Ads, 2),
                ("RO", F, RiskyAds, 6),
                ("RO", F, Calls, 15),
                ("CN", F, Messages, 4),
                ("RO", F, Reached, 9),
                ("BR", T, Reached, 1),
                ("RO", F, Meetings, 3),
                ("CN", F, MassageContacts, 8 + n),
                ("CN", M, MassageContacts, 1),
            ],
        ));
    }
    summaries
}

fn tally() -> Tally {
    let mut tally = Tally::new();
    for s in &summaries() {
        s.add_to(&mut tally);
    }
    tally
}

fn scope() -> ReportScope {
    ReportScope::period(Period::new(date("2024-01-01"), date("2024-12-31")).unwrap())
}

/// The grids and the JSON of `table`, every province and the synthesis, small cells hidden
/// with `k`.
fn report(table: Table, k: Option<u64>) -> (Vec<Grid>, Value) {
    let rendered = Rendered::build(table, &tally(), &scope());
    let json = rendered.render_suppressed(Format::Json, false, Lang::It, k);
    (rendered.grids(false, Lang::It, k), serde_json::from_str(&json).unwrap())
}

/// An A1 reference: column `c` and row `r`, both from 1.
fn a1(r: usize, c: usize) -> String {
    let mut letters = String::new();
    let mut n = c;
    while n > 0 {
        letters.insert(0, char::from(b'A' + ((n - 1) % 26) as u8));
        n = (n - 1) / 26;
    }
    format!("{letters}{r}")
}

/// A sheet as openpyxl read it.
struct Read {
    name: String,
    merged: Vec<String>,
    cells: std::collections::BTreeMap<(usize, usize), Value>,
}

impl Read {
    fn at(&self, r: usize, c: usize) -> Option<&Value> {
        self.cells.get(&(r, c))
    }

    fn value(&self, r: usize, c: usize) -> &Value {
        self.at(r, c).map_or(&Value::Null, |v| &v["value"])
    }

    fn merged(&self, r1: usize, c1: usize, r2: usize, c2: usize) -> bool {
        self.merged.contains(&format!("{}:{}", a1(r1, c1), a1(r2, c2)))
    }
}

/// A Python 3 that has openpyxl: the test command installs python3-openpyxl.
fn python() -> &'static str {
    for py in ["python3", "/usr/bin/python3"] {
        let ok = Command::new(py).args(["-c", "import openpyxl"]).output().is_ok_and(|o| o.status.success());
        if ok {
            return py;
        }
    }
    panic!("no python3 with openpyxl: install python3-openpyxl (tests/run.sh does)");
}

/// The sheets of `file`, read back by openpyxl.
fn read_back(file: &Path) -> Vec<Read> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/xlsx_cells.py");
    let out = Command::new(python()).arg(script).arg(file).output().expect("python3 runs");
    assert!(out.status.success(), "openpyxl could not read the workbook: {}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| Read {
            name: s["name"].as_str().unwrap().to_owned(),
            merged: s["merged"].as_array().unwrap().iter().map(|m| m.as_str().unwrap().to_owned()).collect(),
            cells: s["cells"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| ((c["row"].as_u64().unwrap() as usize, c["col"].as_u64().unwrap() as usize), c.clone()))
                .collect(),
        })
        .collect()
}

/// Checks that `sheet` lays out `grids` as printed, every count where `json` has it;
/// returns how many counts were checked.
fn assert_laid_out(sheet: &Read, grids: &[Grid], json: &Value) -> usize {
    let mut numbers = std::collections::BTreeSet::new();
    let mut hidden = 0;
    let mut r = 1;
    for g in grids {
        let n = g.columns().len();
        assert_eq!(sheet.value(r, 1), g.title(), "{}: the title at row {r}", sheet.name);
        assert!(sheet.at(r, 1).unwrap()["bold"].as_bool().unwrap(), "the title is bold");
        assert!(sheet.merged(r, 1, r, n + 1), "{}: the title spans the table: {:?}", sheet.name, sheet.merged);
        r += 1;
        let heads = r + usize::from(!g.groups().is_empty());
        let mut grouped = vec![false; n];
        let mut start = 0;
        for group in g.groups() {
            let end = (start + group.span).min(n);
            if !group.label.is_empty() {
                grouped[start..end].iter_mut().for_each(|x| *x = true);
                assert_eq!(sheet.value(r, start + 2), group.label.as_str(), "{}: a group heading", g.title());
                if end - start > 1 {
                    assert!(sheet.merged(r, start + 2, r, end + 1), "{} merged over its columns", group.label);
                }
            }
            start = end;
        }
        assert_eq!(sheet.value(r, 1), g.first_heading());
        if heads > r {
            assert!(sheet.merged(r, 1, heads, 1), "the label column's heading stands over both rows");
        }
        for (i, c) in g.columns().iter().enumerate() {
            let at = if heads > r && !grouped[i] { r } else { heads };
            assert_eq!(sheet.value(at, i + 2), c.head.as_str(), "{}: column {i}'s heading", g.title());
        }
        r = heads + 1;
        for (k, row) in g.rows().iter().chain(g.totals()).enumerate() {
            let total = row.kind() == RowKind::Total;
            assert_eq!(sheet.value(r, 1), row.label(), "{}: row {r}", g.title());
            assert_eq!(sheet.at(r, 1).unwrap()["bold"], total, "totals, and only totals, are bold");
            if total && k == g.rows().len() {
                assert_eq!(sheet.at(r, 1).unwrap()["top"], "medium", "the totals stand under a line");
            }
            for (i, cell) in row.cells().iter().enumerate() {
                let pointer = g.pointer(Some(row), cell).expect("every grid of a full report is in its JSON");
                let expected = json.pointer(&pointer).unwrap_or_else(|| panic!("no {pointer} in the JSON"));
                let place = format!(
                    "{} {}: {} / {} at {}",
                    sheet.name,
                    g.title(),
                    row.label(),
                    g.columns()[i].head,
                    a1(r, i + 2)
                );
                match sheet.at(r, i + 2) {
                    None => assert_eq!(expected, 0, "{place}: a blank is a zero"),
                    Some(c) => {
                        assert_eq!(c["bold"], total, "{place}: totals are bold");
                        match &c["value"] {
                            Value::Number(v) => {
                                assert_eq!(v.as_f64(), expected.as_f64(), "{place}");
                                numbers.insert((r, i + 2));
                            }
                            Value::String(s) => {
                                assert_eq!(expected, s.as_str(), "{place}: a hidden cell prints as in the JSON");
                                assert_eq!(c["align"], "right", "{place}: hidden cells are right-aligned");
                                hidden += 1;
                            }
                            other => panic!("{place}: {other}"),
                        }
                    }
                }
            }
            r += 1;
        }
        for note in g.notes() {
            assert_eq!(sheet.value(r, 1), note.to_string().as_str(), "a note under {}", g.title());
            assert!(sheet.merged(r, 1, r, n + 1), "a note spans the table");
            r += 1;
        }
        r += 1;
    }
    let stray: Vec<_> = sheet
        .cells
        .iter()
        .filter(|(at, c)| c["value"].is_number() && !numbers.contains(at))
        .map(|((r, c), _)| a1(*r, *c))
        .collect();
    assert!(stray.is_empty(), "{}: numbers at no grid's place: {stray:?}", sheet.name);
    assert!(r > sheet.cells.keys().map(|k| k.0).max().unwrap_or(0), "{}: nothing under the last grid", sheet.name);
    numbers.len() + hidden
}

/// A scratch directory under the target directory, emptied.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lanterna-xlsx-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_kind_reads_back_with_each_count_where_the_json_has_it() {
    // The outreach tables this file's tally fills (the desk, emersion and issue 15 tables
    // have no cells in it: their own tests read them back).
    let filled = [Table::Street, Table::Labour, Table::Indoor, Table::Massage, Table::Services, Table::Items];
    let kinds: Vec<(Table, Vec<Grid>, Value)> = filled
        .into_iter()
        .map(|t| {
            let (g, j) = report(t, None);
            (t, g, j)
        })
        .collect();
    let (street, street_json) = report(Table::Street, Some(3));
    let mut tables: Vec<(&str, &[Grid])> =
        kinds.iter().map(|(t, g, _)| (xlsx::sheet_title(*t, Lang::It), g.as_slice())).collect();
    tables.push((xlsx::sheet_title(Table::Street, Lang::It), &street));
    let bytes = xlsx::pack(&tables).unwrap();
    let dir = scratch("pack");
    let file = dir.join("pack.xlsx");
    std::fs::write(&file, bytes).unwrap();

    let sheets = read_back(&file);
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Strada", "Lavoro", "Indoor", "Centri massaggi", "Servizi", "Materiali", "Strada (2)"]);
    for ((t, grids, json), sheet) in kinds.iter().zip(&sheets) {
        let checked = assert_laid_out(sheet, grids, json);
        assert!(checked > 10, "{t:?}: {checked} counts");
    }
    assert_laid_out(&sheets[6], &street, &street_json);
    let hidden = sheets[6].cells.values().filter(|c| c["value"] == "<3").count();
    assert!(hidden > 0, "the published street table hides small cells");
    let bold_totals =
        sheets[0].cells.iter().filter(|(at, c)| at.1 == 1 && c["value"] == "TOTALE" && c["bold"] == true).count();
    assert_eq!(bold_totals, 4, "three provinces and the synthesis");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sheet_names_are_valid_unique_and_deterministic() {
    let long = "CONTATTI IN STRADA — Provincia di Brescia (BS) 2024";
    let names = xlsx::sheet_names(&["a/b:c*d?[e]\\f", "", "'quoted'", long, long, "STRADA", "strada", "History"]);
    assert_eq!(names[0], "a_b_c_d__e__f");
    assert_eq!(names[1], "Foglio");
    assert_eq!(names[2], "quoted");
    assert!(names[3].chars().count() <= 31 && names[3].chars().count() > 25, "{}", names[3]);
    assert!(long.starts_with(&names[3]));
    assert!(names[4].ends_with(" (2)") && names[4].chars().count() <= 31, "{}", names[4]);
    assert_eq!(names[5..], ["STRADA", "strada (2)", "History (2)"]);
    assert_eq!(
        names,
        xlsx::sheet_names(&["a/b:c*d?[e]\\f", "", "'quoted'", long, long, "STRADA", "strada", "History"])
    );
    // Excel takes every one of them.
    let grids = report(Table::Massage, None).0;
    let sheets: Vec<Sheet<'_>> = names.iter().map(|n| Sheet { name: n, grids: &grids }).collect();
    assert!(xlsx::workbook(&sheets).is_ok());
    let raw = ["x"; 3].map(|n| Sheet { name: n, grids: &grids });
    assert!(xlsx::workbook(&raw).is_ok(), "duplicates are renamed, not refused");
}

/// Runs `cmd`, killing it after `limit`; panics when it fails or takes too long.
fn run(cmd: &mut Command, limit: Duration) {
    let mut child = cmd.spawn().unwrap_or_else(|e| panic!("{cmd:?}: {e} (tests/run.sh installs it)"));
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{cmd:?}: {status}");
            return;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{cmd:?} took more than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn the_street_report_prints_through_libreoffice() {
    let (grids, _) = report(Table::Street, Some(3));
    let bytes = xlsx::report_xlsx(&grids, "Strada: contatti [2024]").unwrap();
    let dir = scratch("print");
    let file = dir.join("street.xlsx");
    std::fs::write(&file, bytes).unwrap();
    let profile = dir.join("profile");
    run(
        Command::new("soffice")
            .arg(format!("-env:UserInstallation=file://{}", profile.display()))
            .args(["--headless", "--norestore", "--convert-to", "pdf", "--outdir"])
            .arg(&dir)
            .arg(&file),
        Duration::from_secs(300),
    );
    let pdf = dir.join("street.pdf");
    assert!(pdf.exists(), "LibreOffice printed no PDF");
    let text = Command::new("pdftotext").arg(&pdf).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&text.stdout);
    for words in ["CONTATTI IN STRADA", "USCITE DIURNE", "USCITE NOTTURNE", "NAZIONALITÀ", "TOTALE", "<3", "di cui"] {
        assert!(text.contains(words), "{words} is not on the printed page: {text}");
    }
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    run(
        Command::new("pdftoppm")
            .args(["-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile"])
            .arg(&pdf)
            .arg(shots.join("xlsx-street")),
        Duration::from_secs(60),
    );
    let png = std::fs::metadata(shots.join("xlsx-street.png")).expect("the page as PNG");
    assert!(png.len() > 10_000, "an empty page: {} bytes", png.len());
    let _ = std::fs::remove_dir_all(dir);
}

/// A published pack, every kind suppressed together, read back as a funder opens it: no
/// count of 1 or 2 anywhere, and no hidden cell that the pack's totals, syntheses and notes
/// give back.
#[test]
fn a_published_pack_shows_no_small_cell_and_gives_none_back() {
    let tally = tally();
    let mut tables = Vec::new();
    for t in Table::ALL {
        let grids = Rendered::build(t, &tally, &scope()).published(Lang::It, 2);
        assert!(lanterna::report::disclosures(&grids).is_empty(), "{t:?}: a hidden cell is given back");
        tables.push((xlsx::sheet_title(t, Lang::It), grids));
    }
    let dir = scratch("published");
    let file = dir.join("published.xlsx");
    std::fs::write(&file, xlsx::pack(&tables).unwrap()).unwrap();
    let mut hidden = 0;
    for sheet in read_back(&file) {
        for c in sheet.cells.values() {
            let v = &c["value"];
            assert!(!(v.as_u64().is_some_and(|n| n == 1 || n == 2)), "{}: a small count is shown: {c}", sheet.name);
            hidden += usize::from(v == "<3");
        }
    }
    assert!(hidden > 0, "the data has small cells, and k = 2 was raised to 3");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_servers_published_pack_is_what_its_json_says() {
    use lanterna::domain::tables::Selection;
    use lanterna::wire::Batch;
    use lanterna_server::report::{self, Query};
    use lanterna_server::store::{Backend, Sqlite};

    let dir = scratch("server");
    let backend = Sqlite::open(&dir.join("server.db")).unwrap();
    let unit = backend.add_unit("Unità").unwrap();
    let now = chrono::Utc::now();
    backend.add_enrollment(unit.id, "code", now + chrono::Duration::hours(1)).unwrap();
    let device = backend.redeem("code", "token", now).unwrap().unwrap();
    backend.store(&device, &Batch { summaries: summaries(), persons: vec![] }, now).unwrap();

    let selection = Selection::dates(date("2024-01-01"), date("2024-12-31"));
    let queries: Vec<Query> =
        Table::ALL.into_iter().map(|t| Query { published: Some(3), ..Query::new(t, selection) }).collect();
    let tables: Vec<(&str, Vec<Grid>)> =
        queries.iter().map(|q| (xlsx::sheet_title(q.kind, Lang::It), report::grids(&backend, q).unwrap())).collect();
    let file = dir.join("pack.xlsx");
    std::fs::write(&file, xlsx::pack(&tables).unwrap()).unwrap();
    let sheets = read_back(&file);
    let mut hidden = 0;
    for ((q, (_, grids)), sheet) in queries.iter().zip(&tables).zip(&sheets) {
        let json: Value = serde_json::from_str(&report::render(&backend, q, Format::Json).unwrap()).unwrap();
        assert_laid_out(sheet, grids, &json);
        hidden += sheet.cells.values().filter(|c| c["value"] == "<3").count();
    }
    assert!(hidden > 10, "published across units, small cells are hidden: {hidden}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn empty_input_still_makes_a_workbook() {
    for bytes in [
        xlsx::workbook(&[]).unwrap(),
        xlsx::report_xlsx(&[], "Vuoto").unwrap(),
        xlsx::report_xlsx(&[Grid::default()], "").unwrap(),
    ] {
        assert_eq!(&bytes[..2], b"PK", "a zip file");
    }
}
