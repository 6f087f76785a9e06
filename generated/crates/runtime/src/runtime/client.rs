// Hand-written: not produced by codegen.
//! The async HTTP client: reqwest over rustls (ring), bearer tokens (fixed, from a file read
//! again before it goes stale, or from an exec plugin), client certificates, CA bundles (a
//! file followed as it changes), proxies, timeouts by default, retries of what is safe to
//! repeat, and a response size limit. TLS verification is on unless turned off by name.

use std::fmt;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use futures_util::{Stream, StreamExt as _};
use serde::de::DeserializeOwned;

use super::auth::{bearer, Auth, Exec, ExecConfig, TokenFile, TOKEN_FILE_RELOAD};
use super::request;
use super::retry::{jitter, retryable, Failure, RetryEvent, RetryPolicy, RetryReason};
use super::tls::{IdentitySlot, Tls};
use super::warning::{warnings, Warning};
use super::watch::{WatchDecoder, WatchEvent};
use super::{Error, List};

/// A bearer token: never shown by `Debug` or `Display`, never in an error.
#[derive(Clone)]
pub(super) struct Secret(pub(super) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Events of a watch, decoded one at a time as the body arrives.
pub type WatchStream<T> = Pin<Box<dyn Stream<Item = Result<WatchEvent<T>, Error>> + Send>>;

/// What the client does with each warning the server sends (see
/// [`ClientBuilder::on_warning`]).
#[derive(Clone)]
pub struct WarningHandler(Arc<dyn Fn(&Warning) + Send + Sync>);

impl fmt::Debug for WarningHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("WarningHandler")
    }
}

impl Default for WarningHandler {
    /// See [`default_warning`].
    fn default() -> Self {
        WarningHandler(Arc::new(default_warning))
    }
}

/// The `log` target of the default warning handler.
pub const WARNING_LOG_TARGET: &str = "kubernetes_warning";

/// The default warning handler. A library should not write to stderr behind an application's
/// back, nor swallow what the server says: when the application has a logger (the `log` crate's,
/// which `tracing-subscriber` also collects) taking warnings for [`WARNING_LOG_TARGET`], the
/// warning is logged there at `warn` level; without one it goes to stderr as
/// `Warning: <text>`, as client-go's default handler and kubectl write it. The text comes from
/// the server: control characters are escaped so it cannot move a terminal's cursor or forge
/// log lines.
pub fn default_warning(w: &Warning) {
    let text = printable(&w.text);
    if log::log_enabled!(target: WARNING_LOG_TARGET, log::Level::Warn) {
        log::warn!(target: WARNING_LOG_TARGET, "{text}");
    } else {
        eprintln!("Warning: {text}");
    }
}

fn printable(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return s.into();
    }
    s.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// Default limit on a response body: 256 MiB. Large lists should be paginated with `limit`.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 256 << 20;

/// Default limit for making a connection (client-go's dialer uses the same).
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(30);

/// Default limit for a whole request that is not a watch, body included. kube-apiserver ends
/// the requests it does not count as long-running after 60 s (`--request-timeout`), so a
/// request still unanswered at twice that is on a dead connection or a stopped server.
/// `pods/log` with `follow` is long-running: give it `no_timeout()` or a longer limit.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);

/// Default bound on a watch receiving nothing at all. With `allowWatchBookmarks` the API
/// server sends a bookmark about every minute (its cacher's `defaultBookmarkFrequency`), so a
/// healthy watch is never this quiet; without bookmarks a quiet resource can be, and the watch
/// then ends with [`Error::WatchIdle`] (ask for bookmarks, or raise the bound). Over HTTP/2,
/// pings find a dead connection sooner (see [`ClientBuilder::http2_keep_alive`]).
pub const DEFAULT_WATCH_IDLE_TIMEOUT: Duration = Duration::from_secs(300);

/// HTTP/2 keep-alive: a ping after this long without frames, even while idle, and the
/// connection is dead when its answer takes longer than [`HTTP2_PING_TIMEOUT`] (client-go's
/// `ReadIdleTimeout` and `PingTimeout`).
pub const HTTP2_PING_INTERVAL: Duration = Duration::from_secs(30);

/// See [`HTTP2_PING_INTERVAL`].
pub const HTTP2_PING_TIMEOUT: Duration = Duration::from_secs(15);

