//! Setting up and reading back data without the window: seeding credentials
//! through the app's own backend command (only to prepare a test, never for what
//! it checks), and reading what was stored through the CLI.

use serde_json::{json, Value};

use crate::app::App;
use crate::js;

impl App {
    /// Calls one of the window's backend commands (docs/commands.md) from the page
    /// and returns its result; panics with the error payload when it fails.
    /// For preparing a test only: what a test checks goes through the window.
    pub fn invoke(&self, command: &str, args: Value) -> Value {
        let out = self
            .wd()
            .execute_async(js::INVOKE, &[json!(command), args.clone()])
            .unwrap_or_else(|e| panic!("invoking {command} {args}: {e}"));
        match out.get("ok") {
            Some(v) => v.clone(),
            None => panic!("{command} {args} failed: {}", out.get("err").unwrap_or(&out)),
        }
    }

    /// The id of the organization named `name` (from the backend).
    pub fn org_id(&self, name: &str) -> i64 {
        let orgs = self.invoke("list_organizations", json!({}));
        orgs.as_array()
            .and_then(|a| a.iter().find(|o| o["name"] == name))
            .and_then(|o| o["id"].as_i64())
            .unwrap_or_else(|| panic!("no organization named {name:?} among {orgs}"))
    }

    /// Stores the credential `draft` (`{name, type, ...fields}`, as in docs/commands.md)
    /// in the organization `org`, without the window; returns its summary. The list
    /// shows it once it reloads (open the organization, or click Credentials).
    pub fn seed_credential(&self, org: &str, draft: Value) -> Value {
        let org_id = self.org_id(org);
        self.invoke("create_credential", json!({ "orgId": org_id, "draft": draft }))
    }

    /// Runs the CLI and parses its standard output as JSON; panics unless it exits 0.
    pub fn cli_json(&self, args: &[&str]) -> Value {
        let out = self.cli(args);
        assert_eq!(out.code, 0, "bot-credentials {} failed: {}", args.join(" "), out.stderr);
        out.json()
    }

    /// `list --org org --json`: the stored credentials of `org`, secrets redacted.
    pub fn listed_credentials(&self, org: &str) -> Vec<Value> {
        let v = self.cli_json(&["list", "--org", org, "--json"]);
        v.as_array().cloned().unwrap_or_else(|| panic!("list --json printed no array: {v}"))
    }

    /// The credential `name` of `org` as `export --include-secrets` writes it (secrets included).
    pub fn exported_credential(&self, org: &str, name: &str) -> Value {
        let export = self.cli_json(&["export", "--org", org, "--include-secrets"]);
        assert_eq!(export["secrets"], "included", "export --include-secrets says the secrets are included");
        export["organizations"]
            .as_array()
            .and_then(|orgs| orgs.iter().find(|o| o["name"] == org))
            .and_then(|o| o["credentials"].as_array())
            .and_then(|creds| creds.iter().find(|c| c["name"] == name))
            .cloned()
            .unwrap_or_else(|| panic!("the export has no credential {name:?} in {org:?}:\n{export:#}"))
    }
}
