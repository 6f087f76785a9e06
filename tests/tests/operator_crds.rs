//! Real CRDs beyond ../shared/upstream: those of popular operators, taken from their Go modules
//! at pinned versions through the Go module proxy (which the real-API-server harness uses too;
//! `go mod download` checks each against the checksum database). Nobody here wrote them or
//! tuned the generator to them. Each file generates alone; all of them together with our specs
//! generate a crate that passes clippy with every feature and no warning.
//!
//! Two of them once broke the generated crate: Calico's descriptions hold tabs (refused by
//! clippy in docs), and a root schema may declare no properties.

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
    let dir = info["Dir"].as_str().unwrap_or_else(|| {
        panic!(
            "go mod download {module}@{version} gave no folder: {}",
            info["Error"]
        )
    });
    PathBuf::from(dir)
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

#[test]
fn operator_crds_generate_alone_and_together_into_a_clippy_clean_crate() {
    let files = operator_files();
    // Pinned versions: exactly these files, none silently missing.
    assert_eq!(files.len(), 119);
    let failed: Vec<String> = files
        .iter()
        .filter_map(|f| {
            codegen::generate(std::slice::from_ref(f), &Options::default())
                .err()
                .map(|e| format!("{}: {e}", f.name))
        })
        .collect();
    assert!(failed.is_empty(), "alone:\n{}", failed.join("\n"));

    let mut all = codegen::read_specs_dir(&tests::workspace().join("specs")).unwrap();
    all.extend(files);
    let out = codegen::generate(&all, &Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let dir = tests::workspace().join("target/operator-crds");
    let mut scratch = tests::scratch::Scratch::new(dir.clone());
    scratch.put_output(&out, "\n[workspace]\n");
    scratch.remove_stale(&["src", "crates"]);
    // The whole-API test's target folder: the dependencies are built once for both.
    let target = tests::workspace().join("target/whole-api/target");
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
        &dir,
        &target,
        &[],
    );
    assert!(ok && !text.contains("warning"), "clippy:\n{text}");
}
