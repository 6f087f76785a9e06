//! Emission: IR → token streams (with `quote`) → `syn::File` → text (with `prettyplease`),
//! laid out as one module per group/version and one file per top-level type.

mod models;
mod operations;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::{Error, Location};
use crate::ir::{Api, GroupVersion, Operation, TypeDef, META_GROUP};
use crate::names::ident;
use crate::{FileSet, GroupSummary, Options, Output, Timings};

/// Module name of a group: dots and dashes become underscores; the legacy group is `core`.
pub(crate) fn group_module(group: &str) -> String {
    if group.is_empty() {
        "core".into()
    } else {
        ident(&group.replace(['.', '-'], "_"), true)
    }
}

pub(crate) fn version_module(version: &str) -> String {
    ident(version, true)
}

/// `authentication_k8s_io::v1`, for messages.
pub(crate) fn module_path(gv: &GroupVersion) -> String {
    format!(
        "{}::{}",
        group_module(&gv.group),
        version_module(&gv.version)
    )
}

/// Cargo feature of a group/version; `None` for meta, which is always compiled.
pub(crate) fn feature(gv: &GroupVersion) -> Option<String> {
    (gv.group != META_GROUP).then(|| {
        format!(
            "{}_{}",
            group_module(&gv.group),
            version_module(&gv.version)
        )
    })
}

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", …))]` for several; nothing for none.
pub(crate) fn features_cfg<S: AsRef<str>>(features: impl IntoIterator<Item = S>) -> TokenStream {
    let features: Vec<S> = features.into_iter().collect();
    let names = features.iter().map(AsRef::as_ref);
    match features.len() {
        0 => quote!(),
        1 => quote!(#[cfg(#(feature = #names)*)]),
        _ => quote!(#[cfg(any(#(feature = #names),*))]),
    }
}

pub(crate) struct Ctx<'a> {
    pub api: &'a Api,
    /// The output is the `generated` crate, with its Cargo features: `client`, and one per
    /// group/version. Emit `#[cfg(feature = …)]` on client-only items and on shared items only
    /// some groups use (fixture builds have no features).
    pub crate_features: bool,
    pub root: syn::Path,
    pub runtime: syn::Path,
    /// Module path segments (`authentication_k8s_io`, `v1`) of every group/version, converted
    /// once rather than at each reference.
    pub modules: &'a BTreeMap<GroupVersion, (String, String)>,
    /// The root type whose file is being built: types of that file are named bare, all others
    /// by their full path.
    pub file_root: Option<&'a str>,
}

fn parse_path(s: &str, what: &str) -> Result<syn::Path, Error> {
    syn::parse_str(s).map_err(|e| {
        Error::spec(
            "options",
            Location::File,
            format!("{what} `{s}` is not a Rust path: {e}"),
        )
    })
}

/// A file to produce. Building the tokens of types and operations and formatting them is
/// most of the run and each file is independent, so those run on every core (see `emit`).
pub(crate) enum Staged<'a> {
    /// Token text of a small file built on the main thread (`proc_macro2::TokenStream` cannot
    /// cross threads; its text can).
    Tokens {
        tokens: String,
        header: String,
        origin: String,
    },
    Text(String),
    /// One top-level type and its nested types.
    Types {
        members: Vec<&'a TypeDef>,
        header: String,
        origin: String,
    },
    /// The operations of one group/version.
    Api {
        gv: &'a GroupVersion,
        ops: Vec<&'a Operation>,
        header: String,
        origin: String,
    },
}

impl From<String> for Staged<'_> {
    fn from(text: String) -> Self {
        Staged::Text(text)
    }
}

fn stage_tokens<'a>(tokens: TokenStream, header: &str, origin: &str) -> Result<Staged<'a>, Error> {
    Ok(Staged::Tokens {
        tokens: tokens.to_string(),
        header: header.to_string(),
        origin: origin.to_string(),
    })
}

/// The header line, then the file as prettyplease prints it.
fn unparse(file: syn::Result<syn::File>, header: &str, origin: &str) -> Result<String, Error> {
    let file = file.map_err(|e| {
        Error::spec(
            origin,
            Location::File,
            format!("internal error: emitted code does not parse: {e}"),
        )
    })?;
    Ok(format!("{header}{}", prettyplease::unparse(&file)))
}

