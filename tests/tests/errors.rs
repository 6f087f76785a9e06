//! Bad spec files give an error naming the file, the place in it and what is wrong.

fn spec(name: &str) -> codegen::SpecFile {
    let path = tests::workspace().join("tests/fixtures/bad").join(name);
    codegen::SpecFile {
        name: format!("bad/{name}"),
        bytes: std::fs::read(path).unwrap(),
    }
}

fn error_of(files: &[codegen::SpecFile]) -> String {
    match codegen::generate(files, &codegen::Options::default()) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e.to_string(),
    }
}

#[track_caller]
fn assert_mentions(msg: &str, parts: &[&str]) {
    for p in parts {
        assert!(msg.contains(p), "error {msg:?} does not mention {p:?}");
    }
}

#[test]
fn catalogue() {
    let cases: &[(&str, &[&str])] = &[
        ("invalid_json.json", &["bad/invalid_json.json:3:", "invalid JSON"]),
        ("invalid_yaml.yaml", &["bad/invalid_yaml.yaml:", "invalid YAML"]),
        ("empty.yaml", &["bad/empty.yaml", "empty"]),
        ("not_utf8.json", &["bad/not_utf8.json", "not UTF-8", "offset 0"]),
        ("swagger2.json", &["bad/swagger2.json at #/swagger", "2.0 is not supported"]),
        ("openapi31.json", &["bad/openapi31.json at #/openapi", "3.1.0", "not supported"]),
        ("unresolved_ref.yaml", &["bad/unresolved_ref.yaml at #/components/schemas/io.k8s.api.example.v1.A/properties/b", "unresolved $ref", "io.k8s.api.example.v1.Missing"]),
        ("unknown_type.yaml", &["bad/unknown_type.yaml at #/components/schemas/io.k8s.api.example.v1.A/properties/b/type", "unknown type `strnig`"]),
        ("crd_without_names.yaml", &["bad/crd_without_names.yaml at #/spec", "missing field `names`"]),
        ("crd_without_schema.yaml", &["bad/crd_without_schema.yaml at #/spec/versions/0/schema", "no schema.openAPIV3Schema"]),
        ("nested_name_collision.yaml", &["bad/nested_name_collision.yaml#/components/schemas/io.k8s.api.example.v1.A/properties/foo", "bad/nested_name_collision.yaml#/components/schemas/io.k8s.api.example.v1.AFoo", "`AFoo`"]),
        ("not_a_spec.yaml", &["bad/not_a_spec.yaml", "neither an OpenAPI v3 document"]),
        ("openapi_v3_index.json", &["bad/openapi_v3_index.json at #/paths", "OpenAPI v3 index", "cargo xtask fetch"]),
        ("empty_list.yaml", &["bad/empty_list.yaml", "List has no items"]),
        ("openapi_bad_parameter.yaml", &["bad/openapi_bad_parameter.yaml at #/paths/~1apis~1example.com~1v1~1widgets/parameters/1:", "invalid type: integer `0`"]),
        ("openapi_bad_operation_parameter.yaml", &["bad/openapi_bad_operation_parameter.yaml at #/paths/~1apis~1example.com~1v1~1widgets/get/parameters/0:", "invalid type: boolean `true`"]),
        ("kustomize_patch.yaml", &["bad/kustomize_patch.yaml at #/spec", "missing field `group`", "a kustomize patch?"]),
        ("helm_template.yaml", &["bad/helm_template.yaml:1:", "invalid YAML", "a Helm template?", "helm template"]),
        ("crd_without_group.yaml", &["bad/crd_without_group.yaml at #/spec", "missing field `group`"]),
        ("crd_without_plural.yaml", &["bad/crd_without_plural.yaml at #/spec/names", "missing field `plural`"]),
        ("crd_without_versions.yaml", &["bad/crd_without_versions.yaml at #/spec/versions", "no versions"]),
        ("two_crds_one_kind.yaml", &["bad/two_crds_one_kind.yaml (document 1)#", "bad/two_crds_one_kind.yaml (document 2)#", "both define the kind example.com/v1/A"]),
        ("cyclic_alias.yaml", &["bad/cyclic_alias.yaml at #/components/schemas/io.k8s.api.example.v1.A", "`$ref` cycle", "io.k8s.api.example.v1.B"]),
        ("garbage.yaml", &["bad/garbage.yaml", "not UTF-8"]),
        // Names the API server would refuse, which go into request paths and module names.
        ("crd_plural_escapes_path.yaml", &["bad/crd_plural_escapes_path.yaml at #/spec/names/plural", "`../../../api/v1/secrets`", "DNS-1035 label"]),
        ("crd_group_not_a_domain.yaml", &["bad/crd_group_not_a_domain.yaml at #/spec/group", "`Example_Com/x`", "DNS-1123 subdomain"]),
        ("crd_version_not_a_label.yaml", &["bad/crd_version_not_a_label.yaml at #/spec/versions/0/name", "`v1/../v2`", "DNS-1035 label"]),
        ("crd_kind_not_a_name.yaml", &["bad/crd_kind_not_a_name.yaml at #/spec/names/kind", "`Widget{}`", "letters, digits"]),
        ("openapi_path_escapes.yaml", &["bad/openapi_path_escapes.yaml at #/paths/~1apis~1example.com~1v1~1..~1..~1..~1api~1v1~1secrets", "path segment `..`"]),
        ("openapi_group_runtime.yaml", &["bad/openapi_group_runtime.yaml at #/components/schemas/io.k8s.api.runtime.v1.Thing", "API group `runtime`", "module `runtime`"]),
    ];
    for (file, parts) in cases {
        assert_mentions(&error_of(&[spec(file)]), parts);
    }
}

