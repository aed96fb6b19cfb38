//! The practice's time zone and locale: chosen at setup, changed by the
//! owner alone, audited, and a change of zone keeps what is still to come at
//! its local time.

use crate::common::*;
use circle_core::audit::{self, AuditFilter};
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::clock;
use circle_core::groups::{self, GroupInput, GroupKind, NoteTemplate};
use circle_core::practice;
use circle_core::roles::Role;
use circle_core::schedule::appointments::{self, AppointmentInput, AppointmentKind};
use circle_core::schedule::recurrence::{Pattern, RecurrenceInput};
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::schedule::sessions;
use circle_core::signed_in::SignedIn;
use circle_core::signin::{self, SetupRequest};
use circle_core::vault::db;
use circle_core::vault::location::VaultLocation;
use circle_core::Error;

fn invalid_field<T: std::fmt::Debug>(result: Result<T, Error>) -> String {
    match result {
        Err(Error::Invalid { field, .. }) => field,
        other => panic!("expected a field error, got {other:?}"),
    }
}

/// A new practice in `zone`, its owner signed in.
fn set_up_in(zone: &str) -> (tempfile::TempDir, SignedIn) {
    let dir = tempfile::tempdir().expect("temp dir");
    let location = VaultLocation::at(dir.path());
    let (owner, _code) = signin::setup(
        &location,
        SetupRequest {
            practice_name: PRACTICE.into(),
            timezone: zone.into(),
            owner_full_name: OWNER_NAME.into(),
            owner_username: OWNER.into(),
            passphrase: pass(OWNER_PASS),
        },
    )
    .expect("setup");
    (dir, owner)
}

fn settings_changes(s: &SignedIn) -> Vec<String> {
    audit::list_for(
        s,
        &AuditFilter {
            action_prefix: Some("practice.settings_changed".into()),
            ..AuditFilter::default()
        },
    )
    .unwrap()
    .into_iter()
    .filter_map(|e| e.detail)
    .collect()
}

#[test]
fn a_new_practice_writes_dates_as_its_zones_country_does() {
    for (zone, locale) in [
        ("Europe/Dublin", "en-IE"),
        ("Europe/London", "en-GB"),
        ("America/Chicago", "en-US"),
        ("America/Toronto", "en-CA"),
        ("Europe/Berlin", "de-DE"),
        ("Australia/Sydney", "en-AU"),
        ("Asia/Tokyo", "en-GB"),
    ] {
        let (_dir, owner) = set_up_in(zone);
        let settings = practice::settings(&owner).unwrap();
        assert_eq!(settings.timezone, zone);
        assert_eq!(settings.locale, locale, "{zone}");
        assert_eq!(practice::sign_in_settings(&owner).unwrap().locale, locale);
    }
}

