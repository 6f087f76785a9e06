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
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("warning"),
        "generated/ with features {features:?} does not build, or warns:\n{stderr}"
    );
}

/// A folder whose types name no meta/v1 type (no kind, no ObjectMeta): apimachinery's meta/v1
/// module is empty, and the runtime's re-export of it must not warn. Checked with every
/// feature and none, warnings refused.
#[test]
fn an_output_whose_types_reach_no_meta_type_builds_without_warnings() {
    let out = codegen::generate(
        &[doc_naming("x", &["alpha"], &[])],
        &codegen::Options::default(),
    )
    .unwrap();
    let models = &out.files.files["crates/apimachinery/src/meta/v1/mod.rs"];
    assert!(!models.contains("mod "), "{models}");
    let dir = tests::workspace().join("target/feature-check-no-meta");
    tests::scratch::Scratch::of_output(dir.clone(), &out);
    let target = tests::scratch::shared_target();
    for args in [
        &["check", "--quiet", "--all-features"][..],
        &["check", "--quiet", "--no-default-features"],
    ] {
        let (ok, text) = tests::scratch::cargo(args, &dir, &target, &[]);
        assert!(ok && !text.contains("warning"), "{args:?}:\n{text}");
    }
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
    let crates = tests::workspace().join("generated/crates");
    let params = std::fs::read_to_string(crates.join("runtime/src/params.rs")).unwrap();
    // Feature of each group/version whose api.rs names a set:
    // `crates/<crate>/src/<group>/<version>/api.rs`.
    let mut users: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    let groups = std::fs::read_dir(&crates)
        .unwrap()
        .flat_map(|c| std::fs::read_dir(c.unwrap().path().join("src")).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir());
    for group in groups {
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
fn cfg_above(text: &str, item: &str) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| *l == item)
        .unwrap_or_else(|| panic!("no line {item:?} in\n{text}"));
    // The attributes and docs right above the item; prettyplease spreads a long `cfg` over
    // several lines, so continuation lines belong to it too.
    let mut block = Vec::new();
    for l in lines[..at].iter().rev() {
        let t = l.trim();
        let continues = t.starts_with("feature")
            || t.starts_with("any(")
            || t.starts_with(')')
            || t.starts_with("#[cfg(");
        if t.starts_with("#[") || t.starts_with("///") || continues {
            block.push(t);
        } else {
            break;
        }
    }
    block.reverse();
    let joined = block.concat().replace(",feature", ", feature");
    let start = joined.find("#[cfg(")?;
    let end = joined[start..].find(")]")? + start + 2;
    Some(joined[start..end].to_string())
}

