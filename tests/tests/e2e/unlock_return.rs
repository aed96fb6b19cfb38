//! Staff and the lock screen in the real window: a row's reset panel closes
//! with Escape, adding a person leaves focus in Full name for the next, and
//! after a lock the unlock screen names who was signed in, has their
//! username filled in and takes them back to the screen they were on.

use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::Value;

const OWNER_PASS: &str = "quiet lantern orchard tide";
const STAFF_PASS: &str = "copper meadow violin harbor";
const ESCAPE: &str = "\u{E00C}";
const ENTER: &str = "\u{E007}";

/// What has keyboard focus: its tag and name.
const FOCUSED: &str = "const el = document.activeElement; return el ? { tag: el.tagName, name: el.getAttribute('name') } : null;";

async fn wait_for_focus_on(app: &App, name: &str) {
    let deadline = std::time::Instant::now() + circle_e2e::harness::UI_WAIT;
    loop {
        let focused = app.script(FOCUSED).await;
        if focused["name"] == name {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "focus never reached {name}: it is on {focused}"
        );
        app.next_frames().await;
    }
}

/// The value of the form control named `name`.
async fn value_of(app: &App, name: &str) -> String {
    let js = format!("return document.querySelector('[name=\"{name}\"]').value;");
    app.script(&js)
        .await
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

async fn keys(app: &App, text: &str) {
    app.client
        .active_element()
        .await
        .expect("the focused element")
        .send_keys(text)
        .await
        .unwrap_or_else(|e| panic!("typing {text:?}: {e}"));
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn staff_panels_close_with_escape_and_unlocking_goes_back_to_the_same_screen() {
    let dir = tempfile::tempdir().unwrap();
    admin(
        dir.path(),
        &[
            "init",
            "--practice",
            "Harbour Light Counselling",
            "--owner",
            "dana",
            "--name",
            "Dana Reyes",
            "--timezone",
            "UTC",
        ],
        OWNER_PASS,
        "",
    );
    admin(
        dir.path(),
        &[
            "--user",
            "dana",
            "staff",
            "add",
            "ana",
            "--name",
            "Ana Lindqvist",
            "--role",
            "clinician",
        ],
        OWNER_PASS,
        STAFF_PASS,
    );
    let app = App::launch(
        "unlock-return",
        AppOptions {
            vault_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;

    // Staff: the row's reset panel opens in place and Escape closes it.
    app.click("nav-staff").await;
    app.by_testid("staff-row-ana").await;
    assert_eq!(
        value_of(&app, "role").await,
        "frontDesk",
        "least access by default"
    );
    app.screenshot_as("unlock-return-1-staff").await;
    let reset = app
        .find("[aria-label=\"Reset passphrase for Ana Lindqvist\"]")
        .await;
    reset.click().await.expect("open the reset panel");
    app.by_testid("staff-panel-ana").await;
    wait_for_focus_on(&app, "newPassphrase").await;
    app.screenshot_as("unlock-return-2-reset-panel").await;
    keys(&app, ESCAPE).await;
    app.wait_for_count("[data-testid=\"staff-panel-ana\"]", 0)
        .await;

    // Adding someone leaves focus in Full name, ready for the next.
    app.fill("fullName", "Priya Castellanos").await;
    app.fill("username", "priya").await;
    app.fill("initialPassphrase", "amber cliff saffron lighthouse")
        .await;
    app.wait_for_text("strength-meter", "Strong enough").await;
    app.click("staff-add-submit").await;
    app.by_testid("staff-row-priya").await;
    wait_for_focus_on(&app, "fullName").await;
    let row = app.text_of("[data-testid=\"staff-row-priya\"]").await;
    assert!(row.contains("Front desk"), "{row}");
    app.screenshot_as("unlock-return-3-added").await;

    // Lock: the unlock screen names who was signed in, with their username in.
    app.lock().await;
    let previous = app.wait_for_text("previous-sign-in", "Dana Reyes").await;
    assert!(previous.contains("was signed in"), "{previous}");
    assert_eq!(value_of(&app, "username").await, "dana");
    wait_for_focus_on(&app, "passphrase").await;
    app.screenshot_as("unlock-return-4-locked").await;

    // Only the passphrase and Enter: back on Staff.
    keys(&app, OWNER_PASS).await;
    keys(&app, ENTER).await;
    app.by_testid("staff-row-priya").await;
    let current: Value = app
        .script("return document.querySelector('[data-testid=\"nav-staff\"]').getAttribute('aria-current');")
        .await;
    assert_eq!(current, "page");
    app.finish().await;
}
