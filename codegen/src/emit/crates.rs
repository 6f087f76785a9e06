//! The shape of the `generated` output: one crate per group/version behind one facade.
//!
//! rustc's time and memory grow faster than the size of a crate, and Cargo builds crates in
//! parallel: a folder of 300 real CRDs as one crate passed 15 GB of memory in `cargo check`,
//! split by group/version each piece is small. So the output is
//! - `crates/runtime` (`generated-runtime`): the hand-written runtime, meta/v1 and the shared
//!   query parameter sets, which every other crate names;
//! - `crates/<group>-<version>` (`generated-core-v1`, …): the types and operations of one
//!   group/version;
//! - the `generated` facade that users depend on: its features pick the crates, its modules
//!   re-export them at the paths one crate would have (`generated::core::v1::Pod`).
//!
//! Each crate's root re-exports the modules of the crates it names at those same paths, so
//! emitted code names every type `crate::<group>::<version>::<Type>` wherever it lands, and a
//! type file is the same text in one crate or many.
//!
//! Features keep today's meaning: a type file is compiled when any feature reaching it is on
//! (see `file_gates`). Each crate declares the features its files are gated by, and passes each
//! on to the crates it names that declare it too, so a crate compiled for `apps_v1` compiles,
//! in core/v1, exactly the files apps/v1 reaches.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{feature, group_module, version_module};
use crate::error::{Error, Location};
use crate::ir::{Api, GroupVersion, META_GROUP};

/// One crate of the output.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Crate {
    /// `generated-runtime`: runtime, meta/v1, shared parameter sets.
    Runtime,
    /// One group/version, by its feature name (`core_v1`).
    Group(String),
}

impl Crate {
    pub(crate) fn of(gv: &GroupVersion) -> Crate {
        match feature(gv) {
            Some(f) => Crate::Group(f),
            None => Crate::Runtime,
        }
    }

    /// The crate's folder name in `crates/`. Feature names are ASCII letters, digits and `_`
    /// (see `names::ident`), so the folder and package names hold nothing else either.
    fn folder(&self) -> String {
        match self {
            Crate::Runtime => "runtime".into(),
            Crate::Group(f) => f.replace('_', "-"),
        }
    }

    /// The crate's folder below the output root.
    pub(crate) fn dir(&self) -> String {
        format!("crates/{}", self.folder())
    }

    fn package(&self) -> String {
        format!("generated-{}", self.folder())
    }

    fn lib(&self) -> syn::Ident {
        format_ident!("{}", self.package().replace('-', "_"))
    }
}

/// What the crate layout needs to know, computed once from the IR and the file gates.
pub(crate) struct Crates {
    /// The crates each crate's code names (every group crate names the runtime).
    pub deps: BTreeMap<Crate, BTreeSet<Crate>>,
    /// The features each crate's files are gated by (a group crate's own among them).
    pub features: BTreeMap<Crate, BTreeSet<String>>,
    /// The group/versions each crate holds modules of (one, or meta/v1 for the runtime).
    pub gvs: BTreeMap<Crate, GroupVersion>,
    /// kube-rs mode: every crate depends on k8s-openapi.
    pub kube_rs: bool,
}

