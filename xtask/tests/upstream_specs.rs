//! Dropping a real spec file into a specs folder is all it takes: every OpenShift
//! Authentication CRD feature set and the authentication.k8s.io v1beta1/v1alpha1 documents in
//! ../shared/upstream generate with `cargo xtask codegen --specs DIR --out DIR`, and the crate
//! they produce compiles.

use std::path::{Path, PathBuf};
use std::process::Command;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

#[test]
fn upstream_specs_generate_and_compile() {
    let upstream = workspace().join("../shared/upstream");
    assert!(
        upstream.is_dir(),
        "{} is missing: this test generates its real documents",
        upstream.display()
    );
    let mut inputs: Vec<PathBuf> = Vec::new();
    for dir in ["openshift-crds", "k8s-openapi-v3"] {
        for e in std::fs::read_dir(upstream.join(dir)).unwrap() {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // The older authentication.k8s.io documents; every other real document is
            // generated and compiled by tests/tests/whole_api.rs.
            if name.ends_with(".crd.yaml")
                || name.contains("authentication.k8s.io__v1beta1")
                || name.contains("authentication.k8s.io__v1alpha1")
            {
                inputs.push(p);
            }
        }
    }
    inputs.sort();
    assert_eq!(
        inputs.len(),
        7,
        "5 feature sets and 2 documents: {inputs:?}"
    );
    let scratch = std::env::temp_dir().join(format!("xtask-upstream-{}", std::process::id()));
    // One target folder for every scratch crate, so dependencies build once.
    let target = workspace().join("target/upstream-specs");
    for input in &inputs {
        let name = input.file_stem().unwrap().to_string_lossy().into_owned();
        let dir = scratch.join(&name);
        let (specs, out) = (dir.join("specs"), dir.join("out"));
        std::fs::create_dir_all(&specs).unwrap();
        std::fs::copy(input, specs.join(input.file_name().unwrap())).unwrap();
        let gen = Command::new(env!("CARGO_BIN_EXE_xtask"))
            .args([
                "codegen",
                "--specs",
                specs.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            gen.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&gen.stderr)
        );
        // The hand-written runtime goes beside the emitted modules, as in generated/.
        for rel in codegen::HAND_WRITTEN_RUNTIME {
            copy_dir(&workspace().join("generated").join(rel), &out.join(rel));
        }
        std::fs::copy(workspace().join("Cargo.lock"), out.join("Cargo.lock")).unwrap();
        // An empty [workspace] keeps cargo from looking for one above the scratch folder.
        let manifest = out.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(&manifest, format!("{text}\n[workspace]\n")).unwrap();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let check = Command::new(cargo)
            .args([
                "check",
                "--quiet",
                "--manifest-path",
                manifest.to_str().unwrap(),
                "--target-dir",
                target.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(
            check.status.success(),
            "{name}: generated crate does not compile:\n{}",
            String::from_utf8_lossy(&check.stderr)
        );
    }
    std::fs::remove_dir_all(&scratch).unwrap();
}
