//! End-to-end tests of Bot Credentials: the real window, driven like a person
//! would, through `tauri-driver` and WebKitWebDriver.
//!
//! # Running
//!
//! ```text
//! cargo build --workspace
//! xvfb-run -a cargo test --workspace -p bot-credentials-e2e -- --test-threads=2
//! ```
//!
//! (With `--workspace`, cargo runs every member's tests, these included; keep
//! `--workspace` so features unify and tauri is not rebuilt. To run only some
//! of these, name them: `xvfb-run -a cargo test --workspace --test seed_flow`.
//! Two test threads at most: each test runs its own window.)
//!
//! Needs `tauri-driver` (on `PATH` or in `~/.cargo/bin`, or `$TAURI_DRIVER`),
//! `WebKitWebDriver` (Debian: `webkit2gtk-driver`), an X display (hence
//! `xvfb-run -a`) and, for the native file dialogs, `xdotool`. The app
//! binary is `<target>/debug/bot-credentials` (`$CARGO_TARGET_DIR`
//! respected). Each test gets its own temporary directory and database
//! (`BOT_CREDENTIALS_DB`); the window and the CLI on a database get the
//! config folder beside it (`XDG_CONFIG_HOME=<db folder>/config`) and no
//! system keyring (`BOT_CREDENTIALS_KEYRING=off`), so the key file of the
//! sealed secrets never lands in the real home. A failing test leaves a
//! window screenshot, the page text and the tauri-driver log in
//! `tests/artifacts/<test name>.*`. `E2E_WAIT_SECS` sets how long helpers wait
//! for something to appear (default 5).
//!
//! # Writing tests
//!
//! ```no_run
//! use bot_credentials_e2e::App;
//! let app = App::launch();
//! app.click_button("Add Organization");
//! app.fill("Name", "Acme Bots");
//! app.press_enter();
//! ```
//!
//! Helpers look things up by visible text and `<label>` inside the top-most
//! open `<dialog>` (else the document) and wait, bounded, for them: fields
//! ([`App::fill`], [`App::choose_file`], [`App::set_checked`]), buttons and
//! menus ([`App::click_button`], [`App::use_menu`]), the list
//! ([`App::row_names`], [`App::result_count`]) and notices
//! ([`App::expect_notice`]). Sealed secrets (issue #8): [`App::open_security`],
//! [`App::set_master_passphrase`], [`App::expect_unlock_screen`],
//! [`App::unlock_dialog_with`]. The native save and open dialogs (Export,
//! Import) are answered with the keyboard through `xdotool`
//! ([`App::open_file_dialog`]); the Import preview is read with
//! [`App::expect_import_preview`]. What was stored is read back through the CLI
//! ([`App::listed_credentials`], [`App::exported_credential`]).
//! [`App::seed_credential`] stores a credential through the backend command,
//! for preparing a test only (what a test checks goes through the window).
//!
//! Authorize (issue #10): [`App::launch_with_env`] gives the app more
//! environment (the test provider's scripted browser as
//! `BOT_CREDENTIALS_OPENER`, [`authorize::test_opener`]);
//! [`App::set_redirect_port`], [`App::fill_oauth_credential`] and
//! [`App::expect_row_says`] drive and read it; [`App::process_output`] is what
//! the app printed.
//!
//! Accessibility (issue #12): [`App::assert_accessible`] runs the vendored
//! axe-core on the window and fails on serious or critical violations;
//! [`App::choose_theme`] switches the Theme (System, Light, Dark);
//! [`App::press_tab`] and [`App::focused`] walk and read the keyboard focus.
//!
//! [`App::launch_binary`] starts another build (e.g. the release binary) on a
//! given database; the benchmark's window half, `src/bin/window_bench/`
//! (run by `scripts/bench.sh`), drives it that way.

pub mod app;
pub mod authorize;
pub mod axe;
pub mod driver;
pub mod flows;
pub mod js;
pub mod keyboard;
pub mod list;
pub mod native;
pub mod paths;
pub mod security;
pub mod seed;
pub mod transfer;
pub mod ui;
pub mod webdriver;

pub use app::{run_cli, run_cli_binary, App, CliOutput, Ready};
pub use flows::ORDERS_URL;
pub use native::FileDialog;
pub use transfer::{ImportError, ImportPreview, PreviewRow};
pub use webdriver::{keys, Element, WdError, WebDriver};
