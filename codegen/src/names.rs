//! Naming: Rust identifiers for types, fields and enum variants, checked for collisions; and the
//! derived facts emission needs (which types can derive `Default`, which fields need a `Box`).

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::error::Error;
use crate::ir::{Api, GroupVersion, Ty, TypeKind, META_GROUP};

/// Identifiers that cannot even be raw identifiers; they get a trailing `_` like keywords.
/// Whether `s` can be written as a Rust identifier: ASCII letters, digits and `_`, not
/// starting with a digit, and none of the words syn refuses as identifiers (strict and
/// reserved keywords, and `_`). Checked by hand: asking syn to tokenize every name was 4% of a
/// large run.
fn is_valid_ident(s: &str) -> bool {
    const KEYWORDS: &[&str] = &[
        "_", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue",
        "crate", "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "if",
        "impl", "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv",
        "pub", "ref", "return", "Self", "self", "static", "struct", "super", "trait", "true",
        "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
    ];
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !KEYWORDS.contains(&s)
}

/// A valid Rust identifier for `raw` in the given case: keywords get a trailing underscore
/// (`type_`, as k8s-openapi does), anything that cannot start an identifier gets a leading `_`.
pub(crate) fn ident(raw: &str, snake: bool) -> String {
    let cased = if snake {
        raw.to_snake_case()
    } else {
        raw.to_upper_camel_case()
    };
    let mut s: String = cased
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if s.is_empty() {
        // A name made only of symbols (`$`, `@`): spell them out so two such names differ.
        let words: Vec<&str> = raw
            .chars()
            .map(|c| match c {
                '$' => "Dollar",
                '@' => "At",
                '.' => "Dot",
                '-' => "Dash",
                '_' => "Underscore",
                '#' => "Hash",
                '/' => "Slash",
                _ => "Symbol",
            })
            .collect();
        let joined = if words.is_empty() {
            "Empty".to_string()
        } else {
            words.concat()
        };
        s = if snake {
            joined.to_snake_case()
        } else {
            joined
        };
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, if snake { '_' } else { 'V' });
    }
    if !is_valid_ident(&s) {
        s.push('_');
    }
    s
}

/// Module name of a group: dots and dashes become underscores; the legacy group is `core`.
pub(crate) fn group_module(group: &str) -> String {
    if group.is_empty() {
        "core".into()
    } else {
        ident(&group.replace(['.', '-'], "_"), true)
    }
}

pub(crate) fn version_module(version: &str) -> String {
    ident(version, true)
}

/// `authentication_k8s_io::v1`, for messages.
pub(crate) fn module_path(gv: &GroupVersion) -> String {
    format!(
        "{}::{}",
        group_module(&gv.group),
        version_module(&gv.version)
    )
}

/// Cargo feature of a group/version; `None` for meta, which is always compiled.
pub(crate) fn feature(gv: &GroupVersion) -> Option<String> {
    (gv.group != META_GROUP).then(|| {
        format!(
            "{}_{}",
            group_module(&gv.group),
            version_module(&gv.version)
        )
    })
}

/// A type name keeps Kubernetes' own spelling when it already is one (`IPAddress`,
/// `CSIDriver`, `IngressTLS`, as k8s-openapi writes them, so `KIND` and the type agree);
/// anything else is cased by [`ident`].
fn type_ident(raw: &str) -> String {
    if raw.starts_with(|c: char| c.is_ascii_uppercase()) && is_valid_ident(raw) {
        raw.to_string()
    } else {
        ident(raw, false)
    }
}

