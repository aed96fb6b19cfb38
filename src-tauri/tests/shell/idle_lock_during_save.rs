//! Issue 16, suite 7: the idle lock lands while an autosave is in flight.
//!
//! Each round releases an autosave (`note_save_draft`) and the lock at the
//! same instant from two threads (a barrier, no sleeps), both through the
//! invoke handler, as the page's autosave and the idle lock meet in the
//! app. The lock takes the path the idle lock takes (`lock_and_announce`,
//! here through the `lock` command, which differs only in the reason it
//! tells the window). Either the save finished first and reports its new
//! revision, or it is refused with the typed `locked` error; after the next
//! sign-in the draft is whole at exactly the revision that answer implies,
//! every section of it from one save, and the refused text, sent again as
//! the editor would, is saved then.
//!
//! `CIRCLE_IDLE_LOCK_ROUNDS` sets the number of raced rounds (default 16;
//! `make stress` runs more).

use std::sync::{Arc, Barrier};

use serde_json::{json, Value};

use crate::harness::{client_input, date, full_draft, Answer, Ipc, Shell, ZONE};

const OWNER: &str = "dana";
const PASS: &str = "quiet lantern orchard tide";

/// A practice whose owner facilitates a group with one past session, both
/// members present; the owner stays signed in. Returns the session's note
/// screen.
fn practice_with_a_session(shell: &Shell) -> Value {
    let setup = shell.ok(
        "setup_practice",
        json!({ "form": {
            "practiceName": "Harbour Light Counselling", "timezone": ZONE,
            "ownerFullName": "Dana Reyes", "ownerUsername": OWNER, "passphrase": PASS,
        }}),
    );
    let owner = setup["signedIn"]["staffId"].clone();
    let room = shell.ok(
        "room_create",
        json!({ "input": { "name": "Room A", "capacity": 12 } }),
    );
    let group = shell.ok(
        "group_create",
        json!({ "input": {
            "name": "Evening skills", "kind": "closed", "modality": "DBT skills", "capacity": 8,
            "primaryFacilitatorId": owner, "coFacilitatorIds": [], "defaultRoomId": room["id"],
            "noteTemplate": "girp", "substanceUse": false,
        }}),
    );
    let series = shell.ok(
        "series_create",
        json!({ "groupId": group["id"], "roomId": room["id"], "recurrence": {
            "firstDate": date(-8), "startTime": "18:00", "durationMinutes": 90,
            "pattern": "weekly", "intervalWeeks": 1, "nthWeek": null, "weekday": null,
            "untilDate": null, "count": 1, "timezone": ZONE,
        }}),
    );
    let session = series["sessions"][0]["id"].clone();
    for (first, last) in [("Nuala", "Byrne"), ("Kwame", "Mensah")] {
        let client = shell.ok(
            "client_create",
            json!({ "input": client_input(first, last, "0100 000 000"), "confirmDuplicate": true }),
        );
        let client_id = client["client"]["id"].clone();
        shell.ok(
            "enroll",
            json!({ "groupId": group["id"], "clientId": client_id, "waitlist": false, "fromDate": date(-8) }),
        );
        shell.ok(
            "attendance_record",
            json!({ "input": {
                "sessionId": session, "clientId": client_id, "status": "present",
                "arrivedAt": null, "leftAt": null,
            }}),
        );
    }
    shell.ok("session_note", json!({ "sessionId": session }))
}

/// What the draft holds: the shared sections and every member's sections.
fn content(note_or_draft: &Value) -> Value {
    let members: Vec<Value> = note_or_draft["members"]
        .as_array()
        .expect("members")
        .iter()
        .map(|m| {
            let sections = if m.get("note").is_some() {
                &m["note"]["sections"]
            } else {
                &m["sections"]
            };
            json!({ "clientId": m["clientId"], "sections": sections })
        })
        .collect();
    json!({ "shared": note_or_draft["shared"], "members": members })
}

/// One autosave and one lock, released together. Returns the save's answer.
fn race(ipc: &Ipc, draft: &Value) -> Answer {
    let barrier = Arc::new(Barrier::new(2));
    let (saved, locked) = std::thread::scope(|scope| {
        let saver = {
            let (ipc, barrier) = (ipc.clone(), barrier.clone());
            scope.spawn(move || {
                barrier.wait();
                ipc.call("note_save_draft", json!({ "input": draft }))
            })
        };
        let locker = {
            let (ipc, barrier) = (ipc.clone(), barrier.clone());
            scope.spawn(move || {
                barrier.wait();
                ipc.call("lock", json!({}))
            })
        };
        (
            saver.join().expect("the save thread"),
            locker.join().expect("the lock thread"),
        )
    });
    assert_eq!(locked, Answer::Ok(Value::Null), "the lock always locks");
    saved
}

#[test]
fn an_autosave_meeting_the_idle_lock_is_saved_whole_or_refused_as_locked() {
    let rounds: usize = std::env::var("CIRCLE_IDLE_LOCK_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(16);
    crate::harness::dialogs();
    let root = tempfile::tempdir().expect("temp dir");
    let shell = Shell::new(&root.path().join("vault"));
    let ipc = shell.ipc();
    let note = practice_with_a_session(&shell);
    let session = note["session"]["id"].clone();

    let mut revision = 0;
    let mut expected: Option<Value> = None;
    let (mut saved_first, mut locked_first) = (0, 0);
    let check = |round: &str, revision: i64, expected: &Option<Value>| {
        shell.unlock(OWNER, PASS);
        let now = shell.ok("session_note", json!({ "sessionId": session }));
        assert_eq!(
            now["revision"], revision,
            "{round}: the revision after sign-in"
        );
        match expected {
            None => assert_eq!(now["status"], "notStarted", "{round}"),
            Some(draft) => assert_eq!(
                content(&now),
                content(draft),
                "{round}: the draft is exactly one save, whole"
            ),
        }
    };

    // The two orders, each made certain once: the lock first, then the save
    // first. Then rounds where the two race.
    shell.lock();
    let draft = full_draft(&note, revision, "typed while locking");
    let refused = ipc.call("note_save_draft", json!({ "input": draft }));
    assert_eq!(refused.kind(), "locked", "{refused:?}");
    check("lock first", revision, &expected);
    let saved = ipc.ok("note_save_draft", json!({ "input": draft }));
    revision = saved["revision"].as_i64().expect("revision");
    expected = Some(draft);
    shell.lock();
    check("save first", revision, &expected);

    for round in 0..rounds {
        let name = format!("round {round}");
        let draft = full_draft(&note, revision, &name);
        match race(&ipc, &draft) {
            Answer::Ok(saved) => {
                saved_first += 1;
                assert_eq!(saved["revision"], revision + 1, "{name}");
                revision += 1;
                expected = Some(draft);
                check(&name, revision, &expected);
            }
            Answer::Refused { kind, message } if kind == "locked" => {
                locked_first += 1;
                check(&name, revision, &expected);
                // What the editor still holds is saved on the next try.
                let saved = ipc.ok("note_save_draft", json!({ "input": draft }));
                assert_eq!(saved["revision"], revision + 1, "{name}: {message}");
                revision += 1;
                expected = Some(draft);
            }
            other => panic!("{name}: a save met by the lock answered {other:?}"),
        }
    }

    // Nothing half-written anywhere: the vault and its audit chain verify.
    let report = shell.ok("verify_vault", json!({}));
    assert_eq!(report["findings"], json!([]), "{report}");
    println!(
        "idle lock during autosave: {rounds} raced rounds, {saved_first} saved before the lock, \
         {locked_first} refused as locked (then saved after sign-in), final revision {revision}"
    );
}
