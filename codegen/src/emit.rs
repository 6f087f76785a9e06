//! Emission: IR → token streams (with `quote`) → `syn::File` → text (with `prettyplease`),
//! laid out as one module per group/version and one file per top-level type.

mod crates;
mod docs;
mod front_page;
mod handles;
mod models;
mod operations;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::error::Error;
use crate::ir::{Api, GroupVersion, Operation, TypeDef, META_GROUP};
use crate::layout::{Crate, Crates, Handle, Layout};
use crate::names::{feature, group_module, module_path, version_module};
use crate::{FileSet, GroupSummary, Options, Output, Timings};

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

/// `#[cfg(not(…))]` of `features_cfg`: compiled when none of `features` is on.
pub(crate) fn not_cfg<S: AsRef<str>>(features: impl IntoIterator<Item = S>) -> TokenStream {
    let features: Vec<S> = features.into_iter().collect();
    let names = features.iter().map(AsRef::as_ref);
    match features.len() {
        1 => quote!(#[cfg(not(#(feature = #names)*))]),
        _ => quote!(#[cfg(not(any(#(feature = #names),*)))]),
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
    /// kube-rs mode (`Options::kube_rs`): kinds implement k8s-openapi's traits.
    pub kube_rs: bool,
}

fn parse_path(s: &str, what: &str) -> Result<syn::Path, Error> {
    syn::parse_str(s).map_err(|e| Error::Options(format!("{what} `{s}` is not a Rust path: {e}")))
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
    /// The operations of one group/version, and its handles.
    Api {
        gv: &'a GroupVersion,
        ops: Vec<&'a Operation>,
        handles: &'a [Handle<'a>],
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
        Error::Internal(format!("the code emitted for {origin} does not parse: {e}"))
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
            handles,
            header,
            origin,
        } => unparse(
            syn::parse2(operations::api_tokens(cx, gv, &ops, handles)),
            &header,
            &origin,
        ),
    }
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
        kube_rs: options.kube_rs,
    })
}

/// The files to build, each with its path in the output and what it holds.
type Files<'a> = Vec<(String, Staged<'a>)>;

/// What every file of one run shares: the header's command, where a group/version's files go.
struct Paths<'o> {
    options: &'o Options,
    /// One crate per group/version (`Layout::crates`), or one module tree.
    split: bool,
}

/// The origin named in the header of a file built from the spec folder as a whole.
const SPECS: &str = "specs/";

impl Paths<'_> {
    /// Where the files of a crate go: its `src/`, or (`None`) the root of the module tree.
    fn src(krate: Option<&Crate>) -> String {
        match krate {
            Some(c) => format!("{}/src/", c.dir()),
            None => String::new(),
        }
    }

    /// The first line of a file: what wrote it, from which spec files.
    fn header(&self, origin: &str, comment: &str) -> String {
        format!(
            "{comment} {}{}` from {origin}. Do not edit: change the spec and run it again.\n",
            FileSet::MARKER,
            self.options.command
        )
    }

    /// A file built from the spec folder as a whole (module roots, crate files).
    fn whole(&self, tokens: TokenStream) -> Result<Staged<'static>, Error> {
        stage_tokens(tokens, &self.header(SPECS, "//"), SPECS)
    }

    /// A `Cargo.toml`, with the header as a TOML comment.
    fn toml(&self, text: String) -> Staged<'static> {
        (self.header(SPECS, "#") + &text).into()
    }
}

/// Builds every file `layout` plans. Decides nothing about what goes where.
pub(crate) fn emit(api: &Api, layout: &Layout<'_>, options: &Options) -> Result<Output, Error> {
    let module_names = &layout.module_names;
    // Checked once here; every worker builds its own (syn paths are not Send).
    let cx = context(api, options, module_names)?;
    let paths = Paths {
        options,
        split: layout.crates.is_some(),
    };
    let started = std::time::Instant::now();
    let mut files = Files::new();
    let mut summaries = Vec::new();
    for gv in &layout.gvs {
        summaries.push(group_version_files(gv, layout, &paths, &mut files)?);
    }
    let shared = operations::shared_params_tokens(&cx, &api.operations.iter().collect::<Vec<_>>());
    let has_params = shared.is_some();
    if let Some(tokens) = shared {
        let path = if paths.split {
            format!("{}/src/params.rs", Crate::Runtime.dir())
        } else {
            "params.rs".to_string()
        };
        files.push((path, paths.whole(tokens)?));
    }
    match &layout.crates {
        Some(crates) => crate_files(&cx, layout, crates, has_params, &paths, &mut files)?,
        None => module_tree_files(&layout.gvs, has_params, &paths, &mut files)?,
    }
    let emitted = std::time::Instant::now();
    let out = render_all(files, api, options, module_names)?;
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
        skipped: Vec::new(),
    })
}

