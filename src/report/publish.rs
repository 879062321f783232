//! Small-cell suppression of published report packs. A report published across units (an
//! export marked public, a network view) is one set of grids: every province's tables, the
//! synthesis and the "di cui" notes. They share quantities (a province's total row is its
//! row of the synthesis, the synthesis' notes add up the provinces' notes), so suppressing
//! each grid on its own can hide a count in one place and show it in another, or leave a
//! total that gives a hidden cell back. Here the whole pack is suppressed together:
//!
//! 1. every cell is given its place in the report's JSON, which names it across grids;
//! 2. the linear relations the unsuppressed report satisfies are written as sums over those
//!    places ([`Pack::of`]): column sums, row sums of the groups with a total column, the
//!    services' TOT columns, the street and labour shift and grand totals, a synthesis row
//!    equal to its province's totals, the sub-type and items tables of all provinces and the
//!    synthesis' "di cui" notes as sums over the provinces;
//! 3. each grid is suppressed as before ([`Grid::suppress`]) with `k` at least
//!    [`PUBLISHED_K_MIN`] and its hidden body cells kept (its blanket withholding of every
//!    total is left to the relations, which withhold the totals that would tell); every
//!    count of 1 to k-1 whatever its role (totals and notes too) is hidden; then, until
//!    nothing changes, a relation with a single hidden cell gets a complement (so a value
//!    hidden in one place is hidden wherever it appears), and a hidden cell that some
//!    combination of relations would still pin down (exact linear algebra) gets one more.
//!
//! The published JSON keeps only the counts its grids show (the services' sub-types per
//! nationality and per synthesis row, which no grid shows, are left out).
//!
//! Zeros are never hidden: a hidden cell is never zero, so a relation with one hidden cell
//! always has a shown non-zero partner to hide. [`disclosures`] is the attacker's side:
//! given published grids, it solves every relation it can from the shown counts.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::grid::{Grid, Place, Role, RowKind};
use super::{Format, Rendered};
use crate::domain::Lang;

/// The lowest threshold a published table is suppressed with, whatever the settings say:
/// no published cell reads 1 or 2.
pub const PUBLISHED_K_MIN: u64 = 3;

impl Rendered {
    /// Every province's tables and the synthesis (items: all provinces together), labels in
    /// `lang`, suppressed together for publication with threshold `max(k, 3)`
    /// ([`suppress_jointly`]).
    pub fn published(&self, lang: Lang, k: u64) -> Vec<Grid> {
        let mut grids = self.grids(false, lang, None);
        suppress_jointly(&mut grids, k);
        grids
    }

    /// Renders the published pack ([`Rendered::published`]) in `format`: text, CSV and JSON
    /// all show the same jointly suppressed grids; the JSON is the whole report's (every
    /// table and the synthesis) with "<k" at the place of every hidden cell.
    pub fn render_published(&self, format: Format, lang: Lang, k: u64) -> String {
        let grids = self.published(lang, k);
        if format != Format::Json {
            return self.render_grids(format, false, grids, true);
        }
        let mut v = serde_json::to_value(super::JsonView(self, false)).expect("report tables serialise");
        grids.iter().for_each(|g| g.hide_in_json(&mut v));
        let places: HashSet<String> = Pack::of(&grids).slots.into_iter().map(|s| s.at).collect();
        keep_only(&mut v, "", &places);
        super::json(&v)
    }
}

/// Drops from `v` (at JSON pointer `at`) every count no grid shows, so the published JSON
/// says no more than its tables: the services' sub-types of each nationality and each
/// synthesis row are only published as the sub-type tables' rows. An object left empty by
/// it goes too; a count in an array becomes null.
fn keep_only(v: &mut serde_json::Value, at: &str, places: &HashSet<String>) {
    use serde_json::Value;
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match v {
        Value::Object(o) => {
            let mut gone = Vec::new();
            for (k, child) in o.iter_mut() {
                let here = format!("{at}/{}", escape(k));
                let was_object = matches!(child, Value::Object(c) if !c.is_empty());
                keep_only(child, &here, places);
                let emptied = was_object && matches!(child, Value::Object(c) if c.is_empty());
                if emptied || (child.is_number() && !places.contains(&here)) {
                    gone.push(k.clone());
                }
            }
            gone.iter().for_each(|k| {
                o.remove(k);
            });
        }
        Value::Array(a) => {
            for (i, child) in a.iter_mut().enumerate() {
                let here = format!("{at}/{i}");
                keep_only(child, &here, places);
                if child.is_number() && !places.contains(&here) {
                    *child = Value::Null;
                }
            }
        }
        _ => {}
    }
}

