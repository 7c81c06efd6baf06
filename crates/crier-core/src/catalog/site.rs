//! Which static-site generator builds the site, and so how its offset-less dates are read.
//!
//! A date written without an offset (`2024-05-02T18:00:00`) means whatever the site's generator makes
//! of it, and generators disagree: Hugo reads it in the site's `timeZone`, else UTC; Jekyll in its
//! `timezone:`, else the build machine's zone; Eleventy and Zola in UTC; Astro and Next.js in the build
//! machine's zone. Reading such a date in the community's zone regardless puts an Eleventy event an
//! hour out all summer. So crier finds the generator from its configuration file beside the events
//! (the adapter lists the candidate files, walking up from the events folder) and reads dates as it
//! does, saying which rule it used and why (`crier check` prints it once).
//!
//! What is decided here is pure: file names and texts in, a [`Generator`] and a [`DateRule`] out.

use std::path::{Path, PathBuf};

use chrono_tz::Tz;

use super::datetime;

/// The file names, relative to a folder, whose presence says a generator builds the site there.
/// `config/_default/...` is Hugo's configuration folder.
pub const MARKERS: &[&str] = &[
    "hugo.toml",
    "hugo.yaml",
    "hugo.yml",
    "hugo.json",
    "config/_default/hugo.toml",
    "config/_default/hugo.yaml",
    "config/_default/config.toml",
    "config/_default/config.yaml",
    "_config.yml",
    "_config.yaml",
    "config.toml",
    "config.yaml",
    "config.yml",
    ".eleventy.js",
    ".eleventy.cjs",
    "eleventy.config.js",
    "eleventy.config.mjs",
    "eleventy.config.cjs",
    "eleventy.config.ts",
    "astro.config.mjs",
    "astro.config.js",
    "astro.config.ts",
    "next.config.js",
    "next.config.mjs",
    "next.config.ts",
    "gatsby-config.js",
    "gatsby-config.ts",
    "package.json",
];

/// A site generator crier knows the date rules of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Hugo,
    Jekyll,
    Hexo,
    Zola,
    Eleventy,
    Astro,
    NextJs,
    Gatsby,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Hugo => "Hugo",
            Kind::Jekyll => "Jekyll",
            Kind::Hexo => "Hexo",
            Kind::Zola => "Zola",
            Kind::Eleventy => "Eleventy",
            Kind::Astro => "Astro",
            Kind::NextJs => "Next.js",
            Kind::Gatsby => "Gatsby",
        }
    }
}

/// The generator found, with the file that says so and the zone its configuration sets, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Generator {
    pub kind: Kind,
    pub file: PathBuf,
    /// Hugo's `timeZone`, Jekyll's and Hexo's `timezone`, as written.
    pub time_zone: Option<String>,
}

/// How dates written without an offset are read, and why (for `crier check`).
#[derive(Debug, Clone, PartialEq)]
pub struct DateRule {
    pub zone: Tz,
    pub why: String,
}

/// The generator that the first recognised file of `files` names. `files` are (path, text) pairs in
/// the order the adapter found them: nearest folder first, and within a folder in [`MARKERS`] order.
/// A file that names no generator (crier's own `config.toml`, a `package.json` of some other tool) is
/// passed over.
pub fn detect(files: &[(PathBuf, String)]) -> Option<Generator> {
    files.iter().find_map(|(path, text)| recognise(path, text))
}

