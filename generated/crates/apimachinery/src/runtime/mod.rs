// Hand-written: not produced by codegen. The part of the runtime the emitted models rely on.
//! The types and helpers every emitted model names, as Kubernetes' apimachinery holds them: the
//! [`Resource`] and [`List`] traits, timestamps, int-or-string, quantities and base64 bytes, and
//! the (de)serialization helpers of emitted types. No HTTP here: the sans-io requests, errors,
//! patches, watches and the client are in `generated-runtime`, whose `runtime` module
//! re-exports all of this. Kept apart so that a crate compiled for its types alone (core/v1
//! for `apps_v1`) does not wait for the rest of the runtime to compile.
#![deny(missing_docs)]

use std::fmt;

pub mod embedded;
#[doc(hidden)]
pub mod object;
mod string_enum;

/// Used by emitted string enums (see `string_enum.rs`).
#[doc(hidden)]
pub use crate::__string_enum as string_enum;
#[doc(hidden)]
pub use string_enum::StringEnumVisitor;

/// What `Debug` shows of a field that holds a credential (a token, a Secret's data): whether
/// it is set, never its value. Emitted types use it for the fields of the generator's table
/// of sensitive fields (README).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Redacted {
    /// The field has a value: shown as `Some(<redacted>)` (`<redacted>` for a required one).
    Set,
    /// An optional field with a value.
    SetOptional,
    /// An optional field without one: `None`.
    Unset,
}

impl Redacted {
    /// For an optional field.
    pub fn option<T>(value: &Option<T>) -> Redacted {
        if value.is_some() {
            Redacted::SetOptional
        } else {
            Redacted::Unset
        }
    }
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Redacted::Set => "<redacted>",
            Redacted::SetOptional => "Some(<redacted>)",
            Redacted::Unset => "None",
        })
    }
}

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A list kind: its items and the token of the next chunk.
pub trait List {
    /// The kind listed.
    type Item;
    /// Items of this chunk, and the continue token when more remain.
    fn into_parts(self) -> (Vec<Self::Item>, Option<String>);
    /// The list's resourceVersion (a watch from it sees every change after the list).
    fn resource_version(&self) -> Option<&str>;
}

/// A top-level Kubernetes kind: what its `apiVersion` and `kind` are and where it is served.
///
/// `apiVersion` and `kind` are not fields of the structs: serializing writes them from these
/// constants, so they are always right.
pub trait Resource {
    /// `group/version`, or `version` for the core group.
    const API_VERSION: &'static str;
    /// API group; empty for core.
    const GROUP: &'static str;
    /// API version.
    const VERSION: &'static str;
    /// Kind, as in the `kind` field.
    const KIND: &'static str;
    /// Plural resource name used in URLs. For a kind served only as a subresource (TokenRequest
    /// is `serviceaccounts/{name}/token`), the subresource's path segment.
    const PLURAL: &'static str;
    /// Whether objects of this kind live in a namespace.
    const NAMESPACED: bool;
}

/// `meta/v1 Time`: an instant written as RFC 3339 in UTC with second precision
/// (`2008-01-01T01:01:01Z`), as the API server writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Time(pub jiff::Timestamp);

/// `meta/v1 MicroTime`: an instant written as RFC 3339 in UTC with six fractional digits
/// (`2008-01-01T01:01:01.000000Z`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MicroTime(pub jiff::Timestamp);

/// Go's zero `time.Time`, 0001-01-01T00:00:00Z: what meta/v1 Time and MicroTime read `null` as
/// and write as `null`, as Go does (a zero time in a map is written `null`: policy/v1
/// PodDisruptionBudget's `disruptedPods`).
const GO_ZERO_SECOND: i64 = -62_135_596_800;

fn go_zero() -> jiff::Timestamp {
    jiff::Timestamp::from_second(GO_ZERO_SECOND).unwrap_or(jiff::Timestamp::MIN)
}

impl Time {
    /// Go's zero time, written as `null`.
    pub fn zero() -> Self {
        Time(go_zero())
    }
    /// Whether this is Go's zero time.
    pub fn is_zero(&self) -> bool {
        self.0 == go_zero()
    }
}

