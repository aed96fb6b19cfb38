//! Standard outcome measures (PHQ-9, GAD-7, issue 19): entry per session,
//! trends per client, PHQ-9 item 9's risk flags and their acknowledgement.
//! Clinical roles only: the core refuses everyone else (and gives them no
//! risk flags at all).
//!
//! `measure_forms` hands the window the forms as published (wording,
//! answers, bands, thresholds) from `circle_core::measures::instruments`,
//! so the words live once, in Rust, beside the papers they cite.

use circle_core::measures::{
    self, instruments, GroupMeasure, Instrument, MeasureEntry, MeasureInput, MeasureTrend,
    RiskFlag, Severity,
};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// One severity band of a form: totals `from` to `to`, both included.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MeasureBandForm {
    pub from: u8,
    pub to: u8,
    pub severity: Severity,
    /// "moderately severe": the band as the paper names it.
    pub words: String,
}

/// A questionnaire as the entry dialog and the chart draw it.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MeasureForm {
    pub instrument: Instrument,
    /// "PHQ-9".
    pub name: String,
    /// "Over the last 2 weeks, how often …".
    pub stem: String,
    /// Item 1 first.
    pub items: Vec<String>,
    /// The answer words, scored 0 to 3.
    pub answers: Vec<String>,
    pub bands: Vec<MeasureBandForm>,
    pub max_total: u8,
    /// The smallest change in total that is reliable.
    pub reliable_change: u8,
    /// The lowest total that counts as a clinical case.
    pub caseness: u8,
    /// The item (1-based) whose answer above 0 raises a risk flag.
    pub risk_item: Option<u8>,
}

/// The forms, built from the core's instruments.
pub fn forms() -> Vec<MeasureForm> {
    Instrument::ALL
        .iter()
        .map(|&instrument| {
            let bands = instrument.bands();
            MeasureForm {
                instrument,
                name: instrument.name().to_owned(),
                stem: instruments::STEM.to_owned(),
                items: instrument.items().iter().map(|s| (*s).to_owned()).collect(),
                answers: instruments::ANSWERS
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect(),
                bands: bands
                    .iter()
                    .enumerate()
                    .map(|(i, band)| MeasureBandForm {
                        from: band.from,
                        to: bands
                            .get(i + 1)
                            .map_or(instrument.max_total(), |next| next.from - 1),
                        severity: band.severity,
                        words: band.severity.words().to_owned(),
                    })
                    .collect(),
                max_total: instrument.max_total(),
                reliable_change: instrument.reliable_change(),
                caseness: instrument.caseness(),
                // At most 9 items: the number fits a u8.
                risk_item: instrument.risk_item().map(|n| n as u8),
            }
        })
        .collect()
}

/// The forms' wording, answers and bands. Shows nothing of the practice.
#[tauri::command]
#[specta::specta]
pub async fn measure_forms(state: State<'_, AppState>) -> CommandResult<Vec<MeasureForm>> {
    state.with_signed_in(|_| Ok(forms())).await
}

/// Scores a client's item answers for a session and stores them.
#[tauri::command]
#[specta::specta]
pub async fn measure_enter(
    state: State<'_, AppState>,
    input: MeasureInput,
) -> CommandResult<MeasureEntry> {
    state
        .with_signed_in(move |s| measures::enter(s, input))
        .await
}

/// A client's scores per measure, oldest first, with the change since the first.
#[tauri::command]
#[specta::specta]
pub async fn measure_trends(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<MeasureTrend>> {
    state
        .with_signed_in(move |s| measures::client_trends(s, client_id))
        .await
}

/// A group's median total per session and the spread of members' latest
/// scores over the bands, with no member named (withheld under three
/// scores), for those who may read the group's notes.
#[tauri::command]
#[specta::specta]
pub async fn measure_group_summary(
    state: State<'_, AppState>,
    group_id: i64,
) -> CommandResult<Vec<GroupMeasure>> {
    state
        .with_signed_in(move |s| measures::group_summary(s, group_id))
        .await
}

/// Open risk flags the signed-in clinician may read; empty for other roles.
#[tauri::command]
#[specta::specta]
pub async fn measure_risk_flags(state: State<'_, AppState>) -> CommandResult<Vec<RiskFlag>> {
    state.with_signed_in(|s| measures::open_risk_flags(s)).await
}

/// Closes a risk flag with a short safety note (signed and audited).
#[tauri::command]
#[specta::specta]
pub async fn measure_acknowledge_risk(
    state: State<'_, AppState>,
    entry_id: i64,
    safety_note: String,
) -> CommandResult<()> {
    state
        .with_signed_in(move |s| measures::acknowledge_risk(s, entry_id, &safety_note))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_bands_cover_every_total_without_gaps() {
        for form in forms() {
            assert_eq!(form.bands.first().map(|b| b.from), Some(0));
            assert_eq!(form.bands.last().map(|b| b.to), Some(form.max_total));
            for pair in form.bands.windows(2) {
                assert_eq!(pair[0].to + 1, pair[1].from, "{}", form.name);
            }
            assert_eq!(form.answers.len(), 4);
        }
        let phq9 = &forms()[0];
        assert_eq!(phq9.name, "PHQ-9");
        assert_eq!(phq9.items.len(), 9);
        assert_eq!(phq9.risk_item, Some(9));
        assert_eq!(phq9.bands[3].words, "moderately severe");
    }
}
