//! The scoring and change rules against the published forms' own examples
//! and thresholds (issue 19, acceptance 2 and 3, the part with no storage).

use super::*;
use crate::error::Error;

fn answers(values: &[i64]) -> Vec<Option<i64>> {
    values.iter().copied().map(Some).collect()
}

fn refused_field(result: crate::error::Result<Scored>) -> String {
    match result {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a refusal by field, got {other:?}"),
    }
}

#[test]
fn phq9_answers_2_2_1_1_2_1_1_1_0_score_11_moderate_with_no_risk() {
    let scored = score(Instrument::Phq9, &answers(&[2, 2, 1, 1, 2, 1, 1, 1, 0])).unwrap();
    assert_eq!(scored.total, 11);
    assert_eq!(scored.severity, Severity::Moderate);
    assert_eq!(scored.severity.words(), "moderate");
    assert!(!scored.raises_risk);
}

#[test]
fn gad7_answers_3_3_2_2_2_1_1_score_14_moderate() {
    let scored = score(Instrument::Gad7, &answers(&[3, 3, 2, 2, 2, 1, 1])).unwrap();
    assert_eq!(scored.total, 14);
    assert_eq!(scored.severity.words(), "moderate");
    assert!(!scored.raises_risk, "the GAD-7 has no risk item");
}

#[test]
fn phq9_item_9_above_0_raises_the_risk_flag_whatever_the_total() {
    let scored = score(Instrument::Phq9, &answers(&[0, 0, 0, 0, 0, 0, 0, 0, 1])).unwrap();
    assert_eq!(scored.total, 1);
    assert_eq!(scored.severity, Severity::Minimal);
    assert!(scored.raises_risk);
}

#[test]
fn every_missing_or_out_of_range_answer_is_refused_by_its_item() {
    for instrument in Instrument::ALL {
        let items = instrument.items().len();
        for item in 0..items {
            for bad in [None, Some(-1), Some(4), Some(i64::MAX)] {
                let mut given = vec![Some(1); items];
                given[item] = bad;
                assert_eq!(
                    refused_field(score(instrument, &given)),
                    format!("item{}", item + 1),
                    "{} item {} answered {bad:?}",
                    instrument.name(),
                    item + 1
                );
            }
        }
        // Too few answers: the first one missing is named.
        assert_eq!(
            refused_field(score(instrument, &vec![Some(0); items - 2])),
            format!("item{}", items - 1)
        );
        // Too many: refused on the form.
        assert_eq!(
            refused_field(score(instrument, &vec![Some(0); items + 1])),
            "answers"
        );
    }
}

#[test]
fn the_bands_cover_every_total_as_the_papers_draw_them() {
    let phq9: Vec<_> = (0..=27)
        .map(|t| Instrument::Phq9.severity(t).words())
        .collect();
    assert_eq!(phq9[4], "minimal");
    assert_eq!(phq9[5], "mild");
    assert_eq!(phq9[9], "mild");
    assert_eq!(phq9[10], "moderate");
    assert_eq!(phq9[14], "moderate");
    assert_eq!(phq9[15], "moderately severe");
    assert_eq!(phq9[19], "moderately severe");
    assert_eq!(phq9[20], "severe");
    assert_eq!(phq9[27], "severe");
    assert_eq!(Instrument::Gad7.severity(15).words(), "severe");
    assert_eq!(Instrument::Gad7.severity(21).words(), "severe");
    assert_eq!(Instrument::Phq9.max_total(), 27);
    assert_eq!(Instrument::Gad7.max_total(), 21);
}

#[test]
fn phq9_18_to_9_is_reliable_and_clinically_significant_improvement() {
    let seen = change(Instrument::Phq9, 18, 9);
    assert_eq!(seen.difference, -9);
    assert_eq!(
        seen.verdict,
        ChangeVerdict::ReliableAndClinicallySignificantImprovement
    );
}

#[test]
fn phq9_11_to_9_crosses_the_cut_off_but_is_not_reliable_change() {
    let seen = change(Instrument::Phq9, 11, 9);
    assert_eq!(seen.difference, -2);
    assert_eq!(seen.verdict, ChangeVerdict::NoReliableChange);
}

#[test]
fn change_at_the_thresholds() {
    // Reliable but still a case: improvement, not recovery.
    assert_eq!(
        change(Instrument::Phq9, 22, 16).verdict,
        ChangeVerdict::ReliableImprovement
    );
    // One point short of reliable.
    assert_eq!(
        change(Instrument::Phq9, 15, 10).verdict,
        ChangeVerdict::NoReliableChange
    );
    // Worse by the threshold.
    assert_eq!(
        change(Instrument::Gad7, 6, 10).verdict,
        ChangeVerdict::ReliableDeterioration
    );
    // GAD-7: 4 points from 8 (a case) to 4 is recovery.
    assert_eq!(
        change(Instrument::Gad7, 8, 4).verdict,
        ChangeVerdict::ReliableAndClinicallySignificantImprovement
    );
    // Starting below caseness, a reliable drop is improvement only.
    assert_eq!(
        change(Instrument::Gad7, 7, 1).verdict,
        ChangeVerdict::ReliableImprovement
    );
}
