// Hand-written: not produced by codegen.
//! The combinations of query parameters the API server refuses, refused before a request is
//! sent, with the server's own wording. Read off kube-apiserver 1.35:
//! `k8s.io/apimachinery/pkg/apis/meta/internalversion/validation` (`ValidateListOptions`,
//! `validateWatchOptions`) and `k8s.io/apimachinery/pkg/apis/meta/v1/validation`
//! (`ValidatePatchOptions`, `ValidateDeleteOptions`, `ValidateFieldManager`).
//!
//! Values outside the known sets (an enum's `Other`) are sent as they are: a newer server may
//! accept them, and it has the last word. Kubernetes names these parameters the same on every
//! operation, so one check serves every group.

use super::Error;

/// The parameters the checks read, recorded as a [`super::request::Query`] is built.
#[derive(Clone, Debug, Default)]
pub(crate) struct Seen {
    watch: bool,
    resource_version: Option<String>,
    resource_version_match: Option<String>,
    send_initial_events: bool,
    continue_: bool,
    field_manager: Option<String>,
    force: bool,
    orphan_dependents: bool,
    propagation_policy: bool,
}

/// The longest field manager the server takes (`FieldManagerMaxLength`).
const FIELD_MANAGER_MAX: usize = 128;

impl Seen {
    /// Records `name=value` when the checks need it.
    pub(crate) fn note(&mut self, name: &str, value: &str) {
        match name {
            "watch" => self.watch = matches!(value, "true" | "1"),
            "resourceVersion" => self.resource_version = Some(value.to_owned()),
            "resourceVersionMatch" => self.resource_version_match = Some(value.to_owned()),
            "sendInitialEvents" => self.send_initial_events = true,
            "continue" => self.continue_ = !value.is_empty(),
            "fieldManager" => self.field_manager = Some(value.to_owned()),
            "force" => self.force = true,
            "orphanDependents" => self.orphan_dependents = true,
            "propagationPolicy" => self.propagation_policy = true,
            _ => {}
        }
    }

