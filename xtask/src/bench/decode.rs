//! Decoding and encoding speed of the whole API's models beside k8s-openapi's, on Kubernetes'
//! own fixtures (`xtask bench --only decode`): one release program per side reads the
//! fixtures `n` times; instructions are counted by callgrind when valgrind is installed (exact,
//! where times on this shared machine drift), and wall times are taken in turns.

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context as _;

/// The fixtures (every field set) and the type each decodes into, ours and k8s-openapi's.
const FIXTURES: [(&str, &str, &str); 2] = [
    (
        "apps.v1.Deployment.json",
        "generated::apps::v1::Deployment",
        "k8s_openapi::api::apps::v1::Deployment",
    ),
    (
        "core.v1.Pod.json",
        "generated::core::v1::Pod",
        "k8s_openapi::api::core::v1::Pod",
    ),
];

/// Reads every fixture `n` times (argument 1); with `encode` (argument 2) writes each back too.
fn program(fixtures: &Path, ours: bool) -> String {
    let mut body = String::new();
    for (i, (file, our_type, their_type)) in FIXTURES.iter().enumerate() {
        let ty = if ours { our_type } else { their_type };
        let path = fixtures.join(file);
        body += &format!(
            "    let text{i} = std::fs::read_to_string({path:?}).expect({file:?});\n    let mut last{i}: Option<{ty}> = None;\n"
        );
    }
    body += "    for _ in 0..n {\n";
    for i in 0..FIXTURES.len() {
        body += &format!(
            "        let v = serde_json::from_str(&text{i}).expect(\"decode\");\n        if encode {{ total += serde_json::to_string(&v).expect(\"encode\").len(); }}\n        last{i} = Some(std::hint::black_box(v));\n"
        );
    }
    body += "    }\n";
    for i in 0..FIXTURES.len() {
        body += &format!("    total += last{i}.is_some() as usize;\n");
    }
    format!(
        "fn main() {{\n    let mut args = std::env::args().skip(1);\n    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(200);\n    let encode = args.next().as_deref() == Some(\"encode\");\n    let mut total = 0usize;\n{body}    println!(\"{{total}}\");\n}}\n"
    )
}

/// Instructions of one run under callgrind, or `None` without valgrind.
fn instructions(exe: &Path, args: &[&str]) -> Option<u64> {
    let out = std::process::Command::new("valgrind")
        .args(["--tool=callgrind", "--callgrind-out-file=/dev/null"])
        .arg(exe)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&out.stderr);
    let line = text.lines().find(|l| l.contains("Collected :"))?;
    line.rsplit(' ').next()?.parse().ok()
}

fn wall(exe: &Path, args: &[&str]) -> anyhow::Result<Duration> {
    let t = Instant::now();
    let status = std::process::Command::new(exe).args(args).output()?.status;
    anyhow::ensure!(status.success(), "{} failed", exe.display());
    Ok(t.elapsed())
}

pub fn decode(root: &Path, runs: usize) -> anyhow::Result<()> {
    let base = root.join("target/bench/decode");
    let out = base.join("out");
    let (documents, _) = super::whole_api_output(root, &out)?;
    let fixtures = root.join("../shared/upstream/k8s-testdata");
    let sides = [
        ("ours", format!("generated = {{ path = {out:?}, default-features = false, features = [\"apps_v1\", \"core_v1\"] }}"), true),
        ("k8s-openapi 0.29", "k8s-openapi = { version = \"0.29\", features = [\"latest\"] }".to_string(), false),
    ];
    let mut exes = Vec::new();
    for (i, (name, dep, ours)) in sides.iter().enumerate() {
        let dir = base.join(format!("p{i}"));
        super::scratch_crate(
            root,
            &dir,
            &format!("decode-p{i}"),
            &format!("{dep}\nserde_json = \"1\""),
            ("main.rs", &program(&fixtures, *ours)),
        )?;
        super::cargo(&["build", "--release", "--quiet"], &dir, &[])
            .with_context(|| format!("building the {name} program"))?;
        exes.push(dir.join(format!("target/release/decode-p{i}")));
    }
    println!(
        "\nDecoding (and encoding) {} with the whole API ({documents} documents + specs/) beside k8s-openapi, release:\n",
        FIXTURES.map(|f| f.0).join(" and ")
    );
    println!("| program | decode x200, instructions | decode + encode x200, instructions | decode x5000, wall (median of {runs}) | decode + encode x5000, wall |");
    println!("|---|---|---|---|---|");
    let mut walls = vec![[Vec::new(), Vec::new()]; exes.len()];
    for _ in 0..runs {
        for (i, exe) in exes.iter().enumerate() {
            walls[i][0].push(wall(exe, &["5000"])?);
            walls[i][1].push(wall(exe, &["5000", "encode"])?);
        }
    }
    for (i, exe) in exes.iter().enumerate() {
        let count = |args: &[&str]| {
            instructions(exe, args).map_or("(no valgrind)".to_string(), |n| {
                format!("{:.1} M", n as f64 / 1e6)
            })
        };
        let [d, e] = std::mem::take(&mut walls[i]);
        println!(
            "| {} | {} | {} | {:.3} s | {:.3} s |",
            sides[i].0,
            count(&["200"]),
            count(&["200", "encode"]),
            super::median(d).as_secs_f64(),
            super::median(e).as_secs_f64(),
        );
    }
    Ok(())
}
