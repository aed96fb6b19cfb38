//! Session notes: templates, the group note with a section per attending
//! member, signing and co-signing, addenda, goals and ratings, the member
//! view (redaction), psychotherapy notes, and search. Everything here lives
//! in clinical.db and is closed to the practice manager and the front desk.

pub(crate) mod access;
pub mod chart;
pub mod discharge_note;
pub mod goals;
pub(crate) mod model;
pub mod name_release;
pub mod private;
pub(crate) mod purge;
pub mod redaction;
pub mod search;
pub mod session_note;
pub mod signing;
pub mod templates;
pub mod todo;