/// Suppresses `grids` (one report's pack, as [`Rendered::grids`] gives them with every
/// province and the synthesis) together with threshold `max(k, 3)`: no cell of 1 to k-1 is
/// shown, and no hidden cell can be worked out from the shown counts through the relations
/// the report's tables satisfy (see the module's documentation).
pub fn suppress_jointly(grids: &mut [Grid], k: u64) {
    let k = k.max(PUBLISHED_K_MIN);
    grids.iter_mut().for_each(|g| g.suppress(k));
    let pack = Pack::of(grids);
    let value: Vec<u64> = pack.slots.iter().map(|s| s.value).collect();
    // The per-grid pass's hidden body cells and complements stay; its blanket withholding
    // of every total when one column was exposed is left to the relations, which withhold
    // exactly the totals that would tell.
    let mut hidden: Vec<bool> =
        pack.slots.iter().map(|s| s.value > 0 && (s.value < k || (s.was_hidden && s.role != Role::Total))).collect();
    loop {
        pack.complement(&mut hidden, &value);
        // One more hidden cell for each determined one, unless a relation of it already got
        // one in this round (which may have been enough).
        let mut touched = vec![false; pack.relations.len()];
        let mut added = false;
        for x in pack.determined(&hidden) {
            if pack.by_slot[x].iter().any(|&r| touched[r]) {
                continue;
            }
            if let Some(c) = pack.cover(x, &hidden, &value) {
                hidden[c] = true;
                added = true;
                pack.by_slot[c].iter().for_each(|&r| touched[r] = true);
            }
        }
        if !added {
            break;
        }
    }
    for (s, &h) in pack.slots.iter().zip(&hidden) {
        if let Some(cell) = grids[s.grid].cell_mut(s.place, s.index) {
            cell.set_hidden(h.then_some(k));
        }
    }
}

/// A hidden cell of published grids that their shown counts give back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    /// The cell's place in the report's JSON ("/tables/0/rows/1/day/F").
    pub at: String,
    /// Its value, when a chain of relations with one unknown each solved it; `None` when
    /// only a combination of several relations pins it down.
    pub value: Option<i128>,
}

/// The hidden cells of `grids` (a published pack) that the shown counts give back: every
/// relation the unsuppressed report satisfies ([`Pack::of`]) with a single unknown is
/// solved, the solution treated as known and the search repeated; then any hidden cell the
/// relations still determine as a whole (exact linear algebra) is reported too. Empty for
/// a safe pack.
pub fn disclosures(grids: &[Grid]) -> Vec<Disclosure> {
    let pack = Pack::of(grids);
    let mut known: Vec<Option<i128>> = pack.slots.iter().map(|s| s.shown.map(i128::from)).collect();
    let mut out = Vec::new();
    loop {
        let mut solved = false;
        for rel in &pack.relations {
            let mut unknown = rel.iter().filter(|(s, _)| known[*s].is_none());
            let (Some(&(u, coef)), None) = (unknown.next(), unknown.next()) else { continue };
            let rest: i128 =
                rel.iter().filter(|(s, _)| *s != u).map(|(s, c)| i128::from(*c) * known[*s].unwrap_or(0)).sum();
            let coef = i128::from(coef);
            if rest % coef == 0 {
                let v = -rest / coef;
                known[u] = Some(v);
                out.push(Disclosure { at: pack.slots[u].at.clone(), value: Some(v) });
                solved = true;
            }
        }
        if !solved {
            break;
        }
    }
    let hidden: Vec<bool> = known.iter().map(Option::is_none).collect();
    out.extend(pack.determined(&hidden).into_iter().map(|s| Disclosure { at: pack.slots[s].at.clone(), value: None }));
    out
}

/// One cell of a pack.
#[derive(Debug)]
struct Slot {
    grid: usize,
    place: Place,
    index: usize,
    /// Its place in the report's JSON, which names the cell across grids.
    at: String,
    role: Role,
    value: u64,
    /// What the published grid shows (`None`: hidden).
    shown: Option<u64>,
    was_hidden: bool,
}

/// A linear relation between cells that the unsuppressed counts satisfy: the sum of
/// coefficient × count is zero. A sum "total = a + b" is `[(total, 1), (a, -1), (b, -1)]`.
type Relation = Vec<(usize, i64)>;

/// The cells of a report's grids and the relations between them.
#[derive(Debug)]
pub(super) struct Pack {
    slots: Vec<Slot>,
    relations: Vec<Relation>,
    /// The relations each slot is in.
    by_slot: Vec<Vec<usize>>,
}

/// Where a synthesis row's cell (its key below the row) sits in its province's table, in
/// order of preference: the province's total row ("/total/contacts/M" for a labour
/// synthesis' "/contacts/M", "/total/M" for a massage synthesis' "/persons/M"), its shift
/// totals (street "/day", "/night"), or its grand total (a synthesis row's "/total").
fn province_places(key: &str) -> Vec<String> {
    let mut out = vec![format!("/total{key}"), format!("/shift_totals{key}")];
    if key == "/total" {
        out.push("/grand_total".into());
    }
    if let Some(rest) = key.strip_prefix('/').and_then(|k| k.find('/').map(|i| &k[i..])) {
        out.push(format!("/total{rest}"));
    }
    out
}

/// Sums across column groups, by the columns' CSV keys: the services' TOT columns add up
/// every accompaniment, talk and consultation, or every referral. (prefix, suffix) pairs
/// select the parts.
const ACROSS_GROUPS: [(&str, &[(&str, &str)]); 2] = [
    ("accompaniments_total", &[("accompaniment_", "_total"), ("listening_", ""), ("legal_consultations_", "")]),
    ("referrals_total", &[("referral_", "_total")]),
];

