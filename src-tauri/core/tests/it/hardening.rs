//! The security issue's smaller items, each test named after what it
//! prevents: a login with someone else's passphrase acting, vault files
//! other users can read, endless lists from the window, and clinical words
//! in a discharge reason the front desk reads.

use crate::common::*;
use chrono::NaiveDate;
use circle_core::accounts;
use circle_core::audit::{self, AuditFilter};
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::groups::{self, DischargeReason, GroupInput, GroupKind, NoteTemplate};
use circle_core::limits;
use circle_core::notes::discharge_note;
use circle_core::notes::session_note::{
    self, GoalRatingInput, MemberNoteInput, NoteDraftInput, SectionText,
};
use circle_core::notes::{templates, todo};
use circle_core::practice;
use circle_core::roles::Role;
use circle_core::schedule::appointments::{self, AvailabilityBlock};
use circle_core::schedule::recurrence::{Pattern, RecurrenceInput};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::schedule::sessions;
use circle_core::signed_in::SignedIn;
use circle_core::signin;
use circle_core::staff;
use circle_core::vault::db;
use circle_core::Error;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn client(s: &SignedIn, first: &str, last: &str) -> i64 {
    let input = ClientInput {
        legal_first_name: first.into(),
        legal_last_name: last.into(),
        preferred_name: None,
        middle_name: None,
        name_order: Default::default(),
        pronouns: None,
        date_of_birth: None,
        phone: None,
        email: None,
        emergency_name: None,
        emergency_phone: None,
        status: ClientStatus::Active,
    };
    match clients::create(s, input, true).unwrap() {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    }
}

/// A group led by `lead` in a new room, with one session on 2030-01-07.
fn group_with_a_session(owner: &SignedIn, lead: i64) -> (i64, i64) {
    let room = rooms::create_room(
        owner,
        RoomInput {
            name: "Room A".into(),
            capacity: 12,
        },
    )
    .unwrap()
    .id;
    let group = groups::create_group(
        owner,
        GroupInput {
            name: "Tuesday DBT".into(),
            kind: GroupKind::Closed,
            modality: "DBT skills".into(),
            capacity: 8,
            primary_facilitator_id: lead,
            co_facilitator_ids: vec![],
            default_room_id: Some(room),
            note_template: NoteTemplate::Girp,
            substance_use: false,
        },
    )
    .unwrap();
    let series = sessions::create_series(
        owner,
        group.id,
        room,
        RecurrenceInput {
            first_date: "2030-01-07".into(),
            start_time: "18:00".into(),
            duration_minutes: 90,
            pattern: Pattern::Weekly,
            interval_weeks: Some(1),
            nth_week: None,
            weekday: None,
            until_date: None,
            count: Some(1),
            timezone: String::new(),
        },
    )
    .unwrap();
    (group.id, series.sessions[0].id)
}

fn refused_until_changed(err: Error, what: &str) {
    assert!(
        matches!(err, Error::PassphraseChangeRequired),
        "{what}: {err:?}"
    );
}

