// Hand-written: not produced by codegen.
//! The `Authorization` header of each request: none, a fixed bearer token, a token file
//! read again before it can go stale, or an exec credential plugin's token (its client
//! certificates go to `tls::IdentitySlot`). The kubelet rotates a pod's projected service-account
//! token about hourly and the old one stops working; client-go re-reads the file every minute
//! (`NewCachedFileTokenSource`), and so do we, and also at once after a 401.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::tls::{certified_key, IdentitySlot};
use super::Error;

/// How often a token file is read again (client-go's period).
pub const TOKEN_FILE_RELOAD: Duration = Duration::from_secs(60);

pub(crate) enum Auth {
    None,
    Static(http::HeaderValue),
    File(TokenFile),
    Exec(Exec),
}

pub(crate) struct TokenFile {
    path: PathBuf,
    reload: Duration,
    cached: Mutex<(http::HeaderValue, Instant)>,
}

/// `Bearer <token>`, marked sensitive (hyper never logs it, HTTP/2 never indexes it).
pub(crate) fn bearer(token: &str) -> Result<http::HeaderValue, Error> {
    let mut v = http::HeaderValue::from_str(&format!("Bearer {}", token.trim())).map_err(|_| {
        Error::Config("the bearer token holds characters not allowed in a header".into())
    })?;
    v.set_sensitive(true);
    Ok(v)
}

fn read(path: &std::path::Path) -> Result<http::HeaderValue, Error> {
    // The error names the file, never its content.
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::Config(format!("token file {}: {e}", path.display())))?;
    if text.trim().is_empty() {
        return Err(Error::Config(format!(
            "token file {} is empty",
            path.display()
        )));
    }
    bearer(&text)
}

impl TokenFile {
    /// Reads the file now: a client is not built on a token it cannot read.
    pub(crate) fn new(path: PathBuf, reload: Duration) -> Result<TokenFile, Error> {
        let value = read(&path)?;
        Ok(TokenFile {
            path,
            reload,
            cached: Mutex::new((value, Instant::now())),
        })
    }

    /// The header to send: the file's token, read again when the last read is older than the
    /// reload period, or now when `fresh` (after a 401). A failed re-read keeps the last good
    /// token (the kubelet replaces the file by a rename, but a reader can still lose a race),
    /// as client-go does; the periodic one then waits a period before trying again.
    pub(crate) fn current(&self, fresh: bool) -> http::HeaderValue {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if fresh || cached.1.elapsed() >= self.reload {
            match read(&self.path) {
                Ok(v) => *cached = (v, Instant::now()),
                Err(_) if !fresh => cached.1 = Instant::now(),
                Err(_) => {}
            }
        }
        cached.0.clone()
    }
}

impl Auth {
    /// The header to send with the next request.
    pub(crate) async fn header(&self) -> Result<Option<http::HeaderValue>, Error> {
        Ok(match self {
            Auth::None => None,
            Auth::Static(v) => Some(v.clone()),
            Auth::File(f) => Some(f.current(false)),
            Auth::Exec(e) => e.current(false).await?,
        })
    }

    /// After a 401 with `sent`: a credential read or issued again, when it differs (then the
    /// request is worth sending again), as the header to send it with. The request is sent
    /// again with exactly this one: an exec plugin's new token may already be inside the
    /// renewal window (a short-lived one), and asking `header` again would run the plugin a
    /// second time for one request.
    pub(crate) async fn refresh_after_401(
        &self,
        sent: Option<&http::HeaderValue>,
    ) -> Option<Option<http::HeaderValue>> {
        match self {
            Auth::None | Auth::Static(_) => None,
            Auth::File(f) => Some(f.current(true)).filter(|v| Some(v) != sent).map(Some),
            Auth::Exec(e) => {
                let before = e.identity.generation();
                e.current(true)
                    .await
                    .ok()
                    .filter(|v| v.as_ref() != sent || e.identity.generation() != before)
            }
        }
    }

    /// The client certificates an exec plugin gives, when this is one.
    pub(crate) fn exec_identity(&self) -> Option<Arc<IdentitySlot>> {
        match self {
            Auth::Exec(e) => Some(e.identity.clone()),
            _ => None,
        }
    }
}