impl Pack {
    /// The cells of `grids` and every linear relation their unsuppressed counts satisfy,
    /// worked out from the grids' structure (JSON places, column keys, row codes), never
    /// from their counts, so it holds for published grids as for the unsuppressed ones.
    pub(super) fn of(grids: &[Grid]) -> Pack {
        let mut slots = Vec::new();
        let mut at_index: HashMap<String, usize> = HashMap::new();
        let mut place_index: HashMap<(usize, Place, usize), usize> = HashMap::new();
        for (g, grid) in grids.iter().enumerate() {
            let prefix = grid.at().map_or_else(|| format!("#{g}"), str::to_owned);
            for (place, index, cell) in grid.places() {
                let row = match place {
                    Place::Row(r) => grid.rows()[r].at(),
                    Place::Total(r) => grid.totals()[r].at(),
                    Place::Note(_) => "",
                };
                let at = format!("{prefix}{row}{}", cell.key());
                at_index.entry(at.clone()).or_insert(slots.len());
                place_index.insert((g, place, index), slots.len());
                slots.push(Slot {
                    grid: g,
                    place,
                    index,
                    at,
                    role: cell.role(),
                    value: cell.value(),
                    shown: cell.count(),
                    was_hidden: cell.is_hidden(),
                });
            }
        }
        let mut relations = Vec::new();
        let slot = |g: usize, place: Place, i: usize| place_index.get(&(g, place, i)).copied();
        for (g, grid) in grids.iter().enumerate() {
            within_grid(g, grid, &slot, &mut relations);
        }
        across_grids(grids, &slot, &at_index, &mut relations);
        let relations: Vec<Relation> = relations.into_iter().filter_map(normalise).collect();
        let mut by_slot = vec![Vec::new(); slots.len()];
        for (r, rel) in relations.iter().enumerate() {
            for (s, _) in rel {
                by_slot[*s].push(r);
            }
        }
        Pack { slots, relations, by_slot }
    }

    /// Until nothing changes: a relation with exactly one hidden cell gets a complement, the
    /// smallest shown non-zero cell of it (body counts before row totals before totals).
    fn complement(&self, hidden: &mut [bool], value: &[u64]) {
        loop {
            let mut changed = false;
            for rel in &self.relations {
                if rel.iter().filter(|(s, _)| hidden[*s]).count() == 1
                    && let Some(c) = self.best(rel.iter().map(|(s, _)| *s), hidden, value)
                {
                    hidden[c] = true;
                    changed = true;
                }
            }
            if !changed {
                return;
            }
        }
    }

    /// The shown non-zero cell among `cells` to hide first.
    fn best(&self, cells: impl Iterator<Item = usize>, hidden: &[bool], value: &[u64]) -> Option<usize> {
        let rank = |r: Role| match r {
            Role::Count => 0,
            Role::RowTotal | Role::OfWhich => 1,
            Role::Total | Role::Hours => 2,
        };
        cells.filter(|&s| !hidden[s] && value[s] > 0).min_by_key(|&s| (rank(self.slots[s].role), value[s], s))
    }

    /// A cell to hide so that the determined hidden cell `x` is no longer determined: the
    /// best shown non-zero cell of a relation of `x`, else of a relation reached from them
    /// through hidden cells.
    fn cover(&self, x: usize, hidden: &[bool], value: &[u64]) -> Option<usize> {
        let mut seen_slot = vec![false; self.slots.len()];
        let mut seen_rel = vec![false; self.relations.len()];
        let mut frontier = vec![x];
        seen_slot[x] = true;
        while !frontier.is_empty() {
            let rels: Vec<usize> = frontier.iter().flat_map(|&s| self.by_slot[s].iter().copied()).collect();
            let mut next = Vec::new();
            let mut candidates = Vec::new();
            for r in rels {
                if std::mem::replace(&mut seen_rel[r], true) {
                    continue;
                }
                for &(s, _) in &self.relations[r] {
                    candidates.push(s);
                    if hidden[s] && !std::mem::replace(&mut seen_slot[s], true) {
                        next.push(s);
                    }
                }
            }
            if let Some(c) = self.best(candidates.into_iter(), hidden, value) {
                return Some(c);
            }
            frontier = next;
        }
        None
    }

    /// The hidden cells whose value the relations pin down from the shown ones: a hidden
    /// cell is determined when the unit vector of its variable lies in the row space of the
    /// relations restricted to the hidden cells. Worked out per connected set of hidden
    /// cells, by Gauss-Jordan elimination modulo the prime 2^61 - 1 (the relations'
    /// coefficients are small integers, so the rank is the rational one).
    fn determined(&self, hidden: &[bool]) -> Vec<usize> {
        let n = self.slots.len();
        let mut parent: Vec<usize> = (0..n).collect();
        fn find(p: &mut [usize], mut x: usize) -> usize {
            while p[x] != x {
                p[x] = p[p[x]];
                x = p[x];
            }
            x
        }
        for rel in &self.relations {
            let mut members = rel.iter().map(|(s, _)| *s).filter(|&s| hidden[s]);
            if let Some(first) = members.next() {
                for s in members {
                    let (a, b) = (find(&mut parent, first), find(&mut parent, s));
                    parent[a] = b;
                }
            }
        }
        let mut components: BTreeMap<usize, (Vec<usize>, Vec<usize>)> = BTreeMap::new();
        for s in (0..n).filter(|&s| hidden[s]) {
            let root = find(&mut parent, s);
            components.entry(root).or_default().0.push(s);
        }
        for (r, rel) in self.relations.iter().enumerate() {
            if let Some(&(s, _)) = rel.iter().find(|(s, _)| hidden[*s]) {
                let root = find(&mut parent, s);
                components.entry(root).or_default().1.push(r);
            }
        }
        let mut out = Vec::new();
        for (vars, rels) in components.values() {
            let col: HashMap<usize, usize> = vars.iter().enumerate().map(|(i, &s)| (s, i)).collect();
            let mut m: Vec<Vec<u64>> = rels
                .iter()
                .map(|&r| {
                    let mut row = vec![0; vars.len()];
                    for &(s, c) in &self.relations[r] {
                        if let Some(&i) = col.get(&s) {
                            row[i] = modp::add(row[i], modp::of(c));
                        }
                    }
                    row
                })
                .collect();
            for (row, pivot) in modp::rref(&mut m, vars.len()) {
                if m[row].iter().filter(|&&v| v != 0).count() == 1 {
                    out.push(vars[pivot]);
                }
            }
        }
        out.sort_unstable();
        out
    }

