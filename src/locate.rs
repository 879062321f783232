//! "Qui": the comune a position falls in, found on the device from the bundled boundaries
//! (ISTAT 2023, simplified to about 100 m; see assets/tools/boundaries.py). The position is
//! used once and dropped: nothing here stores or returns coordinates.

use std::sync::OnceLock;

use geo::{BoundingRect, Contains, Coord, LineString, Point, Polygon, Rect};

use crate::domain::Comune;

/// The bundled boundaries, one polygon per line (see the generator for the format).
const BOUNDARIES: &str = include_str!("../assets/comuni-boundaries.txt");

struct Area {
    comune: Comune,
    bbox: Rect<f64>,
    polygon: Polygon<f64>,
}

fn ring(text: &str) -> Option<LineString<f64>> {
    let mut coords = Vec::new();
    let (mut x, mut y) = (0i64, 0i64);
    for (i, pair) in text.split(' ').enumerate() {
        let (a, b) = pair.split_once(',')?;
        let (a, b): (i64, i64) = (a.parse().ok()?, b.parse().ok()?);
        (x, y) = if i == 0 { (a, b) } else { (x + a, y + b) };
        coords.push(Coord { x: x as f64 / 1e5, y: y as f64 / 1e5 });
    }
    Some(LineString::new(coords))
}

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
pub fn comune_at(latitude: f64, longitude: f64) -> Option<Comune> {
    if !latitude.is_finite() || !longitude.is_finite() {
        return None;
    }
    let p = Point::new(longitude, latitude);
    areas().iter().find(|a| a.bbox.contains(&p) && a.polygon.contains(&p)).map(|a| a.comune)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_boundary_parses_and_names_a_known_comune() {
        let lines = BOUNDARIES.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(areas().len(), lines);
        let comuni: std::collections::BTreeSet<_> = areas().iter().map(|a| a.comune.code()).collect();
        assert_eq!(comuni.len(), 7899);
    }

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

    #[test]
    fn outside_italy_and_nonsense_find_nothing() {
        assert_eq!(comune_at(43.0, 6.0), None); // the sea off Toulon
        assert_eq!(comune_at(48.8566, 2.3522), None); // Paris
        assert_eq!(comune_at(f64::NAN, 10.0), None);
        assert_eq!(comune_at(91.0, 10.0), None);
    }
}
