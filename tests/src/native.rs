//! The system's own file dialogs: the GTK save and open dialogs Rust opens for
//! Export and Import. The page never sees them, so WebDriver cannot either;
//! they are answered as a person would, with the keyboard, through `xdotool`
//! on the same X display (`DISPLAY`, set by `xvfb-run`).

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::app::App;

/// Which native file dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileDialog {
    /// A save dialog: the file name field has the focus (Ctrl+A, then the path).
    Save,
    /// An open dialog: Ctrl+L opens the location field for the path.
    Open,
}

impl fmt::Display for FileDialog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FileDialog::Save => "save",
            FileDialog::Open => "open",
        })
    }
}

/// How long a native dialog may take to appear, and to go after it is answered.
pub const DIALOG_WAIT: Duration = Duration::from_secs(10);
/// How long one `xdotool` run may take.
const XDOTOOL_LIMIT: Duration = Duration::from_secs(10);
const POLL: Duration = Duration::from_millis(100);
/// How long to let a file dialog take in the typed path before pressing Return.
const SETTLE: Duration = Duration::from_millis(400);
/// How many times the path is typed while the dialog stays open.
const ATTEMPTS: u32 = 3;

/// Keys go to whichever window has the X focus, and the tests of one run share
/// one display: one test at a time opens a native dialog and types into it.
static KEYBOARD: Mutex<()> = Mutex::new(());

/// Runs `xdotool args` (bounded); its standard output, or why it failed.
/// `Ok(None)` when it exited 1 with nothing on either output (a search that found nothing).
fn xdotool(args: &[&str]) -> Result<Option<String>, String> {
    let what = format!("xdotool {}", args.join(" "));
    let mut child = Command::new("xdotool")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("running {what}: {e} (is xdotool installed? scripts/setup.sh installs it)"))?;
    let deadline = Instant::now() + XDOTOOL_LIMIT;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("{what} did not finish within {XDOTOOL_LIMIT:?}"));
            }
            Ok(None) => sleep(Duration::from_millis(20)),
            Err(e) => return Err(format!("waiting for {what}: {e}")),
        }
    };
    let mut out = String::new();
    let mut err = String::new();
    if let Some(mut s) = child.stdout.take() {
        let _ = s.read_to_string(&mut out);
    }
    if let Some(mut s) = child.stderr.take() {
        let _ = s.read_to_string(&mut err);
    }
    if status.success() {
        Ok(Some(out))
    } else if status.code() == Some(1) && out.trim().is_empty() && err.trim().is_empty() {
        Ok(None)
    } else {
        Err(format!("{what} failed ({status}): {}{}", out.trim(), err.trim()))
    }
}

/// `text` as an anchored, literal POSIX extended regex (xdotool's `--name`
/// matches a regex, case-insensitively; anchoring keeps "Export credentials"
/// from matching "Export credentials WITH SECRETS").
fn exact_title(text: &str) -> String {
    let mut re = String::from("^");
    for c in text.chars() {
        if "\\^$.|?*+()[]{}".contains(c) {
            re.push('\\');
        }
        re.push(c);
    }
    re.push('$');
    re
}

/// `root` and every process started under it (from `/proc`).
fn process_tree(root: u32) -> HashSet<u32> {
    let mut children: HashMap<u32, Vec<u32>> = HashMap::new();
    if let Ok(entries) = std::fs::read_dir("/proc") {
        for entry in entries.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            let ppid = stat
                .rfind(')')
                .and_then(|i| stat[i + 1..].split_whitespace().nth(1))
                .and_then(|s| s.parse::<u32>().ok());
            if let Some(ppid) = ppid {
                children.entry(ppid).or_default().push(pid);
            }
        }
    }
    let mut tree = HashSet::from([root]);
    let mut todo = vec![root];
    while let Some(p) = todo.pop() {
        for &c in children.get(&p).map(Vec::as_slice).unwrap_or_default() {
            if tree.insert(c) {
                todo.push(c);
            }
        }
    }
    tree
}

/// Visible windows titled exactly `title`, with the process each belongs to (`_NET_WM_PID`).
/// Errs when xdotool does (a window going away during the search makes it fail now and then).
fn windows_titled(title: &str) -> Result<Vec<(String, Option<u32>)>, String> {
    let found = xdotool(&["search", "--onlyvisible", "--name", &exact_title(title)])?.unwrap_or_default();
    Ok(found
        .split_whitespace()
        .map(|id| {
            let pid = xdotool(&["getwindowpid", id]).ok().flatten().and_then(|s| s.trim().parse().ok());
            (id.to_owned(), pid)
        })
        .collect())
}

/// The window that has the keyboard focus: "id (name, pid)".
fn focused_window() -> String {
    let id = match xdotool(&["getwindowfocus"]) {
        Ok(Some(id)) => id.trim().to_owned(),
        other => return format!("unknown ({other:?})"),
    };
    let name = xdotool(&["getwindowname", &id]).ok().flatten().unwrap_or_default();
    let pid = xdotool(&["getwindowpid", &id]).ok().flatten().unwrap_or_default();
    format!("{id} ({:?}, pid {})", name.trim(), pid.trim())
}

fn has_focus(id: &str) -> bool {
    matches!(xdotool(&["getwindowfocus"]), Ok(Some(f)) if f.trim() == id)
}

