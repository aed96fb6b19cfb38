//! The practice every fuzz test works on, the table-by-table snapshot that
//! proves a refusal wrote nothing, and the loop that runs one command's
//! generated cases.
//!
//! The practice is built once per test binary (a dozen Argon2id
//! derivations) and copied, file by file, into a folder of each test's
//! own: each test then signs its actors in once and reuses them for every
//! case of every command it runs.

use std::cell::{Ref, RefCell, RefMut};
use std::collections::BTreeMap;
use std::hash::{BuildHasher, Hasher};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::Instant;

use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
use circle_core::notes::goals::{self, GoalInput, GoalStatus};
use circle_core::notes::private;
use circle_core::notes::session_note::{self, NoteDraftInput, RiskLevel, SectionText};
use circle_core::notes::signing;
use circle_core::schedule::appointments::{self, AppointmentInput, AppointmentKind};
use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
use circle_core::schedule::recurrence::{Pattern, RecurrenceInput};
use circle_core::schedule::sessions;
use circle_core::signed_in::SignedIn;
use circle_core::vault::db;
use circle_core::vault::location::VaultLocation;
use circle_core::Error;
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestError, TestRng, TestRunner};
use rusqlite::types::ValueRef;
use rusqlite::Connection;

use crate::common::*;
use crate::notes::{clinic, write_first_session};

/// "Now" for every fuzz test: after the fixture's first sessions, before
/// its last ones, so signing, moving and cancelling all have cases to reach.
pub const NOW: &str = "2026-11-20T12:00:00Z";

/// Cases per command: 256, or 20,000 under `CIRCLE_STRESS=1`
/// (`CIRCLE_FUZZ_CASES` sets another number, to measure).
pub fn cases() -> u32 {
    if let Some(n) = std::env::var("CIRCLE_FUZZ_CASES")
        .ok()
        .and_then(|n| n.trim().parse().ok())
    {
        n
    } else if stress() {
        20_000
    } else {
        256
    }
}

/// Cases for a command that spends an Argon2id derivation (about a fifth
/// of a second) on nearly every attempt, as sign-in does by design.
pub fn slow_cases() -> u32 {
    if stress() {
        1_000
    } else {
        32
    }
}

pub fn stress() -> bool {
    std::env::var("CIRCLE_STRESS").is_ok_and(|v| v == "1")
}

/// The seed of this run: `CIRCLE_FUZZ_SEED`, else a fixed one for the
/// bounded run (the same cases every time) and a fresh one under stress.
fn master_seed() -> u64 {
    static SEED: OnceLock<u64> = OnceLock::new();
    *SEED.get_or_init(|| {
        if let Some(seed) = std::env::var("CIRCLE_FUZZ_SEED")
            .ok()
            .and_then(|s| s.trim().parse().ok())
        {
            seed
        } else if stress() {
            std::collections::hash_map::RandomState::new()
                .build_hasher()
                .finish()
        } else {
            0x0c1c_1e16
        }
    })
}

fn seed_of(name: &str) -> [u8; 32] {
    // FNV-1a over the name, mixed with the run's seed: each command its own
    // stream, so adding a command does not change the others' cases.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ master_seed();
    for b in name.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let mut seed = [0u8; 32];
    for (i, chunk) in seed.chunks_mut(8).enumerate() {
        let word = h.rotate_left(17 * i as u32) ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        chunk.copy_from_slice(&word.to_le_bytes());
    }
    seed
}

// ---------------------------------------------------------------- the practice

/// Who acts in a case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Owner,
    /// Clinician facilitating Steady Ground: Ben's group and client are
    /// someone else's to her.
    Ana,
    /// Clinician facilitating New Roots, supervised by Cara.
    Ben,
    Cara,
    Manager,
    FrontDesk,
}

impl Who {
    pub const ALL: [Who; 6] = [
        Who::Owner,
        Who::Ana,
        Who::Ben,
        Who::Cara,
        Who::Manager,
        Who::FrontDesk,
    ];

