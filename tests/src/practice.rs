//! A small practice for flows that need one session note to write: one
//! group led by the owner, one member booked into it, one session yesterday
//! that she attended, made through the commands the screens use.

use serde_json::json;

use crate::harness::admin;
use crate::{App, AppOptions};

/// The owner's passphrase in [`harbour_light`].
pub const OWNER_PASS: &str = "quiet lantern orchard tide";

/// A new practice made with circle-admin: Harbour Light Counselling, in
/// UTC (so "today" is the same day for the test and the practice), with
/// Dana Reyes ("dana", [`OWNER_PASS`]) as its owner; and the app open on
/// it at the unlock screen. The folder must live as long as the app.
pub async fn harbour_light(test: &str) -> (tempfile::TempDir, App) {
    let dir = tempfile::tempdir().expect("create the practice's folder");
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
        test,
        AppOptions {
            vault_dir: Some(dir.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    (dir, app)
}

/// What [`one_session`] made.
pub struct OneSession {
    pub session: i64,
    pub client: i64,
}

fn days_ago(days: u64) -> String {
    (chrono::Local::now().date_naive() - chrono::Days::new(days)).to_string()
}

/// With the owner signed in (and leading the group): a room, the group
/// "Steady Ground", Ann Lee booked into a seat, and one session yesterday
/// at 18:00 with no note yet.
pub async fn one_session(app: &App) -> OneSession {
    let owner = app.call("staff_directory", json!({})).await[0]["id"]
        .as_i64()
        .expect("the owner's staff id");
    let room = app
        .call(
            "room_create",
            json!({ "input": { "name": "Garden Room", "capacity": 12 } }),
        )
        .await["id"]
        .as_i64()
        .expect("the room's id");
    let group = app
        .call(
            "group_create",
            json!({ "input": { "name": "Steady Ground", "kind": "closed", "modality": "CBT",
                "capacity": 10, "primaryFacilitatorId": owner, "coFacilitatorIds": [],
                "defaultRoomId": room, "noteTemplate": "girp", "substanceUse": false } }),
        )
        .await["id"]
        .as_i64()
        .expect("the group's id");
    let session = app
        .call(
            "series_create",
            json!({ "groupId": group, "roomId": room, "recurrence": {
                "firstDate": days_ago(1), "startTime": "18:00", "durationMinutes": 90,
                "pattern": "weekly", "intervalWeeks": 1, "nthWeek": null, "weekday": null,
                "untilDate": null, "count": 1, "timezone": "" } }),
        )
        .await["sessions"][0]["id"]
        .as_i64()
        .expect("the session's id");
    let client = app
        .call(
            "client_create",
            json!({ "input": { "legalFirstName": "Ann", "legalLastName": "Lee",
                "preferredName": null, "pronouns": null, "dateOfBirth": null, "phone": null,
                "email": null, "emergencyName": null, "emergencyPhone": null,
                "status": "active" }, "confirmDuplicate": true }),
        )
        .await["client"]["id"]
        .as_i64()
        .expect("the client's id");
    // Her seat in the group.
    app.call(
        "enroll",
        json!({ "groupId": group, "clientId": client, "waitlist": false,
            "fromDate": days_ago(10) }),
    )
    .await;
    OneSession { session, client }
}

impl App {
    /// Today's "notes to write" → the session's note (Today reads its list
    /// when it opens, so it is opened afresh from another screen). This
    /// practice has no backup folder, so Today warns about backups above
    /// the list once it has asked: waiting for that warning first means
    /// nothing above the list moves it under the click.
    pub async fn open_note_from_today(&self, session: i64) {
        self.click("nav-groups").await;
        self.click("nav-today").await;
        self.by_testid("today-backup-warning").await;
        self.click(&format!("note-task-{session}")).await;
        self.by_testid("session-note-heading").await;
    }
}
