//! Renderers of the report tables: text laid out like the printed tables, CSV for
//! spreadsheets and JSON for programs. Pure functions over the domain's tables, so the
//! sync server renders exactly what the app renders.

mod grid;

use serde::Serialize;

use crate::domain::indoor::{
    Funnel, IndoorReport, IndoorTable, MassageReport, MassageTable, indoor_report, massage_report,
};
use crate::domain::tables::{
    ItemsReport, ItemsTable, LabourReport, LabourTable, Mft, ReportScope, ServiceCounts, ServicesReport, ServicesTable,
    StreetReport, StreetTable, items_report, labour_report, services_report, street_report,
};
use crate::domain::{Activity, Gender, Lang, ServiceKind, Tally};
use grid::{Cell, Grid as G};
pub use grid::{Grid, Note};

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Laid out like the printed tables.
    #[default]
    Text,
    /// One CSV table, a `province` column first.
    Csv,
    /// The JSON documented in the README.
    Json,
}

impl Format {
    /// Parses `text`, `csv` or `json`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "text" => Some(Format::Text),
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// A report ready to render: with `single` set (a `--province` was given) the JSON is
/// that province's table alone, otherwise every table and the synthesis.
#[derive(Debug, Clone)]
pub enum Rendered {
    /// Street contacts.
    Street(StreetReport),
    /// Labour outreach contacts.
    Labour(LabourReport),
    /// Referrals, accompaniments, talks.
    Services(ServicesReport),
    /// Items handed out.
    Items(ItemsReport),
    /// Indoor: ads, calls, contacts, persons met.
    Indoor(IndoorReport),
    /// Massage centres: persons contacted.
    Massage(MassageReport),
}

/// Fields of a table row that name it rather than count.
const ROW_NAMES: [&str; 6] = ["nationality", "label", "province", "province_name", "item", "language"];

/// Hides small counts in every table of a report's JSON (any object's `rows` or
/// `leaflets` array): each row's numeric fields, nested ones included, are a row of the
/// matrix; hidden ones become the string "<k". Totals stay, unless a hidden cell had no
/// partner in its column: then the table's totals (`total`, `grand_total`, `shift_totals`)
/// are withheld as "<k" too.
pub fn suppress_json(v: &mut serde_json::Value, k: u64) {
    use serde_json::Value;
    fn leaves<'a>(v: &'a mut Value, out: &mut Vec<&'a mut Value>) {
        match v {
            Value::Number(_) => out.push(v),
            Value::Object(m) => {
                m.iter_mut().filter(|(k, _)| !ROW_NAMES.contains(&k.as_str())).for_each(|(_, x)| leaves(x, out))
            }
            _ => {}
        }
    }
    match v {
        Value::Object(m) => {
            let mut exposed = false;
            for (key, x) in m.iter_mut() {
                if (key == "rows" || key == "leaflets")
                    && let Value::Array(rows) = x
                {
                    let mut cells: Vec<Vec<&mut Value>> = rows
                        .iter_mut()
                        .map(|r| {
                            let mut out = Vec::new();
                            leaves(r, &mut out);
                            out
                        })
                        .collect();
                    let m: Vec<Vec<u64>> =
                        cells.iter().map(|r| r.iter().map(|c| c.as_u64().unwrap_or(0)).collect()).collect();
                    let hide = crate::domain::suppress::suppress(&m, k);
                    exposed |= crate::domain::suppress::exposes_a_total(&hide);
                    for (row, h) in cells.iter_mut().zip(hide) {
                        for (c, h) in row.iter_mut().zip(h) {
                            if h {
                                **c = Value::String(format!("<{k}"));
                            }
                        }
                    }
                } else {
                    suppress_json(x, k);
                }
            }
            // "Di cui" counts stand on their own: hidden when small.
            if let Some(o) = m.get_mut("of_which") {
                let mut out = Vec::new();
                leaves(o, &mut out);
                for c in out {
                    if c.as_u64().is_some_and(|n| n > 0 && n < k) {
                        *c = Value::String(format!("<{k}"));
                    }
                }
            }
            if exposed {
                for key in ["total", "grand_total", "shift_totals"] {
                    if let Some(t) = m.get_mut(key) {
                        let mut out = Vec::new();
                        leaves(t, &mut out);
                        for c in out {
                            *c = Value::String(format!("<{k}"));
                        }
                    }
                }
            }
        }
        Value::Array(xs) => xs.iter_mut().for_each(|x| suppress_json(x, k)),
        _ => {}
    }
}