    fn username(self) -> &'static str {
        match self {
            Who::Owner => OWNER,
            Who::Ana => "ana",
            Who::Ben => "ben",
            Who::Cara => "cara",
            Who::Manager => crate::notes::MANAGER,
            Who::FrontDesk => FRONT_DESK,
        }
    }
}

/// Ids of the practice's rows, by what they are and whose.
#[derive(Debug, Clone)]
pub struct Ids {
    pub owner: i64,
    pub ana: i64,
    pub ben: i64,
    pub cara: i64,
    pub manager: i64,
    pub front_desk: i64,
    pub room: i64,
    /// Ana's group, eight members, three sessions (the first signed).
    pub steady: i64,
    pub steady_series: i64,
    pub steady_sessions: Vec<i64>,
    pub steady_members: Vec<i64>,
    /// Ben's group: one member, two sessions (a draft on the first).
    pub roots: i64,
    pub roots_series: i64,
    pub roots_sessions: Vec<i64>,
    pub farah: i64,
    /// Cara's open group, one client waiting for a seat.
    pub open_door: i64,
    pub prospect: i64,
    pub enrollments: Vec<i64>,
    pub appointments: Vec<i64>,
    /// Zoë's (Ana's client), then Farah's (Ben's).
    pub goals: Vec<i64>,
    pub consent: i64,
}

impl Ids {
    pub fn staff(&self) -> Vec<i64> {
        vec![
            self.owner,
            self.ana,
            self.ben,
            self.cara,
            self.manager,
            self.front_desk,
        ]
    }

    pub fn clients(&self) -> Vec<i64> {
        let mut all = self.steady_members.clone();
        all.extend([self.farah, self.prospect]);
        all
    }

    pub fn groups(&self) -> Vec<i64> {
        vec![self.steady, self.roots, self.open_door]
    }

    pub fn sessions(&self) -> Vec<i64> {
        let mut all = self.steady_sessions.clone();
        all.extend(&self.roots_sessions);
        all
    }

    pub fn series(&self) -> Vec<i64> {
        vec![self.steady_series, self.roots_series]
    }

    /// Every id of every kind: as a wrong kind of id, each is someone
    /// else's row.
    pub fn every(&self) -> Vec<i64> {
        let mut all = self.staff();
        all.extend(self.clients());
        all.extend(self.groups());
        all.extend(self.sessions());
        all.extend(self.series());
        all.extend(&self.enrollments);
        all.extend(&self.appointments);
        all.extend(&self.goals);
        all.extend([self.room, self.consent]);
        all.sort_unstable();
        all.dedup();
        all
    }

    /// Whether Ana, who facilitates only Steady Ground, is outside her
    /// scope with this session or client.
    pub fn outside_ana(&self, session: Option<i64>, client: Option<i64>) -> bool {
        session.is_some_and(|s| self.roots_sessions.contains(&s)) || client == Some(self.farah)
    }
}

struct Template {
    dir: tempfile::TempDir,
    ids: Ids,
    recovery_code: String,
}

/// The practice, built once while any fuzz test holds it.
fn template() -> Arc<Template> {
    static SHARED: Mutex<Weak<Template>> = Mutex::new(Weak::new());
    let mut shared = SHARED.lock().unwrap_or_else(|p| p.into_inner());
    if let Some(t) = shared.upgrade() {
        return t;
    }
    let t = Arc::new(build_template());
    *shared = Arc::downgrade(&t);
    t
}

fn active(first: &str, last: &str, status: ClientStatus) -> ClientInput {
    ClientInput {
        legal_first_name: first.into(),
        legal_last_name: last.into(),
        status,
        ..ClientInput::default()
    }
}

fn section(key: &str, body: &str) -> SectionText {
    SectionText {
        key: key.into(),
        body: body.into(),
    }
}

