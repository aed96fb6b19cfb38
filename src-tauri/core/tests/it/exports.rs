//! PDF exports against a real vault, read back with `pdftotext -layout`
//! (poppler-utils, installed by `make test`): a member's record holds no
//! other member in any form, every script prints, markup in a name prints
//! literally, 42 CFR Part 2 consents gate a release to a third party, each
//! role gets exactly the exports it may, and a released file can be checked.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::common::*;
use chrono::NaiveDate;
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::disclosures::{self, ConsentInput};
use circle_core::export::{
    self, attendance_report, day_sheet, disclosure_report, member_record, recovery_sheet,
    session_packet, Verification,
};
use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
use circle_core::names::fold;
use circle_core::notes::private;
use circle_core::notes::redaction::mention_token;
use circle_core::notes::session_note::{
    self, MemberNoteInput, NoteDraftInput, RiskLevel, SectionText,
};
use circle_core::notes::signing;
use circle_core::roles::Role;
use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
use circle_core::schedule::recurrence::{Pattern, RecurrenceInput};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::schedule::sessions::{self, GroupSession};
use circle_core::signed_in::SignedIn;
use circle_core::Error;

/// (first, last, preferred) of the eight members of "Steady Ground".
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

const DRAFT_WORD: &str = "Quillfeather";
const PRIVATE_WORD: &str = "Marblethorn";

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn client(s: &SignedIn, first: &str, last: &str, preferred: Option<&str>) -> i64 {
    let input = ClientInput {
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
    };
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

fn text(key: &str, body: &str) -> SectionText {
    SectionText {
        key: key.into(),
        body: body.into(),
    }
}

struct Practice {
    v: TestVault,
    _clock: PinnedClock,
    ana: i64,
    room: i64,
    group: i64,
    members: HashMap<&'static str, i64>,
    sessions: Vec<GroupSession>,
}

fn group_input(name: &str, lead: i64, room: i64, substance_use: bool) -> GroupInput {
    GroupInput {
        name: name.into(),
        kind: GroupKind::Closed,
        modality: "CBT".into(),
        capacity: 20,
        primary_facilitator_id: lead,
        co_facilitator_ids: vec![],
        default_room_id: Some(room),
        note_template: NoteTemplate::Girp,
        substance_use,
    }
}

/// Ana's eight-member group with `signed` signed weekly sessions from
/// 3 Nov 2026, one more with a draft, and a private note; the clock is
/// pinned after all of them.
fn practice(signed: usize, substance_use: bool) -> Practice {
    let clock = pin_clock("2027-03-01T12:00:00Z");
    let v = new_vault();
    let ana = v.add("ana", "Ana Lindqvist", Role::Clinician);
    v.add("ben", "Ben Adeyemi", Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let owner = v.owner();
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Garden Room".into(),
            capacity: 20,
        },
    )
    .unwrap()
    .id;
    let group = groups::create_group(
        &owner,
        group_input("Steady Ground", ana, room, substance_use),
    )
    .unwrap()
    .id;
    let sessions =
        sessions::create_series(&owner, group, room, weekly("2026-11-03", signed as u32 + 1))
            .unwrap()
            .sessions;
    let mut members = HashMap::new();
    for (first, last, preferred) in ROSTER {
        let id = client(&owner, first, last, preferred);
        groups::enroll(&owner, group, id, false, day("2026-11-01")).unwrap();
        members.insert(first, id);
    }
    owner.lock().unwrap();
    let p = Practice {
        v,
        _clock: clock,
        ana,
        room,
        group,
        members,
        sessions,
    };
    let ana_in = p.v.sign_in("ana");
    for (n, session) in p.sessions.iter().enumerate() {
        for id in p.members.values() {
            attendance::record(
                &ana_in,
                AttendanceInput {
                    session_id: session.id,
                    client_id: *id,
                    status: AttendanceStatus::Present,
                    arrived_at: None,
                    left_at: None,
                },
            )
            .unwrap();
        }
        let last = n == signed;
        let m = &p.members;
        let draft = NoteDraftInput {
            released: Vec::new(),
            session_id: session.id,
            revision: 0,
            shared: vec![
                text(
                    "topic",
                    &format!(
                        "Week {}: Zoe and Bobby opened; {} told a story about sleep; OKAFOR laughed.{}",
                        n + 1,
                        mention_token(m["José"]),
                        if last { format!(" {DRAFT_WORD}") } else { String::new() }
                    ),
                ),
                text(
                    "interventions",
                    "Grounding. Ann modelled it; mei chen, TOMAS, liam byrne and Sara Kowalski practised; Zoë Martin led the round.",
                ),
            ],
            members: p
                .members
                .iter()
                .map(|(first, id)| MemberNoteInput {
                    client_id: *id,
                    sections: vec![
                        text("participation", &format!("{first} spoke after Whitfield and Álvarez.")),
                        text("response", "Responded well to grounding."),
                        text("plan", "Practise daily."),
                    ],
                    goal_ratings: vec![],
                    risk_level: Some(RiskLevel::None),
                    risk_text: String::new(),
                })
                .collect(),
        };
        let saved = session_note::save_draft(&ana_in, draft).unwrap();
        if !last {
            signing::sign(&ana_in, session.id, saved.revision).unwrap();
        }
    }
    private::save_private_note(
        &ana_in,
        p.sessions[0].id,
        p.members["Zoë"],
        &format!("Private thought: {PRIVATE_WORD}."),
    )
    .unwrap();
    ana_in.lock().unwrap();
    p
}

