//! Kubernetes code generator: OpenAPI v3 group documents and CustomResourceDefinitions in,
//! Rust source files out.
//!
//! The pipeline is `load → lower (IR) → plan (names, then layout) → emit → format`. This crate never writes to
//! disk: [`generate`] returns a [`FileSet`] and the caller (the `xtask` binary, or a test)
//! decides what to do with it.

mod dedup;
mod emit;
mod error;
mod fileset;
mod fixups;
mod interop;
mod ir;
mod layout;
mod load;
mod lower;
mod names;
mod par;
mod plan;
mod query_values;
mod sensitive;
mod settings;
mod validate;
mod view;
mod work;

pub use error::{Error, Location};
pub use fileset::{Changes, FileSet};
pub use fixups::strip_descriptions;
pub use layout::HAND_WRITTEN_RUNTIME;
pub use load::{read_specs_dir, Skipped, SpecFile, MAX_SPEC_BYTES};
pub use settings::{options_from_settings, read_settings, SETTINGS_FILE};

/// How the emitted code refers to itself and to the hand-written runtime.
#[derive(Clone, Debug)]
pub struct Options {
    /// Path of the module that holds the generated group modules (`crate` for the
    /// `generated` crate itself).
    pub root: String,
    /// Path of the hand-written runtime module (`crate::runtime` in the `generated` crate).
    pub runtime: String,
    /// The command named in every emitted file's header line.
    pub command: String,
    /// Also emit the crate scaffolding (`lib.rs` and `Cargo.toml`), as for `generated/`.
    pub crate_files: bool,
    /// kube-rs mode: every kind implements k8s-openapi's `Resource` and `Metadata` (so
    /// `kube::Api<K>`, kube-runtime's watcher and Controller take it) and meta/v1 ObjectMeta
    /// is k8s-openapi's. The crates then depend on k8s-openapi, without a version feature.
    pub kube_rs: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            root: "crate".into(),
            runtime: "crate::runtime".into(),
            command: "cargo xtask codegen".into(),
            crate_files: true,
            kube_rs: false,
        }
    }
}

/// Summary of one group/version, for progress output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupSummary {
    /// Module path, e.g. `authentication_k8s_io::v1`.
    pub module: String,
    /// Number of Rust types emitted for it.
    pub types: usize,
    /// Number of operations (client methods) emitted for it.
    pub operations: usize,
}

/// Where the time of one run went, stage by stage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Timings {
    /// Parsing the spec files.
    pub load: std::time::Duration,
    /// Lowering both front ends into the IR.
    pub lower: std::time::Duration,
    /// Planning names, defaults and boxes.
    pub plan: std::time::Duration,
    /// Building token streams.
    pub emit: std::time::Duration,
    /// syn + prettyplease.
    pub format: std::time::Duration,
}

/// The output of one run: the files, and what they contain.
#[derive(Debug)]
pub struct Output {
    /// Path (relative to the output crate's root) to file contents.
    pub files: FileSet,
    /// One entry per group/version module.
    pub groups: Vec<GroupSummary>,
    /// Where each named schema went: its id (the OpenAPI schema name, or `group/version/Kind`
    /// for a CRD kind) to the Rust path of its type below the crate root
    /// (`io.k8s.api.apps.v1.Deployment` → `apps::v1::Deployment`).
    pub types: std::collections::BTreeMap<String, String>,
    /// Time spent per stage.
    pub timings: Timings,
    /// Objects of other kinds that files of CRDs hold beside them, not read.
    pub skipped: Vec<Skipped>,
}

/// Runs the whole pipeline over already-read spec files.
pub fn generate(specs: &[SpecFile], options: &Options) -> Result<Output, Error> {
    // Same specs in, same bytes out, whatever order the caller read them in.
    let mut sorted: Vec<&SpecFile> = specs.iter().collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    let t0 = std::time::Instant::now();
    let (sources, skipped) = load::parse_all(&sorted)?;
    let t1 = std::time::Instant::now();
    let mut api = lower::lower(&sources, options.crate_files)?;
    let t2 = std::time::Instant::now();
    let api = std::thread::scope(|s| {
        // Nothing reads the parsed documents after lowering, nor the nested types merged
        // away, and freeing them takes a while: another core does it while this one plans.
        s.spawn(move || drop(sources));
        // Passes over the lowered IR, which change its shape; then the plan stage, whose
        // output (the planned IR, then the layout) only ever is read.
        let merged = dedup::merge_identical(&mut api);
        s.spawn(move || drop(merged));
        if options.kube_rs {
            interop::apply(&mut api);
        }
        plan::plan(api)
    })?;
    let layout = layout::plan(&api, options)?;
    let t3 = std::time::Instant::now();
    let mut out = emit::emit(&api, &layout, options)?;
    out.timings.load = t1 - t0;
    out.timings.lower = t2 - t1;
    out.timings.plan = t3 - t2;
    out.skipped = skipped;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A caller's bad option is its own error, not a spec file's.
    #[test]
    fn unusable_options_are_options_errors() {
        let spec = SpecFile {
            name: "a.json".into(),
            bytes: br#"{"openapi": "3.0.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#
                .to_vec(),
        };
        let options = Options {
            runtime: "not a path!".into(),
            ..Options::default()
        };
        let err = generate(&[spec], &options).unwrap_err();
        assert!(
            matches!(&err, Error::Options(m) if m.contains("not a path!")),
            "{err}"
        );
    }
}