#[test]
fn same_schema_with_different_shapes_in_two_files_names_both() {
    let a = codegen::SpecFile {
        name: "a.yaml".into(),
        bytes: b"openapi: 3.0.0\ninfo: {title: x, version: v1}\npaths: {}\ncomponents:\n  schemas:\n    io.k8s.api.example.v1.A: {type: object, description: one, properties: {x: {type: string}}}\n".to_vec(),
    };
    let same = codegen::SpecFile {
        name: "b.yaml".into(),
        bytes: String::from_utf8(a.bytes.clone())
            .unwrap()
            .replace("one", "other words")
            .into_bytes(),
    };
    // Descriptions may differ: same structure is the same type.
    assert!(codegen::generate(&[a.clone(), same], &codegen::Options::default()).is_ok());
    let different = codegen::SpecFile {
        name: "c.yaml".into(),
        bytes: String::from_utf8(a.bytes.clone())
            .unwrap()
            .replace("type: string", "type: integer")
            .into_bytes(),
    };
    assert_mentions(
        &error_of(&[a, different]),
        &[
            "a.yaml#/components/schemas/io.k8s.api.example.v1.A",
            "c.yaml#/components/schemas/io.k8s.api.example.v1.A",
            "different shapes",
        ],
    );
}

#[test]
fn alias_bomb_is_refused_not_expanded() {
    let mut y = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (i, prev) in ('b'..='i').zip('a'..='h') {
        y.push_str(&format!(
            "{i}: &{i} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let msg = error_of(&[codegen::SpecFile {
        name: "bomb.yaml".into(),
        bytes: y.into_bytes(),
    }]);
    assert_mentions(&msg, &["bomb.yaml", "invalid YAML", "repetition limit"]);
}

/// One anchor used many times side by side (no nesting, so the parser's limit on aliases
/// followed does not stop it): 600 KB of text naming a 10 KB anchor 200,000 times would be
/// 2 GB. Refused while it is being built, by the size it has reached, not by time.
#[test]
fn flat_alias_repetition_is_refused_before_it_expands() {
    let anchor = format!(
        "[{}]",
        vec![format!("\"{}\"", "x".repeat(1000)); 10].join(",")
    );
    let uses = vec!["*a"; 200_000].join(",");
    let msg = error_of(&[codegen::SpecFile {
        name: "flat.yaml".into(),
        bytes: format!("a: &a {anchor}\nb: [{uses}]\n").into_bytes(),
    }]);
    assert_mentions(&msg, &["flat.yaml", "YAML aliases expand this document"]);
    // A few uses of an anchor are fine.
    let uses = ["*a"; 5].join(",");
    let msg = error_of(&[codegen::SpecFile {
        name: "few.yaml".into(),
        bytes: format!("a: &a {anchor}\nb: [{uses}]\n").into_bytes(),
    }]);
    assert_mentions(&msg, &["few.yaml", "neither an OpenAPI v3 document"]);
}

