//! Real CRDs beyond ../shared/upstream: those of popular operators, taken from their Go modules
//! at pinned versions through the Go module proxy (which the real-API-server harness uses too;
//! `go mod download` checks each against the checksum database). Nobody here wrote them or
//! tuned the generator to them. Each file generates alone; all of them together with our specs
//! generate a crate that passes clippy with every feature and no warning; and the sample
//! objects the projects publish for their kinds round-trip through the generated types.
//! OpenShift's own API module the same way: the CRDs a cluster installs, and the objects of
//! its test suites (about 580 of the kinds those CRDs define).
//!
//! They once broke the generated crate or its fidelity: Calico's descriptions hold tabs
//! (refused by clippy in docs); schema defaults written back into sparse objects; MetalLB's
//! AS numbers, `format: int32` up to 4294967295.

use std::path::{Path, PathBuf};
use std::process::Command;

use codegen::{Options, SpecFile};

/// Module, version, and the CRD files in it: folders (every `.yaml` in them) or single files.
/// Feature-set variants of one CRD (OpenShift's TechPreview…) are left out: two CRDs of one
/// kind are an error by design.
const MODULES: &[(&str, &str, &[&str])] = &[
    (
        "sigs.k8s.io/kueue",
        "v0.17.0",
        &["config/components/crd/bases"],
    ),
    (
        "sigs.k8s.io/cluster-api",
        "v1.14.2",
        &[
            "core/config/crd/bases",
            "bootstrap/kubeadm/config/crd/bases",
            "controlplane/kubeadm/config/crd/bases",
            "cmd/clusterctl/config/crd/bases",
        ],
    ),
    (
        "knative.dev/serving",
        "v0.51.0",
        &["config/core/300-resources"],
    ),
    ("github.com/operator-framework/api", "v0.9.1", &["crds"]),
    (
        "github.com/metallb/frr-k8s",
        "v0.0.21",
        &["config/crd/bases"],
    ),
    (
        "github.com/openshift/cluster-autoscaler-operator",
        "v0.0.1-0.20260608074635-5c8643284941",
        &[
            "install/01_clusterautoscaler.crd.yaml",
            "install/02_machineautoscaler.crd.yaml",
            "install/11_provisioningrequest.crd.yaml",
        ],
    ),
    (
        "github.com/openshift/machine-api-operator",
        "v0.2.1-0.20260226113419-88465550a74b",
        &[
            "install/0000_30_machine-api-operator_02_machine.Default.crd.yaml",
            "install/0000_30_machine-api-operator_03_machineset.Default.crd.yaml",
            "install/0000_30_machine-api-operator_07_machinehealthcheck.crd.yaml",
        ],
    ),
    (
        "github.com/ray-project/kuberay/ray-operator",
        "v1.5.0",
        &["config/crd/bases"],
    ),
    (
        "github.com/kubeflow/training-operator",
        "v1.8.1",
        &["manifests/base/crds"],
    ),
    (
        "github.com/chaos-mesh/chaos-mesh",
        "v0.9.1-0.20260902003049-47411975a8cb",
        &["config/crd/bases"],
    ),
    (
        "github.com/envoyproxy/gateway",
        "v1.9.1",
        &["charts/gateway-helm/charts/crds/crds/generated"],
    ),
    (
        "github.com/kyverno/kyverno",
        "v1.19.1",
        &[
            "config/crds/kyverno",
            "config/crds/policies.kyverno.io",
            "config/crds/reports",
            "config/crds/policyreport",
        ],
    ),
    // Istio's CRDs in one file, and release manifests (CRDs among Deployments and RBAC) of
    // Calico, MetalLB and SPIRE that Istio's repository carries.
    (
        "istio.io/istio",
        "v0.0.0-20260827124520-eed52ebb66ad",
        &[
            "manifests/charts/base/files/crd-all.gen.yaml",
            "prow/config/calico.yaml",
            "common/scripts/metallb-native.yaml",
            "samples/security/spire/spire-quickstart.yaml",
        ],
    ),
];