/// A folder for a vault: in memory (`/dev/shm`) where there is one. Every
/// commit fsyncs (`synchronous=FULL`), which on a disk is most of what a
/// case costs; what a crash leaves is the crash suite's question, not this
/// one's.
pub fn scratch_dir() -> tempfile::TempDir {
    let shm = std::path::Path::new("/dev/shm");
    if shm.is_dir() {
        if let Ok(dir) = tempfile::Builder::new()
            .prefix("circle-fuzz-")
            .tempdir_in(shm)
        {
            return dir;
        }
    }
    tempfile::tempdir().expect("temp dir")
}

fn build_template() -> Template {
    let _clock = pin_clock(NOW);
    let c = clinic();
    let owner = c.v.owner();
    let ana = c.v.sign_in("ana");
    let ben = c.v.sign_in("ben");
    let manager = c.v.sign_in(crate::notes::MANAGER);
    let front_desk = c.v.sign_in(FRONT_DESK);
    let room = c.steady[0].room_id;
    let steady = c.steady[0].group_id;
    let roots = c.roots[0].group_id;

    let prospect = match clients::create(
        &owner,
        active("Quinn", "Abara", ClientStatus::Prospect),
        true,
    )
    .expect("prospect")
    {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    };
    let open_door = groups::create_group(
        &owner,
        GroupInput {
            name: "Open Door".into(),
            kind: GroupKind::Rolling,
            modality: "Recovery".into(),
            capacity: 1,
            primary_facilitator_id: c.cara,
            co_facilitator_ids: vec![],
            default_room_id: Some(room),
            note_template: NoteTemplate::Soap,
            substance_use: true,
        },
    )
    .expect("open group")
    .id;
    sessions::create_series(
        &owner,
        open_door,
        room,
        RecurrenceInput {
            first_date: "2026-11-26".into(),
            start_time: "10:00".into(),
            duration_minutes: 60,
            pattern: Pattern::Weekly,
            interval_weeks: Some(2),
            nth_week: None,
            weekday: None,
            until_date: Some("2027-01-31".into()),
            count: None,
            timezone: String::new(),
        },
    )
    .expect("open series");
    groups::enroll(
        &owner,
        open_door,
        prospect,
        true,
        "2026-11-26".parse().expect("date"),
    )
    .expect("waitlist");

    // Ana's first session: attendance, a draft, signed. Then a goal and a
    // private note for Zoë.
    let (s1, _) = write_first_session(&c, &ana);
    let revision = session_note::session_note(&ana, s1).expect("note").revision;
    signing::sign(&ana, s1, revision).expect("sign");
    let zoe = c.members["Zoë"];
    let zoe_goal = goals::create_goal(
        &ana,
        zoe,
        GoalInput {
            text: "Sleep seven hours".into(),
            started_on: "2026-11-01".into(),
            target_on: Some("2027-02-01".into()),
            status: GoalStatus::Active,
        },
    )
    .expect("goal")
    .id;
    private::save_private_note(&ana, s1, zoe, "Private thoughts on the session.")
        .expect("private note");

    // Ben's first session: Farah present, a draft waiting to be signed.
    let r1 = c.roots[0].id;
    attendance::record(
        &ben,
        AttendanceInput {
            session_id: r1,
            client_id: c.roots_member,
            status: AttendanceStatus::Present,
            arrived_at: None,
            left_at: None,
        },
    )
    .expect("attendance");
    session_note::save_draft(
        &ben,
        NoteDraftInput {
            session_id: r1,
            revision: 0,
            shared: vec![
                section("topic", "Values"),
                section("interventions", "Card sort"),
            ],
            members: vec![session_note::MemberNoteInput {
                client_id: c.roots_member,
                sections: vec![section("participation", "Engaged.")],
                goal_ratings: vec![],
                risk_level: Some(RiskLevel::None),
                risk_text: String::new(),
            }],
            released: vec![],
        },
    )
    .expect("draft");
    let farah_goal = goals::create_goal(
        &ben,
        c.roots_member,
        GoalInput {
            text: "Return to work".into(),
            started_on: "2026-11-01".into(),
            target_on: None,
            status: GoalStatus::Active,
        },
    )
    .expect("goal")
    .id;
    let consent = circle_core::disclosures::add_consent(
        &ben,
        c.roots_member,
        circle_core::disclosures::ConsentInput {
            recipient: "County Probation".into(),
            purpose: "Attendance reporting".into(),
            scope_from: Some("2026-11-01".into()),
            scope_to: None,
            signed_on: "2026-11-02".into(),
            expires_on: Some("2027-11-01".into()),
        },
    )
    .expect("consent")
    .id;

    // Appointments for the prospect with Ana and for Farah with Ben.
    let book = |s: &SignedIn, client_id, clinician_id, date: &str| {
        appointments::book(
            s,
            AppointmentInput {
                kind: AppointmentKind::Intake,
                client_id,
                clinician_id,
                room_id: room,
                date: date.into(),
                start_time: "09:00".into(),
                duration_minutes: 60,
            },
        )
        .expect("appointment")
        .id
    };
    let appointments = vec![
        book(&front_desk, prospect, c.ana, "2026-11-24"),
        book(&front_desk, c.roots_member, c.ben, "2026-11-25"),
        book(&front_desk, prospect, c.ana, "2026-11-18"),
    ];

    let mut enrollments = Vec::new();
    for group in [steady, roots, open_door] {
        for e in groups::roster(&owner, group).expect("roster") {
            enrollments.push(e.id);
        }
    }
    let mut steady_members: Vec<i64> = c.members.values().copied().collect();
    steady_members.sort_unstable();
    let manager_id = manager.actor().staff_id;
    let front_desk_id = front_desk.actor().staff_id;
    let ids = Ids {
        owner: owner.actor().staff_id,
        ana: c.ana,
        ben: c.ben,
        cara: c.cara,
        manager: manager_id,
        front_desk: front_desk_id,
        room,
        steady,
        steady_series: c.steady[0].series_id.expect("series"),
        steady_sessions: c.steady.iter().map(|s| s.id).collect(),
        steady_members,
        roots,
        roots_series: c.roots[0].series_id.expect("series"),
        roots_sessions: c.roots.iter().map(|s| s.id).collect(),
        farah: c.roots_member,
        open_door,
        prospect,
        enrollments,
        appointments,
        goals: vec![zoe_goal, farah_goal],
        consent,
    };
    for s in [owner, ana, ben, manager, front_desk] {
        s.lock().expect("lock");
    }
    // The TestVault's folder is moved out of it, to live as long as the
    // template; the vault itself is locked and closed.
    let crate::notes::Clinic { v, .. } = c;
    Template {
        dir: v.dir,
        ids,
        recovery_code: v.recovery_code,
    }
}