#[test]
fn a_reference_into_a_missing_document_is_a_clear_error() {
    let apps = codegen::SpecFile {
        name: "specs/apps/v1.yaml".into(),
        bytes: b"openapi: 3.0.0\ninfo: {title: x, version: v1}\npaths: {}\ncomponents:\n  schemas:\n    io.k8s.api.apps.v1.DeploymentSpec:\n      type: object\n      properties:\n        template: {allOf: [{$ref: '#/components/schemas/io.k8s.api.core.v1.PodTemplateSpec'}], default: {}}\n".to_vec(),
    };
    assert_mentions(
        &error_of(&[apps]),
        &["specs/apps/v1.yaml at #/components/schemas/io.k8s.api.apps.v1.DeploymentSpec/properties/template", "no spec file defines schema `io.k8s.api.core.v1.PodTemplateSpec`"],
    );
}

#[test]
fn nesting_thousands_of_levels_deep_is_an_error_not_a_stack_overflow() {
    let depth = 20_000;
    let json = format!(
        "{}{}",
        "{\"a\":".repeat(depth),
        "1".to_string() + &"}".repeat(depth)
    );
    let msg = error_of(&[codegen::SpecFile {
        name: "deep.json".into(),
        bytes: json.into_bytes(),
    }]);
    assert_mentions(&msg, &["deep.json:1:", "recursion limit"]);
    let yaml = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let msg = error_of(&[codegen::SpecFile {
        name: "deep.yaml".into(),
        bytes: yaml.into_bytes(),
    }]);
    assert_mentions(&msg, &["deep.yaml", "invalid YAML"]);
    // Deep but legal schemas (40 nested objects, as deep as real CRDs go and more) still
    // generate; the parsers' limit is 128 levels of JSON/YAML nesting (two per schema level).
    let mut schema = String::from("{\"type\": \"string\"}");
    for _ in 0..40 {
        schema = format!("{{\"type\": \"object\", \"properties\": {{\"n\": {schema}}}}}");
    }
    let doc = format!("{{\"openapi\": \"3.0.0\", \"info\": {{\"title\": \"x\", \"version\": \"v1\"}}, \"paths\": {{}}, \"components\": {{\"schemas\": {{\"io.k8s.api.example.v1.Deep\": {schema}}}}}}}");
    let out = codegen::generate(
        &[codegen::SpecFile {
            name: "ok.json".into(),
            bytes: doc.into_bytes(),
        }],
        &codegen::Options::default(),
    );
    assert!(out.is_ok(), "{:?}", out.err());
}

#[test]
fn a_50_mb_document_is_read_and_a_larger_than_allowed_one_refused() {
    let doc = "{\"openapi\": \"3.0.0\", \"info\": {\"title\": \"x\", \"version\": \"v1\"}, \"paths\": {}, \"components\": {\"schemas\": {\"io.k8s.api.example.v1.A\": {\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}}}}}";
    // 50 MB, mostly insignificant whitespace: memory stays proportional to the file.
    let mut bytes = vec![b' '; 50 << 20];
    bytes.extend_from_slice(doc.as_bytes());
    let out = codegen::generate(
        &[codegen::SpecFile {
            name: "big.json".into(),
            bytes,
        }],
        &codegen::Options::default(),
    );
    assert!(out.is_ok(), "{:?}", out.err());
    let bytes = vec![b' '; codegen::MAX_SPEC_BYTES + 1];
    assert_mentions(
        &error_of(&[codegen::SpecFile {
            name: "huge.json".into(),
            bytes,
        }]),
        &["huge.json", "more than the limit"],
    );
}

#[test]
fn a_property_named_description_is_shape_not_prose() {
    let doc = |ty: &str| {
        codegen::SpecFile {
        name: format!("{ty}.yaml"),
        bytes: format!("openapi: 3.0.0\ninfo: {{title: x, version: v1}}\npaths: {{}}\ncomponents:\n  schemas:\n    io.k8s.api.example.v1.A: {{type: object, description: prose, properties: {{description: {{type: {ty}}}}}}}\n").into_bytes(),
    }
    };
    assert_mentions(
        &error_of(&[doc("string"), doc("integer")]),
        &["string.yaml#", "integer.yaml#", "different shapes"],
    );
}

