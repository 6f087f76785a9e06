//! Lowering: OpenAPI documents and CRDs into one IR.
//!
//! Every named schema gets its id (and group/version) before any is converted, so references
//! (forward, cyclic, across documents) need no special cases.

mod crd;
mod openapi;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::ir::{Api, GroupVersion, ResourceInfo, Ty};
use crate::load::Source;

/// A named schema and where it was defined.
pub(crate) struct Named<'a> {
    pub schema: &'a openapiv3::ReferenceOr<openapiv3::Schema>,
    pub origin: String,
    pub pointer: String,
    pub gv: GroupVersion,
    pub builtin: bool,
}

/// The shared type space: every named schema of every document.
pub(crate) struct Space<'a> {
    pub named: BTreeMap<String, Named<'a>>,
    /// Kinds served by some path: (group, version, kind) → resource facts.
    pub resources: BTreeMap<(String, String, String), ResourceInfo>,
}

const BUILTIN_META: &str = include_str!("lower/builtin/meta_v1.json");
const BUILTIN_ORIGIN: &str = "codegen/src/lower/builtin/meta_v1.json";

pub(crate) fn lower(sources: &[Source]) -> Result<Api, Error> {
    let builtin: openapiv3::OpenAPI = serde_json::from_str(BUILTIN_META).map_err(|e| {
        Error::at(
            BUILTIN_ORIGIN,
            "",
            format!("built-in meta/v1 schemas do not parse: {e}"),
        )
    })?;
    let mut space = Space {
        named: BTreeMap::new(),
        resources: BTreeMap::new(),
    };
    let docs: Vec<(&str, &openapiv3::OpenAPI)> = sources
        .iter()
        .filter_map(|s| match s {
            Source::OpenApi { origin, doc } => Some((origin.as_str(), doc.as_ref())),
            Source::Crd { .. } => None,
        })
        .collect();
    openapi::collect(&docs, &mut space, false)?;
    openapi::collect(&[(BUILTIN_ORIGIN, &builtin)], &mut space, true)?;
    for (origin, doc) in &docs {
        openapi::collect_resources(origin, doc, &mut space)?;
    }
    let mut api = Api::default();
    let mut conv = schema::Converter {
        space: &space,
        api: &mut api,
    };
    for id in space.named.keys() {
        conv.convert_named(id)?;
    }
    for s in sources {
        if let Source::Crd {
            origin,
            pointer,
            crd,
        } = s
        {
            crd::lower_crd(origin, pointer, crd, &mut conv)?;
        }
    }
    prune_unused_builtins(&mut api);
    Ok(api)
}

/// Built-in meta/v1 schemas exist so a CRD alone has ObjectMeta and ListMeta; emit only those
/// something uses.
fn prune_unused_builtins(api: &mut Api) {
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = api
        .types
        .values()
        .filter(|t| !t.builtin)
        .map(|t| t.id.clone())
        .collect();
    while let Some(id) = stack.pop() {
        if !keep.insert(id.clone()) {
            continue;
        }
        if let Some(t) = api.types.get(&id) {
            let mut refs = Vec::new();
            t.kind.each_ty(|ty| ty.refs(&mut refs));
            // Nested types hang off their root: keep them with it.
            refs.extend(
                api.types
                    .values()
                    .filter(|n| n.root == id)
                    .map(|n| n.id.clone()),
            );
            stack.extend(refs);
        }
    }
    api.types.retain(|id, t| !t.builtin || keep.contains(id));
}

impl Ty {
    /// Every named type this type mentions.
    pub(crate) fn refs(&self, out: &mut Vec<String>) {
        match self {
            Ty::Ref(id) => out.push(id.clone()),
            Ty::Vec(t) | Ty::Map(t) => t.refs(out),
            _ => {}
        }
    }
}

impl crate::ir::TypeKind {
    pub(crate) fn each_ty(&self, mut f: impl FnMut(&Ty)) {
        match self {
            crate::ir::TypeKind::Struct { fields } => fields.iter().for_each(|fl| f(&fl.ty)),
            crate::ir::TypeKind::Alias(t) => f(t),
            crate::ir::TypeKind::Enum { .. } => {}
        }
    }
}
