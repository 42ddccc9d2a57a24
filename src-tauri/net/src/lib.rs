//! The network side of Bot Credentials (issue #10, contract "Authorize").
//!
//! - OAuth 2.0 token requests: [`client_credentials`], [`refresh`], and the
//!   authorization code grant with PKCE through a loopback redirect listener
//!   ([`CodeFlow`], RFC 8252). Requests are RFC 6749 form POSTs with HTTP Basic
//!   client authentication, never follow redirects, and have timeouts.
//! - [`open_url`]: the system browser, or the program named by
//!   `BOT_CREDENTIALS_OPENER` (tests put a scripted browser there).
//! - [`check_link`]: what a Consumer Authentication link answers.
//! - [`bridge`]: the core's stored types to and from these (no database access).
//!
//! Nothing here touches the database: callers store what it returns. No error
//! and no `Debug` output carries a secret: every value we sent that is secret
//! (client secret, code, verifier, refresh token) is replaced by `[redacted]`
//! in whatever the provider answers before it is shown.

pub mod bridge;
mod cancel;
mod code_flow;
mod error;
mod http;
mod link;
mod listener;
mod model;
mod opener;
mod redact;
mod token;

pub use cancel::Cancel;
pub use code_flow::CodeFlow;
pub use error::NetError;
pub use link::{check_link, LinkReport, TlsState};
pub use model::{OAuthClient, Tokens};
pub use opener::{open_url, opener_override, spawn_opener, OPENER_ENV};
pub use token::{client_credentials, refresh};

/// The loopback port the redirect listener uses unless the user chose another:
/// the default of the database's setting (`DEFAULT_OAUTH_PORT` in the core),
/// so the two never differ.
///
/// 53682 lies in IANA's dynamic range (49152–65535), which IANA never assigns
/// to a service, and needs no privileges. It must be registered at the
/// provider as part of the redirect URI, so it is a stable setting, not a
/// random port. Two things to know: rclone's OAuth helper listens on the same
/// port while it authorizes, and Linux may hand it out as the local port of an
/// outgoing connection (its ephemeral range is 32768–60999). Either shows as
/// [`NetError::Listener`] ("port 53682 on 127.0.0.1 is in use by another
/// program; choose another redirect port ...").
pub const DEFAULT_PORT: u16 = bot_credentials_core::store::DEFAULT_OAUTH_PORT;

/// The redirect URI this app listens on: `http://127.0.0.1:{port}/callback`.
pub use bot_credentials_core::store::redirect_uri;

#[cfg(test)]
mod tests {
    #[test]
    fn the_redirect_uri_is_the_cores() {
        assert_eq!(super::DEFAULT_PORT, 53682);
        assert_eq!(super::redirect_uri(8765), "http://127.0.0.1:8765/callback");
        assert_eq!(super::redirect_uri(8765), bot_credentials_core::store::redirect_uri(8765));
    }
}
