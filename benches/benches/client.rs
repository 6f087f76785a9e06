//! Client overhead: `read_authentication` through the generated client against a loopback
//! server, beside a hand-written reqwest GET of the same URL decoded into the same type.

use benches::Clients;
use criterion::{criterion_group, Criterion};

/// A multi-threaded runtime of one worker (the server and the client share it) and the clients.
fn setup() -> (tokio::runtime::Runtime, Clients) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let clients = rt.block_on(Clients::start());
    (rt, clients)
}

fn bench(c: &mut Criterion) {
    let (rt, clients) = setup();
    let mut g = c.benchmark_group("read_authentication");
    g.bench_function("generated client", |b| {
        b.to_async(&rt).iter(|| clients.generated())
    });
    g.bench_function("hand-written reqwest", |b| {
        b.to_async(&rt).iter(|| clients.reqwest())
    });
    g.finish();
}

/// The same two requests in alternating batches, so that the machine's drift (larger than the
/// difference measured here) hits both alike: each round times a batch of one then a batch of
/// the other, the first of the two swapping every round; the ratio is taken per round.
fn paired(rounds: usize, batch: usize) {
    let (rt, clients) = setup();
    let clients = &clients;
    let (mut a, mut b, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    rt.block_on(async {
        for _ in 0..batch {
            clients.generated().await;
            clients.reqwest().await;
        }
        for r in 0..rounds {
            let time = |ours_turn: bool| async move {
                let start = std::time::Instant::now();
                for _ in 0..batch {
                    if ours_turn {
                        clients.generated().await
                    } else {
                        clients.reqwest().await
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
