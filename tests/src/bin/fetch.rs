//! `cargo xtask fetch --kubeconfig PATH [--context NAME] [--group-version G/V]… [--crd NAME]…
//! [--specs DIR]`: a cluster's OpenAPI v3 group documents and CRDs into a specs folder. See
//! `tests::fetch`.

use std::path::PathBuf;

fn usage() -> ! {
    eprintln!("usage: fetch --kubeconfig PATH [--context NAME] [--group-version G/V]... [--crd NAME]... [--specs DIR]");
    std::process::exit(2);
}

fn main() {
    let mut kubeconfig = None;
    let mut context = None;
    let mut specs = PathBuf::from("specs");
    let mut selection = tests::fetch::Selection::default();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_else(|| usage());
        match flag.as_str() {
            "--kubeconfig" => kubeconfig = Some(PathBuf::from(value)),
            "--context" => context = Some(value),
            "--group-version" => selection.group_versions.push(value),
            "--crd" => selection.crds.push(value),
            "--specs" => specs = PathBuf::from(value),
            _ => usage(),
        }
    }
    let Some(kubeconfig) = kubeconfig else {
        usage()
    };
    let result = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())
        .and_then(|rt| {
            rt.block_on(async {
                let client =
                    tests::fetch::client_from_kubeconfig(&kubeconfig, context.as_deref()).await?;
                tests::fetch::fetch(&client, &selection, &specs).await
            })
        });
    match result {
        Ok(written) => {
            for w in &written {
                let what = if w.changed { "wrote    " } else { "unchanged" };
                println!("{what} {}", specs.join(&w.path).display());
            }
            let changed = written.iter().filter(|w| w.changed).count();
            println!("{} files, {changed} changed", written.len());
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