/// The report tables, as both `lanterna report` and `lanterna-server report` name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Table {
    /// Street contacts.
    Street,
    /// Labour outreach contacts.
    Labour,
    /// Indoor: ads, calls, contacts, persons met.
    Indoor,
    /// Massage centres.
    Massage,
    /// Referrals, accompaniments, talks.
    Services,
    /// Items handed out.
    Items,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 6] =
        [Table::Street, Table::Labour, Table::Indoor, Table::Massage, Table::Services, Table::Items];

    /// Its name on the command line and in URLs.
    pub fn code(self) -> &'static str {
        match self {
            Table::Street => "street",
            Table::Labour => "labour",
            Table::Indoor => "indoor",
            Table::Massage => "massage",
            Table::Services => "services",
            Table::Items => "items",
        }
    }

    /// Parses a name.
    pub fn parse(s: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.code() == s)
    }

    /// The activity the table is about; services and items cover every activity.
    pub fn activity(self) -> Option<Activity> {
        match self {
            Table::Street => Some(Activity::Street),
            Table::Labour => Some(Activity::Labour),
            Table::Indoor | Table::Massage => Some(Activity::Indoor),
            Table::Services | Table::Items => None,
        }
    }
}

impl Rendered {
    /// Builds a table from a tally.
    pub fn build(table: Table, tally: &Tally, scope: &ReportScope) -> Rendered {
        match table {
            Table::Street => Rendered::Street(street_report(tally, scope)),
            Table::Labour => Rendered::Labour(labour_report(tally, scope)),
            Table::Indoor => Rendered::Indoor(indoor_report(tally, scope)),
            Table::Massage => Rendered::Massage(massage_report(tally, scope)),
            Table::Services => Rendered::Services(services_report(tally, scope)),
            Table::Items => Rendered::Items(items_report(tally, scope)),
        }
    }
}

fn json<T: Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("report tables serialise");
    s.push('\n');
    s
}

impl Rendered {
    /// Renders in `format`; `single` when the report was asked for one province.
    pub fn render(&self, format: Format, single: bool, lang: Lang) -> String {
        self.render_suppressed(format, single, lang, None)
    }

    /// Renders with small cells hidden (`k`: threshold) when the table is published
    /// across units: cells of 1..k-1 and their complements read "<k".
    pub fn render_suppressed(&self, format: Format, single: bool, lang: Lang, k: Option<u64>) -> String {
        let grids = |single| {
            let mut g = self.grids(single, lang);
            if let Some(k) = k {
                g.iter_mut().for_each(|g| g.suppress(k));
            }
            g
        };
        match format {
            Format::Json => match k {
                None => self.json(single),
                Some(k) => {
                    let mut v: serde_json::Value = serde_json::from_str(&self.json(single)).expect("our own JSON");
                    suppress_json(&mut v, k);
                    json(&v)
                }
            },
            Format::Text => grids(single).iter().map(|g| g.to_text()).collect::<Vec<_>>().join("\n"),
            Format::Csv => Grid::to_csv(&grids(true)),
        }
    }

    fn json(&self, single: bool) -> String {
        match (self, single) {
            (Rendered::Street(r), true) => json(&r.tables[0]),
            (Rendered::Street(r), false) => json(r),
            (Rendered::Labour(r), true) => json(&r.tables[0]),
            (Rendered::Labour(r), false) => json(r),
            (Rendered::Services(r), true) => json(&r.tables[0]),
            (Rendered::Services(r), false) => json(r),
            (Rendered::Items(r), true) => json(&r.tables[0]),
            (Rendered::Items(r), false) => json(r),
            (Rendered::Indoor(r), true) => json(&r.tables[0]),
            (Rendered::Indoor(r), false) => json(r),
            (Rendered::Massage(r), true) => r.tables.first().map_or_else(|| json(r), json),
            (Rendered::Massage(r), false) => json(r),
        }
    }

