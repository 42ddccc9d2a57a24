//! Authorize (issue #10) as a person does it: the redirect port on the
//! Security page, an OAuth 2.0 credential's Authorize in the dialog and the
//! row menu, and what the row says. The system browser is replaced by the
//! test provider's `test-opener` (`BOT_CREDENTIALS_OPENER`).

use std::path::PathBuf;

use crate::app::App;
use crate::paths;

/// The test provider's scripted browser, built beside the app:
/// `<target>/debug/test-opener`. Panics with what to do when it is missing.
pub fn test_opener() -> PathBuf {
    let bin = paths::target_dir().join("debug").join("test-opener");
    assert!(
        bin.is_file(),
        "{} is missing: build it with `cargo build --workspace` (or `cargo build -p test-oauth-server --bin test-opener`)",
        bin.display()
    );
    bin
}

/// What an OAuth 2.0 credential's dialog asks, as typed.
#[derive(Debug, Clone)]
pub struct OAuthForm<'a> {
    pub name: &'a str,
    /// "Authorization Code" or "Client Credentials".
    pub grant: &'a str,
    pub client_id: &'a str,
    pub client_secret: &'a str,
    pub scope: &'a str,
    /// Authorization Code only.
    pub auth_url: &'a str,
    pub token_url: &'a str,
    /// Authorization Code only.
    pub pkce: bool,
}

impl App {
    /// On the Security page: types `port` as the Redirect port, saves it and
    /// waits until the redirect URI shown there uses it.
    pub fn set_redirect_port(&self, port: u16) {
        self.fill("Redirect port", &port.to_string());
        self.click_button("Save port");
        let want = format!("http://127.0.0.1:{port}/callback");
        self.retry(&format!("the redirect URI to become {want}"), |app| {
            let now = app.field_value("Redirect URI");
            if now == want {
                Ok(())
            } else {
                Err(format!("it is {now:?}"))
            }
        });
    }

    /// Opens Add Credentials and fills in both steps of `form`; the dialog
    /// stays on step 2 with Save and Authorize.
    pub fn fill_oauth_credential(&self, form: &OAuthForm<'_>) {
        self.start_credential(form.name, "OAuth 2.0");
        self.select_option("Grant Type", form.grant);
        self.click_button("Next");
        self.fill("Client ID", form.client_id);
        self.fill("Client Secret", form.client_secret);
        self.fill("Scope", form.scope);
        if form.grant == "Authorization Code" {
            self.fill("Auth URL", form.auth_url);
            self.set_checked("PKCE", form.pkce);
        }
        self.fill("Token URL", form.token_url);
    }

    /// What the row of `name` says about its authorization (its Details
    /// cell: the summary, then the state, e.g. "Authorized · expires in 59 min").
    pub fn row_details(&self, name: &str) -> String {
        self.expect_row(name).get(2).cloned().unwrap_or_default()
    }

    /// Waits until the row of `name` says `text` (in its Details cell).
    pub fn expect_row_says(&self, name: &str, text: &str) {
        self.retry_for(self.timeout() * 2, &format!("the row {name:?} to say {text:?}"), |app| {
            let now = app.row_details(name);
            if now.contains(text) {
                Ok(())
            } else {
                Err(format!("it says {now:?}"))
            }
        });
    }

    /// Everything tauri-driver, WebKitWebDriver and the app wrote to their
    /// standard output and error so far.
    pub fn process_output(&self) -> String {
        std::fs::read_to_string(self.driver_log_path()).unwrap_or_default()
    }
}
