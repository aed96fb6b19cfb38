//! Issue 17, retention: the periods and the records due for review.

use crate::common::*;
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::retention::{self, RetentionSettings};
use circle_core::roles::Role;
use circle_core::schedule::appointments::{self, AppointmentInput, AppointmentKind};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::signed_in::SignedIn;
use circle_core::Error;

fn client(s: &SignedIn, first: &str, born: &str) -> i64 {
    let input = ClientInput {
        legal_first_name: first.into(),
        middle_name: None,
        legal_last_name: "Example".into(),
        preferred_name: None,
        name_order: Default::default(),
        pronouns: None,
        date_of_birth: Some(born.into()),
        phone: None,
        email: None,
        emergency_name: None,
        emergency_phone: None,
        status: ClientStatus::Discharged,
    };
    match clients::create(s, input, true).unwrap() {
        Created::Client { client } => client.id,
        other => panic!("{other:?}"),
    }
}

fn check_in(s: &SignedIn, client_id: i64, clinician_id: i64, room_id: i64, date: &str) {
    appointments::book(
        s,
        AppointmentInput {
            kind: AppointmentKind::CheckIn,
            client_id,
            clinician_id,
            room_id,
            date: date.into(),
            start_time: "10:00".into(),
            duration_minutes: 50,
        },
    )
    .unwrap();
}

#[test]
fn records_are_due_seven_years_after_the_last_contact_and_minors_not_before_21() {
    let v = new_vault();
    v.add("mia", "Mia Manager", Role::Manager);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    v.add(CLINICIAN, CLINICIAN_NAME, Role::Clinician);
    let then = pin_clock("2017-05-01T09:00:00Z");
    let owner = v.owner();
    let dana = owner.actor().staff_id;
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Room A".into(),
            capacity: 8,
        },
    )
    .unwrap()
    .id;
    let never_seen = client(&owner, "Nevin", "1975-02-02");
    let adult = client(&owner, "Ada", "1980-01-01");
    check_in(&owner, adult, dana, room, "2017-05-02");
    // Eight years old at their last contact.
    let minor = client(&owner, "Milo", "2009-01-01");
    check_in(&owner, minor, dana, room, "2017-05-03");
    owner.lock().unwrap();
    drop(then);

    let now = pin_clock("2026-12-01T09:00:00Z");
    let owner = v.owner();
    let recent = client(&owner, "Rhea", "1990-01-01");
    check_in(&owner, recent, dana, room, "2026-11-20");

    let manager = v.sign_in("mia");
    assert_eq!(
        retention::settings(&manager).unwrap(),
        RetentionSettings {
            years_after_contact: 7,
            years_after_majority: 3
        }
    );
    let due = retention::due(&manager).unwrap();
    let listed: Vec<(i64, &str, &str, bool)> = due
        .iter()
        .map(|d| {
            (
                d.client.id,
                d.last_contact.as_str(),
                d.due_on.as_str(),
                d.minor_at_last_contact,
            )
        })
        .collect();
    assert_eq!(
        listed,
        [
            (never_seen, "2017-05-01", "2024-05-01", false),
            (adult, "2017-05-02", "2024-05-02", false),
        ],
        "the minor is due at 21 (2030-01-01); the recent client in 2033"
    );

    // The owner sets the periods; nobody else may.
    let longer = RetentionSettings {
        years_after_contact: 10,
        years_after_majority: 3,
    };
    assert!(matches!(
        retention::set_settings(&manager, longer),
        Err(Error::Forbidden)
    ));
    retention::set_settings(&owner, longer).unwrap();
    assert!(retention::due(&manager).unwrap().is_empty());
    assert!(matches!(
        retention::set_settings(
            &owner,
            RetentionSettings {
                years_after_contact: 0,
                years_after_majority: 3
            }
        ),
        Err(Error::Invalid { field, .. }) if field == "yearsAfterContact"
    ));

    // The list is the owner's and the manager's only.
    for who in [FRONT_DESK, CLINICIAN] {
        let s = v.sign_in(who);
        assert!(matches!(retention::due(&s), Err(Error::Forbidden)), "{who}");
        assert!(
            matches!(retention::settings(&s), Err(Error::Forbidden)),
            "{who}"
        );
    }
    drop(now);
}