/// The PDF's text as `pdftotext -layout` reads it, one string per page.
/// With `CIRCLE_KEEP_EXPORTS=<folder>` set, the PDF is also copied there
/// (for looking at the pages: `make export-samples`).
pub(crate) fn pdf_pages(path: &Path) -> Vec<String> {
    if let Some(folder) = std::env::var_os("CIRCLE_KEEP_EXPORTS") {
        let folder = PathBuf::from(folder);
        std::fs::create_dir_all(&folder).unwrap();
        let name = format!(
            "{}-{}",
            std::thread::current()
                .name()
                .unwrap_or("test")
                .replace("::", "-"),
            path.file_name().unwrap().to_string_lossy()
        );
        std::fs::copy(path, folder.join(name)).unwrap();
    }
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by `make test`");
    assert!(out.status.success(), "pdftotext failed: {out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The PDF's text in reading order (cell by cell in a table), every run
/// of white space made one space: for text a table cell may wrap.
pub(crate) fn pdf_flat_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by `make test`");
    String::from_utf8(out.stdout)
        .unwrap()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

fn out_path(dir: &tempfile::TempDir, name: &str) -> PathBuf {
    dir.path().join(name)
}

fn record_request(client_id: i64, recipient: Option<&str>) -> member_record::RecordRequest {
    member_record::RecordRequest {
        client_id,
        from: "2026-11-01".into(),
        to: "2027-02-28".into(),
        recipient: recipient.map(str::to_owned),
        purpose: if recipient.is_some() {
            "Continuity of care".into()
        } else {
            String::new()
        },
    }
}

fn whole_words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_members_record_over_ten_sessions_names_no_other_member_and_no_draft_or_private_text() {
    let p = practice(10, false);
    let ana = p.v.sign_in("ana");
    let zoe = p.members["Zoë"];
    let dir = tempfile::tempdir().unwrap();
    let file = out_path(&dir, "record.pdf");
    let prepared = member_record::prepare(&ana, &record_request(zoe, None)).unwrap();
    assert!(
        !prepared.suggested_file_name.contains("Zo")
            && prepared.suggested_file_name.starts_with("record-C-"),
        "no name in the file name: {}",
        prepared.suggested_file_name
    );
    let released = export::export_to(&ana, &prepared, &file).unwrap();
    assert!(released.pages >= 2, "ten notes fill pages: {released:?}");
    let pages = pdf_pages(&file);
    let all = pages.join("\n");
    let n = pages.len();
    assert_eq!(n as u32, released.pages);
    assert!(pages[0].contains(&format!("Page 1 of {n}")), "{}", pages[0]);
    assert!(pages[n - 1].contains(&format!("Page {n} of {n}")));
    assert!(all.contains("Zoë Martin"), "her own name");
    assert!(all.contains("Member record") && all.contains("Confidential"));
    assert!(all.contains("Generated") && all.contains("by Ana Lindqvist"));
    // Every signed week is there; the draft (week 11) is listed, not shown.
    for week in 1..=10 {
        assert!(all.contains(&format!("Week {week}:")), "week {week}");
    }
    assert!(!all.contains("Week 11:"));
    assert!(all.contains("Not yet signed"));
    assert!(!all.contains(DRAFT_WORD) && !all.contains(PRIVATE_WORD));
    // No other member in any form: legal, preferred, with or without
    // diacritics, any case.
    let words = whole_words(&all);
    for (first, last, preferred) in ROSTER.iter().filter(|(f, _, _)| *f != "Zoë") {
        for name in [Some(*first), Some(*last), *preferred]
            .into_iter()
            .flatten()
        {
            let folded = fold(name);
            assert!(
                !words.contains(&folded),
                "{name} leaked into Zoë's record:\n{all}"
            );
        }
    }
    assert!(
        all.contains("Member A") || all.contains("Member B"),
        "others appear as labels"
    );
    // Document metadata, tagged for screen readers, PDF/A-2b.
    let info = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("Title:           Member record"), "{info}");
    assert!(
        info.contains(&format!("Author:          {PRACTICE}")),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");
    let bytes = std::fs::read(&file).unwrap();
    let xmp = String::from_utf8_lossy(&bytes);
    assert!(xmp.contains("pdfaid:part>2") && xmp.contains("pdfaid:conformance>B"));
}

#[test]
fn names_in_every_script_print_and_markup_in_a_name_prints_literally() {
    let p = practice(1, false);
    let owner = p.v.owner();
    let names = [
        ("Minh", "Nguyễn Thị"),
        ("Layla", "العلي"),
        ("Noa", "כהן"),
        ("Wei", "王小明"),
        ("#set page(width: 1cm)", "Ståhl"),
        ("*bold* _x_ $y$", "Łukasz"),
    ];
    for (first, last) in names {
        let id = client(&owner, first, last, None);
        groups::enroll(&owner, p.group, id, false, day("2026-11-01")).unwrap();
    }
    // A session after they joined, so the attendance report lists them.
    let later = sessions::create_series(&owner, p.group, p.room, weekly("2027-01-05", 1))
        .unwrap()
        .sessions;
    assert_eq!(later.len(), 1);
    let dir = tempfile::tempdir().unwrap();
    let file = out_path(&dir, "attendance.pdf");
    let prepared = attendance_report::prepare(&owner, p.group, "2027-01-01", "2027-01-31").unwrap();
    let released = export::export_to(&owner, &prepared, &file).unwrap();
    assert_eq!(released.missing_scripts, Vec::<String>::new());
    let all = pdf_pages(&file).join("\n");
    for (first, last) in names {
        assert!(all.contains(first), "{first} in:\n{all}");
        assert!(all.contains(last), "{last} in:\n{all}");
    }
    // A name no font on this computer can show: the export still succeeds
    // and says which script is missing.
    let khitan = client(&owner, "\u{18B00}\u{18B01}", "Ren", None);
    groups::enroll(&owner, p.group, khitan, false, day("2026-11-01")).unwrap();
    let again = out_path(&dir, "attendance-khitan.pdf");
    let prepared = attendance_report::prepare(&owner, p.group, "2027-01-01", "2027-01-31").unwrap();
    let released = export::export_to(&owner, &prepared, &again).unwrap();
    assert_eq!(released.missing_scripts, vec!["Khitan Small Script"]);
    assert!(pdf_pages(&again).join("\n").contains("Ren"));
    // The page is still A4 wide: the "name" was not read as markup.
    let info = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .unwrap();
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(
        info.contains("595.276 x 841.89") || info.contains("595.28 x 841.89"),
        "{info}"
    );
}

#[test]
fn a_part2_record_to_a_third_party_needs_a_current_consent_and_carries_the_notice() {
    let p = practice(2, true);
    let ana = p.v.sign_in("ana");
    let ann = p.members["Ann"];
    let dir = tempfile::tempdir().unwrap();
    let file = out_path(&dir, "part2.pdf");
    let to_doctor = record_request(ann, Some("Dr. Fatima Rahman"));
    let refused = |why: &str| match member_record::prepare(&ana, &to_doctor) {
        Err(Error::ForbiddenBecause { reason }) => reason,
        other => panic!("{why}: expected a refusal, got {other:?}"),
    };
    // No consent on file: refused, nothing written.
    let reason = refused("no consent");
    assert!(reason.to_lowercase().contains("consent"), "{reason}");
    assert!(!file.exists());
    // Expired, then revoked: still refused.
    let consent = |signed: &str, expires: Option<&str>| ConsentInput {
        recipient: "dr. fatima rahman".into(),
        purpose: "Continuity of care".into(),
        scope_from: None,
        scope_to: None,
        signed_on: signed.into(),
        expires_on: expires.map(str::to_owned),
    };
    disclosures::add_consent(&ana, ann, consent("2026-10-01", Some("2027-01-31"))).unwrap();
    assert!(refused("expired").to_lowercase().contains("expired"));
    let current = disclosures::add_consent(&ana, ann, consent("2026-10-01", None)).unwrap();
    disclosures::revoke_consent(&ana, current.id, "2027-02-15").unwrap();
    assert!(refused("revoked").to_lowercase().contains("revoked"));
    assert!(!file.exists());
    // A current consent: produced, with the notice on every page.
    disclosures::add_consent(&ana, ann, consent("2027-02-20", Some("2027-12-31"))).unwrap();
    let prepared = member_record::prepare(&ana, &to_doctor).unwrap();
    let released = export::export_to(&ana, &prepared, &file).unwrap();
    let pages = pdf_pages(&file);
    assert!(pages[0].contains("Notice under 42 CFR"), "{}", pages[0]);
    for (i, page) in pages.iter().enumerate() {
        assert!(
            page.contains("42 CFR part 2 prohibits unauthorized use or disclosure"),
            "page {} lacks the notice:\n{page}",
            i + 1
        );
    }
    // The client themself needs no consent.
    member_record::prepare(&ana, &record_request(ann, None)).unwrap();
    // The accounting lists the release, with the file's fingerprint.
    let log = disclosures::disclosures_of_client(&ana, ann).unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].recipient, "Dr. Fatima Rahman");
    assert_eq!(log[0].sha256, released.sha256);
    // …and its PDF shows it.
    let report = out_path(&dir, "accounting.pdf");
    export::export_to(
        &ana,
        &disclosure_report::prepare(&ana, ann).unwrap(),
        &report,
    )
    .unwrap();
    pdf_pages(&report);
    let accounting = pdf_flat_text(&report);
    assert!(
        accounting.contains("Dr. Fatima Rahman") && accounting.contains("Continuity of care"),
        "{accounting}"
    );
}