/// One group/version's files: a file per top-level type, `api.rs` with its operations and
/// handles, and its `mod.rs`, each item gated as the layout says. meta/v1 is split between
/// apimachinery and the runtime (see `layout::crates`): a `mod.rs` in each, the runtime's
/// re-exporting apimachinery's.
fn group_version_files<'a>(
    gv: &'a GroupVersion,
    layout: &'a Layout<'a>,
    paths: &Paths<'_>,
    files: &mut Files<'a>,
) -> Result<GroupSummary, Error> {
    let (gm, vm) = (group_module(&gv.group), version_module(&gv.version));
    // What goes in each crate's module of `gv` (one crate, or none in a module tree).
    #[derive(Default)]
    struct Part {
        items: Vec<TokenStream>,
        origins: BTreeSet<String>,
    }
    let mut parts: BTreeMap<Option<Crate>, Part> = BTreeMap::new();
    if paths.split && gv.group == META_GROUP {
        // Empty when none of the features compiling apimachinery's meta/v1 files is on (or it
        // has none): not an unused import then.
        let glob = quote! { #[allow(unused_imports)] pub use generated_apimachinery::meta::v1::*; };
        parts.entry(Some(Crate::Apimachinery)).or_default();
        parts
            .entry(Some(Crate::Runtime))
            .or_default()
            .items
            .push(glob);
    }
    let mut count = 0;
    for file in layout.types.get(gv).into_iter().flatten() {
        let root = file.root();
        let names = file.members.iter().map(|t| format_ident!("{}", t.name));
        count += file.members.len();
        let file_mod = format_ident!("{}", file.module);
        // Every file carries its whole gate: a crate is compiled whenever a crate naming it
        // is, with none of its own features on.
        let cfg = file.gate.as_ref().map(features_cfg).unwrap_or_default();
        let staged = Staged::Types {
            members: file.members.clone(),
            header: paths.header(&root.origin, "//"),
            origin: root.origin.clone(),
        };
        let src = Paths::src(file.krate.as_ref());
        files.push((format!("{src}{gm}/{vm}/{file_mod}.rs"), staged));
        let part = parts.entry(file.krate.clone()).or_default();
        part.items
            .push(quote! { #cfg mod #file_mod; #cfg pub use self::#file_mod::{#(#names),*}; });
        part.origins.insert(root.origin.clone());
    }
    let ops = layout.ops.get(gv).map(Vec::as_slice).unwrap_or_default();
    if !ops.is_empty() {
        let op_origins: BTreeSet<&str> = ops.iter().map(|o| o.origin.as_str()).collect();
        let origin = op_origins.into_iter().collect::<Vec<_>>().join(", ");
        let staged = Staged::Api {
            gv,
            ops: ops.to_vec(),
            handles: layout
                .handles
                .get(gv)
                .map(Vec::as_slice)
                .unwrap_or_default(),
            header: paths.header(&origin, "//"),
            origin: origin.clone(),
        };
        let krate = paths.split.then(|| Crate::of_ops(gv));
        let src = Paths::src(krate.as_ref());
        files.push((format!("{src}{gm}/{vm}/api.rs"), staged));
        // Operations are compiled with their own group's feature only.
        let cfg = match feature(gv).filter(|_| paths.split) {
            Some(f) => features_cfg([f]),
            None => quote!(),
        };
        let part = parts.entry(krate).or_default();
        part.items
            .push(quote! { #cfg mod api; #cfg pub use self::api::*; });
        part.origins.insert(origin);
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
    for (krate, part) in parts {
        let items = &part.items;
        let origin = match part.origins.is_empty() {
            true => SPECS.to_string(),
            false => part.origins.into_iter().collect::<Vec<_>>().join(", "),
        };
        let text = stage_tokens(
            quote! { #![doc = #doc] #(#items)* },
            &paths.header(&origin, "//"),
            &origin,
        )?;
        let src = Paths::src(krate.as_ref());
        files.push((format!("{src}{gm}/{vm}/mod.rs"), text));
    }
    Ok(GroupSummary {
        module: module_path(gv),
        types: count,
        operations: ops.len(),
    })
}

/// The `generated` crate's own files: each group/version crate's `lib.rs`, `Cargo.toml` and
/// group module, and the facade's `lib.rs` (with the front page) and `Cargo.toml`.
fn crate_files(
    cx: &Ctx<'_>,
    layout: &Layout<'_>,
    crates: &Crates,
    has_params: bool,
    paths: &Paths<'_>,
    files: &mut Files<'_>,
) -> Result<(), Error> {
    // Each crate's `<group>/mod.rs`: its own version, and the same group's other versions
    // that it names.
    for (krate, gv) in &crates.gvs {
        let path = format!(
            "{}{}/mod.rs",
            Paths::src(Some(krate)),
            group_module(&gv.group)
        );
        files.push((path, paths.whole(crates.group_mod(krate))?));
    }
    for krate in crates.needs.keys() {
        let dir = krate.dir();
        let lib = crates.lib_rs(krate, has_params);
        files.push((format!("{dir}/src/lib.rs"), paths.whole(lib)?));
        files.push((
            format!("{dir}/Cargo.toml"),
            paths.toml(crates.cargo_toml(krate)),
        ));
    }
    let front = front_page::text(cx, &layout.handles, &layout.kinds);
    let lib = crates.facade_lib_rs(&layout.module_gates, has_params, &front);
    files.push(("src/lib.rs".into(), paths.whole(lib)?));
    files.push(("Cargo.toml".into(), paths.toml(crates.facade_cargo_toml())));
    Ok(())
}

/// A module tree without crates or features (fixture builds): `mod.rs` at the root naming
/// every group, and each group's `mod.rs` naming its versions.
fn module_tree_files(
    gvs: &BTreeSet<GroupVersion>,
    has_params: bool,
    paths: &Paths<'_>,
    files: &mut Files<'_>,
) -> Result<(), Error> {
    let mut groups: BTreeMap<String, Vec<&GroupVersion>> = BTreeMap::new();
    for gv in gvs {
        groups.entry(group_module(&gv.group)).or_default().push(gv);
    }
    for (gm, gvs) in &groups {
        let items = gvs.iter().map(|gv| {
            let vm = format_ident!("{}", version_module(&gv.version));
            quote! { pub mod #vm; }
        });
        let doc = crates::group_doc(&gvs[0].group);
        let text = paths.whole(quote! { #![doc = #doc] #(#items)* })?;
        files.push((format!("{gm}/mod.rs"), text));
    }
    let params_item = has_params.then(|| quote! { pub mod params; });
    let group_items = groups.keys().map(|gm| {
        let m = format_ident!("{}", gm);
        quote! { pub mod #m; }
    });
    files.push((
        "mod.rs".into(),
        paths.whole(quote! { #params_item #(#group_items)* })?,
    ));
    Ok(())
}

/// Builds and formats every file. Each is independent: spread over every core, each worker
/// with its own context (syn paths are not Send).
fn render_all(
    files: Files<'_>,
    api: &Api,
    options: &Options,
    module_names: &BTreeMap<GroupVersion, (String, String)>,
) -> Result<FileSet, Error> {
    let rendered = crate::par::map(
        files,
        || context(api, options, module_names),
        |cx, (path, staged)| {
            // Checked on the main thread before; an error here would repeat that one.
            let cx = cx
                .as_ref()
                .map_err(|e| Error::Internal(format!("a worker's context: {e}")))?;
            render(staged, cx).map(|text| (path, text))
        },
    )
    .map_err(|_| Error::Internal("a formatting thread panicked".into()))?;
    let mut out = FileSet::default();
    for r in rendered {
        let (path, text) = r?;
        out.insert(path, text).map_err(Error::Internal)?;
    }
    Ok(out)
}
