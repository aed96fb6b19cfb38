//! Key rotation in the real window: the owner replaces the encryption keys
//! from Settings, sees each step it goes through and what was done, the
//! audit trail says so in words, and then everyone — the owner, a clinician
//! and the front desk — still signs in with their own passphrase and reaches
//! Today (the clinician still with the clinical records open).

use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::json;

const OWNER_NAME: &str = "Dana Reyes";
const OWNER_PASS: &str = "quiet lantern orchard tide";
const CLINICIAN_NAME: &str = "Ben Adeyemi";
const CLINICIAN_INITIAL: &str = "velvet canyon orbit thistle";
const CLINICIAN_OWN: &str = "pebble aurora timber quartz";
const DESK_NAME: &str = "Priya Castellanos";
const DESK_INITIAL: &str = "copper meadow violin harbor";
const DESK_OWN: &str = "amber cliff saffron lighthouse";

/// The steps an owner's rotation (practice and clinical records) reports,
/// in the order it takes them, in the words on screen.
const STEPS: [&str; 4] = [
    "Sealing the new keys for each colleague",
    "Re-encrypting the practice records",
    "Re-encrypting the clinical records",
    "Recording the rotation",
];

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_owner_replaces_the_keys_from_settings_and_everyone_still_signs_in() {
    let dir = tempfile::tempdir().unwrap();
    let v = dir.path();
    admin(
        v,
        &[
            "init",
            "--practice",
            "Harbour Light Counselling",
            "--owner",
            "dana",
            "--name",
            OWNER_NAME,
            "--timezone",
            "Europe/Dublin",
        ],
        OWNER_PASS,
        "",
    );
    for (username, name, role, initial) in [
        ("ben", CLINICIAN_NAME, "clinician", CLINICIAN_INITIAL),
        ("priya", DESK_NAME, "front-desk", DESK_INITIAL),
    ] {
        admin(
            v,
            &[
                "--user", "dana", "staff", "add", username, "--name", name, "--role", role,
            ],
            OWNER_PASS,
            initial,
        );
    }
    let app = App::launch(
        "key-rotation",
        AppOptions {
            vault_dir: Some(v.to_path_buf()),
            ..Default::default()
        },
    )
    .await;

    // Each colleague has signed in once and chosen their own passphrase.
    app.first_sign_in("ben", CLINICIAN_INITIAL, CLINICIAN_OWN)
        .await;
    app.lock().await;
    app.first_sign_in("priya", DESK_INITIAL, DESK_OWN).await;
    app.lock().await;

    // The owner opens Settings and asks to replace the keys.
    app.sign_in("dana", OWNER_PASS).await;
    app.wait_for_text("home-heading", OWNER_NAME).await;
    app.click("nav-settings").await;
    app.click("rotate-keys").await;
    let asked = app
        .wait_for_text("rotate-keys-dialog", "Replace the encryption keys?")
        .await;
    assert!(
        asked.contains("pick up the new keys at their next sign-in"),
        "{asked}"
    );
    assert!(
        !asked.contains("cannot open the clinical records"),
        "the owner's rotation covers the clinical records: {asked}"
    );

    // Everything the dialog's step line shows while it works is kept as it
    // appears (the steps may pass faster than a poll could see them).
    app.script(
        "window.__seenSteps = [];\
         new MutationObserver(() => {\
           const el = document.querySelector('[data-testid=rotation-step]');\
           const text = el && el.textContent.trim();\
           const seen = window.__seenSteps;\
           if (text && seen[seen.length - 1] !== text) seen.push(text);\
         }).observe(document.body, { childList: true, subtree: true, characterData: true });\
         return true;",
    )
    .await;
    app.click("rotate-keys-confirm").await;

    // Done: what was done, and every step it went through, in order.
    let outcome = app
        .wait_for_text("rotate-keys-outcome", "The encryption keys were replaced.")
        .await;
    assert!(
        outcome.contains("3 logins receive the new keys at the next sign-in."),
        "{outcome}"
    );
    assert!(!outcome.contains("not replaced"), "{outcome}");
    app.wait_for_count("[data-testid=rotate-keys-steps] li", STEPS.len())
        .await;
    for (i, label) in STEPS.iter().enumerate() {
        let shown = app
            .text_of(&format!("[data-testid=rotate-keys-step-{}]", i + 1))
            .await;
        assert!(shown.ends_with(label), "step {}: {shown:?}", i + 1);
    }
    let list = app.text_of("[data-testid=rotate-keys-steps]").await;
    let mut from = 0;
    for label in STEPS {
        let at = list[from..]
            .find(label)
            .unwrap_or_else(|| panic!("{label:?} out of order in {list:?}"));
        from += at + label.len();
    }
    assert_eq!(
        app.count("[data-testid=rotate-keys-dialog]").await,
        0,
        "the dialog closes when it is done"
    );
    // Whatever the live step line showed came in the same order, in words.
    let seen = app.script("return window.__seenSteps;").await;
    let seen: Vec<String> = serde_json::from_value(seen).expect("the steps seen");
    let expected: Vec<String> = STEPS
        .iter()
        .enumerate()
        .map(|(i, label)| format!("Step {} of {}: {label}", i + 1, STEPS.len()))
        .collect();
    let mut rest = expected.iter();
    for step in &seen {
        assert!(
            rest.any(|e| e == step),
            "the dialog showed {seen:?}, not in the order {expected:?}"
        );
    }
    println!("e2e[key-rotation]: live steps seen: {seen:?}");
    app.scroll_to("rotate-keys-outcome").await;
    app.screenshot_as("key-rotation-done").await;

    // The audit trail says what happened, in words, and who did it.
    app.click("nav-audit").await;
    let rotated = app
        .call(
            "audit_list",
            json!({ "filter": { "actionPrefix": "vault.keys_rotated", "limit": 5 } }),
        )
        .await;
    let rotated = rotated.as_array().expect("audit entries");
    assert_eq!(rotated.len(), 1, "{rotated:?}");
    let row = app
        .wait_for_text(
            &format!("audit-row-{}", rotated[0]["id"]),
            "Replaced the encryption keys",
        )
        .await;
    assert!(row.contains("practice and clinical records"), "{row}");
    assert!(row.contains(OWNER_NAME), "who did it: {row}");
    app.screenshot_as("key-rotation-audit").await;
    // Back to Today before locking (a sign-in returns to the screen left).
    app.click("nav-today").await;
    app.wait_for_text("home-heading", OWNER_NAME).await;
    app.lock().await;

    // Everyone signs in with their own passphrase and reaches Today.
    for (username, passphrase, name, clinical) in [
        ("dana", OWNER_PASS, OWNER_NAME, true),
        ("ben", CLINICIAN_OWN, CLINICIAN_NAME, true),
        ("priya", DESK_OWN, DESK_NAME, false),
    ] {
        app.sign_in(username, passphrase).await;
        let heading = app.wait_for_text("home-heading", name).await;
        assert!(heading.ends_with(name), "{username}: {heading}");
        assert!(
            app.text_of("[data-testid=signed-in-as]")
                .await
                .contains(name),
            "{username} is the one signed in"
        );
        let me = app.call("current_sign_in", json!({})).await;
        assert_eq!(me["hasClinicalAccess"], clinical, "{username}: {me}");
        if clinical {
            assert_eq!(
                app.count("[data-testid=clinical-access-pending]").await,
                0,
                "{username}'s clinical records stay open"
            );
        }
        app.lock().await;
    }
    app.finish().await;
}
