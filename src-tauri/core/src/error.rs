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
    /// The operating system refused a file operation.
    #[error("A file operation failed: {0}")]
    Io(#[from] std::io::Error),
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
        Error::Storage {
            detail: e.to_string(),
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
    fn invalid_carries_its_field() {
        let e = Error::invalid("capacity", "Capacity must be at least 1.");
        assert_eq!(e.field(), Some("capacity"));
        assert_eq!(e.to_string(), "Capacity must be at least 1.");
    }
}
