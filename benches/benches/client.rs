//! Client overhead: `read_authentication` through the generated client against a loopback
//! server, beside a hand-written reqwest GET of the same URL decoded into the same type.

use std::hint::black_box;

use criterion::{criterion_group, Criterion};

const AUTHENTICATION: &str = include_str!("authentication.json");
type Auth = generated::config_openshift_io::v1::Authentication;

type Setup = (
    tokio::runtime::Runtime,
    generated::config_openshift_io::v1::Api,
    reqwest::Client,
    String,
);

/// A loopback server returning a fixed Authentication, the generated client and a plain
/// reqwest client for it, and the URL the hand-written call requests.
fn setup() -> Setup {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let url = rt.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(|| async {
            axum::http::Response::builder()
                .header("content-type", "application/json")
                .body(axum::body::Body::from(AUTHENTICATION))
                .unwrap()
        });
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        url
    });
    let api = generated::config_openshift_io::v1::Api::new(
        generated::runtime::Client::builder(&url)
            .bearer_token("t")
            .build()
            .unwrap(),
    );
    // reqwest built without a default TLS provider needs one installed (plain http here).
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().build().unwrap();
    let target = format!("{url}/apis/config.openshift.io/v1/authentications/cluster");
    (rt, api, http, target)
}

fn bench(c: &mut Criterion) {
    let (rt, api, http, target) = setup();
    let mut g = c.benchmark_group("read_authentication");
    g.bench_function("generated client", |b| {
        b.to_async(&rt).iter(|| async {
            black_box(
                api.read_authentication("cluster", &Default::default())
                    .await
                    .unwrap(),
            )
        })
    });
    g.bench_function("hand-written reqwest", |b| {
        b.to_async(&rt).iter(|| async {
            let resp = http
                .get(&target)
                .header("accept", "application/json")
                .bearer_auth("t")
                .send()
                .await
                .unwrap();
            let bytes = resp.bytes().await.unwrap();
            black_box(serde_json::from_slice::<Auth>(&bytes).unwrap())
        })
    });
    g.finish();
}

/// The same two requests in alternating batches, so that the machine's drift (larger than the
/// difference measured here) hits both alike: each round times a batch of one then a batch of
/// the other, the first of the two swapping every round; the ratio is taken per round.
fn paired(rounds: usize, batch: usize) {
    let (rt, api, http, target) = setup();
    let ours = || async {
        black_box(
            api.read_authentication("cluster", &Default::default())
                .await
                .unwrap(),
        );
    };
    let theirs = || async {
        let resp = http
            .get(&target)
            .header("accept", "application/json")
            .bearer_auth("t")
            .send()
            .await
            .unwrap();
        let bytes = resp.bytes().await.unwrap();
        black_box(serde_json::from_slice::<Auth>(&bytes).unwrap());
    };
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    rt.block_on(async {
        for _ in 0..batch {
            ours().await;
            theirs().await;
        }
        for r in 0..rounds {
            let time = |ours_turn: bool| async move {
                let start = std::time::Instant::now();
                for _ in 0..batch {
                    if ours_turn {
                        ours().await
                    } else {
                        theirs().await
                    }
                }
                start.elapsed().as_secs_f64() * 1e6 / batch as f64
            };
            let (x, y) = if r % 2 == 0 {
                let x = time(true).await;
                (x, time(false).await)
            } else {
                let y = time(false).await;
                (time(true).await, y)
            };
            a.push(x);
            b.push(y);
            ratios.push(x / y);
        }
    });
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (lo, hi) = ratios
        .iter()
        .fold((f64::MAX, f64::MIN), |(l, h), &r| (l.min(r), h.max(r)));
    println!(
        "paired, {rounds} rounds of {batch} requests each: generated client {:.1} µs, hand-written reqwest {:.1} µs per request (medians); ratio generated / reqwest: median {:.3}, range {lo:.3}..{hi:.3}",
        median(&mut a),
        median(&mut b),
        median(&mut ratios)
    );
}

criterion_group!(benches, bench);

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    // Skipped when criterion is asked to list or filter benches (`cargo test --benches`).
    if !std::env::args().any(|a| a == "--list" || a == "--test") {
        paired(20, 2000);
    }
}
