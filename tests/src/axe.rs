//! Automated accessibility checks (issue #12) with axe-core, vendored in
//! `tests/vendor/axe-core` (never shipped in the app, never loaded from a
//! CDN): the test injects it into the window under test with WebDriver's
//! Execute Script and runs it on the whole page, dialogs included.
//!
//! [`App::assert_accessible`] fails on any violation of impact `serious` or
//! `critical` (color contrast among them) and prints every violation's id,
//! impact, help and the elements it is about. [`App::choose_theme`] switches
//! the window's theme through its Theme switch, so a check runs in both.

use std::fmt;
use std::time::Duration;

use serde_json::{json, Value};

use crate::app::App;
use crate::paths;

/// Where the vendored axe-core is.
pub fn axe_source_path() -> std::path::PathBuf {
    paths::workspace_root().join("tests").join("vendor").join("axe-core").join("axe.min.js")
}

/// One element a violation is about.
#[derive(Debug, Clone)]
pub struct ViolationNode {
    /// axe's CSS selector of the element (frames joined by " >>> ").
    pub target: String,
    /// The start of its markup.
    pub html: String,
    /// What axe says is wrong with it and how to fix it.
    pub summary: String,
}

/// One rule an element (or several) failed.
#[derive(Debug, Clone)]
pub struct Violation {
    /// The rule, e.g. `color-contrast`, `label`, `aria-required-children`.
    pub id: String,
    /// `minor`, `moderate`, `serious` or `critical`.
    pub impact: String,
    /// The rule's one-line help.
    pub help: String,
    /// Deque's page on it.
    pub help_url: String,
    pub nodes: Vec<ViolationNode>,
}

impl Violation {
    /// Serious or critical: what [`App::assert_accessible`] fails on.
    pub fn is_blocking(&self) -> bool {
        matches!(self.impact.as_str(), "serious" | "critical")
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "[{}] {}: {} ({})", self.impact, self.id, self.help, self.help_url)?;
        for n in &self.nodes {
            writeln!(f, "    at {}", n.target)?;
            writeln!(f, "       {}", n.html)?;
            for line in n.summary.lines() {
                writeln!(f, "       {line}")?;
            }
        }
        Ok(())
    }
}

/// What one run of axe found.
#[derive(Debug, Clone)]
pub struct AxeReport {
    pub violations: Vec<Violation>,
    /// Rules axe could not decide on (e.g. contrast over an image): id, how
    /// many elements, the first few of them with axe's reason.
    pub incomplete: Vec<(String, usize, Vec<String>)>,
    /// How many rules passed somewhere on the page.
    pub passes: usize,
}

/// Injects axe once per page (a reload, a restart: again).
const HAS_AXE: &str = "return typeof window.axe === 'object' && typeof window.axe.run === 'function';";

/// Async: runs axe on the whole document; `arguments[0]` the run options.
const RUN_AXE: &str = r#"
const done = arguments[arguments.length - 1];
const options = arguments[0];
const text = (s, n) => String(s == null ? '' : s).slice(0, n);
// Colors are measured as painted: first let transitions and animations end
// (a dialog fading in is half transparent), endless ones (a spinner) aside.
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
const settle = async () => {
  await frame();
  await frame();
  const finite = document.getAnimations().filter((a) => {
    const t = a.effect && a.effect.getComputedTiming ? a.effect.getComputedTiming() : null;
    return !t || t.iterations !== Infinity;
  });
  await Promise.race([Promise.all(finite.map((a) => a.finished.catch(() => null))),
    new Promise((r) => setTimeout(r, 5000))]);
  await frame();
};
settle().then(() => window.axe.run(document, options)).then((r) => done({
  violations: r.violations.map((v) => ({
    id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({
      target: (n.target || []).map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t)).join(' , '),
      html: text(n.html, 240),
      summary: text(n.failureSummary, 1200),
    })),
  })),
  incomplete: r.incomplete.map((v) => [v.id, v.nodes.length,
    v.nodes.slice(0, 3).map((n) => (n.target || []).join(' ') + ': ' + text((n.any[0] || {}).message, 200))]),
  passes: r.passes.length,
}), (e) => done({ error: String(e && e.stack ? e.stack : e) }));
"#;

