//! The one model both front ends lower into, and the emitter reads.
//!
//! It comes in two stages. Lowering writes [`Lowered`]: no Rust names yet, nothing derived.
//! `plan::plan` builds the [`Planned`] IR from it (names checked for collisions, which fields
//! are boxed, which types derive `Default`, which schema defaults apply), and layout and
//! emission read only that. The planned facts are fields of the planned stage alone, so nothing
//! can read one before it is made, and nothing fills them in afterwards.

use std::collections::BTreeMap;

mod path;
pub(crate) use path::{Method, PathTemplate, ResourcePath};

/// A stage of the IR: what a planned name and a planned yes/no are in it.
pub(crate) trait Stage {
    /// A Rust identifier planned by `plan`.
    type Name: Clone + std::fmt::Debug + Default + PartialEq;
    /// A fact planned by `plan` (boxed, derives `Default`).
    type Flag: Clone + Copy + std::fmt::Debug + Default + PartialEq;
}

/// The IR as the front ends write it: nothing planned (`()`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Lowered;

/// The IR after `plan::plan`: every name and fact made.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Planned;

impl Stage for Lowered {
    type Name = ();
    type Flag = ();
}

impl Stage for Planned {
    type Name = String;
    type Flag = bool;
}

/// The IR types of the lowered stage, for the front ends and the passes before planning.
pub(crate) mod lowered {
    pub(crate) type Api = super::Api<super::Lowered>;
    pub(crate) type Field = super::Field<super::Lowered>;
    pub(crate) type Operation = super::Operation<super::Lowered>;
    pub(crate) type Param = super::Param<super::Lowered>;
    pub(crate) type TypeDef = super::TypeDef<super::Lowered>;
    pub(crate) type TypeKind = super::TypeKind<super::Lowered>;
}

/// An API group and version. The legacy core group is `""`; the shared apimachinery types
/// live in the pseudo-group `meta`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct GroupVersion {
    pub group: String,
    pub version: String,
}

impl GroupVersion {
    pub(crate) fn new(group: &str, version: &str) -> Self {
        GroupVersion {
            group: group.to_string(),
            version: version.to_string(),
        }
    }
    pub(crate) fn meta() -> Self {
        GroupVersion::new(META_GROUP, "v1")
    }
    /// `apiVersion` as written on the wire.
    pub(crate) fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }
}

pub(crate) const META_GROUP: &str = "meta";

