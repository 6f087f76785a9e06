//! Generates the code of every model fixture into OUT_DIR so the test build compiles it: a
//! snapshot that does not compile fails here, not in a user's build.

use std::path::Path;

fn main() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/models");
    println!("cargo:rerun-if-changed={}", fixtures.display());
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let out = Path::new(&out_dir).join("fixtures");
    let _ = std::fs::remove_dir_all(&out);
    let mut root = String::new();
    let mut entries: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("fixture name")
            .to_string();
        let spec = codegen::SpecFile {
            name: format!(
                "fixtures/models/{}",
                path.file_name().unwrap().to_string_lossy()
            ),
            bytes: std::fs::read(&path).expect("read fixture"),
        };
        let options = codegen::Options {
            root: format!("crate::fixtures::{stem}"),
            runtime: "::generated::runtime".into(),
            command: "tests/build.rs".into(),
            crate_files: false,
            kube_rs: false,
        };
        let output =
            codegen::generate(&[spec], &options).unwrap_or_else(|e| panic!("fixture {stem}: {e}"));
        for (rel, text) in &output.files.files {
            let p = out.join(&stem).join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, text).unwrap();
        }
        root.push_str(&format!(
            "#[path = {:?}]\npub mod {stem};\n",
            out.join(&stem).join("mod.rs").display().to_string()
        ));
    }
    // Random schemas (fixed seed, so every build compiles the same code): generated and
    // compiled like the fixtures, with a random instance of each to round-trip at run time.
    // RANDOM_SCHEMA_SEED=<n> tries another corpus (CI uses the fixed one).
    println!("cargo:rerun-if-env-changed=RANDOM_SCHEMA_SEED");
    let seed = std::env::var("RANDOM_SCHEMA_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_cafe);
    let (doc, cases) = random::corpus(seed, 24);
    let spec = codegen::SpecFile {
        name: "random.json".into(),
        bytes: serde_json::to_vec(&doc).unwrap(),
    };
    let options = codegen::Options {
        root: "crate::fixtures::random".into(),
        runtime: "::generated::runtime".into(),
        command: "tests/build.rs".into(),
        crate_files: false,
        kube_rs: false,
    };
    let output = codegen::generate(&[spec], &options)
        .unwrap_or_else(|e| panic!("random schemas: {e}\n{doc:#}"));
    for (rel, text) in &output.files.files {
        let p = out.join("random").join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
    }
    root.push_str(&format!(
        "#[path = {:?}]\npub mod random;\n",
        out.join("random").join("mod.rs").display().to_string()
    ));
    std::fs::write(out.join("mod.rs"), root).unwrap();
    let mut checks = String::from("/// Round-trips a random instance of every random schema; returns the failures.\npub fn check_random() -> Vec<String> {\n    let mut failures = Vec::new();\n");
    for (name, instance) in cases {
        checks.push_str(&format!(
            "    if let Err(e) = crate::round_trip_str::<crate::fixtures::random::prop::v1::{name}>({:?}) {{ failures.push(format!(\"{name}: {{e}}\")); }}\n",
            instance.to_string()
        ));
    }
    checks.push_str("    failures\n}\n");
    std::fs::write(out.join("random_checks.rs"), checks).unwrap();
}

/// Random schemas from the constructs the generator supports, and instances of them.
mod random {
    use serde_json::{json, Map, Value};

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            // xorshift64*
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn name(rng: &mut Rng) -> String {
        const FIRST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJ$@";
        const REST: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGH0123456789_.-";
        let mut s = String::new();
        s.push(FIRST[rng.below(FIRST.len() as u64) as usize] as char);
        for _ in 0..rng.below(6) {
            s.push(REST[rng.below(REST.len() as u64) as usize] as char);
        }
        s
    }

