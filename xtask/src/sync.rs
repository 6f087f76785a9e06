//! Writing a `FileSet` into an output folder, all or nothing: the new tree is assembled beside
//! the old one (unchanged and hand-written files linked, changed files written, stale emitted
//! files left out)
//! and swapped in with two renames. A failed or interrupted run leaves the old folder, or —
//! between the two renames — both trees beside it, which the next run puts back.

use std::path::{Path, PathBuf};

use codegen::FileSet;

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    out.with_file_name(format!(".{name}.codegen-{suffix}"))
}

/// Puts every file of `from` into `to` except those `skip` names (relative, `/`-separated),
/// creating only the folders that keep a file (a crate no spec produces any more goes whole):
/// as hard links, so an unchanged file costs a directory entry, not a new inode and a copy
/// (on ext4, allocating thousands of inodes right after deleting thousands is slow); as a copy
/// where links are not supported.
fn link_tree(
    from: &Path,
    to: &Path,
    rel: &str,
    skip: &std::collections::BTreeSet<&str>,
) -> std::io::Result<()> {
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let dest = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            link_tree(&entry.path(), &dest, &rel, skip)?;
        } else if !skip.contains(rel.as_str()) {
            std::fs::create_dir_all(to)?;
            if std::fs::hard_link(entry.path(), &dest).is_err() {
                std::fs::copy(entry.path(), dest)?;
            }
        }
    }
    Ok(())
}

/// Brings `out` in line with `files`; returns the paths that changed (written or removed).
pub fn write(out: &Path, files: &FileSet) -> std::io::Result<Vec<String>> {
    let (staging, old) = (sibling(out, "new"), sibling(out, "old"));
    // An earlier run stopped between its two renames: the old tree is complete, put it back.
    if !out.exists() && old.exists() {
        std::fs::rename(&old, out)?;
    }
    let codegen::Changes {
        changed,
        missing,
        extra: stale,
    } = files.changes(out)?;
    let changed: Vec<String> = changed.into_iter().chain(missing).collect();
    if changed.is_empty() && stale.is_empty() {
        return Ok(Vec::new());
    }
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    if out.exists() {
        // Changed files get new ones below (never written through a link into the old tree);
        // stale ones are left out.
        let skip = changed.iter().chain(&stale).map(String::as_str).collect();
        link_tree(out, &staging, "", &skip)?;
    }
    for rel in &changed {
        let path = staging.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, &files.files[rel])?;
    }
    let _ = std::fs::remove_dir_all(&old);
    if out.exists() {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(changed.into_iter().chain(stale).collect())
}