/// The `User-Agent` sent unless set: this crate, its version, and the platform, in client-go's
/// shape (`<name>/<version> (<os>/<arch>)`).
pub fn default_user_agent() -> String {
    format!(
        "generated/{} ({}/{})",
        env!("CARGO_PKG_VERSION"),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// What the client calls before each retry (see [`ClientBuilder::on_retry`]).
#[derive(Clone)]
pub struct RetryHandler(Arc<dyn Fn(&RetryEvent) + Send + Sync>);

impl fmt::Debug for RetryHandler {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("RetryHandler")
    }
}

impl Default for RetryHandler {
    /// Logs each retry at `info` for the target `kubernetes_retry` (through the `log`
    /// facade); [`Client::retries`] counts them whatever the handler.
    fn default() -> Self {
        RetryHandler(Arc::new(|r: &RetryEvent| {
            log::info!(
                target: "kubernetes_retry",
                "{} {}: {:?}; retry {} in {:?}",
                r.method, r.path, r.reason, r.attempt, r.delay
            );
        }))
    }
}

/// Where the bearer token comes from: the last of `bearer_token`, `bearer_token_file` and
/// `exec_credential` called.
#[derive(Debug, Clone)]
enum Credential {
    None,
    Token(Secret),
    File(std::path::PathBuf, Duration),
    Exec(ExecConfig),
}

/// Settings for a [`Client`].
#[derive(Debug, Clone)]
pub struct ClientBuilder {
    base_url: String,
    credential: Credential,
    impersonate: Vec<(http::HeaderName, String)>,
    default_namespace: String,
    tls: Tls,
    /// May hold the proxy's user and password.
    proxy: Option<Secret>,
    tls_server_name: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    watch_idle_timeout: Option<Duration>,
    http2_keep_alive: Option<(Duration, Duration)>,
    max_response_bytes: usize,
    on_warning: WarningHandler,
    user_agent: Option<String>,
    retry: RetryPolicy,
    on_retry: RetryHandler,
}

impl ClientBuilder {
    /// Calls `handler` with each warning the server sends (`Warning:` headers: a deprecated
    /// API, an unknown field under `fieldValidation=Warn`, …), for every request and watch,
    /// successful or not. By default ([`default_warning`]) each goes to the application's
    /// logger, or to stderr as `Warning: <text>` when there is none; `on_warning(|_| {})`
    /// drops them.
    pub fn on_warning(mut self, handler: impl Fn(&Warning) + Send + Sync + 'static) -> Self {
        self.on_warning = WarningHandler(Arc::new(handler));
        self
    }

    /// Sends `Authorization: Bearer <token>` with every request.
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.credential = Credential::Token(Secret(token.into()));
        self
    }

    /// Sends the token the file at `path` holds (a pod's service-account token, a kubeconfig
    /// `tokenFile`), read when the client is built, again when the last read is
    /// [`TOKEN_FILE_RELOAD`] old, and at once after a 401 (the request is then sent again,
    /// once, when the file holds another token).
    pub fn bearer_token_file(self, path: impl Into<std::path::PathBuf>) -> Self {
        self.bearer_token_file_reloaded_every(path, TOKEN_FILE_RELOAD)
    }

    /// [`bearer_token_file`](Self::bearer_token_file) with another reload period.
    pub fn bearer_token_file_reloaded_every(
        mut self,
        path: impl Into<std::path::PathBuf>,
        period: Duration,
    ) -> Self {
        self.credential = Credential::File(path.into(), period);
        self
    }

    /// Gets the bearer token from an exec credential plugin (kubeconfig `exec`), run when the
    /// first request needs it, again once the token expires (10 s before its
    /// `expirationTimestamp`) and after a 401.
    pub fn exec_credential(mut self, plugin: ExecConfig) -> Self {
        self.credential = Credential::Exec(plugin);
        self
    }

    /// Acts as another user (kubeconfig `as`, `as-uid`, `as-groups`, `as-user-extra`): sends
    /// `Impersonate-User`, `Impersonate-Uid`, one `Impersonate-Group` per group and
    /// `Impersonate-Extra-<key>` per value, which the API server checks against the caller's
    /// `impersonate` permission.
    pub fn impersonate(
        mut self,
        user: impl Into<String>,
        uid: Option<String>,
        groups: Vec<String>,
        extra: Vec<(String, Vec<String>)>,
    ) -> Self {
        let h = |n: &str| http::HeaderName::from_bytes(n.as_bytes());
        self.impersonate.clear();
        self.impersonate.push((
            http::HeaderName::from_static("impersonate-user"),
            user.into(),
        ));
        if let Some(uid) = uid {
            self.impersonate
                .push((http::HeaderName::from_static("impersonate-uid"), uid));
        }
        for g in groups {
            self.impersonate
                .push((http::HeaderName::from_static("impersonate-group"), g));
        }
        for (key, values) in extra {
            // The key is percent-encoded into the header name, as client-go does.
            let name = format!(
                "impersonate-extra-{}",
                percent_encoding::utf8_percent_encode(&key, percent_encoding::NON_ALPHANUMERIC)
            );
            if let Ok(name) = h(&name) {
                for v in values {
                    self.impersonate.push((name.clone(), v));
                }
            }
        }
        self
    }

    /// The namespace of handles made with `default_namespaced` (`default` unless set; a
    /// kubeconfig context's `namespace`, or a pod's own).
    pub fn default_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.default_namespace = namespace.into();
        self
    }

    /// The `User-Agent` header ([`default_user_agent`] unless set).
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = Some(agent.into());
        self
    }

    /// How requests are retried ([`RetryPolicy::default`] unless set; `RetryPolicy::none()`
    /// turns retries off). See `runtime::retry` for what is retried.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Calls `handler` before each retry, with what failed and how long the client waits
    /// (by default each is logged at `info`; [`Client::retries`] counts them either way).
    pub fn on_retry(mut self, handler: impl Fn(&RetryEvent) + Send + Sync + 'static) -> Self {
        self.on_retry = RetryHandler(Arc::new(handler));
        self
    }

    /// Trusts the certificate authorities of a PEM bundle instead of the system's.
    pub fn ca_bundle_pem(mut self, pem: impl AsRef<[u8]>) -> Self {
        self.tls.ca_pem.extend_from_slice(pem.as_ref());
        self.tls.ca_pem.push(b'\n');
        self
    }

    /// Trusts the certificate authorities of the PEM file at `path` instead of the system's
    /// (beside any given as bytes): read when the client is built, and again for every new
    /// connection, so a rotated bundle (a pod's `ca.crt`, a kubeconfig's
    /// `certificate-authority`) is followed without a restart. A later read that fails or holds
    /// no certificate keeps the bundle read before (said at `warn`).
    pub fn ca_bundle_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.tls.ca_file = Some(path.into());
        self
    }

    /// Connects through the HTTP proxy at `url` (`http://` or `https://`, as a kubeconfig's
    /// `proxy-url`; the API server is reached through `CONNECT`, TLS end to end), instead of
    /// the proxies of `HTTPS_PROXY` / `NO_PROXY`, which are used otherwise, as client-go does.
    /// SOCKS proxies are refused by `build()`.
    pub fn proxy_url(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(Secret(url.into()));
        self
    }

    /// Checks the server's certificate for `name` and sends `name` as the TLS server name
    /// (SNI), while still connecting to the base URL's host (kubeconfig `tls-server-name`: an
    /// API server reached by IP or through a tunnel, whose certificate names another host).
    /// Requests then carry `name` in their `Host` header, which kube-apiserver does not read.
    /// Not supported together with a proxy (refused by `build()`).
    pub fn tls_server_name(mut self, name: impl Into<String>) -> Self {
        self.tls_server_name = Some(name.into());
        self
    }

    /// Trusts one DER-encoded certificate authority instead of the system's.
    pub fn ca_certificate_der(mut self, der: Vec<u8>) -> Self {
        self.tls.ca_der.push(der);
        self
    }

    /// Authenticates with a client certificate chain and private key (both PEM).
    pub fn client_identity_pem(mut self, cert_chain: Vec<u8>, private_key: Vec<u8>) -> Self {
        self.tls.identity_pem = Some((
            cert_chain,
            Secret(String::from_utf8_lossy(&private_key).into_owned()),
        ));
        self
    }

    /// Limit for a whole request, body included ([`DEFAULT_TIMEOUT`] unless set; not applied
    /// to watches, which the server's `timeoutSeconds` ends and
    /// [`watch_idle_timeout`](Self::watch_idle_timeout) bounds).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// No limit for a request (a `pods/log` with `follow`, say).
    pub fn no_timeout(mut self) -> Self {
        self.timeout = None;
        self
    }

    /// Limit for establishing the connection ([`DEFAULT_CONNECT_TIMEOUT`] unless set).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// How long a watch may receive nothing, not even a bookmark, before it ends with
    /// [`Error::WatchIdle`] ([`DEFAULT_WATCH_IDLE_TIMEOUT`] unless set; `None`: no bound).
    pub fn watch_idle_timeout(mut self, bound: Option<Duration>) -> Self {
        self.watch_idle_timeout = bound;
        self
    }

    /// HTTP/2 pings: one after `interval` without frames (also on an idle connection), the
    /// connection given up when the answer takes longer than `timeout` ([`HTTP2_PING_INTERVAL`]
    /// and [`HTTP2_PING_TIMEOUT`] unless set; `None`: no pings).
    pub fn http2_keep_alive(mut self, interval_and_timeout: Option<(Duration, Duration)>) -> Self {
        self.http2_keep_alive = interval_and_timeout;
        self
    }

    /// Largest response body accepted ([`DEFAULT_MAX_RESPONSE_BYTES`] unless set).
    pub fn max_response_bytes(mut self, limit: usize) -> Self {
        self.max_response_bytes = limit;
        self
    }

    /// Turns off verification of the server's certificate. Anyone on the network path can then
    /// read and change the traffic, token included; use only against a throwaway cluster.
    pub fn danger_accept_invalid_certs(mut self) -> Self {
        self.tls.accept_invalid_certs = true;
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let base = self.base_url.trim_end_matches('/').to_string();
        let url = reqwest::Url::parse(&base)
            .map_err(|e| Error::Config(format!("invalid base URL: {e}")))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "base URL scheme `{}` is not http or https",
                url.scheme()
            )));
        }
        // A password in the URL would show in Debug output and in transport errors (which
        // name the URL); the API server has no basic authentication since 1.19 anyway.
        if !url.username().is_empty() || url.password().is_some() {
            return Err(Error::Config(
                "the base URL holds user information (`user:password@`), which the API server does not accept: use bearer_token or a client certificate".into(),
            ));
        }
        let (target, resolver) = match &self.tls_server_name {
            None => (base.clone(), None),
            Some(name) => {
                let (target, resolver) = server_name_target(&url, name, self.proxy.is_some())?;
                (target, Some(Arc::new(resolver)))
            }
        };
        let auth = match self.credential {
            Credential::None => Auth::None,
            Credential::Token(Secret(token)) => Auth::Static(bearer(&token)?),
            Credential::File(path, period) => Auth::File(TokenFile::new(path, period)?),
            Credential::Exec(plugin) => Auth::Exec(Exec::new(plugin, self.tls.identity()?)),
        };
        let identity = auth.exec_identity();
        let settings = HttpSettings {
            tls: self.tls.config(identity.clone())?,
            connect_timeout: self.connect_timeout,
            http2_keep_alive: self.http2_keep_alive,
            proxy: self
                .proxy
                .as_ref()
                .map(|Secret(url)| proxy_for(url))
                .transpose()?,
            resolver,
        };
        let http = Transport {
            current: std::sync::Mutex::new((0, settings.build()?)),
            settings,
            identity,
        };
        let mut impersonate = http::HeaderMap::new();
        for (name, value) in &self.impersonate {
            let v = http::HeaderValue::from_str(value).map_err(|_| {
                Error::Config(format!(
                    "{name}: the value holds characters not allowed in a header"
                ))
            })?;
            impersonate.append(name.clone(), v);
        }
        let agent = self.user_agent.unwrap_or_else(default_user_agent);
        let user_agent = http::HeaderValue::from_str(&agent).map_err(|_| {
            Error::Config("the user agent holds characters not allowed in a header".into())
        })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                target,
                auth,
                impersonate,
                default_namespace: self.default_namespace,
                user_agent,
                timeout: self.timeout,
                watch_idle: self.watch_idle_timeout,
                max_response_bytes: self.max_response_bytes,
                on_warning: self.on_warning,
                retry: self.retry,
                on_retry: self.on_retry,
                retries: AtomicU64::new(0),
            }),
        })
    }
}

