//! Building a JSON value from YAML within a size budget. YAML aliases repeat what an anchor
//! holds: a 600 KB file that names one 10 KB anchor 200,000 times expands to 2 GB.
//! serde_yaml_ng bounds how many aliases are followed (which stops nested "billion laughs"),
//! not how much each one brings, so the value is built here with a running count of what it
//! holds, refused past the budget before memory goes.

use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Room for what a document of `len` bytes can honestly hold: every node and string byte
/// counted, a value is at most a few times its text (`a: 1` is 4 bytes and 2 nodes); anchors
/// used a few times fit easily.
pub(crate) fn for_text(len: usize) -> usize {
    len.saturating_mul(8).saturating_add(1 << 20)
}

const MERGE: &str = "a merge key (`<<`) takes a mapping or a sequence of mappings";

/// A `DeserializeSeed` producing a `serde_json::Value`, charging each node one unit and each
/// string its length against `left`.
pub(crate) struct Budgeted<'a> {
    pub left: &'a mut usize,
}

impl Budgeted<'_> {
    fn charge<E: serde::de::Error>(&mut self, n: usize) -> Result<(), E> {
        match self.left.checked_sub(n.saturating_add(1)) {
            Some(rest) => {
                *self.left = rest;
                Ok(())
            }
            None => Err(E::custom(
                "YAML aliases expand this document far beyond its size: refused",
            )),
        }
    }
}

impl<'de> DeserializeSeed<'de> for Budgeted<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Budgeted<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON-compatible value")
    }
    fn visit_bool<E: serde::de::Error>(mut self, v: bool) -> Result<Value, E> {
        self.charge(0)?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(mut self, v: i64) -> Result<Value, E> {
        self.charge(0)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(mut self, v: u64) -> Result<Value, E> {
        self.charge(0)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(mut self, v: f64) -> Result<Value, E> {
        self.charge(0)?;
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: serde::de::Error>(mut self, v: &str) -> Result<Value, E> {
        self.charge(v.len())?;
        Ok(Value::String(v.to_string()))
    }
    fn visit_string<E: serde::de::Error>(mut self, v: String) -> Result<Value, E> {
        self.charge(v.len())?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: serde::de::Error>(mut self) -> Result<Value, E> {
        self.charge(0)?;
        Ok(Value::Null)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Value, A::Error> {
        self.charge(0)?;
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Budgeted { left: self.left })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Value, A::Error> {
        self.charge(0)?;
        let mut out = Map::new();
        // YAML merge keys (`<<: *base`), which the API server's YAML reader (and kubectl's)
        // applies: the mappings merged in give the keys this one does not set itself.
        let mut merged: Vec<Map<String, Value>> = Vec::new();
        while let Some(key) = map.next_key_seed(Budgeted { left: self.left })? {
            let key = match key {
                Value::String(s) => s,
                // YAML allows any scalar as a key; JSON (and every spec) has strings.
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                Value::Null => "null".to_string(),
                _ => return Err(A::Error::custom("a mapping key is not a scalar")),
            };
            let value = map.next_value_seed(Budgeted { left: self.left })?;
            if key == "<<" {
                // One mapping, or a sequence of them, earlier ones taking precedence.
                let maps = match value {
                    Value::Object(m) => vec![m],
                    Value::Array(items) => items
                        .into_iter()
                        .map(|v| match v {
                            Value::Object(m) => Ok(m),
                            _ => Err(A::Error::custom(MERGE)),
                        })
                        .collect::<Result<_, _>>()?,
                    _ => return Err(A::Error::custom(MERGE)),
                };
                merged.extend(maps);
            } else {
                out.insert(key, value);
            }
        }
        for m in merged {
            for (k, v) in m {
                out.entry(k).or_insert(v);
            }
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::{for_text, Budgeted};
    use serde::de::DeserializeSeed;
    use serde_json::json;

    fn parse(text: &str) -> Result<serde_json::Value, String> {
        let mut left = for_text(text.len());
        let de = serde_yaml_ng::Deserializer::from_str(text);
        Budgeted { left: &mut left }
            .deserialize(de)
            .map_err(|e| e.to_string())
    }

    /// Merge keys as the API server's YAML reader applies them: the mapping's own keys win,
    /// then the merged mappings in order.
    #[test]
    fn merge_keys_are_applied() {
        let text = "base: &b {type: object, description: base}\nother: &o {description: other, x: 1}\none:\n  <<: *b\n  description: own\nmany:\n  <<: [*o, *b]\n";
        assert_eq!(
            parse(text).unwrap(),
            json!({
                "base": {"type": "object", "description": "base"},
                "other": {"description": "other", "x": 1},
                "one": {"type": "object", "description": "own"},
                "many": {"description": "other", "x": 1, "type": "object"},
            })
        );
        let err = parse("a: &a 1\nb:\n  <<: *a\n").unwrap_err();
        assert!(err.contains("merge key"), "{err}");
    }
}
