//! The idle lock in the real window: with nobody touching Circle, the vault
//! locks by itself and the window returns to the unlock screen, saying why.
//! (A test-only limit of a few seconds stands in for the practice's minutes;
//! the rule itself — and that activity postpones it — is tested in the
//! shell's `state` tests.)

use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::json;

const OWNER_PASS: &str = "quiet lantern orchard tide";

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn with_nobody_at_the_keyboard_the_window_locks_by_itself() {
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
            "Europe/Dublin",
        ],
        OWNER_PASS,
        "",
    );
    let app = App::launch(
        "idle-lock",
        AppOptions {
            vault_dir: Some(dir.path().to_path_buf()),
            idle_limit_seconds: Some(3),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;

    // No key, no click: the unlock screen comes back with the reason.
    let message = app.wait_for_text("lock-message", "without activity").await;
    assert!(message.contains("Circle locked"), "{message}");
    app.by_testid("unlock-submit").await;
    // Rust agrees: nobody is signed in any more.
    let current = app.call("current_sign_in", json!({})).await;
    assert!(current.is_null(), "{current}");
    app.finish().await;
}