/// Builds (where needed) and formats one file: `quote` tokens → `syn::File` → text.
fn render(staged: Staged<'_>, cx: &Ctx<'_>) -> Result<String, Error> {
    match staged {
        Staged::Text(t) => Ok(t),
        Staged::Tokens {
            tokens,
            header,
            origin,
        } => unparse(syn::parse_str(&tokens), &header, &origin),
        Staged::Types {
            members,
            header,
            origin,
        } => {
            let cx = &Ctx {
                file_root: members.first().map(|t| t.root.as_str()),
                root: cx.root.clone(),
                runtime: cx.runtime.clone(),
                ..*cx
            };
            let items = members
                .iter()
                .map(|t| models::type_tokens(cx, t))
                .collect::<Result<Vec<_>, _>>()?;
            unparse(syn::parse2(quote! { #(#items)* }), &header, &origin)
        }
        Staged::Api {
            gv,
            ops,
            header,
            origin,
        } => unparse(
            syn::parse2(operations::api_tokens(cx, gv, &ops)),
            &header,
            &origin,
        ),
    }
}

fn header(options: &Options, origin: &str, comment: &str) -> String {
    format!(
        "{comment} {}{}` from {origin}. Do not edit: change the spec and run it again.\n",
        FileSet::MARKER,
        options.command
    )
}

/// Module path segments of every group/version that has types.
fn modules(api: &Api) -> BTreeMap<GroupVersion, (String, String)> {
    api.types
        .values()
        .map(|t| &t.gv)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|gv| {
            (
                gv.clone(),
                (group_module(&gv.group), version_module(&gv.version)),
            )
        })
        .collect()
}

fn context<'a>(
    api: &'a Api,
    options: &Options,
    modules: &'a BTreeMap<GroupVersion, (String, String)>,
) -> Result<Ctx<'a>, Error> {
    Ok(Ctx {
        api,
        modules,
        root: parse_path(&options.root, "root")?,
        runtime: parse_path(&options.runtime, "runtime")?,
        crate_features: options.crate_files,
        file_root: None,
    })
}

/// The features that compile each type file, by its root type: its own group/version's
/// feature, and the feature of every other group/version whose types or operations reach it
/// (apps/v1 names core/v1's PodTemplateSpec, and with it PodSpec, Container, …: those files
/// are compiled with `apps_v1` alone, the rest of core/v1 is not). meta/v1 has no feature of its
/// own: its files are gated by the groups using them, except those the runtime needs (Status,
/// which it decodes error bodies into), those nothing names, and whatever those reach, which
/// are always compiled (absent from the map).
fn file_gates(api: &Api) -> BTreeMap<&str, BTreeSet<String>> {
    // Only meta/v1 has no feature (see `feature`); compared directly, since building a
    // feature name for every type would be most of this function's work.
    let has_feature = |gv: &GroupVersion| gv.group != META_GROUP;
    // A file is compiled whole: reaching any of its types reaches all of them.
    let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in api.types.values() {
        files
            .entry(t.root.as_str())
            .or_default()
            .push(t.id.as_str());
    }
    // The files a walk from `stack` reaches.
    let reach = |mut stack: Vec<String>| {
        let mut out: BTreeSet<&str> = BTreeSet::new();
        while let Some(id) = stack.pop() {
            let Some(t) = api.types.get(&id) else {
                continue;
            };
            if !out.insert(t.root.as_str()) {
                continue;
            }
            for m in files.get(t.root.as_str()).into_iter().flatten() {
                api.types[*m].kind.each_ty(|ty| ty.refs(&mut stack));
            }
        }
        out
    };
    // What each group/version names; meta/v1's own operations (none today) count as always.
    let mut starts: BTreeMap<&GroupVersion, Vec<String>> = BTreeMap::new();
    let mut always = vec![crate::fixups::STATUS.to_string()];
    for t in api.types.values().filter(|t| has_feature(&t.gv)) {
        starts.entry(&t.gv).or_default().push(t.id.clone());
    }
    for op in &api.operations {
        let refs = match has_feature(&op.gv) {
            true => starts.entry(&op.gv).or_default(),
            false => &mut always,
        };
        op.each_ty(|ty| ty.refs(refs));
    }
    let mut gates: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (gv, stack) in starts {
        let Some(f) = feature(gv) else { continue };
        for root in reach(stack) {
            gates.entry(root).or_default().insert(f.clone());
        }
    }
    always.extend(
        files
            .keys()
            .filter(|root| !gates.contains_key(*root))
            .map(|root| root.to_string()),
    );
    for root in reach(always) {
        if !has_feature(&api.types[root].gv) {
            gates.remove(root);
        }
    }
    gates
}

