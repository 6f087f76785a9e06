//! Naming: how a Kubernetes or schema name becomes a Rust identifier, module path or feature,
//! and the scopes that keep names unique (`Namer`). The plan stage (`plan`) applies them.

use std::collections::{BTreeMap, BTreeSet};

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::{GroupVersion, META_GROUP};

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
    if s != cased {
        // Characters outside ASCII (`über`, `größe`) became `_`: case again so the words
        // around them join (`Ber`, `GrE`; `gr_e`), or the name breaks rustc's case lints.
        s = if snake {
            s.to_snake_case()
        } else {
            s.to_upper_camel_case()
        };
    }
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
pub(crate) fn type_ident(raw: &str) -> String {
    if raw.starts_with(|c: char| c.is_ascii_uppercase()) && is_valid_ident(raw) {
        raw.to_string()
    } else {
        ident(raw, false)
    }
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

/// Names a type of ours cannot take, so it gets a trailing underscore (`Option_`), as keywords
/// do: those emitted code uses unqualified (`Option<String>`, serde's `Option::is_none`, `impl
/// From<i64>`), which it would shadow in its file, and `Api`, the operations of every
/// group/version module, whose place it would take (a kind named `Api`).
pub(crate) const RESERVED_TYPE_NAMES: &[&str] =
    &["Api", "Box", "From", "Option", "Result", "String", "Vec"];

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
        assert_eq!(ident("über", false), "Ber");
        assert_eq!(ident("größe-max", false), "GrEMax");
        assert_eq!(ident("日本", false), "SymbolSymbol");
        assert_eq!(ident("über", true), "ber");
        assert_eq!(ident("größe", true), "gr_e");
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
