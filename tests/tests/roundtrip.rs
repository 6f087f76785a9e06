//! Kubernetes' own round-trip fixtures (../shared/upstream/k8s-testdata) deserialize into our
//! types and serialize back to an equal JSON value.

use serde::{de::DeserializeOwned, Serialize};

use generated::authentication_k8s_io::v1::{SelfSubjectReview, TokenRequest, TokenReview};

fn check<T: DeserializeOwned + Serialize>(path: &std::path::Path) {
    let text = std::fs::read_to_string(path).unwrap();
    let expected: serde_json::Value = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml_ng::from_str(&text).unwrap()
    };
    let typed: T = serde_json::from_value(expected.clone())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let back = serde_json::to_value(&typed).unwrap();
    assert_eq!(back, expected, "{} does not round-trip", path.display());
}

#[test]
fn upstream_fixtures_round_trip() {
    let upstream = tests::upstream();
    let dir = upstream.join("k8s-testdata");
    let mut checked = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let kind = name.trim_end_matches(".json").trim_end_matches(".yaml");
        match kind {
            "authentication.k8s.io.v1.TokenReview" => check::<TokenReview>(&path),
            "authentication.k8s.io.v1.TokenRequest" => check::<TokenRequest>(&path),
            "authentication.k8s.io.v1.SelfSubjectReview" => check::<SelfSubjectReview>(&path),
            _ => {
                println!("not checked: {name} (no spec in specs/ generates that group/version)");
                continue;
            }
        }
        checked += 1;
    }
    assert_eq!(
        checked, 6,
        "expected JSON and YAML fixtures for TokenReview, TokenRequest and SelfSubjectReview"
    );
}
