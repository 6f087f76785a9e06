//! One handle per resource, scoped the way the resource is, with methods named by verb
//! (client-go's `CoreV1().Pods(ns).Get(…)`, kube's `Api::<Pod>::namespaced(client, ns).get(…)`):
//! `PodApi::namespaced(&client, "ns").get("web", &GetParams::default())`. Each method calls
//! the group's `Api` method of its operation, which calls the sans-io request function: the
//! handles are a view of the operations, never a second implementation of them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::models::ty_tokens;
use super::Ctx;
use crate::ir::{GroupVersion, Operation, Returns, Ty};
use crate::layout::{Handle, Method};

/// `object.<metadata>.<member>.as_deref()`, through the `Option` when the field is one.
fn meta_member(field: &str, required: bool, member: &str) -> TokenStream {
    let (field, member) = (format_ident!("{}", field), format_ident!("{}", member));
    if required {
        quote!(object.#field.#member.as_deref())
    } else {
        quote!(object.#field.as_ref().and_then(|m| m.#member.as_deref()))
    }
}

/// The handle types and their methods.
pub(crate) fn tokens(cx: &Ctx<'_>, gv: &GroupVersion, handles: &[Handle<'_>]) -> TokenStream {
    let rt = &cx.runtime;
    let cfg = super::models::client_cfg(cx);
    let items = handles.iter().map(|h| {
        let name = format_ident!("{}", h.name);
        let methods = h.methods.iter().map(|m| method(cx, m, h.namespaced));
        if !h.namespaced {
            let doc = format!(
                " The `{}` (`{}`, cluster-scoped): one method per operation, named by verb.",
                h.plural,
                gv.api_version()
            );
            let watched = watched_impl(cx, &name, &h.methods);
            return quote! {
                #watched
                #[doc = #doc]
                #cfg
                #[derive(Clone, Debug)]
                pub struct #name { api: Api }
                #cfg
                impl #name {
                    /// A handle that sends its requests through `client`.
                    pub fn new(client: &#rt::Client) -> Self {
                        #name { api: Api::new(client.clone()) }
                    }
                    /// The client requests go through.
                    pub fn client(&self) -> &#rt::Client {
                        self.api.client()
                    }
                    #(#methods)*
                }
            };
        }
        let doc = format!(
            " The `{}` of one namespace (`{}`): one method per operation, named by verb.",
            h.plural,
            gv.api_version()
        );
        // The all-namespaces form exists where the API lists across namespaces.
        let (all_ctor, all_type) = if h.all_namespaces.is_empty() {
            (quote!(), quote!())
        } else {
            let all = format_ident!("{}", h.all_namespaces_name());
            let all_doc = format!(" The `{}` of every namespace at once.", h.plural);
            let all_methods = h.all_namespaces.iter().map(|m| method(cx, m, false));
            let watched = watched_impl(cx, &all, &h.all_namespaces);
            (
                quote! {
                    /// A handle on every namespace at once (list and watch).
                    pub fn all_namespaces(client: &#rt::Client) -> #all {
                        #all { api: Api::new(client.clone()) }
                    }
                },
                quote! {
                    #watched
                    #[doc = #all_doc]
                    #cfg
                    #[derive(Clone, Debug)]
                    pub struct #all { api: Api }
                    #cfg
                    impl #all { #(#all_methods)* }
                },
            )
        };
        let watched = watched_impl(cx, &name, &h.methods);
        quote! {
            #watched
            #[doc = #doc]
            #cfg
            #[derive(Clone, Debug)]
            pub struct #name { api: Api, namespace: String }
            #cfg
            impl #name {
                /// A handle on the objects of `namespace`.
                pub fn namespaced(client: &#rt::Client, namespace: impl Into<String>) -> Self {
                    #name { api: Api::new(client.clone()), namespace: namespace.into() }
                }
                /// A handle on the objects of the client's default namespace (a kubeconfig
                /// context's `namespace`, or `default`).
                pub fn default_namespaced(client: &#rt::Client) -> Self {
                    Self::namespaced(client, client.default_namespace())
                }
                #all_ctor
                /// The namespace this handle works in.
                pub fn namespace(&self) -> &str {
                    &self.namespace
                }
                /// The client requests go through.
                pub fn client(&self) -> &#rt::Client {
                    self.api.client()
                }
                #(#methods)*
            }
            #all_type
        }
    });
    quote! { #(#items)* }
}

