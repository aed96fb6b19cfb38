//! The keyboard alone, in the real window: the owner signs in, books a
//! client into a group's seat, records her attendance at yesterday's session
//! and signs the session's note, every step with keys (Tab, Shift+Tab,
//! arrows, Enter, Escape, typing) and never a click; the week schedule is
//! one Tab stop whose cells the arrow keys move through; and every Tab stop
//! on every screen draws a whole focus ring.
//!
//! Set-up (the room, the group, its session, the client) goes through the
//! commands the screens use. After each step the test checks what the person
//! would see, and at the moments that matter that focus is on a control with
//! a ring drawn around it, that a dialog takes focus as it opens, and that
//! Escape closes it with focus back on what opened it.

use chrono::Datelike;
use circle_e2e::practice::{harbour_light, OWNER_PASS};
use circle_e2e::App;
use fantoccini::key::Key;
use serde_json::{json, Value};

/// Signs in with the keyboard: the unlock screen opens with focus in the
/// username; type it, Tab to the passphrase, type it, Enter.
async fn sign_in_by_keyboard(app: &App) {
    app.by_testid("unlock-submit").await;
    app.wait_for_focus_css("[name=\"username\"]").await;
    app.assert_focus_visible("the unlock screen opens").await;
    app.type_keys("dana").await;
    app.tab_until_css("[name=\"passphrase\"]").await;
    app.type_keys(OWNER_PASS).await;
    app.press(Key::Enter).await;
    app.by_testid("home-heading").await;
}

fn day(days_from_today: i64) -> chrono::NaiveDate {
    chrono::Utc::now().date_naive() + chrono::Duration::days(days_from_today)
}

async fn id_of(app: &App, command: &str, args: Value, pointer: &str) -> i64 {
    let answer = app.call(command, args).await;
    answer
        .pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("{command} answered {answer}"))
}

