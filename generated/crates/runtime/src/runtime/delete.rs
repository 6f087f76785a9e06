// Hand-written: not produced by codegen.
//! What a delete answers. The API server returns a meta/v1 Status once the object is gone, and
//! the object itself while it is still there (a finalizer holds it, or graceful deletion is
//! under way), whatever the OpenAPI document declares; deletecollection likewise with the list.

use serde::{Deserialize, Deserializer};

use crate::meta::v1::Status;

/// The answer to a delete: gone (the server's Status), or still there (its current state).
#[derive(Clone, Debug, PartialEq)]
pub enum DeleteResponse<T> {
    /// Deleted: the server's Status (`status: Success`).
    Deleted(Box<Status>),
    /// Not deleted yet: the object (or list) as it is now, `metadata.deletionTimestamp` set.
    Pending(T),
}

impl<T> DeleteResponse<T> {
    /// The object when it is still there.
    pub fn pending(self) -> Option<T> {
        match self {
            DeleteResponse::Pending(t) => Some(t),
            DeleteResponse::Deleted(_) => None,
        }
    }

    /// Whether the object is gone.
    pub fn is_deleted(&self) -> bool {
        matches!(self, DeleteResponse::Deleted(_))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for DeleteResponse<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Told apart by `kind`, as the server's own clients do; deletes are rare enough that
        // reading the body into a value first costs nothing that matters.
        let value = serde_json::Value::deserialize(d)?;
        let is_status = value.get("kind").and_then(|k| k.as_str()) == Some("Status");
        let result = if is_status {
            Status::deserialize(value).map(|s| DeleteResponse::Deleted(Box::new(s)))
        } else {
            T::deserialize(value).map(DeleteResponse::Pending)
        };
        result.map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn told_apart_by_kind() {
        let gone: DeleteResponse<serde_json::Value> = serde_json::from_str(
            r#"{"kind":"Status","apiVersion":"v1","status":"Success","details":{"name":"x"}}"#,
        )
        .unwrap();
        assert!(gone.is_deleted());
        let held: DeleteResponse<serde_json::Value> = serde_json::from_str(
            r#"{"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"x","deletionTimestamp":"2024-01-01T00:00:00Z"}}"#,
        )
        .unwrap();
        assert_eq!(held.pending().unwrap()["kind"], "ConfigMap");
    }
}
