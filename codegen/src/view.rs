//! One flat view of an `openapiv3::Schema`, whatever `SchemaKind` openapiv3 picked for it.
//!
//! openapiv3 gives `SchemaKind::Any` as soon as keywords are mixed (int-or-string with a
//! pattern, `format` on an array, `oneOf` beside `properties`), and the typed variants for the
//! rest. Lowering reads this view only, so no keyword is dropped on either path.

use openapiv3::{AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type};

/// A schema position: a `$ref` or an inline schema.
#[derive(Clone, Copy, Debug)]
pub(crate) enum SRef<'a> {
    Ref(&'a str),
    Inline(&'a Schema),
}

impl<'a> SRef<'a> {
    pub(crate) fn boxed(r: &'a ReferenceOr<Box<Schema>>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }
    pub(crate) fn plain(r: &'a ReferenceOr<Schema>) -> Self {
        match r {
            ReferenceOr::Reference { reference } => SRef::Ref(reference),
            ReferenceOr::Item(s) => SRef::Inline(s),
        }
    }
}

/// Additional properties as the view sees them.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Additional<'a> {
    Bool(bool),
    Schema(SRef<'a>),
}

#[derive(Debug)]
pub(crate) struct View<'a> {
    pub data: &'a SchemaData,
    pub typ: Option<&'a str>,
    pub format: Option<String>,
    pub properties: Vec<(&'a str, SRef<'a>)>,
    pub required: Vec<&'a str>,
    pub additional: Option<Additional<'a>>,
    pub items: Option<SRef<'a>>,
    pub enumeration: Vec<serde_json::Value>,
    pub one_of: Vec<SRef<'a>>,
    pub all_of: Vec<SRef<'a>>,
    pub any_of: Vec<SRef<'a>>,
    pub has_not: bool,
    /// `minimum` and `maximum` of a number or integer.
    pub bounds: (Option<f64>, Option<f64>),
}

fn fmt<T: std::fmt::Debug>(
    f: &openapiv3::VariantOrUnknownOrEmpty<T>,
    known: impl Fn(&T) -> &'static str,
) -> Option<String> {
    match f {
        openapiv3::VariantOrUnknownOrEmpty::Item(t) => Some(known(t).to_string()),
        openapiv3::VariantOrUnknownOrEmpty::Unknown(s) => Some(s.clone()),
        openapiv3::VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn additional(a: &Option<AdditionalProperties>) -> Option<Additional<'_>> {
    match a {
        None => None,
        Some(AdditionalProperties::Any(b)) => Some(Additional::Bool(*b)),
        Some(AdditionalProperties::Schema(s)) => Some(Additional::Schema(SRef::plain(s))),
    }
}

impl<'a> View<'a> {
    pub(crate) fn of(s: &'a Schema) -> Self {
        let mut v = View {
            data: &s.schema_data,
            typ: None,
            format: None,
            properties: Vec::new(),
            required: Vec::new(),
            additional: None,
            items: None,
            enumeration: Vec::new(),
            one_of: Vec::new(),
            all_of: Vec::new(),
            any_of: Vec::new(),
            has_not: false,
            bounds: (None, None),
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                v.typ = Some("string");
                v.format = fmt(&t.format, |f| match f {
                    openapiv3::StringFormat::Date => "date",
                    openapiv3::StringFormat::DateTime => "date-time",
                    openapiv3::StringFormat::Password => "password",
                    openapiv3::StringFormat::Byte => "byte",
                    openapiv3::StringFormat::Binary => "binary",
                });
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| {
                        e.clone()
                            .map_or(serde_json::Value::Null, serde_json::Value::String)
                    })
                    .collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                v.typ = Some("number");
                v.bounds = (t.minimum, t.maximum);
                v.format = fmt(&t.format, |f| match f {
                    openapiv3::NumberFormat::Float => "float",
                    openapiv3::NumberFormat::Double => "double",
                });
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(serde_json::Value::Null, serde_json::Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                v.typ = Some("integer");
                v.bounds = (t.minimum.map(|n| n as f64), t.maximum.map(|n| n as f64));
                v.format = fmt(&t.format, |f| match f {
                    openapiv3::IntegerFormat::Int32 => "int32",
                    openapiv3::IntegerFormat::Int64 => "int64",
                });
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(serde_json::Value::Null, serde_json::Value::from))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                v.typ = Some("boolean");
                v.enumeration = t
                    .enumeration
                    .iter()
                    .map(|e| e.map_or(serde_json::Value::Null, serde_json::Value::Bool))
                    .collect();
            }
            SchemaKind::Type(Type::Object(t)) => {
                v.typ = Some("object");
                v.properties = t
                    .properties
                    .iter()
                    .map(|(k, s)| (k.as_str(), SRef::boxed(s)))
                    .collect();
                v.required = t.required.iter().map(String::as_str).collect();
                v.additional = additional(&t.additional_properties);
            }
            SchemaKind::Type(Type::Array(t)) => {
                v.typ = Some("array");
                v.items = t.items.as_ref().map(SRef::boxed);
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of.iter().map(SRef::plain).collect(),
            SchemaKind::AllOf { all_of } => v.all_of = all_of.iter().map(SRef::plain).collect(),
            SchemaKind::AnyOf { any_of } => v.any_of = any_of.iter().map(SRef::plain).collect(),
            SchemaKind::Not { .. } => v.has_not = true,
            SchemaKind::Any(a) => {
                v.typ = a.typ.as_deref();
                v.format = a.format.clone();
                v.properties = a
                    .properties
                    .iter()
                    .map(|(k, s)| (k.as_str(), SRef::boxed(s)))
                    .collect();
                v.required = a.required.iter().map(String::as_str).collect();
                v.additional = additional(&a.additional_properties);
                v.items = a.items.as_ref().map(SRef::boxed);
                v.enumeration = a.enumeration.clone();
                v.one_of = a.one_of.iter().map(SRef::plain).collect();
                v.all_of = a.all_of.iter().map(SRef::plain).collect();
                v.any_of = a.any_of.iter().map(SRef::plain).collect();
                v.has_not = a.not.is_some();
                v.bounds = (a.minimum, a.maximum);
            }
        }
        v
    }

    pub(crate) fn ext(&self, key: &str) -> Option<&'a serde_json::Value> {
        self.data.extensions.get(key)
    }

    pub(crate) fn ext_true(&self, key: &str) -> bool {
        self.ext(key).and_then(|v| v.as_bool()).unwrap_or(false)
    }
}
