//! The client picker with the keyboard alone, in the real window: in the
//! booking dialog, type part of a name, ↓ to a match, Enter picks it and
//! focus goes on to the next field; with one match, Enter picks it straight
//! away (even before the search has answered). The booking is then stored
//! for the client chosen.

use chrono::Datelike;
use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::{json, Value};

const OWNER_PASS: &str = "quiet lantern orchard tide";
const STAFF_PASS: &str = "copper meadow violin harbor";

const ARROW_DOWN: &str = "\u{E015}";
const ENTER: &str = "\u{E007}";

/// The matches listed under the booking dialog's client search.
const OPTIONS: &str = "[data-testid=\"book-form\"] [role=\"option\"]";

/// The match ↓ has moved to: its place in the list, its test id and name.
const ACTIVE_OPTION: &str = r#"
const input = document.querySelector('[data-testid="book-form"] [name="clientId"]');
const id = input && input.getAttribute('aria-activedescendant');
const el = id ? document.getElementById(id) : null;
const all = [...document.querySelectorAll('[data-testid="book-form"] [role="option"]')];
return el ? { index: all.indexOf(el), testid: el.dataset.testid,
  name: el.querySelector('.result-name').textContent, selected: el.getAttribute('aria-selected') } : null;
"#;

/// What has keyboard focus: its tag and name.
const FOCUSED: &str =
    "const el = document.activeElement; return el ? { tag: el.tagName, name: el.getAttribute('name') } : null;";

async fn client(app: &App, first: &str, last: &str) -> i64 {
    let input = json!({
        "legalFirstName": first, "legalLastName": last, "preferredName": null, "pronouns": null,
        "dateOfBirth": null, "phone": null, "email": null, "emergencyName": null, "emergencyPhone": null,
        "status": "active"
    });
    let created = app
        .call(
            "client_create",
            json!({ "input": input, "confirmDuplicate": true }),
        )
        .await;
    created["client"]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("client_create answered {created}"))
}

/// The first Tuesday at least a week from today (UTC), as `YYYY-MM-DD`.
fn a_tuesday_to_come() -> String {
    let mut day = chrono::Utc::now().date_naive() + chrono::Days::new(7);
    while day.weekday() != chrono::Weekday::Tue {
        day = day.succ_opt().expect("a next day");
    }
    day.to_string()
}

/// Waits until keyboard focus is on the form control named `name`.
async fn wait_for_focus_on(app: &App, name: &str) -> Value {
    let deadline = std::time::Instant::now() + circle_e2e::harness::UI_WAIT;
    loop {
        let focused = app.script(FOCUSED).await;
        if focused["name"] == name {
            return focused;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "focus never reached {name}: it is on {focused}"
        );
        app.next_frames().await;
    }
}

/// Types into whatever has keyboard focus, as a person at the keyboard would.
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
async fn the_booking_dialog_picks_a_client_with_the_keyboard_and_moves_on() {
    let dir = tempfile::tempdir().unwrap();
    // UTC keeps the test's calendar and the practice's the same.
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
        "pickers",
        AppOptions {
            vault_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;

    let all = app.call("staff_directory", json!({})).await;
    let ana = all
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == "ana")
        .and_then(|m| m["id"].as_i64())
        .expect("Ana is on the staff");
    let room = app
        .call(
            "room_create",
            json!({ "input": { "name": "Room A", "capacity": 8 } }),
        )
        .await["id"]
        .as_i64()
        .expect("a room id");
    let noor = client(&app, "Noor", "Newcomer").await;
    let nell = client(&app, "Nell", "Newman").await;
    client(&app, "Rae", "Regular").await;
    let tuesday = a_tuesday_to_come();

    app.click("nav-schedule").await;
    app.click("book-open").await;
    app.choose("kind", "intake").await;

    // Type part of a name: both "New…" clients are listed, nothing is chosen yet.
    let search = app
        .find("[data-testid=\"book-form\"] [name=\"clientId\"]")
        .await;
    search.click().await.expect("click into the client search");
    keys(&app, "New").await;
    app.wait_for_count(OPTIONS, 2).await;
    assert_eq!(
        app.script(ACTIVE_OPTION).await,
        Value::Null,
        "nothing moved to before ↓"
    );

    // ↓ twice: the second match; focus stays in the search box.
    keys(&app, ARROW_DOWN).await;
    keys(&app, ARROW_DOWN).await;
    let active = app.script(ACTIVE_OPTION).await;
    assert_eq!(
        active["index"], 1,
        "two ↓ move to the second match: {active}"
    );
    assert_eq!(active["selected"], "true", "{active}");
    wait_for_focus_on(&app, "clientId").await;
    let name = active["name"]
        .as_str()
        .expect("the match's name")
        .to_owned();
    let testid = active["testid"]
        .as_str()
        .expect("the match's test id")
        .to_owned();
    assert!(
        [noor, nell]
            .iter()
            .any(|id| testid == format!("book-client-pick-{id}")),
        "the match moved to is one of the two: {testid}"
    );
    app.screenshot_as("pickers-1-arrow-down").await;

    // Enter picks it, the form is not sent, and focus goes on to the clinician.
    keys(&app, ENTER).await;
    let chosen = app.wait_for_text("book-client-pick-chosen", &name).await;
    assert_eq!(chosen.trim(), name);
    let focused = wait_for_focus_on(&app, "clinicianId").await;
    assert_eq!(focused["tag"], "SELECT", "{focused}");
    assert_eq!(
        app.count("[data-testid=\"error-clientId\"]").await,
        0,
        "Enter did not send the form"
    );
    assert_eq!(
        app.count("[data-testid=\"book-error\"]").await,
        0,
        "Enter did not send the form"
    );
    app.screenshot_as("pickers-2-picked-focus-on-clinician")
        .await;

    // Change, then a name with one match and Enter at once: that one is picked.
    app.click("book-client-pick-change").await;
    wait_for_focus_on(&app, "clientId").await;
    keys(&app, "Noor").await;
    keys(&app, ENTER).await;
    let chosen = app.wait_for_text("book-client-pick-chosen", "Noor").await;
    assert!(chosen.contains("Newcomer"), "{chosen}");
    wait_for_focus_on(&app, "clinicianId").await;
    assert_eq!(
        app.count("[data-testid=\"error-clientId\"]").await,
        0,
        "no error for one match"
    );

    // The rest of the booking, then it is stored for the client chosen.
    app.choose("clinicianId", &ana.to_string()).await;
    app.choose("roomId", &room.to_string()).await;
    app.fill("date", &tuesday).await;
    app.fill("startTime", "09:00").await;
    app.fill("durationMinutes", "60").await;
    app.screenshot_as("pickers-3-filled").await;
    app.click("book-submit").await;
    app.wait_for_text("schedule-news", "Booked").await;
    let day = app
        .call("agenda", json!({ "from": tuesday, "days": 1 }))
        .await;
    let booked: Vec<&Value> = day["appointments"].as_array().unwrap().iter().collect();
    assert_eq!(booked.len(), 1, "{day}");
    assert_eq!(
        booked[0]["clientId"], noor,
        "booked for the client picked last"
    );
    app.finish().await;
}
