//! Tests of the throwaway PostgreSQL server itself (`tests/support/postgres.rs`), with `psql` as
//! the client.
//!
//! The ledger's tests rely on it being a real server: data written is read back, the password in
//! the password file is the one the server checks (a wrong one or none is refused), clusters side
//! by side do not share a port, and a dropped cluster is gone. Each is shown here, over 127.0.0.1
//! only. Without PostgreSQL every test prints `skipped: ...` and passes, except when `CI` is set.

mod support;

use std::net::{Ipv4Addr, TcpStream};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::Output;
use std::time::Instant;

use support::postgres::Postgres;

/// Whether process `pid` runs (a zombie waiting to be reaped does not).
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| Some(stat.rsplit_once(") ")?.1.starts_with('Z')))
        .is_some_and(|zombie| !zombie)
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// What crier will do: read the password from the file, and pass it to the client (here psql, in
/// its environment only) beside the URL's user, host and port.
#[test]
fn round_trip_with_the_password_from_the_file() {
    let started = Instant::now();
    let Some(pg) = Postgres::start_or_skip() else {
        return;
    };
    eprintln!("cluster started in {:?}", started.elapsed());

    let file = pg.password_file();
    let meta = std::fs::metadata(&file).expect("password file");
    assert_eq!(
        meta.permissions().mode() & 0o777,
        0o600,
        "{}",
        file.display()
    );
    let me = std::fs::metadata(pg.folder())
        .expect("cluster folder")
        .uid();
    assert_eq!(
        meta.uid(),
        me,
        "the password file belongs to the test's user"
    );
    let password = std::fs::read_to_string(&file).expect("read the password file");
    assert!(
        !password.is_empty() && !password.contains('\n'),
        "{password:?}"
    );

    let url = pg.url("ledger");
    assert_eq!(
        url,
        format!("postgres://crier@127.0.0.1:{}/ledger", pg.port())
    );
    assert!(!url.contains(&password), "no password in {url}");

    pg.create_database("ledger");
    let out = pg
        .psql_command("ledger")
        .env("PGPASSWORD", &password)
        .args([
            "-c",
            "CREATE TABLE posts (id bigint PRIMARY KEY, label text NOT NULL)",
        ])
        .output()
        .expect("run psql");
    assert!(out.status.success(), "{}", text(&out));
    let out = pg
        .psql_command("ledger")
        .env("PGPASSWORD", &password)
        .args(["-c", "INSERT INTO posts VALUES (1, 'meetup-2025-05-01')"])
        .output()
        .expect("run psql");
    assert!(out.status.success(), "{}", text(&out));
    let out = pg
        .psql_command("ledger")
        .env("PGPASSWORD", &password)
        .args(["-c", "SELECT label FROM posts WHERE id = 1"])
        .output()
        .expect("run psql");
    assert!(out.status.success(), "{}", text(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "meetup-2025-05-01"
    );

    // The harness' own psql sees the same rows, and several statements run in order.
    let rows = pg.psql(
        "ledger",
        "INSERT INTO posts VALUES (2, 'b'); SELECT id, label FROM posts ORDER BY id;",
    );
    assert_eq!(rows, "1|meetup-2025-05-01\n2|b");

    // Only loopback, and the server that answers is this cluster's.
    assert_eq!(pg.psql("postgres", "SHOW listen_addresses"), "127.0.0.1");
    assert_eq!(pg.psql("postgres", "SHOW port"), pg.port().to_string());
    assert_eq!(pg.psql("postgres", "SELECT current_user"), "crier");
}

#[test]
fn a_wrong_password_or_none_is_refused() {
    let Some(pg) = Postgres::start_or_skip() else {
        return;
    };
    let out = pg
        .psql_command("postgres")
        .env("PGPASSWORD", "not-the-password")
        .args(["-c", "SELECT 1"])
        .output()
        .expect("run psql");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("password authentication failed"),
        "{}",
        text(&out)
    );

    let out = pg
        .psql_command("postgres")
        .args(["-c", "SELECT 1"])
        .output()
        .expect("run psql");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("password"), "{}", text(&out));

    // A failed statement fails the harness' psql too.
    let out = pg.try_psql("postgres", "SELECT * FROM no_such_table");
    assert!(!out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("no_such_table"), "{}", text(&out));
    // And the right password still works after the refusals.
    assert_eq!(pg.psql("postgres", "SELECT 1"), "1");
}

#[test]
fn two_clusters_at_once_are_apart() {
    let Some(a) = Postgres::start_or_skip() else {
        return;
    };
    let Some(b) = Postgres::start_or_skip() else {
        return;
    };
    assert_ne!(a.port(), b.port());
    assert_ne!(a.folder(), b.folder());
    assert_ne!(a.password(), b.password());
    a.psql("postgres", "CREATE TABLE only_in_a (x int)");
    assert_eq!(
        a.psql(
            "postgres",
            "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"
        ),
        "1"
    );
    assert_eq!(
        b.psql(
            "postgres",
            "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"
        ),
        "0"
    );
    // One cluster's password does not open the other.
    let out = b
        .psql_command("postgres")
        .env("PGPASSWORD", a.password())
        .args(["-c", "SELECT 1"])
        .output()
        .expect("run psql");
    assert!(!out.status.success(), "{}", text(&out));
}

#[test]
fn drop_stops_the_server_and_removes_its_folder() {
    let Some(pg) = Postgres::start_or_skip() else {
        return;
    };
    let port = pg.port();
    let pid = pg.pid().expect("a running server has a pid");
    let folder = pg.folder().to_path_buf();
    assert!(alive(pid));
    assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok());

    drop(pg);

    assert!(!folder.exists(), "{} left behind", folder.display());
    // `pg_ctl stop` has waited for the postmaster to exit.
    assert!(!alive(pid), "postmaster {pid} still running");
    assert!(
        TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_err(),
        "port {port} still accepts connections"
    );
}
