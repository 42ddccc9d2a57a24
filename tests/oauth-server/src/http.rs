//! Just enough HTTP/1.1 for a test server: one request per connection,
//! `Content-Length` bodies only, and every answer ends with `Connection: close`.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;

const MAX_LINE: usize = 8 * 1024;
const MAX_HEADERS: usize = 100;
const MAX_BODY: usize = 1024 * 1024;

/// One parsed request.
#[derive(Debug)]
pub(crate) struct Request {
    pub method: String,
    pub path: String,
    /// Everything after `?` in the request target, still encoded; empty when there is none.
    pub query: String,
    /// Header names are lower-cased; values are trimmed.
    headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The first value of a header (name matched case-insensitively).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// How many times a header was sent.
    pub fn header_count(&self, name: &str) -> usize {
        self.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).count()
    }

    /// Whether the body is declared as `application/x-www-form-urlencoded` (parameters such as charset allowed).
    pub fn is_form(&self) -> bool {
        self.header("content-type")
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded"))
    }
}

/// Why a request could not be read: either answer with a status, or just hang up.
#[derive(Debug)]
pub(crate) enum ReadError {
    Respond(u16, &'static str),
    /// The connection failed or was closed before a whole request arrived.
    Closed,
}

impl From<io::Error> for ReadError {
    fn from(_: io::Error) -> Self {
        ReadError::Closed
    }
}

fn read_line(reader: &mut impl BufRead) -> Result<String, ReadError> {
    let mut buf = Vec::new();
    let n = reader.by_ref().take(MAX_LINE as u64 + 1).read_until(b'\n', &mut buf)?;
    if n == 0 {
        return Err(ReadError::Closed);
    }
    if !buf.ends_with(b"\n") {
        return Err(ReadError::Respond(431, "Header line too long"));
    }
    buf.pop();
    if buf.ends_with(b"\r") {
        buf.pop();
    }
    String::from_utf8(buf).map_err(|_| ReadError::Respond(400, "Header is not UTF-8"))
}

/// Reads one request from the stream. Answers `100 Continue` itself when asked to.
pub(crate) fn read_request(stream: &mut TcpStream) -> Result<Request, ReadError> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let request_line = read_line(&mut reader)?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(ReadError::Respond(400, "Malformed request line"));
    };
    if version != "HTTP/1.1" && version != "HTTP/1.0" {
        return Err(ReadError::Respond(505, "Only HTTP/1.0 and HTTP/1.1 are spoken here"));
    }
    if !target.starts_with('/') {
        return Err(ReadError::Respond(400, "Request target must be a path"));
    }
    let (path, query) = target.split_once('?').unwrap_or((target, ""));

    let mut headers = Vec::new();
    loop {
        let line = read_line(&mut reader)?;
        if line.is_empty() {
            break;
        }
        if headers.len() == MAX_HEADERS {
            return Err(ReadError::Respond(431, "Too many headers"));
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(ReadError::Respond(400, "Malformed header"));
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(ReadError::Respond(400, "Malformed header name"));
        }
        headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
    }
    let mut request = Request {
        method: method.to_string(),
        path: path.to_string(),
        query: query.to_string(),
        headers,
        body: Vec::new(),
    };

    if request.header("transfer-encoding").is_some() {
        return Err(ReadError::Respond(501, "Transfer-Encoding is not supported; send Content-Length"));
    }
    if request.header_count("content-length") > 1 {
        return Err(ReadError::Respond(400, "More than one Content-Length"));
    }
    let length = match request.header("content-length") {
        None => 0,
        Some(v) => v.parse::<usize>().map_err(|_| ReadError::Respond(400, "Bad Content-Length"))?,
    };
    if length > MAX_BODY {
        return Err(ReadError::Respond(413, "Body too large"));
    }
    if length > 0 && request.header("expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue")) {
        stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    request.body = body;
    Ok(request)
}

/// An answer, written with `Content-Length` and `Connection: close`.
#[derive(Debug)]
pub(crate) struct Response {
    pub status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Response { status, headers: vec![("Content-Type".into(), content_type.into())], body: body.into() }
    }

    pub fn html(status: u16, body: String) -> Self {
        Response::new(status, "text/html; charset=utf-8", body)
    }

    pub fn text(status: u16, body: &str) -> Self {
        Response::new(status, "text/plain; charset=utf-8", body)
    }

    pub fn json(status: u16, value: &serde_json::Value) -> Self {
        Response::new(status, "application/json", value.to_string()).header("Cache-Control", "no-store")
    }

    /// A `302 Found` to `location`.
    pub fn redirect(location: &str) -> Self {
        Response::text(302, &format!("Redirecting to {location}\n")).header("Location", location)
    }

    /// An empty answer (no body, no `Content-Type`), as 204 and 304 require.
    pub fn empty(status: u16) -> Self {
        Response { status, headers: Vec::new(), body: Vec::new() }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn write_to(&self, w: &mut impl Write) -> io::Result<()> {
        let mut head = format!("HTTP/1.1 {} {}\r\n", self.status, reason(self.status));
        for (name, value) in &self.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if !matches!(self.status, 204 | 304) {
            head.push_str(&format!("Content-Length: {}\r\n", self.body.len()));
        }
        head.push_str("Connection: close\r\n\r\n");
        w.write_all(head.as_bytes())?;
        w.write_all(&self.body)?;
        w.flush()
    }
}

/// The reason phrase for a status code (HTTP/1.1 clients ignore it, but humans read logs).
pub(crate) fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

/// Decoded `application/x-www-form-urlencoded` parameters (a query string or a form body), in order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Params(pub Vec<(String, String)>);

impl Params {
    pub fn parse(input: &[u8]) -> Params {
        Params(url::form_urlencoded::parse(input).into_owned().collect())
    }

    /// The value of a parameter; an empty value counts as absent (RFC 6749 §3.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(n, v)| n == name && !v.is_empty()).map(|(_, v)| v.as_str())
    }

    /// The first parameter sent more than once, if any (RFC 6749 §3.1 forbids repeats).
    pub fn repeated(&self) -> Option<&str> {
        self.0
            .iter()
            .enumerate()
            .find(|(i, (n, _))| self.0[..*i].iter().any(|(m, _)| m == n))
            .map(|(_, (n, _))| n.as_str())
    }

    /// A copy without the named parameters.
    pub fn without(&self, names: &[&str]) -> Params {
        Params(self.0.iter().filter(|(n, _)| !names.contains(&n.as_str())).cloned().collect())
    }
}

/// Undoes `application/x-www-form-urlencoded` encoding of one component (`+` is a space).
/// `None` for a broken `%` escape or bytes that are not UTF-8.
pub(crate) fn form_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit))?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

/// Escapes text for HTML element content and double-quoted attribute values.
pub(crate) fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
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
