//! `make bench`: what encryption costs. Runs the same workload on a
//! SQLCipher database (raw 256-bit key) and on plain SQLite (the same library,
//! no key) in the same run, and prints the ratios; then times a full unlock.
//! Numbers vary by machine: the ratios are what to compare over time.

use std::time::{Duration, Instant};

use circle_core::signin::{self, SetupRequest};
use circle_core::vault::{crypto, db, location::VaultLocation, secret::Passphrase};
use rusqlite::Connection;

const ROWS: i64 = 20_000;
const LOOKUPS: i64 = 5_000;

fn workload(conn: &Connection) -> [Duration; 3] {
    conn.execute_batch(
        "CREATE TABLE bench (id INTEGER PRIMARY KEY, who INTEGER, at TEXT, body TEXT);
         CREATE INDEX bench_who ON bench(who);",
    )
    .expect("create");
    let start = Instant::now();
    let tx = conn.unchecked_transaction().expect("tx");
    for i in 0..ROWS {
        tx.execute(
            "INSERT INTO bench (who, at, body) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                i % 97,
                format!("2026-03-{:02}T18:00:00Z", i % 28 + 1),
                "Participated actively; practised the skill twice.".repeat(4)
            ],
        )
        .expect("insert");
    }
    tx.commit().expect("commit");
    let insert = start.elapsed();

    let start = Instant::now();
    let mut stmt = conn
        .prepare("SELECT body FROM bench WHERE id = ?1")
        .expect("prepare");
    for i in 0..LOOKUPS {
        let _: String = stmt
            .query_row([(i * 7919) % ROWS + 1], |r| r.get(0))
            .expect("lookup");
    }
    let lookup = start.elapsed();

    let start = Instant::now();
    let _: i64 = conn
        .query_row(
            "SELECT count(*) FROM bench WHERE body LIKE '%twice%'",
            [],
            |r| r.get(0),
        )
        .expect("scan");
    let scan = start.elapsed();
    [insert, lookup, scan]
}

fn plain(path: &std::path::Path) -> Connection {
    let conn = Connection::open(path).expect("open plain");
    conn.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA cache_size = -16000;",
    )
    .expect("pragmas");
    conn
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let key = crypto::random_key().expect("key");
    let encrypted = db::open(&dir.path().join("enc.db"), &key, true).expect("open encrypted");
    let plain_conn = plain(&dir.path().join("plain.db"));

    let e = workload(&encrypted);
    let p = workload(&plain_conn);
    println!("workload                      sqlcipher      plain sqlite   ratio");
    for (i, name) in [
        format!("insert {ROWS} rows, one tx"),
        format!("{LOOKUPS} point lookups"),
        "full scan with LIKE".to_string(),
    ]
    .iter()
    .enumerate()
    {
        println!(
            "{name:<29} {:>9.1} ms   {:>9.1} ms   {:>5.2}x",
            e[i].as_secs_f64() * 1e3,
            p[i].as_secs_f64() * 1e3,
            e[i].as_secs_f64() / p[i].as_secs_f64().max(1e-9)
        );
    }

    let vault_dir = dir.path().join("vault");
    let location = VaultLocation::at(&vault_dir);
    let pass = Passphrase::new("quiet lantern orchard tide");
    let (session, _) = signin::setup(
        &location,
        SetupRequest {
            practice_name: "Bench Practice".into(),
            timezone: "UTC".into(),
            owner_full_name: "Bench Owner".into(),
            owner_username: "owner".into(),
            passphrase: pass.clone(),
        },
    )
    .expect("setup");
    session.lock().expect("lock");
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let s = signin::unlock(&location, "owner", &pass).expect("unlock");
            let t = start.elapsed();
            s.lock().expect("lock");
            t
        })
        .collect();
    times.sort();
    println!(
        "unlock (Argon2id 64 MiB t=3 + open and page-check both databases): median {:.0} ms of 5",
        times[2].as_secs_f64() * 1e3
    );

    scale(&location, &pass);
}

