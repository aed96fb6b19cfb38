//! Individual and family/couple sessions against a real vault (issue 19,
//! acceptance 1): booked weekly through the series engine, noted, signed,
//! co-signed and amended with the group notes' machinery, shown on the
//! client's one timeline, and closed to the front desk and to a clinician
//! whose scope does not reach the client.

use crate::common::*;
use crate::notes::{clinic, clinical_snapshot, mark, member, sign_simple, text, Clinic, MANAGER};
use circle_core::groups::{self, GroupFormat, NoteTemplate};
use circle_core::notes::chart::{self, ChartFilter};
use circle_core::notes::session_note::{self, NoteDraftInput, NoteStatus};
use circle_core::notes::{private, search, signing, todo};
use circle_core::practice;
use circle_core::schedule::agenda;
use circle_core::schedule::attendance::AttendanceStatus;
use circle_core::schedule::individual::{self, IndividualBooking, IndividualBookingInput, Repeat};
use circle_core::schedule::rooms;
use circle_core::signed_in::SignedIn;
use circle_core::Error;

fn booking(
    format: GroupFormat,
    client_ids: Vec<i64>,
    clinician_id: i64,
    room_id: i64,
    date: &str,
    repeat: Repeat,
    sessions: u32,
) -> IndividualBookingInput {
    IndividualBookingInput {
        format,
        client_ids,
        clinician_id,
        room_id,
        date: date.into(),
        start_time: "10:00".into(),
        duration_minutes: 50,
        repeat,
        sessions,
        note_template: None,
    }
}

fn room_of(c: &Clinic) -> i64 {
    let owner = c.v.owner();
    rooms::rooms(&owner).unwrap()[0].id
}

/// Farah (a member of Ben's "New Roots") also sees Ben one to one, weekly
/// for six weeks from Thursday 5 November 2026, booked by the owner.
fn farah_with_ben(c: &Clinic) -> IndividualBooking {
    let room = room_of(c);
    let owner = c.v.owner();
    individual::book_individual(
        &owner,
        booking(
            GroupFormat::Individual,
            vec![c.roots_member],
            c.ben,
            room,
            "2026-11-05",
            Repeat::Weekly,
            6,
        ),
    )
    .unwrap()
}

/// Ben's SOAP note for Farah's individual session, saved and signed.
fn ben_signs_individual_note(ben: &SignedIn, session_id: i64, farah: i64) {
    mark(ben, session_id, farah, AttendanceStatus::Present);
    let saved = session_note::save_draft(
        ben,
        NoteDraftInput {
            released: Vec::new(),
            session_id,
            revision: 0,
            shared: vec![
                text("topic", "Sleep and the night shift"),
                text("interventions", "Stimulus control, worry window"),
            ],
            members: vec![{
                let mut m = member(farah, "Farah");
                m.sections = vec![
                    text("subjective", "Sleeping four hours; wakes at 3 with worry."),
                    text("objective", "Tired, engaged, good eye contact."),
                    text("assessment", "Insomnia maintained by rumination."),
                    text("plan", "Worry window at 19:00; review in a week."),
                ];
                m
            }],
        },
    )
    .unwrap();
    let signed = signing::sign(ben, session_id, saved.revision).unwrap();
    assert_eq!(
        signed.status,
        NoteStatus::PendingCosign,
        "Ben is supervised: his note waits for Cara"
    );
}

