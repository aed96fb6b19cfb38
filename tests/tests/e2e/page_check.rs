//! The page check after sign-in, in the real window: Circle opens at once,
//! checks every page of the vault on a thread of its own, and when a page
//! was changed outside Circle it locks and says so; the next sign-in checks
//! before it opens, and names the file.

use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::json;

const OWNER_PASS: &str = "quiet lantern orchard tide";

/// Changes 8 bytes inside the file's last page, which signing in does not
/// read (the newest table's root page), as a sync tool or a person might.
fn change_last_page(path: &std::path::Path) {
    let mut bytes = std::fs::read(path).expect("read the database");
    let at = bytes.len() - 2000;
    for b in &mut bytes[at..at + 8] {
        *b ^= 0xA5;
    }
    std::fs::write(path, bytes).expect("write the database");
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_page_changed_outside_circle_locks_just_after_sign_in_and_is_named_at_the_next() {
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
    change_last_page(&dir.path().join("clinical.db"));
    let app = App::launch(
        "page-check",
        AppOptions {
            vault_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;

    // The check after sign-in finds the page and locks, saying why.
    let message = app
        .wait_for_text("lock-message", "changed outside Circle")
        .await;
    assert!(message.contains("restore the latest backup"), "{message}");
    let current = app.call("current_sign_in", json!({})).await;
    assert!(current.is_null(), "{current}");

    // Signing in again checks every page first and names the file.
    app.sign_in("dana", OWNER_PASS).await;
    let refused = app.wait_for_text("unlock-error", "cannot be read").await;
    assert!(
        refused.contains("The vault file clinical.db cannot be read"),
        "{refused}"
    );
    app.finish().await;
}
