//! The loopback redirect listener (RFC 8252 §7.3): waits on 127.0.0.1 for the
//! browser's `GET /callback?…`, answering everything else with 404.
//!
//! Connections are polled without blocking, so a browser that opens a
//! connection and says nothing (a speculative pre-connect) neither holds up
//! the real redirect nor the Cancel button.

use std::io::{ErrorKind, Read, Write};
use std::net::{Ipv4Addr, Shutdown, TcpListener, TcpStream};
use std::time::{Duration, Instant};

use crate::cancel::Cancel;
use crate::error::{seconds, NetError};

/// How often the flag, the clock and the sockets are looked at.
const POLL: Duration = Duration::from_millis(25);
/// A connection that has not sent its request head by then is dropped.
const REQUEST_WITHIN: Duration = Duration::from_secs(10);
/// A request head larger than this is not a redirect from a provider.
const MAX_HEAD: usize = 16 * 1024;
/// Connections read at once; more are closed as they come.
const MAX_PENDING: usize = 16;

pub(crate) struct Listener {
    socket: TcpListener,
    port: u16,
}

/// Binds `127.0.0.1:port` (0: any free port).
pub(crate) fn bind(port: u16) -> Result<Listener, NetError> {
    let socket = TcpListener::bind((Ipv4Addr::LOCALHOST, port)).map_err(|e| match e.kind() {
        ErrorKind::AddrInUse => {
            NetError::Listener(format!("port {port} on 127.0.0.1 is in use by another program; choose another redirect port (Security page, Sign-in redirect; or --port)"))
        }
        ErrorKind::PermissionDenied => NetError::Listener(format!(
            "port {port} on 127.0.0.1 may not be used by this program; choose another redirect port (Security page, Sign-in redirect; or --port)"
        )),
        _ => NetError::Listener(format!("cannot listen on port {port} of 127.0.0.1: {e}")),
    })?;
    let setup = |e: std::io::Error| NetError::Listener(format!("cannot listen on port {port} of 127.0.0.1: {e}"));
    socket.set_nonblocking(true).map_err(setup)?;
    let port = socket.local_addr().map_err(setup)?.port();
    Ok(Listener { socket, port })
}

impl Listener {
    pub fn port(&self) -> u16 {
        self.port
    }
}

/// The browser's redirect, its connection still open for the answer.
pub(crate) struct Callback {
    stream: TcpStream,
    query: Vec<(String, String)>,
}

impl Callback {
    /// A query parameter given exactly once; a repeated one counts as missing.
    pub fn param(&self, name: &str) -> Option<&str> {
        let mut values = self.query.iter().filter(|(k, _)| k == name);
        match (values.next(), values.next()) {
            (Some((_, v)), None) => Some(v.as_str()),
            _ => None,
        }
    }

    /// Shows the browser "Authorized…" or "Authorization failed: <problem>…", then closes.
    pub fn answer(self, outcome: Result<(), String>) {
        let (status, text) = match outcome {
            Ok(()) => (200, "Authorized. You can close this tab.".to_string()),
            Err(problem) => (400, format!("Authorization failed: {}. You can close this tab.", escape(&problem))),
        };
        respond(self.stream, status, &page(&text));
    }
}

/// Waits until the redirect arrives, `wait` runs out or `cancel` is set.
pub(crate) fn wait(listener: &Listener, wait: Duration, cancel: &Cancel) -> Result<Callback, NetError> {
    let deadline = Instant::now() + wait;
    let mut pending: Vec<Pending> = Vec::new();
    loop {
        if cancel.is_cancelled() {
            return Err(NetError::Cancelled);
        }
        let mut busy = accept(listener, &mut pending)?;
        let mut i = 0;
        while i < pending.len() {
            match pending[i].poll() {
                Poll::Waiting => i += 1,
                Poll::Gone => {
                    pending.swap_remove(i);
                    busy = true;
                }
                Poll::Head => {
                    busy = true;
                    let conn = pending.swap_remove(i);
                    if let Some(callback) = conn.into_callback() {
                        return Ok(callback);
                    }
                }
            }
        }
        if Instant::now() >= deadline {
            return Err(NetError::Timeout(format!(
                "the browser did not come back to {} within {}",
                crate::redirect_uri(listener.port),
                seconds(wait)
            )));
        }
        if !busy {
            std::thread::sleep(POLL);
        }
    }
}

