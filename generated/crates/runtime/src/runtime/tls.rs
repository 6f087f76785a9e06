// Hand-written: not produced by codegen.
//! The client's TLS settings: which server certificates it trusts (the system's authorities,
//! fixed bundles, or a CA file read again when it changes) and the certificate it shows.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::ResolvesClientCert;
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName, UnixTime};
use rustls::sign::CertifiedKey;
use rustls::{DigitallySignedStruct, SignatureScheme};

use super::client::Secret;
use super::Error;

/// What [`ClientBuilder`](super::ClientBuilder) collects for TLS.
#[derive(Debug, Clone, Default)]
pub(super) struct Tls {
    pub(super) ca_pem: Vec<u8>,
    pub(super) ca_der: Vec<Vec<u8>>,
    pub(super) ca_file: Option<PathBuf>,
    pub(super) identity_pem: Option<(Vec<u8>, Secret)>,
    pub(super) accept_invalid_certs: bool,
}

impl Tls {
    /// The rustls configuration: HTTP/2 or HTTP/1.1 by ALPN, ring's algorithms. With
    /// `exec_identity`, the client certificate is the one it holds when a connection is made.
    pub(super) fn config(
        &self,
        exec_identity: Option<Arc<IdentitySlot>>,
    ) -> Result<rustls::ClientConfig, Error> {
        let provider = Arc::new(ring());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::Config(e.to_string()))?;
        let fixed = self.fixed_roots()?;
        let custom = |ca_file| {
            Arc::new(Custom {
                provider: provider.clone(),
                ca_file,
            })
        };
        let builder = match &self.ca_file {
            _ if self.accept_invalid_certs => builder
                .dangerous()
                .with_custom_certificate_verifier(custom(None)),
            Some(path) => {
                let file = CaFile::new(path.clone(), fixed, provider.clone())?;
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(custom(Some(file)))
            }
            None if self.ca_pem.is_empty() && self.ca_der.is_empty() => {
                let mut roots = rustls::RootCertStore::empty();
                roots.add_parsable_certificates(rustls_native_certs::load_native_certs().certs);
                builder.with_root_certificates(roots)
            }
            None => builder.with_root_certificates(root_store(fixed.into_iter(), "CA bundle")?),
        };
        let mut config = match (exec_identity, &self.identity_pem) {
            (Some(slot), _) => builder.with_client_cert_resolver(slot),
            (None, None) => builder.with_no_client_auth(),
            (None, Some((chain, Secret(key)))) => {
                let (certs, key) = identity(chain, key.as_bytes()).map_err(Error::Config)?;
                builder
                    .with_client_auth_cert(certs, key)
                    .map_err(|e| Error::Config(format!("client identity: {e}")))?
            }
        };
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        // Every new connection verifies the server against the authorities trusted now (a
        // resumed session would skip that, keeping trust a rotated CA file took away), as
        // client-go's connections do (Go's TLS resumes only with a session cache, which it
        // does not set). Connections are pooled: full handshakes are rare.
        config.resumption = rustls::client::Resumption::disabled();
        Ok(config)
    }

    /// The kubeconfig's client certificate, for an exec plugin's slot to start from.
    pub(super) fn identity(&self) -> Result<Option<Arc<CertifiedKey>>, Error> {
        self.identity_pem
            .as_ref()
            .map(|(chain, Secret(key))| certified_key(chain, key.as_bytes()))
            .transpose()
            .map_err(Error::Config)
    }

    /// The authorities given as bytes (`ca_bundle_pem`, `ca_certificate_der`).
    fn fixed_roots(&self) -> Result<Vec<CertificateDer<'static>>, Error> {
        let mut roots =
            pem_certificates(&self.ca_pem).map_err(|e| Error::Config(format!("CA bundle: {e}")))?;
        roots.extend(self.ca_der.iter().cloned().map(CertificateDer::from));
        Ok(roots)
    }
}

/// A certificate chain and its private key, from PEM. The key's parse error is not shown: it
/// could echo key material.
fn identity(
    chain: &[u8],
    key: &[u8],
) -> Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), String> {
    let certs = pem_certificates(chain).map_err(|e| format!("client certificate: {e}"))?;
    if certs.is_empty() {
        return Err("client certificate: holds no certificate".into());
    }
    let key = PrivateKeyDer::from_pem_slice(key)
        .map_err(|_| "client key: not a PEM private key".to_string())?;
    Ok((certs, key))
}

/// ring's algorithms. rustls 0.23.48 deprecated this provider because ring has no
/// post-quantum key exchange (X25519MLKEM768 is aws-lc-rs's); the connection still uses
/// X25519 and the suites of a TLS 1.3 handshake, which the API server accepts. ring is kept
/// because aws-lc-rs compiles a large C library (aws-lc-sys) in every user's build (README,
/// "Not done yet"). `allow`: the generated crate builds without warnings in users' builds.
#[allow(deprecated)]
fn ring() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// A client certificate ready for handshakes (ring signs with its key).
pub(super) fn certified_key(chain: &[u8], key: &[u8]) -> Result<Arc<CertifiedKey>, String> {
    let (certs, key) = identity(chain, key)?;
    let signer = ring()
        .key_provider
        .load_private_key(key)
        .map_err(|_| "client key: not a key ring can sign with".to_string())?;
    let certified = CertifiedKey::new(certs, signer);
    certified
        .keys_match()
        .map_err(|_| "client key: does not match the certificate".to_string())?;
    Ok(Arc::new(certified))
}

