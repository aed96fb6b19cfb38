//! Suite 1 of issue 16, crash: a child process writes through circle-core's
//! services as the app would (book a seat, record attendance, save a draft,
//! sign, add an addendum, add a staff member, rotate the keys), printing a
//! line after each write is acknowledged; this test kills it with SIGKILL at
//! a seeded moment, reopens the vault and checks that every acknowledged
//! write is there, that the write in flight is whole or absent (its data and
//! its audit row together), that both databases pass `integrity_check` and
//! `cipher_integrity_check`, that `verify` (audit chain, anchor, every note
//! hash, the keyring) finds nothing, and that the owner, a clinician and the
//! newest colleague can all still sign in (a rotation cut short is finished
//! by the next sign-in).
//!
//! The child is this test binary itself, run again with the `crash_child`
//! test selected and `CHILD_VAULT` set: `cargo test` always builds it (an
//! example or an extra `[[bin]]` would be one more target to build and to
//! keep out of the installers), its path is `current_exe()`, and it links
//! the same circle-core. The moment of the kill is counted in the child's
//! lines (after the Kth, then a seeded busy spin), not timed on the clock.
//!
//! 40 rounds; 500 with `CIRCLE_STRESS=1`. `CIRCLE_CRASH_SEED=<n>` repeats a
//! run's choices (the kill lands where the scheduler lets it);
//! `CIRCLE_CRASH_AIM=rotate` (or another kind) aims every kill at that kind
//! of write.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use chrono::NaiveDate;
use circle_core::accounts::{self, NewStaff};
use circle_core::audit::Action;
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
use circle_core::integrity;
use circle_core::key_rotation;
use circle_core::notes::session_note::{
    self, MemberNoteInput, NoteDraftInput, NoteStatus, RiskLevel, SectionText, SessionNote,
};
use circle_core::notes::signing;
use circle_core::roles::Role;
use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
use circle_core::schedule::recurrence::{Pattern, RecurrenceInput};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::schedule::sessions;
use circle_core::signed_in::SignedIn;
use circle_core::signin;
use circle_core::vault::commitments::rotation_hash;
use circle_core::vault::db;
use circle_core::vault::location::VaultLocation;
use rusqlite::Connection;

use crate::common::*;

const CHILD_VAULT: &str = "CIRCLE_CRASH_CHILD_VAULT";
const CHILD_ROUND: &str = "CIRCLE_CRASH_CHILD_ROUND";
const CHILD_SEED: &str = "CIRCLE_CRASH_CHILD_SEED";
/// Unsigned sessions to write notes for, in date order.
const CHILD_OPEN: &str = "CIRCLE_CRASH_CHILD_OPEN";
/// Signed sessions, for addenda.
const CHILD_SIGNED: &str = "CIRCLE_CRASH_CHILD_SIGNED";
/// `group:date` pairs: where a new client gets a seat, booked from that date.
const CHILD_GROUPS: &str = "CIRCLE_CRASH_CHILD_GROUPS";
/// How many more staff the child may add (the keyring stays small).
const CHILD_STAFF_ROOM: &str = "CIRCLE_CRASH_CHILD_STAFF_ROOM";
/// Repeats a run's choices.
const SEED_ENV: &str = "CIRCLE_CRASH_SEED";

const PREFIX: &str = "crash: ";
/// The child stops here if nobody kills it (the parent kills far sooner).
const CHILD_MAX_CALLS: u64 = 400;
/// The most lines the parent waits for before it kills.
const MOST_LINES: u64 = 30;
/// The longest busy spin after the chosen line (a few milliseconds).
/// The busy spin after the chosen line: 2^bits iterations (2^24 is 0.1 to
/// 0.2 s in a debug build), bits drawn from this range; an aimed kill's from
/// the second, long enough to land past a new login's Argon2id or inside a
/// rotation's re-encryption.
const SPIN_BITS: std::ops::Range<u64> = 0..24;
const AIMED_SPIN_BITS: std::ops::Range<u64> = 10..28;
/// Aims every round's kill at one kind of write (`rotate`, `staff`, …).
const AIM_ENV: &str = "CIRCLE_CRASH_AIM";
const MOST_STAFF: u32 = 40;
/// A group's unsigned sessions offered to the child each round.
const OPEN_PER_GROUP: usize = 3;

fn stress() -> bool {
    std::env::var("CIRCLE_STRESS").is_ok_and(|v| v == "1")
}

/// splitmix64: small, seeded, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        if items.is_empty() {
            None
        } else {
            items.get(self.below(items.len() as u64) as usize)
        }
    }
}

/// What the child writes, one service call each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Kind {
    Client,
    Enroll,
    Attendance,
    Draft,
    Sign,
    Addendum,
    Staff,
    Rotate,
}

const KINDS: [Kind; 8] = [
    Kind::Client,
    Kind::Enroll,
    Kind::Attendance,
    Kind::Draft,
    Kind::Sign,
    Kind::Addendum,
    Kind::Staff,
    Kind::Rotate,
];

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Client => "client",
            Kind::Enroll => "enroll",
            Kind::Attendance => "attendance",
            Kind::Draft => "draft",
            Kind::Sign => "sign",
            Kind::Addendum => "addendum",
            Kind::Staff => "staff",
            Kind::Rotate => "rotate",
        }
    }

    fn parse(text: &str) -> Option<Kind> {
        KINDS.into_iter().find(|k| k.name() == text)
    }

    /// The audit row the write commits with its data.
    fn action(self) -> Action {
        match self {
            Kind::Client => Action::ClientCreated,
            Kind::Enroll => Action::Enrolled,
            Kind::Attendance => Action::AttendanceRecorded,
            Kind::Draft => Action::NoteDraftSaved,
            Kind::Sign => Action::NoteSigned,
            Kind::Addendum => Action::NoteAddendumSigned,
            Kind::Staff => Action::StaffAdded,
            Kind::Rotate => Action::KeysRotated,
        }
    }
}

// ---------------------------------------------------------------- the child

fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    // The parent reads these as they come: one line, flushed, per step.
    let _ = writeln!(out, "{PREFIX}{text}");
    let _ = out.flush();
}

fn must<T>(what: &str, result: circle_core::Result<T>) -> T {
    match result {
        Ok(value) => value,
        Err(e) => {
            say(&format!("error {what}: {e} ({e:?})"));
            panic!("crash child: {what}: {e:?}");
        }
    }
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap_or_default()
}

fn ids(text: &str) -> Vec<i64> {
    text.split(',')
        .filter(|t| !t.is_empty())
        .map(|t| t.parse().expect("an id"))
        .collect()
}

