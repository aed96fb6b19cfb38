//! Full disk and unwritable folder (issue 16, suite 2, circle-core's half).
//!
//! Each write path a person uses — save a draft, sign it, book an
//! appointment, add a staff member, back up — runs in a child process (this
//! test binary started again on `child`, told what to do by
//! `CIRCLE_FULL_DISK_CHILD`): the child signs in, takes the disk away, and
//! makes the write. Two ways of taking it away:
//!
//! * **Full disk**: `setrlimit(RLIMIT_FSIZE)` with SIGXFSZ ignored, so a
//!   write past the limit fails with EFBIG (SQLite: SQLITE_IOERR_WRITE,
//!   after a short write at an unaligned limit) instead of killing the
//!   process. Two limits: 0 (not one byte more anywhere) and 4,097 bytes
//!   (a file may grow to one page and a byte, then no further), which also
//!   lets small files such as keyring.json be written while the databases
//!   cannot.
//! * **Read-only folder**: the vault folder and its files lose their write
//!   bits. Root ignores those (CAP_DAC_OVERRIDE), so when the tests run as
//!   root the child is started with CAP_DAC_OVERRIDE and
//!   CAP_DAC_READ_SEARCH dropped from its bounding set (as
//!   `setpriv --bounding-set -dac_override,-dac_read_search` would): it is
//!   still root, owns the files, but is held to their modes like anyone
//!   else. The child proves the folder really refuses it (a probe file
//!   cannot be made) before it writes. Connections opened before the
//!   folder turned read-only keep writing to their files (Unix checks
//!   permission at open), so SQLite-only writes still save; what needs a
//!   new file (keyring.json's atomic rewrite, a backup's staging folder)
//!   is refused. And a sign-in into a folder that is read-only from the
//!   start is refused in those words too, not as a damaged vault.
//!
//! For every run: a refusal is `Error::Io` whose message is
//! [`circle_core::error::DISK_FULL`] or [`circle_core::error::NOT_WRITABLE`]
//! (never "database is locked", never a raw SQLite code, never "damaged");
//! nothing of the refused write is visible once the disk is back; the same
//! write then succeeds (what was typed can still be saved); the session
//! locks normally; and the vault opens and `verify` finds nothing.

#![cfg(unix)]

use std::io::Write as _;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use circle_core::accounts::{self, NewStaff};
use circle_core::backup;
use circle_core::error::{DISK_FULL, NOT_WRITABLE};
use circle_core::integrity;
use circle_core::notes::session_note::{self, NoteStatus};
use circle_core::notes::signing;
use circle_core::roles::Role;
use circle_core::schedule::appointments::{self, AppointmentInput, AppointmentKind};
use circle_core::signed_in::SignedIn;
use circle_core::signin;
use circle_core::vault::keyring::Keyring;
use circle_core::vault::location::VaultLocation;
use circle_core::vault::secret::Passphrase;
use circle_core::Error;

use crate::common::*;
use crate::notes::{clinic, write_first_session};

const CHILD: &str = "CIRCLE_FULL_DISK_CHILD";
const DIR: &str = "CIRCLE_FULL_DISK_DIR";
const OUTCOME: &str = "FULL-DISK-OUTCOME";
const NEWCOMER: &str = "newcomer";
/// Ana's passphrase after she changes it.
const NEW_PASS: &str = "saffron glacier mosaic quiver";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum WritePath {
    SaveDraft,
    Sign,
    Book,
    AddStaff,
    Backup,
    /// Ana changes her own passphrase.
    ChangePassphrase,
    /// Sign-in itself, into a folder read-only from the start.
    SignIn,
}

impl WritePath {
    const ALL: [WritePath; 6] = [
        WritePath::SaveDraft,
        WritePath::Sign,
        WritePath::Book,
        WritePath::AddStaff,
        WritePath::Backup,
        WritePath::ChangePassphrase,
    ];

