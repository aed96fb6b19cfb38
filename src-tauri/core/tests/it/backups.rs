//! Backups against real vaults: taken while others write, restored onto a
//! "new computer" (an empty folder), refused whole when damaged, kept to N
//! by the schedule, made by a manager who never holds the clinical key; and
//! the audit anchor that shows deleted newest rows.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::common::*;
use crate::notes::{clinic, sign_simple, write_first_session, Clinic, MANAGER};
use circle_core::backup::{self, Credential, Target};
use circle_core::integrity;
use circle_core::notes::chart;
use circle_core::notes::goals::{self, GoalInput, GoalStatus};
use circle_core::notes::session_note::NoteStatus;
use circle_core::notes::signing;
use circle_core::roles::Role;
use circle_core::signin;
use circle_core::vault::db;
use circle_core::vault::location::VaultLocation;
use circle_core::Error;

fn owner_credential() -> Credential {
    Credential::Passphrase {
        username: OWNER.into(),
        passphrase: pass(OWNER_PASS),
    }
}

/// "Back up now" into `folder` as `signed_in`, checked to have worked.
fn back_up(signed_in: &circle_core::signed_in::SignedIn, folder: &Path) -> PathBuf {
    let prepared = backup::prepare(signed_in, Some(folder)).expect("prepare");
    let finished = prepared.run(&mut |_| {});
    let run = backup::record(signed_in, &finished).expect("record");
    assert!(run.ok, "backup failed: {:?}", run.message);
    finished.result.expect("written").file
}

/// Rows of every table that matters, through a connection of its own.
fn table_rows(
    location: &VaultLocation,
    keys: &circle_core::vault::keyring::UnlockedKeys,
) -> BTreeMap<String, Vec<String>> {
    let practice = db::open(&location.practice_db_path(), &keys.practice, false).unwrap();
    db::attach_clinical(
        &practice,
        &location.clinical_db_path(),
        keys.clinical.as_ref().expect("clinical key"),
    )
    .unwrap();
    let mut out = BTreeMap::new();
    for table in [
        "staff",
        "clients",
        "groups",
        "enrollments",
        "series",
        "sessions",
        "attendance",
        "audit_log",
        "clinical.session_notes",
        "clinical.note_sections",
        "clinical.member_notes",
        "clinical.note_signatures",
        "clinical.goals",
    ] {
        let mut stmt = practice
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .unwrap();
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..columns)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
                    .map(|cells| cells.join("|"))
            })
            .unwrap()
            .collect::<rusqlite::Result<Vec<_>>>()
            .unwrap();
        out.insert(table.to_owned(), rows);
    }
    out
}

fn sign_in_at(location: &VaultLocation, username: &str, passphrase: &str) {
    signin::unlock(location, username, &pass(passphrase))
        .unwrap_or_else(|e| panic!("{username} cannot sign in to the restored vault: {e}"))
        .lock()
        .unwrap();
}

fn goal(s: &circle_core::signed_in::SignedIn, client_id: i64) {
    goals::create_goal(
        s,
        client_id,
        GoalInput {
            text: "Use a grounding skill when anxious".into(),
            started_on: "2026-11-01".into(),
            target_on: None,
            status: GoalStatus::Active,
        },
    )
    .unwrap();
}

