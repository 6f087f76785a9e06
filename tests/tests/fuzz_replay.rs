//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the fuzz targets'
//! bodies (`fuzz/src/lib.rs`), so every input libFuzzer kept (the seeds, and what it found
//! that reached new code) is checked in every `cargo test`, on the stable toolchain, in
//! seconds. Longer runs are `cargo fuzz run <target>` (README).

#[path = "../../fuzz/src/lib.rs"]
mod targets;

use std::path::Path;

/// Each file of `fuzz/corpus/<target>/` through `body`; the corpus must hold at least `min`
/// inputs (a missing or emptied corpus fails instead of passing with nothing replayed).
fn replay(target: &str, min: usize, body: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(
        files.len() >= min,
        "{}: {} inputs, expected at least {min}",
        dir.display(),
        files.len()
    );
    for file in &files {
        let data = std::fs::read(file).unwrap();
        if let Err(panic) = std::panic::catch_unwind(|| body(&data)) {
            std::panic::resume_unwind(Box::new(format!("{}: {panic:?}", file.display())));
        }
    }
}

#[test]
fn watch_decoder_corpus() {
    replay("watch_decoder", 3, targets::watch_decoder);
}

#[test]
fn response_corpus() {
    replay("response", 6, targets::response);
}

#[test]
fn status_corpus() {
    replay("status", 5, targets::status);
}

#[test]
fn spec_file_corpus() {
    replay("spec_file", 1, targets::spec_file);
}
