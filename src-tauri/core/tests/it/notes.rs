//! Session notes against a real vault: the group note written once with a
//! section per attending member, the member view, signing and immutability,
//! co-signing, private notes, search, scope, and refusals that write nothing.

use std::collections::HashMap;

use crate::common::*;
use chrono::NaiveDate;
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
use circle_core::integrity;
use circle_core::names::fold;
use circle_core::notes::chart;
use circle_core::notes::goals::{self, GoalInput, GoalStatus};
use circle_core::notes::private;
use circle_core::notes::redaction::mention_token;
use circle_core::notes::search;
use circle_core::notes::session_note::{
    self, GoalRatingInput, MemberNoteInput, NoteDraftInput, NoteStatus, RiskLevel, SectionText,
};
use circle_core::notes::signing;
use circle_core::notes::templates;
use circle_core::notes::todo;
use circle_core::practice;
use circle_core::roles::Role;
use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
use circle_core::schedule::recurrence::{Pattern, RecurrenceInput};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::schedule::sessions::{self, GroupSession};
use circle_core::signed_in::SignedIn;
use circle_core::staff;
use circle_core::vault::keyring::login_id;
use circle_core::vault::{crypto, db};
use circle_core::Error;

pub(crate) const MANAGER: &str = "morgan";

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn client_input(first: &str, last: &str, preferred: Option<&str>) -> ClientInput {
    ClientInput {
        legal_first_name: first.into(),
        legal_last_name: last.into(),
        preferred_name: preferred.map(str::to_owned),
        middle_name: None,
        name_order: Default::default(),
        pronouns: None,
        date_of_birth: None,
        phone: None,
        email: None,
        emergency_name: None,
        emergency_phone: None,
        status: ClientStatus::Active,
    }
}

/// A new active client, for other test files.
pub(crate) fn client_for_tests(s: &SignedIn, first: &str, last: &str) -> i64 {
    client(s, first, last, None)
}

fn client(s: &SignedIn, first: &str, last: &str, preferred: Option<&str>) -> i64 {
    let input = client_input(first, last, preferred);
    match clients::create(s, input, true).unwrap() {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    }
}

fn weekly(first: &str, count: u32) -> RecurrenceInput {
    RecurrenceInput {
        first_date: first.into(),
        start_time: "18:00".into(),
        duration_minutes: 90,
        pattern: Pattern::Weekly,
        interval_weeks: Some(1),
        nth_week: None,
        weekday: None,
        until_date: None,
        count: Some(count),
        timezone: String::new(),
    }
}

/// The practice of these tests: Ana leads "Steady Ground" (eight members),
/// Ben (supervised by Cara) leads "New Roots"; a front desk and a manager.
pub(crate) struct Clinic {
    pub(crate) v: TestVault,
    pub(crate) ana: i64,
    pub(crate) ben: i64,
    pub(crate) cara: i64,
    /// By first name.
    pub(crate) members: HashMap<&'static str, i64>,
    pub(crate) steady: Vec<GroupSession>,
    pub(crate) roots: Vec<GroupSession>,
    pub(crate) roots_member: i64,
}

const ROSTER: [(&str, &str, Option<&str>); 8] = [
    ("Zoë", "Martin", None),
    ("Ann", "Lee", None),
    ("Robert", "Okafor", Some("Bobby")),
    ("José", "Álvarez", None),
    ("Mei", "Chen", None),
    ("Tomás", "Whitfield", None),
    ("Liam", "Byrne", None),
    ("Sara", "Kowalski", None),
];

pub(crate) fn clinic() -> Clinic {
    let v = new_vault();
    let ana = v.add("ana", "Ana Lindqvist", Role::Clinician);
    let ben = v.add("ben", "Ben Adeyemi", Role::Clinician);
    let cara = v.add("cara", "Cara Moreau", Role::Supervisor);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    v.add(MANAGER, "Morgan Hale", Role::Manager);
    let owner = v.owner();
    staff::set_supervisor(&owner, ben, Some(cara)).unwrap();
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Garden Room".into(),
            capacity: 12,
        },
    )
    .unwrap()
    .id;
    let group = |name: &str, lead: i64| GroupInput {
        name: name.into(),
        kind: GroupKind::Closed,
        modality: "CBT".into(),
        capacity: 10,
        primary_facilitator_id: lead,
        co_facilitator_ids: vec![],
        default_room_id: Some(room),
        note_template: NoteTemplate::Girp,
        substance_use: false,
    };
    let steady_group = groups::create_group(&owner, group("Steady Ground", ana)).unwrap();
    let steady = sessions::create_series(&owner, steady_group.id, room, weekly("2026-11-03", 3))
        .unwrap()
        .sessions;
    let mut members = HashMap::new();
    for (first, last, preferred) in ROSTER {
        let id = client(&owner, first, last, preferred);
        groups::enroll(&owner, steady_group.id, id, false, day("2026-11-01")).unwrap();
        members.insert(first, id);
    }
    let roots_group = groups::create_group(&owner, group("New Roots", ben)).unwrap();
    let roots = sessions::create_series(&owner, roots_group.id, room, weekly("2026-11-04", 2))
        .unwrap()
        .sessions;
    let roots_member = client(&owner, "Farah", "Haddad", None);
    groups::enroll(
        &owner,
        roots_group.id,
        roots_member,
        false,
        day("2026-11-01"),
    )
    .unwrap();
    owner.lock().unwrap();
    Clinic {
        v,
        ana,
        ben,
        cara,
        members,
        steady,
        roots,
        roots_member,
    }
}

pub(crate) fn mark(s: &SignedIn, session_id: i64, client_id: i64, status: AttendanceStatus) {
    let (arrived, left) = match status {
        AttendanceStatus::Late => (Some("18:20".to_owned()), None),
        AttendanceStatus::LeftEarly => (None, Some("19:05".to_owned())),
        _ => (None, None),
    };
    attendance::record(
        s,
        AttendanceInput {
            session_id,
            client_id,
            status,
            arrived_at: arrived,
            left_at: left,
        },
    )
    .unwrap();
}

pub(crate) fn text(key: &str, body: &str) -> SectionText {
    SectionText {
        key: key.into(),
        body: body.into(),
    }
}

pub(crate) fn member(client_id: i64, words: &str) -> MemberNoteInput {
    MemberNoteInput {
        client_id,
        sections: vec![
            text("participation", &format!("Took part: {words}.")),
            text("response", "Responded well to grounding."),
            text("plan", "Practise the exercise daily."),
        ],
        goal_ratings: vec![],
        risk_level: Some(RiskLevel::None),
        risk_text: String::new(),
    }
}

fn whole_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Ana's note for session 1 of Steady Ground: six attend, two are absent.
pub(crate) fn write_first_session(c: &Clinic, ana: &SignedIn) -> (i64, NoteDraftInput) {
    let s1 = c.steady[0].id;
    let m = &c.members;
    for (first, status) in [
        ("Zoë", AttendanceStatus::Present),
        ("Ann", AttendanceStatus::Present),
        ("Robert", AttendanceStatus::Late),
        ("José", AttendanceStatus::Present),
        ("Mei", AttendanceStatus::LeftEarly),
        ("Tomás", AttendanceStatus::Present),
        ("Liam", AttendanceStatus::NoShow),
        ("Sara", AttendanceStatus::AbsentExcused),
    ] {
        mark(ana, s1, m[first], status);
    }
    let draft = NoteDraftInput {
        released: Vec::new(),
        session_id: s1,
        revision: 0,
        shared: vec![
            text(
                "topic",
                &format!(
                    "Annual review of coping plans. Zoe and Bobby opened the check-in; {} shared a story about sleep.",
                    mention_token(m["José"])
                ),
            ),
            text(
                "interventions",
                "Grounding (5-4-3-2-1). Ann modelled it; mei chen and TOMAS practised in pairs.",
            ),
            text("process", "Warm; Okafor's humour eased the start."),
        ],
        members: ["Zoë", "Ann", "Robert", "José", "Mei", "Tomás"]
            .iter()
            .map(|first| member(m[first], first))
            .collect(),
    };
    let saved = session_note::save_draft(ana, draft.clone()).unwrap();
    assert_eq!(saved.revision, 1);
    (s1, draft)
}

#[test]
fn an_eight_member_session_is_written_once_and_each_record_shows_only_its_own_member() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, _) = write_first_session(&c, &ana);

    let note = session_note::session_note(&ana, s1).unwrap();
    assert_eq!(note.status, NoteStatus::Draft);
    assert_eq!(note.template.code, NoteTemplate::Girp);
    assert_eq!(note.members.len(), 8, "everyone booked is listed");
    assert_eq!(
        note.members.iter().filter(|m| m.note.is_some()).count(),
        6,
        "only the six who attended have a section"
    );
    // The editor is told which members the shared text names in free text.
    let warned: Vec<i64> = note
        .name_warnings
        .iter()
        .flat_map(|w| w.client_ids.clone())
        .collect();
    for first in ["Zoë", "Ann", "Robert", "Mei", "Tomás"] {
        assert!(warned.contains(&c.members[first]), "{first} is named");
    }

    let signed = signing::sign(&ana, s1, note.revision).unwrap();
    assert_eq!(signed.status, NoteStatus::Signed, "Ana has no supervisor");
    let signature = signed.signature.unwrap();
    assert_eq!(signature.staff.id, c.ana);
    assert_eq!(signature.content_hash.len(), 64);

    let mut labels_of_zoe = Vec::new();
    for (first, last, preferred) in ROSTER.iter().take(6) {
        let id = c.members[first];
        let record = chart::client_notes(&ana, id).unwrap();
        assert_eq!(record.len(), 1, "{first}'s record has the session");
        let entry = &record[0];
        assert_eq!(entry.status, NoteStatus::Signed);
        let shared: String = entry
            .shared
            .iter()
            .map(|s| s.body.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let words = whole_words(&shared);
        for (other_first, other_last, other_preferred) in ROSTER {
            if other_first == *first {
                continue;
            }
            for name in [Some(other_first), Some(other_last), other_preferred]
                .into_iter()
                .flatten()
            {
                for word in whole_words(name) {
                    assert!(
                        !words.contains(&word),
                        "{first}'s record leaks {word:?}: {shared}"
                    );
                }
            }
        }
        assert!(shared.starts_with("Annual review"), "{shared}");
        assert!(shared.contains("Member "), "{shared}");
        // Their own name stays as written, or as their display name for a mention.
        match *first {
            "Zoë" => assert!(shared.contains("Zoe and Member"), "{shared}"),
            "Robert" => assert!(shared.contains("and Bobby opened"), "{shared}"),
            "José" => assert!(shared.contains("José Álvarez shared"), "{shared}"),
            _ => {}
        }
        let _ = (last, preferred);
        // The member's own section follows, and only theirs.
        let own: String = entry.own.iter().map(|s| s.body.as_str()).collect();
        assert!(own.contains(&format!("Took part: {first}.")), "{own}");
        if *first != "Zoë" {
            // Everyone else sees Zoë under one label, the same in every record.
            let label = shared
                .split("; ")
                .next()
                .unwrap()
                .split("check-in")
                .next()
                .unwrap()
                .to_owned();
            labels_of_zoe.push(label.split(" and ").next().unwrap().to_owned());
        }
    }
    labels_of_zoe.dedup();
    assert_eq!(labels_of_zoe.len(), 1, "one label per member per session");

    // Absent members have no clinical note; their attendance stands.
    for first in ["Liam", "Sara"] {
        assert!(chart::client_notes(&ana, c.members[first])
            .unwrap()
            .is_empty());
    }
    let reread = session_note::session_note(&ana, s1).unwrap();
    assert_eq!(reread.status, NoteStatus::Signed);
    assert!(!reread.can_edit);
}

#[test]
fn a_member_renamed_after_signing_is_still_redacted_by_the_name_the_note_used() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, _) = write_first_session(&c, &ana);
    let revision = session_note::session_note(&ana, s1).unwrap().revision;
    signing::sign(&ana, s1, revision).unwrap();
    let zoe = c.members["Zoë"];
    clients::update(&ana, zoe, client_input("Zoya", "Marsh", None)).unwrap();

    let ann = chart::client_notes(&ana, c.members["Ann"]).unwrap();
    let shared: String = ann[0].shared.iter().map(|s| s.body.clone()).collect();
    assert!(
        !whole_words(&shared).contains(&"zoe".to_owned()),
        "{shared}"
    );
    assert!(
        shared.contains("Annual review of coping plans. Member "),
        "{shared}"
    );
    // Zoë's own record shows her new name where she was mentioned by it.
    assert!(chart::client_notes(&ana, zoe).unwrap()[0].own[0]
        .body
        .contains("Zoë"));
    drop(ana);
    // The frozen names are part of what was signed.
    assert!(integrity::verify(&c.v.owner()).unwrap().findings.is_empty());
}

