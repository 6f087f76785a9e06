//! A real kube-apiserver (and its etcd) on loopback, for the tests and for
//! `cargo xtask apiserver`: both start it through [`Cluster::start`].
//!
//! The binaries are built from their Go modules (`tests/apiserver/go.mod`: k8s.io/kubernetes
//! with its staging modules replaced by the published ones of the same patch level, and
//! go.etcd.io/etcd/server/v3) into `target/apiserver/bin`, once: a later run finds them newer
//! than go.mod and go.sum and starts in seconds. Everything the cluster writes (certificates,
//! tokens, etcd's data, logs) lives in a temporary folder that is removed when it stops.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

/// How long kube-apiserver may take to answer `/readyz` once started.
const READY_TIMEOUT: Duration = Duration::from_secs(180);

/// A running etcd + kube-apiserver. Dropping it stops both and removes its folder.
pub struct Cluster {
    /// `https://127.0.0.1:<port>`.
    pub server: String,
    /// PEM of the CA the server's certificate is signed by.
    pub ca_pem: String,
    admin_token: String,
    user_token: String,
    dir: PathBuf,
    /// etcd's client URL (`http://127.0.0.1:<port>`).
    etcd_url: String,
    /// How to start kube-apiserver again (`restart_apiserver`).
    apiserver_cmd: (PathBuf, Vec<String>),
    // Stopped in this order: the API server before its storage.
    apiserver: std::sync::Mutex<Proc>,
    etcd: std::sync::Mutex<Proc>,
}

// Tokens are credentials: never in Debug output.
impl std::fmt::Debug for Cluster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cluster")
            .field("server", &self.server)
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

/// Who a client acts as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Identity {
    /// `admin`, in group `system:masters`: every permission.
    Admin,
    /// `user`, in no group and with no RBAC grant.
    User,
}

/// A process started through `sh`, which stops it when our end of its stdin closes: when the
/// [`Cluster`] is dropped, and also when this process dies without running destructors (a test
/// binary exits without dropping statics), so no server outlives its tests.
struct Proc {
    name: &'static str,
    child: Child,
    stdin: Option<ChildStdin>,
    log: PathBuf,
}

/// Runs `"$@"`; kills it when stdin reaches its end; exits with it. (A background job's stdin
/// is /dev/null unless redirected, hence fd 3.) SIGKILL: the cluster is thrown away, and
/// kube-apiserver's graceful shutdown waits for an etcd that may already be gone.
const WATCHDOG: &str = r#"exec 3<&0
"$@" & child=$!
( read _ignored <&3; kill -9 "$child" 2>/dev/null ) &
wait "$child"; status=$?
if [ -n "$CLEANUP_DIR" ]; then rm -rf "$CLEANUP_DIR"; fi
exit $status
"#;

