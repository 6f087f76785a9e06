//! The (de)serialization of an emitted struct: its `Serialize` impl (one `Entries` call per
//! field) and its `runtime::object::Object` impl (a key to a field, a field read into its
//! draft), and how each field reads when absent.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{default_expr, default_fn_name, field_type, is_option, wire_wrapper};
use crate::emit::Ctx;
use crate::ir::{Field, Ty, TypeDef, TypeKind};

/// How a field reads when absent or `null`.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Absent {
    /// Fields beyond the declared ones (`x-kubernetes-preserve-unknown-fields`): a map.
    Unknown,
    /// `Option<T>`: absent or `null` is `None` (optional, or required but nullable).
    None,
    /// The schema's literal default; `null` is refused.
    Literal,
    /// Required, with an empty value (string, list, map, number, a struct with `Default`):
    /// absent or `null` is that value, as servers send `null` for an empty list.
    Empty,
    /// Required and with no empty value: absent is an error.
    Error,
}

pub(super) fn absent(cx: &Ctx<'_>, f: &Field) -> Absent {
    if f.flatten {
        Absent::Unknown
    } else if f.nullable {
        Absent::None
    } else if default_expr(cx, f).is_some() {
        Absent::Literal
    } else if !f.required {
        Absent::None
    } else if nullable_default(cx, &f.ty) {
        Absent::Empty
    } else {
        Absent::Error
    }
}

/// `Serialize` of a struct that is no kind: a map of its fields.
pub(super) fn serialize_impl(cx: &Ctx<'_>, t: &TypeDef, fields: &[Field]) -> TokenStream {
    let rt = &cx.runtime;
    let name = format_ident!("{}", t.name);
    let entries = serialize_entries(cx, t, fields);
    let body = if entries.is_empty() {
        quote!(#rt::object::entries(serializer).end())
    } else {
        quote! {
            let mut map = #rt::object::entries(serializer);
            #(#entries)*
            map.end()
        }
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #body
            }
        }
    }
}