pub(crate) fn emit(api: &Api, options: &Options) -> Result<Output, Error> {
    // Checked once here; every worker builds its own (syn paths are not Send).
    let module_names = modules(api);
    context(api, options, &module_names)?;
    let gates = if options.crate_files {
        file_gates(api)
    } else {
        BTreeMap::new()
    };
    let prefix = if options.crate_files { "src/" } else { "" };
    let started = std::time::Instant::now();
    let mut files: Vec<(String, Staged)> = Vec::new();
    fn put<'a>(
        files: &mut Vec<(String, Staged<'a>)>,
        path: String,
        staged: Staged<'a>,
    ) -> Result<(), Error> {
        files.push((path, staged));
        Ok(())
    }

    // Group types by module, and nested types by the root whose file holds them.
    let mut modules: BTreeMap<GroupVersion, Vec<&TypeDef>> = BTreeMap::new();
    let mut nested: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for t in api.types.values() {
        if t.root == t.id {
            modules.entry(t.gv.clone()).or_default().push(t);
        } else {
            nested.entry(t.root.as_str()).or_default().push(t);
        }
    }
    let mut op_modules: BTreeMap<GroupVersion, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        op_modules.entry(op.gv.clone()).or_default().push(op);
    }
    let gvs: BTreeSet<GroupVersion> = modules.keys().chain(op_modules.keys()).cloned().collect();
    let mut groups: BTreeMap<String, Vec<GroupVersion>> = BTreeMap::new();
    let mut summaries = Vec::new();
    // The features that compile each group/version module: its own, and those of every group
    // that reaches one of its files (see `file_gates`). meta/v1 is always compiled.
    let mut module_gates: BTreeMap<&GroupVersion, BTreeSet<String>> = BTreeMap::new();
    for gv in &gvs {
        if let Some(f) = feature(gv) {
            let gate = module_gates.entry(gv).or_default();
            gate.insert(f);
            for root in modules.get(gv).into_iter().flatten() {
                gate.extend(gates.get(root.id.as_str()).into_iter().flatten().cloned());
            }
        }
    }
    for gv in &gvs {
        let gm = group_module(&gv.group);
        let vm = version_module(&gv.version);
        groups.entry(gm.clone()).or_default().push(gv.clone());
        let mut mod_items = Vec::new();
        let mut origins = BTreeSet::new();
        let mut count = 0;
        for root in modules.get(gv).into_iter().flatten() {
            let members: Vec<&TypeDef> = std::iter::once(*root)
                .chain(nested.get(root.id.as_str()).into_iter().flatten().copied())
                .collect();
            let names = members.iter().map(|t| format_ident!("{}", t.name));
            count += members.len();
            let file_mod = format_ident!("{}", ident(&root.name, true));
            // A file needs a gate of its own where the module's is wider than its own.
            let cfg = gates
                .get(root.id.as_str())
                .filter(|g| module_gates.get(gv) != Some(*g))
                .map(features_cfg)
                .unwrap_or_default();
            mod_items
                .push(quote! { #cfg mod #file_mod; #cfg pub use self::#file_mod::{#(#names),*}; });
            let staged = Staged::Types {
                members: members.clone(),
                header: header(options, &root.origin, "//"),
                origin: root.origin.clone(),
            };
            put(
                &mut files,
                format!("{prefix}{gm}/{vm}/{file_mod}.rs"),
                staged,
            )?;
            origins.insert(root.origin.clone());
        }
        let ops = op_modules.get(gv).map(Vec::as_slice).unwrap_or_default();
        if !ops.is_empty() {
            let op_origins: BTreeSet<&str> = ops.iter().map(|o| o.origin.as_str()).collect();
            let origin = op_origins.into_iter().collect::<Vec<_>>().join(", ");
            let staged = Staged::Api {
                gv,
                ops: ops.to_vec(),
                header: header(options, &origin, "//"),
                origin: origin.clone(),
            };
            put(&mut files, format!("{prefix}{gm}/{vm}/api.rs"), staged)?;
            // Operations are compiled with their own group's feature only.
            let cfg = match (feature(gv), module_gates.get(gv)) {
                (Some(f), Some(g)) if g.len() > 1 => features_cfg([f]),
                _ => quote!(),
            };
            mod_items.push(quote! { #cfg mod api; #cfg pub use self::api::*; });
            origins.insert(origin);
        }
        let what = match (count, ops.len()) {
            (_, 0) => "Types",
            (0, _) => "Operations",
            _ => "Types and operations",
        };
        let doc = if gv.group == META_GROUP {
            " Types of meta/v1 (apimachinery).".to_string()
        } else {
            format!(" {what} of `{}`.", gv.api_version())
        };
        let origin = origins.into_iter().collect::<Vec<_>>().join(", ");
        let text = stage_tokens(
            quote! { #![doc = #doc] #(#mod_items)* },
            &header(options, &origin, "//"),
            &origin,
        )?;
        put(&mut files, format!("{prefix}{gm}/{vm}/mod.rs"), text)?;
        summaries.push(GroupSummary {
            module: module_path(gv),
            types: count,
            operations: ops.len(),
        });
    }
    let specs = "specs/";
    for (gm, gvs) in &groups {
        let items = gvs.iter().map(|gv| {
            let vm = format_ident!("{}", version_module(&gv.version));
            match module_gates.get(gv).filter(|_| options.crate_files) {
                Some(g) => {
                    let cfg = features_cfg(g);
                    quote! { #cfg pub mod #vm; }
                }
                None => quote! { pub mod #vm; },
            }
        });
        let doc = match gvs.first().map(|g| g.group.as_str()) {
            Some(META_GROUP) => {
                " Shared apimachinery types (meta/v1), used by every group.".to_string()
            }
            Some("") => " The legacy core API group.".to_string(),
            Some(g) => format!(" API group `{g}`."),
            None => String::new(),
        };
        let text = stage_tokens(
            quote! { #![doc = #doc] #(#items)* },
            &header(options, specs, "//"),
            specs,
        )?;
        put(&mut files, format!("{prefix}{gm}/mod.rs"), text)?;
    }
    let shared = operations::shared_params_tokens(
        &context(api, options, &module_names)?,
        &api.operations.iter().collect::<Vec<_>>(),
    );
    let has_params = shared.is_some();
    if let Some(tokens) = shared {
        put(
            &mut files,
            format!("{prefix}params.rs"),
            stage_tokens(tokens, &header(options, specs, "//"), specs)?,
        )?;
    }
    let params_item = if !has_params {
        quote!()
    } else if options.crate_files {
        quote! { #[rustfmt::skip] pub mod params; }
    } else {
        quote! { pub mod params; }
    };
    let group_items = groups.iter().map(|(gm, gvs)| {
        let m = format_ident!("{}", gm);
        let feats: BTreeSet<&String> = gvs
            .iter()
            .filter_map(|gv| module_gates.get(gv))
            .flatten()
            .collect();
        // rustfmt::skip: emitted files are formatted by prettyplease; `cargo fmt` must not
        // reformat them or the stale-output check would fail.
        if options.crate_files {
            let cfg = features_cfg(&feats);
            quote! { #cfg #[rustfmt::skip] pub mod #m; }
        } else {
            quote! { pub mod #m; }
        }
    });
    if options.crate_files {
        let doc = " Typed Kubernetes API bindings generated from the OpenAPI v3 documents and CustomResourceDefinitions in `specs/`.";
        let text = stage_tokens(
            quote! {
                #![doc = #doc]
                #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks)]
                // Docs are the specs' prose: Kubernetes continues list items on unindented lines.
                #![allow(clippy::doc_lazy_continuation)]
                pub mod runtime;
                #params_item
                #(#group_items)*
            },
            &header(options, specs, "//"),
            specs,
        )?;
        put(&mut files, "src/lib.rs".into(), text)?;
        put(
            &mut files,
            "Cargo.toml".into(),
            cargo_toml(options, &gvs).into(),
        )?;
    } else {
        let text = stage_tokens(
            quote! { #params_item #(#group_items)* },
            &header(options, specs, "//"),
            specs,
        )?;
        put(&mut files, "mod.rs".into(), text)?;
    }
    let emitted = std::time::Instant::now();
    // Building and formatting each file is independent: spread over every core. Every worker
    // builds its own context (syn paths are not Send).
    let rendered = crate::par::map(
        files,
        || context(api, options, &module_names),
        |cx, (path, staged)| {
            // Checked on this thread above; an error here would repeat that one.
            let cx = cx
                .as_ref()
                .map_err(|e| Error::spec("options", Location::File, e.to_string()))?;
            render(staged, cx).map(|text| (path, text))
        },
    )
    .map_err(|_| {
        Error::spec(
            "output",
            Location::File,
            "internal error: a formatting thread panicked",
        )
    })?;
    let mut out = FileSet::default();
    for r in rendered {
        let (path, text) = r?;
        out.insert(path, text)
            .map_err(|m| Error::spec("output", Location::File, m))?;
    }
    let timings = Timings {
        emit: emitted - started,
        format: emitted.elapsed(),
        ..Timings::default()
    };
    let types = api
        .types
        .values()
        .filter(|t| t.root == t.id)
        .map(|t| (t.id.clone(), format!("{}::{}", module_path(&t.gv), t.name)))
        .collect();
    Ok(Output {
        files: out,
        groups: summaries,
        types,
        timings,
    })
}

fn cargo_toml(options: &Options, modules: &BTreeSet<GroupVersion>) -> String {
    let features: Vec<String> = modules.iter().filter_map(feature).collect();
    let mut s = header(options, "specs/", "#");
    s.push_str(
        r#"[package]
name = "generated"
version = "0.1.0"
edition = "2021"
license = "Apache-2.0"
description = "Typed Kubernetes and OpenShift API bindings generated from specs/."
publish = false

[features]
"#,
    );
    let quoted: Vec<String> = std::iter::once("client".to_string())
        .chain(features.iter().cloned())
        .map(|f| format!("\"{f}\""))
        .collect();
    s.push_str(&format!("default = [{}]\n", quoted.join(", ")));
    s.push_str(
        r#"# The async HTTP client (reqwest + rustls). Without it, every operation still builds its
# http::Request and decodes responses (sans-io).
client = ["dep:reqwest", "dep:rustls", "dep:rustls-native-certs", "dep:futures-util", "dep:bytes"]
# Client::from_kubeconfig and Client::in_cluster, using kube's config loader.
kubeconfig = ["client", "dep:kube", "dep:k8s-openapi", "dep:secrecy"]
"#,
    );
    // A group/version that names another's types compiles just those types (the files are
    // gated by every feature reaching them), so no feature needs another.
    for f in &features {
        s.push_str(&format!("{f} = []\n"));
    }
    s.push_str(
        r#"
[dependencies]
base64 = "0.22"
form_urlencoded = "1"
http = "1"
# Timestamps only (meta/v1 Time and MicroTime): no time zone database, no serde impls of its
# own; perf-inline kept (without it, serializing a TokenReview takes 7% more instructions).
jiff = { version = "1", default-features = false, features = ["std", "perf-inline"] }
percent-encoding = "2"
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["raw_value"] }
thiserror = "2"
bytes = { version = "1", optional = true }
futures-util = { version = "0.3", default-features = false, features = ["std"], optional = true }
reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "stream", "http2"], optional = true }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }
rustls-native-certs = { version = "0.8", optional = true }
kube = { version = "5", default-features = false, features = ["config"], optional = true }
k8s-openapi = { version = "0.29", default-features = false, features = ["latest"], optional = true }
secrecy = { version = "0.10", optional = true }
"#,
    );
    s
}
