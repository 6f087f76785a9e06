//! Schema conversion shared by both front ends: a schema position becomes a `Ty`, creating
//! named types for objects and enums on the way.

use openapiv3::ReferenceOr;

use super::Space;
use crate::error::{ptr_token, Error};
use crate::fixups;
use crate::ir::lowered::{Api, Field, TypeDef, TypeKind};
use crate::ir::{GroupVersion, ResourceInfo, Ty};
use crate::view::{Additional, SRef, View};

pub(crate) struct Converter<'s, 'a> {
    pub space: &'s Space<'a>,
    pub api: &'s mut Api,
}

/// Where a schema sits: enough to name what it becomes and to point at it in errors.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub origin: String,
    pub pointer: String,
    pub gv: GroupVersion,
    pub root: String,
    pub id: String,
    pub name: String,
    pub builtin: bool,
}

impl Ctx {
    fn child(&self, prop: &str) -> Ctx {
        Ctx {
            pointer: format!("{}/properties/{}", self.pointer, ptr_token(prop)),
            id: format!("{}.{}", self.id, prop),
            name: format!("{}{}", self.name, type_word(prop)),
            ..self.clone()
        }
    }
    fn items(&self) -> Ctx {
        Ctx {
            pointer: format!("{}/items", self.pointer),
            id: format!("{}[]", self.id),
            ..self.clone()
        }
    }
    fn values(&self) -> Ctx {
        Ctx {
            pointer: format!("{}/additionalProperties", self.pointer),
            id: format!("{}{{}}", self.id),
            ..self.clone()
        }
    }
}

/// Removes the type `outer` and every type nested in it (`outer.x`, `outer[]`, `outer{}`, and
/// so on down, as `Ctx` names them). They sort together after `outer`: a range, not a scan.
pub(crate) fn remove_nested(types: &mut std::collections::BTreeMap<String, TypeDef>, outer: &str) {
    let inside: Vec<String> = types
        .range::<str, _>((std::ops::Bound::Included(outer), std::ops::Bound::Unbounded))
        .map(|(id, _)| id)
        .take_while(|id| id.starts_with(outer))
        .filter(|id| id.len() == outer.len() || id[outer.len()..].starts_with(['.', '[', '{']))
        .cloned()
        .collect();
    for id in inside {
        types.remove(&id);
    }
}

/// The part a property adds to a nested type's name: its UpperCamelCase, symbols spelled out
/// when that is all it has (`R` and `R.$` stay distinct).
fn type_word(prop: &str) -> String {
    crate::names::ident(prop, false)
        .trim_end_matches('_')
        .to_string()
}

pub(crate) enum Shape {
    Struct(Vec<Field>),
    Enum(Vec<String>),
    IntEnum(Vec<i64>),
    Union(Vec<(String, Ty, ())>),
    Ty(Ty),
}

/// A branch that only constrains (`required`, `not`, bounds) and declares no shape of its own,
/// as CRDs write "exactly one of these fields" with `oneOf: [{required: [a]}, {required: [b]}]`.
fn constraint_only(b: SRef<'_>) -> bool {
    match b {
        SRef::Ref(_) => false,
        SRef::Inline(s) => {
            let v = View::of(s);
            v.typ.is_none()
                && v.properties.is_empty()
                && v.items.is_none()
                && v.all_of.is_empty()
                && v.one_of.is_empty()
                && v.any_of.is_empty()
                && v.additional.is_none()
        }
    }
}

/// A default the emitted code can write as a Rust literal.
fn is_literal(v: &serde_json::Value) -> bool {
    matches!(
        v,
        serde_json::Value::String(_) | serde_json::Value::Number(_) | serde_json::Value::Bool(_)
    )
}

