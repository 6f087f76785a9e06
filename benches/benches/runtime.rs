//! Deserialize and serialize a TokenReview (Kubernetes' own round-trip fixture) with our
//! types, k8s-openapi's and serde_json::Value; and an Authentication object with ours and
//! Value. Also counts allocations per operation.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use benches::{token_review_json, Auth, AUTHENTICATION};
use criterion::{criterion_group, criterion_main, Criterion};

struct Counting;
static ALLOCS: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        unsafe { System.dealloc(p, l) }
    }
}
#[global_allocator]
static A: Counting = Counting;

fn allocs(f: impl Fn()) -> usize {
    let before = ALLOCS.load(Ordering::Relaxed);
    f();
    ALLOCS.load(Ordering::Relaxed) - before
}

type Ours = generated::authentication_k8s_io::v1::TokenReview;
type Theirs = k8s_openapi::api::authentication::v1::TokenReview;

fn bench(c: &mut Criterion) {
    let tr = token_review_json();
    let ours: Ours = serde_json::from_str(&tr).unwrap();
    let theirs: Theirs = serde_json::from_str(&tr).unwrap();
    let value: serde_json::Value = serde_json::from_str(&tr).unwrap();
    let auth: Auth = serde_json::from_str(AUTHENTICATION).unwrap();
    let auth_value: serde_json::Value = serde_json::from_str(AUTHENTICATION).unwrap();

    println!(
        "allocations per deserialize: TokenReview ours {} / k8s-openapi {} / Value {}; Authentication ours {} / Value {}",
        allocs(|| drop(black_box(serde_json::from_str::<Ours>(&tr).unwrap()))),
        allocs(|| drop(black_box(serde_json::from_str::<Theirs>(&tr).unwrap()))),
        allocs(|| drop(black_box(serde_json::from_str::<serde_json::Value>(&tr).unwrap()))),
        allocs(|| drop(black_box(serde_json::from_str::<Auth>(AUTHENTICATION).unwrap()))),
        allocs(|| drop(black_box(serde_json::from_str::<serde_json::Value>(AUTHENTICATION).unwrap()))),
    );
    println!(
        "allocations per serialize: TokenReview ours {} / k8s-openapi {} / Value {}",
        allocs(|| drop(black_box(serde_json::to_vec(&ours).unwrap()))),
        allocs(|| drop(black_box(serde_json::to_vec(&theirs).unwrap()))),
        allocs(|| drop(black_box(serde_json::to_vec(&value).unwrap()))),
    );

    let mut g = c.benchmark_group("TokenReview/deserialize");
    g.bench_function("ours", |b| {
        b.iter(|| serde_json::from_str::<Ours>(black_box(&tr)).unwrap())
    });
    g.bench_function("k8s-openapi", |b| {
        b.iter(|| serde_json::from_str::<Theirs>(black_box(&tr)).unwrap())
    });
    g.bench_function("Value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&tr)).unwrap())
    });
    g.finish();
    let mut g = c.benchmark_group("TokenReview/serialize");
    g.bench_function("ours", |b| {
        b.iter(|| serde_json::to_vec(black_box(&ours)).unwrap())
    });
    g.bench_function("k8s-openapi", |b| {
        b.iter(|| serde_json::to_vec(black_box(&theirs)).unwrap())
    });
    g.bench_function("Value", |b| {
        b.iter(|| serde_json::to_vec(black_box(&value)).unwrap())
    });
    g.finish();
    let mut g = c.benchmark_group("Authentication/deserialize");
    g.bench_function("ours", |b| {
        b.iter(|| serde_json::from_str::<Auth>(black_box(AUTHENTICATION)).unwrap())
    });
    g.bench_function("Value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(AUTHENTICATION)).unwrap())
    });
    g.finish();
    let mut g = c.benchmark_group("Authentication/serialize");
    g.bench_function("ours", |b| {
        b.iter(|| serde_json::to_vec(black_box(&auth)).unwrap())
    });
    g.bench_function("Value", |b| {
        b.iter(|| serde_json::to_vec(black_box(&auth_value)).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
