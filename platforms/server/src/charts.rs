//! Bar charts for the coordinators' console, as self-contained SVG strings: server-rendered,
//! readable without JavaScript, scaling to the page width (`viewBox`, `width="100%"`), with
//! a `<title>` and a `<desc>` that spells the data out for screen readers, a tooltip per bar
//! and a colour-blind-safe palette (Okabe–Ito). Every piece of text is XML-escaped.

use std::fmt::Write as _;

use lanterna::domain::Lang;

/// One series of a grouped bar chart: its legend label and one value per category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// Legend label (e.g. "Strada").
    pub label: String,
    /// One value per category, in the categories' order; missing ones count as 0, extra
    /// ones are ignored.
    pub values: Vec<u64>,
}

/// Okabe–Ito: distinguishable with the common colour-vision deficiencies, dark enough on
/// white (the yellow is left out).
const PALETTE: [&str; 7] = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000"];

/// Width of every chart in user units; the SVG scales to its container.
const WIDTH: f64 = 640.0;

/// Escapes text for XML content and attribute values, dropping characters XML 1.0 cannot
/// carry at all (most control characters).
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A short id, stable for the same chart, so that several charts on one page keep distinct
/// `aria-labelledby` targets (FNV-1a of whatever identifies the chart's content).
pub(crate) fn chart_id(prefix: &str, parts: &[&[u8]]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for &b in part.iter().chain(&[0xff]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{prefix}{:08x}", h as u32)
}

/// "nessun dato" / "no data".
pub(crate) fn no_data(lang: Lang) -> &'static str {
    match lang {
        Lang::It => "nessun dato",
        Lang::En => "no data",
    }
}

/// The opening `<svg>` tag with its accessible name and description.
pub(crate) fn open_svg(out: &mut String, id: &str, width: f64, height: f64, title: &str, desc: &str) {
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" aria-labelledby="{id}-t {id}-d" font-family="sans-serif" style="font-family: sans-serif; max-width: {width}px"><title id="{id}-t">{}</title><desc id="{id}-d">{}</desc>"#,
        esc(title),
        esc(desc)
    );
}

/// A chart that only says there is nothing to show.
pub(crate) fn empty_chart(id: &str, title: &str, lang: Lang) -> String {
    let mut out = String::new();
    let msg = no_data(lang);
    open_svg(&mut out, id, WIDTH, 80.0, title, msg);
    let _ = write!(
        out,
        r##"<text x="8" y="20" font-size="15" font-weight="bold" fill="#222">{}</text><text x="{}" y="56" font-size="14" fill="#555" text-anchor="middle">{}</text></svg>"##,
        esc(title),
        WIDTH / 2.0,
        msg
    );
    out
}

/// An approximate width of `text` in `size`-pixel sans-serif.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    text.chars().count() as f64 * size * 0.6
}

/// The tick step and the top of a count axis starting at 0: a 1, 2 or 5 × 10ⁿ step (never
/// under 1) giving at most five intervals, and the first multiple of it at or above `max`.
fn axis(max: u64) -> (u64, u64) {
    let max = max.max(1);
    let mut magnitude = 1u64;
    loop {
        for m in [1, 2, 5] {
            let step = magnitude.saturating_mul(m);
            if max.div_ceil(step) <= 5 {
                return (step, max.div_ceil(step) * step);
            }
        }
        magnitude = magnitude.saturating_mul(10);
    }
}