impl<'s, 'a> Converter<'s, 'a> {
    /// Converts one named schema of the shared space into its type.
    pub(crate) fn convert_named(&mut self, id: &str) -> Result<(), Error> {
        let named = &self.space.named[id];
        if fixups::well_known(id).is_some() && !fixups::emits_alias(id) {
            return Ok(());
        }
        let name = id.rsplit('.').next().unwrap_or(id).to_string();
        let ctx = Ctx {
            origin: named.origin.clone(),
            pointer: named.pointer.clone(),
            gv: named.gv.clone(),
            root: id.to_string(),
            id: id.to_string(),
            name,
            builtin: named.builtin,
        };
        let (shape, doc, resource) = match named.schema {
            ReferenceOr::Reference { reference } => (
                Shape::Ty(self.resolve_ref(reference, &ctx)?),
                Vec::new(),
                None,
            ),
            ReferenceOr::Item(schema) => {
                let view = View::of(schema);
                let shape = match fixups::well_known(id) {
                    Some(ty) => Shape::Ty(ty),
                    None => self.shape(&view, &ctx)?,
                };
                (shape, docs(&view), self.resource_of(schema, &ctx.gv))
            }
        };
        self.define(ctx, shape, doc, resource)?;
        Ok(())
    }

    /// The resource facts of a schema whose single group-version-kind is served by some path.
    fn resource_of(&self, schema: &openapiv3::Schema, gv: &GroupVersion) -> Option<ResourceInfo> {
        let [key] = super::openapi::schema_gvks(schema).try_into().ok()?;
        if key.0 != gv.group || key.1 != gv.version {
            return None;
        }
        self.space.resources.get(&key).cloned()
    }

    /// Records the type a shape becomes (a struct or enum) and returns how to refer to it.
    pub(crate) fn define(
        &mut self,
        ctx: Ctx,
        shape: Shape,
        doc: Vec<String>,
        resource: Option<ResourceInfo>,
    ) -> Result<Ty, Error> {
        let kind = match shape {
            Shape::Struct(mut fields) => {
                if resource.is_some() {
                    // apiVersion and kind are constants of a resource, written by its Serialize.
                    fields.retain(|f| f.wire != "apiVersion" && f.wire != "kind");
                }
                TypeKind::Struct { fields }
            }
            Shape::Union(variants) => TypeKind::Union { variants },
            Shape::IntEnum(values) => TypeKind::IntEnum {
                variants: values.into_iter().map(|v| (v, ())).collect(),
            },
            Shape::Enum(values) => TypeKind::Enum {
                variants: values.into_iter().map(|v| (v, ())).collect(),
            },
            Shape::Ty(ty) if ctx.id != ctx.root => return Ok(ty),
            Shape::Ty(ty) => TypeKind::Alias(ty),
        };
        let id = ctx.id.clone();
        insert_type(
            &mut self.api.types,
            TypeDef {
                id: ctx.id,
                gv: ctx.gv,
                name: ctx.name,
                root: ctx.root,
                origin: ctx.origin,
                pointer: ctx.pointer,
                doc,
                kind,
                resource,
                default: (),
                builtin: ctx.builtin,
            },
        )?;
        Ok(Ty::Ref(id))
    }

    fn resolve_ref(&self, reference: &str, ctx: &Ctx) -> Result<Ty, Error> {
        let Some(token) = reference.strip_prefix("#/components/schemas/") else {
            return Err(Error::at(&ctx.origin, &ctx.pointer, format!("unsupported $ref `{reference}`: only #/components/schemas/<name> references are resolved")));
        };
        let name = token.replace("~1", "/").replace("~0", "~");
        if let Some(ty) = fixups::well_known(&name) {
            return Ok(ty);
        }
        if !self.space.named.contains_key(&name) {
            return Err(Error::at(
                &ctx.origin,
                &ctx.pointer,
                format!("unresolved $ref `{reference}`: no spec file defines schema `{name}`"),
            ));
        }
        Ok(Ty::Ref(name))
    }

    /// The type at a schema position.
    pub(crate) fn convert(&mut self, s: SRef<'a>, ctx: &Ctx) -> Result<Ty, Error> {
        match s {
            SRef::Ref(r) => self.resolve_ref(r, ctx),
            SRef::Inline(schema) => {
                let view = View::of(schema);
                if let Some(r) = fixups::unwrap_allof_ref(&view) {
                    return self.resolve_ref(r, ctx);
                }
                let shape = self.shape(&view, ctx)?;
                match shape {
                    Shape::Ty(ty) => Ok(ty),
                    shape => self.define(ctx.clone(), shape, docs(&view), None),
                }
            }
        }
    }