    /// The tables as grids: one per province, then (unless `single`) the synthesis.
    fn grids(&self, single: bool, lang: Lang) -> Vec<G> {
        let mut out: Vec<G> = Vec::new();
        match self {
            Rendered::Street(r) => {
                out.extend(r.tables.iter().map(|t| street_grid(t, lang)));
                if !single {
                    out.push(street_synthesis_grid(r, lang));
                }
            }
            Rendered::Labour(r) => {
                out.extend(r.tables.iter().map(|t| labour_grid(t, lang)));
                if !single {
                    out.push(labour_synthesis_grid(r, lang));
                }
            }
            Rendered::Services(r) => {
                out.extend(r.tables.iter().map(|t| services_grid(t, lang)));
                if !single {
                    out.push(services_synthesis_grid(r, lang));
                }
            }
            Rendered::Items(r) => {
                out.extend(r.tables.iter().map(|t| items_grid(t, lang)));
                if !single {
                    out.push(items_grid(&r.total, lang));
                }
            }
            Rendered::Indoor(r) => {
                out.extend(r.tables.iter().map(|t| indoor_grid(t, lang)));
                if !single {
                    out.push(indoor_synthesis_grid(r, lang));
                }
            }
            Rendered::Massage(r) => out.extend(r.tables.iter().map(|t| massage_grid(t, lang))),
        }
        out
    }
}

/// The indoor figures beyond the printed tables, as text.
pub fn indoor_stats_text(s: &crate::domain::indoor::IndoorStats, lang: Lang) -> String {
    let mut out =
        format!("{} — {}\n\n", tr(lang, "INDOOR: ALTRI DATI", "INDOOR: FURTHER FIGURES"), period(lang, s.from, s.to));
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<52}{value:>10}\n"));
    line(tr(lang, "Annunci mappati", "Ads mapped"), s.ads.to_string());
    line(tr(lang, "Chiamate", "Calls"), s.calls.to_string());
    for (channel, n) in &s.messages_by_channel {
        let label = crate::domain::Channel::parse(channel).map_or(channel.as_str(), |c| c.label(lang));
        line(&format!("{} {label}", tr(lang, "Messaggi:", "Messages:")), n.to_string());
    }
    line(tr(lang, "Annunci con almeno un contatto", "Ads reached at least once"), s.ads_reached.to_string());
    line(
        tr(lang, "Quota di annunci raggiunti", "Share of ads reached"),
        format!("{:.1}%", 100.0 * s.share_of_ads_reached),
    );
    line(tr(lang, "Numeri distinti", "Distinct numbers"), s.numbers.to_string());
    line(tr(lang, "Numeri in più annunci", "Numbers in several ads"), s.numbers_in_several_ads.to_string());
    line(
        tr(lang, "Numeri in 3 o più annunci (probabili centralinisti)", "Numbers in 3+ ads (likely controllers)"),
        s.likely_controllers.to_string(),
    );
    line(
        tr(lang, "Numeri rivisti entro 14 giorni", "Numbers seen again within 14 days"),
        s.numbers_seen_again_within_14_days.to_string(),
    );
    out
}

fn tr(lang: Lang, it: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::It => it,
        Lang::En => en,
    }
}

fn period(lang: Lang, from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    match lang {
        Lang::It => format!("dal {} al {}", from.format("%d/%m/%Y"), to.format("%d/%m/%Y")),
        Lang::En => format!("from {from} to {to}"),
    }
}

fn province_title(lang: Lang, name: &str, code: &str) -> String {
    format!("{} {name} ({code})", tr(lang, "Provincia di", "Province of"))
}

fn mft_cells(m: &Mft) -> Vec<Cell> {
    Gender::ALL.iter().map(|&g| Cell::Count(m.get(g))).collect()
}

fn mft_keys(prefix: &str) -> Vec<String> {
    Gender::ALL.iter().map(|g| format!("{prefix}_{}", g.code())).collect()
}