/// meta/v1 files only some groups use are compiled only with those groups; what the runtime
/// needs (Status and what it names) always is. Those the types of a group reach are in the
/// apimachinery crate, the others (named by operations or the runtime only) in the runtime.
#[test]
fn meta_files_are_gated_by_the_groups_using_them() {
    let out = codegen::generate(
        &[crd("a.example.com"), crd("b.example.com")],
        &codegen::Options::default(),
    )
    .unwrap();
    let models = &out.files.files["crates/apimachinery/src/meta/v1/mod.rs"];
    let ops = &out.files.files["crates/runtime/src/meta/v1/mod.rs"];
    assert!(
        ops.contains("pub use generated_apimachinery::meta::v1::*;"),
        "{ops}"
    );
    let both = Some(r#"#[cfg(any(feature = "a_example_com_v1", feature = "b_example_com_v1"))]"#);
    for (meta, item) in [
        (models, "mod object_meta;"),
        (models, "pub use self::object_meta::ObjectMeta;"),
        (models, "mod managed_fields_entry;"),
        (ops, "mod delete_options;"),
        (ops, "mod preconditions;"),
    ] {
        assert_eq!(cfg_above(meta, item).as_deref(), both, "{item}");
    }
    for (meta, item) in [
        (ops, "mod status;"),
        (ops, "mod status_details;"),
        (ops, "mod status_cause;"),
        (models, "mod list_meta;"),
    ] {
        assert_eq!(cfg_above(meta, item).as_deref(), None, "{item}");
    }
    for item in ["mod status;", "mod delete_options;"] {
        assert!(!models.contains(item), "{item} in apimachinery:\n{models}");
    }
    for item in ["mod object_meta;", "mod list_meta;"] {
        assert!(!ops.contains(item), "{item} in the runtime:\n{ops}");
    }
    // With one group, that group alone.
    let out = codegen::generate(&[crd("a.example.com")], &codegen::Options::default()).unwrap();
    let meta = &out.files.files["crates/runtime/src/meta/v1/mod.rs"];
    assert_eq!(
        cfg_above(meta, "mod delete_options;").as_deref(),
        Some(r#"#[cfg(feature = "a_example_com_v1")]"#)
    );
    let params = &out.files.files["crates/runtime/src/params.rs"];
    assert_eq!(
        cfg_above(params, "pub struct ListParams {").as_deref(),
        Some(r#"#[cfg(feature = "a_example_com_v1")]"#)
    );
}

/// Only a crate's own operations need the runtime: it is an optional dependency turned on by
/// the crate's own feature, and without it the crate root takes `meta` and `runtime` from
/// apimachinery (the runtime re-exports those, so the paths mean the same types). Built for
/// another group's types, the crate waits for apimachinery alone.
#[test]
fn only_a_crates_own_operations_need_the_runtime() {
    let out = codegen::generate(&[crd("a.example.com")], &codegen::Options::default()).unwrap();
    let f = &out.files.files;
    let toml = &f["crates/a-example-com-v1/Cargo.toml"];
    for line in [
        "generated-apimachinery = { path = \"../apimachinery\" }\n",
        "generated-runtime = { path = \"../runtime\", optional = true }\n",
        "client = [\"generated-runtime?/client\"]\n",
        "a_example_com_v1 = [\"generated-apimachinery/a_example_com_v1\", \"generated-runtime/a_example_com_v1\"]\n",
    ] {
        assert!(toml.contains(line), "{line}in\n{toml}");
    }
    let lib = &f["crates/a-example-com-v1/src/lib.rs"];
    for lines in [
        "#[cfg(feature = \"a_example_com_v1\")]\npub use generated_runtime::{meta, params, runtime};\n",
        "#[cfg(not(feature = \"a_example_com_v1\"))]\npub use generated_apimachinery::{meta, runtime};\n",
    ] {
        assert!(lib.contains(lines), "{lines}in\n{lib}");
    }
    let runtime = &f["crates/runtime/Cargo.toml"];
    assert!(
        runtime.contains("generated-apimachinery = { path = \"../apimachinery\" }\n")
            && runtime
                .contains("a_example_com_v1 = [\"generated-apimachinery/a_example_com_v1\"]\n"),
        "{runtime}"
    );
    let apimachinery = &f["crates/apimachinery/Cargo.toml"];
    let deps = apimachinery.split("[dependencies]").nth(1).unwrap();
    assert!(!deps.contains("generated-"), "{apimachinery}");
}

/// An OpenAPI document of group/versions naming each other's schemas: `refs` lists
/// (group, names group). Each group has one schema `Thing` with a field per named group.
fn doc_naming(name: &str, groups: &[&str], refs: &[(&str, &str)]) -> codegen::SpecFile {
    let mut schemas = serde_json::Map::new();
    for g in groups {
        let mut props = serde_json::Map::new();
        props.insert("name".into(), serde_json::json!({"type": "string"}));
        for (from, to) in refs.iter().filter(|(f, _)| f == g) {
            let _ = from;
            props.insert(
                format!("{to}Thing"),
                serde_json::json!({"$ref": format!("#/components/schemas/io.k8s.api.{to}.v1.Thing")}),
            );
        }
        schemas.insert(
            format!("io.k8s.api.{g}.v1.Thing"),
            serde_json::json!({"type": "object", "properties": props}),
        );
    }
    let doc = serde_json::json!({
        "openapi": "3.0.0",
        "info": {"title": name, "version": "v1"},
        "paths": {},
        "components": {"schemas": schemas},
    });
    codegen::SpecFile {
        name: format!("{name}.json"),
        bytes: serde_json::to_vec(&doc).unwrap(),
    }
}

/// One crate per group/version: each depends on exactly the crates its code names (and
/// apimachinery; the runtime only with operations, which these groups have none of), and passes each of its features on to the crates that declare it, so a build of
/// one group compiles in the others only the files it reaches. The facade re-exports each
/// crate at `generated::<group>::<version>`.
#[test]
fn each_group_version_is_a_crate_naming_only_what_it_uses() {
    let out = codegen::generate(
        &[doc_naming(
            "x",
            &["alpha", "beta", "gamma"],
            &[("alpha", "beta")],
        )],
        &codegen::Options::default(),
    )
    .unwrap();
    let f = &out.files.files;
    let deps = |toml: &str| -> Vec<String> {
        toml.split("[dependencies]")
            .nth(1)
            .unwrap()
            .lines()
            .filter(|l| l.starts_with("generated-"))
            .map(|l| l.split(" = ").next().unwrap().to_string())
            .collect()
    };
    let alpha = &f["crates/alpha-v1/Cargo.toml"];
    assert_eq!(
        deps(alpha),
        ["generated-apimachinery", "generated-beta-v1"],
        "{alpha}"
    );
    assert!(
        alpha.contains("alpha_v1 = [\"generated-beta-v1/alpha_v1\"]"),
        "{alpha}"
    );
    let beta = &f["crates/beta-v1/Cargo.toml"];
    assert_eq!(deps(beta), ["generated-apimachinery"], "{beta}");
    // beta/v1's Thing is compiled for alpha too; gamma's is its own.
    assert!(
        beta.contains("\nalpha_v1 = []\n") && beta.contains("\nbeta_v1 = []\n"),
        "{beta}"
    );
    assert!(!beta.contains("gamma_v1"), "{beta}");
    let beta_mod = &f["crates/beta-v1/src/beta/v1/mod.rs"];
    assert!(
        beta_mod.contains(r#"#[cfg(any(feature = "alpha_v1", feature = "beta_v1"))]"#),
        "{beta_mod}"
    );
    // alpha's crate root puts beta/v1 where emitted code names it: crate::beta::v1.
    let lib = &f["crates/alpha-v1/src/lib.rs"];
    assert!(
        lib.contains("pub use generated_beta_v1::beta::v1;"),
        "{lib}"
    );
    let thing = &f["crates/alpha-v1/src/alpha/v1/thing.rs"];
    assert!(thing.contains("crate::beta::v1::Thing"), "{thing}");
    // The facade: one optional dependency per crate; alpha_v1 turns on alpha's crate and,
    // in beta's, the files alpha reaches; the modules follow.
    let facade = &f["Cargo.toml"];
    assert!(
        facade.contains(
            "\nalpha_v1 = [\"generated-alpha-v1/alpha_v1\", \"generated-beta-v1/alpha_v1\"]\n"
        ),
        "{facade}"
    );
    assert!(
        facade.contains("generated-gamma-v1 = { path = \"crates/gamma-v1\", optional = true }"),
        "{facade}"
    );
    let facade_lib = &f["src/lib.rs"];
    assert!(
        facade_lib.contains("#[cfg(any(feature = \"alpha_v1\", feature = \"beta_v1\"))]\n    pub use generated_beta_v1::beta::v1;"),
        "{facade_lib}"
    );
}

/// A crate names another only in some of its files: the dependency is optional, turned on by
/// the features compiling those files. beta/v1's Other names gamma/v1, its Thing (which alpha
/// reaches) does not: built for alpha, beta's crate does not wait for gamma's, and passes
/// `alpha_v1` on to gamma's only if something else turned that crate on.
#[test]
fn a_crate_named_only_by_some_files_is_an_optional_dependency() {
    let thing =
        |props: serde_json::Value| serde_json::json!({"type": "object", "properties": props});
    let r = |g: &str, t: &str| serde_json::json!({"$ref": format!("#/components/schemas/io.k8s.api.{g}.v1.{t}")});
    let doc = serde_json::json!({
        "openapi": "3.0.0",
        "info": {"title": "x", "version": "v1"},
        "paths": {},
        "components": {"schemas": {
            "io.k8s.api.alpha.v1.Thing": thing(serde_json::json!({"beta": r("beta", "Thing"), "gamma": r("gamma", "Thing")})),
            "io.k8s.api.beta.v1.Thing": thing(serde_json::json!({"name": {"type": "string"}})),
            "io.k8s.api.beta.v1.Other": thing(serde_json::json!({"gamma": r("gamma", "Thing")})),
            "io.k8s.api.gamma.v1.Thing": thing(serde_json::json!({"name": {"type": "string"}})),
        }},
    });
    let spec = codegen::SpecFile {
        name: "x.json".into(),
        bytes: serde_json::to_vec(&doc).unwrap(),
    };
    let out = codegen::generate(&[spec], &codegen::Options::default()).unwrap();
    let f = &out.files.files;
    let beta = &f["crates/beta-v1/Cargo.toml"];
    assert!(
        beta.contains("\ngenerated-gamma-v1 = { path = \"../gamma-v1\", optional = true }\n"),
        "{beta}"
    );
    assert!(
        beta.contains("\nalpha_v1 = [\"generated-gamma-v1?/alpha_v1\"]\n"),
        "{beta}"
    );
    assert!(
        beta.contains("\nbeta_v1 = [\"generated-gamma-v1/beta_v1\"]\n"),
        "{beta}"
    );
    let lib = &f["crates/beta-v1/src/lib.rs"];
    assert!(
        lib.contains("#[cfg(feature = \"beta_v1\")]\n    pub use generated_gamma_v1::gamma::v1;"),
        "{lib}"
    );
    // alpha names gamma in its only file: an ordinary dependency of its feature.
    let alpha = &f["crates/alpha-v1/Cargo.toml"];
    assert!(
        alpha.contains(
            "\nalpha_v1 = [\"generated-beta-v1/alpha_v1\", \"generated-gamma-v1/alpha_v1\"]\n"
        ),
        "{alpha}"
    );
}

/// Crates cannot depend on each other in a cycle: group/versions whose schemas name each other
/// are refused, naming the cycle (Kubernetes' own never do: they are Go packages).
#[test]
fn group_versions_naming_each_other_are_refused_with_the_cycle() {
    let err = codegen::generate(
        &[doc_naming(
            "cycle",
            &["alpha", "beta", "gamma"],
            &[("alpha", "beta"), ("beta", "gamma"), ("gamma", "alpha")],
        )],
        &codegen::Options::default(),
    )
    .expect_err("a cycle of group/versions is an error")
    .to_string();
    for part in ["alpha/v1", "beta/v1", "gamma/v1", "cycle", "→"] {
        assert!(err.contains(part), "{err}");
    }
    // The same groups without the cycle generate.
    codegen::generate(
        &[doc_naming(
            "chain",
            &["alpha", "beta", "gamma"],
            &[("alpha", "beta"), ("beta", "gamma")],
        )],
        &codegen::Options::default(),
    )
    .unwrap();
}
