//! Rustdoc from spec text: descriptions become `#[doc]` attributes that render as written and
//! never hold code rustdoc would compile.

use proc_macro2::TokenStream;
use quote::quote;

/// Rustdoc attributes for text from a spec file. Rustdoc compiles and runs every code block
/// that is not marked otherwise, so nothing a spec says may become one:
/// - a string holding line breaks (`\n`, or a lone `\r`, which rustc refuses in docs) is
///   split into lines first, so every line goes through the rules below;
/// - leading indentation is dropped (no indented code block), and after a blockquote or list
///   marker only one space is kept (no indented code block inside one);
/// - a fence at the start of a line opens a `text` block and the matching fence closes it, so
///   it renders as written and is never compiled; every other run of three or more backticks
///   or tildes (a fence inside a quote or list item, or one inside a block we opened) is
///   escaped, so the only fences left are ours, alternating open and close.
///
/// The emitted crates also have `doctest = false`: this is the second wall.
pub(crate) fn doc_attrs(lines: &[String]) -> TokenStream {
    let mut open: Option<(char, usize)> = None;
    let mut out = TokenStream::new();
    for line in lines.iter().flat_map(|l| l.split(['\n', '\r'])) {
        // Tabs (Calico's descriptions align tables with them) trip clippy's
        // tabs_in_doc_comments: four spaces each, as it suggests.
        let spaced;
        let line = if line.contains('\t') {
            spaced = line.replace('\t', "    ");
            spaced.trim()
        } else {
            line.trim()
        };
        let fence = fence_of(line);
        let text = match (open, fence) {
            (None, Some((c, n, _))) => {
                open = Some((c, n));
                "```text".to_string()
            }
            (Some((oc, on)), Some((c, n, info))) if c == oc && n >= on && info.is_empty() => {
                open = None;
                "```".to_string()
            }
            _ => neutralize(line),
        };
        let text = format!(" {text}");
        out.extend(quote! { #[doc = #text] });
    }
    if open.is_some() {
        out.extend(quote! { #[doc = " ```"] });
    }
    out
}

/// A fence line: its character, its length, and its info string.
fn fence_of(line: &str) -> Option<(char, usize, &str)> {
    let c = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = line.chars().take_while(|x| *x == c).count();
    (n >= 3).then(|| (c, n, line[n..].trim()))
}

/// One line with container markers collapsed to one space each and every run of three or
/// more backticks or tildes escaped.
fn neutralize(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if let Some(r) = rest.strip_prefix('>') {
            out.push_str("> ");
            rest = r.trim_start();
        } else if let Some(r) = list_marker(rest) {
            out.push_str(&rest[..rest.len() - r.len()]);
            out.push(' ');
            rest = r.trim_start();
        } else {
            break;
        }
    }
    let chars: Vec<char> = rest.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let run = chars[i..].iter().take_while(|x| **x == c).count();
        if (c == '`' || c == '~') && run >= 3 {
            for _ in 0..run {
                out.push('\\');
                out.push(c);
            }
        } else {
            out.extend(&chars[i..i + run]);
        }
        i += run;
    }
    out
}

/// The rest of `s` after a list marker (`-`, `*`, `+`, `1.`, `1)`) followed by whitespace.
fn list_marker(s: &str) -> Option<&str> {
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    let len = match s.as_bytes().get(digits)? {
        b'-' | b'*' | b'+' if digits == 0 => 1,
        b'.' | b')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let rest = &s[len..];
    rest.starts_with([' ', '\t']).then_some(rest)
}

#[cfg(test)]
mod tests {
    use super::doc_attrs;

    /// Calico's selector docs align a table with tabs, which clippy's tabs_in_doc_comments
    /// refuses in the generated crate.
    #[test]
    fn tabs_become_spaces() {
        let lines = vec!["label == \"x\"\t->\tequal\n```\n\tindented\n```".to_string()];
        let text = doc_attrs(&lines).to_string();
        assert!(!text.contains('\t') && !text.contains("\\t"), "{text}");
        assert!(text.contains("label == \\\"x\\\"    ->    equal"), "{text}");
    }
}
