//! Renderers of the report tables: text laid out like the printed tables, CSV and JSON.