pub(crate) fn plan(api: &mut Api) -> Result<(), Error> {
    check_alias_cycles(api)?;
    plan_type_names(api)?;
    for t in api.types.values_mut() {
        match &mut t.kind {
            TypeKind::Struct { fields } => {
                let mut names = Namer::new("_");
                for f in fields.iter_mut() {
                    let base = if f.flatten {
                        "unknown_fields".to_string()
                    } else {
                        ident(&f.wire, true)
                    };
                    f.rust = names.take(&base);
                }
            }
            TypeKind::Enum { variants } => {
                // `Other` is the catch-all for values this version does not know.
                let mut names = Namer::with_taken("", &["Other"]);
                for (wire, rust) in variants.iter_mut() {
                    *rust = names.take(&ident(wire, false));
                }
            }
            TypeKind::Union { variants } => {
                let mut names = Namer::new("");
                for (name, _, _) in variants.iter_mut() {
                    *name = names.take(&ident(name, false));
                }
            }
            TypeKind::IntEnum { variants } => {
                let mut names = Namer::with_taken("_", &["Other"]);
                for (value, rust) in variants.iter_mut() {
                    let base = if *value < 0 {
                        format!("VMinus{}", value.unsigned_abs())
                    } else {
                        format!("V{value}")
                    };
                    *rust = names.take(&base);
                }
            }
            TypeKind::Alias(_) | TypeKind::External(_) => {}
        }
    }
    plan_operations(api)?;
    drop_unfit_defaults(api);
    plan_defaults(api);
    plan_boxes(api);
    Ok(())
}

/// The type of an operation's own query parameters (`…Params` in the group's `Api` module):
/// named in one place, since the `Api`, the requests, the handles and the name check all use it.
pub(crate) fn params_type(op: &crate::ir::Operation) -> String {
    format!("{}Params", op.name.to_upper_camel_case())
}

/// The method name of an operation: its operationId without the group/version part, in
/// snake_case (`createAuthenticationV1TokenReview` → `create_token_review`,
/// `createCoreV1NamespacedServiceAccountToken` → `create_namespaced_service_account_token`).
pub(crate) fn method_name(operation_id: &str, version: &str) -> String {
    let verb_end = operation_id
        .find(|c: char| c.is_ascii_uppercase())
        .unwrap_or(operation_id.len());
    let (verb, rest) = operation_id.split_at(verb_end);
    let token = version.to_upper_camel_case();
    let mut tail = rest;
    let mut search = 0;
    while let Some(pos) = rest[search..].find(&token) {
        let end = search + pos + token.len();
        // The version token ends where the next word starts (`V1` in `V1Token`, not in `V1beta1`).
        if rest[end..]
            .chars()
            .next()
            .is_none_or(|c| c.is_ascii_uppercase())
        {
            tail = &rest[end..];
            break;
        }
        search = end;
    }
    ident(&format!("{verb}{tail}"), true)
}

fn plan_operations(api: &mut Api) -> Result<(), Error> {
    let mut seen: BTreeMap<(crate::ir::GroupVersion, String), String> = BTreeMap::new();
    let type_names: BTreeSet<(crate::ir::GroupVersion, String)> = api
        .types
        .values()
        .map(|t| (t.gv.clone(), t.name.clone()))
        .collect();
    let mut snake: BTreeMap<String, String> = BTreeMap::new();
    for op in &mut api.operations {
        op.name = method_name(&op.operation_id, &op.gv.version);
        if op.deprecated.is_some() {
            // The deprecated `/watch/{name}` operations are named like the list watches that
            // replace them (`watchNamespacedDeployment`): the replacement keeps the plain name.
            op.name = format!("deprecated_{}", op.name);
        }
        let here = format!("{}#{}", op.origin, op.pointer);
        if let Some(prev) = seen.insert((op.gv.clone(), op.name.clone()), here.clone()) {
            return Err(Error::Conflict {
                first: prev,
                second: here,
                message: format!(
                    "two operations are both named `{}` in module {}",
                    op.name,
                    module_path(&op.gv)
                ),
            });
        }
        let params = format!("{}Params", op.name.to_upper_camel_case());
        if type_names.contains(&(op.gv.clone(), params.clone())) {
            return Err(Error::Conflict {
                first: here.clone(),
                second: here,
                message: format!(
                    "the parameters struct `{params}` would collide with a schema of the same name"
                ),
            });
        }
        let mut names = Namer::with_taken("_", &["body", "params"]);
        for p in op.path_params.iter_mut().chain(op.query.iter_mut()) {
            // Every operation of a kind takes the same dozen parameters: convert each once.
            let base = snake
                .entry(p.wire.clone())
                .or_insert_with(|| ident(&p.wire, true));
            p.rust = names.take(base);
        }
    }
    Ok(())
}