#[test]
fn a_draft_comes_back_exactly_after_a_lock_and_a_colleagues_stale_save_is_refused() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, mut draft) = write_first_session(&c, &ana);
    draft.revision = 1;
    draft.shared[2].body =
        "Line one\nLine two — ünïcödé, emoji 🙂, tabs\tand trailing space ".into();
    session_note::save_draft(&ana, draft.clone()).unwrap();
    ana.lock().unwrap();

    let ana = c.v.sign_in("ana");
    let note = session_note::session_note(&ana, s1).unwrap();
    assert_eq!(note.revision, 2);
    let process = note.shared.iter().find(|s| s.key == "process").unwrap();
    assert_eq!(process.body, draft.shared[2].body);
    let zoe = note
        .members
        .iter()
        .find(|m| m.client_id == c.members["Zoë"])
        .unwrap();
    assert_eq!(
        zoe.note.as_ref().unwrap().sections[0].body,
        "Took part: Zoë."
    );

    // A save based on revision 1 would overwrite revision 2: refused.
    let before = clinical_snapshot(&c.v);
    let stale = session_note::save_draft(
        &ana,
        NoteDraftInput {
            released: Vec::new(),
            revision: 1,
            ..draft
        },
    );
    assert!(matches!(stale, Err(Error::Conflict { .. })), "{stale:?}");
    assert_eq!(clinical_snapshot(&c.v), before);
}

#[test]
fn a_supervisees_note_waits_for_the_supervisors_cosignature() {
    let c = clinic();
    let ben = c.v.sign_in("ben");
    let s = c.roots[0].id;
    mark(&ben, s, c.roots_member, AttendanceStatus::Present);
    let saved = session_note::save_draft(
        &ben,
        NoteDraftInput {
            released: Vec::new(),
            session_id: s,
            revision: 0,
            shared: vec![text("topic", "Values"), text("interventions", "Card sort")],
            members: vec![member(c.roots_member, "Farah")],
        },
    )
    .unwrap();
    let signed = signing::sign(&ben, s, saved.revision).unwrap();
    assert_eq!(signed.status, NoteStatus::PendingCosign);
    assert_eq!(signed.awaiting_cosigner.as_ref().unwrap().id, c.cara);
    // Pending notes are in the record (marked), and on the supervisor's list.
    let record = chart::client_notes(&ben, c.roots_member).unwrap();
    assert_eq!(record[0].status, NoteStatus::PendingCosign);
    let cara = c.v.sign_in("cara");
    let todo = todo::notes_to_do(&cara).unwrap();
    assert_eq!(
        todo.to_cosign
            .iter()
            .map(|t| t.session_id)
            .collect::<Vec<_>>(),
        vec![s]
    );
    assert_eq!(todo.to_cosign[0].by.as_ref().unwrap().id, c.ben);

    // Ben cannot co-sign his own note (nor could he as a clinician anyway).
    drop(ben);
    let cosigned = signing::cosign(&cara, s).unwrap();
    assert_eq!(cosigned.status, NoteStatus::Signed);
    assert_eq!(cosigned.cosignature.unwrap().staff.id, c.cara);
    assert!(todo::notes_to_do(&cara).unwrap().to_cosign.is_empty());
    let again = signing::cosign(&cara, s);
    assert!(matches!(again, Err(Error::Conflict { .. })), "{again:?}");
}

#[test]
fn a_supervisor_cannot_cosign_their_own_note() {
    let c = clinic();
    let owner = c.v.owner();
    // Cara (a supervisor) is supervised by the owner; she signs, then tries to co-sign.
    staff::set_supervisor(&owner, c.cara, Some(owner.actor().staff_id)).unwrap();
    let s = c.roots[1].id;
    mark(&owner, s, c.roots_member, AttendanceStatus::Present);
    owner.lock().unwrap();
    let cara = c.v.sign_in("cara");
    let saved = session_note::save_draft(
        &cara,
        NoteDraftInput {
            released: Vec::new(),
            session_id: s,
            revision: 0,
            shared: vec![text("topic", "Values"), text("interventions", "Card sort")],
            members: vec![member(c.roots_member, "Farah")],
        },
    )
    .unwrap();
    assert_eq!(
        signing::sign(&cara, s, saved.revision).unwrap().status,
        NoteStatus::PendingCosign
    );
    let before = clinical_snapshot(&c.v);
    match signing::cosign(&cara, s) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "cosign"),
        other => panic!("expected a refusal naming cosign, got {other:?}"),
    }
    assert_eq!(clinical_snapshot(&c.v), before);
}

#[test]
fn the_front_desk_and_the_manager_are_refused_every_note_command() {
    let c = clinic();
    let s1 = c.steady[0].id;
    let zoe = c.members["Zoë"];
    for username in [FRONT_DESK, MANAGER] {
        let s = c.v.sign_in(username);
        assert!(!s.has_clinical_access());
        let draft = NoteDraftInput {
            released: Vec::new(),
            session_id: s1,
            revision: 0,
            shared: vec![],
            members: vec![],
        };
        let goal = GoalInput {
            text: "Sleep".into(),
            started_on: "2026-11-01".into(),
            target_on: None,
            status: GoalStatus::Active,
        };
        let results: Vec<(&str, Result<(), Error>)> = vec![
            ("templates", templates::templates(&s).map(drop)),
            ("session_note", session_note::session_note(&s, s1).map(drop)),
            ("save_draft", session_note::save_draft(&s, draft).map(drop)),
            ("sign", signing::sign(&s, s1, 1).map(drop)),
            ("cosign", signing::cosign(&s, s1).map(drop)),
            (
                "addendum",
                signing::add_addendum(&s, s1, None, "x").map(drop),
            ),
            ("client_notes", chart::client_notes(&s, zoe).map(drop)),
            ("goals", goals::goals_of_client(&s, zoe).map(drop)),
            (
                "create_goal",
                goals::create_goal(&s, zoe, goal.clone()).map(drop),
            ),
            ("update_goal", goals::update_goal(&s, 1, goal).map(drop)),
            ("private_note", private::private_note(&s, s1, zoe).map(drop)),
            (
                "save_private_note",
                private::save_private_note(&s, s1, zoe, "x").map(drop),
            ),
            ("search", search::search(&s, "grounding").map(drop)),
            ("notes_to_do", todo::notes_to_do(&s).map(drop)),
        ];
        for (what, result) in results {
            assert!(
                matches!(result, Err(Error::Forbidden)),
                "{username} {what}: {result:?}"
            );
        }
    }
}

/// Every clinical table as text, plus the audit log, read through a second
/// connection with the owner's keys.
pub(crate) fn clinical_snapshot(v: &TestVault) -> String {
    let keys = v.unwrap_as(OWNER, OWNER_PASS);
    let conn = db::open(
        &v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    let mut out = String::new();
    for table in [
        "session_notes",
        "note_sections",
        "member_notes",
        "goals",
        "goal_ratings",
        "note_signatures",
        "note_addenda",
        "private_notes",
        "notes_fts",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|v| v.join("|"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        out.push_str(&format!("{table}: {}\n", rows.join("\n")));
    }
    out + &snapshot(v)
}

#[test]
fn bad_note_input_is_refused_by_name_and_writes_nothing() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let owner = c.v.owner();
    let m = &c.members;
    let (s1, draft) = write_first_session(&c, &ana);
    let zoe_goal = goals::create_goal(
        &ana,
        m["Zoë"],
        GoalInput {
            text: "Sleep seven hours".into(),
            started_on: "2026-11-01".into(),
            target_on: Some("2027-02-01".into()),
            status: GoalStatus::Active,
        },
    )
    .unwrap();
    let s2 = c.steady[1].id;
    for (first, _, _) in ROSTER {
        mark(&ana, s2, m[first], AttendanceStatus::Present);
    }
    sessions::cancel_session(&owner, c.steady[2].id).unwrap();
    let revision = session_note::session_note(&ana, s1).unwrap().revision;

    let field_of = |r: Result<(), Error>| match r {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected Invalid, got {other:?}"),
    };
    let before = clinical_snapshot(&c.v);

    // Signing with an empty required section.
    let mut empty = draft.clone();
    empty.revision = revision;
    empty.shared[1].body = "   ".into();
    session_note::save_draft(&ana, empty).unwrap();
    let after_save = clinical_snapshot(&c.v);
    assert_eq!(
        field_of(signing::sign(&ana, s1, revision + 1).map(drop)),
        "shared.interventions"
    );
    // A member without a risk level.
    let mut no_risk = draft.clone();
    no_risk.revision = revision + 1;
    no_risk.members[0].risk_level = None;
    session_note::save_draft(&ana, no_risk).unwrap();
    assert_eq!(
        field_of(signing::sign(&ana, s1, revision + 2).map(drop)),
        format!("members.{}.risk", m["Zoë"])
    );
    assert_ne!(after_save, before);
    let mut fixed = draft.clone();
    fixed.revision = revision + 2;
    session_note::save_draft(&ana, fixed.clone()).unwrap();
    signing::sign(&ana, s1, revision + 3).unwrap();
    let signed_state = clinical_snapshot(&c.v);

    // Signing twice; editing a signed note; an addendum with no text.
    assert!(matches!(
        signing::sign(&ana, s1, revision + 3),
        Err(Error::Conflict { .. })
    ));
    fixed.revision = revision + 3;
    assert!(matches!(
        session_note::save_draft(&ana, fixed),
        Err(Error::Conflict { .. })
    ));
    assert_eq!(
        field_of(signing::add_addendum(&ana, s1, None, "  \n ").map(drop)),
        "addendum"
    );
    assert_eq!(
        field_of(signing::add_addendum(&ana, s1, Some(m["Liam"]), "Called him.").map(drop)),
        "addendumMember"
    );
    // Co-signing a note that waits for nobody.
    assert!(matches!(
        signing::cosign(&owner, s1),
        Err(Error::Conflict { .. })
    ));

    // Session 2: a note for an absent member, a goal of another client.
    mark(&ana, s2, m["Liam"], AttendanceStatus::NoShow);
    let mut absent = NoteDraftInput {
        released: Vec::new(),
        session_id: s2,
        revision: 0,
        shared: vec![text("topic", "Sleep")],
        members: vec![member(m["Liam"], "Liam")],
    };
    assert_eq!(
        field_of(session_note::save_draft(&ana, absent.clone()).map(drop)),
        format!("members.{}", m["Liam"])
    );
    let mut ann = member(m["Ann"], "Ann");
    ann.goal_ratings.push(GoalRatingInput {
        goal_id: zoe_goal.id,
        rating: Some(4),
        comment: "Better".into(),
    });
    absent.members = vec![ann];
    assert_eq!(
        field_of(session_note::save_draft(&ana, absent.clone()).map(drop)),
        format!("members.{}.goals.{}", m["Ann"], zoe_goal.id)
    );
    let mut bad_rating = member(m["Zoë"], "Zoë");
    bad_rating.goal_ratings.push(GoalRatingInput {
        goal_id: zoe_goal.id,
        rating: Some(6),
        comment: String::new(),
    });
    absent.members = vec![bad_rating];
    assert_eq!(
        field_of(session_note::save_draft(&ana, absent.clone()).map(drop)),
        format!("members.{}.goals.{}", m["Zoë"], zoe_goal.id)
    );
    absent.members = vec![];
    absent.shared = vec![text("summary", "not a GIRP section")];
    assert_eq!(
        field_of(session_note::save_draft(&ana, absent.clone()).map(drop)),
        "shared.summary"
    );
    // A cancelled occurrence takes no note.
    absent.session_id = c.steady[2].id;
    absent.shared = vec![text("topic", "Sleep")];
    assert!(matches!(
        session_note::save_draft(&ana, absent),
        Err(Error::Conflict { .. })
    ));
    // Goals: empty text, target before start.
    let goal = |text: &str, target: Option<&str>| GoalInput {
        text: text.into(),
        started_on: "2026-11-01".into(),
        target_on: target.map(str::to_owned),
        status: GoalStatus::Active,
    };
    assert_eq!(
        field_of(goals::create_goal(&ana, m["Ann"], goal(" ", None)).map(drop)),
        "text"
    );
    assert_eq!(
        field_of(goals::create_goal(&ana, m["Ann"], goal("Walk", Some("2026-10-01"))).map(drop)),
        "targetOn"
    );
    // The refusals after signing wrote nothing (Liam's attendance aside,
    // which is practice data recorded on purpose).
    let _ = signed_state;
    let now = clinical_snapshot(&c.v);
    let clinical_part = |s: &str| s.split("clients:").next().unwrap().to_owned();
    assert_eq!(clinical_part(&now), clinical_part(&signed_state));
}

#[test]
fn a_signed_note_cannot_be_edited_in_sql_and_verify_catches_a_forced_change() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, _) = write_first_session(&c, &ana);
    let revision = session_note::session_note(&ana, s1).unwrap().revision;
    signing::sign(&ana, s1, revision).unwrap();
    signing::add_addendum(
        &ana,
        s1,
        Some(c.members["Ann"]),
        "Ann phoned to add context.",
    )
    .unwrap();
    drop(ana);

    let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
    let conn = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    for sql in [
        "UPDATE note_sections SET body = 'rewritten' WHERE key = 'topic'",
        "DELETE FROM note_sections WHERE key = 'plan'",
        "INSERT INTO note_sections (note_id, client_id, key, body) SELECT note_id, 0, 'extra', 'x' FROM note_sections LIMIT 1",
        "UPDATE member_notes SET risk_level = 'high'",
        "DELETE FROM session_notes",
        "UPDATE note_signatures SET staff_id = 1",
        "DELETE FROM note_signatures",
        "UPDATE note_addenda SET body = 'changed'",
    ] {
        let refused = conn.execute(sql, []);
        assert!(refused.is_err(), "{sql} went through");
    }
    let owner = c.v.owner();
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());

    // Forced past the triggers: verify names the session and the addendum.
    conn.execute_batch(
        "DROP TRIGGER note_sections_signed_no_update;
         DROP TRIGGER note_addenda_no_update;
         UPDATE note_sections SET body = 'rewritten' WHERE key = 'topic';
         UPDATE note_addenda SET body = 'changed';",
    )
    .unwrap();
    let findings = integrity::verify(&owner).unwrap().findings;
    assert!(
        findings
            .iter()
            .any(|f| f.contains(&format!("session {s1}"))
                && f.contains("changed after it was signed")),
        "{findings:?}"
    );
    assert!(
        findings.iter().any(|f| f.contains("addendum")),
        "{findings:?}"
    );
    assert!(
        findings.iter().all(|f| !f.contains("rewritten")),
        "no note text in findings"
    );
}