#[test]
fn a_backup_taken_while_others_write_restores_whole_on_a_new_computer() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, _) = write_first_session(&c, &ana);
    signing::sign(&ana, s1, 1).unwrap();
    goal(&ana, c.members["Zoë"]);
    ana.lock().unwrap();

    let owner_keys = c.v.unwrap_as(OWNER, OWNER_PASS);
    let owner = c.v.owner();
    let before = table_rows(&c.v.location, &owner_keys);

    // A second connection holds an open write transaction as the backup
    // starts; it commits only after the snapshot began.
    let writer = db::open(
        &c.v.location.practice_db_path(),
        &owner_keys.practice,
        false,
    )
    .unwrap();
    writer
        .execute_batch(
            "BEGIN IMMEDIATE; INSERT INTO rooms (name, capacity) VALUES ('Late room', 4);",
        )
        .unwrap();
    let folder = tempfile::tempdir().unwrap();
    let prepared = backup::prepare(&owner, Some(folder.path())).unwrap();
    writer.execute_batch("COMMIT").unwrap();

    // A third keeps writing while the pages are copied.
    let stop = AtomicBool::new(false);
    let written = std::thread::scope(|scope| {
        let keep_writing = scope.spawn(|| {
            let front = c.v.sign_in(FRONT_DESK);
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) || n < 3 {
                crate::notes::client_for_tests(&front, &format!("Walk-in{n}"), "Nakamura");
                n += 1;
            }
            front.lock().unwrap();
            n
        });
        let finished = prepared.run(&mut |_| {});
        stop.store(true, Ordering::SeqCst);
        let added = keep_writing.join().unwrap();
        assert!(added >= 3);
        finished
    });
    let run = backup::record(&owner, &written).unwrap();
    assert!(run.ok, "{:?}", run.message);
    let file = written.result.unwrap().file;
    owner.lock().unwrap();

    // A new computer: an empty folder, the backup file and a passphrase.
    let new_computer = tempfile::tempdir().unwrap();
    let target = new_computer.path().join("Circle");
    let restored = backup::restore(
        &file,
        &owner_credential(),
        &Target::NewFolder(target.clone()),
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!(restored.location.dir(), target);
    assert_eq!(restored.moved_aside, None);

    let keys = {
        let mut keyring =
            circle_core::vault::keyring::Keyring::load(&restored.location.keyring_path()).unwrap();
        keyring
            .entry_mut(OWNER)
            .unwrap()
            .keys
            .open(
                &pass(OWNER_PASS),
                &circle_core::vault::keyring::login_id(OWNER),
            )
            .unwrap()
            .keys
    };
    let after = table_rows(&restored.location, &keys);
    for (table, rows) in &before {
        let restored_rows = &after[table];
        if table == "audit_log" {
            // The same chain, then the owner's sign-in, the backup's start
            // and the restore's own row.
            assert_eq!(&restored_rows[..rows.len()], &rows[..], "audit rows differ");
            assert!(restored_rows.last().unwrap().contains("vault.restored"));
        } else {
            assert_eq!(restored_rows, rows, "{table} differs after restore");
        }
    }
    // Written after the snapshot began: not in the backup.
    assert!(!after["clients"].iter().any(|r| r.contains("Walk-in")));

    let restored_owner = signin::unlock(&restored.location, OWNER, &pass(OWNER_PASS)).unwrap();
    let report = integrity::verify(&restored_owner).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert!(report.clinical_checked);
    let zoe_chart = chart::client_notes(&restored_owner, c.members["Zoë"]).unwrap();
    assert_eq!(zoe_chart.len(), 1);
    assert_eq!(zoe_chart[0].status, NoteStatus::Signed);
    restored_owner.lock().unwrap();
    for username in ["ana", "ben", "cara", FRONT_DESK, MANAGER] {
        sign_in_at(&restored.location, username, INITIAL_PASS);
    }
    let (recovered, _new_code) = signin::recover(
        &restored.location,
        OWNER,
        &pass(&c.v.recovery_code),
        &pass("a brand new owner passphrase here"),
    )
    .expect("the recovery code opens the restored vault");
    recovered.lock().unwrap();
}

/// Every file in a folder, by name, with its bytes.
fn folder_bytes(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

/// Where each part's bytes start in the tar, and how long it is.
fn part_offsets(file: &Path) -> BTreeMap<String, (u64, u64)> {
    let mut archive = tar::Archive::new(std::fs::File::open(file).unwrap());
    archive
        .entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.path().unwrap().to_string_lossy().into_owned(),
                (e.raw_file_position(), e.header().size().unwrap()),
            )
        })
        .collect()
}

fn refused_naming(result: Result<backup::Restored, Error>, part: &str) {
    match result {
        Err(Error::BackupDamaged {
            part: named,
            reason,
        }) => {
            assert!(
                named.starts_with(part),
                "named {named} ({reason}), expected {part}"
            )
        }
        Err(other) => panic!("expected a refusal naming {part}, got {other}"),
        Ok(_) => panic!("a damaged backup ({part}) was restored"),
    }
}