/// What the HTTP client is made from: once at build, again when an exec plugin's client
/// certificate changes.
struct HttpSettings {
    tls: rustls::ClientConfig,
    connect_timeout: Option<Duration>,
    http2_keep_alive: Option<(Duration, Duration)>,
    proxy: Option<reqwest::Proxy>,
    resolver: Option<Arc<ServerNameResolver>>,
}

impl HttpSettings {
    fn build(&self) -> Result<reqwest::Client, Error> {
        let mut http = reqwest::Client::builder().tls_backend_preconfigured(self.tls.clone());
        if let Some(t) = self.connect_timeout {
            http = http.connect_timeout(t);
        }
        if let Some((interval, timeout)) = self.http2_keep_alive {
            http = http
                .http2_keep_alive_interval(interval)
                .http2_keep_alive_timeout(timeout)
                .http2_keep_alive_while_idle(true);
        }
        if let Some(proxy) = &self.proxy {
            http = http.proxy(proxy.clone());
        }
        if let Some(resolver) = &self.resolver {
            http = http.dns_resolver(resolver.clone());
        }
        http.build().map_err(|e| Error::Config(e.to_string()))
    }
}

/// The HTTP client. A pooled connection keeps the client certificate it was opened with, so
/// when an exec plugin issues a new one the client is made anew and the old connections go
/// with the old client once their requests end (client-go closes them too).
struct Transport {
    settings: HttpSettings,
    identity: Option<Arc<IdentitySlot>>,
    /// The identity generation the client was made for, and the client.
    current: std::sync::Mutex<(u64, reqwest::Client)>,
}