/// Works out which crate names which, and the features each declares. `gates` are the file
/// gates by root type id; `params` the features gating the shared parameter sets.
pub(crate) fn plan(
    api: &Api,
    gvs: &BTreeSet<GroupVersion>,
    gates: &BTreeMap<&str, BTreeSet<String>>,
    params: &BTreeSet<String>,
    kube_rs: bool,
) -> Result<Crates, Error> {
    let mut deps: BTreeMap<Crate, BTreeSet<Crate>> = BTreeMap::new();
    let mut features: BTreeMap<Crate, BTreeSet<String>> = BTreeMap::new();
    let mut by_crate: BTreeMap<Crate, GroupVersion> = BTreeMap::new();
    // Which crates each crate's code names.
    let named =
        |from: &GroupVersion, refs: Vec<String>, deps: &mut BTreeMap<Crate, BTreeSet<Crate>>| {
            let from = Crate::of(from);
            let set = deps.entry(from.clone()).or_default();
            for id in refs {
                if let Some(t) = api.types.get(&id) {
                    let to = Crate::of(&t.gv);
                    if to != from {
                        set.insert(to);
                    }
                }
            }
        };
    for t in api.types.values() {
        let mut refs = Vec::new();
        t.kind.each_ty(|ty| ty.refs(&mut refs));
        named(&t.gv, refs, &mut deps);
    }
    for op in &api.operations {
        let mut refs = Vec::new();
        op.each_ty(|ty| ty.refs(&mut refs));
        named(&op.gv, refs, &mut deps);
    }
    for gv in gvs {
        let c = Crate::of(gv);
        by_crate.insert(c.clone(), gv.clone());
        let named = deps.entry(c.clone()).or_default();
        if let Crate::Group(f) = &c {
            named.insert(Crate::Runtime);
            features.entry(c.clone()).or_default().insert(f.clone());
        }
    }
    by_crate
        .entry(Crate::Runtime)
        .or_insert_with(GroupVersion::meta);
    deps.entry(Crate::Runtime).or_default();
    for (root, gate) in gates {
        if let Some(t) = api.types.get(*root) {
            features
                .entry(Crate::of(&t.gv))
                .or_default()
                .extend(gate.iter().cloned());
        }
    }
    features
        .entry(Crate::Runtime)
        .or_default()
        .extend(params.iter().cloned());
    check_acyclic(&deps, &by_crate)?;
    Ok(Crates {
        deps,
        features,
        gvs: by_crate,
        kube_rs,
    })
}

/// Cargo refuses crates that depend on each other. Kubernetes' groups are Go packages, which
/// cannot import each other in a cycle either, so real documents never do this; a document
/// that does is refused with the groups named.
fn check_acyclic(
    deps: &BTreeMap<Crate, BTreeSet<Crate>>,
    gvs: &BTreeMap<Crate, GroupVersion>,
) -> Result<(), Error> {
    // Iterative depth-first search; `stack` holds the current chain, each crate with the
    // dependencies still to visit.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&Crate, Mark> = BTreeMap::new();
    for start in deps.keys() {
        if marks.contains_key(start) {
            continue;
        }
        let mut stack: Vec<(&Crate, Vec<&Crate>)> =
            vec![(start, deps[start].iter().collect::<Vec<_>>())];
        marks.insert(start, Mark::Open);
        while let Some((node, rest)) = stack.last_mut() {
            let node = *node;
            let Some(next) = rest.pop() else {
                marks.insert(node, Mark::Done);
                stack.pop();
                continue;
            };
            match marks.get(next) {
                Some(Mark::Done) => {}
                Some(Mark::Open) => {
                    let from = stack.iter().position(|(c, _)| *c == next).unwrap_or(0);
                    let name = |c: &Crate| {
                        gvs.get(c)
                            .map(GroupVersion::api_version)
                            .unwrap_or_else(|| c.package())
                    };
                    let chain: Vec<String> = stack[from..]
                        .iter()
                        .map(|(c, _)| name(c))
                        .chain(std::iter::once(name(next)))
                        .collect();
                    return Err(Error::spec(
                        "specs/",
                        Location::File,
                        format!(
                            "the types of these group/versions name each other in a cycle: {}. \
                             Each group/version is a crate of its own, and crates cannot depend on \
                             each other in a cycle (Kubernetes' own groups never do)",
                            chain.join(" → ")
                        ),
                    ));
                }
                None => {
                    marks.insert(next, Mark::Open);
                    let children = deps.get(next).into_iter().flatten().collect();
                    stack.push((next, children));
                }
            }
        }
    }
    Ok(())
}

impl Crates {
    /// `pub use generated_x::<group>::<version>;`: the module of crate `c` at the path it has
    /// in every crate root (and the facade).
    fn reexport(&self, c: &Crate) -> TokenStream {
        let gv = &self.gvs[c];
        let lib = c.lib();
        let gm = format_ident!("{}", group_module(&gv.group));
        let vm = format_ident!("{}", version_module(&gv.version));
        quote! { pub use #lib::#gm::#vm; }
    }

    /// The crates with a file gated by `feature` (the crates a build with it compiles code of).
    fn reached_by<'a>(&'a self, feature: &'a str) -> impl Iterator<Item = &'a Crate> + 'a {
        self.features
            .iter()
            .filter(move |(_, fs)| fs.contains(feature))
            .map(|(c, _)| c)
    }

