//! `make bench` (release): how long a 100-page member record takes to
//! typeset, how large the file is and how much memory the export needs.
//!
//! Builds a vault with one member of a group and a signed weekly note for
//! them (about 1 KB each) over two years, gathers the record once (under
//! the connection, as the app does), then typesets it several times and
//! prints the median. The first typesetting also pays for finding the
//! system's fonts (once per process), so it is reported on its own.

use std::time::{Duration, Instant};

use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::export::member_record::{self, RecordRequest};
use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
use circle_core::notes::session_note::{
    self, MemberNoteInput, NoteDraftInput, RiskLevel, SectionText,
};
use circle_core::notes::signing;
use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
use circle_core::schedule::recurrence::{Pattern, RecurrenceInput};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::schedule::sessions;
use circle_core::signin::{self, SetupRequest};
use circle_core::vault::{location::VaultLocation, secret::Passphrase};

const SESSIONS: u32 = 220;
const RUNS: usize = 5;

/// Peak and current resident memory of this process, in MiB (Linux).
fn memory_mib() -> Option<(f64, f64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
        Some(kib / 1024.0)
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

fn text(key: &str, body: &str) -> SectionText {
    SectionText {
        key: key.into(),
        body: body.into(),
    }
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let location = VaultLocation::at(dir.path());
    let (owner, _code) = signin::setup(
        &location,
        SetupRequest {
            practice_name: "Harbour Light Counselling".into(),
            timezone: "Europe/Dublin".into(),
            owner_full_name: "Dana Reyes".into(),
            owner_username: "dana".into(),
            passphrase: Passphrase::new("quiet lantern orchard tide"),
        },
    )
    .expect("setup");
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Garden Room".into(),
            capacity: 10,
        },
    )
    .expect("room")
    .id;
    let me = owner.actor().staff_id;
    let group = groups::create_group(
        &owner,
        GroupInput {
            name: "Steady Ground".into(),
            kind: GroupKind::Rolling,
            modality: "CBT".into(),
            capacity: 8,
            primary_facilitator_id: me,
            co_facilitator_ids: vec![],
            default_room_id: Some(room),
            note_template: NoteTemplate::Girp,
            substance_use: false,
        },
    )
    .expect("group")
    .id;
    let series = sessions::create_series(
        &owner,
        group,
        room,
        RecurrenceInput {
            first_date: "2021-01-05".into(),
            start_time: "18:00".into(),
            duration_minutes: 90,
            pattern: Pattern::Weekly,
            interval_weeks: Some(1),
            nth_week: None,
            weekday: None,
            until_date: None,
            count: Some(SESSIONS),
            timezone: String::new(),
        },
    )
    .expect("series");
    let client = |first: &str, last: &str| {
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
        match clients::create(&owner, input, true).expect("client") {
            Created::Client { client } => client.id,
            Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
        }
    };
    let zoe = client("Zoë", "Ångström");
    let other = client("Łukasz", "Żółć");
    for id in [zoe, other] {
        groups::enroll(&owner, group, id, false, "2021-01-01".parse().unwrap()).expect("enroll");
    }
    let paragraph = "Zoë arrived on time and joined the opening round. She described a difficult \
        conversation with her sister and how she noticed the moment before reacting; Łukasz \
        reflected that he recognised the pattern. She practised the grounding skill twice and \
        named one step for the week: to pause and breathe before answering a message.";
    let started = Instant::now();
    for s in &series.sessions {
        for id in [zoe, other] {
            attendance::record(
                &owner,
                AttendanceInput {
                    session_id: s.id,
                    client_id: id,
                    status: AttendanceStatus::Present,
                    arrived_at: None,
                    left_at: None,
                },
            )
            .expect("attendance");
        }
        let saved = session_note::save_draft(
            &owner,
            NoteDraftInput {
                session_id: s.id,
                revision: 0,
                released: Vec::new(),
                shared: vec![
                    text(
                        "topic",
                        "Noticing the moment before a difficult conversation.",
                    ),
                    text(
                        "interventions",
                        "Check-in round, grounding, paired role-play.",
                    ),
                ],
                members: [zoe, other]
                    .into_iter()
                    .map(|id| MemberNoteInput {
                        client_id: id,
                        sections: vec![
                            text("participation", paragraph),
                            text("response", paragraph),
                            text(
                                "plan",
                                "Practise the grounding skill daily; review next week.",
                            ),
                        ],
                        goal_ratings: vec![],
                        risk_level: Some(RiskLevel::None),
                        risk_text: String::new(),
                    })
                    .collect(),
            },
        )
        .expect("draft");
        signing::sign(&owner, s.id, saved.revision).expect("sign");
    }
    println!(
        "set-up: {} signed sessions in {:.1} s",
        series.sessions.len(),
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let fonts = circle_core::export::prepare_fonts();
    println!(
        "fonts: {fonts} families found in {:.0} ms (once per process)",
        started.elapsed().as_secs_f64() * 1000.0
    );
    let before = memory_mib();
    let started = Instant::now();
    let prepared = member_record::prepare(
        &owner,
        &RecordRequest {
            client_id: zoe,
            from: "2021-01-01".into(),
            to: "2025-06-30".into(),
            recipient: None,
            purpose: String::new(),
        },
    )
    .expect("prepare");
    let gather = started.elapsed();
    let started = Instant::now();
    let first = prepared.typeset().expect("typeset");
    let first_time = started.elapsed();
    let mut times: Vec<Duration> = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let again = prepared.typeset().expect("typeset");
        times.push(started.elapsed());
        assert_eq!(again.pages, first.pages);
    }
    times.sort();
    let after = memory_mib();
    println!(
        "member record: {} pages, {:.0} KiB; gather {:.0} ms; typeset {:.0} ms the first time, median {:.0} ms over {RUNS} more (min {:.0}, max {:.0})",
        first.pages,
        first.pdf.len() as f64 / 1024.0,
        gather.as_secs_f64() * 1000.0,
        first_time.as_secs_f64() * 1000.0,
        times[RUNS / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[RUNS - 1].as_secs_f64() * 1000.0,
    );
    if let (Some((_, rss_before)), Some((peak, _))) = (before, after) {
        println!(
            "memory: peak {peak:.0} MiB resident, {:.0} MiB above the vault's before the export",
            peak - rss_before
        );
    }
    owner.lock().expect("lock");
}
