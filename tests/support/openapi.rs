//! Checks requests against Discord's OpenAPI 3.1 description of API v10.
//!
//! [`check_request`] finds the operation for a method and path (templated paths such as
//! `/channels/{channel_id}/messages`), takes its `application/json` request body schema and validates
//! the body with the `jsonschema` crate (draft 2020-12, which OpenAPI 3.1 uses). `$ref`s such as
//! `#/components/schemas/MessageCreateRequest` resolve against a copy of the spec's components
//! placed in the root of the schema handed to jsonschema. The spec is parsed once; one validator
//! is built per operation and kept.
//!
//! [`check_schema`] checks any value (such as an answer of the fake) against one of the spec's
//! component schemas.
//!
//! The spec is read from `$DISCORD_OPENAPI_SPEC`, else `/work/shared/reference/discord-openapi.json`.
//! When it is missing, [`unavailable`] says why, and tests that need it should print that and skip.
//!
//! The spec calls itself a preview. Where a body serenity legitimately sends fails on a quirk of the
//! spec, [`QUIRKS`] lists it and the narrow allowance made; validation stays on for everything else.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::error::ValidationErrorKind;
use jsonschema::ValidationError;
use serde_json::{json, Value};

use super::fake_discord::Recorded;

const DEFAULT_SPEC: &str = "/work/shared/reference/discord-openapi.json";

/// Known disagreements between the spec and what serenity sends (and Discord accepts). Each one
/// rewrites a single member, and only when it has the shape serenity sends, into the shape the
/// spec wants; the rest of the schema (ranges, patterns) still applies to the rewritten value.
pub const QUIRKS: &[Quirk] = &[
    Quirk {
        route_contains: "/commands",
        pointers: &[
            "/default_member_permissions",
            "/*/default_member_permissions",
        ],
        fix: Fix::DigitsToInteger,
        why: "Discord documents permissions as a string of digits and serenity serializes \
              `Permissions` so; the spec types `default_member_permissions` as integer|null",
    },
    Quirk {
        route_contains: "",
        pointers: &["/attachments/*/id", "/data/attachments/*/id"],
        fix: Fix::IntegerToString,
        why: "serenity numbers new uploads `\"id\": 0, 1, ...` (Discord's documented way to \
              refer to `files[n]`); the spec types every attachment id as a snowflake string",
    },
];

/// A known spec quirk: on operations whose spec path contains `route_contains`, the members at
/// `pointers` (JSON pointers where `*` matches any array index or object key) get `fix`.
pub struct Quirk {
    pub route_contains: &'static str,
    pub pointers: &'static [&'static str],
    pub fix: Fix,
    pub why: &'static str,
}

/// How a quirk rewrites a value; values of any other shape are left for the validator to judge.
#[derive(Clone, Copy)]
pub enum Fix {
    /// `"8589934592"` becomes `8589934592`.
    DigitsToInteger,
    /// `0` becomes `"0"`.
    IntegerToString,
}

fn spec_path() -> String {
    std::env::var("DISCORD_OPENAPI_SPEC").unwrap_or_else(|_| DEFAULT_SPEC.to_owned())
}

fn spec() -> Result<&'static Value, String> {
    static SPEC: OnceLock<Result<Value, String>> = OnceLock::new();
    SPEC.get_or_init(|| {
        let path = spec_path();
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("Discord's OpenAPI spec is not available at {path}: {e}"))?;
        serde_json::from_str(&text).map_err(|e| format!("{path} is not JSON: {e}"))
    })
    .as_ref()
    .map_err(Clone::clone)
}

/// Why requests cannot be checked (the spec is missing or unreadable), or `None` when they can.
pub fn unavailable() -> Option<String> {
    spec().err()
}

