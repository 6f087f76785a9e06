// Hand-written: not produced by codegen.
//! The `Authorization` header of each request: none, a fixed bearer token, or a token file
//! read again before it can go stale. The kubelet rotates a pod's projected service-account
//! token about hourly and the old one stops working; client-go re-reads the file every minute
//! (`NewCachedFileTokenSource`), and so do we, and also at once after a 401.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::Error;

/// How often a token file is read again (client-go's period).
pub const TOKEN_FILE_RELOAD: Duration = Duration::from_secs(60);

pub(crate) enum Auth {
    None,
    Static(http::HeaderValue),
    File(TokenFile),
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
    /// reload period. A failed re-read keeps the last good token (the kubelet replaces the
    /// file by a rename, but a reader can still lose a race), as client-go does.
    pub(crate) fn current(&self) -> http::HeaderValue {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if cached.1.elapsed() >= self.reload {
            if let Ok(v) = read(&self.path) {
                cached.0 = v;
            }
            cached.1 = Instant::now();
        }
        cached.0.clone()
    }

    /// After a 401: reads the file again now; true when it holds another token than `sent`
    /// (then the request is worth sending again).
    pub(crate) fn refresh_after_401(&self, sent: &http::HeaderValue) -> bool {
        let mut cached = self.cached.lock().unwrap_or_else(|p| p.into_inner());
        if let Ok(v) = read(&self.path) {
            cached.0 = v;
            cached.1 = Instant::now();
        }
        cached.0 != sent
    }
}

impl Auth {
    pub(crate) fn header(&self) -> Option<http::HeaderValue> {
        match self {
            Auth::None => None,
            Auth::Static(v) => Some(v.clone()),
            Auth::File(f) => Some(f.current()),
        }
    }
}
