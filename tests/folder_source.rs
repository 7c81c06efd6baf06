//! The folder source on the real binary: a change is one reload, and the reload's own reading of
//! the files is not a change (inotify reports opens; counting them made every reload cause the next).

mod support;

use std::time::Duration;

use support::crier::label;
use support::site::Site;

fn event(id: &str) -> String {
    let start = chrono::Utc::now() + chrono::Duration::days(30);
    format!(
        "---\nid: {id}\ntitle: Meetup {id}\ndate: \"{}\"\nonline: true\n---\n",
        start.format("%Y-%m-%dT18:00:00Z")
    )
}

#[test]
fn one_change_is_one_reload_and_reading_the_files_is_not_a_change() {
    let site = Site::with_events([("first.md", event("first"))]);
    // The default rescan (5 min): only the watcher reads the files again.
    let app = site.crier().unset("rescan_interval").start();
    assert_eq!(label(&app.next(Duration::from_secs(10))), "first new");
    std::thread::sleep(Duration::from_secs(1));
    let reloads = || app.logs().matches("files changed; reloading").count();
    assert_eq!(
        reloads(),
        0,
        "the first read is not a change:\n{}",
        app.logs()
    );
    site.event("second.md", &event("second"));
    assert_eq!(label(&app.next(Duration::from_secs(5))), "second new");
    std::thread::sleep(Duration::from_secs(2));
    let after = reloads();
    assert!(
        (1..=2).contains(&after),
        "one change, {after} reloads:\n{}",
        app.logs()
    );
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(reloads(), after, "reloads went on with nothing changing");
}
