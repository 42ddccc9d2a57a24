//! The window's size, position and maximized state, remembered across
//! restarts (issue #12) by tauri's window-state plugin, from Rust only (the
//! page gets none of its permissions). The plugin writes its file
//! (`.window-state.json` in the app's config folder) when the app exits
//! normally; a window that is killed (a crash, a log-out, the tests' driver)
//! would forget its last move, so it is also written half a second after the
//! window stops moving or resizing.

use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::time::Duration;
use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

/// How long the window stays still before its state is written.
const QUIET: Duration = Duration::from_millis(500);

/// What is remembered: not whether the window was visible or decorated.
pub fn remembered() -> StateFlags {
    StateFlags::SIZE | StateFlags::POSITION | StateFlags::MAXIMIZED
}

/// The plugin: restores the main window's state when it opens.
pub fn plugin<R: Runtime>() -> tauri::plugin::TauriPlugin<R> {
    tauri_plugin_window_state::Builder::new().with_state_flags(remembered()).build()
}

/// Tells the writer that the window moved or was resized.
struct Writer(Mutex<Sender<()>>);

/// The builder's window event handler: a move or a resize schedules a write.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if !matches!(event, WindowEvent::Moved(_) | WindowEvent::Resized(_)) {
        return;
    }
    let app = window.app_handle();
    if app.try_state::<Writer>().is_none() {
        app.manage(Writer(Mutex::new(writer(app.clone()))));
    }
    if let Some(writer) = app.try_state::<Writer>() {
        let _ = writer.0.lock().unwrap_or_else(|p| p.into_inner()).send(());
    }
}

/// A thread that waits for the window to be still, then writes its state on
/// the main thread (where the plugin reads the window and keeps its cache).
fn writer<R: Runtime>(app: AppHandle<R>) -> Sender<()> {
    let (tx, rx) = mpsc::channel::<()>();
    let spawned = std::thread::Builder::new().name("window-state".into()).spawn(move || {
        while rx.recv().is_ok() {
            loop {
                match rx.recv_timeout(QUIET) {
                    Ok(()) => continue,
                    Err(RecvTimeoutError::Timeout) => break,
                    Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            let handle = app.clone();
            let _ = app.run_on_main_thread(move || {
                if let Err(e) = handle.save_window_state(remembered()) {
                    tracing::warn!(op = "window_state", "the window's size and position were not saved: {e}");
                }
            });
        }
    });
    if let Err(e) = spawned {
        tracing::warn!(op = "window_state", "the window's size and position are saved at exit only: {e}");
    }
    tx
}
