//! Suite 6 of issue 16, two writers: `circle-admin` adds staff and runs
//! verify while a clinician signed in in this process (one connection held
//! open, as the app holds it) saves a note's draft in a loop on another
//! thread, moving the audit anchor after each save as the shell does. Both
//! succeed, each waiting its turn (SQLite's busy timeout, the vault lock
//! around keyring.json), and no "database is locked", nor the storage error
//! it would turn into, reaches a person on either side.

use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc};

use circle_core::accounts;
use circle_core::integrity;
use circle_core::notes::session_note;
use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};

use crate::common::*;
use crate::crash::{build_practice, draft_for};

/// The roles the CLI gives the people it adds, in turn.
const ROLES: [&str; 4] = ["clinician", "front-desk", "manager", "supervisor"];

/// How many people the CLI adds, with a verify after each: 3, or 25 with
/// `CIRCLE_STRESS=1`.
fn additions() -> usize {
    if std::env::var("CIRCLE_STRESS").is_ok_and(|v| v == "1") {
        25
    } else {
        3
    }
}

fn admin(vault: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_circle-admin"))
        .arg("--vault")
        .arg(vault)
        .args(["--user", OWNER])
        .args(args)
        .env("CIRCLE_PASSPHRASE", OWNER_PASS)
        .env("CIRCLE_NEW_PASSPHRASE", ASSIGNED_PASS)
        .output()
        .expect("run circle-admin")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// What a person must never be shown for a busy database: SQLite's words,
/// or the generic storage failure Circle turns them into.
fn says_busy(message: &str) -> bool {
    let lower = message.to_lowercase();
    lower.contains("database is locked")
        || lower.contains("database is busy")
        || lower.contains("could not read or write its vault")
}

#[test]
fn circle_admin_adds_staff_and_verifies_while_the_app_saves_drafts() {
    let practice = build_practice(3);
    let v = &practice.v;
    let session = practice.groups[0].1[0];
    {
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
        owner.lock().expect("lock");
    }

    // The app: the clinician signed in, autosaving the note until told to stop.
    let mut app = v.sign_in(CLINICIAN);
    let stop = Arc::new(AtomicBool::new(false));
    let admin_running = Arc::new(AtomicBool::new(false));
    let saves_during_admin = Arc::new(AtomicU64::new(0));
    let (first_save, first_saved) = mpsc::channel();
    let autosave = {
        let stop = Arc::clone(&stop);
        let admin_running = Arc::clone(&admin_running);
        let saves_during_admin = Arc::clone(&saves_during_admin);
        std::thread::spawn(move || {
            let mut view = session_note::session_note(&app, session).expect("open the note");
            let mut saves = 0u64;
            let mut errors: Vec<String> = Vec::new();
            while !stop.load(Ordering::SeqCst) {
                let during = admin_running.load(Ordering::SeqCst);
                match session_note::save_draft(&app, draft_for(&view, &format!("s{saves}"))) {
                    Ok(saved) => {
                        view.revision = saved.revision;
                        saves += 1;
                        if during && admin_running.load(Ordering::SeqCst) {
                            saves_during_admin.fetch_add(1, Ordering::SeqCst);
                        }
                    }
                    Err(e) => errors.push(format!("save: {e} ({e:?})")),
                }
                // As the shell does after every command; a failure here is
                // only logged by the app, but it must not happen either.
                if let Err(e) = app.anchor_audit() {
                    errors.push(format!("anchor: {e} ({e:?})"));
                }
                if saves == 1 {
                    let _ = first_save.send(());
                }
                if errors.len() > 20 {
                    break;
                }
            }
            if let Err(e) = app.lock() {
                errors.push(format!("lock: {e} ({e:?})"));
            }
            (saves, errors)
        })
    };
    first_saved
        .recv()
        .expect("the app saved its first draft (else see its errors below)");

    // The administrator, meanwhile, at a terminal.
    let added: Vec<(String, &str)> = (0..additions())
        .map(|i| (format!("colleague{i}"), ROLES[i % ROLES.len()]))
        .collect();
    let mut admin_outputs = Vec::new();
    for (username, role) in &added {
        for args in [
            vec![
                "staff",
                "add",
                username.as_str(),
                "--name",
                "Robin Ashford",
                "--role",
                role,
            ],
            vec!["verify"],
        ] {
            admin_running.store(true, Ordering::SeqCst);
            let out = admin(v.dir.path(), &args);
            admin_running.store(false, Ordering::SeqCst);
            admin_outputs.push((args.join(" "), out));
        }
    }
    stop.store(true, Ordering::SeqCst);
    let (saves, errors) = autosave.join().expect("the autosave thread");

    let during = saves_during_admin.load(Ordering::SeqCst);
    println!(
        "two writers: {} circle-admin commands, {saves} drafts saved ({during} while circle-admin ran), {} errors",
        admin_outputs.len(),
        errors.len()
    );
    assert!(errors.is_empty(), "the app's side failed: {errors:#?}");
    for (command, out) in &admin_outputs {
        assert_eq!(
            out.status.code(),
            Some(0),
            "circle-admin {command}: {}",
            text(out)
        );
        assert!(
            !says_busy(&text(out)),
            "circle-admin {command}: {}",
            text(out)
        );
    }

    // Everything both sides did is there, and checks out.
    let owner = v.owner();
    let report = integrity::verify(&owner).expect("verify");
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    let staff = accounts::list(&owner).expect("staff");
    for (username, _) in &added {
        assert!(
            staff.iter().any(|m| &m.username == username && m.active),
            "{username} was added"
        );
    }
    let note = session_note::session_note(&owner, session).expect("the note");
    assert_eq!(note.revision as u64, saves, "every draft save counted once");
    let last = format!("[s{}]", saves - 1);
    assert!(
        note.shared.iter().all(|s| s.body.contains(&last)),
        "the last draft is the one on screen"
    );
    owner.lock().expect("lock");
}

#[test]
fn a_busy_database_is_never_what_a_person_reads() {
    // The words the suite above looks for, so a reworded error is caught.
    assert!(says_busy("Error: database is locked"));
    assert!(says_busy(
        &circle_core::Error::Storage {
            detail: "database is locked".into()
        }
        .to_string()
    ));
    assert!(!says_busy("ok: databases intact, audit chain unbroken"));
}
