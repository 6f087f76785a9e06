//! Seed 003 (OpenShift's reference page for Authentication, ../shared/seeds) is the checklist
//! for a CRD's client: every endpoint, verb and query parameter it lists must be an operation
//! of `config_openshift_io::v1` with that parameter, as typed there.

use std::collections::BTreeMap;

/// (METHOD, path) → [(query parameter, seed type)], read from the seed's 8.3.2 sections: the
/// endpoint list gives the paths in order; each section starts with its global query parameter
/// table, then one part per HTTP method with its query parameter table.
fn seed_endpoints(text: &str) -> BTreeMap<(String, String), Vec<(String, String)>> {
    // The page uses no-break spaces (U+00A0) after section numbers and bullets.
    let text = text.replace('\u{a0}', " ");
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let paths: Vec<&str> = lines
        .iter()
        .filter_map(|l| l.strip_prefix("• "))
        .filter(|p| p.starts_with("/apis/"))
        .collect();
    let mut out: BTreeMap<(String, String), Vec<(String, String)>> = BTreeMap::new();
    let mut section: Option<usize> = None;
    let mut method: Option<String> = None;
    let mut globals: Vec<(String, String)> = Vec::new();
    let mut in_query_table = false;
    for (i, l) in lines.iter().enumerate() {
        if l.contains("全局查询参数") {
            section = Some(section.map_or(0, |s| s + 1));
            method = None;
            globals.clear();
            in_query_table = true;
        } else if l.starts_with("表 ") {
            in_query_table = l.contains("查询参数");
        } else if *l == "HTTP 方法" {
            let m = lines.get(i + 1).copied().unwrap_or("").to_string();
            if let Some(p) = section.and_then(|s| paths.get(s)) {
                out.entry((m.clone(), p.to_string()))
                    .or_default()
                    .extend(globals.clone());
            }
            method = Some(m);
            in_query_table = false;
        } else if in_query_table
            && matches!(lines.get(i + 1), Some(&("字符串" | "布尔值" | "整数")))
        {
            let name = if *l == "继续" {
                "continue".to_string()
            } else {
                l.to_string()
            };
            let entry = (name, lines[i + 1].to_string());
            match (section.and_then(|s| paths.get(s)), &method) {
                (Some(p), Some(m)) => out
                    .entry((m.clone(), p.to_string()))
                    .or_default()
                    .push(entry),
                (Some(_), None) => globals.push(entry),
                _ => {}
            }
        }
    }
    out
}

/// Fields of every `pub struct` in a file: struct name → [(query parameter, Rust type)],
/// read from the `Query parameter `x`.` doc line above each field.
fn structs(text: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut pending: Option<String> = None;
    for line in text.lines().map(str::trim) {
        if let Some(name) = line
            .strip_prefix("pub struct ")
            .and_then(|r| r.strip_suffix(" {"))
        {
            current = Some(name.to_string());
            out.entry(name.to_string()).or_default();
        } else if let Some(w) = line
            .strip_prefix("/// Query parameter `")
            .and_then(|r| r.strip_suffix("`."))
        {
            pending = Some(w.to_string());
        } else if let (Some(w), Some(name)) = (pending.take(), &current) {
            let ty = line
                .split(": Option<")
                .nth(1)
                .map(|t| t.trim_end_matches(">,").to_string())
                .unwrap_or_default();
            out.get_mut(name).unwrap().push((w, ty));
        }
    }
    out
}

/// (METHOD, path) → [(query parameter, Rust type)] of the generated `…Params`: a struct in
/// api.rs, or an alias of a shared set in params.rs.
fn generated_params(
    api_rs: &str,
    params_rs: &str,
) -> BTreeMap<(String, String), Vec<(String, String)>> {
    let local = structs(api_rs);
    let shared = structs(params_rs);
    let mut out = BTreeMap::new();
    let mut sig: Option<(String, String)> = None;
    for line in api_rs.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("/// Query parameters of [`Api::") {
            let s = rest
                .split("] (`")
                .nth(1)
                .and_then(|s| s.strip_suffix("`)."))
                .unwrap_or("");
            let (m, p) = s.split_once(' ').unwrap_or(("", ""));
            sig = Some((m.to_string(), p.to_string()));
        } else if let Some(key) = sig.take() {
            let fields = if let Some(alias) = line
                .strip_prefix("pub type ")
                .and_then(|r| r.split(" = crate::params::").nth(1))
            {
                shared.get(alias.trim_end_matches(';')).cloned()
            } else {
                // `#[derive(...)]` then `pub struct Name {`: the struct follows.
                sig = Some(key);
                continue;
            };
            // list and watch share (GET, path): the list, emitted first, is the one the seed lists.
            out.entry(key).or_insert(fields.unwrap_or_default());
        }
        if let (Some(name), Some(key)) = (
            line.strip_prefix("pub struct ")
                .and_then(|r| r.strip_suffix(" {")),
            &sig,
        ) {
            out.entry(key.clone())
                .or_insert(local.get(name).cloned().unwrap_or_default());
            sig = None;
        }
    }
    out
}

