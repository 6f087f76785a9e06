//! Runs one (de)serialization of benches/runtime.rs `N` times, for counting instructions:
//! the machine's timing noise does not touch instruction counts, so ours against k8s-openapi
//! can be compared exactly. Per operation = (count with N) - (count with 0), divided by N:
//!
//!     cargo build --release --example instructions --manifest-path benches/Cargo.toml
//!     valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!         benches/target/release/examples/instructions tr-de-ours 1000
//!
//! Cases: tr-de-ours, tr-de-k8s-openapi, tr-de-value, tr-ser-ours, tr-ser-k8s-openapi,
//! tr-ser-value, auth-de-ours, auth-de-value, auth-ser-ours, auth-ser-value.

use std::hint::black_box;

use benches::{case_and_count, token_review_json, Auth, AUTHENTICATION};

type Ours = generated::authentication_k8s_io::v1::TokenReview;
type Theirs = k8s_openapi::api::authentication::v1::TokenReview;
type Value = serde_json::Value;

fn de<T: serde::de::DeserializeOwned>(json: &str) -> impl Fn() + '_ {
    move || {
        drop(black_box(
            serde_json::from_str::<T>(black_box(json)).unwrap(),
        ))
    }
}

fn ser<T: serde::Serialize + serde::de::DeserializeOwned>(json: &str) -> impl Fn() {
    let v: T = serde_json::from_str(json).unwrap();
    move || drop(black_box(serde_json::to_vec(black_box(&v)).unwrap()))
}

fn main() {
    let (case, n) = case_and_count("instructions <case> <iterations>");
    let tr = token_review_json();
    // Everything is set up (and each case is run once, outside the count of N) before the loop.
    let f: Box<dyn Fn() + '_> = match case.as_str() {
        "tr-de-ours" => Box::new(de::<Ours>(&tr)),
        "tr-de-k8s-openapi" => Box::new(de::<Theirs>(&tr)),
        "tr-de-value" => Box::new(de::<Value>(&tr)),
        "tr-ser-ours" => Box::new(ser::<Ours>(&tr)),
        "tr-ser-k8s-openapi" => Box::new(ser::<Theirs>(&tr)),
        "tr-ser-value" => Box::new(ser::<Value>(&tr)),
        "auth-de-ours" => Box::new(de::<Auth>(AUTHENTICATION)),
        "auth-de-value" => Box::new(de::<Value>(AUTHENTICATION)),
        "auth-ser-ours" => Box::new(ser::<Auth>(AUTHENTICATION)),
        "auth-ser-value" => Box::new(ser::<Value>(AUTHENTICATION)),
        other => {
            eprintln!("unknown case {other}");
            std::process::exit(2);
        }
    };
    f();
    for _ in 0..n {
        f();
    }
}