/// How an exec plugin may talk to the user (kubeconfig `interactiveMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InteractiveMode {
    /// Never: the plugin runs without a terminal.
    Never,
    /// The plugin may prompt when a terminal is there; this client never gives it one.
    IfAvailable,
    /// The plugin needs a terminal: refused (this client gives none).
    Always,
}

/// An exec credential plugin (kubeconfig `users[].user.exec`: how EKS, GKE, AKS and OIDC
/// logins work): a command printing an `ExecCredential` (`client.authentication.k8s.io/v1`
/// or `v1beta1`) whose `status.token` is the bearer token, or whose
/// `clientCertificateData` and `clientKeyData` (PEM) are the client certificate, or both;
/// kept until its `expirationTimestamp` and run again after it, and after a 401. A new
/// certificate is used by new connections, and the client opens them anew (connections keep
/// the certificate they were opened with), as client-go does.
#[derive(Clone)]
pub struct ExecConfig {
    /// `client.authentication.k8s.io/v1` or `…/v1beta1`.
    pub api_version: String,
    /// The command (looked up in `PATH` when it has no `/`).
    pub command: String,
    /// Its arguments.
    pub args: Vec<String>,
    /// Environment variables added for it (values not shown by `Debug`: they may be secrets).
    pub env: Vec<(String, String)>,
    /// `interactiveMode` (v1 requires it; v1beta1 defaults to `IfAvailable`).
    pub interactive_mode: InteractiveMode,
}

impl std::fmt::Debug for ExecConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExecConfig")
            .field("api_version", &self.api_version)
            .field("command", &self.command)
            .field("args", &self.args.len())
            .field("env", &self.env.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("interactive_mode", &self.interactive_mode)
            .finish()
    }
}

/// The largest `ExecCredential` read from a plugin.
const MAX_EXEC_OUTPUT: usize = 1 << 20;

/// A credential a plugin gave: the header, the certificate, and until when they hold.
#[derive(Clone)]
struct Issued {
    header: Option<http::HeaderValue>,
    identity: Option<Arc<rustls::sign::CertifiedKey>>,
    expires: Option<std::time::SystemTime>,
}

pub(crate) struct Exec {
    config: ExecConfig,
    cached: Mutex<Option<Issued>>,
    identity: Arc<IdentitySlot>,
}

impl ExecConfig {
    /// Runs the plugin once (blocking) and reads its credential.
    fn run(&self) -> Result<Issued, Error> {
        use std::io::Read as _;
        let what = format!("exec plugin `{}`", self.command);
        if !matches!(
            self.api_version.as_str(),
            "client.authentication.k8s.io/v1" | "client.authentication.k8s.io/v1beta1"
        ) {
            return Err(Error::Config(format!(
                "{what}: apiVersion `{}` is not client.authentication.k8s.io/v1 or v1beta1",
                self.api_version
            )));
        }
        if self.interactive_mode == InteractiveMode::Always {
            return Err(Error::Config(format!(
                "{what} needs an interactive terminal (interactiveMode: Always), which this client does not give it"
            )));
        }
        let info = serde_json::json!({
            "apiVersion": self.api_version,
            "kind": "ExecCredential",
            "spec": {"interactive": false},
        });
        let mut child = std::process::Command::new(&self.command)
            .args(&self.args)
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .env("KUBERNETES_EXEC_INFO", info.to_string())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            // Its messages (a login hint) are for the user, as kubectl shows them.
            .stderr(std::process::Stdio::inherit())
            .spawn()
            .map_err(|e| Error::Config(format!("{what}: {e}")))?;
        let mut out = Vec::new();
        if let Some(stdout) = child.stdout.take() {
            stdout
                .take(MAX_EXEC_OUTPUT as u64 + 1)
                .read_to_end(&mut out)
                .map_err(|e| Error::Config(format!("{what}: {e}")))?;
        }
        let status = child
            .wait()
            .map_err(|e| Error::Config(format!("{what}: {e}")))?;
        if !status.success() {
            return Err(Error::Config(format!("{what} failed ({status})")));
        }
        if out.len() > MAX_EXEC_OUTPUT {
            return Err(Error::Config(format!(
                "{what} printed more than {MAX_EXEC_OUTPUT} bytes"
            )));
        }
        self.parse(&out)
            .map_err(|e| Error::Config(format!("{what}: {e}")))
    }

