// Hand-written: not produced by codegen.
//! What every emitted string enum shares: its conversions and its serde impls, written once as a
//! macro so the emitted code is one line per enum.
//!
//! serde's derive cannot express "any other string goes to `Other(String)`" without an
//! `#[serde(untagged)]` variant, and that makes it buffer every value into its private
//! `Content` type (an allocation and a copy) before matching it. The visitor here matches the
//! borrowed string directly: known values allocate nothing.

use std::fmt;
use std::marker::PhantomData;

/// Deserializes an emitted string enum from any string (`From<&str>`, or `From<String>` when
/// the deserializer hands over an owned one, so an unknown value is not copied).
#[doc(hidden)]
pub struct StringEnumVisitor<T>(pub PhantomData<T>);

impl<T: for<'a> From<&'a str> + From<String>> serde::de::Visitor<'_> for StringEnumVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(T::from(v))
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<T, E> {
        Ok(T::from(v))
    }
}

/// Implements, for an enum of unit variants plus `Other(String)`: `as_str` (the wire value),
/// `From<&str>` and `From<String>` (unknown values become `Other`), `Display`, `Serialize` and
/// `Deserialize`. Each variant is given with its wire value: `Oidc("OIDC")`.
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    ($name:ident, $($variant:ident($wire:literal)),* $(,)?) => {
        impl $name {
            /// The value as written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(s) => s,
                }
            }
        }
        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s {
                    $($wire => $name::$variant,)*
                    _ => $name::Other(s.to_owned()),
                }
            }
        }
        impl ::std::convert::From<::std::string::String> for $name {
            fn from(s: ::std::string::String) -> Self {
                match s.as_str() {
                    $($wire => $name::$variant,)*
                    _ => $name::Other(s),
                }
            }
        }
        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<Self, D::Error> {
                d.deserialize_str($crate::runtime::StringEnumVisitor(::std::marker::PhantomData))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// A copy of what codegen emits for a string enum (the emitted ones are checked by the
    /// fixture and round-trip tests).
    #[derive(Clone, Debug, PartialEq, Eq)]
    enum Policy {
        Empty,
        NoPrefix,
        Oidc,
        Other(String),
    }
    crate::runtime::string_enum!(Policy, Empty(""), NoPrefix("NoPrefix"), Oidc("OIDC"));

    #[test]
    fn known_values_map_to_variants_and_back() {
        for (wire, v) in [
            ("", Policy::Empty),
            ("NoPrefix", Policy::NoPrefix),
            ("OIDC", Policy::Oidc),
        ] {
            let json = serde_json::to_string(wire).unwrap();
            assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), v);
            assert_eq!(serde_json::to_string(&v).unwrap(), json);
            assert_eq!(v.as_str(), wire);
            assert_eq!(Policy::from(wire.to_string()), v);
        }
    }

    #[test]
    fn unknown_values_are_kept_as_sent() {
        // Case matters, as on the API server: "oidc" is not "OIDC".
        let v: Policy = serde_json::from_str("\"oidc\"").unwrap();
        assert_eq!(v, Policy::Other("oidc".into()));
        assert_eq!(serde_json::to_string(&v).unwrap(), "\"oidc\"");
        assert_eq!(v.to_string(), "oidc");
        // An escaped string reaches the visitor as an owned String.
        let v: Policy = serde_json::from_str("\"a\\u0062\"").unwrap();
        assert_eq!(v, Policy::Other("ab".into()));
        assert_eq!(
            serde_json::from_value::<Policy>(serde_json::json!("OIDC")).unwrap(),
            Policy::Oidc
        );
    }

    #[test]
    fn other_types_are_refused() {
        let e = serde_json::from_str::<Policy>("7").unwrap_err().to_string();
        assert!(e.contains("expected a string"), "{e}");
    }
}
