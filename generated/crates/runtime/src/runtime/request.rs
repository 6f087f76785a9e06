// Hand-written: not produced by codegen.
//! Sans-io building blocks of every operation: path segments that cannot escape their place,
//! query strings, request assembly and response decoding. The generated `requests` modules
//! use them; so can a caller with a transport of its own.

use serde::{de::DeserializeOwned, Serialize};

use super::Error;
use crate::meta::v1::Status;

/// Everything but RFC 3986 unreserved characters is percent-encoded, so a value can never add
/// a path segment (`/`), a query (`?`), a fragment (`#`) or an escape (`%`).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Encodes a path parameter as one path segment. `.` and `..` are refused: they would move the
/// request to another path once the URL is normalized. Empty values are refused too.
pub fn path_segment(name: &'static str, value: &str) -> Result<String, Error> {
    let mut out = String::new();
    push_segment(&mut out, name, value)?;
    Ok(out)
}

fn push_segment(out: &mut String, name: &'static str, value: &str) -> Result<(), Error> {
    match value {
        "" => Err(Error::InvalidPathParameter {
            name,
            reason: "empty",
        }),
        "." | ".." => Err(Error::InvalidPathParameter {
            name,
            reason: "`.` and `..` are not names",
        }),
        v => {
            out.extend(percent_encoding::utf8_percent_encode(v, SEGMENT));
            Ok(())
        }
    }
}

/// An operation's path: its template as the API document writes it
/// (`/api/v1/namespaces/{namespace}/pods/{name}`) with each `{parameter}` segment replaced by
/// the next of `values`, encoded by [`path_segment`]. The generated requests pass the template
/// itself rather than formatting the path: one call instead of a `format!` and a checked
/// encoding per parameter in every operation, a fifth of a group/version crate's compile time.
pub fn fill_path(template: &'static str, values: &[&str]) -> Result<String, Error> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut values = values.iter();
    let mut segments = template.split('/');
    // A template starts with `/`: the first piece is empty.
    if let Some(first) = segments.next() {
        out.push_str(first);
    }
    for segment in segments {
        out.push('/');
        match segment
            .strip_prefix('{')
            .and_then(|s| s.strip_suffix('}'))
            .filter(|name| !name.is_empty())
        {
            Some(name) => {
                let value = values.next().ok_or_else(|| {
                    Error::Request(format!("no value for `{name}` in the path {template}"))
                })?;
                push_segment(&mut out, name, value)?;
            }
            None => out.push_str(segment),
        }
    }
    if values.next().is_some() {
        return Err(Error::Request(format!(
            "more values than parameters for the path {template}"
        )));
    }
    Ok(out)
}

/// A query string under construction; values are form-encoded, so they cannot add parameters.
/// It also notes the parameters whose combinations the server checks, so [`build_query`]
/// refuses what the server would.
pub struct Query(
    form_urlencoded::Serializer<'static, String>,
    bool,
    super::options::Seen,
);

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Query")
    }
}

impl Default for Query {
    fn default() -> Self {
        Query(
            form_urlencoded::Serializer::new(String::new()),
            false,
            Default::default(),
        )
    }
}

impl Query {
    /// An empty query.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `name=value`.
    pub fn push(&mut self, name: &str, value: &str) {
        self.0.append_pair(name, value);
        self.1 = true;
        self.2.note(name, value);
    }

    /// Adds `name=value` when the value is set.
    pub fn push_opt<T: std::fmt::Display>(&mut self, name: &str, value: Option<&T>) {
        if let Some(v) = value {
            self.push(name, &v.to_string());
        }
    }

    /// `?a=b&c=d`, or empty.
    pub fn finish(mut self) -> String {
        if self.1 {
            format!("?{}", self.0.finish())
        } else {
            String::new()
        }
    }
}

/// Serializes a JSON request body.
pub fn json<T: Serialize>(body: &T) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(body).map_err(Error::Encode)
}