/// A schema that is only a `$ref` to another is a type alias; a ring of them (A → B → A) has
/// no type at all. Each alias is followed once over all starts (a chain of n aliases costs n
/// steps, not n²): a walk stops at a type an earlier walk already cleared.
fn check_alias_cycles(api: &Api) -> Result<(), Error> {
    let mut cleared: BTreeSet<&str> = BTreeSet::new();
    for start in api.types.values() {
        // The aliases of this walk, in order, and where each sits in it.
        let mut chain: Vec<&str> = Vec::new();
        let mut on_chain: BTreeMap<&str, usize> = BTreeMap::new();
        let mut at = start;
        loop {
            crate::work::step();
            if cleared.contains(at.id.as_str()) {
                break;
            }
            if let Some(&from) = on_chain.get(at.id.as_str()) {
                // A ring: reported from its first id, whichever alias led into it.
                let ring = &chain[from..];
                let first = (0..ring.len()).min_by_key(|&i| ring[i]).unwrap_or(0);
                let mut names: Vec<&str> = ring[first..]
                    .iter()
                    .chain(&ring[..first])
                    .copied()
                    .collect();
                let t = &api.types[names[0]];
                names.push(names[0]);
                return Err(Error::at(
                    &t.origin,
                    &t.pointer,
                    format!("`$ref` cycle with no type in it: {}", names.join(" → ")),
                ));
            }
            on_chain.insert(at.id.as_str(), chain.len());
            chain.push(at.id.as_str());
            match &at.kind {
                TypeKind::Alias(Ty::Ref(next)) => match api.types.get(next) {
                    Some(t) => at = t,
                    None => break,
                },
                _ => break,
            }
        }
        cleared.extend(chain);
    }
    Ok(())
}

/// Unique names in one scope: `base`, or `base_2`, `base_3`… when taken (`fooBar` and
/// `foo_bar` both snake-case to `foo_bar`; each keeps its own wire name). Each base remembers
/// the next number to try, so k names on one base cost about k probes, not k² (a hostile
/// object can hold thousands of properties that case the same way).
pub(crate) struct Namer {
    used: BTreeSet<String>,
    next: BTreeMap<String, usize>,
    sep: &'static str,
}

impl Namer {
    /// Numbers as `{base}{sep}{n}`, a trailing `_` of the base dropped first (`type_` →
    /// `type_2`, not `type__2`).
    pub(crate) fn new(sep: &'static str) -> Self {
        Namer {
            used: BTreeSet::new(),
            next: BTreeMap::new(),
            sep,
        }
    }

    /// A scope where `taken` are already used.
    pub(crate) fn with_taken(sep: &'static str, taken: &[&str]) -> Self {
        let mut n = Namer::new(sep);
        n.used.extend(taken.iter().map(|t| t.to_string()));
        n
    }

    pub(crate) fn take(&mut self, base: &str) -> String {
        crate::work::step();
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let mut n = self.next.get(base).copied().unwrap_or(2);
        let stem = base.trim_end_matches('_');
        loop {
            crate::work::step();
            let name = format!("{stem}{}{n}", self.sep);
            n += 1;
            if self.used.insert(name.clone()) {
                self.next.insert(base.to_string(), n);
                return name;
            }
        }
    }
}

/// Names emitted code uses unqualified (`Option<String>`, serde's `Option::is_none`, `impl
/// From<i64>`): a type of ours with one of them would shadow it in its file, so it gets a
/// trailing underscore (`Option_`), as keywords do.
const PRELUDE_TYPES: &[&str] = &["Box", "From", "Option", "Result", "String", "Vec"];

