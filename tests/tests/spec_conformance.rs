//! Our spec files must have exactly the structure of the real API (paths, operationIds,
//! parameters, schema names, types, formats, required lists, enums, defaults, extensions);
//! only descriptions are ours. Compared against ../shared/upstream when it is present.

use serde_json::Value;

fn load(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut v: Value = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml_ng::from_str(&text).unwrap()
    };
    codegen::strip_descriptions(&mut v);
    v
}

use tests::first_difference;

fn compare(ours: &str, upstream: &std::path::Path) {
    let ours_v = load(&tests::workspace().join(ours));
    let up = load(upstream);
    if let Some(d) = first_difference(&ours_v, &up, "") {
        panic!(
            "{ours} differs structurally from {}: {d}",
            upstream.display()
        );
    }
}

#[test]
fn authentication_v1_document_matches_upstream() {
    let up = tests::upstream();
    compare(
        "specs/authentication.k8s.io/v1.json",
        &up.join("k8s-openapi-v3/apis__authentication.k8s.io__v1_openapi.json"),
    );
}

#[test]
fn authentication_crd_matches_upstream_default_feature_set() {
    let up = tests::upstream();
    compare(
        "specs/config.openshift.io/authentications-Default.crd.yaml",
        &up.join("openshift-crds/0000_10_config-operator_01_authentications-Default.crd.yaml"),
    );
}

/// The core/v1 slice: upstream's api__v1_openapi.json restricted to the token path and the
/// schemas it reaches.
#[test]
fn core_v1_token_slice_matches_upstream() {
    let up = tests::upstream();
    let ours = load(&tests::workspace().join("specs/core/v1-serviceaccount-token.json"));
    let mut full = load(&up.join("k8s-openapi-v3/api__v1_openapi.json"));
    restrict(&mut full, &ours);
    if let Some(d) = first_difference(&ours, &full, "") {
        panic!("specs/core/v1-serviceaccount-token.json differs structurally from the upstream core/v1 slice: {d}");
    }
    // The configmaps slice likewise.
    let ours = load(&tests::workspace().join("specs/core/v1-configmaps.json"));
    let mut full = load(&up.join("k8s-openapi-v3/api__v1_openapi.json"));
    restrict(&mut full, &ours);
    if let Some(d) = first_difference(&ours, &full, "") {
        panic!("specs/core/v1-configmaps.json differs structurally from the upstream core/v1 slice: {d}");
    }
}

/// Keeps only the paths and schemas `ours` has.
fn restrict(full: &mut Value, ours: &Value) {
    for key in ["paths", "components/schemas"] {
        let (o, f) = (pointer(ours, key), pointer_mut(full, key));
        if let (Some(Value::Object(o)), Some(Value::Object(f))) = (o, f) {
            f.retain(|k, _| o.contains_key(k));
        }
    }
}

fn pointer<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.pointer(&format!("/{key}"))
}

fn pointer_mut<'a>(v: &'a mut Value, key: &str) -> Option<&'a mut Value> {
    v.pointer_mut(&format!("/{key}"))
}
