//! Cross-crate tests live in `tests/`; this library holds the code emitted for the model
//! fixtures (built by `build.rs`), so that it is compiled in every test run, and small helpers.

#[allow(dead_code, missing_docs, clippy::all)]
pub mod fixtures {
    include!(concat!(env!("OUT_DIR"), "/fixtures/mod.rs"));
}

include!(concat!(env!("OUT_DIR"), "/fixtures/random_checks.rs"));

pub mod apiserver;

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
