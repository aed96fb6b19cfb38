//! The vault's promises, each against a real vault in a temp folder.

use crate::common::*;
use circle_core::accounts;
use circle_core::audit::{self, AuditFilter};
use circle_core::clinical_access;
use circle_core::integrity;
use circle_core::key_rotation;
use circle_core::roles::Role;
use circle_core::signin;
use circle_core::vault::db;
use circle_core::Error;

#[test]
fn no_vault_file_holds_a_name_or_starts_like_plain_sqlite() {
    let v = new_vault();
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    // Leave a session open so WAL files exist too while we look.
    let session = v.owner();

    let secrets = [
        PRACTICE,
        OWNER_NAME,
        CLINICIAN_NAME,
        FRONT_DESK_NAME,
        "Maximilian",
        "Castellanos",
    ];
    for path in v.files() {
        let bytes = std::fs::read(&path).unwrap();
        for secret in secrets {
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(
                !found,
                "{} contains {secret:?} in plaintext",
                path.display()
            );
        }
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name == "practice.db" || name == "clinical.db" {
            assert!(
                !bytes.starts_with(b"SQLite format 3"),
                "{name} is not encrypted"
            );
        }
    }
    session.lock().unwrap();
}

#[test]
fn a_wrong_passphrase_is_refused_before_any_database_opens() {
    let v = new_vault();
    let practice_before = std::fs::read(v.location.practice_db_path()).unwrap();
    let err = signin::unlock(&v.location, OWNER, &pass("quiet lantern orchard tidE")).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase), "got {err:?}");
    // No database was opened: no WAL or shared-memory file appeared and the file is untouched.
    for path in v.files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            !name.ends_with("-wal") && !name.ends_with("-shm"),
            "{name} appeared"
        );
    }
    assert_eq!(
        std::fs::read(v.location.practice_db_path()).unwrap(),
        practice_before
    );
    // The failure is audited at the next successful unlock, without the passphrase or a name.
    let session = v.owner();
    let rows = audit::list_for(&session, &AuditFilter::default()).unwrap();
    let failed = rows
        .iter()
        .find(|r| r.action == "session.unlock_failed")
        .expect("failed unlock row");
    assert_eq!(failed.entity_kind.as_deref(), Some("staff"));
    assert!(!failed.detail.as_deref().unwrap_or("").contains("lantern"));
}

#[test]
fn an_unknown_username_gets_the_same_answer_as_a_wrong_passphrase() {
    let v = new_vault();
    let err = signin::unlock(&v.location, "nobody", &pass(OWNER_PASS)).unwrap_err();
    assert!(matches!(err, Error::WrongPassphrase));
}

#[test]
fn flipped_bytes_in_either_database_are_reported_as_corrupt_naming_the_file() {
    for (file, offset_from_end) in [
        ("practice.db", 2000),
        ("clinical.db", 2000),
        ("practice.db", 0),
    ] {
        let v = new_vault();
        let path = v.dir.path().join(file);
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        // Offset 0 here means "inside page 1, past the salt"; otherwise a later page.
        let offset = if offset_from_end == 0 {
            200
        } else {
            len - offset_from_end
        };
        flip_bytes(&path, offset);
        let err = signin::unlock(&v.location, OWNER, &pass(OWNER_PASS)).unwrap_err();
        match &err {
            Error::Corrupt { file: named } => assert_eq!(named, file),
            other => panic!("{file}: expected corrupt, got {other:?}"),
        }
        // The sentence the person sees names the damaged file, and only its name.
        let message = err.to_string();
        assert_eq!(
            message,
            format!("The vault file {file} cannot be read: it is damaged or not a Circle file."),
        );
        assert!(
            !message.contains(&v.dir.path().display().to_string()),
            "{message}"
        );
    }
}

/// The app's sign-in leaves the whole-file check to a thread of its own:
/// a changed page the sign-in did not read is still found, naming the file.
#[test]
fn a_changed_page_is_found_by_the_check_after_the_apps_sign_in() {
    for file in ["practice.db", "clinical.db"] {
        let v = new_vault();
        let path = v.dir.path().join(file);
        let len = std::fs::metadata(&path).unwrap().len() as usize;
        flip_bytes(&path, len - 2000);
        // The last page (the newest table's root) is not read to sign in:
        // the person gets in, and the check finds it.
        let (session, check) =
            signin::unlock_checking_pages_later(&v.location, OWNER, &pass(OWNER_PASS))
                .expect("signing in reads no changed page");
        let err = check.run().unwrap_err();
        drop(session);
        match &err {
            Error::Corrupt { file: named } => assert_eq!(named, file),
            other => panic!("{file}: expected corrupt, got {other:?}"),
        }
    }
}

/// The check reads beside a session that keeps writing, and finds nothing.
#[test]
fn the_check_after_sign_in_passes_on_a_sound_vault_while_the_session_writes() {
    let v = new_vault();
    let (session, check) =
        signin::unlock_checking_pages_later(&v.location, OWNER, &pass(OWNER_PASS)).unwrap();
    let checker = std::thread::spawn(move || check.run());
    for n in 0..20 {
        accounts::add(
            &session,
            accounts::NewStaff {
                username: format!("colleague{n}"),
                full_name: format!("Colleague Number{n}"),
                role: Role::FrontDesk,
                initial_passphrase: pass("lantern orchard quietly river"),
            },
        )
        .unwrap();
    }
    checker.join().unwrap().unwrap();
    session.lock().unwrap();
}

