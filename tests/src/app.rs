//! The `App` fixture: the real window, on its own database, driven through tauri-driver.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use crate::driver::TauriDriver;
use crate::paths;
use crate::webdriver::{WdError, WebDriver};

/// How long to wait for tauri-driver's port.
const PORT_TIMEOUT: Duration = Duration::from_secs(15);
/// How long to wait for the window to render after the session opened.
const READY_TIMEOUT: Duration = Duration::from_secs(30);
/// How many times a session is tried (restarting tauri-driver in between).
const SESSION_ATTEMPTS: u32 = 3;

/// What [`App`] waits for once the WebDriver session is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ready {
    /// The app rendered `<main>` or `role=alert` (what tests want).
    Ui,
    /// The document finished loading, whatever it shows.
    Document,
    /// Nothing: the session is open, the page may still be loading (for
    /// measuring the start from the page itself, `window_bench`).
    Session,
}

/// The application under test, one per test, each with a fresh temporary directory.
pub struct App {
    pub(crate) wd: Option<WebDriver>,
    driver: Option<TauriDriver>,
    /// The binary tauri-driver starts (the debug `bot-credentials` unless told otherwise).
    binary: PathBuf,
    /// When the last WebDriver session was asked for (just before `POST /session`).
    session_requested: Option<SystemTime>,
    db: PathBuf,
    log: PathBuf,
    name: String,
    pub(crate) timeout: Duration,
    ready: Ready,
    /// More environment for the app (tauri-driver passes it on), e.g. the test opener.
    env: Vec<(OsString, OsString)>,
    // Last, so the directory outlives everything above when dropped.
    dir: tempfile::TempDir,
}

/// What a CLI run gave back.
#[derive(Debug)]
pub struct CliOutput {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl CliOutput {
    /// Parses standard output as JSON, panicking with both outputs when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!("CLI output is not JSON ({e}); exit {}\nstdout: {}\nstderr: {}", self.code, self.stdout, self.stderr)
        })
    }
}

/// Runs the `bot-credentials` CLI with `--db db` and `args`, with the same
/// config folder and no keyring as the window on that database ([`paths::app_env`]).
pub fn run_cli(db: &Path, args: &[&str]) -> CliOutput {
    run_cli_binary(&paths::app_binary(), db, args)
}

/// [`run_cli`] with the `bot-credentials` binary at `bin` (e.g. a release build).
pub fn run_cli_binary(bin: &Path, db: &Path, args: &[&str]) -> CliOutput {
    let out: Output = Command::new(bin)
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("BOT_CREDENTIALS_DB")
        .envs(paths::app_env(db))
        .output()
        .unwrap_or_else(|e| panic!("running {}: {e}", bin.display()));
    CliOutput {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn test_name() -> String {
    let name = std::thread::current()
        .name()
        .filter(|n| *n != "main")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("test-{}", std::process::id()));
    name.replace("::", "__")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '_' || c == '-' { c } else { '_' })
        .collect()
}

fn require_display() {
    let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
    assert!(
        set("DISPLAY") || set("WAYLAND_DISPLAY"),
        "DISPLAY is not set: the window needs an X server. Run the tests as \
         `xvfb-run -a cargo test --workspace -p bot-credentials-e2e`"
    );
}

impl App {
    /// Starts the app on a fresh, empty database in a new temporary directory.
    pub fn launch() -> App {
        Self::start(paths::app_binary(), None, Ready::Ui)
    }

    /// Starts the app on the database at `db` (it need not exist yet).
    pub fn launch_with_db(db: &Path) -> App {
        Self::start(paths::app_binary(), Some(db.to_path_buf()), Ready::Ui)
    }

    /// Starts the app on a fresh database with more environment variables
    /// (e.g. `BOT_CREDENTIALS_OPENER`); [`App::restart`] keeps them.
    pub fn launch_with_env(env: &[(&str, &std::ffi::OsStr)]) -> App {
        let env = env.iter().map(|(k, v)| (OsString::from(k), v.to_os_string())).collect();
        Self::start_with(paths::app_binary(), None, Ready::Ui, env)
    }

