//! Nationalities: an ISO 3166-1 alpha-2 country, or one of the user-assigned group codes
//! used when only a region of origin is known, or ZZ when it was not recorded/declared.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use super::text::{csv_fields, fold};
use super::{DomainError, Lang};

const COUNTRIES_CSV: &str = include_str!("../../assets/countries.csv");

/// The group codes (user-assigned in ISO 3166-1), in the order reports print them, after
/// every country and before ZZ.
const GROUPS: &[(&str, &str, &str)] = &[
    ("XE", "Est Europa", "Eastern Europe"),
    ("XS", "Sud America, altro", "South America, other"),
    ("XO", "Orientale, altro", "Oriental, other"),
    ("XA", "Africa, altro", "Africa, other"),
    ("XX", "Altri paesi", "Other countries"),
];

/// How the unknown nationality is worded: street tables say "Non rilevato", the indoor
/// (ads) tables "Non dichiarata (n. d.)".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownWording {
    /// "Non rilevato": the street and labour tables.
    NotRecorded,
    /// "Non dichiarata (n. d.)": the indoor tables.
    NotDeclared,
    /// "Non rilevata / non dichiarata": pickers and neutral places.
    Neutral,
}

struct Entry {
    code: [u8; 2],
    name_it: String,
    name_en: String,
    folded_it: String,
    /// 0 country, 1 + index for groups, 9 for unknown.
    rank: u8,
}

struct Registry {
    entries: Vec<Entry>,
    by_code: HashMap<[u8; 2], usize>,
    /// Folded Italian and English names and aliases to an entry.
    by_name: HashMap<String, usize>,
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut entries = Vec::new();
        for line in COUNTRIES_CSV.lines().skip(1).filter(|l| !l.trim().is_empty()) {
            let f = csv_fields(line);
            let code = f[0].as_bytes();
            entries.push(Entry {
                code: [code[0], code[1]],
                folded_it: fold(&f[3]),
                name_it: f[3].clone(),
                name_en: f[4].clone(),
                rank: 0,
            });
        }
        for (i, (code, it, en)) in GROUPS.iter().enumerate() {
            let c = code.as_bytes();
            entries.push(Entry {
                code: [c[0], c[1]],
                name_it: (*it).to_owned(),
                name_en: (*en).to_owned(),
                folded_it: fold(it),
                rank: 1 + i as u8,
            });
        }
        entries.push(Entry {
            code: *b"ZZ",
            name_it: "Non rilevata / non dichiarata".to_owned(),
            name_en: "Not recorded / not declared".to_owned(),
            folded_it: fold("Non rilevata"),
            rank: 9,
        });
        let mut by_code = HashMap::new();
        let mut by_name = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            by_code.insert(e.code, i);
            by_name.insert(fold(&e.name_it), i);
            by_name.insert(fold(&e.name_en), i);
        }
        let zz = by_code[b"ZZ"];
        for alias in [
            "Non rilevato",
            "Non rilevata",
            "Non dichiarata",
            "Non dichiarato",
            "Non dichiarata (n. d.)",
            "n. d.",
            "n.d.",
        ] {
            by_name.insert(fold(alias), zz);
        }
        for (alias, code) in [
            ("Sud America altra", "XS"),
            ("Sud America", "XS"),
            ("Orientale altra", "XO"),
            ("Orientale", "XO"),
            ("Africa", "XA"),
            ("Altro", "XX"),
            ("Altra", "XX"),
            ("Stati Uniti", "US"),
            ("Federazione Russa", "RU"),
            ("Taiwan", "TW"),
        ] {
            let c = code.as_bytes();
            by_name.insert(fold(alias), by_code[&[c[0], c[1]]]);
        }
        Registry { entries, by_code, by_name }
    })
}

/// A validated nationality code.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Nationality([u8; 2]);

impl Nationality {
    /// Not recorded / not declared.
    pub const UNKNOWN: Nationality = Nationality(*b"ZZ");

