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
    /// Bearer tokens (inline or from a token file), client certificates, the cluster CA and
    /// `insecure-skip-tls-verify` are honoured; exec and auth-provider plugins are not.
    pub fn from_kube_config(cfg: &kube::Config) -> Result<Client, Error> {
        let auth = &cfg.auth_info;
        if auth.exec.is_some() || auth.auth_provider.is_some() {
            return Err(Error::Config("exec and auth-provider credential plugins are not supported; use a token or a client certificate".into()));
        }
        let mut b = Client::builder(&cfg.cluster_url.to_string());
        if let Some(t) = &auth.token {
            b = b.bearer_token(t.expose_secret());
        } else if let Some(path) = &auth.token_file {
            // Read again before it goes stale (a pod's token rotates about hourly).
            b = b.bearer_token_file(path);
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
        if let (Some(cert), Some(key)) = (cert, key) {
            b = b.client_identity_pem(cert, key);
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