    fn name(self) -> &'static str {
        match self {
            WritePath::SaveDraft => "save-draft",
            WritePath::Sign => "sign",
            WritePath::Book => "book",
            WritePath::AddStaff => "add-staff",
            WritePath::Backup => "backup",
            WritePath::ChangePassphrase => "passphrase",
            WritePath::SignIn => "sign-in",
        }
    }

    fn parse(s: &str) -> WritePath {
        *[
            WritePath::SaveDraft,
            WritePath::Sign,
            WritePath::Book,
            WritePath::AddStaff,
            WritePath::Backup,
            WritePath::ChangePassphrase,
            WritePath::SignIn,
        ]
        .iter()
        .find(|p| p.name() == s)
        .expect("a write path")
    }

    /// Who makes this write.
    fn login(self) -> (&'static str, &'static str) {
        match self {
            WritePath::SaveDraft | WritePath::Sign | WritePath::ChangePassphrase => {
                ("ana", INITIAL_PASS)
            }
            WritePath::Book => (FRONT_DESK, INITIAL_PASS),
            WritePath::AddStaff | WritePath::Backup | WritePath::SignIn => (OWNER, OWNER_PASS),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    FileSize(u64),
    ReadOnly,
}

impl Limit {
    fn name(self) -> String {
        match self {
            Limit::FileSize(n) => format!("fsize-{n}"),
            Limit::ReadOnly => "read-only".to_owned(),
        }
    }

    fn parse(s: &str) -> Limit {
        match s.strip_prefix("fsize-") {
            Some(n) => Limit::FileSize(n.parse().expect("a size")),
            None => Limit::ReadOnly,
        }
    }
}

// ---------------------------------------------------------------- the practice

/// The vault every run copies: Steady Ground's first session with Ana's
/// draft (revision 1), a prospect with no appointment, locked.
struct Fixture {
    template: tempfile::TempDir,
    session: i64,
    prospect: i64,
    clinician: i64,
    room: i64,
}

fn fixture() -> Fixture {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (session, _) = write_first_session(&c, &ana);
    ana.lock().expect("lock");
    let owner = c.v.owner();
    let prospect = crate::notes::client_for_tests(&owner, "Quinn", "Abara");
    owner.lock().expect("lock");
    let room = c.steady[0].room_id;
    let clinician = c.ana;
    let crate::notes::Clinic { v, .. } = c;
    Fixture {
        template: v.dir,
        session,
        prospect,
        clinician,
        room,
    }
}

/// One run's folders: `vault/` (a copy of the fixture) and `backups/`.
fn run_folder(f: &Fixture) -> tempfile::TempDir {
    let run = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir(run.path().join("vault")).expect("vault folder");
    std::fs::create_dir(run.path().join("backups")).expect("backup folder");
    copy_folder(f.template.path(), &run.path().join("vault"));
    run
}

// ---------------------------------------------------------------- the child

/// What the child saw, one line per step, for the parent to check.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Outcome {
    /// The write with the disk taken away: None when it was saved.
    refused: Option<Refusal>,
    /// The write's effect, read back once the disk was back (before the
    /// retry): "none" when nothing of it shows.
    after_refusal: String,
    /// The same write again with the disk back: None when it was saved.
    retry: Option<Refusal>,
    /// Locking at the end: None when it worked.
    lock: Option<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Refusal {
    /// As the window's `kind` would read.
    kind: String,
    message: String,
    /// Rust's view of the error (the I/O error kind and SQLite's words),
    /// for the printed table.
    debug: String,
}

fn refusal(e: &Error) -> Refusal {
    Refusal {
        kind: kind_of(e).to_owned(),
        message: e.to_string(),
        debug: match e {
            Error::Io(io) => format!("{:?}: {io}", io.kind()),
            other => format!("{other:?}"),
        },
    }
}

/// The kind the window receives for `e` (the shell's `ErrorKind`).
fn kind_of(e: &Error) -> &'static str {
    match e {
        Error::Io(_) => "io",
        Error::Storage { .. } => "storage",
        Error::Corrupt { .. } | Error::BackupDamaged { .. } => "corrupt",
        Error::Conflict { .. } => "conflict",
        Error::Invalid { .. } => "invalid",
        Error::NotFound { .. } => "notFound",
        _ => "other",
    }
}

