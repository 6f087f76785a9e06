// Hand-written: not produced by codegen.
//! Watch events, decoded incrementally from a chunked body whatever the chunk boundaries.

use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::Error;
use crate::meta::v1::Status;

/// One event of a watch.
#[derive(Clone, Debug, PartialEq)]
pub enum WatchEvent<T> {
    /// An object was added (or, with sendInitialEvents, is part of the initial state).
    Added(T),
    /// An object changed.
    Modified(T),
    /// An object was deleted; its last state.
    Deleted(T),
    /// A progress marker: the watch has seen everything up to this resourceVersion.
    Bookmark(Bookmark),
    /// The server ended the watch with an error (e.g. 410 Expired: relist).
    Error(Box<Status>),
}

/// What a BOOKMARK event carries: only the resourceVersion (and annotations, such as the one
/// marking the end of the initial events).
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Bookmark {
    /// The resourceVersion to resume from.
    pub resource_version: String,
    /// Annotations of the bookmark object (`k8s.io/initial-events-end`).
    pub annotations: std::collections::BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct RawEvent<'a> {
    #[serde(rename = "type", borrow)]
    ty: std::borrow::Cow<'a, str>,
    #[serde(borrow)]
    object: &'a serde_json::value::RawValue,
}

#[derive(Deserialize)]
struct BookmarkObject {
    #[serde(default)]
    metadata: BookmarkMeta,
}

#[derive(Default, Deserialize)]
struct BookmarkMeta {
    #[serde(default, rename = "resourceVersion")]
    resource_version: String,
    #[serde(default)]
    annotations: std::collections::BTreeMap<String, String>,
}

impl<T> WatchEvent<T> {
    /// An ERROR event saying the watch's resourceVersion is too old (410 / `Expired`): relist,
    /// then watch again from the list's resourceVersion.
    pub fn is_expired(&self) -> bool {
        matches!(self, WatchEvent::Error(s) if s.code == Some(410) || matches!(s.reason.as_deref(), Some("Expired" | "Gone")))
    }
}

impl<T: DeserializeOwned> WatchEvent<T> {
    /// Decodes one event from its JSON text.
    pub fn from_slice(bytes: &[u8]) -> Result<Self, serde_json::Error> {
        let raw: RawEvent<'_> = serde_json::from_slice(bytes)?;
        let obj = raw.object.get();
        Ok(match raw.ty.as_ref() {
            "ADDED" => WatchEvent::Added(serde_json::from_str(obj)?),
            "MODIFIED" => WatchEvent::Modified(serde_json::from_str(obj)?),
            "DELETED" => WatchEvent::Deleted(serde_json::from_str(obj)?),
            "BOOKMARK" => {
                let b: BookmarkObject = serde_json::from_str(obj)?;
                WatchEvent::Bookmark(Bookmark {
                    resource_version: b.metadata.resource_version,
                    annotations: b.metadata.annotations,
                })
            }
            "ERROR" => WatchEvent::Error(Box::new(serde_json::from_str(obj)?)),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "unknown watch event type `{other}`"
                )))
            }
        })
    }
}

/// Splits a watch body into events as bytes arrive. The API server writes one JSON object per
/// line; the decoder does not rely on it and finds each object's end itself, looking at each
/// byte once (a scan that resumed from the start on every chunk would make an event sent in
/// tiny chunks cost time quadratic in its size).
#[derive(Debug)]
pub struct WatchDecoder<T> {
    buf: Vec<u8>,
    /// `buf[..head]` is consumed (dropped once it is at least half of `buf`, so keeping it
    /// costs amortized constant time per byte).
    head: usize,
    /// `buf[..pos]` has been scanned; the state below describes it.
    pos: usize,
    /// Where the value being scanned starts.
    start: Option<usize>,
    depth: u32,
    in_string: bool,
    escaped: bool,
    /// Dropping a malformed line up to its newline (the server frames events by newlines).
    skipping: bool,
    /// Bytes looked at, by the scan and by decoding complete events (for tests).
    scanned: u64,
    _t: PhantomData<fn() -> T>,
}

