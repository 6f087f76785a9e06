//! Structurally identical nested types are one type. Real CRDs inline the same schemas many
//! times over (Argo Workflows' CRDs hold Kubernetes' Container schema dozens of times: 9,837
//! object schemas of 479 distinct shapes), and one struct per occurrence makes the output grow
//! with repetition instead of with content. Two nested (anonymous) types of one group/version
//! are merged when everything emitted for them is the same: fields (wire name, type,
//! requiredness, docs, defaults), variants, and the type's own docs, with the types they hold
//! compared the same way.
//!
//! Each class keeps its member with the shortest name (ties: the first id), so the name reads
//! like the schema's shortest path; every reference to another member is pointed at it.
//! Top-level types (schema components, CRD kinds) are never merged: their names are the API's;
//! nor are a kind's own parts (its `spec`, its `status`): a status typed `WorkerSpec` because
//! both hold `replicas` would read wrong, and there are only a few of them per kind.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::ir::lowered::{Api, TypeDef, TypeKind};
use crate::ir::Ty;

/// Merges identical nested types; returns those merged away (most of the input's nested types,
/// whose freeing takes a while: the caller chooses where).
pub(crate) fn merge_identical(api: &mut Api) -> Vec<TypeDef> {
    let mut classes = Classes::default();
    let ids: Vec<String> = api
        .types
        .values()
        .filter(|t| mergeable(t))
        .map(|t| t.id.clone())
        .collect();
    for id in &ids {
        classes.class_of(api, id, 0);
    }
    // Representative of each class: the shortest name, then the first id.
    let mut best: HashMap<u32, &str> = HashMap::new();
    for id in &ids {
        let Some(&c) = classes.of.get(id.as_str()) else {
            continue;
        };
        let t = &api.types[id];
        best.entry(c)
            .and_modify(|b| {
                let cur = &api.types[*b];
                if (t.name.len(), &t.id) < (cur.name.len(), &cur.id) {
                    *b = &t.id;
                }
            })
            .or_insert(&t.id);
    }
    let replace: BTreeMap<String, String> = ids
        .iter()
        .filter_map(|id| {
            let rep = best.get(classes.of.get(id.as_str())?)?;
            (*rep != id).then(|| (id.clone(), rep.to_string()))
        })
        .collect();
    if replace.is_empty() {
        return Vec::new();
    }
    let merged = replace
        .keys()
        .filter_map(|id| api.types.remove(id))
        .collect();
    let fix = |ty: &mut Ty| ty.rewrite_refs(&|id| replace.get(id).cloned());
    for t in api.types.values_mut() {
        t.kind.each_ty_mut(fix);
    }
    for op in &mut api.operations {
        op.each_ty_mut(fix);
    }
    merged
}

/// A nested type below a top-level type's own properties.
fn mergeable(t: &TypeDef) -> bool {
    match t
        .id
        .strip_prefix(t.root.as_str())
        .and_then(|r| r.strip_prefix('.'))
    {
        // `Root.spec`, `Root.status`: a part of the kind itself.
        Some(rest) => rest.contains(['.', '[', '{']),
        None => false,
    }
}

/// Shape classes, numbered as first seen; a type's key names the classes of the nested types
/// it holds, so equal keys mean equal trees.
#[derive(Default)]
struct Classes {
    keys: HashMap<String, u32>,
    of: HashMap<String, u32>,
}

/// Appends `s` to a key so that no two strings (or runs of them) append the same text: its
/// length, then itself. Descriptions are most of a key: Debug-quoting them (escaping every
/// character) made this pass 87 ms instead of 75 ms on all of ../shared/upstream.
fn put(key: &mut String, s: &str) {
    let _ = write!(key, "{}:", s.len());
    key.push_str(s);
}

/// Appends a list of strings: their count, then each one.
fn put_all(key: &mut String, all: &[String]) {
    let _ = write!(key, "{}|", all.len());
    for s in all {
        put(key, s);
    }
}

/// Beyond this depth types are left apart (schemas this deep are refused earlier anyway).
const MAX_DEPTH: usize = 256;

