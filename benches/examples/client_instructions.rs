//! Runs `N` requests of benches/client.rs (`read_authentication` through the generated client,
//! or the hand-written reqwest call) against a loopback server in the same process, for
//! counting instructions: on this noisy machine the criterion times of the two differ by less
//! than their run-to-run drift, while instruction counts barely move. Per request = (count with
//! N) - (count with 0), divided by N; the server's share is the same for both cases.
//!
//!     cargo build --release --example client_instructions --manifest-path benches/Cargo.toml
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!         benches/target/release/examples/client_instructions generated 1000
//!
//! Cases: generated, reqwest.

use std::hint::black_box;

const AUTHENTICATION: &str = include_str!("../benches/authentication.json");
type Auth = generated::config_openshift_io::v1::Authentication;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(case), Some(n)) = (args.next(), args.next().and_then(|n| n.parse::<u64>().ok()))
    else {
        eprintln!("usage: client_instructions <generated|reqwest> <requests>");
        std::process::exit(2);
    };
    // One thread for client and server: the same interleaving on every run.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(|| async {
            axum::http::Response::builder()
                .header("content-type", "application/json")
                .body(axum::body::Body::from(AUTHENTICATION))
                .unwrap()
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        let _ = rustls::crypto::ring::default_provider().install_default();
        match case.as_str() {
            "generated" => {
                let client = generated::runtime::Client::builder(&url)
                    .bearer_token("t")
                    .build()
                    .unwrap();
                let api = generated::config_openshift_io::v1::Api::new(client);
                if std::env::var_os("FUTURE_SIZE").is_some() {
                    eprintln!(
                        "future: {} bytes",
                        std::mem::size_of_val(
                            &api.read_authentication("cluster", &Default::default())
                        )
                    );
                }
                // Once outside the count of N: opens the pooled connection.
                for _ in 0..=n {
                    black_box(
                        api.read_authentication("cluster", &Default::default())
                            .await
                            .unwrap(),
                    );
                }
            }
            "reqwest" => {
                let http = reqwest::Client::builder().build().unwrap();
                let target = format!("{url}/apis/config.openshift.io/v1/authentications/cluster");
                for _ in 0..=n {
                    let resp = http
                        .get(&target)
                        .header("accept", "application/json")
                        .bearer_auth("t")
                        .send()
                        .await
                        .unwrap();
                    let bytes = resp.bytes().await.unwrap();
                    black_box(serde_json::from_slice::<Auth>(&bytes).unwrap());
                }
            }
            other => {
                eprintln!("unknown case {other}");
                std::process::exit(2);
            }
        }
    });
}
