//! specs/ against what the real kube-apiserver serves (tests/src/apiserver.rs): its own
//! `/openapi/v3` document of authentication.k8s.io/v1 is our document structure for structure,
//! and once the Authentication CRD from specs/ is installed, the schema the server publishes
//! for it is the CRD's (descriptions aside in both).

use tests::apiserver::{plain, shared, Identity};
use tests::first_difference;

/// Descriptions aside, and two documented server differences: `info` (the server writes its
/// own minor version, `1.35`, where the published documents say `unversioned`) and the CBOR
/// media types (`application/cbor`, `application/cbor-seq`, `application/apply-patch+cbor`),
/// which the published documents list and a server serves only with its CBOR feature gate on
/// (off by default in 1.35).
fn stripped(mut v: serde_json::Value) -> serde_json::Value {
    fn drop_cbor(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(serde_json::Value::Object(content)) = m.get_mut("content") {
                    content
                        .retain(|k, _| !k.starts_with("application/cbor") && !k.ends_with("+cbor"));
                }
                m.values_mut().for_each(drop_cbor);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(drop_cbor),
            _ => {}
        }
    }
    codegen::strip_descriptions(&mut v);
    drop_cbor(&mut v);
    if let Some(m) = v.as_object_mut() {
        m.remove("info");
    }
    v
}

fn ours(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(tests::workspace().join(path)).unwrap();
    let v: serde_json::Value = if path.ends_with(".json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml_ng::from_str(&text).unwrap()
    };
    stripped(v)
}

#[tokio::test]
async fn authentication_v1_document_is_what_the_server_serves() {
    let admin = shared().client(Identity::Admin).unwrap();
    let (status, served) = plain(
        &admin,
        "GET",
        "/openapi/v3/apis/authentication.k8s.io/v1",
        None,
    )
    .await;
    assert_eq!(status, 200, "{served}");
    let served = stripped(served);
    let ours = ours("specs/authentication.k8s.io/v1.json");
    if let Some(d) = first_difference(&ours, &served, "") {
        panic!("specs/authentication.k8s.io/v1.json differs from the server's document: {d}");
    }
}

#[tokio::test]
async fn core_v1_slices_are_what_the_server_serves() {
    let admin = shared().client(Identity::Admin).unwrap();
    let (status, served) = plain(&admin, "GET", "/openapi/v3/api/v1", None).await;
    assert_eq!(status, 200);
    let served = stripped(served);
    // Each slice holds some paths and the schemas they reach: compare those.
    for file in [
        "specs/core/v1-serviceaccount-token.json",
        "specs/core/v1-configmaps.json",
    ] {
        let ours = ours(file);
        let mut served = served.clone();
        for key in ["paths", "components/schemas"] {
            let keep: Vec<String> = ours
                .pointer(&format!("/{key}"))
                .and_then(|v| v.as_object())
                .unwrap()
                .keys()
                .cloned()
                .collect();
            if let Some(serde_json::Value::Object(m)) = served.pointer_mut(&format!("/{key}")) {
                m.retain(|k, _| keep.contains(k));
            }
        }
        if let Some(d) = first_difference(&ours, &served, "") {
            panic!("{file} differs from the server's core/v1: {d}");
        }
    }
}

#[tokio::test]
async fn authentication_crd_schema_is_what_the_server_publishes() {
    let admin = shared().client(Identity::Admin).unwrap();
    let crd = ours("specs/config.openshift.io/authentications-Default.crd.yaml");
    tests::apiserver::install_authentication_crd(&admin).await;
    // The server publishes the group's document once the CRD is established.
    let mut served = serde_json::Value::Null;
    for _ in 0..100 {
        let (status, doc) = plain(
            &admin,
            "GET",
            "/openapi/v3/apis/config.openshift.io/v1",
            None,
        )
        .await;
        if status == 200 {
            served = stripped(doc);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    let schema = &served["components"]["schemas"]["io.openshift.config.v1.Authentication"];
    assert!(
        schema.is_object(),
        "no Authentication schema served: {served}"
    );
    let declared = &crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"];
    // spec and status are published as declared; the server adds what every kind has
    // (apiVersion, kind, metadata as ObjectMeta, the group-version-kind extension).
    for part in ["spec", "status"] {
        if let Some(d) = first_difference(
            &declared["properties"][part],
            &schema["properties"][part],
            &format!("/properties/{part}"),
        ) {
            panic!("the server publishes Authentication.{part} differently from specs/: {d}");
        }
    }
    assert_eq!(schema["required"], declared["required"]);
    assert_eq!(
        schema["x-kubernetes-group-version-kind"][0]["kind"],
        "Authentication"
    );
}