/// Where `go mod download` put a module (downloading it first if needed).
fn module_dir(module: &str, version: &str) -> PathBuf {
    let out = Command::new("go")
        .args(["mod", "download", "-json", &format!("{module}@{version}")])
        // Outside any Go module: nothing here names a go.mod.
        .current_dir(std::env::temp_dir())
        .output()
        .unwrap_or_else(|e| panic!("cannot run `go` to download {module}: {e}"));
    let info: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("go mod download {module}@{version}: {e}: {out:?}"));
    if let Some(dir) = info["Dir"].as_str() {
        return PathBuf::from(dir);
    }
    // A module whose go.mod asks for a newer Go than this machine's is downloaded and
    // extracted all the same, with an error about building it (which nothing here does) and
    // no "Dir": it is where the module cache keeps every module.
    let cache = Command::new("go")
        .args(["env", "GOMODCACHE"])
        .output()
        .unwrap();
    let escaped: String = module
        .chars()
        .flat_map(|c| match c.is_ascii_uppercase() {
            true => vec!['!', c.to_ascii_lowercase()],
            false => vec![c],
        })
        .collect();
    let dir = PathBuf::from(String::from_utf8_lossy(&cache.stdout).trim())
        .join(format!("{escaped}@{version}"));
    assert!(
        info["Zip"].is_string() && dir.is_dir(),
        "go mod download {module}@{version} gave no folder: {}",
        info["Error"]
    );
    dir
}

/// Objects the projects publish as samples and examples of their kinds (folders, searched
/// recursively): each of a kind the CRDs define must round-trip through its type.
const SAMPLES: &[(&str, &str, &[&str])] = &[
    (
        "github.com/ray-project/kuberay/ray-operator",
        "v1.5.0",
        &["config/samples"],
    ),
    (
        "github.com/kubeflow/training-operator",
        "v1.8.1",
        &["examples"],
    ),
    (
        "github.com/chaos-mesh/chaos-mesh",
        "v0.9.1-0.20260902003049-47411975a8cb",
        &["examples", "config/samples"],
    ),
    ("github.com/envoyproxy/gateway", "v1.9.1", &["examples"]),
    ("sigs.k8s.io/kueue", "v0.17.0", &["cmd/kueueviz/examples"]),
    ("github.com/metallb/frr-k8s", "v0.0.21", &["config/samples"]),
    ("github.com/kyverno/kyverno", "v1.19.1", &["test/cli/test"]),
];

/// Samples that do not round-trip, each for a reason outside the generated types: the
/// sample disagrees with its own CRD (the API server would refuse it or prune a field), or
/// the required field it leaves out gets the CRD's default, as the server would give it.
/// (file, document index, what the round trip reports)
const NOT_ROUND_TRIPPING: &[(&str, usize, &str)] = &[
    // YAML 1.1 octal (`defaultMode: 0777`): Kubernetes' YAML reader reads 511, a YAML 1.2
    // parser (this test's) a string.
    (
        "config/samples/ray-cluster.deprecate-gcs-ft.yaml",
        0,
        "\"0777\"",
    ),
    (
        "config/samples/ray-cluster-label-selector.yaml",
        0,
        "\"0777\"",
    ),
    ("config/samples/ray-cluster.autoscaler.yaml", 0, "\"0777\""),
    (
        "config/samples/ray-cluster.autoscaler-v2.yaml",
        0,
        "\"0777\"",
    ),
    (
        "config/samples/ray-cluster.external-redis.yaml",
        0,
        "\"0777\"",
    ),
    (
        "config/samples/ray-cluster.head-command.yaml",
        0,
        "\"0777\"",
    ),
    ("config/samples/ray-cluster.tls.yaml", 0, "\"0777\""),
    (
        "config/samples/ray-cluster.external-redis-uri.yaml",
        0,
        "\"0777\"",
    ),
    // `maxReplicas` is required with a default; the sample leaves it to the server.
    (
        "config/samples/ray-job.interactive-mode.yaml",
        0,
        "maxReplicas: added 2147483647",
    ),
    (
        "config/samples/ray-cluster.kai-gpu-sharing.yaml",
        2,
        "maxReplicas: added 2147483647",
    ),
    (
        "config/samples/ray-cluster.kai-scheduler.yaml",
        2,
        "maxReplicas: added 2147483647",
    ),
    // `metadata: null`: null and absent are the same to the server.
    (
        "config/samples/ray-cluster.auth.yaml",
        4,
        "template/metadata: dropped null",
    ),
    // A field the CRD's pod template does not have (the server prunes it).
    (
        "examples/xgboost/smoke-dist/xgboostjob_v1alpha1_rabit_test.yaml",
        0,
        "template/apiVersion: dropped",
    ),
    // `version` is required without a default; the samples leave it out.
    (
        "examples/remote-cluster.yaml",
        0,
        "/spec/version: added \"\"",
    ),
    (
        "examples/remote-cluster/remote-cluster.yaml",
        0,
        "/spec/version: added \"\"",
    ),
    // `action` is required without a default; the samples leave it out.
    (
        "config/samples/chaosoperator_v1alpha1_networkchaos.yaml",
        0,
        "missing field `action`",
    ),
    (
        "config/samples/chaosoperator_v1alpha1_podchaos.yaml",
        0,
        "missing field `action`",
    ),
    // Fields of an older version of the CRD: pruned, or of another shape now.
    (
        "config/samples/node_selector.yaml",
        0,
        "labelSelector: dropped",
    ),
    (
        "config/samples/four_neighs_mixed_receive_advertise.yaml",
        0,
        "\"192.168.2.0/24\"",
    ),
    (
        "config/samples/two_neighs_receive_some_ips_from_one.yaml",
        0,
        "\"192.168.2.0/24\"",
    ),
];

