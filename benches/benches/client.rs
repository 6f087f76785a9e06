//! Client overhead: `read_authentication` through the generated client against a loopback
//! server, beside a hand-written reqwest GET of the same URL decoded into the same type.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};

const AUTHENTICATION: &str = include_str!("authentication.json");
type Auth = generated::config_openshift_io::v1::Authentication;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let url = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(|| async {
            axum::http::Response::builder().header("content-type", "application/json").body(axum::body::Body::from(AUTHENTICATION)).unwrap()
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    });
    let api = generated::config_openshift_io::v1::Api::new(generated::runtime::Client::builder(&url).bearer_token("t").build().unwrap());
    // reqwest built without a default TLS provider needs one installed (plain http here).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().build().unwrap();
    let target = format!("{url}/apis/config.openshift.io/v1/authentications/cluster");

    let mut g = c.benchmark_group("read_authentication");
    g.bench_function("generated client", |b| {
        b.to_async(&rt).iter(|| async { black_box(api.read_authentication("cluster", &Default::default()).await.unwrap()) })
    });
    g.bench_function("hand-written reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let resp = http.get(&target).header("accept", "application/json").bearer_auth("t").send().await.unwrap();
            let bytes = resp.bytes().await.unwrap();
            black_box(serde_json::from_slice::<Auth>(&bytes).unwrap())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
