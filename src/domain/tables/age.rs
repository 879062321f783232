//! Age in the reports: the age block of the street, labour and desk tables (persons, or
//! contacts, by age band × gender, "non noto" for those whose band was not said) and of
//! the indoor table (ads by declared age: how many declare one, how many declare under
//! 18, the average declared age per gender).
//!
//! JSON, an `age` object in each province's table:
//! - street, labour, desk: `{"minor": {"M":..,"F":..,"T":..}, "18-24": {..}, "25-34": {..},
//!   "35-49": {..}, "50+": {..}, "unknown": {..}}` (every band listed; `unknown` is the
//!   table's headcount less the bands, per gender);
//! - indoor: `{"known": {M,F,T}, "unknown": {M,F,T}, "minors": {M,F,T}, "average":
//!   {"M": 23.5 or null, "F": .., "T": ..}}` (ads; the average of the declared ages, null
//!   when no ad of that gender declared one).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Mft;
use crate::domain::tally::{Bucket, CellKey};
use crate::domain::{AgeBand, Count, Gender, Measure};

/// The code of the band of those whose age was not said.
pub const UNKNOWN: &str = "unknown";

/// Persons (or contacts) by age band × gender, keyed by band code and [`UNKNOWN`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AgeBands(pub BTreeMap<String, Mft>);

impl AgeBands {
    /// The count of a band (`None`: not said).
    pub fn get(&self, band: Option<AgeBand>) -> Mft {
        self.0.get(band.map_or(UNKNOWN, |b| b.code())).copied().unwrap_or_default()
    }

    /// The bands in the printed order: [`AgeBand::ALL`], then not said.
    pub fn rows() -> impl Iterator<Item = Option<AgeBand>> {
        AgeBand::ALL.iter().copied().map(Some).chain([None])
    }
}

/// The age bands of one province's cells of a table counting `count`: the band measure
/// ([`Measure::AgePersons`] or [`Measure::AgeContacts`]) per gender, and the headcount
/// not in any band as unknown.
pub fn age_bands(count: Count, cells: &[(Bucket, CellKey, u64)]) -> AgeBands {
    let mut heads = Mft::default();
    let mut banded = Mft::default();
    let mut out: BTreeMap<String, Mft> =
        AgeBands::rows().map(|b| (b.map_or(UNKNOWN, |b| b.code()).to_owned(), Mft::default())).collect();
    for (_, c, n) in cells {
        let band = match (count, c.measure) {
            (Count::Persons, Measure::AgePersons(b)) | (Count::Contacts, Measure::AgeContacts(b)) => b,
            (_, m) if m == count.headcount() => {
                heads.add(c.gender, *n);
                continue;
            }
            _ => continue,
        };
        banded.add(c.gender, *n);
        if let Some(m) = out.get_mut(band.code()) {
            m.add(c.gender, *n);
        }
    }
    let unknown = Mft {
        m: heads.m.saturating_sub(banded.m),
        f: heads.f.saturating_sub(banded.f),
        t: heads.t.saturating_sub(banded.t),
    };
    out.insert(UNKNOWN.to_owned(), unknown);
    AgeBands(out)
}

/// Averages by gender, `null` where there is nothing to average.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Average {
    /// Men.
    #[serde(rename = "M")]
    pub m: Option<f64>,
    /// Women.
    #[serde(rename = "F")]
    pub f: Option<f64>,
    /// Trans people.
    #[serde(rename = "T")]
    pub t: Option<f64>,
}

/// Averages of whole numbers are never NaN.
impl Eq for Average {}

impl Average {
    /// `sum / n` per gender, to one decimal.
    pub fn of(sum: Mft, n: Mft) -> Average {
        let avg = |g| {
            let k = n.get(g);
            (k > 0).then(|| (sum.get(g) as f64 / k as f64 * 10.0).round() / 10.0)
        };
        Average { m: avg(Gender::M), f: avg(Gender::F), t: avg(Gender::T) }
    }

    /// The average of `gender`.
    pub fn get(&self, gender: Gender) -> Option<f64> {
        match gender {
            Gender::M => self.m,
            Gender::F => self.f,
            Gender::T => self.t,
        }
    }
}

/// Ads by declared age, per gender.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdsAge {
    /// Ads declaring an age.
    pub known: Mft,
    /// Ads declaring none.
    pub unknown: Mft,
    /// Ads declaring an age under 18.
    pub minors: Mft,
    /// The average declared age.
    pub average: Average,
}

/// The declared ages of one province's indoor cells.
pub fn ads_age(cells: &[(Bucket, CellKey, u64)]) -> AdsAge {
    let (mut ads, mut known, mut minors, mut sum) = (Mft::default(), Mft::default(), Mft::default(), Mft::default());
    for (_, c, n) in cells {
        let field = match c.measure {
            Measure::Ads => &mut ads,
            Measure::AdsAgeKnown => &mut known,
            Measure::MinorAds => &mut minors,
            Measure::AdsAgeSum => &mut sum,
            _ => continue,
        };
        field.add(c.gender, *n);
    }
    let unknown =
        Mft { m: ads.m.saturating_sub(known.m), f: ads.f.saturating_sub(known.f), t: ads.t.saturating_sub(known.t) };
    AdsAge { known, unknown, minors, average: Average::of(sum, known) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Activity, Nationality, Province, Shift};

    fn cell(g: Gender, measure: Measure, n: u64) -> (Bucket, CellKey, u64) {
        let b = Bucket { activity: Activity::Street, province: Province::parse("BG").unwrap(), shift: Shift::Day };
        (b, CellKey { nationality: Nationality::UNKNOWN, gender: g, measure }, n)
    }

    #[test]
    fn bands_and_the_unknown_add_up_to_the_headcount() {
        let cells = [
            cell(Gender::F, Measure::Persons, 5),
            cell(Gender::F, Measure::AgePersons(AgeBand::Minor), 1),
            cell(Gender::F, Measure::AgePersons(AgeBand::A18_24), 2),
            cell(Gender::F, Measure::AgeContacts(AgeBand::A50Plus), 9),
            cell(Gender::T, Measure::Persons, 1),
        ];
        let a = age_bands(Count::Persons, &cells);
        assert_eq!(a.get(Some(AgeBand::Minor)).f, 1);
        assert_eq!(a.get(Some(AgeBand::A18_24)).f, 2);
        assert_eq!(a.get(Some(AgeBand::A50Plus)).f, 0, "contacts' bands are not persons'");
        assert_eq!(a.get(None), Mft { m: 0, f: 2, t: 1 });
        let total: u64 = AgeBands::rows().map(|b| a.get(b).total()).sum();
        assert_eq!(total, 6);
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["18-24"]["F"], 2);
        assert_eq!(json["unknown"]["T"], 1);
    }

    #[test]
    fn ads_age_has_minors_and_the_average() {
        let cells = [
            cell(Gender::F, Measure::Ads, 4),
            cell(Gender::F, Measure::AdsAgeKnown, 3),
            cell(Gender::F, Measure::AdsAgeSum, 17 + 23 + 30),
            cell(Gender::F, Measure::MinorAds, 1),
            cell(Gender::T, Measure::Ads, 1),
        ];
        let a = ads_age(&cells);
        assert_eq!((a.known.f, a.unknown.f, a.minors.f, a.unknown.t), (3, 1, 1, 1));
        assert_eq!(a.average.f, Some(23.3));
        assert_eq!(a.average.t, None);
        let json = serde_json::to_value(a).unwrap();
        assert_eq!(json["average"]["T"], serde_json::Value::Null);
    }
}
