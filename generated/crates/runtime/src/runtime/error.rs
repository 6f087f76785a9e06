// Hand-written: not produced by codegen.
//! The one error type of every operation.

use crate::meta::v1::Status;

/// Why an operation failed. Never carries the bearer token or a client key.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A path parameter would change the path requested (empty, `.` or `..`).
    #[error("invalid path parameter `{name}`: {reason}")]
    InvalidPathParameter {
        /// The parameter.
        name: &'static str,
        /// What is wrong with its value.
        reason: &'static str,
    },
    /// The query parameters hold a combination the API server refuses (apply without a field
    /// manager, `sendInitialEvents` on a list, …); nothing was sent. The message is the
    /// server's own.
    #[error("invalid request options: {field}: {message}")]
    InvalidOptions {
        /// The parameter the server would name.
        field: &'static str,
        /// What is wrong, in the server's words.
        message: String,
    },
    /// The request could not be built.
    #[error("building the request: {0}")]
    Request(String),
    /// The body could not be serialized.
    #[error("serializing the request body: {0}")]
    Encode(#[source] serde_json::Error),
    /// The server answered with a status that is not a success.
    #[error("{}", api_message(.status, .details.as_deref(), .body))]
    Api {
        /// The HTTP status.
        status: http::StatusCode,
        /// The decoded `meta/v1 Status`, when the body is one.
        details: Option<Box<Status>>,
        /// The raw body (at most a few KiB), when it is not a Status.
        body: String,
        /// The server's `Retry-After`, in seconds (429 Too Many Requests, 503), when the client
        /// saw the headers (sans-io decoding does not).
        retry_after: Option<u64>,
    },
    /// The response body is not the JSON the operation returns.
    #[error("decoding the response: {0}")]
    Decode(#[source] serde_json::Error),
    /// The response body ended in the middle of a JSON value.
    #[error("the response ended in the middle of a JSON value")]
    Truncated,
    /// The response body is larger than the client accepts.
    #[error("the response body exceeds the limit of {limit} bytes")]
    BodyTooLarge {
        /// The configured limit.
        limit: usize,
    },
    /// The request did not complete in time.
    #[error("the request timed out")]
    Timeout,
    /// A watch received nothing, not even a bookmark, for longer than the client's bound
    /// (`ClientBuilder::watch_idle_timeout`): its connection is taken for dead.
    #[error("the watch received nothing for {after:?}, not even a bookmark: its connection is taken for dead")]
    WatchIdle {
        /// The bound.
        after: std::time::Duration,
    },
    /// The connection failed.
    #[error("transport: {0}")]
    Transport(String),
    /// The client could not be configured (bad CA bundle, unreadable kubeconfig, …).
    #[error("client configuration: {0}")]
    Config(String),
    /// A paginated list would never end: the server handed back the continue token it was
    /// sent, or kept sending empty chunks (see `runtime::paginate`).
    #[error("pagination: {0}")]
    Pagination(&'static str),
}

fn api_message(status: &http::StatusCode, details: Option<&Status>, body: &str) -> String {
    match details {
        Some(s) => format!(
            "HTTP {status}: {} ({})",
            s.message.as_deref().unwrap_or(""),
            s.reason.as_deref().unwrap_or("no reason")
        ),
        None if body.is_empty() => format!("HTTP {status}"),
        None => format!("HTTP {status}: {body}"),
    }
}

impl Error {
    /// The HTTP status of an API error.
    pub fn status(&self) -> Option<http::StatusCode> {
        match self {
            Error::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Whether the server says the requested resourceVersion or continue token is too old
    /// (410 Gone / reason `Expired`): relist, then watch again from the new list.
    pub fn is_expired(&self) -> bool {
        self.status() == Some(http::StatusCode::GONE)
            || matches!(self.reason(), Some("Expired" | "Gone"))
    }

    /// How long the server asks to wait before retrying (429 and 503 with `Retry-After`, or
    /// `details.retryAfterSeconds` of its Status).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Error::Api {
                retry_after: Some(s),
                ..
            } => Some(std::time::Duration::from_secs(*s)),
            Error::Api {
                details: Some(st), ..
            } => st
                .details
                .as_ref()
                .and_then(|d| d.retry_after_seconds)
                .and_then(|s| u64::try_from(s).ok())
                .map(std::time::Duration::from_secs),
            _ => None,
        }
    }

    /// The `reason` of the server's Status (`NotFound`, `Conflict`, `Expired`, …).
    pub fn reason(&self) -> Option<&str> {
        match self {
            Error::Api {
                details: Some(s), ..
            } => s.reason.as_deref(),
            _ => None,
        }
    }
}
