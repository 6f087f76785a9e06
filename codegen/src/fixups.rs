//! Known quirks of real Kubernetes documents, each normalized in one named function.

use crate::ir::{GroupVersion, Ty};
use crate::view::{SRef, View};

const META_V1: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.";

/// apimachinery types whose JSON form is not what their schema says (or says too little):
/// they map to hand-written runtime types instead of generated ones.
pub(crate) fn well_known(id: &str) -> Option<Ty> {
    match id {
        // Upstream declares MicroTime as plain `date-time`, like Time, but the API server writes
        // it with microseconds; only the name tells them apart.
        "io.k8s.apimachinery.pkg.apis.meta.v1.Time" => Some(Ty::Time),
        "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime" => Some(Ty::MicroTime),
        "io.k8s.apimachinery.pkg.util.intstr.IntOrString" => Some(Ty::IntOrString),
        "io.k8s.apimachinery.pkg.api.resource.Quantity" => Some(Ty::Quantity),
        _ => None,
    }
}

/// Whether a named schema is emitted as a type of its own. Time and MicroTime are (as aliases of
/// the runtime types, so `meta::v1::Time` exists); IntOrString and Quantity live in the runtime.
pub(crate) fn emits_alias(id: &str) -> bool {
    id.starts_with(META_V1)
}

/// `$ref`s come wrapped as `allOf: [{$ref}]` beside `default: {}` and a description, because
/// OpenAPI 3.0 ignores siblings of `$ref`. The wrapper means "this reference".
pub(crate) fn unwrap_allof_ref<'a>(v: &View<'a>) -> Option<&'a str> {
    if v.all_of.len() == 1 && v.typ.is_none() && v.properties.is_empty() && v.items.is_none() {
        if let SRef::Ref(r) = v.all_of[0] {
            return Some(r);
        }
    }
    None
}

/// The group/version a named OpenAPI schema belongs to. Kubernetes names schemas after the Go
/// package (`io.k8s.api.authentication.v1.TokenReview`); the package's API group comes from the
/// `x-kubernetes-group-version-kind` of any schema in that package. apimachinery's shared types
/// all go to `meta/v1` (APIResourceList even claims group "" upstream, which would put it in core).
pub(crate) fn group_version_of(
    id: &str,
    package_groups: &std::collections::BTreeMap<String, GroupVersion>,
    fallback: Option<&GroupVersion>,
) -> Option<GroupVersion> {
    if id.starts_with("io.k8s.apimachinery.") {
        return Some(GroupVersion::meta());
    }
    let package = id.rsplit_once('.').map(|(p, _)| p)?;
    if let Some(gv) = package_groups.get(package) {
        return Some(gv.clone());
    }
    // No kind in the package declares its group: read it from the name. `core` is the legacy
    // group; any other package name is taken as the group itself.
    let parts: Vec<&str> = package.split('.').collect();
    if parts.len() >= 2 && parts[..parts.len() - 2].ends_with(&["api"]) {
        let (pkg, version) = (parts[parts.len() - 2], parts[parts.len() - 1]);
        let group = if pkg == "core" { "" } else { pkg };
        return Some(GroupVersion::new(group, version));
    }
    fallback.cloned()
}

/// The group/version a document serves, from its paths (`/apis/{group}/{version}/…` or
/// `/api/v1/…`).
pub(crate) fn document_group_version<'a>(
    paths: impl Iterator<Item = &'a String>,
) -> Option<GroupVersion> {
    for p in paths {
        let segs: Vec<&str> = p.trim_matches('/').split('/').collect();
        match segs.as_slice() {
            ["apis", g, v, ..] => return Some(GroupVersion::new(g, v)),
            ["api", v, ..] => return Some(GroupVersion::new("", v)),
            _ => {}
        }
    }
    None
}

/// For a CRD, `metadata` is declared as a bare `type: object`; the API server serves
/// `meta/v1 ObjectMeta` there.
pub(crate) const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
/// Every list kind carries `meta/v1 ListMeta`.
pub(crate) const LIST_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta";

/// Strips what does not change a schema's shape (every string-valued `description`), so two
/// documents that define the same type can be compared. A property *named* `description` is a
/// schema object and is kept.
pub fn strip_descriptions(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            if m.get("description")
                .is_some_and(serde_json::Value::is_string)
            {
                m.remove("description");
            }
            m.values_mut().for_each(strip_descriptions);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(strip_descriptions),
        _ => {}
    }
}

/// Kubernetes declares every response in several media types (JSON, YAML, protobuf, CBOR) and
/// request bodies as `*/*`; all of them describe the same JSON shape. The client speaks JSON.
pub(crate) fn json_media_type(content: &openapiv3::Content) -> Option<&openapiv3::MediaType> {
    content
        .get("application/json")
        .or_else(|| content.get("*/*"))
        .or_else(|| content.values().next())
}

/// meta/v1 Status: what deletes and errors return.
pub(crate) const STATUS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Status";
/// meta/v1 DeleteOptions: the optional body of delete operations.
pub(crate) const DELETE_OPTIONS: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions";
/// autoscaling/v1 Scale: what a CRD's scale subresource serves.
pub(crate) const SCALE: &str = "io.k8s.api.autoscaling.v1.Scale";