fn join(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// Digits as letters, for a client's name (names take letters only).
fn letters(n: u64) -> String {
    n.to_string()
        .bytes()
        .map(|d| char::from(b'a' + (d - b'0')))
        .collect()
}

/// A service call as the app makes one: the write, then the audit anchor the
/// shell moves after every command, then the acknowledgement.
fn write<T>(
    s: &mut SignedIn,
    line: &str,
    call: impl FnOnce(&mut SignedIn) -> circle_core::Result<T>,
    ack: impl FnOnce(&T) -> String,
) -> T {
    say(&format!("try {line}"));
    let value = must(line, call(s));
    must("anchor", s.anchor_audit());
    say(&format!("ack {line} {}", ack(&value)));
    value
}

/// A read the app makes before writing (audited, then anchored).
fn read<T>(
    s: &mut SignedIn,
    what: &str,
    call: impl FnOnce(&SignedIn) -> circle_core::Result<T>,
) -> T {
    let value = must(what, call(s));
    must("anchor", s.anchor_audit());
    value
}

/// The whole draft for the session as it stands: every section of the
/// template, a section and a risk level for each member who attended.
pub(crate) fn draft_for(view: &SessionNote, token: &str) -> NoteDraftInput {
    NoteDraftInput {
        session_id: view.session.id,
        revision: view.revision,
        shared: view
            .template
            .shared()
            .map(|s| SectionText {
                key: s.key.clone(),
                body: format!("{} of this meeting [{token}].", s.label),
            })
            .collect(),
        members: view
            .members
            .iter()
            .filter(|m| m.attendance.is_some_and(AttendanceStatus::attended))
            .map(|m| MemberNoteInput {
                client_id: m.client_id,
                sections: view
                    .template
                    .member()
                    .map(|s| SectionText {
                        key: s.key.clone(),
                        body: format!("{} [{token}].", s.label),
                    })
                    .collect(),
                goal_ratings: vec![],
                risk_level: Some(RiskLevel::None),
                risk_text: String::new(),
            })
            .collect(),
        released: vec![],
    }
}

fn record_attendance(s: &mut SignedIn, session: i64, client: i64, status: AttendanceStatus) {
    write(
        s,
        &format!(
            "attendance session={session} client={client} status={}",
            status.as_db()
        ),
        |s| {
            attendance::record(
                s,
                AttendanceInput {
                    session_id: session,
                    client_id: client,
                    status,
                    arrived_at: None,
                    left_at: None,
                },
            )
        },
        |_| String::new(),
    );
}

fn save_draft(s: &mut SignedIn, view: &SessionNote, token: &str) -> i64 {
    let session = view.session.id;
    let revision = view.revision + 1;
    let saved = write(
        s,
        &format!("draft session={session} revision={revision} token={token}"),
        |s| session_note::save_draft(s, draft_for(view, token)),
        |saved| format!("saved={}", saved.revision),
    );
    assert_eq!(saved.revision, revision, "the revision after the save");
    revision
}

#[test]
#[ignore = "the crash suite's child process: runs only when acknowledged_writes_survive_sigkill starts it"]
fn crash_child() {
    let dir = var(CHILD_VAULT);
    if dir.is_empty() {
        return;
    }
    let round: u64 = var(CHILD_ROUND).parse().expect("round");
    let mut rng = Rng::new(var(CHILD_SEED).parse().expect("seed"));
    let mut open = ids(&var(CHILD_OPEN));
    let mut signed = ids(&var(CHILD_SIGNED));
    let groups: Vec<(i64, String)> = var(CHILD_GROUPS)
        .split(',')
        .filter_map(|g| g.split_once(':'))
        .map(|(id, date)| (id.parse().expect("group id"), date.to_owned()))
        .collect();
    let mut staff_room: u32 = var(CHILD_STAFF_ROOM).parse().expect("staff room");

    say("start");
    let location = VaultLocation::at(Path::new(&dir));
    let mut s = must(
        "sign in",
        signin::unlock(&location, OWNER, &pass(OWNER_PASS)),
    );
    must("anchor", s.anchor_audit());
    say("signed-in");

    // Weights: booking 2, attendance 3, draft 3, sign 2, addendum 2, staff 1, rotate 1.
    const OPS: [(u64, &str); 7] = [
        (2, "book"),
        (3, "attendance"),
        (3, "draft"),
        (2, "sign"),
        (2, "addendum"),
        (1, "staff"),
        (1, "rotate"),
    ];
    let total: u64 = OPS.iter().map(|(w, _)| w).sum();
    for call in 0..CHILD_MAX_CALLS {
        let token = format!("r{round}c{call}");
        let mut roll = rng.below(total);
        let op = OPS
            .iter()
            .find(|(w, _)| {
                if roll < *w {
                    true
                } else {
                    roll -= w;
                    false
                }
            })
            .map(|(_, op)| *op)
            .expect("a weighted choice");
        match op {
            "book" => {
                let (group, from) = rng.pick(&groups).expect("groups").clone();
                let last = format!("Crash{}x{}", letters(round), letters(call));
                let client = write(
                    &mut s,
                    &format!("client name={last}"),
                    |s| {
                        clients::create(
                            s,
                            ClientInput {
                                legal_first_name: "Sam".into(),
                                middle_name: None,
                                legal_last_name: last.clone(),
                                preferred_name: None,
                                name_order: Default::default(),
                                pronouns: None,
                                date_of_birth: None,
                                phone: None,
                                email: None,
                                emergency_name: None,
                                emergency_phone: None,
                                status: ClientStatus::Active,
                            },
                            true,
                        )
                    },
                    |created| match created {
                        Created::Client { client } => format!("id={}", client.id),
                        Created::PossibleDuplicate { .. } => "duplicate".into(),
                    },
                );
                let Created::Client { client } = client else {
                    panic!("a confirmed create saves the client");
                };
                let from: NaiveDate = from.parse().expect("a date");
                write(
                    &mut s,
                    &format!("enroll group={group} client={}", client.id),
                    |s| groups::enroll(s, group, client.id, false, from),
                    |outcome| {
                        format!(
                            "enrollment={} status={:?}",
                            outcome.enrollment.id, outcome.enrollment.status
                        )
                    },
                );
            }
            "attendance" => {
                let Some(&session) = rng.pick(&open) else {
                    continue;
                };
                let rows = read(&mut s, "check-in list", |s| {
                    attendance::check_in_list(s, session)
                });
                let Some(row) = rng.pick(&rows) else {
                    continue;
                };
                let status = *rng
                    .pick(&[
                        AttendanceStatus::Present,
                        AttendanceStatus::Present,
                        AttendanceStatus::NoShow,
                        AttendanceStatus::AbsentExcused,
                        AttendanceStatus::CancelledLate,
                    ])
                    .expect("statuses");
                record_attendance(&mut s, session, row.client_id, status);
            }
            "draft" => {
                let Some(&session) = rng.pick(&open) else {
                    continue;
                };
                let view = read(&mut s, "open the note", |s| {
                    session_note::session_note(s, session)
                });
                save_draft(&mut s, &view, &token);
            }
            "sign" => {
                let Some(&session) = rng.pick(&open) else {
                    continue;
                };
                let view = read(&mut s, "open the note", |s| {
                    session_note::session_note(s, session)
                });
                let missing: Vec<i64> = view
                    .members
                    .iter()
                    .filter(|m| m.attendance.is_none())
                    .map(|m| m.client_id)
                    .collect();
                for client in &missing {
                    record_attendance(&mut s, session, *client, AttendanceStatus::Present);
                }
                let view = if missing.is_empty() {
                    view
                } else {
                    read(&mut s, "open the note", |s| {
                        session_note::session_note(s, session)
                    })
                };
                let revision = save_draft(&mut s, &view, &token);
                write(
                    &mut s,
                    &format!("sign session={session} revision={revision}"),
                    |s| signing::sign(s, session, revision),
                    |note| format!("status={:?}", note.status),
                );
                open.retain(|&o| o != session);
                signed.push(session);
            }
            "addendum" => {
                let Some(&session) = rng.pick(&signed) else {
                    continue;
                };
                write(
                    &mut s,
                    &format!("addendum session={session} token={token}"),
                    |s| {
                        signing::add_addendum(
                            s,
                            session,
                            None,
                            &format!("Follow-up call made [{token}]."),
                        )
                    },
                    |note| {
                        let id = note
                            .addenda
                            .iter()
                            .find(|a| a.body.contains(&format!("[{token}]")))
                            .map_or(0, |a| a.id);
                        format!("id={id}")
                    },
                );
            }
            "staff" => {
                if staff_room == 0 {
                    continue;
                }
                let role = *rng
                    .pick(&[
                        Role::Clinician,
                        Role::FrontDesk,
                        Role::Supervisor,
                        Role::Manager,
                    ])
                    .expect("roles");
                write(
                    &mut s,
                    &format!("staff username={token} role={}", role.as_db()),
                    |s| {
                        accounts::add(
                            s,
                            NewStaff {
                                username: token.clone(),
                                full_name: "Robin Ashford".into(),
                                role,
                                initial_passphrase: pass(ASSIGNED_PASS),
                            },
                        )
                    },
                    |member| format!("id={}", member.id),
                );
                staff_room -= 1;
            }
            "rotate" => {
                write(
                    &mut s,
                    "rotate",
                    |s| key_rotation::rotate_keys(s, &mut |_| {}),
                    |outcome| format!("colleagues={}", outcome.colleagues_updated),
                );
            }
            other => unreachable!("{other}"),
        }
    }
    must("lock", s.lock());
    say("done");
}

// --------------------------------------------------------------- the parent

/// One line of the child's: `try` before a write, `ack` once it returned.
#[derive(Debug, Clone)]
struct Step {
    ack: bool,
    kind: Kind,
    fields: HashMap<String, String>,
    text: String,
}

impl Step {
    fn parse(line: &str) -> Option<Step> {
        let rest = line.strip_prefix(PREFIX)?;
        let mut words = rest.split_whitespace();
        let ack = match words.next()? {
            "try" => false,
            "ack" => true,
            _ => return None,
        };
        let kind = Kind::parse(words.next()?)?;
        let fields = words
            .filter_map(|w| w.split_once('='))
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        Some(Step {
            ack,
            kind,
            fields,
            text: rest.to_owned(),
        })
    }

    fn text_field(&self, key: &str) -> &str {
        self.fields
            .get(key)
            .unwrap_or_else(|| panic!("{key} in {:?}", self.text))
    }

    fn id(&self, key: &str) -> i64 {
        self.text_field(key).parse().expect("an id")
    }
}

/// The practice the rounds write into: two groups of four, a weekly series
/// each, a clinician who facilitates both.
pub(crate) struct Practice {
    pub(crate) v: TestVault,
    /// Per group: its id, its sessions in date order, and the date new
    /// clients are booked from (five sessions before the end, so the
    /// sessions being written stay four strong).
    pub(crate) groups: Vec<(i64, Vec<i64>, String)>,
}

fn weekly(first: &str, start: &str, count: u32) -> RecurrenceInput {
    RecurrenceInput {
        first_date: first.into(),
        start_time: start.into(),
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

pub(crate) fn build_practice(sessions_per_group: u32) -> Practice {
    let v = new_vault();
    let max = v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let owner = v.owner();
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Garden Room".into(),
            capacity: 12,
        },
    )
    .expect("room")
    .id;
    let mut groups = Vec::new();
    for (name, first, start, members) in [
        (
            "Steady Ground",
            "2027-01-04",
            "10:00",
            ["Ann", "Bea", "Cal", "Dev"],
        ),
        (
            "New Roots",
            "2027-01-06",
            "18:00",
            ["Eli", "Fay", "Gus", "Hal"],
        ),
    ] {
        let group = groups::create_group(
            &owner,
            GroupInput {
                name: name.into(),
                kind: GroupKind::Rolling,
                modality: "CBT".into(),
                capacity: 10,
                primary_facilitator_id: max,
                co_facilitator_ids: vec![],
                default_room_id: Some(room),
                note_template: NoteTemplate::Girp,
                substance_use: false,
            },
        )
        .expect("group");
        for first_name in members {
            let Created::Client { client } = clients::create(
                &owner,
                ClientInput {
                    legal_first_name: first_name.into(),
                    middle_name: None,
                    legal_last_name: "Member".into(),
                    preferred_name: None,
                    name_order: Default::default(),
                    pronouns: None,
                    date_of_birth: None,
                    phone: None,
                    email: None,
                    emergency_name: None,
                    emergency_phone: None,
                    status: ClientStatus::Active,
                },
                true,
            )
            .expect("client") else {
                panic!("confirmed");
            };
            groups::enroll(&owner, group.id, client.id, false, first.parse().unwrap())
                .expect("enroll");
        }
        let series = sessions::create_series(
            &owner,
            group.id,
            room,
            weekly(first, start, sessions_per_group),
        )
        .expect("series");
        let ids: Vec<i64> = series.sessions.iter().map(|s| s.id).collect();
        let tail = &series.sessions[series.sessions.len().saturating_sub(5)];
        groups.push((group.id, ids, tail.starts_at[..10].to_owned()));
    }
    owner.lock().expect("lock");
    Practice { v, groups }
}

/// What must be in the vault: every acknowledged write so far (and each
/// write that was in flight at a kill, once it is found to have landed).
#[derive(Default)]
struct Model {
    clients: HashMap<i64, String>,
    enrollments: HashMap<i64, (i64, i64)>,
    attendance: HashMap<(i64, i64), String>,
    /// Session → (revision, token of the text saved at that revision).
    drafts: HashMap<i64, (i64, String)>,
    signed: Vec<i64>,
    /// Token → (session, addendum id).
    addenda: HashMap<String, (i64, i64)>,
    /// Username → role.
    staff: Vec<(String, String)>,
    /// The rotation hashes of the keys the databases open with.
    keys: Option<(String, String)>,
    audit_seen: i64,
}

/// The vault as it stands, read through raw connections after the checks.
struct Found {
    clients: HashMap<i64, String>,
    enrollments: HashMap<i64, (i64, i64)>,
    attendance: HashMap<(i64, i64), String>,
    drafts: HashMap<i64, (i64, String)>,
    signed: HashSet<i64>,
    /// (session, body) of every addendum.
    addenda: Vec<(i64, i64, String)>,
    staff: HashMap<String, bool>,
    /// Audit rows since the round began, by action.
    new_audit: HashMap<String, i64>,
}

fn rows<T>(
    conn: &Connection,
    sql: &str,
    map: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Vec<T> {
    conn.prepare(sql)
        .expect(sql)
        .query_map([], map)
        .expect(sql)
        .collect::<rusqlite::Result<Vec<T>>>()
        .expect(sql)
}

fn read_found(practice: &Connection, clinical: &Connection, audit_seen: i64) -> Found {
    let new_audit = rows(
        practice,
        &format!("SELECT action, count(*) FROM audit_log WHERE id > {audit_seen} GROUP BY action"),
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)),
    )
    .into_iter()
    .collect();
    Found {
        clients: rows(practice, "SELECT id, legal_last_name FROM clients", |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .into_iter()
        .collect(),
        enrollments: rows(
            practice,
            "SELECT id, group_id, client_id FROM enrollments",
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )
        .into_iter()
        .collect(),
        attendance: rows(
            practice,
            "SELECT session_id, client_id, status FROM attendance",
            |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)),
        )
        .into_iter()
        .collect(),
        drafts: rows(
            clinical,
            "SELECT n.session_id, n.revision,
                    coalesce((SELECT group_concat(body, ' | ') FROM note_sections s
                              WHERE s.note_id = n.id AND s.client_id = 0), '')
             FROM session_notes n",
            |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))),
        )
        .into_iter()
        .collect(),
        signed: rows(
            clinical,
            "SELECT n.session_id FROM note_signatures g JOIN session_notes n ON n.id = g.note_id
             WHERE g.kind = 'sign'",
            |r| r.get(0),
        )
        .into_iter()
        .collect(),
        addenda: rows(
            clinical,
            "SELECT a.id, n.session_id, a.body FROM note_addenda a
             JOIN session_notes n ON n.id = a.note_id",
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        ),
        staff: rows(practice, "SELECT username, active FROM staff", |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .into_iter()
        .collect(),
        new_audit,
    }
}

