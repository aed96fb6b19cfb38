//! The one error shape the UI receives: `{ kind, message, field? }`.
//!
//! Built only from `circle_core::Error`, whose messages are free of PHI. The
//! I/O variant's OS text can include a path, so the UI gets a plain sentence
//! instead. Every error is logged as it is mapped, by kind only (see `log`):
//! messages can quote what someone typed, so they never reach the log.

use circle_core::Error;

pub use crate::error_kind::ErrorKind;

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
        crate::log::command_error(&error);
        let kind = ErrorKind::of(&error);
        let field = error.field().map(str::to_owned);
        let message = match &error {
            // A full disk or an unwritable folder is said as the core says
            // it (fixed words, no path); any other OS text may hold a path.
            Error::Io(io) => circle_core::error::io_message(io)
                .unwrap_or(
                    "Circle could not read or write a file. Check the disk has space and try again.",
                )
                .to_owned(),
            _ => error.to_string(),
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
    fn log_names_match_the_ui_kinds() {
        for error in [
            Error::Locked,
            Error::Forbidden,
            Error::ForbiddenBecause { reason: "x" },
            Error::PassphraseChangeRequired,
            Error::NotFound { what: "Client" },
            Error::invalid("name", "Enter a name."),
            Error::Conflict {
                message: "x".into(),
            },
            Error::WrongPassphrase,
            Error::RateLimited { seconds: 5 },
            Error::Corrupt { file: "x".into() },
            Error::VaultTooNew { file: "x".into() },
            Error::Storage { detail: "x".into() },
            Error::Io(std::io::Error::other("x")),
        ] {
            let kind = ErrorKind::of(&error);
            assert_eq!(serde_json::to_value(kind).unwrap(), kind.as_str());
        }
    }

    #[test]
    fn serializes_as_kind_message_field() {
        let e: CommandError = Error::WrongPassphrase.into();
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["kind"], "wrongPassphrase");
        assert!(json["field"].is_null());
    }
}
