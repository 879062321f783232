//! Nationalities: an ISO 3166-1 alpha-2 country, or one of the user-assigned group codes
//! used when only a region of origin is known, or ZZ when it was not recorded/declared.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use super::text::{csv_fields, fold};
use super::{DomainError, Lang};

const COUNTRIES_CSV: &str = include_str!("../../assets/countries.csv");

/// The group codes (user-assigned in ISO 3166-1) with their Italian and English names as
/// the reports print them; reports sort them among the countries by that Italian name.
const GROUPS: &[(&str, &str, &str)] = &[
    ("XE", "Est Europa", "Eastern Europe"),
    ("XS", "Sud America altra", "South America, other"),
    ("XO", "Orientale altra", "Oriental, other"),
    ("XA", "Africa", "Africa"),
    ("XX", "Altri Paesi", "Other countries"),
];

/// What a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Country,
    Group,
    Unknown,
}

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
    kind: Kind,
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
                kind: Kind::Country,
            });
        }
        for (code, it, en) in GROUPS {
            let c = code.as_bytes();
            entries.push(Entry {
                code: [c[0], c[1]],
                name_it: (*it).to_owned(),
                name_en: (*en).to_owned(),
                folded_it: fold(it),
                kind: Kind::Group,
            });
        }
        entries.push(Entry {
            code: *b"ZZ",
            name_it: "Non rilevata / non dichiarata".to_owned(),
            name_en: "Not recorded / not declared".to_owned(),
            folded_it: fold("Non rilevata"),
            kind: Kind::Unknown,
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
            // Earlier names of the groups, still in older files.
            ("Sud America, altro", "XS"),
            ("Sud America", "XS"),
            ("Orientale, altro", "XO"),
            ("Orientale", "XO"),
            ("Africa, altro", "XA"),
            ("Africa, other", "XA"),
            ("Altro", "XX"),
            ("Altra", "XX"),
            ("Stati Uniti", "US"),
            ("Federazione Russa", "RU"),
            ("Taiwan", "TW"),
            // Spellings of the printed reports.
            ("Rep. Dominicana", "DO"),
            ("Rep Dominicana", "DO"),
            ("Costa Avorio", "CI"),
            ("Costa d Avorio", "CI"),
            ("Ivory Coast", "CI"),
            ("Guinea Conakry", "GN"),
            ("Guinea-Conakry", "GN"),
            ("Portorico", "PR"),
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

    /// A code (`RO`, `XE`, `ZZ`) or, failing that, a name or alias as [`Nationality::from_name`]
    /// reads it ("Romania", "Rep. Dominicana", "Non rilevato"): what an imported file may hold.
    pub fn parse_code_or_name(value: &str) -> Result<Self, DomainError> {
        Nationality::parse(value).or_else(|_| Nationality::from_name(value)).map_err(|_| {
            DomainError::unknown(
                "nationality",
                value,
                "a code such as RO, XE or ZZ, or a name such as Romania, Rep. Dominicana or Non rilevato",
            )
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
        self.entry().kind == Kind::Group
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

    /// Report order: countries and groups together by Italian name (accents and case
    /// ignored), then "non rilevato" last.
    pub fn sort_key(self) -> (bool, &'static str) {
        let e = self.entry();
        (e.kind == Kind::Unknown, &e.folded_it)
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
    fn report_order_sorts_groups_among_countries_and_unknown_last() {
        let mut v = [n("ZZ"), n("XE"), n("RO"), n("PE"), n("AL"), n("XA"), n("NG"), n("XS"), n("XO"), n("XX")];
        v.sort();
        let codes: Vec<_> = v.iter().map(|n| n.code().to_owned()).collect();
        // Africa, Albania, Altri Paesi, Est Europa, Nigeria, Orientale altra, Perù, Romania,
        // Sud America altra, then Non rilevato.
        assert_eq!(codes, ["XA", "AL", "XX", "XE", "NG", "XO", "PE", "RO", "XS", "ZZ"]);
        assert_eq!(n("ZZ").label_as(Lang::It, UnknownWording::NotRecorded), "Non rilevato");
        let all = Nationality::all();
        assert_eq!(all.last(), Some(&Nationality::UNKNOWN));
        let labels: Vec<_> = all[..all.len() - 1].iter().map(|n| fold(n.label(Lang::It))).collect();
        assert!(labels.windows(2).all(|w| w[0] <= w[1]), "every row but the unknown by folded Italian name");
    }

    #[test]
    fn groups_are_named_as_the_reports_print_them() {
        let it: Vec<_> = ["XE", "XS", "XO", "XA", "XX"].iter().map(|c| n(c).label(Lang::It)).collect();
        assert_eq!(it, ["Est Europa", "Sud America altra", "Orientale altra", "Africa", "Altri Paesi"]);
        assert_eq!(n("XS").label(Lang::En), "South America, other");
        for code in ["XE", "XS", "XO", "XA", "XX"] {
            let g = n(code);
            assert!(g.is_group());
            assert_eq!(Nationality::from_name(g.label(Lang::It)).unwrap(), g);
            assert_eq!(Nationality::from_name(g.label(Lang::En)).unwrap(), g);
        }
        assert_eq!(Nationality::from_name("Africa, altro").unwrap(), n("XA"), "the earlier name still imports");
        assert_eq!(Nationality::from_name("Sud America, altro").unwrap(), n("XS"));
        assert!(!n("RO").is_group() && !Nationality::UNKNOWN.is_group());
    }

    #[test]
    fn the_printed_reports_spellings_resolve() {
        for (name, code) in [
            ("Rep. Dominicana", "DO"),
            ("Repubblica Dominicana", "DO"),
            ("rep dominicana", "DO"),
            ("Costa Avorio", "CI"),
            ("Costa d'Avorio", "CI"),
            ("Costa d’Avorio", "CI"),
            ("Côte d'Ivoire", "CI"),
            ("Guinea Conakry", "GN"),
            ("Guinea-Conakry", "GN"),
            ("Portorico", "PR"),
            ("Porto Rico", "PR"),
            ("Puerto Rico", "PR"),
        ] {
            assert_eq!(Nationality::from_name(name).unwrap(), n(code), "{name}");
            assert_eq!(Nationality::parse_code_or_name(name).unwrap(), n(code), "{name}");
        }
        assert_eq!(Nationality::parse_code_or_name(" do ").unwrap(), n("DO"));
        let e = Nationality::parse_code_or_name("Atlantide").unwrap_err().to_string();
        assert!(e.contains("Atlantide") && e.contains("Rep. Dominicana"), "{e}");
    }

    #[test]
    fn search_puts_prefixes_first() {
        let found = Nationality::search("rom");
        assert_eq!(found[0], n("RO"));
        assert_eq!(Nationality::search("ng")[0], n("NG"));
        assert!(Nationality::search("zzzzzz").is_empty());
    }
}
