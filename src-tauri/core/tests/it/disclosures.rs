//! 42 CFR Part 2 consents and the accounting of disclosures, through the
//! services the chart calls: adding, listing and revoking consents with
//! refusals by field, the accounting's list, and who is refused. (Part 2's
//! reach, the permitting consent and the append-only log are crate-only:
//! their tests are in `circle_core::disclosures`.)

use crate::common::*;
use chrono::NaiveDate;
use circle_core::audit::{self, AuditFilter};
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::disclosures::{
    self, ConsentInput, ConsentState, MAX_PURPOSE_CHARS, MAX_RECIPIENT_CHARS,
};
use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
use circle_core::roles::Role;
use circle_core::signed_in::SignedIn;
use circle_core::Error;

const MANAGER: &str = "morgan";
const RECIPIENT: &str = "Northside Community Clinic";
const PURPOSE: &str = "Coordination of care after discharge";

/// Ana leads "Early Recovery" (substance use), where Inês holds a seat;
/// Ben leads nothing of Inês's; a front desk and a manager.
struct Practice {
    v: TestVault,
    ines: i64,
}

fn practice() -> Practice {
    let v = new_vault();
    let ana = v.add("ana", "Ana Lindqvist", Role::Clinician);
    v.add("ben", "Ben Adeyemi", Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    v.add(MANAGER, "Morgan Hale", Role::Manager);
    let owner = v.owner();
    let group = groups::create_group(
        &owner,
        GroupInput {
            name: "Early Recovery".into(),
            kind: GroupKind::Rolling,
            modality: "Relapse prevention".into(),
            capacity: 10,
            primary_facilitator_id: ana,
            co_facilitator_ids: vec![],
            default_room_id: None,
            note_template: NoteTemplate::Girp,
            substance_use: true,
        },
    )
    .unwrap();
    let input = ClientInput {
        legal_first_name: "Inês".into(),
        middle_name: None,
        legal_last_name: "Duarte".into(),
        preferred_name: None,
        name_order: Default::default(),
        pronouns: None,
        date_of_birth: None,
        phone: None,
        email: None,
        emergency_name: None,
        emergency_phone: None,
        status: ClientStatus::Active,
    };
    let ines = match clients::create(&owner, input, true).unwrap() {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    };
    groups::enroll(&owner, group.id, ines, false, day("2026-01-05")).unwrap();
    owner.lock().unwrap();
    Practice { v, ines }
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn input(signed_on: &str) -> ConsentInput {
    ConsentInput {
        recipient: RECIPIENT.into(),
        purpose: PURPOSE.into(),
        scope_from: Some("2026-01-01".into()),
        scope_to: Some("2026-06-30".into()),
        signed_on: signed_on.into(),
        expires_on: Some("2026-12-31".into()),
    }
}

fn field_of<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

fn audit_of(owner: &SignedIn, prefix: &str) -> Vec<audit::AuditEntry> {
    audit::list_for(
        owner,
        &AuditFilter {
            action_prefix: Some(prefix.into()),
            limit: Some(1000),
            ..Default::default()
        },
    )
    .unwrap()
}

#[test]
fn a_clinician_adds_lists_and_revokes_a_clients_consents() {
    let _clock = pin_clock("2026-03-10T15:00:00Z");
    let p = practice();
    let ana = p.v.sign_in("ana");
    assert!(disclosures::consents_of_client(&ana, p.ines)
        .unwrap()
        .is_empty());

    let first = disclosures::add_consent(
        &ana,
        p.ines,
        ConsentInput {
            recipient: format!("  {RECIPIENT} "),
            purpose: format!("{PURPOSE}\n"),
            ..input("2026-02-01")
        },
    )
    .unwrap();
    assert_eq!(first.client_id, p.ines);
    assert_eq!(first.recipient, RECIPIENT, "trimmed");
    assert_eq!(first.purpose, PURPOSE);
    assert_eq!(first.scope_from.as_deref(), Some("2026-01-01"));
    assert_eq!(first.scope_to.as_deref(), Some("2026-06-30"));
    assert_eq!(first.signed_on, "2026-02-01");
    assert_eq!(first.expires_on.as_deref(), Some("2026-12-31"));
    assert_eq!(first.revoked_on, None);
    assert_eq!(first.created_by.full_name, "Ana Lindqvist");
    assert_eq!(first.created_at, "2026-03-10T15:00:00Z");
    assert_eq!(first.state, ConsentState::Active);
    let debug = format!("{first:?}");
    assert!(!debug.contains("Northside") && !debug.contains("Coordination"));

    // The whole record (no span), expired; and one signed ahead of time.
    let whole = disclosures::add_consent(
        &ana,
        p.ines,
        ConsentInput {
            recipient: "Probation Office".into(),
            scope_from: None,
            scope_to: Some(String::new()),
            expires_on: Some("2026-03-09".into()),
            ..input("2026-01-15")
        },
    )
    .unwrap();
    assert_eq!(
        (whole.scope_from.clone(), whole.scope_to.clone()),
        (None, None)
    );
    assert_eq!(whole.state, ConsentState::Expired);
    let ahead = disclosures::add_consent(&ana, p.ines, input("2026-03-11")).unwrap();
    assert_eq!(ahead.state, ConsentState::NotYetSigned);

    let listed = disclosures::consents_of_client(&ana, p.ines).unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        [ahead.id, first.id, whole.id],
        "newest signature first"
    );

    let revoked = disclosures::revoke_consent(&ana, first.id, "2026-03-10").unwrap();
    assert_eq!(revoked.revoked_on.as_deref(), Some("2026-03-10"));
    assert_eq!(revoked.state, ConsentState::Revoked);
    assert_eq!(
        field_of(disclosures::revoke_consent(&ana, first.id, "2026-03-10")),
        "revokedOn",
        "revoked once only"
    );
    let listed = disclosures::consents_of_client(&ana, p.ines).unwrap();
    assert_eq!(listed[1].state, ConsentState::Revoked);
    drop(ana);

    // Audited by ids: no recipient, no purpose.
    let owner = p.v.owner();
    let added = audit_of(&owner, "consent.added");
    assert_eq!(added.len(), 3);
    assert!(added
        .iter()
        .all(|e| e.entity_kind.as_deref() == Some("client") && e.entity_id == Some(p.ines)));
    assert!(added
        .iter()
        .any(|e| e.detail.as_deref() == Some(&format!("consent={}", first.id))));
    let revokes = audit_of(&owner, "consent.revoked");
    assert_eq!(revokes.len(), 1);
    assert_eq!(
        revokes[0].detail.as_deref(),
        Some(format!("consent={}", first.id).as_str())
    );
    assert_eq!(audit_of(&owner, "consent.viewed").len(), 3);
    for entry in audit_of(&owner, "consent.") {
        let detail = entry.detail.unwrap_or_default();
        for word in ["Northside", "Probation", "Coordination", "Inês"] {
            assert!(!detail.contains(word), "{detail}");
        }
    }
}

#[test]
fn bad_consent_input_is_refused_by_field_and_writes_nothing() {
    let _clock = pin_clock("2026-03-10T15:00:00Z");
    let p = practice();
    let ana = p.v.sign_in("ana");
    let cases: Vec<(&str, ConsentInput)> = vec![
        (
            "recipient",
            ConsentInput {
                recipient: "   ".into(),
                ..input("2026-02-01")
            },
        ),
        (
            "recipient",
            ConsentInput {
                recipient: "x".repeat(MAX_RECIPIENT_CHARS + 1),
                ..input("2026-02-01")
            },
        ),
        (
            "purpose",
            ConsentInput {
                purpose: String::new(),
                ..input("2026-02-01")
            },
        ),
        (
            "purpose",
            ConsentInput {
                purpose: "y".repeat(MAX_PURPOSE_CHARS + 1),
                ..input("2026-02-01")
            },
        ),
        (
            "scopeFrom",
            ConsentInput {
                scope_from: Some("2026-02-30".into()),
                ..input("2026-02-01")
            },
        ),
        (
            "scopeTo",
            ConsentInput {
                scope_to: Some("31/12/2026".into()),
                ..input("2026-02-01")
            },
        ),
        (
            "scopeTo",
            ConsentInput {
                scope_from: Some("2026-06-01".into()),
                scope_to: Some("2026-05-31".into()),
                ..input("2026-02-01")
            },
        ),
        ("signedOn", input("")),
        ("signedOn", input("yesterday")),
        (
            "expiresOn",
            ConsentInput {
                expires_on: Some("2026-01-31".into()),
                ..input("2026-02-01")
            },
        ),
    ];
    for (field, bad) in cases {
        assert_eq!(field_of(disclosures::add_consent(&ana, p.ines, bad)), field);
    }
    // Exactly at the limits is fine.
    let at_limits = disclosures::add_consent(
        &ana,
        p.ines,
        ConsentInput {
            recipient: "r".repeat(MAX_RECIPIENT_CHARS),
            purpose: "p".repeat(MAX_PURPOSE_CHARS),
            expires_on: Some("2026-02-01".into()),
            ..input("2026-02-01")
        },
    )
    .unwrap();
    assert_eq!(
        disclosures::consents_of_client(&ana, p.ines).unwrap().len(),
        1
    );

    let consent = disclosures::add_consent(&ana, p.ines, input("2026-02-01")).unwrap();
    for (date, why) in [
        ("2026-01-31", "before it was signed"),
        ("2026-03-11", "after today"),
        ("2026-3-1", "not a date"),
        ("", "no date"),
    ] {
        assert_eq!(
            field_of(disclosures::revoke_consent(&ana, consent.id, date)),
            "revokedOn",
            "{why}"
        );
    }
    assert!(matches!(
        disclosures::revoke_consent(&ana, consent.id + 100, "2026-03-01"),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(
        disclosures::add_consent(&ana, p.ines + 100, input("2026-02-01")),
        Err(Error::Forbidden | Error::NotFound { .. })
    ));
    let listed = disclosures::consents_of_client(&ana, p.ines).unwrap();
    assert_eq!(
        listed.iter().map(|c| c.id).collect::<Vec<_>>(),
        [consent.id, at_limits.id]
    );
    assert!(listed.iter().all(|c| c.revoked_on.is_none()));
}

#[test]
fn the_front_desk_the_manager_and_a_clinician_outside_the_clients_groups_are_refused() {
    let _clock = pin_clock("2026-03-10T15:00:00Z");
    let p = practice();
    let ana = p.v.sign_in("ana");
    let consent = disclosures::add_consent(&ana, p.ines, input("2026-02-01")).unwrap();
    drop(ana);

    for username in [FRONT_DESK, MANAGER, "ben"] {
        let s = p.v.sign_in(username);
        let results: Vec<(&str, Result<(), Error>)> = vec![
            (
                "consents_of_client",
                disclosures::consents_of_client(&s, p.ines).map(drop),
            ),
            (
                "add_consent",
                disclosures::add_consent(&s, p.ines, input("2026-02-01")).map(drop),
            ),
            (
                "revoke_consent",
                disclosures::revoke_consent(&s, consent.id, "2026-03-01").map(drop),
            ),
            (
                "disclosures_of_client",
                disclosures::disclosures_of_client(&s, p.ines).map(drop),
            ),
        ];
        for (what, result) in results {
            assert!(
                matches!(result, Err(Error::Forbidden)),
                "{username} {what}: {result:?}"
            );
        }
    }

    // Nothing was added or revoked by them, and their refusals read nothing.
    let owner = p.v.owner();
    let listed = disclosures::consents_of_client(&owner, p.ines).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].state, ConsentState::Active);
    assert_eq!(audit_of(&owner, "consent.added").len(), 1);
    assert!(audit_of(&owner, "consent.revoked").is_empty());
    assert!(audit_of(&owner, "disclosure.viewed").is_empty());
}

#[test]
fn the_accounting_of_disclosures_starts_empty_and_its_reading_is_audited() {
    let p = practice();
    let ana = p.v.sign_in("ana");
    assert!(disclosures::disclosures_of_client(&ana, p.ines)
        .unwrap()
        .is_empty());
    drop(ana);
    let owner = p.v.owner();
    assert!(disclosures::disclosures_of_client(&owner, p.ines)
        .unwrap()
        .is_empty());
    let read = audit_of(&owner, "disclosure.viewed");
    assert_eq!(read.len(), 2);
    assert!(read
        .iter()
        .all(|e| e.entity_kind.as_deref() == Some("client")
            && e.entity_id == Some(p.ines)
            && e.detail.as_deref() == Some("disclosures=0")));
}
