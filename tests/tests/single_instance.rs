//! Issue #11: one window per database. A second launch on the same database
//! brings the first window forward (it says so) and exits at once; a launch
//! on another database opens its own window; the terminal works beside both.
//! The instances find each other on a D-Bus session bus, so the test starts
//! its own (`dbus-daemon --session`), never the desktop's.

use bot_credentials_e2e::{paths, App};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A private session bus, stopped when dropped.
struct SessionBus {
    daemon: Child,
    address: String,
}

impl SessionBus {
    fn start() -> SessionBus {
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting dbus-daemon (scripts/setup.sh installs dbus-daemon)");
        let mut line = String::new();
        BufReader::new(daemon.stdout.take().expect("its stdout")).read_line(&mut line).expect("reading its address");
        let address = line.trim().to_owned();
        assert!(address.starts_with("unix:"), "dbus-daemon printed no address: {line:?}");
        SessionBus { daemon, address }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// Starts the window binary itself (as the desktop entry would) on `db`.
fn launch(bus: &SessionBus, db: &Path) -> Child {
    Command::new(paths::app_binary())
        .arg("--db")
        .arg(db)
        .envs(paths::app_env(db))
        .env("DBUS_SESSION_BUS_ADDRESS", &bus.address)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting a second window")
}

fn wait_for_exit(child: &mut Child, within: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().expect("waiting for the second launch") {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

fn stop(mut child: Child) {
    // SIGTERM, as a desktop would close it.
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    if wait_for_exit(&mut child, Duration::from_secs(10)).is_none() {
        let _ = child.kill();
        let _ = child.wait();
    }
}

#[test]
fn a_second_launch_on_the_same_database_brings_the_first_window_forward() {
    let bus = SessionBus::start();
    let app = App::launch_with_env(&[("DBUS_SESSION_BUS_ADDRESS", bus.address.as_ref())]);
    app.add_organization("Acme Bots");

    for round in 1..=3 {
        let mut second = launch(&bus, app.db_path());
        let status = wait_for_exit(&mut second, Duration::from_secs(30));
        let output = second.wait_with_output().expect("its output");
        let status = status.unwrap_or_else(|| panic!("round {round}: the second launch opened a second window"));
        assert!(
            status.success(),
            "round {round}: the second launch failed ({status}): {}",
            String::from_utf8_lossy(&output.stderr)
        );
        app.expect_notice("Bot Credentials is already open on this database: this is its window");
        app.dismiss_notices();
    }
    // The first window carries on, and the terminal works beside it.
    app.expect_text("Acme Bots");
    let out = app.cli(&["org", "add", "Beta Bots"]);
    assert_eq!(out.code, 0, "org add beside the window failed: {}", out.stderr);
    app.expect_text("Beta Bots");
    let log: String = paths::app_files(app.db_path())
        .into_iter()
        .filter(|f| f.to_string_lossy().contains("/logs/window."))
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    assert_eq!(log.matches("op=\"second_launch\"").count(), 3, "each second launch is logged:\n{log}");
}

#[test]
fn a_launch_on_another_database_opens_its_own_window() {
    let bus = SessionBus::start();
    let app = App::launch_with_env(&[("DBUS_SESSION_BUS_ADDRESS", bus.address.as_ref())]);
    app.add_organization("Acme Bots");
    let other_dir = tempfile::tempdir().expect("tempdir");
    let other = other_dir.path().join("other.sqlite3");
    let mut second = launch(&bus, &other);
    let exited = wait_for_exit(&mut second, Duration::from_secs(8));
    assert!(exited.is_none(), "the window on another database exited: {exited:?}");
    assert!(other.is_file(), "the second window created its own database");
    stop(second);
    app.expect_text("Acme Bots");
}