impl Transport {
    fn client(&self) -> Result<reqwest::Client, Error> {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(generation) = self.identity.as_ref().map(|slot| slot.generation()) {
            if current.0 != generation {
                *current = (generation, self.settings.build()?);
            }
        }
        Ok(current.1.clone())
    }
}

struct Inner {
    http: Transport,
    base: String,
    /// Where requests go: `base`, or with the TLS server name as its host.
    target: String,
    auth: Auth,
    impersonate: http::HeaderMap,
    default_namespace: String,
    user_agent: http::HeaderValue,
    timeout: Option<Duration>,
    watch_idle: Option<Duration>,
    max_response_bytes: usize,
    on_warning: WarningHandler,
    retry: RetryPolicy,
    on_retry: RetryHandler,
    retries: AtomicU64,
}

/// Sends the requests the generated operations build. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base)
            .field(
                "bearer_token",
                &match self.inner.auth {
                    Auth::None => None,
                    Auth::Static(_) => Some("<redacted>"),
                    Auth::File(_) => Some("<redacted, from a file>"),
                    Auth::Exec(_) => Some("<redacted, from an exec plugin>"),
                },
            )
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

/// With a TLS server name, requests go to a URL naming it, and the name resolves to the
/// base URL's host: the connection goes where the base URL says, while TLS (SNI and the
/// certificate check, both taken from the URL's host) uses the name.
fn server_name_target(
    base: &reqwest::Url,
    name: &str,
    with_proxy: bool,
) -> Result<(String, ServerNameResolver), Error> {
    let config = |what: &str| Error::Config(format!("TLS server name `{name}`: {what}"));
    if with_proxy {
        return Err(config("not supported together with a proxy"));
    }
    if rustls::pki_types::ServerName::try_from(name).is_err() {
        return Err(config("not a DNS name"));
    }
    let host = base
        .host_str()
        .ok_or_else(|| config("the base URL has no host"))?
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_string();
    let mut target = base.clone();
    target
        .set_host(Some(name))
        .map_err(|e| config(&e.to_string()))?;
    let resolver = ServerNameResolver {
        name: name.to_ascii_lowercase(),
        host,
    };
    Ok((target.as_str().trim_end_matches('/').to_string(), resolver))
}

