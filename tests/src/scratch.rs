//! Scratch crates under `target/`: a generated output written beside the hand-written runtime,
//! built by cargo in a target folder of its own (the outer `cargo test` holds the lock on the
//! usual one). Files are written only when their text changed, so cargo's fingerprints hold
//! from one run to the next.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The target folder the scratch crates share (the whole-API test's own): their dependencies
/// are built once for all of them.
pub fn shared_target() -> PathBuf {
    crate::workspace().join("target/whole-api/target")
}

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

    /// A scratch crate at `dir` holding the output `out` alone (its own workspace), files of
    /// an earlier output removed.
    pub fn of_output(dir: PathBuf, out: &codegen::Output) -> Scratch {
        let mut scratch = Scratch::new(dir);
        scratch.put_output(out, "\n[workspace]\n");
        scratch.remove_stale(&["src", "crates"]);
        scratch
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
/// printed. Incremental compilation off: a scratch crate's files change whenever the
/// generator does, so its incremental caches were rarely reused, and they grew to 17 GB over a
/// day of runs here (cargo's fingerprints still skip the crates whose files did not change).
pub fn cargo(args: &[&str], dir: &Path, target: &Path, env: &[(&str, &Path)]) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_INCREMENTAL", "0")
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

/// The functions a scratch crate's round-trip program starts with: `check::<T>(&json)` reads
/// the JSON value into `T`, writes it back and names the first place where the two differ.
/// (The program runs in the scratch crate, which does not depend on this one.)
pub const ROUND_TRIP_FNS: &str = r#"fn check<T: serde::de::DeserializeOwned + serde::Serialize>(json: &serde_json::Value) -> Result<(), String> {
    let typed: T = serde_json::from_value(json.clone()).map_err(|e| format!("does not deserialize: {e}"))?;
    let back = serde_json::to_value(&typed).map_err(|e| format!("does not serialize: {e}"))?;
    match first_difference(json, &back, "") {
        None => Ok(()),
        Some(d) => Err(format!("round trip changed the value at {d}")),
    }
}

fn first_difference(a: &serde_json::Value, b: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                let p = format!("{at}/{k}");
                match (x.get(k), y.get(k)) {
                    (Some(xv), Some(yv)) => {
                        if let Some(d) = first_difference(xv, yv, &p) {
                            return Some(d);
                        }
                    }
                    (Some(v), None) => return Some(format!("{p}: dropped {v}")),
                    (None, Some(v)) => return Some(format!("{p}: added {v}")),
                    (None, None) => {}
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (xv, yv))| first_difference(xv, yv, &format!("{at}/{i}"))),
        _ if a == b => None,
        _ => Some(format!("{at}: {a} became {b}")),
    }
}
"#;
