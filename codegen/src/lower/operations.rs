//! Operations: every (path, method) of an OpenAPI document, and for a CRD the operations the
//! API server publishes for it (apiextensions-apiserver's OpenAPI builder: list, create,
//! deletecollection, read, replace, patch, delete, and read/replace/patch of the status and
//! scale subresources), plus a `watch` for every list (a list with `watch=true`). A CRD's are
//! in `crd`, the query parameters Kubernetes gives each verb in `params`; this file reads
//! documents and holds what both share (path parameters, watches).

use std::collections::BTreeMap;

use heck::ToUpperCamelCase;
use openapiv3::{OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::schema::{Converter, Ctx};
use crate::error::{ptr_token, Error};
use crate::fixups;
use crate::ir::lowered::{Operation, Param};
use crate::ir::{Body, GroupVersion, Method, ParamSet, PathTemplate, Returns, Ty};
use crate::view::SRef;

mod crd;
mod params;

pub(crate) use self::crd::crd_operations;
use self::params::{fixed_values, standard_set_of};

/// Method arguments put `name` first, then `namespace` (as Kubernetes clients do:
/// `read_namespaced_x(name, namespace)`), then any other in template order.
pub(super) fn sort_path_params(params: &mut [Param], path: &PathTemplate) {
    let order: Vec<&str> = path.params().collect();
    params.sort_by_key(|p| match p.wire.as_str() {
        "name" => 0,
        "namespace" => 1,
        other => {
            2 + order
                .iter()
                .position(|o| *o == other)
                .unwrap_or(order.len())
        }
    });
}

/// Path parameters of a CRD operation, in argument order.
pub(super) fn path_params(path: &PathTemplate, kind: &str) -> Vec<Param> {
    let mut params: Vec<Param> = path
        .params()
        .map(|name| {
            let doc = match name {
                "namespace" => "Namespace of the object.".to_string(),
                "name" => format!("Name of the {kind}."),
                other => other.to_string(),
            };
            Param {
                wire: name.into(),
                rust: (),
                ty: Ty::String,
                doc: vec![doc],
                values: None,
            }
        })
        .collect();
    sort_path_params(&mut params, path);
    params
}

/// Adds, for every list operation (`item_of` gives the listed kind's type), its watch: the same
/// path and parameters with `watch=true` always sent, returning a stream of events of that kind.
pub(super) fn with_watches(
    mut ops: Vec<Operation>,
    item_of: impl Fn(&Operation) -> Option<Ty>,
) -> Vec<Operation> {
    let mut watches = Vec::new();
    for op in &ops {
        if op.method != Method::Get || !op.query.iter().any(|p| p.wire == "watch") {
            continue;
        }
        let Some(item) = item_of(op) else { continue };
        // `listCoreV1NamespacedPod` → `watchCoreV1NamespacedPod`, as Kubernetes names the
        // deprecated watch of the same list; an operationId of another shape keeps its words.
        let rest = match op.operation_id.strip_prefix("list") {
            Some(rest) => rest.to_string(),
            None => op.operation_id.to_upper_camel_case(),
        };
        let mut w = op.clone();
        w.operation_id = format!("watch{rest}");
        w.query.retain(|p| p.wire != "watch");
        w.fixed_query = vec![("watch".into(), "true".into())];
        w.shared_params = op.shared_params.map(|_| ParamSet::Watch);
        w.returns = Returns::Watch(item);
        w.statuses = vec![200];
        w.doc = vec![format!(
            "Watch changes: {}",
            op.doc
                .first()
                .map(String::as_str)
                .unwrap_or("")
                .trim_start_matches("List or watch ")
        )];
        watches.push(w);
    }
    ops.extend(watches);
    ops
}

/// A response that is plain text whatever the other media types claim (pods/log declares
/// `type: string` under JSON too, but the server sends the log as it is).
fn is_text(content: &openapiv3::Content) -> bool {
    content.contains_key("text/plain")
}

fn content_schema(content: &openapiv3::Content) -> Option<&ReferenceOr<openapiv3::Schema>> {
    fixups::json_media_type(content).and_then(|m| m.schema.as_ref())
}

/// Where an operation was first seen: its place, and what its shape is computed from (only
/// when a second document serves the same (method, path), which is rare).
pub(crate) struct SeenOperation<'a> {
    place: String,
    doc: &'a OpenAPI,
    path_params: &'a [ReferenceOr<Parameter>],
    op: &'a openapiv3::Operation,
}