#[test]
fn a_damaged_truncated_or_foreign_backup_is_refused_and_nothing_changes() {
    let v = new_vault();
    let owner = v.owner();
    let client = crate::notes::client_for_tests(&owner, "Ingrid", "Solberg");
    let _ = client;
    let folder = tempfile::tempdir().unwrap();
    let good = back_up(&owner, folder.path());
    owner.lock().unwrap();
    let vault_before = folder_bytes(v.dir.path());
    let target = Target::Replace(v.location.clone());

    let offsets = part_offsets(&good);
    for (part, named) in [
        ("manifest.json", "manifest"),
        ("manifest.mac", "manifest"),
        ("keyring.json", "keyring.json"),
        ("practice.db", "practice.db"),
        ("clinical.db", "clinical.db"),
    ] {
        let (start, size) = offsets[part];
        let mut bytes = std::fs::read(&good).unwrap();
        bytes[(start + size / 2) as usize] ^= 0x01;
        let damaged = folder.path().join(format!("flipped-{part}.circlebackup"));
        std::fs::write(&damaged, bytes).unwrap();
        refused_naming(
            backup::restore(&damaged, &owner_credential(), &target, &mut |_, _| {}),
            named,
        );
        // Without a secret, a flip in any data part already shows.
        if !part.starts_with("manifest") {
            let summary = backup::inspect(&damaged).unwrap();
            assert!(!summary.parts_match);
            assert!(summary.problem.unwrap().starts_with(part));
        }
    }

    // Truncated: in the middle of practice.db, and at half the file.
    let bytes = std::fs::read(&good).unwrap();
    let (start, size) = offsets["practice.db"];
    for (name, cut) in [
        ("mid-practice", start + size / 3),
        ("half", bytes.len() as u64 / 2),
    ] {
        let truncated = folder.path().join(format!("{name}.circlebackup"));
        std::fs::write(&truncated, &bytes[..cut as usize]).unwrap();
        let result = backup::restore(&truncated, &owner_credential(), &target, &mut |_, _| {});
        assert!(
            matches!(&result, Err(Error::BackupDamaged { reason, .. }) if reason.contains("truncated")),
            "{name}: {:?}",
            result.as_ref().err().map(ToString::to_string)
        );
    }

    // Another practice's backup, renamed to look like ours (same owner
    // name and passphrase, even).
    let other = new_vault();
    let other_owner = other.owner();
    let foreign = back_up(&other_owner, folder.path());
    other_owner.lock().unwrap();
    let renamed = folder.path().join(
        good.file_name()
            .unwrap()
            .to_string_lossy()
            .replace(".circlebackup", "-copy.circlebackup"),
    );
    std::fs::rename(&foreign, &renamed).unwrap();
    refused_naming(
        backup::restore(&renamed, &owner_credential(), &target, &mut |_, _| {}),
        "manifest.json",
    );

    // A wrong passphrase opens nothing and changes nothing either.
    let wrong = backup::restore(
        &good,
        &Credential::Passphrase {
            username: OWNER.into(),
            passphrase: pass("not the passphrase at all"),
        },
        &target,
        &mut |_, _| {},
    );
    assert!(matches!(wrong, Err(Error::WrongPassphrase)));

    assert_eq!(
        folder_bytes(v.dir.path()),
        vault_before,
        "the vault changed"
    );
    let left_beside = std::fs::read_dir(v.dir.path().parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".circle-restore-"))
        .count();
    assert_eq!(left_beside, 0, "a refused restore left its unpacked parts");

    // And the good one still restores in place, the old vault kept aside.
    let restored = backup::restore(&good, &owner_credential(), &target, &mut |_, _| {}).unwrap();
    let aside = restored.moved_aside.expect("the old vault moved aside");
    assert!(aside
        .file_name()
        .unwrap()
        .to_string_lossy()
        .contains("-before-restore-"));
    let mut vault_files = vault_before.clone();
    // The lock file (and the logs) stay where they are: they may be open.
    vault_files.remove("vault.lock");
    assert_eq!(folder_bytes(&aside), vault_files);
    sign_in_at(&v.location, OWNER, OWNER_PASS);
}

fn backups_in(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("circle-backup-") && n.ends_with(".circlebackup"))
        .collect();
    names.sort();
    names
}

