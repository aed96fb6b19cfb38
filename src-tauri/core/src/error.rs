//! The one error type of `circle-core`.
//!
//! Every variant is something the UI can act on. Messages are written for the
//! person at the screen and never carry PHI (no names, no note text): details
//! that might hold PHI belong in the local log, not here.

use std::path::PathBuf;

/// What went wrong, in terms a screen can show and a field can be highlighted by.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The vault is locked; unlock first.
    #[error("Circle is locked. Unlock to continue.")]
    Locked,
    /// The signed-in person's role does not allow this.
    #[error("You are not permitted to do this.")]
    Forbidden,
    /// Refused like `Forbidden` (the UI gets kind "forbidden"), with a
    /// sentence saying who may do it instead. No PHI: a fixed text.
    #[error("{reason}")]
    ForbiddenBecause { reason: &'static str },
    /// Someone else chose this sign-in's passphrase (a new login, a reset):
    /// until its holder chooses their own, nothing else is allowed. The shell
    /// sends it as `forbidden`; the UI already shows the forced-change screen.
    #[error("Choose your own passphrase first. Until then Circle can do nothing else for you.")]
    PassphraseChangeRequired,
    /// The thing asked for does not exist (or is not visible to this person).
    #[error("{what} was not found.")]
    NotFound { what: &'static str },
    /// Input that fails validation; `field` names the form field to highlight.
    #[error("{reason}")]
    Invalid { field: String, reason: String },
    /// The change collides with something that exists; the message names it.
    #[error("{message}")]
    Conflict { message: String },
    /// The passphrase (or recovery code) did not unwrap the keys.
    #[error("That passphrase is not right. Check it and try again.")]
    WrongPassphrase,
    /// A vault file cannot be read as what it should be.
    #[error("The vault file {file} cannot be read: it is damaged or not a Circle file.")]
    Corrupt { file: String },
    /// The vault was written by a newer Circle; opening it could damage it.
    #[error("This vault was written by a newer version of Circle ({file}). Install the newer version to open it.")]
    VaultTooNew { file: String },
    /// Too many wrong passphrases for this login: wait before trying again.
    /// A backup that cannot be restored: which part, and why.
    #[error("This backup cannot be used: {part}: {reason}. Nothing was changed.")]
    BackupDamaged { part: String, reason: String },
    #[error("Too many attempts. Try again in {}, or use the recovery code.", wait_phrase(*seconds))]
    RateLimited { seconds: i64 },
    /// SQLite failed in a way that is not corruption (a bug or a full disk).
    /// `detail` goes to the local log only.
    #[error("Circle could not read or write its vault. Nothing was changed.")]
    Storage { detail: String },
    /// The operating system refused a file operation. A full disk and a
    /// folder Circle may not write in are said in words a person can act on
    /// ([`io_message`]), and so are SQLite's own reports of them (see
    /// `From<rusqlite::Error>`).
    #[error("{}", io_message(.0).map_or_else(|| format!("A file operation failed: {}", .0), str::to_owned))]
    Io(#[from] std::io::Error),
}

/// What a full disk (or a file grown past what the system allows) says.
pub const DISK_FULL: &str = "The disk is full or cannot be written to, so Circle could not save. Make room on the disk (or reconnect the drive), then try again.";
/// What a folder Circle may not write in says.
pub const NOT_WRITABLE: &str = "Circle may not write in the folder that holds its files, so it could not save. Ask whoever looks after this computer to allow it, then try again.";

/// The words for an I/O failure a person can do something about: the disk
/// is full, or the folder cannot be written. None for any other (whose OS
/// text may name a path: the shell shows a fixed sentence instead).
pub fn io_message(e: &std::io::Error) -> Option<&'static str> {
    use std::io::ErrorKind::*;
    match e.kind() {
        StorageFull | QuotaExceeded | FileTooLarge => Some(DISK_FULL),
        ReadOnlyFilesystem | PermissionDenied => Some(NOT_WRITABLE),
        _ => None,
    }
}

/// SQLite's report that the disk is full or the folder cannot be written,
/// as the I/O error it is; None for anything else. SQLITE_FULL is a full
/// disk; a failed write, sync or resize (SQLITE_IOERR_WRITE and kin) is
/// what a file past the system's size limit, a full quota or a drive gone
/// away gives; SQLITE_READONLY, SQLITE_CANTOPEN and SQLITE_PERM are a file
/// or folder Circle may not write in.
pub(crate) fn storage_io(e: &rusqlite::Error) -> Option<std::io::Error> {
    use rusqlite::ffi;
    use std::io::ErrorKind;
    let failure = e.sqlite_error()?;
    let kind = match failure.code {
        rusqlite::ErrorCode::DiskFull => ErrorKind::StorageFull,
        rusqlite::ErrorCode::SystemIoFailure => match failure.extended_code {
            ffi::SQLITE_IOERR_WRITE
            | ffi::SQLITE_IOERR_FSYNC
            | ffi::SQLITE_IOERR_DIR_FSYNC
            | ffi::SQLITE_IOERR_TRUNCATE
            | ffi::SQLITE_IOERR_SHMSIZE => ErrorKind::StorageFull,
            _ => return None,
        },
        rusqlite::ErrorCode::ReadOnly
        | rusqlite::ErrorCode::CannotOpen
        | rusqlite::ErrorCode::PermissionDenied => ErrorKind::ReadOnlyFilesystem,
        _ => return None,
    };
    Some(std::io::Error::new(kind, e.to_string()))
}

impl Error {
    /// Shorthand for a validation failure on one field.
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Error::Invalid {
            field: field.to_owned(),
            reason: reason.into(),
        }
    }

    /// A corrupt-file error naming the file by its name only (never a full path,
    /// which may contain a person's home folder name).
    pub fn corrupt(path: &std::path::Path) -> Self {
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| PathBuf::from(path).display().to_string());
        Error::Corrupt { file }
    }

    /// The field to highlight in the UI, when the error belongs to one.
    pub fn field(&self) -> Option<&str> {
        match self {
            Error::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }
}

