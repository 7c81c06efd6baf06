//! An event body as the lines a reader sees: headings, list items and paragraph lines, each reduced to
//! text and link spans, with where it sits in the body.
//!
//! Every body reader (legacy bullets, agenda headings, plain talk lines) works on these lines rather than
//! on raw markdown, so markdown structure comes from one real parser (pulldown-cmark) and each reader
//! only matches the short sequence of spans one line holds. Hugo shortcodes are resolved first: a
//! `{{< ref "/speakers/x.md" >}}` link target becomes the path it names, and a `{{< speaker "x" >}}`
//! becomes a link to that speaker's page with the name the page gives, as Hugo renders them.

use std::ops::Range;

use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};

/// A piece of one line: plain text, or a link with its text.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    Text(String),
    Link { text: String, url: String },
}

impl Span {
    /// What a reader sees of the span: its text, or a link's text.
    pub fn text(&self) -> &str {
        match self {
            Span::Text(text) | Span::Link { text, .. } => text,
        }
    }
}

/// What kind of block a line belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// A heading of this level (1 to 6).
    Heading(u8),
    /// A list item; `ordered` for `1.` lists. `first` is the item's first line; later lines and
    /// paragraphs of the item are its description.
    Item { ordered: bool, first: bool },
    /// A line of a paragraph outside any list; `first` is the paragraph's first line.
    Paragraph { first: bool },
}

/// One line of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub block: Block,
    pub spans: Vec<Span>,
    /// The text of an emphasis (`**Title**`, `*Name*`) that opens the line, if one does.
    pub lead_emphasis: Option<String>,
    /// Where the line sits in the body (after shortcodes were resolved).
    pub range: Range<usize>,
}

impl Line {
    /// The line's text, links reduced to their text.
    pub fn text(&self) -> String {
        plain(&self.spans)
    }

    pub fn is_heading(&self) -> bool {
        matches!(self.block, Block::Heading(_))
    }

    /// The first line of a list item, or of a paragraph, or a heading: where a talk can begin.
    pub fn starts_block(&self) -> bool {
        match self.block {
            Block::Heading(_) => true,
            Block::Item { first, .. } | Block::Paragraph { first } => first,
        }
    }
}

/// A body with its shortcodes resolved, and its lines.
pub struct Body {
    pub text: String,
    pub lines: Vec<Line>,
}

impl Body {
    /// Parses `markdown`; `speaker_name` gives the name a `{{< speaker "slug" >}}` shortcode shows.
    pub fn parse(markdown: &str, speaker_name: impl Fn(&str) -> Option<String>) -> Body {
        let text = resolve_shortcodes(markdown, speaker_name);
        let lines = lines(&text);
        Body { text, lines }
    }

    /// The markdown between two byte offsets, trimmed.
    pub fn between(&self, from: usize, to: usize) -> &str {
        let to = to.min(self.text.len());
        let from = from.min(to);
        self.text.get(from..to).unwrap_or_default().trim()
    }
}

/// The text of spans, links reduced to their text.
pub fn plain(spans: &[Span]) -> String {
    spans.iter().map(Span::text).collect()
}

/// Replaces Hugo shortcodes with what they render to, as far as a reader of the text is concerned:
/// `ref`/`relref` with the path they name, `speaker` with a link to the speaker page, every other
/// shortcode (buttons, figures, section partials) with nothing.
fn resolve_shortcodes(markdown: &str, speaker_name: impl Fn(&str) -> Option<String>) -> String {
    if !markdown.contains("{{") {
        return markdown.to_string();
    }
    let mut out = String::with_capacity(markdown.len());
    let mut rest = markdown;
    while let Some(open) = rest.find("{{") {
        out.push_str(&rest[..open]);
        let after = &rest[open + 2..];
        let (close_mark, inner_start) = match after.chars().next() {
            Some('<') => (">}}", 1),
            Some('%') => ("%}}", 1),
            _ => {
                out.push_str("{{");
                rest = after;
                continue;
            }
        };
        let Some(close) = after.find(close_mark) else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let inner = after[inner_start..close].trim();
        rest = &after[close + close_mark.len()..];
        let mut words = inner.split_whitespace();
        let name = words.next().unwrap_or_default().trim_start_matches('/');
        let argument = inner
            .split_once(char::is_whitespace)
            .map(|(_, a)| a.trim().trim_matches(['"', '\'', '`']))
            .unwrap_or_default();
        match name {
            "ref" | "relref" => out.push_str(argument),
            "speaker" => {
                let slug = argument.trim_end_matches(".md");
                let shown = speaker_name(slug).unwrap_or_else(|| slug_words(slug));
                out.push_str(&format!("[{shown}](/speakers/{slug}.md)"));
            }
            _ => {}
        }
    }
    out.push_str(rest);
    out
}

