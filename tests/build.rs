//! Generates the code of every model fixture into OUT_DIR so the test build compiles it: a
//! snapshot that does not compile fails here, not in a user's build.

use std::path::Path;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/models");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir).join("fixtures");
    let _ = std::fs::remove_dir_all(&out);
    let mut root = String::new();
    let mut entries: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture name")
            .to_string();
        let spec = codegen::SpecFile {
            name: format!(
                "fixtures/models/{}",
                path.file_name().unwrap().to_string_lossy()
            ),
            bytes: std::fs::read(&path).expect("read fixture"),
        };
        let options = codegen::Options {
            root: format!("crate::fixtures::{stem}"),
            runtime: "::generated::runtime".into(),
            command: "tests/build.rs".into(),
            crate_files: false,
        };
        let output =
            codegen::generate(&[spec], &options).unwrap_or_else(|e| panic!("fixture {stem}: {e}"));
        for (rel, text) in &output.files.files {
            let p = out.join(&stem).join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        root.push_str(&format!(
            "#[path = {:?}]\npub mod {stem};\n",
            out.join(&stem).join("mod.rs").display().to_string()
        ));
    }
    std::fs::write(out.join("mod.rs"), root).unwrap();
}
