//! What the talk readers share: a talk a reader found, the lookup that turns a written name and link
//! into a speaker, and the rule for when two written names are one person. The readers import this
//! module; it imports none of them.

#[cfg(test)]
use crate::catalog::body::Body;
use crate::catalog::library::Library;
use crate::catalog::model::{Speaker, Talk};

/// A talk a reader found, with the index of the body line it starts on (for page order).
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub talk: Talk,
    pub line: usize,
}

/// Turns the name and link a body shows into a speaker, with the link of the person's page where the
/// site has one (`[Name](/speakers/x.md)` takes the URL from `speakers/x.md`).
pub struct SpeakerLookup<'a> {
    library: &'a Library,
}

impl<'a> SpeakerLookup<'a> {
    pub fn new(library: &'a Library) -> Self {
        SpeakerLookup { library }
    }

    pub fn speaker(&self, name: String, url: &str) -> Speaker {
        if crate::text::has_web_scheme(url) {
            return Speaker {
                name,
                url: Some(url.to_string()),
            };
        }
        let url = is_person_page(url)
            .then(|| self.library.person_by_slug(url))
            .flatten()
            .and_then(|person| person.url.clone());
        Speaker { name, url }
    }

    /// The name a speaker page gives (`{{< speaker "slug" >}}` renders it).
    pub fn name_of(&self, slug: &str) -> Option<String> {
        self.library.person_by_slug(slug).map(|p| p.name.clone())
    }
}

/// A link to a speaker's or person's page on the site (`/speakers/x.md`, `../people/x`).
pub fn is_person_page(url: &str) -> bool {
    let url = url.to_ascii_lowercase();
    !url.starts_with("http") && (url.contains("speakers/") || url.contains("people/"))
}

/// Whether two written names are the same person's: equal ignoring case, or one the first name of
/// the other ("Mariatta" and "Mariatta Wijaya").
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_lowercase(), b.to_lowercase());
    a == b
        || a.split_whitespace().next() == Some(b.as_str())
        || b.split_whitespace().next() == Some(a.as_str())
}

/// What a reader finds in `markdown`, as (title, speaker names): the shape the readers' tests compare.
#[cfg(test)]
pub(crate) fn read_for_tests(
    markdown: &str,
    reader: impl Fn(&Body, &SpeakerLookup<'_>) -> Vec<Found>,
) -> Vec<(String, Vec<String>)> {
    let library = Library::default();
    let lookup = SpeakerLookup::new(&library);
    let body = Body::parse(markdown, |_| None);
    reader(&body, &lookup)
        .into_iter()
        .map(|f| {
            (
                f.talk.title,
                f.talk.speakers.into_iter().map(|s| s.name).collect(),
            )
        })
        .collect()
}