/// Types a date into the DateField named `name` that has focus in its first
/// part: day, month and year in the order the field writes them, each part
/// moving on to the next when it is full.
async fn type_date(app: &App, name: &str, date: chrono::NaiveDate) {
    let order = app
        .find(&format!("[data-date-field=\"{name}\"]"))
        .await
        .attr("data-date-order")
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| "day,month,year".into());
    for part in order.split(',') {
        let digits = match part {
            "day" => format!("{:02}", date.day()),
            "month" => format!("{:02}", date.month()),
            _ => format!("{:04}", date.year()),
        };
        app.type_keys(&digits).await;
    }
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_seat_attendance_and_a_signed_note_with_the_keyboard_alone() {
    let started = std::time::Instant::now();
    let (_dir, app) = harbour_light("keyboard-flow").await;
    sign_in_by_keyboard(&app).await;

    // Set-up: Steady Ground (led by Dana) in the Garden Room, one session
    // yesterday at 18:00, and Ann Lee, a client with no seat yet.
    let owner = app.call("current_sign_in", json!({})).await["staffId"]
        .as_i64()
        .unwrap();
    let room = id_of(
        &app,
        "room_create",
        json!({ "input": { "name": "Garden Room", "capacity": 12 } }),
        "/id",
    )
    .await;
    let group = id_of(&app, "group_create", json!({ "input": { "name": "Steady Ground", "kind": "closed", "modality": "CBT",
        "capacity": 10, "primaryFacilitatorId": owner, "coFacilitatorIds": [], "defaultRoomId": room,
        "noteTemplate": "girp", "substanceUse": false } }), "/id").await;
    let session = id_of(&app, "series_create", json!({ "groupId": group, "roomId": room, "recurrence": {
        "firstDate": day(-1).to_string(), "startTime": "18:00", "durationMinutes": 90, "pattern": "weekly",
        "intervalWeeks": 1, "nthWeek": null, "weekday": null, "untilDate": null, "count": 1, "timezone": "" } }),
        "/sessions/0/id").await;
    let ann = id_of(
        &app,
        "client_create",
        json!({ "input": { "legalFirstName": "Ann", "legalLastName": "Lee", "preferredName": null,
            "pronouns": null, "dateOfBirth": null, "phone": null, "email": null, "emergencyName": null,
            "emergencyPhone": null, "status": "active" }, "confirmDuplicate": true }),
        "/client/id",
    )
    .await;

    // 1. A seat: Groups (back through the navigation), the group, its roster's
    //    "Enroll a client": type her name, ↓ to the match, Enter; the date she
    //    joins from, typed; Enter on Enroll.
    app.shift_tab_until("nav-groups").await;
    app.assert_focus_visible("the navigation").await;
    app.press(Key::Enter).await;
    app.tab_until(&format!("group-row-{group}")).await;
    app.assert_focus_visible("a group in the list").await;
    app.press(Key::Enter).await;
    app.by_testid("group-header").await;
    app.tab_until_css("[name=\"enrollClientQuery\"]").await;
    app.assert_focus_visible("the client search").await;
    app.type_keys("Lee").await;
    app.by_testid(&format!("enroll-pick-{ann}")).await;
    app.press(Key::Down).await;
    app.press(Key::Enter).await;
    app.wait_for_text("enroll-pick-chosen", "Ann Lee").await;
    // Focus went on to the next field; the date she joins from is a Tab or two on.
    app.tab_until_css("[data-date-field=\"enrollFromDate\"] [data-segment]")
        .await;
    app.assert_focus_visible("the date she joins from").await;
    type_date(&app, "enrollFromDate", day(-10)).await;
    app.tab_until("enroll-submit").await;
    app.assert_focus_visible("Enroll").await;
    app.screenshot_as("keyboard-flow-enroll").await;
    app.press(Key::Enter).await;
    app.wait_for_text("enroll-outcome", "Enrolled; booked into 1 session")
        .await;
    app.by_testid(&format!("member-row-{ann}")).await;
    let booked = app
        .call("check_in_list", json!({ "sessionId": session }))
        .await;
    assert!(
        booked
            .as_array()
            .unwrap()
            .iter()
            .any(|row| row["clientId"] == ann),
        "her seat books her into yesterday's session: {booked}"
    );

    // 2. Attendance: the session's column in the attendance grid opens its
    //    check-in list, with focus inside; Present, then Save; Escape closes
    //    it, and focus is back on the column.
    let column = format!("attendance-col-{session}");
    app.tab_until(&column).await;
    app.assert_focus_visible("the session's column").await;
    app.press(Key::Enter).await;
    app.by_testid("checkin-dialog").await;
    // Focus starts at her attendance, the list's first control.
    app.wait_for_focus(&format!("attendance-status-{ann}"))
        .await;
    app.assert_focus_visible("the check-in list opens").await;
    // A closed drop-down takes the first letter of its choice.
    app.type_keys("P").await;
    app.tab_until(&format!("attendance-save-{ann}")).await;
    app.assert_focus_visible("Save attendance").await;
    app.screenshot_as("keyboard-flow-checkin").await;
    app.press(Key::Enter).await;
    app.wait_for_text(&format!("attendance-state-{ann}"), "Recorded: Present")
        .await;
    app.press(Key::Escape).await;
    app.wait_for_count("[data-testid=\"checkin-dialog\"]", 0)
        .await;
    app.wait_for_focus(&column).await;
    app.assert_focus_visible("the check-in list closed with Escape")
        .await;
    app.wait_for_text(&format!("attendance-{session}-{ann}"), "Present")
        .await;

    // 3. The note: Today (back through the navigation), its "notes to
    //    write", the session; the shared part and Ann's section typed; the
    //    risk level chosen; Sign note…, then Sign note in the dialog.
    app.shift_tab_until("nav-today").await;
    app.press(Key::Enter).await;
    app.tab_until(&format!("note-task-{session}")).await;
    app.assert_focus_visible("the note to write").await;
    app.press(Key::Enter).await;
    app.by_testid("session-note-heading").await;
    for (field, text) in [
        ("shared-topic", "Sleep routines and the evening wind-down."),
        ("shared-interventions", "Grounding, then a round of plans."),
        ("shared-process", "Calm; everyone spoke."),
    ] {
        app.tab_until(field).await;
        app.type_keys(text).await;
    }
    for (section, text) in [
        ("participation", "Spoke first in the round."),
        ("response", "Tried the grounding twice."),
        ("plan", "Keep a sleep diary this week."),
    ] {
        let field = format!("member-{ann}-{section}");
        app.tab_until(&field).await;
        app.assert_focus_visible("a section of her note").await;
        app.type_keys(text).await;
    }
    app.tab_until(&format!("member-{ann}-risk-level")).await;
    app.type_keys("N").await;
    app.tab_until("note-sign").await;
    app.assert_focus_visible("Sign note…").await;
    app.screenshot_as("keyboard-flow-note").await;
    app.press(Key::Enter).await;
    app.by_testid("sign-dialog").await;
    app.wait_for_focus_css("[data-testid=\"sign-dialog\"] button")
        .await;
    app.assert_focus_visible("the sign dialog opens").await;
    // Escape first: the dialog closes and focus is back on Sign note….
    app.press(Key::Escape).await;
    app.wait_for_count("[data-testid=\"sign-dialog\"]", 0).await;
    app.wait_for_focus("note-sign").await;
    app.assert_focus_visible("the sign dialog closed with Escape")
        .await;
    app.press(Key::Enter).await;
    app.by_testid("sign-dialog").await;
    app.tab_until("note-sign-confirm").await;
    app.press(Key::Enter).await;
    app.wait_for_text("note-status", "Signed").await;
    app.wait_for_text("note-signature", "Dana Reyes").await;
    // The sign button is gone with the editor: focus is on the note's
    // heading (read out first), and the next Tab goes on from there.
    app.wait_for_focus("session-note-heading").await;
    app.press(Key::Tab).await;
    app.assert_focus_visible("the first control of the signed note")
        .await;
    app.screenshot_as("keyboard-flow-signed").await;

    let note = app
        .call("session_note", json!({ "sessionId": session }))
        .await;
    assert_eq!(note["status"], "signed", "{note}");
    println!(
        "keyboard: the whole flow took {:.1}s",
        started.elapsed().as_secs_f64()
    );
    app.finish().await;
}

