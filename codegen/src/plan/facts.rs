//! The facts planning derives from the lowered IR, each a pure function of it: which schema
//! defaults apply, which types derive `Default`, which fields need a `Box`.

use std::collections::{BTreeMap, BTreeSet};

use crate::ir::lowered::{Api, Field, TypeKind};
use crate::ir::Ty;

/// Ids of the string and of the integer enums, which a string or number default fits.
pub(super) struct Enums {
    strings: BTreeSet<String>,
    ints: BTreeSet<String>,
}

impl Enums {
    pub(super) fn of(api: &Api) -> Self {
        let ids = |pick: fn(&TypeKind) -> bool| {
            api.types
                .values()
                .filter(|t| pick(&t.kind))
                .map(|t| t.id.clone())
                .collect()
        };
        Enums {
            strings: ids(|k| matches!(k, TypeKind::Enum { .. })),
            ints: ids(|k| matches!(k, TypeKind::IntEnum { .. })),
        }
    }

    /// The schema default a field applies: only on a required field (which an object written
    /// without it, for the server to default, must still decode), and only a non-zero literal
    /// of the field's own type (a string for a string or a string enum, an integer in range, a
    /// number, a boolean); any other stays documentation. An optional field with a default
    /// stays an `Option`, absent when absent: defaulting is the server's, and a client that
    /// wrote the default back would change what a sparse object says (a server-side apply
    /// would take ownership of every defaulted field). (A boxed field holds a struct, which no
    /// literal fits.)
    pub(super) fn fit_default(&self, f: &Field) -> Option<serde_json::Value> {
        use serde_json::Value;
        if !f.required {
            return None;
        }
        let default = f.default.as_ref()?;
        let fits = match (&f.ty, default) {
            (Ty::String, Value::String(_)) | (Ty::Bool, Value::Bool(_)) => true,
            (Ty::I32, Value::Number(n)) => n.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
            (Ty::I64, Value::Number(n)) => n.as_i64().is_some(),
            (Ty::F64, Value::Number(_)) => true,
            (Ty::Ref(id), Value::String(_)) => self.strings.contains(id),
            (Ty::Ref(id), Value::Number(n)) => self.ints.contains(id) && n.as_i64().is_some(),
            _ => false,
        };
        // Kubernetes writes zero values as defaults (`default: ""` on required strings); the
        // type's own default already gives them.
        let zero = matches!(default, Value::String(s) if s.is_empty())
            || matches!(default, Value::Bool(false))
            || matches!(default, Value::Number(n) if n.as_f64() == Some(0.0));
        (fits && !zero && !f.flatten).then(|| default.clone())
    }
}

/// The types that derive `Default`: every field allows it. Computed as a greatest fixpoint, so
/// recursive types work: everything starts as "yes", types that fail on their own account
/// become "no", and "no" spreads to every type that requires one of them (linear in the graph).
pub(super) fn derive_default(api: &Api, enums: &Enums) -> BTreeSet<String> {
    // For each type: the named types its required, non-defaulted fields hold, and whether it
    // fails regardless of them.
    let mut deps: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut failing: Vec<&str> = Vec::new();
    for t in api.types.values() {
        let mut fails = false;
        let mut on = Vec::new();
        let tys: Vec<&Ty> = match &t.kind {
            TypeKind::Struct { fields } => fields
                .iter()
                .filter(|f| f.required && enums.fit_default(f).is_none())
                .map(|f| &f.ty)
                .collect(),
            TypeKind::Alias(ty) => vec![ty],
            // Implements Default by contract (see TypeKind::External).
            TypeKind::External(_) => Vec::new(),
            TypeKind::Enum { .. } | TypeKind::IntEnum { .. } | TypeKind::Union { .. } => {
                fails = true;
                Vec::new()
            }
        };
        for ty in tys {
            match ty {
                Ty::Time | Ty::MicroTime => fails = true,
                Ty::Ref(id) => on.push(id.as_str()),
                _ => {}
            }
        }
        if on.iter().any(|id| !api.types.contains_key(*id)) {
            fails = true;
        }
        if fails {
            failing.push(t.id.as_str());
        }
        for id in on {
            deps.entry(id).or_default().push(t.id.as_str());
        }
    }
    let mut no: BTreeSet<&str> = BTreeSet::new();
    while let Some(id) = failing.pop() {
        if no.insert(id) {
            failing.extend(deps.get(id).into_iter().flatten().copied());
        }
    }
    api.types
        .keys()
        .filter(|id| !no.contains(id.as_str()))
        .cloned()
        .collect()
}

