//! `/crier status`, for the server's managers: the loaded events, the files' problems, the Events
//! tab, the next announcements and the ledger's latest results, a page at a time.

use chrono::{DateTime, Utc};

use super::{send, Answer, Context, Error};
use crate::app::status::{Status, Tab};
use crier_core::answers::paging::{self, Page};
use crier_core::embed::when;
use crier_core::render;
use crier_core::text::truncate;

/// crier's own commands.
#[poise::command(
    slash_command,
    subcommands("status"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn crier(_ctx: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Loaded events, file problems, the next announcements, the ledger's latest results.
#[poise::command(slash_command, required_permissions = "MANAGE_GUILD", ephemeral)]
pub async fn status(
    ctx: Context<'_>,
    #[description = "Which of this server's sites (communities) to answer from"]
    #[autocomplete = "super::autocomplete_site"]
    site: Option<String>,
) -> Result<(), Error> {
    let desk = super::desk(ctx, site.as_deref()).await?;
    let status = desk.status.get();
    let found = page(&status, &desk.tab.get(), 0, Utc::now());
    let texts = super::reply_texts(ctx, &status);
    let (embed, buttons) =
        paging::paged(&found.title, "status", &found.lines, 0, found.total, &texts);
    send(ctx, Some(desk), Answer::Page(embed, buttons)).await
}

/// One page of the status list (its buttons name it `status`).
pub(super) fn page(status: &Status, tab: &Tab, page: usize, now: DateTime<Utc>) -> Page {
    let (lines, total) = paging::window(lines(status, tab, now), page);
    Page {
        title: "crier status".into(),
        lines,
        total,
    }
}

/// The status is for the server's managers, and its problems are the same as `crier check`'s:
/// in English, as the logs and the README are.
fn lines(status: &Status, tab: &Tab, now: DateTime<Utc>) -> Vec<String> {
    let english = status.wording.texts(crier_core::l10n::Locale::En);
    let errors = status.problems.iter().filter(|p| p.is_error()).count();
    let mut lines = vec![format!(
        "**{} events** loaded, {} upcoming; {errors} errors, {} warnings in the files",
        status.events().len(),
        status.upcoming(now).count(),
        status.problems.len() - errors
    )];
    for p in status.problems.iter().take(10) {
        lines.push(format!("⚠ {}", truncate(&p.to_string(), 300)));
    }
    if tab.enabled {
        lines.push(match &tab.problem {
            Some(problem) => format!("⚠ Events tab: {}", truncate(problem, 300)),
            None => format!(
                "**Events tab**: {} scheduled events kept{}",
                tab.kept,
                tab.last_read
                    .map(|t| format!(", read back {}", when(&t, true, &english)))
                    .unwrap_or_default()
            ),
        });
    }
    lines.push("**Next announcements**".into());
    for n in status.next.iter().take(20) {
        lines.push(format!(
            "{} {} — {}",
            when(&n.due, true, &english),
            n.kind,
            render::neutral(&n.title)
        ));
    }
    lines.push("**Latest results**".into());
    for r in status.recent.iter().take(20) {
        let detail = r
            .detail
            .as_deref()
            .map(|d| format!(": {d}"))
            .unwrap_or_default();
        lines.push(format!(
            "{:?} {} for {}{}",
            r.status,
            r.key.kind,
            r.key.event_id,
            truncate(&detail, 200)
        ));
    }
    lines
}