#[test]
fn each_role_gets_exactly_the_exports_it_may() {
    let p = practice(1, false);
    let dir = tempfile::tempdir().unwrap();
    let desk = p.v.sign_in(FRONT_DESK);
    let zoe = p.members["Zoë"];
    let s1 = p.sessions[0].id;
    let attendance =
        attendance_report::prepare(&desk, p.group, "2026-11-01", "2026-11-30").unwrap();
    export::export_to(&desk, &attendance, &out_path(&dir, "a.pdf")).unwrap();
    let sheet = day_sheet::prepare(&desk, "2026-11-03").unwrap();
    export::export_to(&desk, &sheet, &out_path(&dir, "day-sheet.pdf")).unwrap();
    let day_text = pdf_pages(&out_path(&dir, "day-sheet.pdf")).join("\n");
    assert!(day_text.contains("Steady Ground") && day_text.contains("Ana Lindqvist"));
    assert!(
        day_text.contains("Zoë Martin"),
        "who is booked:\n{day_text}"
    );
    assert!(!day_text.contains("Week 1"), "no clinical content");
    assert!(matches!(
        member_record::prepare(&desk, &record_request(zoe, None)),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        session_packet::prepare(&desk, s1),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        recovery_sheet::prepare(&desk, "ABCD-ABCD-ABCD-ABCD-ABCD-ABCD-ABCD-ABCD"),
        Err(Error::Forbidden)
    ));
    desk.lock().unwrap();
    // Ben leads no group of Zoë's: outside the notes scope.
    let ben = p.v.sign_in("ben");
    assert!(matches!(
        member_record::prepare(&ben, &record_request(zoe, None)),
        Err(Error::Forbidden)
    ));
    assert!(matches!(
        session_packet::prepare(&ben, s1),
        Err(Error::Forbidden)
    ));
    ben.lock().unwrap();
    // Ana leads it: the whole packet, every member by name.
    let ana = p.v.sign_in("ana");
    let packet = out_path(&dir, "packet.pdf");
    export::export_to(&ana, &session_packet::prepare(&ana, s1).unwrap(), &packet).unwrap();
    let text = pdf_pages(&packet).join("\n");
    for (first, last, _) in ROSTER {
        assert!(
            text.contains(first) && text.contains(last),
            "{first} {last}"
        );
    }
    assert!(text.contains("Signed by Ana Lindqvist"));
    // The packet is in every member's accounting.
    assert_eq!(
        disclosures::disclosures_of_client(&ana, zoe).unwrap().len(),
        1
    );
    // Bad input names its field.
    match member_record::prepare(
        &ana,
        &member_record::RecordRequest {
            to: "2026-10-01".into(),
            ..record_request(zoe, None)
        },
    ) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "to"),
        other => panic!("{other:?}"),
    }
    let _ = p.ana;
}

