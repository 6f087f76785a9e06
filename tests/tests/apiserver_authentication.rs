//! authentication.k8s.io/v1 against the real kube-apiserver (tests/src/apiserver.rs): a
//! service account's token from TokenRequest (`serviceaccounts/{name}/token`) is what
//! TokenReview says it is, a made-up token is not, and SelfSubjectReview tells each caller
//! who it is.

use generated::authentication_k8s_io::v1 as authn;
use tests::apiserver::{namespace, plain, shared, Identity};

#[tokio::test]
async fn token_request_token_is_reviewed_as_its_service_account() {
    let cluster = shared();
    let admin = cluster.client(Identity::Admin).unwrap();
    let ns = namespace(&admin, "authn").await;
    let (status, sa) = plain(
        &admin,
        "POST",
        &format!("/api/v1/namespaces/{ns}/serviceaccounts"),
        Some(serde_json::json!({"metadata": {"name": "robot"}})),
    )
    .await;
    assert_eq!(status, 201, "{sa}");
    let sa_uid = sa["metadata"]["uid"].as_str().unwrap().to_string();

    let request = authn::TokenRequest {
        spec: authn::TokenRequestSpec {
            audiences: vec!["kube-codegen-test".into()],
            expiration_seconds: Some(600),
            ..Default::default()
        },
        ..Default::default()
    };
    let issued = generated::core::v1::ServiceAccountApi::namespaced(&admin, &ns)
        .create_token("robot", &request, &Default::default())
        .await
        .unwrap();
    let status = issued.status.expect("the server fills status");
    assert!(!status.token.is_empty());
    // The server may shorten the lifetime, never extend it beyond what was asked.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let lifetime = status.expiration_timestamp.0.as_second() - now;
    assert!((0..=610).contains(&lifetime), "expires in {lifetime} s");

    let api = authn::TokenReviewApi::new(&admin);
    let review = |token: String, audiences: Vec<String>| authn::TokenReview {
        spec: authn::TokenReviewSpec {
            token: Some(token),
            audiences: Some(audiences),
        },
        ..Default::default()
    };
    let reviewed = api
        .create(
            &review(status.token.clone(), vec!["kube-codegen-test".into()]),
            &Default::default(),
        )
        .await
        .unwrap()
        .status
        .unwrap();
    assert_eq!(reviewed.authenticated, Some(true), "{reviewed:?}");
    let user = reviewed.user.unwrap();
    assert_eq!(
        user.username.as_deref(),
        Some(format!("system:serviceaccount:{ns}:robot").as_str())
    );
    assert_eq!(user.uid.as_deref(), Some(sa_uid.as_str()));
    let groups = user.groups.unwrap_or_default();
    for g in [
        "system:serviceaccounts".to_string(),
        format!("system:serviceaccounts:{ns}"),
        "system:authenticated".to_string(),
    ] {
        assert!(groups.contains(&g), "{g} missing from {groups:?}");
    }
    assert_eq!(
        reviewed.audiences,
        Some(vec!["kube-codegen-test".to_string()])
    );

    // The same token for an audience it was not issued for, and a made-up token.
    for (token, audiences) in [
        (status.token.clone(), vec!["someone-else".to_string()]),
        (
            "not-a-token".to_string(),
            vec!["kube-codegen-test".to_string()],
        ),
    ] {
        let reviewed = api
            .create(&review(token, audiences), &Default::default())
            .await
            .unwrap()
            .status
            .unwrap();
        assert_ne!(reviewed.authenticated, Some(true), "{reviewed:?}");
        assert!(reviewed.user.is_none_or(|u| u.username.is_none()));
    }
}

