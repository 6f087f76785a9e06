//! The API server's own rules for the names a spec file puts into request paths and module
//! names. A spec file is untrusted (a vendor's Helm chart, a document from someone's cluster):
//! a plural of `../../../api/v1/secrets` would send every request of its kind elsewhere, a
//! group named `runtime` would stand in for the hand-written runtime. What the API server
//! would refuse, the generator refuses too, naming the field.
//!
//! The rules are apimachinery's `IsDNS1123Subdomain` and `IsDNS1035Label`, as
//! apiextensions-apiserver's CRD validation applies them (`ValidateCustomResourceDefinitionNames`,
//! `ValidateCustomResourceDefinitionSpec`).

/// `IsDNS1123Subdomain`: at most 253 characters, dot-separated labels of lowercase letters,
/// digits and `-`, each starting and ending with a letter or digit.
pub(crate) fn dns1123_subdomain(s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > 253 {
        return Err("must be 1 to 253 characters".into());
    }
    for label in s.split('.') {
        let ok = !label.is_empty()
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err(
                "must be lowercase letters, digits, `-` and `.`, each part starting and ending with a letter or digit (a DNS-1123 subdomain)"
                    .into(),
            );
        }
    }
    Ok(())
}

/// `IsDNS1035Label`: at most 63 characters of lowercase letters, digits and `-`, starting with
/// a letter and ending with a letter or digit.
pub(crate) fn dns1035_label(s: &str) -> Result<(), String> {
    let b = s.as_bytes();
    let ok = !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_lowercase()
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[b.len() - 1] != b'-';
    if ok {
        Ok(())
    } else {
        Err("must be at most 63 lowercase letters, digits and `-`, starting with a letter and not ending with `-` (a DNS-1035 label)".into())
    }
}

/// A CRD's kind: the API server checks `strings.ToLower(kind)` as a DNS-1035 label, so a
/// kind is ASCII letters, digits and `-` (and a Rust type name can be made of it).
pub(crate) fn kind(s: &str) -> Result<(), String> {
    dns1035_label(&s.to_ascii_lowercase())
        .map_err(|_| "must be ASCII letters, digits and `-`, starting with a letter".into())
}

/// A literal segment of an OpenAPI path (`api`, `apis`, a group, a version, `namespaces`, a
/// resource, a subresource): what a Kubernetes path segment can be. Refused: `.` and `..`,
/// empty segments, and anything that would change the request's meaning once in a URL
/// (`?`, `#`, `%`, spaces, non-ASCII).
pub(crate) fn path_segment(s: &str) -> Result<(), String> {
    let ok = !s.is_empty()
        && s != "."
        && s != ".."
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b':' | b'~'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "path segment `{}` is not a Kubernetes path segment (letters, digits, `-`, `.`, `_`, `:`, `~`; not `.` or `..`)",
            s.escape_debug()
        ))
    }
}

/// Module names the emitted crates already use for something else: every crate root
/// re-exports `runtime`, `params` and `meta` (meta/v1 is the apimachinery pseudo-group).
pub(crate) const RESERVED_MODULES: [&str; 3] = ["runtime", "params", "meta"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_servers_rules() {
        for ok in ["config.openshift.io", "a", "x-1.example.com"] {
            assert!(dns1123_subdomain(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "A.com",
            "-a.com",
            "a..b",
            "a/b",
            "../x",
            &"a".repeat(254),
        ] {
            assert!(dns1123_subdomain(bad).is_err(), "{bad}");
        }
        for ok in ["authentications", "v1beta1", "a-b"] {
            assert!(dns1035_label(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "1a",
            "a-",
            "A",
            "a.b",
            "../../../api/v1/secrets",
            &"a".repeat(64),
        ] {
            assert!(dns1035_label(bad).is_err(), "{bad}");
        }
        assert!(kind("Authentication").is_ok());
        assert!(kind("IPAddress").is_ok());
        assert!(kind("Foo;Bar").is_err());
        for ok in ["api", "v1", "config.openshift.io", "pods", "proxy"] {
            assert!(path_segment(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a?b", "a#b", "%2e%2e", "a b", "é"] {
            assert!(path_segment(bad).is_err(), "{bad}");
        }
    }
}
