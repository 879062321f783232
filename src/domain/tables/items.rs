//! Items handed out per province and over all provinces, leaflets by language.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{ByShift, ReportScope};
use crate::domain::{Activity, Bucket, CellKey, ItemKind, Language, Measure, Province, Tally};

/// One item of an items table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemRow {
    /// The item.
    pub item: ItemKind,
    /// Its name.
    pub label: String,
    /// Quantity on day outings.
    pub day: u64,
    /// Quantity on night outings.
    pub night: u64,
    /// Both.
    pub total: u64,
}

/// Leaflets in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeafletRow {
    /// The language.
    pub language: Language,
    /// Its name.
    pub label: String,
    /// Quantity on day outings.
    pub day: u64,
    /// Quantity on night outings.
    pub night: u64,
    /// Both.
    pub total: u64,
}

/// Items handed out in one province, or in all (`province` null).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsTable {
    /// Province sigla, or null for all provinces.
    pub province: Option<Province>,
    /// Province name, or null.
    pub province_name: Option<String>,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Every item, in kit order (or largest total first).
    pub rows: Vec<ItemRow>,
    /// Leaflets by language (languages with leaflets handed out), in language order (or
    /// largest total first).
    pub leaflets: Vec<LeafletRow>,
}

/// Items tables per province and the total over all provinces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemsReport {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Street, labour, or both when absent.
    pub activity: Option<Activity>,
    /// One table per province.
    pub tables: Vec<ItemsTable>,
    /// All provinces together.
    pub total: ItemsTable,
}

/// One row per key, in key order or largest total first as `scope` says, made by `row`
/// from the key, its label and its day, night and total quantities.
fn shift_rows<K: Copy, R>(
    counts: BTreeMap<K, ByShift<u64>>,
    scope: &ReportScope,
    label: impl Fn(K) -> &'static str,
    row: impl Fn(K, String, u64, u64, u64) -> R,
) -> Vec<R> {
    let mut counts: Vec<_> = counts.into_iter().collect();
    scope.sort_rows(&mut counts, |_| false, |(_, v)| v.day + v.night);
    counts.into_iter().map(|(k, v)| row(k, label(k).to_owned(), v.day, v.night, v.day + v.night)).collect()
}

fn items_table(province: Option<Province>, cells: &[(Bucket, CellKey, u64)], scope: &ReportScope) -> ItemsTable {
    let mut items: BTreeMap<ItemKind, ByShift<u64>> = ItemKind::ALL.iter().map(|&k| (k, ByShift::default())).collect();
    let mut leaflets: BTreeMap<Language, ByShift<u64>> = BTreeMap::new();
    for (b, c, n) in cells {
        match c.measure {
            Measure::Item(k) => *items.entry(k).or_default().get_mut(b.shift) += n,
            Measure::Leaflets(l) => *leaflets.entry(l).or_default().get_mut(b.shift) += n,
            _ => {}
        }
    }
    ItemsTable {
        province,
        province_name: province.map(|p| p.name().to_owned()),
        from: scope.period.from,
        to: scope.period.to,
        rows: shift_rows(
            items,
            scope,
            |k| k.label(scope.lang),
            |item, label, day, night, total| ItemRow { item, label, day, night, total },
        ),
        leaflets: shift_rows(
            leaflets,
            scope,
            |l| l.label(scope.lang),
            |language, label, day, night, total| LeafletRow { language, label, day, night, total },
        ),
    }
}

/// Builds the items tables.
pub fn items_report(tally: &Tally, scope: &ReportScope) -> ItemsReport {
    let groups = scope.by_province(tally, None);
    let tables = groups.iter().map(|(p, cells)| items_table(Some(*p), cells, scope)).collect();
    let all: Vec<_> = groups.into_values().flatten().collect();
    ItemsReport {
        from: scope.period.from,
        to: scope.period.to,
        activity: scope.activity,
        tables,
        total: items_table(None, &all, scope),
    }
}