fn recognise(path: &Path, text: &str) -> Option<Generator> {
    let name = path.file_name()?.to_str()?;
    let in_default = path
        .parent()
        .is_some_and(|p| p.ends_with(Path::new("config/_default")));
    let generator = |kind, time_zone| {
        Some(Generator {
            kind,
            file: path.to_path_buf(),
            time_zone,
        })
    };
    if name.starts_with("hugo.") || in_default {
        return generator(Kind::Hugo, hugo_zone(name, text));
    }
    match name {
        "_config.yml" | "_config.yaml" => {
            let zone = yaml_key(text, "timezone");
            // Hexo shares Jekyll's file name; its configuration has keys Jekyll's never has.
            let hexo = yaml_key(text, "new_post_name").is_some()
                || yaml_key(text, "permalink_defaults").is_some();
            generator(if hexo { Kind::Hexo } else { Kind::Jekyll }, zone)
        }
        "config.toml" | "config.yaml" | "config.yml" => {
            // Zola requires `base_url`; Hugo spells it `baseURL` (any case) and has keys Zola lacks.
            let keys = top_level_keys(text);
            let has = |k: &str| keys.iter().any(|key| key == k);
            let has_any_case = |k: &str| keys.iter().any(|key| key.eq_ignore_ascii_case(k));
            if has("base_url") || has("compile_sass") {
                return generator(Kind::Zola, None);
            }
            if has_any_case("baseURL")
                || has_any_case("theme")
                || has_any_case("languageCode")
                || has_any_case("defaultContentLanguage")
            {
                return generator(Kind::Hugo, hugo_zone(name, text));
            }
            None
        }
        "package.json" => {
            let value: serde_json::Value = serde_json::from_str(text).ok()?;
            let depends = |dep: &str| {
                ["dependencies", "devDependencies"]
                    .iter()
                    .any(|k| value.get(k).and_then(|d| d.get(dep)).is_some())
            };
            [
                ("@11ty/eleventy", Kind::Eleventy),
                ("astro", Kind::Astro),
                ("next", Kind::NextJs),
                ("gatsby", Kind::Gatsby),
                ("hexo", Kind::Hexo),
            ]
            .into_iter()
            .find(|(dep, _)| depends(dep))
            .and_then(|(_, kind)| generator(kind, None))
        }
        _ if name.contains("eleventy") => generator(Kind::Eleventy, None),
        _ if name.starts_with("astro.config") => generator(Kind::Astro, None),
        _ if name.starts_with("next.config") => generator(Kind::NextJs, None),
        _ if name.starts_with("gatsby-config") => generator(Kind::Gatsby, None),
        _ => None,
    }
}

/// Hugo's `timeZone` (its keys are case-insensitive), in TOML, YAML or JSON.
fn hugo_zone(name: &str, text: &str) -> Option<String> {
    if name.ends_with(".toml") {
        let table: toml::Table = text.parse().ok()?;
        return table
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("timezone"))
            .and_then(|(_, v)| v.as_str().map(str::to_string));
    }
    if name.ends_with(".json") {
        let value: serde_json::Value = serde_json::from_str(text).ok()?;
        return value
            .as_object()?
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("timezone"))
            .and_then(|(_, v)| v.as_str().map(str::to_string));
    }
    yaml_key(text, "timezone")
}

/// A top-level `key: value` of a YAML file, any case, without parsing the whole file (a generator's
/// configuration may use tags or anchors that crier has no reason to understand).
fn yaml_key(text: &str, key: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(':')?;
        if !k.eq_ignore_ascii_case(key) {
            return None;
        }
        let v = v.split(" #").next().unwrap_or_default().trim();
        let v = v.trim_matches(['"', '\'']);
        (!v.is_empty()).then(|| v.to_string())
    })
}

/// The top-level keys of a TOML or YAML file: lines that start with a key, before the first table.
fn top_level_keys(text: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for line in text.lines() {
        if line.starts_with('[') {
            // TOML: keys after the first table header belong to that table.
            break;
        }
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some(i) = line.find(['=', ':']) {
            let key = line[..i].trim().trim_matches(['"', '\'']);
            if !key.is_empty() && !key.contains(' ') {
                keys.push(key.to_string());
            }
        }
    }
    keys
}

