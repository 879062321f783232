//! A report table on screen, as the programmes print it: what `crate::report` builds.

use dioxus::prelude::*;

use crate::report::Grid;

/// Props of [`ReportTable`].
#[derive(Props, Clone)]
pub struct ReportTableProps {
    /// The table: title, column groups and headings, rows, totals, notes.
    pub grid: Grid,
    /// Class added to the table after "report".
    #[props(default)]
    pub class: String,
}

impl PartialEq for ReportTableProps {
    /// A `Grid` cannot be compared: the table renders again with its screen.
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

/// A body cell: blank when zero, as printed tables leave it. (`report::Cell` is not
/// exported: its `Display` is what the table can read.)
fn body(c: &impl std::fmt::Display) -> String {
    let s = c.to_string();
    if s == "0" { String::new() } else { s }
}

/// The table: the title above, group headings over their columns, body rows (keyed by
/// their code), total rows at the foot, the notes under it.
#[component]
pub fn ReportTable(props: ReportTableProps) -> Element {
    let g = props.grid;
    rsx! {
        div { class: "table-wrap",
            h3 { "{g.title}" }
            table { class: "report {props.class}",
                thead {
                    if !g.groups.is_empty() {
                        tr {
                            th {}
                            for (label, span) in g.groups.iter() { th { colspan: "{span}", "{label}" } }
                        }
                    }
                    tr {
                        th { "{g.first}" }
                        for h in g.heads.iter() { th { "{h}" } }
                    }
                }
                tbody {
                    for (code, label, cells) in g.rows.iter() {
                        tr { key: "{code}", "data-code": "{code}",
                            th { "{label}" }
                            for c in cells.iter() { td { {body(c)} } }
                        }
                    }
                }
                tfoot {
                    for (label, cells) in g.totals.iter() {
                        tr {
                            th { "{label}" }
                            for c in cells.iter() { td { "{c}" } }
                        }
                    }
                }
            }
            for n in g.notes.iter() {
                p { class: "note muted", "{n}" }
            }
        }
    }
}
