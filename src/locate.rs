//! "Qui": the comune a position falls in, found on the device from the bundled boundaries
//! (ISTAT 2023, simplified to about 100 m; see assets/tools/boundaries.py). The position is
//! used once and dropped: nothing here stores or returns a position. [`outline`] gives the
//! public boundary of a comune (for the coordinators' map); it needs no `app` feature.

use std::collections::HashMap;
use std::sync::OnceLock;

#[cfg(feature = "app")]
use geo::{BoundingRect, Contains, Coord, LineString, Point, Polygon, Rect};

use crate::domain::Comune;

/// The bundled boundaries, one polygon per line (see the generator for the format).
const BOUNDARIES: &str = include_str!("../assets/comuni-boundaries.txt");

#[cfg(feature = "app")]
struct Area {
    comune: Comune,
    bbox: Rect<f64>,
    polygon: Polygon<f64>,
}

#[cfg(feature = "app")]
fn ring(text: &str) -> Option<LineString<f64>> {
    Some(LineString::new(ring_degrees(text)?.into_iter().map(|(x, y)| Coord { x, y }).collect()))
}

#[cfg(feature = "app")]
fn areas() -> &'static [Area] {
    static AREAS: OnceLock<Vec<Area>> = OnceLock::new();
    AREAS.get_or_init(|| {
        BOUNDARIES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .filter_map(|line| {
                let mut parts = line.split('|');
                let comune = Comune::parse(parts.next()?).ok()?;
                let mut rings = parts.map(ring);
                let outer = rings.next()??;
                let holes = rings.collect::<Option<Vec<_>>>()?;
                let polygon = Polygon::new(outer, holes);
                Some(Area { comune, bbox: polygon.bounding_rect()?, polygon })
            })
            .collect()
    })
}

/// The comune containing the point (WGS 84 degrees), if it is in Italy.
#[cfg(feature = "app")]
pub fn comune_at(latitude: f64, longitude: f64) -> Option<Comune> {
    if !latitude.is_finite() || !longitude.is_finite() {
        return None;
    }
    let p = Point::new(longitude, latitude);
    areas().iter().find(|a| a.bbox.contains(&p) && a.polygon.contains(&p)).map(|a| a.comune)
}

/// The text of each comune's polygon lines (`ring|ring...`, the code cut off), by ISTAT code.
fn polygon_lines() -> &'static HashMap<&'static str, Vec<&'static str>> {
    static LINES: OnceLock<HashMap<&'static str, Vec<&'static str>>> = OnceLock::new();
    LINES.get_or_init(|| {
        let mut by_code: HashMap<&'static str, Vec<&'static str>> = HashMap::new();
        for line in BOUNDARIES.lines().filter(|l| !l.starts_with('#') && !l.is_empty()) {
            if let Some((code, rings)) = line.split_once('|') {
                by_code.entry(code).or_default().push(rings);
            }
        }
        by_code
    })
}

/// Decodes one delta-encoded ring into (longitude, latitude) degrees.
fn ring_degrees(text: &str) -> Option<Vec<(f64, f64)>> {
    let (mut x, mut y) = (0i64, 0i64);
    let mut points = Vec::new();
    for (i, pair) in text.split(' ').enumerate() {
        let (a, b) = pair.split_once(',')?;
        let (a, b): (i64, i64) = (a.parse().ok()?, b.parse().ok()?);
        (x, y) = if i == 0 { (a, b) } else { (x.checked_add(a)?, y.checked_add(b)?) };
        points.push((x as f64 / 1e5, y as f64 / 1e5));
    }
    Some(points)
}

/// The bundled boundary of `comune`: every ring of every polygon (outer boundaries and
/// holes alike, to be filled with the even-odd rule), as (longitude, latitude) in WGS 84
/// degrees, simplified to about 100 m. `None` when no boundary is bundled for it or its
/// line does not decode.
pub fn outline(comune: Comune) -> Option<Vec<Vec<(f64, f64)>>> {
    let lines = polygon_lines().get(comune.code())?;
    lines.iter().flat_map(|l| l.split('|')).map(ring_degrees).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_comune_has_an_outline_in_italy() {
        let mut rings = 0;
        for p in crate::domain::Province::all() {
            for c in p.comuni() {
                let outline = outline(c).unwrap_or_else(|| panic!("{c:?} has no outline"));
                for ring in &outline {
                    assert!(ring.len() >= 3, "{c:?}");
                    for &(lon, lat) in ring {
                        assert!((6.0..19.0).contains(&lon) && (35.0..48.0).contains(&lat), "{c:?} {lon},{lat}");
                    }
                }
                rings += outline.len();
            }
        }
        let lines = BOUNDARIES.lines().filter(|l| !l.starts_with('#')).count();
        assert!(rings >= lines, "{rings} rings for {lines} polygons");
    }

    #[test]
    fn outline_of_brescia_surrounds_piazza_della_loggia() {
        let brescia = Comune::parse("017029").unwrap();
        let outline = outline(brescia).unwrap();
        let (lon, lat) = (10.2200, 45.5390);
        let xs = outline.iter().flatten().map(|p| p.0);
        let ys = outline.iter().flatten().map(|p| p.1);
        let (w, e) = (xs.clone().fold(f64::MAX, f64::min), xs.fold(f64::MIN, f64::max));
        let (s, n) = (ys.clone().fold(f64::MAX, f64::min), ys.fold(f64::MIN, f64::max));
        assert!(w < lon && lon < e && s < lat && lat < n, "{w} {e} {s} {n}");
        assert!(e - w < 0.3 && n - s < 0.3, "a comune, not a region");
    }

    #[test]
    fn a_broken_ring_decodes_to_nothing() {
        assert_eq!(ring_degrees("1,2 3,4"), Some(vec![(1e-5, 2e-5), (4e-5, 6e-5)]));
        assert_eq!(ring_degrees("1,2 x,4"), None);
        assert_eq!(ring_degrees("1;2"), None);
    }

    #[cfg(feature = "app")]
    #[test]
    fn every_bundled_boundary_parses_and_names_a_known_comune() {
        let lines = BOUNDARIES.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(areas().len(), lines);
        let comuni: std::collections::BTreeSet<_> = areas().iter().map(|a| a.comune.code()).collect();
        assert_eq!(comuni.len(), 7899);
    }

    #[cfg(feature = "app")]
    #[test]
    fn known_places_fall_in_their_comune() {
        let cases = [
            (45.5390, 10.2200, "Brescia"),     // Piazza della Loggia
            (45.4641, 9.1919, "Milano"),       // Duomo
            (41.8902, 12.4922, "Roma"),        // Colosseo
            (40.8518, 14.2681, "Napoli"),      // Piazza del Plebiscito
            (45.4408, 12.3155, "Venezia"),     // San Marco
            (45.4156, 10.3917, "Montichiari"), // centre
            (38.1157, 13.3615, "Palermo"),
        ];
        for (lat, lon, name) in cases {
            assert_eq!(comune_at(lat, lon).map(|c| c.name()), Some(name), "{lat},{lon}");
        }
    }

    #[cfg(feature = "app")]
    #[test]
    fn outside_italy_and_nonsense_find_nothing() {
        assert_eq!(comune_at(43.0, 6.0), None); // the sea off Toulon
        assert_eq!(comune_at(48.8566, 2.3522), None); // Paris
        assert_eq!(comune_at(f64::NAN, 10.0), None);
        assert_eq!(comune_at(91.0, 10.0), None);
    }
}
