//! The routes around the keys, each performed as an attacker would: someone
//! who can write the vault folder but holds no passphrase (editing
//! keyring.json), a staff member with the keys their own role holds
//! (editing practice.db), or a manager using every screen their role opens.

use crate::common::*;
use circle_core::accounts;
use circle_core::audit::{self, AuditFilter};
use circle_core::clinical_access;
use circle_core::key_rotation;
use circle_core::roles::Role;
use circle_core::signed_in::SignedIn;
use circle_core::signin;
use circle_core::vault::crypto::{self, DeliveryKeyPair};
use circle_core::vault::db;
use circle_core::Error;

const MANAGER: &str = "morgan";

fn audited(signed_in: &SignedIn, prefix: &str) -> usize {
    audit::list_for(
        signed_in,
        &AuditFilter {
            action_prefix: Some(prefix.into()),
            limit: Some(1000),
            ..Default::default()
        },
    )
    .unwrap()
    .len()
}

// ------------------------------------------------------------- route 1: keyring.json

#[test]
fn a_planted_public_key_in_a_clinicians_entry_never_receives_the_clinical_key() {
    let v = new_vault();
    let ana = v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    // No passphrase needed: drop Ana's clinical key and swap in our public key.
    let attacker = DeliveryKeyPair::generate().unwrap();
    let mut keyring = v.keyring();
    let entry = keyring.entry_mut(CLINICIAN).unwrap();
    entry.keys.clinical_key = None;
    entry.keys.deliveries.clear();
    entry.keys.delivery_public = attacker.public.clone();
    keyring.save(&v.location.keyring_path()).unwrap();

    // The next clinical sign-in seals nothing to anyone.
    let owner = v.owner();
    assert!(v
        .keyring()
        .entry(CLINICIAN)
        .unwrap()
        .keys
        .deliveries
        .is_empty());
    // The owner sees Ana waiting, marked as not matching, and cannot approve.
    let waiting = clinical_access::waiting(&owner).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].staff_id, ana);
    assert!(!waiting[0].keyring_matches);
    assert!(matches!(
        clinical_access::approve(&owner, ana),
        Err(Error::Conflict { .. })
    ));
    assert!(v
        .keyring()
        .entry(CLINICIAN)
        .unwrap()
        .keys
        .deliveries
        .is_empty());
    drop(owner);
    // Ana's own sign-in reports her entry as tampered with.
    assert!(matches!(
        signin::unlock(&v.location, CLINICIAN, &pass(INITIAL_PASS)),
        Err(Error::Corrupt { .. })
    ));
}

#[test]
fn planted_deliveries_of_an_attackers_keys_are_refused_and_nothing_is_re_encrypted() {
    let v = new_vault();
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let real = v.unwrap_as(OWNER, OWNER_PASS);
    let evil_practice = crypto::random_key().unwrap();
    let evil_clinical = crypto::random_key().unwrap();
    let mut keyring = v.keyring();
    for entry in keyring.entries.iter_mut() {
        entry
            .keys
            .deliver(Some(&evil_practice), Some(&evil_clinical), false)
            .unwrap();
    }
    keyring
        .recovery
        .deliver(Some(&evil_practice), Some(&evil_clinical), false)
        .unwrap();
    keyring.save(&v.location.keyring_path()).unwrap();

    let owner = v.owner();
    assert!(owner.has_clinical_access());
    assert_eq!(audited(&owner, "vault.key_delivery_refused"), 2);
    owner.lock().unwrap();
    v.sign_in(CLINICIAN).lock().unwrap();

    let practice = v.location.practice_db_path();
    let clinical = v.location.clinical_db_path();
    assert!(db::open(&practice, &evil_practice, false).is_err());
    assert!(db::open(&clinical, &evil_clinical, false).is_err());
    assert!(db::open(&practice, &real.practice, false).is_ok());
    assert!(db::open(&clinical, real.clinical.as_ref().unwrap(), false).is_ok());
    // The owner's entry wraps the real keys again, not the planted ones.
    let again = v.unwrap_as(OWNER, OWNER_PASS);
    assert_eq!(again.practice.expose(), real.practice.expose());
    assert!(again.superseded_practice.is_empty());
}

#[test]
fn a_swapped_recovery_public_key_stops_a_rotation_before_it_seals_anything() {
    let v = new_vault();
    let attacker = DeliveryKeyPair::generate().unwrap();
    let mut keyring = v.keyring();
    keyring.recovery.delivery_public = attacker.public.clone();
    keyring.save(&v.location.keyring_path()).unwrap();
    let before = std::fs::read(v.location.keyring_path()).unwrap();
    let real = v.unwrap_as(OWNER, OWNER_PASS);

    let mut owner = v.owner();
    let err = key_rotation::rotate_keys(&mut owner, &mut |_| {}).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert_eq!(audited(&owner, "vault.keyring_mismatch"), 1);
    owner.lock().unwrap();
    let after = v.keyring();
    for boxed in &after.recovery.deliveries {
        assert!(crypto::open_sealed_box(&attacker.secret, boxed).is_err());
    }
    assert!(after.recovery.deliveries.is_empty());
    assert!(db::open(&v.location.practice_db_path(), &real.practice, false).is_ok());
    // Nothing but the owner's own sign-in touched the keyring.
    let owner_entry_before: serde_json::Value = serde_json::from_slice(&before).unwrap();
    assert_eq!(
        owner_entry_before["recovery"],
        serde_json::to_value(&after.recovery).unwrap()
    );
}