    /// Parses a code (`RO`, `ng`, `XE`, `ZZ`); unknown codes are an error.
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let upper = code.trim().to_ascii_uppercase();
        let b = upper.as_bytes();
        if b.len() == 2 && registry().by_code.contains_key(&[b[0], b[1]]) {
            Ok(Nationality([b[0], b[1]]))
        } else {
            Err(DomainError::unknown(
                "nationality",
                code,
                "an ISO 3166-1 alpha-2 code such as RO or NG, a group XE, XS, XO, XA, XX, or ZZ",
            ))
        }
    }

    /// Finds a nationality by its Italian or English name or a usual alias
    /// ("Romania", "Perù", "Est Europa", "Non rilevato"), ignoring case and accents.
    pub fn from_name(name: &str) -> Result<Self, DomainError> {
        let r = registry();
        r.by_name.get(&fold(name.trim())).map(|&i| Nationality(r.entries[i].code)).ok_or_else(|| {
            DomainError::unknown("nationality name", name, "a country name in Italian or English, or a group")
        })
    }

    fn entry(self) -> &'static Entry {
        let r = registry();
        &r.entries[r.by_code[&self.0]]
    }

    /// The code (`RO`).
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.0).expect("codes are ASCII")
    }

    /// True for ZZ.
    pub fn is_unknown(self) -> bool {
        self.0 == *b"ZZ"
    }

    /// True for a group (XE, XS, XO, XA, XX).
    pub fn is_group(self) -> bool {
        (1..9).contains(&self.entry().rank)
    }

    /// The name in `lang`, with ZZ worded as `unknown` says.
    pub fn label_as(self, lang: Lang, unknown: UnknownWording) -> &'static str {
        if self.is_unknown() {
            return match (unknown, lang) {
                (UnknownWording::NotRecorded, Lang::It) => "Non rilevato",
                (UnknownWording::NotRecorded, Lang::En) => "Not recorded",
                (UnknownWording::NotDeclared, Lang::It) => "Non dichiarata (n. d.)",
                (UnknownWording::NotDeclared, Lang::En) => "Not declared (n. d.)",
                (UnknownWording::Neutral, _) => self.label(lang),
            };
        }
        self.label(lang)
    }

    /// The name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let e = self.entry();
        match lang {
            Lang::It => &e.name_it,
            Lang::En => &e.name_en,
        }
    }

    /// Report order: countries by Italian name, then the groups, then "non rilevato".
    pub fn sort_key(self) -> (u8, &'static str) {
        let e = self.entry();
        (e.rank, &e.folded_it)
    }

    /// Every known nationality in report order.
    pub fn all() -> Vec<Nationality> {
        let mut v: Vec<_> = registry().entries.iter().map(|e| Nationality(e.code)).collect();
        v.sort_by_key(|n| n.sort_key());
        v
    }

    /// Nationalities whose Italian or English name or code matches `query` (accents and
    /// case ignored): code and name prefixes first, then other substrings; report order
    /// within each.
    pub fn search(query: &str) -> Vec<Nationality> {
        let q = fold(query.trim());
        if q.is_empty() {
            return Nationality::all();
        }
        let mut scored: Vec<(u8, Nationality)> = registry()
            .entries
            .iter()
            .filter_map(|e| {
                let n = Nationality(e.code);
                let en = fold(&e.name_en);
                let score = if n.code().eq_ignore_ascii_case(&q) {
                    0
                } else if e.folded_it.starts_with(&q) || en.starts_with(&q) {
                    1
                } else if e.folded_it.contains(&q) || en.contains(&q) {
                    2
                } else {
                    return None;
                };
                Some((score, n))
            })
            .collect();
        scored.sort_by_key(|(s, n)| (*s, n.sort_key()));
        scored.into_iter().map(|(_, n)| n).collect()
    }
}

impl PartialOrd for Nationality {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Nationality {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key()).then(self.0.cmp(&other.0))
    }
}

impl fmt::Debug for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nationality({})", self.code())
    }
}

impl fmt::Display for Nationality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl std::str::FromStr for Nationality {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, DomainError> {
        Nationality::parse(s)
    }
}

impl serde::Serialize for Nationality {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

impl<'de> serde::Deserialize<'de> for Nationality {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Nationality::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(code: &str) -> Nationality {
        Nationality::parse(code).unwrap()
    }

    #[test]
    fn parses_countries_groups_and_unknown() {
        assert_eq!(n("ro").code(), "RO");
        assert_eq!(n("RO").label(Lang::It), "Romania");
        assert_eq!(n("PE").label(Lang::It), "Perù");
        assert_eq!(n("XE").label(Lang::It), "Est Europa");
        assert!(n("XE").is_group());
        assert!(n("ZZ").is_unknown());
        assert!(Nationality::parse("QQ").is_err());
        assert!(Nationality::parse("ROU").is_err());
    }

    #[test]
    fn names_resolve_including_report_wordings() {
        assert_eq!(Nationality::from_name("Perù").unwrap(), n("PE"));
        assert_eq!(Nationality::from_name("peru").unwrap(), n("PE"));
        assert_eq!(Nationality::from_name("Non rilevato").unwrap(), Nationality::UNKNOWN);
        assert_eq!(Nationality::from_name("Non dichiarata (n. d.)").unwrap(), Nationality::UNKNOWN);
        assert_eq!(Nationality::from_name("Est Europa").unwrap(), n("XE"));
        assert!(Nationality::from_name("Atlantide").is_err());
    }

    #[test]
    fn report_order_is_italian_names_then_groups_then_unknown() {
        let mut v = [n("ZZ"), n("XE"), n("RO"), n("PE"), n("AL"), n("XA"), n("NG")];
        v.sort();
        let codes: Vec<_> = v.iter().map(|n| n.code().to_owned()).collect();
        assert_eq!(codes, ["AL", "NG", "PE", "RO", "XE", "XA", "ZZ"]);
        assert_eq!(n("ZZ").label_as(Lang::It, UnknownWording::NotRecorded), "Non rilevato");
    }

    #[test]
    fn search_puts_prefixes_first() {
        let found = Nationality::search("rom");
        assert_eq!(found[0], n("RO"));
        assert_eq!(Nationality::search("ng")[0], n("NG"));
        assert!(Nationality::search("zzzzzz").is_empty());
    }
}