    /// Reads an `ExecCredential`. Errors never quote the output: it holds the credential.
    fn parse(&self, out: &[u8]) -> Result<Issued, String> {
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct Credential {
            api_version: Option<String>,
            kind: Option<String>,
            status: Option<CredentialStatus>,
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct CredentialStatus {
            token: Option<String>,
            expiration_timestamp: Option<String>,
            client_certificate_data: Option<String>,
            client_key_data: Option<String>,
        }
        let c: Credential = serde_json::from_slice(out).map_err(|e| {
            format!(
                "its output is not an ExecCredential (line {}, column {})",
                e.line(),
                e.column()
            )
        })?;
        if c.kind.as_deref() != Some("ExecCredential")
            || c.api_version.as_deref() != Some(&self.api_version)
        {
            return Err(format!(
                "it printed kind {:?} of {:?}, not an ExecCredential of {}",
                c.kind, c.api_version, self.api_version
            ));
        }
        let status = c.status.ok_or("its ExecCredential has no status")?;
        let non_empty = |v: Option<String>| v.filter(|v| !v.is_empty());
        let identity = match (
            non_empty(status.client_certificate_data),
            non_empty(status.client_key_data),
        ) {
            (None, None) => None,
            (Some(cert), Some(key)) => Some(certified_key(cert.as_bytes(), key.as_bytes())?),
            _ => return Err(
                "its ExecCredential has clientCertificateData or clientKeyData without the other"
                    .into(),
            ),
        };
        let header = non_empty(status.token)
            .map(|t| bearer(&t).map_err(|e| e.to_string()))
            .transpose()?;
        if header.is_none() && identity.is_none() {
            return Err(
                "its ExecCredential has neither status.token nor a client certificate".into(),
            );
        }
        let expires = match status.expiration_timestamp {
            None => None,
            Some(t) => {
                let ts: jiff::Timestamp = t
                    .parse()
                    .map_err(|_| "its expirationTimestamp is not an RFC 3339 time".to_string())?;
                let secs = u64::try_from(ts.as_second()).unwrap_or(0);
                Some(std::time::UNIX_EPOCH + Duration::from_secs(secs))
            }
        };
        Ok(Issued {
            header,
            identity,
            expires,
        })
    }
}

impl Exec {
    /// `identity`: the client certificate until the plugin gives one (a kubeconfig may name
    /// both).
    pub(crate) fn new(
        config: ExecConfig,
        identity: Option<Arc<rustls::sign::CertifiedKey>>,
    ) -> Exec {
        Exec {
            config,
            cached: Mutex::new(None),
            identity: Arc::new(IdentitySlot::new(identity)),
        }
    }

    /// The plugin's token, if it gives one: the cached one until it expires, else a new run
    /// (off the async threads: a plugin may take seconds), whose certificate, if any, new
    /// connections use from then on.
    async fn current(&self, fresh: bool) -> Result<Option<http::HeaderValue>, Error> {
        if !fresh {
            let cached = self
                .cached
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .clone();
            if let Some(c) = cached {
                let valid = c
                    .expires
                    .is_none_or(|t| t > std::time::SystemTime::now() + Duration::from_secs(10));
                if valid {
                    return Ok(c.header);
                }
            }
        }
        let config = self.config.clone();
        let issued = tokio::task::spawn_blocking(move || config.run())
            .await
            .map_err(|_| Error::Config("the exec plugin's thread failed".into()))??;
        if let Some(identity) = &issued.identity {
            self.identity.set(identity.clone());
        }
        let header = issued.header.clone();
        *self.cached.lock().unwrap_or_else(|p| p.into_inner()) = Some(issued);
        Ok(header)
    }
}