#[test]
fn a_login_that_must_change_its_passphrase_can_do_nothing_else_until_it_does() {
    let v = new_vault();
    v.add_unsettled(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let clinician = v.add_unsettled(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let owner = v.owner();
    let client_id = client(&owner, "Zoë", "Abara");
    owner.lock().unwrap();

    let mut desk = v.sign_in(FRONT_DESK);
    assert!(desk.must_change_passphrase());
    let refused = |s: &SignedIn| {
        refused_until_changed(
            clients::search(s, "", None, 0, 20).unwrap_err(),
            "client search",
        );
        refused_until_changed(clients::get(s, client_id).unwrap_err(), "a client");
        refused_until_changed(
            clients::create(
                s,
                ClientInput {
                    legal_first_name: "New".into(),
                    legal_last_name: "Person".into(),
                    preferred_name: None,
                    middle_name: None,
                    name_order: Default::default(),
                    pronouns: None,
                    date_of_birth: None,
                    phone: None,
                    email: None,
                    emergency_name: None,
                    emergency_phone: None,
                    status: ClientStatus::Prospect,
                },
                true,
            )
            .unwrap_err(),
            "a new client",
        );
        refused_until_changed(groups::groups(s, true).unwrap_err(), "groups");
        refused_until_changed(rooms::rooms(s).unwrap_err(), "rooms");
        refused_until_changed(staff::directory(s).unwrap_err(), "staff directory");
        refused_until_changed(practice::settings(s).unwrap_err(), "practice settings");
        refused_until_changed(
            appointments::availability(s, clinician).unwrap_err(),
            "availability",
        );
        refused_until_changed(
            audit::list_for(s, &AuditFilter::default()).unwrap_err(),
            "audit",
        );
    };
    refused(&desk);
    // Reading who is signed in still works (the forced-change screen shows it).
    assert_eq!(practice::sign_in_settings(&desk).unwrap().name, PRACTICE);

    // A clinician's notes are closed too, before the role is even looked at.
    let mut max = v.sign_in(CLINICIAN);
    assert!(max.has_clinical_access());
    refused(&max);
    refused_until_changed(templates::templates(&max).unwrap_err(), "templates");
    refused_until_changed(todo::notes_to_do(&max).unwrap_err(), "notes to do");
    refused_until_changed(
        discharge_note::discharge_notes_of_client(&max, client_id).unwrap_err(),
        "discharge notes",
    );

    // Choosing their own passphrase opens what their role allows.
    accounts::change_own_passphrase(
        &mut desk,
        &pass(INITIAL_PASS),
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap();
    assert!(clients::search(&desk, "", None, 0, 20).is_ok());
    assert!(groups::groups(&desk, true).is_ok());
    assert!(practice::settings(&desk).is_ok());
    assert!(matches!(
        audit::list_for(&desk, &AuditFilter::default()),
        Err(Error::Forbidden)
    ));
    desk.lock().unwrap();

    accounts::change_own_passphrase(
        &mut max,
        &pass(INITIAL_PASS),
        &pass("harbor quill meadow ember"),
    )
    .unwrap();
    assert!(templates::templates(&max).is_ok());
    max.lock().unwrap();

    // An administrator's reset puts them back where they started.
    let owner = v.owner();
    accounts::reset_passphrase(&owner, clinician, &pass(INITIAL_PASS)).unwrap();
    owner.lock().unwrap();
    let max = v.sign_in(CLINICIAN);
    assert!(max.must_change_passphrase());
    refused_until_changed(templates::templates(&max).unwrap_err(), "after a reset");
    max.lock().unwrap();
}

#[cfg(unix)]
#[test]
fn the_vault_folder_and_files_are_private_to_the_user() {
    use std::os::unix::fs::PermissionsExt;
    use std::path::Path;

    let mode = |path: &Path| std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("care.circle.desktop");
    let location = circle_core::vault::location::VaultLocation::at(&dir);
    let (owner, _code) = signin::setup(
        &location,
        signin::SetupRequest {
            practice_name: PRACTICE.into(),
            timezone: "Europe/London".into(),
            owner_full_name: OWNER_NAME.into(),
            owner_username: OWNER.into(),
            passphrase: pass(OWNER_PASS),
        },
    )
    .unwrap();
    client(&owner, "Zoë", "Abara");

    let check_all = |when: &str| {
        assert_eq!(mode(&dir), 0o700, "{when}: the folder");
        let mut seen = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            // An empty file (the folder's lock) holds nothing to read.
            if std::fs::metadata(&path).unwrap().len() > 0 {
                assert_eq!(mode(&path), 0o600, "{when}: {name}");
            }
            seen.push(name);
        }
        seen
    };
    // While signed in, SQLite's write-ahead log and shared memory exist too.
    let open_files = check_all("signed in");
    for name in [
        "keyring.json",
        "practice.db",
        "clinical.db",
        "practice.db-wal",
        "practice.db-shm",
    ] {
        assert!(
            open_files.iter().any(|f| f == name),
            "{name} in {open_files:?}"
        );
    }
    owner.lock().unwrap();
    check_all("locked");

    // A vault whose files were opened up (by a copy, an older Circle) is
    // closed again when it is next opened.
    for name in ["practice.db", "clinical.db"] {
        std::fs::set_permissions(dir.join(name), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let owner = signin::unlock(&location, OWNER, &pass(OWNER_PASS)).unwrap();
    check_all("signed in again");
    owner.lock().unwrap();
}

fn field_of(err: Error) -> String {
    match err {
        Error::Invalid { field, .. } => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

#[test]
fn oversized_lists_from_the_window_are_refused_by_field() {
    let v = new_vault();
    let clinician = v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let owner = v.owner();
    let me = owner.actor().staff_id;
    let (group, session) = group_with_a_session(&owner, me);
    let zoe = client(&owner, "Zoë", "Abara");
    groups::enroll(&owner, group, zoe, false, day("2030-01-01")).unwrap();
    owner.lock().unwrap();

    // A clinician's week.
    let desk = v.sign_in(FRONT_DESK);
    let block = AvailabilityBlock {
        weekday: 1,
        start_time: "09:00".into(),
        end_time: "10:00".into(),
    };
    let blocks = vec![block; limits::AVAILABILITY_BLOCKS + 1];
    assert_eq!(
        field_of(appointments::set_availability(&desk, clinician, blocks).unwrap_err()),
        "blocks"
    );

    // A waitlist's new order.
    let order: Vec<i64> = (1..=limits::WAITLIST as i64 + 1).collect();
    assert_eq!(
        field_of(groups::reorder_waitlist(&desk, group, &order).unwrap_err()),
        "order"
    );
    desk.lock().unwrap();

    // A note's draft: its shared part, its members, each member's sections
    // and goal ratings.
    let owner = v.owner();
    let section = SectionText {
        key: "topic".into(),
        body: "Distress tolerance".into(),
    };
    let member = |client_id: i64, sections: usize, ratings: usize| MemberNoteInput {
        client_id,
        sections: vec![
            SectionText {
                key: "participation".into(),
                body: "Engaged".into(),
            };
            sections
        ],
        goal_ratings: (0..ratings as i64)
            .map(|goal_id| GoalRatingInput {
                goal_id,
                rating: None,
                comment: String::new(),
            })
            .collect(),
        risk_level: None,
        risk_text: String::new(),
    };
    let draft = |shared: usize, members: Vec<MemberNoteInput>| NoteDraftInput {
        released: Vec::new(),
        session_id: session,
        revision: 0,
        shared: vec![section.clone(); shared],
        members,
    };
    let save =
        |input: NoteDraftInput| field_of(session_note::save_draft(&owner, input).unwrap_err());
    assert_eq!(save(draft(limits::NOTE_SECTIONS + 1, vec![])), "shared");
    assert_eq!(
        save(draft(
            1,
            (0..limits::NOTE_MEMBERS as i64 + 1)
                .map(|id| member(id, 0, 0))
                .collect()
        )),
        "members"
    );
    assert_eq!(
        save(draft(1, vec![member(zoe, limits::NOTE_SECTIONS + 1, 0)])),
        format!("members.{zoe}.sections")
    );
    assert_eq!(
        save(draft(1, vec![member(zoe, 1, limits::GOAL_RATINGS + 1)])),
        format!("members.{zoe}.goals")
    );
    // At the bounds, the lists themselves are no reason to refuse.
    assert!(appointments::set_availability(
        &owner,
        clinician,
        vec![
            AvailabilityBlock {
                weekday: 2,
                start_time: "09:00".into(),
                end_time: "10:00".into(),
            };
            limits::AVAILABILITY_BLOCKS
        ],
    )
    .is_ok());
    owner.lock().unwrap();
}

/// Every table of practice.db as text, read with `username`'s keys.
fn practice_db_text(v: &TestVault, username: &str, passphrase: &str) -> String {
    let keys = v.unwrap_as(username, passphrase);
    let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = String::new();
    for table in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..columns)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        out.push_str(&format!("{table}: {rows:?}\n"));
    }
    out
}

#[test]
fn a_discharge_reason_is_a_choice_and_its_clinical_note_is_closed_to_the_front_desk() {
    const NOTE: &str = "Disclosed a relapse; referred to the detox programme";
    let v = new_vault();
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let owner = v.owner();
    let me = owner.actor().staff_id;
    let (group, _) = group_with_a_session(&owner, me);
    let zoe = client(&owner, "Zoë", "Abara");
    let yan = client(&owner, "Yan", "Bergström");
    let zoe_seat = groups::enroll(&owner, group, zoe, false, day("2030-01-01"))
        .unwrap()
        .enrollment
        .id;
    let yan_seat = groups::enroll(&owner, group, yan, false, day("2030-01-01"))
        .unwrap()
        .enrollment
        .id;
    owner.lock().unwrap();

    // The front desk chooses a reason; a clinical note from them is refused
    // outright (not silently dropped), and nothing changes.
    let desk = v.sign_in(FRONT_DESK);
    let refused = groups::discharge(
        &desk,
        zoe_seat,
        day("2030-01-20"),
        DischargeReason::ReferredElsewhere,
        Some(NOTE),
    )
    .unwrap_err();
    assert!(matches!(refused, Error::Forbidden), "{refused:?}");
    assert_eq!(groups::roster(&desk, group).unwrap().len(), 2);
    let out = groups::discharge(
        &desk,
        zoe_seat,
        day("2030-01-20"),
        DischargeReason::ReferredElsewhere,
        Some("   "),
    )
    .unwrap();
    assert_eq!(
        out.enrollment.discharge_reason,
        Some(DischargeReason::ReferredElsewhere)
    );
    assert_eq!(
        serde_json::to_value(out.enrollment.discharge_reason).unwrap(),
        "referredElsewhere"
    );
    desk.lock().unwrap();

    // A clinician's discharge carries the note, into clinical.db.
    let owner = v.owner();
    groups::discharge(
        &owner,
        yan_seat,
        day("2030-01-21"),
        DischargeReason::StoppedAttending,
        Some(format!("  {NOTE}\n").as_str()),
    )
    .unwrap();
    let notes = discharge_note::discharge_notes_of_client(&owner, yan).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].body, NOTE);
    assert_eq!(notes[0].enrollment_id, yan_seat);
    assert_eq!(notes[0].author_id, Some(me));
    assert!(
        !format!("{:?}", notes[0]).contains("relapse"),
        "Debug holds no PHI"
    );
    assert!(discharge_note::discharge_notes_of_client(&owner, zoe)
        .unwrap()
        .is_empty());
    owner.lock().unwrap();

    // The front desk sees the choice, never the note: not on a screen, not
    // in the file their keys open, and the clinical file not at all.
    let desk = v.sign_in(FRONT_DESK);
    let enrollments = groups::enrollments_of_client(&desk, yan).unwrap();
    assert_eq!(
        enrollments[0].discharge_reason,
        Some(DischargeReason::StoppedAttending)
    );
    assert!(!serde_json::to_string(&enrollments)
        .unwrap()
        .contains("relapse"));
    assert!(matches!(
        discharge_note::discharge_notes_of_client(&desk, yan),
        Err(Error::Forbidden)
    ));
    desk.lock().unwrap();
    assert!(!practice_db_text(&v, FRONT_DESK, INITIAL_PASS).contains("relapse"));
    assert!(v.unwrap_as(FRONT_DESK, INITIAL_PASS).clinical.is_none());

    // Nor can raw SQL with the practice key put free text back.
    let keys = v.unwrap_as(FRONT_DESK, INITIAL_PASS);
    let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
    assert!(conn
        .execute(
            "UPDATE enrollments SET discharge_reason = 'Told us about the relapse' WHERE id = ?1",
            [zoe_seat],
        )
        .is_err());
}

#[test]
fn an_earlier_free_text_reason_leaves_the_front_desks_view_for_the_clinical_record() {
    const OLD: &str = "Relapsed after her mother's death";
    let v = new_vault();
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let owner = v.owner();
    let (group, _) = group_with_a_session(&owner, owner.actor().staff_id);
    let zoe = client(&owner, "Zoë", "Abara");
    let yan = client(&owner, "Yan", "Bergström");
    let mut seats = Vec::new();
    for id in [zoe, yan] {
        let seat = groups::enroll(&owner, group, id, false, day("2030-01-01"))
            .unwrap()
            .enrollment
            .id;
        groups::discharge(
            &owner,
            seat,
            day("2030-01-20"),
            DischargeReason::Other,
            None,
        )
        .unwrap();
        seats.push(seat);
    }
    owner.lock().unwrap();

    // As a vault written before reasons were a choice (practice level 4).
    {
        let keys = v.unwrap_as(OWNER, OWNER_PASS);
        let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
        conn.execute_batch(
            "DROP TRIGGER enrollments_discharge_reason_insert;
             DROP TRIGGER enrollments_discharge_reason_update;
             DROP TABLE discharge_reasons_to_move;
             ALTER TABLE clients DROP COLUMN middle_name;
             ALTER TABLE clients DROP COLUMN name_order;
             ALTER TABLE practice_settings DROP COLUMN locale;
             ALTER TABLE practice_settings DROP COLUMN address;
             ALTER TABLE practice_settings DROP COLUMN phone;
             ALTER TABLE practice_settings DROP COLUMN logo;
             ALTER TABLE practice_settings DROP COLUMN practice_uid;
             DROP TABLE backup_settings;
             DROP TABLE backup_runs;
             DROP TABLE appointment_attendance;
             DROP INDEX groups_by_format_facilitator;
             ALTER TABLE groups DROP COLUMN format;
             PRAGMA user_version = 4;",
        )
        .unwrap();
        conn.execute(
            "UPDATE enrollments SET discharge_reason = ?1 WHERE id = ?2",
            rusqlite::params![OLD, seats[0]],
        )
        .unwrap();
        conn.execute(
            "UPDATE enrollments SET discharge_reason = ' Moved away ' WHERE id = ?1",
            [seats[1]],
        )
        .unwrap();
    }

    // The front desk signs in first: the text is off every screen at once.
    let desk = v.sign_in(FRONT_DESK);
    let reasons = |s: &SignedIn, client_id: i64| {
        groups::enrollments_of_client(s, client_id).unwrap()[0].discharge_reason
    };
    assert_eq!(reasons(&desk, zoe), Some(DischargeReason::Other));
    assert_eq!(reasons(&desk, yan), Some(DischargeReason::MovedAway));
    desk.lock().unwrap();

    // The first sign-in holding the clinical key moves it into clinical.db
    // as that discharge's note, and out of practice.db.
    let owner = v.owner();
    let notes = discharge_note::discharge_notes_of_client(&owner, zoe).unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].body, OLD);
    assert_eq!(notes[0].author_id, None);
    assert!(discharge_note::discharge_notes_of_client(&owner, yan)
        .unwrap()
        .is_empty());
    owner.lock().unwrap();
    assert!(!practice_db_text(&v, FRONT_DESK, INITIAL_PASS).contains("Relapsed"));
    // Once, not again at the next sign-in.
    let owner = v.owner();
    assert_eq!(
        discharge_note::discharge_notes_of_client(&owner, zoe)
            .unwrap()
            .len(),
        1
    );
    owner.lock().unwrap();
}

#[test]
fn too_many_co_facilitators_are_refused_by_their_field() {
    let v = new_vault();
    let owner = v.owner();
    let me = owner.actor().staff_id;
    let input = |count: usize| GroupInput {
        name: "DBT skills".into(),
        kind: GroupKind::Closed,
        modality: "DBT".into(),
        capacity: 8,
        primary_facilitator_id: me,
        co_facilitator_ids: (1000..1000 + count as i64).collect(),
        default_room_id: None,
        note_template: NoteTemplate::Girp,
        substance_use: false,
    };
    let refused = groups::create_group(&owner, input(limits::CO_FACILITATORS + 1)).unwrap_err();
    assert_eq!(refused.field(), Some("coFacilitatorIds"));
}
