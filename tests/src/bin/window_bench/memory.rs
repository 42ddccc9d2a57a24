//! The memory figure: the resident set of the app and every process it
//! started (WebKit's web and network processes), read from /proc.

use bot_credentials_e2e::App;
use serde_json::{json, Value};

struct Proc {
    pid: u32,
    ppid: u32,
    comm: String,
}

fn processes() -> Vec<Proc> {
    let mut out = vec![];
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // pid (comm) state ppid ...: comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let comm = stat[open + 1..close].to_owned();
        let Some(ppid) = stat[close + 1..].split_whitespace().nth(1).and_then(|s| s.parse().ok()) else { continue };
        out.push(Proc { pid, ppid, comm });
    }
    out
}

fn descendants(root: u32, procs: &[Proc]) -> Vec<u32> {
    let mut found = vec![];
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        for c in procs.iter().filter(|c| c.ppid == p) {
            found.push(c.pid);
            todo.push(c.pid);
        }
    }
    found
}

fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn exe_name(pid: u32) -> String {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// VmRSS of the app (the process tauri-driver's WebKitWebDriver started,
/// now `bot-credentials-window`) and of its WebKit processes.
pub fn measure_memory(app: &App) -> Value {
    let driver = app.driver_pid().expect("tauri-driver runs");
    let procs = processes();
    let under_driver = descendants(driver, &procs);
    let app_pid = under_driver
        .iter()
        .copied()
        .find(|p| matches!(exe_name(*p).as_str(), "bot-credentials-window" | "bot-credentials"))
        .unwrap_or_else(|| panic!("no bot-credentials process under tauri-driver (pid {driver})"));
    let mut members = vec![app_pid];
    members.extend(
        descendants(app_pid, &procs)
            .into_iter()
            .filter(|p| procs.iter().any(|x| x.pid == *p && x.comm.starts_with("WebKit"))),
    );
    let mut total = 0;
    let mut parts = vec![];
    for pid in members {
        let rss = rss_kib(pid).unwrap_or(0);
        total += rss;
        let comm = procs.iter().find(|x| x.pid == pid).map_or("", |x| x.comm.as_str());
        parts.push(json!({ "pid": pid, "comm": comm, "rss_kib": rss }));
    }
    let others: Vec<Value> = descendants(app_pid, &procs)
        .into_iter()
        .filter_map(|p| procs.iter().find(|x| x.pid == p))
        .filter(|x| !x.comm.starts_with("WebKit"))
        .map(|x| json!({ "pid": x.pid, "comm": x.comm, "rss_kib": rss_kib(x.pid) }))
        .collect();
    json!({ "kib": total, "processes": parts, "not_counted": others })
}
