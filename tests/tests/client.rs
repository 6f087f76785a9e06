//! The generated client against an API server on loopback: what goes on the wire for each
//! operation, what comes back, and how failures surface. All offline.

mod support;

use std::time::Duration;

use futures_util::StreamExt as _;
use generated::authentication_k8s_io::v1 as authn;
use generated::config_openshift_io::v1 as config;
use generated::core::v1 as core;
use generated::meta::v1::ObjectMeta;
use generated::runtime::{Client, Error, Patch, WatchEvent};
use serde_json::json;
use support::server::{self, Server, ADMIN, READONLY};

fn auth(name: &str, issuer: &str) -> config::Authentication {
    config::Authentication {
        metadata: Some(ObjectMeta {
            name: Some(name.into()),
            labels: Some([("tier".to_string(), "gold".to_string())].into()),
            ..Default::default()
        }),
        spec: config::AuthenticationSpec {
            service_account_issuer: Some(issuer.into()),
            ..Default::default()
        },
        status: None,
    }
}

async fn next(
    e: &mut generated::runtime::WatchStream<config::Authentication>,
) -> WatchEvent<config::Authentication> {
    tokio::time::timeout(Duration::from_secs(5), e.next())
        .await
        .expect("event in time")
        .expect("stream open")
        .expect("event decodes")
}

async fn setup() -> (Server, config::AuthenticationApi) {
    let server = Server::start().await;
    let client = Client::builder(&server.url)
        .bearer_token(ADMIN)
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    (server, config::AuthenticationApi::new(&client))
}

