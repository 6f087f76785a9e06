//! The `rust-version`s we state are true: the generated crates (what users compile) build with
//! theirs, every feature on, and the workspace (what contributors build) with its own. Each
//! toolchain is installed through rustup when missing; without rustup this fails, saying so.

use std::path::Path;
use std::process::Command;

/// The `rust-version = "…"` of a manifest.
fn rust_version(manifest: &Path) -> String {
    let text = std::fs::read_to_string(manifest).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("rust-version = \""))
        .unwrap_or_else(|| panic!("{} states no rust-version", manifest.display()));
    line["rust-version = \"".len()..line.len() - 1].to_string()
}

/// `rustup run <version> cargo <args>` in the workspace, in a target folder of its own.
fn cargo_with(version: &str, args: &[&str]) {
    let root = tests::workspace();
    let install = Command::new("rustup")
        .args(["toolchain", "install", version, "--profile", "minimal"])
        .output()
        .unwrap_or_else(|e| panic!("rustup (needed to check rust-version {version}): {e}"));
    assert!(
        install.status.success(),
        "installing Rust {version}: {}",
        String::from_utf8_lossy(&install.stderr)
    );
    let out = Command::new("rustup")
        .args(["run", version, "cargo"])
        .args(args)
        .current_dir(&root)
        .env(
            "CARGO_TARGET_DIR",
            root.join("target/rust-version").join(version),
        )
        .env_remove("RUSTFLAGS")
        .env_remove("RUSTC")
        .env_remove("RUSTC_WRAPPER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "`cargo {}` with Rust {version} (the stated rust-version) failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn the_stated_rust_versions_build() {
    let root = tests::workspace();
    let generated = rust_version(&root.join("generated/Cargo.toml"));
    for krate in ["runtime", "apimachinery"] {
        let manifest = root.join(format!("generated/crates/{krate}/Cargo.toml"));
        assert_eq!(rust_version(&manifest), generated, "the {krate} crate");
    }
    cargo_with(
        &generated,
        &["check", "--quiet", "-p", "generated", "--all-features"],
    );
    let workspace = rust_version(&root.join("Cargo.toml"));
    cargo_with(&workspace, &["check", "--quiet", "--workspace"]);
}
