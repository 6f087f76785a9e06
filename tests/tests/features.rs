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

/// Each shared parameter set in `params.rs` is compiled only with the groups whose operations
/// use it: a build of one built-in group does not pay for the CRD parameter sets.
#[test]
fn shared_params_are_gated_by_the_groups_using_them() {
    let src = tests::workspace().join("generated/src");
    let params = std::fs::read_to_string(src.join("params.rs")).unwrap();
    // Feature of each group/version whose api.rs names a set: `<group>/<version>/api.rs`.
    let mut users: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for group in std::fs::read_dir(&src).unwrap().map(|e| e.unwrap().path()) {
        for version in std::fs::read_dir(&group).into_iter().flatten() {
            let version = version.unwrap().path();
            let Ok(api) = std::fs::read_to_string(version.join("api.rs")) else {
                continue;
            };
            let feature = format!(
                "{}_{}",
                group.file_name().unwrap().to_string_lossy(),
                version.file_name().unwrap().to_string_lossy()
            );
            for name in api.split("crate::params::").skip(1) {
                let name: String = name.chars().take_while(|c| c.is_alphanumeric()).collect();
                let list = users.entry(name).or_default();
                if !list.contains(&feature) {
                    list.push(feature.clone());
                }
            }
        }
    }
    let structs: Vec<&str> = params
        .lines()
        .filter_map(|l| l.strip_prefix("pub struct "))
        .map(|l| l.trim_end_matches(" {"))
        .collect();
    assert!(structs.len() >= 5, "{structs:?}");
    for name in structs {
        let cfg = cfg_above(&params, &format!("pub struct {name} {{"))
            .unwrap_or_else(|| panic!("{name} has no cfg"));
        let mut used_by = users.get(name).cloned().unwrap_or_default();
        used_by.sort();
        assert!(!used_by.is_empty(), "{name} is used by no group");
        let expected = match used_by.as_slice() {
            [one] => format!("#[cfg(feature = \"{one}\")]"),
            many => format!(
                "#[cfg(any({}))]",
                many.iter()
                    .map(|f| format!("feature = \"{f}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        assert_eq!(cfg, expected, "{name}");
    }
}

/// A CustomResourceDefinition of `group`, kind `Widget`, with the usual operations.
fn crd(group: &str) -> codegen::SpecFile {
    let yaml = format!(
        r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.{group}
spec:
  group: {group}
  names: {{kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {{type: object, properties: {{size: {{type: integer}}}}}}
"#
    );
    codegen::SpecFile {
        name: format!("{group}.yaml"),
        bytes: yaml.into_bytes(),
    }
}

/// The `#[cfg(…)]` right above the line `item` of `text` (among its attributes), if any.
fn cfg_above<'a>(text: &'a str, item: &str) -> Option<&'a str> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == item)
        .unwrap_or_else(|| panic!("no line {item:?} in\n{text}"));
    lines[..at]
        .iter()
        .rev()
        .take_while(|l| l.starts_with("#[") || l.starts_with("///"))
        .find(|l| l.starts_with("#[cfg("))
        .copied()
}

/// meta/v1 files only some groups use are compiled only with those groups; what the runtime
/// needs (Status and what it names) always is.
#[test]
fn meta_files_are_gated_by_the_groups_using_them() {
    let out = codegen::generate(
        &[crd("a.example.com"), crd("b.example.com")],
        &codegen::Options::default(),
    )
    .unwrap();
    let meta = &out.files.files["src/meta/v1/mod.rs"];
    let both = Some(r#"#[cfg(any(feature = "a_example_com_v1", feature = "b_example_com_v1"))]"#);
    for item in [
        "mod object_meta;",
        "pub use self::object_meta::ObjectMeta;",
        "mod managed_fields_entry;",
        "mod delete_options;",
        "mod preconditions;",
    ] {
        assert_eq!(cfg_above(meta, item), both, "{item}");
    }
    for item in [
        "mod status;",
        "mod status_details;",
        "mod status_cause;",
        "mod list_meta;",
    ] {
        assert_eq!(cfg_above(meta, item), None, "{item}");
    }
    // With one group, that group alone.
    let out = codegen::generate(&[crd("a.example.com")], &codegen::Options::default()).unwrap();
    let meta = &out.files.files["src/meta/v1/mod.rs"];
    assert_eq!(
        cfg_above(meta, "mod delete_options;"),
        Some(r#"#[cfg(feature = "a_example_com_v1")]"#)
    );
    let params = &out.files.files["src/params.rs"];
    assert_eq!(
        cfg_above(params, "pub struct ListParams {"),
        Some(r#"#[cfg(feature = "a_example_com_v1")]"#)
    );
}
