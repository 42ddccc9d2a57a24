//! Where `{{name}}` placeholders get their values: a Postman environment
//! file (its `secret` variables as any other) over the collection's own
//! `variable` list, as Postman resolves them.

use super::{json_of, Wiped};
use crate::error::{Error, Problem, Result};
use serde_json::Value;
use std::collections::HashMap;
use zeroize::Zeroizing;

/// Deepest a variable may be defined through others (`{{a}}` = `{{b}}/x`).
const MAX_NESTING: usize = 10;

/// One variable: its value (wiped when dropped) and whether it is enabled.
struct Var {
    value: Zeroizing<String>,
    enabled: bool,
}

/// A Postman environment export: `{ name, values: [{ key, value, type, enabled }] }`.
pub struct Environment {
    /// The environment's own name, when it has one.
    pub name: Option<String>,
    vars: HashMap<String, Var>,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Environment").field("name", &self.name).field("variables", &self.vars.len()).finish()
    }
}

impl Environment {
    /// How many variables it defines (enabled or not).
    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}

/// A variable's value as text: strings as they are, numbers and booleans
/// as Postman prints them, nothing for null.
fn text_of(value: &Value) -> Option<Zeroizing<String>> {
    match value {
        Value::Null => Some(Zeroizing::new(String::new())),
        Value::String(s) => Some(Zeroizing::new(s.clone())),
        Value::Bool(_) | Value::Number(_) => Some(Zeroizing::new(value.to_string())),
        _ => None,
    }
}

/// Reads a Postman environment file (also a globals export, the same shape).
/// Problems are named `environment.values[2].key` (`""`: the file itself).
pub fn read_environment(bytes: &[u8]) -> Result<Environment> {
    let doc = Wiped(json_of(bytes, "environment")?);
    let top = &doc.0;
    if top.get("info").and_then(|i| i.get("schema")).is_some() {
        return Err(Error::invalid("", "this is a Postman collection, not an environment"));
    }
    let Some(values) = top.get("values").and_then(Value::as_array) else {
        return Err(Error::invalid(
            "environment.values",
            "is required: a Postman environment export lists its variables in values",
        ));
    };
    let mut problems = vec![];
    let mut vars = HashMap::with_capacity(values.len());
    for (i, entry) in values.iter().enumerate() {
        let at = format!("environment.values[{i}]");
        let Some(key) = entry.get("key").and_then(Value::as_str) else {
            problems.push(Problem::new(at, "must be an object with a key (a string) and a value"));
            continue;
        };
        let Some(value) = text_of(entry.get("value").unwrap_or(&Value::Null)) else {
            problems.push(Problem::new(format!("{at}.value"), "must be text, a number or a boolean"));
            continue;
        };
        let enabled = entry.get("enabled").and_then(Value::as_bool).unwrap_or(true);
        // The first definition of a name counts, as in Postman.
        vars.entry(key.to_string()).or_insert(Var { value, enabled });
    }
    if !problems.is_empty() {
        return Err(Error::Invalid(problems));
    }
    Ok(Environment { name: top.get("name").and_then(Value::as_str).map(str::to_string), vars })
}

/// The variables a collection's placeholders see: the environment's over
/// the collection's own.
pub(super) struct Variables<'a> {
    environment: Option<&'a Environment>,
    collection: HashMap<String, Var>,
}

impl<'a> Variables<'a> {
    /// `list`: the collection's `variable` array (`{ key, value, disabled }`).
    pub fn new(environment: Option<&'a Environment>, list: Option<&Value>, problems: &mut Vec<Problem>) -> Self {
        let mut collection = HashMap::new();
        match list {
            None | Some(Value::Null) => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    let key = item.get("key").or_else(|| item.get("id")).and_then(Value::as_str);
                    let value = text_of(item.get("value").unwrap_or(&Value::Null));
                    let (Some(key), Some(value)) = (key, value) else {
                        let message =
                            "must be an object with a key (a string) and a value (text, a number or a boolean)";
                        problems.push(Problem::new(format!("variable[{i}]"), message));
                        continue;
                    };
                    let enabled = !item.get("disabled").and_then(Value::as_bool).unwrap_or(false);
                    collection.entry(key.to_string()).or_insert(Var { value, enabled });
                }
            }
            Some(_) => problems.push(Problem::new("variable", "must be a list of { key, value }")),
        }
        Variables { environment, collection }
    }

    /// The value of variable `name`, or why there is none.
    fn lookup(&self, name: &str) -> std::result::Result<&str, String> {
        let in_env = self.environment.and_then(|e| e.vars.get(name));
        let in_collection = self.collection.get(name);
        if let Some(var) = [in_env, in_collection].into_iter().flatten().find(|v| v.enabled) {
            return Ok(var.value.as_str());
        }
        Err(if name.starts_with('$') {
            format!("{{{{{name}}}}} is one of Postman's dynamic variables; a credential needs a fixed value")
        } else if in_env.is_some() || in_collection.is_some() {
            format!("{{{{{name}}}}} is disabled in the {}", if in_env.is_some() { "environment" } else { "collection" })
        } else if self.environment.is_some() {
            format!("{{{{{name}}}}} is not defined in the environment")
        } else {
            format!("{{{{{name}}}}} is not defined (no environment file was given)")
        })
    }

    /// `text` with every `{{name}}` replaced by its value, or a message
    /// naming the first placeholder that cannot be (never a value).
    pub fn resolve(&self, text: &str) -> std::result::Result<Zeroizing<String>, String> {
        self.resolve_at(text, 0, None)
    }

    fn resolve_at(
        &self,
        text: &str,
        depth: usize,
        outer: Option<&str>,
    ) -> std::result::Result<Zeroizing<String>, String> {
        let mut out = Zeroizing::new(String::with_capacity(text.len()));
        // The text around the placeholders, to find braces that are not one.
        let mut literal = Zeroizing::new(String::new());
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            let after = &rest[start + 2..];
            // A placeholder is `{{name}}` with no brace in the name (Postman's rule).
            let Some(end) = after.find("}}").filter(|end| !after[..*end].contains(['{', '}'])) else {
                out.push_str(&rest[..start + 1]);
                literal.push_str(&rest[..start + 1]);
                rest = &rest[start + 1..];
                continue;
            };
            let name = &after[..end];
            let value = self.lookup(name)?;
            out.push_str(&rest[..start]);
            literal.push_str(&rest[..start]);
            if value.contains("{{") {
                let through = outer.unwrap_or(name);
                if depth >= MAX_NESTING {
                    return Err(format!(
                        "{{{{{through}}}}} is defined through itself (or more than {MAX_NESTING} variables deep)"
                    ));
                }
                out.push_str(&self.resolve_at(value, depth + 1, Some(through))?);
            } else {
                out.push_str(value);
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        literal.push_str(rest);
        if let Some(open) = literal.find("{{") {
            if literal[open..].contains("}}") {
                return Err("holds {{ … }} that is not a placeholder Postman resolves (no braces in a name)".into());
            }
        }
        Ok(out)
    }
}