#[test]
fn a_tampered_keyring_entry_is_a_clear_error_not_a_wrong_passphrase() {
    let v = new_vault();
    let path = v.location.keyring_path();
    let original = std::fs::read_to_string(&path).unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&original).unwrap();
    let sealed = json["entries"][0]["keys"]["practice_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut chars: Vec<char> = sealed.chars().collect();
    chars[30] = if chars[30] == 'A' { 'B' } else { 'A' };
    json["entries"][0]["keys"]["practice_key"] =
        serde_json::Value::String(chars.into_iter().collect());
    std::fs::write(&path, serde_json::to_string(&json).unwrap()).unwrap();
    let err = signin::unlock(&v.location, OWNER, &pass(OWNER_PASS)).unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { file } if file == "keyring.json"),
        "got {err:?}"
    );

    std::fs::write(&path, "{ not json").unwrap();
    let err = signin::unlock(&v.location, OWNER, &pass(OWNER_PASS)).unwrap_err();
    assert!(
        matches!(&err, Error::Corrupt { file } if file == "keyring.json"),
        "got {err:?}"
    );
}

#[test]
fn the_front_desk_cannot_open_clinical_data_with_everything_it_can_unwrap() {
    let v = new_vault();
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let entry = v.keyring().entry(FRONT_DESK).unwrap().clone();
    assert!(
        entry.keys.clinical_key.is_none(),
        "front desk entry holds a clinical key"
    );

    let keys = v.unwrap_as(FRONT_DESK, INITIAL_PASS);
    assert!(keys.clinical.is_none());
    for candidate in [&keys.practice, &keys.delivery_secret] {
        let err = db::open(&v.location.clinical_db_path(), candidate, false).unwrap_err();
        assert!(matches!(err, Error::Corrupt { .. }));
    }
    // Through the service layer: signed in, no clinical schema attached.
    let session = v.sign_in(FRONT_DESK);
    assert!(!session.has_clinical_access());
    assert!(matches!(accounts::list(&session), Err(Error::Forbidden)));
    assert!(matches!(integrity::verify(&session), Err(Error::Forbidden)));
}

#[test]
fn clinical_roles_hold_the_clinical_key_and_open_clinical_db() {
    let v = new_vault();
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let session = v.sign_in(CLINICIAN);
    assert!(session.has_clinical_access());
    let keys = v.unwrap_as(CLINICIAN, INITIAL_PASS);
    let clinical = keys.clinical.expect("clinician holds the clinical key");
    assert!(db::open(&v.location.clinical_db_path(), &clinical, false).is_ok());
}

#[test]
fn a_move_to_front_desk_drops_the_clinical_key_from_the_keyring() {
    let v = new_vault();
    let id = v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let owner = v.owner();
    accounts::change_role(&owner, id, Role::FrontDesk).unwrap();
    owner.lock().unwrap();
    assert!(v
        .keyring()
        .entry(CLINICIAN)
        .unwrap()
        .keys
        .clinical_key
        .is_none());
    let session = v.sign_in(CLINICIAN);
    assert!(!session.has_clinical_access());
    session.lock().unwrap();
    assert!(v.unwrap_as(CLINICIAN, INITIAL_PASS).clinical.is_none());
}