/// Resolves the TLS server name to the base URL's host (an IP address as it is), any other
/// name (a proxy's, should one be used) as the system does.
struct ServerNameResolver {
    name: String,
    host: String,
}

impl reqwest::dns::Resolve for ServerNameResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let lookup = if name.as_str().eq_ignore_ascii_case(&self.name) {
            self.host.clone()
        } else {
            name.as_str().to_string()
        };
        Box::pin(async move {
            // getaddrinfo blocks, as in reqwest's own resolver; the port is the URL's.
            let addrs = tokio::task::spawn_blocking(move || {
                std::net::ToSocketAddrs::to_socket_addrs(&(lookup.as_str(), 0))
            })
            .await??;
            Ok(Box::new(addrs.collect::<Vec<_>>().into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The proxy of `proxy_url`. Errors do not repeat the URL: it may hold a password.
fn proxy_for(url: &str) -> Result<reqwest::Proxy, Error> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::Config(format!("proxy URL: {e}")))?;
    match parsed.scheme() {
        "http" | "https" => {
            reqwest::Proxy::all(parsed).map_err(|e| Error::Config(format!("proxy URL: {e}")))
        }
        other => Err(Error::Config(format!(
            "proxy URL: scheme `{other}` is not supported (an http:// or https:// proxy is)"
        ))),
    }
}

fn transport(e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::Timeout;
    }
    // reqwest's message names the URL (path and query, never the Authorization header).
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        source = s.source();
    }
    Error::Transport(msg)
}

