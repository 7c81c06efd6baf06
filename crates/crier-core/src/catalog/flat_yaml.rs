//! A fast path for simple YAML front matter: the `key: value` lines (with the odd list or small
//! nested map) most event, talk and people files are made of, read without serde_yaml's parser.
//!
//! serde_yaml (libyaml's scanner and parser, then the `Value` visitor) was about 30% of loading a
//! 10,000-file site, though most front matter is a dozen `key: value` lines. [`parse`] reads a strict
//! subset of YAML's block style and gives exactly the [`Value`] serde_yaml 0.9 would give for it; at
//! the first line it is not sure of it returns `None`, and the caller parses the text with serde_yaml
//! as before (which also reports the syntax errors: this path never does).
//!
//! The subset, everything else falls back:
//!
//! - block mappings of `key: value` lines, every entry of one mapping at the same indentation and
//!   every key once; a key is plain (ASCII letters, digits, `_` and `-`, starting with a letter, and
//!   no word YAML reads as null or a boolean) or quoted without escapes, with `:` right after it;
//! - a value on the key's line: a plain scalar that starts with no YAML indicator and holds no ` #`
//!   (a comment), no `: ` and no final `:`; a quoted string with no escape; a one-line flow sequence
//!   of such quoted strings (`[]`, `["a", 'b']`); or nothing;
//! - after a key with nothing after its colon: a block sequence (`- item` lines, at the key's
//!   indentation or deeper), a more indented block mapping, or else null;
//! - sequence entries that are a scalar as above or a mapping begun on the entry's line
//!   (`- title: x` and its further keys below, aligned with `title`);
//! - at the top, a mapping, or a sequence for a data file that is a bare list;
//! - blank lines and column-0 comment lines between top-level entries only (inside a nested block
//!   they end the block, and an indented line after them falls back).
//!
//! No tab, no indented comment, no anchor, alias, tag, block scalar, multi-line scalar, directive or
//! document marker, no nesting deeper than `MAX_DEPTH`, and only characters libyaml takes unquoted
//! without question. Plain scalars are typed as serde_yaml types them (its YAML 1.2 core schema):
//! `null`, `~` and empty are null, `true`/`false` (three casings) are booleans, digits without a
//! leading zero are an unsigned integer, and anything that cannot be a number is a string. Whatever
//! might be a number in another form (a sign, a dot, an exponent, `0x`, `.inf`, a leading zero,
//! underscores) falls back, so the typing of numbers stays serde_yaml's own.

use serde_yaml::{Mapping, Value};

/// Deeper nesting falls back (serde_yaml has a recursion limit of its own; front matter nests two or
/// three levels).
const MAX_DEPTH: usize = 8;

/// The front matter `text` as serde_yaml would read it (a mapping, or a sequence for a bare list), if
/// it is YAML this module is sure of; `None` for anything else (the caller then uses serde_yaml).
pub fn parse(text: &str) -> Option<Value> {
    if !safe_characters(text) {
        return None;
    }
    let mut lines = Vec::with_capacity(text.len() / 24 + 1);
    for raw in text.split('\n') {
        lines.push(Line::new(raw)?);
    }
    let mut cursor = Cursor { lines, at: 0 };
    cursor.skip_blank();
    let first = cursor.peek()?;
    if first.indent > 0 {
        return None;
    }
    let value = if first.item().is_some() {
        Value::Sequence(cursor.sequence(0, 0)?)
    } else {
        let map = cursor.mapping(0, None, 0)?;
        // Empty front matter is null to serde_yaml (an empty map to crier); not worth a case here.
        if map.is_empty() {
            return None;
        }
        Value::Mapping(map)
    };
    cursor.skip_blank();
    // A line that ended the top-level block without belonging to it (an indented line after a blank
    // one, a sequence after the mapping): left to serde_yaml.
    if cursor.peek().is_some() {
        return None;
    }
    Some(value)
}

/// One line: its indentation and the text after it. Blank lines and column-0 comments are `blank`.
#[derive(Clone, Copy)]
struct Line<'a> {
    indent: usize,
    rest: &'a str,
    blank: bool,
}

