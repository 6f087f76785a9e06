//! Steps of the planning passes that must stay near-linear on hostile input (alias chains,
//! name uniquing, `allOf` merging, union variants), counted so that tests bound them by count,
//! not by time. Counted per thread (one OpenAPI document is lowered and planned on the calling
//! thread), and only in this crate's test build: elsewhere [`step`] is empty.

#[cfg(test)]
thread_local! {
    static STEPS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// One step of work: a name tried, an alias followed, a property looked up.
#[inline(always)]
pub(crate) fn step() {
    #[cfg(test)]
    STEPS.with(|s| s.set(s.get() + 1));
}

/// The steps counted on this thread since the last call.
#[cfg(test)]
pub(crate) fn take() -> u64 {
    STEPS.with(|s| s.replace(0))
}

#[cfg(test)]
mod tests {
    use super::take;
    use serde_json::{json, Value};

    const SCHEMA: &str = "io.k8s.api.example.v1";

    fn openapi(schemas: serde_json::Map<String, Value>) -> Value {
        json!({"openapi": "3.0.0", "info": {"title": "x", "version": "v1"}, "paths": {},
               "components": {"schemas": schemas}})
    }

    fn schema_ref(name: &str) -> Value {
        json!({"$ref": format!("#/components/schemas/{SCHEMA}.{name}")})
    }

    /// A chain of `n` aliases (A0 → A1 → … → An, a struct), plus a ring of `n` aliases.
    fn alias_chain(n: usize) -> Value {
        let mut s = serde_json::Map::new();
        for i in 0..n {
            s.insert(format!("{SCHEMA}.A{i}"), schema_ref(&format!("A{}", i + 1)));
        }
        s.insert(
            format!("{SCHEMA}.A{n}"),
            json!({"type": "object", "properties": {"x": {"type": "string"}}}),
        );
        openapi(s)
    }

    fn alias_ring(n: usize) -> Value {
        let mut s = serde_json::Map::new();
        for i in 0..n {
            s.insert(
                format!("{SCHEMA}.R{i}"),
                schema_ref(&format!("R{}", (i + 1) % n)),
            );
        }
        openapi(s)
    }

    /// One object of `n` properties that all snake-case to `a`, each holding an object (so
    /// both the field names and the nested type names collide), required in reverse order.
    fn colliding_names(n: usize) -> Value {
        let mut props = serde_json::Map::new();
        let mut required = Vec::new();
        for i in 0..n {
            let name = format!("a{}", "_".repeat(i));
            props.insert(
                name.clone(),
                json!({"type": "object", "properties": {"x": {"type": "string"}}}),
            );
            required.insert(0, name);
        }
        let mut s = serde_json::Map::new();
        s.insert(
            format!("{SCHEMA}.X"),
            json!({"type": "object", "properties": props, "required": required}),
        );
        openapi(s)
    }

    /// `allOf` of `n` branches, each with the same property and one of its own.
    fn all_of(n: usize) -> Value {
        let branches: Vec<Value> = (0..n)
            .map(|i| {
                json!({"type": "object", "properties": {
                    "shared": {"type": "string"},
                    format!("p{i}"): {"type": "integer"}}})
            })
            .collect();
        let mut s = serde_json::Map::new();
        s.insert(format!("{SCHEMA}.M"), json!({"allOf": branches}));
        openapi(s)
    }

    /// `oneOf` of `n` branches of one type (their variants all want the name `Array`).
    fn one_of(n: usize) -> Value {
        let branches: Vec<Value> = (0..n)
            .map(|i| json!({"type": "array", "items": {"type": "string", "maxLength": i}}))
            .collect();
        let mut s = serde_json::Map::new();
        s.insert(format!("{SCHEMA}.U"), json!({"oneOf": branches}));
        openapi(s)
    }

    /// Steps counted while generating `doc`, and whether it generated.
    fn steps(doc: &Value) -> (u64, bool) {
        let spec = crate::SpecFile {
            name: "hostile.json".into(),
            bytes: serde_json::to_vec(doc).unwrap(),
        };
        take();
        let ok = crate::generate(&[spec], &crate::Options::default()).is_ok();
        (take(), ok)
    }

    /// Each hostile shape at size n and 2n: the steps at most double (plus a little for the
    /// logarithms), and stay within a small multiple of n (each pass counts a few steps per
    /// schema or property). A quadratic pass quadruples.
    #[test]
    fn planning_passes_grow_linearly_on_hostile_shapes() {
        let n = 1500;
        // (what, the input at a size, whether it generates)
        type Shape = (&'static str, fn(usize) -> Value, bool);
        let shapes: [Shape; 5] = [
            ("alias chain", alias_chain, true),
            ("alias ring", alias_ring, false),
            ("colliding names", colliding_names, true),
            ("allOf branches", all_of, true),
            ("oneOf branches", one_of, true),
        ];
        let mut failures = Vec::new();
        for (what, make, generates) in shapes {
            let (small, ok) = steps(&make(n));
            assert_eq!(ok, generates, "{what}");
            let (large, _) = steps(&make(2 * n));
            assert!(
                small >= n as u64,
                "{what}: only {small} steps counted for {n}: not measured"
            );
            if large > small * 5 / 2 || large > 16 * 2 * n as u64 {
                failures.push(format!(
                    "{what}: {small} steps for {n}, {large} for {}",
                    2 * n
                ));
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }
}