    fn schema(rng: &mut Rng, depth: u32, me: &str) -> Value {
        let leaf = depth >= 3 || rng.below(3) == 0;
        if leaf {
            return match rng.below(11) {
                0 => json!({"type": "string"}),
                1 => json!({"type": "string", "format": "byte"}),
                2 => json!({"type": "string", "format": "date-time"}),
                3 => json!({"type": "integer", "format": "int32"}),
                4 => json!({"type": "integer", "enum": [1, 2]}),
                5 => json!({"type": "number"}),
                6 => json!({"type": "boolean", "default": true}),
                7 => json!({"type": "string", "enum": ["a", "b-c", ""]}),
                8 => json!({"x-kubernetes-int-or-string": true}),
                9 => json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true}),
                _ => json!({"$ref": format!("#/components/schemas/io.k8s.api.prop.v1.{me}")}),
            };
        }
        match rng.below(5) {
            0 | 1 => {
                let mut props = Map::new();
                for _ in 0..1 + rng.below(4) {
                    props.insert(name(rng), schema(rng, depth + 1, me));
                }
                let keys: Vec<String> = props.keys().cloned().collect();
                let required: Vec<String> =
                    keys.into_iter().filter(|_| rng.below(3) == 0).collect();
                json!({"type": "object", "properties": props, "required": required})
            }
            2 => json!({"type": "array", "items": schema(rng, depth + 1, me)}),
            3 => json!({"type": "object", "additionalProperties": schema(rng, depth + 1, me)}),
            _ => json!({"allOf": [schema(rng, depth + 1, me)], "nullable": true}),
        }
    }

    /// An instance of `s`; `None` where no finite instance exists (a required self-reference
    /// too deep).
    fn instance(
        rng: &mut Rng,
        s: &Value,
        schemas: &Map<String, Value>,
        depth: u32,
    ) -> Option<Value> {
        if let Some(r) = s.get("$ref").and_then(Value::as_str) {
            if depth > 4 {
                return None;
            }
            let target = &schemas[r.trim_start_matches("#/components/schemas/")];
            return instance(rng, target, schemas, depth + 1);
        }
        if let Some(inner) = s.get("allOf").and_then(|a| a.get(0)) {
            return instance(rng, inner, schemas, depth);
        }
        if s.get("x-kubernetes-int-or-string").is_some() {
            return Some(if rng.below(2) == 0 {
                json!(7)
            } else {
                json!("50%")
            });
        }
        if s.get("x-kubernetes-preserve-unknown-fields").is_some() {
            return Some(json!({"free": [1, "two", {"three": null}]}));
        }
        if let Some(values) = s.get("enum").and_then(Value::as_array) {
            return Some(values[rng.below(values.len() as u64) as usize].clone());
        }
        Some(
            match (
                s.get("type").and_then(Value::as_str),
                s.get("format").and_then(Value::as_str),
            ) {
                (Some("string"), Some("byte")) => json!("aGVsbG8="),
                (Some("string"), Some("date-time")) => json!("2024-02-29T12:34:56Z"),
                (Some("string"), _) => json!(format!("s{}", rng.below(100))),
                (Some("integer"), _) => json!(rng.below(1000) as i64 - 500),
                (Some("number"), _) => json!(0.25),
                (Some("boolean"), _) => json!(rng.below(2) == 0),
                (Some("array"), _) => {
                    let items = &s["items"];
                    Value::Array(
                        (0..rng.below(3))
                            .filter_map(|_| instance(rng, items, schemas, depth + 1))
                            .collect(),
                    )
                }
                (Some("object"), _) if s.get("additionalProperties").is_some() => {
                    let v = &s["additionalProperties"];
                    let mut m = Map::new();
                    for i in 0..rng.below(3) {
                        if let Some(x) = instance(rng, v, schemas, depth + 1) {
                            m.insert(format!("k{i}"), x);
                        }
                    }
                    Value::Object(m)
                }
                (Some("object"), _) => {
                    let required: Vec<&str> = s["required"]
                        .as_array()
                        .map(|r| r.iter().filter_map(Value::as_str).collect())
                        .unwrap_or_default();
                    let mut m = Map::new();
                    for (k, v) in s["properties"].as_object().into_iter().flatten() {
                        let must = required.contains(&k.as_str()) || v.get("default").is_some();
                        if must || rng.below(2) == 0 {
                            match instance(rng, v, schemas, depth + 1) {
                                Some(x) => {
                                    m.insert(k.clone(), x);
                                }
                                None if must => return None,
                                None => {}
                            }
                        }
                    }
                    Value::Object(m)
                }
                _ => return None,
            },
        )
    }

    /// `count` root schemas `R0…` (each an object, so a type of its own) and an instance of
    /// each that has one.
    pub fn corpus(seed: u64, count: usize) -> (Value, Vec<(String, Value)>) {
        let mut rng = Rng(seed);
        let mut schemas = Map::new();
        for i in 0..count {
            let me = format!("R{i}");
            let mut props = Map::new();
            for _ in 0..1 + rng.below(4) {
                props.insert(name(&mut rng), schema(&mut rng, 1, &me));
            }
            schemas.insert(
                format!("io.k8s.api.prop.v1.{me}"),
                json!({"type": "object", "properties": props}),
            );
        }
        let mut cases = Vec::new();
        for i in 0..count {
            let me = format!("R{i}");
            if let Some(v) = instance(
                &mut rng,
                &schemas[&format!("io.k8s.api.prop.v1.{me}")],
                &schemas,
                0,
            ) {
                cases.push((me, v));
            }
        }
        let doc = json!({"openapi": "3.0.0", "info": {"title": "random", "version": "v1"}, "paths": {}, "components": {"schemas": schemas}});
        (doc, cases)
    }
}