    /// Each relation with the JSON places of its cells and their counts in `grids` (which
    /// must be the grids the pack was made of): what a test checks against unsuppressed
    /// grids.
    #[cfg(test)]
    fn described(&self) -> Vec<Vec<(String, i64, u64)>> {
        self.relations
            .iter()
            .map(|rel| rel.iter().map(|&(s, c)| (self.slots[s].at.clone(), c, self.slots[s].value)).collect())
            .collect()
    }
}

/// Adds up the coefficients of each cell and drops the cells left with none; `None` when
/// nothing is left.
fn normalise(rel: Relation) -> Option<Relation> {
    let mut sum: BTreeMap<usize, i64> = BTreeMap::new();
    for (s, c) in rel {
        *sum.entry(s).or_default() += c;
    }
    let rel: Relation = sum.into_iter().filter(|(_, c)| *c != 0).collect();
    (!rel.is_empty()).then_some(rel)
}

/// A sum relation: `total` = Σ `parts`; `None` when a cell is missing.
fn sum(total: Option<usize>, parts: impl IntoIterator<Item = Option<usize>>) -> Option<Relation> {
    let mut rel = vec![(total?, 1)];
    for p in parts {
        rel.push((p?, -1));
    }
    Some(rel)
}

/// The relations inside one grid: column sums (a total row is the sum of the body rows),
/// row sums of a group with a total column ("ads_total" = ads M + F + T, "total" = the
/// row's other columns when there are no groups), the services' TOT columns across groups,
/// and the street and labour notes (shift totals, grand total) over the total row.
fn within_grid(g: usize, grid: &Grid, slot: &dyn Fn(usize, Place, usize) -> Option<usize>, out: &mut Vec<Relation>) {
    let ncols = grid.columns().len();
    let body: Vec<usize> = (0..grid.rows().len()).filter(|&r| grid.rows()[r].kind() == RowKind::Body).collect();
    for (t, total) in grid.totals().iter().enumerate() {
        for c in 0..total.cells().len() {
            out.extend(sum(slot(g, Place::Total(t), c), body.iter().map(|&r| slot(g, Place::Row(r), c))));
        }
    }
    // Row sums, for body, "di cui" and total rows alike.
    let keys: Vec<&str> = grid.columns().iter().map(|c| c.key.as_str()).collect();
    let spans: usize = grid.groups().iter().map(|gr| gr.span).sum();
    let ranges: Vec<std::ops::Range<usize>> = if !grid.groups().is_empty() && spans == ncols {
        let mut start = 0;
        grid.groups()
            .iter()
            .map(|gr| {
                start += gr.span;
                start - gr.span..start
            })
            .collect()
    } else {
        std::iter::once(0..ncols).collect()
    };
    let mut row_sums: Vec<(usize, Vec<usize>)> = Vec::new();
    for range in ranges {
        for t in range.clone() {
            let Some(prefix) = keys[t].strip_suffix("total") else { continue };
            if !(prefix.is_empty() || prefix.ends_with('_')) {
                continue;
            }
            let parts: Vec<usize> = range
                .clone()
                .filter(|&c| c != t && keys[c].starts_with(prefix) && !keys[c].ends_with("total"))
                .collect();
            if !parts.is_empty() {
                row_sums.push((t, parts));
            }
        }
    }
    for (total, rules) in ACROSS_GROUPS {
        let Some(t) = keys.iter().position(|k| *k == total) else { continue };
        let parts: Vec<usize> = (0..ncols)
            .filter(|&c| c != t && rules.iter().any(|(p, s)| keys[c].starts_with(p) && keys[c].ends_with(s)))
            .collect();
        row_sums.push((t, parts));
    }
    let rows = (0..grid.rows().len()).map(Place::Row).chain((0..grid.totals().len()).map(Place::Total));
    for place in rows {
        for (t, parts) in &row_sums {
            out.extend(sum(slot(g, place, *t), parts.iter().map(|&c| slot(g, place, c))));
        }
    }
    // Notes over the total row: shift totals and the grand total.
    if let [total] = grid.totals() {
        let total_keys: Vec<&str> = total.cells().iter().map(|c| c.key()).collect();
        for (n, note) in grid.notes().iter().enumerate() {
            for (i, (_, cell)) in note.items.iter().enumerate() {
                let parts: Vec<usize> = match cell.key() {
                    "/grand_total" => (0..total_keys.len()).collect(),
                    k => match k.strip_prefix("/shift_totals/") {
                        Some(shift) => {
                            let head = format!("/total/{shift}/");
                            (0..total_keys.len()).filter(|&c| total_keys[c].starts_with(&head)).collect()
                        }
                        None => continue,
                    },
                };
                if !parts.is_empty() {
                    out.extend(sum(slot(g, Place::Note(n), i), parts.iter().map(|&c| slot(g, Place::Total(0), c))));
                }
            }
        }
    }
}

