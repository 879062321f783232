//! The console's HTML: escaping, the page frame (navigation, language, sign-out), forms
//! carrying the session's CSRF token, and report grids as tables laid out as printed.
//! Pages work without JavaScript; the layout reflows from phone width to a desktop.

use std::fmt::Write;

use lanterna::domain::Lang;
use lanterna::report::{Grid, Role, RowKind};

use super::esc;

/// Italian or English words.
pub fn tr(lang: Lang, it: &'static str, en: &'static str) -> &'static str {
    if lang == Lang::En { en } else { it }
}

const STYLE: &str = r#"
:root { --ink: #1d2433; --muted: #5b6474; --line: #d5dae3; --accent: #1f5fa8; --bg: #f6f7f9; --warn: #a4361b; --ok: #2d7a3e; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 "DejaVu Sans", system-ui, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #fff; border-bottom: 1px solid var(--line); padding: .5rem 1rem; display: flex; flex-wrap: wrap; gap: .25rem 1rem; align-items: center; }
header .brand { font-weight: 700; color: var(--accent); margin-right: .5rem; }
nav { display: flex; flex-wrap: wrap; gap: .25rem .75rem; flex: 1; }
nav a { color: var(--ink); text-decoration: none; padding: .2rem 0; border-bottom: 2px solid transparent; }
nav a.here { border-color: var(--accent); font-weight: 600; }
header .who { color: var(--muted); font-size: .85rem; display: flex; gap: .5rem; align-items: center; flex-wrap: wrap; }
main { padding: 1rem; max-width: 1200px; margin: 0 auto; }
h1 { font-size: 1.3rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.box { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: .75rem 1rem; margin-bottom: 1rem; }
.box > :first-child { margin-top: 0; } .box > :last-child { margin-bottom: 0; }
.scroll + .box, p.note + .box { margin-top: 1rem; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; font-size: .9rem; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: right; white-space: nowrap; }
th:first-child, td:first-child, td.l, th.l { text-align: left; }
thead th { background: #eef1f5; }
tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
tr.ofwhich td { font-style: italic; color: var(--muted); }
caption { text-align: left; font-weight: 700; padding: .3rem 0; position: sticky; left: 0; }
p.note { margin: .2rem 0; font-size: .85rem; color: var(--muted); }
form.filters { display: flex; flex-wrap: wrap; gap: .5rem; align-items: end; }
label { display: flex; flex-direction: column; font-size: .8rem; color: var(--muted); gap: .15rem; }
input, select, button { font: inherit; padding: .35rem .5rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink); }
button { background: var(--accent); color: #fff; border-color: var(--accent); cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.warn { background: var(--warn); border-color: var(--warn); }
.state { display: inline-block; padding: 0 .4rem; border-radius: 3px; font-size: .8rem; }
.state.to_review { background: #fff3cd; } .state.approved { background: #d8f0dd; } .state.returned { background: #f8d7d0; }
.error { color: var(--warn); font-weight: 600; }
.ok { color: var(--ok); font-weight: 600; }
.muted { color: var(--muted); }
.grid2 { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 460px), 1fr)); gap: 1rem; }
.grid2 > .box { margin-bottom: 0; }
svg { max-width: 100%; height: auto; }
.chart { overflow-x: auto; }
.chart svg { min-width: 520px; }
div.bar { background: #eef1f5; height: .6rem; border-radius: 3px; min-width: 6rem; }
div.bar > span { display: block; height: 100%; background: var(--accent); border-radius: 3px; }
@media (max-width: 600px) {
  main { padding: .6rem; } th, td { padding: .2rem .3rem; }
  header { padding: .4rem .6rem; }
  header > a.muted { margin-left: auto; }
  nav { order: 1; flex-basis: 100%; gap: .1rem .8rem; }
  header .who { order: 2; }
  caption { max-width: calc(100vw - 1.2rem); }
  .grid2 > .box { padding: .5rem; }
}
"#;

/// The sections of the console, in the navigation's order: path, Italian, English.
pub const SECTIONS: [(&str, &str, &str); 8] = [
    ("shifts", "Turni", "Shifts"),
    ("units", "Unità", "Units"),
    ("periods", "Periodi", "Periods"),
    ("reports", "Tabelle", "Tables"),
    ("targets", "Obiettivi", "Targets"),
    ("charts", "Grafici", "Charts"),
    ("audit", "Registro", "Audit trail"),
    ("account", "Account", "Account"),
];

/// Who the page is for: shown in the header.
pub struct Frame<'a> {
    /// The page's language.
    pub lang: Lang,
    /// The section it belongs to (highlighted), if any.
    pub section: Option<&'a str>,
    /// The coordinator's name and scope, when signed in.
    pub who: Option<(&'a str, &'a str)>,
    /// The session's CSRF token (for the sign-out form).
    pub csrf: Option<&'a str>,
}

/// A whole page.
pub fn page(f: &Frame<'_>, title: &str, body: &str) -> String {
    let lang = f.lang;
    let mut h = String::with_capacity(body.len() + 4096);
    let _ = write!(
        h,
        "<!DOCTYPE html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><meta name=\"referrer\" content=\"same-origin\">\
         <title>{} · Lanterna</title><style>{STYLE}</style></head><body><header><span class=\"brand\">Lanterna</span>",
        if lang == Lang::En { "en" } else { "it" },
        esc(title)
    );
    if let Some((name, scope)) = f.who {
        h.push_str("<nav>");
        for (path, it, en) in SECTIONS {
            let here = if f.section == Some(path) { " class=\"here\"" } else { "" };
            let _ = write!(h, "<a href=\"/console/{path}\"{here}>{}</a>", tr(lang, it, en));
        }
        h.push_str("</nav>");
        let _ = write!(h, "<span class=\"who\">{} · {}", esc(name), esc(scope));
        if let Some(csrf) = f.csrf {
            let _ = write!(
                h,
                "<form method=\"post\" action=\"/console/sign-out\">{}<button class=\"secondary\">{}</button></form>",
                csrf_field(csrf),
                tr(lang, "Esci", "Sign out")
            );
        }
        h.push_str("</span>");
    }
    let other = if lang == Lang::En { ("it", "Italiano") } else { ("en", "English") };
    let _ = write!(
        h,
        "<a class=\"muted\" href=\"/console/lang/{}\" hreflang=\"{}\">{}</a></header><main><h1>{}</h1>{body}</main></body></html>",
        other.0,
        other.0,
        other.1,
        esc(title)
    );
    h
}

/// The hidden field every form of a session carries.
pub fn csrf_field(csrf: &str) -> String {
    format!("<input type=\"hidden\" name=\"csrf\" value=\"{}\">", esc(csrf))
}

/// A `<select>` with its label; `options` are (value, words), `chosen` the selected value.
pub fn select(label: &str, name: &str, options: &[(String, String)], chosen: Option<&str>) -> String {
    let mut h = format!("<label>{}<select name=\"{}\">", esc(label), esc(name));
    for (v, words) in options {
        let sel = if Some(v.as_str()) == chosen { " selected" } else { "" };
        let _ = write!(h, "<option value=\"{}\"{sel}>{}</option>", esc(v), esc(words));
    }
    h.push_str("</select></label>");
    h
}

/// A period field: a month, quarter or year typed, or one of the named `periods` offered.
pub fn period_input(lang: Lang, value: &str, named: &[lanterna::wire::PublishedPeriod], required: bool) -> String {
    let mut h = format!(
        "<label>{}<input name=\"period\" list=\"named\" size=\"12\" value=\"{}\" placeholder=\"2024-05, 2024-Q2, 2024\"{}></label><datalist id=\"named\">",
        tr(lang, "Periodo", "Period"),
        esc(value),
        if required { " required" } else { "" }
    );
    for p in named {
        let _ = write!(h, "<option value=\"{}\">", esc(&p.name));
    }
    h.push_str("</datalist>");
    h
}

/// A report grid as an HTML table, laid out as printed: the title, the column groups
/// over their columns, the headings, rows, "di cui" rows, bold totals, and the notes.
pub fn grid(g: &Grid) -> String {
    let mut h = String::from("<div class=\"scroll\"><table>");
    let _ = write!(h, "<caption>{}</caption><thead>", esc(g.title()));
    if !g.groups().is_empty() {
        h.push_str("<tr><th></th>");
        let mut used = 0;
        for grp in g.groups() {
            let _ = write!(h, "<th colspan=\"{}\" scope=\"colgroup\">{}</th>", grp.span, esc(&grp.label));
            used += grp.span;
        }
        if used < g.columns().len() {
            let _ = write!(h, "<th colspan=\"{}\"></th>", g.columns().len() - used);
        }
        h.push_str("</tr>");
    }
    let _ = write!(h, "<tr><th scope=\"col\" class=\"l\">{}</th>", esc(g.first_heading()));
    for c in g.columns() {
        let _ = write!(h, "<th scope=\"col\">{}</th>", esc(&c.head));
    }
    h.push_str("</tr></thead><tbody>");
    for r in g.rows() {
        let class = if r.kind() == RowKind::OfWhich { " class=\"ofwhich\"" } else { "" };
        let _ = write!(h, "<tr{class}><th scope=\"row\" class=\"l\">{}</th>", esc(r.label()));
        for c in r.cells() {
            let strong = matches!(c.role(), Role::RowTotal);
            let text = esc(&c.text());
            if strong {
                let _ = write!(h, "<td><b>{text}</b></td>");
            } else {
                let _ = write!(h, "<td>{text}</td>");
            }
        }
        h.push_str("</tr>");
    }
    for r in g.totals() {
        let _ = write!(h, "<tr class=\"total\"><td class=\"l\">{}</td>", esc(r.label()));
        for c in r.cells() {
            let _ = write!(h, "<td>{}</td>", esc(&c.text()));
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table></div>");
    for n in g.notes() {
        let _ = write!(h, "<p class=\"note\">{}</p>", esc(&n.to_string()));
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("<a href=\"x\">'&'</a>"), "&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
    }
}
