//! `crier run`: the bot's loop. One timer sleeps until the next due announcement (no polling), and is
//! woken early by a file change, the periodic rescan, or a shutdown signal.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio::time::Instant;
use tracing::{error, info, warn};

use crate::adapters::ledger::{Fence, Ledger, LedgerError, Store};
use crate::adapters::override_files::Overrides;
use crate::app::announcer::{Announcer, Core};
use crate::app::leadership::Role;
use crate::app::sink::Sink;
use crate::app::status::Shared;
use crate::app::telemetry::Telemetry;
use crate::config::{Config, SiteConfig, DEFAULT_SITE};
use crier_core::catalog::Settings;
use crier_core::routing::Router;
use std::sync::{Arc, Mutex, PoisonError};
use tracing::Instrument;

/// Holds `state_dir/crier.lock` for as long as it lives: two bots on one ledger would double-post.
pub struct StateLock {
    _file: File,
}

#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error("another crier is already running with the state folder {0} (it holds {0}/crier.lock); stop it first, or give this one another `state_dir`")]
    Held(PathBuf),
    #[error("cannot create the lock file in {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl StateLock {
    pub fn acquire(state_dir: &Path) -> Result<StateLock, LockError> {
        let io = |source| LockError::Io {
            path: state_dir.to_path_buf(),
            source,
        };
        std::fs::create_dir_all(state_dir).map_err(io)?;
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(state_dir.join("crier.lock"))
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(StateLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(LockError::Held(state_dir.to_path_buf())),
            Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
        }
    }
}

/// One site, as the run loop drives it: its configuration, where its posts go, and what it
/// publishes (the status for the commands, the telemetry for `/healthz` and `/metrics`).
pub struct SiteRun<S> {
    pub config: SiteConfig,
    pub sink: S,
    pub router: Router,
    pub status: Shared,
    pub telemetry: Arc<Telemetry>,
    pub overrides: Overrides,
}

/// Runs every site until SIGTERM or Ctrl-C (or until `fatal` ends, e.g. the Discord gateway giving
/// up); each site finishes and records the announcement in flight first. The sites run side by
/// side and apart: one site's broken files, failing git fetch or slow channel never holds up
/// another's announcements.
pub async fn run<S: Sink>(
    config: &Config,
    process: Process,
    sites: Vec<SiteRun<S>>,
    fatal: impl std::future::Future<Output = anyhow::Result<()>>,
) -> anyhow::Result<()> {
    let Process {
        store,
        telemetry: process,
        fence,
        role,
    } = process;
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot listen for SIGTERM")?;
    adopt_unnamed_rows(config, &store).await?;
    let (stop_tx, stop) = tokio::sync::watch::channel(false);
    let mut endpoints = Vec::new();
    let mut runs = Vec::new();
    for site in sites {
        let (feed_tx, feed_rx) = tokio::sync::watch::channel(None);
        let hook: crate::adapters::http::HookSlot = Arc::default();
        endpoints.push(crate::adapters::http::SiteEndpoints {
            name: site.config.key().to_string(),
            telemetry: site.telemetry.clone(),
            feed: feed_rx,
            hook: hook.clone(),
        });
        let feed = config.http_listen.map(|_| (feed_tx, hook));
        runs.push(run_site(
            site,
            store.clone(),
            fence.clone(),
            feed,
            stop.clone(),
        ));
    }
    // Stopped with the sites: a leader that stands by again serves its standby's listener instead.
    let _listener = match config.http_listen {
        Some(addr) => Some(AbortOnDrop(tokio::spawn(
            crate::adapters::http::serve(
                addr,
                crate::adapters::http::Endpoints {
                    process,
                    sites: endpoints,
                    role,
                },
            )
            .await?,
        ))),
        None => None,
    };
    let single = runs.len() == 1;
    let all = futures_util::future::join_all(runs);
    tokio::pin!(all);
    tokio::pin!(fatal);
    let results = tokio::select! {
        results = &mut all => results,
        _ = tokio::signal::ctrl_c() => { stop_tx.send_replace(true); all.await }
        _ = terminate.recv() => { stop_tx.send_replace(true); all.await }
        result = &mut fatal => {
            stop_tx.send_replace(true);
            let results = all.await;
            result?;
            results
        }
    };
    info!("stopping");
    // A site that could not run at all (its first clone failed) ends the process only when it is the
    // only one, as before `[[sites]]`; with several, it was logged and the others ran.
    if single {
        for result in results {
            result?;
        }
    }
    Ok(())
}

/// What every site shares: the ledger, the process's telemetry, and with a shared ledger the fence
/// of this process's lease and what to say about it.
pub struct Process {
    pub store: Store,
    pub telemetry: Arc<Telemetry>,
    /// With a shared (PostgreSQL) ledger: the lease this process leads under; every `sending` is
    /// checked against it.
    pub fence: Option<Fence>,
    pub role: Role,
}

