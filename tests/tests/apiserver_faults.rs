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

use futures_util::StreamExt as _;
use generated::core::v1::{ConfigMap, ConfigMapApi};
use generated::runtime::watcher::{watcher, Config, Event};

/// A TCP forwarder to the API server whose connections the test can cut, and which refuses
/// new ones while down: a network path that breaks.
struct Cuttable {
    url: String,
    down: Arc<std::sync::atomic::AtomicBool>,
    conns: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>>,
}

impl Cuttable {
    async fn to(server: &str) -> Cuttable {
        let target = server.trim_start_matches("https://").to_string();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("https://{}", listener.local_addr().unwrap());
        let down: Arc<std::sync::atomic::AtomicBool> = Default::default();
        let conns: Arc<std::sync::Mutex<Vec<tokio::task::AbortHandle>>> = Default::default();
        let (d, c) = (down.clone(), conns.clone());
        tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                if d.load(std::sync::atomic::Ordering::SeqCst) {
                    continue; // dropped: the connection is closed at once
                }
                let target = target.clone();
                let task = tokio::spawn(async move {
                    if let Ok(mut outbound) = tokio::net::TcpStream::connect(&target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
                c.lock().unwrap().push(task.abort_handle());
            }
        });
        Cuttable { url, down, conns }
    }

    /// Every open connection closed, new ones refused.
    fn cut(&self) {
        self.down.store(true, std::sync::atomic::Ordering::SeqCst);
        for c in self.conns.lock().unwrap().drain(..) {
            c.abort();
        }
    }

