//! `generated/` must be exactly what `cargo xtask codegen` makes from `specs/` today.

#[test]
fn generated_crate_is_up_to_date() {
    let root = tests::workspace();
    let specs = codegen::read_specs_dir(&root.join("specs")).expect("read specs/");
    let output =
        codegen::generate(&specs, &codegen::Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let report = output
        .files
        .diff(&root.join("generated"))
        .expect("read generated/");
    assert!(
        report.is_empty(),
        "generated/ is stale; run `cargo xtask codegen` and commit:\n{}",
        report.join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = tests::workspace();
    let specs = codegen::read_specs_dir(&root.join("specs")).expect("read specs/");
    let a =
        codegen::generate(&specs, &codegen::Options::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut reversed = specs.clone();
    reversed.reverse();
    // The order the files were read in must not matter for the bytes.
    let b = codegen::generate(&reversed, &codegen::Options::default())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(a.files, b.files);
}