struct Ids {
    session: i64,
    prospect: i64,
    clinician: i64,
    room: i64,
}

fn ids_from_env() -> Ids {
    let get = |k: &str| -> i64 {
        std::env::var(k)
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or_else(|| panic!("{k} in the environment"))
    };
    Ids {
        session: get("CIRCLE_FULL_DISK_SESSION"),
        prospect: get("CIRCLE_FULL_DISK_PROSPECT"),
        clinician: get("CIRCLE_FULL_DISK_CLINICIAN"),
        room: get("CIRCLE_FULL_DISK_ROOM"),
    }
}

/// Makes the write; Err when it was refused (a backup that was not written
/// counts as refused, with the words Settings would show).
fn write(path: WritePath, s: &mut SignedIn, ids: &Ids, run: &Path) -> Result<(), Error> {
    match path {
        WritePath::ChangePassphrase => {
            accounts::change_own_passphrase(s, &pass(INITIAL_PASS), &pass(NEW_PASS))
        }
        WritePath::SaveDraft => {
            let note = session_note::session_note(s, ids.session)?;
            let mut draft = session_note::NoteDraftInput {
                session_id: ids.session,
                revision: note.revision,
                shared: note.shared.clone(),
                members: Vec::new(),
                released: Vec::new(),
            };
            draft.shared[0]
                .body
                .push_str(" Typed while the disk was full.");
            session_note::save_draft(s, draft).map(drop)
        }
        WritePath::Sign => {
            let revision = session_note::session_note(s, ids.session)?.revision;
            signing::sign(s, ids.session, revision).map(drop)
        }
        WritePath::Book => appointments::book(
            s,
            AppointmentInput {
                kind: AppointmentKind::Intake,
                client_id: ids.prospect,
                clinician_id: ids.clinician,
                room_id: ids.room,
                date: "2026-12-01".into(),
                start_time: "10:00".into(),
                duration_minutes: 60,
            },
        )
        .map(drop),
        WritePath::AddStaff => accounts::add(
            s,
            NewStaff {
                username: NEWCOMER.into(),
                full_name: "Nia Okonjo".into(),
                role: Role::Clinician,
                initial_passphrase: Passphrase::new(ASSIGNED_PASS),
            },
        )
        .map(drop),
        WritePath::Backup => {
            // As `backup_now` runs it: prepare, run, record.
            let prepared = backup::prepare(s, Some(&run.join("backups")))?;
            let finished = prepared.run(&mut |_| {});
            let recorded = backup::record(s, &finished)?;
            if recorded.ok {
                Ok(())
            } else {
                Err(Error::Conflict {
                    message: recorded.message.unwrap_or_default(),
                })
            }
        }
        WritePath::SignIn => unreachable!("sign-in is tried on its own"),
    }
}

