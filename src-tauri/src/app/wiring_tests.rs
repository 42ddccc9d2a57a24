//! The window's commands are named in four places that must agree: the
//! permissions `build.rs` generates, the capability that grants them, the
//! handler `register` installs, and `ui/js/api.js`, the page's only caller.

use std::collections::BTreeSet;

fn quoted_after<'a>(text: &'a str, marker: &str) -> Vec<&'a str> {
    text.split(marker).skip(1).filter_map(|rest| rest.split(['"', '\'']).next()).collect()
}

fn build_rs() -> BTreeSet<String> {
    let text = include_str!("../../build.rs");
    let list = text.split("const COMMANDS").nth(1).and_then(|t| t.split("];").next()).expect("COMMANDS in build.rs");
    quoted_after(list, "\"").iter().step_by(2).map(|s| s.to_string()).collect()
}

fn capability() -> BTreeSet<String> {
    let cap: serde_json::Value =
        serde_json::from_str(include_str!("../../capabilities/main.json")).expect("capability JSON");
    cap["permissions"]
        .as_array()
        .expect("permissions")
        .iter()
        .map(|p| {
            let p = p.as_str().expect("a permission name");
            p.strip_prefix("allow-")
                .unwrap_or_else(|| panic!("{p}: the window gets only allow-<command>"))
                .replace('-', "_")
        })
        .collect()
}

/// The commands `register` installs (also the leak scan's list of what to drive).
pub(super) fn handler() -> BTreeSet<String> {
    let text = include_str!("mod.rs");
    let list = text.split("generate_handler![").nth(1).and_then(|t| t.split(']').next()).expect("generate_handler!");
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|path| path.rsplit("::").next().unwrap_or(path).to_string())
        .collect()
}

fn api_js() -> BTreeSet<String> {
    let text = include_str!("../../../ui/js/api.js");
    quoted_after(text, "call('").into_iter().map(str::to_string).collect()
}

#[test]
fn build_rs_the_capability_the_handler_and_api_js_name_the_same_commands() {
    let commands = build_rs();
    assert!(commands.len() > 20, "parsed {commands:?}");
    assert_eq!(capability(), commands, "capabilities/main.json vs build.rs");
    assert_eq!(handler(), commands, "generate_handler! in app/mod.rs vs build.rs");
    assert_eq!(api_js(), commands, "ui/js/api.js vs build.rs");
}
