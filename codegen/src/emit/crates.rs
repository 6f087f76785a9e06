//! The crate files of the output (each crate's `lib.rs`, `<group>/mod.rs` and `Cargo.toml`,
//! and the facade's), from the crate layout planned in `layout::crates`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ir::{GroupVersion, META_GROUP};
use crate::layout::{Crate, Crates, Need};
use crate::names::{group_module, version_module};

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

    /// `reexport` of `c` in crate `from`, compiled with the features that turn that dependency
    /// on (`Crates::needs`).
    fn gated_reexport(&self, from: &Crate, c: &Crate) -> TokenStream {
        let cfg = self.needs[from][c]
            .gate()
            .map(super::features_cfg)
            .unwrap_or_default();
        let reexport = self.reexport(c);
        quote! { #cfg #reexport }
    }

    /// The crates with a file gated by `feature` (the crates a build with it compiles code of).
    fn reached_by<'a>(&'a self, feature: &'a str) -> impl Iterator<Item = &'a Crate> + 'a {
        self.features
            .iter()
            .filter(move |(_, fs)| fs.contains(feature))
            .map(|(c, _)| c)
    }

    /// `src/<group>/mod.rs` of crate `own`: its own version module, and the other versions of
    /// the same group that it names, re-exported from their crates.
    pub(crate) fn group_mod(&self, own: &Crate) -> TokenStream {
        let gv = &self.gvs[own];
        let vm = format_ident!("{}", version_module(&gv.version));
        let siblings = self.needs[own]
            .keys()
            .filter(|d| self.gvs[*d].group == gv.group && self.gvs[*d] != *gv)
            .map(|d| self.gated_reexport(own, d));
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
        // module's file; the crate root of a group crate skips itself too (not apimachinery's
        // or the runtime's, whose `runtime` modules are hand-written).
        let params = has_params.then(|| quote! { #[rustfmt::skip] pub mod params; });
        match krate {
            Crate::Apimachinery => {
                let doc = " What the models of the `generated` crate name: the model half of its runtime (hand-written) and the meta/v1 types models reach (ObjectMeta, …). Depend on `generated`, which re-exports all of it.";
                quote! {
                    #![doc = #doc]
                    #lints
                    pub mod runtime;
                    #[rustfmt::skip] pub mod #gm;
                }
            }
            Crate::Runtime => {
                let doc = " The runtime of the `generated` crate (HTTP, errors, watches; hand-written), the meta/v1 types only operations name, and the shared query parameter sets; it re-exports `generated-apimachinery` in its `runtime` and `meta` modules. Depend on `generated`, which re-exports all of it.";
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
                // `runtime` and `meta` from the runtime when this crate's operations are
                // compiled, else from apimachinery (all the types need; the runtime's modules
                // re-export it, so every path means the same type either way).
                let shared = match self.needs[krate].get(&Crate::Runtime).map(Need::gate) {
                    Some(None) => quote! { pub use generated_runtime::{meta, #params runtime}; },
                    Some(Some(fs)) => {
                        let on = super::features_cfg(fs);
                        let off = super::not_cfg(fs);
                        quote! {
                            #on pub use generated_runtime::{meta, #params runtime};
                            #off pub use generated_apimachinery::{meta, runtime};
                        }
                    }
                    None => quote! { pub use generated_apimachinery::{meta, runtime}; },
                };
                // The other groups this crate names, at the paths emitted code uses.
                let mut foreign: BTreeMap<String, Vec<TokenStream>> = BTreeMap::new();
                for d in self.needs[krate].keys() {
                    let dgv = &self.gvs[d];
                    if !matches!(d, Crate::Group(_)) || dgv.group == gv.group {
                        continue;
                    }
                    foreign
                        .entry(group_module(&dgv.group))
                        .or_default()
                        .push(self.gated_reexport(krate, d));
                }
                let foreign = foreign.iter().map(|(m, uses)| {
                    let m = format_ident!("{}", m);
                    quote! { pub mod #m { #(#uses)* } }
                });
                quote! {
                    #![doc = #doc]
                    #![cfg_attr(rustfmt, rustfmt::skip)]
                    #lints
                    #shared
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
        module_gates: &BTreeMap<GroupVersion, BTreeSet<String>>,
        has_params: bool,
        front_page: &str,
    ) -> TokenStream {
        let mut groups: BTreeMap<String, Vec<(&GroupVersion, &Crate)>> = BTreeMap::new();
        for (c, gv) in &self.gvs {
            if matches!(c, Crate::Group(_)) {
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
        let needs = &self.needs[krate];
        // A feature of this crate turns on the same feature in each crate it names that
        // declares it: the files reached through this crate's are gated by it there too. A
        // crate named only under some features is an optional dependency, turned on by those
        // (`d/f`); the others pass the feature on only if something else turned it on (`d?/f`).
        let passes = |f: &str| -> Vec<String> {
            needs
                .iter()
                .filter_map(|(d, need)| {
                    let declares = self.features.get(d).is_some_and(|fs| fs.contains(f));
                    let gate = need.gate();
                    let on = gate.is_none_or(|fs| fs.contains(f));
                    match (declares, on, gate.is_some()) {
                        (true, true, _) | (true, false, false) => {
                            Some(format!("\"{}/{f}\"", d.package()))
                        }
                        (true, false, true) => Some(format!("\"{}?/{f}\"", d.package())),
                        (false, true, true) => Some(format!("\"dep:{}\"", d.package())),
                        (false, _, _) => None,
                    }
                })
                .collect()
        };
        let features = |s: &mut String| {
            for f in &own {
                s.push_str(&format!("{f} = [{}]\n", passes(f).join(", ")));
            }
        };
        let dependencies = |s: &mut String| {
            for (d, need) in needs {
                let optional = if need.gate().is_some() {
                    ", optional = true"
                } else {
                    ""
                };
                s.push_str(&format!(
                    "{} = {{ path = \"../{}\"{optional} }}\n",
                    d.package(),
                    d.folder()
                ));
            }
        };
        match krate {
            Crate::Apimachinery => {
                s.push_str(concat!(
                    "description = \"The model half of the runtime and the meta/v1 types the models of the `generated` crate name (depend on that one).\"\n",
                    "publish = false\n\n",
                    "[lib]\n",
                    "# Descriptions from spec files become rustdoc: never compile or run them as doc tests.\n",
                    "doctest = false\n\n",
                    "[features]\n",
                    "# The group/versions whose types name meta/v1 types that only they use.\n",
                ));
                features(&mut s);
                s.push_str(APIMACHINERY_DEPENDENCIES);
            }
            Crate::Runtime => {
                s.push_str(concat!(
                    "description = \"The runtime, the meta/v1 types of operations and the shared parameter sets of the `generated` crate (depend on that one).\"\n",
                    "publish = false\n\n",
                    "[lib]\n",
                    "# Descriptions from spec files become rustdoc: never compile or run them as doc tests.\n",
                    "doctest = false\n\n",
                    "[features]\n",
                    "# The async HTTP client (reqwest + rustls). Without it, every operation still builds its\n",
                    "# http::Request and decodes responses (sans-io).\n",
                    "client = [\"dep:reqwest\", \"dep:rustls\", \"dep:rustls-native-certs\", \"dep:futures-util\", \"dep:bytes\", \"dep:log\", \"dep:tokio\", \"dep:jiff\"]\n",
                    "# Client::from_kubeconfig and Client::in_cluster (read with serde and a YAML parser:\n",
                    "# no kube, no k8s-openapi version forced on the application).\n",
                    "kubeconfig = [\"client\", \"dep:serde_yaml_ng\", \"dep:base64\"]\n",
                    "# The group/versions whose operations name meta/v1 types (or parameter sets) that\n",
                    "# only they use.\n",
                ));
                features(&mut s);
                s.push_str("\n[dependencies]\n");
                dependencies(&mut s);
                s.push_str(RUNTIME_DEPENDENCIES);
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
                ));
                // The client's methods are in the operations, which need the runtime.
                let client = match needs.get(&Crate::Runtime).map(Need::gate) {
                    Some(None) => "\"generated-runtime/client\"",
                    Some(Some(_)) => "\"generated-runtime?/client\"",
                    None => "",
                };
                s.push_str(&format!("client = [{client}]\n"));
                features(&mut s);
                s.push_str("\n[dependencies]\n");
                dependencies(&mut s);
                s.push_str(GROUP_DEPENDENCIES);
            }
        }
        if self.kube_rs {
            s.push_str(KUBE_RS_DEPENDENCY_NOTE);
            s.push_str(crate::interop::K8S_OPENAPI_DEPENDENCY);
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
                Crate::Apimachinery | Crate::Runtime => None,
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
                Crate::Apimachinery | Crate::Runtime => None,
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
        for c in [Crate::Apimachinery, Crate::Runtime] {
            s.push_str(&format!("{} = {{ path = \"{}\" }}\n", c.package(), c.dir()));
        }
        for c in self
            .features
            .keys()
            .filter(|c| matches!(c, Crate::Group(_)))
        {
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

/// What the emitted code of a group/version names besides apimachinery and the runtime.
const GROUP_DEPENDENCIES: &str = r#"http = "1"
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["raw_value"] }
"#;

const APIMACHINERY_DEPENDENCIES: &str = r#"
[dependencies]
base64 = "0.23"
# Timestamps only (meta/v1 Time and MicroTime): no time zone database, no serde impls of its
# own; perf-inline kept (without it, serializing a TokenReview takes 7% more instructions).
jiff = { version = "1", default-features = false, features = ["std", "perf-inline"] }
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["raw_value"] }
"#;

const RUNTIME_DEPENDENCIES: &str = r#"form_urlencoded = "1"
http = "1"
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
# Exec credentials' expiry (client) and kubeconfig's inline certificates (kubeconfig); both
# are apimachinery's dependencies already, so they cost nothing more.
jiff = { version = "1", default-features = false, features = ["std", "perf-inline"], optional = true }
base64 = { version = "0.23", optional = true }
"#;
