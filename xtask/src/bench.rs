//! `cargo xtask bench`: generation time (on specs/ and on synthetic inputs of growing size,
//! stage by stage) and the compile cost of what users depend on, beside k8s-openapi.
//! Medians of several runs in one process; no thresholds (this machine is noisy).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

mod decode;
pub use decode::decode;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A synthetic input: `crds` CRDs, each with a spec of nested objects, lists, maps and enums
/// (`per_crd` schemas each), plus one OpenAPI document of `openapi` named schemas that refer
/// to each other.
pub fn synthetic(crds: usize, per_crd: usize, openapi: usize) -> Vec<codegen::SpecFile> {
    let mut files = Vec::new();
    for c in 0..crds {
        let mut props = String::new();
        // per_crd - 3 nested objects under spec (the kind, its spec and its list are the rest).
        for n in 0..per_crd.saturating_sub(3) {
            props.push_str(&format!(
                "              f{n}:\n                type: object\n                description: Nested object {n}.\n                properties:\n                  name: {{type: string}}\n                  count: {{type: integer, format: int32}}\n                  tags: {{type: array, items: {{type: string}}}}\n                  labels: {{type: object, additionalProperties: {{type: string}}}}\n                  mode: {{type: string, enum: [A, B, C]}}\n"
            ));
        }
        let text = format!(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: kind{c}s.bench{c}.example.com}}\nspec:\n  group: bench{c}.example.com\n  names: {{kind: Kind{c}, plural: kind{c}s}}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    subresources: {{status: {{}}}}\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec:\n            type: object\n            properties:\n{props}"
        );
        files.push(codegen::SpecFile {
            name: format!("synthetic/crd{c:04}.yaml"),
            bytes: text.into_bytes(),
        });
    }
    let mut schemas = serde_json::Map::new();
    for s in 0..openapi {
        let next = format!(
            "#/components/schemas/io.k8s.api.bench.v1.T{}",
            (s + 1) % openapi.max(1)
        );
        schemas.insert(
            format!("io.k8s.api.bench.v1.T{s}"),
            serde_json::json!({"type": "object", "description": "A synthetic type.", "properties": {
                "name": {"type": "string"}, "size": {"type": "integer", "format": "int64"},
                "next": {"allOf": [{"$ref": next}]}, "items": {"type": "array", "items": {"$ref": next}}}}),
        );
    }
    if openapi > 0 {
        let doc = serde_json::json!({"openapi": "3.0.0", "info": {"title": "bench", "version": "v1"}, "paths": {}, "components": {"schemas": schemas}});
        files.push(codegen::SpecFile {
            name: "synthetic/openapi.json".into(),
            bytes: serde_json::to_vec(&doc).unwrap_or_default(),
        });
    }
    files
}

/// One run: stage timings, in-memory time, write time, total time, files out.
type Run = (codegen::Timings, Duration, Duration, Duration, usize);

fn gen_once(files: &[codegen::SpecFile], out: &Path) -> anyhow::Result<Run> {
    let start = Instant::now();
    let output = codegen::generate(files, &codegen::Options::default())?;
    let w = Instant::now();
    crate::sync::write(out, &output.files)?;
    let written = Instant::now();
    Ok((
        output.timings,
        w - start,
        written - w,
        written - start,
        output.files.files.len(),
    ))
}

fn gen_report(
    label: &str,
    files: &[codegen::SpecFile],
    // Known for the synthetic inputs only (specs/ is not counted).
    schemas: Option<usize>,
    runs: usize,
    out: &Path,
) -> anyhow::Result<Duration> {
    let mut all = Vec::new();
    // Each run writes a new folder; all are removed at the end. (Deleting thousands of files
    // and creating as many right after is slow on ext4, which searches for inodes that were not
    // just freed: up to 20x slower than the first write on a fresh checkout, which is what
    // this measures.)
    for k in 0..runs {
        all.push(gen_once(files, &out.join(format!("{label}-{k}")))?);
    }
    let pick = |f: &dyn Fn(&Run) -> Duration| median(all.iter().map(f).collect());
    println!(
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
        files.len(),
        schemas.map_or("–".to_string(), |n| n.to_string()),
        all[0].4,
        ms(pick(&|r| r.0.load)),
        ms(pick(&|r| r.0.lower)),
        ms(pick(&|r| r.0.plan)),
        ms(pick(&|r| r.0.emit)),
        ms(pick(&|r| r.0.format)),
        ms(pick(&|r| r.1)),
        ms(pick(&|r| r.2)),
        ms(pick(&|r| r.3)),
    );
    Ok(pick(&|r| r.1))
}