/// `jane-doe` as `Jane Doe`: what a reader would take a slug's name to be.
pub fn slug_words(slug: &str) -> String {
    slug.split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every line of every heading, list item and paragraph, as spans.
fn lines(body: &str) -> Vec<Line> {
    struct Open {
        block: Block,
        spans: Vec<Span>,
        lead_emphasis: Option<String>,
        /// Whether the emphasis that opens the line is still being read.
        reading_emphasis: bool,
        start: usize,
        end: usize,
    }
    fn flush(current: &mut Option<Open>, out: &mut Vec<Line>) {
        if let Some(open) = current.take() {
            if open.spans.iter().any(|s| !s.text().trim().is_empty()) {
                out.push(Line {
                    block: open.block,
                    spans: open.spans,
                    lead_emphasis: open
                        .lead_emphasis
                        .map(|e| e.trim().to_string())
                        .filter(|e| !e.is_empty()),
                    range: open.start..open.end,
                });
            }
        }
    }
    fn next_block(block: Block) -> Block {
        match block {
            Block::Item { ordered, .. } => Block::Item {
                ordered,
                first: false,
            },
            Block::Paragraph { .. } => Block::Paragraph { first: false },
            heading => heading,
        }
    }

    let mut out = Vec::new();
    let mut current: Option<Open> = None;
    // The kinds of the lists we are in (`true` for ordered), innermost last.
    let mut lists: Vec<bool> = Vec::new();
    let mut item_started = false;
    let mut in_link = false;
    let mut in_image = false;
    let mut emphasis = 0usize;
    let open = |block: Block, at: usize| Open {
        block,
        spans: Vec::new(),
        lead_emphasis: None,
        reading_emphasis: false,
        start: at,
        end: at,
    };
    for (event, range) in Parser::new(body).into_offset_iter() {
        match event {
            Event::Start(Tag::List(first)) => {
                flush(&mut current, &mut out);
                lists.push(first.is_some());
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut current, &mut out);
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                flush(&mut current, &mut out);
                let ordered = lists.last().copied().unwrap_or(false);
                current = Some(open(
                    Block::Item {
                        ordered,
                        first: true,
                    },
                    range.start,
                ));
                item_started = true;
            }
            Event::End(TagEnd::Item) => flush(&mut current, &mut out),
            Event::Start(Tag::Paragraph) => {
                if lists.is_empty() {
                    flush(&mut current, &mut out);
                    current = Some(open(Block::Paragraph { first: true }, range.start));
                } else if !item_started {
                    // A later paragraph of a list item: its description.
                    flush(&mut current, &mut out);
                    let ordered = lists.last().copied().unwrap_or(false);
                    current = Some(open(
                        Block::Item {
                            ordered,
                            first: false,
                        },
                        range.start,
                    ));
                }
                item_started = false;
            }
            Event::End(TagEnd::Paragraph) => {
                flush(&mut current, &mut out);
            }
            Event::Start(Tag::Heading { level, .. }) => {
                flush(&mut current, &mut out);
                current = Some(open(Block::Heading(heading_level(level)), range.start));
            }
            Event::End(TagEnd::Heading(_)) => flush(&mut current, &mut out),
            Event::SoftBreak | Event::HardBreak => {
                let block = current.as_ref().map(|c| c.block);
                flush(&mut current, &mut out);
                if let Some(block) = block {
                    current = Some(open(next_block(block), range.end));
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                if let Some(c) = current.as_mut() {
                    c.spans.push(Span::Link {
                        text: String::new(),
                        url: dest_url.into_string(),
                    });
                    in_link = true;
                }
            }
            Event::End(TagEnd::Link) => {
                in_link = false;
                // The line runs to the link's closing `](url)`, not to its text.
                if let Some(c) = current.as_mut() {
                    c.end = c.end.max(range.end);
                }
            }
            Event::Start(Tag::Image { .. }) => in_image = true,
            Event::End(TagEnd::Image) => in_image = false,
            Event::Text(text) | Event::Code(text) if !in_image => {
                if let Some(c) = current.as_mut() {
                    if emphasis > 0 && c.spans.is_empty() {
                        c.reading_emphasis = true;
                    }
                    if c.reading_emphasis && emphasis > 0 {
                        c.lead_emphasis
                            .get_or_insert_with(String::new)
                            .push_str(&text);
                    }
                    push_text(&mut c.spans, &text, in_link);
                    c.end = range.end;
                }
            }
            Event::Start(Tag::Emphasis | Tag::Strong) => emphasis += 1,
            Event::End(TagEnd::Emphasis | TagEnd::Strong) => {
                emphasis = emphasis.saturating_sub(1);
                if let Some(c) = current.as_mut() {
                    c.end = c.end.max(range.end);
                }
                if emphasis == 0 {
                    if let Some(c) = current.as_mut() {
                        c.reading_emphasis = false;
                    }
                }
            }
            Event::Start(Tag::Strikethrough) => {}
            // Code blocks, HTML, tables: not lines a reader reads a talk from.
            Event::Start(_) => flush(&mut current, &mut out),
            _ => {}
        }
    }
    flush(&mut current, &mut out);
    out
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn push_text(spans: &mut Vec<Span>, text: &str, in_link: bool) {
    match spans.last_mut() {
        Some(Span::Link {
            text: link_text, ..
        }) if in_link => link_text.push_str(text),
        // pulldown-cmark splits one run of text into several events (at `&`, `[`, `!`...): rejoin.
        Some(Span::Text(plain)) if !in_link => plain.push_str(text),
        _ => spans.push(Span::Text(text.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Body {
        Body::parse(text, |slug| {
            (slug == "ann-lee").then(|| "Ann Lee".to_string())
        })
    }

    #[test]
    fn shortcodes_render_as_hugo_shows_them() {
        let body = parse(
            "Par [Bo]({{< ref \"/speakers/bo.md\" >}}) et {{< speaker \"ann-lee\" >}}\n\n{{< replay-section >}}\n",
        );
        assert_eq!(
            body.text,
            "Par [Bo](/speakers/bo.md) et [Ann Lee](/speakers/ann-lee.md)\n\n\n"
        );
        assert_eq!(body.lines.len(), 1);
        assert_eq!(
            body.lines[0].spans,
            [
                Span::Text("Par ".into()),
                Span::Link {
                    text: "Bo".into(),
                    url: "/speakers/bo.md".into()
                },
                Span::Text(" et ".into()),
                Span::Link {
                    text: "Ann Lee".into(),
                    url: "/speakers/ann-lee.md".into()
                },
            ]
        );
    }

    #[test]
    fn lines_know_their_block_and_leading_emphasis() {
        let body =
            parse("### 19h00 : Talk\n\n**Talk: X (Ann)**\nsecond line\n\n1. One\n   more\n- Two\n");
        let kinds: Vec<(Block, String)> = body.lines.iter().map(|l| (l.block, l.text())).collect();
        assert_eq!(
            kinds,
            [
                (Block::Heading(3), "19h00 : Talk".to_string()),
                (
                    Block::Paragraph { first: true },
                    "Talk: X (Ann)".to_string()
                ),
                (Block::Paragraph { first: false }, "second line".to_string()),
                (
                    Block::Item {
                        ordered: true,
                        first: true
                    },
                    "One".to_string()
                ),
                (
                    Block::Item {
                        ordered: true,
                        first: false
                    },
                    "more".to_string()
                ),
                (
                    Block::Item {
                        ordered: false,
                        first: true
                    },
                    "Two".to_string()
                ),
            ]
        );
        assert_eq!(
            body.lines[1].lead_emphasis.as_deref(),
            Some("Talk: X (Ann)")
        );
        assert_eq!(body.lines[2].lead_emphasis, None);
        assert_eq!(&body.text[body.lines[0].range.clone()], "### 19h00 : Talk");
    }
}