/// Takes every waiting connection; true when there was one.
fn accept(listener: &Listener, pending: &mut Vec<Pending>) -> Result<bool, NetError> {
    let mut any = false;
    loop {
        match listener.socket.accept() {
            Ok((stream, _)) => {
                any = true;
                if pending.len() < MAX_PENDING && stream.set_nonblocking(true).is_ok() {
                    pending.push(Pending { stream, head: Vec::new(), since: Instant::now() });
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => return Ok(any),
            Err(e) if matches!(e.kind(), ErrorKind::Interrupted | ErrorKind::ConnectionAborted) => {}
            Err(e) => {
                return Err(NetError::Listener(format!(
                    "the listener on port {} of 127.0.0.1 failed: {e}",
                    listener.port
                )))
            }
        }
    }
}

/// A connection whose request head is being read.
struct Pending {
    stream: TcpStream,
    head: Vec<u8>,
    since: Instant,
}

enum Poll {
    Waiting,
    Head,
    Gone,
}

impl Pending {
    fn poll(&mut self) -> Poll {
        let mut chunk = [0u8; 2048];
        loop {
            match self.stream.read(&mut chunk) {
                Ok(0) => return Poll::Gone,
                Ok(n) => {
                    self.head.extend_from_slice(&chunk[..n]);
                    if self.head.windows(4).any(|w| w == b"\r\n\r\n") {
                        return Poll::Head;
                    }
                    if self.head.len() > MAX_HEAD {
                        return Poll::Gone;
                    }
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    return if self.since.elapsed() > REQUEST_WITHIN { Poll::Gone } else { Poll::Waiting };
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return Poll::Gone,
            }
        }
    }

    /// The redirect, or `None` after answering anything else (404, 405, 400).
    fn into_callback(self) -> Option<Callback> {
        let head = String::from_utf8_lossy(&self.head);
        let line = head.lines().next().unwrap_or("");
        let mut parts = line.split(' ');
        let (method, target) = match (parts.next(), parts.next(), parts.next()) {
            (Some(method), Some(target), Some(version)) if version.starts_with("HTTP/") => (method, target),
            _ => {
                respond(self.stream, 400, &page("Bad request."));
                return None;
            }
        };
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        if path != "/callback" {
            respond(self.stream, 404, &page("Not found."));
            return None;
        }
        if method != "GET" {
            respond(self.stream, 405, &page("Method not allowed."));
            return None;
        }
        let query = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        Some(Callback { stream: self.stream, query })
    }
}

fn page(text: &str) -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Bot Credentials</title></head>\n\
         <body><p>{text}</p></body></html>\n"
    )
}

/// Writes a whole answer and closes; a browser that went away is no error.
fn respond(mut stream: TcpStream, status: u16, html: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        _ => "Method Not Allowed",
    };
    let head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nX-Content-Type-Options: nosniff\r\n\
         Connection: close\r\n\r\n",
        html.len()
    );
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_write_timeout(Some(Duration::from_secs(2)));
    let _ = stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(html.as_bytes()));
    let _ = stream.flush();
    let _ = stream.shutdown(Shutdown::Write);
}

/// HTML text: `&`, `<`, `>`, `"` and `'` escaped.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(escape("<b>\"a\" & 'b'</b>"), "&lt;b&gt;&quot;a&quot; &amp; &#39;b&#39;&lt;/b&gt;");
    }

    #[test]
    fn repeated_params_count_as_missing() {
        let socket = TcpListener::bind("127.0.0.1:0").expect("bind");
        let stream = TcpStream::connect(socket.local_addr().expect("addr")).expect("connect");
        let query = vec![("state".into(), "a".into()), ("state".into(), "b".into()), ("code".into(), "c".into())];
        let callback = Callback { stream, query };
        assert_eq!(callback.param("state"), None);
        assert_eq!(callback.param("code"), Some("c"));
        assert_eq!(callback.param("error"), None);
    }
}
