//! The front desk's day in the real window: a full group and its waitlist,
//! a series across a daylight-saving change, conflicts named when moving a
//! session, and an intake booked at a clinician's next free slot.
//!
//! Each test seeds a vault with `circle-admin`, signs in through the unlock
//! screen, creates bulk data through the same commands the UI calls, and
//! performs the acceptance steps by clicking and typing.

use chrono::Datelike;
use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::{json, Value};

const OWNER_PASS: &str = "quiet lantern orchard tide";
const STAFF_PASS: &str = "copper meadow violin harbor";
const DESK_OWN: &str = "amber cliff saffron lighthouse";

/// A Tuesday in the second week of next January, and days counted from it:
/// the flows book well ahead of any run of the suite (fixed dates would
/// start failing once they had passed).
fn next_january_tuesday() -> chrono::NaiveDate {
    let year = chrono::Local::now().year() + 1;
    let mut day = chrono::NaiveDate::from_ymd_opt(year, 1, 8).expect("8 January exists");
    while day.weekday() != chrono::Weekday::Tue {
        day = day.succ_opt().expect("a day after it");
    }
    day
}

/// `next_january_tuesday` moved by `days`, as "YYYY-MM-DD".
fn jan(days: i64) -> String {
    (next_january_tuesday() + chrono::Duration::days(days)).to_string()
}

/// The Tuesday twelve days before next year's last Sunday of March (when
/// the UK's clocks go forward): a weekly series from it crosses the change
/// between its second and third sessions.
fn before_the_clock_change() -> chrono::NaiveDate {
    let year = chrono::Local::now().year() + 1;
    let march_31 = chrono::NaiveDate::from_ymd_opt(year, 3, 31).expect("31 March exists");
    let last_sunday =
        march_31 - chrono::Duration::days(i64::from(march_31.weekday().num_days_from_sunday()));
    last_sunday - chrono::Duration::days(12)
}

struct Seeded {
    _dir: tempfile::TempDir,
    app: App,
}