#[tokio::test]
async fn self_subject_review_answers_for_each_caller() {
    let cluster = shared();
    for (who, name, group) in [
        (Identity::Admin, "admin", Some("system:masters")),
        (Identity::User, "user", None),
    ] {
        let api = authn::SelfSubjectReviewApi::new(&cluster.client(who).unwrap());
        let review = api
            .create(&Default::default(), &Default::default())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let info = review.status.unwrap().user_info.unwrap();
        assert_eq!(info.username.as_deref(), Some(name));
        assert_eq!(info.uid.as_deref(), Some(format!("{name}-uid").as_str()));
        let groups = info.groups.unwrap_or_default();
        assert!(
            groups.contains(&"system:authenticated".to_string()),
            "{groups:?}"
        );
        if let Some(g) = group {
            assert!(groups.contains(&g.to_string()), "{groups:?}");
        } else {
            assert!(!groups.contains(&"system:masters".to_string()));
        }
    }
}

/// Group discovery (`GET /apis/authentication.k8s.io/`, specs/authentication.k8s.io/group.json)
/// is served outside any version: it is meta/v1's, as a method and as a sans-io request.
#[tokio::test]
async fn group_discovery_names_the_served_and_preferred_versions() {
    let client = shared().client(Identity::User).unwrap();
    let group = generated::meta::v1::Api::new(client.clone())
        .get_authentication_api_group(&Default::default())
        .await
        .unwrap();
    assert_eq!(group.name, "authentication.k8s.io");
    assert_eq!(group.kind.as_deref(), Some("APIGroup"));
    let versions: Vec<&str> = group.versions.iter().map(|v| v.version.as_str()).collect();
    assert!(versions.contains(&"v1"), "{versions:?}");
    assert_eq!(
        group.preferred_version.as_ref().unwrap().group_version,
        "authentication.k8s.io/v1"
    );
    let req =
        generated::meta::v1::requests::get_authentication_api_group(&Default::default()).unwrap();
    assert_eq!(req.uri().path(), "/apis/authentication.k8s.io/");
    let (status, raw) = plain(&client, "GET", "/apis/authentication.k8s.io/", None).await;
    assert_eq!(status, 200);
    let parsed = generated::meta::v1::requests::parse_get_authentication_api_group(
        generated::runtime::http::StatusCode::OK,
        raw.to_string().as_bytes(),
    )
    .unwrap();
    assert_eq!(parsed, group);
}

/// Our sans-io requests are plain `http::Request`s: kube-rs's client carries them as they are.
#[tokio::test]
async fn kube_client_carries_our_sans_io_requests() {
    let cluster = shared();
    let kubeconfig = kube::config::Kubeconfig::from_yaml(&cluster.kubeconfig()).unwrap();
    let config = kube::Config::from_custom_kubeconfig(kubeconfig, &Default::default())
        .await
        .unwrap();
    let client = kube::Client::try_from(config).unwrap();
    let req = authn::requests::create_self_subject_review(&Default::default(), &Default::default())
        .unwrap();
    let review: authn::SelfSubjectReview = client.request(req).await.unwrap();
    let info = review.status.unwrap().user_info.unwrap();
    assert_eq!(info.username.as_deref(), Some("admin"));
}

/// A client from a kubeconfig text.
async fn from_kubeconfig_text(
    text: &str,
) -> Result<generated::runtime::Client, generated::runtime::Error> {
    generated::runtime::Client::from_kubeconfig_yaml(text, std::path::Path::new("."), None)
}

/// A kubeconfig for the test cluster whose user is `user` (YAML of the `user:` map, indented
/// by four) and whose context has `namespace`.
fn kubeconfig_with(cluster: &tests::apiserver::Cluster, user: &str, extra_context: &str) -> String {
    use base64::Engine as _;
    let ca = base64::engine::general_purpose::STANDARD.encode(&cluster.ca_pem);
    format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\n{extra_context}users:\n- name: u\n  user:\n{user}contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n    namespace: team-a\ncurrent-context: x\n",
        cluster.server
    )
}

async fn username(
    client: &generated::runtime::Client,
) -> Result<authn::UserInfo, generated::runtime::Error> {
    Ok(authn::SelfSubjectReviewApi::new(client)
        .create(&Default::default(), &Default::default())
        .await?
        .status
        .and_then(|s| s.user_info)
        .unwrap_or_default())
}