/// The front desk's lists at the size the scheduling issue names: 2,000
/// clients and ten years of weekly sessions.
fn scale(location: &VaultLocation, pass: &Passphrase) {
    use circle_core::clients::{self, ClientInput, ClientStatus};
    use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
    use circle_core::schedule::rooms::{self, RoomInput};
    use circle_core::schedule::{
        agenda,
        recurrence::{Pattern, RecurrenceInput},
        sessions,
    };

    let s = signin::unlock(location, "owner", pass).expect("unlock");
    let start = Instant::now();
    for i in 0..2000 {
        let input = ClientInput {
            legal_first_name: ["Zoë", "Marta", "José", "Ann", "Li"][i % 5].into(),
            legal_last_name: format!("Client{i:04}"),
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
        clients::create(&s, input, true).expect("client");
    }
    let create = start.elapsed();
    let room = rooms::create_room(
        &s,
        RoomInput {
            name: "Room A".into(),
            capacity: 12,
        },
    )
    .expect("room")
    .id;
    let group = groups::create_group(
        &s,
        GroupInput {
            name: "Ten-year group".into(),
            kind: GroupKind::Rolling,
            modality: String::new(),
            capacity: 10,
            primary_facilitator_id: s.actor().staff_id,
            co_facilitator_ids: vec![],
            default_room_id: Some(room),
            note_template: NoteTemplate::Girp,
            substance_use: false,
        },
    )
    .expect("group")
    .id;
    let start = Instant::now();
    sessions::create_series(
        &s,
        group,
        room,
        RecurrenceInput {
            first_date: "2026-01-06".into(),
            start_time: "18:00".into(),
            duration_minutes: 90,
            pattern: Pattern::Weekly,
            interval_weeks: Some(1),
            nth_week: None,
            weekday: None,
            until_date: None,
            count: Some(520),
            timezone: String::new(),
        },
    )
    .expect("series");
    let series = start.elapsed();
    let ids: Vec<i64> = clients::search(&s, "", None, 0, 8)
        .expect("clients")
        .items
        .iter()
        .map(|c| c.id)
        .collect();
    for &id in &ids {
        groups::enroll(&s, group, id, false, "2026-01-01".parse().expect("date")).expect("enroll");
    }
    let time = |f: &mut dyn FnMut()| {
        let start = Instant::now();
        for _ in 0..20 {
            f();
        }
        start.elapsed() / 20
    };
    let search = time(&mut || {
        clients::search(&s, "zoe", None, 0, 50).expect("search");
    });
    let week = time(&mut || {
        agenda::agenda(&s, "2031-06-02".parse().expect("date"), 7).expect("agenda");
    });
    println!(
        "2,000 clients created: {:.0} ms; 520-session series with conflict checks: {:.0} ms",
        create.as_secs_f64() * 1e3,
        series.as_secs_f64() * 1e3
    );
    println!(
        "search \"zoe\" (first page of 400 matches): {:.1} ms; one week's agenda: {:.1} ms",
        search.as_secs_f64() * 1e3,
        week.as_secs_f64() * 1e3
    );
    notes_scale(&s, group, &ids);
    s.lock().expect("lock");
}

/// The therapist's side at scale: 200 signed eight-member notes, then the
/// autosave of one note, a member's chart of 200 redacted notes, a search.
fn notes_scale(s: &circle_core::signed_in::SignedIn, group: i64, members: &[i64]) {
    use circle_core::notes::session_note::{
        self, MemberNoteInput, NoteDraftInput, RiskLevel, SectionText,
    };
    use circle_core::notes::{chart, search, signing};
    use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
    use circle_core::schedule::sessions;

    let text = |key: &str, body: String| SectionText {
        key: key.into(),
        body,
    };
    let draft = |session_id: i64, revision: i64, n: usize| NoteDraftInput {
        released: Vec::new(),
        session_id,
        revision,
        shared: vec![
            text(
                "topic",
                format!("Session {n}: sleep and routines. Zoe and Marta opened."),
            ),
            text(
                "interventions",
                "Grounding, thought records, a lighthouse metaphor. ".repeat(8),
            ),
            text(
                "process",
                "Warm and focused; José challenged Ann kindly. ".repeat(6),
            ),
        ],
        members: members
            .iter()
            .map(|&client_id| MemberNoteInput {
                client_id,
                sections: ["participation", "response", "plan"]
                    .iter()
                    .map(|k| {
                        text(
                            k,
                            "Engaged, offered examples, plans to practise daily. ".repeat(4),
                        )
                    })
                    .collect(),
                goal_ratings: vec![],
                risk_level: Some(RiskLevel::None),
                risk_text: String::new(),
            })
            .collect(),
    };
    let all = sessions::sessions_of_group(s, group).expect("sessions");
    let start = Instant::now();
    let attend = |session_id: i64| {
        for &client_id in members {
            attendance::record(
                s,
                AttendanceInput {
                    session_id,
                    client_id,
                    status: AttendanceStatus::Present,
                    arrived_at: None,
                    left_at: None,
                },
            )
            .expect("attendance");
        }
    };
    for (n, occurrence) in all.iter().take(200).enumerate() {
        attend(occurrence.id);
        let saved = session_note::save_draft(s, draft(occurrence.id, 0, n)).expect("draft");
        signing::sign(s, occurrence.id, saved.revision).expect("sign");
    }
    let written = start.elapsed();
    let open = &all[300];
    attend(open.id);
    let mut revision = 0;
    let mut saves = Vec::new();
    for n in 0..20 {
        let start = Instant::now();
        revision = session_note::save_draft(s, draft(open.id, revision, n))
            .expect("autosave")
            .revision;
        saves.push(start.elapsed());
    }
    saves.sort();
    let mut charts: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            let record = chart::client_notes(s, members[0]).expect("chart");
            assert_eq!(record.len(), 200);
            start.elapsed()
        })
        .collect();
    charts.sort();
    let chart_time = charts[2];
    let start = Instant::now();
    let hits = search::search(s, "lighthouse metaphor").expect("search");
    let search_time = start.elapsed();
    println!(
        "200 eight-member notes written and signed: {:.0} ms; autosave of one note: median {:.1} ms of 20",
        written.as_secs_f64() * 1e3,
        saves[10].as_secs_f64() * 1e3
    );
    println!(
        "a member's chart of 200 redacted notes: median {:.0} ms of 5; note search (first {} hits): {:.1} ms",
        chart_time.as_secs_f64() * 1e3,
        hits.len(),
        search_time.as_secs_f64() * 1e3
    );
}