#[test]
fn a_private_note_opens_for_its_author_alone_even_with_the_files_and_keys() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let s1 = c.steady[0].id;
    let zoe = c.members["Zoë"];
    let secret = "Zoë spoke about her father for the first time.";
    let saved = private::save_private_note(&ana, s1, zoe, secret).unwrap();
    assert!(saved.readable);
    assert_eq!(private::private_note(&ana, s1, zoe).unwrap().body, secret);
    drop(ana);

    // The owner (who sees every record) gets only their own, empty, note.
    let owner = c.v.owner();
    let theirs = private::private_note(&owner, s1, zoe).unwrap();
    assert_eq!(theirs.body, "");
    assert!(theirs.updated_at.is_none());
    // Search and the record never show it.
    assert!(search::search(&owner, "father").unwrap().is_empty());
    drop(owner);

    // With the files and every key the owner's passphrase unwraps, the
    // sealed note does not open.
    let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
    let conn = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    let sealed: String = conn
        .query_row("SELECT sealed FROM private_notes", [], |r| r.get(0))
        .unwrap();
    assert!(!sealed.contains("father"));
    let context = format!("circle/v1/private-note/{}/{s1}/{zoe}", c.ana);
    let mut keyring = c.v.keyring();
    let owner_entry = keyring.entry_mut(OWNER).unwrap();
    let (owner_private, _) = owner_entry
        .keys
        .private_notes_key(&keys.delivery_secret, &login_id(OWNER), |_| false)
        .unwrap();
    for key in [
        &keys.practice,
        keys.clinical.as_ref().unwrap(),
        &keys.delivery_secret,
        &owner_private,
    ] {
        assert!(crypto::open(key, &context, &crypto::Sealed(sealed.clone())).is_err());
    }
    // Ana's wrapped key opens only with Ana's delivery secret.
    let ana_entry = keyring.entry("ana").unwrap().keys.clone();
    assert!(ana_entry.private_notes_wrap.is_some());
    assert!(ana_entry
        .clone()
        .private_notes_key(&keys.delivery_secret, &login_id("ana"), |_| false)
        .is_err());
    let ana_keys = c.v.unwrap_as("ana", INITIAL_PASS);
    assert!(ana_entry
        .clone()
        .private_notes_key(&ana_keys.delivery_secret, &login_id("ana"), |_| false)
        .is_ok());
    // Nor does the recovery code hold it.
    assert!(keyring.recovery.private_notes_key.is_none());
    assert!(keyring.recovery.private_notes_wrap.is_none());
}

#[test]
fn a_private_note_survives_the_authors_passphrase_change_but_not_an_administrators_reset() {
    let c = clinic();
    let mut ana = c.v.sign_in("ana");
    let s1 = c.steady[0].id;
    let zoe = c.members["Zoë"];
    private::save_private_note(&ana, s1, zoe, "Only mine.").unwrap();
    circle_core::accounts::change_own_passphrase(
        &mut ana,
        &pass(INITIAL_PASS),
        &pass("amber quarry sailing lattice"),
    )
    .unwrap();
    drop(ana);
    let ana =
        circle_core::signin::unlock(&c.v.location, "ana", &pass("amber quarry sailing lattice"))
            .unwrap();
    assert_eq!(
        private::private_note(&ana, s1, zoe).unwrap().body,
        "Only mine."
    );
    drop(ana);

    let owner = c.v.owner();
    circle_core::accounts::reset_passphrase(&owner, c.ana, &pass(INITIAL_PASS)).unwrap();
    drop(owner);
    // Signed in with the administrator's passphrase, she must choose her own
    // before anything else.
    let mut ana = c.v.sign_in("ana");
    circle_core::accounts::change_own_passphrase(
        &mut ana,
        &pass(INITIAL_PASS),
        &pass("saffron ledger orbit willow"),
    )
    .unwrap();
    let after = private::private_note(&ana, s1, zoe).unwrap();
    assert!(!after.readable, "an administrator's reset cannot open it");
    assert_eq!(after.body, "");
}

pub(crate) fn all_audit(owner: &SignedIn) -> Vec<circle_core::audit::AuditEntry> {
    circle_core::audit::list_for(
        owner,
        &circle_core::audit::AuditFilter {
            limit: Some(10_000),
            ..Default::default()
        },
    )
    .unwrap()
}

/// Everyone booked into the session but `present` is marked absent (excused).
fn others_absent(s: &SignedIn, session_id: i64, present: i64) {
    for id in sessions::session_member_ids(s, session_id).unwrap() {
        if id != present {
            mark(s, session_id, id, AttendanceStatus::AbsentExcused);
        }
    }
}

pub(crate) fn sign_simple(s: &SignedIn, session_id: i64, client_id: i64, topic: &str) {
    mark(s, session_id, client_id, AttendanceStatus::Present);
    others_absent(s, session_id, client_id);
    let saved = session_note::save_draft(
        s,
        NoteDraftInput {
            released: Vec::new(),
            session_id,
            revision: 0,
            shared: vec![text("topic", topic), text("interventions", "Discussion")],
            members: vec![member(client_id, "them")],
        },
    )
    .unwrap();
    signing::sign(s, session_id, saved.revision).unwrap();
}

#[test]
fn search_finds_a_word_only_in_notes_the_searcher_may_read() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    sign_simple(
        &ana,
        c.steady[1].id,
        c.members["Ann"],
        "The lighthouse metaphor",
    );
    let ben = c.v.sign_in("ben");
    sign_simple(
        &ben,
        c.roots[0].id,
        c.roots_member,
        "Lighthouses and harbours",
    );

    let sessions_found = |s: &SignedIn| -> Vec<i64> {
        let mut ids: Vec<i64> = search::search(s, "lighthouse")
            .unwrap()
            .iter()
            .map(|h| h.session_id)
            .collect();
        ids.sort();
        ids.dedup();
        ids
    };
    assert_eq!(sessions_found(&ana), vec![c.steady[1].id]);
    assert_eq!(sessions_found(&ben), vec![c.roots[0].id]);
    let owner = c.v.owner();
    assert_eq!(
        sessions_found(&owner).len(),
        2,
        "the owner reads everything"
    );
    let hit = &search::search(&ana, "LIGHTHOUSE metaphor").unwrap()[0];
    assert!(
        hit.snippet.contains("\u{2}lighthouse\u{3}"),
        "{}",
        hit.snippet
    );
    assert!(hit.opens_session);

    // Scope off: clinicians read every record.
    practice::set_notes_scope_limited(&owner, false).unwrap();
    assert_eq!(sessions_found(&ana).len(), 2);
    practice::set_notes_scope_limited(&owner, true).unwrap();
    assert_eq!(sessions_found(&ana), vec![c.steady[1].id]);
    // Out of scope, the record itself is closed too.
    assert!(matches!(
        chart::client_notes(&ana, c.roots_member),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        session_note::session_note(&ana, c.roots[0].id),
        Err(Error::Forbidden)
    ));
    // Searches are audited without the words searched for.
    let audit = all_audit(&owner);
    assert!(audit.iter().any(|e| e.action == "note.searched"));
    assert!(audit
        .iter()
        .all(|e| !e.detail.clone().unwrap_or_default().contains("lighthouse")));
}

#[test]
fn goals_collect_ratings_from_signed_notes_for_the_trend() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let ann = c.members["Ann"];
    let goal = goals::create_goal(
        &ana,
        ann,
        GoalInput {
            text: "Speak up once per group".into(),
            started_on: "2026-11-01".into(),
            target_on: None,
            status: GoalStatus::Active,
        },
    )
    .unwrap();
    for (i, rating) in [(0, 2u8), (1, 4u8)] {
        let s = c.steady[i].id;
        mark(&ana, s, ann, AttendanceStatus::Present);
        others_absent(&ana, s, ann);
        let mut m = member(ann, "Ann");
        m.goal_ratings.push(GoalRatingInput {
            goal_id: goal.id,
            rating: Some(rating),
            comment: format!("Spoke {rating} times, after Zoë."),
        });
        let saved = session_note::save_draft(
            &ana,
            NoteDraftInput {
                released: Vec::new(),
                session_id: s,
                revision: 0,
                shared: vec![text("topic", "Voice"), text("interventions", "Rounds")],
                members: vec![m],
            },
        )
        .unwrap();
        if i == 0 {
            signing::sign(&ana, s, saved.revision).unwrap();
        }
    }
    let progress = goals::goals_of_client(&ana, ann).unwrap();
    assert_eq!(progress.len(), 1);
    let ratings = &progress[0].ratings;
    assert_eq!(
        ratings.len(),
        1,
        "the draft's rating is not in the record yet"
    );
    assert_eq!(ratings[0].rating, 2);
    assert_eq!(ratings[0].date, "2026-11-03");
    assert!(ratings[0].comment.starts_with("Spoke 2 times, after "));
    assert!(!ratings[0].comment.contains("Zo"), "{}", ratings[0].comment);
    let note = session_note::session_note(&ana, c.steady[1].id).unwrap();
    signing::sign(&ana, c.steady[1].id, note.revision).unwrap();
    let ratings: Vec<u8> = goals::goals_of_client(&ana, ann).unwrap()[0]
        .ratings
        .iter()
        .map(|r| r.rating)
        .collect();
    assert_eq!(ratings, vec![2, 4]);
}