    /// Starts the app without waiting for it to render `main` or `role=alert`
    /// (for checking the harness itself against any page).
    pub fn launch_unchecked() -> App {
        Self::start(paths::app_binary(), None, Ready::Document)
    }

    /// Starts `binary` (e.g. `target/release/bot-credentials`) through
    /// tauri-driver on the database at `db`, with the config, data and cache
    /// folders beside it ([`paths::app_env`]), and waits as `ready` says.
    /// [`App::restart`] starts the same binary again.
    pub fn launch_binary(binary: &Path, db: &Path, ready: Ready) -> App {
        assert!(binary.is_file(), "{} is missing: build it first", binary.display());
        Self::start(binary.to_path_buf(), Some(db.to_path_buf()), ready)
    }

    fn start(binary: PathBuf, db: Option<PathBuf>, ready: Ready) -> App {
        Self::start_with(binary, db, ready, Vec::new())
    }

    fn start_with(binary: PathBuf, db: Option<PathBuf>, ready: Ready, env: Vec<(OsString, OsString)>) -> App {
        require_display();
        let dir =
            tempfile::Builder::new().prefix("bot-credentials-e2e-").tempdir().expect("creating a temporary directory");
        let db = db.unwrap_or_else(|| dir.path().join("credentials.sqlite3"));
        let log = dir.path().join("tauri-driver.log");
        let timeout = std::env::var("E2E_WAIT_SECS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(Duration::from_secs(5), Duration::from_secs);
        let mut app = App {
            wd: None,
            driver: None,
            binary,
            session_requested: None,
            db,
            log,
            name: test_name(),
            timeout,
            ready,
            env,
            dir,
        };
        app.open();
        app
    }

    fn open(&mut self) {
        let app_binary = self.binary.clone();
        let app_binary = app_binary.as_path();
        let mut problems = Vec::new();
        for attempt in 1..=SESSION_ATTEMPTS {
            match self.try_open(app_binary) {
                Ok(()) => return,
                Err(e) => {
                    problems.push(format!("attempt {attempt}: {e}"));
                    self.close();
                    sleep(Duration::from_millis(500));
                }
            }
        }
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        panic!(
            "could not open a WebDriver session on {} after {SESSION_ATTEMPTS} attempts:\n{}\n--- tauri-driver log ---\n{}",
            app_binary.display(),
            problems.join("\n"),
            log.chars().rev().take(4000).collect::<String>().chars().rev().collect::<String>()
        );
    }

    /// Starts tauri-driver and a session; errors here are worth another attempt.
    /// Once the session is open, a window that does not render fails the test at once.
    fn try_open(&mut self, app_binary: &Path) -> Result<(), String> {
        let mut driver = TauriDriver::spawn_with_env(&self.db, &self.log, &self.env)?;
        driver.wait_for_port(PORT_TIMEOUT)?;
        let base = driver.base_url();
        self.driver = Some(driver);
        self.session_requested = Some(SystemTime::now());
        let wd = WebDriver::new_session(&base, app_binary).map_err(|e| e.to_string())?;
        self.wd = Some(wd);
        if self.ready == Ready::Session {
            return Ok(());
        }
        if let Err(e) = self.wait_ready() {
            panic!("{e}");
        }
        Ok(())
    }

    fn wait_ready(&self) -> Result<(), String> {
        let script = if self.ready == Ready::Ui {
            format!("{}{}", crate::js::PRELUDE, crate::js::READY)
        } else {
            "return document.readyState === 'complete';".to_owned()
        };
        let deadline = Instant::now() + READY_TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            match self.wd().execute(&script, &[]) {
                Ok(Value::Bool(true)) => return Ok(()),
                Ok(v) => last = format!("not ready yet ({v})"),
                Err(e) => last = e.to_string(),
            }
            sleep(Duration::from_millis(200));
        }
        let text = self
            .wd()
            .execute(crate::js::VISIBLE_TEXT, &[])
            .map(|v| v.as_str().unwrap_or_default().to_owned())
            .unwrap_or_default();
        Err(format!(
            "the window did not render <main> or role=alert within {READY_TIMEOUT:?}: {last}\npage text: {text}"
        ))
    }