impl<'a> Line<'a> {
    fn new(raw: &'a str) -> Option<Line<'a>> {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        // A lone `\r` is a line break to YAML: such text is left to serde_yaml.
        if line.contains('\r') {
            return None;
        }
        let rest = line.trim_start_matches(' ');
        let indent = line.len() - rest.len();
        if rest.is_empty() || (indent == 0 && rest.starts_with('#')) {
            return Some(Line {
                indent,
                rest,
                blank: true,
            });
        }
        // An indented comment: whether it ends a block or not is left to serde_yaml.
        if rest.starts_with('#') {
            return None;
        }
        Some(Line {
            indent,
            rest,
            blank: false,
        })
    }

    /// The text of a sequence entry (`- text`), after the dash and its blanks.
    fn item(&self) -> Option<&'a str> {
        self.rest
            .strip_prefix("- ")
            .map(|item| item.trim_start_matches(' '))
    }
}

/// The lines, and the next one to read.
struct Cursor<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
}

impl<'a> Cursor<'a> {
    /// The next line that is not blank, if the next line is not blank.
    fn peek(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied().filter(|l| !l.blank)
    }

    fn skip_blank(&mut self) {
        while self.lines.get(self.at).is_some_and(|l| l.blank) {
            self.at += 1;
        }
    }

    /// A block mapping whose keys are at column `indent`, from the next line (or from `first`, the
    /// key and value text of an entry that began on a sequence entry's line). The top-level mapping
    /// (`depth` 0) reads on over blank lines; a nested one ends at them.
    fn mapping(
        &mut self,
        indent: usize,
        first: Option<(Value, &'a str)>,
        depth: usize,
    ) -> Option<Mapping> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut map = Mapping::new();
        let mut next = first;
        loop {
            let (key, value_text) = if let Some(entry) = next.take() {
                entry
            } else {
                if depth == 0 {
                    self.skip_blank();
                }
                let Some(line) = self.peek() else {
                    break;
                };
                if line.indent < indent {
                    break;
                }
                // Deeper than the keys (a continued scalar), or a sequence entry where a key
                // belongs: left to serde_yaml.
                if line.indent > indent || line.item().is_some() {
                    return None;
                }
                self.at += 1;
                key_and_value(line.rest)?
            };
            let value = if value_text.is_empty() {
                self.block_value(indent, depth)?
            } else {
                scalar(value_text)?
            };
            // serde_yaml refuses a duplicate key: let it say so.
            if map.keys().any(|k| *k == key) {
                return None;
            }
            map.insert(key, value);
        }
        Some(map)
    }

    /// The value of a key at column `indent` written with nothing after its colon: a sequence on the
    /// next lines (at the key's column or deeper), a deeper mapping, or null.
    fn block_value(&mut self, indent: usize, depth: usize) -> Option<Value> {
        let Some(line) = self.peek() else {
            return Some(Value::Null);
        };
        if line.item().is_some() && line.indent >= indent {
            return Some(Value::Sequence(self.sequence(line.indent, depth + 1)?));
        }
        if line.indent > indent {
            return Some(Value::Mapping(self.mapping(
                line.indent,
                None,
                depth + 1,
            )?));
        }
        Some(Value::Null)
    }

    /// A block sequence whose dashes are at column `indent`.
    fn sequence(&mut self, indent: usize, depth: usize) -> Option<Vec<Value>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut items = Vec::new();
        // The top-level sequence of a data file ends at a blank line too: entries after it fall
        // back (see `parse`).
        while let Some(line) = self.peek() {
            if line.indent < indent {
                break;
            }
            let Some(item) = line.item() else {
                if line.indent == indent {
                    // The next key of the mapping this sequence is the value of.
                    break;
                }
                return None;
            };
            if line.indent > indent {
                return None;
            }
            self.at += 1;
            // `- key: value` begins a mapping whose keys are aligned with this first one.
            if let Some((key, value_text)) = key_and_value(item) {
                let column = line.indent + (line.rest.len() - item.len());
                items.push(Value::Mapping(self.mapping(
                    column,
                    Some((key, value_text)),
                    depth + 1,
                )?));
            } else {
                // An empty entry, or an entry nested in it (`- - a`), falls back in `scalar`.
                items.push(scalar(item)?);
            }
        }
        Some(items)
    }
}