/// A Rust type expression.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Ty {
    String,
    Bool,
    I32,
    I64,
    F64,
    /// `format: byte`: base64 on the wire, bytes in Rust.
    Bytes,
    Time,
    MicroTime,
    IntOrString,
    Quantity,
    /// Anything goes: `serde_json::Value`.
    Json,
    Vec(Box<Ty>),
    Map(Box<Ty>),
    /// A named type, by id.
    Ref(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Field<S: Stage = Planned> {
    pub wire: String,
    /// Planned by `plan`.
    pub rust: S::Name,
    pub ty: Ty,
    pub required: bool,
    pub doc: Vec<String>,
    /// Holds the fields a `x-kubernetes-preserve-unknown-fields` object keeps beyond its
    /// declared properties.
    pub flatten: bool,
    /// Planned by `plan`: the field's type contains the struct itself.
    pub boxed: S::Flag,
    /// Required but may be `null` (`nullable: true`): `Option<T>`, written even when `None`.
    pub nullable: bool,
    /// A literal default from the schema, applied when the field is absent. Lowered: any the
    /// schema gives; planned: only those that fit the field's type (`plan::facts`).
    pub default: Option<serde_json::Value>,
}

impl Field<Lowered> {
    /// A field with a wire name, type, requiredness and doc; the rest is set by the caller or
    /// planned.
    pub(crate) fn new(
        wire: impl Into<String>,
        ty: Ty,
        required: bool,
        doc: impl Into<String>,
    ) -> Self {
        Field {
            wire: wire.into(),
            rust: (),
            ty,
            required,
            doc: vec![doc.into()],
            flatten: false,
            boxed: (),
            nullable: false,
            default: None,
        }
    }
}

impl<S: Stage> Field<S> {
    /// A kind's `metadata` holding meta/v1 ObjectMeta (what `apply` reads the name from, the
    /// watcher the resourceVersion, and kube-rs mode hands to k8s-openapi's `Metadata`).
    pub(crate) fn is_object_meta(&self) -> bool {
        self.wire == "metadata"
            && matches!(&self.ty, Ty::Ref(id) if id == crate::fixups::OBJECT_META)
    }
}

#[derive(Clone, Debug)]
pub(crate) enum TypeKind<S: Stage = Planned> {
    Struct {
        fields: Vec<Field<S>>,
    },
    /// A string enum; `variants` are (wire value, planned Rust name).
    Enum {
        variants: Vec<(String, S::Name)>,
    },
    Alias(Ty),
    /// An integer enum; `variants` are (value, planned Rust name).
    IntEnum {
        variants: Vec<(i64, S::Name)>,
    },
    /// `oneOf`/`anyOf` of distinct shapes: an untagged enum, one variant per branch (its name:
    /// proposed by lowering, the Rust identifier once planned; its type; planned: boxed because
    /// it contains the union), tried in order.
    Union {
        variants: Vec<(String, Ty, S::Flag)>,
    },
    /// A type of another crate stands in for this one (`pub use` of that path): k8s-openapi's
    /// ObjectMeta in kube-rs mode. It implements what the emitted code derives (Clone, Debug,
    /// Default, PartialEq, serde).
    External(&'static str),
}

/// What makes a type a top-level Kubernetes kind.
#[derive(Clone, Debug)]
pub(crate) struct ResourceInfo {
    pub kind: String,
    pub plural: String,
    pub namespaced: bool,
    /// Served only as a subresource of another kind; `plural` is then the subresource's
    /// path segment.
    pub subresource: bool,
}

#[derive(Clone, Debug)]
pub(crate) struct TypeDef<S: Stage = Planned> {
    pub id: String,
    pub gv: GroupVersion,
    /// Rust name: proposed by lowering (from the schema's name or path), unique and a valid
    /// identifier once planned.
    pub name: String,
    /// Id of the top-level type whose file holds this one (itself when top-level).
    pub root: String,
    /// Spec file (origin) and JSON pointer it came from.
    pub origin: String,
    pub pointer: String,
    pub doc: Vec<String>,
    pub kind: TypeKind<S>,
    pub resource: Option<ResourceInfo>,
    /// Planned by `plan`: derives `Default`.
    pub default: S::Flag,
    /// Came from the generator's built-in meta/v1 schemas rather than a spec file.
    pub builtin: bool,
}

/// The `items` and `metadata` (ListMeta) fields of a list kind. Built-in list kinds
/// (ConfigMapList) carry no resource of their own: the fields decide.
pub(crate) fn list_fields<S: Stage>(fields: &[Field<S>]) -> Option<(&Field<S>, &Field<S>)> {
    let items = fields.iter().find(|f| f.wire == "items" && f.required)?;
    let meta = fields.iter().find(|f| {
        f.wire == "metadata" && !f.required && f.ty == Ty::Ref(crate::fixups::LIST_META.into())
    })?;
    Some((items, meta))
}

impl<S: Stage> TypeDef<S> {
    /// A list kind: `items` of a kind and ListMeta `metadata` (it implements `runtime::List`).
    pub(crate) fn is_list_kind(&self) -> bool {
        match &self.kind {
            TypeKind::Struct { fields } => {
                list_fields(fields).is_some_and(|(items, _)| matches!(items.ty, Ty::Vec(_)))
            }
            _ => false,
        }
    }
}

/// Every type, keyed by id. Ids are schema names for OpenAPI components,
/// `group/version/Kind` for CRD kinds, and `parent.property` for nested anonymous objects.
#[derive(Debug)]
pub(crate) struct Api<S: Stage = Planned> {
    pub types: BTreeMap<String, TypeDef<S>>,
    /// Every operation, in a deterministic order (by group/version, then operationId).
    pub operations: Vec<Operation<S>>,
}

impl<S: Stage> Default for Api<S> {
    fn default() -> Self {
        Api {
            types: BTreeMap::new(),
            operations: Vec::new(),
        }
    }
}

/// A query or path parameter.
#[derive(Clone, Debug)]
pub(crate) struct Param<S: Stage = Planned> {
    pub wire: String,
    /// Planned by `plan`.
    pub rust: S::Name,
    pub ty: Ty,
    pub doc: Vec<String>,
    /// The values the API server accepts, when it fixes them (`dryRun`, `propagationPolicy`,
    /// …): the parameter is then that enum of the crate's `params` module.
    pub values: Option<&'static crate::query_values::QueryValues>,
}

/// What an operation sends as its body.
#[derive(Clone, Debug)]
pub(crate) enum Body {
    /// A typed JSON body.
    Json { ty: Ty, required: bool },
    /// A `runtime::Patch` (JSON Patch, merge, strategic merge or apply), each with its own
    /// Content-Type.
    Patch,
}

/// What a successful response holds.
#[derive(Clone, Debug)]
pub(crate) enum Returns {
    /// One JSON body of this type (every 2xx status of a Kubernetes operation has the same).
    Json(Ty),
    /// A stream of watch events carrying objects of this type.
    Watch(Ty),
    /// A delete: meta/v1 Status when the object is gone, the object of this type while it is
    /// still there.
    StatusOr(Ty),
    /// A deletecollection: the list (of this type) of the objects it deleted, or a meta/v1
    /// Status.
    ListOrStatus(Ty),
    /// Plain text (pods/log is `text/plain`): the body as a `String`, not decoded as JSON.
    Text,
    /// A connect operation (exec, attach, portforward, proxy): the raw body as the server
    /// answers a plain request. exec, attach and portforward need a streaming protocol
    /// (WebSocket or SPDY) to be useful, which the client does not speak yet.
    Connect,
    /// A body the spec does not describe.
    Nothing,
}

/// A standard query parameter set of the crate's `params` module, named as kube names them.
/// Variants are ordered as their names sort, so the emitted file keeps one order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum ParamSet {
    DeleteCollection,
    Delete,
    Get,
    List,
    Patch,
    Watch,
    /// create, replace, and posts to subresources.
    Write,
}

impl ParamSet {
    /// The struct's name in `params`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ParamSet::DeleteCollection => "DeleteCollectionParams",
            ParamSet::Delete => "DeleteParams",
            ParamSet::Get => "GetParams",
            ParamSet::List => "ListParams",
            ParamSet::Patch => "PatchParams",
            ParamSet::Watch => "WatchParams",
            ParamSet::Write => "WriteParams",
        }
    }
}

