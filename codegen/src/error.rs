//! Errors are values that name the spec file, the place inside it and what is wrong.

use std::fmt;

/// Where in a spec file a problem is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// The file as a whole.
    File,
    /// A line and column (1-based), from the parser.
    Line { line: usize, column: usize },
    /// A JSON pointer into the document (with the YAML document index for multi-document files).
    Pointer(String),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Line { line, column } => write!(f, ":{line}:{column}"),
            Location::Pointer(p) if p.is_empty() => write!(f, " at #"),
            Location::Pointer(p) => write!(f, " at #{p}"),
        }
    }
}

/// A problem with the input specs. Never a panic, never partial output.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A problem inside one spec file.
    #[error("{file}{location}: {message}")]
    Spec {
        file: String,
        location: Location,
        message: String,
    },
    /// Two spec files disagree (same type defined differently, or two types with one Rust name).
    #[error("{first} and {second}: {message}")]
    Conflict {
        first: String,
        second: String,
        message: String,
    },
    /// The specs folder could not be read.
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// The caller's `Options` are not usable (a `root` or `runtime` that is no Rust path).
    #[error("options: {0}")]
    Options(String),
    /// A bug in the generator, not in the input: reported rather than panicking, and never
    /// dressed up as a problem of some spec file.
    #[error("internal error (a bug in the generator): {0}")]
    Internal(String),
}

impl Error {
    pub(crate) fn spec(file: &str, location: Location, message: impl Into<String>) -> Self {
        Error::Spec {
            file: file.to_string(),
            location,
            message: message.into(),
        }
    }
    pub(crate) fn at(file: &str, pointer: &str, message: impl Into<String>) -> Self {
        Error::spec(file, Location::Pointer(pointer.to_string()), message)
    }
}

/// Escapes one JSON pointer token (RFC 6901).
pub(crate) fn ptr_token(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}
