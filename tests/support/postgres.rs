//! A throwaway PostgreSQL server on 127.0.0.1 for the tests of crier's PostgreSQL ledger.
//!
//! [`Postgres::start`] makes a new cluster in a temporary folder with the machine's own `initdb`
//! and starts it with `pg_ctl`: a real server, no mock and no container. It listens on 127.0.0.1
//! only, on a free port (a port taken between choosing and binding is retried), with its Unix
//! socket in its own folder, so any number of them can run side by side, in one test binary or
//! several. Dropping the [`Postgres`] stops the server (`pg_ctl stop -m immediate`) and removes
//! the folder.
//!
//! Its one role is [`USER`] (`crier`), whose password is random and checked for real
//! (`scram-sha-256` for TCP and the socket alike). The password is not in [`Postgres::url`]: like
//! crier in production, a test hands the program [`Postgres::password_file`], a file holding the
//! password alone (no newline), mode 0600, owned by the user running the test.
//!
//! The server favours speed over durability: `fsync`, `full_page_writes` and
//! `synchronous_commit` are off, `shared_buffers` is small, and `initdb` does not sync.
//!
//! The programs are found the way `.ci/run` looks for them before installing Debian's
//! `postgresql` package: `pg_config --bindir`, then the highest `/usr/lib/postgresql/*/bin`, then
//! `PATH`; a candidate counts only if its `initdb` and `pg_ctl` answer `--version`. Without them
//! [`Postgres::start_or_skip`] prints `skipped: ...` and the test passes, except when `CI` is set:
//! CI installs them, so there their absence is a failure.
//!
//! PostgreSQL refuses to run as root. When the test runs as root (as CI does), the cluster's
//! folder belongs to an unprivileged system user, `postgres` when it exists (Debian's package makes
//! it), else `nobody`, and `initdb` and `pg_ctl` run as that user through `setpriv` (or `runuser`).
//! No user is created. The temporary folder is then made searchable (0711) so that user can reach
//! its own subfolder; the password file stays root's, 0600.

use std::fs;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tempfile::TempDir;

/// The cluster's one role, its superuser; crier connects as it.
pub const USER: &str = "crier";

/// How long a start may take, from `initdb` to accepting connections.
const START_TIMEOUT: Duration = Duration::from_secs(30);

/// How many ports to try when the chosen one is taken before the server binds it.
const PORT_TRIES: usize = 5;

/// The PostgreSQL programs used here.
#[derive(Clone, Debug)]
pub struct Binaries {
    pub initdb: PathBuf,
    pub pg_ctl: PathBuf,
    pub psql: PathBuf,
    /// Used to wait for the server when present; a TCP connect is the fallback.
    pub pg_isready: Option<PathBuf>,
}

/// The PostgreSQL programs of this machine, or why there are none (found once per test binary).
pub fn binaries() -> Result<&'static Binaries, String> {
    static FOUND: OnceLock<Result<Binaries, String>> = OnceLock::new();
    FOUND
        .get_or_init(find_binaries)
        .as_ref()
        .map_err(Clone::clone)
}

/// Whether this run is CI's (`CI` set to anything but empty, `0` or `false`).
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && !v.eq_ignore_ascii_case("false"))
}

/// Why the PostgreSQL tests cannot run on this machine, if they can't; tests print it as
/// `skipped: ...` and return. Panics instead when `CI` is set, since CI installs PostgreSQL.
pub fn skip_reason() -> Option<String> {
    let why = binaries().err()?;
    assert!(
        !in_ci(),
        "CI is set but PostgreSQL cannot be used: {why}. .ci/run installs Debian's `postgresql` \
         package when no initdb is found; see its output"
    );
    Some(why)
}

/// The unprivileged user that owns and runs the cluster when the test runs as root.
#[derive(Clone, Debug)]
struct RunAs {
    name: String,
    uid: u32,
    gid: u32,
    /// `setpriv`, or `runuser` where there is no `setpriv`.
    via: PathBuf,
}

/// `None` when the test does not run as root (the server then runs as the test's user).
fn run_as() -> Result<Option<&'static RunAs>, String> {
    static RUN_AS: OnceLock<Result<Option<RunAs>, String>> = OnceLock::new();
    RUN_AS
        .get_or_init(find_run_as)
        .as_ref()
        .map(Option::as_ref)
        .map_err(Clone::clone)
}