fn yaml_files_below(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            yaml_files_below(&p, out);
        } else if p.extension().is_some_and(|e| e == "yaml") {
            out.push(p);
        }
    }
}

fn yaml_files(at: &Path) -> Vec<PathBuf> {
    if at.is_file() {
        return vec![at.to_path_buf()];
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir(at)
        .unwrap_or_else(|e| panic!("{}: {e}", at.display()))
        .map(|e| e.unwrap().path())
        // kustomization.yaml beside CRDs is kustomize's, not a spec file.
        .filter(|p| {
            p.extension().is_some_and(|e| e == "yaml") && !p.ends_with("kustomization.yaml")
        })
        .collect();
    v.sort();
    assert!(!v.is_empty(), "{}: no YAML files", at.display());
    v
}

fn operator_files() -> Vec<SpecFile> {
    let mut files = Vec::new();
    for (module, version, places) in MODULES {
        let dir = module_dir(module, version);
        for place in *places {
            for path in yaml_files(&dir.join(place)) {
                let name = path.strip_prefix(&dir).unwrap().display().to_string();
                files.push(SpecFile {
                    name: format!("specs/{module}/{name}"),
                    bytes: std::fs::read(&path).unwrap(),
                });
            }
        }
    }
    files
}

/// Each spec file generates on its own, as a user dropping it alone into `specs/` runs it.
fn assert_each_generates_alone(files: &[SpecFile]) {
    let failed: Vec<String> = files
        .iter()
        .filter_map(|f| {
            codegen::generate(std::slice::from_ref(f), &Options::default())
                .err()
                .map(|e| format!("{}: {e}", f.name))
        })
        .collect();
    assert!(failed.is_empty(), "alone:\n{}", failed.join("\n"));
}

#[test]
fn operator_crds_generate_alone_and_together_into_a_clippy_clean_crate() {
    let files = operator_files();
    // Pinned versions: exactly these files, none silently missing.
    assert_eq!(files.len(), 119);
    assert_each_generates_alone(&files);

    let mut all = codegen::read_specs_dir(&tests::workspace().join("specs")).unwrap();
    all.extend(files);
    let out = codegen::generate(&all, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let dir = tests::workspace().join("target/operator-crds");
    let mut scratch = tests::scratch::Scratch::of_output(dir.clone(), &out);
    let target = tests::scratch::shared_target();
    clippy_clean(&dir, &target);

    let samples = Samples {
        docs: sample_documents(),
        exceptions: NOT_ROUND_TRIPPING
            .iter()
            .map(|(file, i, what)| (format!("/{file}#{i} "), *what))
            .collect(),
        min_files: 150,
        min_passed: 250,
    };
    samples_round_trip(&out, &mut scratch, &target, samples);
}

/// `cargo clippy --all-features` in the scratch crate at `dir`, with no warning.
fn clippy_clean(dir: &Path, target: &Path) {
    let (ok, text) = tests::scratch::cargo(
        &[
            "clippy",
            "--quiet",
            "--workspace",
            "--all-features",
            "--",
            "-D",
            "warnings",
        ],
        dir,
        target,
        &[],
    );
    assert!(ok && !text.contains("warning"), "clippy:\n{text}");
}

/// OpenShift's own API module, at a pinned commit: the CRDs a cluster installs (its payload
/// manifests) and, for each CRD, the suite of objects its tests send to a real API server.
const OPENSHIFT_API: (&str, &str) = (
    "github.com/openshift/api",
    "v0.0.0-20260318185450-1f2fa3f09f4e",
);

/// File name endings of OpenShift's feature-set and topology variants: one CRD per kind is
/// kept, the Default one (or the only one).
const VARIANTS: [&str; 5] = [
    "-CustomNoUpgrade.crd.yaml",
    "-TechPreviewNoUpgrade.crd.yaml",
    "-DevPreviewNoUpgrade.crd.yaml",
    "-OKD.crd.yaml",
    "-Hypershift.crd.yaml",
];

/// Test objects of OpenShift's suites that do not round-trip, each for a reason outside the
/// types: (kind, what the round trip reports).
const OPENSHIFT_NOT_ROUND_TRIPPING: &[(&str, &str)] = &[
    // `replicas` is required with a default of 3; the objects leave it to the server.
    (
        "machine.openshift.io/v1 ControlPlaneMachineSet",
        "/spec/replicas: added 3",
    ),
    // `metadata` is required by these CRDs: written `{}` when empty, as Go's typed clients
    // write an ObjectMeta (the same object to the server).
    (
        "quota.openshift.io/v1 ClusterResourceQuota",
        "/metadata: added {}",
    ),
    (
        "machineconfiguration.openshift.io/v1alpha1 InternalReleaseImage",
        "/metadata: added {}",
    ),
];

/// The feature gates of OpenShift's Default feature set on a self-managed cluster (the one
/// the Default CRDs are made for), from the FeatureGate object the module publishes: (on, off).
fn default_feature_gates(module: &Path) -> (Vec<String>, Vec<String>) {
    let path =
        module.join("payload-manifests/featuregates/featureGate-4-10-SelfManagedHA-Default.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let gate: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    let names = |key: &str| -> Vec<String> {
        gate["status"]["featureGates"][0][key]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no {key} gates", path.display()))
            .iter()
            .map(|g| g["name"].as_str().unwrap().to_string())
            .collect()
    };
    (names("enabled"), names("disabled"))
}

/// The objects OpenShift's test suites (`<group>/<version>/tests/<crd>/*.yaml`) send to a real
/// API server and expect it to accept (no expected error, no patched CRD), from the suites
/// that run against the Default feature set (each gate they list on in it, each `-gate` off):
/// each written to `out` as a file of its own named after its suite and place
/// (`<crd>/AAA_ungated.yaml.onCreate.2.initial.json`), with its `apiVersion kind`. Also the
/// FeatureGate objects the module publishes, as they are.
fn sample_suite_objects(module: &Path, out: &Path) -> Vec<(PathBuf, usize, String)> {
    let (on, off) = default_feature_gates(module);
    let runs_in_default = |gate: &serde_json::Value| match gate.as_str() {
        Some(g) => match g.strip_prefix('-') {
            Some(g) => off.iter().any(|x| x == g),
            None => on.iter().any(|x| x == g),
        },
        None => false,
    };
    let mut docs = Vec::new();
    for path in yaml_files(&module.join("payload-manifests/featuregates")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let object: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
        docs.push((path, 0, kind_key(&object)));
    }
    for (path, name) in suite_files(module) {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc: serde_json::Value =
            serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let gates = doc["featureGates"].as_array().cloned().unwrap_or_default();
        if !gates.iter().all(runs_in_default) {
            continue;
        }
        for (place, object) in accepted_objects(&doc, &name) {
            let file = out.join(format!("{name}.{place}.json"));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, object.to_string()).unwrap();
            docs.push((file, 0, kind_key(&object)));
        }
    }
    docs
}

/// Every test suite file of the module (`<group>/<version>/tests/<crd>/*.yaml`), with its
/// name below its version's `tests` folder (`<crd>/AAA_ungated.yaml`).
fn suite_files(module: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for group in sorted_dirs(module) {
        for version in sorted_dirs(&group) {
            let tests = version.join("tests");
            for suite in sorted_dirs(&tests) {
                for path in yaml_files(&suite) {
                    let name = path.strip_prefix(&tests).unwrap().display().to_string();
                    files.push((path, name));
                }
            }
        }
    }
    files
}

/// The objects of one suite the API server is expected to accept (cases with no expected
/// error and no patched CRD), each with its place in the suite (`onCreate.2.initial`).
fn accepted_objects(suite: &serde_json::Value, name: &str) -> Vec<(String, serde_json::Value)> {
    let mut objects = Vec::new();
    for phase in ["onCreate", "onUpdate"] {
        let cases = suite["tests"][phase]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for (i, case) in cases.iter().enumerate() {
            let refused = ["expectedError", "expectedStatusError", "initialCRDPatches"]
                .iter()
                .any(|k| case.get(k).is_some());
            if refused {
                continue;
            }
            for key in ["initial", "updated", "expected"] {
                if let Some(object) = case[key].as_str() {
                    let object = serde_yaml_ng::from_str(object)
                        .unwrap_or_else(|e| panic!("{name} {phase} {i} {key}: {e}"));
                    objects.push((format!("{phase}.{i}.{key}"), object));
                }
            }
        }
    }
    objects
}

/// `apiVersion kind` of an object, as the round-trip program matches it.
fn kind_key(object: &serde_json::Value) -> String {
    format!(
        "{} {}",
        object["apiVersion"].as_str().unwrap_or_default(),
        object["kind"].as_str().unwrap_or_default()
    )
}

fn sorted_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    v.sort();
    v
}