// ---------------------------------------------------------------- snapshot

/// Every table of both databases and keyring.json, each as its row count
/// and the SHA-256 of its rows (rowid and every column, typed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot(BTreeMap<String, (u64, Vec<u8>)>);

impl Snapshot {
    /// The tables that differ from `other`, with their row counts.
    fn changed(&self, other: &Snapshot, allowed: &[&str]) -> Vec<String> {
        let mut names: Vec<&String> = self.0.keys().chain(other.0.keys()).collect();
        names.sort();
        names.dedup();
        names
            .into_iter()
            .filter(|n| self.0.get(*n) != other.0.get(*n))
            .filter(|n| {
                let table = n.split_once('.').map_or(n.as_str(), |(_, t)| t);
                !allowed.contains(&table)
            })
            .map(|n| {
                let rows = |s: &Snapshot| s.0.get(n).map_or(0, |(r, _)| *r);
                format!("{n} ({} → {} rows)", rows(self), rows(other))
            })
            .collect()
    }
}

/// Two read connections to both databases. `before` holds a read
/// transaction open across each call, so it still sees the tables as they
/// were; `now` sees each commit as it lands, and its `PRAGMA data_version`
/// (which SQLite changes whenever another connection commits to the file)
/// tells whether the call committed anything at all. Only then are the
/// tables hashed, on both connections, and compared table by table: the
/// cost stays flat however large the vault grows (the audit log grows
/// with every read a case makes), which hashing around every case did not.
struct Snapshotter {
    before: Connection,
    now: Connection,
    location: VaultLocation,
    /// (name, SQL) per table, found once.
    queries: Vec<(String, String)>,
}

