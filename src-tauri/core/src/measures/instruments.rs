//! The two standard questionnaires Circle scores, as their authors
//! published them. Both are free to use and reproduce without permission.
//!
//! - PHQ-9: Kroenke K, Spitzer RL, Williams JBW. "The PHQ-9: validity of a
//!   brief depression severity measure." J Gen Intern Med 2001;16(9):606–613.
//!   Item wording from the PHQ-9 form (Pfizer, 1999; phqscreeners.com);
//!   severity bands 0–4, 5–9, 10–14, 15–19, 20–27 from table 3 of the paper.
//! - GAD-7: Spitzer RL, Kroenke K, Williams JBW, Löwe B. "A brief measure for
//!   assessing generalized anxiety disorder: the GAD-7." Arch Intern Med
//!   2006;166(10):1092–1097. Item wording from the GAD-7 form; severity
//!   bands 0–4, 5–9, 10–14, 15–21 from the paper's scoring section.
//!
//! Both ask "Over the last 2 weeks, how often have you been bothered by …"
//! and answer each item on the same four-point scale.

use crate::stored_text::stored_as_text;

/// Which questionnaire.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Instrument {
    Phq9,
    Gad7,
}

stored_as_text!(Instrument {
    Phq9 = "phq9",
    Gad7 = "gad7",
});

/// A severity band: its lowest total and its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Band {
    pub from: u8,
    pub severity: Severity,
}

/// Severity in words the forms use; the UI pairs each with a symbol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Severity {
    Minimal,
    Mild,
    Moderate,
    ModeratelySevere,
    Severe,
}

impl Severity {
    pub fn words(self) -> &'static str {
        match self {
            Severity::Minimal => "minimal",
            Severity::Mild => "mild",
            Severity::Moderate => "moderate",
            Severity::ModeratelySevere => "moderately severe",
            Severity::Severe => "severe",
        }
    }
}

/// The four answers every item shares, scored 0–3.
pub const ANSWERS: [&str; 4] = [
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
];

/// The stem both forms put above their items.
pub const STEM: &str =
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?";

const PHQ9_ITEMS: [&str; 9] = [
    "Little interest or pleasure in doing things",
    "Feeling down, depressed, or hopeless",
    "Trouble falling or staying asleep, or sleeping too much",
    "Feeling tired or having little energy",
    "Poor appetite or overeating",
    "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
    "Trouble concentrating on things, such as reading the newspaper or watching television",
    "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety or restless that you have been moving around a lot more than usual",
    "Thoughts that you would be better off dead or of hurting yourself in some way",
];

const GAD7_ITEMS: [&str; 7] = [
    "Feeling nervous, anxious or on edge",
    "Not being able to stop or control worrying",
    "Worrying too much about different things",
    "Trouble relaxing",
    "Being so restless that it is hard to sit still",
    "Becoming easily annoyed or irritable",
    "Feeling afraid as if something awful might happen",
];

const PHQ9_BANDS: [Band; 5] = [
    Band {
        from: 0,
        severity: Severity::Minimal,
    },
    Band {
        from: 5,
        severity: Severity::Mild,
    },
    Band {
        from: 10,
        severity: Severity::Moderate,
    },
    Band {
        from: 15,
        severity: Severity::ModeratelySevere,
    },
    Band {
        from: 20,
        severity: Severity::Severe,
    },
];

const GAD7_BANDS: [Band; 4] = [
    Band {
        from: 0,
        severity: Severity::Minimal,
    },
    Band {
        from: 5,
        severity: Severity::Mild,
    },
    Band {
        from: 10,
        severity: Severity::Moderate,
    },
    Band {
        from: 15,
        severity: Severity::Severe,
    },
];

impl Instrument {
    pub const ALL: [Instrument; 2] = [Instrument::Phq9, Instrument::Gad7];

    /// Its short name as clinicians write it.
    pub fn name(self) -> &'static str {
        match self {
            Instrument::Phq9 => "PHQ-9",
            Instrument::Gad7 => "GAD-7",
        }
    }

    /// The items in the form's order (item 1 first).
    pub fn items(self) -> &'static [&'static str] {
        match self {
            Instrument::Phq9 => &PHQ9_ITEMS,
            Instrument::Gad7 => &GAD7_ITEMS,
        }
    }

    /// The highest total: three points an item.
    pub fn max_total(self) -> u8 {
        // At most 9 items: 27 fits a u8.
        3 * self.items().len() as u8
    }

    /// The severity bands, lowest first.
    pub fn bands(self) -> &'static [Band] {
        match self {
            Instrument::Phq9 => &PHQ9_BANDS,
            Instrument::Gad7 => &GAD7_BANDS,
        }
    }

    /// The band a total falls in.
    pub fn severity(self, total: u8) -> Severity {
        self.bands()
            .iter()
            .rev()
            .find(|band| total >= band.from)
            .map_or(Severity::Minimal, |band| band.severity)
    }

    /// The item whose answer above 0 is a risk to act on the same day:
    /// PHQ-9 item 9, thoughts of being better off dead or of self-harm
    /// (the form's own note: "If you checked off any problems…" and the
    /// paper's advice that any positive answer to item 9 needs assessment).
    pub fn risk_item(self) -> Option<usize> {
        match self {
            Instrument::Phq9 => Some(9),
            Instrument::Gad7 => None,
        }
    }
}
