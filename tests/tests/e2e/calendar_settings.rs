//! The practice's time zone and date style in the real window: the owner
//! finds Dublin by typing it in Settings, moves the practice there (told that
//! sessions to come keep their local time), and a date of birth is typed
//! day, month, year into the one date field, as Dublin writes dates.

use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};

const OWNER_NAME: &str = "Dana Reyes";
const OWNER_PASS: &str = "quiet lantern orchard tide";

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_owner_moves_the_practice_to_dublin_and_dates_are_typed_as_dublin_writes_them() {
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
            "Europe/London",
        ],
        OWNER_PASS,
        "",
    );
    let app = App::launch(
        "calendar-settings",
        AppOptions {
            vault_dir: Some(v.to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.wait_for_text("home-heading", OWNER_NAME).await;
    app.click("nav-settings").await;
    app.wait_for_text("settings-timezone", "Europe/London")
        .await;
    let note = app
        .wait_for_text("zone-note", "keep their local time")
        .await;
    assert!(note.contains("stays at 18:00"), "{note}");

    // Typing the city lists the zone; Enter takes it.
    let zone = app.by_testid("settings-zone").await;
    zone.click().await.expect("focus the zone box");
    zone.clear().await.expect("empty the zone box");
    zone.send_keys("Dublin").await.expect("type Dublin");
    let first = app.text_of("[role=option][data-zone]").await;
    assert!(first.contains("Europe/Dublin"), "{first}");
    app.scroll_to("zone-form").await;
    app.screenshot_as("calendar-settings-zone-list").await;
    zone.send_keys("\u{E007}").await.expect("press Enter");
    app.click("zone-save").await;
    app.wait_for_text("zone-success", "The practice is now in Europe/Dublin.")
        .await;
    app.wait_for_text("settings-timezone", "Europe/Dublin")
        .await;
    app.screenshot_as("calendar-settings-saved").await;

    // A date of birth, typed day, month, year into the one date field.
    app.click("nav-clients").await;
    app.click("client-new").await;
    app.fill("dateOfBirth", "1988-03-15").await;
    let typed = app
        .script("return document.querySelector('input[name=dateOfBirth]').value;")
        .await;
    assert_eq!(typed, serde_json::json!("1988-03-15"));
    let order = app
        .script("return document.querySelector('[data-date-field=dateOfBirth]').dataset.dateOrder;")
        .await;
    assert_eq!(order, serde_json::json!("day,month,year"));
    app.screenshot_as("calendar-settings-date-of-birth").await;
    app.finish().await;
}
