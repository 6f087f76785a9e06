// Hand-written: not produced by codegen.
//! (De)serialization of the emitted structs, written once.
//!
//! serde's derive writes, for every struct, a field enum with its visitor, a map visitor and a
//! sequence visitor, each with a few lines per field, and a wrapper type per
//! `deserialize_with` field. rustc type- and borrow-checks all of that in the crate that
//! defines the struct (it is generic, so compiled later, but checked there), and it was most
//! of a group/version crate's compile time (BENCHMARKS.md). An emitted struct now states only
//! a `match` from a key to a field's index and a `match` that reads one field into itself or
//! into its draft ([`Object`], [`Finish`]); the map loop and unknown keys are here. Its
//! `Serialize` is one line per field ([`Entries`]).
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
use serde::ser::{Serialize, SerializeMap, Serializer};

/// What an emitted struct tells the shared deserializer.
#[doc(hidden)]
pub trait Object: Sized {
    /// What decoding fills in, starting from its `Default`: the struct itself when every field
    /// has a value to start from (absent means the schema's literal default, an empty value or
    /// `None`); otherwise a draft of it, with an `Option` for each field that must be present
    /// or has a literal default but no `Default` to start from.
    type Draft: Default + Finish<Self>;
    /// The struct's name, for messages.
    const NAME: &'static str;
    /// Keys that name no field go to [`Object::unknown`] (an object that preserves unknown
    /// fields) rather than being skipped.
    const KEEPS_UNKNOWN: bool = false;

    /// The index of the field a key names. A `match` on the key, which rustc turns into a
    /// switch on its length and a few word compares: a binary search of the sorted names cost a
    /// fifth more instructions to decode a Pod. `#[inline]` in emitted code, so that it is
    /// compiled where it is used, like the generic parts.
    fn index(key: &str) -> Option<usize>;

    /// Reads the value of field `index` from `map` into the draft.
    fn field<'de, A: MapAccess<'de>>(
        draft: &mut Self::Draft,
        index: usize,
        map: &mut A,
    ) -> Result<(), A::Error>;

    /// Reads the value of a key that names no field (only called when `KEEPS_UNKNOWN`).
    fn unknown<'de, A: MapAccess<'de>>(
        draft: &mut Self::Draft,
        key: String,
        map: &mut A,
    ) -> Result<(), A::Error> {
        let _ = (draft, key);
        skip(map)
    }
}

/// A draft becomes the struct once every key is read, or names the field that must be present
/// and was not.
#[doc(hidden)]
pub trait Finish<T> {
    /// The struct, or the wire name of a missing field.
    fn finish(self) -> Result<T, &'static str>;
}

/// A struct that decodes into itself is finished as it is.
impl<T> Finish<T> for T {
    #[inline]
    fn finish(self) -> Result<T, &'static str> {
        Ok(self)
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

/// For a field that must be present, or has a literal default, in a draft: `null` is refused,
/// as absent is (or replaced by the default) when the draft is finished.
#[doc(hidden)]
#[inline]
pub fn read_some<'de, T: Deserialize<'de>, A: MapAccess<'de>>(
    slot: &mut Option<T>,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// An object being written. The emitted `Serialize` impls call [`Entries::entry`] or
/// [`Entries::some`] once per field, with no `?` after each: a `?` per field (a `match` and a
/// conversion of the error, type- and borrow-checked where the struct is defined) was a fifth
/// of a group/version crate's compile time (BENCHMARKS.md). The first error is kept, later
/// entries are skipped, and [`Entries::end`] returns it.
#[doc(hidden)]
pub struct Entries<M: SerializeMap> {
    state: Result<M, M::Error>,
}

/// Starts writing an object.
#[doc(hidden)]
#[inline]
pub fn entries<S: Serializer>(serializer: S) -> Entries<S::SerializeMap> {
    Entries {
        state: serializer.serialize_map(None),
    }
}

impl<M: SerializeMap> Entries<M> {
    /// Writes one entry.
    #[inline]
    pub fn entry<T: ?Sized + Serialize>(&mut self, key: &str, value: &T) {
        if let Ok(map) = &mut self.state {
            if let Err(e) = map.serialize_entry(key, value) {
                self.state = Err(e);
            }
        }
    }

    /// Writes an optional field, left out when `None`.
    #[inline]
    pub fn some<T: Serialize>(&mut self, key: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.entry(key, v);
        }
    }

    /// Ends the object, or returns the first error.
    #[inline]
    pub fn end(self) -> Result<M::Ok, M::Error> {
        self.state?.end()
    }
}

/// A `number` field written as Go's encoding/json writes a float64: a whole value without a
/// fraction (`2`, where serde_json writes `2.0`), so an object read and written back is the
/// text the API server and kubectl write. Only whole values within 2^53, where every integer is
/// exact, are written as integers; everything else (`2.5`, `1e300`, `-0`) as serde writes it.
pub struct Number<'a>(pub &'a f64);

impl Serialize for Number<'_> {
    #[inline]
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let v = *self.0;
        // 2^53: beyond it, a float's integer part is no longer every integer.
        const EXACT: f64 = 9_007_199_254_740_992.0;
        if v.fract() == 0.0 && v.abs() < EXACT && !(v == 0.0 && v.is_sign_negative()) {
            serializer.serialize_i64(v as i64)
        } else {
            serializer.serialize_f64(v)
        }
    }
}

/// A map of `number`s, each value written as [`Number`] is.
pub struct NumberMap<'a>(pub &'a std::collections::BTreeMap<String, f64>);

impl Serialize for NumberMap<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, Number(v))))
    }
}

/// A list of `number`s, each written as [`Number`] is.
pub struct NumberVec<'a>(pub &'a [f64]);

