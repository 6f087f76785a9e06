// Hand-written: not produced by codegen.
//! A watcher: the current state of a resource, then every change, for as long as the program
//! runs, whatever happens to the connection (kube-runtime's `watcher` and client-go's
//! reflector are the models).
//!
//! It lists (in pages), or with [`Config::streaming_list`] asks the watch itself for the
//! initial state (`sendInitialEvents`), then watches from the list's resourceVersion with
//! bookmarks. Every event and bookmark moves its resourceVersion on, so after a dropped
//! connection, an idle watch, or the server's own `timeoutSeconds`, it watches again from the
//! last one seen: the server sends what came after it, so nothing is lost and nothing is
//! reported twice. When that resourceVersion has expired (410 Gone: compacted away, or older
//! than a restarted server's watch cache) it lists again, and says so with a new
//! [`Event::Init`]. Errors are yielded as they happen and the watcher goes on after a backoff
//! (exponential with jitter, reset by the next success); drop the stream to stop it.
//!
//! Every handle with `list` and `watch` (`ConfigMapApi::namespaced(…)`,
//! `ConfigMapApi::all_namespaces(…)`, a CRD's cluster-scoped handle) implements [`Watched`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt as _};
use serde::de::DeserializeOwned;

use super::retry::{jitter, RetryPolicy};
use super::watch::WatchEvent;
use super::{Error, WatchStream};

/// A boxed future (the [`Watched`] methods are called through a trait).
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// One page of a list: what the watcher asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// `labelSelector`.
    pub label_selector: Option<String>,
    /// `fieldSelector`.
    pub field_selector: Option<String>,
    /// Page size (`limit`).
    pub limit: Option<i64>,
    /// `continue` token of the next page.
    pub continue_token: Option<String>,
}

/// A page of a list, as the watcher needs it.
#[derive(Clone, Debug, PartialEq)]
pub struct Page<T> {
    /// The objects.
    pub items: Vec<T>,
    /// The list's resourceVersion (the watch starts there).
    pub resource_version: Option<String>,
    /// The token of the next page.
    pub continue_token: Option<String>,
}

/// A watch: what the watcher asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WatchQuery {
    /// `labelSelector`.
    pub label_selector: Option<String>,
    /// `fieldSelector`.
    pub field_selector: Option<String>,
    /// Where to start (`resourceVersion`); None with `send_initial_events`.
    pub resource_version: Option<String>,
    /// The server ends the watch after this long (`timeoutSeconds`).
    pub timeout_seconds: Option<i64>,
    /// Ask for the current state first (`sendInitialEvents`, with `resourceVersionMatch=
    /// NotOlderThan`), ended by a bookmark annotated `k8s.io/initial-events-end`.
    pub send_initial_events: bool,
}

/// A resource a watcher can follow: its list and its watch. Implemented by every generated
/// handle that has both.
pub trait Watched: Send + Sync {
    /// The kind listed and watched.
    type Object: DeserializeOwned + Send + 'static;
    /// One page of the list.
    fn list_page(&self, query: ListQuery) -> BoxFuture<'_, Result<Page<Self::Object>, Error>>;
    /// The watch.
    fn watch_from(
        &self,
        query: WatchQuery,
    ) -> BoxFuture<'_, Result<WatchStream<Self::Object>, Error>>;
    /// Whether the watch takes `sendInitialEvents` (its documented parameters do).
    fn supports_streaming_list(&self) -> bool;
    /// An object's `metadata.resourceVersion`.
    fn resource_version(object: &Self::Object) -> Option<&str>;
}

/// What a watcher reports.
#[derive(Clone, Debug, PartialEq)]
pub enum Event<T> {
    /// The current state follows (a first list, or a new one after 410 Gone): what a cache
    /// holds is replaced by the objects up to [`Event::InitDone`].
    Init,
    /// An object of the current state.
    InitApply(T),
    /// The current state is complete.
    InitDone,
    /// An object was added or changed.
    Apply(T),
    /// An object was deleted (its last state).
    Delete(T),
}

