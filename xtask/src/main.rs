//! Project tasks. `cargo xtask codegen` regenerates `generated/` from `specs/`; with `--check`
//! it only reports what is stale. All disk writes of the project live here.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{Parser, Subcommand};

mod bench;
mod sync;

// Generation builds and drops millions of small token trees and syntax nodes; with glibc's
// allocator, malloc and free were a quarter of the profile (see BENCHMARKS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A one-line progress display on an interactive terminal, for large inputs only; silent
/// otherwise (CI logs stay clean).
struct Progress {
    on: bool,
    files: usize,
}

impl Progress {
    fn new(files: usize) -> Self {
        use std::io::IsTerminal as _;
        Progress {
            on: files >= 50 && std::io::stderr().is_terminal(),
            files,
        }
    }
    fn step(&mut self, what: &str) {
        if self.on {
            eprint!("\r\x1b[2K[{} spec files] {what}…", self.files);
        }
    }
    fn done(&mut self) {
        if self.on {
            eprint!("\r\x1b[2K");
        }
    }
}

#[derive(Parser)]
#[command(name = "xtask", about = "Project tasks")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate the `generated/` crate from every spec file in `specs/`.
    Codegen {
        /// Folder of OpenAPI v3 documents and CRDs (searched recursively), relative to where
        /// the command runs [default: the workspace's specs/].
        #[arg(long)]
        specs: Option<PathBuf>,
        /// Crate folder to write (its Cargo.toml and src/), relative to where the command runs
        /// [default: the workspace's generated/].
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; exit non-zero if the output is stale.
        #[arg(long)]
        check: bool,
    },
    /// Benchmarks: generation time by stage and input size, and compile cost beside
    /// k8s-openapi. Runtime and client benchmarks are criterion benches in benches/.
    Bench {
        /// Which part: gen (synthetic input), gen-real (../shared/upstream, and its CRDs
        /// repeated), compile, all of those, or kube-rs (kube-rs mode beside kopium's output
        /// for the Authentication CRD; needs kopium on PATH or in KOPIUM), or kopium-crds (the
        /// same for every real CRD, --repeat-crds times over; needs kopium and GNU time), or
        /// decode (the whole API's models decoding Kubernetes' Deployment and Pod fixtures
        /// beside k8s-openapi's: instructions under valgrind if installed, and wall times).
        #[arg(long, default_value = "all")]
        only: String,
        /// Runs per generation measurement (the median is reported).
        #[arg(long, default_value_t = 7)]
        runs: usize,
        /// Rebuilds of each crate alone per compile measurement (the median is reported).
        #[arg(long, default_value_t = 3)]
        compile_runs: usize,
        /// Sizes of the synthetic input (×1 = 25 CRDs and 250 OpenAPI schemas), comma-separated.
        #[arg(long, default_value = "1,2,4,8", value_delimiter = ',')]
        scales: Vec<usize>,
        /// Only write the synthetic inputs, one folder per scale (`DIR/x8/…`), for profiling
        /// with `xtask codegen --specs DIR/x8`; measure nothing.
        #[arg(long, value_name = "DIR")]
        inputs: Option<PathBuf>,
        /// With --inputs: also write the real CRDs of ../shared/upstream this many times over
        /// (groups renamed per copy) to `DIR/crds-xN`, the few-hundred-CRD cluster of BENCHMARKS.md.
        /// With --only kopium-crds: the copies compiled (default 1).
        #[arg(long, value_name = "N")]
        repeat_crds: Option<usize>,
        /// Compile cost of the whole Kubernetes API (the versioned documents of
        /// ../shared/upstream with specs/) and of `apps_v1` alone, beside k8s-openapi, instead of
        /// specs/ as generated/ has it.
        #[arg(long)]
        whole_api: bool,
    },
    /// A throwaway real cluster: builds kube-apiserver and etcd from their Go modules (once),
    /// starts them on loopback, writes a kubeconfig with the contexts `admin` and `user`, and
    /// runs until Ctrl-C or SIGTERM. The tests start the same thing (tests/src/apiserver.rs).
    Apiserver {
        /// Where to write the kubeconfig (removed again when the cluster stops).
        #[arg(long)]
        kubeconfig: PathBuf,
    },
    /// Write a live cluster's OpenAPI v3 group documents and CRDs into a specs folder, one
    /// file each (a group/version served by a CRD comes from the CRD). Everything the cluster
    /// serves unless narrowed with --group-version / --crd.
    Fetch {
        /// The kubeconfig to connect with.
        #[arg(long)]
        kubeconfig: PathBuf,
        /// Its context (default: the current one).
        #[arg(long)]
        context: Option<String>,
        /// A group/version to fetch (`apps/v1`, `v1` for core); repeatable.
        #[arg(long = "group-version")]
        group_versions: Vec<String>,
        /// A CRD to fetch, by name (`authentications.config.openshift.io`); repeatable.
        #[arg(long = "crd")]
        crds: Vec<String>,
        /// The specs folder to write into.
        #[arg(long, default_value = "specs")]
        specs: PathBuf,
    },
}

