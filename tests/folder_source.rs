//! The folder source on the real binary: a change is one reload, and the reload's own reading of
//! the files is not a change (inotify reports opens; counting them made every reload cause the next).

mod support;

use std::time::Duration;

use support::app::{label, App};

fn event(id: &str) -> String {
    let start = chrono::Utc::now() + chrono::Duration::days(30);
    format!(
        "---\nid: {id}\ntitle: Meetup {id}\ndate: \"{}\"\nonline: true\n---\n",
        start.format("%Y-%m-%dT18:00:00Z")
    )
}

#[test]
fn one_change_is_one_reload_and_reading_the_files_is_not_a_change() {
    let site = tempfile::tempdir().expect("site");
    std::fs::create_dir_all(site.path().join("events")).expect("events");
    std::fs::write(site.path().join("events/first.md"), event("first")).expect("first");
    std::fs::write(
        site.path().join("config.toml"),
        "events_dir = \"events\"\nstate_dir = \"state\"\ntimezone = \"UTC\"\n[reminders]\noffsets = []\n",
    )
    .expect("config");
    let app = App::spawn(site.path());
    assert_eq!(
        label(&app.next(Duration::from_secs(10)).expect("first")),
        "new first"
    );
    std::thread::sleep(Duration::from_secs(1));
    let reloads = || app.logs().matches("files changed; reloading").count();
    assert_eq!(
        reloads(),
        0,
        "the first read is not a change:\n{}",
        app.logs()
    );
    let tmp = site.path().join("events/.second.tmp");
    std::fs::write(&tmp, event("second")).expect("second");
    std::fs::rename(&tmp, site.path().join("events/second.md")).expect("rename");
    assert_eq!(
        label(&app.next(Duration::from_secs(5)).expect("second")),
        "new second"
    );
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