/// How many places in the week grid Tab would stop on (it must be one).
async fn grid_tab_stops(app: &App) -> usize {
    app.count("[data-testid=\"week-grid\"] [tabindex=\"0\"]")
        .await
}

/// Presses `key` and waits for focus to land on `testid`, which must show
/// its ring; returns what the screen reader would read for it.
async fn arrow(app: &App, key: Key, testid: &str) -> String {
    app.press(key).await;
    app.wait_for_focus(testid).await;
    let now = app
        .assert_focus_visible(&format!("{key:?} to {testid}"))
        .await;
    assert_eq!(grid_tab_stops(app).await, 1, "one Tab stop after {key:?}");
    now.name
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_week_grid_is_one_tab_stop_and_the_arrow_keys_move_through_it() {
    let started = std::time::Instant::now();
    let (_dir, app) = harbour_light("keyboard-week-grid").await;
    sign_in_by_keyboard(&app).await;

    // Next week: Steady Ground in the Garden Room on Monday at 18:00 and on
    // Wednesday at 10:00 and 18:00; Evening Recovery in the Harbour Room on
    // Wednesday at 12:00.
    let owner = app.call("current_sign_in", json!({})).await["staffId"]
        .as_i64()
        .unwrap();
    let mut rooms = Vec::new();
    for name in ["Garden Room", "Harbour Room"] {
        rooms.push(
            id_of(
                &app,
                "room_create",
                json!({ "input": { "name": name, "capacity": 12 } }),
                "/id",
            )
            .await,
        );
    }
    let (garden, harbour) = (rooms[0], rooms[1]);
    let today = day(0);
    let next_monday =
        today + chrono::Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
    let wednesday = next_monday + chrono::Duration::days(2);
    let mut groups = Vec::new();
    for (name, room) in [("Steady Ground", garden), ("Evening Recovery", harbour)] {
        groups.push(id_of(&app, "group_create", json!({ "input": { "name": name, "kind": "closed", "modality": "CBT",
            "capacity": 10, "primaryFacilitatorId": owner, "coFacilitatorIds": [], "defaultRoomId": room,
            "noteTemplate": "girp", "substanceUse": false } }), "/id").await);
    }
    let session = |group: i64, room: i64, date: chrono::NaiveDate, time: &str| {
        let args = json!({ "groupId": group, "roomId": room, "recurrence": {
            "firstDate": date.to_string(), "startTime": time, "durationMinutes": 90, "pattern": "weekly",
            "intervalWeeks": 1, "nthWeek": null, "weekday": null, "untilDate": null, "count": 1, "timezone": "" } });
        let app = &app;
        async move { id_of(app, "series_create", args, "/sessions/0/id").await }
    };
    let monday_18 = session(groups[0], garden, next_monday, "18:00").await;
    let wednesday_10 = session(groups[0], garden, wednesday, "10:00").await;
    let wednesday_18 = session(groups[0], garden, wednesday, "18:00").await;
    let harbour_12 = session(groups[1], harbour, wednesday, "12:00").await;

    // Schedule, then Tab into the grid: one stop, on today's cell in the first room.
    app.shift_tab_until("nav-schedule").await;
    app.press(Key::Enter).await;
    app.by_testid("week-grid").await;
    app.tab_until_css("[data-testid=\"week-grid\"] [tabindex=\"0\"]")
        .await;
    let entered = app.assert_focus_visible("Tab into the grid").await;
    assert_eq!(entered.testid, format!("book-cell-{garden}-{today}"));
    assert_eq!(grid_tab_stops(&app).await, 1);
    println!("keyboard: Tab enters the grid on {entered:?}");

    // PageDown: next week, the same weekday; Home: its Monday.
    app.press(Key::PageDown).await;
    app.by_testid(&format!("day-head-{next_monday}")).await;
    let weekday =
        next_monday + chrono::Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let landed = match weekday {
        d if d == next_monday => format!("item-session-{monday_18}"),
        d if d == wednesday => format!("item-session-{wednesday_10}"),
        d => format!("book-cell-{garden}-{d}"),
    };
    app.wait_for_focus(&landed).await;
    let monday = arrow(&app, Key::Home, &format!("item-session-{monday_18}")).await;
    assert!(
        monday.contains("Garden Room: 18:00–19:30, Steady Ground"),
        "a booking reads its day, time, room and group: {monday:?}"
    );

    // → → to Wednesday; ↓ through its two sessions and "book here", on into
    // the Harbour Room; ↑ back.
    arrow(
        &app,
        Key::Right,
        &format!(
            "book-cell-{garden}-{}",
            next_monday + chrono::Duration::days(1)
        ),
    )
    .await;
    arrow(&app, Key::Right, &format!("item-session-{wednesday_10}")).await;
    arrow(&app, Key::Down, &format!("item-session-{wednesday_18}")).await;
    app.screenshot_as("keyboard-week-grid-arrows").await;
    arrow(&app, Key::Down, &format!("book-cell-{garden}-{wednesday}")).await;
    let harbour_read = arrow(&app, Key::Down, &format!("item-session-{harbour_12}")).await;
    assert!(
        harbour_read.contains("Harbour Room: 12:00–13:30, Evening Recovery"),
        "{harbour_read:?}"
    );
    arrow(&app, Key::Up, &format!("book-cell-{garden}-{wednesday}")).await;
    arrow(
        &app,
        Key::End,
        &format!(
            "book-cell-{garden}-{}",
            next_monday + chrono::Duration::days(6)
        ),
    )
    .await;
    arrow(&app, Key::Home, &format!("item-session-{monday_18}")).await;

    // Enter opens the session's summary with focus inside; Escape closes it
    // and focus is back on the session.
    app.press(Key::Enter).await;
    app.by_testid("session-popover").await;
    app.wait_for_focus_css("[data-testid=\"session-popover\"] button")
        .await;
    app.assert_focus_visible("the session's summary opens")
        .await;
    app.press(Key::Escape).await;
    app.wait_for_count("[data-testid=\"session-popover\"]", 0)
        .await;
    app.wait_for_focus(&format!("item-session-{monday_18}"))
        .await;
    app.assert_focus_visible("the summary closed with Escape")
        .await;

    // Enter on an empty cell opens the booking form for that day and room.
    arrow(
        &app,
        Key::Down,
        &format!("book-cell-{garden}-{next_monday}"),
    )
    .await;
    app.press(Key::Enter).await;
    app.by_testid("book-dialog").await;
    app.wait_for_focus_css("[data-testid=\"book-dialog\"] *")
        .await;
    app.assert_focus_visible("the booking form opens").await;
    app.press(Key::Escape).await;
    app.wait_for_count("[data-testid=\"book-dialog\"]", 0).await;
    app.wait_for_focus(&format!("book-cell-{garden}-{next_monday}"))
        .await;

    // Shift+Tab leaves the grid; Tab comes back to the same place.
    app.chord(Key::Shift, Key::Tab).await;
    let outside = app.focused().await;
    assert!(
        !outside.testid.starts_with("book-cell-") && !outside.testid.starts_with("item-"),
        "Shift+Tab leaves the grid at once: {outside:?}"
    );
    app.press(Key::Tab).await;
    app.wait_for_focus(&format!("book-cell-{garden}-{next_monday}"))
        .await;

    // The smallest window shows one day, the one being visited; → and ←
    // change the day shown.
    app.resize(720, 520).await;
    app.by_testid("day-tabs").await;
    app.by_testid(&format!("day-head-{next_monday}")).await;
    app.wait_for_focus(&format!("book-cell-{garden}-{next_monday}"))
        .await;
    let tuesday = next_monday + chrono::Duration::days(1);
    arrow(&app, Key::Right, &format!("book-cell-{garden}-{tuesday}")).await;
    app.by_testid(&format!("day-head-{tuesday}")).await;
    arrow(&app, Key::Right, &format!("item-session-{wednesday_10}")).await;
    app.screenshot_as("keyboard-week-grid-one-day").await;
    arrow(&app, Key::Left, &format!("book-cell-{garden}-{tuesday}")).await;
    println!(
        "keyboard: the week grid test took {:.1}s",
        started.elapsed().as_secs_f64()
    );
    app.finish().await;
}

/// The screens in the navigation, in its order, for the owner.
const SCREENS: [&str; 9] = [
    "today", "schedule", "groups", "clients", "notes", "staff", "audit", "settings", "account",
];

/// Tabs from where focus is to the end of the page (the next stop after the
/// last is the page's first: the skip link, Lock or the navigation), noting
/// every stop without a whole ring in `problems`; returns how many stops.
async fn sweep(app: &App, screen: &str, problems: &mut Vec<String>) -> usize {
    let mut stops = 0;
    for _ in 0..150 {
        app.press(Key::Tab).await;
        let now = app.focused().await;
        let wrapped = now.testid.starts_with("nav-")
            || now.testid == "lock-button"
            || (now.tag == "a" && now.name.starts_with("Skip"));
        if wrapped {
            break;
        }
        stops += 1;
        if now.tag == "body" || now.ring.is_none() || now.clipped.is_some() {
            let shot = app
                .screenshot_as(&format!("keyboard-rings-{screen}-{stops}"))
                .await;
            problems.push(format!("{screen}: {now:?} ({})", shot.display()));
        }
    }
    println!("keyboard: {screen} has {stops} Tab stops");
    stops
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn every_tab_stop_on_every_screen_shows_a_whole_focus_ring() {
    let started = std::time::Instant::now();
    let (_dir, app) = harbour_light("keyboard-rings").await;
    sign_in_by_keyboard(&app).await;
    // Something on each screen: a group with a member, yesterday's session
    // (a note to write) and one today (Today's list).
    circle_e2e::practice::one_session(&app).await;
    let group = app
        .call("group_list", json!({ "includeArchived": false }))
        .await[0]["id"]
        .as_i64()
        .unwrap();
    let room = app.call("room_list", json!({})).await[0]["id"]
        .as_i64()
        .unwrap();
    app.call("series_create", json!({ "groupId": group, "roomId": room, "recurrence": {
        "firstDate": day(0).to_string(), "startTime": "23:00", "durationMinutes": 30, "pattern": "weekly",
        "intervalWeeks": 1, "nthWeek": null, "weekday": null, "untilDate": null, "count": 1, "timezone": "" } }))
        .await;

    let mut problems = Vec::new();
    let mut seen = 0;
    for screen in SCREENS {
        app.shift_tab_until(&format!("nav-{screen}")).await;
        app.press(Key::Enter).await;
        seen += sweep(&app, screen, &mut problems).await;
        if screen == "groups" {
            // And the group's own page: roster, sessions, attendance.
            app.shift_tab_until("nav-groups").await;
            app.tab_until_css("[data-testid^=\"group-row-\"]").await;
            app.press(Key::Enter).await;
            app.by_testid("group-header").await;
            seen += sweep(&app, "group", &mut problems).await;
        }
    }
    println!(
        "keyboard: {seen} Tab stops checked in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "Tab stops whose focus ring does not show whole:\n{}",
        problems.join("\n")
    );
    app.finish().await;
}
