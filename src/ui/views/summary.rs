//! End of an outing: its report table (as the programmes print it), then confirm.

use chrono::Utc;
use dioxus::prelude::*;
use uuid::Uuid;

use crate::app::{Area, SummaryView};
use crate::domain::OutingStatus;
use crate::ui::components::{BottomBar, ReportTable};
use crate::ui::{Screen, T, Ui};

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
    let grids = report.grids(true, lang, None);
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
                ReportTable { key: "{grid.province().unwrap_or_default()}", grid, class: "summary-table" }
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
