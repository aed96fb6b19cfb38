//! The axe-core accessibility check (WCAG 2.2 A and AA, plus axe's best
//! practices) run inside the real window.
//!
//! axe is not bundled with the app: the harness reads
//! `ui/node_modules/axe-core/axe.min.js` (a pinned dev dependency that
//! `npm ci` installs) and hands it to WebDriver as the body of an
//! execute-script call. Scripts sent by WebDriver are evaluated by the
//! automation session, not loaded by the page, so the app's strict CSP
//! (`script-src 'self'`, no `unsafe-eval`) does not stop the injection; and
//! `axe.run` itself needs no eval (axe-core 3.3.1 and later, as long as no
//! custom rules or locales are configured, which this never does). The
//! injection prints the version it read back from the page, and a run that
//! needed eval would fail loudly here (the CSP refuses it).
//!
//! Tags: `wcag2a`, `wcag2aa`, `wcag21a`, `wcag21aa`, `wcag22aa` and
//! `best-practice`. The best practices are kept because they are what a
//! screen-reader user notices first on a desktop app (one main landmark,
//! content inside landmarks, a first-level heading, headings in order,
//! unique landmark names); AAA-only rules and experimental ones are left out.
//!
//! No rule is disabled.

use std::path::PathBuf;

use serde_json::Value;

use crate::harness::App;

/// The axe tags every check runs.
pub const AXE_TAGS: [&str; 6] = [
    "wcag2a",
    "wcag2aa",
    "wcag21a",
    "wcag21aa",
    "wcag22aa",
    "best-practice",
];

/// One rule that failed, with every element it failed on.
#[derive(Debug, Clone)]
pub struct AxeViolation {
    pub rule: String,
    /// minor, moderate, serious or critical.
    pub impact: String,
    /// axe's one-line description of what the rule wants.
    pub help: String,
    /// Each failing element: its CSS selector and axe's summary of why.
    pub nodes: Vec<(String, String)>,
}

/// What one check of one screen found.
#[derive(Debug, Clone)]
pub struct AxeResult {
    pub screen: String,
    /// Distinct rules that applied to something on the screen (passed,
    /// failed or needing review).
    pub rules_checked: usize,
    pub violations: Vec<AxeViolation>,
    /// Elements axe could not decide on by itself (for example the contrast
    /// of text behind a dialog's backdrop): rule, selector and axe's reason;
    /// listed for a person to look at, not failed.
    pub incomplete: Vec<(String, String, String)>,
}

/// The page script: run axe on the whole document and boil its answer down
/// to what the table needs (the full result is megabytes on a big screen).
const RUN: &str = r#"
const [tags, done] = arguments;
window.axe.run(document, {
  runOnly: { type: 'tag', values: tags },
  resultTypes: ['violations', 'incomplete'],
}).then(r => {
  const applied = new Set();
  for (const list of [r.passes, r.violations, r.incomplete]) {
    for (const rule of list) applied.add(rule.id);
  }
  done({
    ok: {
      version: window.axe.version,
      rulesChecked: applied.size,
      violations: r.violations.map(v => ({
        rule: v.id,
        impact: v.impact || '',
        help: v.help,
        nodes: v.nodes.map(n => [
          n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
          (n.failureSummary || '').replace(/\s+/g, ' ').trim(),
        ]),
      })),
      incomplete: r.incomplete.flatMap(v => v.nodes.map(n => [
        v.id,
        n.target.map(t => Array.isArray(t) ? t.join(' >>> ') : t).join(' '),
        [...n.any, ...n.all, ...n.none].map(c => c.message).filter(Boolean).join('; '),
      ])),
    },
  });
}, e => done({ err: String(e && e.stack || e) }));
"#;

/// Where `npm ci` puts axe.
pub fn axe_source_path() -> PathBuf {
    // The folder `cargo test` runs from, read when the test runs: the one
    // baked in at compile time goes stale when a shared build folder last
    // compiled this crate from another checkout (cargo does not rebuild
    // for a moved folder).
    let here = std::env::var_os("CARGO_MANIFEST_DIR")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")), PathBuf::from);
    here.join("../ui/node_modules/axe-core/axe.min.js")
}

impl App {
    /// Puts axe into the page unless it is already there (it stays until the
    /// page reloads).
    async fn ensure_axe(&self) {
        let present = self
            .script(
                "return typeof window.axe === 'object' && typeof window.axe.run === 'function';",
            )
            .await;
        if present == Value::Bool(true) {
            return;
        }
        let path = axe_source_path();
        let source = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "read {} ({e}): run `cd ui && npm ci` (make test does)",
                path.display()
            )
        });
        // axe.min.js is one expression that sets `window.axe`; run as the
        // body of WebDriver's script function, its `this` fallback is never
        // reached because `window` is an object.
        let loaded = self
            .client
            .execute(&format!("{source}\n;return window.axe.version;"), vec![])
            .await
            .unwrap_or_else(|e| panic!("injecting axe-core into the window: {e}"));
        println!("axe-core {loaded} injected into the window");
    }

    /// Runs axe on the window as it is now and returns what it found. The
    /// caller has already waited for the screen to show what it should.
    pub async fn axe_check(&self, screen: &str) -> AxeResult {
        self.ensure_axe().await;
        // Let the last change paint first (contrast reads computed styles).
        self.next_frames().await;
        let tags: Vec<Value> = AXE_TAGS.iter().map(|t| Value::from(*t)).collect();
        let outcome = self
            .client
            .execute_async(RUN, vec![Value::Array(tags)])
            .await
            .unwrap_or_else(|e| panic!("running axe on {screen}: {e}"));
        let ok = match outcome.get("ok") {
            Some(ok) => ok,
            None => panic!("axe failed on {screen}: {}", outcome["err"]),
        };
        let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
        let violations = ok["violations"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|v| AxeViolation {
                rule: text(&v["rule"]),
                impact: text(&v["impact"]),
                help: text(&v["help"]),
                nodes: v["nodes"]
                    .as_array()
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                    .iter()
                    .map(|n| (text(&n[0]), text(&n[1])))
                    .collect(),
            })
            .collect();
        let incomplete = ok["incomplete"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(|n| (text(&n[0]), text(&n[1]), text(&n[2])))
            .collect();
        AxeResult {
            screen: screen.to_owned(),
            rules_checked: ok["rulesChecked"].as_u64().unwrap_or(0) as usize,
            violations,
            incomplete,
        }
    }
}