#[test]
fn a_clinician_added_by_a_manager_gets_clinical_access_once_an_owner_approves() {
    let v = new_vault();
    v.add("mgr", "Morgan Ade", Role::Manager);
    let manager = v.sign_in("mgr");
    let added = accounts::add(
        &manager,
        accounts::NewStaff {
            username: CLINICIAN.into(),
            full_name: CLINICIAN_NAME.into(),
            role: Role::Clinician,
            initial_passphrase: pass(INITIAL_PASS),
        },
    )
    .unwrap();
    manager.lock().unwrap();
    let before = v.sign_in(CLINICIAN);
    assert!(
        !before.has_clinical_access(),
        "a manager cannot hand out the clinical key"
    );
    before.lock().unwrap();

    // An owner signing in grants nothing by itself: they see the request
    // (who, changed by whom) and approve it.
    v.owner().lock().unwrap();
    let still = v.sign_in(CLINICIAN);
    assert!(!still.has_clinical_access(), "no silent grant at sign-in");
    still.lock().unwrap();
    let owner = v.owner();
    let waiting = clinical_access::waiting(&owner).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].staff_id, added.id);
    assert_eq!(waiting[0].changed_by.as_deref(), Some("Morgan Ade"));
    assert!(waiting[0].keyring_matches);
    clinical_access::approve(&owner, added.id).unwrap();
    assert!(clinical_access::waiting(&owner).unwrap().is_empty());
    owner.lock().unwrap();

    let after = v.sign_in(CLINICIAN);
    assert!(after.has_clinical_access());
    after.lock().unwrap();
    let owner = v.owner();
    let rows = audit::list_for(
        &owner,
        &AuditFilter {
            action_prefix: Some("staff.clinical".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(rows[0].entity_id, Some(added.id));
    assert_eq!(rows[0].actor_id, Some(owner.actor().staff_id));
}

#[test]
fn editing_deleting_or_reordering_an_audit_row_breaks_the_chain_there() {
    type Tamper = fn(&rusqlite::Connection);
    let cases: [(&str, Tamper, i64); 3] = [
        (
            "edit",
            |c| {
                c.execute(
                    "UPDATE audit_log SET detail = 'role=owner' WHERE id = 3",
                    [],
                )
                .unwrap();
            },
            3,
        ),
        (
            "delete",
            |c| {
                c.execute("DELETE FROM audit_log WHERE id = 3", []).unwrap();
            },
            3,
        ),
        (
            "reorder",
            |c| {
                c.execute_batch(
                    "UPDATE audit_log SET id = -1 WHERE id = 2;
                 UPDATE audit_log SET id = 2 WHERE id = 3;
                 UPDATE audit_log SET id = 3 WHERE id = -1;",
                )
                .unwrap();
            },
            2,
        ),
    ];
    for (name, tamper, broken_at) in cases {
        let v = new_vault();
        v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
        let owner = v.owner();
        assert!(
            integrity::verify(&owner).unwrap().findings.is_empty(),
            "{name}: clean vault"
        );
        owner.lock().unwrap();

        let keys = v.unwrap_as(OWNER, OWNER_PASS);
        let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
        // The triggers refuse a hand edit outright…
        assert!(
            conn.execute("UPDATE audit_log SET detail = 'x' WHERE id = 2", [])
                .is_err(),
            "{name}"
        );
        assert!(
            conn.execute("DELETE FROM audit_log WHERE id = 2", [])
                .is_err(),
            "{name}"
        );
        // …so someone determined drops them first.
        conn.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
            .unwrap();
        tamper(&conn);
        drop(conn);

        let owner = v.owner();
        let report = integrity::verify(&owner).unwrap();
        let expected = format!("audit log: the chain breaks at row {broken_at}");
        assert!(
            report.findings.iter().any(|f| f.starts_with(&expected)),
            "{name}: findings {:?}",
            report.findings
        );
    }
}

#[test]
fn rotation_after_deactivation_retires_the_old_keys_and_everyone_else_still_signs_in() {
    let v = new_vault();
    let leaver = v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    v.add("sam", "Sam Okafor", Role::Supervisor);
    let old = v.unwrap_as(CLINICIAN, INITIAL_PASS);
    let old_clinical = old.clinical.clone().unwrap();

    let mut owner = v.owner();
    let mut steps = Vec::new();
    let outcome = accounts::deactivate(&mut owner, leaver, true, &mut |p| {
        steps.push((p.step, p.of, p.label))
    })
    .unwrap()
    .expect("rotation ran");
    assert!(outcome.practice_rotated && outcome.clinical_rotated);
    // Each step reported once, numbered, in the order it happens.
    let expected = [
        "Sealing the new keys for each colleague",
        "Re-encrypting the practice records",
        "Re-encrypting the clinical records",
        "Recording the rotation",
    ];
    assert_eq!(
        steps,
        expected
            .iter()
            .enumerate()
            .map(|(i, label)| (i as u32 + 1, 4, label.to_string()))
            .collect::<Vec<_>>()
    );
    owner.lock().unwrap();

    assert!(db::open(&v.location.practice_db_path(), &old.practice, false).is_err());
    assert!(db::open(&v.location.clinical_db_path(), &old_clinical, false).is_err());
    assert!(matches!(
        signin::unlock(&v.location, CLINICIAN, &pass(INITIAL_PASS)),
        Err(Error::WrongPassphrase)
    ));

    let desk = v.sign_in(FRONT_DESK);
    assert!(!desk.has_clinical_access());
    desk.lock().unwrap();
    let sam = v.sign_in("sam");
    assert!(sam.has_clinical_access());
    sam.lock().unwrap();
    let owner = v.owner();
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());
    owner.lock().unwrap();
    // Once taken up, each login's own wrapped keys are the new ones.
    let sams = v.unwrap_as("sam", INITIAL_PASS);
    assert!(db::open(
        &v.location.clinical_db_path(),
        sams.clinical.as_ref().unwrap(),
        false
    )
    .is_ok());
    // The recovery code received the new keys too.
    let recovered = signin::recover(
        &v.location,
        OWNER,
        &pass(&v.recovery_code),
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap()
    .0;
    assert!(recovered.has_clinical_access());
}

#[test]
fn repeated_failures_make_each_attempt_wait_and_the_wait_survives_a_restart() {
    let v = new_vault();
    for _ in 0..4 {
        assert!(matches!(
            signin::unlock(&v.location, OWNER, &pass("wrong wrong wrong")),
            Err(Error::WrongPassphrase)
        ));
    }
    assert!(matches!(
        signin::unlock(&v.location, OWNER, &pass("wrong wrong wrong")),
        Err(Error::RateLimited { .. })
    ));
    // Even the right passphrase must wait; the counter lives in keyring.json, not memory.
    match signin::unlock(&v.location, OWNER, &pass(OWNER_PASS)) {
        Err(Error::RateLimited { seconds }) => assert!(seconds > 0 && seconds <= 30),
        other => panic!("expected a wait, got {other:?}"),
    }
    assert_eq!(v.keyring().entry(OWNER).unwrap().failed_attempts, 5);
    // The recovery path is never locked out.
    let session = signin::recover(
        &v.location,
        OWNER,
        &pass(&v.recovery_code.to_lowercase().replace('-', " ")),
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap()
    .0;
    session.lock().unwrap();
    assert!(signin::unlock(&v.location, OWNER, &pass("amber cliff saffron lighthouse")).is_ok());
}

#[test]
fn a_vault_from_a_newer_circle_is_refused_untouched() {
    let v = new_vault();
    let keys = v.unwrap_as(OWNER, OWNER_PASS);
    let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
    conn.execute_batch("PRAGMA user_version = 999").unwrap();
    drop(conn);
    let err = signin::unlock(&v.location, OWNER, &pass(OWNER_PASS)).unwrap_err();
    assert!(
        matches!(&err, Error::VaultTooNew { file } if file == "practice.db"),
        "got {err:?}"
    );
    assert!(err.to_string().contains("newer version of Circle"));
}

#[test]
fn changing_a_passphrase_rewraps_without_touching_the_data() {
    let v = new_vault();
    v.add_unsettled(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let practice_before = std::fs::read(v.location.practice_db_path()).unwrap();
    let mut desk = v.sign_in(FRONT_DESK);
    assert!(desk.must_change_passphrase());
    let err = accounts::change_own_passphrase(
        &mut desk,
        &pass("not my passphrase"),
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("currentPassphrase"));
    let err =
        accounts::change_own_passphrase(&mut desk, &pass(INITIAL_PASS), &pass("password1234"))
            .unwrap_err();
    assert_eq!(err.field(), Some("newPassphrase"));
    accounts::change_own_passphrase(
        &mut desk,
        &pass(INITIAL_PASS),
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap();
    assert!(!desk.must_change_passphrase());
    desk.lock().unwrap();
    assert!(signin::unlock(&v.location, FRONT_DESK, &pass(INITIAL_PASS)).is_err());
    let desk = signin::unlock(
        &v.location,
        FRONT_DESK,
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap();
    assert!(!desk.must_change_passphrase());
    desk.lock().unwrap();
    // Same key, so the database needed no re-encryption. SQLCipher gives
    // every page written its own random IV and a rekey rewrites every page,
    // so pages the change had no reason to write are byte-for-byte the same.
    // (The first 16 bytes, the salt, would prove nothing: a rekey keeps it.)
    // Only the audit log's new entries were written.
    let practice_after = std::fs::read(v.location.practice_db_path()).unwrap();
    let keys = v.unwrap_as(FRONT_DESK, "amber cliff saffron lighthouse");
    let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
    let page_size: usize = conn
        .query_row("PRAGMA cipher_page_size", [], |r| r.get::<_, String>(0))
        .unwrap()
        .parse()
        .unwrap();
    let roots: Vec<(String, usize)> = conn
        .prepare("SELECT name, rootpage FROM sqlite_master WHERE rootpage > 0")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as usize)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    let audit_pages: Vec<usize> = conn
        .prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'audit_log' AND rootpage > 0")
        .unwrap()
        .query_map([], |r| Ok(r.get::<_, i64>(0)? as usize))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    drop(conn);
    assert_eq!(audit_pages.len(), 3, "the audit log and its two indexes");
    assert_eq!(practice_after.len(), practice_before.len());
    let pages = practice_before.len() / page_size;
    assert!(pages > 30, "{pages} pages");
    let mut unchanged = 0;
    for (i, (before, after)) in practice_before
        .chunks(page_size)
        .zip(practice_after.chunks(page_size))
        .enumerate()
    {
        let page = i + 1;
        if audit_pages.contains(&page) {
            continue;
        }
        let holds = roots.iter().find(|(_, root)| *root == page);
        assert!(
            before == after,
            "page {page} ({holds:?}) was rewritten: the database was re-encrypted"
        );
        unchanged += 1;
    }
    assert_eq!(unchanged, pages - audit_pages.len());
}

#[test]
fn the_last_administrator_cannot_be_demoted_or_deactivated() {
    let v = new_vault();
    let desk = v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let mut owner = v.owner();
    let me = owner.actor().staff_id;
    assert!(matches!(
        accounts::change_role(&owner, me, Role::Clinician),
        Err(Error::Conflict { .. })
    ));
    assert!(accounts::deactivate(&mut owner, me, false, &mut |_| {}).is_err());
    accounts::deactivate(&mut owner, desk, false, &mut |_| {}).unwrap();
    assert!(matches!(
        signin::unlock(&v.location, FRONT_DESK, &pass(INITIAL_PASS)),
        Err(Error::WrongPassphrase)
    ));
}

#[test]
fn setup_validates_every_field_and_writes_nothing_on_error() {
    let dir = tempfile::tempdir().unwrap();
    let location = circle_core::vault::location::VaultLocation::at(dir.path());
    let good = signin::SetupRequest {
        practice_name: PRACTICE.into(),
        timezone: "America/Chicago".into(),
        owner_full_name: OWNER_NAME.into(),
        owner_username: OWNER.into(),
        passphrase: pass(OWNER_PASS),
    };
    let cases = [
        (
            "practiceName",
            signin::SetupRequest {
                practice_name: "  ".into(),
                ..good.clone()
            },
        ),
        (
            "timezone",
            signin::SetupRequest {
                timezone: "Mars/Olympus".into(),
                ..good.clone()
            },
        ),
        (
            "ownerFullName",
            signin::SetupRequest {
                owner_full_name: "".into(),
                ..good.clone()
            },
        ),
        (
            "ownerUsername",
            signin::SetupRequest {
                owner_username: "dana reyes".into(),
                ..good.clone()
            },
        ),
        (
            "passphrase",
            signin::SetupRequest {
                passphrase: pass("short"),
                ..good.clone()
            },
        ),
        (
            "passphrase",
            signin::SetupRequest {
                passphrase: pass("dana reyes 2024"),
                ..good.clone()
            },
        ),
    ];
    for (field, request) in cases {
        let err = signin::setup(&location, request).unwrap_err();
        assert_eq!(err.field(), Some(field), "{err:?}");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "{field}: files written"
        );
    }
    let (session, code) = signin::setup(&location, good.clone()).unwrap();
    assert_eq!(code.expose().len(), 39);
    session.lock().unwrap();
    assert!(matches!(
        signin::setup(&location, good),
        Err(Error::Conflict { .. })
    ));
}

#[test]
fn a_new_recovery_code_retires_the_old_one_and_only_an_owner_may_make_it() {
    let v = new_vault();
    v.add("mgr", "Morgan Ade", Role::Manager);
    let manager = v.sign_in("mgr");
    assert!(matches!(
        accounts::replace_recovery_code(&manager),
        Err(Error::Forbidden)
    ));
    manager.lock().unwrap();

    let owner = v.owner();
    let new_code = accounts::replace_recovery_code(&owner).unwrap();
    owner.lock().unwrap();
    let err = signin::recover(
        &v.location,
        OWNER,
        &pass(&v.recovery_code),
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap_err();
    assert_eq!(err.field(), Some("recoveryCode"));
    let session = signin::recover(
        &v.location,
        OWNER,
        &new_code,
        &pass("amber cliff saffron lighthouse"),
    )
    .unwrap()
    .0;
    assert!(session.has_clinical_access());
}

#[test]
fn a_rotation_interrupted_before_its_rekey_is_finished_at_the_next_sign_in() {
    let v = new_vault();
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    v.sign_in(CLINICIAN).lock().unwrap();
    let old = v.unwrap_as(OWNER, OWNER_PASS);
    // The machine stops after the new keys were delivered and committed,
    // before the databases were re-encrypted: copy the folder as it is then.
    let crashed = tempfile::tempdir().unwrap();
    let mut owner = v.owner();
    key_rotation::rotate_keys(&mut owner, &mut |step| {
        if step.label == "Re-encrypting the practice records" {
            copy_folder(v.dir.path(), crashed.path());
        }
    })
    .unwrap();
    owner.lock().unwrap();

    let location = circle_core::vault::location::VaultLocation::at(crashed.path());
    assert!(db::open(&location.practice_db_path(), &old.practice, false).is_ok());
    let owner = signin::unlock(&location, OWNER, &pass(OWNER_PASS)).unwrap();
    assert!(owner.has_clinical_access());
    assert!(integrity::verify(&owner).unwrap().findings.is_empty());
    let finished = audit::list_for(
        &owner,
        &AuditFilter {
            action_prefix: Some("vault.key_rotation_finished".into()),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        finished.len(),
        2,
        "practice.db and clinical.db moved at sign-in"
    );
    owner.lock().unwrap();
    assert!(db::open(&location.practice_db_path(), &old.practice, false).is_err());
    assert!(db::open(
        &location.clinical_db_path(),
        old.clinical.as_ref().unwrap(),
        false
    )
    .is_err());
    // The colleague's next sign-in takes up the same new keys.
    let clinician = signin::unlock(&location, CLINICIAN, &pass(INITIAL_PASS)).unwrap();
    assert!(clinician.has_clinical_access());
}

#[test]
fn a_flood_of_failed_unlocks_cannot_grow_the_keyring_without_bound() {
    use circle_core::vault::keyring::MAX_QUEUED_FAILURES;
    let v = new_vault();
    let mut keyring = v.keyring();
    for i in 0..(MAX_QUEUED_FAILURES + 50) {
        keyring.queue_failure("nobody", i as i64);
    }
    keyring.save(&v.location.keyring_path()).unwrap();
    assert_eq!(v.keyring().unaudited_failures.len(), MAX_QUEUED_FAILURES);
    assert_eq!(v.keyring().dropped_failures, 50);
    let owner = v.owner();
    let rows = audit::list_for(
        &owner,
        &AuditFilter {
            action_prefix: Some("session.unlock_failed".into()),
            limit: Some(1000),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(
        rows.len(),
        MAX_QUEUED_FAILURES + 1,
        "each queued failure plus one line for the dropped ones"
    );
    assert!(rows
        .iter()
        .any(|r| r.detail.as_deref() == Some("50 more failed unlocks, not itemised")));
    owner.lock().unwrap();
    assert!(v.keyring().unaudited_failures.is_empty());
}

// ---------------------------------------------------------------- migrations

type Rows = Vec<Vec<rusqlite::types::Value>>;

fn user_version(conn: &rusqlite::Connection) -> i64 {
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

/// The database's own tables (not SQLite's), by name.
fn tables_of(conn: &rusqlite::Connection) -> Vec<String> {
    conn.prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .unwrap()
    .query_map([], |r| r.get(0))
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

fn columns_of(conn: &rusqlite::Connection, table: &str) -> Vec<String> {
    conn.prepare(&format!("PRAGMA table_info({table})"))
        .unwrap()
        .query_map([], |r| r.get(1))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// Every row of `table`, just these columns, in rowid order.
fn rows_of(conn: &rusqlite::Connection, table: &str, columns: &[String]) -> Rows {
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {} FROM {table} ORDER BY rowid",
            columns.join(", ")
        ))
        .unwrap();
    stmt.query_map([], |r| {
        (0..columns.len())
            .map(|i| r.get::<_, rusqlite::types::Value>(i))
            .collect::<rusqlite::Result<Vec<_>>>()
    })
    .unwrap()
    .collect::<rusqlite::Result<_>>()
    .unwrap()
}

/// Every table with its columns and rows, and the schema itself: equal
/// before and after means nothing in the database changed.
fn whole_database(conn: &rusqlite::Connection) -> (Rows, Vec<(String, Rows)>) {
    let schema = rows_of(
        conn,
        "sqlite_master",
        &["type".into(), "name".into(), "sql".into()],
    );
    let tables = tables_of(conn)
        .into_iter()
        .map(|table| {
            let columns = columns_of(conn, &table);
            let rows = rows_of(conn, &table, &columns);
            (table, rows)
        })
        .collect();
    (schema, tables)
}

/// Makes the database at `path` from nothing at migration level 1 (`first`
/// is the first migration alone, run by `migrate` as Circle runs it), with
/// `key`, and copies into each of its tables every row `from` holds, in the
/// columns level 1 has. Then runs `more` (rows of the test's own). Returns
/// each table, its level-1 columns and the rows it now holds.
fn build_level_one(
    from: &rusqlite::Connection,
    path: &std::path::Path,
    key: &circle_core::vault::secret::SecretKey,
    first: &[circle_core::vault::migrations::Migration],
    more: &str,
) -> Vec<(String, Vec<String>, Rows)> {
    assert_eq!(first.len(), 1);
    let mut conn = db::open(path, key, true).unwrap();
    circle_core::vault::migrations::migrate(&mut conn, first, path).unwrap();
    for table in tables_of(&conn) {
        let columns = columns_of(&conn, &table);
        let marks = vec!["?"; columns.len()].join(", ");
        let insert = format!(
            "INSERT INTO {table} ({}) VALUES ({marks})",
            columns.join(", ")
        );
        for row in rows_of(from, &table, &columns) {
            conn.execute(&insert, rusqlite::params_from_iter(row))
                .unwrap();
        }
    }
    conn.execute_batch(more).unwrap();
    assert_eq!(user_version(&conn), 1, "{}", path.display());
    tables_of(&conn)
        .into_iter()
        .map(|table| {
            let columns = columns_of(&conn, &table);
            let rows = rows_of(&conn, &table, &columns);
            assert!(!rows.is_empty(), "{table} holds data");
            (table, columns, rows)
        })
        .collect()
}

/// A vault as a Circle at migration level 1 left it: its data survives
/// every later migration, row for row, and it signs in at the newest level.
///
/// How the old vault is made (no older Circle binary is at hand): a vault
/// is set up with today's Circle (owner, a clinician, a front desk, their
/// first sign-ins in the audit trail), then both databases are made again
/// from nothing with the same keys by running only the first migration of
/// each, and every row the level-1 tables can hold is copied in, column by
/// column. A row the level-1 schema takes is a row a level-1 Circle could
/// have written; the keyring and the audit chain's key come along, so the
/// logins and the chain are those of a real vault. Level-1 clinical.db has
/// one table, `clinical_meta`, which Circle never filled: a row of our own
/// stands in for its data.
#[test]
fn a_vault_from_version_one_migrates_with_every_row_intact() {
    use circle_core::vault::location::VaultLocation;
    use circle_core::vault::migrations::{CLINICAL, PRACTICE};

    let source = new_vault();
    source.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    source.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let keys = source.unwrap_as(OWNER, OWNER_PASS);
    let clinical_key = keys.clinical.clone().expect("the owner's clinical key");

    let old = tempfile::tempdir().unwrap();
    let location = VaultLocation::at(old.path());
    std::fs::copy(source.location.keyring_path(), location.keyring_path()).unwrap();
    let from = db::open(&source.location.practice_db_path(), &keys.practice, false).unwrap();
    let practice_before = build_level_one(
        &from,
        &location.practice_db_path(),
        &keys.practice,
        &PRACTICE[..1],
        "",
    );
    drop(from);
    let from = db::open(&source.location.clinical_db_path(), &clinical_key, false).unwrap();
    let clinical_before = build_level_one(
        &from,
        &location.clinical_db_path(),
        &clinical_key,
        &CLINICAL[..1],
        "INSERT INTO clinical_meta (name, value) VALUES ('written_by', 'Circle, level 1')",
    );
    drop(from);
    let names = |tables: &[(String, Vec<String>, Rows)]| -> Vec<String> {
        tables.iter().map(|(t, _, _)| t.clone()).collect()
    };
    assert_eq!(
        names(&practice_before),
        ["audit_log", "practice_settings", "staff", "vault_secrets"]
    );
    assert_eq!(names(&clinical_before), ["clinical_meta"]);
    let staff_rows = &practice_before[2].2;
    assert_eq!(staff_rows.len(), 3, "owner, clinician, front desk");

    // The owner signs in: both databases move to the newest level.
    let owner = signin::unlock(&location, OWNER, &pass(OWNER_PASS)).unwrap();
    assert!(owner.has_clinical_access());
    let report = integrity::verify(&owner).unwrap();
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    owner.lock().unwrap();
    // So do the colleagues, whose logins commit themselves at their first
    // sign-in after the upgrade.
    let clinician = sign_in_at(&location, CLINICIAN);
    assert!(clinician.has_clinical_access());
    clinician.lock().unwrap();
    let desk = sign_in_at(&location, FRONT_DESK);
    assert!(!desk.has_clinical_access());
    desk.lock().unwrap();

    let practice = db::open(&location.practice_db_path(), &keys.practice, false).unwrap();
    let clinical = db::open(&location.clinical_db_path(), &clinical_key, false).unwrap();
    assert_eq!(
        user_version(&practice),
        PRACTICE.last().unwrap().version,
        "practice.db at the newest level"
    );
    assert_eq!(
        user_version(&clinical),
        CLINICAL.last().unwrap().version,
        "clinical.db at the newest level"
    );
    for (conn, before) in [(&practice, &practice_before), (&clinical, &clinical_before)] {
        for (table, columns, rows) in before {
            let after = rows_of(conn, table, columns);
            if table == "audit_log" {
                // The trail only grows: the sign-ins since are appended.
                assert!(after.len() > rows.len());
                assert_eq!(&after[..rows.len()], &rows[..], "{table}");
            } else {
                assert_eq!(&after, rows, "{table}");
            }
        }
    }
    // Every later level is there: its tables, and a column added to an old
    // table with its default for the row that was already there.
    for table in ["clients", "rooms", "groups", "sessions", "login_keys"] {
        assert!(tables_of(&practice).contains(&table.to_owned()), "{table}");
    }
    let scope: i64 = practice
        .query_row(
            "SELECT notes_scope_limited FROM practice_settings WHERE id = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(scope, 1);
    assert!(tables_of(&clinical).len() > clinical_before.len());
}

fn sign_in_at(
    location: &circle_core::vault::location::VaultLocation,
    username: &str,
) -> circle_core::signed_in::SignedIn {
    signin::unlock(location, username, &pass(INITIAL_PASS)).expect("staff unlock")
}

/// `migrate` runs every pending level in one transaction: when one fails,
/// the levels before it in the same run are undone too, `user_version`
/// stays where it was, and the error says nothing was changed.
#[test]
fn a_migration_that_fails_rolls_back_and_says_so() {
    use circle_core::vault::migrations::{self, Migration, PRACTICE};
    use circle_core::vault::secret::SecretKey;

    const LEVEL_TWO: &str = "CREATE TABLE extras (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
         INSERT INTO extras (name) VALUES ('kept only if all goes well');
         UPDATE staff SET full_name = 'Renamed by level 2';";
    // Its first statement works; its second breaks the staff's unique username.
    const BROKEN_LEVEL_THREE: &str = "ALTER TABLE staff ADD COLUMN nickname TEXT;
         INSERT INTO staff (username, full_name, role, created_at)
         VALUES ('dana', 'Another Dana', 'owner', '2030-01-01T09:00:00Z');";
    const FIXED_LEVEL_THREE: &str = "ALTER TABLE staff ADD COLUMN nickname TEXT;";

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("practice.db");
    let key = SecretKey::from_bytes([42; 32]);
    let mut conn = db::open(&path, &key, true).unwrap();
    migrations::migrate(&mut conn, &PRACTICE[..1], &path).unwrap();
    conn.execute_batch(
        "INSERT INTO staff (username, full_name, role, created_at)
         VALUES ('dana', 'Dana Reyes', 'owner', '2030-01-01T09:00:00Z')",
    )
    .unwrap();
    let before = whole_database(&conn);
    assert_eq!(user_version(&conn), 1);

    let failing = [
        Migration {
            version: 1,
            sql: PRACTICE[0].sql,
        },
        Migration {
            version: 2,
            sql: LEVEL_TWO,
        },
        Migration {
            version: 3,
            sql: BROKEN_LEVEL_THREE,
        },
    ];
    let err = migrations::migrate(&mut conn, &failing, &path).unwrap_err();
    match &err {
        Error::Storage { detail } => assert!(
            detail.contains("UNIQUE constraint failed: staff.username"),
            "{detail}"
        ),
        other => panic!("expected a storage error, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        "Circle could not read or write its vault. Nothing was changed."
    );
    assert!(conn.is_autocommit(), "no transaction left open");
    assert_eq!(user_version(&conn), 1);
    assert_eq!(whole_database(&conn), before, "level 2 was undone too");
    drop(conn);
    // Nothing half-done reached the file either.
    let mut conn = db::open(&path, &key, false).unwrap();
    assert_eq!(user_version(&conn), 1);
    assert_eq!(whole_database(&conn), before);

    // Circle's own list fails the same way when the database is not what
    // its level says (a table level 2 makes is already there): level 2's
    // first table is not left behind.
    conn.execute_batch("CREATE TABLE rooms (id INTEGER PRIMARY KEY)")
        .unwrap();
    let with_rooms = whole_database(&conn);
    let err = migrations::migrate(&mut conn, PRACTICE, &path).unwrap_err();
    assert!(
        matches!(&err, Error::Storage { detail } if detail.contains("table rooms already exists")),
        "{err:?}"
    );
    assert_eq!(user_version(&conn), 1);
    assert_eq!(whole_database(&conn), with_rooms);
    assert!(!tables_of(&conn).contains(&"clients".to_owned()));
    conn.execute_batch("DROP TABLE rooms").unwrap();

    // Mended, the same run goes through and records its level.
    let fixed = [
        Migration {
            version: 1,
            sql: PRACTICE[0].sql,
        },
        Migration {
            version: 2,
            sql: LEVEL_TWO,
        },
        Migration {
            version: 3,
            sql: FIXED_LEVEL_THREE,
        },
    ];
    migrations::migrate(&mut conn, &fixed, &path).unwrap();
    assert_eq!(user_version(&conn), 3);
    let name: String = conn
        .query_row(
            "SELECT full_name FROM staff WHERE username = 'dana'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(name, "Renamed by level 2");
    assert!(columns_of(&conn, "staff").contains(&"nickname".to_owned()));
}

// ---------------------------------------------------------------- backoff

/// Five failures are free; then each failure makes the next attempt wait
/// 30 seconds, doubling to at most 15 minutes; a success clears it all.
#[test]
fn the_failed_unlock_wait_doubles_up_to_fifteen_minutes_and_resets_after_a_success() {
    use circle_core::vault::keyring::FREE_ATTEMPTS;

    let v = new_vault();
    let mut entry = v.keyring().entry(OWNER).unwrap().clone();
    assert_eq!((entry.failed_attempts, entry.locked_until), (0, None));
    assert_eq!(FREE_ATTEMPTS, 5);

    // The rule itself, with explicit times. Each failure comes the moment
    // the previous wait is over.
    let expected = [
        None,
        None,
        None,
        None,
        Some(30),
        Some(60),
        Some(120),
        Some(240),
        Some(480),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
        Some(900),
    ];
    let mut now: i64 = 1_900_000_000;
    for (i, wait) in expected.into_iter().enumerate() {
        assert_eq!(entry.wait_remaining(now), None, "failure {}", i + 1);
        entry.record_failure(now);
        assert_eq!(entry.failed_attempts, i as u32 + 1);
        assert_eq!(entry.wait_remaining(now), wait, "after failure {}", i + 1);
        if let Some(wait) = wait {
            assert_eq!(entry.locked_until, Some(now + wait));
            // One second before the end it still waits, for that one second.
            assert_eq!(entry.wait_remaining(now + wait - 1), Some(1));
            now += wait;
        } else {
            now += 1;
        }
    }
    // Even a thousand failures wait no more than 15 minutes.
    entry.failed_attempts = 1000;
    entry.record_failure(now);
    assert_eq!(entry.wait_remaining(now), Some(900));
    entry.failed_attempts = u32::MAX;
    entry.record_failure(now);
    assert_eq!(entry.failed_attempts, u32::MAX);
    assert_eq!(entry.wait_remaining(now), Some(900));
    entry.record_success();
    assert_eq!((entry.failed_attempts, entry.locked_until), (0, None));
    assert_eq!(entry.wait_remaining(now), None);

    // The same through real sign-ins, with Circle's clock pinned.
    let start = chrono::DateTime::parse_from_rfc3339("2030-05-06T09:00:00Z")
        .unwrap()
        .timestamp();
    let at = |seconds: i64| {
        circle_core::clock::instant_text(circle_core::clock::from_unix(start + seconds).unwrap())
    };
    let clock = pin_clock(&at(0));
    let wrong = pass("wrong wrong wrong");
    for _ in 0..4 {
        assert!(matches!(
            signin::unlock(&v.location, OWNER, &wrong),
            Err(Error::WrongPassphrase)
        ));
    }
    assert!(matches!(
        signin::unlock(&v.location, OWNER, &wrong),
        Err(Error::RateLimited { seconds: 30 })
    ));
    // While it waits, even the right passphrase is not tried (and not counted).
    clock.set(&at(29));
    assert!(matches!(
        signin::unlock(&v.location, OWNER, &pass(OWNER_PASS)),
        Err(Error::RateLimited { seconds: 1 })
    ));
    assert_eq!(v.keyring().entry(OWNER).unwrap().failed_attempts, 5);
    // The wait over, one more failure doubles it.
    clock.set(&at(30));
    assert!(matches!(
        signin::unlock(&v.location, OWNER, &wrong),
        Err(Error::RateLimited { seconds: 60 })
    ));
    // Many failures later (as keyring.json records them), the cap: 15 minutes.
    let mut keyring = v.keyring();
    keyring.entry_mut(OWNER).unwrap().failed_attempts = 12;
    keyring.save(&v.location.keyring_path()).unwrap();
    clock.set(&at(90));
    let err = signin::unlock(&v.location, OWNER, &wrong).unwrap_err();
    assert!(
        matches!(err, Error::RateLimited { seconds: 900 }),
        "{err:?}"
    );
    assert!(err.to_string().contains("Try again in 15 minutes"), "{err}");
    clock.set(&at(90 + 899));
    assert!(matches!(
        signin::unlock(&v.location, OWNER, &pass(OWNER_PASS)),
        Err(Error::RateLimited { seconds: 1 })
    ));
    // Fifteen minutes on, the right passphrase signs in and clears the count.
    clock.set(&at(90 + 900));
    signin::unlock(&v.location, OWNER, &pass(OWNER_PASS))
        .unwrap()
        .lock()
        .unwrap();
    let entry = v.keyring().entry(OWNER).unwrap().clone();
    assert_eq!((entry.failed_attempts, entry.locked_until), (0, None));
    // So the next mistake is a free one again, not a 15-minute wait.
    assert!(matches!(
        signin::unlock(&v.location, OWNER, &wrong),
        Err(Error::WrongPassphrase)
    ));
    assert_eq!(v.keyring().entry(OWNER).unwrap().failed_attempts, 1);
    assert_eq!(v.keyring().entry(OWNER).unwrap().locked_until, None);
}
