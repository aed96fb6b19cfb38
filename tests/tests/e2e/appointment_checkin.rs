//! Checking clients in at their appointments from Today, in the real window:
//! the front desk books an intake for now, sees the client's name on the
//! week grid and on Today, checks her in as present, and marks another
//! client's appointment as a no-show.
//!
//! Today runs on the real clock, so the appointments start at the current
//! time rounded down to five minutes, in a practice kept in UTC (the test's
//! calendar and the practice's are the same): always today, never later.

use chrono::{Duration, Timelike, Utc};
use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::{json, Value};

const OWNER_PASS: &str = "quiet lantern orchard tide";
const STAFF_PASS: &str = "copper meadow violin harbor";
const DESK_OWN: &str = "amber cliff saffron lighthouse";

async fn id_of(app: &App, command: &str, args: Value) -> i64 {
    let answer = app.call(command, args).await;
    answer["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("{command} answered {answer}"))
}

async fn staff_id(app: &App, username: &str) -> i64 {
    let all = app.call("staff_directory", json!({})).await;
    all.as_array()
        .unwrap()
        .iter()
        .find(|m| m["username"] == username)
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn client(app: &App, first: &str, last: &str) -> i64 {
    let input = json!({
        "legalFirstName": first, "legalLastName": last, "preferredName": null, "pronouns": null,
        "dateOfBirth": null, "phone": null, "email": null, "emergencyName": null, "emergencyPhone": null,
        "status": "prospect"
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

/// Today's appointment of `client_id`, as the agenda (what Today reads) has it.
async fn todays_appointment(app: &App, today: &str, client_id: i64) -> Value {
    let day = app
        .call("agenda", json!({ "from": today, "days": 1 }))
        .await;
    day["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["clientId"] == client_id)
        .cloned()
        .unwrap_or_else(|| panic!("no appointment of client {client_id} today: {day}"))
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_front_desk_checks_in_an_intake_and_marks_a_no_show_from_today() {
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
            "Dana Reyes",
            "--timezone",
            "UTC",
        ],
        OWNER_PASS,
        "",
    );
    for (user, full, role) in [
        ("ana", "Ana Lindqvist", "clinician"),
        ("ben", "Ben Adeyemi", "clinician"),
        ("priya", "Priya Castellanos", "front-desk"),
    ] {
        admin(
            v,
            &[
                "--user", "dana", "staff", "add", user, "--name", full, "--role", role,
            ],
            OWNER_PASS,
            STAFF_PASS,
        );
    }
    let app = App::launch(
        "appointment-checkin",
        AppOptions {
            vault_dir: Some(v.to_path_buf()),
            ..Default::default()
        },
    )
    .await;

    // Now, rounded down to five minutes: an appointment that has begun, today.
    let now = Utc::now();
    let start = now - Duration::minutes(i64::from(now.minute() % 5));
    let (today, at) = (
        start.date_naive().to_string(),
        start.format("%H:%M").to_string(),
    );

    // The owner sets up the rooms, the clients and one appointment to miss.
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    let (ana, ben) = (staff_id(&app, "ana").await, staff_id(&app, "ben").await);
    let garden = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Garden Room", "capacity": 4 } }),
    )
    .await;
    let willow = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Willow Room", "capacity": 4 } }),
    )
    .await;
    let zoe = client(&app, "Zoë", "Martin").await;
    let tom = client(&app, "Tomasz", "Wrona").await;
    let missed = id_of(
        &app,
        "appointment_book",
        json!({ "input": { "kind": "checkIn", "clientId": tom, "clinicianId": ben,
            "roomId": willow, "date": today, "startTime": at, "durationMinutes": 30 } }),
    )
    .await;
    app.click("lock-button").await;

    // The front desk books Zoë's intake for now with Ana, from today's cell
    // of the Garden Room on the week grid (which fills in the day and room).
    app.first_sign_in("priya", STAFF_PASS, DESK_OWN).await;
    app.click("nav-schedule").await;
    app.click(&format!("book-cell-{garden}-{today}")).await;
    app.choose("kind", "intake").await;
    app.fill("clientId", "Martin").await;
    app.click(&format!("book-client-pick-{zoe}")).await;
    app.choose("clinicianId", &ana.to_string()).await;
    app.fill("startTime", &at).await;
    app.fill("durationMinutes", "45").await;
    app.click("book-submit").await;
    app.wait_for_text("schedule-news", "Booked: Intake screening")
        .await;
    let intake = todays_appointment(&app, &today, zoe).await["id"]
        .as_i64()
        .unwrap();

    // The week grid names who each appointment is with.
    app.wait_for_text(&format!("item-appointment-{intake}-client"), "Zoë Martin")
        .await;
    app.wait_for_text(&format!("item-appointment-{missed}-client"), "Tomasz Wrona")
        .await;
    app.screenshot_as("appointment-checkin-week").await;

    // Today names them too, with no "Show client" step in between.
    app.click("nav-today").await;
    let row = app
        .wait_for_text(&format!("today-appointment-{intake}"), "Zoë Martin")
        .await;
    assert!(row.contains("Intake screening"), "{row}");
    assert!(!row.contains("Show client"), "{row}");
    app.wait_for_text(&format!("today-appointment-{missed}"), "Tomasz Wrona")
        .await;
    app.screenshot_as("appointment-checkin-today-before").await;

    // Zoë has arrived: checked in as present, and her row says so.
    app.click(&format!("today-appointment-{intake}")).await;
    app.click(&format!("appointment-{intake}-present")).await;
    app.wait_for_text(&format!("appointment-{intake}-state"), "Recorded: Present")
        .await;
    app.wait_for_text(&format!("today-appointment-{intake}-status"), "Present")
        .await;
    app.screenshot_as("appointment-checkin-today-present").await;

    // Tomasz never came.
    app.click(&format!("today-appointment-{missed}")).await;
    app.click(&format!("appointment-{missed}-noShow")).await;
    app.wait_for_text(&format!("today-appointment-{missed}-status"), "No-show")
        .await;
    app.screenshot_as("appointment-checkin-today").await;

    // The store agrees with what the screen says.
    let zoes = todays_appointment(&app, &today, zoe).await;
    assert_eq!(zoes["attendance"]["status"], "present", "{zoes}");
    let toms = todays_appointment(&app, &today, tom).await;
    assert_eq!(toms["attendance"]["status"], "noShow", "{toms}");

    // Read again from the vault (another screen and back), Today still shows both.
    app.click("nav-schedule").await;
    app.click("nav-today").await;
    app.wait_for_text(&format!("today-appointment-{intake}-status"), "✓ Present")
        .await;
    app.wait_for_text(&format!("today-appointment-{missed}-status"), "✕ No-show")
        .await;
    app.finish().await;
}
