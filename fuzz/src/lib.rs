//! The bodies of the fuzz targets: what faces untrusted input (spec files; a server's watch
//! streams, responses and Status bodies). Each `fuzz_targets/<name>.rs` calls one of them under
//! libFuzzer; `tests/tests/fuzz_replay.rs` replays the committed corpus `fuzz/corpus/<name>/`
//! through the same functions in `cargo test`, so CI runs them without a nightly toolchain.
//!
//! Each body checks a property, not only the absence of a panic: the watch decoder gives the
//! same events whatever the chunk boundaries; a response decodes to the operation's type, to
//! the server's error with its status kept, or to a decode error, by status code; a Status
//! decodes to the same value after a round trip.

use generated::config_openshift_io::v1::Authentication;
use generated::meta::v1::Status;
use generated::runtime::http;
use generated::runtime::request::{api_error, decode, decode_bytes, decode_text};
use generated::runtime::warning::warnings;
use generated::runtime::{DeleteResponse, Error, WatchDecoder, WatchEvent};

/// Any bytes, as a YAML and as a JSON spec file: files or an error that names the file.
pub fn spec_file(data: &[u8]) {
    for name in ["fuzz/spec.yaml", "fuzz/spec.json"] {
        let spec = codegen::SpecFile {
            name: name.into(),
            bytes: data.to_vec(),
        };
        if let Err(e) = codegen::generate(&[spec], &codegen::Options::default()) {
            assert!(e.to_string().contains(name), "{e}");
        }
    }
}

/// Decodes `body` pushed in chunks of the given sizes (cycled), every outcome in order, errors
/// as their text; then what `finish` says.
fn watch_outcomes<T: serde::de::DeserializeOwned>(
    body: &[u8],
    sizes: &[usize],
) -> (Vec<Result<WatchEvent<T>, String>>, Option<String>) {
    let mut decoder = WatchDecoder::<T>::new();
    let mut out = Vec::new();
    let mut rest = body;
    let mut sizes = sizes.iter().copied().cycle();
    while !rest.is_empty() {
        let n = sizes.next().unwrap_or(rest.len()).clamp(1, rest.len());
        let (chunk, tail) = rest.split_at(n);
        decoder.push(chunk);
        while let Some(event) = decoder.next_event() {
            out.push(event.map_err(|e| e.to_string()));
        }
        rest = tail;
    }
    (out, decoder.finish().map(|e| e.to_string()))
}

/// The first byte picks chunk sizes (1 to 8 bytes, cycled), the rest is the body of a watch.
/// Decoded in those chunks, the events and errors are the same as decoded in one piece, as
/// JSON values and as a generated kind.
pub fn watch_decoder(data: &[u8]) {
    let Some((&seed, body)) = data.split_first() else {
        return;
    };
    let sizes: Vec<usize> = (0..4)
        .map(|i| ((seed >> (2 * i)) & 3) as usize * 2 + 1)
        .collect();
    let whole = watch_outcomes::<serde_json::Value>(body, &[body.len()]);
    assert_eq!(whole, watch_outcomes::<serde_json::Value>(body, &sizes));
    let typed = watch_outcomes::<Authentication>(body, &[body.len()]);
    assert_eq!(typed, watch_outcomes::<Authentication>(body, &sizes));
    // A body that is one event per line decodes to as many outcomes as it has JSON lines.
    assert!(
        whole.0.len()
            <= body
                .iter()
                .filter(|&&b| b == b'}' || b == b']' || b == b'\n')
                .count()
                + 1
    );
}

/// The first two bytes are a status code (100–599), the rest a response body; the body's
/// lines are also tried as `Warning:` header values.
pub fn response(data: &[u8]) {
    let Some((code, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = http::StatusCode::from_u16(u16::from_le_bytes(*code) % 500 + 100).unwrap();
    let success = status.is_success();
    match decode::<Authentication>(status, body) {
        Ok(_) => assert!(success),
        Err(Error::Decode(_) | Error::Truncated) => assert!(success),
        Err(e @ Error::Api { .. }) => {
            assert!(!success);
            assert_eq!(e.status(), Some(status));
        }
        Err(e) => panic!("unexpected error {e:?}"),
    }
    match decode::<DeleteResponse<Authentication>>(status, body) {
        Ok(_) | Err(Error::Decode(_) | Error::Truncated) => assert!(success),
        Err(e) => assert_eq!(e.status(), Some(status)),
    }
    assert_eq!(
        decode_bytes(status, body).ok().as_deref(),
        success.then_some(body)
    );
    assert_eq!(decode_text(status, body).is_ok(), success);

    let mut headers = http::HeaderMap::new();
    for line in body.split(|&b| b == b'\n') {
        if let Ok(value) = http::HeaderValue::from_bytes(line) {
            headers.append(http::header::WARNING, value);
        }
    }
    for w in warnings(&headers) {
        // What was parsed, written back as the server writes it, parses to the same warning.
        let quoted = w.text.replace('\\', "\\\\").replace('"', "\\\"");
        let Ok(value) =
            http::HeaderValue::from_str(&format!("{} {} \"{quoted}\"", w.code, w.agent))
        else {
            continue;
        };
        let mut again = http::HeaderMap::new();
        again.append(http::header::WARNING, value);
        assert_eq!(warnings(&again), [w]);
    }
}

/// The first two bytes are an error status code (400–599), the rest its body. The error keeps
/// the status; it carries the server's Status exactly when the body is one (`kind: Status`),
/// and then its reason and retry hint come from it; a Status survives a round trip.
pub fn status(data: &[u8]) {
    let Some((code, body)) = data.split_first_chunk::<2>() else {
        return;
    };
    let status = http::StatusCode::from_u16(u16::from_le_bytes(*code) % 200 + 400).unwrap();
    let parsed = serde_json::from_slice::<Status>(body).ok();
    let err = api_error(status, body);
    let Error::Api {
        details,
        body: text,
        ..
    } = &err
    else {
        panic!("not an API error: {err:?}");
    };
    let is_status = parsed
        .as_ref()
        .is_some_and(|s| s.kind.as_deref() == Some("Status"));
    assert_eq!(details.is_some(), is_status);
    assert_eq!(text.is_empty(), is_status || body.is_empty());
    assert!(text.len() <= 4096 * 3, "kept {} bytes", text.len());
    assert_eq!(err.status(), Some(status));
    if let Some(d) = details {
        assert_eq!(err.reason(), d.reason.as_deref());
    }
    let _ = (err.is_expired(), err.retry_after(), err.to_string());
    if let Some(s) = parsed {
        let again: Status = serde_json::from_slice(&serde_json::to_vec(&s).unwrap()).unwrap();
        assert_eq!(again, s);
    }
}