// ------------------------------------------------------------- route 2: roles

#[test]
fn a_manager_cannot_raise_their_own_role_nor_touch_an_owner_or_a_clinician() {
    let v = new_vault();
    let mgr = v.add(MANAGER, "Morgan Hale", Role::Manager);
    let ana = v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let desk = v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let owner_id = v.owner().actor().staff_id;
    let mut manager = v.sign_in(MANAGER);
    let new_pass = pass("amber cliff saffron lighthouse");

    for (who, role) in [
        (mgr, Role::Supervisor),
        (owner_id, Role::FrontDesk),
        (ana, Role::FrontDesk),
        (desk, Role::Owner),
    ] {
        assert!(
            accounts::change_role(&manager, who, role).is_err(),
            "{who} -> {role:?}"
        );
    }
    assert!(accounts::reset_passphrase(&manager, owner_id, &new_pass).is_err());
    assert!(accounts::reset_passphrase(&manager, ana, &new_pass).is_err());
    assert!(accounts::deactivate(&mut manager, owner_id, false, &mut |_| {}).is_err());
    assert!(accounts::deactivate(&mut manager, ana, false, &mut |_| {}).is_err());
    // The owner's recovery code still works: nobody demoted them.
    drop(manager);
    assert!(signin::recover(&v.location, OWNER, &pass(&v.recovery_code), &new_pass).is_ok());
}

#[test]
fn a_role_raised_in_practice_db_by_the_front_desk_grants_nothing_until_approved() {
    let v = new_vault();
    let desk = v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    // Offline, with the practice key the front desk's own passphrase unwraps.
    let keys = v.unwrap_as(FRONT_DESK, INITIAL_PASS);
    let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
    conn.execute("UPDATE staff SET role = 'supervisor' WHERE id = ?1", [desk])
        .unwrap();
    drop(conn);

    // A clinical sign-in used to hand over the clinical key here.
    let owner = v.owner();
    assert!(v
        .keyring()
        .entry(FRONT_DESK)
        .unwrap()
        .keys
        .deliveries
        .is_empty());
    let waiting = clinical_access::waiting(&owner).unwrap();
    assert_eq!(waiting.len(), 1);
    assert_eq!(waiting[0].staff_id, desk);
    assert_eq!(
        waiting[0].changed_by, None,
        "no role change in the audit trail"
    );
    owner.lock().unwrap();
    let desk_signed_in = v.sign_in(FRONT_DESK);
    assert!(!desk_signed_in.has_clinical_access());
}

// ------------------------------------------------------------- route 4: rotations

