//! The shape of the `generated` output: one crate per group/version behind one facade.
//!
//! rustc's time and memory grow faster than the size of a crate, and Cargo builds crates in
//! parallel: a folder of 300 real CRDs as one crate passed 15 GB of memory in `cargo check`,
//! split by group/version each piece is small. So the output is
//! - `crates/apimachinery` (`generated-apimachinery`): what the emitted models name, as
//!   Kubernetes' apimachinery holds it: the hand-written model half of the runtime (the
//!   `Resource` trait, timestamps, quantities, (de)serialization helpers) and the meta/v1 types
//!   the types of some group reach (ObjectMeta, LabelSelector, …);
//! - `crates/runtime` (`generated-runtime`): the hand-written sans-io requests, errors, watches
//!   and client, the meta/v1 types only operations or the runtime name (Status,
//!   DeleteOptions, …), meta/v1's own operations and the shared query parameter sets; its
//!   `runtime` and `meta::v1` modules re-export apimachinery's too;
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
//! in core/v1, exactly the files apps/v1 reaches. Compiled that way, core/v1 has no operation
//! and names apimachinery alone: it starts as soon as that small crate's metadata is there,
//! while the runtime compiles beside it (which took a fifth off `apps_v1`'s build).

use std::collections::{BTreeMap, BTreeSet};

use quote::format_ident;

use crate::error::{Error, Location};
use crate::ir::{Api, GroupVersion, TypeDef};
use crate::names::feature;

/// One crate of the output.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Crate {
    /// `generated-apimachinery`: the model half of the runtime, the meta/v1 types models reach.
    Apimachinery,
    /// `generated-runtime`: the rest of the runtime and of meta/v1, shared parameter sets.
    Runtime,
    /// One group/version, by its feature name (`core_v1`).
    Group(String),
}

impl Crate {
    /// The crate holding type `t`: its group/version's, or for meta/v1 apimachinery when it is
    /// one of `model_meta` (the meta/v1 type files the types of some group reach), else the
    /// runtime.
    pub(crate) fn of_type(t: &TypeDef, model_meta: &BTreeSet<&str>) -> Crate {
        match feature(&t.gv) {
            Some(f) => Crate::Group(f),
            None if model_meta.contains(t.root.as_str()) => Crate::Apimachinery,
            None => Crate::Runtime,
        }
    }

    /// The crate holding the operations of `gv` (meta/v1's, group discovery: the runtime).
    pub(crate) fn of_ops(gv: &GroupVersion) -> Crate {
        match feature(gv) {
            Some(f) => Crate::Group(f),
            None => Crate::Runtime,
        }
    }

    /// The crate's folder name in `crates/`. Feature names are ASCII letters, digits and `_`
    /// (see `names::ident`), so the folder and package names hold nothing else either.
    pub(crate) fn folder(&self) -> String {
        match self {
            Crate::Apimachinery => "apimachinery".into(),
            Crate::Runtime => "runtime".into(),
            Crate::Group(f) => f.replace('_', "-"),
        }
    }

    /// The crate's folder below the output root.
    pub(crate) fn dir(&self) -> String {
        format!("crates/{}", self.folder())
    }

    pub(crate) fn package(&self) -> String {
        format!("generated-{}", self.folder())
    }

    pub(crate) fn lib(&self) -> syn::Ident {
        format_ident!("{}", self.package().replace('-', "_"))
    }
}

/// Where the hand-written runtime lives in an output of crates: its model half in
/// apimachinery, the rest in the runtime crate. Each crate root declares `pub mod runtime;`
/// and nothing is emitted there; whoever builds an output copies these folders beside it.
pub const HAND_WRITTEN_RUNTIME: [&str; 2] = [
    "crates/apimachinery/src/runtime",
    "crates/runtime/src/runtime",
];

/// When a crate needs one it names.
#[derive(Clone, Debug, Default)]
pub(crate) struct Need {
    /// Code that is always compiled names it.
    pub always: bool,
    /// The crate's features whose code names it.
    pub features: BTreeSet<String>,
}

impl Need {
    /// The features that turn the dependency on; `None` when it is always on.
    pub(crate) fn gate(&self) -> Option<&BTreeSet<String>> {
        (!self.always).then_some(&self.features)
    }
}

/// What the crate layout needs to know, computed once from the IR and the file gates.
pub(crate) struct Crates {
    /// For each crate, the crates its code names and when it needs each: a group crate depends
    /// on apimachinery always, on the runtime and on another group only with the features
    /// whose files name it (core/v1 names autoscaling/v1 and the runtime only in its
    /// operations, so a build of apps/v1's types waits for neither there).
    pub needs: BTreeMap<Crate, BTreeMap<Crate, Need>>,
    /// The features each crate's files are gated by (a group crate's own among them).
    pub features: BTreeMap<Crate, BTreeSet<String>>,
    /// The group/versions each crate holds modules of (one; meta/v1 for apimachinery and the
    /// runtime).
    pub gvs: BTreeMap<Crate, GroupVersion>,
    /// kube-rs mode: every crate depends on k8s-openapi.
    pub kube_rs: bool,
}

