//! The keyboard alone: pressing keys through WebDriver key actions (what a
//! person's keyboard sends, to whatever has focus, with no element clicked
//! or focused from script), and asking where focus is and whether it shows.

use std::time::Instant;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use serde_json::Value;

use crate::harness::{App, UI_WAIT};

/// The most Tabs any control should be from where focus is. A control
/// further away than this is a focus order that needs fixing (a skip link,
/// a better order), not a larger bound.
pub const MAX_TABS: usize = 40;

/// What has focus, as a person would see it.
#[derive(Debug, Clone)]
pub struct Focused {
    /// `data-testid` of the focused element, "" when it has none.
    pub testid: String,
    /// Its tag name, lower case ("body" when focus was lost).
    pub tag: String,
    /// Its accessible name as far as the page can tell (aria-label, or text).
    pub name: String,
    /// The ring drawn for it: "outline …" or "box-shadow …" of the element,
    /// or of the nearest of its three parents drawing one for `:focus-within`;
    /// `None` when nothing is drawn.
    pub ring: Option<String>,
    /// The element's `role` attribute, "" when none.
    pub role: String,
    /// Its `tabindex` attribute, "" when none.
    pub tabindex: String,
    /// Where its outline is cut off by a parent that clips its content
    /// ("left right by the ul.rows"), `None` when the whole ring shows.
    pub clipped: Option<String>,
}

/// Reads `document.activeElement` and the ring drawn around it.
const FOCUSED: &str = r#"
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) {
  return { testid: '', tag: 'body', name: '', ring: null, clipped: null, role: '', tabindex: '' };
}
const drawn = (node) => {
  const s = getComputedStyle(node);
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) {
    return `outline ${s.outlineWidth} ${s.outlineStyle} ${s.outlineColor}`;
  }
  if (s.boxShadow && s.boxShadow !== 'none') return `box-shadow ${s.boxShadow}`;
  return null;
};
let ring = drawn(el);
let node = el.parentElement;
for (let i = 0; !ring && node && i < 3; i++, node = node.parentElement) {
  if (node.matches(':focus-within')) {
    const r = drawn(node);
    if (r) ring = `${r} (on the ${node.tagName.toLowerCase()}.${[...node.classList].join('.')} around it)`;
  }
}
// An outline drawn outside the element is cut off by any parent that
// clips (overflow other than visible) where it reaches past that parent's
// inside edge: the ring then does not show on that side.
let clipped = null;
const style = getComputedStyle(el);
if (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) {
  const reach = Math.max(0, parseFloat(style.outlineOffset) + parseFloat(style.outlineWidth));
  const r = el.getBoundingClientRect();
  for (let p = el.parentElement; p && p !== document.body && !clipped; p = p.parentElement) {
    const ps = getComputedStyle(p);
    if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
    const b = p.getBoundingClientRect();
    const inner = {
      left: b.left + p.clientLeft, top: b.top + p.clientTop,
      right: b.left + p.clientLeft + p.clientWidth, bottom: b.top + p.clientTop + p.clientHeight,
    };
    const cut = [];
    if (r.left - reach < inner.left - 1) cut.push('left');
    if (r.right + reach > inner.right + 1) cut.push('right');
    if (r.top - reach < inner.top - 1) cut.push('top');
    if (r.bottom + reach > inner.bottom + 1) cut.push('bottom');
    if (cut.length > 0) clipped = `${cut.join(' ')} by the ${p.tagName.toLowerCase()}.${[...p.classList].join('.')}`;
  }
}
const name = (el.getAttribute('aria-label') || el.innerText || el.value || '').trim().replace(/\s+/g, ' ');
return {
  testid: el.getAttribute('data-testid') || '',
  tag: el.tagName.toLowerCase(),
  name: name.slice(0, 120),
  ring,
  clipped,
  role: el.getAttribute('role') || '',
  tabindex: el.getAttribute('tabindex') || '',
};
"#;

impl App {
    /// Presses and releases each key in turn (a person's keystrokes).
    pub async fn press_keys(&self, keys: &[Key]) {
        let mut actions = KeyActions::new("keyboard".into());
        for key in keys {
            let value = char::from(*key);
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("pressing {keys:?}: {e}"));
    }

    /// Presses one key.
    pub async fn press(&self, key: Key) {
        self.press_keys(&[key]).await;
    }