#[test]
fn notes_to_write_and_sign_follow_the_clinicians_sessions() {
    // The lists look back 60 days from today: pin today to the fixture's
    // month so the test holds whatever the calendar says.
    let today = "2026-11-20T12:00:00Z"
        .parse::<chrono::DateTime<chrono::Utc>>()
        .unwrap();
    circle_core::clock::set_now_for_tests(Some(today));
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let todo = todo::notes_to_do(&ana).unwrap();
    // Sessions of 3, 10 and 17 Nov 2026 have started (today is the 20th).
    let past: Vec<i64> = c
        .steady
        .iter()
        .filter(|s| s.starts_at.as_str() < "2026-11-20T12:00:00Z")
        .map(|s| s.id)
        .collect();
    assert_eq!(
        todo.to_write
            .iter()
            .map(|t| t.session_id)
            .collect::<Vec<_>>(),
        past
    );
    assert!(todo.to_sign.is_empty());
    write_first_session(&c, &ana);
    let todo = todo::notes_to_do(&ana).unwrap();
    assert_eq!(todo.to_sign.len(), 1);
    assert_eq!(todo.to_sign[0].session_id, c.steady[0].id);
    assert!(!todo.to_write.iter().any(|t| t.session_id == c.steady[0].id));
    // Ben's list knows nothing of Ana's group.
    let ben = c.v.sign_in("ben");
    assert!(todo::notes_to_do(&ben)
        .unwrap()
        .to_write
        .iter()
        .all(|t| t.group_name == "New Roots"));
}

#[test]
fn every_note_action_is_audited_without_note_text() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, _) = write_first_session(&c, &ana);
    let note = session_note::session_note(&ana, s1).unwrap();
    signing::sign(&ana, s1, note.revision).unwrap();
    signing::add_addendum(&ana, s1, None, "Late addition about grounding.").unwrap();
    chart::client_notes(&ana, c.members["Ann"]).unwrap();
    private::save_private_note(&ana, s1, c.members["Ann"], "Private words").unwrap();
    private::private_note(&ana, s1, c.members["Ann"]).unwrap();
    drop(ana);
    let owner = c.v.owner();
    let audit = all_audit(&owner);
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "note.draft_saved",
        "note.viewed",
        "note.signed",
        "note.addendum_signed",
        "note.chart_viewed",
        "private_note.saved",
        "private_note.viewed",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing: {actions:?}"
        );
    }
    for entry in &audit {
        let detail = entry.detail.clone().unwrap_or_default();
        for word in ["grounding", "Private", "Annual", "Zo"] {
            assert!(!detail.contains(word), "{detail}");
        }
    }
}

// ------------------------------------------------------------- attacks on scope

/// The form as the Groups screen fills it from a group (what a user edits).
fn input_of(g: &groups::Group) -> GroupInput {
    GroupInput {
        name: g.name.clone(),
        kind: g.kind,
        modality: g.modality.clone(),
        capacity: g.capacity,
        primary_facilitator_id: g.primary_facilitator_id,
        co_facilitator_ids: g.co_facilitator_ids.clone(),
        default_room_id: g.default_room_id,
        note_template: g.note_template,
        substance_use: g.substance_use,
    }
}

fn refused_for_facilitators<T: std::fmt::Debug>(result: Result<T, Error>) {
    match result {
        Err(e @ Error::ForbiddenBecause { .. }) => {
            assert!(e.to_string().contains("facilitat"), "{e}");
        }
        other => panic!("expected a refusal about facilitators, got {other:?}"),
    }
}

#[test]
fn a_clinician_cannot_make_themselves_cofacilitator_to_read_a_groups_notes() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, _) = write_first_session(&c, &ana);
    let revision = session_note::session_note(&ana, s1).unwrap().revision;
    signing::sign(&ana, s1, revision).unwrap();
    drop(ana);
    let steady = c.steady[0].group_id;
    let zoe = c.members["Zoë"];

    // Ben (scope-limited) opens Ana's group on the Groups screen, which his
    // Scheduling capability allows, and adds himself as co-facilitator.
    let ben = c.v.sign_in("ben");
    let group = groups::get_group(&ben, steady).unwrap();
    let before = snapshot(&c.v);
    let mut as_co = input_of(&group);
    as_co.co_facilitator_ids.push(c.ben);
    refused_for_facilitators(groups::update_group(&ben, steady, as_co));
    // Nor can he take the lead, nor slip himself in with another edit.
    let mut as_lead = input_of(&group);
    as_lead.primary_facilitator_id = c.ben;
    as_lead.co_facilitator_ids = vec![c.ana];
    refused_for_facilitators(groups::update_group(&ben, steady, as_lead));
    let mut renamed_too = input_of(&group);
    renamed_too.name = "Steady Ground (Tuesdays)".into();
    renamed_too.co_facilitator_ids = vec![c.ben];
    refused_for_facilitators(groups::update_group(&ben, steady, renamed_too));
    // Nor create a group he leads and then fill it with anyone he likes.
    let mut own_group = input_of(&group);
    own_group.name = "Ben's Circle".into();
    own_group.primary_facilitator_id = c.ben;
    own_group.co_facilitator_ids = vec![];
    refused_for_facilitators(groups::create_group(&ben, own_group));
    assert_eq!(snapshot(&c.v), before, "a refused change wrote something");

    // Ana's notes and her members' records stay closed to him.
    assert!(matches!(
        session_note::session_note(&ben, s1),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        chart::client_notes(&ben, zoe),
        Err(Error::Forbidden)
    ));
    assert!(search::search(&ben, "grounding").unwrap().is_empty());

    // The front desk cannot change who facilitates either, but every other
    // edit of a group stays open to Scheduling.
    let desk = c.v.sign_in(FRONT_DESK);
    let mut desk_co = input_of(&group);
    desk_co.co_facilitator_ids = vec![c.ben];
    refused_for_facilitators(groups::update_group(&desk, steady, desk_co));
    let mut renamed = input_of(&group);
    renamed.name = "Steady Ground (Tuesdays)".into();
    renamed.capacity = 12;
    let updated = groups::update_group(&desk, steady, renamed).unwrap().group;
    assert_eq!(updated.name, "Steady Ground (Tuesdays)");
    assert_eq!(updated.primary_facilitator_id, c.ana);
    assert!(updated.co_facilitator_ids.is_empty());
    // Listing the co-facilitators in another order (or twice) is no change.
    let owner = c.v.owner();
    let mut both = input_of(&updated);
    both.co_facilitator_ids = vec![c.cara];
    groups::update_group(&owner, steady, both).unwrap();
    let mut shuffled = input_of(&groups::get_group(&desk, steady).unwrap());
    shuffled.co_facilitator_ids = vec![c.cara, c.cara];
    shuffled.capacity = 11;
    groups::update_group(&desk, steady, shuffled).unwrap();

    // A supervisor may seat him; then, and only then, he reads the notes.
    let cara = c.v.sign_in("cara");
    let mut seated = input_of(&groups::get_group(&cara, steady).unwrap());
    seated.co_facilitator_ids = vec![c.cara, c.ben];
    groups::update_group(&cara, steady, seated).unwrap();
    assert!(session_note::session_note(&ben, s1).is_ok());
    assert_eq!(chart::client_notes(&ben, zoe).unwrap().len(), 1);
}

#[test]
fn a_facilitator_change_is_audited_as_ids_without_names() {
    let c = clinic();
    let steady = c.steady[0].group_id;
    let owner = c.v.owner();
    let group = groups::get_group(&owner, steady).unwrap();
    let mut add_ben = input_of(&group);
    add_ben.co_facilitator_ids = vec![c.ben];
    groups::update_group(&owner, steady, add_ben.clone()).unwrap();
    let mut new_lead = add_ben.clone();
    new_lead.primary_facilitator_id = c.cara;
    new_lead.co_facilitator_ids = vec![c.ben, c.ana];
    groups::update_group(&owner, steady, new_lead.clone()).unwrap();
    let mut renamed = new_lead;
    renamed.name = "Steady Ground (Tuesdays)".into();
    groups::update_group(&owner, steady, renamed).unwrap();

    let updates: Vec<String> = all_audit(&owner)
        .into_iter()
        .rev()
        .filter(|e| e.action == "group.updated" && e.entity_id == Some(steady))
        .map(|e| e.detail.unwrap_or_default())
        .collect();
    let (ana, ben, cara) = (c.ana, c.ben, c.cara);
    let (low, high) = (ana.min(ben), ana.max(ben));
    assert_eq!(
        updates,
        vec![
            format!("facilitators {ana}->{ana},{ben}"),
            format!("facilitators {ana},{ben}->{cara},{low},{high}"),
            String::new(),
        ],
        "lead first, then co-facilitators; a rename changes no facilitator"
    );
    for detail in &updates {
        for word in ["Ana", "Ben", "Cara", "Lindqvist", "Steady"] {
            assert!(!detail.contains(word), "{detail}");
        }
    }
}

#[test]
fn waitlisting_a_client_into_ones_own_group_does_not_open_their_record() {
    let c = clinic();
    let farah = c.roots_member;
    let ben = c.v.sign_in("ben");
    sign_simple(&ben, c.roots[0].id, farah, "Values and direction");
    drop(ben);
    let steady = c.steady[0].group_id;

    // Ana does not lead New Roots: Farah's record is closed to her.
    let ana = c.v.sign_in("ana");
    let closed = |what: &str| {
        assert!(
            matches!(chart::client_notes(&ana, farah), Err(Error::Forbidden)),
            "{what}: chart"
        );
        assert!(
            matches!(goals::goals_of_client(&ana, farah), Err(Error::Forbidden)),
            "{what}: goals"
        );
        assert!(
            search::search(&ana, "took").unwrap().is_empty(),
            "{what}: search"
        );
    };
    closed("not her client");

    // She puts Farah on her own group's waitlist, which Scheduling allows.
    let waiting = groups::enroll(&ana, steady, farah, true, day("2026-11-01")).unwrap();
    assert_eq!(
        waiting.enrollment.status,
        groups::EnrollmentStatus::Waitlisted
    );
    closed("waitlisted");
    // Taken off the waitlist again (discharged without ever holding a seat).
    groups::discharge(
        &ana,
        waiting.enrollment.id,
        day("2026-11-02"),
        groups::DischargeReason::ChoseToLeave,
        None,
    )
    .unwrap();
    closed("off the waitlist");

    // A seat is what makes Farah one of Ana's group's clients.
    let desk = c.v.sign_in(FRONT_DESK);
    let seat = groups::enroll(&desk, steady, farah, false, day("2026-11-01")).unwrap();
    assert_eq!(seat.enrollment.status, groups::EnrollmentStatus::Active);
    assert_eq!(chart::client_notes(&ana, farah).unwrap().len(), 1);
    // Discharged from the group Ana still leads: the record stays open to her.
    groups::discharge(
        &desk,
        seat.enrollment.id,
        day("2026-11-20"),
        groups::DischargeReason::Completed,
        None,
    )
    .unwrap();
    assert_eq!(chart::client_notes(&ana, farah).unwrap().len(), 1);
}

#[test]
fn searching_a_redacted_name_finds_nothing_for_a_member_view_reader() {
    let c = clinic();
    let farah = c.roots_member;
    let robert = c.members["Robert"];
    let steady = c.steady[0].group_id;
    let owner = c.v.owner();
    // Farah joins Ana's group as well; Ben (who leads New Roots) may read
    // her record, so he reads her section of Ana's sessions as her record
    // shows it, never Ana's notes whole.
    groups::enroll(&owner, steady, farah, false, day("2026-11-01")).unwrap();
    drop(owner);

    let ana = c.v.sign_in("ana");
    let s = c.steady[1].id;
    for id in sessions::session_member_ids(&ana, s).unwrap() {
        let status = if id == farah || id == robert {
            AttendanceStatus::Present
        } else {
            AttendanceStatus::AbsentExcused
        };
        mark(&ana, s, id, status);
    }
    let mut hers = member(farah, "quietly");
    hers.sections[0].body = format!(
        "Paired with Okafor for the role play; {} encouraged her.",
        mention_token(robert)
    );
    let saved = session_note::save_draft(
        &ana,
        NoteDraftInput {
            released: Vec::new(),
            session_id: s,
            revision: 0,
            shared: vec![
                text("topic", "Trust and repair"),
                text("interventions", "Role play. Okafor volunteered first."),
            ],
            members: vec![hers, member(robert, "Robert")],
        },
    )
    .unwrap();
    signing::sign(&ana, s, saved.revision).unwrap();

    let ben = c.v.sign_in("ben");
    assert!(
        chart::client_notes(&ben, farah).is_ok(),
        "Farah's record is open to Ben"
    );
    for name in ["Okafor", "okafor", "Bobby", "Robert", "Bobby Okafor"] {
        let hits = search::search(&ben, name).unwrap();
        assert!(hits.is_empty(), "{name}: {hits:?}");
    }
    // What her record does show is still found, redacted as it shows it.
    let hits = search::search(&ben, "paired").unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!((hits[0].session_id, hits[0].client_id), (s, Some(farah)));
    assert!(!hits[0].opens_session);
    let snippet = &hits[0].snippet;
    assert!(snippet.contains("\u{2}Paired\u{3}"), "{snippet}");
    assert!(snippet.contains("Member "), "{snippet}");
    for word in ["Okafor", "Bobby", "Robert"] {
        assert!(!snippet.contains(word), "{snippet}");
    }

    // Ana, who reads the whole note, still finds the name everywhere.
    let hits = search::search(&ana, "Okafor").unwrap();
    assert!(
        hits.iter()
            .any(|h| h.client_id == Some(farah) && h.snippet.contains("\u{2}Okafor\u{3}")),
        "{hits:?}"
    );
    assert!(hits.iter().any(|h| h.client_id.is_none()), "{hits:?}");
    assert!(hits.iter().all(|h| h.opens_session));
    assert!(!search::search(&ana, "Bobby").unwrap().is_empty());
}

