//! `codegen.toml` beside the spec files: how this folder of specs is generated. It is read
//! with the specs (not given on the command line) so that `cargo xtask codegen --check`
//! checks the same output the last run wrote.

use serde::Deserialize;

use crate::{Error, Location, Options};

/// The settings file's name, in the specs folder.
pub const SETTINGS_FILE: &str = "codegen.toml";

/// What `codegen.toml` may say. Unknown keys are errors: a misspelt setting must not be
/// silently ignored.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Settings {
    /// See [`Options::kube_rs`].
    #[serde(default)]
    kube_rs: bool,
}

/// The options `text` (the settings file `origin`) asks for, on top of the defaults.
pub fn options_from_settings(origin: &str, text: &str) -> Result<Options, Error> {
    let settings: Settings = toml::from_str(text).map_err(|e| {
        let location = e
            .span()
            .map(|span| line_column(text, span.start))
            .unwrap_or(Location::File);
        Error::spec(origin, location, e.message().to_string())
    })?;
    Ok(Options {
        kube_rs: settings.kube_rs,
        ..Options::default()
    })
}

/// The options of the specs folder `dir`: from its `codegen.toml`, or the defaults.
pub fn read_settings(dir: &std::path::Path) -> Result<Options, Error> {
    let path = dir.join(SETTINGS_FILE);
    match std::fs::read_to_string(&path) {
        Ok(text) => options_from_settings(&path.display().to_string(), &text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Options::default()),
        Err(e) => Err(Error::Io {
            path: path.display().to_string(),
            message: e.to_string(),
        }),
    }
}

fn line_column(text: &str, offset: usize) -> Location {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location::Line { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kube_rs_is_read_and_mistakes_are_named() {
        assert!(
            options_from_settings("codegen.toml", "kube-rs = true\n")
                .unwrap()
                .kube_rs
        );
        assert!(
            !options_from_settings("codegen.toml", "# nothing\n")
                .unwrap()
                .kube_rs
        );
        let err = options_from_settings("specs/codegen.toml", "\nkube_rs = true\n")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("specs/codegen.toml:2:1: unknown field `kube_rs`"),
            "{err}"
        );
        let err = options_from_settings("specs/codegen.toml", "kube-rs = \"yes\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("specs/codegen.toml:1:11:"), "{err}");
    }
}
