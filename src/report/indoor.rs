//! The indoor tables as grids (ads mapped, calls, contacts made, persons met and messages ×
//! M/F/T, per province, then the synthesis with a Tot per group), the massage-centre tables
//! and their synthesis, and the indoor figures beyond the printed tables as text.

use super::grid::{Cell, Grid, Role};
use super::{MFT_TOT, mft, mft_keys, mft_total, mft_total_keys, period, province_grid, synthesis_grid, tr};
use crate::domain::indoor::{FUNNEL_KEYS, Funnel, IndoorReport, IndoorStats, IndoorTable, MassageReport, MassageTable};
use crate::domain::{Channel, Lang};

/// The column groups of the indoor tables, each `span` columns wide: the four printed ones,
/// then messages, apart.
fn funnel_groups(lang: Lang, span: usize) -> Vec<(String, usize)> {
    [
        tr(lang, "ANNUNCI MAPPATI", "ADS MAPPED"),
        tr(lang, "CHIAMATE TOTALI", "CALLS"),
        tr(lang, "CONTATTI SVOLTI", "CONTACTS MADE"),
        tr(lang, "PERSONE INCONTRATE", "PERSONS MET"),
        tr(lang, "MESSAGGI", "MESSAGES"),
    ]
    .into_iter()
    .map(|label| (label.to_owned(), span))
    .collect()
}

/// The funnel's cells, group by group, each made by `cells` from the group and its JSON
/// pointer (`at` is the funnel's pointer within its row, "" when flattened).
fn funnel_cells<C>(f: &Funnel<C>, at: &str, cells: impl Fn(&C, &str) -> Vec<Cell>) -> Vec<Cell> {
    f.groups().into_iter().zip(FUNNEL_KEYS).flat_map(|(c, key)| cells(c, &format!("{at}/{key}"))).collect()
}

/// The CSV names of the funnel's cells, each group's made by `keys`.
fn funnel_keys(keys: fn(&str) -> Vec<String>) -> Vec<String> {
    FUNNEL_KEYS.into_iter().flat_map(keys).collect()
}