/// SHA-256 of a note's canonical content, computed from its rows exactly as
/// signing does: what someone holding the clinical key can recompute.
fn recomputed_note_hash(conn: &rusqlite::Connection, note_id: i64) -> String {
    use std::collections::BTreeMap;
    #[derive(serde::Serialize, Default)]
    struct Member {
        sections: BTreeMap<String, String>,
        risk_level: Option<String>,
        risk_text: String,
        goals: BTreeMap<i64, (Option<u8>, String)>,
    }
    #[derive(serde::Serialize, Default)]
    struct Content {
        shared: BTreeMap<String, String>,
        members: BTreeMap<i64, Member>,
        roster: BTreeMap<i64, (String, String, Option<String>)>,
    }
    #[derive(serde::Serialize)]
    struct Canonical {
        format: u32,
        session_id: i64,
        group_id: i64,
        template: String,
        content: Content,
    }
    let (session_id, group_id, template): (i64, i64, String) = conn
        .query_row(
            "SELECT session_id, group_id, template_code FROM session_notes WHERE id = ?1",
            [note_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    let mut content = Content::default();
    let mut stmt = conn
        .prepare("SELECT client_id, risk_level, risk_text FROM member_notes WHERE note_id = ?1")
        .unwrap();
    let rows = stmt
        .query_map([note_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    for row in rows {
        let (id, risk_level, risk_text): (i64, Option<String>, String) = row.unwrap();
        content.members.insert(
            id,
            Member {
                risk_level,
                risk_text,
                ..Member::default()
            },
        );
    }
    let mut stmt = conn
        .prepare("SELECT client_id, key, body FROM note_sections WHERE note_id = ?1")
        .unwrap();
    let rows = stmt
        .query_map([note_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap();
    for row in rows {
        let (id, key, body): (i64, String, String) = row.unwrap();
        if id == 0 {
            content.shared.insert(key, body);
        } else {
            content
                .members
                .entry(id)
                .or_default()
                .sections
                .insert(key, body);
        }
    }
    let mut stmt = conn
        .prepare(
            "SELECT client_id, legal_first_name, legal_last_name, preferred_name FROM note_roster WHERE note_id = ?1",
        )
        .unwrap();
    let rows = stmt
        .query_map([note_id], |r| {
            Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?)))
        })
        .unwrap();
    for row in rows {
        let (id, names) = row.unwrap();
        content.roster.insert(id, names);
    }
    let mut stmt = conn
        .prepare("SELECT client_id, goal_id, rating, comment FROM goal_ratings WHERE note_id = ?1")
        .unwrap();
    let rows = stmt
        .query_map([note_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })
        .unwrap();
    for row in rows {
        let (id, goal, rating, comment): (i64, i64, Option<u8>, String) = row.unwrap();
        content
            .members
            .entry(id)
            .or_default()
            .goals
            .insert(goal, (rating, comment));
    }
    let bytes = serde_json::to_vec(&Canonical {
        format: 1,
        session_id,
        group_id,
        template,
        content,
    })
    .unwrap();
    hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes))
}

/// An addendum's hash, recomputed as signing computes it.
fn recomputed_addendum_hash(
    note_id: i64,
    client_id: Option<i64>,
    author_id: i64,
    signed_at: &str,
    body: &str,
) -> String {
    #[derive(serde::Serialize)]
    struct Canonical<'a> {
        format: u32,
        note_id: i64,
        client_id: Option<i64>,
        author_id: i64,
        signed_at: &'a str,
        body: &'a str,
    }
    let bytes = serde_json::to_vec(&Canonical {
        format: 1,
        note_id,
        client_id,
        author_id,
        signed_at,
        body,
    })
    .unwrap();
    hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes))
}

#[test]
fn a_note_rewritten_with_its_hash_recomputed_no_longer_matches_its_audit_trail() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, _) = write_first_session(&c, &ana);
    let revision = session_note::session_note(&ana, s1).unwrap().revision;
    signing::sign(&ana, s1, revision).unwrap();
    signing::add_addendum(
        &ana,
        s1,
        Some(c.members["Ann"]),
        "Ann phoned to add context.",
    )
    .unwrap();
    drop(ana);
    let owner = c.v.owner();
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());

    // Ana, with her own clinical key and raw SQL, rewrites what she signed:
    // triggers dropped, text changed, every hash recomputed and stored the
    // way signing stores it.
    let keys = c.v.unwrap_as("ana", INITIAL_PASS);
    let conn = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    conn.execute_batch(
        "DROP TRIGGER note_sections_signed_no_update;
         DROP TRIGGER note_signatures_no_update;
         DROP TRIGGER note_addenda_no_update;
         UPDATE note_sections SET body = 'Nothing of note was discussed.'
          WHERE key = 'topic' AND client_id = 0;",
    )
    .unwrap();
    let note_id: i64 = conn
        .query_row(
            "SELECT id FROM session_notes WHERE session_id = ?1",
            [s1],
            |r| r.get(0),
        )
        .unwrap();
    // In the first canonical format, which covers the content alone: what
    // a forger can recompute most easily.
    conn.execute(
        "UPDATE note_signatures SET content_hash = ?1, canonical_format = 1 WHERE note_id = ?2",
        rusqlite::params![recomputed_note_hash(&conn, note_id), note_id],
    )
    .unwrap();
    let (addendum_id, client_id, author_id, signed_at): (i64, Option<i64>, i64, String) = conn
        .query_row(
            "SELECT id, client_id, author_id, signed_at FROM note_addenda WHERE note_id = ?1",
            [note_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let new_body = "Ann phoned; nothing to add.";
    conn.execute(
        "UPDATE note_addenda SET body = ?1, content_hash = ?2 WHERE id = ?3",
        rusqlite::params![
            new_body,
            recomputed_addendum_hash(note_id, client_id, author_id, &signed_at, new_body),
            addendum_id
        ],
    )
    .unwrap();

    let findings = integrity::verify(&owner).unwrap().findings;
    // The rewrite hashes to what is stored: the content check alone is fooled...
    assert!(
        findings
            .iter()
            .all(|f| !f.contains("changed after it was signed")),
        "the recomputed hashes are what signing computes: {findings:?}"
    );
    // ...but the audit trail recorded what was signed.
    assert!(
        findings
            .iter()
            .any(|f| f.contains(&format!("session {s1}")) && f.contains("audit")),
        "{findings:?}"
    );
    assert!(
        findings
            .iter()
            .any(|f| f.contains(&format!("addendum {addendum_id}")) && f.contains("audit")),
        "{findings:?}"
    );
    for f in &findings {
        for word in ["Nothing", "nothing", "Annual", "phoned", "Ann "] {
            assert!(!f.contains(word), "no note text in findings: {f}");
        }
    }
}

/// Every row of note `note_id` that its signatures cover or that records
/// them (the note row, its content, signatures and addenda), as text.
fn signed_note_rows(conn: &rusqlite::Connection, note_id: i64) -> String {
    let mut out = String::new();
    for (table, key) in [
        ("session_notes", "id"),
        ("note_sections", "note_id"),
        ("member_notes", "note_id"),
        ("note_roster", "note_id"),
        ("goal_ratings", "note_id"),
        ("note_signatures", "note_id"),
        ("note_addenda", "note_id"),
    ] {
        let mut stmt = conn
            .prepare(&format!(
                "SELECT rowid, * FROM {table} WHERE {key} = ?1 ORDER BY rowid"
            ))
            .unwrap();
        let n = stmt.column_count();
        let rows: Vec<String> = stmt
            .query_map([note_id], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|v| v.join("|"))
            })
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        out.push_str(&format!("{table}: {}\n", rows.join("\n")));
    }
    out
}

/// `verb INTO table (…) SELECT … FROM table WHERE rowid = row tail`: a copy
/// of one row with `set` (column, SQL value) changed. `rowid` None lets
/// SQLite choose the copy's rowid (id); Some("rowid") keeps the row's, so
/// the copy collides with it; any other expression is the copy's rowid.
fn copy_row_sql(
    conn: &rusqlite::Connection,
    verb: &str,
    table: &str,
    row: i64,
    rowid: Option<&str>,
    set: &[(&str, String)],
    tail: &str,
) -> String {
    let columns: Vec<String> = conn
        .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let (mut names, mut values) = (Vec::new(), Vec::new());
    if let Some(rowid) = rowid {
        names.push("rowid".to_owned());
        values.push(rowid.to_owned());
    }
    // `id` is the rowid of the tables that have one: set above or left out.
    for column in columns.into_iter().filter(|c| c != "id") {
        values.push(
            set.iter()
                .find(|(c, _)| *c == column)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| column.clone()),
        );
        names.push(column);
    }
    format!(
        "{verb} INTO {table} ({}) SELECT {} FROM {table} WHERE rowid = {row} {tail}",
        names.join(", "),
        values.join(", ")
    )
}

/// (column, SQL value) pairs a statement writes.
type Changes<'a> = Vec<(&'a str, String)>;

