//! Backups in the real window: a backup folder that goes missing is named
//! on Today until a backup works again; a backup made from Settings is
//! restored from the unlock screen into a new folder, which Circle then
//! opens, with a client's signed note in their chart.
//!
//! The folder and file dialogs cannot be reached through WebDriver, so the
//! app is launched with the `e2e` feature's hooks: `AppOptions::backup_dir`
//! is the folder "Choose folder…" picks, `restore_file` the backup (the
//! newest in a folder) "Choose the backup file…" picks, and `restore_into`
//! the new folder a restore goes to.

use std::path::Path;

use circle_e2e::harness::{admin, UI_WAIT};
use circle_e2e::{App, AppOptions};
use serde_json::json;

const OWNER_PASS: &str = "quiet lantern orchard tide";
const PRACTICE: &str = "Harbour Light Counselling";

fn init_vault(vault: &Path) {
    admin(
        vault,
        &[
            "init",
            "--practice",
            PRACTICE,
            "--owner",
            "dana",
            "--name",
            "Dana Reyes",
            "--timezone",
            "Europe/London",
        ],
        OWNER_PASS,
        "",
    );
}

fn days_ago(days: u64) -> String {
    (chrono::Local::now().date_naive() - chrono::Days::new(days)).to_string()
}

/// Waits until `testid` shows and its text contains `needle`; a wait past
/// the limit fails with a picture of the window.
async fn wait_shown(app: &App, testid: &str, needle: &str, shot: &str) -> String {
    let css = format!("[data-testid=\"{testid}\"]");
    let deadline = std::time::Instant::now() + UI_WAIT;
    loop {
        if app.count(&css).await == 1 {
            let text = app.text_of(&css).await;
            if text.contains(needle) {
                return text;
            }
        }
        if std::time::Instant::now() > deadline {
            let path = app.screenshot_as(shot).await;
            panic!(
                "{testid} never showed {needle:?}; the window: {}",
                path.display()
            );
        }
        app.next_frames().await;
    }
}

/// Scrolls the Backups card's top to the top of the window (it is taller
/// than the window), for a picture of it.
async fn show_backups_card(app: &App) {
    app.by_testid("backups-card").await;
    app.script(
        "document.querySelector('[data-testid=backups-card]').scrollIntoView({ block: 'start' });",
    )
    .await;
}