/// How offset-less dates are read: crier's `dates_timezone` if set, else the generator's rule, else
/// the community's `timezone` (the zone a build machine of a home-made site is taken to be in).
pub fn date_rule(generator: Option<&Generator>, configured: Option<Tz>, community: Tz) -> DateRule {
    if let Some(zone) = configured {
        return DateRule {
            zone,
            why: format!(
                "`dates_timezone = \"{zone}\"` in the configuration: offset-less dates are {zone}"
            ),
        };
    }
    let Some(generator) = generator else {
        return DateRule {
            zone: community,
            why: format!("no site generator's configuration found beside the events: offset-less dates are read in `timezone` ({community})"),
        };
    };
    let kind = generator.kind.name();
    let file = generator.file.display();
    let utc = chrono_tz::UTC;
    match generator.kind {
        Kind::Hugo | Kind::Jekyll | Kind::Hexo => {
            let key = if generator.kind == Kind::Hugo { "timeZone" } else { "timezone" };
            if let Some(written) = &generator.time_zone {
                return match datetime::parse_iana(written) {
                    Ok(zone) => DateRule {
                        zone,
                        why: format!("{kind} site with `{key}: {written}` ({file}): offset-less dates are {zone}"),
                    },
                    Err(_) => DateRule {
                        zone: community,
                        why: format!("{kind} site whose `{key}` ({written}) is not a zone crier knows ({file}): offset-less dates are read in `timezone` ({community})"),
                    },
                };
            }
            if generator.kind == Kind::Hugo {
                DateRule {
                    zone: utc,
                    why: format!("Hugo site without `timeZone` ({file}): offset-less dates are UTC"),
                }
            } else {
                DateRule {
                    zone: community,
                    why: format!("{kind} site without `timezone` ({file}): offset-less dates are in the build machine's zone, taken to be `timezone` ({community})"),
                }
            }
        }
        Kind::Zola | Kind::Eleventy => DateRule {
            zone: utc,
            why: format!("{kind} site ({file}): {kind} reads offset-less dates as UTC"),
        },
        Kind::Astro | Kind::NextJs | Kind::Gatsby => DateRule {
            zone: community,
            why: format!("{kind} site ({file}): offset-less dates are in the build machine's zone, taken to be `timezone` ({community})"),
        },
    }
}

