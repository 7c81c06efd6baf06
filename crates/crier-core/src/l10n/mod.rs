//! Every word crier writes for members, in the community's language: Project Fluent messages, built
//! in for English, Hebrew, French, German and Spanish, which the organiser may override by id.
//!
//! The renderers ([`render`](crate::render), [`embed`](crate::embed), [`answers`](crate::answers))
//! take a [`Texts`], one locale's view, and never write a word of their own; which locale a post is
//! in is the [`Policy`]'s choice (the server's, a route's, or the event's own `language:`).
//!
//! - [`locale`]: the languages, and every way they are named (config, Discord, event files).
//! - [`wording`]: the messages of every locale with the overrides over them, and [`Texts`].
//! - [`commands`]: the slash commands' names and descriptions, as Discord localizes them.
//! - [`dates`]: dates in each locale's own names and order.
//! - [`overrides`]: override files checked against the built-in messages, and the listing
//!   `crier messages` prints.

pub mod commands;
pub mod dates;
pub mod locale;
pub mod overrides;
pub mod wording;

pub use locale::{Choice, Locale, Policy};
pub use wording::{builtin_source, Arg, Override, Texts, Wording, Words};
