//! The plan stage: the lowered IR in, the planned IR out (see `ir`'s stages). Every Rust name
//! is made and checked here (types unique per module, fields per struct, variants per enum,
//! methods and parameters per operation), and the facts of `facts` are applied. The planned
//! IR is built once, from values computed on the lowered one; nothing is filled in afterwards.

mod facts;

use std::collections::{BTreeMap, BTreeSet};

use heck::ToUpperCamelCase;

use crate::error::Error;
use crate::ir::{
    Api, Field, GroupVersion, Lowered, Operation, Param, Planned, Ty, TypeDef, TypeKind,
};
use crate::names::{ident, method_name, module_path, type_ident, Namer, RESERVED_TYPE_NAMES};

/// Plans `api`: names, boxes, `Default`s and the schema defaults that apply.
pub(crate) fn plan(api: Api<Lowered>) -> Result<Api<Planned>, Error> {
    check_alias_cycles(&api)?;
    let type_names = type_names(&api)?;
    let operations = operation_names(&api, &type_names)?;
    let enums = facts::Enums::of(&api);
    let defaults = facts::derive_default(&api, &enums);
    let boxed = facts::boxed(&api);
    let planned = |t: TypeDef<Lowered>| TypeDef {
        kind: plan_kind(&t.id, t.kind, &enums, &boxed),
        name: type_names[&t.id].clone(),
        default: defaults.contains(&t.id),
        id: t.id,
        gv: t.gv,
        root: t.root,
        origin: t.origin,
        pointer: t.pointer,
        doc: t.doc,
        resource: t.resource,
        builtin: t.builtin,
    };
    Ok(Api {
        types: api
            .types
            .into_iter()
            .map(|(id, t)| (id, planned(t)))
            .collect(),
        operations: api
            .operations
            .into_iter()
            .zip(operations)
            .map(|(op, names)| plan_operation(op, names))
            .collect(),
    })
}

/// A type's kind with its fields' and variants' Rust names (unique in the type), boxes and the
/// schema defaults that apply.
fn plan_kind(
    id: &str,
    kind: TypeKind<Lowered>,
    enums: &facts::Enums,
    boxed: &BTreeSet<(String, usize)>,
) -> TypeKind<Planned> {
    let is_boxed = |i: usize| boxed.contains(&(id.to_string(), i));
    match kind {
        TypeKind::Struct { fields } => {
            let mut names = Namer::new("_");
            let fields = fields
                .into_iter()
                .enumerate()
                .map(|(i, f)| {
                    let base = if f.flatten {
                        "unknown_fields".to_string()
                    } else {
                        ident(&f.wire, true)
                    };
                    Field {
                        rust: names.take(&base),
                        boxed: is_boxed(i),
                        default: enums.fit_default(&f),
                        wire: f.wire,
                        ty: f.ty,
                        required: f.required,
                        doc: f.doc,
                        flatten: f.flatten,
                        nullable: f.nullable,
                    }
                })
                .collect();
            TypeKind::Struct { fields }
        }
        TypeKind::Enum { variants } => {
            // `Other` is the catch-all for values this version does not know.
            let mut names = Namer::with_taken("", &["Other"]);
            let variants = variants
                .into_iter()
                .map(|(wire, ())| {
                    let rust = names.take(&ident(&wire, false));
                    (wire, rust)
                })
                .collect();
            TypeKind::Enum { variants }
        }
        TypeKind::Union { variants } => {
            let mut names = Namer::new("");
            let variants = variants
                .into_iter()
                .enumerate()
                .map(|(i, (name, ty, ()))| (names.take(&ident(&name, false)), ty, is_boxed(i)))
                .collect();
            TypeKind::Union { variants }
        }
        TypeKind::IntEnum { variants } => {
            let mut names = Namer::with_taken("_", &["Other"]);
            let variants = variants
                .into_iter()
                .map(|(value, ())| {
                    let base = if value < 0 {
                        format!("VMinus{}", value.unsigned_abs())
                    } else {
                        format!("V{value}")
                    };
                    (value, names.take(&base))
                })
                .collect();
            TypeKind::IntEnum { variants }
        }
        TypeKind::Alias(ty) => TypeKind::Alias(ty),
        TypeKind::External(path) => TypeKind::External(path),
    }
}