#[test]
fn the_schedule_keeps_exactly_n_backups_and_warns_when_one_fails() {
    let v = new_vault();
    let folder = tempfile::tempdir().unwrap();
    let keep = 4u32;
    let clock = pin_clock("2026-11-01T09:00:00Z");
    {
        let owner = v.owner();
        let status = backup::status(&owner).unwrap();
        assert!(status.warning.unwrap().contains("not set up"));
        backup::set_folder(&owner, folder.path()).unwrap();
        backup::set_keep(&owner, keep).unwrap();
        assert!(matches!(
            backup::set_keep(&owner, 0),
            Err(Error::Invalid { field, .. }) if field == "keep"
        ));
        owner.lock().unwrap();
    }
    // Not Circle's: never pruned.
    std::fs::write(
        folder.path().join("circle-backup-notes.circlebackup"),
        b"mine",
    )
    .unwrap();
    std::fs::write(folder.path().join("readme.txt"), b"mine").unwrap();

    let mut made = Vec::new();
    for day in 1..=keep + 5 {
        clock.set(&format!("2026-11-{day:02}T09:00:00Z"));
        let owner = v.owner();
        let due = backup::prepare_scheduled(&owner)
            .unwrap()
            .expect("due once a day");
        let finished = due.run(&mut |_| {});
        assert!(backup::record(&owner, &finished).unwrap().ok);
        made.push(finished.result.unwrap().file);
        // At most once a day.
        assert!(backup::prepare_scheduled(&owner).unwrap().is_none());
        assert_eq!(
            backups_in(folder.path()).len() - 1,
            (day as usize).min(keep as usize)
        );
        owner.lock().unwrap();
    }
    let kept = backups_in(folder.path());
    for newest in &made[made.len() - keep as usize..] {
        assert!(kept.contains(&newest.file_name().unwrap().to_string_lossy().into_owned()));
    }
    assert!(folder.path().join("readme.txt").exists());
    assert!(folder
        .path()
        .join("circle-backup-notes.circlebackup")
        .exists());

    // Three days later with the drive unplugged: the attempt fails, and
    // the status says why.
    clock.set("2026-11-13T09:00:00Z");
    let moved = folder.path().with_extension("unplugged");
    std::fs::rename(folder.path(), &moved).unwrap();
    let owner = v.owner();
    let finished = backup::prepare_scheduled(&owner)
        .unwrap()
        .unwrap()
        .run(&mut |_| {});
    let run = backup::record(&owner, &finished).unwrap();
    assert!(!run.ok);
    assert_eq!(run.failure, Some(backup::BackupFailure::FolderMissing));
    let warning = backup::status(&owner).unwrap().warning.unwrap();
    assert!(warning.contains("cannot be found"), "{warning}");
    // Plugged in again: the next run clears it.
    std::fs::rename(&moved, folder.path()).unwrap();
    let finished = backup::prepare_scheduled(&owner)
        .unwrap()
        .unwrap()
        .run(&mut |_| {});
    assert!(backup::record(&owner, &finished).unwrap().ok);
    assert_eq!(backup::status(&owner).unwrap().warning, None);
    // Two days and a bit without one: a calm warning again.
    clock.set("2026-11-15T10:00:00Z");
    assert!(backup::status(&owner)
        .unwrap()
        .warning
        .unwrap()
        .contains("days old"));
    owner.lock().unwrap();

    // The front desk's sign-in takes the day's backup too, but may not see
    // or change the settings.
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let front = v.sign_in(FRONT_DESK);
    assert!(matches!(backup::status(&front), Err(Error::Forbidden)));
    assert!(backup::prepare(&front, Some(folder.path())).is_err());
    let finished = backup::prepare_scheduled(&front)
        .unwrap()
        .unwrap()
        .run(&mut |_| {});
    assert!(backup::record(&front, &finished).unwrap().ok);
    front.lock().unwrap();
}

