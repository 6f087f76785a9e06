//! `cargo xtask fetch` on the real kube-apiserver (tests/src/apiserver.rs): a cluster's group
//! documents and CRDs land in a specs folder, a second fetch of the unchanged cluster changes
//! nothing, and what was fetched generates a crate that compiles.

use std::path::PathBuf;
use std::process::Command;

use tests::apiserver::{shared, Identity};
use tests::fetch::{client_from_kubeconfig, fetch, Selection};

fn scratch(name: &str) -> PathBuf {
    let dir = tests::workspace().join("target/apiserver-fetch").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

async fn install_crd() {
    let admin = shared().client(Identity::Admin).unwrap();
    tests::apiserver::install_authentication_crd(&admin).await;
}

async fn kubeconfig_client(dir: &std::path::Path) -> generated::runtime::Client {
    let path = dir.join("kubeconfig");
    shared().write_kubeconfig(&path).unwrap();
    client_from_kubeconfig(&path, Some("admin")).await.unwrap()
}

#[tokio::test]
async fn fetched_groups_and_crds_generate_a_crate_that_compiles() {
    install_crd().await;
    let dir = scratch("some");
    let client = kubeconfig_client(&dir).await;
    let specs = dir.join("specs");
    let selection = Selection {
        group_versions: vec![
            "v1".into(),
            "apps/v1".into(),
            "authentication.k8s.io/v1".into(),
        ],
        crds: vec!["authentications.config.openshift.io".into()],
    };
    let first = fetch(&client, &selection, &specs).await.unwrap();
    let paths: Vec<String> = first.iter().map(|w| w.path.display().to_string()).collect();
    assert_eq!(
        paths,
        [
            "apps/v1.json",
            "authentication.k8s.io/v1.json",
            "config.openshift.io/authentications.config.openshift.io.crd.json",
            "core/v1.json"
        ]
    );
    assert!(first.iter().all(|w| w.changed));
    let again = fetch(&client, &selection, &specs).await.unwrap();
    assert!(
        again.iter().all(|w| !w.changed),
        "a second fetch changed {again:?}"
    );

    // A group/version served by a CRD, asked for by name, comes as the CRD.
    let by_gv = fetch(
        &client,
        &Selection {
            group_versions: vec!["config.openshift.io/v1".into()],
            crds: vec![],
        },
        &dir.join("by-gv"),
    )
    .await
    .unwrap();
    let paths: Vec<String> = by_gv.iter().map(|w| w.path.display().to_string()).collect();
    assert_eq!(
        paths,
        ["config.openshift.io/authentications.config.openshift.io.crd.json"]
    );

    // Asking for what the cluster does not serve is an error naming it.
    let err = fetch(
        &client,
        &Selection {
            group_versions: vec!["example.com/v9".into()],
            crds: vec![],
        },
        &dir.join("none"),
    )
    .await
    .unwrap_err();
    assert!(err.contains("example.com/v9"), "{err}");

    // Generate and compile.
    let out = dir.join("out");
    let gen = Command::new(env!("CARGO"))
        .args([
            "run",
            "--quiet",
            "--package",
            "xtask",
            "--",
            "codegen",
            "--specs",
        ])
        .arg(&specs)
        .arg("--out")
        .arg(&out)
        .current_dir(tests::workspace())
        .env(
            "CARGO_TARGET_DIR",
            tests::workspace().join("target/apiserver-fetch/xtask"),
        )
        .output()
        .unwrap();
    assert!(
        gen.status.success(),
        "codegen: {}",
        String::from_utf8_lossy(&gen.stderr)
    );
    for (rel, text) in tests::hand_written_runtime() {
        std::fs::create_dir_all(out.join(&rel).parent().unwrap()).unwrap();
        std::fs::write(out.join(rel), text).unwrap();
    }
    std::fs::copy(
        tests::workspace().join("Cargo.lock"),
        out.join("Cargo.lock"),
    )
    .unwrap();
    let manifest = out.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[workspace]\n")).unwrap();
    let check = Command::new(env!("CARGO"))
        .args(["check", "--quiet", "--manifest-path"])
        .arg(&manifest)
        // Shares the whole-API test's dependencies.
        .env("CARGO_TARGET_DIR", tests::scratch::shared_target())
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "the fetched specs do not compile:\n{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[tokio::test]
async fn fetching_everything_takes_a_crd_group_from_its_crd() {
    install_crd().await;
    let dir = scratch("all");
    let client = kubeconfig_client(&dir).await;
    let specs = dir.join("specs");
    let written = fetch(&client, &Selection::default(), &specs).await.unwrap();
    let paths: Vec<String> = written
        .iter()
        .map(|w| w.path.display().to_string())
        .collect();
    assert!(paths.contains(&"core/v1.json".to_string()), "{paths:?}");
    assert!(
        paths.contains(&"apiextensions.k8s.io/v1.json".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(
            &"config.openshift.io/authentications.config.openshift.io.crd.json".to_string()
        ),
        "{paths:?}"
    );
    assert!(
        !paths.contains(&"config.openshift.io/v1.json".to_string()),
        "the group served by the CRD came twice: {paths:?}"
    );
    // A default 1.35 server serves its GA group/versions: 22 documents and the CRD.
    assert!(paths.len() >= 20, "{paths:?}");
    // Everything the cluster serves generates together.
    let files = codegen::read_specs_dir(&specs).unwrap();
    let out = codegen::generate(&files, &Default::default()).unwrap_or_else(|e| panic!("{e}"));

    // Each kind is namespaced as the server's discovery says (`runtime::Resource::NAMESPACED`,
    // and kube-rs mode's scope): a kind also listed across namespaces (`/api/v1/configmaps`)
    // is namespaced all the same.
    let admin = shared().client(Identity::Admin).unwrap();
    let mut checked = 0;
    for (api_version, plural, namespaced) in declared_scopes(&out) {
        let path = if api_version.contains('/') {
            format!("/apis/{api_version}")
        } else {
            format!("/api/{api_version}")
        };
        let (status, body) = tests::apiserver::plain(&admin, "GET", &path, None).await;
        assert_eq!(status, 200, "{path}: {body}");
        let served = body["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["name"] == plural.as_str());
        // Subresource kinds (TokenRequest, Scale) carry their segment, not a resource name.
        let Some(served) = served else { continue };
        assert_eq!(
            served["namespaced"].as_bool(),
            Some(namespaced),
            "{api_version} {plural}: the server says namespaced = {}",
            served["namespaced"]
        );
        checked += 1;
    }
    assert!(
        checked >= 50,
        "only {checked} kinds compared with discovery"
    );
}

/// `(apiVersion, plural, namespaced)` of every kind's `runtime::Resource` impl in `out`.
fn declared_scopes(out: &codegen::Output) -> Vec<(String, String, bool)> {
    let value = |text: &str, key: &str| -> Option<String> {
        let rest = &text[text.find(key)? + key.len()..];
        Some(rest[..rest.find(';')?].trim().trim_matches('"').to_string())
    };
    let mut found = Vec::new();
    for text in out.files.files.values() {
        for block in text.split("::Resource for ").skip(1) {
            let block = &block[..block.find("\n}").unwrap_or(block.len())];
            let (Some(api_version), Some(plural), Some(namespaced)) = (
                value(block, "const API_VERSION: &'static str ="),
                value(block, "const PLURAL: &'static str ="),
                value(block, "const NAMESPACED: bool ="),
            ) else {
                continue;
            };
            found.push((api_version, plural, namespaced == "true"));
        }
    }
    found
}

/// The documents a cluster serves, dropped into one folder as they come: a CRD group's own
/// OpenAPI document (not its CRD) beside the built-in groups'. They share meta/v1 schemas
/// whose declared kinds differ (the server lists fewer group/versions on DeleteOptions in the
/// CRD group's document); those are one schema all the same, and everything generates.
#[tokio::test]
async fn a_crd_groups_served_document_generates_with_the_built_in_ones() {
    install_crd().await;
    let admin = shared().client(Identity::Admin).unwrap();
    let mut files = Vec::new();
    for (path, name) in [
        ("/openapi/v3/api/v1", "core/v1.json"),
        ("/openapi/v3/apis/apps/v1", "apps/v1.json"),
        (
            "/openapi/v3/apis/config.openshift.io/v1",
            "config.openshift.io/v1.json",
        ),
    ] {
        // A CRD's document is published a moment after the CRD is established.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        let body = loop {
            let (status, body) = tests::apiserver::plain(&admin, "GET", path, None).await;
            let has_kinds = body["components"]["schemas"]
                .as_object()
                .is_some_and(|s| s.keys().any(|k| !k.starts_with("io.k8s.apimachinery.")));
            if status == 200 && has_kinds {
                break body;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{path}: {status} {body}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        };
        files.push(codegen::SpecFile {
            name: format!("specs/{name}"),
            bytes: serde_json::to_vec(&body).unwrap(),
        });
    }
    // What the test is about: the documents disagree on DeleteOptions' declared kinds.
    let kinds = |f: &codegen::SpecFile| {
        let doc: serde_json::Value = serde_json::from_slice(&f.bytes).unwrap();
        doc["components"]["schemas"]["io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions"]
            ["x-kubernetes-group-version-kind"]
            .as_array()
            .map(Vec::len)
    };
    assert!(kinds(&files[0]).is_some_and(|n| n > 1));
    assert_ne!(kinds(&files[0]), kinds(&files[2]));
    let out = codegen::generate(&files, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
    let f = &out.files.files;
    let auth = "crates/config-openshift-io-v1/src/config_openshift_io/v1/authentication.rs";
    assert!(
        f.get(auth)
            .is_some_and(|t| t.contains("const KIND: &'static str = \"Authentication\";")),
        "{auth}"
    );
    // One DeleteOptions, in apimachinery: policy/v1 Eviction (a type) names it.
    assert!(f.contains_key("crates/apimachinery/src/meta/v1/delete_options.rs"));
    assert!(!f.contains_key("crates/runtime/src/meta/v1/delete_options.rs"));
}

/// A CRD's group/version reaches the server's /openapi/v3 index a moment after the CRD is
/// established (a real run of the test above failed in that moment: "the cluster serves no
/// group/version config.openshift.io/v1"). Asked for by group/version, it is found through the
/// CRD list alone. A loopback server holds that moment still, which the real one cannot.
#[tokio::test]
async fn a_crd_group_version_is_found_before_the_openapi_index_lists_it() {
    use axum::{routing::get, Router};
    let crd = serde_json::json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com", "resourceVersion": "7"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"kind": "Widget", "plural": "widgets"},
                 "versions": [{"name": "v1", "served": true, "storage": true,
                               "schema": {"openAPIV3Schema": {"type": "object"}}}]}
    });
    let app = Router::new()
        .route(
            "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
            get(move || {
                let list = serde_json::json!({"kind": "CustomResourceDefinitionList", "items": [crd.clone()]});
                async move { list.to_string() }
            }),
        )
        // The index before the CRD's group shows up in it.
        .route(
            "/openapi/v3",
            get(|| async {
                serde_json::json!({"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=A"}}})
                    .to_string()
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client = generated::runtime::Client::new(&url).unwrap();
    let dir = scratch("index-lag");
    let written = fetch(
        &client,
        &Selection {
            group_versions: vec!["example.com/v1".into()],
            crds: vec![],
        },
        &dir,
    )
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<String> = written
        .iter()
        .map(|w| w.path.display().to_string())
        .collect();
    assert_eq!(paths, ["example.com/widgets.example.com.crd.json"]);
}
