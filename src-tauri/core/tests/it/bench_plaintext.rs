//! The benchmark's plaintext copy (`circle_core::bench`): the same practice,
//! readable by the same code without a key, and never a way into the
//! encrypted vault.

use circle_core::bench;
use circle_core::clients;
use circle_core::vault::location::VaultLocation;

use crate::common::*;
use crate::notes::client_for_tests;

const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

fn starts_plain(path: &std::path::Path) -> bool {
    std::fs::read(path)
        .expect("read")
        .starts_with(SQLITE_HEADER)
}

#[test]
fn the_plaintext_copy_holds_the_same_practice_in_the_clear_and_opens_through_the_same_code() {
    let v = new_vault();
    let owner = v.owner();
    let id = client_for_tests(&owner, "Zoë", "Nguyễn");
    let copy = tempfile::tempdir().expect("temp dir");
    let dest = copy.path().join("plain");
    bench::export_plaintext(&owner, &dest).expect("export");
    owner.lock().expect("lock");

    // The vault is encrypted; the copy is plain SQLite with the same keyring.
    for db in ["practice.db", "clinical.db"] {
        assert!(!starts_plain(&v.location.dir().join(db)), "{db} encrypted");
        assert!(starts_plain(&dest.join(db)), "{db} copied in the clear");
    }
    assert!(dest.join("keyring.json").is_file());

    // The same sign-in, the same services, the same client.
    let plain = VaultLocation::at(&dest);
    let s = bench::unlock_plaintext(&plain, OWNER, &pass(OWNER_PASS)).expect("plain unlock");
    let client = clients::get(&s, id).expect("read the client");
    assert_eq!(client.legal_last_name, "Nguyễn");
    let report = bench::on_plaintext(|| circle_core::integrity::verify(&s)).expect("verify");
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    s.lock().expect("lock");

    // The ordinary sign-in refuses the plaintext copy: it is not a vault
    // Circle opens outside the benchmark.
    assert!(circle_core::signin::unlock(&plain, OWNER, &pass(OWNER_PASS)).is_err());
}