impl App {
    /// Puts axe-core into the page, unless it is there already.
    pub fn inject_axe(&self) {
        let has = self.wd().execute(HAS_AXE, &[]).unwrap_or_else(|e| panic!("looking for axe in the page: {e}"));
        if has == Value::Bool(true) {
            return;
        }
        let path = axe_source_path();
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("reading {}: {e} (see tests/vendor/axe-core/README.md)", path.display()));
        let script = format!("{source}\n;return typeof window.axe === 'object';");
        let ok = self.wd().execute(&script, &[]).unwrap_or_else(|e| panic!("injecting axe-core: {e}"));
        assert_eq!(ok, Value::Bool(true), "axe-core did not load in the page");
    }

    /// Runs axe on the page as it is now (WCAG 2.x A and AA, WCAG 2.1 and 2.2
    /// AA and axe's best practices) and returns what it found.
    pub fn axe(&self) -> AxeReport {
        self.inject_axe();
        let _ = self.wd().set_script_timeout(Duration::from_secs(120));
        let options = json!({
            "runOnly": { "type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"] },
            "resultTypes": ["violations", "incomplete"],
        });
        let out = self.wd().execute_async(RUN_AXE, &[options]).unwrap_or_else(|e| panic!("running axe: {e}"));
        if let Some(e) = out.get("error") {
            panic!("axe failed in the page: {e}");
        }
        let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
        let list = |v: &Value, k: &str| v.get(k).and_then(Value::as_array).cloned().unwrap_or_default();
        AxeReport {
            violations: list(&out, "violations")
                .iter()
                .map(|v| Violation {
                    id: s(v, "id"),
                    impact: s(v, "impact"),
                    help: s(v, "help"),
                    help_url: s(v, "helpUrl"),
                    nodes: list(v, "nodes")
                        .iter()
                        .map(|n| ViolationNode { target: s(n, "target"), html: s(n, "html"), summary: s(n, "summary") })
                        .collect(),
                })
                .collect(),
            incomplete: list(&out, "incomplete")
                .iter()
                .filter_map(|i| {
                    let why = i.get(2).and_then(Value::as_array).cloned().unwrap_or_default();
                    let why = why.iter().filter_map(Value::as_str).map(str::to_owned).collect();
                    Some((i.get(0)?.as_str()?.to_owned(), i.get(1)?.as_u64()? as usize, why))
                })
                .collect(),
            passes: out.get("passes").and_then(Value::as_u64).unwrap_or(0) as usize,
        }
    }

    /// Runs axe on what the window shows (`what` names it in the messages) and
    /// fails on any serious or critical violation, printing each violation's
    /// id, impact, help and targets; lesser ones are printed, not failed on.
    pub fn assert_accessible(&self, what: &str) -> AxeReport {
        let report = self.axe();
        let theme = self
            .js("return document.documentElement.getAttribute('data-theme') || 'unset';", &[])
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let (blocking, minor): (Vec<&Violation>, Vec<&Violation>) =
            report.violations.iter().partition(|v| v.is_blocking());
        for v in &minor {
            eprintln!("axe, {what} ({theme} theme), not failed on:\n{v}");
        }
        if !report.incomplete.is_empty() {
            eprintln!("axe, {what} ({theme} theme): to be checked by a person: {:?}", report.incomplete);
        }
        assert!(
            blocking.is_empty(),
            "axe finds {} serious or critical violation(s) in {what} ({theme} theme):\n{}",
            blocking.len(),
            blocking.iter().map(|v| v.to_string()).collect::<Vec<_>>().join("\n")
        );
        assert!(report.passes > 0, "axe checked nothing in {what}");
        report
    }

    /// Picks `theme` ("System", "Light" or "Dark") in the window's Theme switch
    /// and waits until the page shows it (`data-theme` on the root element).
    pub fn choose_theme(&self, theme: &str) {
        self.select_option("Theme", theme);
        let want = theme.to_lowercase();
        self.retry(&format!("the {theme} theme to show"), |app| {
            let v = app
                .js("return document.documentElement.getAttribute('data-theme-choice');", &[])
                .map_err(|e| e.to_string())?;
            if v.as_str() == Some(want.as_str()) {
                Ok(())
            } else {
                Err(format!("the page's theme choice is {v}"))
            }
        });
    }

    /// The theme the page shows: "light" or "dark".
    pub fn shown_theme(&self) -> String {
        self.js("return document.documentElement.getAttribute('data-theme');", &[])
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}