/// A kind `A.spec` would have the type id of kind `A`'s nested `spec` (CRDs are lowered each on
/// its own core and merged in file order). The API server refuses such a kind (a kind is a
/// DNS-1035 label once lowercased), and so does the generator, at the file declaring it,
/// whichever order the files come in.
#[test]
fn a_kind_that_would_shadow_a_nested_type_is_refused_at_its_file() {
    let crd = |kind: &str, file: &str| {
        codegen::SpecFile {
        name: file.into(),
        bytes: format!(
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: x.example.com}}\nspec:\n  group: example.com\n  names: {{kind: {kind}, plural: x{}}}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema:\n      openAPIV3Schema:\n        type: object\n        properties:\n          spec: {{type: object, properties: {{n: {{type: string}}}}}}\n",
            kind.len()
        )
        .into_bytes(),
    }
    };
    let msg = error_of(&[crd("A", "1.yaml"), crd("A.spec", "2.yaml")]);
    assert_mentions(&msg, &["2.yaml at #/spec/names/kind", "`A.spec`"]);
    let msg = error_of(&[crd("A.spec", "1.yaml"), crd("A", "2.yaml")]);
    assert_mentions(&msg, &["1.yaml at #/spec/names/kind", "`A.spec`"]);
}

/// Two documents serving one (method, path): one operation when they agree (descriptions and
/// where a parameter is declared aside), an error naming both when they do not.
#[test]
fn same_operation_in_two_files_is_one_or_a_conflict_naming_both() {
    let doc = |name: &str, param_level: &str, extra: &str| {
        let params = format!(
            "[{{name: name, in: path, required: true, schema: {{type: string}}}}, {{name: pretty, in: query, schema: {{type: string}}, description: {name}}}{extra}]"
        );
        let (path_params, op_params) = if param_level == "path" {
            (params, "[]".to_string())
        } else {
            ("[]".to_string(), params)
        };
        codegen::SpecFile {
            name: format!("{name}.yaml"),
            bytes: format!(
                "openapi: 3.0.0\ninfo: {{title: x, version: v1}}\npaths:\n  /apis/example.com/v1/things/{{name}}:\n    parameters: {path_params}\n    get:\n      operationId: readExampleComV1Thing\n      description: {name}\n      parameters: {op_params}\n      responses: {{'200': {{description: OK, content: {{application/json: {{schema: {{type: string}}}}}}}}}}\n"
            )
            .into_bytes(),
        }
    };
    let out = codegen::generate(
        &[doc("first", "path", ""), doc("second", "operation", "")],
        &codegen::Options::default(),
    )
    .unwrap_or_else(|e| panic!("the same operation twice: {e}"));
    let api = &out.files.files["crates/example-com-v1/src/example_com/v1/api.rs"];
    assert_eq!(api.matches("pub async fn read_thing(").count(), 1, "{api}");
    let err = error_of(&[
        doc("first", "path", ""),
        doc(
            "second",
            "path",
            ", {name: limit, in: query, schema: {type: integer}}",
        ),
    ]);
    assert_mentions(
        &err,
        &[
            "first.yaml#/paths/~1apis~1example.com~1v1~1things~1{name}/get",
            "second.yaml#/paths/~1apis~1example.com~1v1~1things~1{name}/get",
            "GET /apis/example.com/v1/things/{name}",
        ],
    );
}