/// Finds the spec's path template for a request path, with or without the `/api/v10` prefix and
/// query. When several templates match, the one with the most literal segments wins, so
/// `/webhooks/{id}/{token}/messages/@original` beats `.../messages/{message_id}`.
pub fn find_template(path: &str) -> Option<&'static str> {
    let paths = spec().ok()?["paths"].as_object()?;
    let path = path.split('?').next().unwrap_or(path);
    let path = path.strip_prefix("/api/v10").unwrap_or(path);
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    paths
        .keys()
        .filter_map(|template| {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != segs.len() {
                return None;
            }
            let mut literal = 0;
            for (part, seg) in parts.iter().zip(&segs) {
                if part.starts_with('{') && part.ends_with('}') {
                    if seg.is_empty() {
                        return None;
                    }
                } else if part == seg {
                    literal += 1;
                } else {
                    return None;
                }
            }
            Some((literal, template.as_str()))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, template)| template)
}

/// Checks one request: the operation must exist, and the body must match its JSON request schema
/// (an operation without a request body must get none; one whose body is required must get one).
pub fn check_request(method: &str, path: &str, body: Option<&Value>) -> Result<(), String> {
    let doc = spec()?;
    let template =
        find_template(path).ok_or_else(|| format!("no path in the spec matches {path}"))?;
    let method = method.to_ascii_lowercase();
    let operation = &doc["paths"][template][&method];
    if !operation.is_object() {
        return Err(format!(
            "the spec has no {} on {template}",
            method.to_uppercase()
        ));
    }
    let request_body = resolve_ref(doc, &operation["requestBody"]);
    let body = body.filter(|b| !b.is_null());
    let Some(body) = body else {
        return if request_body["required"] == true {
            Err(format!(
                "{} {template} requires a JSON body",
                method.to_uppercase()
            ))
        } else {
            Ok(())
        };
    };
    let schema = &request_body["content"]["application/json"]["schema"];
    if !schema.is_object() {
        return Err(format!(
            "{} {template} takes no JSON body, but one was sent",
            method.to_uppercase()
        ));
    }
    let key = format!("{} {template}", method.to_uppercase());
    let validator = validator(&key, schema)?;
    let body = without_quirks(template, body);
    first_errors(&key, &validator, &body)
}

/// The first few ways `value` breaks the schema, described, or `Ok`.
fn first_errors(key: &str, validator: &jsonschema::Validator, value: &Value) -> Result<(), String> {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .flat_map(|e| describe(&e))
        .take(5)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{key}: {}", errors.join("; ")))
    }
}

/// Checks a value against one of the spec's component schemas, e.g. an answer of the fake against
/// `ExternalScheduledEventResponse` (the spec describes answers too; [`check_all`] only checks
/// requests).
pub fn check_schema(component: &str, value: &Value) -> Result<(), String> {
    let doc = spec()?;
    if !doc["components"]["schemas"][component].is_object() {
        return Err(format!("the spec has no schema {component}"));
    }
    let key = format!("schema {component}");
    let schema = json!({"$ref": format!("#/components/schemas/{component}")});
    let validator = validator(&key, &schema)?;
    first_errors(&key, &validator, value)
}

/// One line per problem. A union (`anyOf`/`oneOf`: the interaction callback, and every nullable
/// object in the spec) only says that no branch fits; this reports instead the errors of the branch
/// the body meant: not one that wants another JSON type or another `type` member, and of those the
/// one with the fewest errors.
fn describe(error: &ValidationError) -> Vec<String> {
    let context = match &error.kind {
        ValidationErrorKind::AnyOf { context } | ValidationErrorKind::OneOfNotValid { context } => {
            context
        }
        _ => return vec![line(error)],
    };
    let here = error.instance_path.as_str();
    let discriminator = format!("{here}/type");
    let meant = context
        .iter()
        .filter(|errors| !errors.is_empty())
        .min_by_key(|errors| {
            let off_target = errors.iter().any(|e| {
                let at = e.instance_path.as_str();
                (at == here && matches!(e.kind, ValidationErrorKind::Type { .. }))
                    || at == discriminator
            });
            (off_target, errors.len())
        });
    match meant {
        Some(errors) => errors.iter().flat_map(describe).collect(),
        None => vec![line(error)],
    }
}

