// Hand-written: not produced by codegen.
//! What a delete answers. The API server returns a meta/v1 Status once the object is gone, and
//! the object itself while it is still there (a finalizer holds it, or graceful deletion is
//! under way), whatever the OpenAPI document declares. A deletecollection answers with the
//! list of the objects it deleted (kube-apiserver 1.35; a Status from servers that do not).

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

/// The answer to a deletecollection: the list of the objects deleted (those a finalizer holds
/// are in it with `metadata.deletionTimestamp` set), or a Status.
#[derive(Clone, Debug, PartialEq)]
pub enum DeleteCollectionResponse<L> {
    /// The objects the request deleted, as they were (kube-apiserver's answer).
    Deleted(L),
    /// A Status instead of the list.
    Status(Box<Status>),
}

impl<L> DeleteCollectionResponse<L> {
    /// The list of the objects deleted, when the server sent it.
    pub fn deleted(self) -> Option<L> {
        match self {
            DeleteCollectionResponse::Deleted(l) => Some(l),
            DeleteCollectionResponse::Status(_) => None,
        }
    }
}

/// Splits a delete's answer by `kind`, as the server's own clients do; deletes are rare enough
/// that reading the body into a value first costs nothing that matters.
fn status_or<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Result<T, Box<Status>>, D::Error> {
    let value = serde_json::Value::deserialize(d)?;
    let is_status = value.get("kind").and_then(|k| k.as_str()) == Some("Status");
    let result = if is_status {
        Status::deserialize(value).map(|s| Err(Box::new(s)))
    } else {
        T::deserialize(value).map(Ok)
    };
    result.map_err(serde::de::Error::custom)
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for DeleteResponse<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match status_or(d)? {
            Ok(t) => DeleteResponse::Pending(t),
            Err(s) => DeleteResponse::Deleted(s),
        })
    }
}

impl<'de, L: Deserialize<'de>> Deserialize<'de> for DeleteCollectionResponse<L> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match status_or(d)? {
            Ok(l) => DeleteCollectionResponse::Deleted(l),
            Err(s) => DeleteCollectionResponse::Status(s),
        })
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
        let list: DeleteCollectionResponse<serde_json::Value> =
            serde_json::from_str(r#"{"kind":"ConfigMapList","apiVersion":"v1","items":[]}"#)
                .unwrap();
        assert_eq!(list.deleted().unwrap()["kind"], "ConfigMapList");
        let status: DeleteCollectionResponse<serde_json::Value> =
            serde_json::from_str(r#"{"kind":"Status","status":"Success"}"#).unwrap();
        assert!(matches!(status, DeleteCollectionResponse::Status(_)));
    }
}