/// Every (path, method) of an OpenAPI document.
///
/// Documents overlap (the real core/v1 and a slice of it both serve
/// `serviceaccounts/{name}/token`): `seen` holds every (method, path) lowered so far; the same
/// operation again is skipped when the two agree in shape (descriptions aside) and an error
/// naming both places when they do not.
pub(crate) fn openapi_operations<'a>(
    origin: &str,
    doc: &'a OpenAPI,
    conv: &mut Converter<'_, 'a>,
    seen: &mut BTreeMap<(Method, String), SeenOperation<'a>>,
) -> Result<Vec<Operation>, Error> {
    let mut out = Vec::new();
    // The listed kind of each list operation in `out`, for its watch.
    let mut listed: Vec<Option<Ty>> = Vec::new();
    for (path, item) in doc.paths.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        let path_ptr = format!("/paths/{}", ptr_token(path));
        let template = PathTemplate::parse(origin, &path_ptr, path)?;
        // What the API server serves outside any group/version (group discovery
        // `/apis/{group}/`, `/api/`, `/apis/`, `/version/`) is apimachinery's, like the types
        // those operations return: meta/v1, compiled always.
        let gv = template.group_version().unwrap_or_else(GroupVersion::meta);
        for (key, op) in item.iter() {
            let op_ptr = format!("{path_ptr}/{key}");
            let method = Method::parse(key)
                .ok_or_else(|| Error::at(origin, &op_ptr, "not an HTTP method"))?;
            let Some(operation_id) = op.operation_id.clone() else {
                return Err(Error::at(origin, &op_ptr, "operation has no operationId"));
            };
            let key = (method, path.clone());
            if let Some(first) = seen.get(&key) {
                if operation_shape(first.doc, first.path_params, first.op)
                    != operation_shape(doc, &item.parameters, op)
                {
                    return Err(Error::Conflict {
                        first: first.place.clone(),
                        second: format!("{origin}#{op_ptr}"),
                        message: format!(
                            "both define `{} {path}`, with different parameters, bodies or responses",
                            key.0
                        ),
                    });
                }
                continue;
            }
            seen.insert(
                key,
                SeenOperation {
                    place: format!("{origin}#{op_ptr}"),
                    doc,
                    path_params: &item.parameters,
                    op,
                },
            );
            let ctx = Ctx {
                origin: origin.to_string(),
                pointer: op_ptr.clone(),
                gv: gv.clone(),
                root: String::new(),
                id: format!("{operation_id}."),
                name: operation_id.to_upper_camel_case(),
                builtin: false,
            };
            let mut path_params = Vec::new();
            let mut query = Vec::new();
            // Operation parameters override path-level ones of the same name and location.
            let mut all: Vec<(&Parameter, String)> = Vec::new();
            for (list, ptr) in [
                (&item.parameters, format!("{path_ptr}/parameters")),
                (&op.parameters, format!("{op_ptr}/parameters")),
            ] {
                for (i, p) in list.iter().enumerate() {
                    let p = resolve_param(doc, p).ok_or_else(|| {
                        Error::at(origin, &format!("{ptr}/{i}"), "unresolved parameter $ref")
                    })?;
                    all.retain(|(q, _)| {
                        !(q.parameter_data_ref().name == p.parameter_data_ref().name
                            && std::mem::discriminant(*q) == std::mem::discriminant(p))
                    });
                    all.push((p, format!("{ptr}/{i}")));
                }
            }
            for (p, ptr) in all {
                let data = p.parameter_data_ref();
                let ty = match &data.format {
                    ParameterSchemaOrContent::Schema(s) => {
                        let sref = match s {
                            ReferenceOr::Reference { reference } => SRef::Ref(reference),
                            ReferenceOr::Item(s) => SRef::Inline(s),
                        };
                        let ty = conv.convert(
                            sref,
                            &Ctx {
                                pointer: format!("{ptr}/schema"),
                                ..ctx.clone()
                            },
                        )?;
                        match ty {
                            Ty::String | Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => ty,
                            _ => Ty::String,
                        }
                    }
                    ParameterSchemaOrContent::Content(_) => Ty::String,
                };
                let values = match p {
                    Parameter::Query { .. } => fixed_values(&data.name, &ty),
                    _ => None,
                };
                let param = Param {
                    values,
                    wire: data.name.clone(),
                    rust: (),
                    ty,
                    doc: data
                        .description
                        .iter()
                        .flat_map(|d| d.lines().map(str::to_string))
                        .collect(),
                };
                match p {
                    Parameter::Path { .. } => path_params.push(param),
                    Parameter::Query { .. } => query.push(param),
                    Parameter::Header { .. } | Parameter::Cookie { .. } => {}
                }
            }
            sort_path_params(&mut path_params, &template);
            for name in template.params() {
                if !path_params.iter().any(|p| p.wire == *name) {
                    return Err(Error::at(
                        origin,
                        &op_ptr,
                        format!("path parameter `{name}` is used in the path but not declared"),
                    ));
                }
            }
            let body = match &op.request_body {
                None => None,
                Some(_) if method == Method::Patch => Some(Body::Patch),
                Some(ReferenceOr::Reference { .. }) => {
                    return Err(Error::at(
                        origin,
                        &format!("{op_ptr}/requestBody"),
                        "requestBody $refs are not supported",
                    ))
                }
                Some(ReferenceOr::Item(rb)) => match content_schema(&rb.content) {
                    Some(s) => {
                        let ty = conv.convert(
                            SRef::plain(s),
                            &Ctx {
                                pointer: format!("{op_ptr}/requestBody"),
                                id: format!("{operation_id}.body"),
                                name: format!("{}Body", ctx.name),
                                ..ctx.clone()
                            },
                        )?;
                        Some(Body::Json {
                            ty,
                            required: rb.required,
                        })
                    }
                    None => None,
                },
            };
            let action = op
                .extensions
                .get("x-kubernetes-action")
                .and_then(|a| a.as_str())
                .unwrap_or("");
            let mut statuses = Vec::new();
            let mut returns = Returns::Nothing;
            for (code, resp) in op.responses.responses.iter() {
                let openapiv3::StatusCode::Code(code) = code else {
                    continue;
                };
                if !(200..300).contains(code) {
                    // Kubernetes declares only 401 as an error; every non-2xx status is an error
                    // value in the client whatever the spec lists.
                    continue;
                }
                statuses.push(*code);
                let ReferenceOr::Item(resp) = resp else {
                    continue;
                };
                if !matches!(returns, Returns::Nothing) {
                    continue;
                }
                if action == "connect" {
                    returns = Returns::Connect;
                    continue;
                }
                if is_text(&resp.content) {
                    returns = Returns::Text;
                    continue;
                }
                if let Some(s) = content_schema(&resp.content) {
                    let ty = conv.convert(
                        SRef::plain(s),
                        &Ctx {
                            pointer: format!("{op_ptr}/responses/{code}"),
                            id: format!("{operation_id}.response"),
                            name: format!("{}Response", ctx.name),
                            ..ctx.clone()
                        },
                    )?;
                    returns = Returns::Json(ty);
                }
            }
            let kind_ty = gvk_type(op, conv);
            let mut deprecated = None;
            if matches!(action, "watch" | "watchlist") {
                // Deprecated /watch/ paths: the response is a stream of events of the kind.
                if let Some(ty) = &kind_ty {
                    returns = Returns::Watch(ty.clone());
                }
                deprecated = Some(if action == "watch" {
                    "the `/watch/` paths are deprecated: watch the list (the `watch_…` method of the kind's list, `watch=true`) with `fieldSelector=metadata.name=<name>`".to_string()
                } else {
                    "the `/watch/` paths are deprecated: watch the list (the `watch_…` method of the kind's list, `watch=true`)".to_string()
                });
            }
            // The server answers a delete with a Status when the object is gone and with the
            // object when it is still there (finalizers, graceful deletion), whatever the
            // document declares; a deletecollection with the list of the objects it deleted.
            if matches!(&returns, Returns::Json(Ty::Ref(id)) if id == fixups::STATUS) {
                match action {
                    "delete" => {
                        if let Some(object) = kind_ty.clone() {
                            returns = Returns::StatusOr(object);
                        }
                    }
                    "deletecollection" => {
                        if let Some(list) = list_type(op, conv) {
                            returns = Returns::ListOrStatus(list);
                        }
                    }
                    _ => {}
                }
            }
            listed.push(kind_ty.filter(|_| action == "list"));
            let doc = op
                .description
                .clone()
                .or_else(|| op.summary.clone())
                .map(|d| d.lines().map(str::to_string).collect())
                .unwrap_or_default();
            let (shared_params, query) = match standard_set_of(method, &template, &returns, &query)
            {
                Some((name, set)) => (Some(name), set),
                None => (None, query),
            };
            out.push(Operation {
                gv: gv.clone(),
                operation_id,
                name: (),
                method,
                resource: template.resource(),
                path: template.clone(),
                path_params,
                query,
                body,
                returns,
                statuses,
                fixed_query: Vec::new(),
                shared_params,
                doc,
                deprecated,
                origin: origin.to_string(),
                pointer: op_ptr,
            });
        }
    }
    let by_id: BTreeMap<String, Ty> = out
        .iter()
        .zip(listed)
        .filter_map(|(op, ty)| Some((op.operation_id.clone(), ty?)))
        .collect();
    Ok(with_watches(out, |op| by_id.get(&op.operation_id).cloned()))
}