fn of_which_note(g: &mut G, lang: Lang, o: &crate::domain::tables::OfWhich) {
    let items = [
        (tr(lang, "minori", "minors"), o.minors),
        (tr(lang, "primi contatti", "first contacts"), o.first_contacts),
        (tr(lang, "già conosciuti", "already known"), o.known_contacts),
        (
            tr(lang, "richiedenti o titolari di protezione internazionale", "asylum seekers or protection holders"),
            o.protection,
        ),
    ];
    g.note(tr(lang, "di cui", "of which"), false, items.map(|(l, n)| (l.to_owned(), n)));
}

fn street_grid(t: &StreetTable, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {} — {}",
            tr(lang, "CONTATTI IN STRADA", "STREET CONTACTS"),
            province_title(lang, &t.province_name, t.province.code()),
            period(lang, t.from, t.to)
        ),
        t.province.code(),
    );
    g.groups = vec![
        (tr(lang, "USCITE DIURNE", "DAY OUTINGS").into(), 3),
        (tr(lang, "USCITE NOTTURNE", "NIGHT OUTINGS").into(), 3),
    ];
    g.header(
        tr(lang, "NAZIONALITÀ", "NATIONALITY"),
        ["M", "F", "T", "M", "F", "T"],
        [mft_keys("day"), mft_keys("night")].concat(),
    );
    for r in &t.rows {
        g.row(r.nationality.code(), &r.label, [mft_cells(&r.day), mft_cells(&r.night)].concat());
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), [mft_cells(&t.total.day), mft_cells(&t.total.night)].concat());
    let shifts = [
        (tr(lang, "diurne", "day"), t.shift_totals.day),
        (tr(lang, "notturne", "night"), t.shift_totals.night),
        (tr(lang, "totale generale", "grand total"), t.grand_total),
    ];
    g.note(tr(lang, "Totale per turno", "Total per shift"), true, shifts.map(|(l, n)| (l.to_owned(), n)));
    of_which_note(&mut g, lang, &t.of_which);
    g
}

fn street_synthesis_grid(r: &StreetReport, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {}",
            tr(lang, "CONTATTI IN STRADA: SINTESI PER PROVINCIA", "STREET CONTACTS: SYNTHESIS"),
            period(lang, r.from, r.to)
        ),
        "",
    );
    let head = [tr(lang, "DIURNE", "DAY"), tr(lang, "NOTTURNE", "NIGHT"), tr(lang, "TOTALE", "TOTAL")];
    g.header(tr(lang, "PROVINCIA", "PROVINCE"), head, ["day", "night", "total"].map(String::from).to_vec());
    for row in &r.synthesis.rows {
        g.row(
            row.province.code(),
            &row.province_name,
            vec![Cell::Count(row.day), Cell::Count(row.night), Cell::Count(row.total)],
        );
    }
    let t = &r.synthesis;
    g.total(
        tr(lang, "TOTALE", "TOTAL"),
        vec![Cell::Count(t.total.day), Cell::Count(t.total.night), Cell::Count(t.grand_total)],
    );
    of_which_note(&mut g, lang, &t.of_which);
    g
}

/// The four column groups of the indoor table.
fn funnel_groups(lang: Lang) -> Vec<(String, usize)> {
    vec![
        (tr(lang, "ANNUNCI MAPPATI", "ADS MAPPED").into(), 3),
        (tr(lang, "CHIAMATE TOTALI", "CALLS").into(), 3),
        (tr(lang, "CONTATTI SVOLTI", "CONTACTS MADE").into(), 3),
        (tr(lang, "PERSONE INCONTRATE", "PERSONS MET").into(), 3),
    ]
}

fn funnel_cells(f: &Funnel) -> Vec<Cell> {
    [mft_cells(&f.ads), mft_cells(&f.calls), mft_cells(&f.contacts), mft_cells(&f.met)].concat()
}

fn funnel_keys() -> Vec<String> {
    [mft_keys("ads"), mft_keys("calls"), mft_keys("contacts"), mft_keys("met")].concat()
}

const MFT4: [&str; 12] = ["M", "F", "T", "M", "F", "T", "M", "F", "T", "M", "F", "T"];

