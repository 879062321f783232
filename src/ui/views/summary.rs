//! End of an outing: its report table (as the programmes print it), then confirm.

use chrono::Utc;
use dioxus::prelude::*;
use uuid::Uuid;

use crate::app::{Area, SummaryView};
use crate::domain::tables::Mft;
use crate::domain::{Lang, OutingStatus};
use crate::report::{Grid, Rendered};
use crate::ui::components::{BottomBar, ReportTable};
use crate::ui::{Screen, T, Ui};

/// The counts of a gender split, M F T.
fn mft(m: &Mft) -> Vec<u64> {
    vec![m.m, m.f, m.t]
}

/// The outing's tables, one per province, as grids for the screen. `Rendered::grids` and
/// `report::Cell` are not public yet: the grids are built here with `Grid`'s public
/// builder; once they are, this is `rendered.grids(true, lang)`.
fn outing_grids(rendered: &Rendered, lang: Lang) -> Vec<Grid> {
    let title = |name: &str| format!("{}: {name}", T::Province.get(lang));
    let grid = |title: String, province: &str, groups: Vec<(String, usize)>, heads: Vec<&str>| {
        let mut g = Grid::new(title, province);
        g.groups = groups;
        g.header(T::Nationality.get(lang), heads, Vec::new());
        g
    };
    // Counts become cells through a note (whose items are public), the one way to make a
    // `Cell` outside `report` today.
    let cells = |v: Vec<u64>| {
        let mut scratch = Grid::default();
        scratch.note("", false, v.into_iter().map(|n| (String::new(), n)));
        scratch.notes.pop().map(|n| n.items.into_iter().map(|(_, c)| c).collect::<Vec<_>>()).unwrap_or_default()
    };
    match rendered {
        Rendered::Street(r) => r
            .tables
            .iter()
            .map(|t| {
                let groups = vec![(T::DayOutings.get(lang).to_owned(), 3), (T::NightOutings.get(lang).to_owned(), 3)];
                let mut g =
                    grid(title(&t.province_name), t.province.code(), groups, vec!["M", "F", "T", "M", "F", "T"]);
                for r in &t.rows {
                    g.row(r.nationality.code(), &r.label, cells([mft(&r.day), mft(&r.night)].concat()));
                }
                g.total(T::Total.get(lang), cells([mft(&t.total.day), mft(&t.total.night)].concat()));
                g
            })
            .collect(),
        Rendered::Labour(r) => r
            .tables
            .iter()
            .map(|t| {
                let mut g = grid(title(&t.province_name), t.province.code(), Vec::new(), vec!["M", "F", "T"]);
                for r in &t.rows {
                    g.row(r.nationality.code(), &r.label, cells(mft(&r.contacts)));
                }
                g.total(T::Total.get(lang), cells(mft(&t.total.contacts)));
                g
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The summary screen.
#[component]
pub fn SummaryScreen(
    /// The outing summed up.
    id: Uuid,
) -> Element {
    let mut ui = use_context::<Ui>();
    let lang = ui.lang();
    let Some(SummaryView { outing, report }) = ui.read(&[Area::Outings], |app| app.summary_view(id, lang)) else {
        return rsx! {};
    };
    let grids = outing_grids(&report, lang);
    let closed = outing.status == OutingStatus::Closed;
    let confirm = move |_| {
        if ui.write(|app| app.close_outing(id, Utc::now())).is_some() {
            ui.toast.set(None);
            ui.screen.set(Screen::Home);
        }
    };

    rsx! {
        section { class: "summary",
            h2 { {ui.t(T::Summary)} }
            p { class: "muted", {outing.date.format("%d/%m/%Y").to_string()} " · " {outing.activity.label(lang)} }
            for grid in grids {
                ReportTable { key: "{grid.province}", grid, class: "summary-table" }
            }
        }
        BottomBar {
            if closed {
                button { id: "back-home", class: "ghost", onclick: move |_| ui.screen.set(Screen::Home), {ui.t(T::Back)} }
            } else {
                button { id: "keep-recording", class: "ghost", onclick: move |_| ui.screen.set(Screen::Outing(id)), {ui.t(T::KeepRecording)} }
                button { id: "confirm-end", class: "primary", onclick: confirm, {ui.t(T::ConfirmEnd)} }
            }
        }
    }
}
