//! Writing a `FileSet` into an output folder, all or nothing: the new tree is assembled beside
//! the old one (unchanged and hand-written files linked, changed files written, stale emitted
//! files left out)
//! and swapped in with two renames. A failed or interrupted run leaves the old folder, or —
//! between the two renames — both trees beside it, which the next run puts back. Runs on one
//! output folder take turns (a lock file beside it); links in or at it are never followed
//! (`FileSet::changes` refuses them).

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
    let mut made = false;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = if rel.is_empty() {
            name
        } else {
            format!("{rel}/{name}")
        };
        let dest = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            link_tree(&entry.path(), &dest, &rel, skip)?;
        } else if !skip.contains(rel.as_str()) {
            if !made {
                std::fs::create_dir_all(to)?;
                made = true;
            }
            if kind.is_symlink() {
                // Someone's link: kept as a link, never read through.
                copy_link(&entry.path(), &dest)?;
            } else if std::fs::hard_link(entry.path(), &dest).is_err() {
                std::fs::copy(entry.path(), dest)?;
            }
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(link: &Path, dest: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(link)?, dest)
}

#[cfg(not(unix))]
fn copy_link(link: &Path, _dest: &Path) -> std::io::Result<()> {
    Err(std::io::Error::other(format!(
        "{} is a symbolic link: move it out of the output folder",
        link.display()
    )))
}

/// Holds the output folder for one run: `shared` for reading it (`--check`), exclusive for
/// writing. A second run waits for the first, saying so, instead of interleaving its renames
/// with the first one's. The lock file beside `out` stays (removing it would race).
pub fn lock(out: &Path, shared: bool) -> std::io::Result<std::fs::File> {
    let path = sibling(out, "lock");
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        // Where the output folder will be (a run writing it makes it anyway).
        std::fs::create_dir_all(parent)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    let got = if shared {
        file.try_lock_shared()
    } else {
        file.try_lock()
    };
    match got {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            eprintln!(
                "waiting for another `cargo xtask codegen` run on {} (lock {})",
                out.display(),
                path.display()
            );
            if shared {
                file.lock_shared()?;
            } else {
                file.lock()?;
            }
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    Ok(file)
}

fn exists(p: &Path) -> bool {
    p.symlink_metadata().is_ok()
}

/// Brings `out` in line with `files`; returns the paths that changed (written or removed).
pub fn write(out: &Path, files: &FileSet) -> std::io::Result<Vec<String>> {
    let _lock = lock(out, false)?;
    let (staging, old) = (sibling(out, "new"), sibling(out, "old"));
    if exists(&old) {
        if exists(out) {
            // An earlier run stopped between its renames and the folder was put back since
            // (restored from git, say): the old tree may hold files the restored one lacks.
            // Which to keep is the user's call, not ours: nothing is removed.
            return Err(std::io::Error::other(format!(
                "{} holds the output folder as it was before an interrupted run, and {} exists \
                 again (restored since?): keep what you need from the first, remove it, and run \
                 again. Nothing was written",
                old.display(),
                out.display()
            )));
        }
        // An earlier run stopped between its two renames: the old tree is complete, put it back.
        std::fs::rename(&old, out)?;
    }
    let codegen::Changes {
        changed,
        foreign,
        missing,
        extra: stale,
    } = files.changes(out)?;
    // `--out` may point at a folder holding someone's own files (a crate, the workspace
    // root): replacing a file that is not ours (no `Generated by` header) stops the run before
    // anything is written. Removal already only touches files with the header.
    if let Some(rel) = foreign.first() {
        return Err(std::io::Error::other(format!(
            "{} was not written by `cargo xtask codegen` (it has no `Generated by` header line): refusing to replace it; move it away or choose another --out. Nothing was written",
            out.join(rel).display()
        )));
    }
    let changed: Vec<String> = changed.into_iter().chain(missing).collect();
    if changed.is_empty() && stale.is_empty() {
        return Ok(Vec::new());
    }
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging)?;
    if exists(out) {
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
    if exists(out) {
        std::fs::rename(out, &old)?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        let _ = std::fs::rename(&old, out);
        return Err(e);
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(changed.into_iter().chain(stale).collect())
}