#[test]
fn an_individual_series_is_noted_signed_cosigned_amended_and_shown_beside_group_notes() {
    let c = clinic();
    let farah = c.roots_member;
    let booked = farah_with_ben(&c);
    assert!(booked.new_pairing);
    let dates: Vec<&str> = booked.sessions.iter().map(|s| &s.starts_at[..10]).collect();
    assert_eq!(
        dates,
        [
            "2026-11-05",
            "2026-11-12",
            "2026-11-19",
            "2026-11-26",
            "2026-12-03",
            "2026-12-10"
        ]
    );
    for s in &booked.sessions {
        assert_eq!(s.format, GroupFormat::Individual);
        assert_eq!(s.client_names, vec!["Farah Haddad".to_owned()]);
        assert_eq!(s.group_name, "Individual session");
        assert_eq!(s.facilitator_ids, vec![c.ben]);
        assert_eq!(s.members_booked, 1);
    }
    let owner = c.v.owner();
    // One to one is not a group: not listed, no seats to fill.
    assert!(groups::groups(&owner, true)
        .unwrap()
        .iter()
        .all(|g| g.id != booked.group_id));
    let pairing = groups::get_group(&owner, booked.group_id).unwrap();
    assert_eq!(pairing.note_template, NoteTemplate::Soap, "SOAP by default");
    let stranger = crate::notes::client_for_tests(&owner, "Iris", "Vance");
    let seat = groups::enroll(
        &owner,
        booked.group_id,
        stranger,
        false,
        "2026-11-05".parse().unwrap(),
    );
    assert!(
        matches!(&seat, Err(Error::Invalid { field, .. }) if field == "groupId"),
        "{seat:?}"
    );
    owner.lock().unwrap();

    // Two group notes for Farah in New Roots, and the individual one
    // between them in time (4 Nov, 5 Nov, 11 Nov).
    let ben = c.v.sign_in("ben");
    sign_simple(&ben, c.roots[0].id, farah, "Values");
    sign_simple(&ben, c.roots[1].id, farah, "Boundaries");
    let first = booked.sessions[0].id;
    // It is on Ben's list to write before he writes it.
    let to_write = todo::notes_to_do(&ben).unwrap().to_write;
    let task = to_write
        .iter()
        .find(|t| t.session_id == first)
        .expect("the individual session is on Ben's list to write");
    assert_eq!(
        (task.format, task.client_names.clone()),
        (GroupFormat::Individual, vec!["Farah Haddad".to_owned()])
    );
    // One to one, the note asks nothing about a group.
    let opened = session_note::session_note(&ben, first).unwrap();
    assert!(
        opened
            .template
            .sections
            .iter()
            .all(|s| s.key != "process" && !s.guidance.contains("group")),
        "{:?}",
        opened.template.sections
    );
    ben_signs_individual_note(&ben, first, farah);
    private::save_private_note(&ben, first, farah, "Countertransference: tired myself.").unwrap();
    drop(ben);

    let cara = c.v.sign_in("cara");
    let cosign: Vec<i64> = todo::notes_to_do(&cara)
        .unwrap()
        .to_cosign
        .iter()
        .map(|t| t.session_id)
        .collect();
    assert!(cosign.contains(&first), "{cosign:?}");
    assert_eq!(
        signing::cosign(&cara, first).unwrap().status,
        NoteStatus::Signed
    );
    drop(cara);

    let ben = c.v.sign_in("ben");
    let amended = signing::add_addendum(
        &ben,
        first,
        Some(farah),
        "Farah phoned: the worry window helped on two nights.",
    )
    .unwrap();
    assert_eq!(amended.addenda.len(), 1);

    // The chart: one timeline, newest first, individual beside group.
    let all = chart::client_notes_page(&ben, farah, ChartFilter::All, None, 20).unwrap();
    let timeline: Vec<(&str, &str, GroupFormat)> = all
        .notes
        .iter()
        .map(|n| (&n.starts_at[..10], n.group_name.as_str(), n.format))
        .collect();
    assert_eq!(
        timeline,
        [
            ("2026-11-11", "New Roots", GroupFormat::Group),
            ("2026-11-05", "Individual session", GroupFormat::Individual),
            ("2026-11-04", "New Roots", GroupFormat::Group),
        ]
    );
    let one_to_one = &all.notes[1];
    assert_eq!(
        one_to_one.template_name,
        "SOAP — Subjective, Objective, Assessment, Plan"
    );
    assert!(one_to_one
        .own
        .iter()
        .any(|s| s.key == "subjective" && s.body.contains("wakes at 3")));
    assert_eq!(one_to_one.cosigned_by.as_ref().unwrap().id, c.cara);
    assert!(one_to_one.addenda[0].body.contains("worry window helped"));
    // Filtered: only the individual one, or only the groups.
    let only = |filter| -> Vec<i64> {
        chart::client_notes_page(&ben, farah, filter, None, 20)
            .unwrap()
            .notes
            .iter()
            .map(|n| n.session_id)
            .collect()
    };
    assert_eq!(only(ChartFilter::Individual), vec![first]);
    assert_eq!(only(ChartFilter::Group), vec![c.roots[1].id, c.roots[0].id]);
    // Search finds it for Ben.
    let hits = search::search(&ben, "rumination").unwrap();
    assert_eq!(
        hits.iter().map(|h| h.session_id).collect::<Vec<_>>(),
        vec![first]
    );
    drop(ben);

    // Ana, a clinician whose scope is limited to her own groups' clients,
    // reads none of it: not the note, not the chart, not by search.
    let ana = c.v.sign_in("ana");
    assert!(matches!(
        session_note::session_note(&ana, first),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        chart::client_notes_page(&ana, farah, ChartFilter::Individual, None, 20),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        private::private_note(&ana, first, farah),
        Err(Error::Forbidden)
    ));
    assert!(search::search(&ana, "rumination").unwrap().is_empty());
    drop(ana);
    // With the scope setting off, she reads it (DESIGN.md: clinicians see all).
    let owner = c.v.owner();
    practice::set_notes_scope_limited(&owner, false).unwrap();
    owner.lock().unwrap();
    let ana = c.v.sign_in("ana");
    assert_eq!(
        chart::client_notes_page(&ana, farah, ChartFilter::Individual, None, 20)
            .unwrap()
            .notes
            .len(),
        1
    );
}

