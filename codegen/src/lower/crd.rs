//! The CRD front end: each version of a CustomResourceDefinition becomes a kind (with the
//! resource facts the API server would serve it with) plus its List kind.

use super::schema::{docs, remove_nested, Converter, Ctx, Shape};
use crate::error::Error;
use crate::fixups;
use crate::ir::lowered::Field;
use crate::ir::{GroupVersion, ResourceInfo, Ty};
use crate::load::Crd;
use crate::validate;
use crate::view::View;

pub(crate) fn lower_crd<'a>(
    origin: &str,
    pointer: &str,
    crd: &'a Crd,
    conv: &mut Converter<'_, 'a>,
) -> Result<(), Error> {
    let spec = &crd.spec;
    let at = |p: &str| format!("{pointer}/spec{p}");
    if spec.group.is_empty() {
        return Err(Error::at(origin, &at("/group"), "CRD group is empty"));
    }
    let kind = spec.names.kind.as_str();
    if kind.is_empty() || spec.names.plural.is_empty() {
        return Err(Error::at(
            origin,
            &at("/names"),
            "CRD names need a kind and a plural",
        ));
    }
    // What the API server would refuse (these go into request paths and module names).
    let invalid = |field: &str, value: &str, why: String| {
        Error::at(
            origin,
            &at(field),
            format!("`{}` {why}", value.escape_debug()),
        )
    };
    validate::dns1123_subdomain(&spec.group)
        .and_then(|()| match spec.group.contains('.') {
            true => Ok(()),
            false => Err("must be a domain with at least one dot".into()),
        })
        .map_err(|m| invalid("/group", &spec.group, m))?;
    validate::dns1035_label(&spec.names.plural)
        .map_err(|m| invalid("/names/plural", &spec.names.plural, m))?;
    validate::kind(kind).map_err(|m| invalid("/names/kind", kind, m))?;
    if let Some(list_kind) = &spec.names.list_kind {
        validate::kind(list_kind).map_err(|m| invalid("/names/listKind", list_kind, m))?;
    }
    for (i, v) in spec.versions.iter().enumerate() {
        validate::dns1035_label(&v.name)
            .map_err(|m| invalid(&format!("/versions/{i}/name"), &v.name, m))?;
    }
    if spec.versions.is_empty() {
        return Err(Error::at(
            origin,
            &at("/versions"),
            "CRD declares no versions",
        ));
    }
    let namespaced = match spec.scope.as_str() {
        "Namespaced" => true,
        "Cluster" => false,
        other => {
            return Err(Error::at(
                origin,
                &at("/scope"),
                format!("CRD scope `{other}` is neither Namespaced nor Cluster"),
            ))
        }
    };
    let list_kind = spec
        .names
        .list_kind
        .clone()
        .unwrap_or_else(|| format!("{kind}List"));
    for (i, version) in spec.versions.iter().enumerate() {
        let vp = at(&format!("/versions/{i}"));
        let Some(schema) = version
            .schema
            .as_ref()
            .and_then(|s| s.open_api_v3_schema.as_ref())
        else {
            return Err(Error::at(
                origin,
                &format!("{vp}/schema"),
                format!(
                    "CRD version `{}` has no schema.openAPIV3Schema",
                    version.name
                ),
            ));
        };
        let gv = GroupVersion::new(&spec.group, &version.name);
        let id = format!("{}/{}/{}", spec.group, version.name, kind);
        let ctx = Ctx {
            origin: origin.to_string(),
            pointer: format!("{vp}/schema/openAPIV3Schema"),
            gv: gv.clone(),
            root: id.clone(),
            id: id.clone(),
            name: kind.to_string(),
            builtin: false,
        };
        let view = View::of(schema);
        let mut fields = match conv.shape(&view, &ctx)? {
            Shape::Struct(fields) => fields,
            // A root with no properties is valid: with x-kubernetes-preserve-unknown-fields
            // (a CRD that leaves its shape open) the server keeps whatever is sent; without it,
            // only apiVersion, kind and metadata survive pruning.
            Shape::Ty(_) if view.typ == Some("object") && view.additional.is_none() => {
                let preserve = view.ext_true("x-kubernetes-preserve-unknown-fields");
                conv.fields(&[], &[], &ctx, preserve)?
            }
            _ => {
                return Err(Error::at(
                    origin,
                    &ctx.pointer,
                    "the root of a CRD schema must be `type: object`",
                ))
            }
        };
        // The API server serves `metadata` as ObjectMeta whether or not the schema declares it
        // (apiextensions-apiserver's builder sets the property on every kind).
        match fields.iter_mut().find(|f| f.wire == "metadata") {
            Some(f) => {
                // A schema that declares properties of its own `metadata` (some constrain
                // `name`) made a nested type of it, which nothing names now: drop it and the
                // types inside it. (Most declare a bare `type: object`: nothing to drop.)
                if let Ty::Ref(declared) = &f.ty {
                    remove_nested(&mut conv.api.types, declared);
                }
                f.ty = Ty::Ref(fixups::OBJECT_META.into())
            }
            None => fields.insert(
                0,
                Field::new(
                    "metadata",
                    Ty::Ref(fixups::OBJECT_META.into()),
                    false,
                    "Standard object metadata.",
                ),
            ),
        }
        let mut doc = docs(&view);
        let status = [
            (version.storage, "This is the storage version."),
            (version.deprecated, "This version is deprecated."),
            (!version.served, "This version is not served."),
        ];
        let notes: Vec<&str> = status
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, s)| *s)
            .collect();
        if !notes.is_empty() {
            if !doc.is_empty() {
                doc.push(String::new());
            }
            doc.push(notes.join(" "));
        }
        if let Some(sub) = &version.subresources {
            let mut s = Vec::new();
            if sub.status.is_some() {
                s.push("status");
            }
            if sub.scale.is_some() {
                s.push("scale");
            }
            if !s.is_empty() {
                if !doc.is_empty() {
                    doc.push(String::new());
                }
                doc.push(format!("Subresources: {}.", s.join(", ")));
            }
        }
        if !version.additional_printer_columns.is_empty() {
            doc.push(String::new());
            let cols: Vec<String> = version
                .additional_printer_columns
                .iter()
                .map(|c| format!("{} (`{}`)", c.name, c.json_path))
                .collect();
            doc.push(format!("`kubectl get` columns: {}.", cols.join(", ")));
        }
        let resource = |k: &str| ResourceInfo {
            kind: k.to_string(),
            plural: spec.names.plural.clone(),
            namespaced,
            subresource: false,
        };
        conv.define(
            ctx.clone(),
            Shape::Struct(fields),
            doc,
            Some(resource(kind)),
        )?;

        let list_id = format!("{}/{}/{}", spec.group, version.name, list_kind);
        // The list kind is named (or implied) by `spec.names`, not by the version's schema.
        let list_ctx = Ctx {
            root: list_id.clone(),
            id: list_id,
            name: list_kind.clone(),
            pointer: at("/names"),
            ..ctx
        };
        let list_fields = vec![
            Field::new(
                "metadata",
                Ty::Ref(fixups::LIST_META.into()),
                false,
                "Standard list metadata: resourceVersion and the continue token.",
            ),
            Field::new(
                "items",
                Ty::Vec(Box::new(Ty::Ref(id.clone()))),
                true,
                format!("The {kind} objects."),
            ),
        ];
        let list_doc = vec![format!("A list of {kind} objects.")];
        conv.define(
            list_ctx,
            Shape::Struct(list_fields),
            list_doc,
            Some(resource(&list_kind)),
        )?;
    }
    Ok(())
}