/// Rounds to one decimal, enough for layout and short to print.
fn r1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Rounds to two decimals, for bar lengths (proportional to within 0.005 units).
fn r2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Grouped vertical bars: one group per category (months such as "2024-05"), one bar per
/// series in each, a y axis with round ticks, a legend, and a tooltip per bar ("Strada
/// 2024-05: 12"), values printed above the bars when they fit. No category or no series
/// gives a chart that says "nessun dato" / "no data".
pub fn bars(title: &str, categories: &[String], series: &[Series], lang: Lang) -> String {
    let mut id_parts: Vec<&[u8]> = vec![title.as_bytes()];
    id_parts.extend(categories.iter().map(|c| c.as_bytes()));
    id_parts.extend(series.iter().map(|s| s.label.as_bytes()));
    let values_bytes: Vec<u8> = series.iter().flat_map(|s| &s.values).flat_map(|v| v.to_le_bytes()).collect();
    id_parts.push(&values_bytes);
    let id = chart_id("bars", &id_parts);
    if categories.is_empty() || series.is_empty() {
        return empty_chart(&id, title, lang);
    }
    let value = |s: &Series, i: usize| s.values.get(i).copied().unwrap_or(0);
    let max = series.iter().flat_map(|s| (0..categories.len()).map(move |i| value(s, i))).max().unwrap_or(0);
    let (step, top) = axis(max);

    // Legend: swatches in rows under the title.
    let mut legend = String::new();
    let (mut lx, mut ly) = (8.0, 40.0);
    for (k, s) in series.iter().enumerate() {
        let w = 18.0 + text_width(&s.label, 12.0) + 16.0;
        if lx > 8.0 && lx + w > WIDTH {
            (lx, ly) = (8.0, ly + 18.0);
        }
        let _ = write!(
            legend,
            r##"<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}" font-size="12" fill="#222">{}</text>"##,
            r1(lx),
            ly - 10.0,
            PALETTE[k % PALETTE.len()],
            r1(lx + 18.0),
            ly,
            esc(&s.label)
        );
        lx += w;
    }

    let plot_top = ly + 22.0;
    let plot_h = 200.0;
    let plot_bottom = plot_top + plot_h;
    let left = 14.0 + text_width(&top.to_string(), 11.0);
    let right = WIDTH - 8.0;
    let height = plot_bottom + 34.0;
    let y_of = |v: u64| plot_bottom - v as f64 / top as f64 * plot_h;

    let desc = series
        .iter()
        .map(|s| {
            let cells: Vec<String> =
                categories.iter().enumerate().map(|(i, c)| format!("{c} {}", value(s, i))).collect();
            format!("{}: {}", s.label, cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join("; ");

    let mut out = String::new();
    open_svg(&mut out, &id, WIDTH, height, title, &desc);
    let _ = write!(out, r##"<text x="8" y="20" font-size="15" font-weight="bold" fill="#222">{}</text>"##, esc(title));
    out.push_str(&legend);

    // Grid and y ticks.
    let mut tick = 0;
    while tick <= top {
        let y = r1(y_of(tick));
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="{}" stroke-width="1"/><text x="{}" y="{}" font-size="11" fill="#444" text-anchor="end">{tick}</text>"##,
            if tick == 0 { "#444" } else { "#ddd" },
            r1(left - 4.0),
            r1(y + 4.0),
        );
        tick += step;
    }

    // Bars, group by group.
    let slot = (right - left) / categories.len() as f64;
    let group_w = slot * 0.8;
    let bar_w = group_w / series.len() as f64;
    let label_every = (text_width("2024-05", 11.0) + 2.0).div_euclid(slot.max(1.0)) as usize + 1;
    for (i, category) in categories.iter().enumerate() {
        let x0 = left + slot * i as f64 + (slot - group_w) / 2.0;
        for (k, s) in series.iter().enumerate() {
            let v = value(s, i);
            let x = x0 + bar_w * k as f64;
            let y = r2(y_of(v));
            let _ = write!(
                out,
                r#"<rect class="bar" data-value="{v}" x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {v}</title></rect>"#,
                r1(x),
                y,
                r1(bar_w.max(1.0) - 1.0).max(0.5),
                r2(plot_bottom - y),
                PALETTE[k % PALETTE.len()],
                esc(&s.label),
                esc(category),
            );
            let digits = v.to_string();
            if text_width(&digits, 10.0) <= bar_w + 2.0 {
                let _ = write!(
                    out,
                    r##"<text x="{}" y="{}" font-size="10" fill="#222" text-anchor="middle">{digits}</text>"##,
                    r1(x + bar_w / 2.0 - 0.5),
                    r1(y - 3.0)
                );
            }
        }
        if i % label_every == 0 {
            let _ = write!(
                out,
                r##"<text x="{}" y="{}" font-size="11" fill="#444" text-anchor="middle">{}</text>"##,
                r1(left + slot * (i as f64 + 0.5)),
                plot_bottom + 16.0,
                esc(category)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars in the order given (nationalities, largest first as the caller sorts
/// them), one row each, the value printed after the bar and a tooltip on it. Labels too
/// long for the label column are shortened with "…" (the tooltip keeps them whole). No item
/// gives a chart that says "nessun dato" / "no data".
pub fn hbars(title: &str, items: &[(String, u64)], lang: Lang) -> String {
    let mut id_parts: Vec<&[u8]> = vec![title.as_bytes()];
    id_parts.extend(items.iter().map(|(l, _)| l.as_bytes()));
    let values_bytes: Vec<u8> = items.iter().flat_map(|(_, v)| v.to_le_bytes()).collect();
    id_parts.push(&values_bytes);
    let id = chart_id("hbars", &id_parts);
    if items.is_empty() {
        return empty_chart(&id, title, lang);
    }
    const ROW: f64 = 22.0;
    const MAX_LABEL: usize = 30;
    let short = |label: &str| -> String {
        if label.chars().count() > MAX_LABEL {
            label.chars().take(MAX_LABEL - 1).chain(['…']).collect()
        } else {
            label.to_string()
        }
    };
    let label_w = items.iter().map(|(l, _)| text_width(&short(l), 12.0)).fold(0.0, f64::max);
    let bar_x = 8.0 + label_w + 6.0;
    let max = items.iter().map(|&(_, v)| v).max().unwrap_or(0).max(1);
    let max_digits = text_width(&max.to_string(), 11.0);
    let bar_max = WIDTH - 8.0 - bar_x - max_digits - 6.0;
    let top = 34.0;
    let height = top + ROW * items.len() as f64 + 8.0;

    let desc = items.iter().map(|(l, v)| format!("{l}: {v}")).collect::<Vec<_>>().join(", ");
    let mut out = String::new();
    open_svg(&mut out, &id, WIDTH, height, title, &desc);
    let _ = write!(out, r##"<text x="8" y="20" font-size="15" font-weight="bold" fill="#222">{}</text>"##, esc(title));
    for (i, (label, v)) in items.iter().enumerate() {
        let y = top + ROW * i as f64;
        let w = r2(*v as f64 / max as f64 * bar_max);
        let _ = write!(
            out,
            r##"<text x="{}" y="{}" font-size="12" fill="#222" text-anchor="end">{}</text><rect class="bar" data-value="{v}" x="{}" y="{}" width="{}" height="14" fill="{}"><title>{}: {v}</title></rect><text x="{}" y="{}" font-size="11" fill="#222">{v}</text>"##,
            r1(bar_x - 6.0),
            y + 15.0,
            esc(&short(label)),
            r1(bar_x),
            y + 4.0,
            w,
            PALETTE[0],
            esc(label),
            r1(bar_x + w + 4.0),
            y + 15.0,
        );
    }
    let _ = write!(
        out,
        r##"<line x1="{0}" x2="{0}" y1="{1}" y2="{2}" stroke="#444" stroke-width="1"/></svg>"##,
        r1(bar_x),
        top,
        height - 8.0
    );
    out
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Parses `svg` as XML, failing the test with the parser's message otherwise.
    pub(crate) fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}\n{svg}"))
    }

    /// Checks the accessible name: role, a title and a desc that aria-labelledby points at.
    pub(crate) fn assert_accessible(doc: &roxmltree::Document<'_>, title: &str) {
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(root.attribute("width"), Some("100%"));
        assert!(root.attribute("viewBox").is_some());
        let ids: Vec<&str> = root.attribute("aria-labelledby").unwrap().split(' ').collect();
        let t = doc.descendants().find(|n| n.attribute("id") == Some(ids[0])).unwrap();
        assert_eq!(t.tag_name().name(), "title");
        assert_eq!(t.text(), Some(title));
        let d = doc.descendants().find(|n| n.attribute("id") == Some(ids[1])).unwrap();
        assert_eq!(d.tag_name().name(), "desc");
        assert!(!d.text().unwrap_or("").is_empty());
    }

    fn months(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("2024-{:02}", i + 1)).collect()
    }

    pub(crate) fn bar_rects<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
        doc.descendants().filter(|n| n.attribute("class") == Some("bar")).collect()
    }

    fn num(node: roxmltree::Node<'_, '_>, attr: &str) -> f64 {
        node.attribute(attr).unwrap().parse().unwrap()
    }

    #[test]
    fn axis_steps_are_round_and_cover_the_maximum() {
        assert_eq!(axis(0), (1, 1));
        assert_eq!(axis(3), (1, 3));
        assert_eq!(axis(7), (2, 8));
        assert_eq!(axis(10), (2, 10));
        assert_eq!(axis(11), (5, 15));
        assert_eq!(axis(99), (20, 100));
        assert_eq!(axis(1234), (500, 1500));
        let (step, top) = axis(u64::MAX / 2);
        assert!(step > 0 && top >= u64::MAX / 2);
    }

    #[test]
    fn bar_heights_are_proportional_to_the_values() {
        let series = vec![
            Series { label: "Strada".into(), values: vec![12, 0, 30] },
            Series { label: "Lavoro".into(), values: vec![5, 7, 1] },
            Series { label: "Indoor".into(), values: vec![9] },
        ];
        let svg = bars("Persone", &months(3), &series, Lang::It);
        let doc = parse(&svg);
        assert_accessible(&doc, "Persone");
        let rects = bar_rects(&doc);
        assert_eq!(rects.len(), 9, "one bar per series and category, missing values as 0");
        let (step, top) = axis(30);
        assert_eq!((step, top), (10, 30));
        let per_unit: Vec<f64> = rects
            .iter()
            .filter(|r| num(**r, "data-value") > 0.0)
            .map(|r| num(*r, "height") / num(*r, "data-value"))
            .collect();
        assert!(per_unit.iter().all(|p| (p - 200.0 / 30.0).abs() < 0.01), "{per_unit:?}");
        // Every bar stands on the same baseline, and the zeros are flat.
        let bottoms: Vec<f64> = rects.iter().map(|r| num(*r, "y") + num(*r, "height")).collect();
        assert!(bottoms.iter().all(|b| (b - bottoms[0]).abs() < 1e-6));
        assert_eq!(rects.iter().filter(|r| num(**r, "height") == 0.0).count(), 3);
        // Tooltips name series, month and value; the legend lists the series.
        let titles: Vec<&str> =
            doc.descendants().filter(|n| n.has_tag_name("title")).filter_map(|n| n.text()).collect();
        assert!(titles.contains(&"Strada 2024-03: 30"));
        assert!(titles.contains(&"Indoor 2024-02: 0"));
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        for label in ["Strada", "Lavoro", "Indoor", "2024-01", "2024-03", "0", "30"] {
            assert!(texts.contains(&label), "{label} missing from {texts:?}");
        }
    }

    #[test]
    fn distinct_charts_get_distinct_ids() {
        let s = |v| vec![Series { label: "A".into(), values: vec![v] }];
        let a = bars("T", &months(1), &s(1), Lang::It);
        let b = bars("T", &months(1), &s(2), Lang::It);
        let id = |svg: &str| parse(svg).root_element().attribute("aria-labelledby").unwrap().to_string();
        assert_ne!(id(&a), id(&b));
        assert_eq!(id(&a), id(&bars("T", &months(1), &s(1), Lang::It)));
    }

    #[test]
    fn text_is_escaped() {
        let nasty = r#"<script>alert("x")</script> & 'co'"#;
        let series = vec![Series { label: nasty.into(), values: vec![1] }];
        for svg in [
            bars(nasty, &[nasty.to_string()], &series, Lang::En),
            hbars(nasty, &[(nasty.to_string(), 3)], Lang::En),
            bars(nasty, &[], &[], Lang::En),
        ] {
            assert!(!svg.contains("<script"), "{svg}");
            let doc = parse(&svg);
            assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
            assert_accessible(&doc, nasty);
            assert!(doc.descendants().filter(|n| n.is_text()).any(|n| n.text() == Some(nasty)));
        }
        assert_eq!(esc("a\u{0}b\u{1b}c\td"), "abc\td");
        parse(&hbars("x\u{0}", &[("\u{7}".into(), 1)], Lang::It));
    }

    #[test]
    fn empty_data_says_so() {
        for (svg, word) in [
            (bars("Persone", &[], &[], Lang::It), "nessun dato"),
            (bars("Persons", &months(3), &[], Lang::En), "no data"),
            (bars("Persone", &[], &[Series { label: "Strada".into(), values: vec![] }], Lang::It), "nessun dato"),
            (hbars("Nazionalità", &[], Lang::It), "nessun dato"),
        ] {
            let doc = parse(&svg);
            assert!(bar_rects(&doc).is_empty());
            assert!(doc.descendants().any(|n| n.has_tag_name("text") && n.text() == Some(word)), "{svg}");
        }
        // All zeros is data: the bars are drawn, flat.
        let zeros = bars("Kit", &months(2), &[Series { label: "Kit".into(), values: vec![0, 0] }], Lang::It);
        assert_eq!(bar_rects(&parse(&zeros)).len(), 2);
    }

    #[test]
    fn hbars_keep_the_order_and_scale_the_widths() {
        let items: Vec<(String, u64)> = vec![
            ("Nigeria".into(), 40),
            ("Romania".into(), 10),
            ("Un nome di paese lunghissimo oltre ogni misura".into(), 20),
            ("Non dichiarata (n. d.)".into(), 0),
        ];
        let svg = hbars("Nazionalità", &items, Lang::It);
        let doc = parse(&svg);
        assert_accessible(&doc, "Nazionalità");
        let rects = bar_rects(&doc);
        let values: Vec<u64> = rects.iter().map(|r| num(*r, "data-value") as u64).collect();
        assert_eq!(values, vec![40, 10, 20, 0]);
        let ys: Vec<f64> = rects.iter().map(|r| num(*r, "y")).collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "rows top to bottom in the given order");
        let w: Vec<f64> = rects.iter().map(|r| num(*r, "width")).collect();
        assert!((w[0] / 40.0 - w[1] / 10.0).abs() < 0.001 && (w[0] / 40.0 - w[2] / 20.0).abs() < 0.001, "{w:?}");
        assert_eq!(w[3], 0.0);
        assert!(w[0] + num(rects[0], "x") <= WIDTH);
        let texts: Vec<&str> = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(texts.iter().any(|t| t.ends_with('…') && t.starts_with("Un nome")));
        assert!(texts.contains(&"Un nome di paese lunghissimo oltre ogni misura: 20"));
    }

    #[test]
    fn many_months_do_not_overlap_their_labels() {
        let cats = months(36);
        let series = vec![Series { label: "A".into(), values: (0..36).collect() }];
        let svg = bars("T", &cats, &series, Lang::It);
        let doc = parse(&svg);
        let labels = doc.descendants().filter(|n| n.text().is_some_and(|t| t.starts_with("2024-"))).count();
        assert!((6..36).contains(&labels), "{labels}");
        assert_eq!(bar_rects(&doc).len(), 36);
    }
}