#[test]
fn a_released_file_is_recognised_and_a_changed_one_is_not() {
    let p = practice(1, false);
    let ana = p.v.sign_in("ana");
    let dir = tempfile::tempdir().unwrap();
    let file = out_path(&dir, "record.pdf");
    let zoe = p.members["Zoë"];
    let prepared = member_record::prepare(&ana, &record_request(zoe, Some("Dr. Okoro"))).unwrap();
    let released = export::export_to(&ana, &prepared, &file).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    match export::verify(&ana, &bytes).unwrap() {
        Verification::Released {
            released_by,
            recipients,
            sha256,
            ..
        } => {
            assert_eq!(released_by, "Ana Lindqvist");
            assert_eq!(recipients, vec!["Dr. Okoro".to_owned()]);
            assert_eq!(sha256, released.sha256);
        }
        other => panic!("{other:?}"),
    }
    let mut changed = bytes.clone();
    let middle = changed.len() / 2;
    changed[middle] ^= 0x01;
    assert!(matches!(
        export::verify(&ana, &changed).unwrap(),
        Verification::NotReleased { .. }
    ));
    // The audit row carries the kind and fingerprint, never a name.
    let owner = p.v.owner();
    let rows = circle_core::audit::list_for(&owner, &Default::default()).unwrap();
    let row = rows.iter().find(|r| r.action == "export.created").unwrap();
    let detail = row.detail.clone().unwrap_or_default();
    assert!(detail.contains("kind=member_record") && detail.contains(&released.sha256));
    assert!(!detail.contains("Okoro") && !detail.contains("Zo"));
}