/// What can change without a commit being seen: keyring.json, and each
/// database's data version.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Marks {
    main: i64,
    clinical: i64,
    keyring: Vec<u8>,
}

impl Snapshotter {
    fn new(v: &TestVault) -> Snapshotter {
        let keys = v.unwrap_as(OWNER, OWNER_PASS);
        let open = || {
            let conn = db::open(&v.location.practice_db_path(), &keys.practice, false)
                .expect("open practice.db");
            db::attach_clinical(
                &conn,
                &v.location.clinical_db_path(),
                keys.clinical
                    .as_ref()
                    .expect("the owner holds the clinical key"),
            )
            .expect("attach clinical.db");
            conn
        };
        let (before, now) = (open(), open());
        let mut queries = Vec::new();
        for schema in ["main", "clinical"] {
            queries.push((
                format!("{schema}.sqlite_master"),
                format!("SELECT type, name, tbl_name, sql FROM {schema}.sqlite_master ORDER BY type, name"),
            ));
            let mut stmt = now
                .prepare(&format!(
                    "SELECT name, sql FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name"
                ))
                .expect("list tables");
            let tables: Vec<(String, String)> = stmt
                .query_map([], |r| {
                    Ok((
                        r.get(0)?,
                        r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                    ))
                })
                .expect("tables")
                .collect::<rusqlite::Result<_>>()
                .expect("tables");
            for (name, sql) in tables {
                // A virtual table's rows live in its shadow tables, which
                // are listed (and hashed) as tables of their own.
                if sql.starts_with("CREATE VIRTUAL TABLE") {
                    continue;
                }
                let with_rowid = format!("SELECT rowid, * FROM {schema}.\"{name}\" ORDER BY rowid");
                let query = if now.prepare(&with_rowid).is_ok() {
                    with_rowid
                } else {
                    // WITHOUT ROWID: a scan is in primary key order.
                    format!("SELECT * FROM {schema}.\"{name}\"")
                };
                queries.push((format!("{schema}.{name}"), query));
            }
        }
        Snapshotter {
            before,
            now,
            location: v.location.clone(),
            queries,
        }
    }

    fn keyring(&self) -> Vec<u8> {
        std::fs::read(self.location.keyring_path()).expect("read keyring.json")
    }

    fn marks(&self) -> Marks {
        let version = |schema: &str| -> i64 {
            self.now
                .query_row(&format!("PRAGMA {schema}.data_version"), [], |r| r.get(0))
                .expect("data_version")
        };
        Marks {
            main: version("main"),
            clinical: version("clinical"),
            keyring: self.keyring(),
        }
    }

    /// Starts `before`'s read transaction: from here it sees both
    /// databases as they stand now, whatever is committed later.
    fn hold(&self) {
        self.before
            .execute_batch(
                "BEGIN;
                 SELECT count(*) FROM main.sqlite_master;
                 SELECT count(*) FROM clinical.sqlite_master;",
            )
            .expect("hold a read snapshot");
    }

    fn release(&self) {
        self.before.execute_batch("COMMIT").expect("end read");
    }

