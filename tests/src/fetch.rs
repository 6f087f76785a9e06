//! `cargo xtask fetch`: a live cluster's OpenAPI v3 group documents (`/openapi/v3`) and its
//! CustomResourceDefinitions, written into a specs folder one file each, as the generator
//! reads them. A group/version served by a CRD comes once, from the CRD: it says more (every
//! version, scope, subresources, printer columns) than the document the server derives from it.
//!
//! File names come from the group, version and CRD name only, and what is written does not
//! carry the server's bookkeeping (resourceVersion, uid, managedFields, status), so a second
//! fetch of an unchanged cluster changes nothing. Names from the server are checked before
//! they become paths.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use generated::runtime::Client;

/// What to fetch; empty lists mean everything the cluster serves.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// `group/version`, or `v1` (also `core/v1`) for the legacy group.
    pub group_versions: Vec<String>,
    /// CRD names (`authentications.config.openshift.io`).
    pub crds: Vec<String>,
}

/// One file written (or found unchanged).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    /// Path below the specs folder.
    pub path: PathBuf,
    /// Whether its content changed.
    pub changed: bool,
}

async fn get_json(client: &Client, path: &str) -> Result<serde_json::Value, String> {
    let req = generated::runtime::http::Request::get(path)
        .header("accept", "application/json")
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    let (status, body) = client
        .execute(req)
        .await
        .map_err(|e| format!("GET {path}: {e}"))?;
    if !status.is_success() {
        return Err(format!(
            "GET {path}: {status}: {}",
            String::from_utf8_lossy(&body[..body.len().min(500)])
        ));
    }
    serde_json::from_slice(&body).map_err(|e| format!("GET {path}: not JSON: {e}"))
}

/// A DNS-1123 subdomain (groups, CRD names) or label (versions): what the API server itself
/// allows, and so nothing that can leave the specs folder.
fn valid_name(s: &str, dots: bool) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|part| {
            !part.is_empty()
                && part.len() <= 63
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
                && !part.starts_with('-')
                && !part.ends_with('-')
        })
        && (dots || !s.contains('.'))
}

/// `apis/apps/v1` → (`apps`, `v1`); `api/v1` → (``, `v1`).
fn group_version_of(key: &str) -> Option<(String, String)> {
    match key.split('/').collect::<Vec<_>>().as_slice() {
        ["api", v] => Some((String::new(), v.to_string())),
        ["apis", g, v] => Some((g.to_string(), v.to_string())),
        _ => None,
    }
}

fn wanted_gv(selection: &Selection, group: &str, version: &str) -> bool {
    (selection.group_versions.is_empty() && selection.crds.is_empty())
        || selection.group_versions.iter().any(|gv| {
            let gv = gv.strip_prefix("core/").unwrap_or(gv);
            if group.is_empty() {
                gv == version
            } else {
                *gv == format!("{group}/{version}")
            }
        })
}

/// The CRD as its author wrote it: the server's bookkeeping removed.
fn clean_crd(mut crd: serde_json::Value) -> serde_json::Value {
    if let Some(m) = crd.as_object_mut() {
        m.remove("status");
        m.insert("apiVersion".into(), "apiextensions.k8s.io/v1".into());
        m.insert("kind".into(), "CustomResourceDefinition".into());
    }
    if let Some(meta) = crd.get_mut("metadata").and_then(|m| m.as_object_mut()) {
        for volatile in [
            "resourceVersion",
            "uid",
            "creationTimestamp",
            "generation",
            "managedFields",
            "selfLink",
        ] {
            meta.remove(volatile);
        }
        if let Some(serde_json::Value::Object(a)) = meta.get_mut("annotations") {
            a.remove("kubectl.kubernetes.io/last-applied-configuration");
            if a.is_empty() {
                meta.remove("annotations");
            }
        }
    }
    crd
}