/// Strongly connected components of the inline-reference graph (Tarjan, iterative): a field
/// needs a `Box` exactly when it points into its own struct's component.
fn components(edges: &BTreeMap<String, Vec<String>>) -> BTreeMap<&str, usize> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut comp: BTreeMap<&str, usize> = BTreeMap::new();
    let mut next = 0;
    for start in edges.keys() {
        if index.contains_key(start.as_str()) {
            continue;
        }
        // (node, next edge to look at)
        let mut work: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        while let Some((v, i)) = work.pop() {
            if i == 0 {
                index.insert(v, next);
                low.insert(v, next);
                next += 1;
                stack.push(v);
                on_stack.insert(v);
            }
            let out = edges.get(v).map(Vec::as_slice).unwrap_or_default();
            if let Some(w) = out.get(i).map(String::as_str) {
                work.push((v, i + 1));
                if !edges.contains_key(w) {
                    continue;
                }
                if !index.contains_key(w) {
                    work.push((w, 0));
                } else if on_stack.contains(w) {
                    let lw = index[w].min(low[v]);
                    low.insert(v, lw);
                }
                continue;
            }
            // Done with v: fold its low-link into its parent, and pop a finished component.
            if let Some(&(parent, _)) = work.last() {
                let lv = low[v].min(low[parent]);
                low.insert(parent, lv);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack.remove(w);
                    comp.insert(w, index[v]);
                    if w == v {
                        break;
                    }
                }
            }
        }
    }
    comp
}

/// Named types a type holds inline (not behind a `Vec` or map, which already allocate).
fn direct_refs(ty: &Ty) -> Option<&str> {
    match ty {
        Ty::Ref(id) => Some(id),
        _ => None,
    }
}

