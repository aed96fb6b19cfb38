//! Outcome measures against a real vault (issue 19, acceptance 2 and 3):
//! PHQ-9 and GAD-7 entered per session by item answers, scored by Circle,
//! refused by item, PHQ-9 item 9's risk flag until a clinician acknowledges
//! it, the change since the first score, and who may see any of it.

use crate::common::*;
use crate::notes::{all_audit, clinic, MANAGER};
use circle_core::measures::{self, ChangeVerdict, Instrument, MeasureInput, Severity};
use circle_core::vault::db;
use circle_core::Error;

fn input(session_id: i64, client_id: i64, instrument: Instrument, answers: &[i64]) -> MeasureInput {
    MeasureInput {
        session_id,
        client_id,
        instrument,
        answers: answers.iter().copied().map(Some).collect(),
    }
}

/// Item answers summing to `total` (PHQ-9, item 9 answered 0).
fn phq9_totalling(total: i64) -> Vec<i64> {
    let mut left = total;
    (0..9)
        .map(|item| {
            let answer = if item == 8 { 0 } else { left.min(3) };
            left -= answer;
            answer
        })
        .collect()
}

/// clinical.db opened with the owner's clinical key, as someone holding
/// the files and that key would.
fn clinical_db(v: &TestVault) -> rusqlite::Connection {
    let keys = v.unwrap_as(OWNER, OWNER_PASS);
    db::open(
        &v.location.clinical_db_path(),
        keys.clinical.as_ref().unwrap(),
        false,
    )
    .unwrap()
}

fn measure_rows(v: &TestVault) -> i64 {
    clinical_db(v)
        .query_row("SELECT count(*) FROM measure_entries", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_phq9_and_a_gad7_entered_in_a_session_are_scored_from_their_items() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let zoe = c.members["Zoë"];
    let s1 = c.steady[0].id;

    let phq9 = measures::enter(
        &ana,
        input(s1, zoe, Instrument::Phq9, &[2, 2, 1, 1, 2, 1, 1, 1, 0]),
    )
    .unwrap();
    assert_eq!((phq9.total, phq9.severity), (11, Severity::Moderate));
    assert_eq!(phq9.date, "2026-11-03");
    assert!(!phq9.open_risk);
    let gad7 = measures::enter(
        &ana,
        input(s1, zoe, Instrument::Gad7, &[3, 3, 2, 2, 2, 1, 1]),
    )
    .unwrap();
    assert_eq!((gad7.total, gad7.severity), (14, Severity::Moderate));

    // Entering the same form again for the same session is refused, and
    // the first entry stays as it was.
    let again = measures::enter(&ana, input(s1, zoe, Instrument::Phq9, &[0; 9]));
    assert!(matches!(again, Err(Error::Conflict { .. })), "{again:?}");

    let trends = measures::client_trends(&ana, zoe).unwrap();
    assert_eq!(
        trends
            .iter()
            .map(|t| (t.instrument, t.entries[0].total))
            .collect::<Vec<_>>(),
        vec![(Instrument::Phq9, 11), (Instrument::Gad7, 14)]
    );
    assert_eq!(
        trends[0].entries[0].answers,
        vec![2, 2, 1, 1, 2, 1, 1, 1, 0]
    );
    assert!(trends[0].change.is_none(), "one score has no change yet");

    // Audited, and without the answers or the totals.
    drop(ana);
    let rows: Vec<_> = all_audit(&c.v.owner())
        .into_iter()
        .filter(|e| e.action.starts_with("measure."))
        .collect();
    let mut actions: Vec<&str> = rows.iter().map(|e| e.action.as_str()).collect();
    actions.sort();
    assert_eq!(
        actions,
        vec!["measure.entered", "measure.entered", "measure.viewed"]
    );
    for row in &rows {
        let detail = row.detail.clone().unwrap_or_default();
        assert!(
            !detail.contains("11") && !detail.contains("14") && !detail.contains("221"),
            "{detail}"
        );
    }
}

#[test]
fn every_missing_or_out_of_range_answer_is_refused_by_its_item_and_nothing_is_written() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let zoe = c.members["Zoë"];
    let s1 = c.steady[0].id;
    for (instrument, items) in [(Instrument::Phq9, 9), (Instrument::Gad7, 7)] {
        for item in 0..items {
            for bad in [None, Some(-1), Some(4)] {
                let mut answers = vec![Some(1); items];
                answers[item] = bad;
                let refused = measures::enter(
                    &ana,
                    MeasureInput {
                        session_id: s1,
                        client_id: zoe,
                        instrument,
                        answers,
                    },
                );
                match refused {
                    Err(Error::Invalid { field, .. }) => {
                        assert_eq!(field, format!("item{}", item + 1))
                    }
                    other => panic!("{instrument:?} item {} {bad:?}: {other:?}", item + 1),
                }
            }
        }
    }
    drop(ana);
    assert_eq!(measure_rows(&c.v), 0);
}