/// The files in `dir` Circle wrote as backups.
fn backups_in(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".circlebackup"))
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_missing_backup_folder_is_named_on_today_until_a_backup_works() {
    let vault = tempfile::tempdir().unwrap();
    let drive = tempfile::tempdir().unwrap();
    let folder = drive.path().join("circle-backups");
    std::fs::create_dir(&folder).unwrap();
    init_vault(vault.path());
    let app = App::launch(
        "backups-missing-folder",
        AppOptions {
            vault_dir: Some(vault.path().to_path_buf()),
            backup_dir: Some(folder.clone()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;

    // Nothing set up yet: Today says so, and leads to Settings → Backups.
    wait_shown(
        &app,
        "today-backup-warning",
        "Backups are not set up",
        "backups-not-set-up-failed",
    )
    .await;
    app.click("today-backup-settings").await;
    app.click("backup-choose-folder").await;
    let shown = folder.display().to_string();
    wait_shown(&app, "backup-folder", &shown, "backups-folder-failed").await;
    wait_shown(
        &app,
        "backup-folder-saved",
        "Saved",
        "backups-folder-failed",
    )
    .await;

    // The drive is gone: the backup fails and says why.
    std::fs::remove_dir_all(&folder).unwrap();
    app.click("backup-now").await;
    let failure = wait_shown(
        &app,
        "backup-last-failure",
        "cannot be found",
        "backups-failure-failed",
    )
    .await;
    assert!(failure.contains(&shown), "{failure}");
    show_backups_card(&app).await;
    app.screenshot_as("backups-card-failed-attempt").await;

    // Today names the reason, calmly, with the way back to Settings.
    app.click("nav-today").await;
    let warning = wait_shown(
        &app,
        "today-backup-warning",
        "cannot be found",
        "backups-today-failed",
    )
    .await;
    assert!(
        warning.starts_with("The last backup did not work."),
        "{warning}"
    );
    app.screenshot_as("backups-today-warning").await;

    // The drive is back: a backup works, and the warning is gone.
    std::fs::create_dir(&folder).unwrap();
    app.click("today-backup-settings").await;
    app.click("backup-now").await;
    wait_shown(&app, "backup-result", "Backed up", "backups-now-failed").await;
    assert_eq!(backups_in(&folder).len(), 1, "{:?}", backups_in(&folder));
    wait_shown(&app, "backup-last-success", "MB", "backups-now-failed").await;
    show_backups_card(&app).await;
    app.screenshot_as("backups-card").await;
    app.click("backup-verify").await;
    wait_shown(
        &app,
        "backup-verify-report",
        "Everything checks out",
        "backups-verify-failed",
    )
    .await;

    let status = app.call("backup_status", json!({})).await;
    assert!(status["warning"].is_null(), "{status}");
    app.click("nav-today").await;
    app.by_testid("home-heading").await;
    // Today asks for the status as it opens; give the answer time to land.
    for _ in 0..10 {
        app.next_frames().await;
    }
    assert_eq!(app.count("[data-testid=today-backup-warning]").await, 0);
    app.finish().await;
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_backup_is_restored_into_a_new_folder_from_the_unlock_screen() {
    let vault = tempfile::tempdir().unwrap();
    let drive = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let backups = drive.path().join("circle-backups");
    std::fs::create_dir(&backups).unwrap();
    let restored = elsewhere.path().join("Circle vault");
    init_vault(vault.path());
    let app = App::launch(
        "backups-restore",
        AppOptions {
            vault_dir: Some(vault.path().to_path_buf()),
            backup_dir: Some(backups.clone()),
            restore_file: Some(backups.clone()),
            restore_into: Some(restored.clone()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;

    // Set-up through the commands the screens use: a group led by the
    // owner, one member, one session a week ago with a signed note.
    let dana = app.call("staff_directory", json!({})).await[0]["id"]
        .as_i64()
        .unwrap();
    let room = app
        .call(
            "room_create",
            json!({ "input": { "name": "Garden Room", "capacity": 12 } }),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let group = app
        .call(
            "group_create",
            json!({ "input": { "name": "Steady Ground", "kind": "closed", "modality": "CBT",
                "capacity": 10, "primaryFacilitatorId": dana, "coFacilitatorIds": [],
                "defaultRoomId": room, "noteTemplate": "girp", "substanceUse": false } }),
        )
        .await["id"]
        .as_i64()
        .unwrap();
    let session = app
        .call(
            "series_create",
            json!({ "groupId": group, "roomId": room, "recurrence": {
                "firstDate": days_ago(7), "startTime": "18:00", "durationMinutes": 90,
                "pattern": "weekly", "intervalWeeks": 1, "nthWeek": null, "weekday": null,
                "untilDate": null, "count": 1, "timezone": "" } }),
        )
        .await["sessions"][0]["id"]
        .as_i64()
        .unwrap();
    let ann = app
        .call(
            "client_create",
            json!({ "input": { "legalFirstName": "Ann", "legalLastName": "Lee",
                "preferredName": null, "pronouns": null, "dateOfBirth": null, "phone": null,
                "email": null, "emergencyName": null, "emergencyPhone": null,
                "status": "active" }, "confirmDuplicate": true }),
        )
        .await["client"]["id"]
        .as_i64()
        .unwrap();
    app.call(
        "enroll",
        json!({ "groupId": group, "clientId": ann, "waitlist": false, "fromDate": days_ago(20) }),
    )
    .await;
    app.call(
        "attendance_record",
        json!({ "input": { "sessionId": session, "clientId": ann, "status": "present",
            "arrivedAt": null, "leftAt": null } }),
    )
    .await;
    let sections = ["participation", "response", "plan"]
        .map(|key| json!({ "key": key, "body": "Ann practised the breathing exercise." }));
    let saved = app
        .call(
            "note_save_draft",
            json!({ "input": { "sessionId": session, "revision": 0,
                "shared": [
                    { "key": "topic", "body": "Sleep routines." },
                    { "key": "interventions", "body": "Grounding in pairs." }
                ],
                "members": [{ "clientId": ann, "riskLevel": "none", "riskText": "",
                    "goalRatings": [], "sections": sections }] } }),
        )
        .await;
    app.call(
        "note_sign",
        json!({ "sessionId": session, "revision": saved["revision"] }),
    )
    .await;

    // Settings → Backups: the folder, then a backup now.
    app.click("nav-settings").await;
    app.click("backup-choose-folder").await;
    wait_shown(
        &app,
        "backup-folder",
        &backups.display().to_string(),
        "backups-restore-folder-failed",
    )
    .await;
    app.click("backup-now").await;
    wait_shown(
        &app,
        "backup-result",
        "Backed up",
        "backups-restore-now-failed",
    )
    .await;
    assert_eq!(backups_in(&backups).len(), 1);

    // Locked: restore from the unlock screen into a new folder.
    app.lock().await;
    app.click("restore-open").await;
    app.click("restore-choose-file").await;
    wait_shown(
        &app,
        "restore-practice",
        PRACTICE,
        "backups-restore-summary-failed",
    )
    .await;
    assert_eq!(
        app.text_of("[data-testid=restore-holds]").await,
        "1 client, 1 group, 1 session"
    );
    assert_eq!(
        app.text_of("[data-testid=restore-notes]").await,
        "1 signed note"
    );
    app.screenshot_as("backups-restore-summary").await;
    // The dialog's own fields: the unlock form behind it has fields of the same names.
    app.fill_testid("restore-username", "dana").await;
    app.fill_testid("restore-passphrase", OWNER_PASS).await;
    app.click("restore-new-folder").await;
    app.click("restore-submit").await;
    app.by_testid("restore-confirm-text").await;
    app.screenshot_as("backups-restore-confirm").await;
    app.click("restore-confirm").await;
    wait_shown(
        &app,
        "restore-result",
        "Circle opens the vault there from now on.",
        "backups-restore-result-failed",
    )
    .await;
    app.screenshot_as("backups-restore-done").await;
    // From now on Circle opens the restored folder; the old vault is untouched.
    assert_eq!(
        app.text_of("[data-testid=vault-dir]").await,
        restored.display().to_string()
    );
    assert!(restored.join("keyring.json").is_file());
    assert!(vault.path().join("keyring.json").is_file());

    // Signed in to the restored vault, Ann's chart shows her signed note.
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;
    app.click("nav-clients").await;
    app.fill("clientSearch", "Lee").await;
    app.wait_for_count("[data-testid^=client-row-]", 1).await;
    app.find(&format!("[data-testid=client-row-{ann}] button"))
        .await
        .click()
        .await
        .unwrap();
    let note = wait_shown(
        &app,
        &format!("chart-note-{session}"),
        "Ann practised the breathing exercise.",
        "backups-restore-chart-failed",
    )
    .await;
    assert!(note.contains("Signed"), "{note}");
    app.scroll_to(&format!("chart-note-{session}")).await;
    app.screenshot_as("backups-restored-chart").await;
    app.finish().await;
}