#[test]
fn deleting_the_newest_audit_rows_shows_as_a_chain_shorter_than_its_anchor() {
    let v = new_vault();
    let owner = v.owner();
    crate::notes::client_for_tests(&owner, "Ines", "Duarte");
    owner.lock().unwrap();
    let keys = v.unwrap_as(OWNER, OWNER_PASS);
    {
        let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
        conn.execute_batch(
            "DROP TRIGGER audit_log_no_delete;
             DELETE FROM audit_log WHERE id > (SELECT max(id) - 3 FROM audit_log);",
        )
        .unwrap();
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_circle-admin"))
        .args([
            "--vault",
            &v.dir.path().to_string_lossy(),
            "--user",
            OWNER,
            "verify",
        ])
        .env("CIRCLE_PASSPHRASE", OWNER_PASS)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("shorter than its anchor"), "{stdout}");

    // Signing in again does not move the anchor past the gap.
    let owner = v.owner();
    let findings = integrity::verify(&owner).unwrap().findings;
    owner.lock().unwrap();
    assert!(
        findings.iter().any(|f| f.contains("anchor")),
        "{findings:?}"
    );

    // Removing the anchor as well does not hide it.
    let mut keyring = v.keyring();
    keyring.audit_anchor = None;
    keyring.save(&v.location.keyring_path()).unwrap();
    let owner = v.owner();
    let findings = integrity::verify(&owner).unwrap().findings;
    owner.lock().unwrap();
    assert!(
        findings.iter().any(|f| f.contains("anchor is missing")),
        "{findings:?}"
    );
}

#[test]
fn a_managers_backup_restores_with_notes_intact_though_the_manager_holds_no_clinical_key() {
    let c: Clinic = clinic();
    assert!(c.v.unwrap_as(MANAGER, INITIAL_PASS).clinical.is_none());
    let ana = c.v.sign_in("ana");
    let zoe = c.members["Zoë"];
    let (s1, _) = write_first_session(&c, &ana);
    signing::sign(&ana, s1, 1).unwrap();
    // Ana is still signed in and has just written: clinical.db's log is
    // live while the manager backs up.
    sign_simple(&ana, c.steady[1].id, zoe, "Second session");

    let manager = c.v.sign_in(MANAGER);
    let folder = tempfile::tempdir().unwrap();
    let file = back_up(&manager, folder.path());
    manager.lock().unwrap();
    ana.lock().unwrap();
    let summary = backup::inspect(&file).unwrap();
    assert!(summary.parts_match);
    assert!(summary.clinical_copied_without_key);
    assert_eq!(summary.counts.signed_notes, None);

    // The manager's own passphrase opens the backup for a restore.
    let target = tempfile::tempdir().unwrap().keep().join("restored");
    let restored = backup::restore(
        &file,
        &Credential::Passphrase {
            username: MANAGER.into(),
            passphrase: pass(INITIAL_PASS),
        },
        &Target::NewFolder(target),
        &mut |_, _| {},
    )
    .unwrap();
    let owner = signin::unlock(&restored.location, OWNER, &pass(OWNER_PASS)).unwrap();
    let report = integrity::verify(&owner).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    let notes = chart::client_notes(&owner, zoe).unwrap();
    assert_eq!(notes.len(), 2, "both signed notes came back");
    assert!(notes.iter().all(|n| n.status == NoteStatus::Signed));
    owner.lock().unwrap();
}

/// Regression (found by the fuzz suite): "Back up now" given a relative
/// folder such as "." or ".." wrote the backup wherever Circle had been
/// started. It is refused beside the folder field, and nothing is written.
#[test]
fn back_up_now_to_a_relative_folder_is_refused_and_writes_nothing() {
    let v = new_vault();
    let owner = v.owner();
    let cwd = std::env::current_dir().expect("current folder");
    let before: Vec<_> = std::fs::read_dir(&cwd)
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    for folder in [".", "..", "backups"] {
        match backup::prepare(&owner, Some(Path::new(folder))) {
            Err(Error::Invalid { field, .. }) => assert_eq!(field, "folder", "{folder}"),
            Err(other) => panic!("{folder}: expected a refusal beside the folder, got {other:?}"),
            Ok(_) => panic!("{folder}: a backup was begun"),
        }
    }
    let after: Vec<_> = std::fs::read_dir(&cwd)
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(before, after, "nothing new in the current folder");
    owner.lock().expect("lock");
}
