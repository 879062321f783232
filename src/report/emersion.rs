//! The emersion tables as grids: identification interviews (per unit, Referral,
//! breakdowns), outcomes of contacts and helpline reports; one grid per province, then the
//! synthesis.

use super::grid::{Cell, Grid, Role, RowKind};
use super::{MFT_TOT, mft_total, mft_total_keys, province_grid, synthesis_grid, table_at, tr};
use crate::domain::Lang;

/// The empty grid of province table `t` (the `i`th of its report), titled `title`.
macro_rules! head_grid {
    ($t:expr, $title:expr, $i:expr, $single:expr, $lang:expr) => {
        province_grid($lang, $title, $t.province, &$t.province_name, ($t.from, $t.to), table_at($single, $i))
    };
}
use crate::domain::emersion::{ContactOutcome, HelpKind, HelplineOutcome, HelplineSource, InterviewKind, Typology};
use crate::domain::tables::{
    BreakCounts, BreakdownReport, Breakdowns, HelplineCounts, HelplineReport, IdTable, IdentificationReport,
    OutcomeCounts, OutcomesReport, ReferralCounts, ReferralReport,
};

/// "TOT", as the identification tables print it.
const TOT: &str = "TOT";

fn identification_title(lang: Lang) -> &'static str {
    tr(lang, "COLLOQUI DI IDENTIFICAZIONE", "IDENTIFICATION INTERVIEWS")
}

/// The four columns and the rows by kind of an identification table; `at` is its JSON
/// place (the JSON is `{"rows": [...], "total": {...}}`).
fn identification_grid(mut g: Grid, t: &IdTable, lang: Lang) -> Grid {
    g.header(
        tr(lang, "TIPOLOGIA DI COLLOQUIO", "KIND OF INTERVIEW"),
        [
            tr(lang, "PERSONE INCONTRATE", "PERSONS MET"),
            tr(lang, "COLLOQUI SVOLTI", "INTERVIEWS HELD"),
            tr(lang, "VITTIME IDENTIFICATE", "VICTIMS IDENTIFIED"),
            tr(lang, "ADESIONI AL PROGRAMMA", "ADHESIONS TO THE PROGRAMME"),
        ],
        ["persons", "interviews", "identified", "adhesions"].map(String::from).to_vec(),
    );
    let cells = |c: &crate::domain::tables::IdCounts, role: Role, at: &str| {
        [("persons", c.persons), ("interviews", c.interviews), ("identified", c.identified), ("adhesions", c.adhesions)]
            .map(|(k, n)| Cell::new(n, role, format!("{at}/{k}")))
            .to_vec()
    };
    for (i, r) in t.rows.iter().enumerate() {
        g.row(
            RowKind::Body,
            format!("/rows/{i}"),
            r.kind.code(),
            r.kind.label(lang),
            cells(&r.counts, Role::Count, ""),
        );
    }
    g.total(TOT, cells(&t.total, Role::Total, "/total"));
    g
}

/// The identification tables: each province's, then the synthesis by kind. The JSON is
/// one table: the province's when `single`, else the synthesis.
pub(super) fn identification(r: &IdentificationReport, single: bool, lang: Lang) -> Vec<Grid> {
    let mut out: Vec<Grid> = r
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let at = (single && i == 0).then(String::new);
            let g = province_grid(lang, identification_title(lang), t.province, &t.province_name, (t.from, t.to), at);
            identification_grid(g, &t.table, lang)
        })
        .collect();
    if !single {
        let title = format!("{}: {}", identification_title(lang), tr(lang, "SINTESI", "SYNTHESIS"));
        let mut g = synthesis_grid(lang, &title, (r.from, r.to));
        g.set_at(Some(String::new()));
        out.push(identification_grid(g, &r.synthesis, lang));
    }
    out
}

