//! Issue 16 (every role × every command) found that any login in a backup
//! could restore it over the vault: DESIGN.md gives backups to the owner
//! and the practice manager only.

use crate::common::*;
use circle_core::backup::{self, Credential, Target};
use circle_core::roles::Role;
use circle_core::Error;

#[test]
fn a_clinician_or_the_front_desk_cannot_restore_a_backup_over_the_vault() {
    let v = new_vault();
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    v.add("mira", "Mira Okafor", Role::Manager);
    let folder = tempfile::tempdir().unwrap();
    let owner = v.owner();
    let prepared = backup::prepare(&owner, Some(folder.path())).expect("prepare");
    let finished = prepared.run(&mut |_| {});
    assert!(backup::record(&owner, &finished).expect("record").ok);
    let file = finished.result.expect("written").file;
    owner.lock().unwrap();

    let keyring_before = std::fs::read(v.location.keyring_path()).unwrap();
    // A restore over the vault would move it aside to `<name>-before-restore-…`.
    let name = v
        .dir
        .path()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    let moved_aside = || {
        std::fs::read_dir(v.dir.path().parent().unwrap())
            .unwrap()
            .flatten()
            .any(|e| {
                e.file_name()
                    .to_string_lossy()
                    .starts_with(&format!("{name}-before-restore"))
            })
    };
    for username in [CLINICIAN, FRONT_DESK] {
        let refused = backup::restore(
            &file,
            &Credential::Passphrase {
                username: username.into(),
                passphrase: pass(INITIAL_PASS),
            },
            &Target::Replace(v.location.clone()),
            &mut |_, _| {},
        );
        assert!(
            matches!(refused, Err(Error::ForbiddenBecause { .. })),
            "{username}: {refused:?}"
        );
    }
    // Nothing was moved aside or replaced.
    assert_eq!(
        std::fs::read(v.location.keyring_path()).unwrap(),
        keyring_before
    );
    assert!(!moved_aside());
    v.owner().lock().unwrap();

    // The practice manager may, as they may take backups.
    let target = tempfile::tempdir().unwrap();
    let restored = backup::restore(
        &file,
        &Credential::Passphrase {
            username: "mira".into(),
            passphrase: pass(INITIAL_PASS),
        },
        &Target::NewFolder(target.path().join("restored")),
        &mut |_, _| {},
    )
    .expect("the manager restores");
    assert!(restored.location.keyring_path().is_file());
}
