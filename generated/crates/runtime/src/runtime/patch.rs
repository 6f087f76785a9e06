// Hand-written: not produced by codegen.
//! The body of a PATCH, in each of the four forms the API server accepts.

use serde::Serialize;

/// The media type of a server-side apply.
pub(crate) const APPLY: &str = "application/apply-patch+yaml";

/// A patch, sent with the Content-Type of its kind.
#[derive(Clone, Debug, PartialEq)]
pub enum Patch {
    /// RFC 6902 JSON Patch: a list of operations (`application/json-patch+json`).
    Json(serde_json::Value),
    /// RFC 7386 JSON Merge Patch (`application/merge-patch+json`).
    Merge(serde_json::Value),
    /// Kubernetes strategic merge patch (`application/strategic-merge-patch+json`); built-in
    /// kinds only, custom resources refuse it.
    Strategic(serde_json::Value),
    /// Server-side apply (`application/apply-patch+yaml`, JSON being YAML): the fields this
    /// manager owns. Needs the `fieldManager` query parameter.
    Apply(serde_json::Value),
}

impl Patch {
    /// Server-side apply of a typed object.
    pub fn apply<T: Serialize>(object: &T) -> Result<Self, super::Error> {
        serde_json::to_value(object)
            .map(Patch::Apply)
            .map_err(super::Error::Encode)
    }

    /// JSON Merge Patch from any serializable value.
    pub fn merge<T: Serialize>(value: &T) -> Result<Self, super::Error> {
        serde_json::to_value(value)
            .map(Patch::Merge)
            .map_err(super::Error::Encode)
    }

    /// The Content-Type this patch is sent with.
    pub fn content_type(&self) -> &'static str {
        match self {
            Patch::Json(_) => "application/json-patch+json",
            Patch::Merge(_) => "application/merge-patch+json",
            Patch::Strategic(_) => "application/strategic-merge-patch+json",
            Patch::Apply(_) => APPLY,
        }
    }

    /// The body bytes.
    pub fn body(&self) -> Result<Vec<u8>, super::Error> {
        let (Patch::Json(v) | Patch::Merge(v) | Patch::Strategic(v) | Patch::Apply(v)) = self;
        serde_json::to_vec(v).map_err(super::Error::Encode)
    }
}