/// The Referral columns: headings, CSV keys and each count's key below its row.
fn referral_columns(lang: Lang) -> Vec<(String, String, String)> {
    let mut cols: Vec<(String, String, String)> = [
        (tr(lang, "RICHIESTE RICEVUTE", "REQUESTS RECEIVED"), "requests"),
        (tr(lang, "PERSONE", "PERSONS"), "persons"),
        (tr(lang, "COLLOQUI", "INTERVIEWS"), "interviews"),
        (tr(lang, "IDENTIFICATE", "IDENTIFIED"), "identified"),
    ]
    .map(|(h, k)| (h.to_owned(), k.to_owned(), format!("/{k}")))
    .to_vec();
    cols.extend(
        Typology::ALL
            .iter()
            .map(|t| (t.label(lang).to_owned(), format!("typology_{}", t.code()), format!("/typology/{}", t.code()))),
    );
    cols.push((tr(lang, "Non indicata", "Not said").into(), "typology_unsaid".into(), "/typology_unsaid".into()));
    cols.extend(
        [
            (tr(lang, "NON IDENTIFICATE", "NOT IDENTIFIED"), "not_identified"),
            (tr(lang, "VALUTAZIONE IN CORSO", "IN PROGRESS"), "in_progress"),
            (tr(lang, "ADESIONI AL PROGRAMMA", "ADHESIONS"), "adhesions"),
            (tr(lang, "IN ATTESA", "WAITING"), "waiting"),
            (tr(lang, "RICHIESTE INEVASE", "UNANSWERED REQUESTS"), "unanswered"),
        ]
        .map(|(h, k)| (h.to_owned(), k.to_owned(), format!("/{k}"))),
    );
    cols
}

fn referral_values(c: &ReferralCounts) -> Vec<u64> {
    let mut v = vec![c.requests, c.persons, c.interviews, c.identified];
    v.extend(Typology::ALL.iter().map(|t| c.typology.get(t).copied().unwrap_or(0)));
    v.extend([c.typology_unsaid, c.not_identified, c.in_progress, c.adhesions, c.waiting, c.unanswered]);
    v
}

fn referral_header(g: &mut Grid, first: &str, lang: Lang) {
    let cols = referral_columns(lang);
    g.group([
        (String::new(), 4),
        (tr(lang, "IDENTIFICATE PER TIPOLOGIA", "IDENTIFIED BY TYPOLOGY").to_owned(), Typology::ALL.len() + 1),
        (String::new(), 5),
    ]);
    g.header(first, cols.iter().map(|c| c.0.clone()), cols.iter().map(|c| c.1.clone()).collect());
}

fn referral_cells(c: &ReferralCounts, role: Role, at: &str, lang: Lang) -> Vec<Cell> {
    referral_columns(lang)
        .into_iter()
        .zip(referral_values(c))
        .map(|((_, _, key), n)| Cell::new(n, role, format!("{at}{key}")))
        .collect()
}

fn referral_title(lang: Lang) -> &'static str {
    tr(lang, "REFERRAL DELLA COMMISSIONE TERRITORIALE", "REFERRALS FROM THE COMMISSIONE TERRITORIALE")
}

/// The Referral tables: each province's line of counts, then the provinces as rows.
pub(super) fn referral(r: &ReferralReport, single: bool, lang: Lang) -> Vec<Grid> {
    let mut out: Vec<Grid> = r
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut g = head_grid!(t, referral_title(lang), i, single, lang);
            referral_header(&mut g, "", lang);
            let label = InterviewKind::Referral.label(lang);
            g.row(RowKind::Body, "/total".into(), "referral", label, referral_cells(&t.total, Role::Count, "", lang));
            g
        })
        .collect();
    if !single {
        let title = format!("{}: {}", referral_title(lang), tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS BY PROVINCE"));
        let mut g = synthesis_grid(lang, &title, (r.from, r.to));
        referral_header(&mut g, tr(lang, "PROVINCIA", "PROVINCE"), lang);
        for (i, row) in r.synthesis.rows.iter().enumerate() {
            let cells = referral_cells(&row.counts, Role::Count, "", lang);
            g.row(RowKind::Body, format!("/rows/{i}"), row.province.code(), &row.province_name, cells);
        }
        g.total(TOT, referral_cells(&r.synthesis.total, Role::Total, "/total", lang));
        out.push(g);
    }
    out
}

