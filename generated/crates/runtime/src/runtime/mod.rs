// Hand-written: not produced by codegen. The runtime the emitted operations rely on.
//! Types and helpers shared by every generated module: the sans-io request helpers, errors,
//! patches and watch decoding every operation uses; (feature `client`) the HTTP [`Client`]; and,
//! re-exported from `generated-apimachinery`, what the emitted models name (the [`Resource`]
//! trait, timestamps, int-or-string, quantities and base64 bytes).
#![deny(missing_docs)]

#[cfg(feature = "client")]
mod auth;
#[cfg(feature = "client")]
mod client;
mod delete;
mod error;
#[cfg(feature = "kubeconfig")]
mod kubeconfig;
mod options;
mod patch;
pub mod request;
pub mod retry;
#[cfg(feature = "client")]
mod tls;
pub mod warning;
mod watch;
#[cfg(feature = "client")]
pub mod watcher;

#[cfg(feature = "client")]
pub use auth::{ExecConfig, InteractiveMode, TOKEN_FILE_RELOAD};
#[cfg(feature = "client")]
pub use client::{
    default_user_agent, default_warning, paginate, Client, ClientBuilder, RetryHandler,
    WarningHandler, WatchStream, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT, DEFAULT_WATCH_IDLE_TIMEOUT, HTTP2_PING_INTERVAL, HTTP2_PING_TIMEOUT,
    MAX_EMPTY_PAGES, WARNING_LOG_TARGET,
};
pub use delete::{DeleteCollectionResponse, DeleteResponse};
pub use error::Error;
/// Re-exported so emitted code (and users of the sans-io requests) name one `http` crate.
pub use http;
pub use patch::Patch;
pub use retry::{RetryEvent, RetryPolicy, RetryReason};
pub use warning::Warning;
pub use watch::{WatchDecoder, WatchEvent};

/// What the emitted models name (the part of the runtime without HTTP), from
/// `generated-apimachinery`.
pub use generated_apimachinery::runtime::*;

/// The result of every operation: [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A request as the sans-io builders return it (origin-form URI, JSON or patch body).
pub type HttpRequest = http::Request<Vec<u8>>;
