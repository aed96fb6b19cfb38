//! PDF exports in the real window: a member's record from the client's
//! chart holds that member and no other member of their group; a signed
//! session's packet holds the whole note; "Check a PDF" knows a released
//! file from a changed one; the letterhead set in Settings is printed on the
//! day sheet from Today; a new recovery code's sheet holds that code.
//!
//! The save dialog cannot be reached through WebDriver, so the app is
//! launched with `AppOptions::export_dir` (the `e2e` feature's launch hook):
//! every export lands there under its suggested name, and "Check a PDF"
//! checks the newest PDF there. The PDFs are read back with `pdftotext`.

use std::path::{Path, PathBuf};

use circle_e2e::harness::admin;
use circle_e2e::{App, AppOptions};
use serde_json::json;

const OWNER_PASS: &str = "quiet lantern orchard tide";

/// The members of "Steady Ground": first, last, and every form of their
/// name that must not appear in another member's record.
const MEMBERS: [(&str, &str, &[&str]); 3] = [
    ("Ann", "Lee", &["ann", "lee"]),
    ("Zoë", "Martin", &["zoë", "zoe", "martin"]),
    ("Robert", "Okafor", &["robert", "okafor"]),
];

fn words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The PDF's text as `pdftotext -layout` reads it (what a person could
/// select and search).
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("run pdftotext (apt-get install poppler-utils)");
    assert!(
        out.status.success(),
        "pdftotext {}: {}",
        path.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The one file in `dir` whose name starts with `prefix`.
fn exported(dir: &Path, prefix: &str) -> PathBuf {
    let found: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the export folder")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefix))
        })
        .collect();
    assert_eq!(
        found.len(),
        1,
        "one {prefix}… file in {}: {found:?}",
        dir.display()
    );
    found.into_iter().next().unwrap()
}

/// Typesetting can take longer than one UI wait on a loaded machine in a
/// debug build (the first export also reads the system's fonts).
const EXPORT_WAIT: std::time::Duration = std::time::Duration::from_secs(90);

/// Waits for the export dialog to say what it saved; returns that line.
async fn wait_saved(app: &App, shot: &str) -> String {
    let deadline = std::time::Instant::now() + EXPORT_WAIT;
    loop {
        if app.count("[data-testid=export-saved]").await == 1 {
            return app.text_of("[data-testid=export-saved]").await;
        }
        if std::time::Instant::now() > deadline {
            let path = app.screenshot_as(shot).await;
            panic!("the export never finished; the window: {}", path.display());
        }
        app.next_frames().await;
    }
}

/// Waits for "Check a PDF" to answer with `needle`; a refusal or a wait
/// past the limit fails with a picture of the window.
async fn wait_checked(app: &App, needle: &str) {
    let deadline = std::time::Instant::now() + circle_e2e::harness::UI_WAIT;
    loop {
        if app.count("[data-testid=verify-error]").await == 1 {
            panic!(
                "the check was refused: {}",
                app.text_of("[data-testid=verify-error]").await
            );
        }
        if app.count("[data-testid=verify-result]").await == 1
            && app
                .text_of("[data-testid=verify-result]")
                .await
                .contains(needle)
        {
            return;
        }
        if std::time::Instant::now() > deadline {
            let path = app.screenshot_as("exports-check-failed").await;
            panic!(
                "the check never said {needle:?}; the card says {:?}; the window: {}",
                app.text_of("[data-testid=client-exports]").await,
                path.display()
            );
        }
        app.next_frames().await;
    }
}

/// Clients → "Lee" → Ann's chart, once every card has loaded (the PDF card
/// is last: cards above it growing as they load would move it mid-click).
async fn open_chart(app: &App, id: i64) {
    app.click("nav-clients").await;
    app.fill("clientSearch", "Lee").await;
    app.wait_for_count("[data-testid^=client-row-]", 1).await;
    app.find(&format!("[data-testid=client-row-{id}] button"))
        .await
        .click()
        .await
        .unwrap();
    app.by_testid("client-exports").await;
    app.wait_for_count("[data-testid=client-profile] p[role=status]", 0)
        .await;
}

fn days_ago(days: u64) -> String {
    (chrono::Local::now().date_naive() - chrono::Days::new(days)).to_string()
}

