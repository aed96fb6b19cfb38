//! Issue 17, retention: the periods and the records due for review.

use crate::common::*;
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::measures::{self, Instrument, MeasureInput};
use circle_core::retention::{self, RetentionSettings};
use circle_core::roles::Role;
use circle_core::schedule::appointments::{self, AppointmentInput, AppointmentKind};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::signed_in::SignedIn;
use circle_core::Error;

fn client(s: &SignedIn, first: &str, born: &str) -> i64 {
    let input = ClientInput {
        legal_first_name: first.into(),
        middle_name: None,
        legal_last_name: "Example".into(),
        preferred_name: None,
        name_order: Default::default(),
        pronouns: None,
        date_of_birth: Some(born.into()),
        phone: None,
        email: None,
        emergency_name: None,
        emergency_phone: None,
        status: ClientStatus::Discharged,
    };
    match clients::create(s, input, true).unwrap() {
        Created::Client { client } => client.id,
        other => panic!("{other:?}"),
    }
}

fn check_in(s: &SignedIn, client_id: i64, clinician_id: i64, room_id: i64, date: &str) {
    appointments::book(
        s,
        AppointmentInput {
            kind: AppointmentKind::CheckIn,
            client_id,
            clinician_id,
            room_id,
            date: date.into(),
            start_time: "10:00".into(),
            duration_minutes: 50,
        },
    )
    .unwrap();
}

#[test]
fn records_are_due_seven_years_after_the_last_contact_and_minors_not_before_21() {
    let v = new_vault();
    v.add("mia", "Mia Manager", Role::Manager);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let then = pin_clock("2017-05-01T09:00:00Z");
    let owner = v.owner();
    let dana = owner.actor().staff_id;
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Room A".into(),
            capacity: 8,
        },
    )
    .unwrap()
    .id;
    let never_seen = client(&owner, "Nevin", "1975-02-02");
    let adult = client(&owner, "Ada", "1980-01-01");
    check_in(&owner, adult, dana, room, "2017-05-02");
    // Eight years old at their last contact.
    let minor = client(&owner, "Milo", "2009-01-01");
    check_in(&owner, minor, dana, room, "2017-05-03");
    owner.lock().unwrap();
    drop(then);

    let now = pin_clock("2026-12-01T09:00:00Z");
    let owner = v.owner();
    let recent = client(&owner, "Rhea", "1990-01-01");
    check_in(&owner, recent, dana, room, "2026-11-20");

    let manager = v.sign_in("mia");
    assert_eq!(
        retention::settings(&manager).unwrap(),
        RetentionSettings {
            years_after_contact: 7,
            years_after_majority: 3
        }
    );
    let due = retention::due(&manager).unwrap();
    let listed: Vec<(i64, &str, &str, bool)> = due
        .iter()
        .map(|d| {
            (
                d.client.id,
                d.last_contact.as_str(),
                d.due_on.as_str(),
                d.minor_at_last_contact,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (never_seen, "2017-05-01", "2024-05-01", false),
            (adult, "2017-05-02", "2024-05-02", false),
        ],
        "the minor is due at 21 (2030-01-01); the recent client in 2033"
    );

    // The owner sets the periods; nobody else may.
    let longer = RetentionSettings {
        years_after_contact: 10,
        years_after_majority: 3,
    };
    assert!(matches!(
        retention::set_settings(&manager, longer),
        Err(Error::Forbidden)
    ));
    retention::set_settings(&owner, longer).unwrap();
    assert!(retention::due(&manager).unwrap().is_empty());
    assert!(matches!(
        retention::set_settings(
            &owner,
            RetentionSettings {
                years_after_contact: 0,
                years_after_majority: 3
            }
        ),
        Err(Error::Invalid { field, .. }) if field == "yearsAfterContact"
    ));

    // The list is the owner's and the manager's only.
    for who in [FRONT_DESK, CLINICIAN] {
        let s = v.sign_in(who);
        assert!(matches!(retention::due(&s), Err(Error::Forbidden)), "{who}");
        assert!(
            matches!(retention::settings(&s), Err(Error::Forbidden)),
            "{who}"
        );
    }
    drop(now);
}

// ---------------------------------------------------------------- purge

use crate::notes::{clinic, write_first_session, MANAGER};
use circle_core::groups::{self, DischargeReason};
use circle_core::integrity;
use circle_core::names::fold;
use circle_core::notes::chart;
use circle_core::notes::goals::{self, GoalInput, GoalStatus};
use circle_core::notes::search;
use circle_core::notes::session_note;
use circle_core::notes::signing;
use circle_core::vault::db;