/// The relations between grids: a synthesis row of a province equals that province's
/// totals ([`province_places`]); a table of all provinces whose rows are items or
/// sub-types (the same columns as the provinces' tables) is the sum of the provinces' rows
/// of the same code; a synthesis' note is the sum of the provinces' notes of the same key.
fn across_grids(
    grids: &[Grid],
    slot: &dyn Fn(usize, Place, usize) -> Option<usize>,
    at_index: &HashMap<String, usize>,
    out: &mut Vec<Relation>,
) {
    let provinces: Vec<usize> = (0..grids.len()).filter(|&g| grids[g].province().is_some()).collect();
    for (s, grid) in grids.iter().enumerate().filter(|(_, g)| g.province().is_none()) {
        let same_columns: Vec<usize> =
            provinces.iter().copied().filter(|&p| grids[p].columns() == grid.columns()).collect();
        for (r, row) in grid.rows().iter().enumerate() {
            let table = provinces.iter().copied().find(|&p| grids[p].province() == Some(row.code()));
            match table.and_then(|p| grids[p].at()) {
                Some(prefix) if row.kind() == RowKind::Body => {
                    for (i, cell) in row.cells().iter().enumerate() {
                        let there =
                            province_places(cell.key()).into_iter().find_map(|k| at_index.get(&format!("{prefix}{k}")));
                        if let Some(&there) = there {
                            out.extend(sum(slot(s, Place::Row(r), i), [Some(there)]));
                        }
                    }
                }
                _ if !same_columns.is_empty() => {
                    for i in 0..row.cells().len() {
                        let parts = same_columns.iter().flat_map(|&p| {
                            let rows = grids[p].rows().iter().enumerate();
                            rows.filter(|(_, pr)| pr.code() == row.code() && pr.kind() == row.kind())
                                .map(move |(pr, _)| slot(p, Place::Row(pr), i))
                        });
                        out.extend(sum(slot(s, Place::Row(r), i), parts.collect::<Vec<_>>()));
                    }
                }
                _ => {}
            }
        }
        for (n, note) in grid.notes().iter().enumerate() {
            for (i, (_, cell)) in note.items.iter().enumerate() {
                let parts: Vec<Option<usize>> = provinces
                    .iter()
                    .flat_map(|&p| {
                        grids[p].notes().iter().enumerate().flat_map(move |(pn, pnote)| {
                            pnote
                                .items
                                .iter()
                                .enumerate()
                                .filter(|(_, (_, c))| c.key() == cell.key())
                                .map(move |(pi, _)| slot(p, Place::Note(pn), pi))
                        })
                    })
                    .collect();
                if !parts.is_empty() {
                    out.extend(sum(slot(s, Place::Note(n), i), parts));
                }
            }
        }
    }
}

/// Arithmetic modulo the prime 2^61 - 1.
mod modp {
    const P: u64 = (1 << 61) - 1;

    /// A small integer as a residue.
    pub(super) fn of(c: i64) -> u64 {
        let r = c.unsigned_abs() % P;
        if c < 0 && r != 0 { P - r } else { r }
    }

    pub(super) fn add(a: u64, b: u64) -> u64 {
        (a + b) % P
    }

    fn sub(a: u64, b: u64) -> u64 {
        (a + P - b) % P
    }

    fn mul(a: u64, b: u64) -> u64 {
        ((u128::from(a) * u128::from(b)) % u128::from(P)) as u64
    }

    fn inv(a: u64) -> u64 {
        let (mut base, mut e, mut acc) = (a, P - 2, 1);
        while e > 0 {
            if e & 1 == 1 {
                acc = mul(acc, base);
            }
            base = mul(base, base);
            e >>= 1;
        }
        acc
    }

    /// Brings `m` (rows of `ncols` residues) to reduced row echelon form; the pivots as
    /// (row, column).
    pub(super) fn rref(m: &mut [Vec<u64>], ncols: usize) -> Vec<(usize, usize)> {
        let mut pivots = Vec::new();
        let mut row = 0;
        for col in 0..ncols {
            let Some(p) = (row..m.len()).find(|&r| m[r][col] != 0) else { continue };
            m.swap(row, p);
            let f = inv(m[row][col]);
            m[row].iter_mut().for_each(|v| *v = mul(*v, f));
            // The relations are sparse: only the pivot row's non-zero entries change others.
            let pivot: Vec<(usize, u64)> = m[row].iter().copied().enumerate().filter(|(_, v)| *v != 0).collect();
            for (r, other) in m.iter_mut().enumerate() {
                let f = other[col];
                if r != row && f != 0 {
                    for &(c, p) in &pivot {
                        other[c] = sub(other[c], mul(f, p));
                    }
                }
            }
            pivots.push((row, col));
            row += 1;
            if row == m.len() {
                break;
            }
        }
        pivots
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::tables::ReportScope;
    use crate::domain::{
        Activity, Bucket, CellKey, Count, Gender, ItemKind, Language, Measure, Nationality, Period, Province,
        ServiceKind, ServiceSubtype, Shift, Tally, parse_date,
    };
    use crate::report::Table;

    /// A seeded xorshift generator: the same tallies on every run.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }

        fn pick<T: Copy>(&mut self, from: &[T]) -> T {
            from[self.below(from.len())]
        }
    }

    fn scope(count: Count) -> ReportScope {
        let period = Period::new(parse_date("2023-01-01").unwrap(), parse_date("2023-12-31").unwrap()).unwrap();
        ReportScope { count, ..ReportScope::period(period) }
    }