/// Both checks SQLite and SQLCipher offer, on every page.
fn page_problems(conn: &Connection, file: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for pragma in ["integrity_check", "cipher_integrity_check"] {
        for row in rows(conn, &format!("PRAGMA {pragma}"), |r| r.get::<_, String>(0)) {
            if row != "ok" {
                problems.push(format!("{file}: {pragma}: {row}"));
            }
        }
    }
    problems
}

#[derive(Default)]
struct Stats {
    rounds: u64,
    kills: u64,
    /// Kills while the child was still signing in.
    during_sign_in: u64,
    acknowledged: u64,
    by_kind: BTreeMap<Kind, u64>,
    lost: u64,
    /// Per kind: writes in flight at the kill that had landed, and that had not.
    in_flight: BTreeMap<Kind, (u64, u64)>,
    finished_at_sign_in: u64,
    hot_journals: u64,
    /// Temp copies of keyring.json a kill left (the next sign-in removes them).
    temp_files: u64,
    /// Kills aimed at the moment keyring.json changed, and how many of
    /// those saw it change before the write was acknowledged.
    watched: u64,
    caught_keyring_change: u64,
    /// Logins a staff add cut short left in keyring.json, dropped at sign-in.
    logins_dropped: u64,
}

impl Stats {
    fn summary(&self, seed: u64) -> String {
        let acked: Vec<String> = self
            .by_kind
            .iter()
            .map(|(k, n)| format!("{} {n}", k.name()))
            .collect();
        let flight: Vec<String> = self
            .in_flight
            .iter()
            .map(|(k, (landed, not))| format!("{} {landed}/{}", k.name(), landed + not))
            .collect();
        format!(
            "crash: seed {seed}: rounds {}, kills {} ({} while signing in), writes acknowledged {} ({}), writes lost {}\n\
             crash: in flight at the kill, landed/all: {}; rotations finished at the next sign-in {}; \
             hot rollback journals found {}; keyring writes cut short (temp copy removed at sign-in) {}; \
             kills the moment keyring.json changed {}/{}; logins left by an add cut short, dropped at sign-in {}",
            self.rounds,
            self.kills,
            self.during_sign_in,
            self.acknowledged,
            acked.join(", "),
            self.lost,
            if flight.is_empty() { "none".into() } else { flight.join(", ") },
            self.finished_at_sign_in,
            self.hot_journals,
            self.temp_files,
            self.caught_keyring_change,
            self.watched,
            self.logins_dropped,
        )
    }
}

