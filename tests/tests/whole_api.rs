//! The whole Kubernetes API, as users drop it into `specs/`: every real group document and CRD
//! in ../shared/upstream generates alone and together with the project's own specs; every
//! (path, method) of a document becomes an operation; and the crate of all 37 documents (with
//! every CRD) compiles, clippy-clean, each group/version feature alone too, and round-trips
//! every Kubernetes fixture whose kind it defines.
//!
//! One scratch crate under `target/whole-api` serves every build here, so a second run only
//! rebuilds what changed. BENCHMARKS.md says how long the first run takes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use codegen::{Options, SpecFile};

/// Every real file users would drop in: the 37 Kubernetes 1.35 documents (and the older
/// authentication.k8s.io v1alpha1/v1beta1 ones beside them), the config.openshift.io/v1
/// CRDs and the third-party CRDs.
fn real_files() -> Vec<PathBuf> {
    let up = tests::upstream();
    let mut out = Vec::new();
    for dir in [
        up.join("k8s-openapi-v3"),
        up.join("openshift-crds/config-v1"),
    ]
    .into_iter()
    .chain(subdirs(&up.join("thirdparty-crds")))
    {
        for e in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let p = e.unwrap().path();
            if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("json" | "yaml")
            ) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn subdirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

fn spec_file(path: &Path) -> SpecFile {
    SpecFile {
        name: format!("specs/{}", path.file_name().unwrap().to_string_lossy()),
        bytes: std::fs::read(path).unwrap(),
    }
}

fn own_specs() -> Vec<SpecFile> {
    codegen::read_specs_dir(&tests::workspace().join("specs")).unwrap()
}

fn generate(specs: &[SpecFile]) -> Result<codegen::Output, String> {
    codegen::generate(specs, &Options::default()).map_err(|e| e.to_string())
}

#[test]
fn every_real_file_generates_alone() {
    let files = real_files();
    assert!(files.len() >= 37 + 21 + 29, "{} files", files.len());
    let mut failed = Vec::new();
    for path in &files {
        if let Err(e) = generate(&[spec_file(path)]) {
            failed.push(format!("{}: {e}", path.display()));
        }
    }
    assert!(
        failed.is_empty(),
        "do not generate alone:\n{}",
        failed.join("\n")
    );
}

#[test]
fn every_real_file_generates_together_with_our_specs() {
    let mut specs = own_specs();
    specs.extend(real_files().iter().map(|p| spec_file(p)));
    let out = generate(&specs).unwrap_or_else(|e| panic!("all together: {e}"));
    for module in [
        "core::v1",
        "apps::v1",
        "argoproj_io::v1alpha1",
        "config_openshift_io::v1",
    ] {
        assert!(
            out.groups.iter().any(|g| g.module == module),
            "{module} missing"
        );
    }
}

/// Every (path, method) of every real document is one operation: its method's docs name
/// `METHOD path` in the api.rs of its group/version, or of meta/v1 for what is served outside
/// any group/version (group discovery, `/apis/{group}/`).
#[test]
fn every_operation_of_every_document_is_generated() {
    let up = tests::upstream();
    let mut missing = Vec::new();
    let mut checked = 0;
    for path in real_files()
        .into_iter()
        .filter(|p| p.starts_with(up.join("k8s-openapi-v3")))
    {
        let out = generate(&[spec_file(&path)]).unwrap();
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let api: String = out
            .files
            .files
            .iter()
            .filter(|(name, _)| name.ends_with("/api.rs"))
            .map(|(_, text)| text.as_str())
            .collect();
        for (p, item) in doc["paths"].as_object().unwrap() {
            for method in item.as_object().unwrap().keys() {
                if method == "parameters" {
                    continue;
                }
                let line = format!("`{} {p}`", method.to_ascii_uppercase());
                checked += 1;
                if !api.contains(&line) {
                    missing.push(format!("{}: {line}", path.display()));
                }
            }
        }
    }
    assert!(checked > 1000, "only {checked} operations seen");
    assert!(
        missing.is_empty(),
        "operations not generated:\n{}",
        missing.join("\n")
    );
}

/// Every operation on a resource path (all but discovery and the deprecated `/watch/` paths)
/// is also a verb-named method of its resource's handle, and the handles a Kubernetes user
/// reaches for have the methods client-go and kube name.
#[test]
fn every_resource_operation_has_a_handle_method() {
    let up = tests::upstream();
    let mut missing = Vec::new();
    let mut checked = 0;
    let mut all_api = String::new();
    for path in real_files()
        .into_iter()
        .filter(|p| p.starts_with(up.join("k8s-openapi-v3")))
    {
        let out = generate(&[spec_file(&path)]).unwrap();
        let doc: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let api: String = out
            .files
            .files
            .iter()
            .filter(|(name, _)| name.ends_with("/api.rs"))
            .map(|(_, text)| text.as_str())
            .collect();
        for (p, item) in doc["paths"].as_object().unwrap() {
            let segments: Vec<&str> = p.trim_matches('/').split('/').collect();
            let rest = match segments.as_slice() {
                ["api", "v1", rest @ ..] => rest,
                ["apis", _, _, rest @ ..] => rest,
                _ => continue,
            };
            let rest = match rest {
                ["namespaces", "{namespace}", tail @ ..] if !tail.is_empty() => tail,
                _ => rest,
            };
            let resource = !rest.is_empty()
                && rest[0] != "watch"
                && !rest[0].starts_with('{')
                && rest.len() <= 4;
            if !resource {
                continue;
            }
            for method in item.as_object().unwrap().keys() {
                if method == "parameters" {
                    continue;
                }
                let m = method.to_ascii_uppercase();
                checked += 1;
                let plain = format!("`{m} {p}`: see [`Api::");
                let watch = format!("`{m} {p}?watch=true`: see [`Api::");
                if !api.contains(&plain) && !api.contains(&watch) {
                    missing.push(format!("{}: {m} {p}", path.display()));
                }
            }
        }
        all_api.push_str(&api);
    }
    assert!(checked > 750, "only {checked} resource operations seen");
    assert!(
        missing.is_empty(),
        "resource operations without a handle method:\n{}",
        missing.join("\n")
    );
    for (handle, methods) in [
        (
            "PodApi",
            &[
                "get",
                "list",
                "watch",
                "create",
                "logs",
                "evict",
                "create_binding",
                "get_status",
                "apply_status",
                "connect_get_exec",
            ][..],
        ),
        (
            "DeploymentApi",
            &["get_scale", "replace_scale", "patch_scale", "apply"][..],
        ),
        ("ServiceAccountApi", &["create_token"][..]),
        ("NamespaceApi", &["replace_finalize", "get_status"][..]),
        ("CertificateSigningRequestApi", &["replace_approval"][..]),
        ("PodAllNamespacesApi", &["list", "watch"][..]),
    ] {
        let block = all_api
            .split_once(&format!("impl {handle} {{"))
            .map(|(_, b)| b.split("\n}").next().unwrap_or(""))
            .unwrap_or_else(|| panic!("no handle {handle}"));
        for m in methods {
            assert!(
                block.contains(&format!("pub async fn {m}(")),
                "{handle} has no `{m}`"
            );
        }
    }
}

fn scratch() -> PathBuf {
    tests::workspace().join("target/whole-api")
}

fn cargo(args: &[&str], dir: &Path) -> (bool, String) {
    tests::scratch::cargo(args, dir, &tests::scratch::shared_target(), &[])
}

/// Writes the scratch crate (only files whose text changed, so cargo's fingerprints hold) and
/// returns where each schema's type went.
fn write_crate(dir: &Path) -> BTreeMap<String, String> {
    let mut specs = own_specs();
    specs.extend(real_files().iter().map(|p| spec_file(p)));
    let out = generate(&specs).unwrap();
    let mut scratch = tests::scratch::Scratch::new(dir.to_path_buf());
    // The round-trip example reads JSON itself; the facade names no serde.
    scratch.put_output(
        &out,
        "\n[dev-dependencies]\nserde = \"1\"\nserde_json = \"1\"\n\n[workspace]\n",
    );
    scratch.put("examples/roundtrip.rs", &roundtrip_example(&out.types));
    scratch.remove_stale(&["src", "crates", "examples"]);
    out.types
}

/// The kinds the real documents declare (`x-kubernetes-group-version-kind`), as the fixtures
/// name them (`apps.v1.Deployment`, `core.v1.Pod`), each with the schema declaring it.
fn declared_kinds(files: &[PathBuf]) -> BTreeMap<String, String> {
    let mut kinds = BTreeMap::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
    {
        let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
        let Some(schemas) = doc
            .pointer("/components/schemas")
            .and_then(|s| s.as_object())
        else {
            continue;
        };
        for (name, schema) in schemas {
            for gvk in schema["x-kubernetes-group-version-kind"]
                .as_array()
                .into_iter()
                .flatten()
            {
                let group = gvk["group"].as_str().unwrap_or("");
                let group = if group.is_empty() { "core" } else { group };
                let key = format!(
                    "{group}.{}.{}",
                    gvk["version"].as_str().unwrap_or(""),
                    gvk["kind"].as_str().unwrap_or("")
                );
                kinds.entry(key).or_insert_with(|| name.clone());
            }
        }
    }
    kinds
}

/// A program that round-trips each fixture it is given through the type of its kind. The
/// dispatch is built from what the documents declare and where the generator put each schema.
fn roundtrip_example(types: &BTreeMap<String, String>) -> String {
    use tests::scratch::ROUND_TRIP_FNS;
    let kinds = declared_kinds(&real_files());
    let mut arms = String::new();
    for (fixture, schema) in &kinds {
        if let Some(path) = types.get(schema) {
            arms.push_str(&format!(
                "        {fixture:?} => check::<generated::{path}>(&json),\n"
            ));
        }
    }
    format!(
        r#"//! Written by tests/tests/whole_api.rs: round-trips Kubernetes' fixtures.
{ROUND_TRIP_FNS}
fn main() {{
    for path in std::env::args().skip(1) {{
        let name = std::path::Path::new(&path).file_stem().unwrap().to_string_lossy().into_owned();
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let result = match name.as_str() {{
{arms}        _ => {{
            println!("UNKNOWN {{name}}");
            continue;
        }}
        }};
        match result {{
            Ok(()) => println!("OK {{name}}"),
            Err(e) => println!("FAIL {{name}}: {{e}}"),
        }}
    }}
}}
"#
    )
}

/// Every group/version feature of the scratch crate, `client` and `kubeconfig` aside.
fn group_features(dir: &Path) -> Vec<String> {
    let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let section = toml.split("[features]").nth(1).unwrap();
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| !matches!(k.as_str(), "default" | "client" | "kubeconfig"))
        .collect()
}

