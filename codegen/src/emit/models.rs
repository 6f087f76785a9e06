//! Token streams for one type: a struct (with its `Default` and `Debug`), a string enum or an
//! alias, with rustdoc; for kinds the `Resource` impl (their `Serialize` writes apiVersion and
//! kind), for lists the `List` impl. The (de)serialization impls are in `wire`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

mod wire;

use self::wire::{absent, object_impl, serialize_entries, serialize_impl, Absent};
use super::docs::doc_attrs;
use super::Ctx;
use crate::error::Error;
use crate::ir::{Field, Ty, TypeDef, TypeKind};
use crate::names::{group_module, version_module};

pub(crate) fn ty_tokens(cx: &Ctx<'_>, ty: &Ty) -> TokenStream {
    let rt = &cx.runtime;
    match ty {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Bytes => quote!(#rt::ByteString),
        Ty::Time => quote!(#rt::Time),
        Ty::MicroTime => quote!(#rt::MicroTime),
        Ty::IntOrString => quote!(#rt::IntOrString),
        Ty::Quantity => quote!(#rt::Quantity),
        Ty::Json => quote!(serde_json::Value),
        Ty::Vec(t) => {
            let t = ty_tokens(cx, t);
            quote!(Vec<#t>)
        }
        Ty::Map(t) => {
            let t = ty_tokens(cx, t);
            quote!(std::collections::BTreeMap<String, #t>)
        }
        Ty::Ref(id) => match cx.api.types.get(id) {
            Some(t) if cx.file_root == Some(t.root.as_str()) => {
                let n = format_ident!("{}", t.name);
                quote!(#n)
            }
            Some(t) => {
                let root = &cx.root;
                let (g, v) = match cx.modules.get(&t.gv) {
                    Some((g, v)) => (format_ident!("{}", g), format_ident!("{}", v)),
                    None => (
                        format_ident!("{}", group_module(&t.gv.group)),
                        format_ident!("{}", version_module(&t.gv.version)),
                    ),
                };
                let n = format_ident!("{}", t.name);
                quote!(#root::#g::#v::#n)
            }
            // Lowering checked every reference; a missing one would be a generator bug, and
            // `Value` keeps the output compiling while the snapshot shows it.
            None => quote!(serde_json::Value),
        },
    }
}

/// A Rust expression for a schema's literal default, when it fits the field's type (an enum
/// default names its variant).
fn default_expr(cx: &Ctx<'_>, f: &Field) -> Option<TokenStream> {
    use serde_json::Value;
    let v = f.default.as_ref()?;
    if f.boxed || f.flatten {
        return None;
    }
    Some(match (&f.ty, v) {
        (Ty::String, Value::String(s)) => quote!(String::from(#s)),
        (Ty::Bool, Value::Bool(b)) => quote!(#b),
        (Ty::I32, Value::Number(n)) => {
            let n = i32::try_from(n.as_i64()?).ok()?;
            quote!(#n)
        }
        (Ty::I64, Value::Number(n)) => {
            let n = n.as_i64()?;
            quote!(#n)
        }
        (Ty::F64, Value::Number(n)) => {
            let n = n.as_f64()?;
            quote!(#n)
        }
        (Ty::Ref(id), Value::Number(n)) => {
            let t = cx.api.types.get(id)?;
            let TypeKind::IntEnum { variants } = &t.kind else {
                return None;
            };
            let n = n.as_i64()?;
            let path = ty_tokens(cx, &f.ty);
            match variants.iter().find(|(v, _)| *v == n) {
                Some((_, rust)) => {
                    let v = format_ident!("{}", rust);
                    quote!(#path::#v)
                }
                None => quote!(#path::Other(#n)),
            }
        }
        (Ty::Ref(id), Value::String(s)) => {
            let t = cx.api.types.get(id)?;
            let TypeKind::Enum { variants } = &t.kind else {
                return None;
            };
            let path = ty_tokens(cx, &f.ty);
            match variants.iter().find(|(w, _)| w == s) {
                Some((_, rust)) => {
                    let v = format_ident!("{}", rust);
                    quote!(#path::#v)
                }
                None => quote!(#path::Other(String::from(#s))),
            }
        }
        _ => return None,
    })
}

/// The function serde calls for a defaulted field.
fn default_fn_name(t: &TypeDef, f: &Field) -> syn::Ident {
    format_ident!(
        "default_{}_{}",
        crate::names::ident(&t.name, true).trim_end_matches('_'),
        f.rust.trim_end_matches('_')
    )
}

/// Whether a field is an `Option`: absent or `null` reads as `None` (see [`absent`]).
fn is_option(cx: &Ctx<'_>, f: &Field) -> bool {
    absent(cx, f) == Absent::None
}

/// The wrapper a field is written through, if any: a kind (or a list of them) held in a field
/// without `apiVersion` and `kind` (`runtime::embedded::Embedded` / `EmbeddedVec`; a list
/// kind's `items` keep theirs, as the API server writes a custom resource list and `kubectl
/// get -o json` a List), and a `number` (or a list or map of them) as Go writes it, a whole
/// value without a fraction (`runtime::object::Number` / `NumberVec` / `NumberMap`: `2`, not
/// serde_json's `2.0`).
fn wire_wrapper(cx: &Ctx<'_>, holder: &TypeDef, f: &Field) -> Option<TokenStream> {
    let rt = &cx.runtime;
    match &f.ty {
        Ty::F64 => return Some(quote!(#rt::object::Number)),
        Ty::Vec(item) if **item == Ty::F64 => return Some(quote!(#rt::object::NumberVec)),
        Ty::Map(item) if **item == Ty::F64 => return Some(quote!(#rt::object::NumberMap)),
        _ => {}
    }
    if holder.resource.is_some() && f.wire == "items" {
        return None;
    }
    let is_kind = |ty: &Ty| match ty {
        Ty::Ref(id) => cx.api.types.get(id).is_some_and(|t| t.resource.is_some()),
        _ => false,
    };
    match &f.ty {
        Ty::Vec(item) if is_kind(item) => Some(quote!(#rt::embedded::EmbeddedVec)),
        ty if is_kind(ty) => Some(quote!(#rt::embedded::Embedded)),
        _ => None,
    }
}

fn field_type(cx: &Ctx<'_>, f: &Field) -> TokenStream {
    let mut t = ty_tokens(cx, &f.ty);
    if f.boxed {
        t = quote!(Box<#t>);
    }
    if is_option(cx, f) {
        t = quote!(Option<#t>);
    }
    t
}

pub(crate) fn type_tokens(cx: &Ctx<'_>, t: &TypeDef) -> Result<TokenStream, Error> {
    let name = format_ident!("{}", t.name);
    let doc = doc_attrs(&t.doc);
    let rt = &cx.runtime;
    Ok(match &t.kind {
        TypeKind::Alias(ty) => {
            let ty = ty_tokens(cx, ty);
            quote! { #doc pub type #name = #ty; }
        }
        TypeKind::External(path) => {
            let path: syn::Path = syn::parse_str(path)
                .map_err(|e| Error::Internal(format!("`{path}` is no Rust path: {e}")))?;
            quote! { pub use #path as #name; }
        }
        TypeKind::Enum { variants } => {
            let vs = variants.iter().map(|(wire, rust)| {
                let v = format_ident!("{}", rust);
                // The value is spec text: through `doc_attrs` like any other.
                let d = if wire.is_empty() {
                    doc_attrs(&["The empty string.".to_string()])
                } else {
                    doc_attrs(&[format!("`{wire}`")])
                };
                quote! { #d #v, }
            });
            let pairs = variants.iter().map(|(wire, rust)| {
                let v = format_ident!("{}", rust);
                quote! { #v(#wire) }
            });
            // The conversions and serde impls come from one runtime macro: serde's derive
            // would buffer every value to reach the `Other` fallback, and writing the impls
            // out here would repeat the same ~50 lines for every enum.
            quote! {
                #doc
                #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#vs)*
                    /// A value this version of the bindings does not know, kept as sent.
                    Other(String),
                }
                #rt::string_enum!(#name, #(#pairs),*);
            }
        }
        TypeKind::IntEnum { variants } => {
            let vs = variants.iter().map(|(value, rust)| {
                let v = format_ident!("{}", rust);
                let d = format!(" `{value}`");
                quote! { #[doc = #d] #v, }
            });
            let to = variants.iter().map(|(value, rust)| {
                let v = format_ident!("{}", rust);
                quote! { #name::#v => #value, }
            });
            let from = variants.iter().map(|(value, rust)| {
                let v = format_ident!("{}", rust);
                quote! { #value => #name::#v, }
            });
            quote! {
                #doc
                #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
                pub enum #name {
                    #(#vs)*
                    /// A value this version of the bindings does not know, kept as sent.
                    Other(i64),
                }
                impl #name {
                    /// The value as written on the wire.
                    pub fn value(&self) -> i64 {
                        match self {
                            #(#to)*
                            #name::Other(v) => *v,
                        }
                    }
                }
                impl From<i64> for #name {
                    fn from(v: i64) -> Self {
                        match v {
                            #(#from)*
                            other => #name::Other(other),
                        }
                    }
                }
                impl serde::Serialize for #name {
                    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                        serializer.serialize_i64(self.value())
                    }
                }
                impl<'de> serde::Deserialize<'de> for #name {
                    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                        <i64 as serde::Deserialize>::deserialize(deserializer).map(#name::from)
                    }
                }
            }
        }
        TypeKind::Union { variants } => {
            let vs = variants.iter().map(|(v, ty, boxed)| {
                let v = format_ident!("{}", v);
                let mut ty = ty_tokens(cx, ty);
                if *boxed {
                    ty = quote!(Box<#ty>);
                }
                quote! { #[allow(missing_docs)] #v(#ty), }
            });
            quote! {
                #doc
                #[doc = ""]
                #[doc = " One of several shapes (`oneOf`/`anyOf`); decoding tries each variant in order."]
                #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                pub enum #name {
                    #(#vs)*
                }
            }
        }
        TypeKind::Struct { fields } => {
            // (De)serialization is emitted, not derived (`object_impl`, `serialize_impl`): it
            // costs rustc a fraction of serde's derive.
            let defs = fields.iter().map(|f| {
                let fname = format_ident!("{}", f.rust);
                let ty = field_type(cx, f);
                let fdoc = doc_attrs(&f.doc);
                quote! { #fdoc pub #fname: #ty, }
            });
            // Literal defaults from the schema: `Default` starts from them, and so does
            // decoding (`runtime::object`; a draft applies them when it is finished), so absent
            // fields keep them.
            let defaulted: Vec<(&Field, TokenStream)> = fields
                .iter()
                .filter_map(|f| default_expr(cx, f).map(|e| (f, e)))
                .collect();
            let default_fns = defaulted.iter().map(|(f, e)| {
                let func = default_fn_name(t, f);
                let ty = ty_tokens(cx, &f.ty);
                quote! { fn #func() -> #ty { #e } }
            });
            let manual_default = t.default && !defaulted.is_empty();
            let default = if t.default && !manual_default {
                quote!(Default,)
            } else {
                quote!()
            };
            let default_impl = if manual_default {
                let inits = fields.iter().map(|f| {
                    let fname = format_ident!("{}", f.rust);
                    if defaulted.iter().any(|(d, _)| d.rust == f.rust) {
                        let func = default_fn_name(t, f);
                        quote!(#fname: #func(),)
                    } else {
                        quote!(#fname: std::default::Default::default(),)
                    }
                });
                quote! {
                    impl std::default::Default for #name {
                        fn default() -> Self {
                            #name { #(#inits)* }
                        }
                    }
                }
            } else {
                quote!()
            };
            // A kind writes apiVersion and kind too (`resource_impl`).
            let ser_impl = if t.resource.is_none() {
                serialize_impl(cx, t, fields)
            } else {
                quote!()
            };
            let de_impl = object_impl(cx, t, fields);
            // A credential is never printed (see `sensitive`): Debug by hand for those types.
            let redact = fields
                .iter()
                .any(|f| crate::sensitive::is_sensitive(&t.id, &f.wire));
            let (debug, debug_impl) = if redact {
                (quote!(), redacted_debug(cx, t, fields))
            } else {
                (quote!(Debug,), quote!())
            };
            let mut out = quote! {
                #doc
                #[derive(Clone, #debug #default PartialEq)]
                pub struct #name {
                    #(#defs)*
                }
            };
            out.extend(quote! { #debug_impl #default_impl #(#default_fns)* #ser_impl #de_impl });
            if let Some(r) = &t.resource {
                out.extend(resource_impl(cx, t, r, fields));
            }
            out.extend(list_impl(cx, t, fields));
            out
        }
    })
}

/// `Debug` as derived, except that each sensitive field shows only whether it is set.
fn redacted_debug(cx: &Ctx<'_>, t: &TypeDef, fields: &[Field]) -> TokenStream {
    let rt = &cx.runtime;
    let name = format_ident!("{}", t.name);
    let name_str = &t.name;
    let entries = fields.iter().map(|f| {
        let fname = format_ident!("{}", f.rust);
        let shown = f.rust.trim_start_matches("r#");
        if !crate::sensitive::is_sensitive(&t.id, &f.wire) {
            quote! { .field(#shown, &self.#fname) }
        } else if is_option(cx, f) {
            quote! { .field(#shown, &#rt::Redacted::option(&self.#fname)) }
        } else {
            quote! { .field(#shown, &#rt::Redacted::Set) }
        }
    });
    quote! {
        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(#name_str) #(#entries)* .finish()
            }
        }
    }
}

fn resource_impl(
    cx: &Ctx<'_>,
    t: &TypeDef,
    r: &crate::ir::ResourceInfo,
    fields: &[Field],
) -> TokenStream {
    let rt = &cx.runtime;
    let name = format_ident!("{}", t.name);
    let api_version = t.gv.api_version();
    let (group, version) = (&t.gv.group, &t.gv.version);
    let (kind, plural, namespaced) = (&r.kind, &r.plural, r.namespaced);
    let mut entries = serialize_entries(cx, t, fields);
    if entries.is_empty() {
        entries.push(quote!(let _ = map;));
    }
    let kube = if cx.kube_rs {
        kube_impls(&name, t, r, fields)
    } else {
        quote!()
    };
    quote! {
        impl #rt::Resource for #name {
            const API_VERSION: &'static str = #api_version;
            const GROUP: &'static str = #group;
            const VERSION: &'static str = #version;
            const KIND: &'static str = #kind;
            const PLURAL: &'static str = #plural;
            const NAMESPACED: bool = #namespaced;
        }
        #kube
        impl #rt::embedded::Fields for #name {
            fn serialize_fields<M: serde::ser::SerializeMap>(&self, map: &mut #rt::object::Entries<M>) {
                #(#entries)*
            }
        }
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = #rt::object::entries(serializer);
                map.entry("apiVersion", <Self as #rt::Resource>::API_VERSION);
                map.entry("kind", <Self as #rt::Resource>::KIND);
                #rt::embedded::Fields::serialize_fields(self, &mut map);
                map.end()
            }
        }
    }
}

/// kube-rs mode: k8s-openapi's `Resource`, and `Metadata` where `metadata` is ObjectMeta held
/// directly (see `interop`); kube implements its own `Resource` for such types.
fn kube_impls(
    name: &proc_macro2::Ident,
    t: &TypeDef,
    r: &crate::ir::ResourceInfo,
    fields: &[Field],
) -> TokenStream {
    let api_version = t.gv.api_version();
    let (group, version) = (&t.gv.group, &t.gv.version);
    let (kind, plural) = (&r.kind, &r.plural);
    let scope = if r.subresource {
        quote!(k8s_openapi::SubResourceScope)
    } else if r.namespaced {
        quote!(k8s_openapi::NamespaceResourceScope)
    } else {
        quote!(k8s_openapi::ClusterResourceScope)
    };
    let metadata = crate::interop::metadata_field(fields).map(|f| {
        let field = format_ident!("{}", f.rust);
        quote! {
            impl k8s_openapi::Metadata for #name {
                type Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
                fn metadata(&self) -> &Self::Ty {
                    &self.#field
                }
                fn metadata_mut(&mut self) -> &mut Self::Ty {
                    &mut self.#field
                }
            }
        }
    });
    quote! {
        impl k8s_openapi::Resource for #name {
            const API_VERSION: &'static str = #api_version;
            const GROUP: &'static str = #group;
            const KIND: &'static str = #kind;
            const VERSION: &'static str = #version;
            const URL_PATH_SEGMENT: &'static str = #plural;
            type Scope = #scope;
        }
        #metadata
    }
}

/// A list kind (`items` of a kind, `metadata` of ListMeta) implements `runtime::List`, so
/// `runtime::paginate` can follow its continue tokens.
fn list_impl(cx: &Ctx<'_>, t: &TypeDef, fields: &[Field]) -> TokenStream {
    let Some((items, meta)) = crate::ir::list_fields(fields) else {
        return quote!();
    };
    let Ty::Vec(item) = &items.ty else {
        return quote!();
    };
    let rt = &cx.runtime;
    let name = format_ident!("{}", t.name);
    let item = ty_tokens(cx, item);
    let (items, meta) = (
        format_ident!("{}", items.rust),
        format_ident!("{}", meta.rust),
    );
    let cfg = client_cfg(cx);
    quote! {
        #cfg
        impl #rt::List for #name {
            type Item = #item;
            fn into_parts(self) -> (Vec<#item>, Option<String>) {
                (self.#items, self.#meta.and_then(|m| m.continue_))
            }
            fn resource_version(&self) -> Option<&str> {
                self.#meta.as_ref().and_then(|m| m.resource_version.as_deref())
            }
        }
    }
}

/// `#[cfg(feature = "client")]` where the output crate has that feature.
pub(crate) fn client_cfg(cx: &Ctx<'_>) -> TokenStream {
    if cx.crate_features {
        quote!(#[cfg(feature = "client")])
    } else {
        quote!()
    }
}
