// Hand-written: not produced by codegen.
//! Client configuration from a kubeconfig file or the in-cluster service account (feature
//! `kubeconfig`). Read here, with serde and a YAML parser, rather than through kube's loader:
//! kube's pulls in kube and k8s-openapi with a Kubernetes version feature, which an
//! application picking its own k8s-openapi version cannot have twice.
//!
//! Everything that decides who the client is or where it connects is honoured or refused,
//! never ignored: the server and its CA (file or data), `insecure-skip-tls-verify`, bearer
//! tokens (inline, or `tokenFile`, read again every minute), client certificates and keys
//! (files and data), exec credential plugins, impersonation (`as`, `as-uid`, `as-groups`,
//! `as-user-extra`) and the context's namespace are honoured; auth-provider plugins, basic
//! authentication, SOCKS proxies and `tls-server-name` together with `proxy-url` are refused
//! with an error; `tls-server-name` and `proxy-url` (http and https proxies) are honoured. Relative file
//! paths are read from the kubeconfig's folder, as kubectl does; `$KUBECONFIG` may list several
//! files, merged as kubectl merges them (the first to name a cluster, user or context wins, and
//! the first `current-context`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use serde::Deserialize;

use super::{Client, ClientBuilder, Error};

#[derive(Deserialize, Default)]
#[serde(default)]
struct File {
    clusters: Vec<Named<ClusterEntry>>,
    users: Vec<Named<UserEntry>>,
    contexts: Vec<Named<ContextEntry>>,
    #[serde(rename = "current-context")]
    current_context: Option<String>,
}

#[derive(Deserialize)]
struct Named<T> {
    name: String,
    #[serde(alias = "cluster", alias = "user", alias = "context")]
    value: Option<T>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "kebab-case")]
struct ClusterEntry {
    server: Option<String>,
    certificate_authority: Option<String>,
    certificate_authority_data: Option<String>,
    insecure_skip_tls_verify: bool,
    tls_server_name: Option<String>,
    proxy_url: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UserEntry {
    token: Option<String>,
    #[serde(rename = "tokenFile")]
    token_file: Option<String>,
    #[serde(rename = "client-certificate")]
    client_certificate: Option<String>,
    #[serde(rename = "client-certificate-data")]
    client_certificate_data: Option<String>,
    #[serde(rename = "client-key")]
    client_key: Option<String>,
    #[serde(rename = "client-key-data")]
    client_key_data: Option<String>,
    username: Option<String>,
    password: Option<String>,
    #[serde(rename = "auth-provider")]
    auth_provider: Option<serde_yaml_ng::Value>,
    exec: Option<ExecEntry>,
    #[serde(rename = "as")]
    impersonate: Option<String>,
    #[serde(rename = "as-uid")]
    impersonate_uid: Option<String>,
    #[serde(rename = "as-groups")]
    impersonate_groups: Option<Vec<String>>,
    #[serde(rename = "as-user-extra")]
    impersonate_extra: Option<BTreeMap<String, Vec<String>>>,
}

#[derive(Deserialize, Default)]
#[serde(default, rename_all = "camelCase")]
struct ExecEntry {
    api_version: Option<String>,
    command: Option<String>,
    args: Vec<String>,
    env: Vec<EnvEntry>,
    interactive_mode: Option<String>,
    provide_cluster_info: bool,
}

#[derive(Deserialize)]
struct EnvEntry {
    name: String,
    value: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ContextEntry {
    cluster: Option<String>,
    user: Option<String>,
    namespace: Option<String>,
}

/// The entries of one or more kubeconfig files, each with the folder its paths are read from.
#[derive(Default)]
struct Merged {
    clusters: BTreeMap<String, (ClusterEntry, PathBuf)>,
    users: BTreeMap<String, (UserEntry, PathBuf)>,
    contexts: BTreeMap<String, ContextEntry>,
    current: Option<String>,
}

fn config(what: impl std::fmt::Display) -> Error {
    Error::Config(what.to_string())
}

impl Merged {
    /// Adds a file's entries; those already there win.
    fn add(&mut self, text: &str, base: &Path, origin: &str) -> Result<(), Error> {
        // The parse error names the place, never the text (it may hold credentials).
        let file: File = serde_yaml_ng::from_str(text).map_err(|e| {
            let at = e
                .location()
                .map(|l| format!(" at line {} column {}", l.line(), l.column()))
                .unwrap_or_default();
            config(format!("kubeconfig {origin}: not a kubeconfig{at}"))
        })?;
        for c in file.clusters {
            self.clusters
                .entry(c.name)
                .or_insert((c.value.unwrap_or_default(), base.to_path_buf()));
        }
        for u in file.users {
            self.users
                .entry(u.name)
                .or_insert((u.value.unwrap_or_default(), base.to_path_buf()));
        }
        for c in file.contexts {
            self.contexts
                .entry(c.name)
                .or_insert(c.value.unwrap_or_default());
        }
        if self.current.is_none() {
            self.current = file.current_context.filter(|c| !c.is_empty());
        }
        Ok(())
    }