/// Works out which crate names which, and the features each declares. `gates` are the file
/// gates by root type id; `params` the features gating the shared parameter sets;
/// `model_meta` the meta/v1 type files apimachinery holds (`Crate::of_type`).
pub(crate) fn plan(
    api: &Api,
    gvs: &BTreeSet<GroupVersion>,
    gates: &BTreeMap<&str, BTreeSet<String>>,
    params: &BTreeSet<String>,
    model_meta: &BTreeSet<&str>,
    kube_rs: bool,
) -> Result<Crates, Error> {
    let mut needs: BTreeMap<Crate, BTreeMap<Crate, Need>> = BTreeMap::new();
    let mut features: BTreeMap<Crate, BTreeSet<String>> = BTreeMap::new();
    let mut by_crate: BTreeMap<Crate, GroupVersion> = BTreeMap::new();
    // Which crates each crate's code names, and under which of its features.
    let mut named = |from: Crate, refs: Vec<String>, gate: Option<&BTreeSet<String>>| {
        let set = needs.entry(from.clone()).or_default();
        for id in refs {
            if let Some(t) = api.types.get(&id) {
                let to = Crate::of_type(t, model_meta);
                if to != from {
                    let need = set.entry(to).or_default();
                    match gate {
                        Some(fs) => need.features.extend(fs.iter().cloned()),
                        None => need.always = true,
                    }
                }
            }
        }
    };
    for t in api.types.values() {
        let mut refs = Vec::new();
        t.kind.each_ty(|ty| ty.refs(&mut refs));
        named(
            Crate::of_type(t, model_meta),
            refs,
            gates.get(t.root.as_str()),
        );
    }
    // Operations are compiled with their own group's feature only, and all of them name the
    // runtime (request builders, errors).
    for op in &api.operations {
        let mut refs = Vec::new();
        op.each_ty(|ty| ty.refs(&mut refs));
        let own = feature(&op.gv).map(|f| BTreeSet::from([f]));
        named(Crate::of_ops(&op.gv), refs, own.as_ref());
    }
    let with_ops: BTreeSet<&GroupVersion> = api.operations.iter().map(|op| &op.gv).collect();
    for gv in with_ops {
        if let Some(f) = feature(gv) {
            let runtime = needs
                .entry(Crate::Group(f.clone()))
                .or_default()
                .entry(Crate::Runtime)
                .or_default();
            runtime.features.insert(f);
        }
    }
    for gv in gvs {
        let c = Crate::of_ops(gv);
        by_crate.insert(c.clone(), gv.clone());
        let named = needs.entry(c.clone()).or_default();
        if let Crate::Group(f) = &c {
            // Apimachinery is always needed (every crate re-exports it).
            named.entry(Crate::Apimachinery).or_default().always = true;
            features.entry(c.clone()).or_default().insert(f.clone());
        }
    }
    for c in [Crate::Apimachinery, Crate::Runtime] {
        by_crate.entry(c.clone()).or_insert_with(GroupVersion::meta);
        needs.entry(c).or_default();
    }
    // The runtime re-exports apimachinery's modules.
    needs
        .entry(Crate::Runtime)
        .or_default()
        .entry(Crate::Apimachinery)
        .or_default()
        .always = true;
    for (root, gate) in gates {
        if let Some(t) = api.types.get(*root) {
            features
                .entry(Crate::of_type(t, model_meta))
                .or_default()
                .extend(gate.iter().cloned());
        }
    }
    features
        .entry(Crate::Runtime)
        .or_default()
        .extend(params.iter().cloned());
    check_acyclic(&needs, &by_crate)?;
    Ok(Crates {
        needs,
        features,
        gvs: by_crate,
        kube_rs,
    })
}

/// Cargo refuses crates that depend on each other. Kubernetes' groups are Go packages, which
/// cannot import each other in a cycle either, so real documents never do this; a document
/// that does is refused with the groups named.
fn check_acyclic(
    deps: &BTreeMap<Crate, BTreeMap<Crate, Need>>,
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
            vec![(start, deps[start].keys().collect::<Vec<_>>())];
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
                    let children = deps
                        .get(next)
                        .into_iter()
                        .flat_map(BTreeMap::keys)
                        .collect();
                    stack.push((next, children));
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hand_written_runtime_is_in_the_two_crates_that_declare_it() {
        let dirs =
            [Crate::Apimachinery, Crate::Runtime].map(|c| format!("{}/src/runtime", c.dir()));
        assert_eq!(HAND_WRITTEN_RUNTIME, dirs);
    }
}