/// Every table of one database (the full-text index's shadow tables
/// included), every value as text: what a person holding the file and its
/// key could read.
fn every_value(conn: &rusqlite::Connection) -> String {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let mut out = String::new();
    for table in tables {
        if table == "notes_fts" {
            continue; // Read through its shadow tables and the vocabulary.
        }
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for i in 0..n {
                match row.get::<_, rusqlite::types::Value>(i).unwrap() {
                    rusqlite::types::Value::Text(t) => out.push_str(&t),
                    rusqlite::types::Value::Blob(b) => out.push_str(&String::from_utf8_lossy(&b)),
                    _ => {}
                }
                out.push(' ');
            }
        }
    }
    out
}

/// The words of the full-text index.
fn index_terms(conn: &rusqlite::Connection) -> Vec<String> {
    conn.execute_batch(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.terms USING fts5vocab(main, notes_fts, row)",
    )
    .unwrap();
    conn.prepare("SELECT term FROM temp.terms")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

#[test]
fn a_purged_client_is_gone_from_both_databases_and_the_shared_note_still_verifies() {
    let then = pin_clock("2026-11-03T12:00:00Z");
    let c = clinic();
    let (zoe, ann) = (c.members["Zoë"], c.members["Ann"]);
    let ana = c.v.sign_in("ana");
    let (s1, mut draft) = write_first_session(&c, &ana);
    // Words only Zoë's record holds, and her name in Ann's section.
    for m in draft.members.iter_mut() {
        if m.client_id == zoe {
            m.sections[0].body = "Took part: spoke of marmalade and the lighthouse.".into();
        }
        if m.client_id == ann {
            m.sections[0].body = "Took part; sat next to Zoë Martin all evening.".into();
        }
    }
    draft.revision = 1;
    let saved = session_note::save_draft(&ana, draft).unwrap();
    signing::sign(&ana, s1, saved.revision).unwrap();
    signing::add_addendum(&ana, s1, Some(zoe), "Zoë phoned about the saxophone.").unwrap();
    signing::add_addendum(&ana, s1, None, "Later, Zoe Martin and Ann left together.").unwrap();
    goals::create_goal(
        &ana,
        zoe,
        GoalInput {
            text: "Walk to the quokka enclosure".into(),
            started_on: "2026-11-03".into(),
            target_on: None,
            status: GoalStatus::Active,
        },
    )
    .unwrap();
    // A PHQ-9 with item 9 answered, acknowledged with a safety note.
    let phq9 = measures::enter(
        &ana,
        MeasureInput {
            session_id: s1,
            client_id: zoe,
            instrument: Instrument::Phq9,
            answers: [1, 0, 0, 0, 0, 0, 0, 0, 1].map(Some).to_vec(),
        },
    )
    .unwrap();
    measures::acknowledge_risk(&ana, phq9.id, "Safety plan agreed at the lighthouse.").unwrap();
    drop(ana);
    let owner = c.v.owner();
    let seat = groups::enrollments_of_client(&owner, zoe).unwrap()[0].id;
    groups::discharge(
        &owner,
        seat,
        "2026-11-04".parse().unwrap(),
        DischargeReason::Completed,
        None,
    )
    .unwrap();
    owner.lock().unwrap();
    drop(then);

    // Seven years and more later.
    let _now = pin_clock("2034-02-01T12:00:00Z");
    let owner = c.v.owner();
    let due = retention::due(&owner).unwrap();
    assert_eq!(due.iter().map(|d| d.client.id).collect::<Vec<_>>(), [zoe]);
    let record_number = due[0].client.record_number.clone();

    // Nobody but the owner purges.
    for who in [FRONT_DESK, "ana"] {
        let s = c.v.sign_in(who);
        assert!(
            matches!(retention::purge(&s, &[zoe], 1), Err(Error::Forbidden)),
            "{who}"
        );
    }
    let manager = c.v.sign_in(MANAGER);
    assert!(matches!(
        retention::purge(&manager, &[zoe], 1),
        Err(Error::ForbiddenBecause { .. })
    ));
    // The count typed must be the count; only records due.
    assert!(matches!(
        retention::purge(&owner, &[zoe], 2),
        Err(Error::Invalid { field, .. }) if field == "typedCount"
    ));
    assert!(matches!(
        retention::purge(&owner, &[ann], 1),
        Err(Error::Invalid { field, .. }) if field == "clientIds"
    ));

    let report = retention::purge(&owner, &[zoe], 1).unwrap();
    assert_eq!(report.purged, [record_number]);
    assert_eq!(report.notes_relabelled, 1);

    // Search finds nothing: names and note words.
    assert_eq!(
        clients::search(&owner, "zoe", None, 0, 10).unwrap().total,
        0
    );
    for word in ["marmalade", "saxophone", "Zoe", "Martin"] {
        assert!(search::search(&owner, word).unwrap().is_empty(), "{word}");
    }
    // Their chart is not found.
    assert!(matches!(
        clients::get(&owner, zoe),
        Err(Error::NotFound { .. })
    ));
    assert!(chart::client_notes(&owner, zoe).is_err());

    // Ann's record of the shared session reads correctly, Zoë as a label.
    let ann_chart = chart::client_notes(&owner, ann).unwrap();
    let note = ann_chart.iter().find(|n| n.session_id == s1).unwrap();
    let topic = &note.shared.iter().find(|s| s.key == "topic").unwrap().body;
    assert!(
        topic.starts_with("Annual review of coping plans. Member "),
        "{topic}"
    );
    assert!(
        topic.contains(" and Member "),
        "Bobby stays a label: {topic}"
    );
    let own = &note.own[0].body;
    assert!(own.starts_with("Took part; sat next to Member "), "{own}");
    assert!(own.ends_with(" all evening."), "{own}");
    let shared_addendum = &note.addenda.iter().find(|a| a.shared).unwrap().body;
    assert!(
        shared_addendum.starts_with("Later, Member "),
        "{shared_addendum}"
    );
    assert!(
        shared_addendum.ends_with(" and Ann left together."),
        "{shared_addendum}"
    );
    assert_eq!(note.addenda.len(), 1, "Zoë's own addendum is gone");

    // No table of either database holds her name or her note's words.
    let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
    let practice = db::open(&c.v.location.practice_db_path(), &keys.practice, false).unwrap();
    let clinical = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    for (name, conn) in [("practice.db", &practice), ("clinical.db", &clinical)] {
        let everything = fold(&every_value(conn));
        for word in [
            "zoe",
            "martin",
            "marmalade",
            "lighthouse",
            "saxophone",
            "quokka",
        ] {
            assert!(!everything.contains(word), "{name} still holds “{word}”");
        }
        if name == "clinical.db" {
            let measures_left: i64 = conn
                .query_row(
                    "SELECT (SELECT count(*) FROM measure_entries) + (SELECT count(*) FROM measure_risk_flags)",
                    [],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(measures_left, 0, "her outcome measures are gone");
        }
        let free: i64 = conn
            .query_row("PRAGMA freelist_count", [], |r| r.get(0))
            .unwrap();
        assert_eq!(free, 0, "{name} was compacted");
    }
    let terms = index_terms(&clinical);
    for word in ["zoe", "martin", "marmalade", "lighthouse", "saxophone"] {
        assert!(
            !terms.iter().any(|t| t == word),
            "the index still holds “{word}”"
        );
    }
    assert!(
        terms.iter().any(|t| t == "evening"),
        "Ann's words stay indexed"
    );

    // verify is clean: the purge is recorded, not tampering.
    let report = integrity::verify(&owner).unwrap();
    assert!(report.findings.is_empty(), "{:#?}", report.findings);

    // A change to the purge's record is told apart from the purge.
    clinical
        .execute("UPDATE purged_spans SET token_count = token_count + 1", [])
        .unwrap();
    let findings = integrity::verify(&owner).unwrap().findings;
    assert!(
        findings
            .iter()
            .any(|f| f.contains("the record of purge 1 was changed")),
        "{findings:#?}"
    );
    clinical
        .execute("UPDATE purged_spans SET token_count = token_count - 1", [])
        .unwrap();
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());
    // And a name written back over the label is a changed note.
    clinical
        .execute_batch(
            "DROP TRIGGER note_sections_signed_no_update;
             UPDATE note_sections SET body = replace(body, 'next to Member', 'next to Zoe') WHERE client_id > 0;",
        )
        .unwrap();
    let findings = integrity::verify(&owner).unwrap().findings;
    assert!(
        findings
            .iter()
            .any(|f| f.contains("was changed after it was signed")),
        "{findings:#?}"
    );
}