    fn restore(&self) {
        self.down.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

fn config_map(name: &str, value: &str) -> ConfigMap {
    ConfigMap {
        metadata: Some(generated::meta::v1::ObjectMeta {
            name: Some(name.into()),
            ..Default::default()
        }),
        data: Some([("v".to_string(), value.to_string())].into()),
        ..Default::default()
    }
}

fn name(c: &ConfigMap) -> String {
    c.metadata
        .as_ref()
        .and_then(|m| m.name.clone())
        .unwrap_or_default()
}

fn value(c: &ConfigMap) -> String {
    c.data
        .as_ref()
        .and_then(|d| d.get("v").cloned())
        .unwrap_or_default()
}

/// What a watcher reported, by kind and object name (and value), errors counted apart.
#[derive(Debug, PartialEq, Eq, Clone)]
enum Seen {
    Init,
    InitApply(String),
    InitDone,
    Apply(String, String),
    Delete(String),
}

type Events =
    std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Event<ConfigMap>, Error>> + Send>>;

/// The next `n` events (errors skipped and counted), within a minute.
async fn next_events(events: &mut Events, n: usize, errors: &mut usize) -> Vec<Seen> {
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while out.len() < n {
        let next = tokio::time::timeout_at(deadline, events.next())
            .await
            .unwrap_or_else(|_| panic!("only {out:?} within a minute"))
            .expect("a watcher never ends");
        match next {
            Err(_) => *errors += 1,
            Ok(Event::Init) => out.push(Seen::Init),
            Ok(Event::InitApply(c)) => out.push(Seen::InitApply(name(&c))),
            Ok(Event::InitDone) => out.push(Seen::InitDone),
            Ok(Event::Apply(c)) => out.push(Seen::Apply(name(&c), value(&c))),
            Ok(Event::Delete(c)) => out.push(Seen::Delete(name(&c))),
        }
    }
    out
}

/// Init, the current objects, InitDone (their order within the list is the server's).
fn assert_init(got: &[Seen], names: &[&str]) {
    assert_eq!(got.first(), Some(&Seen::Init), "{got:?}");
    assert_eq!(got.last(), Some(&Seen::InitDone), "{got:?}");
    let mut listed: Vec<String> = got[1..got.len() - 1]
        .iter()
        .map(|s| match s {
            Seen::InitApply(n) => n.clone(),
            other => panic!("{other:?} inside the initial state: {got:?}"),
        })
        .collect();
    listed.sort();
    assert_eq!(listed, names, "{got:?}");
}

fn fast_watcher() -> Config {
    Config {
        backoff: RetryPolicy {
            max_retries: u32::MAX,
            initial_backoff: Duration::from_millis(50),
            max_backoff: Duration::from_millis(500),
        },
        ..Default::default()
    }
}

async fn proxied_client(cluster: &tests::apiserver::Cluster, proxy: &Cuttable) -> Client {
    Client::builder(&proxy.url)
        .ca_bundle_pem(cluster.ca_pem.as_bytes())
        .bearer_token(cluster.token(Identity::Admin))
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

/// The watcher lists (paged, and streamed with sendInitialEvents), then follows changes; when
/// its connection breaks it watches again from the last resourceVersion it saw: the changes
/// made while it was cut off arrive once each, in order, with no new list.
#[tokio::test]
async fn the_watcher_resumes_after_a_dropped_connection_without_loss_or_repeats() {
    let _answering = SERVER_ANSWERS.read().await;
    let cluster = shared();
    let admin = cluster.client(Identity::Admin).unwrap();
    let ns = namespace(&admin, "watcher").await;
    let direct = ConfigMapApi::namespaced(&admin, &ns);
    for n in ["a", "b"] {
        direct
            .create(&config_map(n, "1"), &Default::default())
            .await
            .unwrap();
    }
    // The streaming list gives the same initial state.
    let mut streamed: Events = Box::pin(watcher(direct.clone(), fast_watcher().streaming_list()));
    let mut errors = 0;
    assert_init(
        &next_events(&mut streamed, 4, &mut errors).await,
        &["a", "b"],
    );
    drop(streamed);

    let proxy = Cuttable::to(&cluster.server).await;
    let through = proxied_client(cluster, &proxy).await;
    let config = Config {
        page_size: Some(1),
        ..fast_watcher()
    };
    let mut events: Events = Box::pin(watcher(ConfigMapApi::namespaced(&through, &ns), config));
    assert_init(&next_events(&mut events, 4, &mut errors).await, &["a", "b"]);
    direct
        .create(&config_map("c", "1"), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        next_events(&mut events, 1, &mut errors).await,
        [Seen::Apply("c".into(), "1".into())]
    );

    proxy.cut();
    direct
        .create(&config_map("d", "1"), &Default::default())
        .await
        .unwrap();
    direct
        .replace("c", &config_map("c", "2"), &Default::default())
        .await
        .unwrap();
    direct.delete("a", None, &Default::default()).await.unwrap();
    // Cut off for a few of the watcher's retries, then back.
    tokio::time::sleep(Duration::from_millis(500)).await;
    proxy.restore();
    let after = next_events(&mut events, 3, &mut errors).await;
    assert_eq!(
        after,
        [
            Seen::Apply("d".into(), "1".into()),
            Seen::Apply("c".into(), "2".into()),
            Seen::Delete("a".into()),
        ],
        "the gap's changes once each, in order, no list"
    );
    assert!(errors >= 1, "the broken connection was reported");
    // And on from there.
    direct.delete("b", None, &Default::default()).await.unwrap();
    assert_eq!(
        next_events(&mut events, 1, &mut errors).await,
        [Seen::Delete("b".into())]
    );
}

/// kube-apiserver killed and started again during a watch: the watcher comes back and no
/// change is lost (kube-apiserver 1.35's new watch cache serves the old resourceVersion: it
/// resumes). Then, cut off while etcd is compacted past its resourceVersion, with the server
/// watching storage directly (`--watch-cache=false`, so etcd's compaction is what it sees):
/// 410 Gone, and the watcher lists again, with a new Init, and follows on.
#[tokio::test]
async fn the_watcher_survives_a_restart_and_lists_again_after_compaction() {
    let _exclusive = SERVER_ANSWERS.write().await;
    let cluster = shared();
    let admin = cluster.client(Identity::Admin).unwrap();
    let ns = namespace(&admin, "restart").await;
    let direct = ConfigMapApi::namespaced(&admin, &ns);
    direct
        .create(&config_map("a", "1"), &Default::default())
        .await
        .unwrap();
    let mut errors = 0;

    let mut events: Events = Box::pin(watcher(direct.clone(), fast_watcher()));
    assert_init(&next_events(&mut events, 3, &mut errors).await, &["a"]);
    cluster.restart_apiserver().unwrap();
    // The old client's pooled connection died with the server: a write on it fails and is
    // not retried (it may have been sent). A program would see that error; the test writes
    // through a new connection.
    let admin = cluster.client(Identity::Admin).unwrap();
    let direct = ConfigMapApi::namespaced(&admin, &ns);
    direct
        .create(&config_map("x", "1"), &Default::default())
        .await
        .unwrap();
    // Either it resumed (x as a change) or its resourceVersion predates the new server's
    // watch cache and it listed again (x in the new state): x arrives, a is not lost.
    let mut got = Vec::new();
    while !got.contains(&Seen::Apply("x".into(), "1".into())) && !got.contains(&Seen::InitDone) {
        got.extend(next_events(&mut events, 1, &mut errors).await);
    }
    if got.contains(&Seen::Init) {
        assert_init(&got, &["a", "x"]);
    } else {
        assert_eq!(got, [Seen::Apply("x".into(), "1".into())]);
    }
    eprintln!("after the restart the watcher saw {got:?} ({errors} errors)");
    drop(events);

    let proxy = Cuttable::to(&cluster.server).await;
    let through = proxied_client(cluster, &proxy).await;
    let mut events: Events = Box::pin(watcher(
        ConfigMapApi::namespaced(&through, &ns),
        fast_watcher(),
    ));
    assert_init(&next_events(&mut events, 4, &mut errors).await, &["a", "x"]);
    proxy.cut();
    cluster
        .restart_apiserver_with(&["--watch-cache=false"])
        .unwrap();
    let admin = cluster.client(Identity::Admin).unwrap();
    let direct = ConfigMapApi::namespaced(&admin, &ns);
    direct
        .create(&config_map("y", "1"), &Default::default())
        .await
        .unwrap();
    direct.delete("a", None, &Default::default()).await.unwrap();
    cluster.compact_etcd().await.unwrap();
    proxy.restore();
    let relisted = next_events(&mut events, 4, &mut errors).await;
    assert_init(&relisted, &["x", "y"]);
    direct
        .create(&config_map("z", "1"), &Default::default())
        .await
        .unwrap();
    assert_eq!(
        next_events(&mut events, 1, &mut errors).await,
        [Seen::Apply("z".into(), "1".into())]
    );
    drop(events);
    // As the other tests expect it.
    cluster.restart_apiserver().unwrap();
}

/// Starts kube-apiserver again with its usual certificate when dropped (also when the test
/// fails), as the other tests expect it.
struct UsualCertificate<'a>(&'a tests::apiserver::Cluster);

impl Drop for UsualCertificate<'_> {
    fn drop(&mut self) {
        if let Err(e) = self.0.restart_apiserver() {
            eprintln!("restoring kube-apiserver: {e}");
        }
    }
}

/// The cluster's CA rotated: kube-apiserver restarted with a certificate of a new CA. A client
/// following a CA file (`ca_bundle_file`, as `in_cluster` and a kubeconfig's
/// `certificate-authority` do) is refused while the file holds the old CA, and connects once
/// the file holds the new one, without being built again.
#[tokio::test]
async fn a_rotated_ca_file_is_followed_by_the_running_client() {
    let _exclusive = SERVER_ANSWERS.write().await;
    let cluster = shared();
    let dir = std::env::temp_dir().join(format!("ca-rotation-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ca.crt");
    std::fs::write(&file, &cluster.ca_pem).unwrap();
    let client = Client::builder(&cluster.server)
        .ca_bundle_file(&file)
        .build()
        .unwrap();
    // `/version` is open to anyone: only the server's certificate is in question.
    let (status, _) = plain(&client, "GET", "/version", None).await;
    assert_eq!(status, 200);

    let new_ca = cluster.rotate_serving_ca("rotated").unwrap();
    let _restore = UsualCertificate(cluster);
    let req = || {
        generated::runtime::http::Request::get("/version")
            .body(Vec::new())
            .unwrap()
    };
    let err = client.execute(req()).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref m) if m.contains("certificate")),
        "{err:?}"
    );
    std::fs::write(dir.join("ca.crt.new"), new_ca).unwrap();
    std::fs::rename(dir.join("ca.crt.new"), &file).unwrap();
    let (status, _) = client.execute(req()).await.unwrap();
    assert_eq!(status, 200);
    std::fs::remove_dir_all(&dir).unwrap();
}
