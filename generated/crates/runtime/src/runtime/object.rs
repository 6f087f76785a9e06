// Hand-written: not produced by codegen.
//! (De)serialization of the emitted structs, written once.
//!
//! serde's derive writes, for every struct, a field enum with its visitor, a map visitor and a
//! sequence visitor, each with a few lines per field, and a wrapper type per
//! `deserialize_with` field. rustc type- and borrow-checks all of that in the crate that
//! defines the struct (it is generic, so compiled later, but checked there), and it was most
//! of a group/version crate's compile time (BENCHMARKS.md). An emitted struct now states only
//! a `match` from a key to a field's index and a `match` that reads one field into itself
//! ([`Object`]); the map loop, unknown keys and the check for fields that must be present are
//! here. Its `Serialize` is one line per field ([`some`] for an optional one).
//!
//! What it accepts is what the derive accepted for these structs: a map (never a sequence:
//! Kubernetes objects are JSON objects), unknown keys ignored (or kept, for an object that
//! preserves unknown fields), a missing field that must be present an error naming it. A key
//! given twice keeps the last value, as Go's decoder does (serde's derive refused it).

use std::fmt;
use std::marker::PhantomData;

use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor,
};

/// What an emitted struct tells the shared deserializer. `Default` is where decoding starts:
/// absent fields keep their default (the schema's literal default, an empty value, `None`).
#[doc(hidden)]
pub trait Object: Default {
    /// The struct's name, for messages.
    const NAME: &'static str;
    /// The fields that must be present (required, and with no empty value to stand in when
    /// absent): their indices, ascending, and wire names.
    const REQUIRED: &'static [(usize, &'static str)] = &[];
    /// Keys that name no field go to [`Object::unknown`] (an object that preserves
    /// unknown fields) rather than being skipped.
    const KEEPS_UNKNOWN: bool = false;

    /// The index of the field a key names. A `match` on the key, which rustc turns into a
    /// switch on its length and a few word compares: a binary search of the sorted names cost a fifth
    /// more instructions to decode a Pod. `#[inline]` in emitted code, so that it is compiled
    /// where it is used, like the generic parts.
    fn index(key: &str) -> Option<usize>;

    /// Reads the value of field `index` from `map` into `self`.
    fn field<'de, A: MapAccess<'de>>(&mut self, index: usize, map: &mut A) -> Result<(), A::Error>;

    /// Reads the value of a key that names no field (only called when `KEEPS_UNKNOWN`).
    fn unknown<'de, A: MapAccess<'de>>(
        &mut self,
        key: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let _ = key;
        skip(map)
    }
}

/// `Deserialize::deserialize` of every emitted struct.
#[doc(hidden)]
pub fn deserialize<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    // A map, not a struct: the decoder takes any key, and formats that read only the fields a
    // struct names (from `deserialize_struct`) would drop an object's unknown fields.
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// Reads a field's value into its place. The emitted `match` arms call this (and the two
/// below) instead of writing `self.f = map.next_value()?` each: a call per arm is a third less
/// work for rustc than the `?` and assignment written out per field.
#[doc(hidden)]
#[inline]
pub fn read<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut T,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// For a required field whose type has an empty value: `null` reads as that value, as absent
/// does (servers write `null` for an empty required list, map or string).
#[doc(hidden)]
#[inline]
pub fn read_or_default<'de, T: Deserialize<'de> + Default, A: MapAccess<'de>>(
    slot: &mut T,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = map.next_value::<Option<T>>()?.unwrap_or_default();
    Ok(())
}

/// Writes an optional field, left out when `None` (the emitted `Serialize` impls call it: one
/// line per field).
#[doc(hidden)]
#[inline]
pub fn some<M: serde::ser::SerializeMap, T: serde::Serialize>(
    map: &mut M,
    key: &'static str,
    value: &Option<T>,
) -> Result<(), M::Error> {
    match value {
        Some(v) => map.serialize_entry(key, v),
        None => Ok(()),
    }
}

/// Skips a value.
#[doc(hidden)]
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "struct {}", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut out = T::default();
        let mut seen = Seen::default();
        while let Some(key) = map.next_key_seed(Key::<T>(PhantomData))? {
            match key {
                Found::Field(i) => {
                    out.field(i, &mut map)?;
                    if !T::REQUIRED.is_empty() {
                        if let Ok(r) = T::REQUIRED.binary_search_by_key(&i, |&(i, _)| i) {
                            seen.insert(r);
                        }
                    }
                }
                Found::Unknown(key) => out.unknown(key, &mut map)?,
                Found::Skip => skip(&mut map)?,
            }
        }
        if let Some(r) = (0..T::REQUIRED.len()).find(|&r| !seen.contains(r)) {
            return Err(A::Error::missing_field(T::REQUIRED[r].1));
        }
        Ok(out)
    }
}

