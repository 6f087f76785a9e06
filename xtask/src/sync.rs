//! Bringing an output folder in line with a `FileSet`: write what changed, delete emitted files
//! no spec produces any more, never touch hand-written files.

use std::collections::BTreeSet;
use std::path::Path;

use codegen::FileSet;

/// Emitted files found under `out` (the ones whose first line carries the generated marker).
fn existing_generated(out: &Path) -> std::io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    let top = out.join("Cargo.toml");
    if top.exists() && FileSet::is_generated(&std::fs::read_to_string(&top).unwrap_or_default()) {
        found.insert("Cargo.toml".to_string());
    }
    let src = out.join("src");
    if src.exists() {
        walk(out, &src, &mut found)?;
    }
    Ok(found)
}

fn walk(out: &Path, dir: &Path, found: &mut BTreeSet<String>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(out, &path, found)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            if FileSet::is_generated(&text) {
                if let Ok(rel) = path.strip_prefix(out) {
                    let rel: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
                    found.insert(rel.join("/"));
                }
            }
        }
    }
    Ok(())
}

/// One line per changed, missing or extra file; empty when `out` matches.
pub fn check(out: &Path, files: &FileSet) -> std::io::Result<Vec<String>> {
    let mut report = Vec::new();
    for (rel, text) in &files.files {
        match std::fs::read_to_string(out.join(rel)) {
            Ok(old) if &old == text => {}
            Ok(_) => report.push(format!("Changed: {}", out.join(rel).display())),
            Err(_) => report.push(format!("Missing: {}", out.join(rel).display())),
        }
    }
    for rel in existing_generated(out)? {
        if !files.files.contains_key(&rel) {
            report.push(format!("Extra:   {} (no spec produces it)", out.join(rel).display()));
        }
    }
    Ok(report)
}

/// Writes changed files (each to a temporary sibling, then renamed over the old one, so no
/// file is ever half-written) and removes stale emitted files. Returns how many changed.
pub fn write(out: &Path, files: &FileSet) -> std::io::Result<usize> {
    let stale: Vec<String> = existing_generated(out)?.into_iter().filter(|r| !files.files.contains_key(r)).collect();
    let mut changed = 0;
    for (rel, text) in &files.files {
        let path = out.join(rel);
        if std::fs::read_to_string(&path).is_ok_and(|old| &old == text) {
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let tmp = path.with_extension("tmp~");
        std::fs::write(&tmp, text)?;
        std::fs::rename(&tmp, &path)?;
        changed += 1;
    }
    for rel in stale {
        std::fs::remove_file(out.join(&rel))?;
        changed += 1;
    }
    Ok(changed)
}