/// How a watcher lists and watches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Only objects with these labels.
    pub label_selector: Option<String>,
    /// Only objects with these fields.
    pub field_selector: Option<String>,
    /// Page size of the list. Default 500 (client-go's reflector).
    pub page_size: Option<i64>,
    /// The server's end of each watch (`timeoutSeconds`), after which the watcher watches
    /// again from where it was. Default 290 s (kube-runtime's).
    pub timeout_seconds: Option<i64>,
    /// Get the initial state from the watch (`sendInitialEvents`) instead of a list, when the
    /// watch takes it: one request, and the server streams from its cache. Default off.
    pub streaming_list: bool,
    /// Backoff after an error: `initial_backoff` doubled up to `max_backoff`, with jitter
    /// (`max_retries` is not used: a watcher never gives up). Default 800 ms to 30 s.
    pub backoff: RetryPolicy,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            label_selector: None,
            field_selector: None,
            page_size: Some(500),
            timeout_seconds: Some(290),
            streaming_list: false,
            backoff: RetryPolicy {
                max_retries: u32::MAX,
                initial_backoff: Duration::from_millis(800),
                max_backoff: Duration::from_secs(30),
            },
        }
    }
}

impl Config {
    /// Only objects with these labels (`app=web,tier!=cache`).
    pub fn labels(mut self, selector: impl Into<String>) -> Self {
        self.label_selector = Some(selector.into());
        self
    }
    /// Only objects with these fields (`metadata.name=cluster`).
    pub fn fields(mut self, selector: impl Into<String>) -> Self {
        self.field_selector = Some(selector.into());
        self
    }
    /// Get the initial state from the watch (`sendInitialEvents`) where the watch takes it.
    pub fn streaming_list(mut self) -> Self {
        self.streaming_list = true;
        self
    }
}

enum Phase<T> {
    /// A list is due (first, or after 410).
    List,
    /// Listing: the next page's token, and what the list has given so far.
    Listing { next: Option<String> },
    /// A watch is due from this resourceVersion.
    Watch { rv: String },
    /// Watching; `initial` while the watch streams the initial state (sendInitialEvents),
    /// until its end bookmark.
    Watching {
        stream: WatchStream<T>,
        initial: bool,
    },
}

struct State<W: Watched> {
    api: W,
    config: Config,
    phase: Phase<W::Object>,
    /// The last resourceVersion seen.
    rv: Option<String>,
    /// Errors in a row, for the backoff.
    failures: u32,
    /// The backoff still to wait before the next step.
    sleep: Option<Duration>,
    /// Events ready to be yielded, in order.
    ready: std::collections::VecDeque<Result<Event<W::Object>, Error>>,
}

/// Follows `api` (a handle with list and watch) with `config`: [`Event::Init`], the objects of
/// the current state, [`Event::InitDone`], then every change. The stream never ends by
/// itself; it yields errors and goes on (see the module docs).
pub fn watcher<W>(
    api: W,
    config: Config,
) -> impl Stream<Item = Result<Event<W::Object>, Error>> + Send
where
    W: Watched + 'static,
{
    let state = State {
        api,
        config,
        phase: Phase::List,
        rv: None,
        failures: 0,
        sleep: None,
        ready: Default::default(),
    };
    futures_util::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(next) = st.ready.pop_front() {
                return Some((next, st));
            }
            st.step().await;
        }
    })
}

/// An ERROR event as an error (its Status, with the status code it names).
fn status_error(status: Box<crate::meta::v1::Status>) -> Error {
    Error::Api {
        status: status
            .code
            .and_then(|c| u16::try_from(c).ok())
            .and_then(|c| http::StatusCode::from_u16(c).ok())
            .unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR),
        details: Some(status),
        body: String::new(),
        retry_after: None,
    }
}

impl<W: Watched> State<W> {
    fn backoff(&mut self) -> Duration {
        self.failures = self.failures.saturating_add(1);
        let attempt = self.failures.min(30);
        self.config
            .backoff
            .delay(attempt, None, jitter())
            .unwrap_or(self.config.backoff.max_backoff)
    }

    /// Reports `e`, and leaves the phase to `then` after the backoff (waited out at the next
    /// step, once the error has been yielded).
    fn failed(&mut self, e: Error, then: Phase<W::Object>) {
        self.sleep = Some(self.backoff());
        self.ready.push_back(Err(e));
        self.phase = then;
    }

    fn watch_query(&self, rv: Option<String>, initial: bool) -> WatchQuery {
        WatchQuery {
            label_selector: self.config.label_selector.clone(),
            field_selector: self.config.field_selector.clone(),
            resource_version: rv,
            timeout_seconds: self.config.timeout_seconds,
            send_initial_events: initial,
        }
    }

    /// Where a broken or ended watch goes on: from the last resourceVersion seen, or with a
    /// new list while the initial state was incomplete (or no resourceVersion is known).
    fn resume(&self, initial: bool) -> Phase<W::Object> {
        match (&self.rv, initial) {
            (Some(rv), false) => Phase::Watch { rv: rv.clone() },
            _ => Phase::List,
        }
    }