impl Serialize for NumberVec<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Number))
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
        let mut draft = T::Draft::default();
        while let Some(key) = map.next_key_seed(Key::<T>(PhantomData))? {
            match key {
                Found::Field(i) => T::field(&mut draft, i, &mut map)?,
                Found::Unknown(key) => T::unknown(&mut draft, key, &mut map)?,
                Found::Skip => skip(&mut map)?,
            }
        }
        draft.finish().map_err(A::Error::missing_field)
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
    use std::collections::BTreeMap;

    #[test]
    fn numbers_are_written_as_go_writes_a_float64() {
        let text = |v: f64| serde_json::to_string(&Number(&v)).unwrap();
        assert_eq!(text(2.0), "2");
        assert_eq!(text(-3.0), "-3");
        assert_eq!(text(0.0), "0");
        assert_eq!(text(2.5), "2.5");
        assert_eq!(text(-0.0), "-0.0");
        assert_eq!(text(9_007_199_254_740_991.0), "9007199254740991");
        assert_eq!(text(1e300), "1e+300");
        assert_eq!(
            serde_json::to_string(&NumberVec(&[1.0, 0.5])).unwrap(),
            "[1,0.5]"
        );
        let map = BTreeMap::from([("a".to_string(), 1.0), ("b".to_string(), 0.5)]);
        assert_eq!(
            serde_json::to_string(&NumberMap(&map)).unwrap(),
            r#"{"a":1,"b":0.5}"#
        );
    }

    /// Decodes into a draft: `z` must be present.
    #[derive(Debug, PartialEq)]
    struct Probe {
        a: Option<String>,
        b: Vec<i64>,
        z: serde_json::Value,
        extra: BTreeMap<String, serde_json::Value>,
    }

    #[derive(Default)]
    struct ProbeDraft {
        a: Option<String>,
        b: Vec<i64>,
        z: Option<serde_json::Value>,
        extra: BTreeMap<String, serde_json::Value>,
    }

    impl Finish<Probe> for ProbeDraft {
        fn finish(self) -> Result<Probe, &'static str> {
            Ok(Probe {
                a: self.a,
                b: self.b,
                z: self.z.ok_or("z")?,
                extra: self.extra,
            })
        }
    }

    impl Object for Probe {
        type Draft = ProbeDraft;
        const NAME: &'static str = "Probe";
        const KEEPS_UNKNOWN: bool = true;
        fn index(key: &str) -> Option<usize> {
            match key {
                "a" => Some(0),
                "b" => Some(1),
                "z" => Some(2),
                _ => None,
            }
        }
        fn field<'de, A: MapAccess<'de>>(
            draft: &mut ProbeDraft,
            i: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match i {
                0 => read(&mut draft.a, map),
                1 => read_or_default(&mut draft.b, map),
                2 => read_some(&mut draft.z, map),
                _ => skip(map),
            }
        }
        fn unknown<'de, A: MapAccess<'de>>(
            draft: &mut ProbeDraft,
            key: String,
            map: &mut A,
        ) -> Result<(), A::Error> {
            draft.extra.insert(key, map.next_value()?);
            Ok(())
        }
    }

    impl<'de> serde::Deserialize<'de> for Probe {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            deserialize(d)
        }
    }

    /// Decodes into itself.
    #[derive(Debug, Default, PartialEq)]
    struct Plain {
        n: i64,
    }

    impl Object for Plain {
        type Draft = Self;
        const NAME: &'static str = "Plain";
        fn index(key: &str) -> Option<usize> {
            (key == "n").then_some(0)
        }
        fn field<'de, A: MapAccess<'de>>(
            draft: &mut Self,
            i: usize,
            map: &mut A,
        ) -> Result<(), A::Error> {
            match i {
                0 => read_or_default(&mut draft.n, map),
                _ => skip(map),
            }
        }
    }

    impl<'de> serde::Deserialize<'de> for Plain {
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
        assert_eq!(p.z, serde_json::json!(2));
        assert_eq!(p.extra.get("q"), Some(&serde_json::json!(1)));
        let err = serde_json::from_str::<Probe>(r#"{"a": "x"}"#).unwrap_err();
        assert!(err.to_string().contains("missing field `z`"), "{err}");
        let err = serde_json::from_str::<Probe>("[1]").unwrap_err();
        assert!(err.to_string().contains("struct Probe"), "{err}");
    }

    #[test]
    fn a_struct_with_a_default_decodes_into_itself() {
        let p: Plain = serde_json::from_str(r#"{"n": 3, "m": [1]}"#).unwrap();
        assert_eq!(p, Plain { n: 3 });
        let p: Plain = serde_json::from_str(r#"{"n": null}"#).unwrap();
        assert_eq!(p, Plain::default());
        assert!(serde_json::from_str::<Plain>(r#"{"n": "x"}"#).is_err());
    }

    /// A value that cannot be written.
    struct Broken;

    impl Serialize for Broken {
        fn serialize<S: Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("broken value"))
        }
    }

    #[test]
    fn entries_skip_none_and_stop_at_the_first_error() {
        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::new(&mut out);
        let mut map = entries(&mut ser);
        map.entry("a", &1);
        map.some("b", &None::<i64>);
        map.some("c", &Some("x"));
        map.end().unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), r#"{"a":1,"c":"x"}"#);

        let mut out = Vec::new();
        let mut ser = serde_json::Serializer::new(&mut out);
        let mut map = entries(&mut ser);
        map.entry("a", &1);
        map.entry("bad", &Broken);
        map.entry("after", &2);
        let err = map.end().unwrap_err();
        assert!(err.to_string().contains("broken value"), "{err}");
        let written = String::from_utf8(out).unwrap();
        assert!(
            !written.contains("after"),
            "written after the error: {written}"
        );
    }
}
