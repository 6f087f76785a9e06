//! No text from a spec file becomes code that rustdoc compiles or runs. Descriptions, enum
//! values and printer-column names become rustdoc, and rustdoc runs every code block not
//! marked otherwise as a doctest: a CRD from someone's Helm chart must not run code at
//! `cargo test`. Each hostile shape below holds a block that fails to compile if compiled and
//! panics if run; the crate generated from it must compile, and `cargo test --doc` over every
//! one of its crates (which runs doctests even where `doctest = false`) must find no doctest
//! that fails.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Code that fails whether it is compiled or run.
const PAYLOAD: &str =
    r#"compile_error!("spec text compiled"); fn main() { panic!("spec text ran") }"#;

/// Descriptions that reach rustdoc as code blocks unless neutralised.
fn hostile_descriptions() -> Vec<(&'static str, String)> {
    vec![
        (
            "backtick fence",
            format!("Intro.\n```\n{PAYLOAD}\n```\nOutro."),
        ),
        ("rust fence", format!("```rust\n{PAYLOAD}\n```")),
        ("tilde fence", format!("~~~\n{PAYLOAD}\n~~~")),
        ("quoted fence", format!("> ```\n> {PAYLOAD}\n> ```")),
        (
            "list item fence",
            format!("- item\n- ```\n  {PAYLOAD}\n  ```"),
        ),
        (
            "numbered list fence",
            format!("1. ~~~rust\n   {PAYLOAD}\n   ~~~"),
        ),
        ("indented code", format!("Text.\n\n    {PAYLOAD}\n")),
        ("indented in a list item", format!("-     {PAYLOAD}")),
        ("indented in a quote", format!(">     {PAYLOAD}")),
        (
            "lone carriage returns",
            format!("a\rb\r```\r{PAYLOAD}\r```"),
        ),
        (
            "long fence closed by a short one",
            format!("````\n{PAYLOAD}\n```\n{PAYLOAD}\n````"),
        ),
        ("unclosed fence", format!("```\n{PAYLOAD}")),
    ]
}

fn crd() -> String {
    let mut props = serde_json::Map::new();
    for (i, (what, desc)) in hostile_descriptions().into_iter().enumerate() {
        props.insert(
            format!("field{i}"),
            serde_json::json!({"type": "string", "description": format!("{what}: {desc}")}),
        );
    }
    // An enum value and a printer-column name are spec text too.
    props.insert(
        "mode".into(),
        serde_json::json!({"type": "string", "enum": ["Safe", format!("x\n```\n{PAYLOAD}\n```")]}),
    );
    let crd = serde_json::json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {
            "group": "example.com",
            "names": {"kind": "Widget", "plural": "widgets"},
            "scope": "Namespaced",
            "versions": [{
                "name": "v1", "served": true, "storage": true,
                "additionalPrinterColumns": [{"name": format!("Col\n```\n{PAYLOAD}\n```"), "type": "string", "jsonPath": ".spec.field0"}],
                "schema": {"openAPIV3Schema": {
                    "type": "object",
                    "description": format!("```\n{PAYLOAD}\n```"),
                    "properties": {"spec": {"type": "object", "properties": props}}
                }}
            }]
        }
    });
    serde_json::to_string_pretty(&crd).unwrap()
}

fn write_crate(dir: &Path) {
    let specs = [codegen::SpecFile {
        name: "specs/widgets.json".into(),
        bytes: crd().into_bytes(),
    }];
    let out = codegen::generate(&specs, &codegen::Options::default()).unwrap();
    let _ = std::fs::remove_dir_all(dir);
    let mut files: Vec<(String, String)> = out.files.files.into_iter().collect();
    files.extend(tests::hand_written_runtime());
    for (rel, text) in files {
        let text = if rel == "Cargo.toml" {
            format!("{text}\n[workspace]\n")
        } else {
            text
        };
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    std::fs::copy(
        tests::workspace().join("Cargo.lock"),
        dir.join("Cargo.lock"),
    )
    .unwrap();
}

fn cargo(args: &[&str], dir: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO"))
        .args(args)
        .current_dir(dir)
        // Shares the whole-API test's dependencies (built without the client there too).
        .env("CARGO_TARGET_DIR", tests::scratch::shared_target())
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

#[test]
fn no_spec_text_is_compiled_or_run_by_rustdoc() {
    let dir: PathBuf = tests::workspace().join("target/doc-injection");
    write_crate(&dir);
    let widget =
        std::fs::read_to_string(dir.join("crates/example-com-v1/src/example_com/v1/widget.rs"))
            .unwrap();
    assert!(
        widget.contains("spec text ran"),
        "the payload reaches the docs, as text"
    );
    assert!(
        !widget.contains('\r'),
        "no carriage return reaches a doc comment"
    );
    // Compiles (a lone carriage return in a doc comment does not), without warnings.
    let (ok, text) = cargo(
        &["build", "--quiet", "--workspace", "--no-default-features"],
        &dir,
    );
    assert!(ok && !text.contains("warning"), "{text}");
    // rustdoc's doctests over every crate: none may hold the payload.
    let (ok, text) = cargo(
        &[
            "test",
            "--quiet",
            "--doc",
            "--workspace",
            "--no-default-features",
            "--features",
            "example_com_v1",
        ],
        &dir,
    );
    assert!(ok, "rustdoc ran spec text as a doctest:\n{text}");
    assert!(!text.contains("spec text"), "{text}");
}