#[test]
fn the_owner_prints_the_recovery_sheet_and_a_malformed_code_is_refused() {
    let p = practice(0, false);
    let owner = p.v.owner();
    let dir = tempfile::tempdir().unwrap();
    let file = out_path(&dir, "recovery.pdf");
    let code = "1A2B-3C4D-5E6F-7A8B-9C0D-1E2F-3A4B-5C6D";
    export::export_to(
        &owner,
        &recovery_sheet::prepare(&owner, code).unwrap(),
        &file,
    )
    .unwrap();
    let text = pdf_pages(&file).join("\n");
    assert!(text.contains(code), "{text}");
    assert!(text.contains("Recovery sheet") && text.contains(PRACTICE));
    match recovery_sheet::prepare(&owner, "not a code") {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "code"),
        other => panic!("{other:?}"),
    }
}

fn admin(v: &TestVault, user: &str, passphrase: &str, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_circle-admin"))
        .arg("--vault")
        .arg(v.dir.path())
        .args(["--user", user])
        .args(args)
        .env("CIRCLE_PASSPHRASE", passphrase)
        .output()
        .expect("run circle-admin")
}

#[test]
fn the_command_line_exports_refuses_with_exit_4_and_checks_a_released_file() {
    let p = practice(1, false);
    let dir = tempfile::tempdir().unwrap();
    let day_file = out_path(&dir, "day.pdf");
    let day = day_file.to_str().unwrap();
    let out = admin(
        &p.v,
        FRONT_DESK,
        INITIAL_PASS,
        &["export", "day", "--date", "2026-11-03", "--out", day],
    );
    assert!(out.status.success(), "{out:?}");
    assert!(pdf_pages(&day_file).join("\n").contains("Steady Ground"));

    // The front desk may not export a record: exit 4, nothing written.
    let zoe = p.members["Zoë"].to_string();
    let record_file = out_path(&dir, "record.pdf");
    let record = record_file.to_str().unwrap();
    let refused = admin(
        &p.v,
        FRONT_DESK,
        INITIAL_PASS,
        &[
            "export",
            "record",
            "--client",
            &zoe,
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--out",
            record,
        ],
    );
    assert_eq!(refused.status.code(), Some(4), "{refused:?}");
    assert!(!record_file.exists());
    // A bad date: exit 2, the field named.
    let bad = admin(
        &p.v,
        "ana",
        INITIAL_PASS,
        &[
            "export",
            "record",
            "--client",
            &zoe,
            "--from",
            "2026-13-01",
            "--to",
            "2026-11-30",
            "--out",
            record,
        ],
    );
    assert_eq!(bad.status.code(), Some(2), "{bad:?}");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("from"));
    assert!(!record_file.exists());

    let made = admin(
        &p.v,
        "ana",
        INITIAL_PASS,
        &[
            "export",
            "record",
            "--client",
            &zoe,
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--out",
            record,
            "--recipient",
            "Dr. Okoro",
            "--purpose",
            "Continuity of care",
        ],
    );
    assert!(made.status.success(), "{made:?}");
    let checked = admin(&p.v, "ana", INITIAL_PASS, &["verify-export", record]);
    let said = String::from_utf8_lossy(&checked.stdout);
    assert!(checked.status.success(), "{checked:?}");
    assert!(
        said.contains("released: Member record")
            && said.contains("Ana Lindqvist")
            && said.contains("Dr. Okoro"),
        "{said}"
    );
    // One byte changed: not released, exit 1.
    let mut bytes = std::fs::read(&record_file).unwrap();
    let last = bytes.len() - 10;
    bytes[last] ^= 0x20;
    std::fs::write(&record_file, bytes).unwrap();
    let changed = admin(&p.v, "ana", INITIAL_PASS, &["verify-export", record]);
    assert_eq!(changed.status.code(), Some(1), "{changed:?}");
    assert!(String::from_utf8_lossy(&changed.stdout).contains("not released"));
}

