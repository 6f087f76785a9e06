//! `generated/` builds with no group at all and with each group/version feature alone, so a
//! user who picks one group gets a crate that compiles.

use std::process::Command;

fn features() -> Vec<String> {
    let toml = std::fs::read_to_string(tests::workspace().join("generated/Cargo.toml")).unwrap();
    let section = toml
        .split("[features]")
        .nth(1)
        .expect("generated/Cargo.toml has [features]");
    section
        .lines()
        .take_while(|l| !l.starts_with('['))
        .filter_map(|l| l.split_once(" = ").map(|(k, _)| k.trim().to_string()))
        .filter(|k| k != "default")
        .collect()
}

fn check(features: &[&str]) {
    let root = tests::workspace();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args([
        "check",
        "--quiet",
        "--package",
        "generated",
        "--no-default-features",
    ])
    // A target folder of its own: the outer `cargo test` holds the lock on the usual one.
    .arg("--target-dir")
    .arg(root.join("target/feature-check"))
    .current_dir(&root);
    if !features.is_empty() {
        cmd.args(["--features", &features.join(",")]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "generated/ with features {features:?} does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn each_feature_alone_and_none() {
    let all = features();
    assert!(
        all.contains(&"authentication_k8s_io_v1".to_string())
            && all.contains(&"config_openshift_io_v1".to_string()),
        "{all:?}"
    );
    check(&[]);
    for f in &all {
        check(&[f]);
    }
}