fn indoor_grid(t: &IndoorTable, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {} — {}",
            tr(lang, "SFRUTTAMENTO SESSUALE INDOOR", "INDOOR SEXUAL EXPLOITATION"),
            province_title(lang, &t.province_name, t.province.code()),
            period(lang, t.from, t.to)
        ),
        t.province.code(),
    );
    g.groups = funnel_groups(lang);
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), MFT4, funnel_keys());
    for r in &t.rows {
        g.row(r.nationality.code(), &r.label, funnel_cells(&r.counts));
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), funnel_cells(&t.total));
    g
}

fn indoor_synthesis_grid(r: &IndoorReport, lang: Lang) -> G {
    let mut g = G::new(
        format!("{} — {}", tr(lang, "INDOOR: SINTESI PER PROVINCIA", "INDOOR: SYNTHESIS"), period(lang, r.from, r.to)),
        "",
    );
    g.groups = funnel_groups(lang);
    g.header(tr(lang, "PROVINCIA", "PROVINCE"), MFT4, funnel_keys());
    for row in &r.synthesis.rows {
        g.row(row.province.code(), &row.province_name, funnel_cells(&row.counts));
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), funnel_cells(&r.synthesis.total));
    g
}

fn massage_grid(t: &MassageTable, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {} — {}",
            tr(lang, "CENTRI MASSAGGI: PERSONE CONTATTATE", "MASSAGE CENTRES: PERSONS CONTACTED"),
            province_title(lang, &t.province_name, t.province.code()),
            period(lang, t.from, t.to)
        ),
        t.province.code(),
    );
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), ["M", "F", "T"], mft_keys("persons"));
    for r in &t.rows {
        g.row(r.nationality.code(), &r.label, mft_cells(&r.persons));
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), mft_cells(&t.total));
    g
}

fn labour_grid(t: &LabourTable, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {} — {}",
            tr(lang, "CONTATTI SFRUTTAMENTO LAVORATIVO E ACCATTONAGGIO", "LABOUR EXPLOITATION AND BEGGING CONTACTS"),
            province_title(lang, &t.province_name, t.province.code()),
            period(lang, t.from, t.to)
        ),
        t.province.code(),
    );
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), ["M", "F", "T"], mft_keys("contacts"));
    for r in &t.rows {
        g.row(r.nationality.code(), &r.label, mft_cells(&r.contacts));
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), mft_cells(&t.total.contacts));
    g.note(tr(lang, "Totale generale", "Grand total"), true, [(String::new(), t.grand_total)]);
    of_which_note(&mut g, lang, &t.of_which);
    g
}

fn labour_synthesis_grid(r: &LabourReport, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {}",
            tr(lang, "SFRUTTAMENTO LAVORATIVO: SINTESI PER PROVINCIA", "LABOUR OUTREACH: SYNTHESIS"),
            period(lang, r.from, r.to)
        ),
        "",
    );
    g.header(
        tr(lang, "PROVINCIA", "PROVINCE"),
        ["M", "F", "T", tr(lang, "TOTALE", "TOTAL")],
        [mft_keys("contacts"), vec!["total".into()]].concat(),
    );
    for row in &r.synthesis.rows {
        g.row(
            row.province.code(),
            &row.province_name,
            [mft_cells(&row.contacts), vec![Cell::Count(row.total)]].concat(),
        );
    }
    let t = &r.synthesis;
    g.total(tr(lang, "TOTALE", "TOTAL"), [mft_cells(&t.total.contacts), vec![Cell::Count(t.grand_total)]].concat());
    of_which_note(&mut g, lang, &t.of_which);
    g
}

fn services_columns(g: &mut G, lang: Lang, first: &'static str) {
    let mut groups = vec![(String::new(), 1)];
    let mut heads: Vec<&str> = vec![tr(lang, "PERSONE", "PERSONS")];
    let mut keys: Vec<String> = vec!["persons".into()];
    for (what, it, en) in [("referral", "INVIO", "REFERRAL"), ("accompaniment", "ACCOMP.", "ACCOMP.")] {
        for s in ServiceKind::ALL {
            groups.push((format!("{} {}", tr(lang, it, en), service_short(*s, lang)), 3));
            heads.extend(["M", "F", "T"]);
            keys.extend(mft_keys(&format!("{what}_{}", s.code())));
        }
    }
    groups.push((tr(lang, "ASCOLTO", "LISTENING").into(), 3));
    heads.extend(["M", "F", "T"]);
    keys.extend(mft_keys("listening"));
    groups.push((tr(lang, "INFORMAZIONI", "INFORMATION").into(), 3));
    heads.extend(["M", "F", "T"]);
    keys.extend(mft_keys("information"));
    g.groups = groups;
    g.header(first, heads, keys);
}

