//! Change since a client's first score, judged with published thresholds
//! (Jacobson NS, Truax P. "Clinical significance: a statistical approach to
//! defining meaningful change in psychotherapy research." J Consult Clin
//! Psychol 1991;59(1):12–19), as England's IAPT programme (now NHS Talking
//! Therapies) applies them to these two measures: Gyani A, Shafran R,
//! Layard R, Clark DM. "Enhancing recovery rates: lessons from year one of
//! IAPT." Behav Res Ther 2013;51(9):597–606:
//!
//! - reliable change: the score moved by at least the measure's reliable
//!   change threshold (PHQ-9: 6 points; GAD-7: 4 points), more than its
//!   measurement error allows by chance;
//! - clinical caseness: PHQ-9 10 or more, GAD-7 8 or more;
//! - clinically significant improvement: a reliable improvement that also
//!   moves from caseness to below it (what the programme calls reliable recovery).

use super::instruments::Instrument;

/// How a score compares with the first one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ChangeVerdict {
    /// Better by at least the reliable change threshold, from caseness to
    /// below it.
    ReliableAndClinicallySignificantImprovement,
    /// Better by at least the reliable change threshold.
    ReliableImprovement,
    /// Worse by at least the reliable change threshold.
    ReliableDeterioration,
    /// Moved less than the threshold: within what measurement error allows.
    NoReliableChange,
}

impl ChangeVerdict {
    pub fn words(self) -> &'static str {
        match self {
            ChangeVerdict::ReliableAndClinicallySignificantImprovement => {
                "reliable and clinically significant improvement"
            }
            ChangeVerdict::ReliableImprovement => "reliable improvement",
            ChangeVerdict::ReliableDeterioration => "reliable deterioration",
            ChangeVerdict::NoReliableChange => "no reliable change",
        }
    }
}

impl Instrument {
    /// The smallest change in total that is reliable.
    pub fn reliable_change(self) -> u8 {
        match self {
            Instrument::Phq9 => 6,
            Instrument::Gad7 => 4,
        }
    }

    /// The lowest total that counts as a clinical case.
    pub fn caseness(self) -> u8 {
        match self {
            Instrument::Phq9 => 10,
            Instrument::Gad7 => 8,
        }
    }
}

/// The first score against a later one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub first: u8,
    pub latest: u8,
    /// Latest minus first: negative is better on both measures.
    pub difference: i16,
    pub verdict: ChangeVerdict,
    /// The verdict in words ("reliable improvement"), said once, here.
    pub words: &'static str,
}

pub fn change(instrument: Instrument, first: u8, latest: u8) -> Change {
    let difference = i16::from(latest) - i16::from(first);
    let reliable = difference.unsigned_abs() >= u16::from(instrument.reliable_change());
    let verdict = if !reliable {
        ChangeVerdict::NoReliableChange
    } else if difference > 0 {
        ChangeVerdict::ReliableDeterioration
    } else if first >= instrument.caseness() && latest < instrument.caseness() {
        ChangeVerdict::ReliableAndClinicallySignificantImprovement
    } else {
        ChangeVerdict::ReliableImprovement
    };
    Change {
        first,
        latest,
        difference,
        verdict,
        words: verdict.words(),
    }
}