impl App {
    /// This app's visible top-level window titled exactly `title` (a native
    /// dialog): its X window id, if there is one. Windows of other tests' apps
    /// on the same display are not considered.
    pub fn find_native_window(&self, title: &str) -> Result<Option<String>, String> {
        let Some(driver) = self.driver_pid() else { return Ok(None) };
        let mine = process_tree(driver);
        Ok(windows_titled(title)?.into_iter().find(|(_, pid)| pid.is_some_and(|p| mine.contains(&p))).map(|(id, _)| id))
    }

    /// [`App::find_native_window`], an xdotool failure read as "not there".
    pub fn native_window(&self, title: &str) -> Option<String> {
        self.find_native_window(title).ok().flatten()
    }

    /// Answers the native file dialog titled `title`, already opened (or about
    /// to open), with the absolute `path`: see [`App::open_file_dialog`].
    pub fn answer_file_dialog(&self, title: &str, path: &Path, kind: FileDialog) {
        self.open_file_dialog(title, path, kind, |_| {});
    }

    /// Runs `open` (the click that makes the app open its native file dialog),
    /// waits up to [`DIALOG_WAIT`] for the dialog titled `title` and answers it
    /// with the absolute `path` as a person would with the keyboard: a save
    /// dialog gets Ctrl+A, the path and Return; an open dialog Ctrl+L, the
    /// path and Return. Then waits for the dialog to go.
    ///
    /// Keys go to whichever window has the X focus and the tests of one run
    /// share the display, so one test at a time does this, from the click
    /// until its dialog is gone; should the focus still move away (another
    /// test's window opening), the path is typed again.
    pub fn open_file_dialog(&self, title: &str, path: &Path, kind: FileDialog, open: impl FnOnce(&App)) {
        self.open_file_dialog_titled(&[title], path, kind, open);
    }

    /// [`App::open_file_dialog`] for a dialog whose title may be any of `titles`
    /// (the first that shows is answered).
    pub fn open_file_dialog_titled(&self, titles: &[&str], path: &Path, kind: FileDialog, open: impl FnOnce(&App)) {
        assert!(path.is_absolute(), "a file dialog needs an absolute path, not {}", path.display());
        let text = path.to_str().unwrap_or_else(|| panic!("{} is not UTF-8", path.display()));
        let _turn = KEYBOARD.lock().unwrap_or_else(PoisonError::into_inner);
        open(self);
        let deadline = Instant::now() + DIALOG_WAIT;
        let (title, id) = loop {
            let found: Vec<_> = titles.iter().map(|t| (*t, self.find_native_window(t))).collect();
            if let Some((t, Ok(Some(id)))) = found.iter().find(|(_, f)| matches!(f, Ok(Some(_)))) {
                break (*t, id.clone());
            }
            if Instant::now() >= deadline {
                let on_display: Vec<_> = titles.iter().map(|t| (*t, windows_titled(t))).collect();
                panic!(
                    "no native {kind} dialog titled one of {titles:?} appeared within {DIALOG_WAIT:?} \
                     (last search: {found:?}; windows with those titles on the display, with their process: {on_display:?}).\n\
                     The window shows:\n{}",
                    self.visible_text()
                );
            }
            sleep(POLL);
        };
        let closed = || matches!(self.find_native_window(title), Ok(found) if found.as_deref() != Some(id.as_str()));
        let mut tries = Vec::new();
        for attempt in 1..=ATTEMPTS {
            match self.type_into_dialog(&id, kind, text, &closed) {
                Ok(()) => {
                    // Let the focus settle back on the app before another test types.
                    sleep(SETTLE);
                    return;
                }
                Err(e) => {
                    eprintln!("answering the {kind} dialog {title:?}, attempt {attempt}: {e}");
                    tries.push(format!("attempt {attempt}: {e}"));
                }
            }
            if closed() {
                return;
            }
        }
        panic!("could not answer the native {kind} dialog {title:?} with {text}:\n{}", tries.join("\n"));
    }

    /// One go at typing `text` into the dialog `id` and pressing Return.
    fn type_into_dialog(
        &self,
        id: &str,
        kind: FileDialog,
        text: &str,
        closed: &dyn Fn() -> bool,
    ) -> Result<(), String> {
        xdotool(&["windowfocus", "--sync", id])?;
        match kind {
            FileDialog::Save => xdotool(&["key", "--clearmodifiers", "ctrl+a"])?,
            // Ctrl+A too: on a second go the location field holds the first go's text.
            FileDialog::Open => xdotool(&["key", "--clearmodifiers", "ctrl+l", "ctrl+a"])?,
        };
        xdotool(&["type", "--delay", "5", text])?;
        // GTK takes in a typed path in the background; a Return that comes
        // before it has caught up is dropped (seen with the open dialog).
        sleep(SETTLE);
        if !has_focus(id) {
            return Err(format!("the focus moved to {} while the path was typed", focused_window()));
        }
        xdotool(&["key", "Return"])?;
        if self.becomes(DIALOG_WAIT / ATTEMPTS, closed) {
            Ok(())
        } else {
            Err(format!(
                "still open {:?} after Return (focus on {}; did GTK refuse the path or ask something?)",
                DIALOG_WAIT / ATTEMPTS,
                focused_window()
            ))
        }
    }
}