    fn client(&self, context: Option<&str>) -> Result<Client, Error> {
        let name = context
            .map(str::to_string)
            .or_else(|| self.current.clone())
            .ok_or_else(|| config("kubeconfig: no context given and no current-context"))?;
        let ctx = self
            .contexts
            .get(&name)
            .ok_or_else(|| config(format!("kubeconfig: no context `{name}`")))?;
        let cluster_name = ctx
            .cluster
            .as_deref()
            .ok_or_else(|| config(format!("kubeconfig: context `{name}` names no cluster")))?;
        let (cluster, cluster_dir) = self
            .clusters
            .get(cluster_name)
            .ok_or_else(|| config(format!("kubeconfig: no cluster `{cluster_name}`")))?;
        let server = cluster.server.as_deref().ok_or_else(|| {
            config(format!(
                "kubeconfig: cluster `{cluster_name}` has no server"
            ))
        })?;
        let mut b =
            Client::builder(server).default_namespace(present(&ctx.namespace).unwrap_or("default"));
        // Data wins over a file, as in client-go; a file is followed as it changes.
        let ca_data = present(&cluster.certificate_authority_data);
        let ca_file = present(&cluster.certificate_authority);
        match (ca_data, ca_file) {
            (Some(_), _) => {
                if let Some(ca) = data_or_file(ca_data, None, cluster_dir, "certificate-authority")?
                {
                    b = b.ca_bundle_pem(ca);
                }
            }
            (None, Some(file)) => b = b.ca_bundle_file(cluster_dir.join(file)),
            (None, None) => {}
        }
        if let Some(name) = present(&cluster.tls_server_name) {
            b = b.tls_server_name(name);
        }
        if let Some(proxy) = present(&cluster.proxy_url) {
            b = b.proxy_url(proxy);
        }
        if cluster.insecure_skip_tls_verify {
            // Explicit in the kubeconfig, so honoured; beside a CA it is a contradiction,
            // which client-go refuses too.
            if ca_data.is_some() || ca_file.is_some() {
                return Err(config(format!(
                    "kubeconfig: cluster `{cluster_name}` sets both insecure-skip-tls-verify and a certificate-authority"
                )));
            }
            b = b.danger_accept_invalid_certs();
        }
        if let Some(user_name) = ctx.user.as_deref() {
            let (user, user_dir) = self
                .users
                .get(user_name)
                .ok_or_else(|| config(format!("kubeconfig: no user `{user_name}`")))?;
            b = with_user(b, user, user_dir, user_name)?;
        }
        b.build()
    }
}

fn with_user(
    mut b: ClientBuilder,
    user: &UserEntry,
    dir: &Path,
    name: &str,
) -> Result<ClientBuilder, Error> {
    let refuse = |what: &str| {
        Err(config(format!(
            "kubeconfig: user `{name}` sets {what}, which this client does not support"
        )))
    };
    if user.auth_provider.is_some() {
        return refuse("an auth-provider plugin (use an exec plugin)");
    }
    if user.username.is_some() || user.password.is_some() {
        return refuse("basic authentication (username/password; kube-apiserver has not accepted it since 1.19)");
    }
    if let Some(token) = present(&user.token) {
        b = b.bearer_token(token);
    } else if let Some(path) = &user.token_file {
        // Read again before it goes stale (a pod's token rotates about hourly).
        b = b.bearer_token_file(dir.join(path));
    } else if let Some(exec) = &user.exec {
        b = b.exec_credential(exec_config(exec, name)?);
    }
    let cert = data_or_file(
        user.client_certificate_data.as_deref(),
        user.client_certificate.as_deref(),
        dir,
        "client-certificate",
    )?;
    let key = data_or_file(
        user.client_key_data.as_deref(),
        user.client_key.as_deref(),
        dir,
        "client-key",
    )?;
    match (cert, key) {
        (Some(cert), Some(key)) => b = b.client_identity_pem(cert, key),
        (None, None) => {}
        _ => {
            return refuse("a client certificate without its key, or a key without its certificate")
        }
    }
    match &user.impersonate {
        Some(who) => {
            let extra = user
                .impersonate_extra
                .clone()
                .unwrap_or_default()
                .into_iter()
                .collect();
            b = b.impersonate(
                who,
                user.impersonate_uid.clone(),
                user.impersonate_groups.clone().unwrap_or_default(),
                extra,
            );
        }
        None if user.impersonate_groups.is_some()
            || user.impersonate_uid.is_some()
            || user.impersonate_extra.is_some() =>
        {
            return refuse(
                "as-groups, as-uid or as-user-extra without as (the user to impersonate)",
            );
        }
        None => {}
    }
    Ok(b)
}

/// A kubeconfig value that is set and not empty (kubectl treats `""` as unset).
fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().filter(|v| !v.is_empty())
}

/// Inline base64 data, or the file it names (relative to `dir`).
fn data_or_file(
    data: Option<&str>,
    file: Option<&str>,
    dir: &Path,
    what: &str,
) -> Result<Option<Vec<u8>>, Error> {
    if let Some(d) = data.filter(|d| !d.is_empty()) {
        // The decode error is not shown: it could quote key material.
        return base64::engine::general_purpose::STANDARD
            .decode(d.trim())
            .map(Some)
            .map_err(|_| config(format!("kubeconfig: {what}-data: invalid base64")));
    }
    match file.filter(|f| !f.is_empty()) {
        Some(path) => {
            let path = dir.join(path);
            std::fs::read(&path)
                .map(Some)
                .map_err(|e| config(format!("kubeconfig: {what} {}: {e}", path.display())))
        }
        None => Ok(None),
    }
}

fn exec_config(exec: &ExecEntry, user: &str) -> Result<super::ExecConfig, Error> {
    let what = format!("kubeconfig: user `{user}`'s exec plugin");
    let api_version = exec
        .api_version
        .clone()
        .ok_or_else(|| config(format!("{what} has no apiVersion")))?;
    let command = exec
        .command
        .clone()
        .ok_or_else(|| config(format!("{what} has no command")))?;
    if exec.provide_cluster_info {
        return Err(config(format!(
            "{what} asks for provideClusterInfo, which this client does not support"
        )));
    }
    let interactive_mode = match exec.interactive_mode.as_deref() {
        Some("Never") => super::InteractiveMode::Never,
        Some("Always") => super::InteractiveMode::Always,
        Some("IfAvailable") | None => super::InteractiveMode::IfAvailable,
        Some(other) => return Err(config(format!("{what}: unknown interactiveMode `{other}`"))),
    };
    Ok(super::ExecConfig {
        api_version,
        command,
        args: exec.args.clone(),
        env: exec
            .env
            .iter()
            .map(|e| (e.name.clone(), e.value.clone()))
            .collect(),
        interactive_mode,
    })
}

/// The largest kubeconfig file read.
const MAX_KUBECONFIG_BYTES: u64 = 16 << 20;

fn read(path: &Path) -> Result<String, Error> {
    use std::io::Read as _;
    let file = std::fs::File::open(path)
        .map_err(|e| config(format!("kubeconfig {}: {e}", path.display())))?;
    let mut text = String::new();
    file.take(MAX_KUBECONFIG_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| config(format!("kubeconfig {}: {e}", path.display())))?;
    if text.len() as u64 > MAX_KUBECONFIG_BYTES {
        return Err(config(format!(
            "kubeconfig {}: larger than {MAX_KUBECONFIG_BYTES} bytes",
            path.display()
        )));
    }
    Ok(text)
}

/// Where a pod's service account is mounted.
const SERVICE_ACCOUNT: &str = "/var/run/secrets/kubernetes.io/serviceaccount";

impl Client {
    /// A client for the current context of the kubeconfig: the files `$KUBECONFIG` lists
    /// (`:`-separated, merged), or `~/.kube/config`.
    pub async fn from_kubeconfig() -> Result<Client, Error> {
        let paths: Vec<PathBuf> = match std::env::var_os("KUBECONFIG") {
            Some(list) if !list.is_empty() => std::env::split_paths(&list)
                .filter(|p| !p.as_os_str().is_empty())
                .collect(),
            _ => {
                let home = std::env::var_os("HOME")
                    .ok_or_else(|| config("kubeconfig: neither KUBECONFIG nor HOME is set"))?;
                vec![PathBuf::from(home).join(".kube/config")]
            }
        };
        let mut merged = Merged::default();
        for path in &paths {
            let base = path.parent().unwrap_or(Path::new("."));
            merged.add(&read(path)?, base, &path.display().to_string())?;
        }
        merged.client(None)
    }