/// `key: value` (the text after the indentation): the key and the value's text (trimmed; empty for
/// none). The key is plain or quoted, and the colon follows it directly.
fn key_and_value(text: &str) -> Option<(Value, &str)> {
    let bytes = text.as_bytes();
    let (key, after) = match *bytes.first()? {
        b'"' | b'\'' => {
            let quote = char::from(bytes[0]);
            let body = &text[1..];
            let end = body.find(quote)?;
            let inner = &body[..end];
            if quote == '"' && inner.contains('\\') {
                return None;
            }
            (inner, &body[end + 1..])
        }
        b if b.is_ascii_alphabetic() => {
            let end = bytes
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-'))?;
            let key = &text[..end];
            // `null: x` or `true: x` would be a null or boolean key.
            if is_null(key) || is_bool(key).is_some() {
                return None;
            }
            (key, &text[end..])
        }
        _ => return None,
    };
    // libyaml refuses a simple key longer than 1024 characters; real keys are short.
    if key.len() > 128 {
        return None;
    }
    let after = after.strip_prefix(':')?;
    if !(after.is_empty() || after.starts_with(' ')) {
        // `key:value` is one plain scalar, and `key :` is not read here.
        return None;
    }
    Some((Value::String(key.to_string()), after.trim_matches(' ')))
}

/// One scalar value, trimmed at its start: a quoted string without escapes, or a plain scalar typed
/// as serde_yaml types it. `None` for anything else.
fn scalar(text: &str) -> Option<Value> {
    let text = text.trim_end_matches(' ');
    let first = *text.as_bytes().first()?;
    match first {
        b'"' | b'\'' => {
            let (inner, rest) = quoted(text)?;
            // Nothing but blanks may follow the closing quote (a comment falls back).
            if !rest.is_empty() {
                return None;
            }
            Some(Value::String(inner.to_string()))
        }
        b'[' => flow_sequence(text),
        // YAML's indicators: a sequence or mapping entry, a flow collection, a comment, an anchor, an
        // alias, a tag, a block scalar, a directive, reserved characters.
        b'-' | b'?' | b':' | b',' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'%' | b'@' | b'`' => None,
        _ => {
            // A comment, or a mapping inside the value (an error or a nested map to YAML).
            if text.contains(" #") || text.contains(": ") || text.ends_with(':') {
                return None;
            }
            plain(text)
        }
    }
}

/// A quoted scalar at the start of `text` whose content needs no unescaping, and the text after its
/// closing quote (blanks trimmed). Double-quoted text may hold no `\\` (an escape) and single-quoted
/// text no `''` (an escaped quote); a line break inside either falls back too, since `text` is one
/// line. Either holds any other character as it is.
fn quoted(text: &str) -> Option<(&str, &str)> {
    let quote = match text.as_bytes().first()? {
        b'"' => '"',
        b'\'' => '\'',
        _ => return None,
    };
    let body = &text[1..];
    let end = body.find(quote)?;
    let inner = &body[..end];
    if quote == '"' && inner.contains('\\') {
        return None;
    }
    let rest = body[end + 1..].trim_start_matches(' ');
    // `'it''s'`: a doubled quote is an escaped one.
    if quote == '\'' && rest.starts_with('\'') {
        return None;
    }
    Some((inner, rest))
}

/// A flow sequence on one line of only quoted strings without escapes: `[]`, `["a", 'b']`. Plain
/// scalars in a flow sequence follow other rules than in a block, so they fall back.
fn flow_sequence(text: &str) -> Option<Value> {
    let mut rest = text.strip_prefix('[')?.trim_start_matches(' ');
    let mut items = Vec::new();
    if let Some(after) = rest.strip_prefix(']') {
        return after.is_empty().then_some(Value::Sequence(items));
    }
    loop {
        let (inner, after) = quoted(rest)?;
        items.push(Value::String(inner.to_string()));
        if let Some(after) = after.strip_prefix(']') {
            return after.is_empty().then_some(Value::Sequence(items));
        }
        // Another entry must follow the comma (`[a,]` falls back).
        rest = after.strip_prefix(',')?.trim_start_matches(' ');
    }
}

