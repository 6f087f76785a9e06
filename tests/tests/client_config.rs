//! Client configuration: TLS verification, custom CA bundles, kubeconfig loading.

mod support;

use generated::config_openshift_io::v1 as config;
use generated::runtime::{Client, Error};
use support::server::{self, Server, ADMIN};

const OBJECT: &str = r#"{"apiVersion":"config.openshift.io/v1","kind":"Authentication","metadata":{"name":"cluster"},"spec":{}}"#;

/// A CA file is read again for each new connection (the loopback server closes each one): a
/// rewritten file is followed both ways, a file caught broken or missing keeps the bundle read
/// before, and one missing or empty when the client is built is a configuration error naming it.
#[tokio::test]
async fn a_ca_file_is_read_again_for_new_connections() {
    let (url, ca) = server::tls_server(OBJECT).await;
    let (_, other_ca) = server::tls_server(OBJECT).await;
    let dir = std::env::temp_dir().join(format!("ca-file-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("ca.crt");
    // As the kubelet updates a projected file: write beside it, then rename over it.
    let replace = |text: &str| {
        std::fs::write(dir.join("ca.crt.new"), text).unwrap();
        std::fs::rename(dir.join("ca.crt.new"), &file).unwrap();
    };
    replace(&other_ca);
    let api = config::Api::new(Client::builder(&url).ca_bundle_file(&file).build().unwrap());
    let params = Default::default();
    let read = || api.read_authentication("cluster", &params);
    let refused = |r: Result<_, Error>| matches!(r, Err(Error::Transport(ref m)) if m.contains("certificate"));
    assert!(
        refused(read().await),
        "the file's CA does not sign the server's certificate"
    );
    replace(&ca);
    assert!(read().await.is_ok(), "the rewritten file is trusted");
    replace("-----BEGIN CERTIFICATE-----\nnot base64\n");
    assert!(
        read().await.is_ok(),
        "a broken file keeps the last good bundle"
    );
    std::fs::remove_file(&file).unwrap();
    assert!(
        read().await.is_ok(),
        "a missing file keeps the last good bundle"
    );
    replace(&other_ca);
    assert!(refused(read().await), "the file's change is followed back");

    for (content, words) in [(None, "No such file"), (Some(""), "holds no certificate")] {
        std::fs::remove_file(&file).ok();
        if let Some(c) = content {
            std::fs::write(&file, c).unwrap();
        }
        let err = Client::builder(&url)
            .ca_bundle_file(&file)
            .build()
            .unwrap_err();
        let Error::Config(msg) = &err else {
            panic!("{err:?}")
        };
        assert!(
            msg.contains(&file.display().to_string()) && msg.contains(words),
            "{msg}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn tls_is_verified_unless_turned_off_by_name() {
    let (url, ca) = server::tls_server(OBJECT).await;
    // The system's roots do not know this CA: the handshake fails, and is not retried.
    let client = Client::new(&url).unwrap();
    let api = config::Api::new(client.clone());
    let err = api
        .read_authentication("cluster", &Default::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport(ref m) if m.contains("certificate")),
        "{err:?}"
    );
    assert_eq!(
        client.retries(),
        0,
        "an untrusted certificate is not retried"
    );
    // With the CA bundle it works.
    let api = config::Api::new(Client::builder(&url).ca_bundle_pem(&ca).build().unwrap());
    let obj = api
        .read_authentication("cluster", &Default::default())
        .await
        .unwrap();
    assert_eq!(obj.metadata.unwrap().name.as_deref(), Some("cluster"));
    // Only the explicit, loudly named switch turns verification off.
    let api = config::Api::new(
        Client::builder(&url)
            .danger_accept_invalid_certs()
            .build()
            .unwrap(),
    );
    assert!(api
        .read_authentication("cluster", &Default::default())
        .await
        .is_ok());
    // A bundle that holds no certificate is a configuration error, not "trust everything".
    let err = Client::builder(&url)
        .ca_bundle_pem("not a certificate")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(matches!(
        Client::new("ftp://example.com"),
        Err(Error::Config(_))
    ));
}

#[tokio::test]
async fn from_kubeconfig_uses_the_current_context_and_token() {
    let server = Server::start().await;
    let dir = std::env::temp_dir().join(format!("kubeconfig-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config");
    std::fs::write(
        &path,
        format!(
            "apiVersion: v1\nkind: Config\ncurrent-context: test\nclusters:\n- name: loop\n  cluster:\n    server: {}\ncontexts:\n- name: test\n  context: {{cluster: loop, user: admin}}\nusers:\n- name: admin\n  user:\n    token: {ADMIN}\n",
            server.url
        ),
    )
    .unwrap();
    // SAFETY of set_var: this is the only test in this binary that reads KUBECONFIG.
    unsafe { std::env::set_var("KUBECONFIG", &path) };
    let client = Client::from_kubeconfig().await.unwrap();
    assert!(!format!("{client:?}").contains(ADMIN));
    let api = config::Api::new(client);
    api.list_authentication(&Default::default()).await.unwrap();
    assert_eq!(
        server.last().header("authorization"),
        Some("Bearer admin-token")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn client_keys_stay_out_of_debug_and_errors() {
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = rcgen::CertificateParams::new(vec!["client".to_string()])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let key_pem = key.serialize_pem();
    let secret_line = key_pem.lines().nth(1).unwrap().to_string();
    let builder = Client::builder("https://localhost:6443")
        .bearer_token("tok-123")
        .client_identity_pem(cert.pem().into_bytes(), key_pem.clone().into_bytes());
    let shown = format!("{builder:?}");
    assert!(
        !shown.contains(&secret_line) && !shown.contains("tok-123"),
        "{shown}"
    );
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains(&secret_line));
    // A key that does not parse: the error does not quote it.
    let broken = key_pem.replace("PRIVATE KEY-----\n", "PRIVATE KEY-----\n!!");
    let err = Client::builder("https://localhost:6443")
        .client_identity_pem(cert.pem().into_bytes(), broken.into_bytes())
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)));
    assert!(
        !format!("{err} {err:?}").contains(&secret_line[4..]),
        "{err}"
    );
}
