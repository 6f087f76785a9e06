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

use benches::{case_and_count, Clients};

fn main() {
    let (case, n) = case_and_count("client_instructions <generated|reqwest> <requests>");
    // One thread for client and server: the same interleaving on every run.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let clients = Clients::start().await;
        // Once more than N, outside the count: opens the pooled connection.
        match case.as_str() {
            "generated" => {
                for _ in 0..=n {
                    clients.generated().await;
                }
            }
            "reqwest" => {
                for _ in 0..=n {
                    clients.reqwest().await;
                }
            }
            other => {
                eprintln!("unknown case {other}");
                std::process::exit(2);
            }
        }
    });
}
