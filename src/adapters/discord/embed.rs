//! The core's plain embed ([`crier_core::embed`]) as serenity's builder: the one step of an embed
//! that needs serenity. What an embed holds, and every cut to Discord's limits, is decided there.

use serenity::builder::{CreateEmbed, CreateEmbedFooter};

use crier_core::embed::Embed;

/// `embed` as serenity's builder, with no footer when its footer is empty.
pub fn builder(embed: &Embed) -> CreateEmbed {
    let mut built = CreateEmbed::new()
        .title(&embed.title)
        .description(&embed.description)
        .colour(embed.color);
    if let Some(url) = &embed.url {
        built = built.url(url);
    }
    for (name, value, inline) in &embed.fields {
        built = built.field(name, value, *inline);
    }
    if !embed.footer.is_empty() {
        built = built.footer(CreateEmbedFooter::new(&embed.footer));
    }
    built
}