/// Which of the fields that must be present were seen: a word of bits, and more words only
/// for a struct with more than 64 of them.
#[derive(Default)]
struct Seen {
    first: u64,
    more: Vec<u64>,
}

impl Seen {
    fn insert(&mut self, r: usize) {
        if r < 64 {
            self.first |= 1 << r;
        } else {
            let (word, bit) = (r / 64 - 1, r % 64);
            if self.more.len() <= word {
                self.more.resize(word + 1, 0);
            }
            self.more[word] |= 1 << bit;
        }
    }

    fn contains(&self, r: usize) -> bool {
        if r < 64 {
            self.first & (1 << r) != 0
        } else {
            let (word, bit) = (r / 64 - 1, r % 64);
            self.more.get(word).is_some_and(|w| w & (1 << bit) != 0)
        }
    }
}

/// Finds a key among a struct's wire names without allocating (unless it is unknown and kept).
struct Key<T>(PhantomData<T>);

enum Found {
    Field(usize),
    Unknown(String),
    Skip,
}

impl<T: Object> Key<T> {
    fn find(key: &str) -> Option<Found> {
        match T::index(key) {
            Some(i) => Some(Found::Field(i)),
            None if T::KEEPS_UNKNOWN => None,
            None => Some(Found::Skip),
        }
    }
}

impl<'de, T: Object> DeserializeSeed<'de> for Key<T> {
    type Value = Found;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Found, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de, T: Object> Visitor<'de> for Key<T> {
    type Value = Found;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_str<E: Error>(self, v: &str) -> Result<Found, E> {
        Ok(Self::find(v).unwrap_or_else(|| Found::Unknown(v.to_owned())))
    }

    fn visit_string<E: Error>(self, v: String) -> Result<Found, E> {
        Ok(Self::find(&v).unwrap_or(Found::Unknown(v)))
    }

    fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Found, E> {
        match std::str::from_utf8(v) {
            Ok(s) => self.visit_str(s),
            // Not a name any field has, and not a string an unknown-fields map can hold.
            Err(_) => Ok(Found::Skip),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Default, PartialEq)]
    struct Probe {
        a: Option<String>,
        b: Vec<i64>,
        z: Option<serde_json::Value>,
        extra: std::collections::BTreeMap<String, serde_json::Value>,
    }

    impl Object for Probe {
        const NAME: &'static str = "Probe";
        const REQUIRED: &'static [(usize, &'static str)] = &[(2, "z")];
        const KEEPS_UNKNOWN: bool = true;
        fn index(key: &str) -> Option<usize> {
            match key {
                "a" => Some(0),
                "b" => Some(1),
                "z" => Some(2),
                _ => None,
            }
        }
        fn field<'de, A: MapAccess<'de>>(&mut self, i: usize, map: &mut A) -> Result<(), A::Error> {
            match i {
                0 => read(&mut self.a, map),
                1 => read_or_default(&mut self.b, map),
                2 => read(&mut self.z, map),
                _ => skip(map),
            }
        }
        fn unknown<'de, A: MapAccess<'de>>(
            &mut self,
            key: String,
            map: &mut A,
        ) -> Result<(), A::Error> {
            self.extra.insert(key, map.next_value()?);
            Ok(())
        }
    }

    impl<'de> serde::Deserialize<'de> for Probe {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    #[test]
    fn fields_unknown_keys_null_and_required() {
        let p: Probe =
            serde_json::from_str(r#"{"b": null, "q": 1, "a": "x", "z": 2, "a": "y"}"#).unwrap();
        assert_eq!(p.a.as_deref(), Some("y"), "the last of a repeated key wins");
        assert!(p.b.is_empty());
        assert_eq!(p.z, Some(serde_json::json!(2)));
        assert_eq!(p.extra.get("q"), Some(&serde_json::json!(1)));
        let err = serde_json::from_str::<Probe>(r#"{"a": "x"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `z`"), "{err}");
        let err = serde_json::from_str::<Probe>("[1]").unwrap_err();
        assert!(err.to_string().contains("struct Probe"), "{err}");
    }

    #[test]
    fn seen_holds_more_than_64() {
        let mut s = Seen::default();
        for r in [0, 63, 64, 130] {
            assert!(!s.contains(r));
            s.insert(r);
            assert!(s.contains(r));
        }
        assert!(!s.contains(65) && !s.contains(1));
    }
}
