//! The HTML the server shows. `test-opener` parses the sign-in form, so its
//! shape (one `<input type="hidden" name=".." value="..">` per line) is fixed.

use crate::http::{html_escape, Params};

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body>\n{}</body>\n</html>\n",
        html_escape(title),
        body
    )
}

/// The sign-in and consent form. `params` are the authorize request's parameters,
/// carried through as hidden fields.
pub(crate) fn sign_in(params: &Params, client_id: &str, scope: Option<&str>, error: Option<&str>) -> String {
    let mut body = String::from("<h1>Sign in to Test OAuth Server</h1>\n");
    if let Some(error) = error {
        body.push_str(&format!("<p class=\"error\" role=\"alert\">{}</p>\n", html_escape(error)));
    }
    body.push_str(&format!(
        "<p>The application <strong>{}</strong> asks for access{}.</p>\n",
        html_escape(client_id),
        scope.map(|s| format!(" to <code>{}</code>", html_escape(s))).unwrap_or_default()
    ));
    body.push_str("<form method=\"post\" action=\"/authorize\">\n");
    for (name, value) in &params.0 {
        body.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            html_escape(name),
            html_escape(value)
        ));
    }
    body.push_str(concat!(
        "<label>Username <input type=\"text\" name=\"username\" autocomplete=\"username\"></label>\n",
        "<label>Password <input type=\"password\" name=\"password\" autocomplete=\"current-password\"></label>\n",
        "<button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button>\n",
        "<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button>\n",
        "</form>\n"
    ));
    page("Sign in", &body)
}

/// An error shown to the user instead of redirecting (the redirect target is not trusted).
pub(crate) fn error(error: &str, description: &str) -> String {
    let body = format!(
        "<h1>Authorization failed</h1>\n<p class=\"error\" role=\"alert\"><code>{}</code>: {}</p>\n",
        html_escape(error),
        html_escape(description)
    );
    page("Authorization failed", &body)
}

/// The page a redirect chain ends on.
pub(crate) fn consumer() -> String {
    page("Consumer", "<h1>Consumer</h1>\n<p>You have arrived.</p>\n")
}
