//! Session notes, signing, addenda, goals, private notes, note search, and
//! 42 CFR Part 2 consents: the commands in
//! `src-tauri/src/commands/{notes,disclosures}.rs`.
//!
//! Besides the harness's checks: Ana facilitates Steady Ground only, and
//! the practice limits clinicians to their own groups' notes, so whatever
//! ids she sends, no call of hers on New Roots' sessions or on Farah (Ben's
//! client) may succeed, and her searches never return New Roots' notes.

use circle_core::disclosures::{self, ConsentInput};
use circle_core::measures::{self, Instrument, MeasureInput};
use circle_core::notes::chart;
use circle_core::notes::goals::{self, GoalInput, GoalStatus};
use circle_core::notes::name_release::NameRelease;
use circle_core::notes::private;
use circle_core::notes::search;
use circle_core::notes::session_note::{
    self, GoalRatingInput, MemberNoteInput, NoteDraftInput, RiskLevel, SectionRelease, SectionText,
};
use circle_core::notes::signing;
use circle_core::notes::templates;
use circle_core::notes::todo;
use circle_core::Error;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::gen::*;
use super::harness::{Fx, Who};

const KEYS: &[&str] = &[
    "topic",
    "interventions",
    "process",
    "participation",
    "response",
    "plan",
    "subjective",
    "objective",
    "assessment",
    "data",
    "behaviour",
    "",
    "TOPIC",
    "topic\0",
    "risk",
    "goals",
];

fn key() -> BoxedStrategy<String> {
    prop_oneof![4 => select(KEYS).prop_map(str::to_owned), 1 => text()].boxed()
}

/// A part's sections: a few of any length, or more than a part may have.
fn sections() -> BoxedStrategy<Vec<(String, String)>> {
    prop_oneof![
        5 => vec((key(), phi_text()), 0..5),
        1 => vec((key(), short_phi_text()), 20..24),
    ]
    .boxed()
}

