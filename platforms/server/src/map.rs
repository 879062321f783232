//! A map of the comuni the units worked in, as a self-contained SVG string: each worked
//! comune shaded by its number of outings (a sequential, colour-blind-safe palette in up to
//! five classes, with a legend of the class bounds and a tooltip "Name: N uscite"), the
//! other comuni of the same provinces in light grey for context. Boundaries come from the
//! core's bundled ISTAT 2023 outlines ([`lanterna::locate::outline`]); coordinates are
//! rounded to the pixel so a province of some 250 comuni stays well under 300 KB.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use lanterna::domain::{Comune, Lang};
use lanterna::locate::outline;

use crate::charts::{chart_id, empty_chart, esc, open_svg, text_width};

/// Sequential classes, light to dark (ColorBrewer YlGnBu without its palest step, which
/// would be lost against the grey context): readable with the common colour-vision
/// deficiencies and in greyscale.
const CLASS_COLOURS: [&str; 5] = ["#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"];
const CONTEXT_FILL: &str = "#eeeeee";
const CONTEXT_STROKE: &str = "#c8c8c8";

/// The largest side of the map itself, in user units (= pixels at 100%).
const MAP_SIDE: f64 = 600.0;
const PAD: f64 = 8.0;
const TITLE_H: f64 = 30.0;

/// A comune's rings, (longitude, latitude) degrees, as [`outline`] gives them.
type Rings = Vec<Vec<(f64, f64)>>;

/// Up to five classes of counts, as inclusive `(low, high)` bounds covering 1..=max with no
/// gap: the class limits are quantiles of the counts, so a city with many outings does not
/// push every other comune into the first class.
fn classes(counts: &[u64]) -> Vec<(u64, u64)> {
    let mut sorted: Vec<u64> = counts.iter().copied().filter(|&c| c > 0).collect();
    sorted.sort_unstable();
    let n = sorted.len();
    if n == 0 {
        return Vec::new();
    }
    let k = CLASS_COLOURS.len().min(n);
    let mut highs: Vec<u64> = (1..=k).map(|i| sorted[(i * n).div_ceil(k) - 1]).collect();
    highs.dedup();
    let mut low = 1;
    highs
        .into_iter()
        .map(|high| {
            let class = (low, high);
            low = high + 1;
            class
        })
        .collect()
}

/// The colour of class `index` of `count` classes, spread over the palette.
fn class_colour(index: usize, count: usize) -> &'static str {
    let last = CLASS_COLOURS.len() - 1;
    let i = if count <= 1 { last - 1 } else { (index * last + (count - 1) / 2) / (count - 1) };
    CLASS_COLOURS[i.min(last)]
}

/// "N uscite" / "N outings", singular for one.
fn outings(n: u64, lang: Lang) -> String {
    match (lang, n) {
        (Lang::It, 1) => "1 uscita".to_string(),
        (Lang::It, n) => format!("{n} uscite"),
        (Lang::En, 1) => "1 outing".to_string(),
        (Lang::En, n) => format!("{n} outings"),
    }
}

/// Appends `n` to a path, with a separator only where one is needed.
fn push_num(d: &mut String, n: i64) {
    if n >= 0 && d.chars().last().is_some_and(|c| c.is_ascii_digit()) {
        d.push(' ');
    }
    let _ = write!(d, "{n}");
}

/// The equirectangular projection of a comune's rings onto the page, ready for `path_data`.
struct Projection {
    min_x: f64,
    max_y: f64,
    cos_lat: f64,
    scale: f64,
}

impl Projection {
    fn point(&self, (lon, lat): (f64, f64)) -> (i64, i64) {
        let x = (lon * self.cos_lat - self.min_x) * self.scale + PAD;
        let y = (self.max_y - lat) * self.scale + PAD + TITLE_H;
        (x.round() as i64, y.round() as i64)
    }