#[tokio::test]
async fn authentication_crud_on_the_wire() {
    let (server, api) = setup().await;

    let created = api
        .create(
            &auth("cluster", "https://a"),
            &config::CreateAuthenticationParams {
                field_manager: Some("tests".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let seen = server.last();
    assert_eq!(
        (
            seen.method.as_str(),
            seen.path.as_str(),
            seen.query.as_str()
        ),
        (
            "POST",
            "/apis/config.openshift.io/v1/authentications",
            "fieldManager=tests"
        )
    );
    assert_eq!(seen.header("content-type"), Some("application/json"));
    assert_eq!(seen.header("accept"), Some("application/json"));
    assert_eq!(seen.header("authorization"), Some("Bearer admin-token"));
    assert_eq!(seen.json()["apiVersion"], "config.openshift.io/v1");
    assert_eq!(seen.json()["kind"], "Authentication");
    assert_eq!(
        seen.json()["spec"],
        json!({"serviceAccountIssuer": "https://a"})
    );
    let rv = created
        .metadata
        .as_ref()
        .and_then(|m| m.resource_version.clone())
        .unwrap();

    let read = api.get("cluster", &Default::default()).await.unwrap();
    assert_eq!(read, created);
    let seen = server.last();
    assert_eq!(
        (
            seen.method.as_str(),
            seen.path.as_str(),
            seen.query.as_str()
        ),
        (
            "GET",
            "/apis/config.openshift.io/v1/authentications/cluster",
            ""
        )
    );
    assert!(seen.body.is_empty() && seen.header("content-type").is_none());

    // Replace with the current resourceVersion works; with a stale one it is a 409 Conflict.
    let mut changed = read.clone();
    changed.spec.service_account_issuer = Some("https://b".into());
    let replaced = api
        .replace(
            "cluster",
            &changed,
            &config::ReplaceAuthenticationParams {
                dry_run: Some(generated::params::DryRun::All),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(server.last().query, "dryRun=All");
    assert_eq!(
        server.object("cluster").unwrap()["spec"]["serviceAccountIssuer"],
        "https://a",
        "dry run persists nothing"
    );
    assert_eq!(
        replaced.spec.service_account_issuer.as_deref(),
        Some("https://b")
    );
    let replaced = api
        .replace("cluster", &changed, &Default::default())
        .await
        .unwrap();
    assert_eq!(server.last().method, "PUT");
    assert_ne!(
        replaced
            .metadata
            .as_ref()
            .unwrap()
            .resource_version
            .as_deref(),
        Some(rv.as_str())
    );
    let err = api
        .replace("cluster", &changed, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(409), Some("Conflict"))
    );

    // Status subresource: only status changes.
    let mut with_status = api
        .get_status("cluster", &Default::default())
        .await
        .unwrap();
    assert_eq!(
        server.last().path,
        "/apis/config.openshift.io/v1/authentications/cluster/status"
    );
    with_status.status = Some(config::AuthenticationStatus {
        integrated_o_auth_metadata: Some(config::AuthenticationStatusIntegratedOAuthMetadata {
            name: "oauth-openshift".into(),
        }),
        ..Default::default()
    });
    with_status.spec.service_account_issuer = Some("https://ignored".into());
    let after = api
        .replace_status("cluster", &with_status, &Default::default())
        .await
        .unwrap();
    assert_eq!(server.last().method, "PUT");
    assert_eq!(
        after
            .status
            .unwrap()
            .integrated_o_auth_metadata
            .unwrap()
            .name,
        "oauth-openshift"
    );
    assert_eq!(
        after.spec.service_account_issuer.as_deref(),
        Some("https://b")
    );
    let patched = api
        .patch_status(
            "cluster",
            &Patch::Merge(json!({"status": {"integratedOAuthMetadata": {"name": "other"}}})),
            &Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        server.last().path,
        "/apis/config.openshift.io/v1/authentications/cluster/status"
    );
    assert_eq!(
        patched
            .status
            .unwrap()
            .integrated_o_auth_metadata
            .unwrap()
            .name,
        "other"
    );

    // Each patch kind goes with its own Content-Type.
    let merge = api
        .patch(
            "cluster",
            &Patch::Merge(json!({"spec": {"type": "OIDC"}})),
            &Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(
        server.last().header("content-type"),
        Some("application/merge-patch+json")
    );
    assert_eq!(merge.spec.type_, Some(config::AuthenticationSpecType::Oidc));
    let jp = api
        .patch("cluster", &Patch::Json(json!([{"op": "replace", "path": "/spec/serviceAccountIssuer", "value": "https://c"}])), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        server.last().header("content-type"),
        Some("application/json-patch+json")
    );
    assert_eq!(jp.spec.service_account_issuer.as_deref(), Some("https://c"));
    let apply = Patch::apply(&auth("cluster", "https://d")).unwrap();
    let applied = api
        .patch(
            "cluster",
            &apply,
            &config::PatchAuthenticationParams {
                field_manager: Some("me".into()),
                force: Some(true),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let seen = server.last();
    assert_eq!(
        (seen.header("content-type"), seen.query.as_str()),
        (
            Some("application/apply-patch+yaml"),
            "fieldManager=me&force=true"
        )
    );
    assert_eq!(
        applied.spec.service_account_issuer.as_deref(),
        Some("https://d")
    );
    let err = api
        .patch("cluster", &Patch::Strategic(json!({})), &Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        server.last().header("content-type"),
        Some("application/strategic-merge-patch+json")
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(415));

    // Delete, then it is gone.
    let st = api
        .delete(
            "cluster",
            None,
            &config::DeleteAuthenticationParams {
                grace_period_seconds: Some(0),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let seen = server.last();
    assert_eq!(
        (seen.method.as_str(), seen.query.as_str()),
        ("DELETE", "gracePeriodSeconds=0")
    );
    let generated::runtime::DeleteResponse::Deleted(st) = st else {
        panic!("the server answered a Status: {st:?}");
    };
    assert_eq!(st.status.as_deref(), Some("Success"));
    let err = api.get("cluster", &Default::default()).await.unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(404), Some("NotFound"))
    );
    assert!(err.to_string().contains("\"cluster\" not found"), "{err}");
}

#[tokio::test]
async fn list_selectors_pagination_and_delete_collection() {
    let (server, api) = setup().await;
    for i in 0..5 {
        let mut a = auth(&format!("a{i}"), "https://x");
        if i % 2 == 1 {
            a.metadata.as_mut().unwrap().labels =
                Some([("tier".to_string(), "silver".to_string())].into());
        }
        api.create(&a, &Default::default()).await.unwrap();
    }
    let gold = api
        .list(&config::ListAuthenticationParams {
            label_selector: Some("tier=gold".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(server.last().query, "labelSelector=tier%3Dgold");
    let names: Vec<_> = gold
        .items
        .iter()
        .map(|a| a.metadata.as_ref().unwrap().name.clone().unwrap())
        .collect();
    assert_eq!(names, ["a0", "a2", "a4"]);
    let one = api
        .list(&config::ListAuthenticationParams {
            field_selector: Some("metadata.name=a3".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(one.items.len(), 1);

    // Following continue tokens yields every item once.
    let before = server.seen().len();
    let all: Vec<config::Authentication> = generated::runtime::paginate(|token| {
        let api = api.clone();
        async move {
            api.list(&config::ListAuthenticationParams {
                limit: Some(2),
                continue_: token,
                ..Default::default()
            })
            .await
        }
    })
    .map(|r| r.unwrap())
    .collect()
    .await;
    assert_eq!(all.len(), 5);
    let queries: Vec<String> = server.seen()[before..]
        .iter()
        .map(|s| s.query.clone())
        .collect();
    // Parameters go in the order the API declares them.
    assert_eq!(
        queries,
        ["limit=2", "continue=a1&limit=2", "continue=a3&limit=2"]
    );

    let err = api
        .list(&config::ListAuthenticationParams {
            continue_: Some("expired".into()),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(410), Some("Expired"))
    );

    let st = api
        .delete_collection(
            None,
            &config::DeleteCollectionAuthenticationParams {
                label_selector: Some("tier=silver".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    // The loopback server answers a Status (kube-apiserver sends the list: apiserver_core.rs).
    let generated::runtime::DeleteCollectionResponse::Status(st) = st else {
        panic!("expected the loopback server's Status: {st:?}");
    };
    assert_eq!(st.status.as_deref(), Some("Success"));
    assert_eq!(
        (server.last().method.as_str(), server.last().query.as_str()),
        ("DELETE", "labelSelector=tier%3Dsilver")
    );
    assert_eq!(api.list(&Default::default()).await.unwrap().items.len(), 3);
}

#[tokio::test]
async fn watch_streams_typed_events_with_bookmarks_and_errors() {
    let (server, api) = setup().await;
    let mut events = api
        .watch(&config::WatchAuthenticationParams {
            allow_watch_bookmarks: Some(true),
            ..Default::default()
        })
        .await
        .unwrap();
    let seen = server.last();
    assert_eq!(
        (seen.path.as_str(), seen.query.as_str()),
        (
            "/apis/config.openshift.io/v1/authentications",
            "watch=true&allowWatchBookmarks=true"
        )
    );
    assert!(
        matches!(next(&mut events).await, WatchEvent::Bookmark(b) if b.resource_version == "0")
    );
    api.create(&auth("cluster", "https://a"), &Default::default())
        .await
        .unwrap();
    api.patch(
        "cluster",
        &Patch::Merge(json!({"spec": {"serviceAccountIssuer": "https://b"}})),
        &Default::default(),
    )
    .await
    .unwrap();
    api.delete("cluster", None, &Default::default())
        .await
        .unwrap();
    match next(&mut events).await {
        WatchEvent::Added(a) => {
            assert_eq!(a.spec.service_account_issuer.as_deref(), Some("https://a"))
        }
        other => panic!("expected ADDED, got {other:?}"),
    }
    assert!(
        matches!(next(&mut events).await, WatchEvent::Modified(a) if a.spec.service_account_issuer.as_deref() == Some("https://b"))
    );
    assert!(matches!(next(&mut events).await, WatchEvent::Deleted(_)));
    server.expire_watches();
    match next(&mut events).await {
        WatchEvent::Error(status) => assert_eq!(
            (status.code, status.reason.as_deref()),
            (Some(410), Some("Expired"))
        ),
        other => panic!("expected ERROR, got {other:?}"),
    }
}

#[tokio::test]
async fn watch_events_survive_any_chunk_boundaries_and_truncation_is_an_error() {
    let body = concat!(
        "{\"type\":\"ADDED\",\"object\":{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Authentication\",\"metadata\":{\"name\":\"cluster\"},\"spec\":{\"type\":\"IntegratedOAuth\"}}}\n",
        "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"Authentication\",\"apiVersion\":\"config.openshift.io/v1\",\"metadata\":{\"resourceVersion\":\"77\"}}}\n",
        "{\"type\":\"DELETED\",\"object\":{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Authentication\",\"metadata\":{\"name\":\"cluster\"},\"spec\":{}}}\n"
    );
    for size in [1, 2, 3, 7, 16, 50, 64, 200, body.len()] {
        let url = server::raw_server(server::chunked("200 OK", body.as_bytes(), size)).await;
        let api = config::AuthenticationApi::new(&Client::new(&url).unwrap());
        let events: Vec<_> = api
            .watch(&Default::default())
            .await
            .unwrap()
            .collect()
            .await;
        assert_eq!(events.len(), 3, "chunk size {size}");
        let kinds: Vec<&str> = events
            .iter()
            .map(|e| match e.as_ref().unwrap() {
                WatchEvent::Added(_) => "ADDED",
                WatchEvent::Bookmark(_) => "BOOKMARK",
                WatchEvent::Deleted(_) => "DELETED",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["ADDED", "BOOKMARK", "DELETED"], "chunk size {size}");
    }
    // The body stops in the middle of the second event.
    let cut = &body.as_bytes()[..body.find("BOOKMARK").unwrap()];
    let url = server::raw_server(server::chunked("200 OK", cut, 10)).await;
    let api = config::AuthenticationApi::new(&Client::new(&url).unwrap());
    let events: Vec<_> = api
        .watch(&Default::default())
        .await
        .unwrap()
        .collect()
        .await;
    assert!(
        matches!(
            events.as_slice(),
            [Ok(WatchEvent::Added(_)), Err(Error::Truncated)]
        ),
        "{events:?}"
    );
}

#[tokio::test]
async fn truncated_malformed_and_oversized_responses_are_errors() {
    type Case = (Vec<Vec<u8>>, fn(&Error) -> bool);
    let cases: Vec<Case> = vec![
        (
            server::chunked(
                "200 OK",
                b"{\"apiVersion\":\"config.openshift.io/v1\",\"kind\":\"Auth",
                5,
            ),
            |e| matches!(e, Error::Truncated),
        ),
        (server::chunked("200 OK", b"{\"spec\": [1, 2]}", 5), |e| {
            matches!(e, Error::Decode(_))
        }),
        (
            server::chunked("200 OK", b"<html>not json</html>", 5),
            |e| matches!(e, Error::Decode(_)),
        ),
        (
            vec![b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"spec\":".to_vec()],
            |e| matches!(e, Error::Transport(_) | Error::Truncated),
        ),
        (
            server::chunked("502 Bad Gateway", b"upstream is down", 4),
            |e| matches!(e, Error::Api { status, details: None, body, .. } if status.as_u16() == 502 && body == "upstream is down"),
        ),
    ];
    for (response, check) in cases {
        let url = server::raw_server(response).await;
        let api = config::AuthenticationApi::new(&Client::new(&url).unwrap());
        let err = api.get("cluster", &Default::default()).await.unwrap_err();
        assert!(check(&err), "unexpected error {err:?}");
    }
    let big = vec![b'x'; 10_000];
    let url = server::raw_server(server::chunked("200 OK", &big, 1000)).await;
    let api = config::AuthenticationApi::new(
        &Client::builder(&url)
            .max_response_bytes(4096)
            .build()
            .unwrap(),
    );
    let err = api.get("cluster", &Default::default()).await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 4096 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_silent_server_hits_the_client_timeout() {
    let url = server::silent_server().await;
    let api = config::AuthenticationApi::new(
        &Client::builder(&url)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap(),
    );
    let started = std::time::Instant::now();
    let err = api.get("cluster", &Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn status_errors_401_403_409_422() {
    let server = Server::start().await;
    let anonymous = config::AuthenticationApi::new(&Client::new(&server.url).unwrap());
    let err = anonymous.list(&Default::default()).await.unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(401), Some("Unauthorized"))
    );
    assert!(server.last().header("authorization").is_none());

    let viewer = config::AuthenticationApi::new(
        &Client::builder(&server.url)
            .bearer_token(READONLY)
            .build()
            .unwrap(),
    );
    let err = viewer
        .create(&auth("x", "https://x"), &Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(403), Some("Forbidden"))
    );

    let admin = config::AuthenticationApi::new(
        &Client::builder(&server.url)
            .bearer_token(ADMIN)
            .build()
            .unwrap(),
    );
    admin
        .create(&auth("x", "https://x"), &Default::default())
        .await
        .unwrap();
    let err = admin
        .create(&auth("x", "https://x"), &Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(409), Some("AlreadyExists"))
    );
    let mut nameless = auth("x", "https://x");
    nameless.metadata = None;
    let err = admin
        .create(&nameless, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.reason()),
        (Some(422), Some("Invalid"))
    );
    // The next request on the same client still works.
    assert_eq!(
        admin.list(&Default::default()).await.unwrap().items.len(),
        1
    );
}

#[tokio::test]
async fn token_review_self_subject_review_and_token_request() {
    let server = Server::start().await;
    let client = Client::builder(&server.url)
        .bearer_token(ADMIN)
        .build()
        .unwrap();
    let api = authn::TokenReviewApi::new(&client);

    let review = authn::TokenReview {
        spec: authn::TokenReviewSpec {
            token: Some("alice-token".into()),
            audiences: Some(vec!["https://kubernetes.default.svc".into()]),
        },
        ..Default::default()
    };
    let answer = api.create(&review, &Default::default()).await.unwrap();
    let seen = server.last();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/apis/authentication.k8s.io/v1/tokenreviews")
    );
    assert_eq!(
        seen.json(),
        json!({"apiVersion": "authentication.k8s.io/v1", "kind": "TokenReview",
        "spec": {"token": "alice-token", "audiences": ["https://kubernetes.default.svc"]}})
    );
    let status = answer.status.unwrap();
    assert_eq!(status.authenticated, Some(true));
    assert_eq!(status.user.unwrap().username.as_deref(), Some("alice"));

    let unknown = authn::TokenReview {
        spec: authn::TokenReviewSpec {
            token: Some("forged".into()),
            audiences: None,
        },
        ..Default::default()
    };
    let answer = api.create(&unknown, &Default::default()).await.unwrap();
    assert_eq!(answer.status.unwrap().authenticated, Some(false));

    let me = authn::SelfSubjectReviewApi::new(&client)
        .create(&Default::default(), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        me.status.unwrap().user_info.unwrap().username.as_deref(),
        Some("admin")
    );

    // Discovery is no resource: it stays on the group's Api.
    let resources = authn::Api::new(client.clone())
        .get_api_resources(&Default::default())
        .await
        .unwrap();
    assert_eq!(server.last().path, "/apis/authentication.k8s.io/v1/");
    assert_eq!(resources.group_version, "authentication.k8s.io/v1");

    let core = core::ServiceAccountApi::namespaced(&client, "ci");
    let request = authn::TokenRequest {
        spec: authn::TokenRequestSpec {
            audiences: vec!["vault".into()],
            expiration_seconds: Some(600),
            bound_object_ref: None,
        },
        ..Default::default()
    };
    let issued = core
        .create_token(
            "builder",
            &request,
            &core::CreateNamespacedServiceAccountTokenParams {
                dry_run: None,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let seen = server.last();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        (
            "POST",
            "/api/v1/namespaces/ci/serviceaccounts/builder/token"
        )
    );
    assert_eq!(seen.json()["kind"], "TokenRequest");
    assert_eq!(issued.status.unwrap().token, "issued-for-ci-builder");
}

#[tokio::test]
async fn hostile_path_parameters_never_change_the_path() {
    let (server, api) = setup().await;
    for name in [
        "a/b",
        "x?watch=true",
        "frag#ment",
        "100%",
        "../../api/v1/secrets",
        "..%2F..",
        "名前",
    ] {
        let err = api.get(name, &Default::default()).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
        let seen = server.last();
        assert_eq!(seen.query, "", "{name} added a query");
        let tail = seen
            .path
            .strip_prefix("/apis/config.openshift.io/v1/authentications/")
            .expect("same collection");
        assert!(!tail.contains('/'), "{name} became {tail}");
    }
    let before = server.seen().len();
    for name in ["..", ".", ""] {
        let err = api.get(name, &Default::default()).await.unwrap_err();
        assert!(
            matches!(err, Error::InvalidPathParameter { name: "name", .. }),
            "{err:?}"
        );
    }
    assert_eq!(server.seen().len(), before, "refused names send nothing");
    // Selector values cannot add query parameters either.
    api.list(&config::ListAuthenticationParams {
        label_selector: Some("a=b&watch=true".into()),
        ..Default::default()
    })
    .await
    .unwrap();
    assert_eq!(server.last().query, "labelSelector=a%3Db%26watch%3Dtrue");
}

#[tokio::test]
async fn tokens_stay_out_of_debug_and_errors() {
    // Model fields that hold credentials show only whether they are set.
    let review = authn::TokenReview {
        spec: authn::TokenReviewSpec {
            token: Some("s3cr3t-t0ken".into()),
            audiences: Some(vec!["api".into()]),
        },
        ..Default::default()
    };
    let shown = format!("{review:?} {:#?}", review.spec);
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(
        shown.contains("token: Some(<redacted>)") && shown.contains("\"api\""),
        "{shown}"
    );
    let empty = format!("{:?}", authn::TokenReviewSpec::default());
    assert!(empty.contains("token: None"), "{empty}");
    let issued: authn::TokenRequestStatus = serde_json::from_value(json!({
        "token": "s3cr3t-t0ken", "expirationTimestamp": "2026-12-02T10:00:00Z"
    }))
    .unwrap();
    let shown = format!("{issued:?}");
    assert!(
        !shown.contains("s3cr3t") && shown.contains("token: <redacted>"),
        "{shown}"
    );
    assert!(shown.contains("2026"), "other fields still show: {shown}");

    let server = Server::start().await;
    let client = Client::builder(&server.url)
        .bearer_token("s3cr3t-t0ken")
        .build()
        .unwrap();
    let shown = format!("{client:?}");
    assert!(!shown.contains("s3cr3t"), "{shown}");
    assert!(shown.contains("<redacted>"), "{shown}");
    let api = config::AuthenticationApi::new(&client);
    assert!(!format!("{api:?}").contains("s3cr3t"));
    let err = api.get("x", &Default::default()).await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains("s3cr3t"));
    assert_eq!(
        server.last().header("authorization"),
        Some("Bearer s3cr3t-t0ken")
    );
    let unreachable = config::AuthenticationApi::new(
        &Client::builder("http://127.0.0.1:1")
            .bearer_token("s3cr3t-t0ken")
            .build()
            .unwrap(),
    );
    let err = unreachable.get("x", &Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::Transport(_)));
    assert!(!format!("{err} {err:?}").contains("s3cr3t"));
}

#[test]
fn sans_io_requests_and_responses() {
    let req = config::requests::list_authentication(&config::ListAuthenticationParams {
        limit: Some(10),
        watch: Some(false),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(req.method(), "GET");
    assert_eq!(
        req.uri(),
        "/apis/config.openshift.io/v1/authentications?limit=10&watch=false"
    );
    assert_eq!(req.headers()["accept"], "application/json");
    let req = config::requests::patch_authentication_status(
        "cluster",
        &Patch::Merge(json!({"status": {}})),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(
        (req.method().as_str(), req.uri().to_string()),
        (
            "PATCH",
            "/apis/config.openshift.io/v1/authentications/cluster/status".to_string()
        )
    );
    assert_eq!(
        req.headers()["content-type"],
        "application/merge-patch+json"
    );
    assert_eq!(req.body(), br#"{"status":{}}"#);
    let obj = config::requests::parse_read_authentication(
        http_status(200),
        br#"{"apiVersion":"config.openshift.io/v1","kind":"Authentication","metadata":{"name":"cluster"},"spec":{}}"#,
    )
    .unwrap();
    assert_eq!(obj.metadata.unwrap().name.as_deref(), Some("cluster"));
    let err = config::requests::parse_read_authentication(
        http_status(404),
        br#"{"kind":"Status","reason":"NotFound","code":404}"#,
    )
    .unwrap_err();
    assert_eq!(err.reason(), Some("NotFound"));
}

fn http_status(code: u16) -> generated::runtime::http::StatusCode {
    generated::runtime::http::StatusCode::from_u16(code).unwrap()
}

fn raw(status_line: &str, headers: &str, body: &str) -> Vec<Vec<u8>> {
    vec![format!("HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}", body.len()).into_bytes()]
}

/// A client that sends each request once (for tests of how one answer is typed).
fn no_retries(url: &str) -> Client {
    Client::builder(url)
        .retry_policy(generated::runtime::RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn throttling_and_expiry_are_typed() {
    let status = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"slow down","reason":"TooManyRequests","code":429}"#;
    let url = server::raw_server(raw("429 Too Many Requests", "retry-after: 7\r\n", status)).await;
    let api = config::AuthenticationApi::new(&no_retries(&url));
    let err = api.get("cluster", &Default::default()).await.unwrap_err();
    assert_eq!(
        (err.status().map(|s| s.as_u16()), err.retry_after()),
        (Some(429), Some(Duration::from_secs(7)))
    );
    assert!(!err.is_expired());

    let gone = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"too old resource version: 1 (42)","reason":"Expired","code":410}"#;
    let url = server::raw_server(raw("410 Gone", "", gone)).await;
    let api = config::AuthenticationApi::new(&no_retries(&url));
    let err = api
        .watch(&config::WatchAuthenticationParams {
            resource_version: Some("1".into()),
            ..Default::default()
        })
        .await
        .err()
        .expect("a 410 watch is an error");
    assert!(err.is_expired(), "{err:?}");

    // 5xx with a Status body keeps it.
    let unavailable = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"etcd down","reason":"ServiceUnavailable","code":503,"details":{"retryAfterSeconds":3}}"#;
    let url = server::raw_server(raw("503 Service Unavailable", "", unavailable)).await;
    let api = config::AuthenticationApi::new(&no_retries(&url));
    let err = api.get("cluster", &Default::default()).await.unwrap_err();
    assert_eq!(
        (err.reason(), err.retry_after()),
        (Some("ServiceUnavailable"), Some(Duration::from_secs(3)))
    );
}

#[tokio::test]
async fn huge_bodies_are_refused_without_reading_them() {
    // Announced as 2 GiB: refused from the header, before any of it is read.
    let url = server::raw_server(vec![b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2147483648\r\n\r\n{\"spec\":".to_vec()]).await;
    let api = config::AuthenticationApi::new(&Client::new(&url).unwrap());
    let err = api.get("cluster", &Default::default()).await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
    // Chunked without a length: reading stops at the limit.
    let big = vec![b' '; 4 << 20];
    let url = server::raw_server(server::chunked("200 OK", &big, 64 << 10)).await;
    let api = config::AuthenticationApi::new(
        &Client::builder(&url)
            .max_response_bytes(1 << 20)
            .build()
            .unwrap(),
    );
    let err = api.get("cluster", &Default::default()).await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit } if limit == 1 << 20),
        "{err:?}"
    );
}

#[test]
fn hostile_parameters_stay_in_place_for_every_operation_kind() {
    use config::requests as r;
    let name = "../x/..?watch=true#f";
    let p = Patch::Merge(json!({}));
    let a = config::Authentication::default();
    let reqs = vec![
        r::read_authentication(name, &Default::default()).unwrap(),
        r::read_authentication_status(name, &Default::default()).unwrap(),
        r::replace_authentication(name, &a, &Default::default()).unwrap(),
        r::replace_authentication_status(name, &a, &Default::default()).unwrap(),
        r::patch_authentication(name, &p, &Default::default()).unwrap(),
        r::patch_authentication_status(name, &p, &Default::default()).unwrap(),
        r::delete_authentication(name, None, &Default::default()).unwrap(),
    ];
    for req in &reqs {
        let path = req.uri().path();
        let tail = path
            .strip_prefix("/apis/config.openshift.io/v1/authentications/")
            .unwrap();
        let segment = tail.split('/').next().unwrap();
        assert_eq!(segment, "..%2Fx%2F..%3Fwatch%3Dtrue%23f", "{path}");
        assert!(req.uri().query().is_none(), "{}", req.uri());
    }
    let selector = "a=b&watch=true&limit=1";
    for req in [
        r::list_authentication(&config::ListAuthenticationParams {
            label_selector: Some(selector.into()),
            ..Default::default()
        })
        .unwrap(),
        r::watch_authentication(&config::WatchAuthenticationParams {
            label_selector: Some(selector.into()),
            ..Default::default()
        })
        .unwrap(),
        r::delete_collection_authentication(
            None,
            &config::DeleteCollectionAuthenticationParams {
                label_selector: Some(selector.into()),
                ..Default::default()
            },
        )
        .unwrap(),
    ] {
        let q: Vec<(String, String)> =
            form_urlencoded::parse(req.uri().query().unwrap_or("").as_bytes())
                .into_owned()
                .collect();
        assert!(
            q.iter().any(|(k, v)| k == "labelSelector" && v == selector),
            "{q:?}"
        );
        assert!(
            !q.iter().any(|(k, _)| k == "limit"),
            "a selector value added a parameter: {q:?}"
        );
    }
    // Namespaced and core paths: both the name and the namespace stay one segment each.
    let req = core::requests::create_namespaced_service_account_token(
        "a/b",
        "../kube-system",
        &authn::TokenRequest::default(),
        &Default::default(),
    )
    .unwrap();
    assert_eq!(
        req.uri().path(),
        "/api/v1/namespaces/..%2Fkube-system/serviceaccounts/a%2Fb/token"
    );
    assert!(core::requests::create_namespaced_service_account_token(
        "sa",
        "..",
        &authn::TokenRequest::default(),
        &Default::default()
    )
    .is_err());
}

/// Every `Warning:` header of an answer reaches the client's handler, in order, for successes
/// and failures alike; a warning never fails the request.
#[tokio::test]
async fn warnings_reach_the_handler() {
    let seen: std::sync::Arc<std::sync::Mutex<Vec<generated::runtime::Warning>>> =
        Default::default();
    let client = |url: &str| {
        let sink = seen.clone();
        Client::builder(url)
            .on_warning(move |w| sink.lock().unwrap().push(w.clone()))
            .build()
            .unwrap()
    };
    let body = r#"{"apiVersion":"config.openshift.io/v1","kind":"Authentication","metadata":{"name":"cluster"},"spec":{}}"#;
    let url = server::raw_server(raw(
        "200 OK",
        "warning: 299 - \"unknown field \\\"spec.x\\\"\"\r\nwarning: 299 - \"config.openshift.io/v1 is fine\", 299 - \"a second\"\r\n",
        body,
    ))
    .await;
    let got = config::AuthenticationApi::new(&client(&url))
        .get("cluster", &Default::default())
        .await
        .unwrap();
    assert_eq!(got.metadata.unwrap().name.as_deref(), Some("cluster"));
    let texts: Vec<String> = seen
        .lock()
        .unwrap()
        .iter()
        .map(|w| w.text.clone())
        .collect();
    assert_eq!(
        texts,
        [
            "unknown field \"spec.x\"",
            "config.openshift.io/v1 is fine",
            "a second"
        ]
    );
    seen.lock().unwrap().clear();
    let missing = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"no","reason":"NotFound","code":404}"#;
    let url = server::raw_server(raw(
        "404 Not Found",
        "warning: 299 - \"deprecated\"\r\n",
        missing,
    ))
    .await;
    let err = config::AuthenticationApi::new(&client(&url))
        .get("cluster", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.reason(), Some("NotFound"));
    assert_eq!(seen.lock().unwrap().len(), 1);
}

/// Captures what the client logs for `WARNING_LOG_TARGET`.
struct Captured(std::sync::Mutex<Vec<(log::Level, String)>>);

impl log::Log for Captured {
    fn enabled(&self, m: &log::Metadata) -> bool {
        m.target() == generated::runtime::WARNING_LOG_TARGET
    }
    fn log(&self, r: &log::Record) {
        if self.enabled(r.metadata()) {
            self.0
                .lock()
                .unwrap()
                .push((r.level(), r.args().to_string()));
        }
    }
    fn flush(&self) {}
}

static CAPTURED: Captured = Captured(std::sync::Mutex::new(Vec::new()));

/// With the default handler, a warning reaches the application's logger at `warn` level, not
/// stderr.
#[tokio::test]
async fn default_warning_handler_logs_to_the_applications_logger() {
    log::set_logger(&CAPTURED).unwrap();
    log::set_max_level(log::LevelFilter::Warn);
    let body = r#"{"apiVersion":"config.openshift.io/v1","kind":"Authentication","metadata":{"name":"cluster"},"spec":{}}"#;
    let url = server::raw_server(raw(
        "200 OK",
        "warning: 299 - \"field \\\"spec.x\\\" is unknown\"\r\n",
        body,
    ))
    .await;
    let client = Client::builder(&url).build().unwrap();
    config::AuthenticationApi::new(&client)
        .get("cluster", &Default::default())
        .await
        .unwrap();
    let got = CAPTURED.0.lock().unwrap().clone();
    assert!(
        got.contains(&(log::Level::Warn, "field \"spec.x\" is unknown".to_string())),
        "{got:?}"
    );
}

/// Without a logger, the default handler writes `Warning: <text>` to stderr, as client-go
/// does, control characters escaped. Runs `default_warning_child` in a process of its own,
/// where no logger is installed.
#[test]
fn default_warning_handler_writes_to_stderr_without_a_logger() {
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "default_warning_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("Warning: stale \\u{1b}]0;title\\u{7}\\n and more\n"),
        "{stderr:?}"
    );
}

#[test]
#[ignore = "run in its own process by default_warning_handler_writes_to_stderr_without_a_logger"]
fn default_warning_child() {
    generated::runtime::default_warning(&generated::runtime::Warning {
        code: 299,
        agent: "-".into(),
        text: "stale \u{1b}]0;title\u{7}\n and more".into(),
    });
}

/// `paginate` always ends: a server handing back the continue token it was sent, or sending
/// empty chunks with ever new tokens, ends the stream with `Error::Pagination` after a
/// bounded number of requests.
#[tokio::test]
async fn paginate_ends_on_servers_that_never_do() {
    use generated::runtime::{paginate, Error, MAX_EMPTY_PAGES};
    let chunk = |items: usize, token: Option<String>| config::AuthenticationList {
        items: (0..items).map(|_| Default::default()).collect(),
        metadata: Some(generated::meta::v1::ListMeta {
            continue_: token,
            ..Default::default()
        }),
    };
    // The same token back.
    let calls = std::cell::Cell::new(0);
    let out: Vec<Result<config::Authentication, Error>> = paginate(|_token| {
        calls.set(calls.get() + 1);
        let list = chunk(1, Some("same".into()));
        async move { Ok(list) }
    })
    .collect()
    .await;
    assert_eq!(calls.get(), 2, "the second answer repeats the token");
    assert_eq!(out.len(), 3, "two items, then the error");
    assert!(
        matches!(out.last(), Some(Err(Error::Pagination(_)))),
        "{:?}",
        out.last()
    );

    // Empty chunks, each with a new token.
    let calls = std::cell::Cell::new(0);
    let out: Vec<Result<config::Authentication, Error>> = paginate(|_token| {
        calls.set(calls.get() + 1);
        let list = chunk(0, Some(format!("t{}", calls.get())));
        async move { Ok(list) }
    })
    .collect()
    .await;
    assert_eq!(calls.get(), MAX_EMPTY_PAGES);
    assert!(
        matches!(out.as_slice(), [Err(Error::Pagination(_))]),
        "{out:?}"
    );

    // Empty chunks between full ones are followed: the count is of chunks in a row.
    let calls = std::cell::Cell::new(0);
    let out: Vec<Result<config::Authentication, Error>> = paginate(|_token| {
        calls.set(calls.get() + 1);
        let n = calls.get();
        let list = match n {
            250 => chunk(1, None),
            n if n % 50 == 0 => chunk(1, Some(format!("t{n}"))),
            n => chunk(0, Some(format!("t{n}"))),
        };
        async move { Ok(list) }
    })
    .collect()
    .await;
    assert_eq!(calls.get(), 250);
    assert_eq!(out.len(), 5);
    assert!(out.iter().all(Result::is_ok));
}

/// A password in the base URL would show in Debug output and in transport errors (reqwest
/// names the URL): such a URL is refused, without repeating it.
#[test]
fn user_info_in_the_base_url_is_refused_without_showing_it() {
    for url in [
        "https://admin:hunter2@10.0.0.1:6443",
        "https://hunter2@10.0.0.1:6443",
        "http://:hunter2@127.0.0.1:1",
    ] {
        let err = Client::new(url).unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{url}: {err:?}");
        let shown = format!("{err} {err:?}");
        assert!(!shown.contains("hunter2"), "{shown}");
        assert!(shown.contains("user information"), "{shown}");
    }
    assert!(Client::new("https://10.0.0.1:6443").is_ok());
}

fn status_response(code: u16, reason: &str, headers: &str) -> Vec<u8> {
    let body = format!(
        r#"{{"kind":"Status","apiVersion":"v1","status":"Failure","message":"{reason}","reason":"{reason}","code":{code}}}"#
    );
    format!("HTTP/1.1 {code} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n{headers}\r\n{body}", body.len()).into_bytes()
}

fn ok_response(body: &str) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).into_bytes()
}

const CLUSTER: &str = r#"{"apiVersion":"config.openshift.io/v1","kind":"Authentication","metadata":{"name":"cluster"},"spec":{}}"#;

/// A client with fast backoff whose retries are recorded.
fn recording_client(
    url: &str,
    policy: generated::runtime::RetryPolicy,
) -> (
    Client,
    std::sync::Arc<std::sync::Mutex<Vec<generated::runtime::RetryEvent>>>,
) {
    let events: std::sync::Arc<std::sync::Mutex<Vec<generated::runtime::RetryEvent>>> =
        Default::default();
    let sink = events.clone();
    let client = Client::builder(url)
        .retry_policy(policy)
        .on_retry(move |e| sink.lock().unwrap().push(e.clone()))
        .build()
        .unwrap();
    (client, events)
}

fn fast() -> generated::runtime::RetryPolicy {
    generated::runtime::RetryPolicy {
        max_retries: 5,
        initial_backoff: Duration::from_millis(20),
        max_backoff: Duration::from_secs(2),
    }
}

/// A read meets 429 (Retry-After: 0), 503 and 504 and then succeeds: three retries, each
/// handed to the hook with its reason and wait (the server's for 429, backoff within its
/// jitter range otherwise), and counted by the client.
#[tokio::test]
async fn reads_are_retried_on_429_503_504_and_each_retry_is_visible() {
    use generated::runtime::RetryReason;
    let (url, seen) = server::scripted_server(vec![
        status_response(429, "TooManyRequests", "retry-after: 0\r\n"),
        status_response(503, "ServiceUnavailable", ""),
        status_response(504, "Timeout", ""),
        ok_response(CLUSTER),
    ])
    .await;
    let (client, events) = recording_client(&url, fast());
    let got = config::AuthenticationApi::new(&client)
        .get("cluster", &Default::default())
        .await
        .unwrap();
    assert_eq!(got.metadata.unwrap().name.as_deref(), Some("cluster"));
    assert_eq!(seen.lock().unwrap().len(), 4);
    assert_eq!(client.retries(), 3);
    let events = events.lock().unwrap().clone();
    let reasons: Vec<RetryReason> = events.iter().map(|e| e.reason.clone()).collect();
    let status =
        |c| RetryReason::Status(generated::runtime::http::StatusCode::from_u16(c).unwrap());
    assert_eq!(reasons, [status(429), status(503), status(504)]);
    assert_eq!(
        events.iter().map(|e| e.attempt).collect::<Vec<_>>(),
        [1, 2, 3]
    );
    assert_eq!(events[0].delay, Duration::ZERO, "Retry-After: 0");
    // Attempt 2 backs off 20 ms × 2 = 40 ms ceiling: between 20 and 40 ms; attempt 3: 40–80 ms.
    assert!(
        (Duration::from_millis(20)..=Duration::from_millis(40)).contains(&events[1].delay),
        "{events:?}"
    );
    assert!(
        (Duration::from_millis(40)..=Duration::from_millis(80)).contains(&events[2].delay),
        "{events:?}"
    );
    assert_eq!(
        events[0].path,
        "/apis/config.openshift.io/v1/authentications/cluster"
    );
}

/// Writes: 429 is retried (the server refused before doing anything), 503 is not (it may have
/// been applied); a Retry-After beyond the policy's ceiling is not waited out; retries end at
/// `max_retries` with the last answer; `RetryPolicy::none()` sends once.
#[tokio::test]
async fn what_is_not_retried_and_where_retrying_stops() {
    use generated::runtime::RetryPolicy;
    let body = config::Authentication {
        metadata: Some(ObjectMeta {
            name: Some("cluster".into()),
            ..Default::default()
        }),
        ..Default::default()
    };
    // A create meeting 429 then success: retried.
    let (url, seen) = server::scripted_server(vec![
        status_response(429, "TooManyRequests", "retry-after: 0\r\n"),
        ok_response(CLUSTER),
    ])
    .await;
    let (client, _) = recording_client(&url, fast());
    config::AuthenticationApi::new(&client)
        .create(&body, &Default::default())
        .await
        .unwrap();
    assert_eq!((seen.lock().unwrap().len(), client.retries()), (2, 1));
    // A create meeting 503: the error, sent once.
    let (url, seen) =
        server::scripted_server(vec![status_response(503, "ServiceUnavailable", "")]).await;
    let (client, _) = recording_client(&url, fast());
    let err = config::AuthenticationApi::new(&client)
        .create(&body, &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!((seen.lock().unwrap().len(), client.retries()), (1, 0));
    // Retry-After: 60 against a 2 s ceiling: returned at once, with the server's wait.
    let (url, seen) = server::scripted_server(vec![status_response(
        429,
        "TooManyRequests",
        "retry-after: 60\r\n",
    )])
    .await;
    let (client, _) = recording_client(&url, fast());
    let err = config::AuthenticationApi::new(&client)
        .get("cluster", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(60)));
    assert_eq!((seen.lock().unwrap().len(), client.retries()), (1, 0));
    // Always 429: max_retries 2 means three requests, then the 429.
    let (url, seen) = server::scripted_server(vec![status_response(
        429,
        "TooManyRequests",
        "retry-after: 0\r\n",
    )])
    .await;
    let (client, events) = recording_client(
        &url,
        RetryPolicy {
            max_retries: 2,
            ..fast()
        },
    );
    let err = config::AuthenticationApi::new(&client)
        .get("cluster", &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        (
            seen.lock().unwrap().len(),
            client.retries(),
            events.lock().unwrap().len()
        ),
        (3, 2, 2)
    );
    // Retries off.
    let (url, seen) = server::scripted_server(vec![status_response(
        429,
        "TooManyRequests",
        "retry-after: 0\r\n",
    )])
    .await;
    let (client, _) = recording_client(&url, RetryPolicy::none());
    assert!(config::AuthenticationApi::new(&client)
        .get("cluster", &Default::default())
        .await
        .is_err());
    assert_eq!((seen.lock().unwrap().len(), client.retries()), (1, 0));
}

/// Nothing listening: the request was never sent, so even a create is retried, each retry
/// reported as a connection failure; then the transport error.
#[tokio::test]
async fn a_refused_connection_is_retried_for_any_method() {
    use generated::runtime::RetryReason;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (client, events) = recording_client(
        &format!("http://127.0.0.1:{port}"),
        generated::runtime::RetryPolicy {
            max_retries: 2,
            ..fast()
        },
    );
    let err = config::AuthenticationApi::new(&client)
        .create(&Default::default(), &Default::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    let events = events.lock().unwrap().clone();
    assert_eq!(events.len(), 2);
    assert!(
        events
            .iter()
            .all(|e| matches!(e.reason, RetryReason::Connection(_))),
        "{events:?}"
    );
}

/// The client names itself: `generated/<version> (<os>/<arch>)` unless set.
#[tokio::test]
async fn the_user_agent_names_the_crate_and_can_be_changed() {
    let server = Server::start().await;
    let api = config::AuthenticationApi::new(&Client::new(&server.url).unwrap());
    let _ = api.list(&Default::default()).await;
    let agent = server
        .last()
        .header("user-agent")
        .unwrap_or_default()
        .to_string();
    assert_eq!(agent, generated::runtime::default_user_agent());
    assert!(
        agent.starts_with(&format!("generated/{} (", env!("CARGO_PKG_VERSION"))),
        "{agent}"
    );
    let client = Client::builder(&server.url)
        .user_agent("my-operator/2.1")
        .build()
        .unwrap();
    let _ = config::AuthenticationApi::new(&client)
        .list(&Default::default())
        .await;
    assert_eq!(server.last().header("user-agent"), Some("my-operator/2.1"));
}

/// A token file is read again after a 401 (the request is then sent again, once, when the
/// token changed) and when the last read is older than the reload period.
#[tokio::test]
async fn a_token_file_is_read_again_after_a_401_and_when_stale() {
    let server = Server::start().await;
    let dir = std::env::temp_dir().join(format!("token-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, "expired-token\n").unwrap();
    let client = Client::builder(&server.url)
        .bearer_token_file(&file)
        .build()
        .unwrap();
    let api = config::AuthenticationApi::new(&client);
    // The file still holds the rejected token: one request, the 401.
    let err = api.list(&Default::default()).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let before = server.seen().len();
    // Rotated (well within the minute): the 401 makes the client read it again and resend.
    std::fs::write(&file, format!("{ADMIN}\n")).unwrap();
    api.list(&Default::default()).await.unwrap();
    let auths: Vec<String> = server.seen()[before..]
        .iter()
        .map(|s| s.header("authorization").unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        auths,
        [
            "Bearer expired-token".to_string(),
            format!("Bearer {ADMIN}")
        ]
    );
    // Reloaded every time (period zero): the next request carries the file's new token.
    let client = Client::builder(&server.url)
        .bearer_token_file_reloaded_every(&file, Duration::ZERO)
        .build()
        .unwrap();
    std::fs::write(&file, READONLY).unwrap();
    config::AuthenticationApi::new(&client)
        .list(&Default::default())
        .await
        .unwrap();
    assert_eq!(
        server.last().header("authorization"),
        Some(format!("Bearer {READONLY}").as_str())
    );
    // The token is not shown.
    assert!(!format!("{client:?}").contains(READONLY));
    // An unreadable file at build time is an error naming it.
    let err = Client::builder(&server.url)
        .bearer_token_file(dir.join("missing"))
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("missing"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A watch that stops receiving anything ends with `Error::WatchIdle` after the bound,
/// instead of hanging; the events before it arrive.
#[tokio::test]
async fn a_watch_that_goes_silent_ends_with_a_clear_error() {
    let url = server::stalled_watch_server(
        r#"{"type":"BOOKMARK","object":{"kind":"Authentication","apiVersion":"config.openshift.io/v1","metadata":{"resourceVersion":"7"}}}"#,
    )
    .await;
    let client = Client::builder(&url)
        .watch_idle_timeout(Some(Duration::from_millis(300)))
        .build()
        .unwrap();
    let mut events = config::AuthenticationApi::new(&client)
        .watch(&Default::default())
        .await
        .unwrap();
    assert!(matches!(
        events.next().await,
        Some(Ok(WatchEvent::Bookmark(_)))
    ));
    let err = events.next().await.unwrap().unwrap_err();
    assert!(
        matches!(err, Error::WatchIdle { after } if after == Duration::from_millis(300)),
        "{err:?}"
    );
    assert!(err.to_string().contains("not even a bookmark"), "{err}");
    assert!(events.next().await.is_none());
}

/// The defaults a long-running program gets without asking.
#[test]
fn a_client_has_timeouts_by_default() {
    let client = Client::new("https://127.0.0.1:1").unwrap();
    assert!(
        format!("{client:?}").contains("timeout: Some(120s)"),
        "{client:?}"
    );
    assert_eq!(
        generated::runtime::DEFAULT_CONNECT_TIMEOUT,
        Duration::from_secs(30)
    );
    let client = Client::builder("https://127.0.0.1:1")
        .no_timeout()
        .build()
        .unwrap();
    assert!(
        format!("{client:?}").contains("timeout: None"),
        "{client:?}"
    );
}