#[test]
fn the_front_desk_and_the_manager_are_refused_every_individual_note_command() {
    let c = clinic();
    let farah = c.roots_member;
    let first = farah_with_ben(&c).sessions[0].id;
    let ben = c.v.sign_in("ben");
    ben_signs_individual_note(&ben, first, farah);
    drop(ben);
    // clinical.db's tables (the snapshot's part before practice.db's).
    let clinical = |v: &TestVault| {
        let all = clinical_snapshot(v);
        all[..all.find("\nclients:").unwrap()].to_owned()
    };
    let before = clinical(&c.v);
    for username in [FRONT_DESK, MANAGER] {
        let s = c.v.sign_in(username);
        let draft = NoteDraftInput {
            released: Vec::new(),
            session_id: first,
            revision: 1,
            shared: vec![text("topic", "x")],
            members: vec![member(farah, "x")],
        };
        let results: Vec<(&str, Result<(), Error>)> = vec![
            (
                "session_note",
                session_note::session_note(&s, first).map(drop),
            ),
            ("save_draft", session_note::save_draft(&s, draft).map(drop)),
            ("sign", signing::sign(&s, first, 1).map(drop)),
            ("cosign", signing::cosign(&s, first).map(drop)),
            (
                "addendum",
                signing::add_addendum(&s, first, Some(farah), "x").map(drop),
            ),
            (
                "client_notes",
                chart::client_notes_page(&s, farah, ChartFilter::Individual, None, 20).map(drop),
            ),
            (
                "private_note",
                private::private_note(&s, first, farah).map(drop),
            ),
            (
                "save_private_note",
                private::save_private_note(&s, first, farah, "x").map(drop),
            ),
            ("search", search::search(&s, "rumination").map(drop)),
            ("notes_to_do", todo::notes_to_do(&s).map(drop)),
        ];
        for (what, result) in results {
            assert!(
                matches!(result, Err(Error::Forbidden)),
                "{username} {what}: {result:?}"
            );
        }
        // They still see who the session is with, as for an appointment.
        let day = agenda::agenda(&s, "2026-11-05".parse().unwrap(), 1).unwrap();
        assert_eq!(
            day.sessions[0].client_names,
            vec!["Farah Haddad".to_owned()]
        );
    }
    assert_eq!(clinical(&c.v), before, "nothing clinical changed");
}

