//! Standard outcome measures (PHQ-9, GAD-7): the instruments as published,
//! scoring from item answers, and change judged with published thresholds.
//! (Storing entries per session and the item-9 risk flag come next, in
//! clinical.db; issue 19.)

pub mod change;
pub mod instruments;
pub mod scoring;

pub use change::{change, Change, ChangeVerdict};
pub use instruments::{Instrument, Severity};
pub use scoring::{score, Scored};

#[cfg(test)]
mod tests;
