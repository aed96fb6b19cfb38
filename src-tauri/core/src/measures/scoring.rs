//! Item answers checked and scored. A measure is always its item answers:
//! a total alone cannot be entered, so the record shows what was answered
//! (and PHQ-9 item 9 cannot hide inside a total).

use super::instruments::{Instrument, Severity, ANSWERS};
use crate::error::{Error, Result};

/// A complete, checked set of answers and what Circle computes from them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scored {
    pub instrument: Instrument,
    /// One answer per item, 0–3, item 1 first.
    pub answers: Vec<u8>,
    pub total: u8,
    pub severity: Severity,
    /// The risk item answered above 0 (PHQ-9 item 9).
    pub raises_risk: bool,
}

/// The form field of item `number` (1-based): "item3".
pub fn item_field(number: usize) -> String {
    format!("item{number}")
}

/// Checks one answer per item and scores them. Refuses by item: the first
/// item missing or out of range names its field ("item4") and says what to
/// do; answers past the form's last item are refused on the whole form.
pub fn score(instrument: Instrument, answers: &[Option<i64>]) -> Result<Scored> {
    let items = instrument.items();
    if answers.len() > items.len() {
        return Err(Error::invalid(
            "answers",
            format!(
                "The {} has {} items; {} answers were given.",
                instrument.name(),
                items.len(),
                answers.len()
            ),
        ));
    }
    let mut checked = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let number = index + 1;
        let answer = answers.get(index).copied().flatten();
        let value = match answer {
            None => {
                return Err(Error::invalid(
                    &item_field(number),
                    format!("Answer item {number} ({item}) before saving."),
                ))
            }
            Some(value) => u8::try_from(value)
                .ok()
                .filter(|v| usize::from(*v) < ANSWERS.len())
                .ok_or_else(|| {
                    Error::invalid(
                        &item_field(number),
                        format!(
                            "Item {number} is answered 0 (not at all) to 3 (nearly every day); {value} is not one of them."
                        ),
                    )
                })?,
        };
        checked.push(value);
    }
    let total: u8 = checked.iter().sum();
    let raises_risk = instrument
        .risk_item()
        .is_some_and(|number| checked[number - 1] > 0);
    Ok(Scored {
        instrument,
        severity: instrument.severity(total),
        answers: checked,
        total,
        raises_risk,
    })
}