/// Temp files in the vault folder (an atomic write's, cut short).
fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("vault dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with('.') && name.ends_with(".tmp"))
        .collect()
}

fn spin(iterations: u64) {
    let mut x = 0u64;
    for i in 0..iterations {
        x = std::hint::black_box(x.wrapping_add(i));
    }
    std::hint::black_box(x);
}

fn seed_from_clock() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(1, |d| d.as_nanos() as u64)
}

#[test]
fn acknowledged_writes_survive_sigkill_and_the_vault_verifies() {
    let rounds: u64 = if stress() { 500 } else { 40 };
    let aim = std::env::var(AIM_ENV).ok().map(|k| {
        Kind::parse(&k).unwrap_or_else(|| panic!("{AIM_ENV}: one of client, enroll, attendance, draft, sign, addendum, staff, rotate"))
    });
    let seed: u64 = std::env::var(SEED_ENV)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(seed_from_clock);
    println!("crash: seed {seed}, {rounds} rounds ({SEED_ENV}={seed} repeats the choices)");
    let practice = build_practice(if stress() { 700 } else { 80 });
    let location = &practice.v.location;
    let scratch = tempfile::tempdir().expect("scratch dir");
    let stderr_path = scratch.path().join("child-stderr.txt");
    // The child runs from a link to this binary: a rebuild of the test
    // binary while the rounds run (another `cargo test`) leaves it in place.
    let child_exe = scratch.path().join("crash-child");
    let this_exe = std::env::current_exe().expect("this test binary");
    if std::fs::hard_link(&this_exe, &child_exe).is_err() {
        std::fs::copy(&this_exe, &child_exe).expect("copy this test binary");
    }
    let mut model = Model::default();
    {
        // Rounds count audit rows from the end of the setup's.
        let keys = practice.v.unwrap_as(OWNER, OWNER_PASS);
        let conn = db::open(&location.practice_db_path(), &keys.practice, false)
            .expect("open practice.db");
        model.audit_seen = rows(&conn, "SELECT coalesce(max(id), 0) FROM audit_log", |r| {
            r.get(0)
        })[0];
    }
    let mut stats = Stats::default();
    let mut problems: Vec<String> = Vec::new();

    for round in 0..rounds {
        if round > 0 && round % 50 == 0 {
            println!(
                "crash: {round} rounds, {} writes acknowledged, {} lost",
                stats.acknowledged, stats.lost
            );
        }
        let mut rng = Rng::new(seed ^ round.wrapping_mul(0xD134_2543_DE82_EF95));
        let child_seed = rng.next();
        let kill_after = if rng.below(10) == 0 {
            1
        } else {
            2 + rng.below(MOST_LINES - 1)
        };
        // Every other round aims at one kind of write: the kill follows
        // the first `try` of that kind (if it comes before line K), so the
        // rare ones (rotation, a new login) are cut short often enough.
        let aimed = rng.below(2) == 0;
        let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
        let target = aim.or(aimed.then_some(kind));
        // Log-uniform, so kills land early in short writes as often as
        // late in long ones.
        let bits = if target.is_some() {
            AIMED_SPIN_BITS
        } else {
            SPIN_BITS
        };
        let spin_for =
            (1u64 << (bits.start + rng.below(bits.end - bits.start))) + rng.below(1 << 10);
        let target_line = target.map(|k| format!("{PREFIX}try {} ", k.name()));
        // Half the kills aimed at a new login or a rotation wait for
        // keyring.json to change instead of spinning.
        let watch_keyring = matches!(target, Some(Kind::Staff | Kind::Rotate)) && rng.below(2) == 0;

        let signed_set: HashSet<i64> = model.signed.iter().copied().collect();
        let open: Vec<i64> = practice
            .groups
            .iter()
            .flat_map(|(_, sessions, _)| {
                sessions
                    .iter()
                    .filter(|s| !signed_set.contains(s))
                    .take(OPEN_PER_GROUP)
                    .copied()
            })
            .collect();
        let recent: Vec<i64> = model.signed.iter().rev().take(6).copied().collect();
        let groups: Vec<String> = practice
            .groups
            .iter()
            .map(|(id, _, from)| format!("{id}:{from}"))
            .collect();
        let staff_room = MOST_STAFF.saturating_sub(model.staff.len() as u32);

        let mut child = Command::new(&child_exe)
            .args([
                "--exact",
                "crash::crash_child",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
                "-q",
            ])
            .env(CHILD_VAULT, practice.v.dir.path())
            .env(CHILD_ROUND, round.to_string())
            .env(CHILD_SEED, child_seed.to_string())
            .env(CHILD_OPEN, join(&open))
            .env(CHILD_SIGNED, join(&recent))
            .env(CHILD_GROUPS, groups.join(","))
            .env(CHILD_STAFF_ROOM, staff_room.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&stderr_path).expect("stderr file"))
            .spawn()
            .expect("start the child");
        // The child's lines, as they come, through a thread: the wait for
        // keyring.json below reads them without blocking.
        let reader = BufReader::new(child.stdout.take().expect("piped stdout"));
        let (line_tx, line_rx) = std::sync::mpsc::channel::<String>();
        let forward = std::thread::spawn(move || {
            for line in reader.lines().map_while(Result::ok) {
                if line.starts_with(PREFIX) && line_tx.send(line).is_err() {
                    break;
                }
            }
        });
        let mut lines: Vec<String> = Vec::new();
        let mut aimed_at = false;
        while (lines.len() as u64) < kill_after {
            let Ok(line) = line_rx.recv() else {
                break;
            };
            aimed_at = target_line
                .as_deref()
                .is_some_and(|t| format!("{line} ").starts_with(t));
            lines.push(line);
            if aimed_at {
                break;
            }
        }
        if aimed_at && watch_keyring {
            // Kill the moment keyring.json changes (a new login's entry, a
            // rotation's deliveries): the database has not committed yet.
            stats.watched += 1;
            let before = std::fs::read(location.keyring_path()).expect("keyring.json");
            loop {
                if let Ok(line) = line_rx.try_recv() {
                    let acked = line.starts_with(&format!("{PREFIX}ack "));
                    lines.push(line);
                    if acked {
                        break;
                    }
                }
                let now = std::fs::read(location.keyring_path()).unwrap_or_default();
                if !now.is_empty() && now != before {
                    stats.caught_keyring_change += 1;
                    break;
                }
            }
        } else {
            spin(spin_for);
        }
        child.kill().expect("SIGKILL the child");
        let status = child.wait().expect("reap the child");
        // Lines written before the kill are acknowledged writes too.
        forward.join().expect("the line reader");
        lines.extend(line_rx.try_iter());
        let killed = std::os::unix::process::ExitStatusExt::signal(&status) == Some(9);
        let child_failed = lines.iter().any(|l| l.starts_with("crash: error"))
            || (!killed && !lines.iter().any(|l| l == "crash: done"));
        if child_failed {
            let stderr = std::fs::read_to_string(&stderr_path).unwrap_or_default();
            problems.push(format!(
                "round {round}: the child failed on its own ({status}):\n{}\n{stderr}",
                lines.join("\n")
            ));
            break;
        }
        stats.rounds += 1;
        if killed {
            stats.kills += 1;
        }
        if !lines.iter().any(|l| l == "crash: signed-in") {
            stats.during_sign_in += 1;
        }

        let round_problems =
            check_round(&practice, location, round, &lines, &mut model, &mut stats);
        if !round_problems.is_empty() {
            problems.push(format!(
                "round {round} (kill after line {kill_after} or the first try of {target:?}, + spin {spin_for}):\n  {}\n  the child's lines:\n    {}",
                round_problems.join("\n  "),
                lines.join("\n    ")
            ));
            break;
        }
    }
    let summary = stats.summary(seed);
    println!("{summary}");
    assert!(
        problems.is_empty(),
        "{summary}\n{SEED_ENV}={seed} repeats the choices\n{}",
        problems.join("\n")
    );
    assert_eq!(stats.lost, 0, "{summary}");
    assert_eq!(stats.rounds, rounds, "{summary}");
}