    /// A client for `context` (None: the current one) of the kubeconfig file at `path`.
    pub fn from_kubeconfig_file(path: &Path, context: Option<&str>) -> Result<Client, Error> {
        let base = path.parent().unwrap_or(Path::new("."));
        Self::from_kubeconfig_yaml(&read(path)?, base, context)
    }

    /// A client for `context` (None: the current one) of a kubeconfig's text, whose relative
    /// paths are read from `base`.
    pub fn from_kubeconfig_yaml(
        text: &str,
        base: &Path,
        context: Option<&str>,
    ) -> Result<Client, Error> {
        let mut merged = Merged::default();
        merged.add(text, base, "text")?;
        merged.client(context)
    }

    /// A client for the API server of the pod it runs in: `KUBERNETES_SERVICE_HOST` and
    /// `_PORT`, the service account's token (read again every minute and after a 401: the
    /// kubelet rotates it), its CA bundle (read again for each new connection: it changes when
    /// the cluster's CA is rotated), and its namespace as the default.
    pub fn in_cluster() -> Result<Client, Error> {
        let host = std::env::var("KUBERNETES_SERVICE_HOST").map_err(|_| {
            config("in-cluster: KUBERNETES_SERVICE_HOST is not set (not in a pod?)")
        })?;
        let port = std::env::var("KUBERNETES_SERVICE_PORT")
            .map_err(|_| config("in-cluster: KUBERNETES_SERVICE_PORT is not set"))?;
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        let dir = Path::new(SERVICE_ACCOUNT);
        let namespace =
            std::fs::read_to_string(dir.join("namespace")).unwrap_or_else(|_| "default".into());
        Client::builder(&format!("https://{host}:{port}"))
            .ca_bundle_file(dir.join("ca.crt"))
            .bearer_token_file(dir.join("token"))
            .default_namespace(namespace.trim())
            .build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ONE: &str = "
clusters:
- name: c1
  cluster: {server: 'https://one:6443', certificate-authority: ca.pem}
users:
- name: u1
  user: {token: one-token}
contexts:
- name: x
  context: {cluster: c1, user: u1, namespace: team}
current-context: x
";
    const TWO: &str = "
clusters:
- name: c1
  cluster: {server: 'https://shadowed:6443'}
- name: c2
  cluster: {server: 'https://two:6443'}
contexts:
- name: y
  context: {cluster: c2}
current-context: y
";

    #[test]
    fn files_merge_first_wins_and_paths_are_relative_to_their_file() {
        let mut m = Merged::default();
        m.add(ONE, Path::new("/etc/one"), "one").unwrap();
        m.add(TWO, Path::new("/etc/two"), "two").unwrap();
        assert_eq!(m.current.as_deref(), Some("x"));
        let (c1, dir) = &m.clusters["c1"];
        assert_eq!(c1.server.as_deref(), Some("https://one:6443"));
        assert_eq!(dir, Path::new("/etc/one"));
        assert_eq!(
            m.clusters["c2"].0.server.as_deref(),
            Some("https://two:6443")
        );
        // The CA file is read from the first file's folder.
        let err = m.client(Some("x")).unwrap_err().to_string();
        assert!(err.contains("/etc/one/ca.pem"), "{err}");
        // A context without a user: no credentials, the cluster of the second file.
        let client = m.client(Some("y")).unwrap();
        assert_eq!(client.base_url(), "https://two:6443");
        assert_eq!(client.default_namespace(), "default");
    }

    #[test]
    fn what_is_missing_or_unsupported_is_named() {
        let err = |text: &str, ctx: Option<&str>| {
            Client::from_kubeconfig_yaml(text, Path::new("."), ctx)
                .unwrap_err()
                .to_string()
        };
        assert!(err("clusters: []", None).contains("no current-context"));
        assert!(err(ONE, Some("nope")).contains("no context `nope`"));
        let text = "clusters: [{name: c, cluster: {server: 'https://h'}}]\nusers: [{name: u, user: {token: t, as-groups: [g]}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n";
        assert!(
            err(text, None).contains("without as"),
            "{}",
            err(text, None)
        );
        let text = "clusters: [{name: c, cluster: {server: 'https://h'}}]\nusers: [{name: u, user: {client-key-data: a2V5}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n";
        assert!(err(text, None).contains("without its"));
        // A parse error names the place, not the text.
        let e = err("users: [{name: u, user: {token: [secret-token}]", None);
        assert!(e.contains("line") && !e.contains("secret-token"), "{e}");
    }
}
