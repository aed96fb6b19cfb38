//! The week grid fits the window: all seven days at the default size with
//! nothing to scroll sideways, and one day at a time in a narrow window,
//! with the grid in view without scrolling down.

use chrono::Datelike;
use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::{json, Value};

const OWNER_PASS: &str = "quiet lantern orchard tide";

/// The page's horizontal overflow and where the grid and its days sit.
const MEASURE: &str = r#"
const page = document.scrollingElement;
const table = document.querySelector('[data-testid="week-grid"]');
const heads = [...document.querySelectorAll('[data-testid^="day-head-"]')];
const rect = (el) => { const r = el.getBoundingClientRect(); return { left: r.left, right: r.right, top: r.top, bottom: r.bottom }; };
const firstRow = table ? table.querySelector('tbody tr') : null;
return {
  innerWidth: window.innerWidth, innerHeight: window.innerHeight,
  scrollWidth: page.scrollWidth, clientWidth: page.clientWidth, scrollTop: page.scrollTop,
  region: table ? { scrollWidth: table.parentElement.scrollWidth, clientWidth: table.parentElement.clientWidth } : null,
  table: table ? rect(table) : null,
  firstRow: firstRow ? rect(firstRow) : null,
  days: heads.map((h) => ({ date: h.dataset.testid.slice('day-head-'.length), ...rect(h) })),
};
"#;

async fn measure(app: &App) -> Value {
    app.next_frames().await;
    app.script(MEASURE).await
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn the_week_fits_the_default_window_and_a_narrow_one_shows_a_day() {
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
    let app = App::launch(
        "week-grid",
        AppOptions {
            vault_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    let me = app.call("current_sign_in", json!({})).await["staffId"]
        .as_i64()
        .unwrap();
    let mut rooms = Vec::new();
    for name in ["Garden Room", "Harbour Room"] {
        let id = app
            .call(
                "room_create",
                json!({ "input": { "name": name, "capacity": 10 } }),
            )
            .await["id"]
            .as_i64()
            .unwrap();
        rooms.push(id);
    }
    // Next week, so every day of it is still to come: Monday to Sunday.
    let today = chrono::Utc::now().date_naive();
    let next_monday =
        today + chrono::Days::new(7 - u64::from(today.weekday().num_days_from_monday()));
    let sunday = (next_monday + chrono::Days::new(6)).to_string();
    let group = app.call("group_create", json!({ "input": { "name": "Evening Recovery Skills", "kind": "rolling", "modality": "Relapse prevention",
        "capacity": 8, "primaryFacilitatorId": me, "coFacilitatorIds": [], "defaultRoomId": rooms[0], "noteTemplate": "girp", "substanceUse": false } })).await["id"].as_i64().unwrap();
    for day in [0, 2, 6] {
        let date = (next_monday + chrono::Days::new(day)).to_string();
        app.call("series_create", json!({ "groupId": group, "roomId": rooms[day as usize % 2], "recurrence": { "firstDate": date, "startTime": "18:00",
            "durationMinutes": 90, "pattern": "weekly", "intervalWeeks": 1, "nthWeek": null, "weekday": null, "untilDate": null, "count": 1, "timezone": "" } })).await;
    }

    // The app's default window (src-tauri/tauri.conf.json).
    app.resize(1200, 800).await;
    app.click("nav-schedule").await;
    app.click("week-next").await;
    app.by_testid(&format!("day-head-{sunday}")).await;
    let seen = measure(&app).await;
    app.screenshot_as("week-grid-1200x800").await;
    println!("1200×800: {seen}");
    let num = |v: &Value| v.as_f64().unwrap_or_else(|| panic!("a number, not {v}"));
    assert!(
        num(&seen["scrollWidth"]) <= num(&seen["clientWidth"]),
        "the page scrolls sideways at 1200×800: {seen}"
    );
    assert!(
        num(&seen["region"]["scrollWidth"]) <= num(&seen["region"]["clientWidth"]),
        "the grid scrolls sideways at 1200×800: {seen}"
    );
    let days = seen["days"].as_array().expect("the day columns");
    assert_eq!(days.len(), 7, "all seven days show side by side: {seen}");
    let sun = days.last().unwrap();
    assert_eq!(sun["date"], sunday.as_str());
    assert!(
        num(&sun["left"]) >= 0.0 && num(&sun["right"]) <= num(&seen["innerWidth"]),
        "Sunday's column is inside the window: {sun}"
    );
    // Sunday's session is on screen, not cut off.
    let sunday_cell = app
        .script(&format!(
            "const r = document.querySelector('[data-testid=\"book-cell-{}-{sunday}\"]').closest('td').getBoundingClientRect();\
             return r.right <= window.innerWidth;",
            rooms[0]
        ))
        .await;
    assert_eq!(
        sunday_cell,
        Value::Bool(true),
        "Sunday's cell is inside the window"
    );

    // The smallest window the app allows: one day at a time, in view.
    app.resize(720, 520).await;
    app.by_testid("day-tabs").await;
    let seen = measure(&app).await;
    app.screenshot_as("week-grid-720x520").await;
    println!("720×520: {seen}");
    assert_eq!(num(&seen["scrollTop"]), 0.0, "nothing was scrolled");
    assert!(
        num(&seen["scrollWidth"]) <= num(&seen["clientWidth"]),
        "the page scrolls sideways at 720×520: {seen}"
    );
    let days = seen["days"].as_array().expect("the day column");
    assert_eq!(days.len(), 1, "a single day shows: {seen}");
    assert!(
        num(&seen["table"]["top"]) < num(&seen["innerHeight"]),
        "the grid starts above the fold: {seen}"
    );
    assert!(
        num(&seen["firstRow"]["bottom"]) <= num(&seen["innerHeight"]),
        "the first room's row is in view without scrolling: {seen}"
    );
    // Another day is a tab away; its session shows.
    let wednesday = (next_monday + chrono::Days::new(2)).to_string();
    app.click(&format!("day-tab-{wednesday}")).await;
    app.by_testid(&format!("day-head-{wednesday}")).await;
    app.wait_for_count("[data-testid^=\"item-session-\"]", 1)
        .await;
    app.screenshot_as("week-grid-720x520-wednesday").await;
    app.finish().await;
}
