//! Cross-crate tests live in `tests/`; this library holds the code emitted for the model
//! fixtures (built by `build.rs`), so that it is compiled in every test run, and small helpers.

// Emitted code must build without warnings (dead code aside: fixtures are not all used).
#[deny(warnings)]
#[allow(dead_code, missing_docs, clippy::all)]
pub mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures/mod.rs"));
}

include!(concat!(env!("OUT_DIR"), "/fixtures/random_checks.rs"));

pub mod apiserver;
pub mod fetch;
pub mod scratch;

/// Deserializes `json` into `T`, serializes it back, and compares the JSON values.
pub fn round_trip_str<T: serde::de::DeserializeOwned + serde::Serialize>(
    json: &str,
) -> Result<(), String> {
    let expected: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let typed: T = serde_json::from_str(json)
        .map_err(|e| format!("does not deserialize: {e}; input {json}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| e.to_string())?;
    if back == expected {
        Ok(())
    } else {
        Err(format!(
            "round trip changed the value:\n in:  {expected}\n out: {back}"
        ))
    }
}

use std::path::{Path, PathBuf};

use serde_json::Value;

/// The first differing place, as a JSON pointer, so a failure says where to look.
pub fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            // Each key once: those of ours, then those only upstream has.
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                match (x.get(k), y.get(k)) {
                    (Some(xv), Some(yv)) => {
                        if let Some(d) = first_difference(xv, yv, &p) {
                            return Some(d);
                        }
                    }
                    (Some(_), None) => return Some(format!("{p}: only in ours")),
                    (None, _) => return Some(format!("{p}: only upstream")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (xv, yv))| first_difference(xv, yv, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: ours {a} vs upstream {b}")),
    }
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// `../shared/upstream` beside the checkout (CI has it). Its absence fails the test that
/// needs it: a test that cannot read the real material has proven nothing.
pub fn upstream() -> PathBuf {
    let p = workspace().join("../shared/upstream");
    assert!(
        p.is_dir(),
        "{} is missing: the tests read the real Kubernetes documents and fixtures from it",
        p.display()
    );
    p
}

/// The hand-written runtime files, as (path inside an output folder, text): what a scratch
/// output needs beside the emitted files to build, as `generated/` has it.
pub fn hand_written_runtime() -> Vec<(String, String)> {
    let mut files = Vec::new();
    for rel in codegen::HAND_WRITTEN_RUNTIME {
        let dir = workspace().join("generated").join(rel);
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            files.push((
                format!("{rel}/{name}"),
                std::fs::read_to_string(&p).unwrap(),
            ));
        }
    }
    files.sort();
    files
}
