//! Lowering: OpenAPI documents and CRDs into one IR.
//!
//! Every named schema gets its id (and group/version) before any is converted, so references
//! (forward, cyclic, across documents) need no special cases.

mod crd;
mod openapi;
mod operations;
mod schema;

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::ir::lowered::{Api, Operation, TypeDef};
use crate::ir::{GroupVersion, ResourceInfo, Ty};
use crate::load::{self, Source};

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
    /// The schema declaring each (group, version, kind), when exactly one does.
    pub kinds: BTreeMap<(String, String, String), String>,
}

const BUILTIN_META: &str = include_str!("lower/builtin/meta_v1.json");
const BUILTIN_ORIGIN: &str = "codegen/src/lower/builtin/meta_v1.json";

/// `keep_status`: keep meta/v1 Status even when no operation returns it (the `generated`
/// crate's runtime decodes error bodies into it).
pub(crate) fn lower(sources: &[Source], keep_status: bool) -> Result<Api, Error> {
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
        kinds: BTreeMap::new(),
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
    // CRDs are self-contained (their schemas are inline; they refer only to built-in meta/v1
    // types by id), so each is lowered on its own core into its own fragment. The fragments
    // are merged below in source order, with the same checks as lowering them in turn.
    let fragments = crate::par::map(
        sources.iter().collect(),
        || (),
        |_, s| match s {
            Source::Crd {
                origin,
                pointer,
                crd,
            } => lower_crd_alone(&space, origin, pointer, crd),
            // Lowered in turn below (its operations' inline schemas go through `conv`).
            Source::OpenApi { .. } => Ok(Default::default()),
        },
    )
    .map_err(|_| Error::Internal("a lowering thread panicked".into()))?;
    let mut ops = Vec::new();
    let mut seen_ops = BTreeMap::new();
    let mut crd_kinds: BTreeMap<String, String> = BTreeMap::new();
    for (s, fragment) in sources.iter().zip(fragments) {
        match s {
            Source::Crd {
                origin,
                pointer,
                crd,
            } => {
                // The same kind from two CRDs (two feature sets of one CRD, say) is a conflict.
                for v in &crd.spec.versions {
                    let kind = format!("{}/{}/{}", crd.spec.group, v.name, crd.spec.names.kind);
                    if let Some(prev) =
                        crd_kinds.insert(kind.clone(), format!("{origin}#{pointer}"))
                    {
                        return Err(Error::Conflict {
                            first: prev,
                            second: format!("{origin}#{pointer}"),
                            message: format!("both define the kind {kind}; keep one CustomResourceDefinition per kind in specs/"),
                        });
                    }
                }
                let (types, crd_ops) = fragment?;
                for t in types.into_values() {
                    schema::insert_type(&mut conv.api.types, t)?;
                }
                ops.extend(crd_ops);
            }
            Source::OpenApi { origin, doc } => ops.extend(operations::openapi_operations(
                origin,
                doc,
                &mut conv,
                &mut seen_ops,
            )?),
        }
    }
    ops.sort_by(|a, b| {
        (&a.gv, &a.operation_id, &a.method).cmp(&(&b.gv, &b.operation_id, &b.method))
    });
    api.operations = ops;
    prune_unused_builtins(&mut api, keep_status);
    check_group_versions(&api)?;
    Ok(api)
}

/// Every group/version becomes module names, a Cargo feature and a crate: it must be one the
/// API server could serve (a DNS-1123 subdomain, or `""` for core; a DNS-1035 label), and its
/// module must not be one the crate roots already use (`runtime`, `params`, `meta`). Checked
/// once over everything lowered, so OpenAPI kinds, document paths and CRDs all pass here.
fn check_group_versions(api: &Api) -> Result<(), Error> {
    let places = api
        .types
        .values()
        .map(|t| (&t.gv, &t.origin, &t.pointer))
        .chain(
            api.operations
                .iter()
                .map(|o| (&o.gv, &o.origin, &o.pointer)),
        );
    let mut checked = BTreeSet::new();
    for (gv, origin, pointer) in places {
        if *gv == GroupVersion::meta() || !checked.insert(gv) {
            continue;
        }
        let fail = |m: String| Error::at(origin, pointer, m);
        if !gv.group.is_empty() {
            crate::validate::dns1123_subdomain(&gv.group)
                .map_err(|m| fail(format!("API group `{}` {m}", gv.group.escape_debug())))?;
        }
        crate::validate::dns1035_label(&gv.version)
            .map_err(|m| fail(format!("API version `{}` {m}", gv.version.escape_debug())))?;
        let module = crate::names::group_module(&gv.group);
        if crate::validate::RESERVED_MODULES.contains(&module.as_str()) {
            return Err(fail(format!(
                "API group `{}` would be the module `{module}`, which the generated crates use for their own (runtime, params, meta/v1)",
                gv.group
            )));
        }
    }
    Ok(())
}