/// The five breakdown grids of one province's (or all provinces') breakdowns, at `at`.
fn breakdown_grids(
    b: &Breakdowns,
    lang: Lang,
    at: Option<String>,
    mk: impl Fn(&str, Option<String>) -> Grid,
) -> Vec<Grid> {
    let all: [(&str, &str, &str, &crate::domain::tables::Breakdown, &[&str]); 5] = [
        (
            "gender",
            tr(lang, "PER GENERE", "BY GENDER"),
            tr(lang, "GENERE", "GENDER"),
            &b.gender,
            &["persons", "identified", "adhesions"],
        ),
        ("age", tr(lang, "PER ETÀ", "BY AGE"), tr(lang, "ETÀ", "AGE"), &b.age, &["persons"]),
        (
            "nationality",
            tr(lang, "PER NAZIONALITÀ", "BY NATIONALITY"),
            tr(lang, "NAZIONALITÀ", "NATIONALITY"),
            &b.nationality,
            &["persons", "identified", "adhesions"],
        ),
        (
            "place",
            tr(lang, "PER LUOGO DI EMERSIONE", "BY PLACE OF EMERSION"),
            tr(lang, "LUOGO DI EMERSIONE", "PLACE OF EMERSION"),
            &b.place,
            &["persons"],
        ),
        (
            "typology",
            tr(lang, "VITTIME IDENTIFICATE PER TIPOLOGIA", "VICTIMS IDENTIFIED BY TYPOLOGY"),
            tr(lang, "TIPOLOGIA", "TYPOLOGY"),
            &b.typology,
            &["identified"],
        ),
    ];
    let head = |k: &str| match k {
        "persons" => tr(lang, "PERSONE INCONTRATE", "PERSONS MET"),
        "identified" => tr(lang, "VITTIME IDENTIFICATE", "VICTIMS IDENTIFIED"),
        _ => tr(lang, "ADESIONI AL PROGRAMMA", "ADHESIONS TO THE PROGRAMME"),
    };
    let value = |c: &BreakCounts, k: &str| match k {
        "persons" => c.persons,
        "identified" => c.identified,
        _ => c.adhesions,
    };
    all.into_iter()
        .map(|(key, what, first, section, cols)| {
            let mut g = mk(what, at.clone());
            g.header(first, cols.iter().map(|k| head(k)), cols.iter().map(|k| (*k).to_owned()).collect());
            for (i, r) in section.rows.iter().enumerate() {
                let cells = cols.iter().map(|k| Cell::new(value(&r.counts, k), Role::Count, format!("/{k}"))).collect();
                g.row(RowKind::Body, format!("/{key}/rows/{i}"), &r.code, &r.label, cells);
            }
            let total = cols
                .iter()
                .map(|k| Cell::new(value(&section.total, k), Role::Total, format!("/{key}/total/{k}")))
                .collect();
            g.total(TOT, total);
            g
        })
        .collect()
}

/// The breakdowns of the persons interviewed: each province's five, then the five over
/// all provinces.
pub(super) fn breakdown(r: &BreakdownReport, single: bool, lang: Lang) -> Vec<Grid> {
    let title = |what: &str| format!("{} {what}", identification_title(lang));
    let mut out: Vec<Grid> = r
        .tables
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            breakdown_grids(&t.breakdowns, lang, table_at(single, i), |what, at| {
                province_grid(lang, &title(what), t.province, &t.province_name, (t.from, t.to), at)
            })
        })
        .collect();
    if !single {
        out.extend(breakdown_grids(&r.synthesis, lang, Some("/synthesis".into()), |what, at| {
            let mut g =
                synthesis_grid(lang, &format!("{}: {}", title(what), tr(lang, "SINTESI", "SYNTHESIS")), (r.from, r.to));
            g.set_at(at);
            g
        }));
    }
    out
}

fn outcomes_title(lang: Lang) -> &'static str {
    tr(lang, "ESITI DEI CONTATTI (PERSONE)", "OUTCOMES OF CONTACTS (PERSONS)")
}

fn with_outcome_label(lang: Lang) -> &'static str {
    tr(lang, "PERSONE CON ESITO", "PERSONS WITH AN OUTCOME")
}