#[test]
fn only_an_owner_manager_or_supervisor_starts_one_to_one_work_and_anyone_books_more() {
    let c = clinic();
    let room = room_of(&c);
    let farah = c.roots_member;
    let zoe = c.members["Zoë"];
    // Ana may not pair herself with Farah (whose record she cannot read),
    // nor may the front desk pair her: it would open the record to her.
    for username in ["ana", FRONT_DESK] {
        let s = c.v.sign_in(username);
        let refused = individual::book_individual(
            &s,
            booking(
                GroupFormat::Individual,
                vec![farah],
                c.ana,
                room,
                "2026-12-14",
                Repeat::Once,
                1,
            ),
        );
        assert!(
            matches!(refused, Err(Error::ForbiddenBecause { .. })),
            "{username}: {refused:?}"
        );
        drop(s);
        let ana = c.v.sign_in("ana");
        assert!(matches!(
            chart::client_notes_page(&ana, farah, ChartFilter::All, None, 20),
            Err(Error::Forbidden)
        ));
    }
    // Once the owner has started Farah's work with Ben, the front desk
    // books more of it, fortnightly.
    farah_with_ben(&c);
    let desk = c.v.sign_in(FRONT_DESK);
    let more = individual::book_individual(
        &desk,
        booking(
            GroupFormat::Individual,
            vec![farah],
            c.ben,
            room,
            "2026-12-17",
            Repeat::Fortnightly,
            3,
        ),
    )
    .unwrap();
    assert!(!more.new_pairing);
    assert_eq!(
        more.sessions
            .iter()
            .map(|s| &s.starts_at[..10])
            .collect::<Vec<_>>(),
        ["2026-12-17", "2026-12-31", "2027-01-14"]
    );
    // A collision with Ben's own first run refuses everything, writing nothing.
    let clash = individual::book_individual(
        &desk,
        booking(
            GroupFormat::Individual,
            vec![farah],
            c.ben,
            room,
            "2026-11-26",
            Repeat::Weekly,
            4,
        ),
    );
    assert!(matches!(clash, Err(Error::Conflict { .. })), "{clash:?}");
    // Bad input is refused by its field.
    let field_of = |input: IndividualBookingInput| match individual::book_individual(&desk, input) {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a field refusal, got {other:?}"),
    };
    let mut two_for_one = booking(
        GroupFormat::Individual,
        vec![farah, zoe],
        c.ben,
        room,
        "2027-02-01",
        Repeat::Once,
        1,
    );
    assert_eq!(field_of(two_for_one.clone()), "clientIds");
    two_for_one.format = GroupFormat::Family;
    two_for_one.client_ids = vec![farah];
    assert_eq!(field_of(two_for_one.clone()), "clientIds");
    two_for_one.client_ids = vec![farah, zoe];
    two_for_one.repeat = Repeat::Weekly;
    assert_eq!(field_of(two_for_one.clone()), "sessions");
    two_for_one.sessions = 53;
    assert_eq!(field_of(two_for_one.clone()), "sessions");
    two_for_one.sessions = 2;
    two_for_one.date = "2027-02-30".into();
    assert_eq!(field_of(two_for_one.clone()), "date");
    two_for_one.date = "2027-02-01".into();
    two_for_one.format = GroupFormat::Group;
    assert_eq!(field_of(two_for_one), "format");
    let agenda_after = agenda::agenda(&desk, "2026-11-23".parse().unwrap(), 31).unwrap();
    assert_eq!(
        agenda_after
            .sessions
            .iter()
            .filter(|s| s.format == GroupFormat::Individual)
            .count(),
        3 + 1,
        "the six-week run's last three, the fortnightly run's first, and nothing from the refusals"
    );
}