    /// The measures (and activities) a table is made of.
    fn measures(table: Table, count: Count) -> (Vec<Activity>, Vec<Measure>) {
        use Measure::*;
        let street = match count {
            Count::Contacts => vec![Contacts, Contacts, Contacts, Minors, FirstContacts, KnownContacts, Protection],
            Count::Persons => vec![Persons, Persons, Persons, MinorPersons, NewPersons, KnownPersons, ProtectedPersons],
        };
        match table {
            Table::Street => (vec![Activity::Street], street),
            Table::Labour => (vec![Activity::Labour], street),
            Table::Services => {
                let mut m = vec![Listening, LegalConsultations, Information, AccompaniedPersons, ReferredPersons];
                m.extend(ServiceKind::ALL.iter().flat_map(|&s| [Accompaniment(s), Referral(s)]));
                m.extend(ServiceSubtype::ALL.iter().take(3).flat_map(|&s| [SubAccompaniment(s), SubReferral(s)]));
                (vec![Activity::Street, Activity::Labour], m)
            }
            Table::Items => {
                let mut m: Vec<Measure> = ItemKind::ALL.iter().take(4).map(|&k| Item(k)).collect();
                m.extend(Language::ALL.iter().take(3).map(|&l| Leaflets(l)));
                (vec![Activity::Street, Activity::Labour], m)
            }
            Table::Indoor => (vec![Activity::Indoor], vec![Ads, Calls, Reached, Meetings, Messages]),
            Table::Massage => (vec![Activity::Indoor], vec![MassageContacts]),
            Table::Desk => (vec![Activity::Desk], street),
            Table::Identification | Table::Referral | Table::IdBreakdown => {
                use crate::domain::emersion::{EmersionPlace, IdCount as C, InterviewKind, Typology};
                let counts = [
                    C::Persons,
                    C::Interviews,
                    C::Identified,
                    C::NotIdentified,
                    C::InProgress,
                    C::Adhesions,
                    C::Waiting,
                    C::Minors,
                    C::Requests,
                    C::Unanswered,
                    C::Typology(Typology::Begging),
                    C::Typology(Typology::SexualStreet),
                    C::Place(EmersionPlace::Elsewhere),
                    C::Place(EmersionPlace::Province(Province::parse("BG").unwrap())),
                ];
                let m = InterviewKind::ALL.iter().flat_map(|&k| counts.map(|c| Id(k, c))).collect();
                (vec![Activity::Emersion], m)
            }
            Table::Outcomes => {
                let mut m: Vec<Measure> =
                    crate::domain::emersion::ContactOutcome::ALL.iter().take(4).map(|&o| Outcome(o)).collect();
                m.push(OutcomePersons);
                (vec![Activity::Emersion], m)
            }
            Table::Helpline => {
                use crate::domain::emersion::{HelpKind, HelplineCount as H, HelplineOutcome, HelplineSource};
                let m = [
                    H::Reports,
                    H::Reports,
                    H::New,
                    H::Known,
                    H::Source(HelplineSource::Own),
                    H::Help(HelpKind::Shelter),
                    H::Outcome(HelplineOutcome::Referred),
                ];
                (vec![Activity::Emersion], m.map(Helpline).to_vec())
            }
            Table::LabourSectors => {
                use crate::domain::outreach::{LabourSector as S, LabourSetting as L};
                let m = vec![
                    Sector(S::Agriculture),
                    Sector(S::Riders),
                    SectorPersons(S::Agriculture),
                    SectorPersons(S::Riders),
                    Setting(L::Farms),
                    Setting(L::Markets),
                    JointInspection,
                    Contacts,
                    Persons,
                ];
                (vec![Activity::Labour, Activity::Emersion], m)
            }
            Table::Mapping => {
                use crate::domain::outreach::MappingCount as C;
                let comuni = ["017029", "017001", "015146"].map(|c| crate::domain::Comune::parse(c).unwrap());
                let m = comuni.iter().flat_map(|&c| [Mapping(C::Seen, c), Mapping(C::Contacted, c)]).collect();
                (vec![Activity::Street], m)
            }
            Table::Campaigns => {
                use crate::domain::outreach::Campaign as C;
                let m = vec![Campaign(C::November25), Campaign(C::AppPromotion), CampaignLanguage(Language::English)];
                (vec![Activity::Indoor], m)
            }
            // Built from sessions' facts, not from a tally: a tally gives the empty table.
            Table::Sessions => (vec![Activity::Session], vec![Contacts]),
            Table::EmersionTotal => {
                let mut m = street;
                m.extend([Reached, ReachedProtection, Meetings, MassageContacts, MassageProtection]);
                (vec![Activity::Street, Activity::Labour, Activity::Desk, Activity::Indoor, Activity::Session], m)
            }
            // Built from outing facts, not from a tally: a tally gives the empty table.
            Table::Outings => (vec![Activity::Street], vec![Contacts]),
            Table::Presences => (vec![Activity::Street, Activity::Labour], vec![Presences, Contacts, Contacts]),
        }
    }