/// A plain scalar as serde_yaml 0.9 resolves it (`visit_untagged_scalar`): null, boolean, integer,
/// float or string. Integers are read only as bare digits; every other form that might be a number
/// falls back (`None`).
fn plain(text: &str) -> Option<Value> {
    if is_null(text) {
        return Some(Value::Null);
    }
    if let Some(b) = is_bool(text) {
        return Some(Value::Bool(b));
    }
    let bytes = text.as_bytes();
    let first = *bytes.first()?;
    if first.is_ascii_digit() || first == b'+' || first == b'.' {
        if bytes.iter().all(u8::is_ascii_digit) {
            // `007` is a string in YAML 1.2 and a number elsewhere; a number past u64 becomes a wider
            // integer or a float. Both are left to serde_yaml.
            if bytes.len() > 1 && first == b'0' {
                return None;
            }
            return text.parse::<u64>().ok().map(|n| Value::Number(n.into()));
        }
        if !surely_not_a_number(bytes) {
            return None;
        }
    }
    // Starting with a letter (or any other character), a scalar is never an integer (`from_str_radix`
    // needs a digit or a sign first) nor a finite float (Rust reads `inf` and `nan`, which serde_yaml
    // then refuses as floats): a string.
    Some(Value::String(text.to_string()))
}

