//! The OpenAPI v3 front end: named schemas into the shared type space, and the paths that tell
//! which kinds are resources (plural, scope).

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use super::{Named, Space};
use crate::error::{ptr_token, Error};
use crate::fixups;
use crate::ir::{GroupVersion, ResourceInfo};

/// (group, version, kind) as an `x-kubernetes-group-version-kind` entry writes it.
pub(crate) type Gvk = (String, String, String);

const GVK: &str = "x-kubernetes-group-version-kind";

/// One `{group, version, kind}` object; `None` when a part is missing.
pub(crate) fn gvk(v: &serde_json::Value) -> Option<Gvk> {
    let f = |k: &str| v.get(k).and_then(|v| v.as_str()).map(str::to_string);
    Some((f("group")?, f("version")?, f("kind")?))
}

/// The kinds a schema declares (a list of entries on schemas).
pub(crate) fn schema_gvks(s: &openapiv3::Schema) -> Vec<Gvk> {
    match s.schema_data.extensions.get(GVK) {
        Some(serde_json::Value::Array(list)) => list.iter().filter_map(gvk).collect(),
        _ => Vec::new(),
    }
}

/// The kind an operation is declared for (one entry on operations).
pub(crate) fn operation_gvk(op: &openapiv3::Operation) -> Option<&serde_json::Value> {
    op.extensions.get(GVK)
}

fn gvks(schema: &ReferenceOr<openapiv3::Schema>) -> Vec<Gvk> {
    match schema {
        ReferenceOr::Item(s) => schema_gvks(s),
        ReferenceOr::Reference { .. } => Vec::new(),
    }
}