/// `runtime::watcher::Watched` for a handle with `list` and `watch` whose list answers a list
/// kind, whose watch carries objects with meta/v1 ObjectMeta, and whose parameters are the
/// ones a watcher sets (every Kubernetes list and watch has them): nothing otherwise.
fn watched_impl(cx: &Ctx<'_>, handle: &syn::Ident, methods: &[Method<'_>]) -> TokenStream {
    let op = |verb: &str| methods.iter().find(|m| m.name == verb).map(|m| m.op);
    let (Some(list), Some(watch)) = (op("list"), op("watch")) else {
        return quote!();
    };
    let (Returns::Json(Ty::Ref(list_id)), Returns::Watch(object)) = (&list.returns, &watch.returns)
    else {
        return quote!();
    };
    if !cx
        .api
        .types
        .get(list_id)
        .is_some_and(crate::ir::TypeDef::is_list_kind)
    {
        return quote!();
    }
    let Some((meta_field, meta_required)) = crate::layout::object_meta(cx.api, object) else {
        return quote!();
    };
    // The parameter of `op` on the wire `wire`, when it has the type the watcher gives it.
    let param = |op: &Operation, wire: &str, ty: Ty| {
        op.query
            .iter()
            .find(|p| p.wire == wire && (p.ty == ty || (p.values.is_some() && ty == Ty::String)))
            .map(|p| format_ident!("{}", p.rust))
    };
    let fields_of = |op: &Operation, wanted: &[(&str, Ty, TokenStream)]| {
        wanted
            .iter()
            .map(|(wire, ty, value)| {
                let field = param(op, wire, ty.clone())?;
                Some(quote!(#field: #value))
            })
            .collect::<Option<Vec<_>>>()
    };
    let Some(list_fields) = fields_of(
        list,
        &[
            ("labelSelector", Ty::String, quote!(q.label_selector)),
            ("fieldSelector", Ty::String, quote!(q.field_selector)),
            ("limit", Ty::I64, quote!(q.limit)),
            ("continue", Ty::String, quote!(q.continue_token)),
        ],
    ) else {
        return quote!();
    };
    let Some(watch_fields) = fields_of(
        watch,
        &[
            ("labelSelector", Ty::String, quote!(q.label_selector)),
            ("fieldSelector", Ty::String, quote!(q.field_selector)),
            ("resourceVersion", Ty::String, quote!(q.resource_version)),
            ("timeoutSeconds", Ty::I64, quote!(q.timeout_seconds)),
            ("allowWatchBookmarks", Ty::Bool, quote!(Some(true))),
        ],
    ) else {
        return quote!();
    };
    let streaming = fields_of(
        watch,
        &[
            ("sendInitialEvents", Ty::Bool, quote!(Some(true))),
            (
                "resourceVersionMatch",
                Ty::String,
                quote!(Some("NotOlderThan".into())),
            ),
        ],
    );
    let supports = streaming.is_some();
    let streaming = streaming.unwrap_or_default();
    let rt = &cx.runtime;
    let list_params = format_ident!("{}", crate::names::params_type(list));
    let watch_params = format_ident!("{}", crate::names::params_type(watch));
    let object = ty_tokens(cx, object);
    let rv = meta_member(&meta_field, meta_required, "resource_version");
    let cfg = super::models::client_cfg(cx);
    quote! {
        #cfg
        impl #rt::watcher::Watched for #handle {
            type Object = #object;
            fn list_page(&self, q: #rt::watcher::ListQuery) -> #rt::watcher::BoxFuture<'_, #rt::Result<#rt::watcher::Page<#object>>> {
                Box::pin(async move {
                    let params = #list_params { #(#list_fields,)* ..Default::default() };
                    let list = self.list(&params).await?;
                    let resource_version = #rt::List::resource_version(&list).map(str::to_owned);
                    let (items, continue_token) = #rt::List::into_parts(list);
                    Ok(#rt::watcher::Page { items, resource_version, continue_token })
                })
            }
            fn watch_from(&self, q: #rt::watcher::WatchQuery) -> #rt::watcher::BoxFuture<'_, #rt::Result<#rt::WatchStream<#object>>> {
                Box::pin(async move {
                    let mut params = #watch_params { #(#watch_fields,)* ..Default::default() };
                    if q.send_initial_events {
                        params = #watch_params { #(#streaming,)* ..params };
                    }
                    self.watch(&params).await
                })
            }
            fn supports_streaming_list(&self) -> bool {
                #supports
            }
            fn resource_version(object: &#object) -> Option<&str> {
                #rv
            }
        }
    }
}

/// One handle method: the group `Api`'s method of the operation, the namespace filled in.
fn method(cx: &Ctx<'_>, m: &Method<'_>, namespaced: bool) -> TokenStream {
    let rt = &cx.runtime;
    let op = m.op;
    let name = format_ident!("{}", m.name);
    let target = format_ident!("{}", op.name);
    // Path parameters are arguments, but the handle's namespace, and for apply the name (read
    // off the object).
    let path_args = |name_from_object: bool| {
        let mut args = Vec::new();
        let mut call = Vec::new();
        for p in &op.path_params {
            let a = format_ident!("{}", p.rust);
            if namespaced && p.wire == "namespace" {
                call.push(quote!(&self.namespace));
            } else if name_from_object && p.wire == "name" {
                call.push(quote!(name));
            } else {
                args.push(quote!(#a: &str));
                call.push(quote!(#a));
            }
        }
        (args, call)
    };
    let (mut args, mut call) = path_args(false);
    if let Some((a, t)) = super::operations::body_param(cx, op) {
        args.push(quote!(#a: #t));
        call.push(quote!(#a));
    }
    let params = format_ident!("{}", crate::names::params_type(op));
    args.push(quote!(params: &#params));
    call.push(quote!(params));
    let ret = super::operations::returns(cx, op);
    let ret = match op.returns {
        Returns::Watch(_) => quote!(#rt::WatchStream<#ret>),
        _ => ret,
    };
    let fixed: Vec<String> = op
        .fixed_query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let query = if fixed.is_empty() {
        String::new()
    } else {
        format!("?{}", fixed.join("&"))
    };
    let doc = format!(
        " `{} {}{query}`: see [`Api::{}`].",
        op.method, op.path, op.name
    );
    let apply = m.apply.as_ref().and_then(|apply| {
        let meta_name = meta_member(&apply.meta_field, apply.meta_required, "name");
        let apply = format_ident!("{}", apply.name);
        let Returns::Json(ty) = &op.returns else {
            return None;
        };
        let object = ty_tokens(cx, ty);
        let (args, call) = path_args(true);
        let doc = format!(
            " Server-side apply (`application/apply-patch+yaml`) of `object`, named by its `metadata.name`, as `field_manager`: `{} {}`. `params.force` takes over fields other managers own.",
            op.method, op.path
        );
        Some(quote! {
            #[doc = #doc]
            pub async fn #apply(&self, #(#args,)* object: &#object, field_manager: &str, params: &#params) -> #rt::Result<#ret> {
                let name = #meta_name.ok_or_else(|| #rt::Error::Request("the object to apply has no metadata.name".into()))?;
                let patch = #rt::Patch::apply(object)?;
                let mut params = params.clone();
                params.field_manager = Some(field_manager.to_owned());
                self.api.#target(#(#call,)* &patch, &params).await
            }
        })
    });
    let allow = op.deprecated.as_ref().map(|_| quote!(#[allow(deprecated)]));
    quote! {
        #[doc = #doc]
        #allow
        #[inline]
        pub async fn #name(&self, #(#args),*) -> #rt::Result<#ret> {
            self.api.#target(#(#call),*).await
        }
        #apply
    }
}