/// After a kill: sign in, verify, check every page, compare the vault with
/// the model, settle the write that was in flight, and sign colleagues in.
fn check_round(
    practice: &Practice,
    location: &VaultLocation,
    round: u64,
    lines: &[String],
    model: &mut Model,
    stats: &mut Stats,
) -> Vec<String> {
    let mut problems = Vec::new();
    let dir = practice.v.dir.path();

    // What the kill left on disk, before anything opens the vault.
    for file in ["practice.db-journal", "clinical.db-journal"] {
        if dir.join(file).exists() {
            stats.hot_journals += 1;
        }
    }
    stats.temp_files += temp_files(dir).len() as u64;

    // The acknowledged writes, and the one in flight.
    let mut acked: Vec<Step> = Vec::new();
    let mut in_flight: Option<Step> = None;
    for line in lines {
        let Some(step) = Step::parse(line) else {
            continue;
        };
        if step.ack {
            let Some(tried) = in_flight.take() else {
                problems.push(format!("an ack with no try: {line}"));
                continue;
            };
            assert_eq!(tried.kind, step.kind, "{line}");
            acked.push(step);
        } else {
            in_flight = Some(step);
        }
    }
    let mut acked_here: HashMap<Kind, i64> = HashMap::new();
    for step in &acked {
        stats.acknowledged += 1;
        *stats.by_kind.entry(step.kind).or_default() += 1;
        *acked_here.entry(step.kind).or_default() += 1;
        match step.kind {
            Kind::Client => {
                model
                    .clients
                    .insert(step.id("id"), step.text_field("name").to_owned());
            }
            Kind::Enroll => {
                model
                    .enrollments
                    .insert(step.id("enrollment"), (step.id("group"), step.id("client")));
            }
            Kind::Attendance => {
                model.attendance.insert(
                    (step.id("session"), step.id("client")),
                    step.text_field("status").to_owned(),
                );
            }
            Kind::Draft => {
                model.drafts.insert(
                    step.id("session"),
                    (step.id("revision"), step.text_field("token").to_owned()),
                );
            }
            Kind::Sign => model.signed.push(step.id("session")),
            Kind::Addendum => {
                model.addenda.insert(
                    step.text_field("token").to_owned(),
                    (step.id("session"), step.id("id")),
                );
            }
            Kind::Staff => model.staff.push((
                step.text_field("username").to_owned(),
                step.text_field("role").to_owned(),
            )),
            Kind::Rotate => {}
        }
    }

    // Sign in as the app would after the crash: this finishes a rotation
    // the kill cut short.
    let owner = match signin::unlock(location, OWNER, &pass(OWNER_PASS)) {
        Ok(owner) => owner,
        Err(e) => {
            problems.push(format!(
                "the owner cannot sign in after the kill: {e} ({e:?})"
            ));
            return problems;
        }
    };
    // The sign-in cleared what a keyring write cut short left behind.
    let left = temp_files(dir);
    if !left.is_empty() {
        problems.push(format!(
            "temp files left in the vault folder after sign-in: {left:?}"
        ));
    }
    // Findings are judged once the write in flight is settled (below).
    let findings = match integrity::verify(&owner) {
        Ok(report) => {
            assert!(report.clinical_checked, "the owner checks clinical.db too");
            report.findings
        }
        Err(e) => {
            problems.push(format!("verify failed: {e} ({e:?})"));
            Vec::new()
        }
    };

    let keys = practice.v.unwrap_as(OWNER, OWNER_PASS);
    let clinical_key = keys
        .clinical
        .as_ref()
        .expect("the owner holds the clinical key");
    let practice_db =
        db::open(&location.practice_db_path(), &keys.practice, false).expect("open practice.db");
    let clinical_db =
        db::open(&location.clinical_db_path(), clinical_key, false).expect("open clinical.db");
    problems.extend(page_problems(&practice_db, "practice.db"));
    problems.extend(page_problems(&clinical_db, "clinical.db"));
    let found = read_found(&practice_db, &clinical_db, model.audit_seen);
    stats.finished_at_sign_in += found
        .new_audit
        .get(Action::KeyRotationFinishedAtSignIn.as_str())
        .copied()
        .unwrap_or(0) as u64;
    // A staff add cut short after writing keyring.json leaves a login
    // practice.db never knew; the sign-in drops it and records that.
    let cut_short_add = in_flight.as_ref().is_some_and(|s| {
        s.kind == Kind::Staff && !found.staff.contains_key(s.text_field("username"))
    });
    for action in [
        Action::KeyDeliveryRefused,
        Action::KeyRotationFailed,
        Action::KeyringMismatch,
    ] {
        let n = found.new_audit.get(action.as_str()).copied().unwrap_or(0);
        if action == Action::KeyringMismatch && cut_short_add && n == 1 {
            stats.logins_dropped += 1;
            continue;
        }
        if n > 0 {
            problems.push(format!("the audit log records {} ×{n}", action.as_str()));
        }
    }

    // Settle the write in flight: landed (data there), or not; its audit row
    // must agree (both or neither), or it was half written.
    let hashes = (rotation_hash(&keys.practice), rotation_hash(clinical_key));
    if let Some(step) = &in_flight {
        let landed: Option<bool> = match step.kind {
            Kind::Client => Some(found.clients.values().any(|n| n == step.text_field("name"))),
            Kind::Enroll => {
                let pair = (step.id("group"), step.id("client"));
                Some(found.enrollments.values().any(|e| *e == pair))
            }
            Kind::Attendance => {
                let key = (step.id("session"), step.id("client"));
                let new = step.text_field("status");
                let unchanged = model.attendance.get(&key).is_some_and(|old| old == new);
                let landed = found.attendance.get(&key).is_some_and(|now| now == new);
                if landed {
                    model.attendance.insert(key, new.to_owned());
                }
                // Recording the status it already had changes nothing to see.
                (!unchanged).then_some(landed)
            }
            Kind::Draft => {
                let session = step.id("session");
                let revision = step.id("revision");
                let token = format!("[{}]", step.text_field("token"));
                let landed = found
                    .drafts
                    .get(&session)
                    .is_some_and(|(r, text)| *r == revision && text.contains(&token));
                if landed {
                    model
                        .drafts
                        .insert(session, (revision, step.text_field("token").to_owned()));
                }
                Some(landed)
            }
            Kind::Sign => {
                let session = step.id("session");
                let landed = found.signed.contains(&session);
                if landed {
                    model.signed.push(session);
                }
                Some(landed)
            }
            Kind::Addendum => {
                let token = format!("[{}]", step.text_field("token"));
                let matching: Vec<&(i64, i64, String)> = found
                    .addenda
                    .iter()
                    .filter(|(_, _, body)| body.contains(&token))
                    .collect();
                if matching.len() > 1 {
                    problems.push(format!(
                        "addendum {token} is there {} times",
                        matching.len()
                    ));
                }
                if let Some((id, session, _)) = matching.first() {
                    model
                        .addenda
                        .insert(step.text_field("token").to_owned(), (*session, *id));
                }
                Some(!matching.is_empty())
            }
            Kind::Staff => {
                let username = step.text_field("username");
                let landed = found.staff.contains_key(username);
                if landed {
                    model
                        .staff
                        .push((username.to_owned(), step.text_field("role").to_owned()));
                }
                Some(landed)
            }
            Kind::Rotate => {
                // Done, or finished by the sign-in above, or not begun: the
                // keys moved or they did not. Its audit row is written after
                // the re-encryption, so it can be missing; not compared.
                if !acked_here.contains_key(&Kind::Rotate) {
                    let moved = model.keys.as_ref().is_some_and(|k| *k != hashes);
                    let entry = stats.in_flight.entry(step.kind).or_default();
                    if moved {
                        entry.0 += 1;
                    } else {
                        entry.1 += 1;
                    }
                }
                None
            }
        };
        if let Some(landed) = landed {
            let entry = stats.in_flight.entry(step.kind).or_default();
            if landed {
                entry.0 += 1;
            } else {
                entry.1 += 1;
            }
        }
        let audit_rows = found
            .new_audit
            .get(step.kind.action().as_str())
            .copied()
            .unwrap_or(0)
            - acked_here.get(&step.kind).copied().unwrap_or(0);
        if let Some(landed) = landed {
            if audit_rows != i64::from(landed) {
                problems.push(format!(
                    "half written: the {} in flight {} but the audit log has {audit_rows} row(s) for it beyond the acknowledged ones",
                    step.kind.name(),
                    if landed { "landed" } else { "did not land" },
                ));
            }
        }
    }
    for finding in findings {
        problems.push(format!("verify: {finding}"));
    }
    // No audit row for a write that was neither acknowledged nor in flight.
    for kind in KINDS {
        if in_flight.as_ref().is_some_and(|s| s.kind == kind) {
            continue;
        }
        let rows = found
            .new_audit
            .get(kind.action().as_str())
            .copied()
            .unwrap_or(0);
        let expected = acked_here.get(&kind).copied().unwrap_or(0);
        if rows != expected {
            problems.push(format!(
                "the audit log has {rows} {} row(s) this round for {expected} acknowledged",
                kind.action().as_str()
            ));
        }
    }

    // Keys: moved by an acknowledged rotation, unchanged without one.
    let rotated = acked_here.contains_key(&Kind::Rotate);
    let rotating = in_flight.as_ref().is_some_and(|s| s.kind == Kind::Rotate);
    if let Some(before) = &model.keys {
        if rotated && *before == hashes {
            stats.lost += 1;
            problems.push(
                "lost: an acknowledged key rotation: the databases open with the old keys".into(),
            );
        }
        if !rotated && !rotating && *before != hashes {
            problems.push("the keys changed with no rotation".into());
        }
    }
    model.keys = Some(hashes);

    // Every acknowledged write, this round's and every earlier round's.
    let mut lost = |problems: &mut Vec<String>, what: String| {
        stats.lost += 1;
        problems.push(format!("lost: {what}"));
    };
    for (id, name) in &model.clients {
        if found.clients.get(id) != Some(name) {
            lost(&mut problems, format!("client {id} ({name})"));
        }
    }
    for (id, pair) in &model.enrollments {
        if found.enrollments.get(id) != Some(pair) {
            lost(&mut problems, format!("enrollment {id} {pair:?}"));
        }
    }
    for (key, status) in &model.attendance {
        if found.attendance.get(key) != Some(status) {
            lost(
                &mut problems,
                format!(
                    "attendance {key:?} = {status} (found {:?})",
                    found.attendance.get(key)
                ),
            );
        }
    }
    for (session, (revision, token)) in &model.drafts {
        let token = format!("[{token}]");
        let ok = found
            .drafts
            .get(session)
            .is_some_and(|(r, text)| r == revision && text.contains(&token));
        if !ok {
            lost(
                &mut problems,
                format!(
                    "the draft of session {session} at revision {revision} {token} (found {:?})",
                    found.drafts.get(session).map(|(r, _)| r)
                ),
            );
        }
    }
    for session in &model.signed {
        if !found.signed.contains(session) {
            lost(&mut problems, format!("the signature of session {session}"));
        }
    }
    for (token, (session, id)) in &model.addenda {
        let ok = found
            .addenda
            .iter()
            .any(|(i, s, body)| i == id && s == session && body.contains(&format!("[{token}]")));
        if !ok {
            lost(
                &mut problems,
                format!("addendum {id} [{token}] of session {session}"),
            );
        }
    }
    for (username, _) in &model.staff {
        if found.staff.get(username) != Some(&true) {
            lost(&mut problems, format!("staff member {username}"));
        }
    }

    // Colleagues sign in with what the keyring holds for them now: after a
    // rotation (done, or cut short), the clinician with the keys delivered
    // to them; the newest login every time it is new.
    if rotated || rotating {
        match signin::unlock(location, CLINICIAN, &pass(INITIAL_PASS)) {
            Ok(max) => {
                if !max.has_clinical_access() {
                    problems.push("the clinician signed in without clinical.db".into());
                }
                max.lock().expect("lock");
            }
            Err(e) => problems.push(format!("the clinician cannot sign in: {e} ({e:?})")),
        }
    }
    let newest = model
        .staff
        .last()
        .filter(|(name, _)| name.starts_with(&format!("r{round}c")))
        .cloned();
    if let Some((username, role)) = newest {
        match signin::unlock(location, &username, &pass(ASSIGNED_PASS)) {
            Ok(member) => {
                let clinical = Role::from_db(&role).is_some_and(Role::is_clinical);
                if member.has_clinical_access() != clinical {
                    problems.push(format!(
                        "{username} ({role}) signed in with clinical access {}",
                        member.has_clinical_access()
                    ));
                }
                member.lock().expect("lock");
            }
            Err(e) => problems.push(format!("{username} cannot sign in: {e} ({e:?})")),
        }
    }
    if let Err(e) = owner.lock() {
        problems.push(format!("the owner's lock failed: {e}"));
    }
    // The sign-ins and locks appended audit rows: the next round counts
    // from after them. (A fresh read: WAL gives each statement the newest
    // commit.)
    model.audit_seen = rows(
        &practice_db,
        "SELECT coalesce(max(id), 0) FROM audit_log",
        |r| r.get(0),
    )[0];
    // Key rotation re-encrypts each database alone: nothing else may hold
    // it open when the next child starts.
    drop(practice_db);
    drop(clinical_db);
    problems
}