/// An exec plugin of a test: a shell script in `dir` that counts its runs (`$n` is this
/// run's number) and then runs `body`.
struct Plugin {
    script: std::path::PathBuf,
    count: std::path::PathBuf,
}

impl Plugin {
    fn new(dir: &std::path::Path, body: &str) -> Plugin {
        let (script, count) = (dir.join("plugin.sh"), dir.join("runs"));
        std::fs::write(
            &script,
            format!(
                "#!/bin/sh\necho x >> {count}\nn=$(wc -l < {count})\n{body}",
                count = count.display()
            ),
        )
        .unwrap();
        std::process::Command::new("chmod")
            .arg("+x")
            .arg(&script)
            .status()
            .unwrap();
        Plugin { script, count }
    }

    /// A kubeconfig `user:` running it as a v1 plugin with `interactiveMode: <mode>`.
    fn user(&self, mode: &str) -> String {
        format!(
            "    exec:\n      apiVersion: client.authentication.k8s.io/v1\n      command: {}\n      interactiveMode: {mode}\n",
            self.script.display()
        )
    }

    fn runs(&self) -> usize {
        std::fs::read_to_string(&self.count)
            .unwrap_or_default()
            .lines()
            .count()
    }
}

/// An exec credential plugin (a script of this test, in a kubeconfig): run for the first
/// request, again after a 401 (its first token here is a wrong one), again once its token is
/// about to expire, and not again while the token holds. `interactiveMode: Always` is refused:
/// this client has no terminal to give it.
///
/// No step waits on the clock: the expiry of each run's token is chosen so that the client's
/// decision is the same however slow the machine (the client renews 10 s before expiry).
#[tokio::test]
async fn exec_plugins_give_tokens_until_they_expire() {
    let cluster = shared();
    let dir = std::env::temp_dir().join(format!("exec-plugin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Run 1 gives a token the server refuses; run 2 the admin token, expiring in 5 s (inside
    // the renewal window from the start); later runs the admin token, valid for an hour.
    let plugin = Plugin::new(
        &dir,
        "case \"$KUBERNETES_EXEC_INFO\" in *'\"interactive\":false'*) ;; *) exit 3;; esac\ncase $n in 1) t=wrong-token; s=3600;; 2) t=$TOKEN; s=5;; *) t=$TOKEN; s=3600;; esac\nprintf '{\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\",\"status\":{\"token\":\"%s\",\"expirationTimestamp\":\"%s\"}}' \"$API\" \"$t\" \"$(date -u -d \"+$s seconds\" +%Y-%m-%dT%H:%M:%SZ)\"\n",
    );
    let (script, runs) = (&plugin.script, || plugin.runs());
    for api in [
        "client.authentication.k8s.io/v1",
        "client.authentication.k8s.io/v1beta1",
    ] {
        let _ = std::fs::remove_file(&plugin.count);
        let user = format!(
            "    exec:\n      apiVersion: {api}\n      command: {}\n      interactiveMode: IfAvailable\n      env:\n      - name: TOKEN\n        value: {}\n      - name: API\n        value: {api}\n",
            script.display(),
            cluster.token(Identity::Admin)
        );
        let client = from_kubeconfig_text(&kubeconfig_with(cluster, &user, ""))
            .await
            .unwrap();
        assert!(!format!("{client:?}").contains(cluster.token(Identity::Admin)));
        // Run 1: refused (401); run 2 at once: accepted, the request sent again.
        assert_eq!(
            username(&client).await.unwrap().username.as_deref(),
            Some("admin"),
            "{api}"
        );
        assert_eq!(runs(), 2, "{api}");
        // Run 2's token is about to expire: run 3.
        username(&client).await.unwrap();
        assert_eq!(runs(), 3, "{api}");
        // Run 3's token holds: kept.
        username(&client).await.unwrap();
        username(&client).await.unwrap();
        assert_eq!(runs(), 3, "{api}");
    }
    let user = plugin.user("Always");
    let client = from_kubeconfig_text(&kubeconfig_with(cluster, &user, ""))
        .await
        .unwrap();
    let err = username(&client).await.unwrap_err();
    assert!(err.to_string().contains("interactive terminal"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// kubeconfig impersonation (`as`, `as-groups`, `as-user-extra`, `as-uid`) is what the server
/// sees; the context's namespace is the handles' default; settings this client cannot honour
/// are refused, never ignored.
#[tokio::test]
async fn kubeconfig_identity_fields_are_honoured_or_refused() {
    let cluster = shared();
    let user = format!(
        "    token: {}\n    as: jane\n    as-uid: jane-uid\n    as-groups: [developers, qa]\n    as-user-extra:\n      reason: [on-call]\n",
        cluster.token(Identity::Admin)
    );
    let client = from_kubeconfig_text(&kubeconfig_with(cluster, &user, ""))
        .await
        .unwrap();
    let me = username(&client).await.unwrap();
    assert_eq!(me.username.as_deref(), Some("jane"));
    assert_eq!(me.uid.as_deref(), Some("jane-uid"));
    let groups = me.groups.clone().unwrap_or_default();
    assert!(
        groups.contains(&"developers".to_string()) && groups.contains(&"qa".to_string()),
        "{groups:?}"
    );
    assert_eq!(
        me.extra.as_ref().and_then(|e| e.get("reason")).cloned(),
        Some(vec!["on-call".to_string()]),
        "{me:?}"
    );
    assert_eq!(client.default_namespace(), "team-a");
    assert_eq!(
        generated::core::v1::ConfigMapApi::default_namespaced(&client).namespace(),
        "team-a"
    );

    let token = format!("    token: {}\n", cluster.token(Identity::Admin));
    for (extra_cluster, user, refused) in [
        (
            "",
            "    username: a\n    password: b\n".to_string(),
            "basic authentication",
        ),
        (
            "",
            format!("{token}    auth-provider:\n      name: oidc\n"),
            "auth-provider",
        ),
    ] {
        let err = from_kubeconfig_text(&kubeconfig_with(cluster, &user, extra_cluster))
            .await
            .unwrap_err();
        assert!(err.to_string().contains(refused), "{err}");
    }
    use base64::Engine as _;
    let ca = base64::engine::general_purpose::STANDARD.encode(&cluster.ca_pem);
    for (field, refused) in [
        (
            "proxy-url: socks5://127.0.0.1:1",
            "scheme `socks5` is not supported",
        ),
        (
            "tls-server-name: localhost\n    proxy-url: http://127.0.0.1:1",
            "not supported together with a proxy",
        ),
    ] {
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n    certificate-authority-data: {ca}\n    {field}\nusers:\n- name: u\n  user:\n{token}contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n",
            cluster.server
        );
        let err = from_kubeconfig_text(&text).await.unwrap_err();
        assert!(err.to_string().contains(refused), "{err}");
    }
}

/// An HTTP proxy on loopback: tunnels each `CONNECT` to the target it names; keeps the head
/// of each request it was sent.
async fn connect_proxy() -> (String, std::sync::Arc<std::sync::Mutex<Vec<String>>>) {
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let heads = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let heads = heads.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if head.len() > 16384 || sock.read_exact(&mut byte).await.is_err() {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).into_owned();
                heads.lock().unwrap().push(head.clone());
                let target = head
                    .split_whitespace()
                    .nth(1)
                    .unwrap_or_default()
                    .to_string();
                if !head.starts_with("CONNECT ") {
                    return;
                }
                let Ok(mut upstream) = tokio::net::TcpStream::connect(&target).await else {
                    return;
                };
                if sock
                    .write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")
                    .await
                    .is_ok()
                {
                    let _ = tokio::io::copy_bidirectional(&mut sock, &mut upstream).await;
                }
            });
        }
    });
    (format!("127.0.0.1:{port}"), seen)
}