impl Proc {
    /// `cleanup`: a folder the watchdog removes once the process has stopped.
    fn spawn(
        name: &'static str,
        bin: &Path,
        args: &[String],
        log: PathBuf,
        cleanup: Option<&Path>,
    ) -> Result<Proc, String> {
        let out = std::fs::File::create(&log).map_err(|e| format!("{}: {e}", log.display()))?;
        let err = out.try_clone().map_err(|e| e.to_string())?;
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(WATCHDOG)
            .arg(name)
            .arg(bin)
            .args(args)
            .env(
                "CLEANUP_DIR",
                cleanup.map(Path::as_os_str).unwrap_or_default(),
            )
            .stdin(Stdio::piped())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| format!("cannot start {name} through sh: {e}"))?;
        let stdin = child.stdin.take();
        Ok(Proc {
            name,
            child,
            stdin,
            log,
        })
    }

    /// kube-apiserver, logging to `kube-apiserver.log` in the cluster's folder.
    fn apiserver(bin: &Path, args: &[String], dir: &Path) -> Result<Proc, String> {
        let log = dir.join("kube-apiserver.log");
        Proc::spawn("kube-apiserver", bin, args, log, None)
    }

    /// The end of its log, for an error message.
    fn log_tail(&self) -> String {
        let text = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(format!(
                "{} exited ({status}); the end of its log ({}):\n{}",
                self.name,
                self.log.display(),
                self.log_tail()
            )),
            _ => None,
        }
    }

    /// The pid of the process itself (the watchdog shell's child of that name), from
    /// /proc (Linux).
    fn pid(&self) -> Result<u32, String> {
        let sh = self.child.id();
        let children = std::fs::read_to_string(format!("/proc/{sh}/task/{sh}/children"))
            .map_err(|e| format!("children of {sh}: {e}"))?;
        children
            .split_whitespace()
            .filter_map(|p| p.parse::<u32>().ok())
            .find(|p| {
                std::fs::read_to_string(format!("/proc/{p}/comm"))
                    .is_ok_and(|c| self.name.starts_with(c.trim()))
            })
            .ok_or_else(|| format!("no {} process under {sh}", self.name))
    }

    fn stop(&mut self) {
        // Closing stdin makes the watchdog kill the process and wait for it.
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.apiserver
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .stop();
        self.etcd
            .get_mut()
            .unwrap_or_else(|p| p.into_inner())
            .stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The workspace root.
fn workspace() -> PathBuf {
    crate::workspace()
}

/// Builds kube-apiserver and etcd from their Go modules unless up to date, and returns their
/// paths. Progress goes to stderr (the first build takes minutes).
pub fn binaries() -> Result<(PathBuf, PathBuf), String> {
    let module = workspace().join("tests/apiserver");
    let bin = workspace().join("target/apiserver/bin");
    let inputs = [module.join("go.mod"), module.join("go.sum")];
    let newest_input = inputs
        .iter()
        .map(|p| {
            std::fs::metadata(p)
                .and_then(|m| m.modified())
                .map_err(|e| format!("{}: {e}", p.display()))
        })
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .max();
    let mut out = Vec::new();
    for (name, package) in [
        ("kube-apiserver", "k8s.io/kubernetes/cmd/kube-apiserver"),
        ("etcd", "go.etcd.io/etcd/server/v3"),
    ] {
        let path = bin.join(name);
        let fresh = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .zip(newest_input)
            .is_some_and(|(built, input)| built >= input);
        if !fresh {
            eprintln!(
                "building {name} from {package} (tests/apiserver/go.mod); the first build takes several minutes on 2 cores"
            );
            let status = Command::new("go")
                // -buildvcs=false: the packages come from the module cache, not from this
                // checkout, whose git state must not matter.
                .args(["build", "-v", "-buildvcs=false", "-o"])
                .arg(&path)
                .arg(package)
                .current_dir(&module)
                .stdout(Stdio::inherit())
                .stderr(Stdio::inherit())
                .status()
                .map_err(|e| {
                    format!("cannot run `go` (Go 1.25 or newer is needed to build {name}): {e}")
                })?;
            if !status.success() {
                return Err(format!(
                    "`go build {package}` in {} failed ({status}); its output is above",
                    module.display()
                ));
            }
            eprintln!("built {}", path.display());
        }
        out.push(path);
    }
    Ok((out.remove(0), out.remove(0)))
}

fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free loopback port: {e}"))
}

/// 32 random hex digits, from the kernel's generator.
fn random_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Writes a file readable by its owner only: most of them hold keys or tokens.
fn write(path: &Path, text: &str) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt as _;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    // `mode` applies to a new file only; a kubeconfig path may exist already.
    use std::os::unix::fs::PermissionsExt as _;
    f.set_permissions(std::fs::Permissions::from_mode(0o600))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    f.write_all(text.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// The common name of the CA of client certificates.
const CLIENT_CA: &str = "kube-codegen test client CA";

/// The parameters of a CA certificate named `name`.
fn ca_params(name: &str) -> Result<rcgen::CertificateParams, String> {
    let mut params =
        rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, name);
    Ok(params)
}

/// A name the serving certificate holds that no DNS resolves (`.invalid`), for clients that
/// check the certificate for another name than the address they connect to.
pub const SERVER_NAME: &str = "apiserver.kube-codegen.invalid";