#[test]
fn a_rotation_whose_re_encryption_fails_changes_nothing_and_everyone_still_signs_in() {
    let v = new_vault();
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    // A first rotation goes through, and everyone takes up its keys.
    let mut owner = v.owner();
    key_rotation::rotate_keys(&mut owner, &mut |_| {}).unwrap();
    owner.lock().unwrap();
    for who in [CLINICIAN, FRONT_DESK] {
        v.sign_in(who).lock().unwrap();
    }
    let current = v.unwrap_as(OWNER, OWNER_PASS);

    // The second one cannot re-encrypt clinical.db: another reader holds it.
    let blocker = db::open(
        &v.location.clinical_db_path(),
        current.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap();
    blocker
        .execute_batch("BEGIN; SELECT count(*) FROM sqlite_master;")
        .unwrap();
    let keyring_before = std::fs::read(v.location.keyring_path()).unwrap();
    let mut owner = v.owner();
    let keyring_after_sign_in = std::fs::read(v.location.keyring_path()).unwrap();
    assert!(key_rotation::rotate_keys(&mut owner, &mut |_| {}).is_err());
    drop(blocker);
    assert_eq!(audited(&owner, "vault.key_rotation_failed"), 1);
    owner.lock().unwrap();
    // All but the audit anchor, which moves with every batch of audit rows.
    let without_anchor = |bytes: &[u8]| {
        let mut json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        json.as_object_mut().unwrap().remove("audit_anchor");
        json
    };
    assert_eq!(
        without_anchor(&std::fs::read(v.location.keyring_path()).unwrap()),
        without_anchor(&keyring_after_sign_in),
        "the keyring is as it was before the rotation"
    );
    drop(keyring_before);

    // Every login still opens everything its role allows.
    let owner = v.owner();
    assert!(owner.has_clinical_access());
    owner.lock().unwrap();
    assert!(v.sign_in(CLINICIAN).has_clinical_access());
    v.sign_in(FRONT_DESK).lock().unwrap();
    assert!(db::open(&v.location.practice_db_path(), &current.practice, false).is_ok());
}

#[test]
fn two_rotations_cut_off_by_power_cuts_still_open_for_everyone() {
    let v = new_vault();
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let first = tempfile::tempdir().unwrap();
    let mut owner = v.owner();
    key_rotation::rotate_keys(&mut owner, &mut |step| {
        if step.label == "Re-encrypting the practice records" {
            copy_folder(v.dir.path(), first.path());
        }
    })
    .unwrap();
    owner.lock().unwrap();
    // On the copy cut off mid-way, a second rotation is started — from a
    // sign-in that finishes the first — and cut off too.
    let location = circle_core::vault::location::VaultLocation::at(first.path());
    let second = tempfile::tempdir().unwrap();
    let mut owner = signin::unlock(&location, OWNER, &pass(OWNER_PASS)).unwrap();
    key_rotation::rotate_keys(&mut owner, &mut |step| {
        if step.label == "Re-encrypting the practice records" {
            copy_folder(first.path(), second.path());
        }
    })
    .unwrap();
    owner.lock().unwrap();

    let location = circle_core::vault::location::VaultLocation::at(second.path());
    let clinician = signin::unlock(&location, CLINICIAN, &pass(INITIAL_PASS)).unwrap();
    assert!(clinician.has_clinical_access());
    clinician.lock().unwrap();
    let owner = signin::unlock(&location, OWNER, &pass(OWNER_PASS)).unwrap();
    assert!(owner.has_clinical_access());
    assert!(circle_core::integrity::verify(&owner)
        .unwrap()
        .findings
        .is_empty());
}

// ------------------------------------------------------------- route 6: sign-in

#[test]
fn unknown_usernames_are_throttled_exactly_like_real_ones() {
    let v = new_vault();
    let kinds = |username: &str| -> Vec<String> {
        (0..6)
            .map(
                |_| match signin::unlock(&v.location, username, &pass("wrong wrong wrong")) {
                    Err(Error::WrongPassphrase) => "wrong".to_owned(),
                    Err(Error::RateLimited { .. }) => "wait".to_owned(),
                    other => format!("{other:?}"),
                },
            )
            .collect()
    };
    let known = kinds(OWNER);
    let unknown = kinds("nobody");
    assert_eq!(known, unknown);
    assert_eq!(known[4], "wait");
}

#[test]
fn failed_unlocks_at_the_same_moment_are_all_counted() {
    let v = new_vault();
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                let _ = signin::unlock(&v.location, OWNER, &pass("wrong wrong wrong"));
            });
        }
    });
    assert_eq!(v.keyring().entry(OWNER).unwrap().failed_attempts, 4);
    assert_eq!(v.keyring().unaudited_failures.len(), 4);
}

#[test]
fn guessing_the_current_passphrase_in_the_change_form_is_throttled() {
    let v = new_vault();
    let mut owner = v.owner();
    let new = pass("amber cliff saffron lighthouse");
    let mut answers = Vec::new();
    for _ in 0..5 {
        answers.push(
            accounts::change_own_passphrase(&mut owner, &pass("wrong wrong wrong"), &new)
                .unwrap_err(),
        );
    }
    assert!(matches!(answers[0], Error::Invalid { .. }));
    assert!(matches!(answers[4], Error::RateLimited { .. }));
    // Now even the right one waits.
    assert!(matches!(
        accounts::change_own_passphrase(&mut owner, &pass(OWNER_PASS), &new),
        Err(Error::RateLimited { .. })
    ));
}

#[test]
fn a_recovery_retires_the_used_code_and_failed_recoveries_are_audited() {
    let v = new_vault();
    let new_pass = pass("amber cliff saffron lighthouse");
    for _ in 0..2 {
        let err = signin::recover(
            &v.location,
            OWNER,
            &pass("0000-0000-0000-0000-0000-0000-0000-0000"),
            &new_pass,
        )
        .unwrap_err();
        assert_eq!(err.field(), Some("recoveryCode"));
    }
    let (owner, new_code) =
        signin::recover(&v.location, OWNER, &pass(&v.recovery_code), &new_pass).unwrap();
    assert_ne!(new_code.expose(), v.recovery_code);
    assert_eq!(audited(&owner, "session.recover_failed"), 2);
    owner.lock().unwrap();
    let used = signin::recover(&v.location, OWNER, &pass(&v.recovery_code), &new_pass);
    assert_eq!(used.unwrap_err().field(), Some("recoveryCode"));
    assert!(signin::recover(&v.location, OWNER, &new_code, &new_pass).is_ok());
}