/// What is not a regular file, or is too large, is refused before it is read: a FIFO or a
/// link to a device might never end (`/dev/zero`), a huge file would be read whole. The
/// error names the file; nothing is generated.
#[test]
fn specs_folder_refuses_devices_fifos_and_huge_files_before_reading() {
    let dir = std::env::temp_dir().join(format!("codegen-special-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let only = |name: &str| {
        let sub = dir.join(name.replace('.', "-"));
        std::fs::create_dir_all(&sub).unwrap();
        sub
    };
    // A link to a device that never ends.
    let zero = only("zero.json");
    std::os::unix::fs::symlink("/dev/zero", zero.join("zero.json")).unwrap();
    // A FIFO nobody writes to: reading it would block forever.
    let fifo = only("fifo.yaml");
    let made = std::process::Command::new("mkfifo")
        .arg(fifo.join("fifo.yaml"))
        .status()
        .unwrap();
    assert!(made.success());
    // A sparse file one byte over the limit (no disk used).
    let huge = only("huge.json");
    std::fs::File::create(huge.join("huge.json"))
        .unwrap()
        .set_len(codegen::MAX_SPEC_BYTES as u64 + 1)
        .unwrap();
    for (sub, name, why) in [
        (&zero, "zero.json", "not a regular file"),
        (&fifo, "fifo.yaml", "not a regular file"),
        (&huge, "huge.json", "more than the"),
    ] {
        let err = codegen::read_specs_dir(sub).expect_err(name).to_string();
        assert_mentions(&err, &[name, why]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A release manifest (cert-manager's `cert-manager.yaml`, prometheus-operator's
/// `bundle.yaml`) holds its CRDs among the operator's own objects: the CRDs are read, the rest
/// skipped and reported, each with its place. Without a CRD beside them, such objects are still
/// an error (a wrong file in the folder).
#[test]
fn a_release_manifest_gives_its_crds_and_reports_the_rest() {
    let crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: things.example.org}\nspec:\n  group: example.org\n  names: {kind: Thing, plural: things}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {a: {type: string}}}}}}\n";
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: thing-system}\n";
    let rbac = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: rbac.authorization.k8s.io/v1\n  kind: ClusterRole\n  metadata: {name: thing-reader}\n";
    let bundle = codegen::SpecFile {
        name: "specs/bundle.yaml".into(),
        bytes: format!("{namespace}---\n{crd}---\n{rbac}").into_bytes(),
    };
    let out = codegen::generate(&[bundle], &Default::default()).unwrap();
    assert!(out.types.values().any(|t| t == "example_org::v1::Thing"));
    let skipped: Vec<(String, String, String)> = out
        .skipped
        .iter()
        .map(|s| (s.origin.clone(), s.kind.clone(), s.name.clone()))
        .collect();
    assert_eq!(
        skipped,
        [
            (
                "specs/bundle.yaml (document 1)".into(),
                "Namespace".into(),
                "thing-system".into()
            ),
            (
                "specs/bundle.yaml (document 3)".into(),
                "ClusterRole".into(),
                "thing-reader".into()
            ),
        ]
    );
    assert!(out.skipped[0]
        .to_string()
        .contains("\"Namespace\" \"thing-system\""));
    // The same objects without the CRD: refused, at the first of them.
    let msg = error_of(&[codegen::SpecFile {
        name: "specs/objects.yaml".into(),
        bytes: format!("{namespace}---\n{rbac}").into_bytes(),
    }]);
    assert_mentions(
        &msg,
        &[
            "specs/objects.yaml (document 1)",
            "neither an OpenAPI v3 document",
        ],
    );
}

/// Text as Windows tools write it: a UTF-8 byte order mark is skipped (JSON parsers refuse
/// it), UTF-16 (PowerShell 5's `>`) is refused saying so.
#[test]
fn a_byte_order_mark_is_skipped_and_utf16_named() {
    let doc =
        std::fs::read(tests::workspace().join("specs/authentication.k8s.io/v1.json")).unwrap();
    for name in ["v1.json", "v1.yaml"] {
        let bytes = [&[0xEF, 0xBB, 0xBF][..], &doc].concat();
        let out = codegen::generate(
            &[codegen::SpecFile {
                name: name.into(),
                bytes,
            }],
            &Default::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(out
            .types
            .values()
            .any(|t| t == "authentication_k8s_io::v1::TokenReview"));
    }
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(
            std::str::from_utf8(&doc)
                .unwrap()
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let msg = error_of(&[codegen::SpecFile {
        name: "v1.json".into(),
        bytes: utf16,
    }]);
    assert_mentions(&msg, &["v1.json", "UTF-16", "save it as UTF-8"]);
}

/// One CRD's kind is another's list kind in the same group (`Allow`, whose list is
/// `AllowList`, and `AllowList`): the API server refuses the pair (KindConflict); so does the
/// generator, naming both CRDs.
#[test]
fn a_kind_that_is_another_crds_list_kind_names_both_crds() {
    let crd = |kind: &str| {
        let plural = format!("{}s", kind.to_lowercase());
        codegen::SpecFile {
            name: format!("specs/{plural}.yaml"),
            bytes: format!("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {{name: {plural}.example.org}}\nspec:\n  group: example.org\n  names: {{kind: {kind}, plural: {plural}}}\n  scope: Namespaced\n  versions:\n  - name: v1\n    served: true\n    storage: true\n    schema: {{openAPIV3Schema: {{type: object, properties: {{spec: {{type: object}}}}}}}}\n").into_bytes(),
        }
    };
    assert_mentions(
        &error_of(&[crd("Allow"), crd("AllowList")]),
        &[
            "specs/allows.yaml#/spec/names",
            "specs/allowlists.yaml#/spec/versions/0/schema/openAPIV3Schema",
            "both define the type `example.org/v1/AllowList`",
        ],
    );
}