fn workspace_root() -> PathBuf {
    // xtask lives one level below the workspace root; relative paths are taken from the root so
    // the command works from any folder of the checkout.
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Builds a tool of the `tests` crate (the real-cluster harness and the fetcher, which need
/// the generated client) and becomes it (exec), so Ctrl-C and SIGTERM reach the process
/// that acts on them. xtask itself stays free of their dependencies.
fn harness(bin: &str, args: &[(&str, PathBuf)]) -> anyhow::Result<ExitCode> {
    use std::os::unix::process::CommandExt as _;
    let root = workspace_root();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = std::process::Command::new(&cargo)
        .args(["build", "--quiet", "--package", "tests", "--bin", bin])
        .current_dir(&root)
        .status()?;
    if !status.success() {
        anyhow::bail!("building the {bin} tool failed ({status})");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let mut cmd = std::process::Command::new(target.join("debug").join(bin));
    for (flag, value) in args {
        cmd.arg(flag).arg(value);
    }
    let err = cmd.exec();
    Err(anyhow::anyhow!("cannot run the {bin} tool: {err}"))
}

/// `mi_option_purge_delay` in mimalloc's `mi_option_e` (the Rust binding names no constant
/// for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> ExitCode {
    // A run is short and its heap peaks near the end: giving freed pages back to the OS only
    // makes the next allocation fault them in (and zero them) again. With purging on, page
    // faults were a fifth of a large run's profile (see BENCHMARKS.md).
    // SAFETY: sets an integer option; mimalloc documents it as callable at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) };
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Apiserver { kubeconfig } => {
            let here = std::env::current_dir()?;
            harness("apiserver", &[("--kubeconfig", here.join(kubeconfig))])
        }
        Command::Fetch {
            kubeconfig,
            context,
            group_versions,
            crds,
            specs,
        } => {
            // Paths are the user's, relative to where the command was run.
            let here = std::env::current_dir()?;
            let mut args = vec![
                ("--kubeconfig", here.join(kubeconfig)),
                ("--specs", here.join(specs)),
            ];
            args.extend(context.map(|c| ("--context", PathBuf::from(c))));
            args.extend(
                group_versions
                    .into_iter()
                    .map(|g| ("--group-version", PathBuf::from(g))),
            );
            args.extend(crds.into_iter().map(|c| ("--crd", PathBuf::from(c))));
            harness("fetch", &args)
        }
        Command::Bench {
            only,
            runs,
            compile_runs,
            scales,
            inputs,
            repeat_crds,
            whole_api,
        } => {
            let root = workspace_root();
            if let Some(dir) = inputs {
                bench::write_inputs(&dir, &scales)?;
                if let Some(n) = repeat_crds {
                    bench::write_repeated_crds(&root.join("../shared/upstream"), &dir, n)?;
                }
                return Ok(ExitCode::SUCCESS);
            }
            if only == "all" || only == "gen" {
                bench::generation(&root, runs.max(1), &scales)?;
            }
            if only == "all" || only == "gen-real" {
                bench::generation_real(&root, runs.max(1))?;
            }
            if only == "all" || only == "compile" {
                bench::compile(&root, compile_runs.max(1), whole_api)?;
            }
            // Not in `all`: it needs kopium (`cargo install kopium`).
            if only == "kube-rs" {
                bench::compile_kube_rs(&root, compile_runs.max(1))?;
            }
            // Not in `all`: it builds two release programs (and uses valgrind when there).
            if only == "decode" {
                bench::decode(&root, runs.max(1))?;
            }
            if only == "kopium-crds" {
                let copies = repeat_crds.unwrap_or(1).max(1);
                bench::compile_kopium_crds(&root, compile_runs.max(1), copies)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Codegen { specs, out, check } => {
            // A path given is the user's, relative to where the command was run (as for
            // fetch); the defaults are the workspace's, from any folder inside it.
            let (root, here) = (workspace_root(), std::env::current_dir()?);
            let specs = specs.map_or_else(|| root.join("specs"), |p| here.join(p));
            let out = out.map_or_else(|| root.join("generated"), |p| here.join(p));
            let started = std::time::Instant::now();
            let files = codegen::read_specs_dir(&specs)?;
            let options = codegen::read_settings(&specs)?;
            let mut progress = Progress::new(files.len());
            progress.step("generating");
            let output = codegen::generate(&files, &options)?;
            for skipped in &output.skipped {
                eprintln!("note: {skipped}");
            }
            if check {
                let _lock =
                    sync::lock(&out, true).with_context(|| format!("locking {}", out.display()))?;
                let report = output
                    .files
                    .diff(&out)
                    .with_context(|| format!("reading {}", out.display()))?;
                if report.is_empty() {
                    println!(
                        "{} is up to date ({} files)",
                        out.display(),
                        output.files.files.len()
                    );
                    return Ok(ExitCode::SUCCESS);
                }
                for line in report {
                    eprintln!("{line}");
                }
                eprintln!(
                    "{} is stale: run `cargo xtask codegen` and commit the result",
                    out.display()
                );
                return Ok(ExitCode::FAILURE);
            }
            progress.step("writing");
            let changed = sync::write(&out, &output.files)
                .with_context(|| format!("writing {}", out.display()))?;
            progress.done();
            for g in &output.groups {
                // Files of a module live under src/<group>/<version>/ of its crate
                // (crates/<crate>/src/…), or of the output itself.
                let dir = format!("src/{}/", g.module.replace("::", "/"));
                let inside = format!("/{dir}");
                let n = changed
                    .iter()
                    .filter(|p| p.starts_with(&dir) || p.contains(&inside))
                    .count();
                println!(
                    "{:<40} {:>5} types {:>4} operations {:>4} files changed",
                    g.module, g.types, g.operations, n
                );
            }
            println!(
                "total: {} spec files, {} files, {} changed, in {:.0?}",
                files.len(),
                output.files.files.len(),
                changed.len(),
                started.elapsed()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::MI_OPTION_PURGE_DELAY;

    /// The option number is mimalloc's purge delay: the bundled mimalloc's default for it is
    /// 1000 ms (its options table; the header's comment says 10), a value no neighbouring
    /// option has. The test binary does not run `main`, so nothing has set it.
    #[test]
    fn option_number_is_the_purge_delay() {
        // SAFETY: reads an integer option.
        let delay = unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        assert_eq!(delay, 1000);
    }
}