/// What must agree for two documents' copies of one operation to be the same operation: its
/// effective parameters (path-level and its own, `$ref`s resolved, in name order: where a
/// document declares them does not change the operation) and the rest of it, descriptions
/// stripped.
fn operation_shape(
    doc: &OpenAPI,
    path_params: &[ReferenceOr<Parameter>],
    op: &openapiv3::Operation,
) -> serde_json::Value {
    let mut params: BTreeMap<(String, String), serde_json::Value> = BTreeMap::new();
    for p in path_params.iter().chain(&op.parameters) {
        let v = match resolve_param(doc, p) {
            Some(p) => serde_json::to_value(p),
            None => serde_json::to_value(p),
        }
        .unwrap_or_default();
        let key = |k: &str| v.get(k).and_then(|s| s.as_str()).unwrap_or("").to_string();
        params.insert((key("in"), key("name")), v);
    }
    let mut op = op.clone();
    op.parameters.clear();
    let mut v = serde_json::json!({
        "parameters": params.into_values().collect::<Vec<_>>(),
        "operation": serde_json::to_value(&op).unwrap_or_default(),
    });
    fixups::strip_descriptions(&mut v);
    v
}

/// The type of the kind an operation's x-kubernetes-group-version-kind names.
fn gvk_type(op: &openapiv3::Operation, conv: &Converter<'_, '_>) -> Option<Ty> {
    let key = super::openapi::gvk(super::openapi::operation_gvk(op)?)?;
    conv.space.kinds.get(&key).map(|id| Ty::Ref(id.clone()))
}

/// The list kind of the kind an operation is declared for (`ConfigMap` → `ConfigMapList`).
fn list_type(op: &openapiv3::Operation, conv: &Converter<'_, '_>) -> Option<Ty> {
    let (g, v, k) = super::openapi::gvk(super::openapi::operation_gvk(op)?)?;
    conv.space
        .kinds
        .get(&(g, v, format!("{k}List")))
        .map(|id| Ty::Ref(id.clone()))
}

fn resolve_param<'a>(doc: &'a OpenAPI, p: &'a ReferenceOr<Parameter>) -> Option<&'a Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match doc.components.as_ref()?.parameters.get(name)? {
                ReferenceOr::Item(p) => Some(p),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}
