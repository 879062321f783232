//! Small text helpers shared by the bundled data tables: accent folding for Italian name
//! order and search, and a minimal reader for the bundled CSV assets.

/// Lower-cases and strips the accents Italian and the country list use, so that
/// "Perù" sorts and searches like "peru".
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let base = match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' | 'À' | 'Á' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'a',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' | 'Ò' | 'Ó' | 'Ô' | 'Ö' | 'Õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ç' | 'Ç' => 'c',
            'ñ' | 'Ñ' => 'n',
            '’' | '`' => '\'',
            other => {
                out.extend(other.to_lowercase());
                continue;
            }
        };
        out.push(base);
    }
    out
}

/// Splits one line of a bundled CSV asset into fields (double quotes, `""` escapes).
pub fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_case() {
        assert_eq!(fold("Perù"), "peru");
        assert_eq!(fold("FORLÌ-Cesena"), "forli-cesena");
        assert_eq!(fold("Sant’Angelo"), "sant'angelo");
    }

    #[test]
    fn reads_quoted_fields() {
        assert_eq!(
            csv_fields(r#"TW,TWN,158,Repubblica di Cina,"Taiwan, Province of China""#)[4],
            "Taiwan, Province of China"
        );
        assert_eq!(csv_fields(r#"a,"b ""c""",d"#), vec!["a", "b \"c\"", "d"]);
    }
}