/// Adds every component schema of `docs`. A name defined twice must have the same shape
/// (descriptions aside); built-ins only fill names no spec file defines.
pub(crate) fn collect<'a>(
    docs: &[(&str, &'a OpenAPI)],
    space: &mut Space<'a>,
    builtin: bool,
) -> Result<(), Error> {
    let mut package_groups: BTreeMap<String, GroupVersion> = BTreeMap::new();
    for (_, doc) in docs {
        for (name, schema) in doc.components.iter().flat_map(|c| c.schemas.iter()) {
            if let Some((g, v, _)) = gvks(schema).into_iter().next() {
                if let Some((package, _)) = name.rsplit_once('.') {
                    package_groups
                        .entry(package.to_string())
                        .or_insert_with(|| GroupVersion::new(&g, &v));
                }
            }
        }
    }
    for (origin, doc) in docs {
        let doc_gv = fixups::document_group_version(doc.paths.paths.keys());
        for (name, schema) in doc.components.iter().flat_map(|c| c.schemas.iter()) {
            let pointer = format!("/components/schemas/{}", ptr_token(name));
            if let Some(prev) = space.named.get(name) {
                if builtin {
                    continue;
                }
                if shape(prev.schema) != shape(schema) {
                    return Err(Error::Conflict {
                        first: format!("{}#{}", prev.origin, prev.pointer),
                        second: format!("{origin}#{pointer}"),
                        message: format!("schema `{name}` is defined twice with different shapes"),
                    });
                }
                continue;
            }
            if let [(g, v, k)] = gvks(schema).as_slice() {
                space
                    .kinds
                    .entry((g.clone(), v.clone(), k.clone()))
                    .or_insert_with(|| name.clone());
            }
            let gv = fixups::group_version_of(name, &package_groups, doc_gv.as_ref())
                .ok_or_else(|| Error::at(origin, &pointer, format!("cannot tell the API group/version of schema `{name}`: name it like Kubernetes does (io.k8s.api.<group>.<version>.<Kind>) or give it an x-kubernetes-group-version-kind")))?;
            space.named.insert(
                name.clone(),
                Named {
                    schema,
                    origin: origin.to_string(),
                    pointer,
                    gv,
                    builtin,
                },
            );
        }
    }
    Ok(())
}

/// What two definitions of one schema must agree on. Descriptions do not count, nor does the
/// list of kinds a schema declares when it names several: meta/v1 DeleteOptions and
/// WatchEvent list the group/versions of the server part that wrote the document (one
/// kube-apiserver 1.35 lists 62 in its built-in groups' documents and 55 in the document it
/// serves for a CRD's group), which says where they are used, not what they hold. One kind
/// makes a schema that kind, and counts.
fn shape(s: &ReferenceOr<openapiv3::Schema>) -> serde_json::Value {
    let mut v = serde_json::to_value(s).unwrap_or(serde_json::Value::Null);
    fixups::strip_descriptions(&mut v);
    if let Some(m) = v.as_object_mut() {
        if m.get(GVK)
            .and_then(|g| g.as_array())
            .is_some_and(|g| g.len() > 1)
        {
            m.remove(GVK);
        }
    }
    v
}

/// Finds, for every kind an operation is declared for, the plural and scope its path gives.
/// A kind served at its own path wins over one served only as a subresource (TokenRequest is
/// `serviceaccounts/{name}/token`: its path segment is `token`).
pub(crate) fn collect_resources(
    origin: &str,
    doc: &OpenAPI,
    space: &mut Space<'_>,
) -> Result<(), Error> {
    for (path, item) in doc.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            let Some(declared) = operation_gvk(op) else {
                continue;
            };
            let Some((g, v, k)) = gvk(declared) else {
                return Err(Error::at(
                    origin,
                    &format!("/paths/{}", ptr_token(path)),
                    "x-kubernetes-group-version-kind needs group, version and kind",
                ));
            };
            let Some((plural, namespaced, sub)) = resource_path(path) else {
                continue;
            };
            let key = (g, v, k.clone());
            match space.resources.get_mut(&key) {
                // A resource's own path wins over a subresource's (replaced below).
                Some(prev) if !prev.subresource || sub => {
                    // A namespaced kind is also listed across namespaces (`/api/v1/configmaps`,
                    // which may come first): any namespaced path of it makes it namespaced.
                    if prev.subresource == sub && namespaced {
                        prev.namespaced = true;
                    }
                }
                _ => {
                    space.resources.insert(
                        key,
                        ResourceInfo {
                            kind: k,
                            plural,
                            namespaced,
                            subresource: sub,
                        },
                    );
                }
            }
        }
    }
    Ok(())
}

/// `(plural or subresource segment, namespaced, is subresource)` of a resource path.
fn resource_path(path: &str) -> Option<(String, bool, bool)> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let rest = match segs.as_slice() {
        ["apis", _, _, rest @ ..] => rest,
        ["api", _, rest @ ..] => rest,
        _ => return None,
    };
    let rest: Vec<&str> = rest.iter().copied().filter(|s| *s != "watch").collect();
    let (namespaced, rest) = match rest.as_slice() {
        ["namespaces", "{namespace}", tail @ ..] if !tail.is_empty() => (true, tail.to_vec()),
        _ => (false, rest),
    };
    match rest.as_slice() {
        [plural] | [plural, _] if !plural.starts_with('{') => {
            Some((plural.to_string(), namespaced, false))
        }
        [_, _, sub] => Some((sub.to_string(), namespaced, true)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::resource_path;

    #[test]
    fn plural_scope_and_subresource_from_paths() {
        assert_eq!(
            resource_path("/apis/authentication.k8s.io/v1/tokenreviews"),
            Some(("tokenreviews".into(), false, false))
        );
        assert_eq!(
            resource_path("/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token"),
            Some(("token".into(), true, true))
        );
        assert_eq!(
            resource_path("/api/v1/namespaces/{namespace}/pods/{name}"),
            Some(("pods".into(), true, false))
        );
        assert_eq!(resource_path("/apis/authentication.k8s.io/v1/"), None);
        assert_eq!(
            resource_path("/api/v1/namespaces/{name}"),
            Some(("namespaces".into(), false, false))
        );
    }
}