#[test]
fn whole_api_compiles_and_round_trips_every_fixture() {
    let dir = scratch().join("crate");
    let types = write_crate(&dir);
    let features = group_features(&dir);
    let all = features.join(",");

    // Models and sans-io requests, every group: no warnings. The output is one crate per
    // group/version: cargo shows (and replays from its cache) the warnings of every one of
    // them, being path dependencies, where `rustc -- -D warnings` would reach the facade only.
    let (ok, text) = cargo(
        &[
            "build",
            "--quiet",
            "--no-default-features",
            "--features",
            &all,
            "--lib",
        ],
        &dir,
    );
    assert!(
        ok && !text.contains("warning"),
        "the whole API does not compile without warnings:\n{text}"
    );
    // With the client, every crate clippy-clean.
    let (ok, text) = cargo(
        &[
            "clippy",
            "--quiet",
            "--workspace",
            "--features",
            "client",
            "--",
            "-D",
            "warnings",
        ],
        &dir,
    );
    assert!(ok, "clippy on the whole API:\n{text}");

    // Round trips: every fixture of a kind the documents declare.
    let up = tests::upstream();
    let kinds = declared_kinds(&real_files());
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(up.join("k8s-testdata"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| kinds.contains_key(&*p.file_stem().unwrap().to_string_lossy()))
        .collect();
    fixtures.sort();
    // Kubernetes 1.35 serves 95 of the 183 kinds; the 96th is authentication.k8s.io/v1beta1
    // SelfSubjectReview, from the 1.32 document beside them.
    assert_eq!(
        fixtures.len(),
        96,
        "fixtures of declared kinds: {fixtures:?}"
    );
    for fixture in &fixtures {
        let stem = fixture.file_stem().unwrap().to_string_lossy().into_owned();
        assert!(
            types.contains_key(&kinds[&stem]),
            "{stem}: schema {} has no generated type",
            kinds[&stem]
        );
    }
    let mut args: Vec<String> = [
        "run",
        "--quiet",
        "--no-default-features",
        "--features",
        &all,
        "--example",
        "roundtrip",
        "--",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(fixtures.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (ok, text) = cargo(&args, &dir);
    assert!(ok, "round-trip program failed:\n{text}");
    let passed = text.lines().filter(|l| l.starts_with("OK ")).count();
    let failed: Vec<&str> = text.lines().filter(|l| !l.starts_with("OK ")).collect();
    assert!(
        failed.is_empty(),
        "fixtures that do not round-trip:\n{}",
        failed.join("\n")
    );
    assert_eq!(passed, fixtures.len(), "{text}");

    // Each group/version alone compiles, with only the types of others it names.
    let mut broken = Vec::new();
    for f in &features {
        let (ok, text) = cargo(
            &["check", "--quiet", "--no-default-features", "--features", f],
            &dir,
        );
        if !ok || text.contains("warning") {
            broken.push(format!("{f}:\n{text}"));
        }
    }
    assert!(
        broken.is_empty(),
        "features that do not compile alone, or with warnings:\n{}",
        broken.join("\n")
    );
}

/// Output grows with the distinct shapes of the input, not with repetition: Argo Workflows' 8
/// CRDs hold 9,837 object schemas of 479 distinct shapes (descriptions included), which once
/// became 11,764 structs; now about one struct per shape (the kinds and their lists beside).
#[test]
fn argo_workflows_output_grows_with_distinct_shapes() {
    let up = tests::upstream();
    let files: Vec<SpecFile> = real_files()
        .iter()
        .filter(|p| p.starts_with(up.join("thirdparty-crds/argo-workflows")))
        .map(|p| spec_file(p))
        .collect();
    assert_eq!(files.len(), 8);
    let out = generate(&files).unwrap();
    let structs = out
        .files
        .files
        .values()
        .flat_map(|t| t.lines())
        .filter(|l| l.starts_with("pub struct "))
        .count();
    assert!(
        (479..=560).contains(&structs),
        "{structs} structs for 479 distinct object shapes"
    );
}

/// The generator's table of sensitive fields reaches the real documents: core/v1 Secret's
/// `data` and `stringData` print only whether they are set (k8s-openapi prints them).
#[test]
fn secrets_in_real_documents_are_redacted_in_debug() {
    let up = tests::upstream();
    let out = generate(&[spec_file(&up.join("k8s-openapi-v3/api__v1_openapi.json"))]).unwrap();
    let secret = &out.files.files["crates/core-v1/src/core/v1/secret.rs"];
    assert!(
        secret.contains("impl std::fmt::Debug for Secret"),
        "{secret}"
    );
    for field in ["data", "string_data"] {
        assert!(
            secret.contains(&format!(
                ".field(\"{field}\", &crate::runtime::Redacted::option(&self.{field}))"
            )),
            "{field}: {secret}"
        );
    }
    assert!(
        secret.contains(".field(\"type_\", &self.type_)"),
        "{secret}"
    );
    assert!(!secret.contains("#[derive(Clone, Debug"), "{secret}");
    // A type without such fields keeps the derived Debug.
    let config_map = &out.files.files["crates/core-v1/src/core/v1/config_map.rs"];
    assert!(config_map.contains("#[derive(Clone, Debug"), "{config_map}");
}

/// kube-rs mode over the same input (every Kubernetes document, OpenShift's config group, the
/// third-party CRDs, our specs): it generates and type-checks with every feature, k8s-openapi's
/// version picked by the application (here `latest`, as a kube-rs user would), so every kind's
/// k8s-openapi `Resource` and `Metadata` impl holds; kube implements its own `Resource` for
/// all of them (`tests/tests/kube_rs_mode.rs` uses that on the real server).
#[test]
fn whole_api_in_kube_rs_mode_type_checks() {
    let mut specs = own_specs();
    specs.extend(real_files().iter().map(|p| spec_file(p)));
    let options = codegen::options_from_settings("codegen.toml", "kube-rs = true\n").unwrap();
    let out = codegen::generate(&specs, &options).unwrap_or_else(|e| panic!("{e}"));
    let count = |what: &str| -> usize {
        out.files
            .files
            .values()
            .map(|t| t.matches(what).count())
            .sum()
    };
    // Every kind has both impls, list kinds (metadata: ListMeta) only `Resource`.
    let kinds = count("::Resource for ") - count("impl k8s_openapi::Resource for ");
    assert_eq!(count("impl k8s_openapi::Resource for "), kinds);
    let lists = out
        .files
        .files
        .values()
        .map(|t| t.matches("::List for ").count())
        .sum::<usize>();
    assert!(
        count("impl k8s_openapi::Metadata for ") + lists >= kinds,
        "{kinds} kinds, {lists} lists"
    );
    assert!(count("impl k8s_openapi::Metadata for ") >= 150);
    let dir = scratch().join("kube-rs");
    let mut crate_dir = tests::scratch::Scratch::new(dir.clone());
    crate_dir.put_output(
        &out,
        "k8s-openapi = { version = \"0.29\", default-features = false, features = [\"latest\"] }\n\n[workspace]\n",
    );
    // The scopes kube's `Api::namespaced` and `Api::all` ask for, as the server has them.
    crate_dir.put(
        "examples/scopes.rs",
        concat!(
            "use k8s_openapi::{ClusterResourceScope, NamespaceResourceScope, Resource};\n",
            "fn namespaced<K: Resource<Scope = NamespaceResourceScope>>() {}\n",
            "fn cluster<K: Resource<Scope = ClusterResourceScope>>() {}\n",
            "fn main() {\n",
            "    namespaced::<generated::apps::v1::Deployment>();\n",
            "    namespaced::<generated::core::v1::Pod>();\n",
            "    namespaced::<generated::core::v1::ConfigMap>();\n",
            "    cluster::<generated::core::v1::Node>();\n",
            "    cluster::<generated::config_openshift_io::v1::Authentication>();\n",
            "}\n",
        ),
    );
    crate_dir.remove_stale(&["src", "crates", "examples"]);
    // The same target folder as the default mode's check: the dependencies are built once.
    let (ok, text) = cargo(
        &["check", "--quiet", "--all-features", "--lib", "--examples"],
        &dir,
    );
    assert!(ok, "the whole API in kube-rs mode:\n{text}");
}
