//! Removing what we sent that is secret from whatever a server answers, before
//! it goes into an error a person (or a log) sees.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use url::form_urlencoded::byte_serialize;
use zeroize::Zeroizing;

/// What replaces a secret.
pub(crate) const REDACTED: &str = "[redacted]";

/// How much of a server's text is shown, in characters.
pub(crate) const MAX_SHOWN: usize = 300;

/// The secret values of one request, in every spelling a server could echo
/// them in: as sent, form-urlencoded (`+` or `%20` for spaces), JSON-escaped,
/// and the HTTP Basic credential.
#[derive(Default)]
pub(crate) struct Redactor {
    secrets: Vec<Zeroizing<String>>,
}

impl Redactor {
    /// The client secret, and the Basic credential made of it.
    pub fn for_client(client_id: &str, client_secret: &str) -> Redactor {
        let mut redactor = Redactor::default();
        if !client_secret.is_empty() {
            redactor = redactor.with(client_secret);
            let id: String = byte_serialize(client_id.as_bytes()).collect();
            let secret: Zeroizing<String> = Zeroizing::new(byte_serialize(client_secret.as_bytes()).collect());
            let pair = Zeroizing::new(format!("{id}:{}", secret.as_str()));
            redactor.push(STANDARD.encode(pair.as_bytes()));
        }
        redactor
    }

    /// Adds one secret value (an empty one is ignored).
    pub fn with(mut self, secret: &str) -> Redactor {
        if secret.is_empty() {
            return self;
        }
        self.push(secret.to_string());
        let form: String = byte_serialize(secret.as_bytes()).collect();
        self.push(form.replace('+', "%20"));
        self.push(form);
        if let Ok(json) = serde_json::to_string(secret) {
            self.push(json.trim_matches('"').to_string());
        }
        self
    }

    fn push(&mut self, value: String) {
        let value = Zeroizing::new(value);
        if !value.is_empty() && !self.secrets.contains(&value) {
            self.secrets.push(value);
        }
    }

    /// `text` with every secret replaced, on one line, at most [`MAX_SHOWN`] characters.
    pub fn clean(&self, text: &str) -> String {
        let mut secrets: Vec<&str> = self.secrets.iter().map(|s| s.as_str()).collect();
        // The longest first, so that a secret containing another is removed whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut out = one_line(text);
        for secret in secrets {
            if out.contains(secret) {
                out = out.replace(secret, REDACTED);
            }
        }
        // Cut only after redacting: a cut secret would no longer be found.
        cap(&out, MAX_SHOWN)
    }
}

/// Control characters and runs of white space become one space.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// At most `max` characters, with `…` when something was cut.
pub(crate) fn cap(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_every_spelling_of_a_secret() {
        let r = Redactor::for_client("bot client", "s3cret pass&word").with("code-123");
        let basic = STANDARD.encode("bot+client:s3cret+pass%26word");
        let text = format!(
            "bad secret s3cret pass&word / s3cret+pass%26word / s3cret%20pass%26word, Basic {basic}, code code-123"
        );
        let cleaned = r.clean(&text);
        assert_eq!(cleaned, "bad secret [redacted] / [redacted] / [redacted], Basic [redacted], code [redacted]",);
    }

    #[test]
    fn longest_secret_first() {
        let r = Redactor::default().with("abc").with("abcdef");
        assert_eq!(r.clean("x abcdef y abc"), "x [redacted] y [redacted]");
    }

    #[test]
    fn empty_secret_changes_nothing() {
        let r = Redactor::for_client("id", "").with("");
        assert_eq!(r.clean("plain text"), "plain text");
    }

    #[test]
    fn caps_after_redacting_on_one_line() {
        let secret = "x".repeat(10);
        let text = format!("{}{secret}\n\ttail", "a".repeat(295));
        let cleaned = Redactor::default().with(&secret).clean(&text);
        assert!(!cleaned.contains('x'), "{cleaned}");
        assert_eq!(cleaned.chars().count(), MAX_SHOWN + 1);
        assert!(cleaned.ends_with('…'));
        assert_eq!(cap("héllo", 2), "hé…");
        assert_eq!(cap("hé", 2), "hé");
    }
}
