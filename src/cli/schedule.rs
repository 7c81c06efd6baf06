//! `crier schedule`: the timeline, what will be announced when and where, and what was already sent
//! or skipped, from the catalog and the ledger.

use std::io::{self, Write};
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use super::router;
use crate::adapters::ledger::Ledger;
use crate::config::SiteConfig;
use crier_core::catalog::Catalog;
use crier_core::routing::Router;
use crier_core::schedule::{plan_event, Rules};

pub fn command(config: &SiteConfig) -> anyhow::Result<ExitCode> {
    let catalog = crate::adapters::site_files::load(&config.catalog)?;
    let ledger = crate::adapters::ledger::Ledger::open(&config.ledger, config.key())?;
    let mut out = io::stdout().lock();
    let console = config.discord.channel_id.is_none() && config.routes.is_empty();
    print_timeline(
        &catalog,
        &ledger,
        &router(config, console),
        &config.rules,
        chrono::Utc::now(),
        &mut out,
    )?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// The timeline: every announcement the ledger recorded, and what the schedule will do next, with
/// the channel each goes to.
pub fn print_timeline(
    catalog: &Catalog,
    ledger: &Ledger,
    router: &Router,
    rules: &Rules,
    now: DateTime<Utc>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    let memory = ledger.load()?;
    let titles: std::collections::HashMap<&str, &str> = catalog
        .events
        .iter()
        .map(|e| (e.id.as_str(), e.title.as_str()))
        .collect();
    let mut rows: Vec<(DateTime<Utc>, String, String, String, String)> = Vec::new();
    for record in ledger.records(None)? {
        let status = match &record.detail {
            Some(detail) => format!("{:?}: {detail}", record.status).to_lowercase(),
            None => format!("{:?}", record.status).to_lowercase(),
        };
        let title = titles
            .get(record.key.event_id.as_str())
            .copied()
            .unwrap_or(&record.key.event_id);
        let channel = record
            .channel
            .map_or_else(|| "-".to_string(), |c| format!("#{c}"));
        rows.push((
            record.due,
            status,
            record.key.kind.to_string(),
            channel,
            title.to_string(),
        ));
    }
    for event in catalog.upcoming(now) {
        let routed = router.route(event, rules);
        let channel = Router::channel_name(routed.as_ref());
        let Some(routed) = routed else {
            rows.push((
                event.start.with_timezone(&Utc),
                "never announced: no route takes it and `discord.channel_id` is not set".into(),
                "-".into(),
                channel,
                event.title.clone(),
            ));
            continue;
        };
        let mut plan = plan_event(event, &memory, &routed.rules, now);
        let (posted, held) = router.hold_back(&routed, std::mem::take(&mut plan.due));
        plan.due = posted;
        plan.skip.extend(held);
        for due in &plan.due {
            rows.push((
                now,
                "due now".into(),
                due.key.kind.to_string(),
                channel.clone(),
                event.title.clone(),
            ));
        }
        for pending in &plan.pending {
            rows.push((
                pending.due,
                "planned".into(),
                pending.key.kind.to_string(),
                channel.clone(),
                event.title.clone(),
            ));
        }
        for skip in &plan.skip {
            rows.push((
                skip.due,
                format!("will skip: {}", skip.reason),
                skip.key.kind.to_string(),
                channel.clone(),
                event.title.clone(),
            ));
        }
    }
    rows.sort();
    if rows.is_empty() {
        writeln!(out, "Nothing announced and nothing planned.")?;
    }
    for (at, status, kind, channel, title) in rows {
        writeln!(
            out,
            "{}  {kind:<14} {channel:<21} {title}  [{status}]",
            at.format("%Y-%m-%d %H:%M:%S UTC")
        )?;
    }
    Ok(())
}