/// `Deserialize` through the runtime's shared deserializer: a `match` from a key to its
/// field's index, one `match` arm reading each field, and where decoding cannot start from the
/// struct's `Default` (a field must be present, or there is no `Default`), a draft with an
/// `Option` for each such field, finished into the struct or naming the one missing.
pub(super) fn object_impl(cx: &Ctx<'_>, t: &TypeDef, fields: &[Field]) -> TokenStream {
    let rt = &cx.runtime;
    let name = format_ident!("{}", t.name);
    let type_name = &t.name;
    // What absent means, decided once per field.
    let fields: Vec<(&Field, Absent)> = fields.iter().map(|f| (f, absent(cx, f))).collect();
    let mut declared: Vec<(&Field, Absent)> =
        fields.iter().copied().filter(|(f, _)| !f.flatten).collect();
    declared.sort_by(|(a, _), (b, _)| a.wire.cmp(&b.wire));
    let drafted = !t.default || fields.iter().any(|&(_, a)| a == Absent::Error);
    // A draft holds `Option<T>` for a field that must be present or whose literal default it
    // cannot start from; `null` there is refused, as the field's own type refuses it.
    let in_option =
        |a: Absent| matches!((a, drafted), (Absent::Error, _) | (Absent::Literal, true));
    let reader = |a: Absent| match a {
        Absent::Empty => "read_or_default",
        _ if in_option(a) => "read_some",
        _ => "read",
    };
    let indices = declared.iter().enumerate().map(|(i, (f, _))| {
        let wire = &f.wire;
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(#wire => Some(#i),)
    });
    // The helpers the arms call, imported by name so that each arm is one short line.
    let used: std::collections::BTreeSet<&str> = declared.iter().map(|&(_, a)| reader(a)).collect();
    let readers = std::iter::once("skip")
        .chain(used)
        .map(|r| format_ident!("{}", r));
    let arms = declared.iter().enumerate().map(|(i, &(f, a))| {
        let fname = format_ident!("{}", f.rust);
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let reader = format_ident!("{}", reader(a));
        quote!(#i => #reader(&mut draft.#fname, map),)
    });
    let unknown = fields.iter().find(|(f, _)| f.flatten).map(|(f, _)| {
        let fname = format_ident!("{}", f.rust);
        quote! {
            const KEEPS_UNKNOWN: bool = true;
            fn unknown<'de, A: serde::de::MapAccess<'de>>(draft: &mut Self::Draft, key: String, map: &mut A) -> Result<(), A::Error> {
                draft.#fname.insert(key, map.next_value()?);
                Ok(())
            }
        }
    });
    // An object with no declared properties matches nothing (no one-arm `match`: clippy
    // flags it).
    let (index_body, field_body) = if declared.is_empty() {
        (
            quote!(let _ = key; None),
            quote!(let _ = (draft, index); #rt::object::skip(map)),
        )
    } else {
        (
            quote!(match key { #(#indices)* _ => None, }),
            quote! {
                use #rt::object::{#(#readers),*};
                match index { #(#arms)* _ => skip(map), }
            },
        )
    };
    let object = |draft: TokenStream| {
        quote! {
            impl #rt::object::Object for #name {
                type Draft = #draft;
                const NAME: &'static str = #type_name;
                #[inline]
                fn index(key: &str) -> Option<usize> {
                    #index_body
                }
                fn field<'de, A: serde::de::MapAccess<'de>>(draft: &mut Self::Draft, index: usize, map: &mut A) -> Result<(), A::Error> {
                    #field_body
                }
                #unknown
            }
        }
    };
    let deserialize = quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                #rt::object::deserialize(deserializer)
            }
        }
    };
    if !drafted {
        let object = object(quote!(Self));
        return quote! { #deserialize #object };
    }
    // The draft is named only inside this block (`__Draft`: no type name is cased that way),
    // so it needs no name of its own in the module.
    let object = object(quote!(__Draft));
    let draft_fields = fields.iter().map(|&(f, a)| {
        let fname = format_ident!("{}", f.rust);
        let ty = field_type(cx, f);
        if in_option(a) {
            quote!(#fname: Option<#ty>,)
        } else {
            quote!(#fname: #ty,)
        }
    });
    let finish = fields.iter().map(|&(f, a)| {
        let fname = format_ident!("{}", f.rust);
        let wire = &f.wire;
        match a {
            Absent::Error => quote!(#fname: self.#fname.ok_or(#wire)?,),
            Absent::Literal if in_option(a) => {
                let func = default_fn_name(t, f);
                quote!(#fname: self.#fname.unwrap_or_else(#func),)
            }
            _ => quote!(#fname: self.#fname,),
        }
    });
    quote! {
        #deserialize
        const _: () = {
            #[derive(Default)]
            pub struct __Draft {
                #(#draft_fields)*
            }
            impl #rt::object::Finish<#name> for __Draft {
                fn finish(self) -> Result<#name, &'static str> {
                    Ok(#name { #(#finish)* })
                }
            }
            #object
        };
    }
}

/// Required fields whose type has an obvious empty value accept `null` as that value.
fn nullable_default(cx: &Ctx<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::String | Ty::Vec(_) | Ty::Map(_) | Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => true,
        Ty::Ref(id) => cx.api.types.get(id).is_some_and(|t| {
            t.default && matches!(t.kind, TypeKind::Struct { .. } | TypeKind::External(_))
        }),
        _ => false,
    }
}

/// One `runtime::object::Entries` call for each field as it is written: `None` left out,
/// unknown fields spread into the object, a kind held in a field written without its TypeMeta.
pub(super) fn serialize_entries(cx: &Ctx<'_>, t: &TypeDef, fields: &[Field]) -> Vec<TokenStream> {
    let entry = |f: &Field| -> TokenStream {
        let fname = format_ident!("{}", f.rust);
        let wire = &f.wire;
        if f.flatten {
            // A kind writes its own apiVersion and kind, whatever was kept beside them.
            let skip = if t.resource.is_some() {
                quote!(if k == "apiVersion" || k == "kind" {
                    continue;
                })
            } else {
                quote!()
            };
            return quote! {
                for (k, v) in &self.#fname {
                    #skip
                    map.entry(k, v);
                }
            };
        }
        match (is_option(cx, f) && !f.nullable, wire_wrapper(cx, t, f)) {
            (false, None) => quote! { map.entry(#wire, &self.#fname); },
            // Required but nullable: always written, `null` when None.
            (false, Some(w)) if f.nullable => {
                quote! { map.entry(#wire, &self.#fname.as_ref().map(|v| #w(v))); }
            }
            (false, Some(w)) => quote! { map.entry(#wire, &#w(&self.#fname)); },
            (true, None) => quote! { map.some(#wire, &self.#fname); },
            (true, Some(w)) => {
                quote! { if let Some(v) = &self.#fname { map.entry(#wire, &#w(v)); } }
            }
        }
    };
    fields.iter().map(entry).collect()
}
