//! An API server on loopback, in-process, with the semantics the client tests need:
//! Authentication objects (cluster-scoped) with resourceVersion and conflicts, list with
//! label/field selectors and limit/continue, watch with bookmarks, the status subresource,
//! dryRun, TokenReview/SelfSubjectReview/TokenRequest answering from a token table, and
//! 401/403/404/409/410/422 Status errors. Every request is recorded for wire assertions.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, Response};
use serde_json::{json, Value};
use tokio::sync::broadcast;

/// What the server saw of one request.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

#[derive(Default)]
struct Store {
    objects: BTreeMap<String, Value>,
    rv: u64,
    seen: Vec<Seen>,
}

#[derive(Clone)]
pub struct Server {
    store: Arc<Mutex<Store>>,
    events: broadcast::Sender<Value>,
    pub url: String,
}

pub const ADMIN: &str = "admin-token";
pub const READONLY: &str = "readonly-token";
const GROUP_PATH: &str = "/apis/config.openshift.io/v1/authentications";

fn status(code: u16, reason: &str, message: &str) -> Response<Body> {
    let body = json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                      "message": message, "reason": reason, "code": code});
    respond(code, &body)
}

fn respond(code: u16, body: &Value) -> Response<Body> {
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(Body::from(serde_json::to_vec(body).unwrap()))
        .unwrap()
}

fn query_map(q: &str) -> BTreeMap<String, String> {
    form_urlencoded::parse(q.as_bytes()).into_owned().collect()
}

fn labels_match(obj: &Value, selector: &str) -> bool {
    selector.split(',').filter(|s| !s.is_empty()).all(|term| {
        let (k, v) = term.split_once('=').unwrap_or((term, ""));
        obj["metadata"]["labels"][k].as_str() == Some(v)
    })
}

fn fields_match(obj: &Value, selector: &str) -> bool {
    selector
        .split(',')
        .filter(|s| !s.is_empty())
        .all(|term| match term.split_once('=') {
            Some(("metadata.name", v)) => obj["metadata"]["name"].as_str() == Some(v),
            _ => false,
        })
}

/// RFC 7386 merge patch.
fn merge(target: &mut Value, patch: &Value) {
    if let (Some(t), Some(p)) = (target.as_object_mut(), patch.as_object()) {
        for (k, v) in p {
            if v.is_null() {
                t.remove(k);
            } else {
                merge(t.entry(k.clone()).or_insert(Value::Null), v);
            }
        }
    } else {
        *target = patch.clone();
    }
}

/// The JSON Patch subset the tests use: add and replace at a pointer.
fn json_patch(target: &mut Value, ops: &Value) -> Result<(), String> {
    for op in ops.as_array().ok_or("JSON Patch must be an array")? {
        let path = op["path"].as_str().ok_or("op without path")?;
        let (parent, key) = path.rsplit_once('/').ok_or("bad path")?;
        let parent = target.pointer_mut(parent).ok_or("no such parent")?;
        match op["op"].as_str() {
            Some("add" | "replace") => {
                parent
                    .as_object_mut()
                    .ok_or("parent is not an object")?
                    .insert(key.to_string(), op["value"].clone());
            }
            other => return Err(format!("unsupported op {other:?}")),
        }
    }
    Ok(())
}