    /// The first rule the parameters break, for a request whose body has `content_type`.
    pub(crate) fn check(&self, content_type: Option<&str>) -> Result<(), Error> {
        let refuse = |field: &'static str, message: &str| {
            Err(Error::InvalidOptions {
                field,
                message: message.to_owned(),
            })
        };
        let rv = self.resource_version.as_deref().unwrap_or("");
        let rv_match = self
            .resource_version_match
            .as_deref()
            .filter(|m| !m.is_empty());
        if self.watch {
            // validateWatchOptions
            if self.send_initial_events && rv_match != Some("NotOlderThan") {
                return refuse(
                    "resourceVersionMatch",
                    "Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
                );
            }
            if rv_match.is_some() && !self.send_initial_events {
                return refuse(
                    "resourceVersionMatch",
                    "Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
                );
            }
            if rv_match == Some("Exact") {
                return refuse(
                    "resourceVersionMatch",
                    "Unsupported value: \"Exact\": supported values: \"NotOlderThan\"",
                );
            }
            if rv_match.is_some() && self.continue_ {
                return refuse(
                    "resourceVersionMatch",
                    "Forbidden: resourceVersionMatch is forbidden when continue is provided",
                );
            }
        } else {
            // ValidateListOptions
            if rv_match.is_some() && rv.is_empty() {
                return refuse(
                    "resourceVersionMatch",
                    "Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided",
                );
            }
            if rv_match.is_some() && self.continue_ {
                return refuse(
                    "resourceVersionMatch",
                    "Forbidden: resourceVersionMatch is forbidden when continue is provided",
                );
            }
            if rv_match == Some("Exact") && rv == "0" {
                return refuse(
                    "resourceVersionMatch",
                    "Forbidden: resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
                );
            }
            if self.send_initial_events {
                return refuse(
                    "sendInitialEvents",
                    "Forbidden: sendInitialEvents is forbidden for list",
                );
            }
        }
        // ValidatePatchOptions (the body's media type says which patch it is).
        let is_apply = content_type == Some(super::patch::APPLY);
        let is_patch =
            content_type.is_some_and(|t| t.starts_with("application/") && t.contains("patch"));
        if is_patch && !is_apply && self.force {
            return refuse(
                "force",
                "Forbidden: may not be specified for non-apply patch",
            );
        }
        if is_apply && self.field_manager.as_deref().unwrap_or("").is_empty() {
            return refuse(
                "fieldManager",
                "Required value: is required for apply patch",
            );
        }
        // ValidateFieldManager
        if let Some(manager) = &self.field_manager {
            if manager.chars().count() > FIELD_MANAGER_MAX {
                return refuse("fieldManager", "Too long: may not be more than 128 bytes");
            }
            // Go's unicode.IsPrint, near enough: no control characters, no spaces but U+0020.
            // The position is a byte offset, as Go's `range` over a string gives.
            if let Some((at, c)) = manager
                .char_indices()
                .find(|(_, c)| c.is_control() || (c.is_whitespace() && *c != ' '))
            {
                return refuse(
                    "fieldManager",
                    &format!(
                        "Invalid value: {manager:?}: invalid character U+{:04X} (at position {at})",
                        u32::from(c)
                    ),
                );
            }
        }
        // ValidateDeleteOptions
        if self.orphan_dependents && self.propagation_policy {
            return refuse(
                "propagationPolicy",
                "Invalid value: orphanDependents and deletionPropagation cannot be both set",
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pairs: &[(&str, &str)], content_type: Option<&str>) -> Result<(), String> {
        let mut seen = Seen::default();
        for (k, v) in pairs {
            seen.note(k, v);
        }
        seen.check(content_type).map_err(|e| e.to_string())
    }

    #[test]
    fn list_rules() {
        assert!(check(
            &[("resourceVersion", "10"), ("resourceVersionMatch", "Exact")],
            None
        )
        .is_ok());
        let e = check(&[("resourceVersionMatch", "NotOlderThan")], None).unwrap_err();
        assert!(
            e.contains("resourceVersionMatch is forbidden unless resourceVersion is provided"),
            "{e}"
        );
        let e = check(
            &[("resourceVersion", "0"), ("resourceVersionMatch", "Exact")],
            None,
        )
        .unwrap_err();
        assert!(e.contains("forbidden for resourceVersion \"0\""), "{e}");
        let e = check(
            &[
                ("resourceVersion", "5"),
                ("resourceVersionMatch", "Exact"),
                ("continue", "x"),
            ],
            None,
        )
        .unwrap_err();
        assert!(e.contains("forbidden when continue is provided"), "{e}");
        let e = check(&[("sendInitialEvents", "true")], None).unwrap_err();
        assert!(e.contains("sendInitialEvents is forbidden for list"), "{e}");
    }

    #[test]
    fn watch_rules() {
        let ok = [
            ("watch", "true"),
            ("sendInitialEvents", "true"),
            ("resourceVersionMatch", "NotOlderThan"),
        ];
        assert!(check(&ok, None).is_ok());
        assert!(check(&[("watch", "true")], None).is_ok());
        let e = check(&[("watch", "true"), ("sendInitialEvents", "true")], None).unwrap_err();
        assert!(
            e.contains("sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
            "{e}"
        );
        let e = check(
            &[("watch", "true"), ("resourceVersionMatch", "NotOlderThan")],
            None,
        )
        .unwrap_err();
        assert!(
            e.contains("forbidden for watch unless sendInitialEvents"),
            "{e}"
        );
    }

    #[test]
    fn patch_and_delete_rules() {
        let apply = Some(super::super::patch::APPLY);
        let e = check(&[], apply).unwrap_err();
        assert_eq!(
            e,
            "invalid request options: fieldManager: Required value: is required for apply patch"
        );
        assert!(check(&[("fieldManager", "me"), ("force", "true")], apply).is_ok());
        let e = check(&[("force", "true")], Some("application/merge-patch+json")).unwrap_err();
        assert!(
            e.contains("may not be specified for non-apply patch"),
            "{e}"
        );
        // A create's JSON body is no patch: force is not its parameter, nothing to refuse.
        assert!(check(&[], Some("application/json")).is_ok());
        let e = check(&[("fieldManager", &"m".repeat(129))], None).unwrap_err();
        assert!(e.contains("Too long"), "{e}");
        assert!(check(&[("fieldManager", &"m".repeat(128))], None).is_ok());
        let e = check(&[("fieldManager", "a\nb")], None).unwrap_err();
        assert!(
            e.ends_with(r#"Invalid value: "a\nb": invalid character U+000A (at position 1)"#),
            "{e}"
        );
        let e = check(
            &[
                ("orphanDependents", "true"),
                ("propagationPolicy", "Orphan"),
            ],
            None,
        )
        .unwrap_err();
        assert!(e.contains("cannot be both set"), "{e}");
    }
}