#[tokio::test(flavor = "current_thread")]
#[ignore = "end to end: needs Xvfb and tauri-driver; `make test` runs it with --ignored"]
async fn a_record_and_a_session_packet_are_exported_from_the_window() {
    let vault = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    admin(
        vault.path(),
        &[
            "init",
            "--practice",
            "Harbour Light Counselling",
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
    let app = App::launch(
        "exports",
        AppOptions {
            vault_dir: Some(vault.path().to_path_buf()),
            export_dir: Some(exports.path().to_path_buf()),
            ..Default::default()
        },
    )
    .await;
    app.sign_in("dana", OWNER_PASS).await;
    app.by_testid("home-heading").await;

    // Set-up through the commands the screens use: one group led by the
    // owner, three members, one session eight days ago with a signed note.
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
                "firstDate": days_ago(8), "startTime": "18:00", "durationMinutes": 90,
                "pattern": "weekly", "intervalWeeks": 1, "nthWeek": null, "weekday": null,
                "untilDate": null, "count": 1, "timezone": "" } }),
        )
        .await["sessions"][0]["id"]
        .as_i64()
        .unwrap();
    let mut ids = Vec::new();
    for (first, last, _) in MEMBERS {
        let id = app
            .call(
                "client_create",
                json!({ "input": { "legalFirstName": first, "legalLastName": last,
                    "preferredName": null, "pronouns": null, "dateOfBirth": null, "phone": null,
                    "email": null, "emergencyName": null, "emergencyPhone": null,
                    "status": "active" }, "confirmDuplicate": true }),
            )
            .await["client"]["id"]
            .as_i64()
            .unwrap();
        app.call(
            "enroll",
            json!({ "groupId": group, "clientId": id, "waitlist": false, "fromDate": days_ago(20) }),
        )
        .await;
        app.call(
            "attendance_record",
            json!({ "input": { "sessionId": session, "clientId": id, "status": "present",
                "arrivedAt": null, "leftAt": null } }),
        )
        .await;
        ids.push(id);
    }
    let members: Vec<_> = MEMBERS
        .iter()
        .zip(&ids)
        .map(|((first, _, _), id)| {
            let sections = ["participation", "response", "plan"].map(
                |key| json!({ "key": key, "body": format!("{first} took part in the rounds.") }),
            );
            json!({ "clientId": id, "riskLevel": "none", "riskText": "", "goalRatings": [],
                "sections": sections })
        })
        .collect();
    let saved = app
        .call(
            "note_save_draft",
            json!({ "input": { "sessionId": session, "revision": 0,
                "shared": [
                    { "key": "topic", "body": "Sleep routines. Zoe and Robert opened the check-in." },
                    { "key": "interventions", "body": "Grounding; Ann and Okafor practised in pairs." }
                ],
                "members": members } }),
        )
        .await;
    app.call(
        "note_sign",
        json!({ "sessionId": session, "revision": saved["revision"] }),
    )
    .await;

    // The record, from Ann's chart: the last twelve months, to Ann herself.
    let ann = ids[0];
    open_chart(&app, ann).await;
    app.click("export-record").await;
    app.wait_for_text("export-dialog", "Export Ann Lee's record")
        .await;
    app.screenshot_as("exports-record-dialog").await;
    app.click("export-start").await;
    let saved_line = wait_saved(&app, "exports-record-failed").await;
    assert!(saved_line.starts_with("Saved record-"), "{saved_line}");
    assert!(
        saved_line.contains(&exports.path().display().to_string()),
        "{saved_line}"
    );
    app.by_testid("export-open").await;
    app.by_testid("export-show-in-folder").await;
    app.screenshot_as("exports-record-saved").await;
    app.click("export-close").await;
    // The release is in Ann's accounting of disclosures.
    app.wait_for_text("client-disclosures", "The client themself")
        .await;

    let record = exported(exports.path(), "record-");
    assert!(
        !record.to_string_lossy().to_lowercase().contains("lee"),
        "the file name carries no client name: {}",
        record.display()
    );
    let text = pdf_text(&record);
    assert!(text.contains("Ann Lee"), "{text}");
    assert!(text.contains("Page 1 of"), "{text}");
    assert!(text.contains("Sleep routines."), "{text}");
    assert!(text.contains("Member "), "the others are labels: {text}");
    let seen = words(&text);
    for (first, _, forms) in &MEMBERS[1..] {
        for form in *forms {
            assert!(
                !seen.contains(&form.to_string()),
                "Ann's record shows {first} as {form:?}:\n{text}"
            );
        }
    }

    // The packet, from the signed note's screen.
    app.click("nav-notes").await;
    app.click(&format!("recent-note-{session}")).await;
    app.wait_for_text("note-status", "Signed").await;
    app.click("export-packet").await;
    app.wait_for_text("export-dialog", "session packet").await;
    app.click("export-start").await;
    let saved_line = wait_saved(&app, "exports-packet-failed").await;
    assert!(saved_line.starts_with("Saved session-"), "{saved_line}");
    app.screenshot_as("exports-packet-saved").await;
    app.click("export-close").await;
    let packet = exported(exports.path(), &format!("session-{session}-"));
    let text = pdf_text(&packet);
    assert!(text.contains("Page 1 of"), "{text}");
    assert!(text.contains("Steady Ground"), "{text}");
    for (first, last, _) in MEMBERS {
        assert!(
            text.contains(&format!("{first} {last}")),
            "the packet names every member: {first} {last}\n{text}"
        );
    }
    assert!(text.contains("Dana Reyes"), "signed by: {text}");

    // "Check a PDF": the packet (the newest file) is exactly what was
    // released; a copy with one byte changed is not.
    open_chart(&app, ann).await;
    app.click("export-verify").await;
    wait_checked(&app, "exactly the session packet Circle released").await;
    let mut changed = std::fs::read(&packet).unwrap();
    let last = changed.len() - 1;
    changed[last] ^= 0x01;
    let copy = exports.path().join("zz-changed.pdf");
    std::fs::write(&copy, changed).unwrap();
    // Dated after the packet, so it is the newest.
    std::fs::File::options()
        .write(true)
        .open(&copy)
        .unwrap()
        .set_modified(std::time::SystemTime::now() + std::time::Duration::from_secs(60))
        .unwrap();
    app.click("export-verify").await;
    wait_checked(&app, "not one Circle released").await;
    app.scroll_to("verify-result").await;
    app.screenshot_as("exports-check-changed").await;

    // The letterhead set in Settings is on the day sheet printed from Today.
    app.click("nav-settings").await;
    app.fill("address", "14 Harbour Street\u{E007}Galway H91 X2Y3")
        .await;
    app.fill("phone", "+353 91 555 0101").await;
    app.click("letterhead-save").await;
    app.wait_for_text("letterhead-success", "Saved").await;
    app.scroll_to("letterhead-save").await;
    app.screenshot_as("exports-letterhead").await;
    app.click("nav-today").await;
    app.click("export-day-sheet").await;
    app.wait_for_text("export-dialog", "Print the day sheet")
        .await;
    app.click("export-start").await;
    let saved_line = wait_saved(&app, "exports-day-sheet-failed").await;
    assert!(saved_line.starts_with("Saved day-"), "{saved_line}");
    app.click("export-close").await;
    let text = pdf_text(&exported(exports.path(), "day-"));
    assert!(text.contains("Harbour Light Counselling"), "{text}");
    assert!(text.contains("14 Harbour Street"), "{text}");
    assert!(text.contains("Galway H91 X2Y3"), "{text}");
    assert!(text.contains("+353 91 555 0101"), "{text}");

    // A new recovery code, and its sheet saved from the dialog that shows it.
    app.click("nav-settings").await;
    app.click("new-recovery-code").await;
    app.click("new-recovery-code-confirm").await;
    let code = app.text_of("[data-testid=recovery-code]").await;
    app.click("recovery-sheet-save").await;
    app.wait_for_text("recovery-sheet", "Saved recovery-sheet-")
        .await;
    app.scroll_to("recovery-sheet").await;
    app.screenshot_as("exports-recovery-sheet").await;
    let text = pdf_text(&exported(exports.path(), "recovery-sheet-"));
    assert!(text.contains(code.trim()), "the sheet holds {code}: {text}");
    app.click("recovery-stored").await;
    app.click("recovery-continue").await;
    app.finish().await;
}
