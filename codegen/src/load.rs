//! Reading spec files and telling what each document is: an OpenAPI v3 document or a
//! CustomResourceDefinition (alone, in a multi-document YAML file, or in a `List`).

use std::path::Path;

use serde::de::DeserializeSeed as _;
use serde::Deserialize;
use serde_json::Value;

mod budget;

use crate::error::{Error, Location};

/// One spec file as read from disk: its display name and raw bytes.
#[derive(Clone, Debug)]
pub struct SpecFile {
    /// Name used in errors and in emitted headers, e.g. `specs/authentication.k8s.io/v1.json`.
    pub name: String,
    /// Raw contents; decoded (and rejected if not UTF-8) by [`crate::generate`].
    pub bytes: Vec<u8>,
}

/// Reads every `.json`, `.yaml` and `.yml` file under `dir`, recursively, sorted by path.
/// Names are `<dir's last component>/<relative path>` so output does not depend on where the
/// checkout lives.
pub fn read_specs_dir(dir: &Path) -> Result<Vec<SpecFile>, Error> {
    let base = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "specs".into());
    let mut found = Vec::new();
    let spec = |p: &Path| {
        matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("json" | "yaml" | "yml")
        )
    };
    crate::fileset::relative_files(dir, dir, &spec, &mut found).map_err(|e| Error::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    found.sort();
    found
        .into_iter()
        .map(|rel| {
            let path = dir.join(&rel);
            Ok(SpecFile {
                name: format!("{base}/{rel}"),
                bytes: read_bounded(&path)?,
            })
        })
        .collect()
}

