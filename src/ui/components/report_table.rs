//! A report table on screen, as the programmes print it: what `crate::report` builds.

use dioxus::prelude::*;

use crate::report::Grid;

/// The table: the title above, group headings over their columns, body rows (keyed by
/// their code), total rows at the foot, the notes under it.
#[component]
pub fn ReportTable(
    /// The table: title, column groups and headings, rows, totals, notes.
    grid: Grid,
    /// Class added to the table after "report".
    #[props(default)]
    class: String,
) -> Element {
    let g = grid;
    rsx! {
        div { class: "table-wrap",
            h3 { "{g.title()}" }
            table { class: "report {class}",
                thead {
                    if !g.groups().is_empty() {
                        tr {
                            th {}
                            for grp in g.groups().iter() { th { colspan: "{grp.span}", "{grp.label}" } }
                        }
                    }
                    tr {
                        th { "{g.first_heading()}" }
                        for c in g.columns().iter() { th { "{c.head}" } }
                    }
                }
                tbody {
                    for r in g.rows().iter() {
                        tr { key: "{r.code()}", "data-code": "{r.code()}",
                            th { "{r.label()}" }
                            for c in r.cells().iter() { td { {c.text()} } }
                        }
                    }
                }
                tfoot {
                    for r in g.totals().iter() {
                        tr {
                            th { "{r.label()}" }
                            for c in r.cells().iter() { td { "{c}" } }
                        }
                    }
                }
            }
            for n in g.notes().iter() {
                p { class: "note muted", "{n}" }
            }
        }
    }
}