/// An outcomes row's cells: persons, then each outcome, M F T Tot; `at` prefixes the keys.
fn outcome_cells(c: &OutcomeCounts, total: bool, at: &str) -> Vec<Cell> {
    let mut cells = mft_total(&c.persons, total, &format!("{at}/persons"));
    for o in ContactOutcome::ALL {
        let v = c.outcomes.get(o).copied().unwrap_or_default();
        cells.extend(mft_total(&v, total, &format!("{at}/outcomes/{}", o.code())));
    }
    cells
}

/// The outcomes tables: per province nationality × each outcome's M F T Tot, then the
/// provinces as rows (each outcome's total).
pub(super) fn outcomes(r: &OutcomesReport, single: bool, lang: Lang) -> Vec<Grid> {
    let mut out: Vec<Grid> = r
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut g = head_grid!(t, outcomes_title(lang), i, single, lang);
            let mut groups = vec![(with_outcome_label(lang).to_owned(), 4)];
            groups.extend(ContactOutcome::ALL.iter().map(|o| (o.label(lang).to_owned(), 4)));
            g.group(groups);
            let keys = std::iter::once(mft_total_keys("persons"))
                .chain(ContactOutcome::ALL.iter().map(|o| mft_total_keys(&format!("outcome_{}", o.code()))))
                .flatten()
                .collect();
            g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), MFT_TOT.repeat(ContactOutcome::ALL.len() + 1), keys);
            g.body(
                t.rows.iter().map(|r| (r.nationality.code(), r.label.as_str(), outcome_cells(&r.counts, false, ""))),
            );
            g.total(tr(lang, "TOTALE", "TOTAL"), outcome_cells(&t.total, true, "/total"));
            g
        })
        .collect();
    if !single {
        let title = format!("{}: {}", outcomes_title(lang), tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS BY PROVINCE"));
        let mut g = synthesis_grid(lang, &title, (r.from, r.to));
        let heads = std::iter::once(with_outcome_label(lang)).chain(ContactOutcome::ALL.iter().map(|o| o.label(lang)));
        let keys = std::iter::once("persons".to_owned()).chain(ContactOutcome::ALL.iter().map(|o| o.code().to_owned()));
        g.header(tr(lang, "PROVINCIA", "PROVINCE"), heads, keys.collect());
        let totals = |c: &OutcomeCounts, role: Role, at: &str| {
            let mut cells = vec![Cell::new(c.persons.total, role, format!("{at}/persons/total"))];
            cells.extend(ContactOutcome::ALL.iter().map(|o| {
                let n = c.outcomes.get(o).map_or(0, |v| v.total);
                Cell::new(n, role, format!("{at}/outcomes/{}/total", o.code()))
            }));
            cells
        };
        g.body(
            r.synthesis
                .rows
                .iter()
                .map(|row| (row.province.code(), row.province_name.as_str(), totals(&row.counts, Role::Count, ""))),
        );
        g.total(tr(lang, "TOTALE", "TOTAL"), totals(&r.synthesis.total, Role::Total, "/total"));
        out.push(g);
    }
    out
}

fn helpline_title(lang: Lang) -> &'static str {
    tr(lang, "SEGNALAZIONI DEL NUMERO VERDE ANTITRATTA", "REPORTS FROM THE ANTI-TRAFFICKING HELPLINE")
}

/// The columns after the reports' M F T Tot: heading, CSV key, key below the row.
fn helpline_columns(lang: Lang) -> Vec<(String, String, String)> {
    let mut cols: Vec<(String, String, String)> = vec![
        (tr(lang, "Nuove", "New").into(), "new".into(), "/new".into()),
        (tr(lang, "Già conosciute", "Known").into(), "known".into(), "/known".into()),
    ];
    let mut push = |label: &str, head: &str, code: &str| {
        cols.push((label.to_owned(), format!("{head}_{code}"), format!("/{head}/{code}")));
    };
    HelplineSource::ALL.iter().for_each(|s| push(s.label(lang), "source", s.code()));
    HelpKind::ALL.iter().for_each(|h| push(h.label(lang), "help", h.code()));
    HelplineOutcome::ALL.iter().for_each(|o| push(o.label(lang), "outcome", o.code()));
    cols
}