/// Whether the handshake failed on TLS itself (an untrusted or invalid certificate, a
/// protocol mismatch): rustls's error somewhere in the chain.
fn is_tls_refusal(e: &reqwest::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = source {
        if s.downcast_ref::<rustls::Error>().is_some() {
            return true;
        }
        // hyper wraps rustls's error in io::Errors, whose `source` skips what they wrap.
        source = match s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
        {
            Some(inner) => Some(inner as &(dyn std::error::Error + 'static)),
            None => s.source(),
        };
    }
    false
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the API server).
fn retry_after(headers: &http::HeaderMap) -> Option<u64> {
    headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}

fn with_retry_after(e: Error, seconds: Option<u64>) -> Error {
    match e {
        Error::Api {
            status,
            details,
            body,
            ..
        } => Error::Api {
            status,
            details,
            body,
            retry_after: seconds,
        },
        other => other,
    }
}

impl Client {
    /// A client for the API server at `base_url` (e.g. `https://10.0.0.1:6443`), trusting the
    /// system's certificate authorities, with no credentials.
    pub fn new(base_url: &str) -> Result<Client, Error> {
        Self::builder(base_url).build()
    }

    /// Settings for a client of the API server at `base_url`.
    pub fn builder(base_url: &str) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.to_string(),
            credential: Credential::None,
            impersonate: Vec::new(),
            default_namespace: "default".into(),
            tls: Tls::default(),
            proxy: None,
            tls_server_name: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: Some(DEFAULT_CONNECT_TIMEOUT),
            watch_idle_timeout: Some(DEFAULT_WATCH_IDLE_TIMEOUT),
            http2_keep_alive: Some((HTTP2_PING_INTERVAL, HTTP2_PING_TIMEOUT)),
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            on_warning: WarningHandler::default(),
            user_agent: None,
            retry: RetryPolicy::default(),
            on_retry: RetryHandler::default(),
        }
    }

    /// How many times this client (and its clones) has sent a request again.
    pub fn retries(&self) -> u64 {
        self.inner.retries.load(Ordering::Relaxed)
    }

    /// The namespace handles made with `default_namespaced` work in.
    pub fn default_namespace(&self) -> &str {
        &self.inner.default_namespace
    }

    /// The API server's base URL.
    pub fn base_url(&self) -> &str {
        &self.inner.base
    }

    /// Sends a request, again while the failure is one worth retrying (`runtime::retry`) and
    /// after a 401 when the token file holds a new token; returns the last answer, whatever
    /// its status.
    async fn send_with_retries(
        &self,
        req: http::Request<Vec<u8>>,
        with_timeout: bool,
    ) -> Result<reqwest::Response, Error> {
        let (parts, body) = req.into_parts();
        let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        if !path.starts_with('/') {
            return Err(Error::Request(format!(
                "request target `{path}` is not a path"
            )));
        }
        let url = format!("{}{}", self.inner.target, path);
        let body = bytes::Bytes::from(body);
        let mut attempt = 0;
        let mut refreshed = false;
        // The credential a 401 renewed, sent with the next attempt as it is.
        let mut renewed = None;
        loop {
            let auth = match renewed.take() {
                Some(auth) => auth,
                None => self.inner.auth.header().await?,
            };
            let mut rb = self
                .inner
                .http
                .client()?
                .request(parts.method.clone(), &url)
                .headers(parts.headers.clone())
                .headers(self.inner.impersonate.clone())
                .body(body.clone());
            if let Some(auth) = &auth {
                rb = rb.header(http::header::AUTHORIZATION, auth.clone());
            }
            if !parts.headers.contains_key(http::header::USER_AGENT) {
                rb = rb.header(http::header::USER_AGENT, self.inner.user_agent.clone());
            }
            if let (true, Some(t)) = (with_timeout, self.inner.timeout) {
                rb = rb.timeout(t);
            }
            let (reason, retry_after, last) = match rb.send().await {
                Ok(resp) => {
                    let status = resp.status();
                    if status == http::StatusCode::UNAUTHORIZED && !refreshed {
                        refreshed = true;
                        if let Some(auth) = self.inner.auth.refresh_after_401(auth.as_ref()).await {
                            renewed = Some(auth);
                            self.warn(resp.headers());
                            continue;
                        }
                    }
                    if !retryable(&parts.method, &Failure::Status(status)) {
                        return Ok(resp);
                    }
                    let after = retry_after(resp.headers());
                    (RetryReason::Status(status), after, Ok(resp))
                }
                Err(e) if e.is_timeout() || e.is_builder() => return Err(transport(e)),
                // A certificate the client does not trust stays untrusted: no retry.
                Err(e) if is_tls_refusal(&e) => return Err(transport(e)),
                Err(e) => {
                    let failure = if e.is_connect() {
                        Failure::NotConnected
                    } else {
                        Failure::ConnectionLost
                    };
                    let err = transport(e);
                    if !retryable(&parts.method, &failure) {
                        return Err(err);
                    }
                    let text = match &err {
                        Error::Transport(text) => text.clone(),
                        other => other.to_string(),
                    };
                    (RetryReason::Connection(text), None, Err(err))
                }
            };
            attempt += 1;
            let Some(delay) = self.inner.retry.delay(attempt, retry_after, jitter()) else {
                return last;
            };
            if let Ok(resp) = &last {
                self.warn(resp.headers());
            }
            self.inner.retries.fetch_add(1, Ordering::Relaxed);
            (self.inner.on_retry.0)(&RetryEvent {
                method: parts.method.clone(),
                path: parts.uri.path().to_string(),
                attempt,
                delay,
                reason,
            });
            tokio::time::sleep(delay).await;
        }
    }

    fn warn(&self, headers: &http::HeaderMap) {
        for w in warnings(headers) {
            (self.inner.on_warning.0)(&w);
        }
    }

    async fn body(&self, resp: reqwest::Response) -> Result<bytes::Bytes, Error> {
        let limit = self.inner.max_response_bytes;
        match resp.content_length() {
            Some(n) if n > limit as u64 => return Err(Error::BodyTooLarge { limit }),
            // hyper ends the body at its declared length (HTTP/1) or fails it when more
            // arrives (HTTP/2), so the limit holds; a body in one chunk is then not copied.
            Some(_) => return resp.bytes().await.map_err(transport),
            None => {}
        }
        let mut body = Vec::new();
        let mut stream = resp.bytes_stream();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(transport)?;
            if body.len() + chunk.len() > limit {
                return Err(Error::BodyTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body.into())
    }

    /// Sends a request and returns the status and body, whatever the status.
    pub async fn execute(
        &self,
        req: http::Request<Vec<u8>>,
    ) -> Result<(http::StatusCode, Vec<u8>), Error> {
        let (status, body, _) = self.execute_with_retry_after(req).await?;
        Ok((status, body.into()))
    }

    async fn execute_with_retry_after(
        &self,
        req: http::Request<Vec<u8>>,
    ) -> Result<(http::StatusCode, bytes::Bytes, Option<u64>), Error> {
        let resp = self.send_with_retries(req, true).await?;
        self.warn(resp.headers());
        let status = resp.status();
        let retry_after = retry_after(resp.headers());
        let body = self.body(resp).await?;
        Ok((status, body, retry_after))
    }

    /// Sends a request and decodes the body of a success status as `T`; any other status is
    /// [`Error::Api`].
    pub async fn send<T: DeserializeOwned>(&self, req: http::Request<Vec<u8>>) -> Result<T, Error> {
        let (status, body, retry) = self.execute_with_retry_after(req).await?;
        request::decode(status, &body).map_err(|e| with_retry_after(e, retry))
    }

    /// Sends a request whose answer is plain text (pods/log) and returns it.
    pub async fn send_text(&self, req: http::Request<Vec<u8>>) -> Result<String, Error> {
        let (status, body, retry) = self.execute_with_retry_after(req).await?;
        request::decode_text(status, &body).map_err(|e| with_retry_after(e, retry))
    }

    /// Sends a request and returns the raw body of a success status (connect operations).
    pub async fn send_bytes(&self, req: http::Request<Vec<u8>>) -> Result<Vec<u8>, Error> {
        let (status, body, retry) = self.execute_with_retry_after(req).await?;
        request::decode_bytes(status, &body).map_err(|e| with_retry_after(e, retry))
    }

    /// Sends a watch request and decodes its events as they arrive.
    pub async fn watch<T: DeserializeOwned + Send + 'static>(
        &self,
        req: http::Request<Vec<u8>>,
    ) -> Result<WatchStream<T>, Error> {
        let resp = self.send_with_retries(req, false).await?;
        self.warn(resp.headers());
        let status = resp.status();
        if !status.is_success() {
            let retry = retry_after(resp.headers());
            let body = self.body(resp).await?;
            return Err(with_retry_after(request::api_error(status, &body), retry));
        }
        let limit = self.inner.max_response_bytes;
        let idle = self.inner.watch_idle;
        struct State<T> {
            body: Pin<Box<dyn Stream<Item = reqwest::Result<bytes::Bytes>> + Send>>,
            decoder: WatchDecoder<T>,
            pending: usize,
            done: bool,
        }
        let state = State {
            body: Box::pin(resp.bytes_stream()),
            decoder: WatchDecoder::<T>::new(),
            pending: 0,
            done: false,
        };
        let events = futures_util::stream::unfold(state, move |mut st| async move {
            loop {
                if let Some(ev) = st.decoder.next_event() {
                    st.pending = 0;
                    return Some((ev, st));
                }
                if st.done {
                    return None;
                }
                let next = match idle {
                    None => st.body.next().await,
                    Some(after) => match tokio::time::timeout(after, st.body.next()).await {
                        Ok(next) => next,
                        Err(_) => {
                            st.done = true;
                            return Some((Err(Error::WatchIdle { after }), st));
                        }
                    },
                };
                match next {
                    Some(Ok(chunk)) => {
                        // One event may not grow beyond the body limit.
                        st.pending += chunk.len();
                        if st.pending > limit {
                            st.done = true;
                            return Some((Err(Error::BodyTooLarge { limit }), st));
                        }
                        st.decoder.push(&chunk);
                    }
                    Some(Err(e)) => {
                        st.done = true;
                        return Some((Err(transport(e)), st));
                    }
                    None => {
                        st.done = true;
                        if let Some(e) = st.decoder.finish() {
                            return Some((Err(e), st));
                        }
                        return None;
                    }
                }
            }
        });
        Ok(Box::pin(events))
    }
}

