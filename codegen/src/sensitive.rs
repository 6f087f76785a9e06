//! Fields whose values are credentials: their types print `<redacted>` for them in `Debug`
//! (k8s-openapi derives `Debug` and prints them all, so a `{:?}` of a TokenReview in a log
//! line leaks the token it reviews). One entry per field: (schema id, wire name, why).

/// The table. Matched on the schema id (the OpenAPI component name), so a spec file that
/// defines these kinds under their Kubernetes names gets the redaction too.
pub(crate) const SENSITIVE_FIELDS: &[(&str, &str, &str)] = &[
    (
        "io.k8s.api.authentication.v1.TokenReviewSpec",
        "token",
        "the bearer token under review (k8s.io/api authentication/v1 types.go)",
    ),
    (
        "io.k8s.api.authentication.v1.TokenRequestStatus",
        "token",
        "the service account token issued (k8s.io/api authentication/v1 types.go)",
    ),
    (
        "io.k8s.api.core.v1.Secret",
        "data",
        "the Secret's values, base64 (k8s.io/api core/v1 types.go)",
    ),
    (
        "io.k8s.api.core.v1.Secret",
        "stringData",
        "the Secret's values, write-only plain text (k8s.io/api core/v1 types.go)",
    ),
    (
        "com.github.openshift.api.oauth.v1.OAuthClient",
        "secret",
        "the OAuth client's secret (openshift/api oauth/v1 types.go)",
    ),
    (
        "com.github.openshift.api.oauth.v1.OAuthClient",
        "additionalSecrets",
        "more client secrets accepted for this client (openshift/api oauth/v1 types.go)",
    ),
];

/// Whether the field `wire` of the schema `id` holds a credential.
pub(crate) fn is_sensitive(id: &str, wire: &str) -> bool {
    SENSITIVE_FIELDS
        .iter()
        .any(|(i, w, _)| *i == id && *w == wire)
}