/// The method name of an operation and its parameters' names, one per parameter in order.
struct OperationNames {
    name: String,
    path: Vec<String>,
    query: Vec<String>,
}

fn plan_operation(op: Operation<Lowered>, names: OperationNames) -> Operation<Planned> {
    let plan_params = |ps: Vec<Param<Lowered>>, names: Vec<String>| -> Vec<Param<Planned>> {
        ps.into_iter()
            .zip(names)
            .map(|(p, rust)| Param {
                rust,
                wire: p.wire,
                ty: p.ty,
                doc: p.doc,
                values: p.values,
            })
            .collect()
    };
    let path_params = plan_params(op.path_params, names.path);
    let query = plan_params(op.query, names.query);
    Operation {
        name: names.name,
        path_params,
        query,
        gv: op.gv,
        operation_id: op.operation_id,
        method: op.method,
        path: op.path,
        resource: op.resource,
        body: op.body,
        returns: op.returns,
        statuses: op.statuses,
        fixed_query: op.fixed_query,
        shared_params: op.shared_params,
        doc: op.doc,
        deprecated: op.deprecated,
        origin: op.origin,
        pointer: op.pointer,
    }
}

/// Method names, unique per group/version and clear of the types' names (an operation's own
/// `…Params` struct sits beside them), and parameter names, unique per operation.
fn operation_names(
    api: &Api<Lowered>,
    type_names: &BTreeMap<String, String>,
) -> Result<Vec<OperationNames>, Error> {
    let mut seen: BTreeMap<(GroupVersion, String), String> = BTreeMap::new();
    let taken: BTreeSet<(&GroupVersion, &str)> = api
        .types
        .values()
        .map(|t| (&t.gv, type_names[&t.id].as_str()))
        .collect();
    let mut snake: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Vec::with_capacity(api.operations.len());
    for op in &api.operations {
        let mut name = method_name(&op.operation_id, &op.gv.version);
        if op.deprecated.is_some() {
            // The deprecated `/watch/{name}` operations are named like the list watches that
            // replace them (`watchNamespacedDeployment`): the replacement keeps the plain name.
            name = format!("deprecated_{name}");
        }
        let here = format!("{}#{}", op.origin, op.pointer);
        if let Some(prev) = seen.insert((op.gv.clone(), name.clone()), here.clone()) {
            return Err(Error::Conflict {
                first: prev,
                second: here,
                message: format!(
                    "two operations are both named `{name}` in module {}",
                    module_path(&op.gv)
                ),
            });
        }
        // Named as `names::params_type` names it, from the method name.
        let params = format!("{}Params", name.to_upper_camel_case());
        if taken.contains(&(&op.gv, params.as_str())) {
            return Err(Error::Conflict {
                first: here.clone(),
                second: here,
                message: format!(
                    "the parameters struct `{params}` would collide with a schema of the same name"
                ),
            });
        }
        // One scope for all of an operation's parameters (they are arguments of one method).
        let mut names = Namer::with_taken("_", &["body", "params"]);
        let mut take = |ps: &[Param<Lowered>]| -> Vec<String> {
            ps.iter()
                .map(|p| {
                    // Every operation of a kind takes the same dozen parameters: convert each
                    // once.
                    let base = snake
                        .entry(p.wire.clone())
                        .or_insert_with(|| ident(&p.wire, true));
                    names.take(base)
                })
                .collect()
        };
        let path = take(&op.path_params);
        let query = take(&op.query);
        out.push(OperationNames { name, path, query });
    }
    Ok(out)
}