/// OpenShift beyond config.openshift.io/v1 (which ../shared/upstream holds): every CRD a
/// cluster installs, Default feature set (58 files, 15 group/versions: operator, machine,
/// machineconfiguration, security, quota, …). Each generates alone; together they
/// are a clippy-clean crate; and the objects OpenShift's own test suites send to a real API
/// server round-trip through the generated types.
#[test]
fn openshift_payload_crds_generate_and_their_test_objects_round_trip() {
    let module = module_dir(OPENSHIFT_API.0, OPENSHIFT_API.1);
    let files: Vec<SpecFile> = yaml_files(&module.join("payload-manifests/crds"))
        .into_iter()
        .filter(|p| !VARIANTS.iter().any(|v| p.to_string_lossy().ends_with(v)))
        .map(|p| SpecFile {
            name: format!(
                "specs/openshift/{}",
                p.file_name().unwrap().to_string_lossy()
            ),
            bytes: std::fs::read(&p).unwrap(),
        })
        .collect();
    assert_eq!(files.len(), 58);
    assert_each_generates_alone(&files);
    let out = codegen::generate(&files, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let dir = tests::workspace().join("target/openshift-api");
    let mut scratch = tests::scratch::Scratch::of_output(dir.clone(), &out);
    let target = tests::scratch::shared_target();
    clippy_clean(&dir, &target);

    let objects = dir.join("suite-objects");
    let _ = std::fs::remove_dir_all(&objects);
    let samples = Samples {
        docs: sample_suite_objects(&module, &objects),
        exceptions: OPENSHIFT_NOT_ROUND_TRIPPING
            .iter()
            .map(|(kind, what)| (format!(" {kind}: "), *what))
            .collect(),
        min_files: 580,
        min_passed: 570,
    };
    samples_round_trip(&out, &mut scratch, &target, samples);
}

/// The (apiVersion, kind) of every document of the sample files.
fn sample_documents() -> Vec<(PathBuf, usize, String)> {
    let mut docs = Vec::new();
    for (module, version, places) in SAMPLES {
        let dir = module_dir(module, version);
        for place in *places {
            let mut files = Vec::new();
            yaml_files_below(&dir.join(place), &mut files);
            for path in files {
                let text = std::fs::read_to_string(&path).unwrap();
                for (i, de) in serde_yaml_ng::Deserializer::from_str(&text).enumerate() {
                    // Not every example file is Kubernetes objects (values files, configs).
                    let Ok(v) = <serde_json::Value as serde::Deserialize>::deserialize(de) else {
                        continue;
                    };
                    docs.push((path.clone(), i, kind_key(&v)));
                }
            }
        }
    }
    docs
}

/// Sample objects to round-trip, and what is known about them.
struct Samples<'a> {
    /// (file, document index, `apiVersion kind`) of every document.
    docs: Vec<(PathBuf, usize, String)>,
    /// Those that do not round-trip, for a reason outside the types: (a part of the report's
    /// line that names them, what the round trip reports).
    exceptions: Vec<(String, &'a str)>,
    /// At least this many files of known kinds, and round trips that pass.
    min_files: usize,
    min_passed: usize,
}

/// Every sample object of a kind the CRDs define, through its type and back to JSON: equal,
/// or listed in `samples.exceptions` with the difference expected.
fn samples_round_trip(
    out: &codegen::Output,
    scratch: &mut tests::scratch::Scratch,
    target: &Path,
    samples: Samples<'_>,
) {
    // CRD kinds have the id `group/version/Kind`.
    let kinds: std::collections::BTreeMap<String, &String> = out
        .types
        .iter()
        .filter_map(|(id, path)| {
            let (gv, kind) = id.rsplit_once('/')?;
            let (group, version) = gv.split_once('/')?;
            (kind.chars().all(|c| c.is_ascii_alphanumeric()) && !group.is_empty())
                .then(|| (format!("{group}/{version} {kind}"), path))
        })
        .collect();
    let docs = samples.docs;
    let mut arms = String::new();
    let mut features = std::collections::BTreeSet::new();
    let mut files = std::collections::BTreeSet::new();
    for (path, _, key) in &docs {
        if let Some(rust) = kinds.get(key) {
            files.insert(path.display().to_string());
            if features.insert(key.clone()) {
                arms.push_str(&format!(
                    "        {key:?} => check::<generated::{rust}>(&json),\n"
                ));
            }
        }
    }
    let features: std::collections::BTreeSet<String> = features
        .iter()
        .map(|key| {
            let rust = kinds[key];
            let mut parts = rust.split("::");
            format!("{}_{}", parts.next().unwrap(), parts.next().unwrap())
        })
        .collect();
    assert!(
        files.len() >= samples.min_files,
        "{} sample files of known kinds",
        files.len()
    );
    scratch.put("examples/samples.rs", &samples_program(&arms));
    let toml = std::fs::read_to_string(scratch.dir.join("Cargo.toml")).unwrap();
    if !toml.contains("[dev-dependencies]") {
        scratch.put(
            "Cargo.toml",
            &toml.replace(
                "\n[workspace]\n",
                "\n[dev-dependencies]\nserde = \"1\"\nserde_json = \"1\"\nserde_yaml_ng = \"0.10\"\n\n[workspace]\n",
            ),
        );
    }
    let features = features.into_iter().collect::<Vec<_>>().join(",");
    let mut args = vec![
        "run",
        "--quiet",
        "--no-default-features",
        "--features",
        &features,
        "--example",
        "samples",
        "--",
    ];
    args.extend(files.iter().map(String::as_str));
    let (ok, text) = tests::scratch::cargo(&args, &scratch.dir, target, &[]);
    assert!(ok, "the samples program failed:\n{text}");
    let passed = text.lines().filter(|l| l.starts_with("OK ")).count();
    let mut unexpected = Vec::new();
    let mut expected_seen = std::collections::BTreeSet::new();
    for line in text.lines().filter(|l| l.starts_with("FAIL ")) {
        match samples
            .exceptions
            .iter()
            .position(|(place, what)| line.contains(place.as_str()) && line.contains(what))
        {
            Some(n) => {
                expected_seen.insert(n);
            }
            None => unexpected.push(line),
        }
    }
    assert!(
        unexpected.is_empty(),
        "samples that do not round-trip:\n{}",
        unexpected.join("\n")
    );
    let fixed: Vec<_> = samples
        .exceptions
        .iter()
        .enumerate()
        .filter(|(n, _)| !expected_seen.contains(n))
        .map(|(_, f)| f)
        .collect();
    assert!(
        fixed.is_empty(),
        "listed as not round-tripping, but they do now: {fixed:?}"
    );
    assert!(
        passed >= samples.min_passed,
        "{passed} samples round-tripped:\n{text}"
    );
}

/// A program round-tripping each document of the files it is given whose kind it knows.
fn samples_program(arms: &str) -> String {
    use tests::scratch::ROUND_TRIP_FNS;
    format!(
        r#"//! Written by tests/tests/operator_crds.rs: round-trips the projects' sample objects.
{ROUND_TRIP_FNS}
fn main() {{
    for path in std::env::args().skip(1) {{
        let text = std::fs::read_to_string(&path).unwrap();
        for (i, de) in serde_yaml_ng::Deserializer::from_str(&text).enumerate() {{
            let Ok(json) = <serde_json::Value as serde::Deserialize>::deserialize(de) else {{
                continue;
            }};
            let key = format!("{{}} {{}}", json["apiVersion"].as_str().unwrap_or(""), json["kind"].as_str().unwrap_or(""));
            let result = match key.as_str() {{
{arms}                _ => continue,
            }};
            match result {{
                Ok(()) => println!("OK {{path}}#{{i}} {{key}}"),
                Err(e) => println!("FAIL {{path}}#{{i}} {{key}}: {{e}}"),
            }}
        }}
    }}
}}
"#
    )
}