    /// Holds `modifier` (Shift, Control, Alt) while pressing `key`.
    pub async fn chord(&self, modifier: Key, key: Key) {
        let (held, value) = (char::from(modifier), char::from(key));
        let actions = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: held })
            .then(KeyAction::Down { value })
            .then(KeyAction::Up { value })
            .then(KeyAction::Up { value: held });
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("pressing {modifier:?}+{key:?}: {e}"));
    }

    /// Types `text` key by key into whatever has focus.
    pub async fn type_keys(&self, text: &str) {
        let mut actions = KeyActions::new("keyboard".into());
        for value in text.chars() {
            actions = actions
                .then(KeyAction::Down { value })
                .then(KeyAction::Up { value });
        }
        self.client
            .perform_actions(actions)
            .await
            .unwrap_or_else(|e| panic!("typing {text:?}: {e}"));
    }

    /// What has focus now.
    pub async fn focused(&self) -> Focused {
        let v = self.script(FOCUSED).await;
        let text = |key: &str| v[key].as_str().unwrap_or_default().to_owned();
        Focused {
            testid: text("testid"),
            tag: text("tag"),
            name: text("name"),
            ring: v["ring"].as_str().map(str::to_owned),
            role: text("role"),
            tabindex: text("tabindex"),
            clipped: v["clipped"].as_str().map(str::to_owned),
        }
    }

    /// Whether the focused element matches `css` (the element itself).
    async fn focus_matches(&self, css: &str) -> bool {
        let found = self
            .client
            .execute(
                "const el = document.activeElement; return !!el && el.matches(arguments[0]);",
                vec![Value::from(css)],
            )
            .await
            .unwrap_or_else(|e| panic!("checking focus against {css}: {e}"));
        found == Value::Bool(true)
    }

    /// Presses `key` until the focused element matches `css`, at most
    /// [`MAX_TABS`] times; returns how many presses it took. Fails (with a
    /// screenshot) when the control is not reached: it is missing, out of the
    /// focus order, or too far away.
    pub async fn key_until(&self, key: Key, shift: bool, css: &str) -> usize {
        let mut path = Vec::new();
        for presses in 1..=MAX_TABS {
            if shift {
                self.chord(Key::Shift, key).await;
            } else {
                self.press(key).await;
            }
            if self.focus_matches(css).await {
                return presses;
            }
            let now = self.focused().await;
            path.push(if now.testid.is_empty() {
                format!(
                    "{}:{}",
                    now.tag,
                    now.name.chars().take(30).collect::<String>()
                )
            } else {
                now.testid
            });
        }
        let shot = self.screenshot_as("keyboard-unreachable").await;
        panic!(
            "{css} was not reached in {MAX_TABS} presses of {key:?}; focus went {path:?} (the window: {})",
            shot.display()
        )
    }

    /// Tabs forward until the element with `data-testid` has focus.
    pub async fn tab_until(&self, testid: &str) -> usize {
        let n = self
            .key_until(Key::Tab, false, &format!("[data-testid=\"{testid}\"]"))
            .await;
        println!("keyboard: {testid} is {n} Tab(s) away");
        n
    }

    /// Tabs forward until the focused element matches `css`.
    pub async fn tab_until_css(&self, css: &str) -> usize {
        let n = self.key_until(Key::Tab, false, css).await;
        println!("keyboard: {css} is {n} Tab(s) away");
        n
    }

    /// Tabs backwards (Shift+Tab) until the element with `data-testid` has focus.
    pub async fn shift_tab_until(&self, testid: &str) -> usize {
        let n = self
            .key_until(Key::Tab, true, &format!("[data-testid=\"{testid}\"]"))
            .await;
        println!("keyboard: {testid} is {n} Shift+Tab(s) back");
        n
    }

    /// Waits until the focused element matches `css` (focus that moves on
    /// its own: into a dialog as it opens, back to its opener as it closes).
    pub async fn wait_for_focus_css(&self, css: &str) -> Focused {
        let deadline = Instant::now() + UI_WAIT;
        loop {
            if self.focus_matches(css).await {
                return self.focused().await;
            }
            if Instant::now() > deadline {
                let now = self.focused().await;
                let shot = self.screenshot_as("keyboard-focus-elsewhere").await;
                panic!(
                    "focus never reached {css}; it is on {now:?} (the window: {})",
                    shot.display()
                );
            }
            self.next_frames().await;
        }
    }

    /// Waits until the element with `data-testid` has focus.
    pub async fn wait_for_focus(&self, testid: &str) -> Focused {
        self.wait_for_focus_css(&format!("[data-testid=\"{testid}\"]"))
            .await
    }

    /// Fails unless focus is on an element (not lost to the page) with a
    /// ring drawn around it; `when` says at which step, for the message.
    pub async fn assert_focus_visible(&self, when: &str) -> Focused {
        let now = self.focused().await;
        if now.tag == "body" || now.ring.is_none() || now.clipped.is_some() {
            let shot = self.screenshot_as("keyboard-focus-not-visible").await;
            panic!(
                "{when}: focus should be on a control with a visible ring, it is {now:?} (the window: {})",
                shot.display()
            );
        }
        now
    }
}