/// Checks every recorded request; returns one line per problem.
pub fn check_all(requests: &[Recorded]) -> Vec<String> {
    requests
        .iter()
        .filter_map(|r| {
            let full = format!("{} {}", r.method, r.path);
            check_request(&r.method, &r.path, r.body.as_ref())
                .err()
                .map(|e| format!("{full}: {e}"))
        })
        .collect()
}

/// Follows a local `$ref` (e.g. to `#/components/requestBodies/...`); other values come back as is.
fn resolve_ref<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value["$ref"].as_str().and_then(|r| r.strip_prefix('#')) {
        Some(pointer) => doc.pointer(pointer).unwrap_or(&Value::Null),
        None => value,
    }
}

fn validator(key: &str, schema: &Value) -> Result<Arc<jsonschema::Validator>, String> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(v) = cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(key)
    {
        return Ok(v.clone());
    }
    // The operation's schema becomes the root, with the components beside it, so that
    // `#/components/schemas/X` resolves as it does in the spec.
    let mut root = schema.clone();
    root["components"] = json!({"schemas": spec()?["components"]["schemas"].clone()});
    let built = jsonschema::draft202012::options()
        .build(&root)
        .map_err(|e| format!("the spec's schema for {key} does not compile: {e}"))?;
    let built = Arc::new(built);
    cache
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(key.to_owned(), built.clone());
    Ok(built)
}

/// The body with every [`Quirk`] for this operation applied.
fn without_quirks(template: &str, body: &Value) -> Value {
    let mut body = body.clone();
    for quirk in QUIRKS
        .iter()
        .filter(|q| template.contains(q.route_contains))
    {
        for pointer in quirk.pointers {
            let parts: Vec<&str> = pointer.trim_start_matches('/').split('/').collect();
            fix_at(&mut body, &parts, quirk.fix);
        }
    }
    body
}

fn fix_at(value: &mut Value, parts: &[&str], fix: Fix) {
    let Some((first, rest)) = parts.split_first() else {
        *value = match (fix, &*value) {
            (Fix::DigitsToInteger, Value::String(s)) => match s.parse::<u64>() {
                Ok(n) if s.bytes().all(|b| b.is_ascii_digit()) => json!(n),
                _ => return,
            },
            (Fix::IntegerToString, Value::Number(n)) if n.is_u64() => json!(n.to_string()),
            _ => return,
        };
        return;
    };
    let children: Vec<&mut Value> = match (value, *first) {
        (Value::Array(items), "*") => items.iter_mut().collect(),
        (Value::Object(map), "*") => map.values_mut().collect(),
        (Value::Array(items), i) => i
            .parse()
            .ok()
            .and_then(|i: usize| items.get_mut(i))
            .into_iter()
            .collect(),
        (Value::Object(map), key) => map.get_mut(key).into_iter().collect(),
        _ => Vec::new(),
    };
    for child in children {
        fix_at(child, rest, fix);
    }
}

/// `at '/embeds/0/title': value is longer than 256 characters (value: "ttt…")`: jsonschema quotes
/// the failing value in full, and a 4000-character string would drown the message.
fn line(error: &ValidationError) -> String {
    let mut value = error.instance.to_string();
    if let Some((cut, _)) = value.char_indices().nth(80) {
        value = format!("{}…", &value[..cut]);
    }
    format!(
        "at '{}': {} (value: {value})",
        error.instance_path,
        error.masked()
    )
}

/// Every request the fake recorded is one Discord accepts, per its OpenAPI description; skips, saying
/// why, where the description is not on this machine.
pub fn assert_requests_valid(fake: &super::fake_discord::FakeDiscord) {
    if let Some(reason) = unavailable() {
        eprintln!("skipping the OpenAPI checks: {reason}");
        return;
    }
    let problems = check_all(&fake.requests());
    assert!(
        problems.is_empty(),
        "invalid requests:\n{}",
        problems.join("\n")
    );
}