    /// A random tally for `table`: one to three provinces, a few nationalities, counts that
    /// are often small.
    fn random_tally(rng: &mut Rng, table: Table, count: Count) -> Tally {
        let (activities, measures) = measures(table, count);
        let provinces: Vec<Province> =
            ["BS", "MI", "BG"].iter().take(1 + rng.below(3)).map(|p| Province::parse(p).unwrap()).collect();
        let nationalities: Vec<Nationality> =
            ["RO", "NG", "AL", "ZZ"].iter().map(|n| Nationality::parse(n).unwrap()).collect();
        let mut t = Tally::new();
        for _ in 0..1 + rng.below(14) {
            let bucket = Bucket {
                activity: rng.pick(&activities),
                province: rng.pick(&provinces),
                shift: rng.pick(&[Shift::Day, Shift::Night]),
            };
            let cell = CellKey {
                nationality: rng.pick(&nationalities),
                gender: rng.pick(Gender::ALL),
                measure: rng.pick(&measures),
            };
            t.add(bucket, cell, rng.pick(&[1, 1, 1, 2, 2, 3, 4, 5, 8, 13]));
        }
        t
    }

    /// The numbers of a JSON value.
    fn numbers(v: &serde_json::Value, out: &mut Vec<u64>) {
        match v {
            serde_json::Value::Number(n) => out.extend(n.as_u64()),
            serde_json::Value::Array(a) => a.iter().for_each(|v| numbers(v, out)),
            serde_json::Value::Object(o) => o.values().for_each(|v| numbers(v, out)),
            _ => {}
        }
    }

    /// Every count `grids` show, with its grid's title.
    fn shown(grids: &[Grid]) -> Vec<(String, u64)> {
        grids
            .iter()
            .flat_map(|g| g.places().into_iter().filter_map(|(_, _, c)| c.count().map(|n| (g.title().to_owned(), n))))
            .collect()
    }

    #[test]
    fn published_packs_show_no_small_count_and_give_no_hidden_cell_back() {
        let mut rng = Rng(0x5eed_1a77_e21a);
        // The outings and sessions tables are built from facts, not a tally (and hours are
        // not head counts): their own tests are in domain::tables::{outings, sessions}.
        for table in Table::ALL.into_iter().filter(|t| !matches!(t, Table::Outings | Table::Sessions)) {
            let mut leaky = 0;
            for case in 0..60 {
                let count = if case % 3 == 2 { Count::Persons } else { Count::Contacts };
                let tally = random_tally(&mut rng, table, count);
                let r = Rendered::build(table, &tally, &scope(count));
                let plain = r.grids(false, Lang::It, None);
                for rel in Pack::of(&plain).described() {
                    let total: i64 = rel.iter().map(|(_, c, v)| c * *v as i64).sum();
                    assert_eq!(total, 0, "{table:?} {tally:?}: the relation {rel:?} holds unsuppressed");
                }
                let alone = r.grids(false, Lang::It, Some(3));
                if !disclosures(&alone).is_empty() || shown(&alone).iter().any(|(_, n)| (1..3).contains(n)) {
                    leaky += 1;
                }
                let published = r.published(Lang::It, 3);
                for (title, n) in shown(&published) {
                    assert!(!(1..3).contains(&n), "{table:?} {tally:?}: {title} shows {n}");
                }
                for g in &published {
                    for (_, _, c) in g.places() {
                        assert!(!c.is_hidden() || c.value() > 0, "zeros are never hidden");
                    }
                }
                let leaks = disclosures(&published);
                assert!(leaks.is_empty(), "{table:?} {tally:?}: {leaks:?}");
                // Wherever a quantity appears twice, it is hidden in both places or in none.
                let pack = Pack::of(&published);
                for rel in pack.relations.iter().filter(|r| r.len() == 2 && r[0].1 == -r[1].1) {
                    let [a, b] = [rel[0].0, rel[1].0].map(|s| pack.slots[s].shown.is_none());
                    assert_eq!(a, b, "{} and {}", pack.slots[rel[0].0].at, pack.slots[rel[1].0].at);
                }
                // JSON and CSV show the same counts.
                let json: serde_json::Value =
                    serde_json::from_str(&r.render_published(Format::Json, Lang::It, 3)).unwrap();
                let mut ns = Vec::new();
                numbers(&json, &mut ns);
                assert!(ns.iter().all(|n| !(1..3).contains(n)), "{table:?} {tally:?}: {json}");
                // (The identification JSON is one table, the synthesis: the provinces'
                // grids, named "#<grid>", have no place in it.)
                for slot in pack.slots.iter().filter(|s| !s.at.starts_with('#')) {
                    let there = json.pointer(&slot.at);
                    let expected = slot.shown.map_or_else(|| serde_json::json!("<3"), |n| serde_json::json!(n));
                    assert_eq!(there, Some(&expected), "{}", slot.at);
                }
                let rows = json["tables"].as_array().into_iter().flatten().chain([&json["synthesis"]]);
                for row in rows.flat_map(|t| t["rows"].as_array().into_iter().flatten()) {
                    assert!(row.get("subtypes").is_none(), "no grid shows a row's sub-types: {row}");
                }
                let csv = r.render_published(Format::Csv, Lang::It, 3);
                for line in csv.lines() {
                    assert!(line.split(',').skip(3).all(|f| f != "1" && f != "2"), "{line}");
                }
            }
            assert!(leaky > 0, "{table:?}: grid by grid, some of these tallies leak (the checker sees it)");
        }
    }

