//! Sealed secrets in the window (issue #8): the Security page, the unlock
//! screen, the "Unlock to continue" dialog and encrypted exports, as a
//! person uses them.

use std::path::Path;

use serde_json::{json, Value};

use crate::app::App;
use crate::native::FileDialog;

/// Titles the save dialog of an encrypted export may have (the first that shows is answered).
pub const ENCRYPTED_EXPORT_TITLES: &[&str] =
    &["Export credentials, encrypted", "Export encrypted credentials", "Export credentials (encrypted)"];

/// Whether the full-window unlock screen shows.
const ON_UNLOCK_SCREEN: &str = "const s = document.getElementById('unlock-screen'); return !!s && visible(s);";

/// The Security page's sentence on the protection in force, or null.
const PROTECTION_IN_FORCE: &str = r#"
const l = document.getElementById('security-level');
return l && visible(l) ? norm(l.innerText) : null;
"#;

impl App {
    /// `security_status` from the backend (for checks that the window does not show).
    pub fn security_status(&self) -> Value {
        self.invoke("security_status", json!({}))
    }

    /// Clicks Security in the left navigation and waits for the page.
    pub fn open_security(&self) {
        self.click_button("Security");
        self.button("Check sealed secrets");
    }

    /// The Security page's heading of the protection in force ("Protected by …", with its Locked/Unlocked badge).
    pub fn protection_in_force(&self) -> Option<String> {
        let v = self.js(PROTECTION_IN_FORCE, &[]).unwrap_or_else(|e| panic!("reading the protection: {e}"));
        v.as_str().map(str::to_owned)
    }

    /// Waits until the Security page says the protection in force starts with `text`.
    pub fn expect_protection(&self, text: &str) {
        self.retry(&format!("the Security page to say {text:?}"), |app| match app.protection_in_force() {
            Some(now) if now.starts_with(text) => Ok(()),
            other => Err(format!("it says {other:?}")),
        });
    }

    /// Whether the unlock screen ("Bot Credentials is locked") fills the window.
    pub fn on_unlock_screen(&self) -> bool {
        self.js(ON_UNLOCK_SCREEN, &[]).unwrap_or_else(|e| panic!("looking for the unlock screen: {e}"))
            == Value::Bool(true)
    }

    /// Waits for the unlock screen.
    pub fn expect_unlock_screen(&self) {
        self.wait_until("the unlock screen", || self.on_unlock_screen());
    }

    /// On the unlock screen: types `passphrase` and clicks Unlock (the result is for the caller to check).
    pub fn unlock_screen_with(&self, passphrase: &str) {
        self.fill("Passphrase", passphrase);
        self.click_button("Unlock");
    }

    /// On the Security page: picks Master passphrase, Set master passphrase…, types
    /// `passphrase` twice and confirms; waits until the page says it is in force.
    pub fn set_master_passphrase(&self, passphrase: &str) {
        self.choose_radio("Master passphrase");
        self.click_button("Set master passphrase…");
        self.wait_until("the Set master passphrase dialog", || self.dialog_text().contains("Set master passphrase"));
        self.fill("New passphrase", passphrase);
        self.fill("Confirm passphrase", passphrase);
        self.click_button("Set passphrase");
        self.expect_no_dialog();
        self.expect_protection("Protected by your master passphrase");
    }

    /// Waits for the "Unlock to continue" dialog, types `passphrase` and clicks Unlock.
    pub fn unlock_dialog_with(&self, passphrase: &str) {
        self.wait_until("the Unlock to continue dialog", || self.dialog_text().contains("Unlock to continue"));
        self.fill("Passphrase", passphrase);
        self.click_button("Unlock");
    }

    /// In the open Export credentials dialog, with "Encrypted, with secrets"
    /// and its fields filled in: clicks Export…, answers the save dialog with
    /// `file` and waits for the dialog to close.
    pub fn confirm_encrypted_export(&self, file: &Path) {
        self.open_file_dialog_titled(ENCRYPTED_EXPORT_TITLES, file, FileDialog::Save, |app| {
            app.click_button("Export…")
        });
        self.expect_no_dialog();
    }
}
