//! The client surface of one group/version: an `Api` handle with one async method per
//! operation, a `…Params` struct per operation (one `Option` per query parameter), and a
//! `requests` module that builds each `http::Request` and decodes each response without I/O.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::models::ty_tokens;
use super::Ctx;
use crate::ir::{Body, GroupVersion, Operation, Param, ParamSet, Returns, Ty};

fn param_ty(cx: &Ctx<'_>, p: &Param) -> TokenStream {
    if let Some(values) = p.values {
        let root = &cx.root;
        let name = format_ident!("{}", values.name);
        return quote!(#root::params::#name);
    }
    match p.ty {
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        _ => quote!(String),
    }
}

fn field(cx: &Ctx<'_>, p: &Param) -> TokenStream {
    let name = format_ident!("{}", p.rust);
    let ty = param_ty(cx, p);
    let mut lines = p.doc.clone();
    if !lines.is_empty() {
        lines.push(String::new());
    }
    lines.push(format!("Query parameter `{}`.", p.wire));
    let doc = doc_attrs(&lines);
    quote! { #doc pub #name: Option<#ty>, }
}

/// Shorter names kube's `ListParams` users know, as extra setters beside the full ones.
const SETTER_ALIASES: &[(&str, &str)] = &[("labelSelector", "labels"), ("fieldSelector", "fields")];

/// `impl Params { pub fn field(mut self, value) -> Self }` for every parameter, so a set is
/// built as `ListParams::default().labels("app=x").limit(50)`; strings and enums take
/// `impl Into<…>`.
fn setters(cx: &Ctx<'_>, ident: &proc_macro2::Ident, params: &[Param]) -> TokenStream {
    let taken: BTreeSet<&str> = params.iter().map(|p| p.rust.as_str()).collect();
    let fns = params.iter().flat_map(|p| {
        let field = format_ident!("{}", p.rust);
        let ty = param_ty(cx, p);
        let (arg, value) = match (p.values, &p.ty) {
            (Some(_), _) | (None, Ty::String) => (quote!(impl Into<#ty>), quote!(value.into())),
            _ => (quote!(#ty), quote!(value)),
        };
        let alias = SETTER_ALIASES
            .iter()
            .find(|(wire, alias)| *wire == p.wire && !taken.contains(alias))
            .map(|(_, alias)| *alias);
        std::iter::once((p.rust.clone(), p.wire.clone(), false))
            .chain(alias.map(|a| (a.to_string(), p.wire.clone(), true)))
            .map(move |(name, wire, is_alias)| {
                let name = format_ident!("{}", name);
                let doc = if is_alias {
                    format!(" Sets `{wire}` (same as [`Self::{field}`]).")
                } else {
                    format!(" Sets `{wire}`.")
                };
                quote! {
                    #[doc = #doc]
                    #[must_use]
                    pub fn #name(mut self, value: #arg) -> Self {
                        self.#field = Some(#value);
                        self
                    }
                }
            })
            .collect::<Vec<_>>()
    });
    if params.is_empty() {
        return quote!();
    }
    quote! { impl #ident { #(#fns)* } }
}

/// The body argument of an operation's methods: `patch: &Patch`, `body: &T` or, when the
/// body is optional, `body: Option<&T>`.
pub(crate) fn body_param(
    cx: &Ctx<'_>,
    op: &Operation,
) -> Option<(proc_macro2::Ident, TokenStream)> {
    let rt = &cx.runtime;
    Some(match op.body.as_ref()? {
        Body::Patch => (format_ident!("patch"), quote!(&#rt::Patch)),
        Body::Json { ty, required } => {
            let t = ty_tokens(cx, ty);
            let ty = if *required {
                quote!(&#t)
            } else {
                quote!(Option<&#t>)
            };
            (format_ident!("body"), ty)
        }
    })
}

pub(crate) fn returns(cx: &Ctx<'_>, op: &Operation) -> TokenStream {
    match &op.returns {
        Returns::Json(ty) | Returns::Watch(ty) => ty_tokens(cx, ty),
        Returns::StatusOr(ty) => {
            let rt = &cx.runtime;
            let ty = ty_tokens(cx, ty);
            quote!(#rt::DeleteResponse<#ty>)
        }
        Returns::ListOrStatus(ty) => {
            let rt = &cx.runtime;
            let ty = ty_tokens(cx, ty);
            quote!(#rt::DeleteCollectionResponse<#ty>)
        }
        Returns::Text => quote!(String),
        Returns::Connect => quote!(Vec<u8>),
        Returns::Nothing => quote!(serde_json::Value),
    }
}

pub(crate) fn api_tokens(
    cx: &Ctx<'_>,
    gv: &GroupVersion,
    ops: &[&Operation],
    handles: &[crate::layout::Handle<'_>],
) -> TokenStream {
    let handles = super::handles::tokens(cx, gv, handles);
    let rt = &cx.runtime;
    let client_cfg = super::models::client_cfg(cx);
    let mut params_structs = Vec::new();
    let mut request_fns = Vec::new();
    let mut methods = Vec::new();
    for op in ops {
        let name = format_ident!("{}", op.name);
        let params_name = format_ident!("{}", crate::names::params_type(op));
        let pdoc = format!(
            " Query parameters of [`Api::{}`] (`{} {}`).",
            op.name, op.method, op.path
        );
        params_structs.push(match &op.shared_params {
            Some(shared) => {
                let root = &cx.root;
                let shared = format_ident!("{}", shared.name());
                quote! {
                    #[doc = #pdoc]
                    pub type #params_name = #root::params::#shared;
                }
            }
            None => {
                let fields = op.query.iter().map(|p| field(cx, p));
                let setters = setters(cx, &params_name, &op.query);
                quote! {
                    #[doc = #pdoc]
                    #[derive(Clone, Debug, Default, PartialEq)]
                    pub struct #params_name { #(#fields)* }
                    #setters
                }
            }
        });

        // Arguments: path parameters, then the body, then the query parameters.
        let mut args = Vec::new();
        let mut call = Vec::new();
        for p in &op.path_params {
            let a = format_ident!("{}", p.rust);
            args.push(quote!(#a: &str));
            call.push(quote!(#a));
        }
        if let Some((a, t)) = body_param(cx, op) {
            args.push(quote!(#a: #t));
            call.push(quote!(#a));
        }
        // Encoded here, its error returned by the runtime's build.
        let body_expr = match &op.body {
            None => quote!(Ok(None)),
            Some(Body::Patch) => quote!(#rt::request::patch_body(patch)),
            Some(Body::Json { required: true, .. }) => quote!(#rt::request::json_body(body)),
            Some(Body::Json {
                required: false, ..
            }) => quote!(#rt::request::json_body_opt(body)),
        };
        args.push(quote!(params: &#params_name));
        call.push(quote!(params));
        let fixed = op
            .fixed_query
            .iter()
            .map(|(k, v)| quote!(query.push(#k, #v);));
        // A shared parameter set appends itself (one copy of that code per crate).
        let shared = op.shared_params.is_some() && !op.query.is_empty();
        let pushes = if shared {
            quote!(#rt::request::QueryParams::append_to(params, &mut query);)
        } else {
            push_each(&op.query, &quote!(params))
        };
        // The template as the document writes it, filled in by the runtime: the values in the
        // order the template names them (arguments are `name` first). Literal segments were
        // checked in lowering.
        let template = op.path.as_str();
        let values = op
            .path
            .params()
            .filter_map(|w| op.path_params.iter().find(|p| p.wire == w))
            .map(|p| format_ident!("{}", p.rust));
        let path = quote!(#template, &[#(#values),*]);
        let method = op.method.as_str();
        let rdoc = format!(
            " Builds the request of [`Api::{}`](super::Api::{}): `{} {}`.",
            op.name, op.name, op.method, op.path
        );
        let query_mut = if op.query.is_empty() && op.fixed_query.is_empty() {
            quote!()
        } else {
            quote!(mut)
        };
        let unused = if op.query.is_empty() {
            quote!(let _ = params;)
        } else {
            quote!()
        };
        // The common case (a CRD operation: its query is one shared set) is one runtime call.
        let build = if shared && op.fixed_query.is_empty() {
            quote! {
                #rt::request::build_with(#method, #path, params, #body_expr)
            }
        } else {
            quote! {
                #unused
                let #query_mut query = #rt::request::Query::new();
                #(#fixed)*
                #pushes
                #rt::request::build_query(#method, #path, query, #body_expr)
            }
        };
        // Text and connect responses are not JSON: accept what the server sends.
        let build = if matches!(op.returns, Returns::Text | Returns::Connect) {
            quote!(#rt::request::accept_any({ #build }))
        } else {
            build
        };
        let deprecated = op
            .deprecated
            .as_ref()
            .map(|note| quote!(#[deprecated(note = #note)]));
        request_fns.push(quote! {
            #[doc = #rdoc]
            #deprecated
            #[inline]
            pub fn #name(#(#args),*) -> #rt::Result<#rt::HttpRequest> {
                #build
            }
        });
        let ret = returns(cx, op);
        let statuses = op
            .statuses
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        if !matches!(op.returns, Returns::Watch(_)) {
            let parse = format_ident!("parse_{}", op.name);
            let pd = format!(" Decodes the response of [`Api::{}`](super::Api::{}): the body for a success status ({statuses}), an error otherwise.", op.name, op.name);
            let decode = match op.returns {
                Returns::Text => quote!(decode_text),
                Returns::Connect => quote!(decode_bytes),
                _ => quote!(decode),
            };
            request_fns.push(quote! {
                #[doc = #pd]
                #[inline]
                pub fn #parse(status: #rt::http::StatusCode, body: &[u8]) -> #rt::Result<#ret> {
                    #rt::request::#decode(status, body)
                }
            });
        }
        let mut doc = op.doc.clone();
        if !doc.is_empty() {
            doc.push(String::new());
        }
        doc.push(format!("`{} {}`", op.method, op.path));
        if let Some(note) = &op.deprecated {
            doc.push(String::new());
            doc.push(format!("Deprecated: {note}."));
        }
        if matches!(op.returns, Returns::Connect) {
            doc.push(String::new());
            doc.push("A connect operation: the request is sent as plain HTTP and the body returned as the server answers it. exec, attach and portforward need a streaming protocol (WebSocket or SPDY), which this client does not speak yet: the server refuses them without one. proxy works as plain HTTP.".to_string());
        }
        let mdoc = doc_attrs(&doc);
        // The method calls its own deprecated request function; the caller gets the warning.
        let allow = deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
        let send = match &op.returns {
            Returns::Text => quote!(send_text),
            Returns::Connect => quote!(send_bytes),
            _ => quote!(send),
        };
        methods.push(match &op.returns {
            Returns::Watch(_) => quote! {
                #mdoc
                #deprecated
                #allow
                #[inline]
                pub async fn #name(&self, #(#args),*) -> #rt::Result<#rt::WatchStream<#ret>> {
                    self.client.watch(requests::#name(#(#call),*)?).await
                }
            },
            _ => quote! {
                #mdoc
                #deprecated
                #allow
                #[inline]
                pub async fn #name(&self, #(#args),*) -> #rt::Result<#ret> {
                    self.client.#send(requests::#name(#(#call),*)?).await
                }
            },
        });
    }
    let api_doc = if gv.group == crate::ir::META_GROUP {
        // Lowering puts here what is served outside any group/version.
        " The operations the API server serves outside any group/version (group discovery, \
         `GET /apis/<group>/`), one async method each."
            .to_string()
    } else {
        format!(
            " The operations of `{}`, one async method each.",
            gv.api_version()
        )
    };
    quote! {
        #[doc = #api_doc]
        #client_cfg
        #[derive(Clone, Debug)]
        pub struct Api {
            client: #rt::Client,
        }
        #client_cfg
        impl Api {
            /// A handle that sends every request through `client`.
            pub fn new(client: #rt::Client) -> Self {
                Api { client }
            }
            /// The client requests go through.
            pub fn client(&self) -> &#rt::Client {
                &self.client
            }
            #(#methods)*
        }
        #(#params_structs)*
        /// Sans-io: every operation's `http::Request` (path and query only; the client adds
        /// scheme, host and credentials) and its response decoder.
        pub mod requests {
            #[allow(unused_imports)]
            use super::*;
            #(#request_fns)*
        }
        #handles
    }
}

/// The standard parameter sets CRD operations share, one struct each, in `params.rs`.
/// `query.push_opt("wire", <owner>.field.as_ref());` for each parameter, in the API's order.
fn push_each(params: &[Param], owner: &TokenStream) -> TokenStream {
    params
        .iter()
        .map(|p| {
            let f = format_ident!("{}", p.rust);
            let w = &p.wire;
            quote!(query.push_opt(#w, #owner.#f.as_ref());)
        })
        .collect()
}

pub(crate) fn shared_params_tokens(cx: &Ctx<'_>, ops: &[&Operation]) -> Option<TokenStream> {
    // Each set, with an operation that has it and the groups that use it.
    let mut sets: BTreeMap<ParamSet, (&Operation, BTreeSet<&GroupVersion>)> = BTreeMap::new();
    for op in ops {
        if let Some(s) = op.shared_params {
            let (_, gvs) = sets.entry(s).or_insert((op, BTreeSet::new()));
            gvs.insert(&op.gv);
        }
    }
    // The enums of the parameters whose values the server fixes, used by any operation.
    let mut fixed: BTreeMap<&str, &crate::query_values::QueryValues> = BTreeMap::new();
    for p in ops.iter().flat_map(|op| &op.query) {
        if let Some(v) = p.values {
            fixed.insert(v.name, v);
        }
    }
    if sets.is_empty() && fixed.is_empty() {
        return None;
    }
    let rt = &cx.runtime;
    let enums = fixed.values().map(|v| {
        let name = format_ident!("{}", v.name);
        let vs = v.values.iter().map(|(wire, what)| {
            let ident = format_ident!("{}", wire);
            let d = format!(" `{wire}`: {what}");
            quote! { #[doc = #d] #ident, }
        });
        let pairs = v.values.iter().map(|(wire, _)| {
            let ident = format_ident!("{}", wire);
            quote!(#ident(#wire))
        });
        let doc = format!(" {}", v.doc);
        let source = format!(" Values from {}.", v.source);
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #source]
            #[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub enum #name {
                #(#vs)*
                /// A value this version of the bindings does not know, sent as it is.
                Other(String),
            }
            #rt::string_enum!(#name, #(#pairs),*);
        }
    });
    let structs = sets.iter().map(|(set, (op, gvs))| {
        let name = set.name();
        let ident = format_ident!("{}", name);
        // A build with none of the groups that use a set does not compile it.
        let cfg = if cx.crate_features {
            let features: BTreeSet<String> = gvs.iter().filter_map(|gv| crate::names::feature(gv)).collect();
            super::features_cfg(features)
        } else {
            quote!()
        };
        let fields = op.query.iter().map(|p| field(cx, p));
        let pushes = push_each(&op.query, &quote!(self));
        let setters = setters(cx, &ident, &op.query);
        let doc = format!(" The standard query parameters of a `{}` request, one `Option` each: every custom resource's operation of this verb takes them, and so does every built-in one whose document lists some of them (the API server parses them all).", name.trim_end_matches("Params"));
        quote! {
            #[doc = #doc]
            #cfg
            #[derive(Clone, Debug, Default, PartialEq)]
            pub struct #ident { #(#fields)* }
            #cfg
            #setters
            #cfg
            impl #rt::request::QueryParams for #ident {
                #[inline]
                fn append_to(&self, query: &mut #rt::request::Query) {
                    #pushes
                }
            }
        }
    });
    Some(quote! {
        #![doc = " Query parameter sets shared by operations (each `…Params` of such an operation is an alias of one), and the enums of the parameters whose values the API server fixes."]
        #(#enums)*
        #(#structs)*
    })
}
