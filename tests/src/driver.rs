//! The `tauri-driver` process: start it on free ports, wait for it, stop it gently.

use std::ffi::OsString;
use std::fs::OpenOptions;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// A running `tauri-driver` (which runs `WebKitWebDriver`, which runs the app).
pub struct TauriDriver {
    child: Option<Child>,
    /// The WebDriver port tests talk to.
    pub port: u16,
}

/// Asks the system for a free local TCP port.
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binding 127.0.0.1:0 to find a free port");
    listener.local_addr().expect("reading the address of a bound listener").port()
}

/// Where `tauri-driver` is: `$TAURI_DRIVER`, else on `PATH`, else `~/.cargo/bin`.
pub fn tauri_driver_path() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return PathBuf::from(p);
    }
    if let Some(path) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join("tauri-driver");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
    let candidate = home.join(".cargo/bin/tauri-driver");
    assert!(
        candidate.is_file(),
        "tauri-driver not found on PATH nor in ~/.cargo/bin: install it with `cargo install tauri-driver --locked` or set TAURI_DRIVER"
    );
    candidate
}

impl TauriDriver {
    /// Starts `tauri-driver` with `BOT_CREDENTIALS_DB=db` and the test's own
    /// config folder without a keyring ([`crate::paths::app_env`]), its output
    /// appended to `log`.
    pub fn spawn(db: &Path, log: &Path) -> Result<TauriDriver, String> {
        Self::spawn_with_env(db, log, &[])
    }

    /// [`TauriDriver::spawn`] with more environment variables, which the app
    /// inherits (through WebKitWebDriver), e.g. `BOT_CREDENTIALS_OPENER`.
    pub fn spawn_with_env(db: &Path, log: &Path, env: &[(OsString, OsString)]) -> Result<TauriDriver, String> {
        let port = free_port();
        let mut native_port = free_port();
        while native_port == port {
            native_port = free_port();
        }
        let open_log = || {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(log)
                .map_err(|e| format!("opening {}: {e}", log.display()))
        };
        let exe = tauri_driver_path();
        let child = Command::new(&exe)
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            .env("BOT_CREDENTIALS_DB", db)
            .envs(crate::paths::app_env(db))
            .envs(env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(open_log()?)
            .stderr(open_log()?)
            .spawn()
            .map_err(|e| format!("starting {}: {e}", exe.display()))?;
        Ok(TauriDriver { child: Some(child), port })
    }

    /// Its process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(Child::id)
    }

    /// The base URL of its WebDriver endpoint.
    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Waits until the WebDriver port accepts connections.
    pub fn wait_for_port(&mut self, timeout: Duration) -> Result<(), String> {
        let addr = SocketAddr::from(([127, 0, 0, 1], self.port));
        let deadline = Instant::now() + timeout;
        loop {
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if let Some(child) = self.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    return Err(format!("tauri-driver exited early with {status}"));
                }
            }
            if Instant::now() >= deadline {
                return Err(format!("tauri-driver did not listen on port {} within {timeout:?}", self.port));
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// Stops it with SIGTERM (SIGKILL would leak WebKitWebDriver) and waits, bounded.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        let pid = child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).stdout(Stdio::null()).stderr(Stdio::null()).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = child.try_wait() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        eprintln!("tauri-driver (pid {pid}) ignored SIGTERM for 10 s; killing it");
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for TauriDriver {
    fn drop(&mut self) {
        self.stop();
    }
}