/// One HTTP operation of a group/version.
#[derive(Clone, Debug)]
pub(crate) struct Operation<S: Stage = Planned> {
    pub gv: GroupVersion,
    pub operation_id: String,
    /// Planned: the operationId without its group/version part, in snake_case.
    pub name: S::Name,
    pub method: Method,
    pub path: PathTemplate,
    /// The resource the path addresses (`path.resource()`, kept: handles read it often).
    pub resource: Option<ResourcePath>,
    pub path_params: Vec<Param<S>>,
    pub query: Vec<Param<S>>,
    pub body: Option<Body>,
    pub returns: Returns,
    /// Success statuses the spec lists.
    pub statuses: Vec<u16>,
    /// Query parameters always sent (a watch is a list with `watch=true`).
    pub fixed_query: Vec<(String, String)>,
    /// The standard parameter set (`ListParams`, …) in the crate's `params` module that this
    /// operation's `…Params` is an alias of: every CRD operation of one kind of request takes
    /// exactly the same query parameters.
    pub shared_params: Option<ParamSet>,
    pub doc: Vec<String>,
    /// Set for a deprecated operation: what to use instead (the `/watch/` paths are deprecated
    /// in favour of a list with `watch=true`).
    pub deprecated: Option<String>,
    pub origin: String,
    pub pointer: String,
}