fn wait_phrase(seconds: i64) -> String {
    if seconds < 60 {
        format!("{seconds} seconds")
    } else {
        let minutes = (seconds + 59) / 60;
        if minutes == 1 {
            "1 minute".to_owned()
        } else {
            format!("{minutes} minutes")
        }
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match storage_io(&e) {
            Some(io) => Error::Io(io),
            None => Error::Storage {
                detail: e.to_string(),
            },
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_names_only_the_file() {
        let e = Error::corrupt(std::path::Path::new("/home/dr-someone/vault/clinical.db"));
        assert_eq!(
            e.to_string(),
            "The vault file clinical.db cannot be read: it is damaged or not a Circle file."
        );
    }

    #[test]
    fn a_full_disk_and_an_unwritable_folder_say_so_in_words() {
        let sqlite = |code| {
            Error::from(rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(code),
                None,
            ))
        };
        for code in [
            rusqlite::ffi::SQLITE_FULL,
            rusqlite::ffi::SQLITE_IOERR_WRITE,
            rusqlite::ffi::SQLITE_IOERR_FSYNC,
        ] {
            assert_eq!(sqlite(code).to_string(), DISK_FULL, "{code}");
        }
        for code in [
            rusqlite::ffi::SQLITE_READONLY,
            rusqlite::ffi::SQLITE_READONLY_DIRECTORY,
            rusqlite::ffi::SQLITE_CANTOPEN,
        ] {
            assert_eq!(sqlite(code).to_string(), NOT_WRITABLE, "{code}");
        }
        for kind in [
            std::io::ErrorKind::StorageFull,
            std::io::ErrorKind::FileTooLarge,
        ] {
            assert_eq!(Error::Io(kind.into()).to_string(), DISK_FULL);
        }
        assert_eq!(
            Error::Io(std::io::ErrorKind::PermissionDenied.into()).to_string(),
            NOT_WRITABLE
        );
        // Anything else is as before.
        assert!(matches!(
            sqlite(rusqlite::ffi::SQLITE_CONSTRAINT),
            Error::Storage { .. }
        ));
        assert!(matches!(
            sqlite(rusqlite::ffi::SQLITE_BUSY),
            Error::Storage { .. }
        ));
        assert!(Error::Io(std::io::ErrorKind::NotFound.into())
            .to_string()
            .starts_with("A file operation failed"));
    }

    #[test]
    fn invalid_carries_its_field() {
        let e = Error::invalid("capacity", "Capacity must be at least 1.");
        assert_eq!(e.field(), Some("capacity"));
        assert_eq!(e.to_string(), "Capacity must be at least 1.");
    }
}
