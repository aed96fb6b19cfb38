//! What kind of error the window gets: one word per kind, which the UI and
//! the local log both use. Apart from `error`, so the log can name kinds
//! without depending on how errors are sent.

use circle_core::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ErrorKind {
    Locked,
    Forbidden,
    NotFound,
    Invalid,
    Conflict,
    WrongPassphrase,
    RateLimited,
    Corrupt,
    VaultTooNew,
    Storage,
    Io,
}

impl ErrorKind {
    pub fn of(error: &Error) -> Self {
        match error {
            Error::Locked => ErrorKind::Locked,
            Error::Forbidden | Error::ForbiddenBecause { .. } => ErrorKind::Forbidden,
            // Nothing for the window to do differently: it shows the
            // forced-change screen whenever `mustChangePassphrase` is set.
            Error::PassphraseChangeRequired => ErrorKind::Forbidden,
            Error::NotFound { .. } => ErrorKind::NotFound,
            Error::Invalid { .. } => ErrorKind::Invalid,
            Error::Conflict { .. } => ErrorKind::Conflict,
            Error::WrongPassphrase => ErrorKind::WrongPassphrase,
            Error::RateLimited { .. } => ErrorKind::RateLimited,
            Error::Corrupt { .. } | Error::BackupDamaged { .. } => ErrorKind::Corrupt,
            Error::VaultTooNew { .. } => ErrorKind::VaultTooNew,
            Error::Storage { .. } => ErrorKind::Storage,
            Error::Io(_) => ErrorKind::Io,
        }
    }

    /// The name the UI receives (`kind`), for the log.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Locked => "locked",
            ErrorKind::Forbidden => "forbidden",
            ErrorKind::NotFound => "notFound",
            ErrorKind::Invalid => "invalid",
            ErrorKind::Conflict => "conflict",
            ErrorKind::WrongPassphrase => "wrongPassphrase",
            ErrorKind::RateLimited => "rateLimited",
            ErrorKind::Corrupt => "corrupt",
            ErrorKind::VaultTooNew => "vaultTooNew",
            ErrorKind::Storage => "storage",
            ErrorKind::Io => "io",
        }
    }
}