    fn seen(&mut self, object: &W::Object) {
        if let Some(rv) = W::resource_version(object) {
            self.rv = Some(rv.to_owned());
        }
    }

    /// One step of the state machine: queues events or errors, or moves the phase on.
    async fn step(&mut self) {
        if let Some(wait) = self.sleep.take() {
            tokio::time::sleep(wait).await;
        }
        match std::mem::replace(&mut self.phase, Phase::List) {
            Phase::List => {
                if self.config.streaming_list && self.api.supports_streaming_list() {
                    match self.api.watch_from(self.watch_query(None, true)).await {
                        Ok(stream) => {
                            self.ready.push_back(Ok(Event::Init));
                            self.phase = Phase::Watching {
                                stream,
                                initial: true,
                            };
                        }
                        // The server refuses sendInitialEvents (its WatchList feature off):
                        // list instead, from now on.
                        Err(e)
                            if e.status().is_some_and(|s| {
                                s.is_client_error()
                                    && s != http::StatusCode::TOO_MANY_REQUESTS
                                    && s != http::StatusCode::GONE
                            }) =>
                        {
                            self.config.streaming_list = false;
                            self.ready.push_back(Err(e));
                        }
                        Err(e) => self.failed(e, Phase::List),
                    }
                } else {
                    self.ready.push_back(Ok(Event::Init));
                    self.phase = Phase::Listing { next: None };
                }
            }
            Phase::Listing { next } => {
                let query = ListQuery {
                    label_selector: self.config.label_selector.clone(),
                    field_selector: self.config.field_selector.clone(),
                    limit: self.config.page_size,
                    continue_token: next,
                };
                match self.api.list_page(query).await {
                    Ok(page) => {
                        self.failures = 0;
                        for item in page.items {
                            self.ready.push_back(Ok(Event::InitApply(item)));
                        }
                        match page.continue_token.filter(|c| !c.is_empty()) {
                            Some(next) => self.phase = Phase::Listing { next: Some(next) },
                            None => {
                                self.ready.push_back(Ok(Event::InitDone));
                                self.rv = page.resource_version;
                                self.phase = match &self.rv {
                                    Some(rv) => Phase::Watch { rv: rv.clone() },
                                    None => Phase::List,
                                };
                            }
                        }
                    }
                    // A continue token can expire too (410): the list starts over, and the
                    // objects already reported are reported again after a new Init.
                    Err(e) if e.is_expired() => {
                        self.ready.push_back(Ok(Event::Init));
                        self.phase = Phase::Listing { next: None };
                    }
                    Err(e) => self.failed(e, Phase::List),
                }
            }
            Phase::Watch { rv } => match self
                .api
                .watch_from(self.watch_query(Some(rv.clone()), false))
                .await
            {
                Ok(stream) => {
                    self.phase = Phase::Watching {
                        stream,
                        initial: false,
                    }
                }
                Err(e) if e.is_expired() => self.phase = Phase::List,
                Err(e) => self.failed(e, Phase::Watch { rv }),
            },
            Phase::Watching {
                mut stream,
                mut initial,
            } => match stream.next().await {
                Some(Ok(event)) => {
                    self.failures = 0;
                    match event {
                        WatchEvent::Added(o) | WatchEvent::Modified(o) => {
                            self.seen(&o);
                            self.ready.push_back(Ok(if initial {
                                Event::InitApply(o)
                            } else {
                                Event::Apply(o)
                            }));
                        }
                        WatchEvent::Deleted(o) => {
                            self.seen(&o);
                            self.ready.push_back(Ok(Event::Delete(o)));
                        }
                        WatchEvent::Bookmark(b) => {
                            if !b.resource_version.is_empty() {
                                self.rv = Some(b.resource_version.clone());
                            }
                            if initial
                                && b.annotations
                                    .get("k8s.io/initial-events-end")
                                    .map(String::as_str)
                                    == Some("true")
                            {
                                self.ready.push_back(Ok(Event::InitDone));
                                initial = false;
                            }
                        }
                        // The resourceVersion is gone: the state must be listed again.
                        e @ WatchEvent::Error(_) if e.is_expired() && !initial => {
                            self.phase = Phase::List;
                            return;
                        }
                        WatchEvent::Error(status) => {
                            let resume = self.resume(initial);
                            self.failed(status_error(status), resume);
                            return;
                        }
                    }
                    self.phase = Phase::Watching { stream, initial };
                }
                Some(Err(e)) => {
                    let resume = self.resume(initial);
                    self.failed(e, resume);
                }
                // The server's timeoutSeconds (or a clean close): watch on from here.
                None => self.phase = self.resume(initial),
            },
        }
    }
}