    /// Every table as `conn` sees it (inside its own read transaction when
    /// it is `before`), with `keyring` as keyring.json.
    fn take(&self, conn: &Connection, keyring: &[u8]) -> Snapshot {
        let mut out = BTreeMap::new();
        let own = conn.is_autocommit();
        if own {
            // One read transaction: every table as of one commit.
            conn.execute_batch("BEGIN").expect("begin read");
        }
        for (name, sql) in &self.queries {
            let mut stmt = conn.prepare_cached(sql).expect("prepare snapshot");
            let columns = stmt.column_count();
            let mut digest = ring::digest::Context::new(&ring::digest::SHA256);
            let mut count = 0u64;
            let mut rows = stmt.query([]).expect("query snapshot");
            while let Some(row) = rows.next().expect("row") {
                count += 1;
                for i in 0..columns {
                    match row.get_ref(i).expect("column") {
                        ValueRef::Null => digest.update(b"n"),
                        ValueRef::Integer(v) => {
                            digest.update(b"i");
                            digest.update(&v.to_le_bytes());
                        }
                        ValueRef::Real(v) => {
                            digest.update(b"r");
                            digest.update(&v.to_bits().to_le_bytes());
                        }
                        ValueRef::Text(t) => {
                            digest.update(b"t");
                            digest.update(&(t.len() as u64).to_le_bytes());
                            digest.update(t);
                        }
                        ValueRef::Blob(b) => {
                            digest.update(b"b");
                            digest.update(&(b.len() as u64).to_le_bytes());
                            digest.update(b);
                        }
                    }
                }
            }
            out.insert(name.clone(), (count, digest.finish().as_ref().to_vec()));
        }
        if own {
            conn.execute_batch("COMMIT").expect("end read");
        }
        out.insert(
            "file.keyring.json".into(),
            (
                keyring.len() as u64,
                ring::digest::digest(&ring::digest::SHA256, keyring)
                    .as_ref()
                    .to_vec(),
            ),
        );
        Snapshot(out)
    }
}

// ---------------------------------------------------------------- fixture

/// One test's copy of the practice, its signed-in actors and the tables as
/// they stood after the last case.
pub struct Fx {
    // Fields drop in this order: the sign-ins close before the folder goes.
    actors: Vec<(Who, RefCell<SignedIn>)>,
    snapshotter: Snapshotter,
    pub ids: Ids,
    report: RefCell<Vec<Line>>,
    started: Instant,
    title: &'static str,
    _clock: PinnedClock,
    pub v: TestVault,
}

#[derive(Debug, Default, Clone)]
struct Line {
    command: &'static str,
    cases: u32,
    ok: u32,
    refused: BTreeMap<&'static str, u32>,
    seconds: f64,
    /// Of `seconds`, the time spent in Circle's own code.
    in_calls: f64,
}

impl Fx {
    /// A fresh copy of the practice with everyone signed in. `title`
    /// heads the printed table.
    pub fn new(title: &'static str) -> Fx {
        let clock = pin_clock(NOW);
        let template = template();
        let dir = scratch_dir();
        copy_folder(template.dir.path(), dir.path());
        let location = VaultLocation::at(dir.path());
        let v = TestVault {
            dir,
            location,
            recovery_code: template.recovery_code.clone(),
        };
        let ids = template.ids.clone();
        drop(template);
        let actors = Who::ALL
            .into_iter()
            .map(|who| {
                let s = if who == Who::Owner {
                    v.owner()
                } else {
                    v.sign_in(who.username())
                };
                (who, RefCell::new(s))
            })
            .collect();
        let snapshotter = Snapshotter::new(&v);
        println!(
            "fuzz {title}: seed {} (CIRCLE_FUZZ_SEED to replay), {} cases per command",
            master_seed(),
            cases()
        );
        Fx {
            actors,
            snapshotter,
            ids,
            report: RefCell::new(Vec::new()),
            started: Instant::now(),
            title,
            _clock: clock,
            v,
        }
    }

