//! The age block of the street, labour, desk and indoor tables as lines under the table:
//! one line per gender of the age bands (with "non noto"), and for indoor the ads'
//! declared age (declared, under 18, average).

use super::grid::{Cell, Grid, Role};
use super::tr;
use crate::domain::tables::{AdsAge, AgeBands};
use crate::domain::{Gender, Lang};

/// One line per gender: the count of each age band, keyed `/age/<band>/<gender>`.
pub(super) fn bands_notes(g: &mut Grid, lang: Lang, age: &AgeBands) {
    for gender in Gender::ALL {
        let items = AgeBands::rows().map(|band| {
            let (label, code) = match band {
                Some(b) => (b.label(lang).to_owned(), b.code()),
                None => (tr(lang, "non noto", "unknown").to_owned(), crate::domain::tables::age::UNKNOWN),
            };
            let n = age.get(band).get(*gender);
            (label, Cell::new(n, Role::OfWhich, format!("/age/{code}/{}", gender.code())))
        });
        g.note(&format!("{} {}", tr(lang, "Età", "Age"), gender.code()), items);
    }
}

/// One line per gender of the ads' declared age: declared, not declared, under 18, and
/// the average (words, not a count).
pub(super) fn ads_notes(g: &mut Grid, lang: Lang, age: &AdsAge) {
    for gender in Gender::ALL {
        let code = gender.code();
        let items = [
            (tr(lang, "età dichiarata", "age declared"), age.known.get(*gender), "known"),
            (tr(lang, "non dichiarata", "not declared"), age.unknown.get(*gender), "unknown"),
            (tr(lang, "minori di 18 anni", "under 18"), age.minors.get(*gender), "minors"),
        ];
        let lead = format!("{} {code}", tr(lang, "Annunci per età dichiarata", "Ads by declared age"));
        g.note(
            &lead,
            items.map(|(l, n, key)| (l.to_owned(), Cell::new(n, Role::OfWhich, format!("/age/{key}/{code}")))),
        );
        if let Some(avg) = age.average.get(*gender) {
            g.remark(&format!("{} {code}: {avg:.1}", tr(lang, "Età media dichiarata", "Average declared age")));
        }
    }
}
