// Hand-written: not produced by codegen.
//! Client configuration from a kubeconfig file or the in-cluster service account, loaded by
//! kube's config module (feature `kubeconfig`).

use base64::Engine as _;
use secrecy::ExposeSecret as _;

use super::{Client, Error};

fn config_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::Config(format!("{what}: {e}"))
}

/// Inline base64 data, or the file it names.
fn data_or_file(
    data: Option<&str>,
    file: Option<&str>,
    what: &str,
) -> Result<Option<Vec<u8>>, Error> {
    if let Some(d) = data {
        // The decode error is not shown: it could quote key material.
        return base64::engine::general_purpose::STANDARD
            .decode(d.trim())
            .map(Some)
            .map_err(|_| Error::Config(format!("{what}: invalid base64")));
    }
    match file {
        Some(path) => std::fs::read(path)
            .map(Some)
            .map_err(|e| config_error(&format!("{what} {path}"), e)),
        None => Ok(None),
    }
}

impl Client {
    /// A client for the current context of the kubeconfig (`$KUBECONFIG` or `~/.kube/config`).
    pub async fn from_kubeconfig() -> Result<Client, Error> {
        let cfg = kube::Config::from_kubeconfig(&kube::config::KubeConfigOptions::default())
            .await
            .map_err(|e| config_error("kubeconfig", e))?;
        Self::from_kube_config(&cfg)
    }

    /// A client for the in-cluster API server, with the pod's service account token and CA.
    pub fn in_cluster() -> Result<Client, Error> {
        let cfg = kube::Config::incluster().map_err(|e| config_error("in-cluster config", e))?;
        Self::from_kube_config(&cfg)
    }

    /// A client from a configuration kube has loaded (kubeconfig, in-cluster or inferred).
    /// Everything that decides who the client is or where it connects is honoured or refused,
    /// never ignored: bearer tokens (inline, or a token file read again every minute), exec
    /// credential plugins, client certificates (files and data), the cluster CA,
    /// `insecure-skip-tls-verify`, impersonation (`as`, `as-uid`, `as-groups`,
    /// `as-user-extra`) and the context's namespace (`Client::default_namespace`, used by
    /// the handles' `default_namespaced`) are honoured; auth-provider plugins, basic
    /// authentication, `tls-server-name` and `proxy-url` are refused with an error.
    pub fn from_kube_config(cfg: &kube::Config) -> Result<Client, Error> {
        let auth = &cfg.auth_info;
        let refuse = |what: &str| {
            Err(Error::Config(format!(
                "the kubeconfig sets {what}, which this client does not support"
            )))
        };
        if auth.auth_provider.is_some() {
            return refuse("an auth-provider plugin (use an exec plugin)");
        }
        if auth.username.is_some() || auth.password.is_some() {
            return refuse("basic authentication (username/password; kube-apiserver has not accepted it since 1.19)");
        }
        if cfg.tls_server_name.is_some() {
            return refuse("tls-server-name");
        }
        if cfg.proxy_url.is_some() {
            return refuse("proxy-url");
        }
        let mut b =
            Client::builder(&cfg.cluster_url.to_string()).default_namespace(&cfg.default_namespace);
        if let Some(t) = &auth.token {
            b = b.bearer_token(t.expose_secret());
        } else if let Some(path) = &auth.token_file {
            // Read again before it goes stale (a pod's token rotates about hourly).
            b = b.bearer_token_file(path);
        } else if let Some(exec) = &auth.exec {
            b = b.exec_credential(exec_config(exec)?);
        }
        if let Some(user) = &auth.impersonate {
            let extra = auth
                .impersonate_user_extra
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<std::collections::BTreeMap<_, _>>()
                .into_iter()
                .collect();
            b = b.impersonate(
                user,
                auth.impersonate_uid.clone(),
                auth.impersonate_groups.clone().unwrap_or_default(),
                extra,
            );
        } else if auth.impersonate_groups.is_some() || auth.impersonate_uid.is_some() {
            return refuse("as-groups or as-uid without as (the user to impersonate)");
        }
        for der in cfg.root_cert.iter().flatten() {
            b = b.ca_certificate_der(der.clone());
        }
        let cert = data_or_file(
            auth.client_certificate_data.as_deref(),
            auth.client_certificate.as_deref(),
            "client certificate",
        )?;
        let key = data_or_file(
            auth.client_key_data.as_ref().map(|k| k.expose_secret()),
            auth.client_key.as_deref(),
            "client key",
        )?;
        match (cert, key) {
            (Some(cert), Some(key)) => b = b.client_identity_pem(cert, key),
            (None, None) => {}
            _ => {
                return refuse(
                    "a client certificate without its key, or a key without its certificate",
                )
            }
        }
        if cfg.accept_invalid_certs {
            // The kubeconfig says insecure-skip-tls-verify: true. Explicit, so honoured.
            b = b.danger_accept_invalid_certs();
        }
        if let Some(t) = cfg.connect_timeout {
            b = b.connect_timeout(t);
        }
        b.build()
    }
}

/// kube's reading of a kubeconfig `exec` section, as ours.
fn exec_config(exec: &kube::config::ExecConfig) -> Result<super::ExecConfig, Error> {
    use kube::config::ExecInteractiveMode as Mode;
    let api_version = exec
        .api_version
        .clone()
        .ok_or_else(|| Error::Config("the kubeconfig's exec plugin has no apiVersion".into()))?;
    let command = exec
        .command
        .clone()
        .ok_or_else(|| Error::Config("the kubeconfig's exec plugin has no command".into()))?;
    if exec.drop_env.as_ref().is_some_and(|d| !d.is_empty()) {
        return Err(Error::Config(
            "the kubeconfig's exec plugin sets dropEnv, which this client does not support".into(),
        ));
    }
    if exec.provide_cluster_info {
        return Err(Error::Config("the kubeconfig's exec plugin asks for provideClusterInfo, which this client does not support".into()));
    }
    let mut env = Vec::new();
    for pair in exec.env.iter().flatten() {
        match (pair.get("name"), pair.get("value")) {
            (Some(n), Some(v)) => env.push((n.clone(), v.clone())),
            _ => {
                return Err(Error::Config(
                    "the kubeconfig's exec plugin has an env entry without name or value".into(),
                ))
            }
        }
    }
    let interactive_mode = match exec.interactive_mode {
        Some(Mode::Never) => super::InteractiveMode::Never,
        Some(Mode::Always) => super::InteractiveMode::Always,
        Some(Mode::IfAvailable) | None => super::InteractiveMode::IfAvailable,
    };
    Ok(super::ExecConfig {
        api_version,
        command,
        args: exec.args.clone().unwrap_or_default(),
        env,
        interactive_mode,
    })
}