/// The write's effect as it stands: "none", or what shows.
fn effect(path: WritePath, s: &SignedIn, ids: &Ids, run: &Path) -> String {
    match path {
        WritePath::SaveDraft => {
            let note = session_note::session_note(s, ids.session).expect("note");
            let typed = note
                .shared
                .iter()
                .any(|sec| sec.body.contains("Typed while the disk was full."));
            if note.revision == 1 && !typed {
                "none".into()
            } else {
                format!("revision {} typed {typed}", note.revision)
            }
        }
        WritePath::Sign => match session_note::session_note(s, ids.session)
            .expect("note")
            .status
        {
            NoteStatus::Draft => "none".into(),
            other => format!("{other:?}"),
        },
        WritePath::Book => {
            let n = appointments::appointments_of_client(s, ids.prospect)
                .expect("appointments")
                .len();
            if n == 0 {
                "none".into()
            } else {
                format!("{n} appointments")
            }
        }
        WritePath::AddStaff => {
            let listed = accounts::list(s)
                .expect("staff")
                .iter()
                .any(|m| m.username == NEWCOMER);
            let keyring = Keyring::load(&s.location().keyring_path()).expect("keyring");
            let has_login = keyring.entry(NEWCOMER).is_some();
            if !listed && !has_login {
                "none".into()
            } else {
                format!("listed {listed}, login in keyring.json {has_login}")
            }
        }
        WritePath::Backup => {
            let backups = files(&run.join("backups"));
            let staging: Vec<String> = files(s.location().dir())
                .into_iter()
                .filter(|n| n.starts_with(".backup-"))
                .collect();
            if backups.is_empty() && staging.is_empty() {
                "none".into()
            } else {
                format!("backups {backups:?}, staging left {staging:?}")
            }
        }
        WritePath::ChangePassphrase => {
            let mut keyring = Keyring::load(&s.location().keyring_path()).expect("keyring");
            let entry = keyring.entry_mut("ana").expect("Ana's login");
            let login = circle_core::vault::keyring::login_id("ana");
            let old = entry.keys.clone().open(&pass(INITIAL_PASS), &login).is_ok();
            let new = entry.keys.open(&pass(NEW_PASS), &login).is_ok();
            match (old, new) {
                (true, false) => "none".into(),
                (old, new) => format!("old opens {old}, new opens {new}"),
            }
        }
        WritePath::SignIn => "none".into(),
    }
}

fn files(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

fn set_file_size_limit(bytes: libc::rlim_t) {
    let limit = libc::rlimit {
        rlim_cur: bytes,
        rlim_max: libc::RLIM_INFINITY,
    };
    // SAFETY: plain system calls on this (child) process, with a valid
    // pointer to a local struct.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
        assert_eq!(libc::setrlimit(libc::RLIMIT_FSIZE, &limit), 0, "setrlimit");
    }
}

/// The vault folder and its files lose (or regain) their write bits.
fn set_read_only(dir: &Path, read_only: bool) {
    for name in files(dir) {
        let path = dir.join(name);
        if path.is_file() {
            let mode = if read_only { 0o400 } else { 0o600 };
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode))
                .expect("chmod file");
        }
    }
    let mode = if read_only { 0o500 } else { 0o700 };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).expect("chmod folder");
}

/// Whether this process can still make a file in `dir`.
fn can_write_in(dir: &Path) -> bool {
    let probe = dir.join(".probe");
    let made = std::fs::File::create(&probe).is_ok();
    let _ = std::fs::remove_file(&probe);
    made
}

fn report(outcome: &Outcome) {
    let line = serde_json::to_string(outcome).expect("json");
    let mut out = std::io::stdout().lock();
    writeln!(out, "{OUTCOME}\t{line}").expect("stdout");
    out.flush().expect("flush");
}

