//! `authorize`, `token` and `check`: OAuth 2.0 tokens and Consumer
//! Authentication links from the terminal (see the contract, "Authorize").

use crate::commands::{output, print_json};
use crate::table::{inert, quoted};
use bot_credentials_core::error::{Error, Result};
use bot_credentials_core::store::{redirect_uri, AuthState, Store};
use bot_credentials_net::{self as net, bridge, Cancel, CodeFlow};
use serde_json::{json, Value};
use std::io::Write;
use std::time::Duration;

/// How long one token request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15);
/// The link check's budget (contract: 10 s).
const CHECK_TIMEOUT: Duration = Duration::from_secs(10);
/// Overrides the port of the redirect URI (below `--port`).
pub const PORT_ENV: &str = "BOT_CREDENTIALS_OAUTH_PORT";

/// `--port`, else `$BOT_CREDENTIALS_OAUTH_PORT`, else the database's setting.
fn port(store: &Store, flag: Option<u16>) -> Result<u16> {
    if let Some(p) = flag {
        return Ok(p);
    }
    match std::env::var(PORT_ENV) {
        Ok(v) => v
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|p| *p > 0)
            .ok_or_else(|| Error::invalid(PORT_ENV, format!("must be a port number (1 to 65535), not {v:?}"))),
        Err(_) => store.oauth_port(),
    }
}

pub struct AuthorizeArgs<'a> {
    pub org: &'a str,
    pub name: &'a str,
    pub no_browser: bool,
    pub port: Option<u16>,
    pub timeout: u64,
}

pub fn authorize(store: &mut Store, args: AuthorizeArgs<'_>, out: &mut dyn Write) -> Result<()> {
    let org = store.org_by_name(args.org)?;
    let cred = store.credential_named(org.id, args.name)?;
    crate::prompt::unlock(store)?;
    let settings = store.oauth_settings(cred.id)?;
    let client = bridge::client(&settings);
    let result = if settings.grant_type == "authorization_code" {
        let port = port(store, args.port)?;
        let flow = CodeFlow::begin(&client, port).map_err(Error::from)?;
        // The URL alone on the first line, so scripts can take it.
        writeln!(out, "{}", flow.url()).map_err(output)?;
        out.flush().map_err(output)?;
        if !args.no_browser {
            if let Err(why) = net::open_url(flow.url()) {
                eprintln!("bot-credentials: {why}; open the URL above in a browser");
            }
        }
        eprintln!(
            "bot-credentials: waiting for the provider's redirect to {} (at most {} s)…",
            redirect_uri(port),
            args.timeout
        );
        flow.finish(&client, Duration::from_secs(args.timeout), REQUEST_TIMEOUT, &Cancel::default())
    } else {
        net::client_credentials(&client, REQUEST_TIMEOUT)
    };
    let tokens = match result {
        Ok(t) => bridge::token_set(t),
        Err(e) => return Err(failed(store, cred.id, e)),
    };
    let auth = store.save_tokens(cred.id, &tokens)?;
    let until = auth.expires_at.map(|at| format!("; the access token expires at {at}")).unwrap_or_default();
    writeln!(out, "Authorized {} in {}{until}", quoted(&cred.name), quoted(&org.name)).map_err(output)
}

/// Records what the provider refused (so the list says Authorization
/// failed); a machine that is offline or a wait that ran out records nothing.
fn failed(store: &mut Store, id: i64, e: net::NetError) -> Error {
    if bridge::is_about_the_credential(&e) {
        if let Err(also) = store.record_authorization_failure(id, &e.to_string()) {
            eprintln!("bot-credentials: could not record the failure: {}", inert(&also.to_string()));
        }
    }
    Error::from(e)
}

pub fn token(store: &mut Store, org: &str, name: &str, as_json: bool, out: &mut dyn Write) -> Result<()> {
    let org = store.org_by_name(org)?;
    let cred = store.credential_named(org.id, name)?;
    let not_authorized =
        || Error::NotFound(format!("\"{}\" is not authorized: run bot-credentials authorize first", cred.name));
    let auth = store.authorization(cred.id)?.ok_or_else(|| {
        Error::invalid("type", format!("\"{}\" is a {} credential, not OAuth 2.0", cred.name, cred.kind.label))
    })?;
    if auth.state == AuthState::NotAuthorized {
        return Err(not_authorized());
    }
    crate::prompt::unlock(store)?;
    let mut tokens = store.tokens(cred.id)?.ok_or_else(not_authorized)?;
    if tokens.is_expired() {
        let Some(refresh) = tokens.refresh_token.clone() else {
            return Err(Error::Unavailable(format!(
                "the access token of \"{}\" has expired and there is no refresh token: run bot-credentials authorize again",
                cred.name
            )));
        };
        let client = bridge::client(&store.oauth_settings(cred.id)?);
        let fresh = match net::refresh(&client, &refresh, REQUEST_TIMEOUT) {
            Ok(t) => t,
            Err(e) => {
                let e = failed(store, cred.id, e);
                return Err(Error::Unavailable(format!(
                    "the access token of \"{}\" has expired and the refresh was refused ({e}): run bot-credentials authorize again",
                    cred.name
                )));
            }
        };
        // (refresh keeps the old refresh token when the provider sends no new one)
        let fresh = bridge::token_set(fresh);
        store.save_tokens(cred.id, &fresh)?;
        tokens = fresh;
    }
    if as_json {
        print_json(
            out,
            &json!({"access_token": tokens.access_token.as_str(), "token_type": tokens.token_type, "expires_at": tokens.expires_at}),
        )
    } else {
        writeln!(out, "{}", tokens.access_token.as_str()).map_err(output)
    }
}

pub fn check(store: &Store, org: &str, name: &str, out: &mut dyn Write) -> Result<()> {
    let org = store.org_by_name(org)?;
    let cred = store.credential_named(org.id, name)?;
    let url = match (cred.kind.id, cred.fields.get("authentication_url")) {
        ("consumer_authentication", Some(Value::String(u))) => u.clone(),
        _ => {
            return Err(Error::invalid(
                "type",
                format!(
                    "\"{}\" is a {} credential; check works on Consumer Authentication links",
                    cred.name, cred.kind.label
                ),
            ))
        }
    };
    let report = net::check_link(&url, CHECK_TIMEOUT);
    writeln!(out, "{}", bridge::describe_link(&report)).map_err(output)?;
    if report.reachable {
        Ok(())
    } else {
        Err(Error::Network {
            kind: "unreachable",
            message: format!("the link of \"{}\" did not answer with 2xx or 3xx", cred.name),
        })
    }
}