/// The headings of the funnel's cells: `heads` repeated for each group.
fn funnel_heads(heads: &[&'static str]) -> Vec<&'static str> {
    FUNNEL_KEYS.iter().flat_map(|_| heads.iter().copied()).collect()
}

/// A province's indoor table; `at` is its place in the JSON.
pub(super) fn table(t: &IndoorTable, lang: Lang, at: Option<String>) -> Grid {
    let title = tr(lang, "SFRUTTAMENTO SESSUALE INDOOR", "INDOOR SEXUAL EXPLOITATION");
    let mut g = province_grid(lang, title, t.province, &t.province_name, (t.from, t.to), at);
    g.group(funnel_groups(lang, 3));
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), funnel_heads(&["M", "F", "T"]), funnel_keys(mft_keys));
    g.body(t.rows.iter().map(|r| {
        let cells = funnel_cells(&r.counts, "", |m, at| mft(m, Role::Count, at));
        (r.nationality.code(), r.label.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), funnel_cells(&t.total, "/total", |m, at| mft(m, Role::Total, at)));
    super::age::ads_notes(&mut g, lang, &t.age);
    g
}

/// The indoor synthesis: provinces as rows, M F T Tot for each group.
pub(super) fn synthesis(r: &IndoorReport, lang: Lang) -> Grid {
    let title = tr(lang, "INDOOR: SINTESI PER PROVINCIA", "INDOOR: SYNTHESIS");
    let mut g = synthesis_grid(lang, title, (r.from, r.to));
    g.group(funnel_groups(lang, MFT_TOT.len()));
    g.header(tr(lang, "PROVINCIA", "PROVINCE"), funnel_heads(&MFT_TOT), funnel_keys(mft_total_keys));
    g.body(r.synthesis.rows.iter().map(|row| {
        let cells = funnel_cells(&row.counts, "", |m, at| mft_total(m, false, at));
        (row.province.code(), row.province_name.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), funnel_cells(&r.synthesis.total, "/total", |m, at| mft_total(m, true, at)));
    g
}

/// The title of the massage-centre tables.
fn massage_title(lang: Lang) -> &'static str {
    tr(lang, "CENTRI MASSAGGI: PERSONE CONTATTATE", "MASSAGE CENTRES: PERSONS CONTACTED")
}

/// A province's massage-centre table; `at` is its place in the JSON.
pub(super) fn massage(t: &MassageTable, lang: Lang, at: Option<String>) -> Grid {
    let mut g = province_grid(lang, massage_title(lang), t.province, &t.province_name, (t.from, t.to), at);
    g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), ["M", "F", "T"], mft_keys("persons"));
    g.body(t.rows.iter().map(|r| {
        let cells = mft(&r.persons, Role::Count, "/persons");
        (r.nationality.code(), r.label.as_str(), cells)
    }));
    g.total(tr(lang, "TOTALE", "TOTAL"), mft(&t.total, Role::Total, "/total"));
    g
}

/// The massage-centre synthesis: provinces as rows, M F T Tot.
pub(super) fn massage_synthesis(r: &MassageReport, lang: Lang) -> Grid {
    let title = format!("{}: {}", massage_title(lang), tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS"));
    let mut g = synthesis_grid(lang, &title, (r.from, r.to));
    g.header(tr(lang, "PROVINCIA", "PROVINCE"), MFT_TOT, mft_total_keys("persons"));
    g.body(
        r.synthesis
            .rows
            .iter()
            .map(|row| (row.province.code(), row.province_name.as_str(), mft_total(&row.persons, false, "/persons"))),
    );
    g.total(tr(lang, "TOTALE", "TOTAL"), mft_total(&r.synthesis.total, true, "/total"));
    g
}

/// The indoor figures beyond the printed tables, as text.
pub fn indoor_stats_text(s: &IndoorStats, lang: Lang) -> String {
    let mut out =
        format!("{} — {}\n\n", tr(lang, "INDOOR: ALTRI DATI", "INDOOR: FURTHER FIGURES"), period(lang, s.from, s.to));
    let mut line = |label: &str, value: String| out.push_str(&format!("{label:<52}{value:>10}\n"));
    line(tr(lang, "Annunci mappati", "Ads mapped"), s.ads.to_string());
    line(tr(lang, "Chiamate", "Calls"), s.calls.to_string());
    for (channel, n) in &s.messages_by_channel {
        let label = Channel::parse(channel).map_or(channel.as_str(), |c| c.label(lang));
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

#[cfg(test)]
mod tests {
    use crate::domain::indoor::AdData;
    use crate::domain::tables::ReportScope;
    use crate::domain::{Channel, Gender, Lang, Nationality, Outcome, Period, Province, Tally, parse_date};
    use crate::report::{Format, Rendered, Table};

    /// Brescia: 3 ads F and 4 T, a call reaching F, 5 calls T (none reached), a message F;
    /// Milano: one ad F. Massage centres: 4 persons F in Brescia.
    fn tally() -> Tally {
        let (bs, mi) = (Province::parse("BS").unwrap(), Province::parse("MI").unwrap());
        let ro = Nationality::parse("RO").unwrap();
        let mut t = Tally::new();
        let ad = |province, gender| AdData {
            site: "moscarossa".into(),
            province,
            comune: None,
            nationality: ro,
            gender,
            declared_age: None,
            risky: false,
        };
        (0..3).for_each(|_| t.add_ad(&ad(bs, Gender::F)));
        (0..4).for_each(|_| t.add_ad(&ad(bs, Gender::T)));
        t.add_ad(&ad(mi, Gender::F));
        t.add_attempt(bs, Gender::F, ro, Channel::Call, Outcome::Reached);
        (0..5).for_each(|_| t.add_attempt(bs, Gender::T, ro, Channel::Call, Outcome::NoAnswer));
        t.add_attempt(bs, Gender::F, ro, Channel::Sms, Outcome::Reached);
        (0..4).for_each(|_| t.add_indoor(bs, Gender::F, ro, crate::domain::Measure::MassageContacts));
        t
    }

    fn scope() -> ReportScope {
        ReportScope::period(Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap())
    }

    #[test]
    fn the_indoor_synthesis_has_a_tot_per_group_and_messages_apart() {
        let r = Rendered::build(Table::Indoor, &tally(), &scope());
        let text = r.render(Format::Text, false, Lang::It);
        let synthesis = &text[text.find("INDOOR: SINTESI").unwrap()..];
        assert!(synthesis.contains("MESSAGGI"), "{synthesis}");
        let head = synthesis.lines().find(|l| l.starts_with("PROVINCIA")).unwrap();
        assert_eq!(head.split_whitespace().filter(|h| *h == "Tot").count(), 5, "{head}");
        let brescia: Vec<_> =
            synthesis.lines().find(|l| l.starts_with("Brescia")).unwrap().split_whitespace().collect();
        // ads 3 4 | 7, calls 1 5 | 6, contacts 1 | 1, met -, messages 1 | 1 (zeros blank).
        assert_eq!(brescia, ["Brescia", "3", "4", "7", "1", "5", "6", "1", "1", "1", "1"], "{synthesis}");
        let json: serde_json::Value = serde_json::from_str(&r.render(Format::Json, false, Lang::It)).unwrap();
        assert_eq!(json["synthesis"]["total"]["ads"], serde_json::json!({"M": 0, "F": 4, "T": 4, "total": 8}));
        assert_eq!(json["tables"][0]["total"]["messages"]["F"], 1);
        assert_eq!(json["tables"][0]["total"]["contacts"]["F"], 1, "the message is no contact");
        let g = r.grids(false, Lang::It, None);
        let keys: Vec<_> = g.last().unwrap().columns().iter().map(|c| c.key.as_str()).take(4).collect();
        assert_eq!(keys, ["ads_M", "ads_F", "ads_T", "ads_total"]);
    }

    #[test]
    fn a_hidden_cell_of_the_synthesis_is_covered_within_its_group() {
        let r = Rendered::build(Table::Indoor, &tally(), &scope());
        let g = r.grids(false, Lang::It, Some(3));
        let synthesis = g.last().unwrap();
        for row in synthesis.rows() {
            for group in row.cells().chunks(4) {
                let hidden = group.iter().filter(|c| c.is_hidden()).count();
                assert_ne!(hidden, 1, "{}: a lone hidden cell beside its Tot gives itself back", row.label());
            }
        }
        // The JSON hides the same cells, Tot included.
        let json: serde_json::Value =
            serde_json::from_str(&r.render_suppressed(Format::Json, false, Lang::It, Some(3))).unwrap();
        let mi = json["synthesis"]["rows"].as_array().unwrap().iter().find(|r| r["province"] == "MI").unwrap();
        assert_eq!(mi["ads"]["F"], "<3");
        assert_eq!(mi["ads"]["total"], "<3");
    }

    #[test]
    fn massage_centres_have_a_synthesis_of_provinces() {
        let r = Rendered::build(Table::Massage, &tally(), &scope());
        let text = r.render(Format::Text, false, Lang::It);
        assert!(text.contains("CENTRI MASSAGGI: PERSONE CONTATTATE: SINTESI PER PROVINCIA"), "{text}");
        let synthesis = &text[text.find("SINTESI").unwrap()..];
        let brescia: Vec<_> =
            synthesis.lines().find(|l| l.starts_with("Brescia")).unwrap().split_whitespace().collect();
        assert_eq!(brescia, ["Brescia", "4", "4"]);
        let json: serde_json::Value = serde_json::from_str(&r.render(Format::Json, false, Lang::It)).unwrap();
        assert_eq!(json["synthesis"]["rows"][0]["persons"]["total"], 4);
        assert_eq!(json["synthesis"]["total"]["F"], 4);
        let one: serde_json::Value = serde_json::from_str(&r.render(Format::Json, true, Lang::It)).unwrap();
        assert_eq!(one["province"], "BS", "one province: its table alone");
        let csv = r.render(Format::Csv, false, Lang::It);
        assert_eq!(csv.lines().next(), Some("province,code,label,persons_M,persons_F,persons_T"));
    }
}
