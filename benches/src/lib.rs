//! What the benches and the instruction-count examples share: the inputs, and the two clients
//! of the client benchmark against one loopback server.

use std::hint::black_box;

/// The command line of the instruction-count examples, `<case> <count>`; a usage line and exit
/// code 2 otherwise.
pub fn case_and_count(usage: &str) -> (String, u64) {
    let mut args = std::env::args().skip(1);
    match (args.next(), args.next().and_then(|n| n.parse::<u64>().ok())) {
        (Some(case), Some(n)) => (case, n),
        _ => {
            eprintln!("usage: {usage}");
            std::process::exit(2);
        }
    }
}

/// Our Authentication sample (OIDC providers, status).
pub const AUTHENTICATION: &str = include_str!("../benches/authentication.json");
const TOKEN_REVIEW_FALLBACK: &str = include_str!("../benches/token_review.json");

pub type Auth = generated::config_openshift_io::v1::Authentication;

/// Kubernetes' own TokenReview round-trip fixture from `../shared/upstream`, or our copy of its
/// shape when that folder is absent (said on stderr).
pub fn token_review_json() -> String {
    let p = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/upstream/k8s-testdata/authentication.k8s.io.v1.TokenReview.json"
    );
    std::fs::read_to_string(p).unwrap_or_else(|_| {
        eprintln!(
            "../shared/upstream is absent: using benches/benches/token_review.json (same shape)"
        );
        TOKEN_REVIEW_FALLBACK.to_string()
    })
}

/// The generated client and a plain reqwest client, both pointed at one loopback server that
/// answers every request with [`AUTHENTICATION`].
pub struct Clients {
    api: generated::config_openshift_io::v1::Api,
    http: reqwest::Client,
    target: String,
}

impl Clients {
    /// Starts the server on the current tokio runtime.
    pub async fn start() -> Clients {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(|| async {
            axum::http::Response::builder()
                .header("content-type", "application/json")
                .body(axum::body::Body::from(AUTHENTICATION))
                .unwrap()
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let api = generated::config_openshift_io::v1::Api::new(
            generated::runtime::Client::builder(&url)
                .bearer_token("t")
                .build()
                .unwrap(),
        );
        // reqwest built without a default TLS provider needs one installed (plain http here).
        #[allow(deprecated)] // from rustls 0.23.48 on; see runtime/tls.rs
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder().build().unwrap();
        let target = format!("{url}/apis/config.openshift.io/v1/authentications/cluster");
        Clients { api, http, target }
    }

    /// `read_authentication` through the generated client.
    pub async fn generated(&self) {
        black_box(
            self.api
                .read_authentication("cluster", &Default::default())
                .await
                .unwrap(),
        );
    }

    /// The same request written by hand with reqwest, decoded into the same type.
    pub async fn reqwest(&self) {
        let resp = self
            .http
            .get(&self.target)
            .header("accept", "application/json")
            .bearer_auth("t")
            .send()
            .await
            .unwrap();
        let bytes = resp.bytes().await.unwrap();
        black_box(serde_json::from_slice::<Auth>(&bytes).unwrap());
    }
}