#[test]
fn a_logo_chosen_in_settings_heads_every_pdf_and_an_unreadable_image_is_refused() {
    let p = practice(1, false);
    let owner = p.v.owner();
    // The app's own icon stands in for a practice's logo.
    let logo = include_bytes!("../../../../icons/128x128.png");
    let settings = circle_core::practice::set_logo(&owner, logo).unwrap();
    assert!(settings.has_logo);
    let dir = tempfile::tempdir().unwrap();
    let file = out_path(&dir, "day-with-logo.pdf");
    export::export_to(
        &owner,
        &day_sheet::prepare(&owner, "2026-11-03").unwrap(),
        &file,
    )
    .unwrap();
    assert!(pdf_pages(&file).join("\n").contains("Steady Ground"));
    let images = std::process::Command::new("pdfimages")
        .arg("-list")
        .arg(&file)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&images.stdout);
    assert!(
        listed.lines().any(|l| l.contains(" image ")),
        "the logo is in the PDF:\n{listed}"
    );

    // Not an image, or a broken one: refused beside the field, nothing kept.
    for bad in [&b"GIF89a not a logo"[..], &logo[..200]] {
        match circle_core::practice::set_logo(&owner, bad) {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "logo"),
            other => panic!("{other:?}"),
        }
    }
    assert!(circle_core::practice::settings(&owner).unwrap().has_logo);
    let cleared = circle_core::practice::clear_logo(&owner).unwrap();
    assert!(!cleared.has_logo);
    owner.lock().unwrap();
    let desk = p.v.sign_in(FRONT_DESK);
    assert!(matches!(
        circle_core::practice::set_logo(&desk, logo),
        Err(Error::Forbidden)
    ));
}
