// Hand-written: not produced by codegen.
//! Warnings the API server sends with an answer (`Warning:` headers): a deprecated API, an
//! unknown field under `fieldValidation=Warn`, a value it will refuse in a later release.
//! Sans-io: [`warnings`] reads them from any response's headers; the client hands each one to
//! its warning handler.

/// One warning, as the API server writes it: `299 - "text"` (RFC 7234 §5.5; Kubernetes always
/// uses code 299 and agent `-`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The warn-code (299: a persistent warning).
    pub code: u16,
    /// The warn-agent (`-` when the server does not name itself).
    pub agent: String,
    /// The warning itself, unquoted.
    pub text: String,
}

impl std::fmt::Display for Warning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

/// Every warning in the `Warning` headers of a response, in order. A header value may hold
/// several, separated by commas; a malformed value is skipped from where it stops parsing, as
/// client-go does (a warning is advice: it never fails a request).
pub fn warnings(headers: &http::HeaderMap) -> Vec<Warning> {
    let mut out = Vec::new();
    for value in headers.get_all(http::header::WARNING) {
        let Ok(value) = value.to_str() else { continue };
        parse_into(value, &mut out);
    }
    out
}

fn parse_into(mut s: &str, out: &mut Vec<Warning>) {
    loop {
        s = s.trim_start_matches([' ', '\t', ',']);
        if s.is_empty() {
            return;
        }
        let Some((code, rest)) = s.split_once(' ') else {
            return;
        };
        let Ok(code) = code.parse::<u16>() else {
            return;
        };
        let Some((agent, rest)) = rest.trim_start().split_once(' ') else {
            return;
        };
        let Some(rest) = rest.trim_start().strip_prefix('"') else {
            return;
        };
        // A quoted-string: `\` escapes the next character.
        let mut text = String::new();
        let mut chars = rest.char_indices();
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, e)) => text.push(e),
                    None => return,
                },
                '"' => {
                    end = Some(i + 1);
                    break;
                }
                c => text.push(c),
            }
        }
        let Some(end) = end else { return };
        out.push(Warning {
            code,
            agent: agent.to_string(),
            text,
        });
        // An optional quoted warn-date follows; then a comma or the end.
        s = &rest[end..];
        let after = s.trim_start();
        if let Some(date) = after.strip_prefix('"') {
            s = date.split_once('"').map_or("", |(_, r)| r);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(values: &[&str]) -> Vec<(u16, String, String)> {
        let mut h = http::HeaderMap::new();
        for v in values {
            h.append(http::header::WARNING, v.parse().unwrap());
        }
        warnings(&h)
            .into_iter()
            .map(|w| (w.code, w.agent, w.text))
            .collect()
    }

    #[test]
    fn reads_what_the_api_server_writes() {
        assert_eq!(
            parse(&[r#"299 - "unknown field \"spec.notAField\"""#]),
            [(299, "-".into(), r#"unknown field "spec.notAField""#.into())]
        );
    }

    #[test]
    fn several_per_header_and_several_headers_in_order() {
        let got = parse(&[
            r#"299 - "first", 299 - "second, with a comma""#,
            r#"299 kube-apiserver "third" "Wed, 02 Dec 2026 10:00:00 GMT", 299 - "fourth""#,
        ]);
        let texts: Vec<&str> = got.iter().map(|(_, _, t)| t.as_str()).collect();
        assert_eq!(texts, ["first", "second, with a comma", "third", "fourth"]);
        assert_eq!(got[2].1, "kube-apiserver");
    }

    #[test]
    fn malformed_values_stop_quietly() {
        assert!(parse(&["not a warning"]).is_empty());
        assert!(parse(&[r#"299 - "unterminated"#]).is_empty());
        assert_eq!(parse(&[r#"299 - "ok", garbage"#]).len(), 1);
        assert!(parse(&[]).is_empty());
    }
}
