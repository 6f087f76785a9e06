// Hand-written: not produced by codegen.
//! A kind held inside another object (a StatefulSet's `volumeClaimTemplates`, a list's
//! `items`) is written without `apiVersion` and `kind`, as Go writes it: there TypeMeta is
//! empty and `omitempty`, and the server reads the type from the field. A kind on its own (a
//! request body) always carries both, since the server decodes it by them.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use super::object::{entries, Entries};

/// The fields of a kind other than `apiVersion` and `kind` (every generated kind has it).
pub trait Fields {
    /// Writes every field but `apiVersion` and `kind` into `map`.
    fn serialize_fields<M: SerializeMap>(&self, map: &mut Entries<M>);
}

impl<T: Fields> Fields for Box<T> {
    fn serialize_fields<M: SerializeMap>(&self, map: &mut Entries<M>) {
        (**self).serialize_fields(map)
    }
}

/// Serializes a kind without its TypeMeta.
pub struct Embedded<'a, T>(pub &'a T);

impl<T: Fields> Serialize for Embedded<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = entries(serializer);
        self.0.serialize_fields(&mut map);
        map.end()
    }
}

/// Serializes a list of kinds without their TypeMeta.
pub struct EmbeddedVec<'a, T>(pub &'a [T]);

impl<T: Fields> Serialize for EmbeddedVec<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Embedded))
    }
}