/// One CRD's types and operations, lowered apart from everything else.
fn lower_crd_alone(
    space: &Space<'_>,
    origin: &str,
    pointer: &str,
    crd: &load::Crd,
) -> Result<(BTreeMap<String, TypeDef>, Vec<Operation>), Error> {
    let mut api = Api::default();
    let mut conv = schema::Converter {
        space,
        api: &mut api,
    };
    crd::lower_crd(origin, pointer, crd, &mut conv)?;
    let ops = operations::crd_operations(origin, pointer, crd)?;
    Ok((api.types, ops))
}

/// Built-in meta/v1 schemas exist so a CRD alone has ObjectMeta and ListMeta; emit only those
/// something uses.
fn prune_unused_builtins(api: &mut Api, keep_status: bool) {
    let mut keep: BTreeSet<String> = BTreeSet::new();
    let mut stack: Vec<String> = api
        .types
        .values()
        .filter(|t| !t.builtin)
        .map(|t| t.id.clone())
        .collect();
    for op in &api.operations {
        op.each_ty(|ty| ty.refs(&mut stack));
    }
    if keep_status {
        stack.push(crate::fixups::STATUS.to_string());
    }
    // Nested types hang off their root: keep them with it.
    let mut nested: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for t in api.types.values().filter(|t| t.root != t.id) {
        nested
            .entry(t.root.as_str())
            .or_default()
            .push(t.id.clone());
    }
    while let Some(id) = stack.pop() {
        if !keep.insert(id.clone()) {
            continue;
        }
        if let Some(t) = api.types.get(&id) {
            t.kind.each_ty(|ty| ty.refs(&mut stack));
            stack.extend(nested.get(id.as_str()).into_iter().flatten().cloned());
        }
    }
    api.types.retain(|id, t| !t.builtin || keep.contains(id));
}

impl Ty {
    /// Points every reference `to` maps at its new target.
    pub(crate) fn rewrite_refs(&mut self, to: &impl Fn(&str) -> Option<String>) {
        match self {
            Ty::Ref(id) => {
                if let Some(new) = to(id) {
                    *id = new;
                }
            }
            Ty::Vec(t) | Ty::Map(t) => t.rewrite_refs(to),
            _ => {}
        }
    }

    /// Every named type this type mentions.
    pub(crate) fn refs(&self, out: &mut Vec<String>) {
        match self {
            Ty::Ref(id) => out.push(id.clone()),
            Ty::Vec(t) | Ty::Map(t) => t.refs(out),
            _ => {}
        }
    }
}

impl<S: crate::ir::Stage> crate::ir::TypeKind<S> {
    pub(crate) fn each_ty_mut(&mut self, mut f: impl FnMut(&mut Ty)) {
        match self {
            crate::ir::TypeKind::Struct { fields } => {
                fields.iter_mut().for_each(|fl| f(&mut fl.ty))
            }
            crate::ir::TypeKind::Alias(t) => f(t),
            crate::ir::TypeKind::Union { variants } => {
                variants.iter_mut().for_each(|(_, t, _)| f(t))
            }
            crate::ir::TypeKind::Enum { .. }
            | crate::ir::TypeKind::IntEnum { .. }
            | crate::ir::TypeKind::External(_) => {}
        }
    }

    pub(crate) fn each_ty(&self, mut f: impl FnMut(&Ty)) {
        match self {
            crate::ir::TypeKind::Struct { fields } => fields.iter().for_each(|fl| f(&fl.ty)),
            crate::ir::TypeKind::Alias(t) => f(t),
            crate::ir::TypeKind::Union { variants } => variants.iter().for_each(|(_, t, _)| f(t)),
            crate::ir::TypeKind::Enum { .. }
            | crate::ir::TypeKind::IntEnum { .. }
            | crate::ir::TypeKind::External(_) => {}
        }
    }
}

impl<S: crate::ir::Stage> crate::ir::Operation<S> {
    pub(crate) fn each_ty_mut(&mut self, mut f: impl FnMut(&mut Ty)) {
        self.path_params
            .iter_mut()
            .chain(&mut self.query)
            .for_each(|p| f(&mut p.ty));
        if let Some(crate::ir::Body::Json { ty, .. }) = &mut self.body {
            f(ty);
        }
        match &mut self.returns {
            crate::ir::Returns::Json(ty)
            | crate::ir::Returns::Watch(ty)
            | crate::ir::Returns::StatusOr(ty)
            | crate::ir::Returns::ListOrStatus(ty) => f(ty),
            crate::ir::Returns::Text
            | crate::ir::Returns::Connect
            | crate::ir::Returns::Nothing => {}
        }
    }

    pub(crate) fn each_ty(&self, mut f: impl FnMut(&Ty)) {
        self.path_params
            .iter()
            .chain(&self.query)
            .for_each(|p| f(&p.ty));
        if let Some(crate::ir::Body::Json { ty, .. }) = &self.body {
            f(ty);
        }
        match &self.returns {
            crate::ir::Returns::Json(ty) | crate::ir::Returns::Watch(ty) => f(ty),
            crate::ir::Returns::StatusOr(ty) | crate::ir::Returns::ListOrStatus(ty) => {
                f(ty);
                f(&Ty::Ref(crate::fixups::STATUS.into()));
            }
            crate::ir::Returns::Text
            | crate::ir::Returns::Connect
            | crate::ir::Returns::Nothing => {}
        }
    }
}