    #[test]
    fn every_family_links_its_synthesis_to_the_provinces() {
        let mut rng = Rng(7);
        // The outings and sessions tables are built from facts, not a tally (and hours are
        // not head counts): their own tests are in domain::tables::{outings, sessions}.
        for table in Table::ALL.into_iter().filter(|t| !matches!(t, Table::Outings | Table::Sessions)) {
            let tally = random_tally(&mut rng, table, Count::Contacts);
            let pack = Pack::of(&Rendered::build(table, &tally, &scope(Count::Contacts)).grids(false, Lang::It, None));
            let (whole, part) = match table {
                Table::Items => ("/total/", "/tables/"),
                // Its JSON is the synthesis alone; the provinces' grids are not in it.
                Table::Identification => ("/rows/", "#"),
                _ => ("/synthesis/", "/tables/"),
            };
            let linked = pack.described().iter().any(|rel| {
                rel.iter().any(|(at, _, _)| at.starts_with(whole)) && rel.iter().any(|(at, _, _)| at.starts_with(part))
            });
            assert!(linked, "{table:?}");
        }
    }

    /// Labour contacts in Brescia: two Romanian women and three Nigerian men.
    fn the_leak() -> Rendered {
        let bs = Province::parse("BS").unwrap();
        let mut t = Tally::new();
        let bucket = Bucket { activity: Activity::Labour, province: bs, shift: Shift::Day };
        for (nat, gender, n) in [("RO", Gender::F, 2), ("NG", Gender::M, 3)] {
            let nationality = Nationality::parse(nat).unwrap();
            t.add(bucket, CellKey { nationality, gender, measure: Measure::Contacts }, n);
        }
        Rendered::build(Table::Labour, &t, &scope(Count::Contacts))
    }

    #[test]
    fn a_synthesis_row_no_longer_gives_back_a_cell_its_province_table_hides() {
        let r = the_leak();
        // Grid by grid: the province table hides the 2 and withholds its totals, but the
        // synthesis row of Brescia shows 5 contacts, and 5 - 3 men = the 2 women.
        let alone = r.grids(false, Lang::It, Some(3));
        let synthesis = alone.last().unwrap();
        assert_eq!(synthesis.rows()[0].cells()[3].count(), Some(5), "the leak as it was");
        let leaks = disclosures(&alone);
        let ro = leaks.iter().find(|d| d.at == "/tables/0/rows/1/contacts/F").expect("the Romanian women");
        assert_eq!(ro.value, Some(2));
        // Together: nothing comes back, and the synthesis row hides what the table hides.
        let published = r.published(Lang::It, 3);
        assert_eq!(disclosures(&published), []);
        let table = &published[0];
        assert_eq!(table.rows()[1].cells()[1].text(), "<3", "the 2 Romanian women");
        assert_eq!(table.rows()[0].cells()[0].text(), "<3", "the men hidden with them, as the grand total stays");
        assert_eq!(table.notes()[0].items[0].1.count(), Some(5));
        let synthesis = published.last().unwrap();
        let brescia: Vec<String> = synthesis.rows()[0].cells().iter().map(|c| c.to_string()).collect();
        assert_eq!(brescia, ["<3", "<3", "0", "5"], "what the table hides, the synthesis hides");
        let json: serde_json::Value = serde_json::from_str(&r.render_published(Format::Json, Lang::It, 3)).unwrap();
        assert_eq!(json["synthesis"]["rows"][0]["contacts"]["F"], "<3");
        assert_eq!(json["synthesis"]["rows"][0]["total"], 5);
        assert_eq!(json["tables"][0]["rows"][1]["contacts"]["F"], "<3");
    }

    #[test]
    fn a_threshold_below_three_is_raised_to_three() {
        let r = the_leak();
        assert_eq!(r.published(Lang::It, 0), r.published(Lang::It, 3));
        assert_eq!(r.published(Lang::It, 2), r.published(Lang::It, 3));
        let text = r.render_published(Format::Text, Lang::It, 1);
        assert!(text.contains("<3") && !text.contains("<1") && !text.contains("<2"), "{text}");
        let higher = r.published(Lang::It, 5);
        assert!(higher[0].rows()[0].cells()[0].is_hidden(), "a higher threshold is kept: 3 < 5");
    }

    #[test]
    fn di_cui_notes_of_the_synthesis_do_not_give_a_province_note_back() {
        // Minors: one in Brescia, four in Milano; the synthesis says five.
        let mut t = Tally::new();
        let ro = Nationality::parse("RO").unwrap();
        for (p, minors) in [("BS", 1), ("MI", 4)] {
            let bucket =
                Bucket { activity: Activity::Street, province: Province::parse(p).unwrap(), shift: Shift::Night };
            t.add(bucket, CellKey { nationality: ro, gender: Gender::F, measure: Measure::Contacts }, 10);
            t.add(bucket, CellKey { nationality: ro, gender: Gender::F, measure: Measure::Minors }, minors);
        }
        let r = Rendered::build(Table::Street, &t, &scope(Count::Contacts));
        assert!(!disclosures(&r.grids(false, Lang::It, Some(3))).is_empty(), "5 - 4 gave Brescia's 1 back");
        let published = r.published(Lang::It, 3);
        assert_eq!(disclosures(&published), []);
        let minors = |g: &Grid| {
            let mut items = g.notes().iter().flat_map(|n| &n.items);
            items.find(|(_, c)| c.key() == "/of_which/minors").map(|(_, c)| c.to_string()).unwrap()
        };
        let minors: Vec<String> = published.iter().map(minors).collect();
        assert_eq!(minors, ["<3", "<3", "5"], "Brescia's 1 hidden with Milano's 4 beside the synthesis' 5");
        assert_eq!(published[0].rows()[0].cells()[4].count(), Some(10), "the contacts stay");
    }
}