/// A schema that is only a `$ref` to another is a type alias; a ring of them (A → B → A) has
/// no type at all. Each alias is followed once over all starts (a chain of n aliases costs n
/// steps, not n²): a walk stops at a type an earlier walk already cleared.
fn check_alias_cycles(api: &Api<Lowered>) -> Result<(), Error> {
    let mut cleared: BTreeSet<&str> = BTreeSet::new();
    for start in api.types.values() {
        // The aliases of this walk, in order, and where each sits in it.
        let mut chain: Vec<&str> = Vec::new();
        let mut on_chain: BTreeMap<&str, usize> = BTreeMap::new();
        let mut at = start;
        loop {
            crate::work::step();
            if cleared.contains(at.id.as_str()) {
                break;
            }
            if let Some(&from) = on_chain.get(at.id.as_str()) {
                // A ring: reported from its first id, whichever alias led into it.
                let ring = &chain[from..];
                let first = (0..ring.len()).min_by_key(|&i| ring[i]).unwrap_or(0);
                let mut names: Vec<&str> = ring[first..]
                    .iter()
                    .chain(&ring[..first])
                    .copied()
                    .collect();
                let t = &api.types[names[0]];
                names.push(names[0]);
                return Err(Error::at(
                    &t.origin,
                    &t.pointer,
                    format!("`$ref` cycle with no type in it: {}", names.join(" → ")),
                ));
            }
            on_chain.insert(at.id.as_str(), chain.len());
            chain.push(at.id.as_str());
            match &at.kind {
                TypeKind::Alias(Ty::Ref(next)) => match api.types.get(next) {
                    Some(t) => at = t,
                    None => break,
                },
                _ => break,
            }
        }
        cleared.extend(chain);
    }
    Ok(())
}

/// Rust names of types, unique per module. Two top-level types with one name, or a nested
/// (anonymous) type named like a top-level one, is an error naming both. Two nested types that
/// meet (properties `fooBar` and `foo_bar` both holding objects) are numbered: `XFooBar`,
/// `XFooBar2`, in id order. By id.
fn type_names(api: &Api<Lowered>) -> Result<BTreeMap<String, String>, Error> {
    let mut seen: BTreeMap<(GroupVersion, String), String> = BTreeMap::new();
    let mut next: BTreeMap<(GroupVersion, String), usize> = BTreeMap::new();
    let mut names: BTreeMap<String, String> = BTreeMap::new();
    let mut ids: Vec<(bool, String)> = api
        .types
        .values()
        .map(|t| (t.root != t.id, t.id.clone()))
        .collect();
    // Top-level types first, so they keep their names.
    ids.sort();
    for (nested, id) in ids {
        let t = &api.types[&id];
        let mut base = type_ident(&t.name);
        if RESERVED_TYPE_NAMES.contains(&base.as_str()) {
            base.push('_');
        }
        let mut name = base.clone();
        // Numbers already handed out for this base are all taken by nested types: start after.
        let counter = (t.gv.clone(), base.clone());
        let mut n = next.get(&counter).copied().unwrap_or(2);
        loop {
            crate::work::step();
            let key = (t.gv.clone(), name.clone());
            match seen.get(&key) {
                None => break,
                Some(prev) if nested && api.types[prev].root != api.types[prev].id => {
                    name = format!("{base}{n}");
                    n += 1;
                    next.insert(counter.clone(), n);
                }
                Some(prev) => {
                    let p = &api.types[prev];
                    return Err(Error::Conflict {
                        first: format!("{}#{}", p.origin, p.pointer),
                        second: format!("{}#{}", t.origin, t.pointer),
                        message: format!(
                            "both define the Rust type `{name}` in module {}",
                            module_path(&t.gv)
                        ),
                    });
                }
            }
        }
        seen.insert((t.gv.clone(), name.clone()), id.clone());
        names.insert(id, name);
    }
    Ok(names)
}
