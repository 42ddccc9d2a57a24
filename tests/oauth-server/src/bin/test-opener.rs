//! `test-opener <URL>`: stands in for the web browser in tests.
//!
//! Like a person it opens the sign-in page, fills in the form and presses a
//! button, then follows the one redirect to the app's loopback listener
//! (`http://127.0.0.1:…`) and prints what the app answered.
//!
//! Environment:
//! - `TEST_OPENER_USERNAME`, `TEST_OPENER_PASSWORD` (defaults `admin`, `correct horse`)
//! - `TEST_OPENER_DECISION`: `allow` (default) or `deny`
//! - `TEST_OPENER_STATE`: replaces `state` in the redirect before following it
//! - `TEST_OPENER_LOG`: a file to append the given URL to
//!
//! Exits 0 once the redirect was delivered and answered (whatever the status),
//! 1 with a message on stderr otherwise.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use url::Url;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(body) => {
            print!("{body}");
            let _ = std::io::stdout().flush();
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("test-opener: {message}");
            ExitCode::from(1)
        }
    }
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_string())
}

fn run(args: &[String]) -> Result<String, String> {
    let [url] = args else {
        return Err(format!("expected exactly one argument, the URL to open; got {}", args.len()));
    };
    if let Ok(log) = std::env::var("TEST_OPENER_LOG") {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|e| format!("cannot open TEST_OPENER_LOG {log}: {e}"))?;
        writeln!(file, "{url}").map_err(|e| format!("cannot write TEST_OPENER_LOG {log}: {e}"))?;
    }
    let page_url = Url::parse(url).map_err(|e| format!("not a URL: {url}: {e}"))?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into();

    // The sign-in page.
    let (status, html) = get(&agent, url)?;
    if status != 200 {
        return Err(format!("the sign-in page answered {status}: {}", alert(&html).unwrap_or(html)));
    }
    let action = form_action(&html).ok_or("no <form method=\"post\"> on the sign-in page")?;
    let action = page_url.join(&action).map_err(|e| format!("bad form action {action}: {e}"))?;
    let mut fields = hidden_inputs(&html);
    fields.push(("username".into(), env_or("TEST_OPENER_USERNAME", "admin")));
    fields.push(("password".into(), env_or("TEST_OPENER_PASSWORD", "correct horse")));
    fields.push(("decision".into(), env_or("TEST_OPENER_DECISION", "allow")));

    // Press the button.
    let mut response = agent
        .post(action.as_str())
        .send_form(fields.iter().map(|(k, v)| (k.as_str(), v.as_str())))
        .map_err(|e| format!("submitting the sign-in form to {action}: {e}"))?;
    let status = response.status().as_u16();
    let location = response.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body = response.body_mut().read_to_string().unwrap_or_default();
    let location = match (status, location) {
        (300..=399, Some(location)) => location,
        (200, _) => return Err(format!("sign-in refused: {}", alert(&body).unwrap_or(body))),
        _ => return Err(format!("the sign-in form answered {status} without a redirect: {body}")),
    };
    let mut target = action.join(&location).map_err(|e| format!("bad Location {location}: {e}"))?;
    if let Ok(state) = std::env::var("TEST_OPENER_STATE") {
        replace_state(&mut target, &state);
    }
    if !target.as_str().starts_with("http://127.0.0.1:") {
        return Err(format!("not following the redirect to {target}: it is not a loopback address"));
    }

    // Deliver the redirect to the app.
    let (status, body) = get_with_retry(&agent, target.as_str())?;
    if !(200..300).contains(&status) {
        eprintln!("test-opener: {target} answered {status}");
    }
    Ok(body)
}

fn get(agent: &ureq::Agent, url: &str) -> Result<(u16, String), String> {
    let mut response = agent.get(url).call().map_err(|e| format!("GET {url}: {e}"))?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().map_err(|e| format!("reading {url}: {e}"))?;
    Ok((status, body))
}

/// The app may still be getting its listener ready: retry a refused connection for a moment.
fn get_with_retry(agent: &ureq::Agent, url: &str) -> Result<(u16, String), String> {
    let mut attempts = 0;
    loop {
        match agent.get(url).call() {
            Ok(mut response) => {
                let status = response.status().as_u16();
                let body = response.body_mut().read_to_string().map_err(|e| format!("reading {url}: {e}"))?;
                return Ok((status, body));
            }
            Err(ureq::Error::Io(e)) if e.kind() == std::io::ErrorKind::ConnectionRefused && attempts < 20 => {
                attempts += 1;
                std::thread::sleep(Duration::from_millis(100));
            }
            Err(e) => return Err(format!("GET {url}: {e}")),
        }
    }
}

fn replace_state(url: &mut Url, state: &str) {
    let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().filter(|(k, _)| k != "state").collect();
    pairs.push(("state".into(), state.to_string()));
    url.query_pairs_mut().clear().extend_pairs(pairs);
}

/// The value of `name="…"` in one tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(unescape(&tag[start..end]))
}

fn form_action(html: &str) -> Option<String> {
    let start = html.find("<form ")?;
    let tag = &html[start..start + html[start..].find('>')?];
    if attribute(tag, "method")?.eq_ignore_ascii_case("post") {
        attribute(tag, "action")
    } else {
        None
    }
}

fn hidden_inputs(html: &str) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (start, _) in html.match_indices("<input ") {
        let Some(end) = html[start..].find('>') else { break };
        let tag = &html[start..start + end];
        if attribute(tag, "type").as_deref() != Some("hidden") {
            continue;
        }
        if let Some(name) = attribute(tag, "name") {
            fields.push((name, attribute(tag, "value").unwrap_or_default()));
        }
    }
    fields
}

/// The text of the page's `role="alert"` element, if it has one.
fn alert(html: &str) -> Option<String> {
    let start = html.find("role=\"alert\">")? + "role=\"alert\">".len();
    let end = html[start..].find("</p>")? + start;
    let text: String = html[start..end].replace("<code>", "").replace("</code>", "");
    Some(unescape(&text))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}