/// A new CA and a serving certificate for `localhost`, `127.0.0.1` and [`SERVER_NAME`] signed
/// by it, written to `<prefix>ca.crt`, `<prefix>serving.crt` and `<prefix>serving.key` in
/// `dir`; returns the CA's PEM.
fn ca_and_serving(dir: &Path, prefix: &str) -> Result<String, String> {
    let ca_key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let ca_params = ca_params("kube-codegen test CA")?;
    let ca = ca_params.self_signed(&ca_key).map_err(|e| e.to_string())?;
    let issuer = rcgen::Issuer::new(ca_params, ca_key);
    let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
    let serving = rcgen::CertificateParams::new(vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        SERVER_NAME.to_string(),
    ])
    .and_then(|p| p.signed_by(&key, &issuer))
    .map_err(|e| e.to_string())?;
    write(&dir.join(format!("{prefix}ca.crt")), &ca.pem())?;
    write(&dir.join(format!("{prefix}serving.crt")), &serving.pem())?;
    write(
        &dir.join(format!("{prefix}serving.key")),
        &key.serialize_pem(),
    )?;
    Ok(ca.pem())
}

/// The service account issuer and the audience its tokens carry by default.
pub const ISSUER: &str = "https://kubernetes.default.svc.cluster.local";

impl Cluster {
    /// Builds what is missing, starts etcd and kube-apiserver on free loopback ports in a new
    /// temporary folder, and returns once the server answers `/readyz`.
    pub fn start() -> Result<Cluster, String> {
        let (apiserver_bin, etcd_bin) = binaries()?;
        let dir = std::env::temp_dir().join(format!(
            "kube-codegen-apiserver-{}-{}",
            std::process::id(),
            random_token()?.get(..8).unwrap_or_default()
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        // From here on, a failure removes the folder (through the guard or the Cluster).
        let guard = DirGuard(Some(dir.clone()));

        let ca_pem = ca_and_serving(&dir, "")?;
        // Client certificates (`Cluster::client_certificate`) are signed by a CA of their own.
        let client_ca_key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
        let client_ca = ca_params(CLIENT_CA)?
            .self_signed(&client_ca_key)
            .map_err(|e| e.to_string())?;
        write(&dir.join("client-ca.crt"), &client_ca.pem())?;
        write(&dir.join("client-ca.key"), &client_ca_key.serialize_pem())?;
        let sa_key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
        let (admin_token, user_token) = (random_token()?, random_token()?);
        let p = |name: &str| dir.join(name);
        write(&p("service-account.key"), &sa_key.serialize_pem())?;
        write(&p("service-account.pub"), &sa_key.public_key_pem())?;
        // token,user,uid,"groups"
        write(
            &p("tokens.csv"),
            &format!(
                "{admin_token},admin,admin-uid,\"system:masters\"\n{user_token},user,user-uid\n"
            ),
        )?;

        let (client_port, peer_port, port) = (free_port()?, free_port()?, free_port()?);
        let etcd_url = format!("http://127.0.0.1:{client_port}");
        let peer_url = format!("http://127.0.0.1:{peer_port}");
        let s = |p: PathBuf| p.display().to_string();
        let etcd_args: Vec<String> = vec![
            "--name=default".into(),
            format!("--data-dir={}", s(p("etcd"))),
            format!("--listen-client-urls={etcd_url}"),
            format!("--advertise-client-urls={etcd_url}"),
            format!("--listen-peer-urls={peer_url}"),
            format!("--initial-advertise-peer-urls={peer_url}"),
            format!("--initial-cluster=default={peer_url}"),
            // A throwaway store: no fsync (much faster on slow disks).
            "--unsafe-no-fsync".into(),
            "--log-level=warn".into(),
        ];
        // etcd stops last: its watchdog removes the folder (also when this process dies
        // without running destructors).
        let mut etcd = Proc::spawn("etcd", &etcd_bin, &etcd_args, p("etcd.log"), Some(&dir))?;
        let apiserver_args: Vec<String> = vec![
            format!("--etcd-servers={etcd_url}"),
            "--bind-address=127.0.0.1".into(),
            "--advertise-address=127.0.0.1".into(),
            format!("--secure-port={port}"),
            format!("--cert-dir={}", s(p("certs"))),
            format!("--tls-cert-file={}", s(p("serving.crt"))),
            format!("--tls-private-key-file={}", s(p("serving.key"))),
            format!("--token-auth-file={}", s(p("tokens.csv"))),
            format!("--client-ca-file={}", s(p("client-ca.crt"))),
            "--authorization-mode=RBAC".into(),
            format!("--service-account-issuer={ISSUER}"),
            format!("--service-account-key-file={}", s(p("service-account.pub"))),
            format!(
                "--service-account-signing-key-file={}",
                s(p("service-account.key"))
            ),
            format!("--api-audiences={ISSUER}"),
            "--service-cluster-ip-range=10.0.0.0/24".into(),
        ];
        let apiserver = Proc::apiserver(&apiserver_bin, &apiserver_args, &dir)?;
        if let Some(e) = etcd.exited() {
            return Err(e);
        }
        let cluster = Cluster {
            server: format!("https://127.0.0.1:{port}"),
            ca_pem,
            admin_token,
            user_token,
            dir: guard.keep(),
            etcd_url: etcd_url.clone(),
            apiserver_cmd: (apiserver_bin.clone(), apiserver_args.clone()),
            apiserver: std::sync::Mutex::new(apiserver),
            etcd: std::sync::Mutex::new(etcd),
        };
        cluster.wait_ready()?;
        Ok(cluster)
    }

    fn wait_ready(&self) -> Result<(), String> {
        // Polled: each probe once, without the client's retries; whatever CA signs the
        // serving certificate now (`rotate_serving_ca`): this only asks whether it is up.
        let client = self
            .client_builder(Identity::Admin)
            .danger_accept_invalid_certs()
            .retry_policy(generated::runtime::RetryPolicy::none())
            .build()
            .map_err(|e| e.to_string())?;
        let started = Instant::now();
        loop {
            if let Some(e) = self.etcd.lock().unwrap_or_else(|p| p.into_inner()).exited() {
                return Err(e);
            }
            if let Some(e) = self
                .apiserver
                .lock()
                .unwrap_or_else(|p| p.into_inner())
                .exited()
            {
                return Err(e);
            }
            let probe = client.clone();
            // A runtime of its own on a thread of its own: the caller may be inside one.
            let ready = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .ok()?;
                rt.block_on(async {
                    let req = generated::runtime::http::Request::get("/readyz")
                        .body(Vec::new())
                        .ok()?;
                    probe.execute(req).await.ok()
                })
            })
            .join()
            .ok()
            .flatten();
            if ready.is_some_and(|(status, _)| status.is_success()) {
                return Ok(());
            }
            if started.elapsed() > READY_TIMEOUT {
                return Err(format!(
                    "kube-apiserver did not answer /readyz within {READY_TIMEOUT:?}; the end of its log:\n{}",
                    self.apiserver.lock().unwrap_or_else(|p| p.into_inner()).log_tail()
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// The bearer token of an identity.
    pub fn token(&self, who: Identity) -> &str {
        match who {
            Identity::Admin => &self.admin_token,
            Identity::User => &self.user_token,
        }
    }

    /// A client of the generated crate, authenticated as `who`.
    pub fn client(&self, who: Identity) -> Result<generated::runtime::Client, String> {
        self.client_builder(who).build().map_err(|e| e.to_string())
    }

    /// The settings of [`Cluster::client`], to change some before building it.
    pub fn client_builder(&self, who: Identity) -> generated::runtime::ClientBuilder {
        generated::runtime::Client::builder(&self.server)
            .ca_bundle_pem(self.ca_pem.as_bytes())
            .bearer_token(self.token(who))
            .timeout(Duration::from_secs(60))
    }

    /// A kubeconfig for this cluster: the server, its CA, and the contexts `admin` (current)
    /// and `user`, each with its bearer token.
    pub fn kubeconfig(&self) -> String {
        use base64::Engine as _;
        let ca = base64::engine::general_purpose::STANDARD.encode(&self.ca_pem);
        format!(
            r#"apiVersion: v1
kind: Config
clusters:
- name: kube-codegen
  cluster:
    server: {server}
    certificate-authority-data: {ca}
users:
- name: admin
  user:
    token: {admin}
- name: user
  user:
    token: {user}
contexts:
- name: admin
  context:
    cluster: kube-codegen
    user: admin
- name: user
  context:
    cluster: kube-codegen
    user: user
current-context: admin
"#,
            server = self.server,
            admin = self.admin_token,
            user = self.user_token,
        )
    }

    /// Stops kube-apiserver with SIGSTOP (it keeps its sockets but answers nothing, as a
    /// hung server or a dead path would) until the guard is dropped (SIGCONT).
    pub fn pause_apiserver(&self) -> Result<Paused, String> {
        let pid = self.apiserver.lock().map_err(|e| e.to_string())?.pid()?;
        signal("STOP", pid)?;
        Ok(Paused(pid))
    }

    /// Kills kube-apiserver (SIGKILL, as a crash or an OOM kill would) and starts it again on
    /// the same port and storage; returns once it answers `/readyz`.
    pub fn restart_apiserver(&self) -> Result<(), String> {
        self.restart_apiserver_with(&[])
    }

    /// [`restart_apiserver`](Self::restart_apiserver) with more flags (until the next restart).
    pub fn restart_apiserver_with(&self, extra: &[&str]) -> Result<(), String> {
        let mut proc = self.apiserver.lock().map_err(|e| e.to_string())?;
        proc.stop();
        let (bin, args) = &self.apiserver_cmd;
        let args: Vec<String> = args
            .iter()
            .cloned()
            .chain(extra.iter().map(|a| a.to_string()))
            .collect();
        *proc = Proc::apiserver(bin, &args, &self.dir)?;
        drop(proc);
        self.wait_ready()
    }

    /// Compacts etcd's history up to its current revision, through etcd's JSON gateway: every
    /// resourceVersion before now is gone from storage.
    pub async fn compact_etcd(&self) -> Result<(), String> {
        let etcd = generated::runtime::Client::builder(&self.etcd_url)
            .build()
            .map_err(|e| e.to_string())?;
        let post = |path: &str, body: serde_json::Value| {
            generated::runtime::http::Request::post(path.to_string())
                .header("content-type", "application/json")
                .body(body.to_string().into_bytes())
                .map_err(|e| e.to_string())
        };
        // Any key: the answer's header carries the store's revision.
        let (status, body) = etcd
            .execute(post("/v3/kv/range", serde_json::json!({"key": "Lw=="}))?)
            .await
            .map_err(|e| e.to_string())?;
        let v: serde_json::Value = serde_json::from_slice(&body).map_err(|e| e.to_string())?;
        let revision = v["header"]["revision"]
            .as_str()
            .ok_or_else(|| format!("etcd range: {status} {v}"))?
            .to_string();
        let (status, body) = etcd
            .execute(post(
                "/v3/kv/compaction",
                serde_json::json!({"revision": revision, "physical": true}),
            )?)
            .await
            .map_err(|e| e.to_string())?;
        if !status.is_success() {
            return Err(format!(
                "etcd compaction: {status} {}",
                String::from_utf8_lossy(&body)
            ));
        }
        Ok(())
    }

    /// A client certificate kube-apiserver takes for `user` in `groups` (its common name and
    /// organizations), valid for an hour until `not_after`: the certificate's PEM and its
    /// key's.
    pub fn client_certificate(
        &self,
        user: &str,
        groups: &[&str],
        not_after: std::time::SystemTime,
    ) -> Result<(String, String), String> {
        let read =
            |f: &str| std::fs::read_to_string(self.dir.join(f)).map_err(|e| format!("{f}: {e}"));
        let ca_key =
            rcgen::KeyPair::from_pem(&read("client-ca.key")?).map_err(|e| e.to_string())?;
        // The same name and key as the CA certificate kube-apiserver reads.
        let issuer = rcgen::Issuer::new(ca_params(CLIENT_CA)?, ca_key);
        let mut params =
            rcgen::CertificateParams::new(Vec::<String>::new()).map_err(|e| e.to_string())?;
        params
            .distinguished_name
            .push(rcgen::DnType::CommonName, user);
        for g in groups {
            params
                .distinguished_name
                .push(rcgen::DnType::OrganizationName, *g);
        }
        params.not_before = (not_after - Duration::from_secs(3600)).into();
        params.not_after = not_after.into();
        let key = rcgen::KeyPair::generate().map_err(|e| e.to_string())?;
        let cert = params.signed_by(&key, &issuer).map_err(|e| e.to_string())?;
        Ok((cert.pem(), key.serialize_pem()))
    }

    /// Restarts kube-apiserver serving a certificate of a new CA (as a CA rotation does), until
    /// the next restart; returns the new CA's PEM. Clients trusting only the old CA are
    /// refused from then on.
    pub fn rotate_serving_ca(&self, name: &str) -> Result<String, String> {
        let prefix = format!("{name}-");
        let ca = ca_and_serving(&self.dir, &prefix)?;
        let file = |f: &str| self.dir.join(format!("{prefix}{f}")).display().to_string();
        self.restart_apiserver_with(&[
            &format!("--tls-cert-file={}", file("serving.crt")),
            &format!("--tls-private-key-file={}", file("serving.key")),
        ])?;
        Ok(ca)
    }

    /// Writes [`Cluster::kubeconfig`] to `path`, readable by its owner only.
    pub fn write_kubeconfig(&self, path: &Path) -> Result<(), String> {
        write(path, &self.kubeconfig())
    }
}

/// A stopped kube-apiserver, continued on drop.
#[derive(Debug)]
pub struct Paused(u32);

impl Drop for Paused {
    fn drop(&mut self) {
        let _ = signal("CONT", self.0);
    }
}

fn signal(name: &str, pid: u32) -> Result<(), String> {
    let status = Command::new("kill")
        .arg(format!("-{name}"))
        .arg(pid.to_string())
        .status()
        .map_err(|e| format!("kill -{name} {pid}: {e}"))?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| format!("kill -{name} {pid}: {status}"))
}

/// Removes a folder on drop unless kept.
struct DirGuard(Option<PathBuf>);

impl DirGuard {
    fn keep(mut self) -> PathBuf {
        self.0.take().unwrap_or_default()
    }
}

impl Drop for DirGuard {
    fn drop(&mut self) {
        if let Some(d) = self.0.take() {
            let _ = std::fs::remove_dir_all(d);
        }
    }
}

/// The cluster shared by the tests of one test binary, started by the first that asks. A
/// failure to build or start it fails every test that needs it, with the reason.
pub fn shared() -> &'static Cluster {
    static CLUSTER: std::sync::OnceLock<Result<Cluster, String>> = std::sync::OnceLock::new();
    match CLUSTER.get_or_init(Cluster::start) {
        Ok(c) => c,
        Err(e) => panic!("the real API server could not be started: {e}"),
    }
}

/// Sends a request the generated crate has no operation for (our specs/ hold only part of
/// core/v1): `body` as JSON, the answer decoded as JSON (`null` when it is not).
pub async fn plain(
    client: &generated::runtime::Client,
    method: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> (u16, serde_json::Value) {
    let mut req = generated::runtime::http::Request::builder()
        .method(method)
        .uri(path)
        .header("accept", "application/json");
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let bytes = body.map(|b| b.to_string().into_bytes()).unwrap_or_default();
    let req = req.body(bytes).expect("a valid request");
    let (status, body) = client
        .execute(req)
        .await
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
    (
        status.as_u16(),
        serde_json::from_slice(&body).unwrap_or(serde_json::Value::Null),
    )
}

/// Creates a namespace of its own for one test: `<prefix>-<random>`.
pub async fn namespace(client: &generated::runtime::Client, prefix: &str) -> String {
    let name = format!("{prefix}-{}", &random_token().expect("random")[..8]);
    let (status, body) = plain(
        client,
        "POST",
        "/api/v1/namespaces",
        Some(serde_json::json!({"metadata": {"name": name}})),
    )
    .await;
    assert_eq!(status, 201, "creating namespace {name}: {body}");
    name
}

/// Installs the config.openshift.io/v1 Authentication CRD from specs/ (once: a second call
/// finds it there) and returns when the server serves the kind.
pub async fn install_authentication_crd(client: &generated::runtime::Client) {
    let path =
        crate::workspace().join("specs/config.openshift.io/authentications-Default.crd.yaml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let crd: serde_json::Value = serde_yaml_ng::from_str(&text).expect("the CRD parses");
    let (status, body) = plain(
        client,
        "POST",
        "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
        Some(crd),
    )
    .await;
    assert!(
        status == 201 || status == 409,
        "installing the CRD: {status} {body}"
    );
    for _ in 0..200 {
        let (status, _) = plain(
            client,
            "GET",
            "/apis/config.openshift.io/v1/authentications",
            None,
        )
        .await;
        if status == 200 {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the Authentication CRD was not served within 20 s");
}