impl Server {
    pub async fn start() -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (events, _) = broadcast::channel(64);
        let server = Server {
            store: Default::default(),
            events,
            url,
        };
        let s = server.clone();
        let app = axum::Router::new().fallback(move |req: Request<Body>| {
            let s = s.clone();
            async move { s.handle(req).await }
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        server
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.store.lock().unwrap().seen.clone()
    }

    pub fn last(&self) -> Seen {
        self.seen().pop().expect("a request was made")
    }

    pub fn object(&self, name: &str) -> Option<Value> {
        self.store.lock().unwrap().objects.get(name).cloned()
    }

    async fn handle(&self, req: Request<Body>) -> Response<Body> {
        let (parts, body) = req.into_parts();
        let body = axum::body::to_bytes(body, 1 << 20)
            .await
            .unwrap_or_default()
            .to_vec();
        let seen = Seen {
            method: parts.method.to_string(),
            path: parts.uri.path().to_string(),
            query: parts.uri.query().unwrap_or("").to_string(),
            headers: parts.headers.clone(),
            body,
        };
        self.store.lock().unwrap().seen.push(seen.clone());
        let token = seen
            .header("authorization")
            .and_then(|a| a.strip_prefix("Bearer "))
            .unwrap_or("");
        let user = match token {
            ADMIN => "admin",
            READONLY => "viewer",
            _ => return status(401, "Unauthorized", "Unauthorized"),
        };
        let q = query_map(&seen.query);
        let path = seen.path.as_str();
        if path == "/apis/authentication.k8s.io/v1/tokenreviews" && parts.method == Method::POST {
            return self.token_review(&seen);
        }
        if path == "/apis/authentication.k8s.io/v1/selfsubjectreviews"
            && parts.method == Method::POST
        {
            return respond(
                201,
                &json!({"apiVersion": "authentication.k8s.io/v1", "kind": "SelfSubjectReview", "metadata": {"creationTimestamp": null},
                                        "status": {"userInfo": {"username": user, "groups": ["system:authenticated"]}}}),
            );
        }
        if path == "/apis/authentication.k8s.io/v1/" {
            return respond(
                200,
                &json!({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": "authentication.k8s.io/v1",
                "resources": [{"name": "tokenreviews", "singularName": "", "namespaced": false, "kind": "TokenReview", "verbs": ["create"]},
                              {"name": "selfsubjectreviews", "singularName": "", "namespaced": false, "kind": "SelfSubjectReview", "verbs": ["create"]}]}),
            );
        }
        if let Some(rest) = path.strip_prefix("/api/v1/namespaces/") {
            let parts: Vec<&str> = rest.split('/').collect();
            if let [ns, "serviceaccounts", sa, "token"] = parts.as_slice() {
                let mut req = seen.json();
                req["status"] = json!({"token": format!("issued-for-{ns}-{sa}"), "expirationTimestamp": "2030-01-01T00:00:00Z"});
                return respond(201, &req);
            }
            return status(404, "NotFound", "no such path");
        }
        let Some(rest) = path.strip_prefix(GROUP_PATH) else {
            return status(
                404,
                "NotFound",
                &format!("the server could not find the requested resource {path}"),
            );
        };
        let write = parts.method != Method::GET;
        if write && user == "viewer" {
            return status(
                403,
                "Forbidden",
                "authentications.config.openshift.io is forbidden: User \"viewer\" cannot modify",
            );
        }
        let segs: Vec<&str> = rest
            .trim_start_matches('/')
            .split('/')
            .filter(|s| !s.is_empty())
            .collect();
        let dry = q.get("dryRun").is_some_and(|d| d == "All");
        match (parts.method.clone(), segs.as_slice()) {
            (Method::GET, []) if q.get("watch").is_some_and(|w| w == "true") => self.watch(&q),
            (Method::GET, []) => self.list(&q),
            (Method::POST, []) => self.create(seen.json(), dry),
            (Method::DELETE, []) => {
                let mut st = self.store.lock().unwrap();
                let sel = q.get("labelSelector").cloned().unwrap_or_default();
                let gone: Vec<String> = st
                    .objects
                    .iter()
                    .filter(|(_, o)| labels_match(o, &sel))
                    .map(|(k, _)| k.clone())
                    .collect();
                if !dry {
                    for k in &gone {
                        let o = st.objects.remove(k).unwrap();
                        let _ = self.events.send(json!({"type": "DELETED", "object": o}));
                    }
                }
                respond(
                    200,
                    &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}),
                )
            }
            (m, [name]) | (m, [name, "status"]) => {
                let sub = segs.len() == 2;
                self.item(m, name, sub, &seen, dry)
            }
            _ => status(404, "NotFound", "no such path"),
        }
    }

    fn token_review(&self, seen: &Seen) -> Response<Body> {
        let mut review = seen.json();
        let table: BTreeMap<&str, (&str, &str)> = [
            ("alice-token", ("alice", "uid-alice")),
            ("bob-token", ("bob", "uid-bob")),
        ]
        .into();
        let token = review["spec"]["token"].as_str().unwrap_or("");
        review["status"] = match table.get(token) {
            Some((name, uid)) => {
                json!({"authenticated": true, "user": {"username": name, "uid": uid, "groups": ["system:authenticated"]},
                                        "audiences": review["spec"]["audiences"].clone()})
            }
            None => json!({"authenticated": false, "error": "token not recognized"}),
        };
        respond(201, &review)
    }

    fn create(&self, mut obj: Value, dry: bool) -> Response<Body> {
        let Some(name) = obj["metadata"]["name"].as_str().map(str::to_string) else {
            return status(
                422,
                "Invalid",
                "Authentication.config.openshift.io \"\" is invalid: metadata.name: Required value",
            );
        };
        let mut st = self.store.lock().unwrap();
        if st.objects.contains_key(&name) {
            return status(
                409,
                "AlreadyExists",
                &format!("authentications.config.openshift.io \"{name}\" already exists"),
            );
        }
        st.rv += 1;
        obj["metadata"]["resourceVersion"] = json!(st.rv.to_string());
        obj["metadata"]["uid"] = json!(format!("uid-{name}"));
        obj["metadata"]["creationTimestamp"] = json!("2025-01-01T00:00:00Z");
        if !dry {
            st.objects.insert(name, obj.clone());
            let _ = self.events.send(json!({"type": "ADDED", "object": obj}));
        }
        respond(201, &obj)
    }

    fn list(&self, q: &BTreeMap<String, String>) -> Response<Body> {
        let st = self.store.lock().unwrap();
        if q.get("continue").is_some_and(|c| c == "expired") {
            return status(
                410,
                "Expired",
                "The provided continue parameter is too old to display a consistent list result.",
            );
        }
        let label = q.get("labelSelector").cloned().unwrap_or_default();
        let field = q.get("fieldSelector").cloned().unwrap_or_default();
        let after = q.get("continue").cloned().unwrap_or_default();
        let mut items: Vec<&Value> = st
            .objects
            .iter()
            .filter(|(k, _)| after.is_empty() || k.as_str() > after.as_str())
            .map(|(_, v)| v)
            .filter(|o| labels_match(o, &label) && fields_match(o, &field))
            .collect();
        let limit = q
            .get("limit")
            .and_then(|l| l.parse::<usize>().ok())
            .unwrap_or(usize::MAX);
        let mut cont = None;
        if items.len() > limit {
            items.truncate(limit);
            cont = items
                .last()
                .and_then(|o| o["metadata"]["name"].as_str())
                .map(str::to_string);
        }
        let mut meta = json!({"resourceVersion": st.rv.to_string()});
        if let Some(c) = cont {
            meta["continue"] = json!(c);
        }
        respond(
            200,
            &json!({"apiVersion": "config.openshift.io/v1", "kind": "AuthenticationList", "metadata": meta, "items": items}),
        )
    }

    fn watch(&self, q: &BTreeMap<String, String>) -> Response<Body> {
        let rx = self.events.subscribe();
        let bookmarks = q.get("allowWatchBookmarks").is_some_and(|b| b == "true");
        let rv = self.store.lock().unwrap().rv;
        let first: Vec<Value> = if bookmarks {
            vec![
                json!({"type": "BOOKMARK", "object": {"kind": "Authentication", "apiVersion": "config.openshift.io/v1", "metadata": {"resourceVersion": rv.to_string()}}}),
            ]
        } else {
            vec![]
        };
        let head = futures_util::stream::iter(first);
        let tail = futures_util::stream::unfold(rx, |mut rx| async move {
            loop {
                match rx.recv().await {
                    Ok(v) => return Some((v, rx)),
                    Err(broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(_) => return None,
                }
            }
        });
        use futures_util::StreamExt as _;
        let lines = head.chain(tail).map(|v| {
            let mut line = serde_json::to_vec(&v).unwrap();
            line.push(b'\n');
            Ok::<_, std::convert::Infallible>(line)
        });
        Response::builder()
            .status(200)
            .header("content-type", "application/json")
            .body(Body::from_stream(lines))
            .unwrap()
    }

    /// Ends every open watch with an ERROR event, as the server does when history is gone.
    pub fn expire_watches(&self) {
        let _ = self.events.send(json!({"type": "ERROR", "object": {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Expired", "code": 410, "message": "too old resource version"}}));
    }

    fn item(&self, m: Method, name: &str, sub: bool, seen: &Seen, dry: bool) -> Response<Body> {
        let mut st = self.store.lock().unwrap();
        let Some(current) = st.objects.get(name).cloned() else {
            return status(
                404,
                "NotFound",
                &format!("authentications.config.openshift.io \"{name}\" not found"),
            );
        };
        let mut next = current.clone();
        match m {
            Method::GET => return respond(200, &current),
            Method::DELETE => {
                if !dry {
                    st.objects.remove(name);
                    let _ = self
                        .events
                        .send(json!({"type": "DELETED", "object": current}));
                }
                return respond(
                    200,
                    &json!({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success", "details": {"name": name, "group": "config.openshift.io", "kind": "authentications", "uid": current["metadata"]["uid"]}}),
                );
            }
            Method::PUT => {
                let new = seen.json();
                let want = new["metadata"]["resourceVersion"].as_str().unwrap_or("");
                if !want.is_empty()
                    && want
                        != current["metadata"]["resourceVersion"]
                            .as_str()
                            .unwrap_or("")
                {
                    return status(409, "Conflict", &format!("Operation cannot be fulfilled on authentications.config.openshift.io \"{name}\": the object has been modified; please apply your changes to the latest version and try again"));
                }
                if sub {
                    next["status"] = new["status"].clone();
                } else {
                    next["spec"] = new["spec"].clone();
                    next["metadata"]["labels"] = new["metadata"]["labels"].clone();
                }
            }
            Method::PATCH => {
                let ct = seen.header("content-type").unwrap_or("");
                let patch = seen.json();
                let mut target = if sub {
                    json!({"status": current["status"].clone()})
                } else {
                    current.clone()
                };
                match ct {
                    "application/merge-patch+json" | "application/apply-patch+yaml" => {
                        merge(&mut target, &patch)
                    }
                    "application/json-patch+json" => {
                        if let Err(e) = json_patch(&mut target, &patch) {
                            return status(422, "Invalid", &e);
                        }
                    }
                    "application/strategic-merge-patch+json" => {
                        return status(
                            415,
                            "UnsupportedMediaType",
                            "strategic merge patch is not supported for custom resources",
                        )
                    }
                    _ => return status(415, "UnsupportedMediaType", "unsupported patch type"),
                }
                if sub {
                    next["status"] = target["status"].clone();
                } else {
                    let status_before = current["status"].clone();
                    next = target;
                    next["status"] = status_before;
                }
            }
            _ => return status(405, "MethodNotAllowed", "method not allowed"),
        }
        st.rv += 1;
        next["metadata"]["resourceVersion"] = json!(st.rv.to_string());
        if !dry {
            st.objects.insert(name.to_string(), next.clone());
            let _ = self
                .events
                .send(json!({"type": "MODIFIED", "object": next}));
        }
        respond(200, &next)
    }
}

/// A server that accepts connections and then says nothing: for client timeouts.
pub async fn silent_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock);
        }
    });
    url
}

/// A server that answers every request with these raw bytes (an HTTP/1.1 response written by
/// hand, so chunk boundaries and truncation are exactly as given), then closes.
pub async fn raw_server(response: Vec<Vec<u8>>) -> String {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let parts = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let _ = sock.read(&mut buf).await;
                for p in parts {
                    if sock.write_all(&p).await.is_err() {
                        return;
                    }
                    let _ = sock.flush().await;
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                }
                let _ = sock.shutdown().await;
            });
        }
    });
    url
}

