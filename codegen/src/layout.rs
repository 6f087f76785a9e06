//! Layout, the last planning stage: which file holds which types, the features that compile
//! each file and module, and (for the `generated` crate) the crates of the output. Its result
//! is read-only: emission builds the files this plan names and decides nothing about them.

mod crates;
mod handles;

use std::collections::{BTreeMap, BTreeSet};

pub use crates::HAND_WRITTEN_RUNTIME;
pub(crate) use crates::{Crate, Crates, Need};
pub(crate) use handles::{object_meta, Handle, Method};

use crate::error::Error;
use crate::ir::{Api, GroupVersion, Operation, TypeDef, META_GROUP};
use crate::names::{feature, group_module, ident, version_module};
use crate::Options;

/// One type file: a top-level type and the nested types it holds, and the features that
/// compile it (`None`: always compiled).
pub(crate) struct TypeFile<'a> {
    /// The top-level type first, then its nested types in id order.
    pub members: Vec<&'a TypeDef>,
    /// The file's module (private: its types are re-exported), named after the top-level type.
    pub module: String,
    pub gate: Option<BTreeSet<String>>,
    /// The crate holding it (`None` in a module tree).
    pub krate: Option<Crate>,
}

impl TypeFile<'_> {
    pub(crate) fn root(&self) -> &TypeDef {
        self.members[0]
    }
}

/// The planned output, before any token is built.
pub(crate) struct Layout<'a> {
    /// Module path segments (`authentication_k8s_io`, `v1`) of every group/version that has
    /// types, converted once rather than at each reference.
    pub module_names: BTreeMap<GroupVersion, (String, String)>,
    /// Every group/version with types or operations.
    pub gvs: BTreeSet<GroupVersion>,
    /// The type files of each group/version, by root id.
    pub types: BTreeMap<GroupVersion, Vec<TypeFile<'a>>>,
    /// The operations of each group/version, in the IR's order.
    pub ops: BTreeMap<GroupVersion, Vec<&'a Operation>>,
    /// The resource handles of each group/version with operations.
    pub handles: BTreeMap<GroupVersion, Vec<Handle<'a>>>,
    /// The features that compile each group/version module: its own, and those of every group
    /// that reaches one of its files. meta/v1 is always compiled (absent).
    pub module_gates: BTreeMap<GroupVersion, BTreeSet<String>>,
    /// One crate per group/version behind the facade (`Options::crate_files`); `None` for a
    /// module tree.
    pub crates: Option<Crates>,
    /// Kinds (neither lists nor subresources) per group/version, for the front page.
    pub kinds: BTreeMap<GroupVersion, usize>,
}

/// Plans the layout of `api`'s output.
pub(crate) fn plan<'a>(api: &'a Api, options: &Options) -> Result<Layout<'a>, Error> {
    let split = options.crate_files;
    let files = files_by_root(api);
    let (gates, model_meta) = if split {
        (file_gates(api, &files), model_meta(api, &files))
    } else {
        Default::default()
    };
    let module_names = api
        .types
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
        .collect();
    // Nested types by the root whose file holds them.
    let mut nested: BTreeMap<&str, Vec<&TypeDef>> = BTreeMap::new();
    for t in api.types.values().filter(|t| t.root != t.id) {
        nested.entry(t.root.as_str()).or_default().push(t);
    }
    let mut types: BTreeMap<GroupVersion, Vec<TypeFile>> = BTreeMap::new();
    let mut modules: BTreeMap<&GroupVersion, BTreeSet<String>> = BTreeMap::new();
    for root in api.types.values().filter(|t| t.root == t.id) {
        let members = std::iter::once(root)
            .chain(nested.get(root.id.as_str()).into_iter().flatten().copied())
            .collect();
        let taken = modules
            .entry(&root.gv)
            .or_insert_with(|| RESERVED_MODULES.iter().map(|m| m.to_string()).collect());
        types.entry(root.gv.clone()).or_default().push(TypeFile {
            members,
            module: file_module(&root.name, taken),
            gate: gates.get(root.id.as_str()).cloned(),
            krate: split.then(|| Crate::of_type(root, &model_meta)),
        });
    }
    let mut ops: BTreeMap<GroupVersion, Vec<&Operation>> = BTreeMap::new();
    for op in &api.operations {
        ops.entry(op.gv.clone()).or_default().push(op);
    }
    let gvs: BTreeSet<GroupVersion> = types.keys().chain(ops.keys()).cloned().collect();
    let handles = ops
        .iter()
        .map(|(gv, ops)| Ok((gv.clone(), handles::plan(api, gv, ops)?)))
        .collect::<Result<_, Error>>()?;
    let mut module_gates: BTreeMap<GroupVersion, BTreeSet<String>> = BTreeMap::new();
    for gv in &gvs {
        if let Some(f) = feature(gv) {
            let gate = module_gates.entry(gv.clone()).or_default();
            gate.insert(f);
            for file in types.get(gv).into_iter().flatten() {
                gate.extend(file.gate.iter().flatten().cloned());
            }
        }
    }
    let crates = if split {
        let params_gates = api
            .operations
            .iter()
            .filter(|op| op.shared_params.is_some())
            .filter_map(|op| feature(&op.gv))
            .collect();
        Some(crates::plan(
            api,
            &gvs,
            &gates,
            &params_gates,
            &model_meta,
            options.kube_rs,
        )?)
    } else {
        None
    };
    let mut kinds: BTreeMap<GroupVersion, usize> = BTreeMap::new();
    for t in api.types.values() {
        if t.resource.as_ref().is_some_and(|r| !r.subresource) && !t.is_list_kind() {
            *kinds.entry(t.gv.clone()).or_default() += 1;
        }
    }
    Ok(Layout {
        module_names,
        gvs,
        types,
        ops,
        handles,
        module_gates,
        crates,
        kinds,
    })
}