/// The synthetic input of ×`scale`: 25·scale CRDs of 15 schemas and one OpenAPI document of
/// 250·scale schemas (at ×8: 3,000 + 2,000 = 5,000 schemas).
fn synthetic_at(scale: usize) -> (Vec<codegen::SpecFile>, usize) {
    let (crds, openapi) = (25 * scale, 250 * scale);
    (synthetic(crds, 15, openapi), crds * 15 + openapi)
}

pub fn write_inputs(dir: &Path, scales: &[usize]) -> anyhow::Result<()> {
    for &scale in scales {
        for f in synthetic_at(scale).0 {
            let path = dir.join(format!("x{scale}")).join(&f.name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, &f.bytes)
                .with_context(|| format!("writing {}", path.display()))?;
        }
        println!("{}", dir.join(format!("x{scale}")).display());
    }
    Ok(())
}

/// The `.json` and `.yaml` files below `dirs` (recursively), sorted by path.
fn spec_paths(dirs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let mut stack = dirs.to_vec();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let p = e?.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yaml" || x == "json") {
                files.push(p);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Every real file of `../shared/upstream` (the Kubernetes documents, the config.openshift.io
/// CRDs, the third-party CRDs) and specs/: the whole-API input of the tests.
fn upstream_input(root: &Path) -> anyhow::Result<Vec<codegen::SpecFile>> {
    let up = root.join("../shared/upstream");
    let mut specs = codegen::read_specs_dir(&root.join("specs"))?;
    for p in spec_paths(&[
        up.join("k8s-openapi-v3"),
        up.join("openshift-crds/config-v1"),
        up.join("thirdparty-crds"),
    ])? {
        specs.push(spec_file(&p, "upstream/")?);
    }
    Ok(specs)
}

/// One spec file, named `<prefix><file name>`.
fn spec_file(path: &Path, prefix: &str) -> anyhow::Result<codegen::SpecFile> {
    Ok(codegen::SpecFile {
        name: format!(
            "{prefix}{}",
            path.file_name().unwrap_or_default().to_string_lossy()
        ),
        bytes: std::fs::read(path).with_context(|| format!("reading {}", path.display()))?,
    })
}

/// The real CRDs of `../shared/upstream` (OpenShift config/v1 and the third-party operators),
/// `copies` times over, copy `i` with every group renamed `c<i>.<group>`: as many kinds as a
/// cluster with a few hundred CRDs (300 for 6 copies), of real shapes and sizes, spread over
/// 6× as many group/versions.
fn repeated_crds(upstream: &Path, copies: usize) -> anyhow::Result<Vec<codegen::SpecFile>> {
    let mut out = Vec::new();
    for path in spec_paths(&[
        upstream.join("openshift-crds/config-v1"),
        upstream.join("thirdparty-crds"),
    ])? {
        let text = std::fs::read_to_string(&path)?;
        // `spec.group` of a CRD: the first `  group: …` line (two spaces: directly in spec).
        let Some(group) = text
            .lines()
            .find_map(|l| l.strip_prefix("  group: "))
            .map(|g| g.trim().trim_matches('"').to_string())
        else {
            continue;
        };
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        for i in 0..copies {
            out.push(codegen::SpecFile {
                name: format!("c{i}-{name}"),
                bytes: text.replace(&group, &format!("c{i}.{group}")).into_bytes(),
            });
        }
    }
    Ok(out)
}

/// [`repeated_crds`], written to `dir/crds-x<copies>/`.
pub fn write_repeated_crds(upstream: &Path, dir: &Path, copies: usize) -> anyhow::Result<()> {
    let out = dir.join(format!("crds-x{copies}"));
    std::fs::create_dir_all(&out)?;
    let files = repeated_crds(upstream, copies)?;
    for f in &files {
        std::fs::write(out.join(&f.name), &f.bytes)?;
    }
    println!("{} ({} CRD files)", out.display(), files.len());
    Ok(())
}

/// Generation of real input: everything in `../shared/upstream` with specs/, and its CRDs
/// repeated 1, 2, 4 and 6 times (groups renamed), with the growth per CRD.
pub fn generation_real(root: &Path, runs: usize) -> anyhow::Result<()> {
    let scratch = root.join("target/bench/gen-real-out");
    let _ = std::fs::remove_dir_all(&scratch);
    println!("Generation of real input, median of {runs} runs (generate in memory, then write every file to an empty folder):\n");
    println!("| input | spec files | schemas | files out | load | lower | plan | emit | build + format | in memory | write | total |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let all = upstream_input(root)?;
    gen_report("../shared/upstream + specs/", &all, None, runs, &scratch)?;
    let upstream = root.join("../shared/upstream");
    let mut per_file = Vec::new();
    for copies in [1, 2, 4, 6] {
        let files = repeated_crds(&upstream, copies)?;
        let t = gen_report(&format!("CRDs ×{copies}"), &files, None, runs, &scratch)?;
        per_file.push((copies, t));
    }
    if let Some(&(first, t0)) = per_file.first() {
        let growth: Vec<String> = per_file
            .iter()
            .map(|&(n, t)| {
                format!(
                    "×{n}: {:.2}",
                    (t.as_secs_f64() / n as f64) / (t0.as_secs_f64() / first as f64)
                )
            })
            .collect();
        println!(
            "\nIn-memory time per copy of the CRDs, relative to ×{first} (1.00 = linear): {}",
            growth.join(", ")
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

pub fn generation(root: &Path, runs: usize, scales: &[usize]) -> anyhow::Result<()> {
    let scratch = root.join("target/bench/gen-out");
    let _ = std::fs::remove_dir_all(&scratch);
    println!("Generation, median of {runs} runs (generate in memory, then write every file to an empty folder):\n");
    println!("| input | spec files | schemas | files out | load | lower | plan | emit | build + format | in memory | write | total |");
    println!("|---|---|---|---|---|---|---|---|---|---|---|---|");
    let specs = codegen::read_specs_dir(&root.join("specs"))?;
    gen_report("specs/", &specs, None, runs, &scratch)?;
    let mut in_memory = Vec::new();
    for &scale in scales {
        let (files, schemas) = synthetic_at(scale);
        let t = gen_report(
            &format!("synthetic ×{scale}"),
            &files,
            Some(schemas),
            runs,
            &scratch,
        )?;
        in_memory.push((scale, t));
    }
    // How time grows with the input: linear growth keeps time per scale unit constant.
    if let Some(&(first, t0)) = in_memory.first() {
        let growth: Vec<String> = in_memory
            .iter()
            .map(|&(scale, t)| {
                format!(
                    "×{scale}: {:.2}",
                    (t.as_secs_f64() / scale as f64) / (t0.as_secs_f64() / first as f64)
                )
            })
            .collect();
        println!(
            "\nIn-memory time per unit of input, relative to ×{first} (1.00 = linear): {}",
            growth.join(", ")
        );
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}

/// Size of the rlibs whose names start with `prefix` (several crates for ours): the largest
/// file of each crate (an older build may have left another), summed.
fn dir_size_of(dir: &Path, prefix: &str) -> u64 {
    let mut by_crate: std::collections::BTreeMap<String, u64> = Default::default();
    for e in std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
    {
        let n = e.file_name().to_string_lossy().into_owned();
        if !(n.starts_with(prefix) && n.ends_with(".rlib")) {
            continue;
        }
        let name = n
            .rsplit_once('-')
            .map_or(n.as_str(), |(c, _)| c)
            .to_string();
        let len = e.metadata().map(|m| m.len()).unwrap_or(0);
        let max = by_crate.entry(name).or_default();
        *max = (*max).max(len);
    }
    by_crate.values().sum()
}

fn cargo(args: &[&str], dir: &Path, env: &[(&str, &str)]) -> anyhow::Result<Duration> {
    let start = Instant::now();
    let out = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .envs(env.iter().copied())
        .current_dir(dir)
        .output()?;
    if !out.status.success() {
        bail!(
            "cargo {} in {} failed:\n{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    Ok(start.elapsed())
}

/// How the crate alone is rebuilt. Cargo compiles path dependencies (ours, in every scratch
/// crate) incrementally and registry ones (k8s-openapi) not, and a first incremental build
/// also writes its cache: "as cargo does it" is what a path-dependency user waits for,
/// "incremental off" compares the two crates on equal terms (as any registry or git
/// dependency is built).
const MODES: [(&str, &[(&str, &str)]); 2] = [
    ("as cargo does it", &[]),
    ("incremental off", &[("CARGO_INCREMENTAL", "0")]),
];

/// Our packages a scratch crate builds: the facade and the crates of `crates/` its features
/// turn on (`cargo clean -p` refuses a package outside the build), as `cargo tree` lists them.
fn generated_packages(dir: &Path) -> anyhow::Result<Vec<String>> {
    let out = std::process::Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "tree", "--quiet", "--prefix", "none", "-e", "normal", "-f", "{p}",
        ])
        .current_dir(dir)
        .output()
        .context("cargo tree")?;
    if !out.status.success() {
        bail!(
            "cargo tree in {}: {}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let mut names: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n == "generated" || n.starts_with("generated-"))
        .map(str::to_string)
        .collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// One scratch crate of the compile bench: its dependencies, the code naming the type `T`
/// that is measured, and what "the crate alone" is.
struct Config {
    label: String,
    /// `[dependencies]` lines.
    deps: String,
    /// Source before `pub fn size()`: brings some type in as `T`.
    usage: String,
    /// File-name prefix of the rlibs whose size is reported.
    rlib: String,
    /// The packages rebuilt as "the crate alone": ours (`None`: found with `cargo tree`), or
    /// these.
    alone: Option<Vec<String>>,
}

impl Config {
    fn new(label: &str, deps: String, usage: &str, rlib: &str, alone: Option<&str>) -> Config {
        Config {
            label: label.to_string(),
            deps,
            usage: usage.to_string(),
            rlib: rlib.to_string(),
            alone: alone.map(|p| vec![p.to_string()]),
        }
    }
}

/// specs/ as `generated/` has it, three ways, and k8s-openapi (last).
fn our_configs(root: &Path) -> Vec<Config> {
    let generated = root.join("generated");
    let ours = |label: &str, options: &str| {
        Config::new(
            label,
            format!("generated = {{ path = {generated:?}{options} }}"),
            "use generated::authentication_k8s_io::v1::TokenReview as T;",
            "libgenerated",
            None,
        )
    };
    vec![
        ours(
            "generated: authentication_k8s_io_v1 only, no client",
            ", default-features = false, features = [\"authentication_k8s_io_v1\"]",
        ),
        ours(
            "generated: every group, no client",
            ", default-features = false, features = [\"authentication_k8s_io_v1\", \"config_openshift_io_v1\", \"core_v1\"]",
        ),
        ours("generated: default features (every group + client)", ""),
        k8s_openapi_config("use k8s_openapi::api::authentication::v1::TokenReview as T;"),
    ]
}

/// k8s-openapi 0.29 with every group (`latest`), the crate ours are compared with.
fn k8s_openapi_config(usage: &str) -> Config {
    Config::new(
        "k8s-openapi 0.29 (latest), every group",
        "k8s-openapi = { version = \"0.29\", features = [\"latest\"] }".into(),
        usage,
        "libk8s_openapi-",
        Some("k8s-openapi"),
    )
}

/// The 38 versioned Kubernetes 1.35 documents of ../shared/upstream with specs/, generated into
/// `out` as a crate that builds: how many documents, and the output.
fn whole_api_output(root: &Path, out: &Path) -> anyhow::Result<(usize, codegen::Output)> {
    let docs = root.join("../shared/upstream/k8s-openapi-v3");
    let mut specs = codegen::read_specs_dir(&root.join("specs"))?;
    // The versioned documents, not the group discovery one.
    let names: Vec<PathBuf> = spec_paths(&[docs])?
        .into_iter()
        .filter(|p| {
            let n = p.file_name().unwrap_or_default().to_string_lossy();
            n.starts_with("api__v1_") || n.contains("__v")
        })
        .collect();
    for p in &names {
        specs.push(spec_file(p, "")?);
    }
    let output = codegen::generate(&specs, &codegen::Options::default())?;
    write_scratch_output(root, &output, out)?;
    Ok((names.len(), output))
}

/// The whole API generated into `base/out` (`whole_api_output`): every group (models and
/// sans-io requests, no client), `apps_v1` alone (with the core/v1 and autoscaling/v1 types it
/// names), and k8s-openapi (last).
fn whole_api_configs(root: &Path, base: &Path) -> anyhow::Result<Vec<Config>> {
    let out = base.join("out");
    let (documents, output) = whole_api_output(root, &out)?;
    let all: Vec<String> = output
        .groups
        .iter()
        .filter(|g| g.module != "meta::v1")
        .map(|g| format!("\"{}\"", g.module.replace("::", "_")))
        .collect();
    let lines: usize = output.files.files.values().map(|t| t.lines().count()).sum();
    println!(
        "whole API: {documents} documents + specs/, {} group/versions, {lines} lines",
        all.len()
    );
    let dep = |features: &str| {
        format!(
            "generated = {{ path = {out:?}, default-features = false, features = [{features}] }}"
        )
    };
    Ok(vec![
        Config::new(
            &format!("ours: the whole API ({documents} documents + specs/), no client"),
            dep(&all.join(", ")),
            "use generated::apps::v1::Deployment as T;",
            "libgenerated",
            None,
        ),
        Config::new(
            "ours: apps_v1 alone, no client",
            dep("\"apps_v1\""),
            "use generated::apps::v1::Deployment as T;",
            "libgenerated",
            None,
        ),
        k8s_openapi_config("use k8s_openapi::api::apps::v1::Deployment as T;"),
    ])
}

/// A generator output written to `out` as a crate that builds: the emitted files and the
/// hand-written runtime beside them, as `generated/` has it.
fn write_scratch_output(root: &Path, output: &codegen::Output, out: &Path) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(out);
    crate::sync::write(out, &output.files)?;
    for runtime in codegen::HAND_WRITTEN_RUNTIME {
        std::fs::create_dir_all(out.join(runtime))?;
        for e in std::fs::read_dir(root.join("generated").join(runtime))? {
            let p = e?.path();
            std::fs::copy(
                &p,
                out.join(runtime).join(p.file_name().unwrap_or_default()),
            )?;
        }
    }
    Ok(())
}

/// The kube dependency every kube-rs configuration has (kopium's output needs `derive`).
const KUBE: &str = "kube = { version = \"5\", default-features = false, features = [\"client\", \"rustls-tls\", \"ring\", \"derive\"] }\nk8s-openapi = { version = \"0.29\", default-features = false, features = [\"latest\"] }\n";

/// The OpenShift Authentication CRD for kube-rs users, two ways: ours generated in kube-rs
/// mode (models only, and with our client), and kopium's output (last); each crate with kube
/// and k8s-openapi, as a kube-rs application has them.
fn kube_rs_configs(root: &Path, base: &Path) -> anyhow::Result<Vec<Config>> {
    let crd = root.join("specs/config.openshift.io/authentications-Default.crd.yaml");
    let specs = vec![spec_file(&crd, "")?];
    let options = codegen::options_from_settings("codegen.toml", "kube-rs = true\n")?;
    let output = codegen::generate(&specs, &options)?;
    let out = base.join("out");
    write_scratch_output(root, &output, &out)?;
    let kopium = std::env::var("KOPIUM").unwrap_or_else(|_| "kopium".into());
    let printed = Command::new(&kopium)
        .arg("-f")
        .arg(&crd)
        .output()
        .with_context(|| format!("running {kopium} (cargo install kopium; or set KOPIUM)"))?;
    if !printed.status.success() {
        bail!("kopium: {}", String::from_utf8_lossy(&printed.stderr));
    }
    let version = Command::new(&kopium).arg("--version").output()?;
    println!(
        "kube-rs mode vs {}",
        String::from_utf8_lossy(&version.stdout).trim()
    );
    let kopium_source = String::from_utf8(printed.stdout)?;
    let usage =
        "pub fn kind() -> std::borrow::Cow<'static, str> { <T as kube::Resource>::kind(&()) }\n";
    let ours = |features: &str| {
        format!("generated = {{ path = {out:?}, default-features = false, features = [{features}] }}\n{KUBE}")
    };
    Ok(vec![
        Config::new(
            "ours, kube-rs mode: models only",
            ours("\"config_openshift_io_v1\""),
            &format!("use generated::config_openshift_io::v1::Authentication as T;\n{usage}"),
            "libgenerated",
            None,
        ),
        Config::new(
            "ours, kube-rs mode: with our client",
            ours("\"config_openshift_io_v1\", \"client\""),
            &format!("use generated::config_openshift_io::v1::Authentication as T;\n{usage}"),
            "libgenerated",
            None,
        ),
        Config::new(
            "kopium's output",
            format!("{KUBE}schemars = \"1\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"),
            &format!("{kopium_source}\nuse self::Authentication as T;\n{usage}"),
            "libbench_c2",
            Some("bench-c2"),
        ),
    ])
}

/// The real CRDs of ../shared/upstream (`copies` times over, groups renamed per copy), for a
/// kube-rs user two ways: ours generated in kube-rs mode (models only, every group), and
/// kopium's output, one module per CRD, in one crate (last). Prints lines and structs of both.
fn kopium_crds_configs(root: &Path, base: &Path, copies: usize) -> anyhow::Result<Vec<Config>> {
    let files = repeated_crds(&root.join("../shared/upstream"), copies)?;
    let options = codegen::options_from_settings("codegen.toml", "kube-rs = true\n")?;
    let output = codegen::generate(&files, &options)?;
    let out = base.join("out");
    write_scratch_output(root, &output, &out)?;
    let features: Vec<String> = output
        .groups
        .iter()
        .filter(|g| g.module != "meta::v1")
        .map(|g| format!("\"{}\"", g.module.replace("::", "_")))
        .collect();
    let count = |text: &str| (text.lines().count(), text.matches("pub struct ").count());
    let (mut our_lines, mut our_structs) = (0, 0);
    for text in output.files.files.values() {
        let (l, s) = count(text);
        our_lines += l;
        our_structs += s;
    }
    let kopium = std::env::var("KOPIUM").unwrap_or_else(|_| "kopium".into());
    let input = base.join("kopium-in");
    std::fs::create_dir_all(&input)?;
    let mut modules = String::new();
    let mut their_kind = None;
    for (i, f) in files.iter().enumerate() {
        let path = input.join(&f.name);
        std::fs::write(&path, &f.bytes)?;
        let printed = Command::new(&kopium)
            .arg("-f")
            .arg(&path)
            .output()
            .with_context(|| format!("running {kopium} (cargo install kopium; or set KOPIUM)"))?;
        if !printed.status.success() {
            bail!(
                "kopium on {}: {}",
                f.name,
                String::from_utf8_lossy(&printed.stderr)
            );
        }
        let source = String::from_utf8(printed.stdout)?;
        if their_kind.is_none() && f.name.ends_with("_proxies.crd.yaml") {
            their_kind = Some(format!("m{i}::Proxy"));
        }
        modules.push_str(&format!("pub mod m{i} {{\n{source}\n}}\n"));
    }
    let (their_lines, their_structs) = count(&modules);
    println!(
        "{} CRD files: ours (kube-rs mode) {our_lines} lines, {our_structs} structs, {} crates; kopium {their_lines} lines, {their_structs} structs",
        files.len(),
        output.groups.len() + 2,
    );
    let ours_kind = output
        .types
        .iter()
        .find(|(id, _)| *id == "c0.config.openshift.io/v1/Proxy")
        .map(|(_, path)| path.clone())
        .context("no config.openshift.io/v1 Proxy kind in the input")?;
    let their_kind = their_kind.context("no Proxy CRD in the input")?;
    let usage =
        "pub fn kind() -> std::borrow::Cow<'static, str> { <T as kube::Resource>::kind(&()) }\n";
    Ok(vec![
        Config::new(
            &format!("ours, kube-rs mode, {} CRD files: models only", files.len()),
            format!(
                "generated = {{ path = {out:?}, default-features = false, features = [{}] }}\n{KUBE}",
                features.join(", ")
            ),
            &format!("use generated::{ours_kind} as T;\n{usage}"),
            "libgenerated",
            None,
        ),
        Config::new(
            &format!("kopium's output, {} CRD files, one crate", files.len()),
            format!("{KUBE}schemars = \"1\"\nserde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"),
            &format!("{modules}\nuse self::{their_kind} as T;\n{usage}"),
            "libbench_c1",
            Some("bench-c1"),
        ),
    ])
}

/// [`kopium_crds_configs`] built as the other compile benches are, then `cargo check` of each
/// crate alone (after `cargo clean -p`), with the peak resident memory of its largest process.
pub fn compile_kopium_crds(root: &Path, runs: usize, copies: usize) -> anyhow::Result<()> {
    let base = root.join("target/bench/compile-kopium-crds");
    let configs = kopium_crds_configs(root, &base, copies)?;
    run_configs(root, &base, &configs, runs, "kopium")?;
    println!("\n| crate alone | `cargo check` | peak memory (largest process) |\n|---|---|---|");
    for (i, c) in configs.iter().enumerate() {
        let dir = base.join(format!("c{i}"));
        let packages = match &c.alone {
            Some(p) => p.clone(),
            None => generated_packages(&dir)?,
        };
        let mut clean = vec!["clean", "--quiet"];
        for p in &packages {
            clean.extend(["-p", p.as_str()]);
        }
        cargo(&clean, &dir, &[])?;
        let (took, kib) = cargo_peak(&["check", "--quiet"], &dir)?;
        println!(
            "| {} | {:.1} s | {:.2} GB |",
            c.label,
            took.as_secs_f64(),
            kib as f64 * 1024.0 / 1e9
        );
    }
    Ok(())
}

/// `cargo args` under GNU time: the wall time and the largest process's peak resident size
/// (KiB).
fn cargo_peak(args: &[&str], dir: &Path) -> anyhow::Result<(Duration, u64)> {
    let report = dir.join("peak-rss");
    let start = Instant::now();
    let out = Command::new("/usr/bin/time")
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .arg(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args(args)
        .current_dir(dir)
        .output()
        .context("running /usr/bin/time (GNU time)")?;
    let took = start.elapsed();
    if !out.status.success() {
        bail!(
            "cargo {} in {} failed:\n{}",
            args.join(" "),
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let kib = std::fs::read_to_string(&report)?
        .trim()
        .lines()
        .last()
        .unwrap_or("0")
        .parse()
        .context("GNU time's %M")?;
    Ok((took, kib))
}

pub fn compile(root: &Path, runs: usize, whole_api: bool) -> anyhow::Result<()> {
    let (base, configs) = if whole_api {
        let base = root.join("target/bench/compile-whole-api");
        let configs = whole_api_configs(root, &base)?;
        (base, configs)
    } else {
        (root.join("target/bench/compile"), our_configs(root))
    };
    run_configs(root, &base, &configs, runs, "k8s-openapi")
}

/// The compile cost of the OpenShift Authentication CRD for a kube-rs user: ours in kube-rs
/// mode beside kopium's output.
pub fn compile_kube_rs(root: &Path, runs: usize) -> anyhow::Result<()> {
    let base = root.join("target/bench/compile-kube-rs");
    let configs = kube_rs_configs(root, &base)?;
    run_configs(root, &base, &configs, runs, "kopium")
}

/// A scratch crate of its own (`[workspace]`) at `dir`: `deps` as its dependencies, one source
/// file (`src/<name>`), and the workspace's Cargo.lock, so it builds the versions we test with.
fn scratch_crate(
    root: &Path,
    dir: &Path,
    package: &str,
    deps: &str,
    (file, text): (&str, &str),
) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    std::fs::write(
        dir.join("Cargo.toml"),
        format!("[package]\nname = \"{package}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{deps}\n\n[workspace]\n"),
    )?;
    std::fs::write(dir.join("src").join(file), text)?;
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).context("copy Cargo.lock")?;
    Ok(())
}

/// One scratch crate per configuration, each built from clean in its own target folder; then
/// `runs` rounds that rebuild each crate alone (`cargo clean -p` + `cargo build`) in both
/// modes, the configurations taking turns so that the machine's drift hits all of them alike.
/// The last configuration is the one the others are compared with (`theirs`).
fn run_configs(
    root: &Path,
    base: &Path,
    configs: &[Config],
    runs: usize,
    theirs_name: &str,
) -> anyhow::Result<()> {
    let mut full = Vec::new();
    for (i, c) in configs.iter().enumerate() {
        let dir = base.join(format!("c{i}"));
        let _ = std::fs::remove_dir_all(&dir);
        let lib = format!(
            "{}\npub fn size() -> usize {{ std::mem::size_of::<T>() }}\n",
            c.usage
        );
        scratch_crate(
            root,
            &dir,
            &format!("bench-c{i}"),
            &c.deps,
            ("lib.rs", &lib),
        )?;
        full.push(cargo(&["build", "--quiet"], &dir, &[])?);
    }
    // alone[config][mode]: one duration per round.
    let mut alone = vec![vec![Vec::new(); MODES.len()]; configs.len()];
    for _ in 0..runs {
        for (i, c) in configs.iter().enumerate() {
            let dir = base.join(format!("c{i}"));
            // Ours is the facade and one crate per group/version (and the runtime).
            let packages = match &c.alone {
                Some(p) => p.clone(),
                None => generated_packages(&dir)?,
            };
            let mut clean = vec!["clean", "--quiet"];
            for p in &packages {
                clean.extend(["-p", p.as_str()]);
            }
            for (m, (_, env)) in MODES.iter().enumerate() {
                cargo(&clean, &dir, env)?;
                alone[i][m].push(cargo(&["build", "--quiet"], &dir, env)?);
            }
        }
    }
    let secs = |d: Duration| format!("{:.2} s", d.as_secs_f64());
    println!("\nCompile cost, debug profile, each from clean in its own target folder; the crate");
    println!("alone: median of {runs} rebuilds (`cargo clean -p` + `cargo build`):\n");
    println!(
        "| dependency | clean build (with its dependencies) | the crate alone, {} | the crate alone, {} | rlib size |",
        MODES[0].0, MODES[1].0
    );
    println!("|---|---|---|---|---|");
    for (i, c) in configs.iter().enumerate() {
        let size = dir_size_of(&base.join(format!("c{i}/target/debug/deps")), &c.rlib);
        println!(
            "| {} | {:.1} s | {} | {} | {:.1} MiB |",
            c.label,
            full[i].as_secs_f64(),
            secs(median(alone[i][0].clone())),
            secs(median(alone[i][1].clone())),
            size as f64 / (1 << 20) as f64
        );
    }
    // Each of ours against theirs, round by round (each ratio from one round's pair): above 1,
    // theirs took longer.
    let theirs = configs.len() - 1;
    for (c, config) in configs.iter().enumerate().take(theirs) {
        let label = &config.label;
        println!(
            "\n{theirs_name} clean build / {label} clean build: {:.2}x",
            full[theirs].as_secs_f64() / full[c].as_secs_f64()
        );
        for (m, (mode, _)) in MODES.iter().enumerate() {
            let ratios: Vec<String> = (0..runs)
                .map(|r| {
                    format!(
                        "{:.2}x",
                        alone[theirs][m][r].as_secs_f64() / alone[c][m][r].as_secs_f64()
                    )
                })
                .collect();
            println!(
                "{theirs_name} time / {label}, the crate alone, {mode}: {} (medians: {:.2}x)",
                ratios.join(" / "),
                median(alone[theirs][m].clone()).as_secs_f64()
                    / median(alone[c][m].clone()).as_secs_f64()
            );
        }
    }
    Ok(())
}
