//! kube-rs mode (`Options::kube_rs`, `kube-rs = true` in `specs/codegen.toml`): a pass over
//! the lowered IR, before planning, that makes every kind usable with `kube::Api<K>` and kube-runtime. kube implements its
//! `Resource` trait for any type implementing k8s-openapi's `Resource` and `Metadata` with
//! k8s-openapi's `ObjectMeta` (as kopium's output relies on), so in this mode meta/v1
//! ObjectMeta is k8s-openapi's (every reference to it, in kinds and templates alike), a kind's
//! `metadata` is not an `Option` (`Metadata::metadata` hands out a reference; absent or `null`
//! on the wire reads as empty, as in k8s-openapi), and the emitter adds both impls. An
//! additive Cargo feature could not do this: it changes field types.

use crate::fixups::OBJECT_META;
use crate::ir::lowered::{Api, TypeKind};

/// k8s-openapi's ObjectMeta.
pub(crate) const K8S_OPENAPI_OBJECT_META: &str =
    "k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta";

/// The k8s-openapi release kube's current release builds on. Never with a Kubernetes version
/// feature: the application picks one, as k8s-openapi requires (one per build).
pub(crate) const K8S_OPENAPI_DEPENDENCY: &str =
    "k8s-openapi = { version = \"0.29\", default-features = false }\n";

pub(crate) fn apply(api: &mut Api) {
    let Some(meta) = api.types.get_mut(OBJECT_META) else {
        return;
    };
    // An external type derives `Default` by contract (see `TypeKind::External`).
    meta.kind = TypeKind::External(K8S_OPENAPI_OBJECT_META);
    for t in api.types.values_mut().filter(|t| t.resource.is_some()) {
        if let TypeKind::Struct { fields } = &mut t.kind {
            for f in fields.iter_mut().filter(|f| f.is_object_meta()) {
                f.required = true;
                f.nullable = false;
            }
        }
    }
}

/// Whether the kind's `metadata` is ObjectMeta, held directly (as `apply` makes it), so the
/// kind can implement k8s-openapi's `Metadata`.
pub(crate) fn metadata_field(fields: &[crate::ir::Field]) -> Option<&crate::ir::Field> {
    fields
        .iter()
        .find(|f| f.is_object_meta() && f.required && !f.nullable)
}