impl<T> Default for WatchDecoder<T> {
    fn default() -> Self {
        WatchDecoder {
            buf: Vec::new(),
            head: 0,
            pos: 0,
            start: None,
            depth: 0,
            in_string: false,
            escaped: false,
            skipping: false,
            scanned: 0,
            _t: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> WatchDecoder<T> {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds bytes received.
    pub fn push(&mut self, chunk: &[u8]) {
        if self.head > 0 && self.head >= self.buf.len() - self.head {
            self.buf.drain(..self.head);
            self.pos -= self.head;
            self.start = self.start.map(|s| s - self.head);
            self.head = 0;
        }
        self.buf.extend_from_slice(chunk);
    }

    /// The next complete event, if the buffer holds one. A malformed event is an error and is
    /// dropped, so decoding can go on with the next one.
    pub fn next_event(&mut self) -> Option<Result<WatchEvent<T>, Error>> {
        while self.pos < self.buf.len() {
            let b = self.buf[self.pos];
            self.pos += 1;
            self.scanned += 1;
            if self.skipping {
                if b == b'\n' {
                    self.skipping = false;
                    self.head = self.pos;
                }
                continue;
            }
            let Some(start) = self.start else {
                match b {
                    b'{' | b'[' => {
                        self.start = Some(self.pos - 1);
                        self.depth = 1;
                    }
                    b if b.is_ascii_whitespace() => self.head = self.pos,
                    _ => {
                        self.skipping = true;
                        return Some(Err(Error::Decode(serde::de::Error::custom(
                            "a watch event is a JSON object",
                        ))));
                    }
                }
                continue;
            };
            if self.in_string {
                match (self.escaped, b) {
                    (true, _) => self.escaped = false,
                    (false, b'\\') => self.escaped = true,
                    (false, b'"') => self.in_string = false,
                    _ => {}
                }
                continue;
            }
            match b {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b'}' | b']' => {
                    self.depth -= 1;
                    if self.depth == 0 {
                        let event = &self.buf[start..self.pos];
                        self.scanned += event.len() as u64;
                        let result = WatchEvent::from_slice(event).map_err(Error::Decode);
                        self.start = None;
                        self.head = self.pos;
                        return Some(result);
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// Call when the body ends: an error if it stopped in the middle of an event.
    pub fn finish(&mut self) -> Option<Error> {
        let rest = self.start.is_some()
            || (!self.skipping
                && self.buf[self.head..]
                    .iter()
                    .any(|b| !b.is_ascii_whitespace()));
        *self = Self {
            scanned: self.scanned,
            ..Self::default()
        };
        rest.then_some(Error::Truncated)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Obj = serde_json::Value;

    const BODY: &str = concat!(
        "{\"type\":\"ADDED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n",
        "{\"type\":\"MODIFIED\",\"object\":{\"metadata\":{\"name\":\"a\",\"x\":\"}{\\n\"}}}\n",
        "{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"42\"}}}\n",
        "{\"type\":\"DELETED\",\"object\":{\"metadata\":{\"name\":\"a\"}}}\n",
        "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"reason\":\"Expired\"}}\n",
    );

    fn decode_in_chunks(size: usize) -> Vec<WatchEvent<Obj>> {
        let mut d = WatchDecoder::<Obj>::new();
        let mut out = Vec::new();
        for chunk in BODY.as_bytes().chunks(size) {
            d.push(chunk);
            while let Some(ev) = d.next_event() {
                out.push(ev.unwrap());
            }
        }
        assert!(d.finish().is_none());
        out
    }

    #[test]
    fn every_chunk_size_gives_the_same_events() {
        let whole = decode_in_chunks(BODY.len());
        assert_eq!(whole.len(), 5);
        assert!(matches!(&whole[2], WatchEvent::Bookmark(b) if b.resource_version == "42"));
        assert!(matches!(&whole[4], WatchEvent::Error(s) if s.code == Some(410)));
        for size in 1..BODY.len() {
            assert_eq!(decode_in_chunks(size), whole, "chunk size {size}");
        }
    }

    /// One event of about 1 MB sent a byte at a time (the worst case for a decoder that
    /// rescans): every byte is looked at once by the scan and once more when the event is
    /// decoded, whatever the chunking.
    #[test]
    fn decoding_is_linear_in_the_bytes_received() {
        let big = format!(
            "{{\"type\":\"ADDED\",\"object\":{{\"data\":\"{}\",\"n\":[{}]}}}}\n",
            "x{}\\\"".repeat(100_000),
            vec!["{\"a\":[1]}"; 10_000].join(",")
        );
        let body = big.repeat(2);
        let mut d = WatchDecoder::<Obj>::new();
        let mut events = 0;
        for b in body.as_bytes() {
            d.push(std::slice::from_ref(b));
            while let Some(ev) = d.next_event() {
                ev.unwrap();
                events += 1;
            }
        }
        assert_eq!(events, 2);
        assert!(
            d.buf.len() <= big.len(),
            "the first event was dropped once consumed: {} bytes held",
            d.buf.len()
        );
        assert!(d.finish().is_none());
        // Each byte scanned once, each event's bytes decoded once.
        assert!(
            d.scanned >= body.len() as u64 && d.scanned <= 2 * body.len() as u64,
            "{} bytes looked at for {} received",
            d.scanned,
            body.len()
        );
    }

    #[test]
    fn truncated_and_malformed_bodies_are_errors() {
        let mut d = WatchDecoder::<Obj>::new();
        d.push(b"{\"type\":\"ADDED\",\"object\":{\"a\":");
        assert!(d.next_event().is_none());
        assert!(matches!(d.finish(), Some(Error::Truncated)));

        let mut d = WatchDecoder::<Obj>::new();
        d.push(b"{\"type\":\"ADDED\",]\n{\"type\":\"ADDED\",\"object\":{}}\n{\"type\":\"WHAT\",\"object\":{}}\n");
        assert!(matches!(d.next_event(), Some(Err(Error::Decode(_)))));
        assert!(matches!(d.next_event(), Some(Ok(WatchEvent::Added(_)))));
        assert!(matches!(d.next_event(), Some(Err(Error::Decode(_)))));
        assert!(d.next_event().is_none());
    }
}