/// The client certificate an exec plugin gave (or the kubeconfig's, until it gives one),
/// replaced as it issues new ones. A connection keeps the certificate it was opened with, so
/// the generation tells the client when its connections must be opened anew.
#[derive(Default)]
pub(super) struct IdentitySlot(RwLock<(u64, Option<Arc<CertifiedKey>>)>);

impl std::fmt::Debug for IdentitySlot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "IdentitySlot(generation {})", self.generation())
    }
}

impl IdentitySlot {
    pub(super) fn new(initial: Option<Arc<CertifiedKey>>) -> IdentitySlot {
        IdentitySlot(RwLock::new((0, initial)))
    }

    pub(super) fn generation(&self) -> u64 {
        self.0.read().unwrap_or_else(|p| p.into_inner()).0
    }

    /// Holds `key` from now on: a new generation when its certificate differs.
    pub(super) fn set(&self, key: Arc<CertifiedKey>) {
        let mut slot = self.0.write().unwrap_or_else(|p| p.into_inner());
        if slot.1.as_ref().is_none_or(|held| held.cert != key.cert) {
            *slot = (slot.0 + 1, Some(key));
        }
    }
}

impl ResolvesClientCert for IdentitySlot {
    fn resolve(&self, _: &[&[u8]], _: &[SignatureScheme]) -> Option<Arc<CertifiedKey>> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).1.clone()
    }
    fn has_certs(&self) -> bool {
        true
    }
}

fn pem_certificates(
    pem: &[u8],
) -> Result<Vec<CertificateDer<'static>>, rustls::pki_types::pem::Error> {
    CertificateDer::pem_slice_iter(pem).collect()
}

fn root_store(
    certs: impl Iterator<Item = CertificateDer<'static>>,
    what: &str,
) -> Result<rustls::RootCertStore, Error> {
    let mut roots = rustls::RootCertStore::empty();
    for cert in certs {
        roots
            .add(cert)
            .map_err(|e| Error::Config(format!("{what}: {e}")))?;
    }
    if roots.is_empty() {
        return Err(Error::Config(format!("{what}: holds no certificate")));
    }
    Ok(roots)
}

/// Trusts the authorities of a PEM file, read again at every new connection: a pod's
/// `ca.crt` changes when the cluster's CA is rotated (the kubelet updates it from the
/// `kube-root-ca.crt` ConfigMap), and a long-running client must follow without a restart.
/// Connections are few (pooled, HTTP/2), so the read is cheap where it happens; the
/// verifier is rebuilt only when the bytes differ. A read that fails or yields no certificate
/// keeps the last good bundle, said at `warn`: a file caught half-written (the kubelet swaps
/// a symlink, others may not) must not cut the client off.
#[derive(Debug)]
struct CaFile {
    path: PathBuf,
    fixed: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
    current: Mutex<(Vec<u8>, Arc<WebPkiServerVerifier>)>,
}

impl CaFile {
    fn new(
        path: PathBuf,
        fixed: Vec<CertificateDer<'static>>,
        provider: Arc<CryptoProvider>,
    ) -> Result<CaFile, Error> {
        let what = || format!("CA file {}", path.display());
        let bytes = std::fs::read(&path).map_err(|e| Error::Config(format!("{}: {e}", what())))?;
        let verifier = verifier_for(&bytes, &fixed, &provider, &what())?;
        Ok(CaFile {
            current: Mutex::new((bytes, verifier)),
            path,
            fixed,
            provider,
        })
    }

    /// The verifier for the file as it is now.
    fn verifier(&self) -> Arc<WebPkiServerVerifier> {
        let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
        let what = format!("CA file {}", self.path.display());
        match std::fs::read(&self.path) {
            Ok(bytes) if bytes != current.0 => {
                match verifier_for(&bytes, &self.fixed, &self.provider, &what) {
                    Ok(verifier) => {
                        log::info!("{what} changed: new connections trust its authorities");
                        *current = (bytes, verifier);
                    }
                    Err(e) => log::warn!("{e}; the bundle read before stays trusted"),
                }
            }
            Ok(_) => {}
            Err(e) => log::warn!("{what}: {e}; the bundle read before stays trusted"),
        }
        current.1.clone()
    }
}

fn verifier_for(
    pem: &[u8],
    fixed: &[CertificateDer<'static>],
    provider: &Arc<CryptoProvider>,
    what: &str,
) -> Result<Arc<WebPkiServerVerifier>, Error> {
    let certs = pem_certificates(pem).map_err(|e| Error::Config(format!("{what}: {e}")))?;
    if certs.is_empty() {
        return Err(Error::Config(format!("{what}: holds no certificate")));
    }
    let roots = root_store(certs.into_iter().chain(fixed.iter().cloned()), what)?;
    WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::Config(format!("{what}: {e}")))
}

/// The verifiers rustls's own does not cover: a CA file followed as it changes, or none at
/// all (only through `danger_accept_invalid_certs`). The signature checks are ring's either way.
#[derive(Debug)]
struct Custom {
    provider: Arc<CryptoProvider>,
    /// `None`: any server certificate is accepted.
    ca_file: Option<CaFile>,
}

impl ServerCertVerifier for Custom {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match &self.ca_file {
            None => Ok(ServerCertVerified::assertion()),
            Some(file) => file.verifier().verify_server_cert(
                end_entity,
                intermediates,
                server_name,
                ocsp_response,
                now,
            ),
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