/// A kubeconfig's `proxy-url` is where the client connects: the API server is reached through
/// the proxy's `CONNECT` tunnel (TLS end to end, the proxy's credentials from the URL), and
/// the proxy's password shows nowhere.
#[tokio::test]
async fn kubeconfig_proxy_url_is_honoured() {
    use base64::Engine as _;
    let cluster = shared();
    let (proxy, seen) = connect_proxy().await;
    let user = format!("    token: {}\n", cluster.token(Identity::Admin));
    let extra = format!("    proxy-url: http://proxy-user:proxy-secret@{proxy}\n");
    let client = from_kubeconfig_text(&kubeconfig_with(cluster, &user, &extra))
        .await
        .unwrap();
    assert_eq!(
        username(&client).await.unwrap().username.as_deref(),
        Some("admin")
    );
    let heads = seen.lock().unwrap().clone();
    let server = cluster.server.trim_start_matches("https://");
    assert_eq!(heads.len(), 1, "{heads:?}");
    assert!(
        heads[0].starts_with(&format!("CONNECT {server} ")),
        "{heads:?}"
    );
    let credentials = base64::engine::general_purpose::STANDARD.encode("proxy-user:proxy-secret");
    assert!(
        heads[0].to_ascii_lowercase().contains(&format!(
            "proxy-authorization: basic {}",
            credentials.to_ascii_lowercase()
        )),
        "{heads:?}"
    );
    assert!(!format!("{client:?}").contains("proxy-secret"));
    let builder = generated::runtime::Client::builder(&cluster.server)
        .proxy_url(format!("http://proxy-user:proxy-secret@{proxy}"));
    assert!(!format!("{builder:?}").contains("proxy-secret"));
}

