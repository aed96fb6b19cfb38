//! The crate-only test: a failure in the middle of the write leaves no
//! client behind. The rest is tested from tests/it/import.rs.

use super::*;
use crate::signin::{self, SetupRequest};
use crate::vault::location::VaultLocation;
use crate::vault::secret::Passphrase;

fn owner_vault() -> (tempfile::TempDir, SignedIn) {
    let dir = tempfile::tempdir().unwrap();
    let location = VaultLocation::at(dir.path());
    let (session, _code) = signin::setup(
        &location,
        SetupRequest {
            practice_name: "Harbour Light Recovery".into(),
            timezone: "Europe/London".into(),
            owner_full_name: "Dana Reyes".into(),
            owner_username: "dana".into(),
            passphrase: Passphrase::new("quiet lantern orchard tide"),
        },
    )
    .unwrap();
    (dir, session)
}

fn clients(signed_in: &SignedIn) -> i64 {
    signed_in
        .conn()
        .query_row("SELECT count(*) FROM clients", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_failure_in_the_middle_of_an_import_leaves_no_client() {
    let (_dir, owner) = owner_vault();
    let mut file = String::from("First name;Last name;Date of birth\n");
    for i in 0..200 {
        let last = if i == 120 { "Boom" } else { "Lee" };
        file.push_str(&format!("Row{i};{last};1980-01-{:02}\n", i % 28 + 1));
    }
    let table = read_table(file.as_bytes()).unwrap();
    // The disk fails (a trigger stands in for it) as row 121 is written.
    owner
        .conn()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_midway BEFORE INSERT ON clients
             WHEN NEW.legal_last_name = 'Boom'
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END;",
        )
        .unwrap();
    let failed = import(&owner, &table, &ImportChoices::default());
    match failed {
        Err(Error::Invalid { field, reason }) => {
            assert_eq!(field, "file");
            assert!(
                reason.starts_with("Line 122 could not be saved, so nothing was imported"),
                "{reason}"
            );
        }
        other => panic!("expected the import refused, got {other:?}"),
    }
    assert_eq!(clients(&owner), 0, "all or none: none");
    owner
        .conn()
        .execute_batch("DROP TRIGGER fail_midway")
        .unwrap();
    let done = import(&owner, &table, &ImportChoices::default()).unwrap();
    assert_eq!((done.imported, clients(&owner)), (200, 200));
}