/// Reads one spec file, refusing before reading what is not a regular file (a symlink to
/// a device, a FIFO: reading those may never end) or is larger than [`MAX_SPEC_BYTES`]; the
/// read itself stops past the limit too, should the file grow after it was looked at.
fn read_bounded(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read as _;
    let io = |message: String| Error::Io {
        path: path.display().to_string(),
        message,
    };
    // `metadata` follows symlinks: what is checked is what would be read.
    let meta = std::fs::metadata(path).map_err(|e| io(e.to_string()))?;
    if !meta.is_file() {
        return Err(io(
            "not a regular file (a device, FIFO or socket, or a link to one): refused".into(),
        ));
    }
    let too_big = |len: u64| {
        io(format!(
            "{len} bytes, more than the {MAX_SPEC_BYTES} bytes a spec file may have: refused"
        ))
    };
    if meta.len() > MAX_SPEC_BYTES as u64 {
        return Err(too_big(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(|e| io(e.to_string()))?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_SPEC_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io(e.to_string()))?;
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A document that lowering understands.
#[derive(Debug)]
pub(crate) enum Source {
    OpenApi {
        origin: String,
        doc: Box<openapiv3::OpenAPI>,
    },
    Crd {
        origin: String,
        pointer: String,
        crd: Box<Crd>,
    },
}

/// The parts of `apiextensions.k8s.io/v1` CustomResourceDefinition the generator reads.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Crd {
    pub spec: CrdSpec,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CrdSpec {
    pub group: String,
    pub names: CrdNames,
    pub scope: String,
    pub versions: Vec<CrdVersion>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CrdNames {
    pub kind: String,
    pub plural: String,
    #[serde(default)]
    pub list_kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct CrdVersion {
    pub name: String,
    #[serde(default)]
    pub served: bool,
    #[serde(default)]
    pub storage: bool,
    #[serde(default)]
    pub deprecated: bool,
    #[serde(default)]
    pub schema: Option<CrdSchema>,
    #[serde(default)]
    pub subresources: Option<CrdSubresources>,
    #[serde(default)]
    pub additional_printer_columns: Vec<PrinterColumn>,
}

/// A column `kubectl get` shows for the kind.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct PrinterColumn {
    pub name: String,
    pub json_path: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CrdSchema {
    #[serde(rename = "openAPIV3Schema")]
    pub open_api_v3_schema: Option<openapiv3::Schema>,
}

#[derive(Debug, Deserialize)]
pub(crate) struct CrdSubresources {
    #[serde(default)]
    pub status: Option<Value>,
    #[serde(default)]
    pub scale: Option<Value>,
}

/// A Kubernetes object of another kind beside CustomResourceDefinitions in one file (a
/// release manifest such as cert-manager's `cert-manager.yaml` or prometheus-operator's
/// `bundle.yaml` holds its Deployment and RBAC objects too): not read, and reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The file (and document) it is in.
    pub origin: String,
    pub kind: String,
    /// `metadata.name`, when it has one.
    pub name: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Debug-quoted: the text comes from the file and goes to a terminal.
        write!(
            f,
            "{}: skipped {:?} {:?}, which is not a CustomResourceDefinition",
            self.origin, self.kind, self.name
        )
    }
}

/// Parses every file (on every core: files are independent); the first bad one in `specs`
/// order is the error reported, whatever thread finished first.
pub(crate) fn parse_all(specs: &[&SpecFile]) -> Result<(Vec<Source>, Vec<Skipped>), Error> {
    let parsed = crate::par::map(
        specs.to_vec(),
        || (),
        |_, spec| {
            let mut out = Vec::new();
            parse_file(spec, &mut out).map(|skipped| (out, skipped))
        },
    )
    .map_err(|_| Error::Internal("a parsing thread panicked".into()))?;
    let (mut out, mut skipped) = (Vec::new(), Vec::new());
    for file in parsed {
        let (sources, others) = file?;
        out.extend(sources);
        skipped.extend(others);
    }
    Ok((out, skipped))
}

/// UTF-16 with its byte order mark, and a first character that is ASCII (`{`, a letter, `#`,
/// `-`) as the start of any spec file is: zero as its high byte.
fn looks_utf16(b: &[u8]) -> bool {
    b.len() >= 4
        && b.len().is_multiple_of(2)
        && match (b[0], b[1]) {
            (0xFF, 0xFE) => b[3] == 0,
            (0xFE, 0xFF) => b[2] == 0,
            _ => false,
        }
}

/// Larger spec files are refused: the biggest real documents (core/v1, large CRD bundles) are
/// a few MiB, and parsing holds the whole file and its tree in memory.
pub const MAX_SPEC_BYTES: usize = 64 << 20;

fn parse_file(spec: &SpecFile, out: &mut Vec<Source>) -> Result<Vec<Skipped>, Error> {
    let file = spec.name.as_str();
    if spec.bytes.len() > MAX_SPEC_BYTES {
        return Err(Error::spec(
            file,
            Location::File,
            format!(
                "the file is {} bytes, more than the limit of {MAX_SPEC_BYTES}",
                spec.bytes.len()
            ),
        ));
    }
    if looks_utf16(&spec.bytes) {
        return Err(Error::spec(
            file,
            Location::File,
            "UTF-16 text (PowerShell 5 writes it with `>`): save it as UTF-8",
        ));
    }
    let text = std::str::from_utf8(&spec.bytes).map_err(|e| {
        Error::spec(
            file,
            Location::File,
            format!("not UTF-8: invalid byte at offset {}", e.valid_up_to()),
        )
    })?;
    // A byte order mark, which Windows editors write and JSON parsers do not skip.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::spec(file, Location::File, "the file is empty"));
    }
    let docs: Vec<Value> = if file.ends_with(".json") {
        vec![serde_json::from_str(text).map_err(|e| {
            Error::spec(
                file,
                Location::Line {
                    line: e.line(),
                    column: e.column(),
                },
                format!("invalid JSON: {e}"),
            )
        })?]
    } else {
        let mut docs = Vec::new();
        // One budget for the whole file: its documents together hold what it expands to.
        let mut left = budget::for_text(text.len());
        for de in serde_yaml_ng::Deserializer::from_str(text) {
            let v: Value = budget::Budgeted { left: &mut left }
                .deserialize(de)
                .map_err(|e| {
                    let loc = e.location().map_or(Location::File, |l| Location::Line {
                        line: l.line(),
                        column: l.column(),
                    });
                    let err = Error::spec(file, loc, format!("invalid YAML: {e}"));
                    // A chart's templates/ folder holds CRDs wrapped in `{{- if … }}`.
                    if text.contains("{{") {
                        with_hint(err, "a Helm template? render it with `helm template` first, or take the chart's plain crds/ files")
                    } else {
                        err
                    }
                })?;
            if !v.is_null() {
                docs.push(v);
            }
        }
        docs
    };
    if docs.is_empty() {
        return Err(Error::spec(
            file,
            Location::File,
            "the file holds no document",
        ));
    }
    let many = docs.len() > 1;
    let before = out.len();
    let mut others = Vec::new();
    for (i, doc) in docs.into_iter().enumerate() {
        let origin = if many {
            format!("{file} (document {})", i + 1)
        } else {
            file.to_string()
        };
        classify(&origin, "", doc, out, &mut others)?;
    }
    // Objects of other kinds are skipped only beside a CRD: a file of nothing we read is an
    // error (a wrong file in the folder), not a silent no-op.
    if out.len() == before && others.is_empty() {
        // Only a `List` with no items gets here (`kubectl get crd -l … -o yaml` matching none).
        return Err(Error::spec(
            file,
            Location::File,
            "nothing to read: its List has no items",
        ));
    }
    let has_crd = out[before..]
        .iter()
        .any(|s| matches!(s, Source::Crd { .. }));
    if let (false, Some((first, pointer))) = (has_crd, others.first()) {
        return Err(Error::at(&first.origin, pointer, NOT_A_SPEC));
    }
    Ok(others.into_iter().map(|(skipped, _)| skipped).collect())
}

const NOT_A_SPEC: &str = "neither an OpenAPI v3 document (no `openapi` field) nor a CustomResourceDefinition (kind is not CustomResourceDefinition)";

/// Reads one document into `out`; a Kubernetes object of another kind goes to `others`, with
/// its place, for the caller to skip or refuse.
fn classify(
    origin: &str,
    pointer: &str,
    doc: Value,
    out: &mut Vec<Source>,
    others: &mut Vec<(Skipped, String)>,
) -> Result<(), Error> {
    let obj = doc.as_object().ok_or_else(|| {
        Error::at(
            origin,
            pointer,
            "expected an object (an OpenAPI v3 document or a CustomResourceDefinition)",
        )
    })?;
    if is_openapi_index(obj) {
        return Err(Error::at(origin, &format!("{pointer}/paths"), "an API server's OpenAPI v3 index (/openapi/v3), which only lists where each group/version's document is: put those documents here instead (`cargo xtask fetch` downloads them)"));
    }
    if obj.contains_key("swagger") {
        return Err(Error::at(origin, &format!("{pointer}/swagger"), "Swagger / OpenAPI 2.0 is not supported: use the OpenAPI v3 document the API server serves at /openapi/v3"));
    }
    if let Some(version) = obj.get("openapi") {
        let v = version.as_str().unwrap_or("");
        if !v.starts_with("3.0") {
            return Err(Error::at(origin, &format!("{pointer}/openapi"), format!("OpenAPI version {version} is not supported: only 3.0.x (what Kubernetes serves)")));
        }
        // openapiv3 reads `paths` as a flattened map, where an error loses its place (it was
        // reported at `#/paths`) and every item is buffered first: each path item is read on
        // its own instead.
        let mut doc = doc;
        let paths = doc
            .as_object_mut()
            .and_then(|o| o.insert("paths".into(), Value::Object(Default::default())));
        let mut doc: openapiv3::OpenAPI =
            serde_path_to_error::deserialize(doc).map_err(|e| path_error(origin, pointer, &e))?;
        if let Some(paths) = paths {
            doc.paths = read_paths(origin, &format!("{pointer}/paths"), paths)?;
        }
        out.push(Source::OpenApi {
            origin: origin.to_string(),
            doc: Box::new(doc),
        });
        return Ok(());
    }
    let kind = obj.get("kind").and_then(Value::as_str).unwrap_or("");
    let api_version = obj.get("apiVersion").and_then(Value::as_str).unwrap_or("");
    match kind {
        "CustomResourceDefinition" => {
            if api_version != "apiextensions.k8s.io/v1" {
                return Err(Error::at(origin, &format!("{pointer}/apiVersion"), format!("CustomResourceDefinition apiVersion `{api_version}` is not supported: use apiextensions.k8s.io/v1")));
            }
            // Kustomize patches of a CRD (`config/crd/patches/*.yaml` in kubebuilder projects)
            // are CRD objects without names or versions.
            let partial = doc
                .get("spec")
                .is_none_or(|s| s.get("names").is_none() && s.get("versions").is_none());
            let crd: Crd = serde_path_to_error::deserialize(doc).map_err(|e| {
                let err = path_error(origin, pointer, &e);
                if partial {
                    with_hint(
                        err,
                        "a kustomize patch? only whole CustomResourceDefinitions are read",
                    )
                } else {
                    err
                }
            })?;
            out.push(Source::Crd {
                origin: origin.to_string(),
                pointer: pointer.to_string(),
                crd: Box::new(crd),
            });
            Ok(())
        }
        k if k.ends_with("List") && obj.get("items").is_some_and(Value::is_array) => {
            let items = obj
                .get("items")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            for (i, item) in items.into_iter().enumerate() {
                classify(origin, &format!("{pointer}/items/{i}"), item, out, others)?;
            }
            Ok(())
        }
        k if !k.is_empty() && !api_version.is_empty() => {
            let name = obj
                .get("metadata")
                .and_then(|m| m.get("name"))
                .and_then(Value::as_str);
            others.push((
                Skipped {
                    origin: origin.to_string(),
                    kind: k.to_string(),
                    name: name.unwrap_or_default().to_string(),
                },
                pointer.to_string(),
            ));
            Ok(())
        }
        _ => Err(Error::at(origin, pointer, NOT_A_SPEC)),
    }
}

/// `GET /openapi/v3` answers `{"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=…"}, …}}`:
/// easy to save by mistake in place of the documents it points to.
fn is_openapi_index(obj: &serde_json::Map<String, Value>) -> bool {
    !obj.contains_key("openapi")
        && obj
            .get("paths")
            .and_then(Value::as_object)
            .is_some_and(|paths| {
                !paths.is_empty()
                    && paths
                        .values()
                        .all(|p| p.get("serverRelativeURL").is_some_and(Value::is_string))
            })
}

/// A document's `paths`, each item read with its own place for errors. As openapiv3 reads
/// them: keys starting with `/` are paths, `x-` keys extensions, others ignored.
fn read_paths(origin: &str, pointer: &str, paths: Value) -> Result<openapiv3::Paths, Error> {
    let Value::Object(map) = paths else {
        return Err(Error::at(origin, pointer, "`paths` is not an object"));
    };
    let mut out = openapiv3::Paths::default();
    for (key, item) in map {
        if key.starts_with('/') {
            let at = format!("{pointer}/{}", crate::error::ptr_token(&key));
            out.paths.insert(key, read_path_item(origin, &at, item)?);
        } else if key.starts_with("x-") {
            out.extensions.insert(key, item);
        }
    }
    Ok(out)
}

/// Reads `v` as a `T`, an error placed below the pointer `at` makes (only then: most of a
/// large document's items are read here, and their pointers would be most of the work).
fn read_at<T: serde::de::DeserializeOwned>(
    origin: &str,
    at: impl FnOnce() -> String,
    v: Value,
) -> Result<T, Error> {
    serde_path_to_error::deserialize(v).map_err(|e| path_error(origin, &at(), &e))
}

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A path item with each operation and parameter read on its own: openapiv3 flattens the
/// extensions of path items and operations too, which loses an error's place below them.
fn read_path_item(
    origin: &str,
    at: &str,
    item: Value,
) -> Result<openapiv3::ReferenceOr<openapiv3::PathItem>, Error> {
    let Value::Object(mut map) = item else {
        return read_at(origin, || at.to_string(), item);
    };
    if map.contains_key("$ref") {
        return read_at(origin, || at.to_string(), Value::Object(map));
    }
    let ops: Vec<(&str, Value)> = METHODS
        .iter()
        .filter_map(|m| map.remove(*m).map(|v| (*m, v)))
        .collect();
    let params = map.remove("parameters");
    let mut path_item: openapiv3::PathItem =
        read_at(origin, || at.to_string(), Value::Object(map))?;
    if let Some(p) = params {
        path_item.parameters = read_parameters(origin, &|| format!("{at}/parameters"), p)?;
    }
    for (method, v) in ops {
        let op_at = || format!("{at}/{method}");
        let op = match v {
            Value::Object(mut op) => {
                let params = op.remove("parameters");
                let mut read: openapiv3::Operation = read_at(origin, op_at, Value::Object(op))?;
                if let Some(p) = params {
                    read.parameters =
                        read_parameters(origin, &|| format!("{at}/{method}/parameters"), p)?;
                }
                read
            }
            other => read_at(origin, op_at, other)?,
        };
        let slot = match method {
            "get" => &mut path_item.get,
            "put" => &mut path_item.put,
            "post" => &mut path_item.post,
            "delete" => &mut path_item.delete,
            "options" => &mut path_item.options,
            "head" => &mut path_item.head,
            "patch" => &mut path_item.patch,
            _ => &mut path_item.trace,
        };
        *slot = Some(op);
    }
    Ok(openapiv3::ReferenceOr::Item(path_item))
}

fn read_parameters(
    origin: &str,
    at: &dyn Fn() -> String,
    v: Value,
) -> Result<Vec<openapiv3::ReferenceOr<openapiv3::Parameter>>, Error> {
    match v {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, p)| read_at(origin, || format!("{}/{i}", at()), p))
            .collect(),
        other => read_at(origin, at, other),
    }
}

/// `err` with a guess at what the file is, in brackets after its message.
fn with_hint(err: Error, hint: &str) -> Error {
    match err {
        Error::Spec {
            file,
            location,
            message,
        } => Error::spec(&file, location, format!("{message} ({hint})")),
        other => other,
    }
}

fn path_error(
    origin: &str,
    pointer: &str,
    e: &serde_path_to_error::Error<serde_json::Error>,
) -> Error {
    let mut p = pointer.to_string();
    for seg in e.path().iter() {
        let s = match seg {
            serde_path_to_error::Segment::Seq { index } => index.to_string(),
            serde_path_to_error::Segment::Map { key } => crate::error::ptr_token(key),
            serde_path_to_error::Segment::Enum { variant } => crate::error::ptr_token(variant),
            serde_path_to_error::Segment::Unknown => continue,
        };
        p.push('/');
        p.push_str(&s);
    }
    Error::at(origin, &p, e.inner().to_string())
}
