//! Scratch crates under `target/`: a generated output written beside the hand-written runtime,
//! built by cargo in a target folder of its own (the outer `cargo test` holds the lock on the
//! usual one). Files are written only when their text changed, so cargo's fingerprints hold
//! from one run to the next.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The files of one scratch folder, as written by this run.
pub struct Scratch {
    pub dir: PathBuf,
    wanted: BTreeSet<PathBuf>,
}

impl Scratch {
    pub fn new(dir: PathBuf) -> Scratch {
        Scratch {
            dir,
            wanted: BTreeSet::new(),
        }
    }

    /// Writes `text` to `rel` unless it already holds it.
    pub fn put(&mut self, rel: &str, text: &str) {
        let path = self.dir.join(rel);
        self.wanted.insert(path.clone());
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, text).unwrap();
        }
    }

    /// A generator output as `generated/` has it: the emitted files (the facade's
    /// `Cargo.toml` with `cargo_toml_extra` after it), the hand-written runtime, and the
    /// workspace's lock file (the same dependency versions as the tests).
    pub fn put_output(&mut self, out: &codegen::Output, cargo_toml_extra: &str) {
        for (rel, text) in &out.files.files {
            if rel == "Cargo.toml" {
                self.put(rel, &format!("{text}{cargo_toml_extra}"));
            } else {
                self.put(rel, text);
            }
        }
        for (rel, text) in crate::hand_written_runtime() {
            self.put(&rel, &text);
        }
        let lock = std::fs::read_to_string(crate::workspace().join("Cargo.lock")).unwrap();
        self.put("Cargo.lock", &lock);
    }

    /// Removes files under `subs` this run did not write (left by an earlier output).
    pub fn remove_stale(&self, subs: &[&str]) {
        for sub in subs {
            let mut stack = vec![self.dir.join(sub)];
            while let Some(d) = stack.pop() {
                let Ok(entries) = std::fs::read_dir(&d) else {
                    continue;
                };
                for e in entries {
                    let p = e.unwrap().path();
                    if p.is_dir() {
                        stack.push(p);
                    } else if !self.wanted.contains(&p) {
                        std::fs::remove_file(&p).unwrap();
                    }
                }
            }
        }
    }
}

/// Runs cargo with `args` in `dir`, building into `target`; whether it succeeded, and what it
/// printed.
pub fn cargo(args: &[&str], dir: &Path, target: &Path, env: &[(&str, &Path)]) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS");
    for (k, v) in env {
        command.env(k, v);
    }
    let out = command.output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
