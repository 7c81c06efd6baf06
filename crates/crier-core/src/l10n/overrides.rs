//! The organiser's override files checked against the built-in messages, and the built-in messages
//! listed for them to copy from (`crier messages`).
//!
//! A Fluent syntax error is an error: the file cannot be used as written. An id crier does not have,
//! or a variable its message is never given, is a warning with a "did you mean": the rest of the
//! file is used, and the mistyped message just has no effect (or shows `{$name}`).

use std::collections::BTreeSet;

use fluent_syntax::ast::{self, Entry, Expression, InlineExpression, PatternElement};
use fluent_syntax::parser;

use super::{builtin_source, Locale};
use crate::text::did_you_mean;

/// One thing wrong in an override file, at a line and column (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub error: bool,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// What is wrong with the override file `text` for `locale`. Errors come first in file order.
pub fn check(text: &str) -> Vec<Finding> {
    let (resource, errors) = match parser::parse(text) {
        Ok(resource) => (resource, Vec::new()),
        Err((resource, errors)) => (resource, errors),
    };
    let mut findings: Vec<Finding> = errors
        .iter()
        .map(|e| {
            let (line, column) = line_column(text, e.pos.start);
            Finding {
                error: true,
                line,
                column,
                message: format!(
                    "{}; {}",
                    lower_first(&e.kind.to_string()),
                    syntax_hint(&e.kind)
                ),
            }
        })
        .collect();
    let builtin = builtin_messages();
    let ids: Vec<&str> = builtin.iter().map(|(id, _, _)| id.as_str()).collect();
    for entry in &resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        let id = message.id.name;
        let line = entry_line(text, id);
        let Some((_, variables, attributes)) = builtin.iter().find(|(known, _, _)| known == id)
        else {
            let hint = did_you_mean(id, ids.iter().copied()).map_or_else(
                || "; `crier messages` lists every id".to_string(),
                |s| format!("; {s}"),
            );
            findings.push(Finding {
                error: false,
                line,
                column: 1,
                message: format!("crier has no message `{id}`, so this one is never used{hint}"),
            });
            continue;
        };
        for attribute in &message.attributes {
            let name = attribute.id.name;
            if !attributes.contains(name) {
                findings.push(Finding {
                    error: false,
                    line,
                    column: 1,
                    message: format!("`{id}` has no attribute `.{name}`, so it is never used"),
                });
            }
        }
        let mut used = BTreeSet::new();
        message_variables(message, &mut used);
        for name in used.difference(variables) {
            let known = if variables.is_empty() {
                "it is given none".to_string()
            } else {
                format!("it is given {}", dollar_list(variables))
            };
            let dollars: Vec<String> = variables.iter().map(|v| format!("${v}")).collect();
            let hint = did_you_mean(&format!("${name}"), dollars.iter().map(String::as_str))
                .map(|s| format!("; {s}"))
                .unwrap_or_default();
            let (line, column) = variable_position(text, line, name);
            findings.push(Finding {
                error: false,
                line,
                column,
                message: format!(
                    "`{id}` is never given `${name}`, which will show as {{${name}}}: {known}{hint}"
                ),
            });
        }
    }
    findings.sort_by_key(|f| (!f.error, f.line, f.column));
    findings
}

/// A message's id, the variables it is given, and its attributes.
type Known = (String, BTreeSet<String>, BTreeSet<String>);

/// Every built-in message (by English, which has them all), read once: the running bot checks the
/// override files at every rescan.
fn builtin_messages() -> &'static [Known] {
    static KNOWN: std::sync::OnceLock<Vec<Known>> = std::sync::OnceLock::new();
    KNOWN.get_or_init(|| {
        let resource = parser::parse(builtin_source(Locale::En)).unwrap_or_else(|(r, _)| r);
        resource
            .body
            .iter()
            .filter_map(|entry| match entry {
                Entry::Message(m) => {
                    let mut variables = BTreeSet::new();
                    message_variables(m, &mut variables);
                    let attributes = m.attributes.iter().map(|a| a.id.name.to_string()).collect();
                    Some((m.id.name.to_string(), variables, attributes))
                }
                _ => None,
            })
            .collect()
    })
}

/// The variables a message's value and attributes refer to.
pub fn message_variables(message: &ast::Message<&str>, into: &mut BTreeSet<String>) {
    if let Some(value) = &message.value {
        pattern_variables(value, into);
    }
    for attribute in &message.attributes {
        pattern_variables(&attribute.value, into);
    }
}

fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
        Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_string());
        }
        InlineExpression::FunctionReference { arguments, .. } => call_variables(arguments, into),
        InlineExpression::TermReference {
            arguments: Some(arguments),
            ..
        } => call_variables(arguments, into),
        InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

fn call_variables(arguments: &ast::CallArguments<&str>, into: &mut BTreeSet<String>) {
    for positional in &arguments.positional {
        inline_variables(positional, into);
    }
    for named in &arguments.named {
        inline_variables(&named.value, into);
    }
}