fn service_short(s: ServiceKind, lang: Lang) -> &'static str {
    match s {
        ServiceKind::Legal => tr(lang, "LEGALE", "LEGAL"),
        ServiceKind::Health => tr(lang, "SANITARIO", "HEALTH"),
        ServiceKind::Work => tr(lang, "LAVORO", "WORK"),
        ServiceKind::Other => tr(lang, "ALTRO", "OTHER"),
    }
}

fn service_cells(c: &ServiceCounts) -> Vec<Cell> {
    let mut v = vec![Cell::Count(c.persons)];
    for map in [&c.referrals, &c.accompaniments] {
        for s in ServiceKind::ALL {
            v.extend(mft_cells(&map.get(s).copied().unwrap_or_default()));
        }
    }
    v.extend(mft_cells(&c.listening));
    v.extend(mft_cells(&c.information));
    v
}

fn activity_note(lang: Lang, a: Option<crate::domain::Activity>) -> String {
    match a {
        Some(a) => a.label(lang).to_owned(),
        None => tr(lang, "tutte le attività", "all activities").to_owned(),
    }
}

fn services_grid(t: &ServicesTable, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {} — {}",
            tr(lang, "INVII, ACCOMPAGNAMENTI E COLLOQUI DI ASCOLTO", "REFERRALS, ACCOMPANIMENTS AND LISTENING TALKS"),
            province_title(lang, &t.province_name, t.province.code()),
            period(lang, t.from, t.to)
        ),
        t.province.code(),
    );
    services_columns(&mut g, lang, tr(lang, "NAZIONALITÀ", "NATIONALITY"));
    for r in &t.rows {
        g.row(r.nationality.code(), &r.label, service_cells(&r.counts));
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), service_cells(&t.total));
    g
}

fn services_synthesis_grid(r: &ServicesReport, lang: Lang) -> G {
    let mut g = G::new(
        format!(
            "{} — {} — {}",
            tr(lang, "INVII E ACCOMPAGNAMENTI: SINTESI PER PROVINCIA", "REFERRALS AND ACCOMPANIMENTS: SYNTHESIS"),
            activity_note(lang, r.activity),
            period(lang, r.from, r.to)
        ),
        "",
    );
    services_columns(&mut g, lang, tr(lang, "PROVINCIA", "PROVINCE"));
    for row in &r.synthesis.rows {
        g.row(row.province.code(), &row.province_name, service_cells(&row.counts));
    }
    g.total(tr(lang, "TOTALE", "TOTAL"), service_cells(&r.synthesis.total));
    g
}

