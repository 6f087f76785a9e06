//! A CRD's operations, as apiextensions-apiserver's OpenAPI builder publishes them.

use heck::ToUpperCamelCase;

use super::params::{
    delete_collection_params, params, shared_set, CREATE, DELETE, GET, LIST, PATCH,
};
use super::{path_params, with_watches};
use crate::error::Error;
use crate::fixups;
use crate::ir::lowered::{Operation, Param};
use crate::ir::{Body, GroupVersion, Method, PathTemplate, Returns, Ty};
use crate::load::Crd;

/// `config.openshift.io` + `v1` → `ConfigOpenshiftIoV1`, as Kubernetes spells operationIds.
fn gv_camel(gv: &GroupVersion) -> String {
    let group = if gv.group.is_empty() {
        "core".to_string()
    } else {
        gv.group
            .trim_end_matches(".k8s.io")
            .replace(['.', '-'], "_")
    };
    format!(
        "{}{}",
        group.to_upper_camel_case(),
        gv.version.to_upper_camel_case()
    )
}

/// The CRD's operations, in the form the API server publishes them.
pub(crate) fn crd_operations(
    origin: &str,
    pointer: &str,
    crd: &Crd,
) -> Result<Vec<Operation>, Error> {
    let spec = &crd.spec;
    let kind = &spec.names.kind;
    let namespaced = spec.scope == "Namespaced";
    let list_kind = spec
        .names
        .list_kind
        .clone()
        .unwrap_or_else(|| format!("{kind}List"));
    let mut out = Vec::new();
    for (i, version) in spec.versions.iter().enumerate().filter(|(_, v)| v.served) {
        let gv = GroupVersion::new(&spec.group, &version.name);
        let camel = gv_camel(&gv);
        let kind_ty = Ty::Ref(format!("{}/{}/{kind}", spec.group, version.name));
        let list_ty = Ty::Ref(format!("{}/{}/{list_kind}", spec.group, version.name));
        let ns = if namespaced { "Namespaced" } else { "" };
        let all = format!(
            "/apis/{}/{}/{}",
            spec.group, version.name, spec.names.plural
        );
        let root = if namespaced {
            format!(
                "/apis/{}/{}/namespaces/{{namespace}}/{}",
                spec.group, version.name, spec.names.plural
            )
        } else {
            all.clone()
        };
        let op_pointer = format!("{pointer}/spec/versions/{i}");
        let mk = |verb: &str,
                  suffix: &str,
                  method: Method,
                  path: String,
                  query: Vec<Param>,
                  body: Option<Body>,
                  returns: Returns,
                  statuses: &[u16],
                  doc: String|
         -> Result<Operation, Error> {
            // Group, version and plural were checked as the API server checks them.
            let path = PathTemplate::parse(origin, &op_pointer, &path)?;
            Ok(Operation {
                gv: gv.clone(),
                operation_id: format!("{verb}{camel}{suffix}"),
                name: (),
                method,
                path_params: path_params(&path, kind),
                resource: path.resource(),
                path,
                query,
                body,
                returns,
                statuses: statuses.to_vec(),
                fixed_query: Vec::new(),
                shared_params: Some(shared_set(verb, suffix)),
                doc: vec![doc],
                deprecated: None,
                origin: origin.to_string(),
                pointer: op_pointer.clone(),
            })
        };
        let json = |ty: &Ty| {
            Some(Body::Json {
                ty: ty.clone(),
                required: true,
            })
        };
        if namespaced {
            out.push(mk(
                "list",
                &format!("{kind}ForAllNamespaces"),
                Method::Get,
                all.clone(),
                params(LIST),
                None,
                Returns::Json(list_ty.clone()),
                &[200],
                format!("List or watch objects of kind {kind} in every namespace."),
            )?);
        }
        out.push(mk(
            "list",
            &format!("{ns}{kind}"),
            Method::Get,
            root.clone(),
            params(LIST),
            None,
            Returns::Json(list_ty.clone()),
            &[200],
            format!("List or watch objects of kind {kind}."),
        )?);
        out.push(mk(
            "create",
            &format!("{ns}{kind}"),
            Method::Post,
            root.clone(),
            params(CREATE),
            json(&kind_ty),
            Returns::Json(kind_ty.clone()),
            &[200, 201, 202],
            format!("Create a new {kind}."),
        )?);
        let dc = delete_collection_params();
        out.push(mk(
            "delete",
            &format!("Collection{ns}{kind}"),
            Method::Delete,
            root.clone(),
            params(&dc),
            Some(Body::Json {
                ty: Ty::Ref(fixups::DELETE_OPTIONS.into()),
                required: false,
            }),
            Returns::ListOrStatus(list_ty.clone()),
            &[200],
            format!("Delete a collection of {kind}."),
        )?);
        let named = format!("{root}/{{name}}");
        out.push(mk(
            "read",
            &format!("{ns}{kind}"),
            Method::Get,
            named.clone(),
            params(GET),
            None,
            Returns::Json(kind_ty.clone()),
            &[200],
            format!("Read the specified {kind}."),
        )?);
        out.push(mk(
            "replace",
            &format!("{ns}{kind}"),
            Method::Put,
            named.clone(),
            params(CREATE),
            json(&kind_ty),
            Returns::Json(kind_ty.clone()),
            &[200, 201],
            format!("Replace the specified {kind}."),
        )?);
        out.push(mk(
            "patch",
            &format!("{ns}{kind}"),
            Method::Patch,
            named.clone(),
            params(PATCH),
            Some(Body::Patch),
            Returns::Json(kind_ty.clone()),
            &[200, 201],
            format!("Partially update the specified {kind}."),
        )?);
        out.push(mk(
            "delete",
            &format!("{ns}{kind}"),
            Method::Delete,
            named.clone(),
            params(DELETE),
            Some(Body::Json {
                ty: Ty::Ref(fixups::DELETE_OPTIONS.into()),
                required: false,
            }),
            Returns::StatusOr(kind_ty.clone()),
            &[200, 202],
            format!("Delete the specified {kind}."),
        )?);
        let subs = version.subresources.as_ref();
        let mut sub_ops = Vec::new();
        if subs.is_some_and(|s| s.status.is_some()) {
            sub_ops.push(("status", "Status", kind_ty.clone()));
        }
        if subs.is_some_and(|s| s.scale.is_some()) {
            sub_ops.push(("scale", "Scale", Ty::Ref(fixups::SCALE.into())));
        }
        for (seg, title, ty) in sub_ops {
            let p = format!("{named}/{seg}");
            out.push(mk(
                "read",
                &format!("{ns}{kind}{title}"),
                Method::Get,
                p.clone(),
                params(GET),
                None,
                Returns::Json(ty.clone()),
                &[200],
                format!("Read the {seg} of the specified {kind}."),
            )?);
            out.push(mk(
                "replace",
                &format!("{ns}{kind}{title}"),
                Method::Put,
                p.clone(),
                params(CREATE),
                json(&ty),
                Returns::Json(ty.clone()),
                &[200, 201],
                format!("Replace the {seg} of the specified {kind}."),
            )?);
            out.push(mk(
                "patch",
                &format!("{ns}{kind}{title}"),
                Method::Patch,
                p,
                params(PATCH),
                Some(Body::Patch),
                Returns::Json(ty.clone()),
                &[200, 201],
                format!("Partially update the {seg} of the specified {kind}."),
            )?);
        }
    }
    Ok(with_watches(out, |op| match &op.returns {
        Returns::Json(Ty::Ref(list)) => {
            let (gv, listed) = list.rsplit_once('/')?;
            (listed == list_kind).then(|| Ty::Ref(format!("{gv}/{kind}")))
        }
        _ => None,
    }))
}