/// Rust names of types, unique per module. Two top-level types with one name, or a nested
/// (anonymous) type named like a top-level one, is an error naming both. Two nested types that
/// meet (properties `fooBar` and `foo_bar` both holding objects) are numbered: `XFooBar`,
/// `XFooBar2`, in id order.
fn plan_type_names(api: &mut Api) -> Result<(), Error> {
    let mut seen: BTreeMap<(crate::ir::GroupVersion, String), String> = BTreeMap::new();
    let mut next: BTreeMap<(crate::ir::GroupVersion, String), usize> = BTreeMap::new();
    let mut ids: Vec<(bool, String)> = api
        .types
        .values()
        .map(|t| (t.root != t.id, t.id.clone()))
        .collect();
    // Top-level types first, so they keep their names.
    ids.sort();
    for (nested, id) in ids {
        let t = &api.types[&id];
        let mut base = type_ident(&t.name);
        if PRELUDE_TYPES.contains(&base.as_str()) {
            base.push('_');
        }
        let mut name = base.clone();
        // Numbers already handed out for this base are all taken by nested types: start after.
        let counter = (t.gv.clone(), base.clone());
        let mut n = next.get(&counter).copied().unwrap_or(2);
        loop {
            crate::work::step();
            let key = (t.gv.clone(), name.clone());
            match seen.get(&key) {
                None => break,
                Some(prev) if nested && api.types[prev].root != api.types[prev].id => {
                    name = format!("{base}{n}");
                    n += 1;
                    next.insert(counter.clone(), n);
                }
                Some(prev) => {
                    let p = &api.types[prev];
                    return Err(Error::Conflict {
                        first: format!("{}#{}", p.origin, p.pointer),
                        second: format!("{}#{}", t.origin, t.pointer),
                        message: format!(
                            "both define the Rust type `{name}` in module {}",
                            module_path(&t.gv)
                        ),
                    });
                }
            }
        }
        seen.insert((t.gv.clone(), name.clone()), id.clone());
        if let Some(t) = api.types.get_mut(&id) {
            t.name = name;
        }
    }
    Ok(())
}

/// A schema default is applied only where it is a non-zero literal of the field's own type (a
/// string for a string or a string enum, an integer in range, a number, a boolean); any other
/// stays documentation.
fn drop_unfit_defaults(api: &mut Api) {
    use serde_json::Value;
    let enums: BTreeSet<String> = api
        .types
        .values()
        .filter(|t| matches!(t.kind, TypeKind::Enum { .. }))
        .map(|t| t.id.clone())
        .collect();
    let int_enums: BTreeSet<String> = api
        .types
        .values()
        .filter(|t| matches!(t.kind, TypeKind::IntEnum { .. }))
        .map(|t| t.id.clone())
        .collect();
    for t in api.types.values_mut() {
        if let TypeKind::Struct { fields } = &mut t.kind {
            for f in fields.iter_mut() {
                let fits = match (&f.ty, &f.default) {
                    (_, None) => continue,
                    (Ty::String, Some(Value::String(_))) | (Ty::Bool, Some(Value::Bool(_))) => true,
                    (Ty::I32, Some(Value::Number(n))) => {
                        n.as_i64().is_some_and(|n| i32::try_from(n).is_ok())
                    }
                    (Ty::I64, Some(Value::Number(n))) => n.as_i64().is_some(),
                    (Ty::F64, Some(Value::Number(_))) => true,
                    (Ty::Ref(id), Some(Value::String(_))) => enums.contains(id),
                    (Ty::Ref(id), Some(Value::Number(n))) => {
                        int_enums.contains(id) && n.as_i64().is_some()
                    }
                    _ => false,
                };
                // Kubernetes writes zero values as defaults (`default: ""` on required strings);
                // serde's own default already gives them.
                let zero = matches!(&f.default, Some(Value::String(s)) if s.is_empty())
                    || matches!(&f.default, Some(Value::Bool(false)))
                    || matches!(&f.default, Some(Value::Number(n)) if n.as_f64() == Some(0.0));
                if !fits || zero || f.boxed || f.flatten {
                    f.default = None;
                }
            }
        }
    }
}