/// An exec plugin that gives client certificates instead of tokens (its `ExecCredential`
/// with `clientCertificateData` and `clientKeyData`): the server sees the certificate's user;
/// when the credential is about to expire the plugin runs again and the next request is made
/// on a new connection with the new certificate (a pooled one would still show the old); a
/// certificate the server refuses (401: this one has expired) makes it run again at once and
/// the request is sent again with the next one.
#[tokio::test]
async fn exec_plugins_give_client_certificates_and_rotate_them() {
    let cluster = shared();
    let dir = std::env::temp_dir().join(format!("exec-cert-plugin-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let now = std::time::SystemTime::now();
    let hour = std::time::Duration::from_secs(3600);
    let rfc3339 = |t: std::time::SystemTime| {
        let secs = t.duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
        let out = std::process::Command::new("date")
            .args(["-u", "-d", &format!("@{secs}"), "+%Y-%m-%dT%H:%M:%SZ"])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    // Run n prints credential n: the first held for 5 s (inside the 10 s renewal window from
    // the start, so the next request runs the plugin again whatever the machine's speed), the
    // second a certificate that expired an hour ago, the third good for an hour.
    for (n, user, not_after, holds) in [
        (
            1,
            "cert-user-1",
            now + hour,
            now + std::time::Duration::from_secs(5),
        ),
        (2, "cert-user-2", now - hour, now + hour),
        (3, "cert-user-3", now + hour, now + hour),
    ] {
        let (cert, key) = cluster
            .client_certificate(user, &["cert-team"], not_after)
            .unwrap();
        let credential = serde_json::json!({
            "apiVersion": "client.authentication.k8s.io/v1",
            "kind": "ExecCredential",
            "status": {
                "clientCertificateData": cert,
                "clientKeyData": key,
                "expirationTimestamp": rfc3339(holds),
            },
        });
        std::fs::write(
            dir.join(format!("credential-{n}.json")),
            credential.to_string(),
        )
        .unwrap();
    }
    let plugin = Plugin::new(&dir, &format!("cat {}/credential-$n.json\n", dir.display()));
    let runs = || plugin.runs();
    let user = plugin.user("Never");
    let client = from_kubeconfig_text(&kubeconfig_with(cluster, &user, ""))
        .await
        .unwrap();
    let me = username(&client).await.unwrap();
    assert_eq!(me.username.as_deref(), Some("cert-user-1"));
    assert!(me
        .groups
        .unwrap_or_default()
        .contains(&"cert-team".to_string()));
    assert_eq!(runs(), 1);
    // Run 2 (the first is about to expire): refused; run 3 at once: the request sent again
    // with it, on a new connection.
    let me = username(&client).await.unwrap();
    assert_eq!(me.username.as_deref(), Some("cert-user-3"));
    assert_eq!(runs(), 3);
    // Kept while it holds.
    username(&client).await.unwrap();
    username(&client).await.unwrap();
    assert_eq!(runs(), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A kubeconfig's `tls-server-name` is the name the server's certificate is checked for,
/// while the client connects to the server's address: the test server's certificate also
/// names `SERVER_NAME`, which no DNS resolves, so it is accepted only when the connection
/// goes to the server's address; a name the certificate does not hold is refused.
#[tokio::test]
async fn kubeconfig_tls_server_name_is_honoured() {
    let cluster = shared();
    let user = format!("    token: {}\n", cluster.token(Identity::Admin));
    let named =
        |name: &str| kubeconfig_with(cluster, &user, &format!("    tls-server-name: {name}\n"));
    let client = from_kubeconfig_text(&named(tests::apiserver::SERVER_NAME))
        .await
        .unwrap();
    assert_eq!(
        username(&client).await.unwrap().username.as_deref(),
        Some("admin")
    );
    assert_eq!(client.base_url(), cluster.server);
    let client = from_kubeconfig_text(&named("other.example")).await.unwrap();
    let err = username(&client).await.unwrap_err();
    assert!(
        matches!(err, generated::runtime::Error::Transport(ref m) if m.contains("certificate")),
        "{err:?}"
    );
}

/// A kubeconfig's client certificate (a file, relative to the kubeconfig's folder) and key
/// (inline data) are who the server sees.
#[tokio::test]
async fn kubeconfig_client_certificates_are_who_the_server_sees() {
    use base64::Engine as _;
    let cluster = shared();
    let dir = std::env::temp_dir().join(format!("kubeconfig-cert-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let not_after = std::time::SystemTime::now() + std::time::Duration::from_secs(3600);
    let (cert, key) = cluster
        .client_certificate("cert-jane", &["cert-readers"], not_after)
        .unwrap();
    std::fs::write(dir.join("jane.crt"), cert).unwrap();
    let key = base64::engine::general_purpose::STANDARD.encode(key);
    let user = format!("    client-certificate: jane.crt\n    client-key-data: {key}\n");
    let text = kubeconfig_with(cluster, &user, "");
    let client = generated::runtime::Client::from_kubeconfig_yaml(&text, &dir, None).unwrap();
    let me = username(&client).await.unwrap();
    assert_eq!(me.username.as_deref(), Some("cert-jane"));
    assert!(me
        .groups
        .unwrap_or_default()
        .contains(&"cert-readers".to_string()));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `insecure-skip-tls-verify: true` is honoured (the test CA is unknown to the system, so
/// without it the same kubeconfig is refused at the handshake), and refused beside a CA.
#[tokio::test]
async fn kubeconfig_insecure_skip_tls_verify_is_honoured() {
    let cluster = shared();
    let token = cluster.token(Identity::Admin);
    let text = |cluster_fields: &str| {
        format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster:\n    server: {}\n{cluster_fields}users:\n- name: u\n  user:\n    token: {token}\ncontexts:\n- name: x\n  context:\n    cluster: c\n    user: u\ncurrent-context: x\n",
            cluster.server
        )
    };
    let client = from_kubeconfig_text(&text("    insecure-skip-tls-verify: true\n"))
        .await
        .unwrap();
    assert_eq!(
        username(&client).await.unwrap().username.as_deref(),
        Some("admin")
    );
    let client = from_kubeconfig_text(&text("")).await.unwrap();
    let err = username(&client).await.unwrap_err();
    assert!(
        matches!(err, generated::runtime::Error::Transport(ref m) if m.contains("certificate")),
        "{err:?}"
    );
    let err = from_kubeconfig_text(&text(
        "    insecure-skip-tls-verify: true\n    certificate-authority: ca.pem\n",
    ))
    .await
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("both insecure-skip-tls-verify and a certificate-authority"),
        "{err}"
    );
}