// A sanity check of the harness itself: the statuses the child records are
// the ones the parent compares, spelled as stored.
#[test]
fn the_crash_childs_lines_parse_back() {
    let step = Step::parse("crash: ack draft session=4 revision=2 token=r0c1 saved=2").unwrap();
    assert!(step.ack);
    assert_eq!(step.kind, Kind::Draft);
    assert_eq!(step.id("session"), 4);
    assert_eq!(AttendanceStatus::NoShow.as_db(), "no_show");
    assert_eq!(letters(105), "baf");
}

/// Regression (found by the crash suite): a kill between an atomic write's
/// temp file and its rename left a copy of keyring.json in the vault folder
/// for ever, one more each time.
#[test]
fn a_keyring_write_cut_short_leaves_no_copy_behind_after_the_next_sign_in() {
    let v = new_vault();
    let dir = v.dir.path();
    let leftover = dir.join(".keyring.json.0123456789ab.tmp");
    std::fs::copy(v.location.keyring_path(), &leftover).expect("a leftover");
    // Files that only look alike are not the keyring's, and stay.
    let others = [
        ".keyring.json.not-a-write.tmp",
        ".practice.db.0123456789ab.tmp",
        "keyring.json.0123456789ab.tmp",
    ];
    for name in others {
        std::fs::write(dir.join(name), b"someone else's").expect("write");
    }
    let owner = v.owner();
    assert!(!leftover.exists(), "the sign-in removed the leftover copy");
    for name in others {
        assert!(dir.join(name).exists(), "{name} stays");
    }
    owner.lock().expect("lock");
}

