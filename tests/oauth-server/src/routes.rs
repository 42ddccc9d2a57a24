//! Which handler answers which request, and the small helper endpoints.

use std::net::TcpStream;
use std::time::Duration;

use crate::http::{self, ReadError, Request, Response};
use crate::{authorize, pages, token, Shared};

/// Serves one connection: read a request, answer, close.
pub(crate) fn serve(mut stream: TcpStream, shared: &Shared) {
    // A client that connects and says nothing must not keep a thread forever.
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let response = match http::read_request(&mut stream) {
        Ok(request) => route(shared, &request),
        Err(ReadError::Respond(status, message)) => Response::text(status, message),
        Err(ReadError::Closed) => return,
    };
    let _ = response.write_to(&mut stream);
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

fn route(shared: &Shared, req: &Request) -> Response {
    let method = req.method.as_str();
    match req.path.as_str() {
        "/authorize" => match method {
            "GET" => authorize::show(shared, req),
            "POST" => authorize::decide(shared, req),
            _ => not_allowed("GET, POST"),
        },
        "/token" => match method {
            "POST" => token::exchange(shared, req),
            _ => not_allowed("POST"),
        },
        "/consumer" => match method {
            "GET" => Response::html(200, pages::consumer()),
            _ => not_allowed("GET"),
        },
        path => {
            if let Some(hops) = path.strip_prefix("/redirect/").and_then(number::<u32>) {
                match method {
                    "GET" => redirect_hop(shared, hops),
                    _ => not_allowed("GET"),
                }
            } else if let Some(code) = path.strip_prefix("/status/").and_then(number::<u16>) {
                status(code)
            } else {
                Response::text(404, "Not found\n")
            }
        }
    }
}

/// Plain decimal digits only (no sign, no spaces).
fn number<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn not_allowed(allow: &str) -> Response {
    Response::text(405, "Method not allowed\n").header("Allow", allow)
}

/// `/redirect/N` → `/redirect/N-1` → … → `/redirect/0` → `/consumer`.
fn redirect_hop(shared: &Shared, hops: u32) -> Response {
    let next = match hops {
        0 => "/consumer".to_string(),
        n => format!("/redirect/{}", n - 1),
    };
    Response::redirect(&format!("{}{next}", shared.base_url))
}

/// `/status/CODE` answers with that status (200–599).
fn status(code: u16) -> Response {
    match code {
        204 | 304 => Response::empty(code),
        200..=599 => Response::text(code, &format!("{code} {}\n", http::reason(code))),
        _ => Response::text(400, "Status must be between 200 and 599\n"),
    }
}