    /// `src/<group>/mod.rs` of the crate holding `gv`: its own version module, and the other
    /// versions of the same group that it names, re-exported from their crates.
    pub(crate) fn group_mod(&self, gv: &GroupVersion) -> TokenStream {
        let own = Crate::of(gv);
        let vm = format_ident!("{}", version_module(&gv.version));
        let siblings = self.deps[&own]
            .iter()
            .filter(|d| self.gvs[*d].group == gv.group)
            .map(|d| self.reexport(d));
        let doc = group_doc(&gv.group);
        quote! { #![doc = #doc] pub mod #vm; #(#siblings)* }
    }

    /// `src/lib.rs` of one crate.
    pub(crate) fn lib_rs(&self, krate: &Crate, has_params: bool) -> TokenStream {
        let gv = &self.gvs[krate];
        let gm = format_ident!("{}", group_module(&gv.group));
        let lints = quote! {
            #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags, rustdoc::invalid_rust_codeblocks)]
            // Docs are the specs' prose: Kubernetes continues list items on unindented lines.
            #![allow(clippy::doc_lazy_continuation)]
        };
        // rustfmt::skip: emitted files are formatted by prettyplease; `cargo fmt` must not
        // reformat them or the stale-output check would fail. On a module it skips the
        // module's file; the crate root of a group crate skips itself too (not the runtime's,
        // whose `runtime` module is hand-written).
        let params = has_params.then(|| quote! { #[rustfmt::skip] pub mod params; });
        match krate {
            Crate::Runtime => {
                let doc = " The runtime of the `generated` crate (HTTP, errors, watches; hand-written), the meta/v1 types every group names, and the shared query parameter sets. Depend on `generated`, which re-exports all of it.";
                quote! {
                    #![doc = #doc]
                    #lints
                    pub mod runtime;
                    #params
                    #[rustfmt::skip] pub mod #gm;
                }
            }
            Crate::Group(f) => {
                let doc = format!(" The `{f}` part of the `generated` crate: depend on `generated` with the `{f}` feature, which re-exports it.");
                let params = has_params.then(|| quote!(params,));
                // The other groups this crate names, at the paths emitted code uses.
                let mut foreign: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
                for d in &self.deps[krate] {
                    let dgv = &self.gvs[d];
                    if *d == Crate::Runtime || dgv.group == gv.group {
                        continue;
                    }
                    foreign
                        .entry(group_module(&dgv.group))
                        .or_default()
                        .push(self.reexport(d));
                }
                let foreign = foreign.iter().map(|(m, uses)| {
                    let m = format_ident!("{}", m);
                    quote! { pub mod #m { #(#uses)* } }
                });
                quote! {
                    #![doc = #doc]
                    #![cfg_attr(rustfmt, rustfmt::skip)]
                    #lints
                    pub use generated_runtime::{meta, #params runtime};
                    #[rustfmt::skip] pub mod #gm;
                    #(#foreign)*
                }
            }
        }
    }

    /// `src/lib.rs` of the facade: every module at its path, gated by the features that
    /// compile some of it (`module_gates`).
    pub(crate) fn facade_lib_rs(
        &self,
        module_gates: &BTreeMap<&GroupVersion, BTreeSet<String>>,
        has_params: bool,
        front_page: &str,
    ) -> TokenStream {
        let mut groups: BTreeMap<String, Vec<(&GroupVersion, &Crate)>> = BTreeMap::new();
        for (c, gv) in &self.gvs {
            if *c != Crate::Runtime {
                groups
                    .entry(group_module(&gv.group))
                    .or_default()
                    .push((gv, c));
            }
        }
        let groups = groups.iter().map(|(gm, members)| {
            let m = format_ident!("{}", gm);
            let all: BTreeSet<&String> = members
                .iter()
                .filter_map(|(gv, _)| module_gates.get(gv))
                .flatten()
                .collect();
            let cfg = super::features_cfg(&all);
            let doc = group_doc(&members[0].0.group);
            let uses = members.iter().map(|(gv, c)| {
                let cfg = super::features_cfg(module_gates.get(gv).into_iter().flatten());
                let reexport = self.reexport(c);
                quote! { #cfg #reexport }
            });
            quote! { #cfg pub mod #m { #![doc = #doc] #(#uses)* } }
        });
        let params = has_params.then(|| quote!(params,));
        let doc = front_page;
        // Not formatted by `cargo fmt` (see `lib_rs`): rustfmt wraps long `cfg`s otherwise.
        quote! {
            #![doc = #doc]
            #![cfg_attr(rustfmt, rustfmt::skip)]
            pub use generated_runtime::{meta, #params runtime};
            #(#groups)*
        }
    }

    /// `Cargo.toml` of one crate (after the header line).
    pub(crate) fn cargo_toml(&self, krate: &Crate) -> String {
        let mut s = format!(
            "[package]\nname = \"{}\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"{RUST_VERSION}\"\nlicense = \"Apache-2.0\"\n",
            krate.package()
        );
        let own = self.features.get(krate).cloned().unwrap_or_default();
        let deps = &self.deps[krate];
        // A feature of this crate turns on the same feature in each crate it names that
        // declares it: the files reached through this crate's are gated by it there too.
        let passes = |f: &str| -> Vec<String> {
            deps.iter()
                .filter(|d| self.features.get(*d).is_some_and(|fs| fs.contains(f)))
                .map(|d| format!("\"{}/{f}\"", d.package()))
                .collect()
        };
        match krate {
            Crate::Runtime => {
                s.push_str(concat!(
                    "description = \"The runtime, meta/v1 types and shared parameter sets of the `generated` crate (depend on that one).\"\n",
                    "publish = false\n\n",
                    "[lib]\n",
                    "# Descriptions from spec files become rustdoc: never compile or run them as doc tests.\n",
                    "doctest = false\n\n",
                    "[features]\n",
                    "# The async HTTP client (reqwest + rustls). Without it, every operation still builds its\n",
                    "# http::Request and decodes responses (sans-io).\n",
                    "client = [\"dep:reqwest\", \"dep:rustls\", \"dep:rustls-native-certs\", \"dep:futures-util\", \"dep:bytes\", \"dep:log\", \"dep:tokio\"]\n",
                    "# Client::from_kubeconfig and Client::in_cluster (read with serde and a YAML parser:\n",
                    "# no kube, no k8s-openapi version forced on the application).\n",
                    "kubeconfig = [\"client\", \"dep:serde_yaml_ng\"]\n",
                    "# The group/versions whose types or operations name meta/v1 types (or parameter sets)\n",
                    "# that only they use.\n",
                ));
                for f in &own {
                    s.push_str(&format!("{f} = []\n"));
                }
                s.push_str(RUNTIME_DEPENDENCIES);
                if self.kube_rs {
                    s.push_str(KUBE_RS_DEPENDENCY_NOTE);
                    s.push_str(crate::interop::K8S_OPENAPI_DEPENDENCY);
                }
            }
            Crate::Group(name) => {
                s.push_str(&format!(
                    "description = \"The `{name}` part of the `generated` crate (depend on that one, with the `{name}` feature).\"\npublish = false\n\n"
                ));
                s.push_str(concat!(
                    "[lib]\n",
                    "# No unit tests here; descriptions from spec files become rustdoc: never compile or run\n",
                    "# them as doc tests.\n",
                    "test = false\n",
                    "doctest = false\n\n",
                    "[features]\n",
                    "client = [\"generated-runtime/client\"]\n",
                ));
                for f in &own {
                    s.push_str(&format!("{f} = [{}]\n", passes(f).join(", ")));
                }
                s.push_str("\n[dependencies]\n");
                for d in deps {
                    s.push_str(&format!(
                        "{} = {{ path = \"../{}\" }}\n",
                        d.package(),
                        d.folder()
                    ));
                }
                s.push_str(GROUP_DEPENDENCIES);
                if self.kube_rs {
                    s.push_str(KUBE_RS_DEPENDENCY_NOTE);
                    s.push_str(crate::interop::K8S_OPENAPI_DEPENDENCY);
                }
            }
        }
        s
    }

    /// `Cargo.toml` of the facade (after the header line).
    pub(crate) fn facade_cargo_toml(&self) -> String {
        let mut s = format!(
            "[package]\nname = \"generated\"\nversion = \"0.1.0\"\nedition = \"2021\"\nrust-version = \"{RUST_VERSION}\"\nlicense = \"Apache-2.0\"\n{}publish = false\n\n[features]\n",
            "description = \"Typed Kubernetes and OpenShift API bindings generated from specs/.\"\n",
        );
        let groups: Vec<&String> = self
            .features
            .keys()
            .filter_map(|c| match c {
                Crate::Group(f) => Some(f),
                Crate::Runtime => None,
            })
            .collect();
        let quoted: Vec<String> = std::iter::once("client")
            .chain(groups.iter().map(|f| f.as_str()))
            .map(|f| format!("\"{f}\""))
            .collect();
        s.push_str(&format!("default = [{}]\n", quoted.join(", ")));
        let client: Vec<String> = std::iter::once("\"generated-runtime/client\"".to_string())
            .chain(self.features.keys().filter_map(|c| match c {
                Crate::Group(_) => Some(format!("\"{}?/client\"", c.package())),
                Crate::Runtime => None,
            }))
            .collect();
        s.push_str(concat!(
            "# The async HTTP client (reqwest + rustls). Without it, every operation still builds its\n",
            "# http::Request and decodes responses (sans-io).\n",
        ));
        s.push_str(&format!("client = [{}]\n", client.join(", ")));
        s.push_str(concat!(
            "# Client::from_kubeconfig and Client::in_cluster (no kube, no k8s-openapi).\n",
            "kubeconfig = [\"client\", \"generated-runtime/kubeconfig\"]\n",
            "# One per group/version: its crate, and in the crates it names the types it reaches.\n",
        ));
        for f in &groups {
            let on: Vec<String> = self
                .reached_by(f)
                .map(|c| format!("\"{}/{f}\"", c.package()))
                .collect();
            s.push_str(&format!("{f} = [{}]\n", on.join(", ")));
        }
        s.push_str("\n[dependencies]\n");
        s.push_str(&format!(
            "generated-runtime = {{ path = \"{}\" }}\n",
            Crate::Runtime.dir()
        ));
        for c in self.features.keys().filter(|c| **c != Crate::Runtime) {
            s.push_str(&format!(
                "{} = {{ path = \"{}\", optional = true }}\n",
                c.package(),
                c.dir()
            ));
        }
        s
    }
}

pub(crate) fn group_doc(group: &str) -> String {
    match group {
        META_GROUP => " Shared apimachinery types (meta/v1), used by every group.".to_string(),
        "" => " The legacy core API group.".to_string(),
        g => format!(" API group `{g}`."),
    }
}

/// The oldest Rust the generated crates build with (with the dependency versions of the
/// workspace's lock file: ICU, through url, needs 1.88). `tests/tests/rust_version.rs` builds
/// them with it.
const RUST_VERSION: &str = "1.88";

/// Above the k8s-openapi dependency of kube-rs mode.
const KUBE_RS_DEPENDENCY_NOTE: &str = "# kube-rs mode (specs/codegen.toml): k8s-openapi's ObjectMeta and traits. No Kubernetes\n# version feature: the application enables one (k8s-openapi allows one per build).\n";

/// What the emitted code of a group/version names besides the runtime.
const GROUP_DEPENDENCIES: &str = r#"http = "1"
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["raw_value"] }
"#;

const RUNTIME_DEPENDENCIES: &str = r#"
[dependencies]
base64 = "0.23"
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
# The default warning handler logs through the application's logger (reqwest builds it anyway).
log = { version = "0.4", optional = true }
# Timers for retry backoff and the watch idle bound, and a blocking thread for exec
# credential plugins (reqwest runs on tokio anyway).
tokio = { version = "1", default-features = false, features = ["time", "rt"], optional = true }
reqwest = { version = "0.13", default-features = false, features = ["rustls-no-provider", "stream", "http2"], optional = true }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }
rustls-native-certs = { version = "0.8", optional = true }
serde_yaml_ng = { version = "0.10", optional = true }
"#;
