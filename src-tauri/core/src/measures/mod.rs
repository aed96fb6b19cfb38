//! Standard outcome measures (PHQ-9, GAD-7): the instruments as published,
//! scoring from item answers, change judged with published thresholds, and
//! entries per session and client in clinical.db with PHQ-9 item 9's risk
//! flag (issue 19).

pub mod change;
pub mod group;
pub mod instruments;
pub mod scoring;
pub mod store;

pub use change::{change, Change, ChangeVerdict};
pub use group::{group_summary, GroupMeasure};
pub use instruments::{Instrument, Severity};
pub use scoring::{score, Scored};
pub use store::{
    acknowledge_risk, client_trends, enter, open_risk_flags, MeasureEntry, MeasureInput,
    MeasureTrend, RiskFlag,
};

#[cfg(test)]
mod tests;