/// A type derives `Default` when every field allows it. Computed as a greatest fixpoint, so
/// recursive types work: everything starts as "yes", types that fail on their own account
/// become "no", and "no" spreads to every type that requires one of them (linear in the graph).
fn plan_defaults(api: &mut Api) {
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
                .filter(|f| f.required && f.default.is_none())
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
    let no: BTreeSet<String> = no.into_iter().map(str::to_string).collect();
    for t in api.types.values_mut() {
        t.default = !no.contains(&t.id);
    }
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

/// A field is boxed when its type can reach the struct that holds it through inline fields.
fn plan_boxes(api: &mut Api) {
    let mut edges: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for t in api.types.values() {
        let mut out = Vec::new();
        t.kind
            .each_ty(|ty| out.extend(direct_refs(ty).map(str::to_string)));
        edges.insert(t.id.clone(), out);
    }
    let comp = components(&edges);
    let same = |a: &str, b: &str| comp.get(a).is_some_and(|c| comp.get(b) == Some(c));
    let mut boxed: Vec<(String, usize)> = Vec::new();
    for t in api.types.values() {
        let tys: Vec<&Ty> = match &t.kind {
            TypeKind::Struct { fields } => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union { variants } => variants.iter().map(|(_, ty, _)| ty).collect(),
            _ => Vec::new(),
        };
        for (i, ty) in tys.into_iter().enumerate() {
            if direct_refs(ty).is_some_and(|target| same(target, &t.id)) {
                boxed.push((t.id.clone(), i));
            }
        }
    }
    for (id, i) in boxed {
        match api.types.get_mut(&id).map(|t| &mut t.kind) {
            Some(TypeKind::Struct { fields }) => fields[i].boxed = true,
            Some(TypeKind::Union { variants }) => variants[i].2 = true,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{ident, is_valid_ident};

    #[test]
    fn identifier_check_agrees_with_syn() {
        let words = [
            "_",
            "_x",
            "x_",
            "Foo",
            "foo1",
            "1foo",
            "",
            "a-b",
            "é",
            "abstract",
            "as",
            "async",
            "await",
            "become",
            "box",
            "break",
            "const",
            "continue",
            "crate",
            "do",
            "dyn",
            "else",
            "enum",
            "extern",
            "false",
            "final",
            "fn",
            "for",
            "gen",
            "if",
            "impl",
            "in",
            "let",
            "loop",
            "macro",
            "macro_rules",
            "match",
            "mod",
            "move",
            "mut",
            "override",
            "priv",
            "pub",
            "raw",
            "ref",
            "return",
            "Self",
            "self",
            "static",
            "struct",
            "super",
            "trait",
            "true",
            "try",
            "type",
            "typeof",
            "union",
            "unsafe",
            "unsized",
            "use",
            "virtual",
            "where",
            "while",
            "yield",
            "Option",
            "String",
        ];
        for w in words {
            let by_syn = syn::parse_str::<syn::Ident>(w).is_ok() && w.is_ascii();
            assert_eq!(is_valid_ident(w), by_syn, "{w:?}");
        }
    }

    #[test]
    fn identifiers() {
        assert_eq!(ident("type", true), "type_");
        assert_eq!(ident("self", true), "self_");
        assert_eq!(ident("apiVersion", true), "api_version");
        assert_eq!(ident("x-forwarded-for", true), "x_forwarded_for");
        assert_eq!(ident("3d", true), "_3d");
        assert_eq!(ident("$ref", true), "ref_");
        assert_eq!(ident("", false), "Empty");
        assert_eq!(ident("$", true), "dollar");
        assert_eq!(ident("@", false), "At");
        assert_eq!(ident("IntegratedOAuth", false), "IntegratedOAuth");
        assert_eq!(ident("Self", false), "Self_");
    }

    #[test]
    fn type_names_keep_kubernetes_spelling() {
        use super::type_ident;
        assert_eq!(type_ident("IPAddress"), "IPAddress");
        assert_eq!(type_ident("HTTPIngressRuleValue"), "HTTPIngressRuleValue");
        assert_eq!(type_ident("token-review"), "TokenReview");
        assert_eq!(type_ident("lowerCase"), "LowerCase");
        assert_eq!(type_ident("Self"), "Self_");
    }

    #[test]
    fn method_names_drop_the_group_version() {
        use super::method_name;
        assert_eq!(
            method_name("createAuthenticationV1TokenReview", "v1"),
            "create_token_review"
        );
        assert_eq!(
            method_name("createCoreV1NamespacedServiceAccountToken", "v1"),
            "create_namespaced_service_account_token"
        );
        assert_eq!(
            method_name("getAuthenticationV1APIResources", "v1"),
            "get_api_resources"
        );
        assert_eq!(
            method_name("deleteConfigOpenshiftIoV1CollectionAuthentication", "v1"),
            "delete_collection_authentication"
        );
        assert_eq!(
            method_name("readConfigOpenshiftIoV1AuthenticationStatus", "v1"),
            "read_authentication_status"
        );
        assert_eq!(
            method_name("listExampleComV1beta1FooForAllNamespaces", "v1beta1"),
            "list_foo_for_all_namespaces"
        );
        assert_eq!(
            method_name("listAppsV1NamespacedDeployment", "v1"),
            "list_namespaced_deployment"
        );
    }
}
