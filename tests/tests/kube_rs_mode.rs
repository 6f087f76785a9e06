//! kube-rs mode (`kube-rs = true` in `codegen.toml`) end to end on the real kube-apiserver:
//! our specs generated in that mode into a scratch crate, the kube-rs program of
//! `tests/fixtures/kube_rs_app/main.rs` built beside it with kube, kube-runtime and
//! k8s-openapi (the application's Kubernetes version feature, as a kube-rs user picks it),
//! and run against the server. It checks `kube::Api<K>`, kube-runtime's watcher and a
//! Controller over the OpenShift Authentication kind and ConfigMap, and our client beside
//! kube's; its exit status is the verdict.

use tests::apiserver::{install_authentication_crd, shared, Identity};
use tests::scratch::{cargo, Scratch};

/// The Cargo.toml lines a kube-rs user writes (README), with the scratch crate's path.
const APP_MANIFEST: &str = r#"[package]
name = "kube-rs-mode-app"
version = "0.1.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
generated = { path = "../generated", features = ["kubeconfig"] }
# The application picks the Kubernetes version of k8s-openapi; the generated crate never does.
k8s-openapi = { version = "0.29", default-features = false, features = ["latest"] }
kube = { version = "5", default-features = false, features = ["client", "rustls-tls", "ring", "runtime"] }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
futures = "0.3"
serde = "1"
serde_json = "1"
"#;

#[tokio::test]
async fn kube_api_watcher_and_controller_work_over_generated_kinds() {
    let specs = codegen::read_specs_dir(&tests::workspace().join("specs")).unwrap();
    let options = codegen::options_from_settings("codegen.toml", "kube-rs = true\n").unwrap();
    let out = codegen::generate(&specs, &options).unwrap();
    let root = tests::workspace().join("target/kube-rs-mode");
    Scratch::of_output(root.join("generated"), &out);
    let mut app = Scratch::new(root.join("app"));
    app.put("Cargo.toml", APP_MANIFEST);
    let program = tests::workspace().join("tests/fixtures/kube_rs_app/main.rs");
    app.put("src/main.rs", &std::fs::read_to_string(program).unwrap());
    app.put(
        "Cargo.lock",
        &std::fs::read_to_string(tests::workspace().join("Cargo.lock")).unwrap(),
    );

    let cluster = shared();
    install_authentication_crd(&cluster.client(Identity::Admin).unwrap()).await;
    let kubeconfig = root.join("kubeconfig");
    cluster.write_kubeconfig(&kubeconfig).unwrap();
    let (ok, text) = tokio::task::spawn_blocking(move || {
        cargo(
            &["run", "--quiet"],
            &root.join("app"),
            &root.join("target"),
            &[("KUBECONFIG", &kubeconfig)],
        )
    })
    .await
    .unwrap();
    println!("{text}");
    assert!(ok, "the kube-rs program failed:\n{text}");
    for line in [
        "Authentication: list, get, apply, delete, watcher and controller work",
        "ConfigMap: list, get, apply, delete, watcher and controller work",
        "our client and kube's mix",
        "kube-rs mode: every check passed",
    ] {
        assert!(text.contains(line), "missing `{line}` in:\n{text}");
    }
}
