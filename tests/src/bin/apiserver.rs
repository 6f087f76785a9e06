//! `cargo xtask apiserver --kubeconfig PATH`: a throwaway real cluster (etcd + kube-apiserver
//! on loopback) until Ctrl-C or SIGTERM. See `tests::apiserver`.

use std::path::PathBuf;

fn main() {
    let mut args = std::env::args().skip(1);
    let kubeconfig = match (args.next().as_deref(), args.next(), args.next()) {
        (Some("--kubeconfig"), Some(path), None) => PathBuf::from(path),
        _ => {
            eprintln!("usage: apiserver --kubeconfig PATH");
            std::process::exit(2);
        }
    };
    let cluster = match tests::apiserver::Cluster::start() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    };
    if let Err(e) = cluster.write_kubeconfig(&kubeconfig) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    eprintln!(
        "kube-apiserver is ready at {}; kubeconfig written to {} (contexts `admin`, the current one, and `user`). Ctrl-C or SIGTERM stops it.",
        cluster.server,
        kubeconfig.display()
    );
    let stopped = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| {
            rt.block_on(async {
                let mut term =
                    tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                        .map_err(|e| e.to_string())?;
                tokio::select! {
                    r = tokio::signal::ctrl_c() => r.map_err(|e| e.to_string()),
                    _ = term.recv() => Ok(()),
                }
            })
        });
    if let Err(e) = stopped {
        eprintln!("error: waiting for a signal: {e}");
    }
    eprintln!("stopping kube-apiserver and etcd");
    drop(cluster);
    let _ = std::fs::remove_file(&kubeconfig);
}