/// Modules of a group/version that are not type files: its operations and handles (`api.rs`).
const RESERVED_MODULES: [&str; 1] = ["api"];

/// The module of a top-level type's file: its name in snake case, unless a module of its
/// group/version already has that name (the operations' `api`, for a kind named `API` as WSO2
/// APK's; or a type whose name differs only in case): then numbered, `api_2` (snake case of a
/// name never puts `_` before a digit, so no plain name takes these).
fn file_module(name: &str, taken: &mut BTreeSet<String>) -> String {
    let plain = ident(name, true);
    let module = std::iter::once(plain.clone())
        .chain((2..).map(|n| format!("{plain}_{n}")))
        .find(|m| !taken.contains(m))
        .unwrap_or(plain);
    taken.insert(module.clone());
    module
}

/// The member ids of each type file, by its root id (a file is compiled whole: reaching any of
/// its types reaches all of them).
fn files_by_root(api: &Api) -> BTreeMap<&str, Vec<&str>> {
    let mut files: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for t in api.types.values() {
        files
            .entry(t.root.as_str())
            .or_default()
            .push(t.id.as_str());
    }
    files
}

/// The type files a walk from the type ids in `stack` reaches, by root id.
fn reach<'a>(
    api: &'a Api,
    files: &BTreeMap<&str, Vec<&str>>,
    mut stack: Vec<String>,
) -> BTreeSet<&'a str> {
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
}

/// The meta/v1 type files that the types of some group reach (ObjectMeta, LabelSelector, and
/// what they name): those go in the apimachinery crate, which types alone need (see
/// `crates`). What only operations and the runtime name (Status, DeleteOptions) does not.
/// Closed under reach, so apimachinery never names the runtime.
fn model_meta<'a>(api: &'a Api, files: &BTreeMap<&str, Vec<&str>>) -> BTreeSet<&'a str> {
    let starts = api
        .types
        .values()
        .filter(|t| t.gv.group != META_GROUP)
        .map(|t| t.id.clone())
        .collect();
    reach(api, files, starts)
        .into_iter()
        .filter(|root| api.types[*root].gv.group == META_GROUP)
        .collect()
}

/// The features that compile each type file, by its root type: its own group/version's
/// feature, and the feature of every other group/version whose types or operations reach it
/// (apps/v1 names core/v1's PodTemplateSpec, and with it PodSpec, Container, …: those files
/// are compiled with `apps_v1` alone, the rest of core/v1 is not). meta/v1 has no feature of its
/// own: its files are gated by the groups using them, except those the runtime needs (Status,
/// which it decodes error bodies into), those nothing names, and whatever those reach, which
/// are always compiled (absent from the map).
fn file_gates<'a>(
    api: &'a Api,
    files: &BTreeMap<&'a str, Vec<&'a str>>,
) -> BTreeMap<&'a str, BTreeSet<String>> {
    // Only meta/v1 has no feature (see `feature`); compared directly, since building a
    // feature name for every type would be most of this function's work.
    let has_feature = |gv: &GroupVersion| gv.group != META_GROUP;
    // What each group/version names; meta/v1's own operations (group discovery) count as
    // always.
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
        for root in reach(api, files, stack) {
            gates.entry(root).or_default().insert(f.clone());
        }
    }
    always.extend(
        files
            .keys()
            .filter(|root| !gates.contains_key(*root))
            .map(|root| root.to_string()),
    );
    for root in reach(api, files, always) {
        if !has_feature(&api.types[root].gv) {
            gates.remove(root);
        }
    }
    gates
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_module_taken_gets_a_suffix() {
        let mut taken: BTreeSet<String> = RESERVED_MODULES.iter().map(|m| m.to_string()).collect();
        let modules: Vec<String> = ["Pod", "API", "DNSRecord", "DnsRecord", "DNSRecordType"]
            .iter()
            .map(|n| file_module(n, &mut taken))
            .collect();
        assert_eq!(
            modules,
            [
                "pod",
                "api_2",
                "dns_record",
                "dns_record_2",
                "dns_record_type"
            ]
        );
    }
}
