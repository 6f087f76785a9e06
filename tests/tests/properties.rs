//! Property tests: the generator never panics. Random mutations of the real spec files either
//! generate or give an error; random well-formed schemas generate code that parses as Rust.

use proptest::prelude::*;

fn specs() -> Vec<codegen::SpecFile> {
    codegen::read_specs_dir(&tests::workspace().join("specs")).unwrap()
}

fn generate(files: &[codegen::SpecFile]) -> Result<codegen::Output, codegen::Error> {
    codegen::generate(files, &codegen::Options::default())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    /// Flip, insert or delete bytes anywhere in one real spec file.
    #[test]
    fn mutated_real_specs_never_panic(which in 0usize..3, edits in proptest::collection::vec((any::<usize>(), any::<u8>(), 0u8..3), 1..8)) {
        let mut files = specs();
        let f = &mut files[which % 3];
        for (pos, byte, op) in edits {
            let len = f.bytes.len().max(1);
            let at = pos % len;
            match op {
                0 if !f.bytes.is_empty() => f.bytes[at] = byte,
                1 => f.bytes.insert(at.min(f.bytes.len()), byte),
                _ if !f.bytes.is_empty() => { f.bytes.remove(at); }
                _ => {}
            }
        }
        // Ok or a clear error naming a spec file (not an internal one); a panic fails the test.
        if let Err(e) = generate(&files) {
            let msg = e.to_string();
            prop_assert!(files.iter().any(|f| msg.contains(&f.name)), "names no spec file: {msg}");
            prop_assert!(!msg.contains("internal error"), "{msg}");
        }
    }

    /// Random schemas built from the constructs the generator supports.
    #[test]
    fn random_schemas_generate_rust_that_parses(schema in schema_strategy()) {
        let doc = serde_json::json!({
            "openapi": "3.0.0", "info": {"title": "p", "version": "v1"}, "paths": {},
            "components": {"schemas": {"io.k8s.api.prop.v1.Root": schema}}
        });
        let files = vec![codegen::SpecFile { name: "p.json".into(), bytes: serde_json::to_vec(&doc).unwrap() }];
        match generate(&files) {
            Ok(out) => {
                for (path, text) in &out.files.files {
                    if path.ends_with(".rs") {
                        prop_assert!(syn::parse_file(text).is_ok(), "{path} does not parse:\n{text}");
                    }
                }
            }
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.contains("p.json") && !msg.contains("internal error"), "{msg}");
            }
        }
    }
}

fn leaf() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::json;
    prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "string", "format": "byte"})),
        Just(json!({"type": "string", "format": "date-time"})),
        Just(json!({"type": "integer", "format": "int32"})),
        Just(json!({"type": "integer", "enum": [1, 2]})),
        Just(json!({"type": "number"})),
        Just(json!({"type": "boolean", "default": true})),
        Just(json!({"type": "string", "enum": ["a", "b-c", ""]})),
        Just(json!({"x-kubernetes-int-or-string": true})),
        Just(json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true})),
        Just(json!({"$ref": "#/components/schemas/io.k8s.api.prop.v1.Root"})),
    ]
}

fn schema_strategy() -> impl Strategy<Value = serde_json::Value> {
    leaf().prop_recursive(4, 32, 6, |inner| {
        use serde_json::json;
        prop_oneof![
            proptest::collection::btree_map("[a-zA-Z$@][a-zA-Z0-9_.-]{0,6}", inner.clone(), 1..5)
                .prop_map(|props| json!({"type": "object", "properties": props})),
            inner
                .clone()
                .prop_map(|i| json!({"type": "array", "items": i})),
            inner
                .clone()
                .prop_map(|i| json!({"type": "object", "additionalProperties": i})),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(|v| json!({"oneOf": v})),
            inner.prop_map(|i| json!({"allOf": [i], "nullable": true})),
        ]
    })
}

/// Random schemas with a fixed seed, generated and compiled by build.rs, each with a random
/// instance that must round-trip through its generated type to the same JSON.
#[test]
fn random_schemas_compile_and_round_trip_an_instance() {
    let failures = tests::check_random();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
