//! Faults a long-running client meets, produced on the real kube-apiserver
//! (tests/src/apiserver.rs) or between it and the client: a server that stops answering, a
//! token file rotated under a running client, and throttling (429 with Retry-After) from a
//! proxy in front of the real server.

use std::sync::Arc;
use std::time::{Duration, Instant};

use generated::authentication_k8s_io::v1 as authn;
use generated::runtime::{Client, Error, RetryPolicy};
use tests::apiserver::{namespace, plain, shared, Identity};

/// The pause stops the one server every test of this binary shares: tests that need it
/// answering hold this for reading, the pause for writing.
static SERVER_ANSWERS: tokio::sync::RwLock<()> = tokio::sync::RwLock::const_new(());

/// SIGSTOP kube-apiserver during a request: the client's timeout fires (a timeout is not
/// retried), and once the server continues the same client works again.
#[tokio::test]
async fn a_stopped_server_hits_the_timeout() {
    let _exclusive = SERVER_ANSWERS.write().await;
    let cluster = shared();
    let client = cluster
        .client_builder(Identity::Admin)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    // A connection is open before the stop, as in a running program.
    let (status, _) = plain(&client, "GET", "/api/v1/namespaces/default", None).await;
    assert_eq!(status, 200);
    let paused = cluster.pause_apiserver().unwrap();
    let started = Instant::now();
    let req = generated::runtime::http::Request::get("/api/v1/namespaces/default")
        .body(Vec::new())
        .unwrap();
    let err = client.execute(req).await.unwrap_err();
    assert!(matches!(err, Error::Timeout), "{err:?}");
    assert!(started.elapsed() >= Duration::from_secs(2));
    assert_eq!(client.retries(), 0, "a timeout is not retried");
    drop(paused);
    let (status, _) = plain(&client, "GET", "/api/v1/namespaces/default", None).await;
    assert_eq!(status, 200);
}