/// A request body with its Content-Type, or none, as [`build`] takes it.
pub type Body = Option<(Vec<u8>, &'static str)>;

/// A JSON request body with its Content-Type.
#[inline]
pub fn json_body<T: Serialize>(body: &T) -> Result<Body, Error> {
    Ok(Some((json(body)?, "application/json")))
}

/// An optional JSON request body (a delete's DeleteOptions).
#[inline]
pub fn json_body_opt<T: Serialize>(body: Option<&T>) -> Result<Body, Error> {
    match body {
        Some(body) => json_body(body),
        None => Ok(None),
    }
}

/// A patch with the Content-Type of its kind.
pub fn patch_body(patch: &super::Patch) -> Result<Body, Error> {
    Ok(Some((patch.body()?, patch.content_type())))
}

/// A set of query parameters that writes the ones that are set, in the API's order (the
/// shared sets of `crate::params`).
pub trait QueryParams {
    /// Appends the parameters that are set to `query`.
    fn append_to(&self, query: &mut Query);
}

/// [`build_query`] for an operation whose query string is exactly `params`. (`#[inline]`:
/// generic, compiled where it is used.)
#[inline]
pub fn build_with<P: QueryParams>(
    method: &str,
    template: &'static str,
    values: &[&str],
    params: &P,
    body: Result<Body, Error>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let mut query = Query::new();
    params.append_to(&mut query);
    build_query(method, template, values, query, body)
}

/// [`build`] for the path of `template` and `values` ([`fill_path`]) and `query`, after
/// refusing the parameter combinations the API server refuses ([`Error::InvalidOptions`]:
/// apply without a field manager, `force` on a patch that is not an apply,
/// `resourceVersionMatch` without `resourceVersion`, …). The body comes as the operation
/// encoded it; an encoding error is returned here.
pub fn build_query(
    method: &str,
    template: &'static str,
    values: &[&str],
    query: Query,
    body: Result<Body, Error>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let path = fill_path(template, values)?;
    let body = body?;
    query
        .2
        .check(body.as_ref().map(|(_, content_type)| *content_type))?;
    build(method, path + &query.finish(), body)
}

/// Assembles a request for `path_and_query` (origin-form: the client adds scheme and host).
/// Accept is JSON; the body, when there is one, goes with its Content-Type.
pub fn build(
    method: &str,
    path_and_query: String,
    body: Body,
) -> Result<http::Request<Vec<u8>>, Error> {
    // Set in place rather than through `http::request::Builder`, which moves the whole
    // request head at every step (a tenth of this function's instructions per request).
    let method =
        http::Method::from_bytes(method.as_bytes()).map_err(|e| Error::Request(e.to_string()))?;
    let uri = http::Uri::try_from(path_and_query).map_err(|e| Error::Request(e.to_string()))?;
    let (bytes, content_type) = match body {
        Some((bytes, content_type)) => (bytes, Some(content_type)),
        None => (Vec::new(), None),
    };
    let mut req = http::Request::new(bytes);
    *req.method_mut() = method;
    *req.uri_mut() = uri;
    let headers = req.headers_mut();
    headers.insert(
        http::header::ACCEPT,
        http::HeaderValue::from_static("application/json"),
    );
    if let Some(content_type) = content_type {
        let value = http::HeaderValue::from_str(content_type).map_err(|_| {
            Error::Request(format!(
                "content type {content_type:?} is not a valid header value"
            ))
        })?;
        headers.insert(http::header::CONTENT_TYPE, value);
    }
    Ok(req)
}

/// Accept any media type: for operations whose answer is not JSON (pods/log is text, connect
/// operations answer as the proxied or streamed peer does).
#[inline]
pub fn accept_any(
    req: Result<http::Request<Vec<u8>>, Error>,
) -> Result<http::Request<Vec<u8>>, Error> {
    let mut req = req?;
    req.headers_mut()
        .insert(http::header::ACCEPT, http::HeaderValue::from_static("*/*"));
    Ok(req)
}

/// Decodes a plain-text response (pods/log): the body as UTF-8 text for a 2xx status,
/// [`Error::Api`] otherwise. Bytes that are not UTF-8 are replaced, not an error: a log holds
/// what the container wrote.
pub fn decode_text(status: http::StatusCode, body: &[u8]) -> Result<String, Error> {
    if status.is_success() {
        return Ok(String::from_utf8_lossy(body).into_owned());
    }
    Err(api_error(status, body))
}

/// The raw body of a 2xx response (connect operations), [`Error::Api`] otherwise.
pub fn decode_bytes(status: http::StatusCode, body: &[u8]) -> Result<Vec<u8>, Error> {
    if status.is_success() {
        return Ok(body.to_vec());
    }
    Err(api_error(status, body))
}

/// How much of a non-Status error body is kept in [`Error::Api`].
const ERROR_BODY_LIMIT: usize = 4096;

/// Decodes a response: the operation's type for a 2xx status, [`Error::Api`] otherwise (with
/// the server's Status when the body is one).
pub fn decode<T: DeserializeOwned>(status: http::StatusCode, body: &[u8]) -> Result<T, Error> {
    if status.is_success() {
        return serde_json::from_slice(body).map_err(|e| {
            if e.is_eof() {
                Error::Truncated
            } else {
                Error::Decode(e)
            }
        });
    }
    Err(api_error(status, body))
}

/// The error value for a non-success response. (`#[inline]`: decoding a Status is compiled
/// where responses are decoded, not in every build of this crate.)
#[inline]
pub fn api_error(status: http::StatusCode, body: &[u8]) -> Error {
    let details = serde_json::from_slice::<Status>(body)
        .ok()
        .filter(|s| s.kind.as_deref() == Some("Status"))
        .map(Box::new);
    let body = if details.is_some() {
        String::new()
    } else {
        let text = String::from_utf8_lossy(&body[..body.len().min(ERROR_BODY_LIMIT)]);
        text.into_owned()
    };
    Error::Api {
        status,
        details,
        body,
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_filled_one_encoded_segment_per_parameter() {
        let t = "/api/v1/namespaces/{namespace}/pods/{name}/log";
        assert_eq!(
            fill_path(t, &["default", "a/b?c%"]).unwrap(),
            "/api/v1/namespaces/default/pods/a%2Fb%3Fc%25/log"
        );
        assert_eq!(fill_path("/apis/apps/v1/", &[]).unwrap(), "/apis/apps/v1/");
        assert_eq!(fill_path("/", &[]).unwrap(), "/");
        let err = fill_path(t, &["default", ".."]).unwrap_err();
        assert!(
            matches!(err, Error::InvalidPathParameter { name: "name", .. }),
            "{err}"
        );
        let err = fill_path(t, &["", "x"]).unwrap_err();
        assert!(
            matches!(
                err,
                Error::InvalidPathParameter {
                    name: "namespace",
                    ..
                }
            ),
            "{err}"
        );
        assert!(fill_path(t, &["default"]).is_err(), "a value missing");
        assert!(fill_path(t, &["a", "b", "c"]).is_err(), "a value too many");
    }

    #[test]
    fn text_and_connect_answers_are_not_decoded_as_json() {
        let ok = http::StatusCode::OK;
        // A log is what the container wrote: not JSON, not necessarily UTF-8.
        assert_eq!(
            decode_text(ok, b"line 1\n\xff").unwrap(),
            "line 1\n\u{fffd}"
        );
        assert_eq!(decode_bytes(ok, b"\x00\x01").unwrap(), vec![0, 1]);
        let status = br#"{"kind":"Status","apiVersion":"v1","status":"Failure","reason":"NotFound","code":404}"#;
        let err = decode_text(http::StatusCode::NOT_FOUND, status).unwrap_err();
        assert_eq!(err.reason(), Some("NotFound"));
        let req = accept_any(build("GET", "/api/v1/namespaces/a/pods/b/log".into(), None)).unwrap();
        assert_eq!(req.headers()[http::header::ACCEPT], "*/*");
    }

    #[test]
    fn hostile_segments_stay_one_segment() {
        assert_eq!(
            path_segment("name", "a/b?c#d%e").unwrap(),
            "a%2Fb%3Fc%23d%25e"
        );
        assert_eq!(
            path_segment("name", "my.name-1_x~").unwrap(),
            "my.name-1_x~"
        );
        assert_eq!(path_segment("name", "..%2F").unwrap(), "..%252F");
        assert!(path_segment("name", "..").is_err());
        assert!(path_segment("name", ".").is_err());
        assert!(path_segment("name", "").is_err());
    }

    #[test]
    fn query_values_cannot_add_parameters() {
        let mut q = Query::new();
        q.push("labelSelector", "a=b&watch=true");
        q.push_opt("limit", Some(&5));
        q.push_opt::<i64>("absent", None);
        assert_eq!(q.finish(), "?labelSelector=a%3Db%26watch%3Dtrue&limit=5");
        assert_eq!(Query::new().finish(), "");
    }

    /// A body that cannot be encoded as JSON.
    struct Unencodable;

    impl Serialize for Unencodable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("no"))
        }
    }

    #[test]
    fn build_with_appends_the_parameter_set_and_the_json_body() {
        struct Limit(Option<i64>);
        impl QueryParams for Limit {
            fn append_to(&self, query: &mut Query) {
                query.push_opt("limit", self.0.as_ref());
            }
        }
        let req = build_with(
            "POST",
            "/a/{x}",
            &["b c"],
            &Limit(Some(5)),
            json_body(&[1, 2]),
        )
        .unwrap();
        assert_eq!(req.uri(), "/a/b%20c?limit=5");
        assert_eq!(
            req.headers()[http::header::CONTENT_TYPE],
            "application/json"
        );
        assert_eq!(req.body(), b"[1,2]");
        let req = build_with("GET", "/a", &[], &Limit(None), Ok(None)).unwrap();
        assert_eq!(
            (req.uri().to_string(), req.body().len()),
            ("/a".to_string(), 0)
        );
        let err = build_with(
            "GET",
            "/a",
            &[],
            &Limit(None),
            json_body_opt(Some(&Unencodable)),
        )
        .unwrap_err();
        assert!(matches!(err, Error::Encode(_)), "{err}");
    }

    #[test]
    fn build_sets_method_target_and_headers_and_refuses_bad_ones() {
        let req = build(
            "PATCH",
            "/a?b=c".into(),
            Some((b"{}".to_vec(), "application/merge-patch+json")),
        )
        .unwrap();
        assert_eq!(req.method(), http::Method::PATCH);
        assert_eq!(req.uri(), "/a?b=c");
        assert_eq!(req.headers()[http::header::ACCEPT], "application/json");
        assert_eq!(
            req.headers()[http::header::CONTENT_TYPE],
            "application/merge-patch+json"
        );
        let req = build("GET", "/a".into(), None).unwrap();
        assert!(req.headers().get(http::header::CONTENT_TYPE).is_none());
        assert!(req.body().is_empty());
        assert!(matches!(
            build("GE T", "/a".into(), None),
            Err(Error::Request(_))
        ));
        assert!(matches!(
            build("GET", "/a b".into(), None),
            Err(Error::Request(_))
        ));
        assert!(matches!(
            build("POST", "/a".into(), Some((Vec::new(), "a\nb"))),
            Err(Error::Request(_))
        ));
    }

    #[test]
    fn errors_carry_the_status() {
        let body = br#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"not here","reason":"NotFound","code":404}"#;
        let e = decode::<serde_json::Value>(http::StatusCode::NOT_FOUND, body).unwrap_err();
        assert_eq!(e.reason(), Some("NotFound"));
        assert_eq!(e.to_string(), "HTTP 404 Not Found: not here (NotFound)");
        let e = decode::<serde_json::Value>(http::StatusCode::BAD_GATEWAY, b"upstream down")
            .unwrap_err();
        assert_eq!(e.to_string(), "HTTP 502 Bad Gateway: upstream down");
        assert!(matches!(
            decode::<serde_json::Value>(http::StatusCode::OK, b"{\"a\":"),
            Err(Error::Truncated)
        ));
        assert!(matches!(
            decode::<serde_json::Value>(http::StatusCode::OK, b"{]"),
            Err(Error::Decode(_))
        ));
    }
}
