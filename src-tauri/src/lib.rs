//! The window of Bot Credentials: the Tauri builder, its state and its
//! commands, each a thin adapter over `bot-credentials-core`.

pub mod app;
