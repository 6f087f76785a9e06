//! One snapshot per model fixture: the emitted files, in order, each under its path. The same
//! fixtures are compiled by `build.rs`, so a snapshot is also known to build.

fn render(path: &std::path::Path) -> String {
    let spec = codegen::SpecFile {
        name: format!(
            "fixtures/models/{}",
            path.file_name().unwrap().to_string_lossy()
        ),
        bytes: std::fs::read(path).unwrap(),
    };
    let stem = path.file_stem().unwrap().to_string_lossy();
    let options = codegen::Options {
        root: format!("crate::fixtures::{stem}"),
        runtime: "::generated::runtime".into(),
        command: "tests/build.rs".into(),
        crate_files: false,
        kube_rs: false,
    };
    let out = codegen::generate(&[spec], &options).unwrap_or_else(|e| panic!("{e}"));
    out.files
        .files
        .iter()
        .map(|(p, t)| format!("=== {p}\n{t}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn model_fixtures() {
    insta::glob!("../fixtures/models", "*.yaml", |path| {
        insta::assert_snapshot!(render(path));
    });
}
