//! `crier status`: where the ledger is, which process leads (with a shared PostgreSQL ledger), and,
//! when the bot's listener is configured, what its `/healthz` says, site by site.

use std::process::ExitCode;

use crate::adapters::ledger::Store;
use crate::config::Config;

pub fn command(config: &Config) -> anyhow::Result<ExitCode> {
    let store = Store::connect(&config.ledger)?;
    println!("ledger: {}", store.describe());
    if store.is_shared() {
        match store.leader()? {
            Some(lease) if lease.expires_at > chrono::Utc::now() => println!(
                "leader: {} (epoch {}), lease until {}",
                lease.holder,
                lease.epoch,
                lease.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            Some(lease) => println!(
                "leader: none: the lease of {} (epoch {}) ran out at {}; a standby, if one runs, takes it within seconds",
                lease.holder,
                lease.epoch,
                lease.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
            None => println!("leader: none yet: no process has led on this ledger"),
        }
    } else {
        println!(
            "leader: the one process that holds the state folder's lock (SQLite is not shared)"
        );
    }
    let sites: Vec<&str> = config
        .sites
        .iter()
        .map(crate::config::SiteConfig::key)
        .collect();
    println!("sites: {}", sites.join(", "));
    if let Some(addr) = config.http_listen {
        let answer = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?
            .block_on(crate::adapters::http::probe(addr));
        match answer {
            Ok(body) | Err(body) => {
                println!("this machine's bot (http://{addr}/healthz):");
                for line in body.lines() {
                    println!("  {line}");
                }
            }
        }
    }
    // Closing a PostgreSQL connection blocks: here, with no runtime running, it may.
    drop(store);
    Ok(ExitCode::SUCCESS)
}