    pub fn signed(&self, who: Who) -> Ref<'_, SignedIn> {
        self.actor(who).borrow()
    }

    pub fn signed_mut(&self, who: Who) -> RefMut<'_, SignedIn> {
        self.actor(who).borrow_mut()
    }

    fn actor(&self, who: Who) -> &RefCell<SignedIn> {
        &self
            .actors
            .iter()
            .find(|(w, _)| *w == who)
            .expect("every actor is signed in")
            .1
    }

    pub fn command(&self, name: &'static str) -> Command<'_> {
        Command {
            fx: self,
            name,
            cases: cases(),
            may_leave: &[],
            accept: &["invalid", "notFound", "forbidden", "conflict"],
        }
    }
}

impl Drop for Fx {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        let report = self.report.borrow();
        let mut kinds: Vec<&'static str> = report
            .iter()
            .flat_map(|l| l.refused.keys().copied())
            .collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut out = format!("\nfuzz {}: outcome of each case, by command\n", self.title);
        out.push_str(&format!("{:<30} {:>6} {:>6}", "command", "cases", "ok"));
        for k in &kinds {
            out.push_str(&format!(" {k:>15}"));
        }
        out.push_str(&format!(" {:>8} {:>9}\n", "seconds", "in Circle"));
        for l in report.iter() {
            out.push_str(&format!("{:<30} {:>6} {:>6}", l.command, l.cases, l.ok));
            for k in &kinds {
                out.push_str(&format!(" {:>15}", l.refused.get(k).copied().unwrap_or(0)));
            }
            out.push_str(&format!(" {:>8.1} {:>9.1}\n", l.seconds, l.in_calls));
        }
        let total: u32 = report.iter().map(|l| l.cases).sum();
        out.push_str(&format!(
            "{} commands, {total} cases, 0 failures, {:.1} s\n",
            report.len(),
            self.started.elapsed().as_secs_f64()
        ));
        println!("{out}");
    }
}

/// The kind the window would receive for `e` (as the shell's `ErrorKind`),
/// with the backup's own damage told apart.
pub fn kind(e: &Error) -> &'static str {
    #[allow(unreachable_patterns)]
    match e {
        Error::Locked => "locked",
        Error::Forbidden | Error::ForbiddenBecause { .. } | Error::PassphraseChangeRequired => {
            "forbidden"
        }
        Error::NotFound { .. } => "notFound",
        Error::Invalid { .. } => "invalid",
        Error::Conflict { .. } => "conflict",
        Error::WrongPassphrase => "wrongPassphrase",
        Error::RateLimited { .. } => "rateLimited",
        Error::Corrupt { .. } => "corrupt",
        Error::BackupDamaged { .. } => "backupDamaged",
        Error::VaultTooNew { .. } => "vaultTooNew",
        Error::Storage { .. } => "storage",
        Error::Io(_) => "io",
        _ => "other",
    }
}

/// Text that marks PHI in generated input: no error message may echo it.
pub const PHI_MARK: &str = "Quoxqa";

/// One command's fuzz run.
pub struct Command<'f> {
    fx: &'f Fx,
    name: &'static str,
    cases: u32,
    may_leave: &'static [&'static str],
    accept: &'static [&'static str],
}