#[test]
fn phq9_item_9_raises_a_risk_flag_that_stays_until_a_clinician_acknowledges_it_with_a_note() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let zoe = c.members["Zoë"];
    let entry = measures::enter(
        &ana,
        input(
            c.steady[0].id,
            zoe,
            Instrument::Phq9,
            &[1, 1, 1, 1, 0, 0, 0, 0, 1],
        ),
    )
    .unwrap();
    assert!(entry.open_risk);

    let flags = measures::open_risk_flags(&ana).unwrap();
    assert_eq!(flags.len(), 1);
    assert_eq!(
        (flags[0].client_id, flags[0].client_name.as_str()),
        (zoe, "Zoë Martin")
    );
    // Still there at the next sign-in, and on the chart.
    drop(ana);
    let ana = c.v.sign_in("ana");
    assert_eq!(measures::open_risk_flags(&ana).unwrap().len(), 1);
    assert!(measures::client_trends(&ana, zoe).unwrap()[0].entries[0].open_risk);

    // Ben, who does not lead Zoë's group, does not see it (scope limited);
    // the front desk and the manager see nothing at all.
    drop(ana);
    assert!(measures::open_risk_flags(&c.v.sign_in("ben"))
        .unwrap()
        .is_empty());
    for who in [FRONT_DESK, MANAGER] {
        let s = c.v.sign_in(who);
        assert!(measures::open_risk_flags(&s).unwrap().is_empty());
        assert!(matches!(
            measures::acknowledge_risk(&s, entry.id, "Safety plan agreed."),
            Err(Error::Forbidden)
        ));
    }
    let ben = c.v.sign_in("ben");
    assert!(matches!(
        measures::acknowledge_risk(&ben, entry.id, "Safety plan agreed."),
        Err(Error::Forbidden)
    ));
    drop(ben);

    // No note, no acknowledgement.
    let ana = c.v.sign_in("ana");
    match measures::acknowledge_risk(&ana, entry.id, "   ") {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "safetyNote"),
        other => panic!("{other:?}"),
    }
    assert_eq!(measures::open_risk_flags(&ana).unwrap().len(), 1);

    measures::acknowledge_risk(
        &ana,
        entry.id,
        "Spoke with Zoë after the group: no plan or intent; safety plan reviewed, crisis line given.",
    )
    .unwrap();
    assert!(measures::open_risk_flags(&ana).unwrap().is_empty());
    assert!(!measures::client_trends(&ana, zoe).unwrap()[0].entries[0].open_risk);
    assert!(matches!(
        measures::acknowledge_risk(&ana, entry.id, "Again."),
        Err(Error::Conflict { .. })
    ));
    drop(ana);
    // Signed: the acknowledgement cannot be rewritten, even in the database.
    let rewritten = clinical_db(&c.v).execute(
        "UPDATE measure_risk_flags SET safety_note = 'nothing happened' WHERE entry_id = ?1",
        [entry.id],
    );
    assert!(rewritten.is_err());
    let acknowledged = all_audit(&c.v.owner())
        .into_iter()
        .filter(|e| e.action == "measure.risk_acknowledged")
        .count();
    assert_eq!(acknowledged, 1);
}