/// A zone named in a comment on a date's line (`date: 2024-05-02T18:00:00 # UTC date and time`):
/// the organiser's own word on how the date is written. Only unambiguous names count: UTC, GMT, an
/// IANA name, or a zone abbreviation crier knows.
pub fn zone_in_comment(raw_line_value: &str) -> Option<datetime::ZoneSpec> {
    let (_, comment) = raw_line_value.split_once('#')?;
    comment
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')' | ':' | '.'))
        .filter(|word| !word.is_empty())
        .find_map(|word| {
            let upper = word.to_ascii_uppercase();
            let named = word.contains('/') || matches!(upper.as_str(), "UTC" | "GMT");
            let abbreviation = word.len() >= 3 && word.chars().all(|c| c.is_ascii_uppercase());
            if !(named || abbreviation) {
                return None;
            }
            datetime::parse_zone(word).ok()
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(files: &[(&str, &str)]) -> Option<Generator> {
        let files: Vec<(PathBuf, String)> = files
            .iter()
            .map(|(p, t)| (PathBuf::from(p), (*t).to_string()))
            .collect();
        detect(&files)
    }

    #[test]
    fn hugo_is_found_by_its_file_names_and_keys_and_reads_time_zone() {
        let hugo = found(&[(
            "site/hugo.toml",
            "baseURL = 'https://x'\ntimeZone = 'Europe/London'\n",
        )])
        .expect("hugo.toml");
        assert_eq!(hugo.kind, Kind::Hugo);
        assert_eq!(hugo.time_zone.as_deref(), Some("Europe/London"));
        let legacy = found(&[("site/config.toml", "baseurl = '/'\ntheme = 'academic'\n")])
            .expect("config.toml");
        assert_eq!(legacy.kind, Kind::Hugo);
        assert_eq!(legacy.time_zone, None);
        let folder = found(&[("site/config/_default/config.toml", "title = 'x'\n")])
            .expect("config/_default");
        assert_eq!(folder.kind, Kind::Hugo);
    }

    #[test]
    fn zola_jekyll_eleventy_and_astro_are_told_apart() {
        assert_eq!(
            found(&[("s/config.toml", "base_url = 'https://x'\n")]).map(|g| g.kind),
            Some(Kind::Zola)
        );
        let jekyll = found(&[(
            "s/_config.yml",
            "title: x\ntimezone: Europe/Berlin # local\n",
        )])
        .expect("jekyll");
        assert_eq!(
            (jekyll.kind, jekyll.time_zone.as_deref()),
            (Kind::Jekyll, Some("Europe/Berlin"))
        );
        assert_eq!(
            found(&[("s/.eleventy.js", "")]).map(|g| g.kind),
            Some(Kind::Eleventy)
        );
        assert_eq!(
            found(&[("s/package.json", r#"{"devDependencies": {"astro": "4"}}"#)]).map(|g| g.kind),
            Some(Kind::Astro)
        );
    }

    #[test]
    fn a_config_file_of_another_tool_names_no_generator() {
        // crier's own config.toml beside the events folder.
        assert_eq!(
            found(&[(
                "s/config.toml",
                "events_dir = 'events'\ntimezone = 'Europe/Paris'\n"
            )]),
            None
        );
        assert_eq!(
            found(&[("s/package.json", r#"{"dependencies": {"left-pad": "1"}}"#)]),
            None
        );
    }

    #[test]
    fn each_generator_reads_offset_less_dates_its_own_way() {
        let paris = chrono_tz::Europe::Paris;
        let hugo = found(&[("s/hugo.toml", "baseURL = 'x'\n")]);
        let rule = date_rule(hugo.as_ref(), None, paris);
        assert_eq!(rule.zone, chrono_tz::UTC);
        assert!(
            rule.why.starts_with("Hugo site without `timeZone`"),
            "{}",
            rule.why
        );
        let hugo_zoned = found(&[(
            "s/hugo.toml",
            "baseURL = 'x'\ntimeZone = 'America/Toronto'\n",
        )]);
        assert_eq!(
            date_rule(hugo_zoned.as_ref(), None, paris).zone,
            chrono_tz::America::Toronto
        );
        let jekyll = found(&[("s/_config.yml", "title: x\n")]);
        assert_eq!(date_rule(jekyll.as_ref(), None, paris).zone, paris);
        let eleventy = found(&[("s/.eleventy.js", "")]);
        assert_eq!(
            date_rule(eleventy.as_ref(), None, paris).zone,
            chrono_tz::UTC
        );
        assert_eq!(date_rule(None, None, paris).zone, paris);
        // crier's own setting overrides every generator.
        assert_eq!(
            date_rule(hugo.as_ref(), Some(paris), chrono_tz::UTC).zone,
            paris
        );
    }

    #[test]
    fn a_comment_naming_a_zone_is_honoured_and_other_comments_are_not() {
        let utc = zone_in_comment("2024-05-02T18:00:00 # UTC date and time of event start time");
        assert!(matches!(utc, Some(datetime::ZoneSpec::Offset(o)) if o.local_minus_utc() == 0));
        assert!(matches!(
            zone_in_comment("2024-05-02 18:00 # Europe/Berlin"),
            Some(datetime::ZoneSpec::Named(chrono_tz::Europe::Berlin))
        ));
        assert_eq!(
            zone_in_comment("\"2024-05-01\" # Required. Format: yyyy-mm-dd, e.g. 2024-05-01"),
            None
        );
        assert_eq!(zone_in_comment("2024-05-02T18:00:00"), None);
        assert_eq!(zone_in_comment("2024-05-02 # a Tuesday, IT and more"), None);
    }
}