impl MicroTime {
    /// Go's zero time, written as `null`.
    pub fn zero() -> Self {
        MicroTime(go_zero())
    }
    /// Whether this is Go's zero time.
    pub fn is_zero(&self) -> bool {
        self.0 == go_zero()
    }
}

/// Parses the string in place (borrowed or not): no allocation unless it is invalid. `null` is
/// Go's zero time.
fn parse_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<jiff::Timestamp, D::Error> {
    struct V;
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = jiff::Timestamp;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an RFC 3339 timestamp")
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<jiff::Timestamp, E> {
            s.parse::<jiff::Timestamp>()
                .map_err(|e| E::custom(format!("invalid RFC 3339 timestamp {s:?}: {e}")))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<jiff::Timestamp, E> {
            Ok(go_zero())
        }
    }
    // `deserialize_any`, not `deserialize_option`: a missing required field must stay an error
    // (serde answers `deserialize_option` of a missing field with None), `null` is the zero.
    d.deserialize_any(V)
}

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_zero() {
            return s.serialize_none();
        }
        s.collect_str(&self.0.strftime("%Y-%m-%dT%H:%M:%SZ"))
    }
}

impl<'de> Deserialize<'de> for Time {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_timestamp(d).map(Time)
    }
}

impl Serialize for MicroTime {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.is_zero() {
            return s.serialize_none();
        }
        s.collect_str(&self.0.strftime("%Y-%m-%dT%H:%M:%S%.6fZ"))
    }
}

impl<'de> Deserialize<'de> for MicroTime {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        parse_timestamp(d).map(MicroTime)
    }
}

/// A value that is either an integer or a string (`x-kubernetes-int-or-string`), such as a
/// port number or name, or `25%`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IntOrString {
    /// The integer form.
    Int(i32),
    /// The string form.
    String(String),
}

impl Default for IntOrString {
    fn default() -> Self {
        IntOrString::Int(0)
    }
}

impl Serialize for IntOrString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            IntOrString::Int(i) => s.serialize_i32(*i),
            IntOrString::String(v) => s.serialize_str(v),
        }
    }
}

impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = IntOrString;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a 32-bit integer or a string")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<IntOrString, E> {
                i32::try_from(v)
                    .map(IntOrString::Int)
                    .map_err(|_| E::custom(format!("integer {v} does not fit in 32 bits")))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<IntOrString, E> {
                i32::try_from(v)
                    .map(IntOrString::Int)
                    .map_err(|_| E::custom(format!("integer {v} does not fit in 32 bits")))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IntOrString, E> {
                Ok(IntOrString::String(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A resource quantity (`500m`, `1Gi`), kept as the exact string the server sent. A bare JSON
/// number (`2`) is accepted and kept as its decimal text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Quantity(pub String);

impl<'de> Deserialize<'de> for Quantity {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match serde_json::Value::deserialize(d)? {
            serde_json::Value::String(s) => Ok(Quantity(s)),
            serde_json::Value::Number(n) => Ok(Quantity(n.to_string())),
            other => Err(serde::de::Error::custom(format!(
                "a quantity is a string or a number, not {other}"
            ))),
        }
    }
}

/// Bytes, written as standard base64 on the wire (`format: byte`).
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ByteString(pub Vec<u8>);

impl fmt::Debug for ByteString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Bytes fields often hold certificates or secrets: show the length, not the content.
        write!(f, "ByteString({} bytes)", self.0.len())
    }
}

impl Serialize for ByteString {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        s.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for ByteString {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        let mut s = String::deserialize(d)?;
        // Go's decoder (which the API server and kubectl use) skips line breaks: base64 from a
        // YAML block scalar or `base64` without `-w0` carries them.
        s.retain(|c| c != '\n' && c != '\r');
        base64::engine::general_purpose::STANDARD
            .decode(s.as_bytes())
            .map(ByteString)
            .map_err(|e| serde::de::Error::custom(format!("invalid base64: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_is_gos_zero_time_both_ways() {
        let m: std::collections::BTreeMap<String, Time> =
            serde_json::from_str(r#"{"a": null, "b": "2008-01-01T01:01:01Z"}"#).unwrap();
        assert!(m["a"].is_zero() && !m["b"].is_zero());
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"a":null,"b":"2008-01-01T01:01:01Z"}"#
        );
        let z: MicroTime = serde_json::from_str("null").unwrap();
        assert_eq!(z, MicroTime::zero());
        assert_eq!(serde_json::to_string(&z).unwrap(), "null");
        // An optional field still reads null as absent.
        let o: Option<Time> = serde_json::from_str("null").unwrap();
        assert_eq!(o, None);
        // A required timestamp that is missing is still an error.
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Required {
            at: Time,
        }
        assert!(serde_json::from_str::<Required>("{}").is_err());
        assert!(serde_json::from_str::<Required>(r#"{"at": null}"#)
            .unwrap()
            .at
            .is_zero());
    }

    #[test]
    fn time_round_trips_as_the_api_writes_it() {
        let t: Time = serde_json::from_str("\"2008-01-01T01:01:01Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2008-01-01T01:01:01Z\""
        );
        // Offsets are normalized to UTC, as the API server does.
        let t: Time = serde_json::from_str("\"2008-01-01T03:01:01+02:00\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2008-01-01T01:01:01Z\""
        );
        assert!(serde_json::from_str::<Time>("\"yesterday\"").is_err());
        // An escaped string arrives owned, a Value hands over its String: both parse.
        let t: Time = serde_json::from_str("\"2008-01-01T01:01:01\\u005a\"").unwrap();
        assert_eq!(t.0.to_string(), "2008-01-01T01:01:01Z");
        let v = serde_json::json!("2008-01-01T01:01:01Z");
        assert_eq!(serde_json::from_value::<Time>(v).unwrap(), t);
        let e = serde_json::from_str::<Time>("7").unwrap_err().to_string();
        assert!(e.contains("expected an RFC 3339 timestamp"), "{e}");
    }

    #[test]
    fn micro_time_keeps_six_digits() {
        let t: MicroTime = serde_json::from_str("\"2008-01-01T01:01:01.123456Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2008-01-01T01:01:01.123456Z\""
        );
        let t: MicroTime = serde_json::from_str("\"2008-01-01T01:01:01Z\"").unwrap();
        assert_eq!(
            serde_json::to_string(&t).unwrap(),
            "\"2008-01-01T01:01:01.000000Z\""
        );
    }

    #[test]
    fn int_or_string_both_ways() {
        assert_eq!(
            serde_json::from_str::<IntOrString>("8080").unwrap(),
            IntOrString::Int(8080)
        );
        assert_eq!(
            serde_json::from_str::<IntOrString>("\"http\"").unwrap(),
            IntOrString::String("http".into())
        );
        assert!(serde_json::from_str::<IntOrString>("4294967296").is_err());
        assert_eq!(
            serde_json::to_string(&IntOrString::String("25%".into())).unwrap(),
            "\"25%\""
        );
    }

    #[test]
    fn quantities_from_strings_and_numbers() {
        assert_eq!(
            serde_json::from_str::<Quantity>("\"500m\"").unwrap(),
            Quantity("500m".into())
        );
        assert_eq!(
            serde_json::from_str::<Quantity>("2").unwrap(),
            Quantity("2".into())
        );
        assert!(serde_json::from_str::<Quantity>("true").is_err());
    }

    #[test]
    fn bytes_are_base64_and_hidden_in_debug() {
        let b: ByteString = serde_json::from_str("\"aGVsbG8=\"").unwrap();
        assert_eq!(b.0, b"hello");
        assert_eq!(serde_json::to_string(&b).unwrap(), "\"aGVsbG8=\"");
        assert_eq!(format!("{b:?}"), "ByteString(5 bytes)");
        assert!(serde_json::from_str::<ByteString>("\"not base64!\"").is_err());
        // Line breaks are skipped, as Go's decoder does.
        let b: ByteString = serde_json::from_str("\"aGVs\\nbG8=\\r\\n\"").unwrap();
        assert_eq!(b.0, b"hello");
    }
}
