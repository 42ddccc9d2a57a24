//! Steps several tests share, written as a person does them in the window.

use crate::app::App;

/// The seed's Authentication URL (issue #3).
pub const ORDERS_URL: &str = "https://accounts.example.com/authorize?client_id=abc&response_type=code&redirect_uri=https%3A%2F%2Fva.idp.liveperson.net%2Fcallback%2F1%2FredirectedCode&scope=orders.read";

/// Labels the organization dialog may use for its name field.
pub const ORG_NAME_LABELS: &[&str] = &["Name", "Organization Name", "Organization"];
/// Texts the organization dialog's confirming button may have.
pub const ORG_SUBMIT_BUTTONS: &[&str] = &["Add", "Create", "Save", "Add Organization", "Create Organization"];

impl App {
    /// The first of `labels` that names a field (waiting, bounded).
    pub fn first_field_of(&self, labels: &[&str]) -> String {
        self.retry(&format!("finding a field labelled one of {labels:?}"), |app| {
            labels
                .iter()
                .find(|l| app.has_field(l))
                .map(|l| (*l).to_owned())
                .ok_or_else(|| format!("the window shows:\n{}", app.dialog_text()))
        })
    }

    /// Clicks the first of `names` that names a visible button (waiting, bounded).
    pub fn click_first_button(&self, names: &[&str]) {
        let name = self.retry(&format!("finding a button named one of {names:?}"), |app| {
            names
                .iter()
                .find(|n| app.has_button(n))
                .map(|n| (*n).to_owned())
                .ok_or_else(|| format!("the window shows:\n{}", app.dialog_text()))
        });
        self.click_button(&name);
    }

    /// Opens the Add Organization dialog, types `name` and confirms; does not wait for the result.
    pub fn submit_organization(&self, name: &str) {
        self.click_button("Add Organization");
        self.expect_dialog();
        let label = self.first_field_of(ORG_NAME_LABELS);
        self.fill(&label, name);
        self.click_first_button(ORG_SUBMIT_BUTTONS);
    }

    /// Adds an organization through the window and waits until it is listed.
    pub fn add_organization(&self, name: &str) {
        self.submit_organization(name);
        self.expect_no_dialog();
        self.expect_text(name.trim());
    }

    /// Starts the app on a fresh database, adds the organization `name`
    /// through the window and opens its Credentials page.
    pub fn launch_in_org(name: &str) -> App {
        let app = App::launch();
        app.add_organization(name);
        app.open_organization(name);
        app
    }

    /// Opens an organization from the picker and its Credentials page.
    pub fn open_organization(&self, name: &str) {
        self.click_button(name);
        self.click_button("Credentials");
        self.button("Add Credentials");
    }

    /// Step 1 of Add Credentials: opens the dialog, types the name, picks the type.
    pub fn start_credential(&self, name: &str, type_label: &str) {
        self.click_button("Add Credentials");
        self.expect_dialog();
        self.fill("Name", name);
        self.select_option("Authentication Type", type_label);
    }

    /// Adds a Consumer Authentication credential and waits for its row.
    pub fn add_consumer_credential(&self, name: &str, url: &str) {
        self.start_credential(name, "Consumer Authentication");
        self.click_button("Next");
        self.fill("Authentication URL", url);
        self.click_button("Save");
        self.expect_no_dialog();
        self.expect_row(name.trim());
    }
}
