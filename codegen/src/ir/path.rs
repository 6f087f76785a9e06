//! The HTTP side of an operation, typed once in lowering: its method, its path template as
//! segments, and where that path sits in the API server's resource tree.

use std::fmt;

use crate::error::Error;
use crate::ir::GroupVersion;

/// An HTTP method of an OpenAPI path item. Ordered by name, as the methods' text sorts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Method {
    Delete,
    Get,
    Head,
    Options,
    Patch,
    Post,
    Put,
    Trace,
}

impl Method {
    /// The method of an OpenAPI path item's key (`get`, `post`, …; any case).
    pub(crate) fn parse(s: &str) -> Option<Method> {
        Some(match s.to_ascii_lowercase().as_str() {
            "delete" => Method::Delete,
            "get" => Method::Get,
            "head" => Method::Head,
            "options" => Method::Options,
            "patch" => Method::Patch,
            "post" => Method::Post,
            "put" => Method::Put,
            "trace" => Method::Trace,
            _ => return None,
        })
    }

    /// As written on the wire: `GET`.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Method::Delete => "DELETE",
            Method::Get => "GET",
            Method::Head => "HEAD",
            Method::Options => "OPTIONS",
            Method::Patch => "PATCH",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Trace => "TRACE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One segment of a path template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Segment {
    /// A fixed segment, checked to be a Kubernetes path segment.
    Literal(String),
    /// `{name}`: filled at run time, percent-encoded (`runtime::request::fill_path`).
    Param(String),
}

/// An OpenAPI path template, parsed and checked once: `/api/v1/namespaces/{namespace}/pods`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct PathTemplate {
    text: String,
    segments: Vec<Segment>,
}

impl PathTemplate {
    /// Parses a template. Every literal segment must be a Kubernetes path segment (`/` alone is
    /// the root) and every `{param}` a whole segment, so no spec text reaches a URL unchecked.
    pub(crate) fn parse(origin: &str, pointer: &str, path: &str) -> Result<Self, Error> {
        let Some(rest) = path.strip_prefix('/') else {
            return Err(Error::at(origin, pointer, "a path must start with `/`"));
        };
        // Discovery paths end in `/` (`/api/v1/`, `/apis/apps/v1/`).
        let rest = rest.strip_suffix('/').unwrap_or(rest);
        let mut segments = Vec::new();
        if !rest.is_empty() {
            for seg in rest.split('/') {
                match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(name) if !name.is_empty() => segments.push(Segment::Param(name.into())),
                    _ => {
                        crate::validate::path_segment(seg)
                            .map_err(|m| Error::at(origin, pointer, m))?;
                        segments.push(Segment::Literal(seg.into()));
                    }
                }
            }
        }
        Ok(PathTemplate {
            text: path.to_string(),
            segments,
        })
    }

    /// The template as the document writes it.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The `{param}` names in template order.
    pub(crate) fn params(&self) -> impl Iterator<Item = &str> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Param(p) => Some(p.as_str()),
            Segment::Literal(_) => None,
        })
    }

    /// The group/version the path is served under; `None` outside any (group discovery
    /// `/apis/<group>/`, `/api/`, `/version/`).
    pub(crate) fn group_version(&self) -> Option<GroupVersion> {
        crate::fixups::document_group_version(std::iter::once(&self.text))
    }

    /// The resource the path addresses; `None` for discovery, the deprecated `/watch/` paths
    /// and anything not shaped like a resource path.
    pub(crate) fn resource(&self) -> Option<ResourcePath> {
        ResourcePath::of(&self.segments)
    }

    /// The resource a deprecated `/watch/` path watches (`/api/v1/watch/pods` → pods), or the
    /// one any other path addresses.
    pub(crate) fn resource_watched(&self) -> Option<ResourcePath> {
        let mut segments = self.segments.clone();
        if let Some(i) = segments
            .iter()
            .position(|s| matches!(s, Segment::Literal(l) if l == "watch"))
        {
            segments.remove(i);
        }
        ResourcePath::of(&segments)
    }
}

impl fmt::Display for PathTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// Where an operation sits in the API server's resource tree, read once from its path:
/// `/api/v1/namespaces/{namespace}/pods/{name}/log` is `pods`, namespaced, named, `log`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ResourcePath {
    pub plural: String,
    /// Under `namespaces/{namespace}/`.
    pub namespaced: bool,
    /// Addresses one object (`…/{name}`).
    pub named: bool,
    /// The subresource segment (`status`, `token`, `proxy`), if any.
    pub subresource: Option<String>,
    /// A `{path}` after the subresource (`proxy/{path}`).
    pub sub_path: bool,
}

