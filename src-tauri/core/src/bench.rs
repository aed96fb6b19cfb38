//! The benchmark's plaintext copy of a vault: the same data, opened by the
//! same code, without encryption, so `make bench` can say what encryption
//! costs each screen (the physical limit is the same command on plain
//! SQLite).
//!
//! Only with the `bench` feature, which the app's release build and the
//! installers leave out. The copy holds every note in the clear: it is made
//! for a demo practice of invented people, in the build folder.

use std::path::Path;

use crate::error::{Error, Result};
use crate::signed_in::SignedIn;
use crate::vault::db::{self, plaintext};
use crate::vault::location::VaultLocation;
use crate::vault::secret::Passphrase;

/// Files of the vault folder that are the databases (exported, not copied).
fn is_database_file(name: &str) -> bool {
    ["practice.db", "clinical.db"]
        .iter()
        .any(|db| name == *db || name.starts_with(&format!("{db}-")))
}

/// Writes an unencrypted copy of `owner`'s vault into the new folder `dest`:
/// both databases through SQLCipher's `sqlcipher_export`, every other file
/// (the keyring with its wrapped keys, the demo marker) as it is. `owner`
/// must hold the clinical key.
pub fn export_plaintext(owner: &SignedIn, dest: &Path) -> Result<()> {
    if !owner.has_clinical_access() {
        return Err(Error::Forbidden);
    }
    std::fs::create_dir_all(dest)?;
    let conn = owner.conn();
    for (schema, file) in [
        ("main", "practice.db"),
        (db::CLINICAL_SCHEMA, "clinical.db"),
    ] {
        let target = dest.join(file);
        // The session's connection may not create files: an empty file is
        // an empty database to export into.
        std::fs::File::create(&target)?;
        conn.execute(
            "ATTACH DATABASE ?1 AS bench_plain KEY ''",
            [target.to_string_lossy()],
        )?;
        let exported = conn.query_row(
            "SELECT sqlcipher_export('bench_plain', ?1)",
            [schema],
            |_| Ok(()),
        );
        // sqlcipher_export copies rows and schema, not the header's
        // user_version, which the migrations count by.
        let version = exported.and_then(|()| {
            conn.query_row(&format!("PRAGMA {schema}.user_version"), [], |r| {
                r.get::<_, i64>(0)
            })
        });
        let stamped = version
            .and_then(|v| conn.execute_batch(&format!("PRAGMA bench_plain.user_version = {v}")));
        conn.execute_batch("DETACH DATABASE bench_plain")?;
        stamped?;
    }
    for entry in std::fs::read_dir(owner.location().dir())? {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && !is_database_file(&name) && name != "vault.lock" {
            std::fs::copy(entry.path(), dest.join(&name))?;
        }
    }
    Ok(())
}

/// Signs in to a copy made by [`export_plaintext`] exactly as
/// [`crate::signin::unlock`] does (the keys are unwrapped from the keyring
/// as usual), except that the databases are opened without a key.
pub fn unlock_plaintext(
    location: &VaultLocation,
    username: &str,
    passphrase: &Passphrase,
) -> Result<SignedIn> {
    on_plaintext(|| crate::signin::unlock(location, username, passphrase))
}

/// Runs `work` (a sign-in, a verify) with databases opened or checked on
/// this thread taken to be plaintext copies: no key, and no
/// `cipher_integrity_check` (there is no page MAC to check).
pub fn on_plaintext<T>(work: impl FnOnce() -> T) -> T {
    struct Off;
    impl Drop for Off {
        fn drop(&mut self) {
            plaintext::ON.with(|on| on.set(false));
        }
    }
    plaintext::ON.with(|on| on.set(true));
    let _off = Off;
    work()
}