    /// What a schema is: a struct, an enum, or a plain type.
    pub(crate) fn shape(&mut self, v: &View<'a>, ctx: &Ctx) -> Result<Shape, Error> {
        if v.ext_true("x-kubernetes-int-or-string") || v.format.as_deref() == Some("int-or-string")
        {
            return Ok(Shape::Ty(Ty::IntOrString));
        }
        let preserve = v.ext_true("x-kubernetes-preserve-unknown-fields");
        if !v.all_of.is_empty() {
            return self.merge_all_of(v, ctx, preserve);
        }
        if !v.properties.is_empty() {
            return Ok(Shape::Struct(self.fields(
                &v.properties,
                &v.required,
                ctx,
                preserve,
            )?));
        }

        let branches: Vec<(SRef<'a>, String)> = v
            .one_of
            .iter()
            .enumerate()
            .map(|(i, b)| (*b, format!("{}/oneOf/{i}", ctx.pointer)))
            .chain(
                v.any_of
                    .iter()
                    .enumerate()
                    .map(|(i, b)| (*b, format!("{}/anyOf/{i}", ctx.pointer))),
            )
            .filter(|(b, _)| !constraint_only(*b))
            .collect();
        if !branches.is_empty() && !preserve {
            return self.union(&branches, ctx);
        }
        match v.typ {
            Some("string") => Ok(match v.format.as_deref() {
                Some("byte") => Shape::Ty(Ty::Bytes),
                Some("date-time") => Shape::Ty(Ty::Time),
                _ if !v.enumeration.is_empty() => {
                    let mut values = Vec::new();
                    for e in &v.enumeration {
                        match e {
                            serde_json::Value::String(s) => values.push(s.clone()),
                            // `null` in an enum only says the field is nullable.
                            serde_json::Value::Null => {}
                            other => return Err(Error::at(&ctx.origin, &format!("{}/enum", ctx.pointer), format!("string enum holds a non-string value {other}"))),
                        }
                    }
                    Shape::Enum(values)
                }
                _ => Shape::Ty(Ty::String),
            }),
            Some("integer") if !v.enumeration.is_empty() => {
                let mut values = Vec::new();
                for e in &v.enumeration {
                    match e.as_i64() {
                        Some(n) => values.push(n),
                        // `null` in an enum only says the field is nullable.
                        None if e.is_null() => {}
                        None => return Err(Error::at(&ctx.origin, &format!("{}/enum", ctx.pointer), format!("integer enum holds a non-integer value {e}"))),
                    }
                }
                Ok(Shape::IntEnum(values))
            }
            Some("integer") => Ok(Shape::Ty(if int32(v) { Ty::I32 } else { Ty::I64 })),
            Some("number") => Ok(Shape::Ty(Ty::F64)),
            Some("boolean") => Ok(Shape::Ty(Ty::Bool)),
            Some("array") => {
                let item = match v.items {
                    Some(items) => self.convert(items, &ctx.items())?,
                    None => Ty::Json,
                };
                Ok(Shape::Ty(Ty::Vec(Box::new(item))))
            }
            Some("object") | None => {
                if preserve || v.ext_true("x-kubernetes-embedded-resource") {
                    return Ok(Shape::Ty(Ty::Json));
                }
                match v.additional {
                    Some(Additional::Schema(s)) => Ok(Shape::Ty(Ty::Map(Box::new(self.convert(s, &ctx.values())?)))),
                    Some(Additional::Bool(true)) => Ok(Shape::Ty(Ty::Map(Box::new(Ty::Json)))),
                    _ => Ok(Shape::Ty(Ty::Json)),
                }
            }
            Some(other) => Err(Error::at(&ctx.origin, &format!("{}/type", ctx.pointer), format!("unknown type `{other}` (expected string, integer, number, boolean, array or object)"))),
        }
    }

    pub(crate) fn fields(
        &mut self,
        props: &[(&'a str, SRef<'a>)],
        required: &[&str],
        ctx: &Ctx,
        preserve: bool,
    ) -> Result<Vec<Field>, Error> {
        let mut fields = Vec::new();
        let required: std::collections::BTreeSet<&str> = required.iter().copied().collect();
        for (name, s) in props {
            let child = ctx.child(name);
            let ty = self.convert(*s, &child)?;
            let (doc, nullable, default) = match s {
                SRef::Inline(schema) => {
                    let d = &schema.schema_data;
                    (
                        docs(&View::of(schema)),
                        d.nullable,
                        d.default.clone().filter(is_literal),
                    )
                }
                SRef::Ref(_) => (Vec::new(), false, None),
            };
            crate::work::step();
            let required = required.contains(name);
            fields.push(Field {
                wire: name.to_string(),
                rust: (),
                ty,
                // A nullable field is an Option whether or not it is required.
                required: required && !nullable,
                doc,
                flatten: false,
                boxed: (),
                nullable: required && nullable,
                default: if nullable { None } else { default },
            });
        }
        if preserve {
            let mut extra = Field::new(
                "",
                Ty::Map(Box::new(Ty::Json)),
                true,
                "Fields beyond the declared ones: the schema preserves unknown fields.",
            );
            extra.flatten = true;
            fields.push(extra);
        }
        Ok(fields)
    }

    /// `oneOf`/`anyOf` with typed branches. Integer-or-string is IntOrString; otherwise an
    /// untagged enum, one variant per branch, named after the branch's type.
    fn union(&mut self, branches: &[(SRef<'a>, String)], ctx: &Ctx) -> Result<Shape, Error> {
        let prims: Vec<Option<&str>> = branches
            .iter()
            .map(|(b, _)| match b {
                SRef::Inline(s) => {
                    let bv = View::of(s);
                    (bv.properties.is_empty() && bv.items.is_none() && bv.enumeration.is_empty())
                        .then_some(bv.typ)
                        .flatten()
                }
                SRef::Ref(_) => None,
            })
            .collect();
        let mut kinds: Vec<&str> = prims.iter().flatten().copied().collect();
        kinds.sort_unstable();
        if prims.iter().all(Option::is_some)
            && (kinds == ["integer", "string"] || kinds == ["number", "string"])
        {
            return Ok(Shape::Ty(Ty::IntOrString));
        }
        let mut variants: Vec<(String, Ty, ())> = Vec::new();
        let mut names = crate::names::Namer::new("");
        for (i, (b, pointer)) in branches.iter().enumerate() {
            let branch_ctx = Ctx {
                pointer: pointer.clone(),
                id: format!("{}|{i}", ctx.id),
                name: format!("{}Variant{i}", ctx.name),
                ..ctx.clone()
            };
            let ty = self.convert(*b, &branch_ctx)?;
            let base = match &ty {
                Ty::String => "String".to_string(),
                Ty::Bool => "Bool".to_string(),
                Ty::I32 | Ty::I64 => "Integer".to_string(),
                Ty::F64 => "Number".to_string(),
                Ty::Vec(_) => "Array".to_string(),
                Ty::Map(_) | Ty::Json => "Object".to_string(),
                Ty::Ref(id) => id
                    .rsplit(['.', '/'])
                    .next()
                    .unwrap_or("Variant")
                    .to_string(),
                other => format!("{other:?}"),
            };
            variants.push((names.take(&base), ty, ()));
        }
        Ok(Shape::Union(variants))
    }

    /// `allOf` of objects: one struct holding every branch's properties.
    fn merge_all_of(&mut self, v: &View<'a>, ctx: &Ctx, preserve: bool) -> Result<Shape, Error> {
        let mut props: Vec<(&'a str, SRef<'a>)> = v.properties.clone();
        let mut required: Vec<&'a str> = v.required.clone();
        // The first branch to name a property gives its schema (thousands of branches may
        // repeat one: a set, not a scan of what is merged so far).
        let mut seen: std::collections::BTreeSet<&'a str> = props.iter().map(|(k, _)| *k).collect();
        for (i, branch) in v.all_of.iter().enumerate() {
            let schema = match branch {
                SRef::Inline(s) => *s,
                SRef::Ref(r) => {
                    let name = r.trim_start_matches("#/components/schemas/");
                    match self.space.named.get(name).map(|n| n.schema) {
                        Some(ReferenceOr::Item(s)) => s,
                        _ => {
                            return Err(Error::at(
                                &ctx.origin,
                                &format!("{}/allOf/{i}", ctx.pointer),
                                format!("unresolved $ref `{r}` in allOf"),
                            ))
                        }
                    }
                }
            };
            let bv = View::of(schema);
            for (k, s) in bv.properties {
                crate::work::step();
                if seen.insert(k) {
                    props.push((k, s));
                }
            }
            required.extend(bv.required);
        }
        if props.is_empty() {
            return Ok(Shape::Ty(Ty::Json));
        }
        Ok(Shape::Struct(
            self.fields(&props, &required, ctx, preserve)?,
        ))
    }
}

/// Adds a type; an id already taken is an error naming both definitions. (Between CRDs: one
/// CRD's kind is another's list kind, `Allow` and `AllowList` in one group, which the API server
/// refuses too, as a KindConflict or ListKindConflict.)
pub(crate) fn insert_type(
    types: &mut std::collections::BTreeMap<String, TypeDef>,
    t: TypeDef,
) -> Result<(), Error> {
    if let Some(prev) = types.get(&t.id) {
        return Err(Error::Conflict {
            first: format!("{}#{}", prev.origin, prev.pointer),
            second: format!("{}#{}", t.origin, t.pointer),
            message: format!("both define the type `{}`", t.id),
        });
    }
    types.insert(t.id.clone(), t);
    Ok(())
}

/// Whether an integer schema is an `i32`: `format: int32`, unless its own bounds say more.
/// controller-gen writes a Go `uint32` as `format: int32` with `maximum: 4294967295`
/// (MetalLB's BGP AS numbers), and the API server does not hold CRD integers to their format:
/// real objects carry values an `i32` cannot.
fn int32(v: &View<'_>) -> bool {
    let fits =
        |b: Option<f64>| b.is_none_or(|b| (f64::from(i32::MIN)..=f64::from(i32::MAX)).contains(&b));
    v.format.as_deref() == Some("int32") && fits(v.bounds.0) && fits(v.bounds.1)
}

/// Rustdoc lines for a schema: its description, then what the extensions say.
pub(crate) fn docs(v: &View<'_>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if let Some(d) = &v.data.description {
        out.extend(d.lines().map(str::to_string));
    }
    let mut notes = Vec::new();
    if let Some(t) = v.ext("x-kubernetes-list-type").and_then(|t| t.as_str()) {
        let keys = v
            .ext("x-kubernetes-list-map-keys")
            .and_then(|k| k.as_array())
            .map(|k| {
                k.iter()
                    .filter_map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
        match keys {
            Some(k) if t == "map" => notes.push(format!("List type: `map`, keyed by {k}.")),
            _ => notes.push(format!("List type: `{t}`.")),
        }
    }
    if let Some(t) = v.ext("x-kubernetes-map-type").and_then(|t| t.as_str()) {
        notes.push(format!("Map type: `{t}`."));
    }
    if let Some(serde_json::Value::Array(rules)) = v.ext("x-kubernetes-validations") {
        notes.push("Validation rules (CEL):".into());
        for r in rules {
            let rule = r
                .get("rule")
                .and_then(|s| s.as_str())
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            match r.get("message").and_then(|s| s.as_str()) {
                Some(m) => notes.push(format!(
                    "- `{}`: {}",
                    rule.replace('`', "'"),
                    m.split_whitespace().collect::<Vec<_>>().join(" ")
                )),
                None => notes.push(format!("- `{}`", rule.replace('`', "'"))),
            }
        }
    }
    if !v.enumeration.is_empty() && v.typ != Some("string") {
        let values: Vec<String> = v.enumeration.iter().map(|e| format!("`{e}`")).collect();
        notes.push(format!("Allowed values: {}.", values.join(", ")));
    }
    if let Some(def) = &v.data.default {
        if !(def.is_object() && def.as_object().is_some_and(|o| o.is_empty())) {
            notes.push(format!("Default: `{def}`."));
        }
    }
    if !notes.is_empty() {
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(notes);
    }
    out
}
