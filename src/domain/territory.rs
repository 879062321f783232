//! Italian provinces and municipalities (ISTAT 2023, credit: ISTAT, Openpolis), bundled so
//! every stop's comune and province is validated offline.

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use super::DomainError;
use super::codes::serde_as_code;
use super::text::fold;

const COMUNI_CSV: &str = include_str!("../../assets/comuni.csv");

/// One municipality.
#[derive(Debug, PartialEq, Eq)]
pub struct ComuneInfo {
    /// 6-digit ISTAT code.
    pub istat: &'static str,
    /// Official name.
    pub name: &'static str,
    /// Province sigla (`BS`).
    pub province: &'static str,
    folded: String,
}

/// One province.
#[derive(Debug, PartialEq, Eq)]
pub struct ProvinceInfo {
    /// Sigla (`BS`).
    pub code: &'static str,
    /// Name (`Brescia`).
    pub name: &'static str,
    /// Region (`Lombardia`).
    pub region: &'static str,
}

struct Territory {
    comuni: Vec<ComuneInfo>,
    by_istat: HashMap<&'static str, usize>,
    provinces: Vec<ProvinceInfo>,
    by_province: HashMap<&'static str, usize>,
}

fn territory() -> &'static Territory {
    static T: OnceLock<Territory> = OnceLock::new();
    T.get_or_init(|| {
        let mut comuni = Vec::new();
        let mut provinces: Vec<ProvinceInfo> = Vec::new();
        let mut by_province = HashMap::new();
        for line in COMUNI_CSV.lines().skip(1).filter(|l| !l.is_empty()) {
            // The asset is generated without quoting (no field contains a comma).
            let mut f = line.split(',');
            let mut next = || f.next().expect("comuni.csv has five columns");
            let (istat, name, province, province_name, region) = (next(), next(), next(), next(), next());
            comuni.push(ComuneInfo { istat, name, province, folded: fold(name) });
            by_province.entry(province).or_insert_with(|| {
                provinces.push(ProvinceInfo { code: province, name: province_name, region });
                provinces.len() - 1
            });
        }
        let by_istat = comuni.iter().enumerate().map(|(i, c)| (c.istat, i)).collect();
        Territory { comuni, by_istat, provinces, by_province }
    })
}

/// A validated province sigla.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Province(&'static str);

impl Province {
    /// Parses a sigla (`BS`, `bs`); unknown ones are an error.
    pub fn parse(code: &str) -> Result<Self, DomainError> {
        let t = territory();
        let upper = code.trim().to_ascii_uppercase();
        t.by_province
            .get(upper.as_str())
            .map(|&i| Province(t.provinces[i].code))
            .ok_or_else(|| DomainError::unknown("province", code, "an Italian province sigla such as BS or MI"))
    }

    /// The sigla.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// Name and region.
    pub fn info(self) -> &'static ProvinceInfo {
        let t = territory();
        &t.provinces[t.by_province[self.0]]
    }

    /// The province's name (`Brescia`).
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The comuni of this province, by ISTAT code.
    pub fn comuni(self) -> Vec<Comune> {
        let mut v: Vec<_> =
            territory().comuni.iter().filter(|c| c.province == self.0).map(|c| Comune(c.istat)).collect();
        v.sort();
        v
    }

    /// Every province, by sigla.
    pub fn all() -> Vec<Province> {
        let mut v: Vec<_> = territory().provinces.iter().map(|p| Province(p.code)).collect();
        v.sort();
        v
    }
}

impl fmt::Debug for Province {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Province({})", self.0)
    }
}

impl fmt::Display for Province {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// A validated municipality (ISTAT code).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Comune(&'static str);

impl Comune {
    /// Parses a 6-digit ISTAT code; unknown codes are an error.
    pub fn parse(istat: &str) -> Result<Self, DomainError> {
        let t = territory();
        t.by_istat
            .get(istat.trim())
            .map(|&i| Comune(t.comuni[i].istat))
            .ok_or_else(|| DomainError::unknown("comune", istat, "a 6-digit ISTAT municipality code such as 017029"))
    }