/// The fields (and union variants), by type id and position, that need a `Box`: their type can
/// reach the struct that holds them through inline fields.
pub(super) fn boxed(api: &Api) -> BTreeSet<(String, usize)> {
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in api.types.values() {
        let mut out = Vec::new();
        t.kind
            .each_ty(|ty| out.extend(direct_refs(ty).map(str::to_string)));
        edges.insert(t.id.clone(), out);
    }
    let comp = components(&edges);
    let same = |a: &str, b: &str| comp.get(a).is_some_and(|c| comp.get(b) == Some(c));
    let mut boxed = BTreeSet::new();
    for t in api.types.values() {
        let tys: Vec<&Ty> = match &t.kind {
            TypeKind::Struct { fields } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union { variants } => variants.iter().map(|(_, ty, _)| ty).collect(),
            _ => Vec::new(),
        };
        for (i, ty) in tys.into_iter().enumerate() {
            if direct_refs(ty).is_some_and(|target| same(target, &t.id)) {
                boxed.insert((t.id.clone(), i));
            }
        }
    }
    boxed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::lowered::TypeDef;
    use crate::ir::GroupVersion;

    fn def(id: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            id: id.into(),
            gv: GroupVersion::new("x", "v1"),
            name: id.into(),
            root: id.into(),
            origin: "t.json".into(),
            pointer: String::new(),
            doc: Vec::new(),
            kind,
            resource: None,
            default: (),
            builtin: false,
        }
    }

    fn api(types: Vec<TypeDef>) -> Api {
        Api {
            types: types.into_iter().map(|t| (t.id.clone(), t)).collect(),
            operations: Vec::new(),
        }
    }

    fn field(wire: &str, ty: Ty, required: bool, default: Option<serde_json::Value>) -> Field {
        let mut f = Field::new(wire, ty, required, "");
        f.default = default;
        f
    }

    /// A → B → A inline is one cycle: both fields are boxed; C only points into it.
    #[test]
    fn fields_inside_a_cycle_are_boxed() {
        let r = |id: &str| Ty::Ref(id.into());
        let a = api(vec![
            def(
                "A",
                TypeKind::Struct {
                    fields: vec![field("b", r("B"), false, None)],
                },
            ),
            def(
                "B",
                TypeKind::Struct {
                    fields: vec![
                        field("a", r("A"), false, None),
                        field("n", Ty::I32, false, None),
                    ],
                },
            ),
            def(
                "C",
                TypeKind::Struct {
                    fields: vec![
                        field("a", r("A"), false, None),
                        field("l", Ty::Vec(Box::new(r("C"))), false, None),
                    ],
                },
            ),
        ]);
        let boxed = boxed(&a);
        let want: BTreeSet<(String, usize)> = [("A".to_string(), 0), ("B".to_string(), 0)].into();
        assert_eq!(boxed, want);
    }

    /// Only a non-zero literal of the field's own type applies, on a required field.
    #[test]
    fn only_fitting_non_zero_literals_are_defaults() {
        use serde_json::json;
        let a = api(vec![def(
            "E",
            TypeKind::Enum {
                variants: vec![("On".into(), ())],
            },
        )]);
        let enums = Enums::of(&a);
        let fit = |ty: Ty, v: serde_json::Value| enums.fit_default(&field("f", ty, true, Some(v)));
        assert_eq!(fit(Ty::String, json!("TCP")), Some(json!("TCP")));
        assert_eq!(fit(Ty::String, json!("")), None, "zero value");
        assert_eq!(fit(Ty::I32, json!(1_i64 << 40)), None, "out of range");
        assert_eq!(fit(Ty::I64, json!(1_i64 << 40)), Some(json!(1u64 << 40)));
        assert_eq!(fit(Ty::Bool, json!("true")), None, "wrong type");
        assert_eq!(fit(Ty::Ref("E".into()), json!("On")), Some(json!("On")));
        assert_eq!(fit(Ty::Ref("S".into()), json!("On")), None, "not an enum");
        let optional = field("f", Ty::String, false, Some(json!("TCP")));
        assert_eq!(
            enums.fit_default(&optional),
            None,
            "an optional field stays absent"
        );
    }

    /// `Default` is a greatest fixpoint: a recursive struct has one; a struct requiring an enum
    /// (no default value) does not, nor does one requiring that struct.
    #[test]
    fn default_spreads_no_along_required_fields() {
        let r = |id: &str| Ty::Ref(id.into());
        let a = api(vec![
            def(
                "E",
                TypeKind::Enum {
                    variants: vec![("On".into(), ())],
                },
            ),
            def(
                "Rec",
                TypeKind::Struct {
                    fields: vec![
                        field("next", r("Rec"), false, None),
                        field("n", Ty::I32, true, None),
                    ],
                },
            ),
            def(
                "NeedsE",
                TypeKind::Struct {
                    fields: vec![field("e", r("E"), true, None)],
                },
            ),
            def(
                "DefaultsE",
                TypeKind::Struct {
                    fields: vec![field("e", r("E"), true, Some(serde_json::json!("On")))],
                },
            ),
            def(
                "Outer",
                TypeKind::Struct {
                    fields: vec![field("inner", r("NeedsE"), true, None)],
                },
            ),
            def(
                "Stamp",
                TypeKind::Struct {
                    fields: vec![field("t", Ty::Time, true, None)],
                },
            ),
        ]);
        let yes = derive_default(&a, &Enums::of(&a));
        let want: BTreeSet<String> = ["DefaultsE", "Rec"].map(String::from).into();
        assert_eq!(yes, want);
    }
}
