//! Writing a `FileSet` into an output folder: only files whose content changed, and removal of
//! emitted files no spec produces any more. Hand-written files are never touched.

use std::path::Path;

use codegen::FileSet;

/// Writes changed files (each to a temporary sibling, then renamed over the old one, so no
/// file is ever half-written) and removes stale emitted files. Returns the paths changed.
pub fn write(out: &Path, files: &FileSet) -> std::io::Result<Vec<String>> {
    let stale: Vec<String> = FileSet::existing(out)?
        .into_iter()
        .filter(|r| !files.files.contains_key(r))
        .collect();
    let mut changed = Vec::new();
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
        changed.push(rel.clone());
    }
    for rel in stale {
        std::fs::remove_file(out.join(&rel))?;
        changed.push(rel);
    }
    Ok(changed)
}