fn write(dir: &Path, rel: PathBuf, value: &serde_json::Value) -> Result<Written, String> {
    let text = serde_json::to_string_pretty(value).map_err(|e| e.to_string())? + "\n";
    let path = dir.join(&rel);
    let changed = std::fs::read_to_string(&path).ok().as_deref() != Some(text.as_str());
    if changed {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(Written { path: rel, changed })
}

/// Fetches `selection` from the cluster `client` talks to into `dir`.
pub async fn fetch(
    client: &Client,
    selection: &Selection,
    dir: &Path,
) -> Result<Vec<Written>, String> {
    let mut written = Vec::new();
    let list = get_json(
        client,
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
    )
    .await?;
    let mut crd_gvs: BTreeSet<(String, String)> = BTreeSet::new();
    let everything = selection.group_versions.is_empty() && selection.crds.is_empty();
    let mut found_crds = BTreeSet::new();
    for crd in list["items"].as_array().into_iter().flatten() {
        let name = crd["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let group = crd["spec"]["group"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !valid_name(&name, true) || !valid_name(&group, true) {
            return Err(format!(
                "the server lists a CRD with an invalid name or group: {name:?} {group:?}"
            ));
        }
        // A group/version asked for that this CRD serves comes from the CRD.
        let mut asked_for = false;
        for v in crd["spec"]["versions"].as_array().into_iter().flatten() {
            if v["served"].as_bool() == Some(true) {
                let version = v["name"].as_str().unwrap_or_default().to_string();
                asked_for |=
                    !selection.group_versions.is_empty() && wanted_gv(selection, &group, &version);
                crd_gvs.insert((group.clone(), version));
            }
        }
        if everything || asked_for || selection.crds.contains(&name) {
            found_crds.insert(name.clone());
            written.push(write(
                dir,
                PathBuf::from(&group).join(format!("{name}.crd.json")),
                &clean_crd(crd.clone()),
            )?);
        }
    }
    if let Some(missing) = selection.crds.iter().find(|c| !found_crds.contains(*c)) {
        return Err(format!(
            "the cluster has no CustomResourceDefinition {missing}"
        ));
    }
    // A group/version served by a CRD is found through the CRD: the server lists it in the
    // /openapi/v3 index only a moment after the CRD is established.
    let mut found_gvs: BTreeSet<String> = crd_gvs
        .iter()
        .filter(|(group, version)| wanted_gv(selection, group, version))
        .map(|(group, version)| format!("{group}/{version}"))
        .collect();
    let index = get_json(client, "/openapi/v3").await?;
    for (key, entry) in index["paths"].as_object().into_iter().flatten() {
        let Some((group, version)) = group_version_of(key) else {
            continue; // group discovery, /version, /.well-known…
        };
        if !valid_name(&version, false) || !(group.is_empty() || valid_name(&group, true)) {
            return Err(format!(
                "the server lists an invalid group/version: {key:?}"
            ));
        }
        if !wanted_gv(selection, &group, &version) {
            continue;
        }
        found_gvs.insert(if group.is_empty() {
            version.clone()
        } else {
            format!("{group}/{version}")
        });
        // Served by a CRD: the CRD says more.
        if crd_gvs.contains(&(group.clone(), version.clone())) {
            continue;
        }
        let url = entry["serverRelativeURL"]
            .as_str()
            .ok_or_else(|| format!("/openapi/v3: no serverRelativeURL for {key}"))?;
        if !url.starts_with("/openapi/v3/") {
            return Err(format!(
                "/openapi/v3: {key} points outside /openapi/v3: {url:?}"
            ));
        }
        let doc = get_json(client, url).await?;
        let folder = if group.is_empty() {
            "core".to_string()
        } else {
            group
        };
        written.push(write(
            dir,
            PathBuf::from(folder).join(format!("{version}.json")),
            &doc,
        )?);
    }
    if let Some(missing) = selection.group_versions.iter().find(|gv| {
        let gv = gv.strip_prefix("core/").unwrap_or(gv);
        !found_gvs.contains(gv)
    }) {
        return Err(format!("the cluster serves no group/version {missing}"));
    }
    written.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(written)
}

/// A client for `context` (or the current one) of the kubeconfig at `path`.
pub async fn client_from_kubeconfig(path: &Path, context: Option<&str>) -> Result<Client, String> {
    Client::from_kubeconfig_file(path, context).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_the_server_cannot_become_other_paths() {
        assert!(valid_name("config.openshift.io", true));
        assert!(valid_name("v1beta1", false));
        for bad in ["..", "a/b", "", ".", "A", "a..b", "-a", "v1.2"] {
            assert!(!valid_name(bad, false), "{bad:?}");
        }
        assert!(!valid_name("../../etc", true));
        assert_eq!(
            group_version_of("apis/apps/v1"),
            Some(("apps".into(), "v1".into()))
        );
        assert_eq!(
            group_version_of("api/v1"),
            Some((String::new(), "v1".into()))
        );
        assert_eq!(group_version_of("apis/apps"), None);
    }
}
