//! `cargo xtask bench`: generation time (on specs/ and on synthetic inputs of growing size,
//! stage by stage) and the compile cost of what users depend on, beside k8s-openapi.
//! Medians of several runs in one process; no thresholds (this machine is noisy).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};

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

fn dir_size_of(dir: &Path, prefix: &str) -> u64 {
    std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.starts_with(prefix) && n.ends_with(".rlib")
                })
                .filter_map(|e| e.metadata().ok().map(|m| m.len()))
                .max()
                .unwrap_or(0)
        })
        .unwrap_or(0)
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

/// One scratch crate per configuration, each built from clean in its own target folder; then
/// `runs` rounds that rebuild each crate alone (`cargo clean -p` + `cargo build`) in both
/// modes, the configurations taking turns so that the machine's drift hits all of them alike.
pub fn compile(root: &Path, runs: usize) -> anyhow::Result<()> {
    let base = root.join("target/bench/compile");
    let generated = root.join("generated");
    let configs: Vec<(&str, String, &str, &str)> = vec![
        (
            "generated: authentication_k8s_io_v1 only, no client",
            format!("generated = {{ path = {:?}, default-features = false, features = [\"authentication_k8s_io_v1\"] }}", generated),
            "use generated::authentication_k8s_io::v1::TokenReview as T;",
            "libgenerated-",
        ),
        (
            "generated: every group, no client",
            format!("generated = {{ path = {:?}, default-features = false, features = [\"authentication_k8s_io_v1\", \"config_openshift_io_v1\", \"core_v1\"] }}", generated),
            "use generated::authentication_k8s_io::v1::TokenReview as T;",
            "libgenerated-",
        ),
        (
            "generated: default features (every group + client)",
            format!("generated = {{ path = {:?} }}", generated),
            "use generated::authentication_k8s_io::v1::TokenReview as T;",
            "libgenerated-",
        ),
        (
            "k8s-openapi 0.29 (latest), every group",
            "k8s-openapi = { version = \"0.29\", features = [\"latest\"] }".to_string(),
            "use k8s_openapi::api::authentication::v1::TokenReview as T;",
            "libk8s_openapi-",
        ),
    ];
    let mut full = Vec::new();
    for (i, (_, dep, usage, _)) in configs.iter().enumerate() {
        let dir = base.join(format!("c{i}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("src"))?;
        std::fs::write(dir.join("Cargo.toml"), format!("[package]\nname = \"bench-c{i}\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\n{dep}\n\n[workspace]\n"))?;
        std::fs::write(
            dir.join("src/lib.rs"),
            format!("{usage}\npub fn size() -> usize {{ std::mem::size_of::<T>() }}\n"),
        )?;
        std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock"))
            .context("copy Cargo.lock")?;
        full.push(cargo(&["build", "--quiet"], &dir, &[])?);
    }
    // alone[config][mode]: one duration per round.
    let mut alone = vec![vec![Vec::new(); MODES.len()]; configs.len()];
    for _ in 0..runs {
        for (i, (_, _, _, rlib)) in configs.iter().enumerate() {
            let dir = base.join(format!("c{i}"));
            let krate = if rlib.starts_with("libgenerated") {
                "generated"
            } else {
                "k8s-openapi"
            };
            for (m, (_, env)) in MODES.iter().enumerate() {
                cargo(&["clean", "--quiet", "-p", krate], &dir, env)?;
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
    for (i, (label, _, _, rlib)) in configs.iter().enumerate() {
        let size = dir_size_of(&base.join(format!("c{i}/target/debug/deps")), rlib);
        println!(
            "| {label} | {:.1} s | {} | {} | {:.1} MiB |",
            full[i].as_secs_f64(),
            secs(median(alone[i][0].clone())),
            secs(median(alone[i][1].clone())),
            size as f64 / (1 << 20) as f64
        );
    }
    // One group against k8s-openapi, round by round (each ratio from one round's pair).
    let theirs = configs.len() - 1;
    for (m, (mode, _)) in MODES.iter().enumerate() {
        let ratios: Vec<String> = (0..runs)
            .map(|r| {
                format!(
                    "{:.1}x",
                    alone[theirs][m][r].as_secs_f64() / alone[0][m][r].as_secs_f64()
                )
            })
            .collect();
        println!(
            "\nOne group vs k8s-openapi, the crate alone, {mode}: {} (medians: {:.1}x)",
            ratios.join(" / "),
            median(alone[theirs][m].clone()).as_secs_f64()
                / median(alone[0][m].clone()).as_secs_f64()
        );
    }
    Ok(())
}