/// How many empty chunks in a row [`paginate`] follows before giving up. The API server fills
/// each chunk up to its `limit` unless the list ends, so an empty chunk with a continue
/// token is rare (a selector matching nothing in a stretch it gave up on) and a hundred in a
/// row is a server that will never end.
pub const MAX_EMPTY_PAGES: usize = 100;

/// Every item of a list, following `continue` tokens: `fetch` gets the token to send (None for
/// the first chunk) and returns one chunk. It always ends: a chunk whose continue token is the
/// one just sent, or the [`MAX_EMPTY_PAGES`]th empty chunk in a row, ends it with
/// [`Error::Pagination`].
pub fn paginate<'a, L, F, Fut>(fetch: F) -> impl Stream<Item = Result<L::Item, Error>> + 'a
where
    L: List + 'a,
    L::Item: 'a,
    F: FnMut(Option<String>) -> Fut + 'a,
    Fut: std::future::Future<Output = Result<L, Error>> + 'a,
{
    struct State<F, I> {
        fetch: F,
        next: Option<Option<String>>,
        items: std::collections::VecDeque<I>,
        empty_in_a_row: usize,
        /// Yielded after the items of the chunk that caused it.
        failed: Option<Error>,
    }
    let state = State {
        fetch,
        next: Some(None),
        items: Default::default(),
        empty_in_a_row: 0,
        failed: None,
    };
    futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.items.pop_front() {
                return Some((Ok(item), st));
            }
            if let Some(e) = st.failed.take() {
                return Some((Err(e), st));
            }
            let token = st.next.take()?;
            match (st.fetch)(token.clone()).await {
                Ok(list) => {
                    let (items, cont) = list.into_parts();
                    let cont = cont.filter(|c| !c.is_empty());
                    st.empty_in_a_row = if items.is_empty() {
                        st.empty_in_a_row + 1
                    } else {
                        0
                    };
                    st.items.extend(items);
                    // A server that hands back the token it was sent, or sends nothing but
                    // empty chunks, would keep this loop going forever.
                    if cont.is_some() && cont == token {
                        st.failed = Some(Error::Pagination(
                            "the server returned the continue token it was sent",
                        ));
                    } else if cont.is_some() && st.empty_in_a_row >= MAX_EMPTY_PAGES {
                        st.failed = Some(Error::Pagination(
                            "the server sent 100 empty chunks in a row, each with a continue token",
                        ));
                    } else {
                        st.next = cont.map(Some);
                    }
                }
                Err(e) => return Some((Err(e), st)),
            }
        }
    })
}