/// Regression (TORN, found by the crash suite): a signing wrote clinical.db
/// and its audit row to practice.db in one transaction, which SQLite commits
/// file by file, practice.db first; a kill between left an audit row for a
/// signature clinical.db never got, and `verify` reported it as removed, for
/// ever. Now the signature and its audit row commit together in clinical.db
/// and the row joins the chain after. This is the state a kill between the
/// two leaves: practice.db and keyring.json as before the signing, clinical.db
/// after it. The note is signed, the next sign-in chains its audit row once,
/// and verify finds nothing; putting clinical.db back instead is still caught.
#[test]
fn a_signature_cut_short_between_clinical_db_and_the_audit_chain_is_chained_at_the_next_sign_in() {
    let practice = build_practice(3);
    let v = &practice.v;
    let session = practice.groups[0].1[0];
    let owner = v.owner();
    for row in attendance::check_in_list(&owner, session).expect("check-in list") {
        attendance::record(
            &owner,
            AttendanceInput {
                session_id: session,
                client_id: row.client_id,
                status: AttendanceStatus::Present,
                arrived_at: None,
                left_at: None,
            },
        )
        .expect("attendance");
    }
    let view = session_note::session_note(&owner, session).expect("open the note");
    session_note::save_draft(&owner, draft_for(&view, "before")).expect("draft");
    owner.lock().expect("lock");
    let before = tempfile::tempdir().expect("temp dir");
    copy_folder(v.dir.path(), before.path());

    let owner = v.owner();
    let view = session_note::session_note(&owner, session).expect("open the note");
    signing::sign(&owner, session, view.revision).expect("sign");
    owner.lock().expect("lock");
    let after = tempfile::tempdir().expect("temp dir");
    copy_folder(v.dir.path(), after.path());
    let put_back = |from: &Path, prefixes: &[&str]| {
        for entry in std::fs::read_dir(v.dir.path()).expect("vault dir") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| name.starts_with(p)) {
                std::fs::remove_file(&path).expect("remove");
            }
        }
        for entry in std::fs::read_dir(from).expect("copy") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| name.starts_with(p)) {
                std::fs::copy(&path, v.dir.path().join(&name)).expect("copy back");
            }
        }
    };
    let signing_rows = |owner: &circle_core::signed_in::SignedIn| {
        circle_core::audit::listing::list_for(
            owner,
            &circle_core::audit::AuditFilter {
                actor_id: None,
                action_prefix: Some(Action::NoteSigned.as_str().into()),
                before_id: None,
                limit: Some(1000),
            },
        )
        .expect("audit page")
        .into_iter()
        .filter(|e| e.action == Action::NoteSigned.as_str() && e.entity_id == Some(session))
        .count()
    };

    // The kill's state: the signing stored, its audit row not yet chained.
    put_back(before.path(), &["practice.db", "keyring.json"]);
    let owner = v.owner();
    let findings = integrity::verify(&owner).expect("verify").findings;
    assert!(findings.is_empty(), "after the cut: {findings:#?}");
    let view = session_note::session_note(&owner, session).expect("open the note");
    assert_ne!(
        view.status,
        NoteStatus::Draft,
        "the signature was stored whole"
    );
    assert_eq!(signing_rows(&owner), 1, "its audit row, chained once");
    owner.lock().expect("lock");
    let owner = v.owner();
    assert_eq!(signing_rows(&owner), 1, "and not again at the next sign-in");
    owner.lock().expect("lock");

    // Tampering is still told from a crash: clinical.db put back to before
    // the signing, under practice.db from after it.
    put_back(
        after.path(),
        &["practice.db", "keyring.json", "clinical.db"],
    );
    put_back(before.path(), &["clinical.db"]);
    let owner = v.owner();
    let findings = integrity::verify(&owner).expect("verify").findings;
    assert!(
        findings
            .iter()
            .any(|f| f.contains("missing from clinical.db")),
        "a signature taken out is reported: {findings:#?}"
    );
    owner.lock().expect("lock");
}

