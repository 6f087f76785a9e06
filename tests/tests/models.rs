//! The generated models of the checked-in specs, used as a user would.

use generated::authentication_k8s_io::v1::{TokenReview, TokenReviewSpec};
use generated::config_openshift_io::v1::{
    Authentication, AuthenticationList, AuthenticationSpecType,
};
use generated::runtime::Resource;
use serde_json::json;

/// The README's example.
#[test]
fn readme_token_review() {
    let review = TokenReview {
        spec: TokenReviewSpec {
            token: Some("eyJhbGciOi...".into()),
            audiences: None,
        },
        ..Default::default()
    };
    let json = serde_json::to_value(&review).unwrap();
    assert_eq!(json["apiVersion"], TokenReview::API_VERSION);
    assert_eq!(json["kind"], "TokenReview");
    assert_eq!(
        json,
        json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview", "spec": {"token": "eyJhbGciOi..."}})
    );
}

/// An Authentication object written by us, using every part of the seed's field tree and the
/// OIDC provider configuration of the current API.
#[test]
fn authentication_round_trips() {
    let v = json!({
        "apiVersion": "config.openshift.io/v1",
        "kind": "Authentication",
        "metadata": {"name": "cluster", "creationTimestamp": "2025-03-01T10:00:00Z", "generation": 3},
        "spec": {
            "type": "OIDC",
            "serviceAccountIssuer": "https://issuer.example.com",
            "oauthMetadata": {"name": "oauth-meta"},
            "webhookTokenAuthenticator": {"kubeConfig": {"name": "webhook-kubeconfig"}},
            "webhookTokenAuthenticators": [{"kubeConfig": {"name": "old"}}, {}],
            "oidcProviders": [{
                "name": "corp-sso",
                "issuer": {"issuerURL": "https://sso.example.com", "audiences": ["openshift"],
                           "issuerCertificateAuthority": {"name": "sso-ca"}},
                "claimMappings": {
                    "username": {"claim": "email", "prefixPolicy": "Prefix", "prefix": {"prefixString": "sso:"}},
                    "groups": {"claim": "groups", "prefix": "sso:"}
                },
                "claimValidationRules": [{"type": "RequiredClaim", "requiredClaim": {"claim": "hd", "requiredValue": "example.com"}}],
                "oidcClients": [{"componentName": "console", "componentNamespace": "openshift-console", "clientID": "console",
                                 "clientSecret": {"name": "console-secret"}, "extraScopes": ["email"]}]
            }]
        },
        "status": {
            "integratedOAuthMetadata": {"name": "oauth-openshift"},
            "oidcClients": [{"componentName": "console", "componentNamespace": "openshift-console",
                             "conditions": [{"type": "Available", "status": "True", "reason": "AsExpected", "message": "",
                                             "lastTransitionTime": "2025-03-01T10:05:00Z", "observedGeneration": 3}],
                             "currentOIDCClients": [{"issuerURL": "https://sso.example.com", "clientID": "console", "oidcProviderName": "corp-sso"}],
                             "consumingUsers": ["system:serviceaccount:openshift-console:console"]}]
        }
    });
    let a: Authentication = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(a.spec.type_, Some(AuthenticationSpecType::Oidc));
    assert_eq!(serde_json::to_value(&a).unwrap(), v);
    let list = json!({"apiVersion": "config.openshift.io/v1", "kind": "AuthenticationList", "metadata": {"resourceVersion": "12"}, "items": [v]});
    let l: AuthenticationList = serde_json::from_value(list.clone()).unwrap();
    assert_eq!(serde_json::to_value(&l).unwrap(), list);
    assert_eq!(
        (Authentication::PLURAL, Authentication::NAMESPACED),
        ("authentications", false)
    );
}