    /// Path data for the rings, in whole pixels and relative moves, dropping the points
    /// that fall on the same pixel as the previous one and the rings left with no area.
    fn path_data(&self, rings: &Rings, d: &mut String) {
        for ring in rings {
            let mut points: Vec<(i64, i64)> = Vec::with_capacity(ring.len());
            for &p in ring {
                let q = self.point(p);
                if points.last() != Some(&q) {
                    points.push(q);
                }
            }
            while points.len() > 1 && points.first() == points.last() {
                points.pop();
            }
            if points.len() < 3 {
                continue;
            }
            d.push('M');
            push_num(d, points[0].0);
            push_num(d, points[0].1);
            d.push('l');
            for w in points.windows(2) {
                push_num(d, w[1].0 - w[0].0);
                push_num(d, w[1].1 - w[0].1);
            }
            d.push('z');
        }
    }
}

/// The map of the worked comuni, `shaded` giving each one's number of outings (repeated
/// comuni are added up; zero counts are drawn as context), with the other comuni of their
/// provinces in grey. A comune without a bundled outline is left out. Nothing to draw gives
/// a chart that says "nessun dato" / "no data".
pub fn comuni_map(title: &str, shaded: &[(Comune, u64)], lang: Lang) -> String {
    let mut counts: BTreeMap<Comune, u64> = BTreeMap::new();
    for &(comune, n) in shaded {
        if n > 0 {
            let c = counts.entry(comune).or_insert(0);
            *c = c.saturating_add(n);
        }
    }
    let worked: Vec<(Comune, u64, Rings)> = counts.into_iter().filter_map(|(c, n)| Some((c, n, outline(c)?))).collect();

    let mut id_parts: Vec<Vec<u8>> = vec![title.as_bytes().to_vec()];
    id_parts.extend(worked.iter().map(|(c, n, _)| [c.code().as_bytes(), &n.to_le_bytes()].concat()));
    let id = chart_id("map", &id_parts.iter().map(Vec::as_slice).collect::<Vec<_>>());
    if worked.is_empty() {
        return empty_chart(&id, title, lang);
    }

    let provinces: BTreeSet<_> = worked.iter().map(|(c, _, _)| c.province()).collect();
    let context: Vec<Rings> = provinces
        .iter()
        .flat_map(|p| p.comuni())
        .filter(|c| !worked.iter().any(|(w, _, _)| w == c))
        .filter_map(outline)
        .collect();

    // Fit the bounding box of everything drawn, longitudes shrunk by cos(latitude).
    let all = worked.iter().map(|(_, _, o)| o).chain(&context).flatten().flatten();
    let (mut west, mut east, mut south, mut north) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lon, lat) in all {
        (west, east, south, north) = (west.min(lon), east.max(lon), south.min(lat), north.max(lat));
    }
    let cos_lat = ((south + north) / 2.0).to_radians().cos();
    let (w, h) = ((east - west) * cos_lat, north - south);
    let scale = MAP_SIDE / w.max(h).max(1e-9);
    let proj = Projection { min_x: west * cos_lat, max_y: north, cos_lat, scale };
    let map_w = (w * scale).ceil() + 2.0 * PAD;
    let map_h = (h * scale).ceil() + 2.0 * PAD;

    let classes = classes(&worked.iter().map(|(_, n, _)| *n).collect::<Vec<_>>());
    let class_of = |n: u64| classes.iter().position(|&(_, high)| n <= high).unwrap_or(classes.len() - 1);
    let bounds = |(low, high): (u64, u64)| if low == high { low.to_string() } else { format!("{low}–{high}") };
    let legend_title = match lang {
        Lang::It => "Uscite",
        Lang::En => "Outings",
    };

    let mut by_count: Vec<&(Comune, u64, _)> = worked.iter().collect();
    by_count.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.name().cmp(b.0.name())));
    let desc = format!(
        "{}. {}: {}.",
        by_count.iter().map(|(c, n, _)| format!("{}: {}", c.name(), outings(*n, lang))).collect::<Vec<_>>().join(", "),
        legend_title,
        classes.iter().map(|&b| bounds(b)).collect::<Vec<_>>().join(", ")
    );

    let legend_y = TITLE_H + map_h + 6.0;
    let width = map_w.max(360.0);
    let height = legend_y + 26.0;
    let mut out = String::new();
    open_svg(&mut out, &id, width, height, title, &desc);
    let _ = write!(out, r##"<text x="8" y="20" font-size="15" font-weight="bold" fill="#222">{}</text>"##, esc(title));

    let mut d = String::new();
    for rings in &context {
        proj.path_data(rings, &mut d);
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path class="context" d="{d}" fill="{CONTEXT_FILL}" stroke="{CONTEXT_STROKE}" stroke-width="0.5" stroke-linejoin="round" fill-rule="evenodd"/>"#
        );
    }
    for (comune, n, rings) in &worked {
        let mut d = String::new();
        proj.path_data(rings, &mut d);
        if d.is_empty() {
            // Smaller than a pixel: a dot keeps it visible and its tooltip reachable.
            let lon = rings.iter().flatten().map(|p| p.0).sum::<f64>() / rings.iter().flatten().count().max(1) as f64;
            let lat = rings.iter().flatten().map(|p| p.1).sum::<f64>() / rings.iter().flatten().count().max(1) as f64;
            let (x, y) = proj.point((lon, lat));
            d = format!("M{} {}h2v2h-2z", x - 1, y - 1);
        }
        let class = class_of(*n);
        let _ = write!(
            out,
            r##"<path class="worked" data-istat="{}" data-class="{}" d="{d}" fill="{}" stroke="#555" stroke-width="0.6" stroke-linejoin="round" fill-rule="evenodd"><title>{}: {}</title></path>"##,
            comune.code(),
            class + 1,
            class_colour(class, classes.len()),
            esc(comune.name()),
            outings(*n, lang)
        );
    }

    // Legend: the class bounds, light to dark.
    let mut x = PAD;
    let _ = write!(out, r##"<text x="{x}" y="{}" font-size="12" fill="#222">{legend_title}</text>"##, legend_y + 13.0);
    x += text_width(legend_title, 12.0) + 10.0;
    for (i, &b) in classes.iter().enumerate() {
        let label = bounds(b);
        let _ = write!(
            out,
            r##"<rect class="legend" data-class="{}" data-low="{}" data-high="{}" x="{x}" y="{}" width="18" height="14" fill="{}" stroke="#555" stroke-width="0.6"/><text x="{}" y="{}" font-size="12" fill="#222">{label}</text>"##,
            i + 1,
            b.0,
            b.1,
            legend_y + 2.0,
            class_colour(i, classes.len()),
            x + 22.0,
            legend_y + 13.0,
        );
        x += 22.0 + text_width(&label, 12.0) + 14.0;
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::tests::{assert_accessible, parse};
    use lanterna::domain::Province;

    fn comune(code: &str) -> Comune {
        Comune::parse(code).unwrap()
    }

    fn worked<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<(&'a str, usize, &'a str)> {
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("worked"))
            .map(|n| {
                let title = n.children().find(|c| c.has_tag_name("title")).and_then(|t| t.text()).unwrap();
                (n.attribute("data-istat").unwrap(), n.attribute("data-class").unwrap().parse().unwrap(), title)
            })
            .collect()
    }

    #[test]
    fn classes_cover_one_to_the_maximum_without_gaps() {
        for counts in [
            vec![1],
            vec![3, 3, 3],
            vec![1, 2],
            vec![1, 1, 1, 2, 3, 5, 8, 13, 40, 200],
            (1..=100).collect(),
            vec![7, 0, 9],
        ] {
            let c = classes(&counts);
            let max = *counts.iter().max().unwrap();
            assert!(!c.is_empty() && c.len() <= 5, "{counts:?} {c:?}");
            assert_eq!(c[0].0, 1);
            assert_eq!(c.last().unwrap().1, max, "the last class holds the maximum");
            assert!(c.windows(2).all(|w| w[1].0 == w[0].1 + 1), "{c:?}");
            assert!(c.iter().all(|(lo, hi)| lo <= hi), "{c:?}");
        }
        assert_eq!(classes(&[1, 1, 1, 2, 3, 5, 8, 13, 40, 200]), vec![(1, 1), (2, 2), (3, 5), (6, 13), (14, 200)]);
        assert!(classes(&[]).is_empty() && classes(&[0]).is_empty());
        // Two classes take the lightest and the darkest colours; five take all.
        assert_eq!((class_colour(0, 2), class_colour(1, 2)), (CLASS_COLOURS[0], CLASS_COLOURS[4]));
        assert_eq!((0..5).map(|i| class_colour(i, 5)).collect::<Vec<_>>(), CLASS_COLOURS);
    }

    #[test]
    fn map_draws_exactly_the_worked_comuni_in_their_classes() {
        let bergamo = comune("016024");
        let dalmine = comune("016091");
        let brescia = comune("017029");
        let shaded =
            [(bergamo, 40), (dalmine, 3), (brescia, 1), (dalmine, 2), (comune("016011"), 0), (comune("016001"), 12)];
        let svg = comuni_map("Uscite <2024>", &shaded, Lang::It);
        let doc = parse(&svg);
        assert_accessible(&doc, "Uscite <2024>");
        let mut got = worked(&doc);
        got.sort();
        let expected_classes = classes(&[40, 5, 1, 12]);
        assert_eq!(expected_classes, vec![(1, 1), (2, 5), (6, 12), (13, 40)]);
        assert_eq!(
            got,
            vec![
                ("016001", 3, "Adrara San Martino: 12 uscite"),
                ("016024", 4, "Bergamo: 40 uscite"),
                ("016091", 2, "Dalmine: 5 uscite"),
                ("017029", 1, "Brescia: 1 uscita"),
            ]
        );
        // Legend: one swatch per class, the last reaching the maximum.
        let legend: Vec<(u64, u64)> = doc
            .descendants()
            .filter(|n| n.attribute("class") == Some("legend"))
            .map(|n| {
                (n.attribute("data-low").unwrap().parse().unwrap(), n.attribute("data-high").unwrap().parse().unwrap())
            })
            .collect();
        assert_eq!(legend, expected_classes);
        let texts: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("text")).filter_map(|n| n.text()).collect();
        for t in ["1", "2–5", "6–12", "13–40", "Uscite"] {
            assert!(texts.contains(&t), "{t} not in {texts:?}");
        }
        // Context: the other comuni of both provinces, in one grey path with one ring or
        // more per comune.
        let context = doc.descendants().find(|n| n.attribute("class") == Some("context")).unwrap();
        let rings = context.attribute("d").unwrap().matches('M').count();
        let others = Province::parse("BG").unwrap().comuni().len() + Province::parse("BS").unwrap().comuni().len() - 4;
        assert!(rings >= others * 95 / 100, "{rings} rings for {others} comuni");
        let desc = doc.descendants().find(|n| n.has_tag_name("desc")).and_then(|n| n.text()).unwrap();
        assert!(desc.starts_with("Bergamo: 40 uscite, Adrara San Martino: 12 uscite, Dalmine: 5 uscite"), "{desc}");
    }

    #[test]
    fn north_is_up_and_the_map_fits_its_box() {
        // Sondrio (north) above Cremona (south), both in Lombardy but different provinces.
        let svg = comuni_map("T", &[(comune("014061"), 1), (comune("019036"), 2)], Lang::En);
        let doc = parse(&svg);
        let first_y = |code: &str| -> i64 {
            let d =
                doc.descendants().find(|n| n.attribute("data-istat") == Some(code)).unwrap().attribute("d").unwrap();
            d[1..].split('l').next().unwrap().split(' ').nth(1).unwrap().parse().unwrap()
        };
        assert!(first_y("014061") < first_y("019036"));
        let vb: Vec<f64> =
            doc.root_element().attribute("viewBox").unwrap().split(' ').map(|v| v.parse().unwrap()).collect();
        assert!(vb[2] <= MAP_SIDE + 2.0 * PAD + 1.0 && vb[3] <= MAP_SIDE + 2.0 * PAD + TITLE_H + 40.0, "{vb:?}");
        assert_eq!(worked(&doc).iter().map(|w| w.2).collect::<Vec<_>>(), ["Sondrio: 1 outing", "Cremona: 2 outings"]);
    }

    #[test]
    fn nothing_to_draw_says_so() {
        for (shaded, lang, word) in
            [(vec![], Lang::It, "nessun dato"), (vec![(comune("016024"), 0)], Lang::En, "no data")]
        {
            let svg = comuni_map("Mappa", &shaded, lang);
            let doc = parse(&svg);
            assert!(worked(&doc).is_empty());
            assert!(doc.descendants().any(|n| n.text() == Some(word)), "{svg}");
        }
    }

    #[test]
    fn a_whole_province_stays_small() {
        // Bergamo (243 comuni) and Torino (312, the most of any province).
        for (province, at_least) in [("BG", 200), ("TO", 300)] {
            let comuni = Province::parse(province).unwrap().comuni();
            assert!(comuni.len() > at_least);
            let shaded: Vec<(Comune, u64)> = comuni.iter().enumerate().map(|(i, &c)| (c, i as u64 % 17 + 1)).collect();
            let svg = comuni_map(province, &shaded, Lang::It);
            let doc = parse(&svg);
            assert_eq!(worked(&doc).len(), comuni.len());
            assert!(svg.len() < 300_000, "{province}: {} bytes", svg.len());
            // Half the province worked, the other half as context: still small.
            let half = comuni_map(province, &shaded[..shaded.len() / 2], Lang::It);
            assert!(half.len() < 300_000, "{province}: {} bytes", half.len());
            eprintln!("{province}: {} bytes all worked, {} half", svg.len(), half.len());
        }
    }

    /// Writes sample charts to tests/e2e/screenshots/ (gitignored) to look at by eye.
    #[test]
    fn write_samples() {
        use crate::charts::{Series, bars, hbars};
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e/screenshots");
        if std::fs::create_dir_all(&dir).is_err() {
            return;
        }
        let months: Vec<String> = (1..=12).map(|m| format!("2024-{m:02}")).collect();
        let series = vec![
            Series { label: "Strada".into(), values: vec![12, 15, 9, 20, 31, 28, 25, 17, 22, 30, 18, 11] },
            Series { label: "Lavoro".into(), values: vec![3, 4, 2, 6, 8, 9, 11, 7, 5, 4, 3, 2] },
            Series { label: "Indoor".into(), values: vec![5, 6, 8, 7, 9, 10, 6, 4, 8, 9, 12, 10] },
        ];
        let nat: Vec<(String, u64)> =
            [("Nigeria", 48), ("Romania", 31), ("Albania", 12), ("Cina", 9), ("Non dichiarata (n. d.)", 4)]
                .iter()
                .map(|(l, v)| (l.to_string(), *v))
                .collect();
        let bg = Province::parse("BG").unwrap().comuni();
        let shaded: Vec<(Comune, u64)> =
            bg.iter().enumerate().filter(|(i, _)| i % 4 == 0).map(|(i, &c)| (c, (i as u64 * 7) % 23 + 1)).collect();
        let samples = [
            ("chart-bars.svg", bars("Persone incontrate per mese", &months, &series, Lang::It)),
            ("chart-hbars.svg", hbars("Nazionalità", &nat, Lang::It)),
            ("chart-empty.svg", bars("Kit per mese", &[], &[], Lang::It)),
            ("map-bergamo.svg", comuni_map("Comuni con uscite", &shaded, Lang::It)),
            (
                "map-two-provinces.svg",
                comuni_map(
                    "Outings by comune",
                    &[(comune("016024"), 40), (comune("017029"), 55), (comune("017112"), 2)],
                    Lang::En,
                ),
            ),
        ];
        for (name, svg) in samples {
            parse(&svg);
            let _ = std::fs::write(dir.join(name), svg);
        }
    }
}