#[test]
fn a_signed_note_cannot_be_rewritten_by_any_statement_form() {
    let c = clinic();
    let (s, draft_session) = (c.roots[0].id, c.roots[1].id);
    let farah = c.roots_member;
    // Ben (supervised by Cara) signs a note that rates one of Farah's goals;
    // Cara co-signs; Ben adds an addendum. A draft of the next session sits
    // beside it, with rows a statement could try to move onto the signed note.
    let ben = c.v.sign_in("ben");
    let goal = goals::create_goal(
        &ben,
        farah,
        GoalInput {
            text: "Name one value a day".into(),
            started_on: "2026-11-01".into(),
            target_on: None,
            status: GoalStatus::Active,
        },
    )
    .unwrap();
    let mut section = member(farah, "Farah");
    section.goal_ratings.push(GoalRatingInput {
        goal_id: goal.id,
        rating: Some(3),
        comment: "Steady".into(),
    });
    let draft = |session_id: i64| NoteDraftInput {
        released: Vec::new(),
        session_id,
        revision: 0,
        shared: vec![text("topic", "Values"), text("interventions", "Card sort")],
        members: vec![section.clone()],
    };
    mark(&ben, s, farah, AttendanceStatus::Present);
    let saved = session_note::save_draft(&ben, draft(s)).unwrap();
    signing::sign(&ben, s, saved.revision).unwrap();
    mark(&ben, draft_session, farah, AttendanceStatus::Present);
    session_note::save_draft(&ben, draft(draft_session)).unwrap();
    drop(ben);
    let cara = c.v.sign_in("cara");
    assert_eq!(
        signing::cosign(&cara, s).unwrap().status,
        NoteStatus::Signed
    );
    drop(cara);
    let ben = c.v.sign_in("ben");
    signing::add_addendum(&ben, s, Some(farah), "Farah called after the group.").unwrap();
    drop(ben);
    let owner = c.v.owner();
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());

    // Ben, with his own clinical key and raw SQL, tries to make the note
    // Ana's: as Circle opens the database, and as a plain SQLite shell does
    // (no recursive triggers, no foreign keys).
    let keys = c.v.unwrap_as("ben", INITIAL_PASS);
    let conn = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    let recursive: i64 = conn
        .query_row("PRAGMA recursive_triggers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        recursive, 1,
        "REPLACE's implicit delete fires delete triggers"
    );
    let id_of =
        |sql: &str, param: i64| -> i64 { conn.query_row(sql, [param], |r| r.get(0)).unwrap() };
    let note_id = id_of("SELECT id FROM session_notes WHERE session_id = ?1", s);
    let draft_id = id_of(
        "SELECT id FROM session_notes WHERE session_id = ?1",
        draft_session,
    );
    let row_of = |table: &str, note: i64, filter: &str| -> i64 {
        id_of(
            &format!("SELECT rowid FROM {table} WHERE note_id = ?1 {filter}"),
            note,
        )
    };
    let ana = c.ana;
    let rewritten = "'rewritten'".to_owned();
    // (table, the signed note's row, a change, the draft's matching row)
    let targets: Vec<(&str, i64, Changes, Option<i64>)> = vec![
        (
            "session_notes",
            note_id,
            vec![("author_id", ana.to_string())],
            Some(draft_id),
        ),
        (
            "note_signatures",
            row_of("note_signatures", note_id, "AND kind = 'sign'"),
            vec![("staff_id", ana.to_string())],
            None,
        ),
        (
            "note_signatures",
            row_of("note_signatures", note_id, "AND kind = 'cosign'"),
            vec![("staff_id", ana.to_string())],
            None,
        ),
        (
            "note_addenda",
            row_of("note_addenda", note_id, ""),
            vec![("author_id", ana.to_string()), ("body", rewritten.clone())],
            None,
        ),
        (
            "note_sections",
            row_of(
                "note_sections",
                note_id,
                "AND client_id = 0 AND key = 'topic'",
            ),
            vec![("body", rewritten.clone())],
            Some(row_of(
                "note_sections",
                draft_id,
                "AND client_id = 0 AND key = 'topic'",
            )),
        ),
        (
            "member_notes",
            row_of("member_notes", note_id, ""),
            vec![("risk_level", "'high'".into())],
            Some(row_of("member_notes", draft_id, "")),
        ),
        (
            "note_roster",
            row_of("note_roster", note_id, ""),
            vec![("legal_last_name", rewritten.clone())],
            None,
        ),
        (
            "goal_ratings",
            row_of("goal_ratings", note_id, ""),
            vec![("rating", "5".into())],
            Some(row_of("goal_ratings", draft_id, "")),
        ),
    ];
    let mut statements = Vec::new();
    for (table, row, set, draft_row) in &targets {
        let (table, row) = (*table, *row);
        let assign = set
            .iter()
            .map(|(c, v)| format!("{c} = {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let upsert = format!(
            "ON CONFLICT DO UPDATE SET {}",
            set.iter()
                .map(|(c, _)| format!("{c} = excluded.{c}"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        statements.push(format!("UPDATE {table} SET {assign} WHERE rowid = {row}"));
        statements.push(format!(
            "UPDATE OR REPLACE {table} SET {assign} WHERE rowid = {row}"
        ));
        statements.push(format!("DELETE FROM {table} WHERE rowid = {row}"));
        // The same id, then (but for addenda, where a new id is a new
        // addendum, not a rewrite) the same unique key under a new id.
        let keys: &[Option<&str>] = if table == "note_addenda" {
            &[Some("rowid")]
        } else {
            &[Some("rowid"), None]
        };
        for rowid in keys {
            for verb in ["INSERT OR REPLACE", "REPLACE", "INSERT OR IGNORE", "INSERT"] {
                statements.push(copy_row_sql(&conn, verb, table, row, *rowid, set, ""));
            }
            statements.push(copy_row_sql(
                &conn, "INSERT", table, row, *rowid, set, &upsert,
            ));
        }
        // A draft's row moved onto the signed one.
        if let Some(draft_row) = draft_row {
            let onto: Vec<(&str, String)> = if table == "session_notes" {
                vec![("session_id", s.to_string())]
            } else {
                vec![]
            };
            statements.push(format!(
                "UPDATE OR REPLACE {table} SET rowid = {row} WHERE rowid = {draft_row}"
            ));
            let row_text = row.to_string();
            for verb in ["INSERT OR REPLACE", "REPLACE"] {
                statements.push(copy_row_sql(
                    &conn,
                    verb,
                    table,
                    *draft_row,
                    Some(&row_text),
                    &[],
                    "",
                ));
                if !onto.is_empty() {
                    statements.push(copy_row_sql(
                        &conn, verb, table, *draft_row, None, &onto, "",
                    ));
                }
            }
            if !onto.is_empty() {
                let onto_sql = onto
                    .iter()
                    .map(|(c, v)| format!("{c} = {v}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                statements.push(format!(
                    "UPDATE OR REPLACE {table} SET {onto_sql} WHERE rowid = {draft_row}"
                ));
            }
        }
    }
    let before = signed_note_rows(&conn, note_id);
    let mut went_through = Vec::new();
    for (mode, pragmas) in [
        ("as Circle opens it", ""),
        (
            "as a plain SQLite shell",
            "PRAGMA recursive_triggers = OFF; PRAGMA foreign_keys = OFF;",
        ),
    ] {
        conn.execute_batch(pragmas).unwrap();
        for sql in &statements {
            conn.execute_batch("BEGIN").unwrap();
            let result = conn.execute(sql, []);
            let after = signed_note_rows(&conn, note_id);
            if !conn.is_autocommit() {
                conn.execute_batch("ROLLBACK").unwrap();
            }
            if after != before {
                went_through.push(format!("{mode}: {sql} ({result:?})"));
            }
            // Refused by a trigger or a constraint, not by a mistake in the test.
            if let Err(e) = &result {
                assert_eq!(
                    e.sqlite_error_code(),
                    Some(rusqlite::ErrorCode::ConstraintViolation),
                    "{mode}: {sql}: {e}"
                );
            }
        }
    }
    assert!(
        went_through.is_empty(),
        "these rewrote the signed note:\n{}",
        went_through.join("\n")
    );
    assert_eq!(signed_note_rows(&conn, note_id), before);
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());

    // Forced past every trigger: each rewrite of who wrote, signed or
    // co-signed the note, or when, with the hash recomputed over the content
    // alone (as signing once did), is reported; put back, it is not.
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    for trigger in triggers {
        conn.execute_batch(&format!("DROP TRIGGER {trigger}"))
            .unwrap();
    }
    let content_only = recomputed_note_hash(&conn, note_id);
    let (sign_id, cosign_id) = (targets[1].1, targets[2].1);
    let addendum_id = id_of("SELECT id FROM note_addenda WHERE note_id = ?1", note_id);
    let saved_rows = |table: &str, id: i64| -> String {
        conn.query_row(
            &format!("SELECT quote(staff_id) || ',' || quote(signed_at) || ',' || quote(content_hash) || ',' || quote(cosigner_id) || ',' || quote(canonical_format) FROM {table} WHERE id = ?1"),
            [id],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (sign_row, cosign_row) = (
        saved_rows("note_signatures", sign_id),
        saved_rows("note_signatures", cosign_id),
    );
    let put_back = |id: i64, row: &str| {
        format!(
            "UPDATE note_signatures SET (staff_id, signed_at, content_hash, cosigner_id, canonical_format) = ({row}) WHERE id = {id};"
        )
    };
    let (addendum_author, addendum_at, addendum_body, addendum_hash): (
        i64,
        String,
        String,
        String,
    ) = conn
        .query_row(
            "SELECT author_id, signed_at, body, content_hash FROM note_addenda WHERE id = ?1",
            [addendum_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    let forged_addendum =
        recomputed_addendum_hash(note_id, Some(farah), ana, &addendum_at, &addendum_body);
    let session = format!("session {s}");
    let addendum = format!("addendum {addendum_id}");
    // (what was rewritten, the rewrite, how to put it back, what a finding
    // names, whether the stored hash itself no longer matches)
    let rewrites = [
        (
            "the author",
            format!("UPDATE session_notes SET author_id = {ana} WHERE id = {note_id}"),
            format!("UPDATE session_notes SET author_id = {} WHERE id = {note_id}", c.ben),
            &session,
            true,
        ),
        (
            "the signer",
            format!("UPDATE note_signatures SET staff_id = {ana}, content_hash = '{content_only}' WHERE id = {sign_id}"),
            put_back(sign_id, &sign_row),
            &session,
            true,
        ),
        (
            "the signing time",
            format!("UPDATE note_signatures SET signed_at = '2026-11-01T09:00:00Z', content_hash = '{content_only}' WHERE id = {sign_id}"),
            put_back(sign_id, &sign_row),
            &session,
            true,
        ),
        (
            "who was to co-sign",
            format!("UPDATE note_signatures SET cosigner_id = {ana}, content_hash = '{content_only}' WHERE id = {sign_id}"),
            put_back(sign_id, &sign_row),
            &session,
            true,
        ),
        (
            "the co-signer",
            format!("UPDATE note_signatures SET staff_id = {ana}, content_hash = '{content_only}' WHERE id = {cosign_id}"),
            put_back(cosign_id, &cosign_row),
            &session,
            true,
        ),
        (
            "the co-signing time",
            format!("UPDATE note_signatures SET signed_at = '2026-11-01T09:00:00Z', content_hash = '{content_only}' WHERE id = {cosign_id}"),
            put_back(cosign_id, &cosign_row),
            &session,
            true,
        ),
        (
            "the addendum's author",
            format!("UPDATE note_addenda SET author_id = {ana}, content_hash = '{forged_addendum}' WHERE id = {addendum_id}"),
            format!("UPDATE note_addenda SET author_id = {addendum_author}, content_hash = '{addendum_hash}' WHERE id = {addendum_id}"),
            &addendum,
            false,
        ),
        (
            "the signer, both signatures stored in the old canonical format",
            format!(
                "UPDATE note_signatures SET staff_id = CASE kind WHEN 'sign' THEN {ana} ELSE staff_id END,
                 canonical_format = 1, content_hash = '{content_only}' WHERE note_id = {note_id}"
            ),
            put_back(sign_id, &sign_row) + &put_back(cosign_id, &cosign_row),
            &session,
            false,
        ),
    ];
    for (what, rewrite, undo, named, hash_check) in rewrites {
        conn.execute_batch(&rewrite).unwrap();
        let findings = integrity::verify(&owner).unwrap().findings;
        assert!(
            findings.iter().any(|f| f.contains(named.as_str())),
            "a rewrite of {what} goes unreported: {findings:?}"
        );
        if hash_check {
            assert!(
                findings.iter().any(
                    |f| f.contains(named.as_str()) && f.contains("changed after it was signed")
                ),
                "the hash of a rewrite of {what} still matches: {findings:?}"
            );
        }
        for f in &findings {
            for word in [
                "Values", "Card", "Farah", "Haddad", "called", "Steady", "Ana", "Ben", "Cara",
            ] {
                assert!(!f.contains(word), "no note text or names in findings: {f}");
            }
        }
        conn.execute_batch(&undo).unwrap();
        assert!(
            integrity::verify(&owner).unwrap().findings.is_empty(),
            "{what} put back"
        );
    }

    // Taken out whole, the note is still missed: the audit trail recorded it.
    conn.execute_batch(&format!(
        "DELETE FROM note_addenda WHERE note_id = {note_id};
         DELETE FROM note_signatures WHERE note_id = {note_id};
         DELETE FROM goal_ratings WHERE note_id = {note_id};
         DELETE FROM note_roster WHERE note_id = {note_id};
         DELETE FROM member_notes WHERE note_id = {note_id};
         DELETE FROM note_sections WHERE note_id = {note_id};
         DELETE FROM session_notes WHERE id = {note_id};"
    ))
    .unwrap();
    let findings = integrity::verify(&owner).unwrap().findings;
    for named in [&session, &addendum] {
        assert!(
            findings
                .iter()
                .any(|f| f.contains(named.as_str()) && f.contains("missing")),
            "{findings:?}"
        );
    }
}

#[test]
fn a_colleagues_planted_private_notes_key_does_not_open_a_new_authors_notes() {
    let c = clinic();
    // The owner holds the clinical key and can write keyring.json. Ana has
    // no private-notes key yet: the owner plants one of their own making,
    // sealed to Ana's public key (all a sealed box needs).
    let planted = crypto::random_key().unwrap();
    let mut keyring = c.v.keyring();
    let ana_entry = keyring.entry_mut("ana").unwrap();
    assert!(ana_entry.keys.private_notes_wrap.is_none());
    ana_entry.keys.private_notes_key =
        Some(crypto::seal_to(&ana_entry.keys.delivery_public, planted.expose()).unwrap());
    keyring.save(&c.v.location.keyring_path()).unwrap();

    let ana = c.v.sign_in("ana");
    let s1 = c.steady[0].id;
    let zoe = c.members["Zoë"];
    let secret = "Zoë spoke about her father for the first time.";
    private::save_private_note(&ana, s1, zoe, secret).unwrap();
    assert_eq!(private::private_note(&ana, s1, zoe).unwrap().body, secret);
    drop(ana);

    let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
    let conn = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    let sealed: String = conn
        .query_row("SELECT sealed FROM private_notes", [], |r| r.get(0))
        .unwrap();
    let context = format!("circle/v1/private-note/{}/{s1}/{zoe}", c.ana);
    assert!(
        crypto::open(&planted, &context, &crypto::Sealed(sealed)).is_err(),
        "the planted key must not be the one that sealed Ana's note"
    );
    assert!(c
        .v
        .keyring()
        .entry("ana")
        .unwrap()
        .keys
        .private_notes_key
        .is_none());
}

/// Issue: "Ł survives redaction". Each member's name, typed the way a US
/// keyboard types it (no special letters, no apostrophes or hyphens), is
/// replaced in every other member's view of the shared part.
#[test]
fn names_with_letters_that_have_no_accent_to_drop_are_redacted_when_typed_plainly() {
    use circle_core::notes::redaction::{member_labels, member_view, RosterMember};
    let named = [
        (
            "Łukasz",
            "Żółć",
            "Lukasz arrived first; Mr Zolc's joke broke the ice.",
        ),
        ("Hương", "Đặng Thị", "Huong and Dang Thi spoke."),
        ("Søren", "Østergaard", "Soren thanked Ostergaard."),
        ("Mario", "Ħamrun", "Hamrun was late."),
        ("Işıl", "Yıldız", "Isil Yildiz listened."),
        ("Ægir", "Straße", "Aegir laughed; Strasse too."),
        ("Œuvre", "Þór", "Oeuvre and Thor left early."),
        (
            "Siobhán",
            "O'Brien-Smythe",
            "Obrien and OBrienSmythe and Smythe came.",
        ),
    ];
    let mut roster: Vec<RosterMember> = named
        .iter()
        .enumerate()
        .map(|(i, (first, last, _))| RosterMember {
            client_id: i as i64 + 1,
            legal_first_name: (*first).into(),
            legal_last_name: (*last).into(),
            preferred_name: None,
            middle_name: None,
            name_order: Default::default(),
        })
        .collect();
    roster.push(RosterMember {
        client_id: 99,
        legal_first_name: "Viewer".into(),
        legal_last_name: "Person".into(),
        preferred_name: None,
        middle_name: None,
        name_order: Default::default(),
    });
    let key = b"a session key of thirty-two byte";
    let labels = member_labels(&roster, key);
    for (i, (_, _, text)) in named.iter().enumerate() {
        let seen = member_view(text, &roster, 99, key);
        let label = &labels[&(i as i64 + 1)];
        assert!(seen.contains(label.as_str()), "{seen}");
        for word in fold(text).split(|c: char| !c.is_alphanumeric()) {
            let plain_names: Vec<String> = [named[i].0, named[i].1]
                .iter()
                .flat_map(|n| {
                    fold(n)
                        .split([' ', '-', '\''])
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect();
            if plain_names.contains(&word.to_owned()) {
                assert!(
                    !fold(&seen)
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == word),
                    "{word:?} survived in {seen:?}"
                );
            }
        }
    }
}

#[test]
fn cancelling_a_session_with_a_signed_note_is_refused_and_attendance_is_counted_first() {
    use circle_core::schedule::sessions::{SessionCancelCheck, SessionStatus};
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let desk = c.v.sign_in(FRONT_DESK);
    let check = |s: &SignedIn, id: i64| sessions::cancel_check(s, id).unwrap();
    let counts = |attendance_recorded, draft_note, signed_note| SessionCancelCheck {
        attendance_recorded,
        draft_note,
        signed_note,
    };
    let (s1, s2, s3) = (c.steady[0].id, c.steady[1].id, c.steady[2].id);

    // Nothing recorded yet.
    assert_eq!(check(&desk, s3), counts(0, false, false));

    // Attendance only: counted, for the front desk too, and no note.
    mark(&desk, s2, c.members["Zoë"], AttendanceStatus::Present);
    mark(&desk, s2, c.members["Ann"], AttendanceStatus::NoShow);
    assert_eq!(check(&desk, s2), counts(2, false, false));
    assert_eq!(check(&ana, s2), counts(2, false, false));

    // A draft: the clinician sees it in clinical.db; the front desk, who has
    // no clinical.db attached, learns of it from practice.db's audit trail.
    let (_, _) = write_first_session(&c, &ana);
    assert_eq!(check(&ana, s1), counts(8, true, false));
    assert_eq!(check(&desk, s1), counts(8, true, false));

    // Signed: refused for everyone, and nothing changes.
    let revision = session_note::session_note(&ana, s1).unwrap().revision;
    signing::sign(&ana, s1, revision).unwrap();
    assert_eq!(check(&ana, s1), counts(8, false, true));
    assert_eq!(check(&desk, s1), counts(8, false, true));
    let before = snapshot(&c.v);
    for s in [&desk, &ana] {
        match sessions::cancel_session(s, s1) {
            Err(Error::Conflict { message }) => {
                assert!(message.contains("signed note"), "{message}")
            }
            other => panic!("expected Conflict, got {other:?}"),
        }
    }
    assert_eq!(
        snapshot(&c.v),
        before,
        "a refused cancel writes nothing: the session stays scheduled"
    );

    // A session with attendance but no signed note can still be cancelled;
    // its attendance stays as it was.
    let cancelled = sessions::cancel_session(&desk, s2).unwrap();
    assert_eq!(cancelled.status, SessionStatus::Cancelled);
    assert_eq!(check(&desk, s2), counts(2, false, false));
}

/// Session 1 of Steady Ground with Raymond "Ray" Quinn enrolled; Ray and
/// Ann attend, everyone else is absent. Ana signed in.
fn ray_and_ann_attend() -> (Clinic, SignedIn, i64, i64, i64) {
    let c = clinic();
    let s1 = c.steady[0].id;
    let owner = c.v.owner();
    let ray = client(&owner, "Raymond", "Quinn", Some("Ray"));
    groups::enroll(&owner, c.steady[0].group_id, ray, false, day("2026-11-01")).unwrap();
    drop(owner);
    let ann = c.members["Ann"];
    let ana = c.v.sign_in("ana");
    others_absent(&ana, s1, ray);
    mark(&ana, s1, ray, AttendanceStatus::Present);
    mark(&ana, s1, ann, AttendanceStatus::Present);
    (c, ana, s1, ray, ann)
}

/// Issue 11, defect 5: a preferred name "Ray" turned "a ray of hope" into
/// "a Member C of hope". The warning lists each occurrence in context; the
/// author marks one "not a name"; that occurrence alone stays as written in
/// the other members' records, the mark is signed with the note, and nobody
/// can add or remove one afterwards, even with the keys.
#[test]
fn a_common_word_that_is_a_members_name_is_released_only_where_the_author_marked_it() {
    use circle_core::notes::session_note::SectionRelease;
    let (c, ana, s1, ray, ann) = ray_and_ann_attend();
    let topic = "Ray opened the check-in. Later the group saw a ray of hope in the plan.";
    let mut draft = NoteDraftInput {
        released: Vec::new(),
        session_id: s1,
        revision: 0,
        shared: vec![text("topic", topic), text("interventions", "Grounding.")],
        members: vec![member(ray, "Ray"), member(ann, "Ann")],
    };
    let saved = session_note::save_draft(&ana, draft.clone()).unwrap();
    let warning = saved
        .name_warnings
        .iter()
        .find(|w| w.section_key == "topic")
        .expect("the topic names Ray");
    assert_eq!(warning.client_ids, vec![ray]);
    let words: Vec<(&str, &str, &str)> = warning
        .matches
        .iter()
        .map(|m| {
            (
                m.shown_before.as_str(),
                m.release.text.as_str(),
                m.shown_after.as_str(),
            )
        })
        .collect();
    assert_eq!(
        words,
        vec![
            ("", "Ray", " opened the check-in.…"),
            ("…Later the group saw a ", "ray", " of hope in the plan."),
        ]
    );
    assert!(warning.matches.iter().all(|m| !m.released));

    // The author marks the second occurrence "not a name".
    draft.revision = saved.revision;
    draft.released = vec![SectionRelease {
        section_key: "topic".into(),
        release: warning.matches[1].release.clone(),
    }];
    let saved = session_note::save_draft(&ana, draft.clone()).unwrap();
    let warning = &saved.name_warnings[0];
    assert_eq!(
        warning
            .matches
            .iter()
            .map(|m| m.released)
            .collect::<Vec<_>>(),
        vec![false, true]
    );
    assert_eq!(
        warning.client_ids,
        vec![ray],
        "the first Ray is still a name"
    );
    // Reopened, the note still carries the mark.
    let reopened = session_note::session_note(&ana, s1).unwrap();
    assert!(reopened.name_warnings[0].matches[1].released);
    signing::sign(&ana, s1, saved.revision).unwrap();

    let anns_record = chart::client_notes(&ana, ann).unwrap();
    let shared = &anns_record[0].shared[0].body;
    assert!(shared.starts_with("Member "), "{shared}");
    assert!(!shared.starts_with("Ray"), "{shared}");
    assert!(
        shared.ends_with(" opened the check-in. Later the group saw a ray of hope in the plan."),
        "{shared}"
    );
    // Ray's own record shows his own name, as always.
    assert_eq!(
        chart::client_notes(&ana, ray).unwrap()[0].shared[0].body,
        topic
    );
    drop(ana);

    // Signed: the mark cannot be added, changed or removed in SQL, and it
    // is part of what the signature covers.
    let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
    let conn = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    for sql in [
        "INSERT INTO note_name_releases SELECT note_id, section_key, 'Ray', '', ' opened the check-in. ' FROM note_name_releases",
        "INSERT OR REPLACE INTO note_name_releases SELECT * FROM note_name_releases",
        "UPDATE note_name_releases SET after_text = ''",
        "DELETE FROM note_name_releases",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql} went through");
    }
    let owner = c.v.owner();
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());
    conn.execute_batch(
        "DROP TRIGGER note_name_releases_signed_no_insert;
         INSERT INTO note_name_releases SELECT note_id, section_key, 'Ray', '', ' opened the check-in. Later' FROM note_name_releases;",
    )
    .unwrap();
    let findings = integrity::verify(&owner).unwrap().findings;
    assert!(
        findings
            .iter()
            .any(|f| f.contains(&format!("session {s1}"))
                && f.contains("changed after it was signed")),
        "{findings:?}"
    );
}

/// A mark names one occurrence by its words and context: text typed close
/// to it undoes the mark (the word is a name again until marked again), a
/// mark for a section outside the template is refused by name, and marks
/// that no longer match anything are not kept.
#[test]
fn an_edit_next_to_a_word_marked_not_a_name_redacts_it_again() {
    use circle_core::notes::session_note::SectionRelease;
    let (_clinic, ana, s1, ray, ann) = ray_and_ann_attend();
    let mut draft = NoteDraftInput {
        released: Vec::new(),
        session_id: s1,
        revision: 0,
        shared: vec![
            text(
                "topic",
                "The group saw a ray of hope in the plan for winter.",
            ),
            text("interventions", "Grounding."),
        ],
        members: vec![member(ray, "Ray"), member(ann, "Ann")],
    };
    let saved = session_note::save_draft(&ana, draft.clone()).unwrap();
    let release = saved.name_warnings[0].matches[0].release.clone();

    let mut wrong = draft.clone();
    wrong.revision = saved.revision;
    wrong.released = vec![SectionRelease {
        section_key: "participation".into(),
        release: release.clone(),
    }];
    match session_note::save_draft(&ana, wrong) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "shared.participation"),
        other => panic!("expected a field error, got {other:?}"),
    }

    // Edited right after the word: the mark no longer applies.
    draft.revision = saved.revision;
    draft.released = vec![SectionRelease {
        section_key: "topic".into(),
        release,
    }];
    draft.shared[0] = text(
        "topic",
        "The group saw a ray, of hope in the plan for winter.",
    );
    let saved = session_note::save_draft(&ana, draft.clone()).unwrap();
    assert!(!saved.name_warnings[0].matches[0].released);
    assert_eq!(saved.name_warnings[0].client_ids, vec![ray]);
    let reopened = session_note::session_note(&ana, s1).unwrap();
    assert!(
        reopened.name_warnings[0]
            .matches
            .iter()
            .all(|m| !m.released),
        "a mark that matches nothing is not kept"
    );
    signing::sign(&ana, s1, saved.revision).unwrap();
    let shared = &chart::client_notes(&ana, ann).unwrap()[0].shared[0].body;
    assert!(!whole_words(shared).contains(&"ray".to_owned()), "{shared}");
}

#[test]
fn the_roster_the_check_in_and_the_note_list_members_in_one_order() {
    let c = clinic();
    let owner = c.v.owner();
    let session = &c.steady[0];
    // Âu Thị Minh writes her family name first: "Âu Minh", with the A's
    // (given first she would be "Minh Âu", after Mei).
    let minh = match clients::create(
        &owner,
        ClientInput {
            middle_name: Some("Thị".into()),
            name_order: circle_core::clients::NameOrder::FamilyFirst,
            ..client_input("Minh", "Âu", None)
        },
        true,
    )
    .unwrap()
    {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    };
    groups::enroll(&owner, session.group_id, minh, false, day("2026-11-01")).unwrap();
    // By display name (the preferred name when there is one, in the
    // client's name order), accents ignored: not by enrollment, not by
    // last name.
    let mut expected: Vec<i64> = [
        "Ann", "Robert", "José", "Liam", "Mei", "Sara", "Tomás", "Zoë",
    ]
    .iter()
    .map(|first| c.members[first])
    .collect();
    expected.insert(1, minh);
    let roster: Vec<i64> = groups::roster(&owner, session.group_id)
        .unwrap()
        .iter()
        .map(|e| e.client_id)
        .collect();
    let check_in: Vec<i64> = attendance::check_in_list(&owner, session.id)
        .unwrap()
        .iter()
        .map(|row| row.client_id)
        .collect();
    let note: Vec<i64> = session_note::session_note(&owner, session.id)
        .unwrap()
        .members
        .iter()
        .map(|m| m.client_id)
        .collect();
    assert_eq!(roster, expected, "the roster");
    assert_eq!(check_in, expected, "Today's check-in");
    assert_eq!(note, expected, "the note");
}

#[test]
fn recently_signed_notes_list_only_what_the_reader_may_open_newest_first() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    assert!(todo::recently_signed(&ana).unwrap().is_empty());
    sign_simple(&ana, c.steady[0].id, c.members["Ann"], "Sleep");
    sign_simple(&ana, c.steady[1].id, c.members["Ann"], "Work");
    // Ben is supervised by Cara: his note waits for her co-signature.
    let ben = c.v.sign_in("ben");
    sign_simple(&ben, c.roots[0].id, c.roots_member, "Family");

    let sessions = |lines: &[todo::SignedNoteLine]| -> Vec<i64> {
        lines.iter().map(|l| l.session_id).collect()
    };
    // Ana reads her own group's notes, the newest signature first.
    let mine = todo::recently_signed(&ana).unwrap();
    assert_eq!(sessions(&mine), vec![c.steady[1].id, c.steady[0].id]);
    assert_eq!(mine[0].group_name, "Steady Ground");
    assert_eq!(mine[0].signed_by.id, c.ana);
    assert!(!mine[0].awaiting_cosign);
    // Ben sees only his; Cara, a supervisor, sees every note.
    let bens = todo::recently_signed(&ben).unwrap();
    assert_eq!(sessions(&bens), vec![c.roots[0].id]);
    assert!(bens[0].awaiting_cosign);
    let cara = c.v.sign_in("cara");
    assert_eq!(
        sessions(&todo::recently_signed(&cara).unwrap()),
        vec![c.roots[0].id, c.steady[1].id, c.steady[0].id]
    );
    // Roles without notes are refused.
    let desk = c.v.sign_in(FRONT_DESK);
    assert!(matches!(
        todo::recently_signed(&desk),
        Err(Error::Forbidden)
    ));
    // Audited as a list read: a count, never a name or a group.
    let owner = c.v.owner();
    let listed: Vec<_> = all_audit(&owner)
        .into_iter()
        .filter(|e| e.action == "note.listed")
        .collect();
    assert_eq!(listed.len(), 4);
    assert!(listed.iter().all(|e| e.entity_id.is_none()));
    assert_eq!(
        listed[0].detail.as_deref(),
        Some("recently_signed results=3"),
        "the newest: Cara's list of three"
    );
}

/// Issue 12: a middle name and a family-first name order. Nguyễn Thị Minh
/// joins Steady Ground; the shared text "Thị said…" and "Minh Nguyen" is
/// redacted in Zoë's record; her middle name is frozen at signing, so a later
/// edit of her name does not bring it back; and a note signed before middle
/// names existed (in a vault upgraded from clinical level 6) still verifies,
/// as does the one signed after.
#[test]
fn a_middle_name_and_a_family_first_name_are_redacted_and_signed_notes_keep_verifying() {
    use circle_core::clients::NameOrder;
    let c = clinic();
    let ana = c.v.sign_in("ana");
    // Signed before: nobody has a middle name.
    let (s1, _) = write_first_session(&c, &ana);
    let revision = session_note::session_note(&ana, s1).unwrap().revision;
    signing::sign(&ana, s1, revision).unwrap();
    drop(ana);

    // As a vault from before clinical level 7 left it, signed note and all.
    {
        let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
        let conn = db::open(
            &c.v.location.clinical_db_path(),
            keys.clinical.as_ref().unwrap(),
            false,
        )
        .unwrap();
        conn.execute_batch(
            "ALTER TABLE note_roster DROP COLUMN middle_name;
             ALTER TABLE note_roster DROP COLUMN name_order;
             DROP TABLE disclosures;
             DROP TABLE consents;
             DROP TABLE notes_fts_rows;
             PRAGMA user_version = 6;",
        )
        .unwrap();
    }
    let owner = c.v.owner();
    assert!(
        integrity::verify(&owner).unwrap().findings.is_empty(),
        "the note signed before the upgrade verifies after it"
    );

    let minh = match clients::create(
        &owner,
        ClientInput {
            middle_name: Some("Thị".into()),
            name_order: NameOrder::FamilyFirst,
            ..client_input("Minh", "Nguyễn", None)
        },
        true,
    )
    .unwrap()
    {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    };
    let s2 = c.steady[1].id;
    groups::enroll(&owner, c.steady[1].group_id, minh, false, day("2026-11-01")).unwrap();
    owner.lock().unwrap();

    let ana = c.v.sign_in("ana");
    let zoe = c.members["Zoë"];
    for id in sessions::session_member_ids(&ana, s2).unwrap() {
        let status = if id == minh || id == zoe {
            AttendanceStatus::Present
        } else {
            AttendanceStatus::AbsentExcused
        };
        mark(&ana, s2, id, status);
    }
    let saved = session_note::save_draft(
        &ana,
        NoteDraftInput {
            released: Vec::new(),
            session_id: s2,
            revision: 0,
            shared: vec![
                text(
                    "topic",
                    "Thị said the group helped. Minh Nguyen and Zoë agreed; \
                     Nguyễn Thị Minh's plan, NGUYEN MINH's turn.",
                ),
                text("interventions", "Grounding."),
            ],
            members: vec![member(minh, "Minh"), member(zoe, "Zoë")],
        },
    )
    .unwrap();
    // The editor warns that the shared text names her (by her middle name too).
    assert!(
        saved
            .name_warnings
            .iter()
            .any(|w| w.client_ids.contains(&minh)),
        "{:?}",
        saved.name_warnings
    );
    let note = session_note::session_note(&ana, s2).unwrap();
    let listed = note.members.iter().find(|m| m.client_id == minh).unwrap();
    assert_eq!(listed.display_name, "Nguyễn Minh");
    signing::sign(&ana, s2, note.revision).unwrap();

    let shared_of = |s: &SignedIn, client: i64| -> String {
        chart::client_notes(s, client)
            .unwrap()
            .into_iter()
            .find(|n| n.session_id == s2)
            .unwrap()
            .shared
            .iter()
            .map(|s| s.body.clone())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let in_zoes = shared_of(&ana, zoe);
    for word in ["thi", "minh", "nguyen"] {
        assert!(
            !whole_words(&in_zoes).contains(&word.to_owned()),
            "{word} in {in_zoes}"
        );
    }
    assert!(in_zoes.starts_with("Member "), "{in_zoes}");
    assert!(
        in_zoes.contains(" said the group helped. Member "),
        "{in_zoes}"
    );
    assert!(in_zoes.contains(" and Zoë agreed"), "{in_zoes}");
    // Each full name is one label, whichever order it was written in.
    let label = in_zoes.split(" said").next().unwrap().to_owned();
    assert_eq!(
        in_zoes,
        format!(
            "{label} said the group helped. {label} and Zoë agreed; {label}'s plan, \
             {label}'s turn.\nGrounding."
        )
    );
    // Her own record keeps her names as written.
    assert!(shared_of(&ana, minh).starts_with("Thị said the group helped. Minh Nguyen"));

    // Her middle name was frozen at signing: taking it off her record later
    // does not bring "Thị" back into Zoë's.
    drop(ana);
    let owner = c.v.owner();
    clients::update(&owner, minh, client_input("Minh", "Nguyễn", None)).unwrap();
    let ana = c.v.sign_in("ana");
    assert_eq!(shared_of(&ana, zoe), in_zoes);
    drop(ana);

    // Both notes verify: the one from before the upgrade and the new one.
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());
    let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
    let conn = db::open(
        &c.v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    // Only Minh's frozen row holds a middle name and an order; every other
    // row (and so every other note's signed form) is as it was.
    let frozen: Vec<(i64, Option<String>, Option<String>)> = conn
        .prepare(
            "SELECT client_id, middle_name, name_order FROM note_roster
             WHERE middle_name IS NOT NULL OR name_order IS NOT NULL",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(
        frozen,
        [(minh, Some("Thị".to_owned()), Some("family".to_owned()))]
    );
    // And the frozen middle name is as immutable as the rest of the note.
    for sql in [
        "UPDATE note_roster SET middle_name = NULL",
        "UPDATE note_roster SET name_order = 'given'",
    ] {
        assert!(conn.execute(sql, []).is_err(), "{sql} went through");
    }
    // Forced past the triggers, verify notices.
    conn.execute_batch(
        "DROP TRIGGER note_roster_signed_no_update;
         UPDATE note_roster SET middle_name = NULL;",
    )
    .unwrap();
    let findings = integrity::verify(&owner).unwrap().findings;
    assert!(
        findings
            .iter()
            .any(|f| f.contains(&format!("session {s2}"))),
        "{findings:?}"
    );
}

/// Today's "to sign" reads `note_drafts` (clinical level 13), kept as notes
/// are written and signed. A draft written before that level must still be
/// listed after the upgrade, and leave the list once signed.
#[test]
fn a_draft_written_before_the_drafts_list_existed_is_still_there_to_sign() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (session, _) = write_first_session(&c, &ana);
    drop(ana);
    // As a vault from before clinical level 13 left it.
    {
        let keys = c.v.unwrap_as(OWNER, OWNER_PASS);
        let conn = db::open(
            &c.v.location.clinical_db_path(),
            keys.clinical.as_ref().unwrap(),
            false,
        )
        .unwrap();
        conn.execute_batch("DROP TABLE note_drafts; PRAGMA user_version = 12;")
            .unwrap();
    }
    let ana = c.v.sign_in("ana");
    let to_sign: Vec<i64> = todo::notes_to_do(&ana)
        .unwrap()
        .to_sign
        .iter()
        .map(|t| t.session_id)
        .collect();
    assert_eq!(
        to_sign,
        vec![session],
        "the draft is listed after the upgrade"
    );
    let revision = session_note::session_note(&ana, session).unwrap().revision;
    signing::sign(&ana, session, revision).unwrap();
    assert!(
        todo::notes_to_do(&ana).unwrap().to_sign.is_empty(),
        "signed, it leaves the list"
    );
}