/// A practice in `timezone` with Dana (owner), Ana and Ben (clinicians) and
/// Priya (front desk).
async fn practice(name: &str, timezone: &str) -> Seeded {
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
            timezone,
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
        name,
        AppOptions {
            vault_dir: Some(v.to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    Seeded { _dir: dir, app }
}

async fn id_of(app: &App, command: &str, args: Value) -> i64 {
    app.call(command, args).await["id"].as_i64().expect("an id")
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

fn weekly(first: &str, time: &str, minutes: u32, count: u32) -> Value {
    json!({ "firstDate": first, "startTime": time, "durationMinutes": minutes, "pattern": "weekly",
            "intervalWeeks": 1, "nthWeek": null, "weekday": null, "untilDate": null, "count": count, "timezone": "" })
}

async fn group(app: &App, name: &str, lead: i64, co: Vec<i64>, room: i64, capacity: u32) -> i64 {
    let input = json!({ "name": name, "kind": "closed", "modality": "DBT skills", "capacity": capacity,
        "primaryFacilitatorId": lead, "coFacilitatorIds": co, "defaultRoomId": room,
        "noteTemplate": "girp", "substanceUse": false });
    id_of(app, "group_create", json!({ "input": input })).await
}

async fn sessions_of(app: &App, group_id: i64) -> Vec<Value> {
    app.call("group_sessions", json!({ "groupId": group_id }))
        .await
        .as_array()
        .unwrap()
        .clone()
}

async fn open_group(app: &App, group_id: i64) {
    app.click("nav-groups").await;
    app.click(&format!("group-row-{group_id}")).await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_eleventh_member_waits_and_takes_a_freed_seat_for_the_remaining_sessions() {
    let Seeded { app, _dir } = practice("scheduling-waitlist", "Europe/London").await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    let (ana, ben) = (staff_id(&app, "ana").await, staff_id(&app, "ben").await);
    let room_a = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Room A", "capacity": 12 } }),
    )
    .await;
    let dbt = group(&app, "DBT Skills", ana, vec![ben], room_a, 10).await;
    app.call(
        "series_create",
        json!({ "groupId": dbt, "roomId": room_a, "recurrence": weekly(&jan(0), "18:00", 90, 12) }),
    )
    .await;
    let mut members = Vec::new();
    for i in 0..10 {
        let c = client(&app, "Member", &format!("Number{i}")).await;
        app.call(
            "enroll",
            json!({ "groupId": dbt, "clientId": c, "waitlist": false, "fromDate": jan(-7) }),
        )
        .await;
        members.push(c);
    }
    let waiting = client(&app, "Wren", "Waitley").await;

    open_group(&app, dbt).await;
    app.fill("enrollClientQuery", "Waitley").await;
    app.click(&format!("enroll-pick-{waiting}")).await;
    app.fill("enrollFromDate", &jan(-7)).await;
    app.click("enroll-submit").await;
    app.wait_for_text("enroll-outcome", "waitlist").await;
    app.by_testid(&format!("waitlist-row-{waiting}")).await;

    // Week 3: a member is discharged; the seat is offered to the first person waiting.
    app.click(&format!("discharge-{}", members[2])).await;
    app.fill("dischargeDate", &jan(14)).await;
    app.choose("dischargeReason", "movedAway").await;
    app.click("discharge-confirm").await;
    app.wait_for_text("seat-offer", "Wren").await;
    app.fill("acceptFromDate", &jan(15)).await;
    app.click("seat-offer-accept").await;
    app.wait_for_text("enroll-outcome", "9").await;
    app.by_testid(&format!("member-row-{waiting}")).await;
    app.screenshot_as("scheduling-waitlist-group").await;

    for s in sessions_of(&app, dbt).await {
        let seq = s["seq"].as_i64().unwrap();
        let list = app
            .call("check_in_list", json!({ "sessionId": s["id"] }))
            .await;
        let ids: Vec<i64> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["clientId"].as_i64().unwrap())
            .collect();
        assert_eq!(
            ids.contains(&waiting),
            seq >= 4,
            "newcomer in session {seq}"
        );
        assert_eq!(
            ids.contains(&members[2]),
            seq <= 3,
            "leaver in session {seq}"
        );
        assert_eq!(ids.len(), 10, "session {seq} holds ten");
    }
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_series_scheduled_in_the_window_keeps_18_00_across_the_clock_change() {
    let Seeded { app, _dir } = practice("scheduling-dst", "Europe/London").await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    let ana = staff_id(&app, "ana").await;
    let room_a = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Room A", "capacity": 12 } }),
    )
    .await;
    let g = group(&app, "Recovery Group", ana, vec![], room_a, 8).await;

    open_group(&app, g).await;
    let first = before_the_clock_change();
    app.fill("firstDate", &first.to_string()).await;
    app.fill("startTime", "18:00").await;
    app.fill("durationMinutes", "90").await;
    app.fill("count", "4").await;
    app.click("series-save").await;
    // The group shows its four sessions once the series is stored.
    app.wait_for_count("[data-testid^=session-row-]", 4).await;
    let sessions = sessions_of(&app, g).await;
    assert_eq!(sessions.len(), 4, "four sessions created");
    let utc: Vec<&str> = sessions
        .iter()
        .map(|s| s["startsAt"].as_str().unwrap())
        .collect();
    // 18:00 in London: GMT for the first two, BST (17:00 UTC) after.
    let expected: Vec<String> = [(0, 18), (7, 18), (14, 17), (21, 17)]
        .iter()
        .map(|(days, hour)| format!("{}T{hour}:00:00Z", first + chrono::Duration::days(*days)))
        .collect();
    assert_eq!(utc, expected);
    for s in &sessions {
        let row = app
            .wait_for_text(&format!("session-row-{}", s["id"]), "18:00")
            .await;
        assert!(
            !row.contains("17:00") && !row.contains("19:00–"),
            "local time shown: {row}"
        );
    }
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn moving_a_session_onto_a_taken_room_or_a_cofacilitators_intake_names_the_collision() {
    let Seeded { app, _dir } = practice("scheduling-conflicts", "Europe/London").await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    let (ana, ben, dana) = (
        staff_id(&app, "ana").await,
        staff_id(&app, "ben").await,
        staff_id(&app, "dana").await,
    );
    let room_a = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Room A", "capacity": 12 } }),
    )
    .await;
    let room_b = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Room B", "capacity": 12 } }),
    )
    .await;
    let dbt = group(&app, "DBT Skills", ana, vec![ben], room_a, 10).await;
    app.call(
        "series_create",
        json!({ "groupId": dbt, "roomId": room_a, "recurrence": weekly(&jan(0), "18:00", 90, 12) }),
    )
    .await;
    let anxiety = group(&app, "Anxiety Circle", dana, vec![], room_b, 8).await;
    app.call("series_create", json!({ "groupId": anxiety, "roomId": room_b, "recurrence": weekly(&jan(28), "18:00", 60, 1) })).await;
    let outsider = client(&app, "Ida", "Intake").await;
    app.call(
        "appointment_book",
        json!({ "input": { "kind": "intake", "clientId": outsider, "clinicianId": ben,
        "roomId": room_b, "date": jan(35), "startTime": "12:00", "durationMinutes": 60 } }),
    )
    .await;
    let sessions = sessions_of(&app, dbt).await;
    let nth = |n: i64| {
        sessions.iter().find(|s| s["seq"] == n).unwrap()["id"]
            .as_i64()
            .unwrap()
    };

    open_group(&app, dbt).await;
    app.click(&format!("move-{}", nth(5))).await;
    app.fill("moveDate", &jan(28)).await;
    app.fill("moveStartTime", "18:30").await;
    app.choose("moveRoomId", &room_b.to_string()).await;
    app.click("move-confirm").await;
    let message = app
        .wait_for_text("move-error", "Room B is taken by Anxiety Circle")
        .await;
    let taken =
        (next_january_tuesday() + chrono::Duration::days(28)).format("%a %-d %b, 18:00–19:00");
    assert!(message.contains(&taken.to_string()), "{message}");
    app.screenshot_as("scheduling-conflict-room").await;

    app.fill("moveDate", &jan(35)).await;
    app.fill("moveStartTime", "12:30").await;
    app.choose("moveRoomId", &room_a.to_string()).await;
    app.click("move-confirm").await;
    let message = app
        .wait_for_text("move-error", "Ben Adeyemi has an intake screening")
        .await;
    assert!(message.contains("12:00–13:00"), "{message}");
    let unchanged = sessions_of(&app, dbt).await;
    assert_eq!(unchanged, sessions, "refused moves changed nothing");
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_front_desk_books_an_intake_at_the_clinicians_next_free_slot() {
    // Slots already past are never offered, so the day is a Tuesday to come,
    // not a fixed date. A practice in UTC keeps the test's calendar and the
    // practice's the same (09:00 there is 09:00Z).
    let Seeded { app, _dir } = practice("scheduling-next-slot", "UTC").await;
    let tuesday = a_tuesday_to_come();
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    let (ana, dana) = (staff_id(&app, "ana").await, staff_id(&app, "dana").await);
    let room_a = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Room A", "capacity": 12 } }),
    )
    .await;
    let room_b = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Room B", "capacity": 12 } }),
    )
    .await;
    app.call("availability_set", json!({ "staffId": ana, "blocks": [{ "weekday": 1, "startTime": "09:00", "endTime": "13:00" }] })).await;
    let regular = client(&app, "Rae", "Regular").await;
    app.call(
        "appointment_book",
        json!({ "input": { "kind": "checkIn", "clientId": regular, "clinicianId": ana,
        "roomId": room_b, "date": tuesday, "startTime": "09:00", "durationMinutes": 60 } }),
    )
    .await;
    let morning = group(&app, "Morning Group", dana, vec![ana], room_a, 6).await;
    app.call("series_create", json!({ "groupId": morning, "roomId": room_a, "recurrence": weekly(&tuesday, "10:00", 60, 1) })).await;
    let newcomer = client(&app, "Noor", "Newcomer").await;
    app.click("lock-button").await;

    // The front desk signs in (choosing their own passphrase first) and books.
    app.first_sign_in("priya", STAFF_PASS, DESK_OWN).await;
    app.click("nav-schedule").await;
    app.click("book-open").await;
    app.choose("kind", "intake").await;
    app.fill("clientId", "Newcomer").await;
    app.click(&format!("book-client-pick-{newcomer}")).await;
    app.choose("clinicianId", &ana.to_string()).await;
    app.choose("roomId", &room_b.to_string()).await;
    app.fill("date", &tuesday).await;
    app.fill("durationMinutes", "60").await;
    app.click("find-next-slot").await;
    app.wait_for_text("next-slot-result", "11:00").await;
    app.click("book-submit").await;

    // The schedule says it is booked once the booking is stored.
    app.wait_for_text("schedule-news", "Booked: Intake screening")
        .await;
    let day = app
        .call("agenda", json!({ "from": tuesday, "days": 1 }))
        .await;
    let booked = day["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["clientId"] == newcomer)
        .cloned()
        .expect("the intake was booked");
    assert_eq!(booked["startsAt"], format!("{tuesday}T11:00:00Z"));
    let (s, e) = (
        booked["startsAt"].as_str().unwrap(),
        booked["endsAt"].as_str().unwrap(),
    );
    let overlaps = |a: &str, b: &str| a < e && s < b;
    for other in day["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["id"] != booked["id"] && a["clinicianId"] == ana)
    {
        assert!(
            !overlaps(
                other["startsAt"].as_str().unwrap(),
                other["endsAt"].as_str().unwrap()
            ),
            "collides with {other}"
        );
    }
    for session in day["sessions"].as_array().unwrap() {
        if session["facilitatorIds"]
            .as_array()
            .unwrap()
            .contains(&json!(ana))
        {
            assert!(
                !overlaps(
                    session["startsAt"].as_str().unwrap(),
                    session["endsAt"].as_str().unwrap()
                ),
                "collides with {session}"
            );
        }
    }
    app.screenshot_as("scheduling-next-slot").await;
    app.finish().await;
}
