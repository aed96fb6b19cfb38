//! First-run setup: a new vault with its keys, databases, the owner's login
//! and the recovery code.

use std::path::Path;

use crate::audit::chain::{self as audit, Action, Event};
use crate::error::{Error, Result};
use crate::practice;
use crate::roles::Role;
use crate::signed_in::SignedIn;
use crate::staff;
use crate::vault::crypto::{self, random_failed, KdfParams};
use crate::vault::keyring::{self, login_id, Keyring, KeyringEntry, LoginKeys, RECOVERY_ID};
use crate::vault::location::VaultLocation;
use crate::vault::secret::Passphrase;
use crate::vault::{db, migrations, recovery_code};

/// What first-run setup asks for.
#[derive(Debug, Clone)]
pub struct SetupRequest {
    pub practice_name: String,
    pub timezone: String,
    pub owner_full_name: String,
    pub owner_username: String,
    pub passphrase: Passphrase,
}

/// Creates a new vault and signs the owner in. Returns the session and the
/// recovery code, which is shown once and never stored unwrapped.
pub fn setup(location: &VaultLocation, request: SetupRequest) -> Result<(SignedIn, Passphrase)> {
    let practice_name = practice::validate_name(&request.practice_name)?;
    let timezone = practice::validate_timezone(&request.timezone)?;
    let full_name = staff::validate_full_name("ownerFullName", &request.owner_full_name)?;
    let username = staff::validate_username("ownerUsername", &request.owner_username)?;
    crate::passphrase_policy::check(
        "passphrase",
        &request.passphrase,
        &[&username, &full_name, &practice_name],
    )?;

    if location.vault_exists() {
        return Err(Error::Conflict {
            message: "A vault already exists in this folder. Unlock it instead.".into(),
        });
    }
    if location.practice_db_path().exists() || location.clinical_db_path().exists() {
        return Err(Error::Conflict {
            message: "This folder holds vault databases but no keyring.json. Restore the keyring from a backup; Circle will not overwrite the databases.".into(),
        });
    }
    crate::vault::private_files::create_private_dir(location.dir())?;

    let result = create_files(
        location,
        &practice_name,
        &timezone,
        &full_name,
        &username,
        &request.passphrase,
    );
    let recovery_code = match result {
        Ok(code) => code,
        Err(e) => {
            // Nothing was usable yet: leave the folder as it was.
            for path in [
                location.keyring_path(),
                location.practice_db_path(),
                location.clinical_db_path(),
            ] {
                remove_with_sidecars(&path);
            }
            return Err(e);
        }
    };
    let signed_in = super::unlock(location, &username, &request.passphrase)?;
    Ok((signed_in, recovery_code))
}

fn create_files(
    location: &VaultLocation,
    practice_name: &str,
    timezone: &str,
    full_name: &str,
    username: &str,
    passphrase: &Passphrase,
) -> Result<Passphrase> {
    let practice_key = crypto::random_key().map_err(random_failed)?;
    let clinical_key = crypto::random_key().map_err(random_failed)?;

    let mut clinical = db::open(&location.clinical_db_path(), &clinical_key, true)?;
    migrations::migrate(
        &mut clinical,
        migrations::CLINICAL,
        &location.clinical_db_path(),
    )?;
    drop(clinical);

    let mut conn = db::open(&location.practice_db_path(), &practice_key, true)?;
    migrations::migrate(
        &mut conn,
        migrations::PRACTICE,
        &location.practice_db_path(),
    )?;
    let tx = conn.transaction()?;
    practice::insert_settings(&tx, practice_name, timezone)?;
    audit::create_chain_key(&tx)?;
    let owner_id = staff::insert(&tx, username, full_name, Role::Owner)?;
    let chain_key = audit::chain_key(&tx)?;
    audit::record(
        &tx,
        &chain_key,
        Event::new(Some(owner_id), Action::Setup).on("staff", owner_id),
    )?;
    tx.commit()?;
    drop(conn);

    let recovery_code = recovery_code::new()?;
    let keyring = Keyring {
        format: keyring::FORMAT,
        entries: vec![KeyringEntry {
            username: username.to_owned(),
            keys: LoginKeys::create(
                passphrase,
                &login_id(username),
                &practice_key,
                Some(&clinical_key),
                KdfParams::fresh().map_err(random_failed)?,
            )?,
            failed_attempts: 0,
            locked_until: None,
            must_change_passphrase: false,
        }],
        recovery: LoginKeys::create(
            &recovery_code,
            RECOVERY_ID,
            &practice_key,
            Some(&clinical_key),
            KdfParams::fresh().map_err(random_failed)?,
        )?,
        unaudited_failures: Vec::new(),
        dropped_failures: 0,
        unknown_logins: Vec::new(),
        // The first sign-in, just after this, anchors the chain.
        audit_anchor: None,
        practice_id: None,
    };
    // Written last: the vault exists once its keyring does.
    keyring.save(&location.keyring_path())?;
    Ok(recovery_code)
}

fn remove_with_sidecars(path: &Path) {
    let _ = std::fs::remove_file(path);
    for suffix in ["-wal", "-shm"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
