//! OAuth 2.0 tokens: sealed at rest, their state, and when they are dropped.

use super::*;
use crate::store::OnConflict;
use serde_json::{json, Value};
use zeroize::Zeroizing;

fn oauth(name: &str) -> Value {
    json!({"name": name, "type": "oauth2", "grant_type": "client_credentials", "client_id": "cid",
           "client_secret": "client-secret-1", "scope": "read", "token_url": "https://auth.example.com/token"})
}

fn tokens(access: &str, expires_in: Option<u64>, refresh: bool) -> TokenSet {
    TokenSet {
        access_token: Zeroizing::new(access.into()),
        token_type: "Bearer".into(),
        refresh_token: refresh.then(|| Zeroizing::new(format!("refresh-of-{access}"))),
        scope: Some("read".into()),
        expires_at: TokenSet::expiry_after(expires_in),
    }
}

fn store_with(names: &[&str]) -> (Store, i64, Vec<i64>) {
    let mut s = Store::open_in_memory().expect("store");
    let org = s.create_org("Acme").expect("org").id;
    let ids = names.iter().map(|n| s.create_credential(org, &oauth(n)).expect("create").id).collect();
    (s, org, ids)
}

#[test]
fn a_new_oauth_credential_is_not_authorized_and_other_types_have_no_state() {
    let (mut s, org, ids) = store_with(&["A"]);
    let auth = s.authorization(ids[0]).expect("state").expect("oauth2 has one");
    assert_eq!(auth.state, AuthState::NotAuthorized);
    let basic = s
        .create_credential(org, &json!({"name": "B", "type": "basic_authentication", "username": "u", "password": "p"}))
        .expect("basic");
    assert_eq!(s.authorization(basic.id).expect("state"), None);
    let settings = s.oauth_settings(ids[0]).expect("settings");
    assert_eq!((settings.client_id.as_str(), settings.client_secret.as_str()), ("cid", "client-secret-1"));
    assert_eq!(settings.scope.as_deref(), Some("read"));
    assert!(!format!("{settings:?}").contains("client-secret-1"));
    assert!(s.oauth_settings(basic.id).is_err(), "only OAuth 2.0 credentials are authorized");
}

#[test]
fn saved_tokens_are_sealed_read_back_and_shown_in_the_list() {
    let (mut s, org, ids) = store_with(&["A"]);
    let auth = s.save_tokens(ids[0], &tokens("AT-PLANTED-1", Some(3600), true)).expect("save");
    assert_eq!(auth.state, AuthState::Authorized);
    assert!(auth.refreshable && auth.expires_at.is_some());
    let back = s.tokens(ids[0]).expect("open").expect("stored");
    assert_eq!(back.access_token.as_str(), "AT-PLANTED-1");
    assert_eq!(back.refresh_token.as_deref().map(String::as_str), Some("refresh-of-AT-PLANTED-1"));
    assert!(!format!("{back:?}").contains("AT-PLANTED"), "Debug shows no token");
    let raw: Vec<u8> = s.conn.query_row("SELECT sealed FROM credential_tokens", [], |r| r.get(0)).expect("row");
    assert!(!String::from_utf8_lossy(&raw).contains("AT-PLANTED"), "sealed on disk");

    let window = s.list_window(org, &ListQuery::default()).expect("window");
    assert_eq!(window.rows[0].authorization.as_ref().map(|a| a.state), Some(AuthState::Authorized));
    assert_eq!(s.authorizations_in(org).expect("all")[&ids[0]].state, AuthState::Authorized);
    assert_eq!(s.verify_secrets().expect("verify").problems.len(), 0);
}

#[test]
fn an_expired_token_and_a_failure_are_told_apart() {
    let (mut s, _, ids) = store_with(&["A", "B"]);
    assert_eq!(s.save_tokens(ids[0], &tokens("x", Some(0), false)).expect("save").state, AuthState::Expired);
    let failed = s.record_authorization_failure(ids[1], "access_denied: The user denied access").expect("fail");
    assert_eq!(failed.state, AuthState::Failed);
    assert_eq!(failed.error.as_deref(), Some("access_denied: The user denied access"));
    assert!(s.tokens(ids[1]).expect("read").is_none());
    // A later success clears the failure.
    assert_eq!(s.save_tokens(ids[1], &tokens("y", None, false)).expect("save").state, AuthState::Authorized);
    assert_eq!(s.authorization(ids[1]).expect("state").expect("oauth").error, None);
}

#[test]
fn tokens_moved_to_another_credential_do_not_open() {
    let (mut s, _, ids) = store_with(&["A", "B"]);
    s.save_tokens(ids[0], &tokens("AT-A", None, false)).expect("save");
    s.conn
        .execute(
            "INSERT INTO credential_tokens (credential_id, sealed, refreshable, updated_at)
             SELECT ?1, sealed, 0, updated_at FROM credential_tokens WHERE credential_id = ?2",
            [ids[1], ids[0]],
        )
        .expect("copy");
    assert_eq!(s.tokens(ids[1]).expect_err("moved").kind(), "tampered");
    let verified = s.verify_secrets().expect("verify");
    assert_eq!(verified.problems.len(), 1);
    assert_eq!((verified.problems[0].credential.as_str(), verified.problems[0].field.as_str()), ("B", "tokens"));
}

#[test]
fn tokens_are_dropped_when_the_client_changes_and_kept_when_only_the_name_does() {
    let (mut s, _, ids) = store_with(&["A"]);
    s.save_tokens(ids[0], &tokens("AT", None, false)).expect("save");
    let mut renamed = oauth("A renamed");
    renamed.as_object_mut().expect("object").remove("client_secret");
    s.update_credential(ids[0], &renamed, &[]).expect("rename");
    assert_eq!(s.authorization(ids[0]).expect("state").expect("oauth").state, AuthState::Authorized);
    let mut moved = renamed.clone();
    moved["token_url"] = json!("https://other.example.com/token");
    s.update_credential(ids[0], &moved, &[]).expect("re-point");
    assert_eq!(s.authorization(ids[0]).expect("state").expect("oauth").state, AuthState::NotAuthorized);
}

#[test]
fn exports_never_carry_tokens_and_an_imported_credential_starts_not_authorized() {
    let (mut s, org, ids) = store_with(&["A"]);
    s.save_tokens(ids[0], &tokens("AT-PLANTED-2", None, true)).expect("save");
    let text = crate::transfer::export_text(&s, &[], true).expect("export");
    assert!(!text.contains("AT-PLANTED-2") && !text.contains("refresh-of"), "{}", &*text);
    let file = crate::transfer::parse_bytes(text.as_bytes()).expect("parse");
    s.import(&file, OnConflict::Replace, false, &mut |_, _| {}).expect("replace");
    let id = s.list_credentials(org).expect("list")[0].id;
    assert_eq!(s.authorization(id).expect("state").expect("oauth").state, AuthState::NotAuthorized);
}

#[test]
fn the_redirect_port_is_a_setting_with_a_default() {
    let (mut s, _, _) = store_with(&[]);
    assert_eq!(s.oauth_port().expect("port"), DEFAULT_OAUTH_PORT);
    s.set_oauth_port(8765).expect("set");
    assert_eq!(s.oauth_port().expect("port"), 8765);
    assert_eq!(s.set_oauth_port(80).expect_err("privileged").kind(), "validation");
    assert_eq!(redirect_uri(8765), "http://127.0.0.1:8765/callback");
}