impl Classes {
    fn class_of(&mut self, api: &Api, id: &str, depth: usize) -> Option<u32> {
        if let Some(&c) = self.of.get(id) {
            return Some(c);
        }
        let t = api.types.get(id)?;
        if !mergeable(t) || depth > MAX_DEPTH {
            return None;
        }
        let mut key = String::new();
        put(&mut key, &t.gv.api_version());
        put_all(&mut key, &t.doc);
        let ty_key = |classes: &mut Classes, ty: &Ty, out: &mut String| {
            classes.ty_key(api, ty, depth, out);
        };
        match &t.kind {
            TypeKind::Struct { fields } => {
                key.push('S');
                for f in fields {
                    key.push('{');
                    put(&mut key, &f.wire);
                    let _ = write!(
                        key,
                        "{} {} {} {:?} ",
                        f.required, f.flatten, f.nullable, f.default
                    );
                    put_all(&mut key, &f.doc);
                    ty_key(self, &f.ty, &mut key);
                    key.push('}');
                }
            }
            TypeKind::Enum { variants } => {
                key.push_str(&format!(
                    "E{:?}",
                    variants.iter().map(|v| &v.0).collect::<Vec<_>>()
                ));
            }
            TypeKind::IntEnum { variants } => {
                key.push_str(&format!(
                    "I{:?}",
                    variants.iter().map(|v| v.0).collect::<Vec<_>>()
                ));
            }
            TypeKind::Alias(ty) => {
                key.push('A');
                ty_key(self, ty, &mut key);
            }
            TypeKind::Union { variants } => {
                key.push('U');
                for (name, ty, _) in variants {
                    key.push_str(&format!("{{{name:?} "));
                    ty_key(self, ty, &mut key);
                    key.push('}');
                }
            }
            TypeKind::External(path) => key.push_str(&format!("X{path}")),
        }
        let next = self.keys.len() as u32;
        let c = *self.keys.entry(key).or_insert(next);
        self.of.insert(id.to_string(), c);
        Some(c)
    }

    fn ty_key(&mut self, api: &Api, ty: &Ty, depth: usize, out: &mut String) {
        match ty {
            Ty::Ref(id) => match self.class_of(api, id, depth + 1) {
                Some(c) => out.push_str(&format!("#{c}")),
                None => out.push_str(&format!("@{id:?}")),
            },
            Ty::Vec(t) => {
                out.push('[');
                self.ty_key(api, t, depth, out);
                out.push(']');
            }
            Ty::Map(t) => {
                out.push('{');
                self.ty_key(api, t, depth, out);
                out.push('}');
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{generate, Options, SpecFile};

    fn crd(extra: &str) -> SpecFile {
        let text = format!(
            r#"apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {{name: widgets.example.com}}
spec:
  group: example.com
  scope: Namespaced
  names: {{kind: Widget, plural: widgets}}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              main: &ref
                type: object
                description: A reference.
                properties:
                  name: {{type: string}}
                  port: {{type: integer}}
              sidecar: *ref
              more:
                type: array
                items: *ref
{extra}"#
        );
        SpecFile {
            name: "specs/widgets.yaml".into(),
            bytes: text.into_bytes(),
        }
    }

    fn structs(extra: &str) -> Vec<String> {
        let out = generate(&[crd(extra)], &Options::default()).unwrap();
        out.files
            .files
            .values()
            .flat_map(|t| {
                t.lines()
                    .filter(|l| l.starts_with("pub struct "))
                    .map(str::to_string)
            })
            .collect()
    }

    #[test]
    fn identical_nested_objects_are_one_struct_named_by_the_shortest_path() {
        let s = structs("");
        let refs: Vec<&String> = s
            .iter()
            .filter(|l| l.contains("SpecM") || l.contains("SpecS"))
            .collect();
        assert_eq!(refs, ["pub struct WidgetSpecMain {"], "{s:?}");
        let out = generate(&[crd("")], &Options::default()).unwrap();
        let text = out.files.files.values().cloned().collect::<String>();
        assert!(
            text.contains("pub sidecar: Option<WidgetSpecMain>"),
            "{text}"
        );
        assert!(
            text.contains("pub more: Option<Vec<WidgetSpecMain>>"),
            "{text}"
        );
    }

    #[test]
    fn a_different_description_or_field_keeps_types_apart() {
        let extra = r#"              other:
                type: object
                description: Another reference.
                properties:
                  name: {type: string}
                  port: {type: integer}
              third:
                type: object
                description: A reference.
                properties:
                  name: {type: string}
"#;
        let s = structs(extra);
        for name in ["WidgetSpecMain", "WidgetSpecOther", "WidgetSpecThird"] {
            assert!(
                s.iter().any(|l| l.contains(&format!("struct {name} "))),
                "{name}: {s:?}"
            );
        }
    }
}
