// Hand-written: not produced by codegen.
//! When the client sends a request again, and how long it waits first (sans-io: the client
//! does the sending and the sleeping).
//!
//! What is retried, and why it is safe:
//! - **429 Too Many Requests**, any method: the API server's priority-and-fairness and
//!   max-in-flight filters refuse the request before any handler runs, so nothing happened
//!   (client-go retries these too).
//! - **503 Service Unavailable, 504 Gateway Timeout**, and a connection that failed after the
//!   request may have been sent: only reads (GET, HEAD, OPTIONS), as a write may have been
//!   applied before the answer was lost.
//! - A connection that could not be made at all: any method (nothing was sent).
//!   A TLS handshake the client refuses (an untrusted certificate) is not retried: it would
//!   fail the same way.
//!
//! The wait is the server's `Retry-After` when it gives one (a wait longer than
//! [`RetryPolicy::max_backoff`] is not waited out: the error is returned), else exponential
//! backoff from [`RetryPolicy::initial_backoff`], doubled per attempt up to `max_backoff`,
//! with "equal jitter" (half fixed, half random) so that many clients refused together do not
//! come back together.

use std::time::Duration;

/// How the client retries; [`RetryPolicy::default`] unless set with
/// `ClientBuilder::retry_policy` (`RetryPolicy::none()` turns retries off).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none). Default 5.
    pub max_retries: u32,
    /// The wait before the first retry without `Retry-After`. Default 200 ms.
    pub initial_backoff: Duration,
    /// The longest wait: backoff stops doubling here, and a longer `Retry-After` is not
    /// waited out. Default 30 s.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 5,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Default::default()
        }
    }
}

/// Why a request is sent again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RetryReason {
    /// The server answered with this status (429, 503 or 504).
    Status(http::StatusCode),
    /// The connection failed (the text says how).
    Connection(String),
}

/// One retry, as handed to `ClientBuilder::on_retry` before the client waits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryEvent {
    /// The method of the request.
    pub method: http::Method,
    /// Its path (without the query, which may hold selectors).
    pub path: String,
    /// 1 for the first retry.
    pub attempt: u32,
    /// How long the client waits before sending it again.
    pub delay: Duration,
    /// What failed.
    pub reason: RetryReason,
}

/// Whether a request of `method` may be sent again after this failure (see the module docs).
pub fn retryable(method: &http::Method, failure: &Failure) -> bool {
    let read = matches!(
        *method,
        http::Method::GET | http::Method::HEAD | http::Method::OPTIONS
    );
    match failure {
        Failure::Status(s) => {
            *s == http::StatusCode::TOO_MANY_REQUESTS
                || (read
                    && matches!(
                        *s,
                        http::StatusCode::SERVICE_UNAVAILABLE | http::StatusCode::GATEWAY_TIMEOUT
                    ))
        }
        Failure::NotConnected => true,
        Failure::ConnectionLost => read,
    }
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this status.
    Status(http::StatusCode),
    /// No connection could be made: the request was not sent.
    NotConnected,
    /// The connection failed after the request may have been sent, before any answer.
    ConnectionLost,
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (1-based), or None when no retry is due: the
    /// retries are used up, or the server asks for a wait beyond `max_backoff`. `random` is
    /// a value in [0, 1) for the jitter.
    pub fn delay(&self, attempt: u32, retry_after: Option<u64>, random: f64) -> Option<Duration> {
        if attempt > self.max_retries {
            return None;
        }
        if let Some(secs) = retry_after {
            let wait = Duration::from_secs(secs);
            return (wait <= self.max_backoff).then_some(wait);
        }
        let doubled = self
            .initial_backoff
            .saturating_mul(1u32 << (attempt - 1).min(20));
        let ceiling = doubled.min(self.max_backoff);
        Some(ceiling / 2 + ceiling.mul_f64(random.clamp(0.0, 1.0) / 2.0))
    }
}

/// A value in [0, 1) that differs between calls and processes, for jitter (std's hasher keys
/// are random per process; no random-number crate needed for this).
#[cfg(feature = "client")]
pub(crate) fn jitter() -> f64 {
    use std::hash::{BuildHasher as _, Hasher as _};
    static CALLS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed));
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{Method, StatusCode};

    #[test]
    fn what_is_retried() {
        let s = |c: u16| Failure::Status(StatusCode::from_u16(c).unwrap());
        for m in [
            Method::GET,
            Method::POST,
            Method::PUT,
            Method::PATCH,
            Method::DELETE,
        ] {
            assert!(retryable(&m, &s(429)), "{m} 429");
            assert!(retryable(&m, &Failure::NotConnected), "{m} not connected");
            assert!(!retryable(&m, &s(500)), "{m} 500");
            assert!(!retryable(&m, &s(409)), "{m} 409");
            let read = m == Method::GET;
            assert_eq!(retryable(&m, &s(503)), read, "{m} 503");
            assert_eq!(retryable(&m, &s(504)), read, "{m} 504");
            assert_eq!(retryable(&m, &Failure::ConnectionLost), read, "{m} lost");
        }
    }

    #[test]
    fn backoff_doubles_with_jitter_up_to_the_ceiling_and_honours_retry_after() {
        let p = RetryPolicy::default();
        let ms = |d: Option<Duration>| d.map(|d| d.as_millis());
        // Half fixed, half random.
        assert_eq!(ms(p.delay(1, None, 0.0)), Some(100));
        assert_eq!(ms(p.delay(1, None, 0.999_999)), Some(199));
        assert_eq!(ms(p.delay(2, None, 0.0)), Some(200));
        assert_eq!(ms(p.delay(3, None, 0.0)), Some(400));
        assert_eq!(ms(p.delay(5, None, 0.0)), Some(1600));
        let long = RetryPolicy {
            max_retries: 40,
            ..p.clone()
        };
        assert_eq!(ms(long.delay(30, None, 0.0)), Some(15_000));
        assert_eq!(ms(long.delay(40, None, 1.0)), Some(30_000));
        // Retries used up.
        assert_eq!(p.delay(6, None, 0.0), None);
        assert_eq!(RetryPolicy::none().delay(1, Some(1), 0.0), None);
        // The server's wait, exactly; beyond the ceiling, not waited out.
        assert_eq!(p.delay(1, Some(7), 0.5), Some(Duration::from_secs(7)));
        assert_eq!(p.delay(1, Some(31), 0.5), None);
    }

    #[test]
    #[cfg(feature = "client")]
    fn jitter_is_in_range_and_varies() {
        let values: Vec<f64> = (0..64).map(|_| jitter()).collect();
        assert!(values.iter().all(|v| (0.0..1.0).contains(v)));
        let distinct: std::collections::BTreeSet<u64> =
            values.iter().map(|v| v.to_bits()).collect();
        assert!(distinct.len() > 60);
    }
}