/// A member's sections: short ones (the long texts come in the shared
/// part, one note's worth at a time).
fn member_sections() -> BoxedStrategy<Vec<(String, String)>> {
    prop_oneof![
        5 => vec((key(), short_phi_text()), 0..5),
        1 => vec((key(), short_phi_text()), 20..24),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
struct Member {
    client: i64,
    sections: Vec<(String, String)>,
    ratings: Vec<(i64, Option<u8>, String)>,
    risk: Option<RiskLevel>,
    risk_text: String,
}

#[derive(Debug, Clone)]
struct Draft {
    session: i64,
    revision: i64,
    shared: Vec<(String, String)>,
    members: Vec<Member>,
    released: Vec<(String, String, String, String)>,
}

fn to_sections(s: &[(String, String)]) -> Vec<SectionText> {
    s.iter()
        .map(|(key, body)| SectionText {
            key: key.clone(),
            body: body.clone(),
        })
        .collect()
}

impl Draft {
    fn input(&self) -> NoteDraftInput {
        NoteDraftInput {
            session_id: self.session,
            revision: self.revision,
            shared: to_sections(&self.shared),
            members: self
                .members
                .iter()
                .map(|m| MemberNoteInput {
                    client_id: m.client,
                    sections: to_sections(&m.sections),
                    goal_ratings: m
                        .ratings
                        .iter()
                        .map(|(goal_id, rating, comment)| GoalRatingInput {
                            goal_id: *goal_id,
                            rating: *rating,
                            comment: comment.clone(),
                        })
                        .collect(),
                    risk_level: m.risk,
                    risk_text: m.risk_text.clone(),
                })
                .collect(),
            released: self
                .released
                .iter()
                .map(|(section_key, text, before, after)| SectionRelease {
                    section_key: section_key.clone(),
                    release: NameRelease {
                        text: text.clone(),
                        before: before.clone(),
                        after: after.clone(),
                    },
                })
                .collect(),
        }
    }
}

/// Who writes and signs notes: the two facilitators more often than
/// anyone else, so drafts and signatures get through as well as refused.
fn writer() -> BoxedStrategy<Who> {
    prop_oneof![2 => Just(Who::Ana), 2 => Just(Who::Ben), 2 => who()].boxed()
}

/// Sessions, mostly those with a note to sign (Ben's draft, Ana's next).
fn note_sessions(fx: &Fx) -> BoxedStrategy<i64> {
    let ids = &fx.ids;
    prop_oneof![
        2 => select(vec![ids.roots_sessions[0], ids.steady_sessions[1]]),
        2 => id(ids.sessions(), ids.every()),
    ]
    .boxed()
}

fn revision() -> BoxedStrategy<i64> {
    prop_oneof![3 => 0i64..4, 1 => i64_edge()].boxed()
}

fn draft(fx: &Fx) -> impl Strategy<Value = Draft> {
    let ids = &fx.ids;
    let every = ids.every();
    let rating = (
        id(ids.goals.clone(), every.clone()),
        opt(prop_oneof![3 => 1u8..=5, 1 => any::<u8>()]),
        short_phi_text(),
    );
    let member = |sections: BoxedStrategy<Vec<(String, String)>>| {
        (
            id(ids.clients(), every.clone()),
            sections,
            prop_oneof![4 => vec(rating.clone(), 0..3), 1 => vec(rating.clone(), 50..53)],
            opt(select(
                &[
                    RiskLevel::None,
                    RiskLevel::Low,
                    RiskLevel::Moderate,
                    RiskLevel::High,
                ][..],
            )),
            short_phi_text(),
        )
            .prop_map(|(client, sections, ratings, risk, risk_text)| Member {
                client,
                sections,
                ratings,
                risk,
                risk_text,
            })
    };
    (
        note_sessions(fx),
        revision(),
        sections(),
        prop_oneof![
            5 => vec(member(member_sections()), 0..4),
            // More members than a note may have, each with a line: cheap
            // to make (a hundred members of nested text take proptest
            // seconds to draw in a debug build).
            1 => vec(id(ids.clients(), every.clone()), 99..103).prop_map(|clients| {
                clients
                    .into_iter()
                    .map(|client| Member {
                        client,
                        sections: vec![("participation".into(), "Engaged.".into())],
                        ratings: vec![],
                        risk: None,
                        risk_text: String::new(),
                    })
                    .collect()
            }),
        ],
        vec((key(), person(), text(), text()), 0..3),
    )
        .prop_map(|(session, revision, shared, members, released)| Draft {
            session,
            revision,
            shared,
            members,
            released,
        })
}

fn goal_form() -> impl Strategy<Value = (String, String, Option<String>, GoalStatus)> {
    (
        phi_text(),
        date(),
        opt(date()),
        select(
            &[
                GoalStatus::Active,
                GoalStatus::Met,
                GoalStatus::Revised,
                GoalStatus::Discontinued,
            ][..],
        ),
    )
}

fn goal_input(
    (text, started_on, target_on, status): (String, String, Option<String>, GoalStatus),
) -> GoalInput {
    GoalInput {
        text,
        started_on,
        target_on,
        status,
    }
}

/// Refuses a success that Ana should never have had.
fn in_scope(
    fx: &Fx,
    who: Who,
    session: Option<i64>,
    client: Option<i64>,
    r: Result<(), Error>,
) -> Result<(), Error> {
    assert!(
        !(who == Who::Ana && fx.ids.outside_ana(session, client) && r.is_ok()),
        "Ana reached a note of a group she does not facilitate (session {session:?}, client {client:?})"
    );
    r
}

#[test]
fn notes_goals_private_notes_search_and_consents_take_any_input() {
    let fx = Fx::new("notes and disclosures");
    let ids = &fx.ids;
    let every = ids.every();
    let session_ids = || id(ids.sessions(), every.clone());
    let client_ids = || id(ids.clients(), every.clone());
    let goal_ids = || id(ids.goals.clone(), every.clone());

    fx.command("note_templates").run(who(), |fx, who| {
        templates::templates(&fx.signed(who)).map(drop)
    });
    fx.command("notes_to_do").run(who(), |fx, who| {
        todo::notes_to_do(&fx.signed(who)).map(drop)
    });
    fx.command("notes_recently_signed").run(who(), |fx, who| {
        todo::recently_signed(&fx.signed(who)).map(drop)
    });
    fx.command("session_note")
        .run((who(), session_ids()), |fx, (who, s)| {
            let r = session_note::session_note(&fx.signed(who), s).map(drop);
            in_scope(fx, who, Some(s), None, r)
        });
    fx.command("note_save_draft")
        .run((writer(), draft(&fx)), |fx, (who, draft)| {
            let r = session_note::save_draft(&fx.signed(who), draft.input()).map(drop);
            in_scope(fx, who, Some(draft.session), None, r)
        });
    fx.command("note_add_addendum").run(
        (who(), session_ids(), opt(client_ids()), phi_text()),
        |fx, (who, s, client, body)| {
            let r = signing::add_addendum(&fx.signed(who), s, client, &body).map(drop);
            in_scope(fx, who, Some(s), client, r)
        },
    );
    fx.command("client_notes").run(
        (
            who(),
            client_ids(),
            select(
                &[
                    chart::ChartFilter::All,
                    chart::ChartFilter::Group,
                    chart::ChartFilter::Individual,
                ][..],
            ),
        ),
        |fx, (who, c, filter)| {
            let r = chart::client_notes_page(&fx.signed(who), c, filter, None, 20).map(drop);
            in_scope(fx, who, None, Some(c), r)
        },
    );
    fx.command("client_goals")
        .run((who(), client_ids()), |fx, (who, c)| {
            let r = goals::goals_of_client(&fx.signed(who), c).map(drop);
            in_scope(fx, who, None, Some(c), r)
        });
    fx.command("goal_create")
        .run((who(), client_ids(), goal_form()), |fx, (who, c, form)| {
            let r = goals::create_goal(&fx.signed(who), c, goal_input(form)).map(drop);
            in_scope(fx, who, None, Some(c), r)
        });
    fx.command("goal_update")
        .run((who(), goal_ids(), goal_form()), |fx, (who, goal, form)| {
            let farahs = fx.ids.goals.get(1) == Some(&goal);
            let r = goals::update_goal(&fx.signed(who), goal, goal_input(form)).map(drop);
            in_scope(fx, who, None, farahs.then_some(fx.ids.farah), r)
        });
    fx.command("private_note_get")
        .run((who(), session_ids(), client_ids()), |fx, (who, s, c)| {
            let r = private::private_note(&fx.signed(who), s, c).map(drop);
            in_scope(fx, who, Some(s), Some(c), r)
        });
    fx.command("private_note_save").run(
        (who(), session_ids(), client_ids(), phi_text()),
        |fx, (who, s, c, body)| {
            let r = private::save_private_note(&fx.signed(who), s, c, &body).map(drop);
            in_scope(fx, who, Some(s), Some(c), r)
        },
    );
    fx.command("notes_search")
        .run((who(), text()), |fx, (who, query)| {
            let hits = search::search(&fx.signed(who), &query)?;
            if who == Who::Ana {
                for hit in &hits {
                    assert!(
                        !fx.ids.roots_sessions.contains(&hit.session_id),
                        "Ana's search returned a New Roots note"
                    );
                }
            }
            Ok(())
        });
    fx.command("client_consents")
        .run((who(), client_ids()), |fx, (who, c)| {
            let r = disclosures::consents_of_client(&fx.signed(who), c).map(drop);
            in_scope(fx, who, None, Some(c), r)
        });
    fx.command("consent_add").run(
        (
            who(),
            client_ids(),
            (
                name(),
                text(),
                opt(date()),
                opt(date()),
                date(),
                opt(date()),
            ),
        ),
        |fx, (who, c, (recipient, purpose, scope_from, scope_to, signed_on, expires_on))| {
            let r = disclosures::add_consent(
                &fx.signed(who),
                c,
                ConsentInput {
                    recipient,
                    purpose,
                    scope_from,
                    scope_to,
                    signed_on,
                    expires_on,
                },
            )
            .map(drop);
            in_scope(fx, who, None, Some(c), r)
        },
    );
    fx.command("client_disclosures")
        .run((who(), client_ids()), |fx, (who, c)| {
            let r = disclosures::disclosures_of_client(&fx.signed(who), c).map(drop);
            in_scope(fx, who, None, Some(c), r)
        });
    // Issue 19's outcome measures: answers of any number and value, from
    // anyone, on any session and client; flags of the entries made above.
    // Half the cases a Steady Ground member in one of its sessions with a
    // whole form answered, so entries (and item 9's flags) get stored too.
    let booked = (
        select(ids.steady_sessions.clone()),
        select(ids.steady_members.clone()),
    );
    let whole_form = select(Instrument::ALL.to_vec()).prop_flat_map(|instrument| {
        (
            Just(instrument),
            vec((0i64..4).prop_map(Some), instrument.items().len()),
        )
    });
    let any_answers = (
        select(Instrument::ALL.to_vec()),
        prop_oneof![
            3 => vec(opt(0i64..4), 7..10),
            1 => vec(opt(prop_oneof![-2i64..6, i64_edge()]), 0..12),
        ],
    );
    fx.command("measure_enter").run(
        (
            writer(),
            prop_oneof![1 => booked, 1 => (session_ids(), client_ids())],
            prop_oneof![1 => whole_form, 1 => any_answers],
        ),
        |fx, (who, (session_id, client_id), (instrument, answers))| {
            let input = MeasureInput {
                session_id,
                client_id,
                instrument,
                answers,
            };
            let r = measures::enter(&fx.signed(who), input).map(drop);
            in_scope(fx, who, Some(session_id), Some(client_id), r)
        },
    );
    fx.command("measure_trends")
        .run((who(), client_ids()), |fx, (who, c)| {
            let r = measures::client_trends(&fx.signed(who), c).map(drop);
            in_scope(fx, who, None, Some(c), r)
        });
    fx.command("measure_group_summary").run(
        (who(), id(ids.groups(), every.clone())),
        |fx, (who, g)| {
            let r = measures::group_summary(&fx.signed(who), g);
            assert!(
                !(who == Who::Ana && g == fx.ids.roots && r.is_ok()),
                "Ana read the measures of a group she does not facilitate"
            );
            for m in r? {
                assert!(
                    m.sessions
                        .iter()
                        .all(|s| s.count >= 3 || s.median.is_none()),
                    "a median of fewer than three scores was shown"
                );
            }
            Ok(())
        },
    );
    fx.command("measure_risk_flags").run(who(), |fx, who| {
        let flags = measures::open_risk_flags(&fx.signed(who))?;
        if who == Who::Ana {
            assert!(
                flags.iter().all(|f| f.client_id != fx.ids.farah),
                "Ana saw the risk flag of a client outside her groups"
            );
        }
        Ok(())
    });
    fx.command("measure_acknowledge_risk").run(
        (
            writer(),
            id((1..64).collect(), every.clone()),
            short_phi_text(),
        ),
        |fx, (who, entry, note)| measures::acknowledge_risk(&fx.signed(who), entry, &note),
    );
    // Signing and revoking last: they make the notes and consents the
    // cases above meet immutable.
    fx.command("note_sign").run(
        (writer(), note_sessions(&fx), revision()),
        |fx, (who, s, revision)| {
            let r = signing::sign(&fx.signed(who), s, revision).map(drop);
            in_scope(fx, who, Some(s), None, r)
        },
    );
    fx.command("note_cosign")
        .run((who(), session_ids()), |fx, (who, s)| {
            let r = signing::cosign(&fx.signed(who), s).map(drop);
            in_scope(fx, who, Some(s), None, r)
        });
    fx.command("consent_revoke").run(
        (who(), id(vec![ids.consent], every.clone()), date()),
        |fx, (who, consent, on)| {
            let farahs = consent == fx.ids.consent;
            let r = disclosures::revoke_consent(&fx.signed(who), consent, &on).map(drop);
            in_scope(fx, who, None, farahs.then_some(fx.ids.farah), r)
        },
    );
}