fn helpline_values(c: &HelplineCounts) -> Vec<u64> {
    let mut v = vec![c.new, c.known];
    v.extend(HelplineSource::ALL.iter().map(|s| c.source.get(s).copied().unwrap_or(0)));
    v.extend(HelpKind::ALL.iter().map(|h| c.help.get(h).copied().unwrap_or(0)));
    v.extend(HelplineOutcome::ALL.iter().map(|o| c.outcome.get(o).copied().unwrap_or(0)));
    v
}

fn helpline_groups(lang: Lang, reports: usize) -> Vec<(String, usize)> {
    vec![
        (tr(lang, "SEGNALAZIONI", "REPORTS").into(), reports),
        (tr(lang, "PERSONE", "PERSONS").into(), 2),
        (tr(lang, "CHIAMATA", "CALLER").into(), HelplineSource::ALL.len()),
        (tr(lang, "AIUTO RICHIESTO", "HELP REQUESTED").into(), HelpKind::ALL.len()),
        (tr(lang, "ESITO", "OUTCOME").into(), HelplineOutcome::ALL.len()),
    ]
}

fn helpline_rest(c: &HelplineCounts, role: Role, at: &str, lang: Lang) -> Vec<Cell> {
    helpline_columns(lang)
        .into_iter()
        .zip(helpline_values(c))
        .map(|((_, _, key), n)| Cell::new(n, role, format!("{at}{key}")))
        .collect()
}