#[test]
fn a_couples_session_shows_each_client_only_the_other_as_a_label() {
    let c = clinic();
    let room = room_of(&c);
    let (zoe, ann) = (c.members["Zoë"], c.members["Ann"]);
    let owner = c.v.owner();
    let mut input = booking(
        GroupFormat::Family,
        vec![zoe, ann],
        c.ana,
        room,
        "2026-11-06",
        Repeat::Once,
        1,
    );
    input.note_template = Some(NoteTemplate::Dap);
    let couple = individual::book_individual(&owner, input).unwrap();
    assert_eq!(couple.sessions[0].format, GroupFormat::Family);
    assert_eq!(
        couple.sessions[0].client_names,
        vec!["Ann Lee".to_owned(), "Zoë Martin".to_owned()]
    );
    owner.lock().unwrap();
    let s = couple.sessions[0].id;
    let ana = c.v.sign_in("ana");
    mark(&ana, s, zoe, AttendanceStatus::Present);
    mark(&ana, s, ann, AttendanceStatus::Present);
    let saved = session_note::save_draft(
        &ana,
        NoteDraftInput {
            released: Vec::new(),
            session_id: s,
            revision: 0,
            shared: vec![
                text("topic", "Zoë and Ann Lee talked about the move"),
                text("interventions", "Speaker-listener"),
            ],
            members: vec![
                {
                    let mut m = member(zoe, "Zoë");
                    m.sections = vec![
                        text("data", "Zoë spoke first; Ann listened."),
                        text("assessment", "Calmer than last time."),
                        text("plan", "Practise at home."),
                    ];
                    m
                },
                {
                    let mut m = member(ann, "Ann");
                    m.sections = vec![
                        text("data", "Ann said Zoë interrupts."),
                        text("assessment", "Guarded."),
                        text("plan", "Practise at home."),
                    ];
                    m
                },
            ],
        },
    )
    .unwrap();
    signing::sign(&ana, s, saved.revision).unwrap();
    let zoes = chart::client_notes_page(&ana, zoe, ChartFilter::Individual, None, 20).unwrap();
    let note = &zoes.notes[0];
    assert_eq!(note.format, GroupFormat::Family);
    let everything: String = note
        .shared
        .iter()
        .chain(&note.own)
        .map(|s| s.body.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(everything.contains("Zoë"), "{everything}");
    assert!(
        !everything.contains("Ann") && !everything.contains("Lee"),
        "Ann appears as a label in Zoë's record: {everything}"
    );
}

#[test]
fn the_member_record_and_the_session_packet_include_individual_sessions() {
    use circle_core::export::{self, member_record, session_packet};
    let c = clinic();
    let farah = c.roots_member;
    let first = farah_with_ben(&c).sessions[0].id;
    let ben = c.v.sign_in("ben");
    sign_simple(&ben, c.roots[0].id, farah, "Values");
    ben_signs_individual_note(&ben, first, farah);
    let dir = tempfile::tempdir().unwrap();

    let record = dir.path().join("record.pdf");
    let prepared = member_record::prepare(
        &ben,
        &member_record::RecordRequest {
            client_id: farah,
            from: "2026-11-01".into(),
            to: "2026-11-30".into(),
            recipient: None,
            purpose: String::new(),
        },
    )
    .unwrap();
    export::export_to(&ben, &prepared, &record).unwrap();
    // Read page by page too, which keeps the file when asked to
    // (CIRCLE_KEEP_EXPORTS, for looking at it).
    assert_eq!(crate::exports::pdf_pages(&record).len(), 2);
    let text = crate::exports::pdf_flat_text(&record);
    for expected in [
        "Individual session",
        "New Roots",
        "wakes at 3 with worry",
        "Insomnia maintained by rumination",
        // One to one, the shared part is not called a group's (as on screen).
        "From the session",
    ] {
        assert!(text.contains(expected), "{expected} missing from: {text}");
    }
    assert!(
        text.find("New Roots · Wed 4 Nov 2026").unwrap()
            < text.find("Individual session · Thu 5 Nov 2026").unwrap(),
        "the notes run in date order: {text}"
    );

    let packet = dir.path().join("packet.pdf");
    export::export_to(
        &ben,
        &session_packet::prepare(&ben, first).unwrap(),
        &packet,
    )
    .unwrap();
    let text = crate::exports::pdf_flat_text(&packet);
    for expected in [
        "Individual session",
        "Farah Haddad",
        "Worry window at 19:00",
    ] {
        assert!(text.contains(expected), "{expected} missing from: {text}");
    }
}