/// `$a, $b`.
fn dollar_list(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The line and column (from 1, in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// The line where the message `id` is defined (`id =` at the start of a line).
fn entry_line(text: &str, id: &str) -> usize {
    text.lines()
        .position(|line| {
            line.strip_prefix(id)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map_or(1, |i| i + 1)
}

/// Where `$name` is first written at or after the line `from`.
fn variable_position(text: &str, from: usize, name: &str) -> (usize, usize) {
    let wanted = format!("${name}");
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find_map(|(i, line)| {
            line.find(&wanted)
                .map(|byte| (i + 1, line[..byte].chars().count() + 1))
        })
        .unwrap_or((from, 1))
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// How to fix the commonest syntax errors, in a sentence.
fn syntax_hint(kind: &parser::ErrorKind) -> &'static str {
    use parser::ErrorKind as K;
    match kind {
        K::MissingDefaultVariant => "mark one variant as the default with `*`, like `*[other]`",
        K::ExpectedMessageField { .. } => "write the message's text after `=` on the same line, or indented on the next",
        K::UnterminatedStringLiteral => "close the string with `\"`",
        K::ExpectedToken('}') => "close the placeable with `}`",
        _ => "write each message as `id = text`, with `{ $variable }` for a variable and continuation lines indented",
    }
}

/// The built-in messages of `locale` as `crier messages` prints them: each message with the comment
/// that says where it appears and which variables it is given directly above it, in the order of
/// the English file, grouped under its section's comment.
pub fn listing(locale: Locale) -> String {
    let english = parser::parse(builtin_source(Locale::En)).unwrap_or_else(|(r, _)| r);
    let own = parser::parse(builtin_source(locale)).unwrap_or_else(|(r, _)| r);
    let mut out = format!(
        "## crier's built-in messages in {} ({}).\n## To change one, copy it into `{}.ftl` in the folder `[messages] dir` names, and edit its text.\n## Keep its id and its variables; the messages you leave out stay built in.\n",
        locale.english_name(),
        locale.code(),
        locale.code()
    );
    let mut first_group = true;
    for entry in &english.body {
        match entry {
            Entry::GroupComment(comment) => {
                // The file's own heading is replaced by the one above.
                if first_group {
                    first_group = false;
                    continue;
                }
                out.push('\n');
                for line in &comment.content {
                    out.push_str(&format!("## {line}\n").replace("##  ", "## "));
                }
            }
            Entry::Message(english_message) => {
                let id = english_message.id.name;
                let message = own
                    .body
                    .iter()
                    .find_map(|e| match e {
                        Entry::Message(m) if m.id.name == id => Some(m),
                        _ => None,
                    })
                    .unwrap_or(english_message);
                out.push('\n');
                if let Some(comment) = &english_message.comment {
                    for line in &comment.content {
                        out.push_str(&format!("# {line}\n").replace("#  ", "# "));
                    }
                }
                let mut variables = BTreeSet::new();
                message_variables(english_message, &mut variables);
                if !variables.is_empty() {
                    out.push_str(&format!("# Variables: {}\n", dollar_list(&variables)));
                }
                let alone = ast::Resource {
                    body: vec![Entry::Message(ast::Message {
                        id: message.id.clone(),
                        value: message.value.clone(),
                        attributes: message.attributes.clone(),
                        comment: None,
                    })],
                };
                out.push_str(&fluent_syntax::serializer::serialize(&alone));
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_syntax_error_names_its_line_and_column() {
        let text = "post-new = Fresh!\npost-reminder = { $when ->\n    [one] x\n}\n";
        let findings = check(text);
        let first = &findings[0];
        assert!(first.error, "{findings:?}");
        assert_eq!((first.line, first.column), (4, 1), "{findings:?}");
        assert!(first.message.contains('*'), "{}", first.message);
    }

    #[test]
    fn unknown_ids_and_variables_are_warnings_with_a_suggestion() {
        let text = "post-nwe = Fresh!\npost-reminder = Soon: { $wehn }\n";
        let findings = check(text);
        assert_eq!(findings.len(), 2, "{findings:?}");
        assert!(findings.iter().all(|f| !f.error));
        assert_eq!(findings[0].line, 1);
        assert!(
            findings[0].message.contains("did you mean `post-new`"),
            "{}",
            findings[0].message
        );
        assert_eq!((findings[1].line, findings[1].column), (2, 25));
        assert!(
            findings[1].message.contains("`$wehn`"),
            "{}",
            findings[1].message
        );
        assert!(
            findings[1].message.contains("did you mean `$when`"),
            "{}",
            findings[1].message
        );
    }

    #[test]
    fn every_locale_has_every_message_with_the_same_variables_and_attributes() {
        let english = builtin_messages();
        for locale in Locale::ALL {
            let source = builtin_source(locale);
            let resource = parser::parse(source)
                .unwrap_or_else(|(_, errors)| panic!("{locale}.ftl does not parse: {errors:?}"));
            let mut ids = Vec::new();
            for entry in &resource.body {
                if let Entry::Message(m) = entry {
                    let mut variables = BTreeSet::new();
                    message_variables(m, &mut variables);
                    let attributes: BTreeSet<String> =
                        m.attributes.iter().map(|a| a.id.name.to_string()).collect();
                    ids.push((m.id.name.to_string(), variables, attributes));
                }
            }
            assert_eq!(ids, english, "{locale}.ftl");
            // Its own check finds nothing: no unknown id, no stray variable.
            assert_eq!(check(source), Vec::new(), "{locale}.ftl");
        }
    }

    #[test]
    fn a_good_override_has_nothing_to_say() {
        assert!(check("post-new = Nouveau meetup !\n").is_empty());
    }

    #[test]
    fn the_listing_puts_each_comment_directly_above_its_message() {
        let listing = listing(Locale::En);
        assert!(
            listing.contains("# A reminder before an event; $when says how soon it starts (see starts-in).\n# Variables: $when\npost-reminder = Reminder: { $when }\n"),
            "{listing}"
        );
        // It parses back, with every id.
        let parsed = parser::parse(listing.as_str()).expect("the listing is valid Fluent");
        let count = parsed
            .body
            .iter()
            .filter(|e| matches!(e, Entry::Message(_)))
            .count();
        assert_eq!(count, builtin_messages().len());
    }
}
