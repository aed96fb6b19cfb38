//! The audit trail: an append-only, HMAC-chained log of who did what to
//! which record (never note content), and its reading back.

pub mod anchor;
pub mod chain;
pub mod listing;
pub mod outbox;

pub use chain::{
    chain_key, create_chain_key, record, verify, Action, AuditEntry, BrokenLink, Event,
};
pub use listing::{list_for, AuditFilter};