/// An HTTP/1.1 chunked response whose body is `body` cut at `cuts`.
pub fn chunked(status_line: &str, body: &[u8], size: usize) -> Vec<Vec<u8>> {
    let mut out = vec![format!("HTTP/1.1 {status_line}\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n").into_bytes()];
    for c in body.chunks(size.max(1)) {
        let mut frame = format!("{:x}\r\n", c.len()).into_bytes();
        frame.extend_from_slice(c);
        frame.extend_from_slice(b"\r\n");
        out.push(frame);
    }
    out.push(b"0\r\n\r\n".to_vec());
    out
}

/// A TLS server with a certificate for `localhost` signed by a fresh CA; answers every request
/// with `body` as JSON. Returns the URL and the CA's PEM.
pub async fn tls_server(body: &'static str) -> (String, String) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["localhost".to_string()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    // ring, as the runtime uses (deprecated in rustls 0.23.48 for lacking post-quantum key
    // exchange; see runtime/tls.rs).
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(std::sync::Arc::new(provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(std::sync::Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(sock).await else {
                    return;
                };
                let mut buf = vec![0u8; 65536];
                let _ = tls.read(&mut buf).await;
                let response = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}", body.len());
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    (format!("https://localhost:{port}"), ca.pem())
}

/// A server answering the n-th connection with the n-th of `responses` (raw HTTP/1.1 bytes,
/// each ending with `connection: close`), the last one again once they run out; the requests
/// it read are kept, in order.
pub async fn scripted_server(responses: Vec<Vec<u8>>) -> (String, Arc<Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<String>>> = Default::default();
    let log = seen.clone();
    tokio::spawn(async move {
        let mut n = 0;
        while let Ok((mut sock, _)) = listener.accept().await {
            let response = responses[n.min(responses.len() - 1)].clone();
            n += 1;
            let log = log.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 65536];
                let len = sock.read(&mut buf).await.unwrap_or(0);
                log.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&buf[..len]).into_owned());
                let _ = sock.write_all(&response).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    (url, seen)
}

/// A watch that sends its headers and `first` (one event line), then nothing, holding the
/// connection open: for the client's idle bound.
pub async fn stalled_watch_server(first: &'static str) -> String {
    use tokio::io::AsyncWriteExt as _;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = tokio::io::AsyncReadExt::read(&mut sock, &mut buf).await;
            let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
            let chunk = format!("{:x}\r\n{first}\n\r\n", first.len() + 1);
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(chunk.as_bytes()).await;
            held.push(sock);
        }
    });
    url
}