/// A task that ends with its owner.
pub(crate) struct AbortOnDrop(pub(crate) tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// The rows of a configuration without `[[sites]]` belong to the first of `[[sites]]` once the site is
/// moved there with a name (unless one of the sites is named `default`, which keeps them): nothing
/// is announced again after the move.
async fn adopt_unnamed_rows(config: &Config, store: &Store) -> anyhow::Result<()> {
    if !config.has_named_sites() || config.sites.iter().any(|s| s.key() == DEFAULT_SITE) {
        return Ok(());
    }
    let Some(first) = config.sites.first() else {
        return Ok(());
    };
    let (store, site) = (store.clone(), first.key().to_string());
    let adopted = tokio::task::spawn_blocking(move || -> Result<bool, LedgerError> {
        store.open(&site)?.adopt(DEFAULT_SITE)
    })
    .await??;
    if adopted {
        info!(site = %first.key(), "the ledger's rows from before `[[sites]]` now belong to the first site");
    }
    Ok(())
}

/// One site's loop: one timer sleeps until its next due announcement (no polling), and is woken
/// early by a file change, the periodic rescan, or `stop`.
async fn run_site<S: Sink>(
    site: SiteRun<S>,
    store: Store,
    fence: Option<Fence>,
    feed: Option<(FeedSender, crate::adapters::http::HookSlot)>,
    mut stop: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let SiteRun {
        config,
        sink,
        router,
        status,
        telemetry,
        mut overrides,
    } = site;
    let name = config.key().to_string();
    let span = tracing::info_span!("site", site = %name);
    let named = config.name.is_some();
    async move {
    // First the files: for git, the first start clones the repository, which a stop interrupts.
    let mut retry = crier_core::backoff::Backoff::new(Duration::from_secs(30), Duration::from_secs(600));
    let own_dir = config.own_dir();
    let mut source = loop {
        let started = tokio::select! {
            source = crate::adapters::source::start(
                config.source.as_ref(),
                &config.catalog,
                &own_dir,
                telemetry.clone(),
            ) => source,
            _ = stop.wait_for(|stop| *stop) => return Ok(()),
        };
        match started {
            Ok(source) => break source,
            // With one site there is nothing else to do: the error ends the run, as it always did.
            Err(e) if !named => return Err(e),
            Err(e) => {
                let wait = retry.fail();
                error!(error = %format!("{e:#}"), retry_in = ?wait, "this site cannot start; the other sites carry on");
                telemetry.set_source_start(Err(format!("{e:#}")));
                tokio::select! {
                    () = tokio::time::sleep(wait) => {}
                    _ = stop.wait_for(|stop| *stop) => return Ok(()),
                }
            }
        }
    };
    telemetry.set_source_start(Ok(()));
    let feed = match feed {
        Some((tx, hook)) => {
            if let Some(h) = source.hook.take() {
                *hook.write().unwrap_or_else(PoisonError::into_inner) = Some(h);
            }
            let (store, key) = (store.clone(), name.clone());
            let ledger = tokio::task::spawn_blocking(move || store.open(&key)).await??;
            Some(FeedPublisher::new(ledger, tx))
        }
        None => None,
    };
    info!(ledger = %store.describe(), events = %config.catalog.events_dir.display(), commit = source.commit.as_ref().map(super::super::adapters::source::git::Checkout::short), "starting");
    let mut announcer = {
        let key = name.clone();
        let (rules, digest) = (config.rules.clone(), config.digest.clone());
        let zone = config.catalog.timezone;
        // Opening the ledger reads every row: on the announcer's thread, as is everything it does
        // with the ledger or with the whole catalog (see `Announcer::blocking`).
        let opened = fence.clone();
        Announcer::start(sink, move || {
            let ledger = match &opened {
                Some(fence) => store.open_fenced(&key, fence)?,
                None => store.open(&key)?,
            };
            Core::open(ledger, rules, digest, zone, Utc::now())
        })
        .await?
        .with_fence(fence.clone())
        .with_telemetry(telemetry.clone())
        .with_router(router)
        .with_messages(overrides.wording(), config.messages.policy)
    };
    // The override files are watched like the event files (and read again at each rescan).
    let (_messages_watch, mut messages_changed) = match overrides.dir() {
        Some(dir) => match crate::adapters::source::folder::watch(
            &[dir.to_path_buf()],
            Duration::from_millis(300),
        ) {
            Ok((watch, changes)) => (Some(watch), Some(changes)),
            Err(e) => {
                warn!(error = %e, dir = %dir.display(), "cannot watch the message overrides; changes are picked up by the periodic rescan");
                (None, None)
            }
        },
        None => (None, None),
    };
    let publisher = Arc::new(Mutex::new(Publisher {
        status,
        telemetry: telemetry.clone(),
        feed,
    }));
    let settings = config.catalog.clone();
    // Commands can answer from the catalog before the first announcements go out.
    if let Err(e) = load(&announcer, &publisher, &settings).await {
        if !named {
            return Err(e);
        }
        error!(error = %format!("{e:#}"), "cannot read the site's events; retrying at each change and rescan");
    }
    let mut next_rescan = Instant::now() + config.rescan_interval;
    loop {
        if *stop.borrow() {
            break;
        }
        match announcer.tick(Utc::now()).await {
            Ok(sent) => {
                telemetry.set_ledger(Ok(()));
                if sent > 0 {
                    publish(&announcer, &publisher).await;
                }
            }
            Err(LedgerError::Fenced { holder, epoch }) => {
                // Another process leads now: not one more post from here. The lease keeper sees the
                // revoked fence within a second and stops every site, and the process stands by.
                // Until then this site waits: ending now would end the run as a stop does, and with
                // one site the process would exit instead of standing by.
                warn!(%holder, epoch, "the lease was lost: this site stops posting");
                if let Some(fence) = &fence {
                    fence.revoke();
                }
                let _ = stop.wait_for(|stop| *stop).await;
                break;
            }
            Err(e) => {
                // The ledger cannot be written (disk full, volume gone): nothing may be sent until it
                // can, so wait and try again; /healthz says why meanwhile.
                error!(error = %e, "the ledger cannot be written; retrying in 5 s");
                telemetry.set_ledger(Err(e.to_string()));
                tokio::select! {
                    () = tokio::time::sleep(Duration::from_secs(5)) => continue,
                    _ = stop.wait_for(|stop| *stop) => break,
                }
            }
        }
        let wake = announcer
            .next_wake()
            .map(|at| {
                let wait = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
                Instant::now() + wait
            })
            .map_or(next_rescan, |at| at.min(next_rescan));
        tokio::select! {
            () = tokio::time::sleep_until(wake) => {}
            Some(change) = source.changes.recv() => {
                // A new commit's tree is swapped in here, between two reads of the catalog.
                match change.apply() {
                    Ok(None) => info!("files changed; reloading"),
                    Ok(Some(commit)) => {
                        info!(commit = %commit.short(), summary = %commit.summary, "reloading from a new commit");
                        telemetry.set_source_commit(commit.time);
                    }
                    Err(e) => {
                        warn!(error = %e, "cannot switch to the new tree; keeping the last one");
                        continue;
                    }
                }
                reload(&announcer, &publisher, &settings).await;
            }
            Some(_) = async {
                match messages_changed.as_mut() {
                    Some(changes) => changes.recv().await,
                    None => std::future::pending().await,
                }
            } => {
                refresh_wording(&mut overrides, &announcer, &publisher).await;
            }
            _ = stop.wait_for(|stop| *stop) => break,
        }
        if Instant::now() >= next_rescan {
            refresh_wording(&mut overrides, &announcer, &publisher).await;
            reload(&announcer, &publisher, &settings).await;
            next_rescan = Instant::now() + config.rescan_interval;
        }
    }
    Ok(())
    }
    .instrument(span)
    .await
}

type FeedSender = tokio::sync::watch::Sender<Option<Arc<crate::adapters::http::ServedFeed>>>;

/// Reads the override files again; new wording goes to the announcer and, through the status, to
/// the commands.
async fn refresh_wording<S: Sink>(
    overrides: &mut Overrides,
    announcer: &Announcer<S>,
    publisher: &Arc<Mutex<Publisher>>,
) {
    if let Some(wording) = overrides.refresh() {
        info!("message overrides changed; new posts use them");
        announcer.set_wording(wording);
        publish(announcer, publisher).await;
    }
}

/// Where the announcer's state goes after each change: the status for the commands, the metrics, and
/// the calendar feed.
struct Publisher {
    status: Shared,
    telemetry: Arc<Telemetry>,
    feed: Option<FeedPublisher>,
}

impl Publisher {
    fn publish(&mut self, core: &Core) {
        let snapshot = match core.status(Utc::now()) {
            Ok(snapshot) => snapshot,
            Err(e) => {
                warn!(error = %e, "cannot read the ledger for the status");
                return;
            }
        };
        let next = snapshot.next.first().map_or(0, |n| n.due.timestamp());
        self.telemetry.next_announcement.set(next);
        if let Some(feed) = &mut self.feed {
            if let Some(events) = feed.refresh(&snapshot, Utc::now()) {
                self.telemetry
                    .feed_events
                    .set(i64::try_from(events).unwrap_or(i64::MAX));
            }
        }
        // The status it replaces (and with it, after a reload, the old catalog) is freed here, on
        // the announcer's thread, unless a command is still reading it.
        self.status.set(snapshot);
    }
}

/// Publishes the announcer's state, on the announcer's thread (the feed reads and writes the ledger).
async fn publish<S: Sink>(announcer: &Announcer<S>, publisher: &Arc<Mutex<Publisher>>) {
    let publisher = publisher.clone();
    announcer
        .blocking(move |core| lock(&publisher).publish(core))
        .await;
}

/// On the announcer's thread: reads the site into the announcer (a catalog of 10,000 events is a few
/// hundred milliseconds of parsing, and its indexes are built there too), then publishes the
/// announcer's state. A failed read keeps the last catalog; the state is published either way.
async fn load<S: Sink>(
    announcer: &Announcer<S>,
    publisher: &Arc<Mutex<Publisher>>,
    settings: &Settings,
) -> anyhow::Result<()> {
    let publisher = publisher.clone();
    let settings = settings.clone();
    announcer
        .blocking(move |core| {
            let loaded = crate::adapters::site_files::load_at(&settings, Utc::now())
                .map(|catalog| core.replace_catalog(catalog, Utc::now()));
            lock(&publisher).publish(core);
            Ok(loaded?)
        })
        .await
}

fn lock(publisher: &Mutex<Publisher>) -> std::sync::MutexGuard<'_, Publisher> {
    publisher.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Builds `/events.ics` once per catalog change (and hourly, as events leave its 30-day window),
/// with the ledger's count of each event's changes added to its `SEQUENCE` (see `feed::build_in`).
struct FeedPublisher {
    ledger: Ledger,
    tx: tokio::sync::watch::Sender<Option<Arc<crate::adapters::http::ServedFeed>>>,
    /// The catalog and series the current feed was built from (the announcer replaces either only
    /// when it changed, so comparing pointers is enough).
    built_from: Option<(
        Arc<crate::app::status::Snapshot>,
        Arc<Vec<crier_core::catalog::Series>>,
    )>,
    built_at: Option<DateTime<Utc>>,
}

impl FeedPublisher {
    fn new(
        ledger: Ledger,
        tx: tokio::sync::watch::Sender<Option<Arc<crate::adapters::http::ServedFeed>>>,
    ) -> FeedPublisher {
        FeedPublisher {
            ledger,
            tx,
            built_from: None,
            built_at: None,
        }
    }

    /// Rebuilds the feed if the catalog changed or an hour passed; returns its number of events then.
    fn refresh(
        &mut self,
        status: &crate::app::status::Status,
        now: DateTime<Utc>,
    ) -> Option<usize> {
        // A series can change without changing its listed occurrences (a far-off dated file).
        let same_catalog = self.built_from.as_ref().is_some_and(|(catalog, series)| {
            Arc::ptr_eq(catalog, &status.catalog) && Arc::ptr_eq(series, &status.series)
        });
        let fresh = self
            .built_at
            .is_some_and(|at| now - at < chrono::Duration::hours(1));
        if same_catalog && fresh {
            return None;
        }
        let events = &status.catalog.events;
        let sequences = match self
            .ledger
            .feed_sequences(&crier_core::feed::fingerprints(events, &status.series))
        {
            Ok(sequences) => sequences,
            Err(e) => {
                // The feed stays as it was; the next change tries again.
                warn!(error = %e, "cannot keep the calendar's SEQUENCE numbers; the feed is not rebuilt");
                return None;
            }
        };
        let built = crier_core::feed::build_in(
            events,
            &status.series,
            crier_core::feed::Scope::Recent { now },
            &|id| sequences.get(id).copied().unwrap_or(0),
            &status.wording,
            status.policy,
        );
        let events = built.events;
        let mut served = crate::adapters::http::ServedFeed::from(built);
        // Last-Modified is when the feed's bytes last changed (not the newest file: a deleted event
        // changes the feed too), so If-Modified-Since never hides a change.
        let previous = self.tx.borrow().clone();
        served.last_modified = match previous {
            Some(p) if p.etag == served.etag => p.last_modified,
            _ => std::time::SystemTime::from(
                DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now),
            ),
        };
        self.tx.send_replace(Some(Arc::new(served)));
        self.built_from = Some((status.catalog.clone(), status.series.clone()));
        self.built_at = Some(now);
        Some(events)
    }
}

async fn reload<S: Sink>(
    announcer: &Announcer<S>,
    publisher: &Arc<Mutex<Publisher>>,
    settings: &Settings,
) {
    if let Err(e) = load(announcer, publisher, settings).await {
        // A folder that vanished (an unmounted volume) keeps the last catalog rather than dropping it.
        warn!(error = %format!("{e:#}"), "reload failed; keeping the last catalog");
    }
}