#[test]
fn only_the_owner_changes_the_zone_and_the_locale_and_each_change_is_audited() {
    let v = new_vault();
    v.add("mira", "Mira Halvorsen", Role::Manager);
    v.add("ana", "Ana Lindqvist", Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    for who in ["mira", "ana", FRONT_DESK] {
        let s = v.sign_in(who);
        assert!(
            matches!(practice::set_locale(&s, "en-IE"), Err(Error::Forbidden)),
            "{who} may not change the locale"
        );
        assert!(
            matches!(
                practice::set_timezone(&s, "Europe/Dublin"),
                Err(Error::Forbidden)
            ),
            "{who} may not change the zone"
        );
        // Everyone still reads them (every screen writes dates with them).
        assert_eq!(practice::settings(&s).unwrap().locale, "en-GB");
    }

    let owner = v.owner();
    assert_eq!(
        invalid_field(practice::set_locale(&owner, "tlh-KX")),
        "locale"
    );
    assert_eq!(invalid_field(practice::set_locale(&owner, "")), "locale");
    assert_eq!(
        invalid_field(practice::set_timezone(&owner, "Europe / Dublin")),
        "timezone"
    );
    assert_eq!(
        invalid_field(practice::set_timezone(&owner, "Mars/Olympus_Mons")),
        "timezone"
    );
    assert!(
        settings_changes(&owner).is_empty(),
        "refusals change nothing"
    );

    // Typed in any case, stored as the list spells it.
    assert_eq!(
        practice::set_locale(&owner, "en-ie").unwrap().locale,
        "en-IE"
    );
    let changed = practice::set_timezone(&owner, " Europe/Dublin ").unwrap();
    assert_eq!(changed.settings.timezone, "Europe/Dublin");
    assert_eq!(
        changed.settings.locale, "en-IE",
        "the locale stays as chosen"
    );
    assert_eq!(
        practice::settings(&owner).unwrap().timezone,
        "Europe/Dublin"
    );

    let details = settings_changes(&owner);
    assert_eq!(details.len(), 2);
    assert!(details[0].starts_with("timezone=Europe/Dublin from=Europe/London"));
    assert_eq!(details[1], "locale=en-IE");
    // What others see at their next sign-in.
    owner.lock().unwrap();
    let desk = v.sign_in(FRONT_DESK);
    let seen = practice::sign_in_settings(&desk).unwrap();
    assert_eq!(
        (seen.timezone.as_str(), seen.locale.as_str()),
        ("Europe/Dublin", "en-IE")
    );
}

#[test]
fn a_weekly_18_00_group_still_meets_at_18_00_after_the_practice_moves_zone() {
    let clock = pin_clock("2030-03-01T12:00:00Z");
    let v = new_vault();
    let ana = v.add("ana", "Ana Lindqvist", Role::Clinician);
    let owner = v.owner();
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Room A".into(),
            capacity: 12,
        },
    )
    .unwrap()
    .id;
    let group = groups::create_group(
        &owner,
        GroupInput {
            name: "Recovery".into(),
            kind: GroupKind::Closed,
            modality: "DBT skills".into(),
            capacity: 8,
            primary_facilitator_id: ana,
            co_facilitator_ids: vec![],
            default_room_id: Some(room),
            note_template: NoteTemplate::Girp,
            substance_use: false,
        },
    )
    .unwrap()
    .id;
    // Tuesdays at 18:00 in London, two weeks before "now" and six after.
    let series = sessions::create_series(
        &owner,
        group,
        room,
        RecurrenceInput {
            first_date: "2030-02-19".into(),
            start_time: "18:00".into(),
            duration_minutes: 90,
            pattern: Pattern::Weekly,
            interval_weeks: Some(1),
            nth_week: None,
            weekday: None,
            until_date: None,
            count: Some(8),
            timezone: String::new(),
        },
    )
    .unwrap();
    let client = match clients::create(
        &owner,
        ClientInput {
            legal_first_name: "Zoë".into(),
            legal_last_name: "Martin".into(),
            preferred_name: None,
            middle_name: None,
            name_order: Default::default(),
            pronouns: None,
            date_of_birth: None,
            phone: None,
            email: None,
            emergency_name: None,
            emergency_phone: None,
            status: ClientStatus::Active,
        },
        true,
    )
    .unwrap()
    {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    };
    // An intake on Thursday 7 March at 10:00 London time.
    let intake = appointments::book(
        &owner,
        AppointmentInput {
            kind: AppointmentKind::Intake,
            client_id: client,
            clinician_id: ana,
            room_id: room,
            date: "2030-03-07".into(),
            start_time: "10:00".into(),
            duration_minutes: 60,
        },
    )
    .unwrap();
    assert_eq!(intake.starts_at, "2030-03-07T10:00:00Z");

    let changed = practice::set_timezone(&owner, "Europe/Berlin").unwrap();
    assert_eq!(changed.sessions_kept, 6, "the six sessions still to come");
    assert_eq!(changed.appointments_kept, 1);

    let after = sessions::sessions_of_group(&owner, group).unwrap();
    let starts: Vec<&str> = after.iter().map(|s| s.starts_at.as_str()).collect();
    assert_eq!(
        starts,
        [
            // Past: the instants they happened at (18:00 London, 19:00 Berlin).
            "2030-02-19T18:00:00Z",
            "2030-02-26T18:00:00Z",
            // To come: 18:00 in Berlin, CET then CEST from 31 March.
            "2030-03-05T17:00:00Z",
            "2030-03-12T17:00:00Z",
            "2030-03-19T17:00:00Z",
            "2030-03-26T17:00:00Z",
            "2030-04-02T16:00:00Z",
            "2030-04-09T16:00:00Z",
        ]
    );
    let berlin: chrono_tz::Tz = "Europe/Berlin".parse().unwrap();
    for session in &after[2..] {
        let starts = clock::parse_instant(&session.starts_at).unwrap();
        let ends = clock::parse_instant(&session.ends_at).unwrap();
        assert_eq!(
            clock::format_time(clock::local_time_of(berlin, starts)),
            "18:00"
        );
        assert_eq!((ends - starts).num_minutes(), 90, "the same length");
    }
    let intake = appointments::appointments_of_client(&owner, client).unwrap();
    assert_eq!(
        intake[0].starts_at, "2030-03-07T09:00:00Z",
        "10:00 in Berlin"
    );

    // Later changes to the series are at Berlin's wall time too.
    let moved = sessions::update_series(
        &owner,
        series.series_id,
        "2030-04-01".parse().unwrap(),
        "19:00".parse().unwrap(),
        90,
        room,
    )
    .unwrap();
    assert_eq!(moved.last().unwrap().starts_at, "2030-04-09T17:00:00Z");

    // The same zone again moves nothing and records nothing.
    clock.set("2030-03-02T12:00:00Z");
    let again = practice::set_timezone(&owner, "Europe/Berlin").unwrap();
    assert_eq!((again.sessions_kept, again.appointments_kept), (0, 0));
    let details = settings_changes(&owner);
    assert_eq!(details.len(), 1);
    assert_eq!(
        details[0],
        "timezone=Europe/Berlin from=Europe/London sessions_kept=6 appointments_kept=1"
    );
    assert!(!details[0].contains("Martin") && !details[0].contains("Recovery"));
}

#[test]
fn a_vault_from_before_locales_reads_its_zones_default_until_one_is_chosen() {
    let v = new_vault();
    // As migration 7 leaves a vault from before it: a locale column, empty.
    // (Migration 7 itself runs in every older-vault test of this suite.)
    {
        let keys = v.unwrap_as(OWNER, OWNER_PASS);
        let conn = db::open(&v.location.practice_db_path(), &keys.practice, false).unwrap();
        conn.execute_batch(
            "UPDATE practice_settings SET timezone = 'Europe/Dublin', locale = NULL;",
        )
        .unwrap();
    }
    let owner = v.owner();
    let settings = practice::settings(&owner).unwrap();
    assert_eq!(settings.locale, "en-IE", "Europe/Dublin's default");
    // Moving the practice keeps the locale it was reading as.
    practice::set_timezone(&owner, "America/New_York").unwrap();
    assert_eq!(practice::settings(&owner).unwrap().locale, "en-IE");
    assert_eq!(
        practice::set_locale(&owner, "en-US").unwrap().locale,
        "en-US"
    );
}