impl ResourcePath {
    fn of(segments: &[Segment]) -> Option<Self> {
        use Segment::{Literal, Param};
        let rest = match segments {
            [Literal(a), _, _, rest @ ..] if a == "apis" => rest,
            [Literal(a), _, rest @ ..] if a == "api" => rest,
            _ => return None,
        };
        let (namespaced, rest) = match rest {
            [Literal(n), Param(p), tail @ ..]
                if n == "namespaces" && p == "namespace" && !tail.is_empty() =>
            {
                (true, tail)
            }
            _ => (false, rest),
        };
        // A resource or subresource name; `watch` starts the deprecated watch paths.
        let literal = |s: &Segment| matches!(s, Literal(l) if l != "watch");
        let param = |s: &Segment| matches!(s, Param(_));
        let (plural, named, subresource, sub_path) = match rest {
            [p] if literal(p) => (p, false, None, false),
            [p, n] if literal(p) && param(n) => (p, true, None, false),
            [p, n, s] if literal(p) && param(n) && literal(s) => (p, true, Some(s), false),
            [p, n, s, t] if literal(p) && param(n) && literal(s) && param(t) => {
                (p, true, Some(s), true)
            }
            _ => return None,
        };
        let text = |s: &Segment| match s {
            Literal(l) | Param(l) => l.clone(),
        };
        Some(ResourcePath {
            plural: text(plural),
            namespaced,
            named,
            subresource: subresource.map(text),
            sub_path,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(path: &str) -> PathTemplate {
        PathTemplate::parse("test", "", path).unwrap()
    }

    fn of(path: &str) -> Option<(String, bool, bool, Option<String>, bool)> {
        template(path)
            .resource()
            .map(|r| (r.plural, r.namespaced, r.named, r.subresource, r.sub_path))
    }

    #[test]
    fn templates_are_checked_segments() {
        let t = template("/api/v1/namespaces/{namespace}/pods/{name}/log");
        assert_eq!(t.params().collect::<Vec<_>>(), ["namespace", "name"]);
        assert_eq!(
            t.to_string(),
            "/api/v1/namespaces/{namespace}/pods/{name}/log"
        );
        assert_eq!(template("/apis/apps/v1/").to_string(), "/apis/apps/v1/");
        assert_eq!(template("/").params().count(), 0);
        for bad in [
            "api/v1",
            "/api/../x",
            "/api/{}",
            "/api/a{b}",
            "/api//x",
            "/a b",
        ] {
            assert!(PathTemplate::parse("f", "/p", bad).is_err(), "{bad}");
        }
        assert_eq!(Method::parse("get"), Some(Method::Get));
        assert_eq!(Method::parse("query"), None);
        assert_eq!(Method::Patch.to_string(), "PATCH");
    }

    #[test]
    fn resource_paths() {
        let s = |x: &str| Some(x.to_string());
        assert_eq!(
            of("/api/v1/pods"),
            Some(("pods".into(), false, false, None, false))
        );
        assert_eq!(
            of("/api/v1/namespaces/{namespace}/pods/{name}/log"),
            Some(("pods".into(), true, true, s("log"), false))
        );
        assert_eq!(
            of("/api/v1/namespaces/{namespace}/pods/{name}/proxy/{path}"),
            Some(("pods".into(), true, true, s("proxy"), true))
        );
        // The namespaces resource itself: `{name}`, not `{namespace}`.
        assert_eq!(
            of("/api/v1/namespaces/{name}/finalize"),
            Some(("namespaces".into(), false, true, s("finalize"), false))
        );
        assert_eq!(
            of("/apis/config.openshift.io/v1/authentications/{name}/status"),
            Some(("authentications".into(), false, true, s("status"), false))
        );
        // Discovery and the deprecated watch paths are no resource.
        assert_eq!(of("/apis/apps/v1/"), None);
        let watch = template("/apis/apps/v1/watch/namespaces/{namespace}/deployments");
        assert_eq!(watch.resource(), None);
        assert_eq!(
            watch.resource_watched().map(|r| (r.plural, r.namespaced)),
            Some(("deployments".into(), true))
        );
        assert_eq!(of("/api/v1/watch/pods"), None);
        assert_eq!(of("/version/"), None);
    }
}