/// Regression (found by the crash suite): a kill between an add's write of
/// keyring.json and practice.db's commit left a login practice.db never
/// knew: `verify` reported it for ever ("added by hand, or left behind").
/// The next sign-in drops it, and records that it did.
#[test]
fn a_login_left_by_a_staff_add_cut_short_is_dropped_at_the_next_sign_in() {
    let v = new_vault();
    let before = tempfile::tempdir().expect("temp dir");
    copy_folder(v.dir.path(), before.path());
    let anchor = v.keyring().audit_anchor;
    let owner = v.owner();
    accounts::add(
        &owner,
        NewStaff {
            username: "robin".into(),
            full_name: "Robin Ashford".into(),
            role: Role::Clinician,
            initial_passphrase: pass(ASSIGNED_PASS),
        },
    )
    .expect("add");
    drop(owner);
    // What the kill leaves: keyring.json with Robin's login, practice.db as
    // before the add (and the audit anchor where that practice.db had it).
    for entry in std::fs::read_dir(v.dir.path()).expect("vault dir") {
        let path = entry.expect("entry").path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("practice.db")
        {
            std::fs::remove_file(&path).expect("remove");
        }
    }
    for entry in std::fs::read_dir(before.path()).expect("copy") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("practice.db") {
            std::fs::copy(&path, v.dir.path().join(&name)).expect("copy back");
        }
    }
    let mut keyring = v.keyring();
    assert!(keyring.entry("robin").is_some());
    keyring.audit_anchor = anchor;
    keyring.save(&v.location.keyring_path()).expect("save");

    let owner = v.owner();
    assert!(v.keyring().entry("robin").is_none(), "dropped at sign-in");
    let findings = integrity::verify(&owner).expect("verify").findings;
    assert!(findings.is_empty(), "{findings:#?}");
    let recorded = circle_core::audit::list_for(&owner, &Default::default())
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == Action::KeyringMismatch.as_str())
        .count();
    assert_eq!(recorded, 1, "the drop is in the audit log");
    // Robin can be added again, and signs in with what they were given.
    accounts::add(
        &owner,
        NewStaff {
            username: "robin".into(),
            full_name: "Robin Ashford".into(),
            role: Role::Clinician,
            initial_passphrase: pass(ASSIGNED_PASS),
        },
    )
    .expect("add again");
    owner.lock().expect("lock");
    signin::unlock(&v.location, "robin", &pass(ASSIGNED_PASS))
        .expect("Robin signs in")
        .lock()
        .expect("lock");
}
