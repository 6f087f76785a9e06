//! Query parameters whose values the API server fixes, though the real documents type them as
//! plain strings: each becomes an enum in the crate's `params` module (unit variants plus
//! `Other(String)`, like the model enums), used by every operation that takes the parameter.
//! One entry per parameter, matched on its wire name (Kubernetes names these the same on every
//! operation), with the upstream source of its values.

/// One parameter's known values.
#[derive(Debug)]
pub(crate) struct QueryValues {
    /// The query parameter, as on the wire.
    pub param: &'static str,
    /// The enum's Rust name in `params`.
    pub name: &'static str,
    /// What the parameter does (the enum's doc, our words).
    pub doc: &'static str,
    /// (wire value, what it means).
    pub values: &'static [(&'static str, &'static str)],
    /// Where the values are defined upstream.
    pub source: &'static str,
}

/// The table.
pub(crate) const QUERY_VALUES: &[QueryValues] = &[
    QueryValues {
        param: "dryRun",
        name: "DryRun",
        doc: "Run the request through every stage but do not persist it (`dryRun`).",
        values: &[("All", "Every stage runs; nothing is stored.")],
        source: "k8s.io/apimachinery/pkg/apis/meta/v1/types.go: DryRunAll; checked by ValidateDryRun in meta/v1/validation",
    },
    QueryValues {
        param: "propagationPolicy",
        name: "PropagationPolicy",
        doc: "How the garbage collector treats the dependents of a deleted object (`propagationPolicy`).",
        values: &[
            ("Orphan", "Dependents are left in place, their owner reference removed."),
            ("Background", "The object goes at once; dependents are deleted afterwards."),
            ("Foreground", "The object stays (with a `foregroundDeletion` finalizer) until its blocking dependents are gone."),
        ],
        source: "k8s.io/apimachinery/pkg/apis/meta/v1/types.go: DeletionPropagation (DeletePropagationOrphan, …Background, …Foreground)",
    },
    QueryValues {
        param: "resourceVersionMatch",
        name: "ResourceVersionMatch",
        doc: "How `resourceVersion` applies to a list (`resourceVersionMatch`).",
        values: &[
            ("NotOlderThan", "Data at least as new as `resourceVersion`."),
            ("Exact", "Data at exactly `resourceVersion`."),
        ],
        source: "k8s.io/apimachinery/pkg/apis/meta/v1/types.go: ResourceVersionMatch (ResourceVersionMatchNotOlderThan, …Exact)",
    },
    QueryValues {
        param: "fieldValidation",
        name: "FieldValidation",
        doc: "What the server does with unknown or duplicate fields in the object sent (`fieldValidation`).",
        values: &[
            ("Ignore", "Drop them silently."),
            ("Warn", "Drop them and send a `Warning` header for each (the default)."),
            ("Strict", "Refuse the request."),
        ],
        source: "k8s.io/apimachinery/pkg/apis/meta/v1/types.go: FieldValidationIgnore, FieldValidationWarn, FieldValidationStrict",
    },
];

/// The entry for a query parameter, if its values are fixed.
pub(crate) fn lookup(param: &str) -> Option<&'static QueryValues> {
    QUERY_VALUES.iter().find(|v| v.param == param)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_values_are_distinct_rust_identifiers() {
        let mut names: Vec<&str> = QUERY_VALUES.iter().map(|v| v.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), QUERY_VALUES.len());
        for v in QUERY_VALUES {
            assert!(syn::parse_str::<syn::Ident>(v.name).is_ok(), "{}", v.name);
            for (wire, _) in v.values {
                assert!(syn::parse_str::<syn::Ident>(wire).is_ok(), "{wire}");
                assert_ne!(*wire, "Other", "collides with the fallback variant");
            }
        }
        assert_eq!(lookup("dryRun").map(|v| v.name), Some("DryRun"));
        assert!(lookup("pretty").is_none());
    }
}