/// Whether a scalar starting with a digit, `+` or `.` can be read as no integer (decimal, `0x`, `0o`,
/// `0b`, with a sign) and no float (Rust's `f64` syntax, `.inf`, `.nan`). True only when that is
/// certain: a character no number has (`18:00`, `19:00 +0200`), two dots (`2025.06.08`), or a sign
/// that is neither first nor after an exponent's `e` (`2025-06-08`). Underscores count as a number's.
fn surely_not_a_number(bytes: &[u8]) -> bool {
    if bytes
        .iter()
        // `_` is no digit to Rust, but YAML 1.1 reads `1_000` as a number: such text falls back.
        .any(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.' | b'_')))
    {
        return true;
    }
    if bytes.iter().filter(|&&b| b == b'.').count() > 1 {
        return true;
    }
    bytes
        .iter()
        .enumerate()
        .skip(1)
        .any(|(i, b)| matches!(b, b'+' | b'-') && !matches!(bytes[i - 1], b'e' | b'E'))
}

/// serde_yaml's null words (`parse_null`); the empty scalar is handled by the callers.
fn is_null(text: &str) -> bool {
    matches!(text, "~" | "null" | "Null" | "NULL")
}

/// serde_yaml's booleans (`parse_bool`): YAML 1.2's three casings, not YAML 1.1's `yes`, `on`, ...
fn is_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Whether every character is one libyaml takes as it is: printable, no tab (separation rules
/// differ by place), no control or line-breaking character other than `\n` and `\r` (checked per
/// line), no byte order mark inside the text.
fn safe_characters(text: &str) -> bool {
    let ascii_ok = |b: u8| b == b'\n' || b == b'\r' || (0x20..0x7f).contains(&b);
    if text.is_ascii() {
        return text.bytes().all(ascii_ok);
    }
    text.chars().all(|c| match u32::from(c) {
        n @ 0..=0x7f => ascii_ok(n as u8),
        // C1 controls (with NEL, a line break), and U+2028/U+2029 (line and paragraph separators).
        0x80..=0x9f | 0x2028 | 0x2029 | 0xfeff | 0xfffe | 0xffff => false,
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Asserts that the fast path either declines `text` or reads it exactly as serde_yaml does (the
    /// same values, types and key order). Returns whether it read it.
    fn agrees(text: &str) -> bool {
        let Some(fast) = parse(text) else {
            return false;
        };
        match serde_yaml::from_str::<Value>(text) {
            Ok(slow) => {
                assert_eq!(
                    fast, slow,
                    "the fast path differs from serde_yaml on:\n{text}"
                );
                // Mapping's equality does not look at the order of keys; the text written does.
                assert_eq!(
                    serde_yaml::to_string(&fast).ok(),
                    serde_yaml::to_string(&slow).ok(),
                    "key order differs on:\n{text}"
                );
            }
            Err(e) => panic!("the fast path read what serde_yaml refuses ({e}):\n{text}"),
        }
        true
    }

    #[test]
    fn reads_front_matter_with_serde_yaml_types() {
        let text = "title: Rust, [online] & more\ndate: 2025-06-08\ndot_date: 2025.06.08\ntime: 18:00\n\
                    quoted: \"18:30\"\nsingle: 'C# #1'\ncount: 12\nzero: 0\nonline: true\noff: False\n\
                    yes: yes\nnone: null\ntilde: ~\nempty:\nurl: https://example.com/a?b=c#frag\n\
                    speakers:\n  - people/a.md\n  - 'Ann: Lee'\n  - 3\nafter: x\n";
        assert!(agrees(text));
        let fast = parse(text).expect("read");
        let get = |key: &str| fast.get(key).cloned();
        assert_eq!(get("date"), Some(Value::from("2025-06-08")));
        assert_eq!(get("dot_date"), Some(Value::from("2025.06.08")));
        assert_eq!(get("time"), Some(Value::from("18:00")));
        assert_eq!(get("count"), Some(Value::from(12_u64)));
        assert_eq!(get("online"), Some(Value::Bool(true)));
        assert_eq!(get("off"), Some(Value::Bool(false)));
        assert_eq!(get("yes"), Some(Value::from("yes")));
        assert_eq!(get("none"), Some(Value::Null));
        assert_eq!(get("tilde"), Some(Value::Null));
        assert_eq!(get("empty"), Some(Value::Null));
        assert_eq!(
            get("speakers"),
            Some(Value::Sequence(vec![
                Value::from("people/a.md"),
                Value::from("Ann: Lee"),
                Value::from(3_u64)
            ]))
        );
    }

    #[test]
    fn reads_nested_blocks_as_serde_yaml_does() {
        let text = "title: \"Rust and Tell\"\nlinks:\n    \"Meetup.com\": https://www.meetup.com/x/\n    \
                    'Live': https://youtu.be/y\ntalks:\n  - title: \"A talk\"\n    speaker:\n      name: Ann Lee\n      \
                    github: annlee\n    abstract: Why and how.\n  - title: B\n    speaker:\n      name: Bo\n\
                    tags:\n- a\n- b\nnone:\nlast: 1\n";
        assert!(agrees(text));
    }

    #[test]
    fn declines_what_it_is_not_sure_of() {
        // Each of these is left to serde_yaml, whatever serde_yaml makes of it (a value, or an error).
        let declined = [
            "",
            "\n\n",
            "title: x # a comment\n",
            "  # an indented comment\ntitle: x\n",
            "links:\n  # a comment\n  a: b\n",
            "title:\n# a comment\n  - a\n",
            "tags: [\"a\",]\n",
            "tags: [\"a\" \"b\"]\n",
            "tags: [\"a\": b]\n",
            "tags: [\"a\"] x\n",
            "tags: [\"a\", b]\n",
            "tags: [\"a\"\n",
            "tags: [\"a\\\"\"]\n",
            "tags: ['it''s']\n",
            "title: a: b\n",
            "title: note:\n",
            "title: x\ntitle: y\n",
            "title:\ntitle: y\n",
            "links:\n  a: 1\n  a: 2\n",
            "title: x\n  continued\n",
            "title: x\n\n  continued\n",
            "links:\n  a: b\n\n  c: d\n",
            "links:\n  a: b\n c: d\n",
            "links:\n  a: b\n    c: d\n",
            "links:\n  a: b\n  - c\n",
            "list:\n  - a\n    - b\n",
            "list:\n  - a\n - b\n",
            "list:\n  - a\n\n  - b\n",
            "list:\n  - a:b\n  -\n",
            "list:\n  - \n",
            "list:\n  - - a\n",
            "list:\n  - a: 1\n   b: 2\n",
            "list:\n  - a: 1\n     b: 2\n",
            "list:\n  - a\n   b\n",
            "anchor: &a x\n",
            "alias: *a\n",
            "tag: !!str 12\n",
            "flow: [a, b]\n",
            "map: {a: b}\n",
            "block: |\n  text\n",
            "folded: >\n  text\n",
            "escaped: \"a\\tb\"\n",
            "doubled: 'it''s'\n",
            "after_quote: \"a\" b\n",
            "tab:\tx\n",
            "cr: a\rb\n",
            "nel: a\u{85}b\n",
            "ls: a\u{2028}b\n",
            "bom: a\u{feff}b\n",
            "---\ntitle: x\n",
            "%YAML 1.2\n",
            "  indented: x\n",
            "key:value\n",
            "key : value\n",
            "\"quoted key\" : x\n",
            "\"esc\\\"aped\": x\n",
            "1: x\n",
            "true: x\n",
            "null: x\n",
            "dotted.key: x\n",
            "neg: -5\n",
            "plus: +5\n",
            "float: 1.5\n",
            "exp: 1e5\n",
            "hex: 0x1F\n",
            "oct: 0o17\n",
            "lead: 007\n",
            "under: 1_000\n",
            "inf: .inf\n",
            "big: 99999999999999999999999\n",
            "dash: -x\n",
            "- a\n\n- b\n",
            "- a\nkey: b\n",
            "title: x\n...\n",
            "a:\n b:\n  c:\n   d:\n    e:\n     f:\n      g:\n       h:\n        i:\n         j: 1\n",
        ];
        for text in declined {
            assert!(parse(text).is_none(), "read, but should decline: {text:?}");
        }
    }

    #[test]
    fn agrees_with_serde_yaml_on_tricky_cases() {
        let cases = [
            "title: Rust\n",
            "title: Rust   \n",
            "title:    Rust\n",
            "title: \"\"\n",
            "title: ''\n",
            "title: \"Session #3: Kernel\"\n",
            "title: \"it's\"\n",
            "title: 'say \"x\" \\ y'\n",
            "title: 'a' \n",
            "# a comment\ntitle: x\n",
            "#title: x\ntitle: y\n",
            "list:\n  - a\n# a comment\nnext: b\n",
            "list:\n# a comment\nnext: b\n",
            "tags: []\n",
            "tags: [ ]\n",
            "tags: [\"a, b\", 'c']\n",
            "tags: [ \"a\" , \"b\" ]\n",
            "tags: [\"#x\", \"y: z\", '[w]']\n",
            "list:\n  - []\n  - [\"a\"]\n",
            "title: C# and F#\n",
            "title: a:b\n",
            "title: a :b\n",
            "title: = x\n",
            "title: <<\n",
            "title: a - b\n",
            "title: a --- b\n",
            "title: a, b\n",
            "title: ünïcødé — 東京\n",
            "title: emoji 🦀\n",
            "title: nbsp\u{a0}x\n",
            "title: a\r\ndate: 2025-06-08\r\n",
            "n: nan\n",
            "n: NaN\n",
            "n: inf\n",
            "n: Infinity\n",
            "n: e5\n",
            "n: y\n",
            "n: n\n",
            "n: on\n",
            "n: off\n",
            "n: Yes\n",
            "n: NO\n",
            "n: tRUE\n",
            "n: Null\n",
            "n: NULL\n",
            "n: nULL\n",
            "n: 0\n",
            "n: 18446744073709551615\n",
            "n: 18446744073709551616\n",
            "n: 2025-06-08T18:00:00+02:00\n",
            "n: 2025-06-08 18:00\n",
            "n: 19:00:00\n",
            "n: 1:30\n",
            "n: 30-40\n",
            "n: 3rd\n",
            "n: 1.2.3\n",
            "n: 10/12\n",
            "n: 0.5.1\n",
            "n: 2025.06.08\n",
            "n: 1e+5\n",
            "n: 1-5\n",
            "n: 1E-5\n",
            "n: 0x\n",
            "n: 0b2\n",
            "list:\n- a\n- b\nnext: c\n",
            "list:\n    - a\n    - b\n",
            "list:\n  - a\n  - b\n\nnext: 1\n",
            "list:\n  -   spaced   \n",
            "list:\n  - \"q\"\n  - 'r'\n",
            "list:\n  - true\n  - null\n  - ~\n  - 7\n",
            "list:\n  - Ann: Lee\n  - \"k\": v\n  - 'l': ''\n",
            "list:\n  - a:\n  - b\n",
            "list:\n  - a:\n    - x\n    - y\n    b: 2\n",
            "list:\n  - a:\n    b: 1\n",
            "list:\n  -   a: 1\n      b: 2\n",
            "map:\n  a:\n  - x\n  b: 1\nnext: 2\n",
            "map:\n  a:\n    b:\n      c: deep\n  d: 1\n",
            "map:\n  \"1\": one\n  'true': t\n",
            "- a\n- b\n",
            "- title: x\n  speaker: y\n- title: z\n",
            "\n\n- a\n\n",
            "a:\nb:\n",
            "a: 1\n\n\nb: 2",
            "a: 1\n   \nb: 2\n",
            "a: x\n  \n",
            "Key-With_Dash1: v\n",
        ];
        let mut read = 0;
        for text in cases {
            if agrees(text) {
                read += 1;
            }
        }
        assert!(read > cases.len() / 2, "only {read} cases read");
    }
}
