//! The handles of each group/version, planned once: one per resource, scoped the way the
//! resource is, with methods named by verb (client-go's `CoreV1().Pods(ns).Get(…)`, kube's
//! `Api::<Pod>::namespaced(client, ns).get(…)`). Emission (`emit/handles.rs`) and the front
//! page read this plan; neither decides a name.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::error::Error;
use crate::ir::{Api, GroupVersion, Operation, Returns, Ty, TypeKind};

/// Subresource method names that say what the operation does better than `<verb>_<segment>`
/// (client-go: `GetLogs`, `Evict`), keyed by (segment, HTTP method).
const SUBRESOURCE_NAMES: &[(&str, crate::ir::Method, &str)] = &[
    ("log", crate::ir::Method::Get, "logs"),
    ("eviction", crate::ir::Method::Post, "evict"),
];

/// A method of a handle: its name and the operation it sends.
pub(crate) struct Method<'a> {
    pub name: String,
    pub op: &'a Operation,
    /// Also emit the server-side apply form of this patch (`apply`, `apply_status`), reading
    /// the name from the object's metadata.
    pub apply: Option<Apply>,
}

/// The apply form of a patch: its method name, and the object's `metadata` field that names
/// it (Rust name, and whether it is required rather than an `Option`).
pub(crate) struct Apply {
    pub name: String,
    pub meta_field: String,
    pub meta_required: bool,
}

/// The handles of one resource (its plural).
pub(crate) struct Handle<'a> {
    /// `PodApi`.
    pub name: String,
    pub plural: String,
    pub namespaced: bool,
    pub methods: Vec<Method<'a>>,
    /// The operations that span every namespace (`PodAllNamespacesApi`: list and watch).
    pub all_namespaces: Vec<Method<'a>>,
}

impl Handle<'_> {
    pub(crate) fn all_namespaces_name(&self) -> String {
        // One `Api` off the end: the handle of a kind named `Api` is `ApiApi`.
        let kind = self.name.strip_suffix("Api").unwrap_or(&self.name);
        format!("{kind}AllNamespacesApi")
    }
}

/// The verb-named method of an operation on its resource's handle.
fn verb(op: &Operation) -> Option<String> {
    use crate::ir::Method::{Delete, Get, Patch, Post, Put};
    let r = op.resource.as_ref()?;
    // A list's watch; the deprecated `/watch/` paths have no resource path.
    let watch = matches!(op.returns, Returns::Watch(_));
    let m = op.method;
    let name = match (&r.subresource, r.named) {
        (None, false) => match m {
            Get if watch => "watch".to_string(),
            Get => "list".to_string(),
            Post => "create".to_string(),
            Delete => "delete_collection".to_string(),
            _ => return None,
        },
        (None, true) => match m {
            Get => "get",
            Put => "replace",
            Patch => "patch",
            Delete => "delete",
            _ => return None,
        }
        .to_string(),
        (Some(sub), true) => {
            let seg = sub.to_snake_case();
            if matches!(op.returns, Returns::Connect) {
                let with = if r.sub_path { "_with_path" } else { "" };
                format!("connect_{}_{seg}{with}", m.as_str().to_ascii_lowercase())
            } else if let Some((_, _, n)) = SUBRESOURCE_NAMES
                .iter()
                .find(|(s, method, _)| s == sub && *method == m)
            {
                n.to_string()
            } else {
                let v = match m {
                    Get => "get",
                    Put => "replace",
                    Patch => "patch",
                    Post => "create",
                    Delete => "delete",
                    _ => return None,
                };
                format!("{v}_{seg}")
            }
        }
        (Some(_), false) => return None,
    };
    syn::parse_str::<syn::Ident>(&name).is_ok().then_some(name)
}

/// The kind's Rust name read off the operation names when no type of the group/version
/// carries the resource (core/v1's `serviceaccounts/{name}/token` alone: ServiceAccount is not
/// in the document): `create_namespaced_service_account_token` → `ServiceAccount`, kept only
/// when it spells the plural's stem.
fn kind_from_names(plural: &str, ops: &[&Operation]) -> Option<String> {
    const VERBS: &[&str] = &[
        "delete_collection_",
        "list_",
        "watch_",
        "create_",
        "read_",
        "replace_",
        "patch_",
        "delete_",
        "connect_get_",
        "connect_post_",
        "connect_put_",
        "connect_patch_",
        "connect_delete_",
        "connect_head_",
        "connect_options_",
    ];
    ops.iter().find_map(|op| {
        let r = op.resource.as_ref()?;
        let mut s = op.name.as_str();
        s = VERBS.iter().find_map(|v| s.strip_prefix(v)).unwrap_or(s);
        s = s.strip_prefix("namespaced_").unwrap_or(s);
        s = s.strip_suffix("_for_all_namespaces").unwrap_or(s);
        s = s.strip_suffix("_with_path").unwrap_or(s);
        if let Some(sub) = &r.subresource {
            s = s
                .strip_suffix(&format!("_{}", sub.to_snake_case()))
                .unwrap_or(s);
        }
        let stem = s.replace('_', "");
        (!stem.is_empty() && plural.starts_with(&stem)).then(|| s.to_upper_camel_case())
    })
}