async fn service_account_token(admin: &Client, ns: &str, name: &str) -> String {
    let (status, body) = plain(
        admin,
        "POST",
        &format!("/api/v1/namespaces/{ns}/serviceaccounts"),
        Some(serde_json::json!({"metadata": {"name": name}})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // No audiences: the API server's own, so the token authenticates to it.
    generated::core::v1::ServiceAccountApi::namespaced(admin, ns)
        .create_token(name, &Default::default(), &Default::default())
        .await
        .unwrap()
        .status
        .unwrap()
        .token
}

async fn who_am_i(client: &Client) -> Result<String, Error> {
    let review = authn::SelfSubjectReviewApi::new(client)
        .create(&Default::default(), &Default::default())
        .await?;
    Ok(review
        .status
        .and_then(|s| s.user_info)
        .and_then(|u| u.username)
        .unwrap_or_default())
}

/// A service-account token file replaced while the client runs, the old token revoked (its
/// service account deleted): the next request is refused with 401, the client reads the file
/// again at once and sends the request again with the new token.
#[tokio::test]
async fn a_rotated_token_file_is_picked_up_on_the_next_request() {
    let _answering = SERVER_ANSWERS.read().await;
    let cluster = shared();
    let admin = cluster.client(Identity::Admin).unwrap();
    let ns = namespace(&admin, "rotate").await;
    let dir = std::env::temp_dir().join(format!("rotate-{}-{ns}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("token");
    std::fs::write(&file, service_account_token(&admin, &ns, "first").await).unwrap();
    let client = Client::builder(&cluster.server)
        .ca_bundle_pem(cluster.ca_pem.as_bytes())
        .bearer_token_file(&file)
        .build()
        .unwrap();
    assert_eq!(
        who_am_i(&client).await.unwrap(),
        format!("system:serviceaccount:{ns}:first")
    );
    // The kubelet's rotation: a new token in the file (by rename, as it writes it); the old
    // one stops working.
    let next = service_account_token(&admin, &ns, "second").await;
    std::fs::write(dir.join("token.new"), next).unwrap();
    std::fs::rename(dir.join("token.new"), &file).unwrap();
    let (status, body) = plain(
        &admin,
        "DELETE",
        &format!("/api/v1/namespaces/{ns}/serviceaccounts/first"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    // The revocation reaches the authenticator's cache within seconds; until then the first
    // token may still be accepted.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let who = who_am_i(&client).await.unwrap();
        if who == format!("system:serviceaccount:{ns}:second") {
            break;
        }
        assert_eq!(who, format!("system:serviceaccount:{ns}:first"));
        assert!(Instant::now() < deadline, "the old token was never refused");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A loopback proxy in front of the real server answers the first `throttle` requests with
/// 429 and `Retry-After: 1`, as priority-and-fairness does, and forwards the rest.
async fn throttling_proxy(
    upstream: Client,
    throttle: usize,
) -> (String, Arc<std::sync::Mutex<usize>>) {
    use axum::body::Body;
    use axum::http::{Request, Response};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<std::sync::Mutex<usize>> = Default::default();
    let count = seen.clone();
    let app = axum::Router::new().fallback(move |req: Request<Body>| {
        let (upstream, count) = (upstream.clone(), count.clone());
        async move {
            let n = {
                let mut c = count.lock().unwrap();
                *c += 1;
                *c
            };
            if n <= throttle {
                let body = r#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"Too many requests, please try again later.","reason":"TooManyRequests","code":429}"#;
                return Response::builder()
                    .status(429)
                    .header("content-type", "application/json")
                    .header("retry-after", "1")
                    .body(Body::from(body))
                    .unwrap();
            }
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await.unwrap().to_vec();
            let mut forward = generated::runtime::http::Request::builder()
                .method(parts.method.as_str())
                .uri(parts.uri.path_and_query().map_or("/", |p| p.as_str()));
            for name in ["content-type", "accept"] {
                if let Some(v) = parts.headers.get(name) {
                    forward = forward.header(name, v.as_bytes());
                }
            }
            let (status, answer) = upstream.execute(forward.body(body).unwrap()).await.unwrap();
            Response::builder()
                .status(status.as_u16())
                .header("content-type", "application/json")
                .body(Body::from(answer))
                .unwrap()
        }
    });
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, seen)
}

/// 429 with Retry-After in front of the real server: the create is sent again after the
/// server's wait, each retry reported, and the object made once.
#[tokio::test]
async fn throttled_requests_are_retried_after_the_servers_wait() {
    let _answering = SERVER_ANSWERS.read().await;
    let cluster = shared();
    let admin = cluster.client(Identity::Admin).unwrap();
    let ns = namespace(&admin, "throttle").await;
    let upstream = cluster
        .client_builder(Identity::Admin)
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap();
    let (url, seen) = throttling_proxy(upstream, 2).await;
    let events: Arc<std::sync::Mutex<Vec<generated::runtime::RetryEvent>>> = Default::default();
    let sink = events.clone();
    let client = Client::builder(&url)
        .on_retry(move |e| sink.lock().unwrap().push(e.clone()))
        .build()
        .unwrap();
    let started = Instant::now();
    let map = generated::core::v1::ConfigMap {
        metadata: Some(generated::meta::v1::ObjectMeta {
            name: Some("throttled".into()),
            ..Default::default()
        }),
        data: Some([("k".to_string(), "v".to_string())].into()),
        ..Default::default()
    };
    let made = generated::core::v1::ConfigMapApi::namespaced(&client, &ns)
        .create(&map, &Default::default())
        .await
        .unwrap();
    assert_eq!(made.metadata.unwrap().name.as_deref(), Some("throttled"));
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "waited Retry-After twice"
    );
    assert_eq!(*seen.lock().unwrap(), 3);
    let events = events.lock().unwrap().clone();
    assert_eq!(events.len(), 2);
    assert!(
        events.iter().all(|e| e.delay == Duration::from_secs(1)),
        "{events:?}"
    );
    assert_eq!(client.retries(), 2);
}