/// A running cluster; dropping it stops the server and removes its folder.
pub struct Postgres {
    bin: &'static Binaries,
    run_as: Option<&'static RunAs>,
    /// The folder of the server user: `data/`, the socket, `server.log`.
    dir: PathBuf,
    data: PathBuf,
    log: PathBuf,
    password: String,
    password_file: PathBuf,
    port: u16,
    /// Last, so it is removed after `drop` has stopped the server.
    root: TempDir,
}

impl Postgres {
    /// A new database on the server the tests of this binary running now share (started by the
    /// first, stopped when the last drops it): one cluster start, not one per test. `None` (after
    /// `skipped: ...`) when this machine has no PostgreSQL.
    pub fn shared_database(prefix: &str) -> Option<(std::sync::Arc<Postgres>, String)> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::{Arc, Mutex, PoisonError, Weak};
        static SHARED: Mutex<Weak<Postgres>> = Mutex::new(Weak::new());
        static DATABASES: AtomicUsize = AtomicUsize::new(0);
        let cluster = {
            let mut shared = SHARED.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(cluster) = shared.upgrade() {
                cluster
            } else {
                let cluster = Arc::new(Postgres::start_or_skip()?);
                *shared = Arc::downgrade(&cluster);
                cluster
            }
        };
        let name = format!("{prefix}_{}", DATABASES.fetch_add(1, Ordering::Relaxed));
        cluster.create_database(&name);
        Some((cluster, name))
    }

    /// A new cluster, started and accepting connections; an error says why not, with the server's
    /// log. An error also when the programs are missing (see [`Postgres::start_or_skip`]).
    pub fn start() -> Result<Postgres, String> {
        let started = Instant::now();
        let bin = binaries()?;
        let run_as = run_as()?;
        let root = tempfile::Builder::new()
            .prefix("crier-pg-")
            .tempdir()
            .map_err(|e| format!("temporary folder for PostgreSQL: {e}"))?;
        let dir = root.path().join("pg");
        fs::create_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o700))
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        if let Some(user) = run_as {
            fs::set_permissions(root.path(), fs::Permissions::from_mode(0o711))
                .map_err(|e| format!("{}: {e}", root.path().display()))?;
            give(&dir, user)?;
        }
        let password = random_password()?;
        let password_file = root.path().join("password");
        write_private(&password_file, &password)?;
        let mut pg = Postgres {
            bin,
            run_as,
            data: dir.join("data"),
            log: dir.join("server.log"),
            dir,
            password,
            password_file,
            port: 0,
            root,
        };
        pg.init()?;
        pg.configure()?;
        for attempt in 1..=PORT_TRIES {
            pg.port = free_port()?;
            match pg.launch(started)? {
                Launch::Started => break,
                Launch::PortTaken if attempt < PORT_TRIES => {}
                Launch::PortTaken => {
                    return Err(format!(
                        "PostgreSQL found its port taken {PORT_TRIES} times; server log:\n{}",
                        pg.log()
                    ))
                }
            }
        }
        pg.wait_ready(started)?;
        Ok(pg)
    }

    /// [`Postgres::start`] for a test: `None` after printing `skipped: ...` when this machine has
    /// no PostgreSQL (a panic when `CI` is set); a panic when the server does not start.
    pub fn start_or_skip() -> Option<Postgres> {
        if let Some(why) = skip_reason() {
            eprintln!("skipped: {why}");
            return None;
        }
        Some(Postgres::start().unwrap_or_else(|e| panic!("PostgreSQL did not start: {e}")))
    }

    /// The URL crier connects to, without the password: `postgres://crier@127.0.0.1:PORT/DB`.
    /// `db` is put in as it is: keep to names that need no escaping.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://{USER}@127.0.0.1:{}/{db}", self.port)
    }

    /// The file holding [`USER`]'s password alone (no newline), mode 0600, owned by the user
    /// running the test.
    pub fn password_file(&self) -> PathBuf {
        self.password_file.clone()
    }

    /// [`USER`]'s password, for tests that pass it another way than the file.
    pub fn password(&self) -> &str {
        &self.password
    }

    pub fn user(&self) -> &'static str {
        USER
    }

    /// The server's TCP port on 127.0.0.1.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The temporary folder holding everything of this cluster; gone once it is dropped.
    pub fn folder(&self) -> &Path {
        self.root.path()
    }

    /// The server's log so far (for failure messages).
    pub fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_else(|e| format!("(no log: {e})"))
    }

    /// The postmaster's process id, from `postmaster.pid`, while the server runs.
    pub fn pid(&self) -> Option<u32> {
        let text = fs::read_to_string(self.data.join("postmaster.pid")).ok()?;
        text.lines().next()?.trim().parse().ok()
    }

    /// Creates database `name` (owned by [`USER`]); panics if that fails.
    pub fn create_database(&self, name: &str) {
        let quoted = name.replace('"', "\"\"");
        self.psql("postgres", &format!("CREATE DATABASE \"{quoted}\";"));
    }

    /// Runs `sql` (one or more statements) in database `db` with `psql` as [`USER`], with the
    /// password, and returns what it printed: unaligned, tuples only, trimmed (`a|b` per row, one
    /// row a line). Panics with psql's errors and the server log if any statement fails.
    pub fn psql(&self, db: &str, sql: &str) -> String {
        let out = self.try_psql(db, sql);
        assert!(
            out.status.success(),
            "psql on {db} failed ({}):\n{sql}\n{}\nserver log:\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            self.log()
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Like [`Postgres::psql`], but returns psql's output, whether it succeeded or not.
    pub fn try_psql(&self, db: &str, sql: &str) -> Output {
        let mut cmd = self.psql_command(db);
        cmd.env("PGPASSWORD", &self.password);
        run_with_input(&mut cmd, sql)
    }

    /// `psql` set to reach database `db` as [`USER`] over 127.0.0.1 with no password: add one
    /// (`PGPASSWORD` or `PGPASSFILE`) and the SQL (`-c`, or stdin). It never prompts, reads no
    /// `~/.psqlrc` or `~/.pgpass`, ignores the outer shell's `PG*` variables, stops at the first
    /// error, and prints unaligned tuples only.
    pub fn psql_command(&self, db: &str) -> Command {
        let mut cmd = Command::new(&self.bin.psql);
        clear_pg_env(&mut cmd);
        cmd.env("PGPASSFILE", self.root.path().join("no-pgpass"))
            .env("PGCONNECT_TIMEOUT", "10")
            .args(["-X", "-w", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                USER,
                "-d",
                db,
            ]);
        cmd
    }

    /// `initdb` as the server user, with the password from a copy it can read.
    fn init(&self) -> Result<(), String> {
        let pwfile = self.dir.join("initdb.pw");
        write_private(&pwfile, &self.password)?;
        if let Some(user) = self.run_as {
            give(&pwfile, user)?;
        }
        let mut cmd = self.server_command(&self.bin.initdb);
        cmd.arg("-D")
            .arg(&self.data)
            .args(["--auth=scram-sha-256", "--username", USER])
            .arg(format!("--pwfile={}", pwfile.display()))
            .args([
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",
                "--no-instructions",
            ]);
        let out = run(&mut cmd)?;
        let _ = fs::remove_file(&pwfile);
        if out.status.success() {
            Ok(())
        } else {
            Err(format!(
                "{cmd:?} failed ({}):\n{}{}",
                out.status,
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ))
        }
    }

    /// Settings for a test server, appended to its `postgresql.conf` (the port is given at start).
    fn configure(&self) -> Result<(), String> {
        let socket_dir = self.dir.display().to_string().replace('\'', "''");
        let settings = format!(
            "\n# tests/support/postgres.rs\n\
             listen_addresses = '127.0.0.1'\n\
             unix_socket_directories = '{socket_dir}'\n\
             fsync = off\n\
             full_page_writes = off\n\
             synchronous_commit = off\n\
             shared_buffers = 16MB\n\
             max_connections = 50\n"
        );
        let conf = self.data.join("postgresql.conf");
        fs::OpenOptions::new()
            .append(true)
            .open(&conf)
            .and_then(|mut f| f.write_all(settings.as_bytes()))
            .map_err(|e| format!("{}: {e}", conf.display()))
    }

    /// `pg_ctl start` on `self.port`, waiting until the server is up or has failed.
    fn launch(&self, started: Instant) -> Result<Launch, String> {
        let log_before = fs::metadata(&self.log).map_or(0, |m| m.len() as usize);
        let wait = START_TIMEOUT
            .saturating_sub(started.elapsed())
            .as_secs()
            .max(1);
        let mut cmd = self.server_command(&self.bin.pg_ctl);
        cmd.args(["start", "-w", "-t", &wait.to_string(), "-D"])
            .arg(&self.data)
            .arg("-l")
            .arg(&self.log)
            .args(["-o", &format!("-p {}", self.port)]);
        let out = run(&mut cmd)?;
        if out.status.success() {
            return Ok(Launch::Started);
        }
        let log = self.log();
        let this_try = log.get(log_before..).unwrap_or(&log);
        if self.pid().is_none() && this_try.contains("Address already in use") {
            return Ok(Launch::PortTaken);
        }
        Err(format!(
            "{cmd:?} failed ({}):\n{}{}\nserver log:\n{log}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }

    /// Waits until the server accepts connections on 127.0.0.1 (`pg_isready`, else a TCP connect).
    fn wait_ready(&self, started: Instant) -> Result<(), String> {
        let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, self.port));
        loop {
            let ready = match &self.bin.pg_isready {
                Some(pg_isready) => {
                    let mut cmd = Command::new(pg_isready);
                    clear_pg_env(&mut cmd);
                    cmd.args([
                        "-q",
                        "-t",
                        "1",
                        "-h",
                        "127.0.0.1",
                        "-p",
                        &self.port.to_string(),
                    ])
                    .args(["-U", USER, "-d", "postgres"]);
                    run(&mut cmd)?.status.success()
                }
                None => TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_ok(),
            };
            if ready {
                return Ok(());
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "PostgreSQL on {addr} did not accept connections within {START_TIMEOUT:?}; \
                     server log:\n{}",
                    self.log()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `program` run as the server user, in the server's folder, without the outer `PG*` variables.
    fn server_command(&self, program: &Path) -> Command {
        let mut cmd = match self.run_as {
            None => Command::new(program),
            Some(user) => {
                let mut cmd = Command::new(&user.via);
                if user.via.ends_with("runuser") {
                    cmd.args(["-u", &user.name, "--"]);
                } else {
                    cmd.arg(format!("--reuid={}", user.uid))
                        .arg(format!("--regid={}", user.gid))
                        .args(["--clear-groups", "--"]);
                }
                cmd.arg(program);
                cmd
            }
        };
        clear_pg_env(&mut cmd);
        cmd.current_dir(&self.dir);
        cmd
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let Some(pid) = self.pid() else { return };
        let mut cmd = self.server_command(&self.bin.pg_ctl);
        cmd.args(["stop", "-s", "-m", "immediate", "-w", "-t", "10", "-D"])
            .arg(&self.data);
        let stopped = run(&mut cmd).is_ok_and(|out| out.status.success());
        if !stopped {
            // The folder goes next either way; no server may outlive it.
            let _ = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status();
        }
    }
}

enum Launch {
    Started,
    /// The server could not bind its port (another process took it after we chose it).
    PortTaken,
}

fn find_binaries() -> Result<Binaries, String> {
    let mut candidates: Vec<(PathBuf, PathBuf)> = Vec::new();
    if let Some(dir) = pg_config_bindir() {
        candidates.push((dir.join("initdb"), dir.join("pg_ctl")));
    }
    for dir in versioned_bindirs() {
        candidates.push((dir.join("initdb"), dir.join("pg_ctl")));
    }
    if let (Some(initdb), Some(pg_ctl)) = (on_path("initdb"), on_path("pg_ctl")) {
        candidates.push((initdb, pg_ctl));
    }
    let (initdb, pg_ctl) = candidates
        .into_iter()
        .find(|(initdb, pg_ctl)| answers_version(initdb) && answers_version(pg_ctl))
        .ok_or_else(|| {
            "no working PostgreSQL server programs (initdb, pg_ctl): looked in `pg_config --bindir`, \
             /usr/lib/postgresql/*/bin and PATH (Debian's `postgresql` package has them)"
                .to_owned()
        })?;
    // psql and pg_isready beside the real initdb (through a symlink such as /usr/local/bin/initdb),
    // beside the one found, or on PATH.
    let dirs: Vec<PathBuf> = [initdb.canonicalize().ok(), Some(initdb.clone())]
        .into_iter()
        .flatten()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .collect();
    let beside = |name: &str| {
        dirs.iter()
            .map(|d| d.join(name))
            .find(|p| p.is_file())
            .or_else(|| on_path(name))
    };
    let psql = beside("psql").ok_or_else(|| {
        format!(
            "PostgreSQL's initdb is {} but no psql was found beside it or on PATH",
            initdb.display()
        )
    })?;
    Ok(Binaries {
        pg_isready: beside("pg_isready"),
        initdb,
        pg_ctl,
        psql,
    })
}

fn pg_config_bindir() -> Option<PathBuf> {
    let out = Command::new("pg_config")
        .arg("--bindir")
        .stdin(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    (!dir.is_empty()).then(|| PathBuf::from(dir))
}

/// `/usr/lib/postgresql/<version>/bin`, highest version first.
fn versioned_bindirs() -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir("/usr/lib/postgresql") else {
        return Vec::new();
    };
    let mut found: Vec<(Vec<u32>, PathBuf)> = entries
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_string_lossy().into_owned();
            let version: Option<Vec<u32>> = name.split('.').map(|n| n.parse().ok()).collect();
            Some((version?, entry.path().join("bin")))
        })
        .collect();
    found.sort_by(|a, b| b.0.cmp(&a.0));
    found.into_iter().map(|(_, dir)| dir).collect()
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

fn answers_version(program: &Path) -> bool {
    program.is_file()
        && Command::new(program)
            .arg("--version")
            .stdin(Stdio::null())
            .output()
            .is_ok_and(|out| out.status.success())
}

/// Root runs the server as `postgres`, else `nobody`; anyone else runs it as themselves.
fn find_run_as() -> Result<Option<RunAs>, String> {
    if effective_uid()? != 0 {
        return Ok(None);
    }
    let name = ["postgres", "nobody"]
        .into_iter()
        .find(|name| id_of(name, "-u").is_some())
        .ok_or("running as root, and there is neither a `postgres` nor a `nobody` user to run PostgreSQL as")?;
    let uid = id_of(name, "-u").ok_or("id -u")?;
    let gid = id_of(name, "-g").ok_or_else(|| format!("no group for user {name}"))?;
    let sbin = ["/usr/bin", "/usr/sbin", "/bin", "/sbin"];
    let find = |program: &str| {
        on_path(program).or_else(|| {
            sbin.iter()
                .map(|dir| Path::new(dir).join(program))
                .find(|p| p.is_file())
        })
    };
    let via = find("setpriv").or_else(|| find("runuser")).ok_or(
        "running as root, and neither `setpriv` nor `runuser` (util-linux) is there to run \
         PostgreSQL as an unprivileged user",
    )?;
    Ok(Some(RunAs {
        name: name.to_owned(),
        uid,
        gid,
        via,
    }))
}

/// The effective user id, from /proc (the third field is the real, effective, saved, fs uids'
/// second), else `id -u`.
fn effective_uid() -> Result<u32, String> {
    let from_proc = fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("Uid:"))
                .and_then(|ids| ids.split_whitespace().nth(1)?.parse().ok())
        });
    from_proc
        .or_else(|| {
            let out = Command::new("id").arg("-u").output().ok()?;
            String::from_utf8_lossy(&out.stdout).trim().parse().ok()
        })
        .ok_or_else(|| "cannot tell which user this test runs as".to_owned())
}

/// `id <flag> <name>`: the user's uid (`-u`) or primary gid (`-g`), if the user exists.
fn id_of(name: &str, flag: &str) -> Option<u32> {
    let out = Command::new("id")
        .args([flag, name])
        .stdin(Stdio::null())
        .output()
        .ok()
        .filter(|out| out.status.success())?;
    String::from_utf8_lossy(&out.stdout).trim().parse().ok()
}

fn give(path: &Path, user: &RunAs) -> Result<(), String> {
    std::os::unix::fs::chown(path, Some(user.uid), Some(user.gid))
        .map_err(|e| format!("chown {} to {}: {e}", path.display(), user.name))
}

/// Writes `text` to a new file only its owner may read (0600).
fn write_private(path: &Path, text: &str) -> Result<(), String> {
    fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .and_then(|mut f| f.write_all(text.as_bytes()))
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// 32 hex digits from the system's random source.
fn random_password() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    fs::File::open("/dev/urandom")
        .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    Ok(hex::encode(bytes))
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("no free port on 127.0.0.1: {e}"))
}

/// Keeps the outer shell's `PGHOST`, `PGPASSWORD`, `PGDATA`... away from the PostgreSQL programs.
fn clear_pg_env(cmd: &mut Command) {
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("PG") {
            cmd.env_remove(key);
        }
    }
}

fn run(cmd: &mut Command) -> Result<Output, String> {
    cmd.stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {cmd:?}: {e}"))
}

/// Runs `cmd` with `input` on its stdin.
fn run_with_input(cmd: &mut Command, input: &str) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {cmd:?}: {e}"));
    // From a thread, so a long script and a long answer cannot block each other. A program that
    // exits without reading it all (a refused connection) closes the pipe: its output tells why.
    let mut stdin = child.stdin.take().expect("stdin is piped");
    let input = input.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for {cmd:?}: {e}"));
    let _ = writer.join();
    out
}