    /// Finds a comune of `province` by ISTAT code or by exact name (case and accents
    /// ignored); a comune of another province is an error that says where it is.
    pub fn resolve(value: &str, province: Province) -> Result<Self, DomainError> {
        let value = value.trim();
        let comune = if value.chars().all(|c| c.is_ascii_digit()) {
            Comune::parse(value)?
        } else {
            let folded = fold(value);
            let t = territory();
            let mut matches = t.comuni.iter().filter(|c| c.folded == folded);
            let all: Vec<_> = matches.by_ref().collect();
            match all.iter().find(|c| c.province == province.code()).or(all.first()) {
                Some(c) => Comune(c.istat),
                None => {
                    return Err(DomainError::unknown(
                        "comune",
                        value,
                        "an ISTAT code or the exact name of a municipality",
                    ));
                }
            }
        };
        if comune.province() != province {
            return Err(DomainError::invalid(
                "comune",
                format!("{} ({}) is in province {}, not {}", comune.name(), comune.code(), comune.province(), province),
            ));
        }
        Ok(comune)
    }

    fn info(self) -> &'static ComuneInfo {
        let t = territory();
        &t.comuni[t.by_istat[self.0]]
    }

    /// The ISTAT code.
    pub fn code(self) -> &'static str {
        self.0
    }

    /// The official name.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The comune's province.
    pub fn province(self) -> Province {
        Province(self.info().province)
    }

    /// Comuni whose name matches `query` (accents and case ignored), name prefixes first,
    /// at most `limit`.
    pub fn search(query: &str, limit: usize) -> Vec<Comune> {
        let q = fold(query.trim());
        if q.is_empty() {
            return Vec::new();
        }
        let t = territory();
        let mut prefix: Vec<&ComuneInfo> = Vec::new();
        let mut inner: Vec<&ComuneInfo> = Vec::new();
        for c in &t.comuni {
            if c.folded.starts_with(&q) {
                prefix.push(c);
            } else if c.folded.contains(&q) {
                inner.push(c);
            }
        }
        prefix.sort_by(|a, b| a.folded.len().cmp(&b.folded.len()).then(a.folded.cmp(&b.folded)));
        inner.sort_by(|a, b| a.folded.cmp(&b.folded));
        prefix.into_iter().chain(inner).take(limit).map(|c| Comune(c.istat)).collect()
    }
}

impl fmt::Debug for Comune {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Comune({} {})", self.0, self.name())
    }
}

impl fmt::Display for Comune {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

serde_as_code!(Province);
serde_as_code!(Comune);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_comuni_and_provinces_are_bundled() {
        assert_eq!(territory().comuni.len(), 7899);
        assert_eq!(Province::all().len(), 107);
        let bs = Province::parse("bs").unwrap();
        assert_eq!(bs.name(), "Brescia");
        assert_eq!(bs.info().region, "Lombardia");
        assert!(Province::parse("XY").is_err());
    }

    #[test]
    fn comuni_resolve_by_code_or_name_within_their_province() {
        let bs = Province::parse("BS").unwrap();
        let brescia = Comune::resolve("017029", bs).unwrap();
        assert_eq!(brescia.name(), "Brescia");
        assert_eq!(Comune::resolve("brescia", bs).unwrap(), brescia);
        let err = Comune::resolve("015146", bs).unwrap_err().to_string();
        assert!(err.contains("Milano") && err.contains("MI"), "{err}");
        assert!(Comune::parse("999999").is_err());
        // Names shared by two comuni resolve to the one in the given province.
        let tn = Province::parse("TN").unwrap();
        assert_eq!(Comune::resolve("Calliano", tn).unwrap().province(), tn);
    }

    #[test]
    fn search_finds_prefixes_first() {
        let found = Comune::search("bresc", 5);
        assert_eq!(found[0].name(), "Brescia");
        assert!(Comune::search("forli", 3).iter().any(|c| c.name() == "Forlì"));
    }
}
