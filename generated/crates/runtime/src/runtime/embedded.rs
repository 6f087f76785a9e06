// Hand-written: not produced by codegen.
//! A kind held inside another object (a StatefulSet's `volumeClaimTemplates`, a list's
//! `items`) is written without `apiVersion` and `kind`, as Go writes it: there TypeMeta is
//! empty and `omitempty`, and the server reads the type from the field. A kind on its own (a
//! request body) always carries both, since the server decodes it by them.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

/// The fields of a kind other than `apiVersion` and `kind` (every generated kind has it).
pub trait Fields {
    /// Writes every field but `apiVersion` and `kind` into `map`.
    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl<T: Fields> Fields for Box<T> {
    fn serialize_fields<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        (**self).serialize_fields(map)
    }
}

/// Serializes a kind without its TypeMeta.
pub struct Embedded<'a, T>(pub &'a T);

impl<T: Fields> Serialize for Embedded<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.0.serialize_fields(&mut map)?;
        map.end()
    }
}

/// `serialize_with` for a field holding a kind.
pub fn one<T: Fields, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
    Embedded(v).serialize(s)
}

/// `serialize_with` for an optional field holding a kind.
pub fn option<T: Fields, S: Serializer>(v: &Option<T>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&Embedded(v)),
        None => s.serialize_none(),
    }
}

/// `serialize_with` for a list of kinds.
pub fn vec<T: Fields, S: Serializer>(v: &[T], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(Embedded))
}

/// `serialize_with` for an optional list of kinds.
pub fn option_vec<T: Fields, S: Serializer>(v: &Option<Vec<T>>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&EmbeddedVec(v)),
        None => s.serialize_none(),
    }
}

/// Serializes a list of kinds without their TypeMeta.
pub struct EmbeddedVec<'a, T>(pub &'a [T]);

impl<T: Fields> Serialize for EmbeddedVec<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        vec(self.0, serializer)
    }
}
