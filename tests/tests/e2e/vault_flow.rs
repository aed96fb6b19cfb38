//! The vault in the real window: setup, recovery code, lock, a wrong
//! passphrase, unlock, adding a front-desk colleague, and what that
//! colleague can and cannot reach, in the UI and by calling Rust directly.

use circle_e2e::{App, AppOptions};
use serde_json::json;

const PRACTICE: &str = "Harbour Light Counselling";
const OWNER_NAME: &str = "Dana Reyes";
const OWNER_PASS: &str = "quiet lantern orchard tide";
const DESK_NAME: &str = "Priya Castellanos";
const DESK_INITIAL: &str = "copper meadow violin harbor";
const DESK_OWN: &str = "amber cliff saffron lighthouse";

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn setup_lock_unlock_and_a_front_desk_login_that_sees_no_admin_or_clinical_data() {
    let app = App::launch("vault-flow", AppOptions::default()).await;

    // First run: set up the practice.
    app.fill("practiceName", PRACTICE).await;
    app.fill("ownerFullName", OWNER_NAME).await;
    app.fill("ownerUsername", "dana").await;
    app.fill("passphrase", OWNER_PASS).await;
    app.fill("passphraseConfirm", OWNER_PASS).await;
    app.click("setup-submit").await;

    // The recovery code is shown once, and the way on is closed until it is stored.
    let code = app.text_of("[data-testid=recovery-code]").await;
    assert_eq!(code.trim().len(), 39, "recovery code shown: {code:?}");
    let continue_button = app.by_testid("recovery-continue").await;
    assert!(
        !continue_button.is_enabled().await.unwrap(),
        "continue must wait for the stored box"
    );
    app.screenshot_as("vault-flow-1-recovery-code").await;
    app.click("recovery-stored").await;
    app.click("recovery-continue").await;

    app.by_testid("home-heading").await;
    assert_eq!(
        app.text_of("[data-testid=practice-name-header]").await,
        PRACTICE
    );
    assert!(app
        .text_of("[data-testid=signed-in-as]")
        .await
        .contains(OWNER_NAME));
    assert_eq!(
        app.count("[data-testid=nav-staff]").await,
        1,
        "the owner administers staff"
    );
    app.screenshot_as("vault-flow-2-owner-home").await;

    // Lock, then a wrong passphrase gets a clear message beside the field.
    app.click("lock-button").await;
    app.sign_in("dana", "quiet lantern orchard tidE").await;
    let message = app.wait_for_text("error-passphrase", "not right").await;
    assert!(message.contains("passphrase"), "{message}");
    app.screenshot_as("vault-flow-3-wrong-passphrase").await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;

    // Add a front-desk colleague.
    app.click("nav-staff").await;
    app.fill("fullName", DESK_NAME).await;
    app.fill("username", "frontdesk").await;
    app.choose("role", "frontDesk").await;
    app.fill("initialPassphrase", DESK_INITIAL).await;
    app.click("staff-add-submit").await;
    app.by_testid("staff-row-frontdesk").await;
    app.screenshot_as("vault-flow-4-staff").await;

    // The owner's audit trail lists what just happened, newest first and in
    // words: the colleague just added. Settings offers key rotation.
    app.click("nav-audit").await;
    let newest = app
        .call("audit_list", json!({ "filter": { "limit": 1 } }))
        .await;
    let newest = &newest[0];
    assert_eq!(newest["action"], "staff.added", "{newest}");
    assert_eq!(newest["detail"], "role=front_desk", "{newest}");
    let first_row = app.find("[data-testid^=audit-row-]").await;
    assert_eq!(
        first_row.attr("data-testid").await.unwrap().as_deref(),
        Some(format!("audit-row-{}", newest["id"]).as_str()),
        "the newest entry is listed first"
    );
    // Names come with the staff list, which loads beside the entries.
    let row = app
        .wait_for_text(
            &format!("audit-row-{}", newest["id"]),
            &format!("Staff: {DESK_NAME}"),
        )
        .await;
    assert!(row.contains("Added a staff member"), "{row}");
    assert!(row.contains("as front desk"), "{row}");
    assert!(row.contains(OWNER_NAME), "who did it: {row}");
    app.screenshot_as("vault-flow-5-audit").await;
    app.click("nav-settings").await;
    app.by_testid("rotate-keys").await;
    app.screenshot_as("vault-flow-6-settings").await;

    // They sign in, must choose their own passphrase, then see their own navigation.
    app.click("lock-button").await;
    app.first_sign_in("frontdesk", DESK_INITIAL, DESK_OWN).await;
    assert!(app
        .text_of("[data-testid=signed-in-as]")
        .await
        .contains(DESK_NAME));
    for hidden in ["nav-staff", "nav-audit", "nav-settings"] {
        assert_eq!(
            app.count(&format!("[data-testid={hidden}]")).await,
            0,
            "front desk sees {hidden}"
        );
    }

    // Rust refuses the same things when called directly, whatever the UI shows.
    let refused = [
        ("staff_list", json!({})),
        ("audit_list", json!({ "filter": {} })),
        ("verify_vault", json!({})),
        ("set_idle_lock_minutes", json!({ "minutes": 5 })),
        (
            "staff_change_role",
            json!({ "staffId": 2, "role": "owner" }),
        ),
    ];
    for (command, args) in refused {
        let err = app
            .invoke(command, args)
            .await
            .expect_err(&format!("{command} must be refused for the front desk"));
        assert_eq!(err["kind"], "forbidden", "{command}: {err}");
    }
    let session = app.invoke("current_sign_in", json!({})).await.unwrap();
    assert_eq!(session["hasClinicalAccess"], false);
    assert_eq!(session["role"], "frontDesk");

    app.finish().await;
}
