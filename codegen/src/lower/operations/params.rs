//! The query parameters Kubernetes gives every resource operation, by verb: what a CRD's
//! operations take (no document declares them), and the shared parameter sets both kinds of
//! input are grouped into.

use crate::ir::lowered::Param;
use crate::ir::{Method, ParamSet, PathTemplate, Returns, Ty};

/// A Kubernetes query parameter and the type the API server parses it as. Used for CRDs, whose
/// operations no document declares.
pub(super) fn k8s_param(wire: &str) -> Param {
    let (ty, doc) = match wire {
        "pretty" => (Ty::String, "If 'true', the response is pretty-printed."),
        "dryRun" => (Ty::String, "When set (only `All` is valid), the request is validated but nothing is persisted."),
        "fieldManager" => (Ty::String, "Name of the actor making the change; at most 128 printable characters."),
        "fieldValidation" => (Ty::String, "What the server does with unknown or duplicate fields: `Ignore`, `Warn` (default) or `Strict`."),
        "force" => (Ty::Bool, "Apply patches only: take ownership of conflicting fields from other managers. Must be unset for other patch types."),
        "resourceVersion" => (Ty::String, "Constrains which resource version may serve the request; see the API concepts on resource versions."),
        "resourceVersionMatch" => (Ty::String, "How resourceVersion applies to a list: `NotOlderThan` or `Exact`."),
        "allowWatchBookmarks" => (Ty::Bool, "Ask for BOOKMARK watch events; servers may ignore it. Ignored for non-watch requests."),
        "continue" => (Ty::String, "Token from a previous chunked list response, to get the next chunk."),
        "fieldSelector" => (Ty::String, "Only objects whose fields match this selector."),
        "labelSelector" => (Ty::String, "Only objects whose labels match this selector."),
        "limit" => (Ty::I64, "Maximum number of items in one list response; a continue token is returned when more remain."),
        "sendInitialEvents" => (Ty::Bool, "For a watch with resourceVersionMatch=NotOlderThan: start with synthetic ADDED events for the current state, then a BOOKMARK."),
        "timeoutSeconds" => (Ty::I64, "Timeout for the list/watch call, whatever the activity."),
        "watch" => (Ty::Bool, "Watch for changes and return them as a stream of events."),
        "gracePeriodSeconds" => (Ty::I64, "Seconds before the object is deleted; 0 means immediately. Unset means the kind's default."),
        "orphanDependents" => (Ty::Bool, "Deprecated: use propagationPolicy. Whether dependents are orphaned."),
        "propagationPolicy" => (Ty::String, "Garbage collection of dependents: `Orphan`, `Background` or `Foreground`."),
        "ignoreStoreReadErrorWithClusterBreakingPotential" => (Ty::Bool, "Delete objects that cannot be read from storage (corrupt or undecryptable). Unsafe: may break the cluster."),
        other => (Ty::String, other),
    };
    Param {
        values: fixed_values(wire, &ty),
        wire: wire.into(),
        rust: (),
        ty,
        doc: vec![doc.into()],
    }
}

/// The values the API server fixes for a string query parameter (`crate::query_values`).
pub(super) fn fixed_values(
    wire: &str,
    ty: &Ty,
) -> Option<&'static crate::query_values::QueryValues> {
    (*ty == Ty::String)
        .then(|| crate::query_values::lookup(wire))
        .flatten()
}

pub(super) const GET: &[&str] = &["resourceVersion"];
pub(super) const LIST: &[&str] = &[
    "allowWatchBookmarks",
    "continue",
    "fieldSelector",
    "labelSelector",
    "limit",
    "resourceVersion",
    "resourceVersionMatch",
    "sendInitialEvents",
    "timeoutSeconds",
    "watch",
];
pub(super) const CREATE: &[&str] = &["dryRun", "fieldManager", "fieldValidation"];
pub(super) const PATCH: &[&str] = &["dryRun", "fieldManager", "fieldValidation", "force"];
pub(super) const DELETE: &[&str] = &[
    "dryRun",
    "gracePeriodSeconds",
    "ignoreStoreReadErrorWithClusterBreakingPotential",
    "orphanDependents",
    "propagationPolicy",
];

/// deletecollection takes the list options (as the seed documents it) and, on current API
/// servers, the delete options too.
pub(super) fn delete_collection_params() -> Vec<&'static str> {
    let mut v: Vec<&str> = LIST.iter().chain(DELETE).copied().collect();
    v.sort_unstable();
    v.dedup();
    v
}

pub(super) fn params(names: &[&str]) -> Vec<Param> {
    std::iter::once("pretty")
        .chain(names.iter().copied())
        .map(k8s_param)
        .collect()
}

/// The standard parameter set of a CRD operation (see `Operation::shared_params`).
pub(super) fn shared_set(verb: &str, suffix: &str) -> ParamSet {
    match verb {
        "list" => ParamSet::List,
        "create" | "replace" => ParamSet::Write,
        "patch" => ParamSet::Patch,
        "read" => ParamSet::Get,
        "delete" if suffix.starts_with("Collection") => ParamSet::DeleteCollection,
        _ => ParamSet::Delete,
    }
}

/// Every standard parameter set, by name, with its parameters (`pretty` first).
pub(super) fn standard_sets() -> [(ParamSet, Vec<Param>); 6] {
    [
        (ParamSet::Get, params(GET)),
        (ParamSet::List, params(LIST)),
        (ParamSet::Write, params(CREATE)),
        (ParamSet::Patch, params(PATCH)),
        (ParamSet::Delete, params(DELETE)),
        (
            ParamSet::DeleteCollection,
            params(&delete_collection_params()),
        ),
    ]
}

/// The standard set a document's operation takes: the one of its verb (by HTTP method and
/// path shape, as `shared_set` names a CRD's), when its query parameters are some of that
/// set's (the same names, parsed as the same types). Documents list fewer than the API
/// server's generic handlers parse: core/v1's reads list only `pretty`, though every get takes
/// `resourceVersion` (GetOptions), and deletecollection leaves out the watch options the seed
/// lists. Such an operation shares the set with every other of its verb, built-in or custom,
/// and its parameters become the set's (the documents' descriptions of them are the same for
/// every operation): a get in core/v1 takes the `GetParams` a CRD's get takes, as kube has one
/// `GetParams`. Connect operations and operations without query parameters keep their own.
pub(super) fn standard_set_of(
    method: Method,
    path: &PathTemplate,
    returns: &Returns,
    query: &[Param],
) -> Option<(ParamSet, Vec<Param>)> {
    // The deprecated `/watch/` lists take the list's parameters too.
    let r = path.resource_watched()?;
    if query.is_empty() || matches!(returns, Returns::Connect) {
        return None;
    }
    let name = match (method, r.named) {
        (Method::Get, false) if r.subresource.is_none() => ParamSet::List,
        (Method::Get, true) => ParamSet::Get,
        (Method::Post, _) | (Method::Put, true) => ParamSet::Write,
        (Method::Patch, true) => ParamSet::Patch,
        (Method::Delete, true) => ParamSet::Delete,
        (Method::Delete, false) if r.subresource.is_none() => ParamSet::DeleteCollection,
        _ => return None,
    };
    let (_, set) = standard_sets().into_iter().find(|(n, _)| *n == name)?;
    let fits = query
        .iter()
        .all(|p| set.iter().any(|s| s.wire == p.wire && s.ty == p.ty));
    fits.then_some((name, set))
}
