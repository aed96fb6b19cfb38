//! The one error shape the UI receives: `{ kind, message, field? }`.
//!
//! Built only from `circle_core::Error`, whose messages are free of PHI. The
//! I/O variant's OS text can include a path, so it is logged locally and the
//! UI gets a plain sentence instead.

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

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
pub struct CommandError {
    pub kind: ErrorKind,
    /// A sentence for the person at the screen. Never contains PHI.
    pub message: String,
    /// The form field this error belongs beside, when there is one.
    pub field: Option<String>,
}

impl From<Error> for CommandError {
    fn from(error: Error) -> Self {
        let field = error.field().map(str::to_owned);
        let (kind, message) = match &error {
            Error::Locked => (ErrorKind::Locked, error.to_string()),
            Error::Forbidden => (ErrorKind::Forbidden, error.to_string()),
            Error::NotFound { .. } => (ErrorKind::NotFound, error.to_string()),
            Error::Invalid { .. } => (ErrorKind::Invalid, error.to_string()),
            Error::Conflict { .. } => (ErrorKind::Conflict, error.to_string()),
            Error::WrongPassphrase => (ErrorKind::WrongPassphrase, error.to_string()),
            Error::Corrupt { .. } => (ErrorKind::Corrupt, error.to_string()),
            Error::RateLimited { .. } => (ErrorKind::RateLimited, error.to_string()),
            Error::VaultTooNew { .. } => (ErrorKind::VaultTooNew, error.to_string()),
            Error::Storage { detail } => {
                eprintln!("circle: storage error: {detail}");
                (ErrorKind::Storage, error.to_string())
            }
            Error::Io(io) => {
                eprintln!("circle: i/o error: {io}");
                (
                    ErrorKind::Io,
                    "Circle could not read or write a file. Check the disk has space and try again."
                        .to_owned(),
                )
            }
        };
        CommandError {
            kind,
            message,
            field,
        }
    }
}

pub type CommandResult<T> = Result<T, CommandError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_keeps_its_field_for_the_ui() {
        let e: CommandError = Error::invalid("username", "Choose a username.").into();
        assert_eq!(e.kind, ErrorKind::Invalid);
        assert_eq!(e.field.as_deref(), Some("username"));
        assert_eq!(e.message, "Choose a username.");
    }

    #[test]
    fn io_errors_do_not_leak_paths_to_the_ui() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "/home/jane/secret.txt");
        let e: CommandError = Error::Io(io).into();
        assert_eq!(e.kind, ErrorKind::Io);
        assert!(!e.message.contains("jane"));
    }

    #[test]
    fn serializes_as_kind_message_field() {
        let e: CommandError = Error::WrongPassphrase.into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "wrongPassphrase");
        assert!(json["field"].is_null());
    }
}