    /// Ends the session and stops tauri-driver (which closes the app).
    fn close(&mut self) {
        if let Some(wd) = self.wd.take() {
            if let Err(e) = wd.delete_session() {
                eprintln!("ending the WebDriver session: {e}");
            }
        }
        if let Some(mut driver) = self.driver.take() {
            driver.stop();
        }
    }

    /// Closes the app and starts it again on the same database.
    pub fn restart(&mut self) {
        self.close();
        self.open();
    }

    /// When the current WebDriver session was asked for: the wall-clock moment
    /// just before `POST /session`, which makes WebKitWebDriver start the app.
    pub fn session_requested_at(&self) -> Option<SystemTime> {
        self.session_requested
    }

    /// The WebDriver session.
    pub fn wd(&self) -> &WebDriver {
        self.wd.as_ref().expect("the app has a WebDriver session")
    }

    /// The process id of tauri-driver, which started WebKitWebDriver and the app.
    pub fn driver_pid(&self) -> Option<u32> {
        self.driver.as_ref().and_then(TauriDriver::pid)
    }

    /// The database file the app uses.
    pub fn db_path(&self) -> &Path {
        &self.db
    }

    /// The log that tauri-driver, WebKitWebDriver and the app write their output to.
    pub fn driver_log_path(&self) -> &Path {
        &self.log
    }

    /// This test's temporary directory.
    pub fn temp_dir(&self) -> &Path {
        self.dir.path()
    }

    /// Runs the CLI (the same binary the window was started from) against this app's database.
    pub fn cli(&self, args: &[&str]) -> CliOutput {
        run_cli_binary(&self.binary, &self.db, args)
    }

    /// The document title.
    pub fn title(&self) -> String {
        self.wd().title().unwrap_or_else(|e| panic!("reading the title: {e}"))
    }

    /// Saves a PNG screenshot of the window to `path` (folders are created).
    pub fn screenshot(&self, path: &Path) {
        self.try_screenshot(path).unwrap_or_else(|e| panic!("screenshot to {}: {e}", path.display()));
    }

    fn try_screenshot(&self, path: &Path) -> Result<(), String> {
        let png = self.wd().screenshot_png().map_err(|e| e.to_string())?;
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        std::fs::write(path, png).map_err(|e| e.to_string())
    }

    /// Runs a script (with the helper prelude) and returns its result.
    pub fn js(&self, body: &str, args: &[Value]) -> Result<Value, WdError> {
        let script = format!("{}{}", crate::js::PRELUDE, body);
        self.wd().execute(&script, args)
    }

    fn save_artifacts(&self) {
        let dir = paths::artifacts_dir();
        if let Err(e) = std::fs::create_dir_all(&dir) {
            eprintln!("creating {}: {e}", dir.display());
            return;
        }
        let png = dir.join(format!("{}.png", self.name));
        let txt = dir.join(format!("{}.txt", self.name));
        let log = dir.join(format!("{}.driver.log", self.name));
        if self.wd.is_some() {
            match self.try_screenshot(&png) {
                Ok(()) => eprintln!("screenshot of the failure: {}", png.display()),
                Err(e) => eprintln!("could not take a screenshot: {e}"),
            }
            let text = self.js(crate::js::VISIBLE_TEXT, &[]);
            match text {
                Ok(v) => {
                    let _ = std::fs::write(&txt, v.as_str().unwrap_or_default());
                    eprintln!("page text at the failure: {}", txt.display());
                }
                Err(e) => eprintln!("could not read the page text: {e}"),
            }
        }
        if std::fs::copy(&self.log, &log).is_ok() {
            eprintln!("tauri-driver log: {}", log.display());
        }
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.save_artifacts();
        }
        self.close();
    }
}