/// Runs in the child only (`CIRCLE_FULL_DISK_CHILD` set by the parent
/// tests below); ignored in a normal run.
#[test]
#[ignore = "the full_disk tests run it in a child process"]
fn child() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (path, limit) = spec.split_once(':').expect("path:limit");
    let (path, limit) = (WritePath::parse(path), Limit::parse(limit));
    let run = PathBuf::from(std::env::var(DIR).expect("run folder"));
    let location = VaultLocation::at(run.join("vault"));
    let (username, passphrase) = path.login();
    let _clock = pin_clock("2026-11-20T12:00:00Z");

    if path == WritePath::SignIn {
        set_read_only(location.dir(), true);
        assert!(
            !can_write_in(location.dir()),
            "could not make the vault folder read-only for this process"
        );
        let refused = signin::unlock(&location, username, &pass(passphrase))
            .err()
            .map(|e| refusal(&e));
        set_read_only(location.dir(), false);
        let retry = match signin::unlock(&location, username, &pass(passphrase)) {
            Ok(s) => {
                let lock = s.lock().err().map(|e| e.to_string());
                report(&Outcome {
                    refused,
                    after_refusal: "none".into(),
                    retry: None,
                    lock,
                });
                std::process::exit(0);
            }
            Err(e) => Some(refusal(&e)),
        };
        report(&Outcome {
            refused,
            after_refusal: "none".into(),
            retry,
            lock: None,
        });
        std::process::exit(0);
    }

    let ids = ids_from_env();
    let mut s = signin::unlock(&location, username, &pass(passphrase)).expect("sign in");
    match limit {
        Limit::FileSize(n) => set_file_size_limit(n),
        Limit::ReadOnly => {
            set_read_only(location.dir(), true);
            assert!(
                !can_write_in(location.dir()),
                "could not make the vault folder read-only for this process"
            );
        }
    }
    let refused = write(path, &mut s, &ids, &run).err().map(|e| refusal(&e));
    match limit {
        Limit::FileSize(_) => set_file_size_limit(libc::RLIM_INFINITY),
        Limit::ReadOnly => set_read_only(location.dir(), false),
    }
    let after_refusal = effect(path, &s, &ids, &run);
    let retry = if refused.is_some() {
        write(path, &mut s, &ids, &run).err().map(|e| refusal(&e))
    } else {
        None
    };
    let lock = s.lock().err().map(|e| e.to_string());
    report(&Outcome {
        refused,
        after_refusal,
        retry,
        lock,
    });
    std::process::exit(0);
}

// ---------------------------------------------------------------- the parent