/// The handles of one group/version. Handle names must not collide with the group's own
/// names (types, `Api`, `…Params`): a collision is an error naming both.
pub(crate) fn plan<'a>(
    api: &Api,
    gv: &GroupVersion,
    ops: &[&'a Operation],
) -> Result<Vec<Handle<'a>>, Error> {
    let mut by_plural: BTreeMap<&str, Vec<&'a Operation>> = BTreeMap::new();
    for op in ops {
        if let Some(r) = &op.resource {
            if op.deprecated.is_none() {
                by_plural.entry(r.plural.as_str()).or_default().push(op);
            }
        }
    }
    let types: Vec<_> = api.types.values().filter(|t| t.gv == *gv).collect();
    let mut taken: BTreeMap<String, String> = types
        .iter()
        .filter(|t| t.root == t.id)
        .map(|t| (t.name.clone(), format!("{}#{}", t.origin, t.pointer)))
        .collect();
    taken.insert("Api".into(), "the group's Api".into());
    for op in ops {
        taken.insert(
            crate::names::params_type(op),
            format!("{}#{}", op.origin, op.pointer),
        );
    }
    let mut handles = Vec::new();
    for (plural, ops) in by_plural {
        let kind = types
            .iter()
            .find(|t| {
                t.resource
                    .as_ref()
                    .is_some_and(|r| r.plural == plural && !r.subresource)
            })
            .map(|t| t.name.clone())
            .or_else(|| kind_from_names(plural, &ops))
            .unwrap_or_else(|| plural.to_upper_camel_case());
        // A kind whose type name took a trailing `_` (`Result_`: a reserved name) needs none in
        // its handle's (`ResultApi`).
        let kind = kind.trim_end_matches('_');
        let name = format!("{kind}Api");
        let first = ops[0];
        for n in [name.clone(), format!("{kind}AllNamespacesApi")] {
            if let Some(prev) = taken.get(&n) {
                return Err(Error::Conflict {
                    first: prev.clone(),
                    second: format!("{}#{}", first.origin, first.pointer),
                    message: format!(
                        "the handle of the resource `{plural}` would be named `{n}`, a name the group already uses"
                    ),
                });
            }
            taken.insert(n, format!("{}#{}", first.origin, first.pointer));
        }
        let namespaced = ops
            .iter()
            .any(|op| op.resource.as_ref().is_some_and(|r| r.namespaced));
        let mut methods = Vec::new();
        let mut all_namespaces = Vec::new();
        for op in ops {
            let (Some(r), Some(verb)) = (&op.resource, verb(op)) else {
                continue;
            };
            let target = if namespaced && !r.namespaced {
                if r.named || r.subresource.is_some() {
                    continue;
                }
                &mut all_namespaces
            } else {
                &mut methods
            };
            let apply = applies(api, op).map(|(meta_field, meta_required)| Apply {
                name: verb.replacen("patch", "apply", 1),
                meta_field,
                meta_required,
            });
            target.push(Method {
                name: verb,
                op,
                apply,
            });
        }
        dedupe(&mut methods);
        dedupe(&mut all_namespaces);
        handles.push(Handle {
            name,
            plural: plural.to_string(),
            namespaced,
            methods,
            all_namespaces,
        });
    }
    Ok(handles)
}

/// Two operations that would get one method name both keep their operation's own name
/// (deterministic, nothing dropped); an `apply` that collides is left out (its patch stays).
fn dedupe(methods: &mut [Method<'_>]) {
    let mut count: BTreeMap<String, usize> = BTreeMap::new();
    for m in methods.iter() {
        *count.entry(m.name.clone()).or_default() += 1;
    }
    for m in methods.iter_mut() {
        if count[&m.name] > 1 {
            m.name = m.op.name.clone();
        }
    }
    let names: BTreeSet<String> = methods.iter().map(|m| m.name.clone()).collect();
    for m in methods.iter_mut() {
        if m.apply.as_ref().is_some_and(|a| names.contains(&a.name)) {
            m.apply = None;
        }
    }
}

/// For a patch that takes a field manager and answers with an object whose `metadata` (meta/v1
/// ObjectMeta) names it, so `apply(&object, field_manager, …)` can send it: that field's Rust
/// name, and whether it is required (not an `Option`).
fn applies(api: &Api, op: &Operation) -> Option<(String, bool)> {
    if op.method != crate::ir::Method::Patch || !op.query.iter().any(|p| p.wire == "fieldManager") {
        return None;
    }
    let Returns::Json(ty) = &op.returns else {
        return None;
    };
    object_meta(api, ty)
}

/// The `metadata` (meta/v1 ObjectMeta) field of the object type `ty`: its Rust name, and
/// whether it is required (not an `Option`).
pub(crate) fn object_meta(api: &Api, ty: &Ty) -> Option<(String, bool)> {
    let Ty::Ref(id) = ty else {
        return None;
    };
    let TypeKind::Struct { fields } = &api.types.get(id)?.kind else {
        return None;
    };
    fields
        .iter()
        .find(|f| f.is_object_meta())
        .map(|f| (f.rust.clone(), f.required && !f.nullable))
}
