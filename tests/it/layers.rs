//! The layer rules, checked over the source: `domain` imports no rusqlite, dioxus,
//! reqwest, axum or tokio and nothing above it; `ui` imports no rusqlite; `store` imports
//! no dioxus and nothing above it; the shells (command line, screens, server) do not
//! import `store` directly, they go through the application layer.

use std::path::{Path, PathBuf};

/// One rule: files under `under` (relative to the workspace) must not name any of `banned`.
struct Rule {
    under: &'static str,
    banned: &'static [&'static str],
}

const ENGINES: &[&str] = &["rusqlite", "dioxus", "reqwest", "axum", "tokio"];

const RULES: &[Rule] = &[
    Rule { under: "src/domain", banned: ENGINES },
    Rule {
        under: "src/domain",
        banned: &["crate::store", "crate::app", "crate::ui", "crate::cli", "crate::report", "crate::sync"],
    },
    Rule { under: "src/wire.rs", banned: ENGINES },
    Rule { under: "src/ui", banned: &["rusqlite"] },
    Rule { under: "src/store", banned: &["dioxus", "crate::app", "crate::ui", "crate::cli", "crate::sync"] },
    Rule { under: "src/report", banned: &["rusqlite", "dioxus", "crate::store", "crate::app", "crate::ui"] },
    Rule { under: "src/app", banned: &["dioxus", "crate::ui", "crate::cli"] },
    Rule { under: "src/ui", banned: &["crate::store", "super::store"] },
    Rule { under: "src/cli.rs", banned: &["crate::store", "rusqlite"] },
    Rule { under: "src/main.rs", banned: &["lanterna::store", "rusqlite"] },
    Rule { under: "platforms/server/src", banned: &["lanterna::store", "dioxus"] },
];

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_owned()
}

fn rust_files(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<_> = std::fs::read_dir(path).expect("a readable source dir").flatten().collect();
        entries.sort_by_key(|e| e.path());
        entries.iter().for_each(|e| rust_files(&e.path(), out));
    } else if path.extension().is_some_and(|e| e == "rs") {
        out.push(path.to_owned());
    }
}

/// The code of a line: without its `//` comment (doc comments included).
fn code(line: &str) -> &str {
    line.find("//").map_or(line, |i| &line[..i])
}

/// Whether `code` names `item` as a path or an import (`item::`, `use item`, `item {`).
fn names(code: &str, item: &str) -> bool {
    code.match_indices(item).any(|(i, _)| {
        let before = code[..i].chars().next_back();
        let after = &code[i + item.len()..];
        let starts = before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        starts
            && (after.starts_with("::")
                || after.starts_with(';')
                || after.starts_with(" as ")
                || after.starts_with(','))
            || code.trim_start().starts_with(&format!("use {item}"))
    })
}

/// Every place in `text` (of the file `file`) that breaks `rule`.
fn violations(file: &str, text: &str, rule: &Rule) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        for item in rule.banned {
            if names(code(line), item) {
                out.push(format!("{file}:{}: names `{item}` (not allowed under {})", n + 1, rule.under));
            }
        }
    }
    out
}

#[test]
fn the_layers_import_only_downwards() {
    let root = workspace();
    let mut broken = Vec::new();
    for rule in RULES {
        let mut files = Vec::new();
        rust_files(&root.join(rule.under), &mut files);
        assert!(!files.is_empty(), "{} has no Rust files: the rule checks nothing", rule.under);
        for f in files {
            let text = std::fs::read_to_string(&f).expect("a readable source file");
            let rel = f.strip_prefix(&root).unwrap_or(&f).display().to_string();
            broken.extend(violations(&rel, &text, rule));
        }
    }
    assert!(broken.is_empty(), "layer rules broken:\n{}", broken.join("\n"));
}

#[test]
fn the_check_catches_what_it_should_and_only_that() {
    let rule = &RULES[0];
    let caught = |src: &str| !violations("x.rs", src, rule).is_empty();
    assert!(caught("use rusqlite::Connection;"));
    assert!(caught("    let c = rusqlite::Connection::open_in_memory();"));
    assert!(caught("use dioxus::prelude::*;"));
    assert!(caught("use tokio;"));
    assert!(caught("use {axum::Router, serde::Serialize};") || caught("use axum::Router;"));
    assert!(!caught("// rusqlite:: in a comment is fine"));
    assert!(!caught("/// see tokio::time"));
    assert!(!caught("let my_rusqlite_count = 1;"));
    let shells = RULES.iter().find(|r| r.under == "src/ui" && r.banned.contains(&"crate::store")).expect("ui rule");
    assert!(!violations("v.rs", "use crate::store::Store;", shells).is_empty());
    assert!(!violations("v.rs", "use crate::store;", shells).is_empty());
    assert!(violations("v.rs", "use crate::app::Lanterna;", shells).is_empty());
}

#[test]
fn every_source_file_opens_with_a_doc_line() {
    let root = workspace();
    let mut files = Vec::new();
    for dir in ["src", "platforms/server/src"] {
        rust_files(&root.join(dir), &mut files);
    }
    let undocumented: Vec<_> = files
        .iter()
        .filter(|f| !std::fs::read_to_string(f).expect("readable").trim_start().starts_with("//!"))
        .map(|f| f.display().to_string())
        .collect();
    assert!(undocumented.is_empty(), "files without a `//!` line: {undocumented:?}");
}
