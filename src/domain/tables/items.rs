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
    /// Every item, in kit order.
    pub rows: Vec<ItemRow>,
    /// Leaflets by language (languages with leaflets handed out).
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
        rows: items
            .into_iter()
            .map(|(item, v)| ItemRow {
                item,
                label: item.label(scope.lang).to_owned(),
                day: v.day,
                night: v.night,
                total: v.day + v.night,
            })
            .collect(),
        leaflets: leaflets
            .into_iter()
            .map(|(language, v)| LeafletRow {
                language,
                label: language.label(scope.lang).to_owned(),
                day: v.day,
                night: v.night,
                total: v.day + v.night,
            })
            .collect(),
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