#[test]
fn phq9_18_to_9_is_reliable_and_clinically_significant_improvement_and_11_to_9_is_not() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (zoe, ann) = (c.members["Zoë"], c.members["Ann"]);
    for (client, first, latest) in [(zoe, 18, 9), (ann, 11, 9)] {
        measures::enter(
            &ana,
            input(
                c.steady[0].id,
                client,
                Instrument::Phq9,
                &phq9_totalling(first),
            ),
        )
        .unwrap();
        measures::enter(
            &ana,
            input(
                c.steady[2].id,
                client,
                Instrument::Phq9,
                &phq9_totalling(latest),
            ),
        )
        .unwrap();
    }
    let change_of = |client| {
        measures::client_trends(&ana, client).unwrap()[0]
            .change
            .expect("two scores have a change")
    };
    let zoe_change = change_of(zoe);
    assert_eq!(
        (zoe_change.first, zoe_change.latest, zoe_change.difference),
        (18, 9, -9)
    );
    assert_eq!(
        zoe_change.verdict,
        ChangeVerdict::ReliableAndClinicallySignificantImprovement
    );
    let ann_change = change_of(ann);
    assert_eq!((ann_change.first, ann_change.latest), (11, 9));
    assert_eq!(ann_change.verdict, ChangeVerdict::NoReliableChange);
}

#[test]
fn the_front_desk_the_manager_and_a_clinician_outside_the_group_can_neither_enter_nor_see_measures()
{
    let c = clinic();
    let zoe = c.members["Zoë"];
    let s1 = c.steady[0].id;
    measures::enter(
        &c.v.sign_in("ana"),
        input(s1, zoe, Instrument::Gad7, &[1; 7]),
    )
    .unwrap();
    for who in [FRONT_DESK, MANAGER, "ben"] {
        let s = c.v.sign_in(who);
        assert!(
            matches!(
                measures::enter(&s, input(s1, zoe, Instrument::Phq9, &[0; 9])),
                Err(Error::Forbidden)
            ),
            "{who} entered a measure"
        );
        assert!(
            matches!(measures::client_trends(&s, zoe), Err(Error::Forbidden)),
            "{who} saw a client's measures"
        );
    }
    // A client not booked into the session is refused beside the client.
    let ana = c.v.sign_in("ana");
    match measures::enter(&ana, input(s1, c.roots_member, Instrument::Gad7, &[0; 7])) {
        Err(Error::Invalid { field, .. }) => assert_eq!(field, "clientId"),
        other => panic!("{other:?}"),
    }
    drop(ana);
    assert_eq!(measure_rows(&c.v), 1);
}

#[test]
fn the_group_view_shows_medians_and_the_spread_of_latest_scores_and_no_one_alone() {
    let c = clinic();
    let ana = c.v.sign_in("ana");
    let (s1, s2) = (c.steady[0].id, c.steady[1].id);
    let members = ["Zoë", "Ann", "Mei", "Liam"].map(|name| c.members[name]);
    for (client, total) in members.iter().zip([5, 10, 15, 20]) {
        measures::enter(
            &ana,
            input(s1, *client, Instrument::Phq9, &phq9_totalling(total)),
        )
        .unwrap();
    }
    // The next week only two fill it in: too few to show a median.
    for (client, total) in members.iter().zip([3, 4]) {
        measures::enter(
            &ana,
            input(s2, *client, Instrument::Phq9, &phq9_totalling(total)),
        )
        .unwrap();
    }
    let group = c.steady[0].group_id;
    let summary = measures::group_summary(&ana, group).unwrap();
    assert_eq!(summary.len(), 1, "only the PHQ-9 was entered");
    let phq9 = &summary[0];
    assert_eq!(
        phq9.sessions
            .iter()
            .map(|s| (s.count, s.median))
            .collect::<Vec<_>>(),
        vec![(4, Some(12.5)), (2, None)]
    );
    // Latest: Zoë 3 and Ann 4 (minimal), Mei 15 (moderately severe), Liam 20 (severe).
    assert_eq!(
        phq9.latest_spread
            .iter()
            .map(|b| (b.words, b.members))
            .collect::<Vec<_>>(),
        vec![
            ("minimal", 2),
            ("mild", 0),
            ("moderate", 0),
            ("moderately severe", 1),
            ("severe", 1)
        ]
    );
    // Nothing in it names or numbers a member.
    let shown = serde_json::to_string(&summary).unwrap();
    for id in members {
        assert!(!shown.contains(&format!("\"clientId\":{id}")), "{shown}");
    }
    assert!(!shown.contains("Zo") && !shown.contains("Martin"));
    drop(ana);
    for who in [FRONT_DESK, MANAGER, "ben"] {
        assert!(
            matches!(
                measures::group_summary(&c.v.sign_in(who), group),
                Err(Error::Forbidden)
            ),
            "{who} saw the group's measures"
        );
    }
}