fn items_grid(t: &ItemsTable, lang: Lang) -> G {
    let place = match (&t.province, &t.province_name) {
        (Some(p), Some(name)) => province_title(lang, name, p.code()),
        _ => tr(lang, "Tutte le province", "All provinces").to_owned(),
    };
    let mut g = G::new(
        format!("{} — {place} — {}", tr(lang, "MATERIALE DISTRIBUITO", "ITEMS HANDED OUT"), period(lang, t.from, t.to)),
        t.province.map_or("", |p| p.code()),
    );
    let head = [tr(lang, "DIURNE", "DAY"), tr(lang, "NOTTURNE", "NIGHT"), tr(lang, "TOTALE", "TOTAL")];
    g.header(tr(lang, "MATERIALE", "ITEM"), head, ["day", "night", "total"].map(String::from).to_vec());
    for r in &t.rows {
        g.row(r.item.code(), &r.label, vec![Cell::Count(r.day), Cell::Count(r.night), Cell::Count(r.total)]);
    }
    for r in &t.leaflets {
        g.row(
            &format!("leaflets.{}", r.language.code()),
            &format!("  {} {}", tr(lang, "di cui in", "of which in"), r.label),
            vec![Cell::Count(r.day), Cell::Count(r.night), Cell::Count(r.total)],
        );
    }
    g
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tables::{ReportScope, street_report};
    use crate::domain::{
        Activity, ContactData, ContactRecord, Nationality, Period, Place, Province, Shift, Tally, parse_date,
    };

    fn sample() -> Rendered {
        let rec = |shift, nat: &str, g| ContactRecord {
            activity: Activity::Street,
            date: parse_date("2023-03-01").unwrap(),
            shift,
            place: Place::province(Province::parse("BS").unwrap()),
            data: ContactData::new(g, Nationality::parse(nat).unwrap()),
        };
        let recs =
            [rec(Shift::Night, "RO", Gender::F), rec(Shift::Day, "BR", Gender::T), rec(Shift::Night, "ZZ", Gender::F)];
        let scope = ReportScope::period(
            Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap(),
        );
        Rendered::Street(street_report(&Tally::of_records(&recs), &scope))
    }

    #[test]
    fn text_looks_like_the_printed_table() {
        let text = sample().render(Format::Text, false, Lang::It);
        assert!(text.contains("USCITE DIURNE"), "{text}");
        assert!(text.contains("Provincia di Brescia (BS)"));
        assert!(text.contains("dal 01/01/2023 al 31/12/2023"));
        let romania = text.lines().find(|l| l.starts_with("Romania")).unwrap();
        assert_eq!(romania.split_whitespace().collect::<Vec<_>>(), ["Romania", "1"]);
        assert!(text.lines().any(|l| l.starts_with("Non rilevato")));
        assert!(text.contains("SINTESI PER PROVINCIA"));
    }

    #[test]
    fn csv_has_keys_and_a_province_column() {
        let csv = sample().render(Format::Csv, false, Lang::It);
        let mut lines = csv.lines();
        assert_eq!(lines.next().unwrap(), "province,code,label,day_M,day_F,day_T,night_M,night_F,night_T");
        assert!(csv.contains("BS,RO,Romania,0,0,0,0,1,0"), "{csv}");
        assert!(csv.contains("BS,,TOTALE,0,0,1,0,2,0"), "{csv}");
    }

    #[test]
    fn small_cells_are_hidden_and_totals_withheld_only_when_they_would_tell() {
        use serde_json::json;
        let row = |n: &str, f: u64, t: u64| json!({"nationality": n, "label": n, "day": {"M": 0, "F": f, "T": t}});
        // Partners exist: the small cell and its complements go, the totals stay.
        let mut v = json!({"rows": [row("RO", 1, 4), row("NG", 5, 6)], "total": {"day": {"M": 0, "F": 6, "T": 10}}, "grand_total": 16});
        suppress_json(&mut v, 3);
        assert_eq!(v["rows"][0]["day"]["F"], "<3");
        assert_eq!(v["rows"][0]["day"]["T"], "<3", "row complement");
        assert_eq!(v["rows"][1]["day"]["F"], "<3", "column complement");
        assert_eq!(v["total"]["day"]["F"], 6);
        assert_eq!(v["grand_total"], 16);
        // No partner in its column: the totals would tell, so they are withheld.
        let mut v = json!({"rows": [row("RO", 1, 0), row("NG", 0, 5)], "total": {"day": {"M": 0, "F": 1, "T": 5}}, "grand_total": 6});
        suppress_json(&mut v, 3);
        assert_eq!(v["rows"][0]["day"]["F"], "<3");
        assert_eq!(v["total"]["day"]["F"], "<3");
        assert_eq!(v["grand_total"], "<3");
        assert_eq!(v["rows"][1]["day"]["T"], 5, "large cells stay");
    }

    #[test]
    fn json_of_one_province_is_the_table() {
        let v: serde_json::Value = serde_json::from_str(&sample().render(Format::Json, true, Lang::It)).unwrap();
        assert_eq!(v["province"], "BS");
        assert_eq!(v["rows"][1]["nationality"], "RO");
        assert_eq!(v["rows"][1]["night"]["F"], 1);
        assert_eq!(v["total"]["day"]["T"], 1);
        let all: serde_json::Value = serde_json::from_str(&sample().render(Format::Json, false, Lang::It)).unwrap();
        assert_eq!(all["synthesis"]["grand_total"], 3);
    }
}