#[test]
fn every_seed_endpoint_and_query_parameter_is_generated() {
    let seed = tests::workspace().join("../shared/seeds/003_10b23eab243a1269.txt");
    let text = std::fs::read_to_string(&seed).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the seed documents are the checklist)",
            seed.display()
        )
    });
    let expected = seed_endpoints(&text);
    assert_eq!(
        expected.len(),
        10,
        "the seed lists 10 (method, path) pairs: {:?}",
        expected.keys()
    );
    let checked: usize = expected.values().map(Vec::len).sum();
    assert_eq!(checked, 44, "(endpoint, query parameter) pairs in the seed");
    let api_rs = std::fs::read_to_string(
        tests::workspace()
            .join("generated/crates/config-openshift-io-v1/src/config_openshift_io/v1/api.rs"),
    )
    .unwrap();
    let params_rs =
        std::fs::read_to_string(tests::workspace().join("generated/crates/runtime/src/params.rs"))
            .unwrap();
    let ours = generated_params(&api_rs, &params_rs);
    for ((method, path), params) in &expected {
        let got = ours
            .get(&(method.clone(), path.clone()))
            .unwrap_or_else(|| panic!("no operation for {method} {path}"));
        for (name, seed_ty) in params {
            let ty = got
                .iter()
                .find(|(w, _)| w == name)
                .map(|(_, t)| t.as_str())
                .unwrap_or_else(|| panic!("{method} {path}: no query parameter {name}"));
            // The string parameters whose values the server fixes are enums (issue 14's list).
            let fixed = match name.as_str() {
                "dryRun" => Some("crate::params::DryRun"),
                "propagationPolicy" => Some("crate::params::PropagationPolicy"),
                "resourceVersionMatch" => Some("crate::params::ResourceVersionMatch"),
                "fieldValidation" => Some("crate::params::FieldValidation"),
                _ => None,
            };
            let want = match seed_ty.as_str() {
                "字符串" if fixed.is_some() => fixed.unwrap_or_default(),
                "字符串" => "String",
                "布尔值" => "bool",
                "整数" => "i64",
                other => other,
            };
            assert_eq!(ty, want, "{method} {path}: {name}");
        }
    }
    // What the current API server adds beyond the seed.
    let patch = &ours[&(
        "PATCH".to_string(),
        "/apis/config.openshift.io/v1/authentications/{name}".to_string(),
    )];
    for extra in ["fieldValidation", "force"] {
        assert!(patch.iter().any(|(w, _)| w == extra), "patch lacks {extra}");
    }
    let list = &ours[&(
        "GET".to_string(),
        "/apis/config.openshift.io/v1/authentications".to_string(),
    )];
    assert!(list.iter().any(|(w, _)| w == "sendInitialEvents"));

    // Every seed endpoint is a verb-named method of the resource's handle
    // (`AuthenticationApi`), as client-go and kube name them.
    let handle = handle_methods(&api_rs, "AuthenticationApi");
    for (method, path) in expected.keys() {
        let rest = path
            .strip_prefix("/apis/config.openshift.io/v1/authentications")
            .unwrap();
        let want = match (method.as_str(), rest) {
            ("GET", "") => "list",
            ("POST", "") => "create",
            ("DELETE", "") => "delete_collection",
            ("GET", "/{name}") => "get",
            ("PUT", "/{name}") => "replace",
            ("PATCH", "/{name}") => "patch",
            ("DELETE", "/{name}") => "delete",
            ("GET", "/{name}/status") => "get_status",
            ("PUT", "/{name}/status") => "replace_status",
            ("PATCH", "/{name}/status") => "patch_status",
            other => panic!("an endpoint the seed did not list before: {other:?}"),
        };
        let got = handle.get(&(method.clone(), path.clone()));
        assert_eq!(got.map(String::as_str), Some(want), "{method} {path}");
    }
}

/// (method, path) → the handle method that sends it, read off the handle's `impl` block (each
/// method's doc starts with "`METHOD path`").
fn handle_methods(api_rs: &str, handle: &str) -> BTreeMap<(String, String), String> {
    let start = format!("impl {handle} {{");
    let block = api_rs
        .split_once(start.as_str())
        .map(|(_, b)| b.split("\n}").next().unwrap_or(""))
        .unwrap_or_else(|| panic!("no {start}"));
    let mut out = BTreeMap::new();
    let mut pending = None;
    for line in block.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("/// `") {
            if let Some((sig, _)) = rest.split_once("`: see") {
                pending = sig
                    .split_once(' ')
                    .map(|(m, p)| (m.to_string(), p.to_string()));
            }
        } else if let Some(name) = line.strip_prefix("pub async fn ") {
            if let Some(key) = pending.take() {
                let name = name.split('(').next().unwrap_or("").to_string();
                out.insert(key, name);
            }
        }
    }
    out
}