/// Every check of a sweep, for one table at the end.
#[derive(Default)]
pub struct AxeTable {
    rows: Vec<(String, AxeResult)>,
}

impl AxeTable {
    /// How many checks were made.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Checks the window as `role` sees it now, records the result, and
    /// saves a screenshot named after the screen (to confirm it showed).
    pub async fn check(&mut self, app: &App, role: &str, screen: &str) {
        let result = app.axe_check(screen).await;
        let slug: String = format!("axe-{role}-{screen}")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        app.screenshot_as(&slug).await;
        println!(
            "axe: {role} · {screen}: {} rules, {} violations",
            result.rules_checked,
            result.violations.len()
        );
        for v in &result.violations {
            println!("    {} [{}] {}", v.rule, v.impact, v.help);
            for (target, why) in &v.nodes {
                println!("        {target}: {why}");
            }
        }
        self.rows.push((role.to_owned(), result));
    }

    /// The table: screen | role | rules checked | violations.
    pub fn render(&self) -> String {
        let screen_w = self
            .rows
            .iter()
            .map(|(_, r)| r.screen.chars().count())
            .chain(["screen".len()])
            .max()
            .unwrap_or(6);
        let role_w = self
            .rows
            .iter()
            .map(|(role, _)| role.chars().count())
            .chain(["role".len()])
            .max()
            .unwrap_or(4);
        let mut out = String::new();
        out.push_str(&format!(
            "| {:screen_w$} | {:role_w$} | rules checked | violations |\n",
            "screen", "role"
        ));
        out.push_str(&format!(
            "|{}|{}|---------------|------------|\n",
            "-".repeat(screen_w + 2),
            "-".repeat(role_w + 2)
        ));
        for (role, r) in &self.rows {
            out.push_str(&format!(
                "| {:screen_w$} | {:role_w$} | {:>13} | {:>10} |\n",
                r.screen,
                role,
                r.rules_checked,
                r.violations.len()
            ));
        }
        let total: usize = self.rows.iter().map(|(_, r)| r.violations.len()).sum();
        out.push_str(&format!(
            "{} screens checked, {} violations; tags {}\n",
            self.rows.len(),
            total,
            AXE_TAGS.join(", ")
        ));
        out
    }

    /// Every violation, one block per rule and screen.
    pub fn details(&self) -> String {
        let mut out = String::new();
        for (role, r) in &self.rows {
            for v in &r.violations {
                out.push_str(&format!(
                    "{} ({role}): {} [{}] {}\n",
                    r.screen, v.rule, v.impact, v.help
                ));
                for (target, why) in &v.nodes {
                    out.push_str(&format!("    {target}\n        {why}\n"));
                }
            }
        }
        out
    }

    /// What axe left for a person to review, by rule and reason, with how
    /// many elements and on how many screens (not failures). With
    /// `CIRCLE_AXE_REVIEW=1`, every element too.
    pub fn needs_review(&self) -> String {
        let every = std::env::var_os("CIRCLE_AXE_REVIEW").is_some();
        let mut reasons: std::collections::BTreeMap<(String, String), (usize, Vec<String>)> =
            Default::default();
        let mut out = String::new();
        for (role, r) in &self.rows {
            for (rule, target, why) in &r.incomplete {
                let entry = reasons.entry((rule.clone(), why.clone())).or_default();
                entry.0 += 1;
                let screen = format!("{} ({role})", r.screen);
                if !entry.1.contains(&screen) {
                    entry.1.push(screen);
                }
                if every {
                    out.push_str(&format!("{} ({role}): {rule} {target}: {why}\n", r.screen));
                }
            }
        }
        for ((rule, why), (count, screens)) in reasons {
            out.push_str(&format!(
                "{rule}: {why} — {count} elements on {} screens\n",
                screens.len()
            ));
        }
        out
    }

    /// Prints the table (and what needs review), then fails listing every
    /// violation if there is any.
    pub fn print_and_assert_clean(&self) {
        println!("\naxe-core accessibility sweep\n{}", self.render());
        let review = self.needs_review();
        if !review.is_empty() {
            println!("axe could not decide these by itself (not failures):\n{review}");
        }
        let details = self.details();
        assert!(
            details.is_empty(),
            "axe found violations:\n{details}\n{}",
            self.render()
        );
    }
}