impl Command<'_> {
    pub fn cases(mut self, cases: u32) -> Self {
        self.cases = cases;
        self
    }

    /// Tables a refusal of this command may change (and only these).
    pub fn may_leave(mut self, tables: &'static [&'static str]) -> Self {
        self.may_leave = tables;
        self
    }

    /// The error kinds a refusal may have (default: invalid, notFound,
    /// forbidden, conflict).
    pub fn accept(mut self, kinds: &'static [&'static str]) -> Self {
        self.accept = kinds;
        self
    }

    /// Runs the cases: `call` does what the command does with one input and
    /// says whether it succeeded.
    pub fn run<S>(self, strategy: S, call: impl Fn(&Fx, S::Value) -> Result<(), Error>)
    where
        S: Strategy,
        S::Value: Clone,
    {
        let fx = self.fx;
        let started = Instant::now();
        let line = RefCell::new(Line {
            command: self.name,
            ..Line::default()
        });
        let config = Config {
            cases: self.cases,
            failure_persistence: None,
            max_shrink_iters: 256,
            ..Config::default()
        };
        let mut runner = TestRunner::new_with_rng(
            config,
            TestRng::from_seed(RngAlgorithm::ChaCha, &seed_of(self.name)),
        );
        let outcome = runner.run(&strategy, |value| {
            let snap = &fx.snapshotter;
            let marks = snap.marks();
            snap.hold();
            let called = Instant::now();
            let result = catch_unwind(AssertUnwindSafe(|| call(fx, value)));
            let in_call = called.elapsed().as_secs_f64();
            // Whether anything was committed (or keyring.json rewritten)
            // during the call; if so, the tables before and after, with
            // `before` still inside its read transaction.
            let changed = |allowed: &[&str]| -> Vec<String> {
                let after = snap.marks();
                if after == marks {
                    return Vec::new();
                }
                let before = snap.take(&snap.before, &marks.keyring);
                let now = snap.take(&snap.now, &after.keyring);
                let changed = before.changed(&now, allowed);
                if changed.is_empty() && (after.main, after.clinical) != (marks.main, marks.clinical) {
                    // Committed, but nothing differs: not a change.
                    return Vec::new();
                }
                changed
            };
            let changed = if matches!(result, Ok(Err(_))) {
                changed(self.may_leave)
            } else {
                Vec::new()
            };
            snap.release();
            let mut l = line.borrow_mut();
            l.cases += 1;
            l.in_calls += in_call;
            let result = match result {
                Ok(result) => result,
                Err(panic) => {
                    let message = panic
                        .downcast_ref::<String>()
                        .cloned()
                        .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                        .unwrap_or_default();
                    *l.refused.entry("panic").or_default() += 1;
                    return Err(TestCaseError::fail(format!("panicked: {message}")));
                }
            };
            let e = match result {
                Ok(()) => {
                    l.ok += 1;
                    return Ok(());
                }
                Err(e) => e,
            };
            let k = kind(&e);
            *l.refused.entry(k).or_default() += 1;
            let message = e.to_string();
            if !self.accept.contains(&k) {
                return Err(TestCaseError::fail(format!(
                    "refused as {k} (\"{message}\", {e:?}), which tells the person something is wrong with the vault or a file; expected one of {:?}",
                    self.accept
                )));
            }
            if let Error::Invalid { field, .. } = &e {
                if field.trim().is_empty() {
                    return Err(TestCaseError::fail(format!(
                        "invalid with no field to highlight: \"{message}\""
                    )));
                }
            }
            if message.trim().is_empty() || message.contains(PHI_MARK) {
                return Err(TestCaseError::fail(format!(
                    "the message shown is empty or repeats what was typed: \"{message}\""
                )));
            }
            if !changed.is_empty() {
                return Err(TestCaseError::fail(format!(
                    "refused as {k} (\"{message}\") yet changed {changed:?}"
                )));
            }
            Ok(())
        });
        let mut l = line.into_inner();
        l.seconds = started.elapsed().as_secs_f64();
        println!(
            "  {:<30} {:>6} cases {:>6} ok {:?} {:.1} s ({:.1} s in Circle)",
            l.command, l.cases, l.ok, l.refused, l.seconds, l.in_calls
        );
        fx.report.borrow_mut().push(l);
        match outcome {
            Ok(()) => {}
            Err(TestError::Fail(reason, value)) => panic!(
                "{}: {reason}\nminimal input: {value:#?}\n(seed {}; CIRCLE_FUZZ_SEED={} replays it)",
                self.name,
                master_seed(),
                master_seed()
            ),
            Err(TestError::Abort(reason)) => panic!("{}: aborted: {reason}", self.name),
        }
    }
}
