//! Fixtures: real vaults in temp folders, real SQLCipher, real Argon2id.
#![allow(dead_code)]

use circle_core::accounts::{self, NewStaff};
use circle_core::roles::Role;
use circle_core::signed_in::SignedIn;
use circle_core::signin::{self, SetupRequest};
use circle_core::vault::keyring::{login_id, Keyring, UnlockedKeys};
use circle_core::vault::location::VaultLocation;
use circle_core::vault::secret::Passphrase;

pub const PRACTICE: &str = "Sunrise Family Counselling";
pub const OWNER: &str = "dana";
pub const OWNER_NAME: &str = "Dana Reyes";
pub const OWNER_PASS: &str = "quiet lantern orchard tide";
pub const CLINICIAN: &str = "max";
pub const CLINICIAN_NAME: &str = "Maximilian Oyelaran";
pub const FRONT_DESK: &str = "frontdesk";
pub const FRONT_DESK_NAME: &str = "Priya Castellanos";
/// The passphrase of people added with [`TestVault::add`], chosen by them at
/// their first sign-in (and, with [`TestVault::add_unsettled`], the one the
/// administrator chose, still to be replaced).
pub const INITIAL_PASS: &str = "copper meadow violin harbor";
/// What the administrator gives a login made with [`TestVault::add`].
pub const ASSIGNED_PASS: &str = "tundra pebble quiver lantern";

pub struct TestVault {
    pub dir: tempfile::TempDir,
    pub location: VaultLocation,
    pub recovery_code: String,
}

pub fn pass(text: &str) -> Passphrase {
    Passphrase::new(text)
}

/// A new vault with its owner, locked again.
pub fn new_vault() -> TestVault {
    let dir = tempfile::tempdir().expect("temp dir");
    let location = VaultLocation::at(dir.path());
    let (session, code) = signin::setup(
        &location,
        SetupRequest {
            practice_name: PRACTICE.into(),
            timezone: "Europe/London".into(),
            owner_full_name: OWNER_NAME.into(),
            owner_username: OWNER.into(),
            passphrase: pass(OWNER_PASS),
        },
    )
    .expect("setup");
    session.lock().expect("lock");
    TestVault {
        dir,
        location,
        recovery_code: code.expose().to_owned(),
    }
}

impl TestVault {
    pub fn owner(&self) -> SignedIn {
        signin::unlock(&self.location, OWNER, &pass(OWNER_PASS)).expect("owner unlock")
    }

    /// Adds a person as the owner, who gives them ASSIGNED_PASS; at their
    /// first sign-in they choose INITIAL_PASS, as Circle requires before
    /// anything else, and sign in with it from then on.
    pub fn add(&self, username: &str, full_name: &str, role: Role) -> i64 {
        let id = self.add_with(username, full_name, role, ASSIGNED_PASS);
        let mut first =
            signin::unlock(&self.location, username, &pass(ASSIGNED_PASS)).expect("first sign-in");
        accounts::change_own_passphrase(&mut first, &pass(ASSIGNED_PASS), &pass(INITIAL_PASS))
            .expect("choose own passphrase");
        first.lock().expect("lock");
        id
    }

    /// Adds a person as the owner, who gives them INITIAL_PASS; they have
    /// not signed in yet, so they must still choose their own.
    pub fn add_unsettled(&self, username: &str, full_name: &str, role: Role) -> i64 {
        self.add_with(username, full_name, role, INITIAL_PASS)
    }

    fn add_with(&self, username: &str, full_name: &str, role: Role, passphrase: &str) -> i64 {
        let session = self.owner();
        let member = accounts::add(
            &session,
            NewStaff {
                username: username.into(),
                full_name: full_name.into(),
                role,
                initial_passphrase: pass(passphrase),
            },
        )
        .expect("add staff");
        session.lock().expect("lock");
        member.id
    }

    pub fn sign_in(&self, username: &str) -> SignedIn {
        signin::unlock(&self.location, username, &pass(INITIAL_PASS)).expect("staff unlock")
    }

    pub fn keyring(&self) -> Keyring {
        Keyring::load(&self.location.keyring_path()).expect("load keyring")
    }

    /// Everything a login can unwrap with its passphrase, as an attacker
    /// holding the files and that passphrase would.
    pub fn unwrap_as(&self, username: &str, passphrase: &str) -> UnlockedKeys {
        let mut keyring = self.keyring();
        let entry = keyring.entry_mut(username).expect("entry");
        entry
            .keys
            .open(&pass(passphrase), &login_id(username))
            .expect("unwrap")
            .keys
    }

    /// Every file in the vault folder (databases, WAL, keyring).
    pub fn files(&self) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(self.dir.path())
            .expect("read vault dir")
            .map(|e| e.expect("entry").path())
            .collect()
    }
}

/// circle-core's clock, pinned on this thread (see `circle_core::clock`)
/// until this is dropped; then the system clock again.
#[must_use = "the clock goes back to the system clock when this is dropped"]
pub struct PinnedClock(());

/// Pins `circle_core::clock::now` on the calling thread to `at` (RFC 3339),
/// so a test that depends on "now" holds whatever the calendar says.
pub fn pin_clock(at: &str) -> PinnedClock {
    let pinned = PinnedClock(());
    pinned.set(at);
    pinned
}

impl PinnedClock {
    /// Moves the pinned clock to `at` (RFC 3339).
    pub fn set(&self, at: &str) {
        let at = chrono::DateTime::parse_from_rfc3339(at)
            .expect("an RFC 3339 instant")
            .with_timezone(&chrono::Utc);
        circle_core::clock::set_now_for_tests(Some(at));
    }
}

impl Drop for PinnedClock {
    fn drop(&mut self) {
        circle_core::clock::set_now_for_tests(None);
    }
}

/// Flips bytes in the middle of a file (past the SQLCipher salt).
pub fn flip_bytes(path: &std::path::Path, offset: usize) {
    let mut bytes = std::fs::read(path).expect("read");
    for b in &mut bytes[offset..offset + 8] {
        *b ^= 0xA5;
    }
    std::fs::write(path, bytes).expect("write");
}

/// Every scheduling and audit table as text, read through a second
/// connection: equal before and after means a failed write wrote nothing.
pub fn snapshot(v: &TestVault) -> String {
    let keys = v.unwrap_as(OWNER, OWNER_PASS);
    let conn = circle_core::vault::db::open(&v.location.practice_db_path(), &keys.practice, false)
        .expect("open practice.db");
    let mut out = String::new();
    for table in [
        "clients",
        "rooms",
        "groups",
        "group_cofacilitators",
        "enrollments",
        "series",
        "sessions",
        "session_members",
        "appointments",
        "availability_blocks",
        "attendance",
        "audit_log",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY rowid"))
            .expect("select");
        let columns = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..columns)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .expect("query")
            .collect::<rusqlite::Result<Vec<_>>>()
            .expect("rows");
        out.push_str(&format!("{table}: {rows:?}\n"));
    }
    out
}

/// Copies every file of a vault folder as it is on disk now (databases with
/// their WAL, keyring): what a power cut at this moment would leave.
pub fn copy_folder(from: &std::path::Path, to: &std::path::Path) {
    for entry in std::fs::read_dir(from).expect("read vault dir") {
        let entry = entry.expect("dir entry");
        if entry.path().is_file() {
            std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
        }
    }
}