/// The helpline tables: per province nationality × reports M F T Tot, new/known, caller,
/// help and outcome; then the provinces as rows.
pub(super) fn helpline(r: &HelplineReport, single: bool, lang: Lang) -> Vec<Grid> {
    let cols = helpline_columns(lang);
    let mut out: Vec<Grid> = r
        .tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut g = head_grid!(t, helpline_title(lang), i, single, lang);
            g.group(helpline_groups(lang, 4));
            let heads = MFT_TOT.iter().map(|h| (*h).to_owned()).chain(cols.iter().map(|c| c.0.clone()));
            let keys = mft_total_keys("reports").into_iter().chain(cols.iter().map(|c| c.1.clone())).collect();
            g.header(tr(lang, "NAZIONALITÀ", "NATIONALITY"), heads, keys);
            g.body(t.rows.iter().map(|r| {
                let cells =
                    [mft_total(&r.counts.reports, false, "/reports"), helpline_rest(&r.counts, Role::Count, "", lang)];
                (r.nationality.code(), r.label.as_str(), cells.concat())
            }));
            let total = [
                mft_total(&t.total.reports, true, "/total/reports"),
                helpline_rest(&t.total, Role::Total, "/total", lang),
            ];
            g.total(tr(lang, "TOTALE", "TOTAL"), total.concat());
            g
        })
        .collect();
    if !single {
        let title = format!("{}: {}", helpline_title(lang), tr(lang, "SINTESI PER PROVINCIA", "SYNTHESIS BY PROVINCE"));
        let mut g = synthesis_grid(lang, &title, (r.from, r.to));
        g.group(helpline_groups(lang, 1));
        let heads = std::iter::once(tr(lang, "TOTALE", "TOTAL").to_owned()).chain(cols.iter().map(|c| c.0.clone()));
        let keys = std::iter::once("reports".to_owned()).chain(cols.iter().map(|c| c.1.clone())).collect();
        g.header(tr(lang, "PROVINCIA", "PROVINCE"), heads, keys);
        let cells = |c: &HelplineCounts, role: Role, at: &str| {
            let mut v = vec![Cell::new(c.reports.total, role, format!("{at}/reports/total"))];
            v.extend(helpline_rest(c, role, at, lang));
            v
        };
        g.body(
            r.synthesis
                .rows
                .iter()
                .map(|row| (row.province.code(), row.province_name.as_str(), cells(&row.counts, Role::Count, ""))),
        );
        g.total(tr(lang, "TOTALE", "TOTAL"), cells(&r.synthesis.total, Role::Total, "/total"));
        out.push(g);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Format, Rendered, Table};
    use crate::domain::emersion::{Findings, InterviewKind, Interviewed, Verdict};
    use crate::domain::tables::ReportScope;
    use crate::domain::{
        Activity, Bucket, CellKey, Gender, Lang, Measure, Nationality, Period, Province, Shift, Tally, parse_date,
    };

    /// Five identified Nigerian women interviewed twice each by the unit in Bergamo, one
    /// Romanian man not identified in Milan by Referral.
    fn tally() -> Tally {
        let mut t = Tally::new();
        let mut add = |prov: &str, kind, nat: &str, g, verdict, n: u64| {
            let bucket =
                Bucket { activity: Activity::Emersion, province: Province::parse(prov).unwrap(), shift: Shift::Day };
            let state = Findings { verdict: Some(verdict), ..Default::default() };
            for _ in 0..n {
                for (c, k) in (Interviewed { interviews: 2, state, minor: false }).counts() {
                    let cell = CellKey {
                        nationality: Nationality::parse(nat).unwrap(),
                        gender: g,
                        measure: Measure::Id(kind, c),
                    };
                    t.add(bucket, cell, k);
                }
            }
        };
        add("BG", InterviewKind::Social, "NG", Gender::F, Verdict::Identified, 5);
        add("MI", InterviewKind::Referral, "RO", Gender::M, Verdict::NotIdentified, 1);
        t
    }

    fn scope(province: Option<&str>) -> ReportScope {
        let period = Period::new(parse_date("2024-01-01").unwrap(), parse_date("2024-12-31").unwrap()).unwrap();
        ReportScope { province: province.map(|p| Province::parse(p).unwrap()), ..ReportScope::period(period) }
    }

    #[test]
    fn identification_prints_both_kinds_and_tot_and_its_json_is_one_table() {
        let r = Rendered::build(Table::Identification, &tally(), &scope(None));
        let grids = r.grids(false, Lang::It, None);
        assert_eq!(grids.len(), 3, "two provinces and the synthesis");
        let text = r.render(Format::Text, false, Lang::It);
        let tot = text.lines().rfind(|l| l.starts_with("TOT")).unwrap();
        assert_eq!(tot.split_whitespace().collect::<Vec<_>>(), ["TOT", "6", "12", "5", "0"]);
        let json: serde_json::Value = serde_json::from_str(&r.render(Format::Json, false, Lang::It)).unwrap();
        assert_eq!(json.as_object().unwrap().keys().collect::<Vec<_>>(), ["rows", "total"]);
        assert_eq!(json["rows"][1]["persons"], 1);
        // Suppressed: the small counts read "<3" in the JSON at their places.
        let v: serde_json::Value =
            serde_json::from_str(&r.render_suppressed(Format::Json, false, Lang::It, Some(3))).unwrap();
        assert_eq!(v["rows"][1]["persons"], "<3");
        assert_eq!(v["rows"][0]["identified"], 5);
        let one = Rendered::build(Table::Identification, &tally(), &scope(Some("MI")));
        let v: serde_json::Value = serde_json::from_str(&one.render(Format::Json, true, Lang::It)).unwrap();
        assert_eq!(v["total"]["interviews"], 2);
        let published = r.published(Lang::It, 3);
        assert!(super::super::disclosures(&published).is_empty());
    }

    #[test]
    fn every_emersion_table_renders_in_every_format_and_language() {
        for table in Table::EMERSION {
            let r = Rendered::build(table, &tally(), &scope(None));
            for lang in [Lang::It, Lang::En] {
                let text = r.render(Format::Text, false, lang);
                // (No outcome nor helpline report here: those tables have no province.)
                let interviews = !matches!(table, Table::Outcomes | Table::Helpline);
                let bergamo = if lang == Lang::It { "Provincia di Bergamo" } else { "Province of Bergamo" };
                assert!(!interviews || text.contains(bergamo), "{table:?}: {text}");
                let csv = r.render(Format::Csv, false, lang);
                assert!(!interviews || csv.starts_with("province,code,label,"), "{table:?}: {csv}");
                let json = r.render(Format::Json, false, lang);
                assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
            }
        }
        let b = Rendered::build(Table::IdBreakdown, &tally(), &scope(Some("BG")));
        let text = b.render(Format::Text, true, Lang::It);
        assert!(text.contains("PER GENERE") && text.contains("Non indicato"), "{text}");
    }
}
