//! Nothing that travels to the sync endpoint can carry free text: the JSON Schema of every
//! wire type is walked, and every string must be a closed list of codes, a fixed pattern,
//! a UUID or a date; every object must refuse unknown fields.

use lanterna::wire::{Batch, BatchResponse, EnrollRequest, EnrollResponse};
use schemars::{JsonSchema, schema_for};
use serde_json::Value;

/// Every place in a schema where free text could go.
fn free_text(v: &Value, path: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            let is_string = match m.get("type") {
                Some(Value::String(t)) => t == "string",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "string"),
                _ => false,
            };
            let closed = m.contains_key("enum")
                || m.contains_key("const")
                || m.contains_key("pattern")
                || matches!(m.get("format").and_then(Value::as_str), Some("uuid" | "date"));
            if is_string && !closed {
                out.push(format!("{path}: a string with no enum, pattern or format"));
            }
            if m.get("type").and_then(Value::as_str) == Some("object")
                && m.get("additionalProperties") != Some(&Value::Bool(false))
            {
                out.push(format!("{path}: an object that accepts unknown fields"));
            }
            if m.get("additionalProperties").is_some_and(Value::is_object) {
                out.push(format!("{path}: a map with free keys"));
            }
            for (k, x) in m {
                free_text(x, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(xs) => {
            for (i, x) in xs.iter().enumerate() {
                free_text(x, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn check<T: JsonSchema>() -> Vec<String> {
    let schema = serde_json::to_value(schema_for!(T)).unwrap();
    let mut out = Vec::new();
    free_text(&schema, "#", &mut out);
    out
}

#[test]
fn no_wire_field_can_carry_free_text() {
    for (name, found) in [
        ("Batch", check::<Batch>()),
        ("BatchResponse", check::<BatchResponse>()),
        ("EnrollRequest", check::<EnrollRequest>()),
        ("EnrollResponse", check::<EnrollResponse>()),
    ] {
        assert!(found.is_empty(), "{name}:\n{}", found.join("\n"));
    }
    // The walk reaches the codes: nationality is an enum of every code.
    let schema = serde_json::to_value(schema_for!(Batch)).unwrap().to_string();
    assert!(schema.contains("\"RO\"") && schema.contains("\"ZZ\"") && schema.contains("\"item.condoms\""));
}

/// The walk is not vacuous: a type with a free string, a free map or open fields fails it.
#[test]
fn the_walk_finds_free_text_where_there_is_some() {
    #[derive(schemars::JsonSchema)]
    #[allow(dead_code)]
    struct Leaky {
        note: String,
        tags: std::collections::HashMap<String, u32>,
    }
    let found = check::<Leaky>();
    assert!(found.iter().any(|f| f.contains("/note")), "{found:?}");
    assert!(found.iter().any(|f| f.contains("free keys")), "{found:?}");
    assert!(found.iter().any(|f| f.contains("unknown fields")), "{found:?}");
}

#[test]
fn unknown_fields_and_bad_codes_do_not_parse() {
    let ok = r#"{"summaries":[{"id":"6f1c1d2e-3c4b-4a5a-9b8c-7d6e5f4a3b2c","revision":1,"activity":"street",
        "date":"2024-03-01","shift":"night","province":"BS","comuni":["017029"],
        "cells":[{"nat":"RO","g":"F","m":"contacts","n":3}]}]}"#;
    let b: Batch = serde_json::from_str(ok).unwrap();
    assert_eq!(b.summaries[0].cells[0].count, 3);
    for bad in [
        ok.replace("\"revision\":1", "\"revision\":1,\"note\":\"Maria\""),
        ok.replace("\"RO\"", "\"Romania\""),
        ok.replace("\"017029\"", "\"Brescia\""),
        ok.replace("\"contacts\"", "\"names\""),
        ok.replace("\"n\":3", "\"n\":3,\"label\":\"Via Milano\""),
        ok.replace("\"n\":3", "\"n\":-3"),
    ] {
        assert!(serde_json::from_str::<Batch>(&bad).is_err(), "{bad}");
    }
}