fn run_child(f: &Fixture, run: &Path, path: WritePath, limit: Limit) -> Outcome {
    let exe = std::env::current_exe().expect("test binary");
    let mut cmd = Command::new(exe);
    cmd.args([
        "--exact",
        "full_disk::child",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ])
    .env(CHILD, format!("{}:{}", path.name(), limit.name()))
    .env(DIR, run)
    .env("CIRCLE_FULL_DISK_SESSION", f.session.to_string())
    .env("CIRCLE_FULL_DISK_PROSPECT", f.prospect.to_string())
    .env("CIRCLE_FULL_DISK_CLINICIAN", f.clinician.to_string())
    .env("CIRCLE_FULL_DISK_ROOM", f.room.to_string());
    // SAFETY: getuid cannot fail.
    let root = unsafe { libc::getuid() } == 0;
    #[cfg(target_os = "linux")]
    if limit == Limit::ReadOnly && root {
        // linux/capability.h
        const CAP_DAC_OVERRIDE: libc::c_ulong = 1;
        const CAP_DAC_READ_SEARCH: libc::c_ulong = 2;
        // SAFETY: prctl between fork and exec, touching no memory of the
        // parent; an error is returned through io::Error.
        unsafe {
            cmd.pre_exec(|| {
                for cap in [CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH] {
                    if libc::prctl(libc::PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 {
                        return Err(std::io::Error::last_os_error());
                    }
                }
                Ok(())
            });
        }
    }
    let out = cmd.output().expect("start the child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.split_once(OUTCOME).map(|(_, json)| json.trim()))
        .unwrap_or_else(|| {
            panic!(
                "{} under {}: the child reported nothing\nstdout:\n{stdout}\nstderr:\n{}",
                path.name(),
                limit.name(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
    serde_json::from_str(line).expect("the child's outcome")
}

/// The words of a refusal: the disk is full, or the folder cannot be
/// written; said as an I/O error, never as damage or a busy database.
fn assert_says_why(what: &str, r: &Refusal, expected: &str, backup: bool) {
    for wrong in [
        "database is locked",
        "SQLITE",
        "sqlite",
        "damaged",
        "(os error",
    ] {
        assert!(!r.message.contains(wrong), "{what}: {:?}", r.message);
    }
    if backup && r.kind == "conflict" {
        // A backup not written is a run with a message (Settings shows it).
        let says = if expected == DISK_FULL {
            "is full"
        } else {
            "may not write"
        };
        assert!(r.message.contains(says), "{what}: {:?}", r.message);
    } else {
        assert_eq!(r.kind, "io", "{what}: {r:?}");
        assert_eq!(r.message, expected, "{what}: {r:?}");
    }
}

/// What the person sees and what the vault holds afterwards, checked.
fn check(f: &Fixture, run: &Path, path: WritePath, limit: Limit, o: &Outcome) {
    let what = format!("{} under {}", path.name(), limit.name());
    let expected = match limit {
        Limit::FileSize(_) => DISK_FULL,
        Limit::ReadOnly => NOT_WRITABLE,
    };
    match (&o.refused, limit) {
        (Some(r), _) => {
            assert_says_why(&what, r, expected, path == WritePath::Backup);
            assert_eq!(
                o.after_refusal, "none",
                "{what}: a refused write left a trace"
            );
            assert!(
                o.retry.is_none(),
                "{what}: with the disk back, it still failed: {:?}",
                o.retry
            );
        }
        (None, Limit::FileSize(_)) => panic!("{what}: a write went through a full disk"),
        // Saved through files opened before the folder turned read-only.
        (None, Limit::ReadOnly) => {}
    }
    assert!(
        o.lock.is_none(),
        "{what}: locking afterwards failed: {:?}",
        o.lock
    );

    // The vault opens, verifies, and holds the write exactly once.
    let v = TestVault {
        dir: tempfile::tempdir().expect("unused"),
        location: VaultLocation::at(run.join("vault")),
        recovery_code: String::new(),
    };
    let owner = v.owner();
    let report = integrity::verify(&owner).expect("verify");
    assert!(report.findings.is_empty(), "{what}: {:?}", report.findings);
    let ids = Ids {
        session: f.session,
        prospect: f.prospect,
        clinician: f.clinician,
        room: f.room,
    };
    let held = effect(path, &owner, &ids, run);
    let expected_effect = match path {
        WritePath::SaveDraft => "revision 2 typed true",
        WritePath::Sign => "Signed",
        WritePath::Book => "1 appointments",
        WritePath::AddStaff => "listed true, login in keyring.json true",
        WritePath::Backup => "",
        WritePath::ChangePassphrase => "old opens false, new opens true",
        WritePath::SignIn => "none",
    };
    if path == WritePath::Backup {
        assert!(
            held.starts_with("backups [") && held.ends_with("staging left []"),
            "{what}: {held}"
        );
        assert_eq!(
            files(&run.join("backups"))
                .iter()
                .filter(|n| n.ends_with(".circlebackup"))
                .count(),
            1,
            "{what}: {held}"
        );
    } else {
        assert_eq!(held, expected_effect, "{what}");
    }
    owner.lock().expect("lock");
}

fn print_table(rows: &[(WritePath, Limit, Outcome)]) {
    let mut out = String::from("\nfull disk and unwritable folder: what each write path said\n");
    out.push_str(&format!(
        "{:<11} {:<11} {:<10} {:<60} {}\n",
        "write", "taken away", "kind", "message (first 60 chars)", "cause"
    ));
    for (path, limit, o) in rows {
        let (kind, message, cause) = match &o.refused {
            Some(r) => (
                r.kind.as_str(),
                r.message.chars().take(60).collect::<String>(),
                r.debug.as_str(),
            ),
            None => ("saved", String::new(), "(written through open files)"),
        };
        out.push_str(&format!(
            "{:<11} {:<11} {:<10} {:<60} {}\n",
            path.name(),
            limit.name(),
            kind,
            message,
            cause
        ));
    }
    println!("{out}");
}

#[test]
fn a_full_disk_refuses_each_write_in_words_that_say_so_and_the_vault_stays_whole() {
    let f = fixture();
    let mut rows = Vec::new();
    // A third limit lets keyring.json be rewritten with one more login
    // while the databases' write-ahead logs (already longer) cannot grow.
    let keyring = std::fs::metadata(f.template.path().join("keyring.json"))
        .expect("keyring.json")
        .len();
    for limit in [
        Limit::FileSize(0),
        Limit::FileSize(4097),
        Limit::FileSize(keyring + 2048),
    ] {
        for path in WritePath::ALL {
            let run = run_folder(&f);
            let outcome = run_child(&f, run.path(), path, limit);
            check(&f, run.path(), path, limit, &outcome);
            rows.push((path, limit, outcome));
        }
    }
    print_table(&rows);
}

#[test]
fn a_read_only_vault_folder_refuses_in_words_that_say_so_and_the_vault_stays_whole() {
    let f = fixture();
    let mut rows = Vec::new();
    for path in WritePath::ALL.into_iter().chain([WritePath::SignIn]) {
        let run = run_folder(&f);
        let outcome = run_child(&f, run.path(), path, Limit::ReadOnly);
        // A write may fail only in place of a later one: put the modes
        // back before anything else looks (the child does too).
        set_read_only(&run.path().join("vault"), false);
        check(&f, run.path(), path, Limit::ReadOnly, &outcome);
        if path == WritePath::SignIn {
            assert!(
                outcome.refused.is_some(),
                "a sign-in wrote into a read-only folder"
            );
        }
        rows.push((path, Limit::ReadOnly, outcome));
    }
    print_table(&rows);
}

/// A staff member the disk was too full to add left their login in
/// keyring.json (written before practice.db's commit failed): `verify`
/// then reported a login practice.db did not know, and adding them again
/// once there was room said "That username is taken".
#[test]
fn a_login_left_by_an_add_the_disk_refused_does_not_take_the_username() {
    let v = new_vault();
    // The state such an add left: a keyring entry with no staff row.
    let mut keyring = v.keyring();
    let mut orphan = keyring.entry(OWNER).expect("owner").clone();
    orphan.username = NEWCOMER.into();
    keyring.entries.push(orphan);
    keyring.save(&v.location.keyring_path()).expect("save");

    let owner = v.owner();
    let added = accounts::add(
        &owner,
        NewStaff {
            username: NEWCOMER.into(),
            full_name: "Nia Okonjo".into(),
            role: Role::Clinician,
            initial_passphrase: pass(ASSIGNED_PASS),
        },
    )
    .expect("the name is free");
    assert_eq!(added.username, NEWCOMER);
    assert_eq!(
        v.keyring()
            .entries
            .iter()
            .filter(|e| e.username == NEWCOMER)
            .count(),
        1
    );
    let report = integrity::verify(&owner).expect("verify");
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    owner.lock().expect("lock");
    // The new login is theirs: it opens with what the administrator gave.
    signin::unlock(&v.location, NEWCOMER, &pass(ASSIGNED_PASS)).expect("their login");
}

/// A passphrase change the disk refused after keyring.json was written
/// (practice.db's commit failed) reported the failure, yet the new
/// passphrase was the one in force: the person would sign in next with the
/// old one and be told it was wrong. The same held for every keyring
/// change (adding staff, a reset, a role, a new recovery code).
#[test]
fn a_passphrase_change_the_disk_refused_leaves_the_old_passphrase_in_force() {
    let f = fixture();
    let keyring = std::fs::metadata(f.template.path().join("keyring.json"))
        .expect("keyring.json")
        .len();
    let run = run_folder(&f);
    let limit = Limit::FileSize(keyring + 2048);
    let outcome = run_child(&f, run.path(), WritePath::ChangePassphrase, limit);
    let refused = outcome.refused.as_ref().expect("refused");
    assert_eq!(refused.message, DISK_FULL);
    // keyring.json was rewritten; the commit after it was what failed.
    assert!(refused.debug.starts_with("StorageFull"), "{refused:?}");
    assert_eq!(outcome.after_refusal, "none");
    check(&f, run.path(), WritePath::ChangePassphrase, limit, &outcome);
}
