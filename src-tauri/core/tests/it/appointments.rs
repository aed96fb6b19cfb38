//! Checking clients in at their appointments (intake screenings, check-ins)
//! against a real vault: the same statuses, times and refusals as at a group
//! session, the client's name for whoever books, every record audited.

use crate::common::*;
use chrono::NaiveDate;
use circle_core::audit::{self, AuditFilter};
use circle_core::clients::{self, ClientInput, ClientStatus, Created};
use circle_core::roles::{Capability, Role};
use circle_core::schedule::agenda;
use circle_core::schedule::appointments::{
    self, Appointment, AppointmentAttendanceInput, AppointmentInput, AppointmentKind,
};
use circle_core::schedule::attendance::AttendanceStatus;
use circle_core::schedule::rooms::{self, RoomInput};
use circle_core::signed_in::SignedIn;
use circle_core::Error;

/// The day of the appointments. The vault's zone is Europe/London, on GMT
/// in March, so local times read as UTC ones.
const DAY: &str = "2030-03-05";

fn day() -> NaiveDate {
    DAY.parse().unwrap()
}

fn client(s: &SignedIn, first: &str, last: &str, preferred: Option<&str>) -> i64 {
    let input = ClientInput {
        legal_first_name: first.into(),
        legal_last_name: last.into(),
        preferred_name: preferred.map(Into::into),
        middle_name: None,
        name_order: Default::default(),
        pronouns: None,
        date_of_birth: None,
        phone: None,
        email: None,
        emergency_name: None,
        emergency_phone: None,
        status: ClientStatus::Prospect,
    };
    match clients::create(s, input, true).unwrap() {
        Created::Client { client } => client.id,
        Created::PossibleDuplicate { .. } => unreachable!("confirmed"),
    }
}

struct Clinic {
    v: TestVault,
    ana: i64,
    room: i64,
}

/// A practice with a clinician (Ana), the front desk and a room.
fn clinic() -> Clinic {
    let v = new_vault();
    let ana = v.add("ana", "Ana Lindqvist", Role::Clinician);
    v.add(FRONT_DESK, FRONT_DESK_NAME, Role::FrontDesk);
    let owner = v.owner();
    let room = rooms::create_room(
        &owner,
        RoomInput {
            name: "Garden Room".into(),
            capacity: 4,
        },
    )
    .unwrap()
    .id;
    owner.lock().unwrap();
    Clinic { v, ana, room }
}

fn book(s: &SignedIn, c: &Clinic, client_id: i64, date: &str, time: &str) -> Appointment {
    appointments::book(
        s,
        AppointmentInput {
            kind: AppointmentKind::Intake,
            client_id,
            clinician_id: c.ana,
            room_id: c.room,
            date: date.into(),
            start_time: time.into(),
            duration_minutes: 60,
        },
    )
    .unwrap()
}

fn mark(
    s: &SignedIn,
    appointment_id: i64,
    status: AttendanceStatus,
    arrived: Option<&str>,
    left: Option<&str>,
) -> Result<appointments::AppointmentAttendance, Error> {
    appointments::record_attendance(
        s,
        AppointmentAttendanceInput {
            appointment_id,
            status,
            arrived_at: arrived.map(Into::into),
            left_at: left.map(Into::into),
        },
    )
}

/// The appointment as the Today screen reads it (the day's agenda).
fn on_today(s: &SignedIn, id: i64) -> Appointment {
    agenda::agenda(s, day(), 1)
        .unwrap()
        .appointments
        .into_iter()
        .find(|a| a.id == id)
        .expect("the appointment is on the day's agenda")
}

fn invalid_field(err: &Error) -> &str {
    match err {
        Error::Invalid { field, .. } => field,
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

/// What the person is told beside the field.
fn reason(err: &Error) -> &str {
    match err {
        Error::Invalid { reason, .. } => reason,
        other => panic!("expected a refusal naming a field, got {other:?}"),
    }
}

#[test]
fn each_status_is_recorded_and_read_back_on_the_agenda() {
    let c = clinic();
    let _clock = pin_clock(&format!("{DAY}T17:00:00Z"));
    let desk = c.v.sign_in(FRONT_DESK);
    let ada = client(&desk, "Adaline", "Brennan", Some("Ada"));
    let booked = book(&desk, &c, ada, DAY, "09:00");
    assert_eq!(booked.attendance, None, "nothing is recorded at booking");

    // Status, times as typed (arrived, left), times as stored.
    type Times = (Option<&'static str>, Option<&'static str>);
    let cases: [(AttendanceStatus, Times, Times); 6] = [
        (AttendanceStatus::Present, (None, None), (None, None)),
        (
            AttendanceStatus::Late,
            (Some("09:10"), None),
            (Some("2030-03-05T09:10:00Z"), None),
        ),
        (
            AttendanceStatus::LeftEarly,
            (Some("09:05"), Some("09:40")),
            (Some("2030-03-05T09:05:00Z"), Some("2030-03-05T09:40:00Z")),
        ),
        (AttendanceStatus::AbsentExcused, (None, None), (None, None)),
        (AttendanceStatus::NoShow, (None, None), (None, None)),
        (AttendanceStatus::CancelledLate, (None, None), (None, None)),
    ];
    for (status, (arrived, left), (arrived_at, left_at)) in cases {
        let saved = mark(&desk, booked.id, status, arrived, left).unwrap();
        let read = on_today(&desk, booked.id)
            .attendance
            .expect("recorded attendance shows on the agenda");
        assert_eq!(read, saved, "{status:?}");
        assert_eq!(
            (
                read.status,
                read.arrived_at.as_deref(),
                read.left_at.as_deref()
            ),
            (status, arrived_at, left_at),
            "{status:?} reads back with its times"
        );
    }
    // A time given with a status that takes none is not kept.
    let present = mark(
        &desk,
        booked.id,
        AttendanceStatus::Present,
        Some("09:20"),
        None,
    )
    .unwrap();
    assert_eq!((present.arrived_at, present.left_at), (None, None));
}

#[test]
fn the_front_desk_records_attendance_sees_the_name_and_the_audit_names_nobody() {
    let c = clinic();
    let _clock = pin_clock(&format!("{DAY}T09:30:00Z"));
    let desk = c.v.sign_in(FRONT_DESK);
    let zoe = client(&desk, "Zoë", "Martin", None);
    let booked = book(&desk, &c, zoe, DAY, "09:00");
    assert_eq!(
        booked.client_name, "Zoë Martin",
        "the booking names the client"
    );
    assert_eq!(on_today(&desk, booked.id).client_name, "Zoë Martin");
    mark(&desk, booked.id, AttendanceStatus::Present, None, None).unwrap();
    assert_eq!(
        on_today(&desk, booked.id).attendance.map(|a| a.status),
        Some(AttendanceStatus::Present)
    );
    desk.lock().unwrap();

    let owner = c.v.owner();
    let rows = audit::list_for(
        &owner,
        &AuditFilter {
            action_prefix: Some("appointment.attendance".into()),
            ..AuditFilter::default()
        },
    )
    .unwrap();
    assert_eq!(rows.len(), 1, "{rows:?}");
    let row = &rows[0];
    assert_eq!(row.action, "appointment.attendance_recorded");
    assert_eq!(
        (row.entity_kind.as_deref(), row.entity_id),
        (Some("appointment"), Some(booked.id))
    );
    assert_eq!(row.detail.as_deref(), Some("status=present"));
    assert!(
        !format!("{row:?}").contains("Zo"),
        "no name in the audit: {row:?}"
    );
}

/// Whoever may book an appointment sees who it is with and may check them
/// in. In DESIGN.md's table booking and check-in are open to all five roles,
/// so all five are checked here: there is no role that may not book.
#[test]
fn every_role_that_may_book_sees_the_name_and_records_attendance() {
    let c = clinic();
    let _clock = pin_clock(&format!("{DAY}T17:00:00Z"));
    c.v.add("sam", "Sam Okafor", Role::Supervisor);
    c.v.add("mo", "Mo Haddad", Role::Manager);
    let desk = c.v.sign_in(FRONT_DESK);
    let ada = client(&desk, "Ada", "Brennan", None);
    let booked = book(&desk, &c, ada, DAY, "09:00");
    desk.lock().unwrap();

    for (username, role) in [
        (OWNER, Role::Owner),
        ("ana", Role::Clinician),
        ("sam", Role::Supervisor),
        ("mo", Role::Manager),
        (FRONT_DESK, Role::FrontDesk),
    ] {
        assert!(role.can(Capability::Scheduling), "{role:?} may book");
        let s = if username == OWNER {
            c.v.owner()
        } else {
            c.v.sign_in(username)
        };
        assert_eq!(
            on_today(&s, booked.id).client_name,
            "Ada Brennan",
            "{role:?}"
        );
        mark(&s, booked.id, AttendanceStatus::Present, None, None)
            .unwrap_or_else(|e| panic!("{role:?} may check in: {e:?}"));
        s.lock().unwrap();
    }
}

#[test]
fn leaving_before_arriving_is_refused_beside_the_leaving_time() {
    let c = clinic();
    let _clock = pin_clock(&format!("{DAY}T17:00:00Z"));
    let desk = c.v.sign_in(FRONT_DESK);
    let ada = client(&desk, "Ada", "Brennan", None);
    let booked = book(&desk, &c, ada, DAY, "09:00");
    let before = snapshot(&c.v);
    for (arrived, left) in [("09:40", "09:20"), ("09:30", "09:30")] {
        let err = mark(
            &desk,
            booked.id,
            AttendanceStatus::LeftEarly,
            Some(arrived),
            Some(left),
        )
        .unwrap_err();
        assert_eq!(
            invalid_field(&err),
            "leftAt",
            "arrived {arrived}, left {left}"
        );
        assert_eq!(
            reason(&err),
            format!("They cannot leave before they arrive: enter a time after {arrived}.")
        );
    }
    // The other time rules of a session hold here too, each by its field.
    let refusals = [
        (AttendanceStatus::Late, None, None, "arrivedAt"),
        (AttendanceStatus::Late, Some("09:00"), None, "arrivedAt"),
        (AttendanceStatus::Late, Some("11:30"), None, "arrivedAt"),
        (AttendanceStatus::LeftEarly, None, None, "leftAt"),
        (AttendanceStatus::LeftEarly, None, Some("10:00"), "leftAt"),
        (AttendanceStatus::LeftEarly, None, Some("8:15pm"), "leftAt"),
    ];
    for (status, arrived, left, field) in refusals {
        let err = mark(&desk, booked.id, status, arrived, left).unwrap_err();
        assert_eq!(
            invalid_field(&err),
            field,
            "{status:?} {arrived:?} {left:?}"
        );
    }
    let outside = mark(
        &desk,
        booked.id,
        AttendanceStatus::Late,
        Some("11:30"),
        None,
    )
    .unwrap_err();
    assert_eq!(reason(&outside), "That time is outside the appointment.");
    assert_eq!(snapshot(&c.v), before, "a refused record writes nothing");
}

#[test]
fn a_cancelled_appointment_or_one_on_a_day_to_come_takes_no_attendance() {
    let c = clinic();
    let _clock = pin_clock(&format!("{DAY}T08:00:00Z"));
    let desk = c.v.sign_in(FRONT_DESK);
    let ada = client(&desk, "Ada", "Brennan", None);
    let ben = client(&desk, "Ben", "Okoro", None);
    let cancelled = book(&desk, &c, ada, DAY, "09:00");
    appointments::cancel(&desk, cancelled.id).unwrap();
    let tomorrow = book(&desk, &c, ben, "2030-03-06", "09:00");
    // Later today (the client arriving early, or calling to cancel late) is fine.
    let later_today = book(&desk, &c, ben, DAY, "15:00");

    let before = snapshot(&c.v);
    for status in [AttendanceStatus::Present, AttendanceStatus::NoShow] {
        let err = mark(&desk, cancelled.id, status, None, None).unwrap_err();
        assert_eq!(invalid_field(&err), "appointmentId", "cancelled: {err:?}");
        assert!(reason(&err).contains("cancelled"), "{err:?}");
        let err = mark(&desk, tomorrow.id, status, None, None).unwrap_err();
        assert_eq!(invalid_field(&err), "appointmentId", "tomorrow: {err:?}");
        assert!(
            reason(&err).contains("record attendance on the day"),
            "{err:?}"
        );
    }
    let err = mark(&desk, 9_999, AttendanceStatus::Present, None, None).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert_eq!(snapshot(&c.v), before, "a refused record writes nothing");
    assert_eq!(on_today(&desk, cancelled.id).attendance, None);

    mark(
        &desk,
        later_today.id,
        AttendanceStatus::CancelledLate,
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        on_today(&desk, later_today.id).attendance.map(|a| a.status),
        Some(AttendanceStatus::CancelledLate)
    );
}

/// Conflicts are looked for only among bookings that start within a day
/// before the slot (what keeps booking quick after years of history): the
/// longest appointment, eight hours, still collides at its last half hour.
#[test]
fn an_eight_hour_appointment_still_collides_at_its_last_half_hour() {
    let c = clinic();
    let desk = c.v.sign_in(FRONT_DESK);
    let zoe = client(&desk, "Zoë", "Martin", None);
    let sam = client(&desk, "Sam", "Okafor", None);
    appointments::book(
        &desk,
        AppointmentInput {
            kind: AppointmentKind::Intake,
            client_id: zoe,
            clinician_id: c.ana,
            room_id: c.room,
            date: DAY.into(),
            start_time: "09:00".into(),
            duration_minutes: 480,
        },
    )
    .unwrap();
    let late = appointments::book(
        &desk,
        AppointmentInput {
            kind: AppointmentKind::CheckIn,
            client_id: sam,
            clinician_id: c.ana,
            room_id: c.room,
            date: DAY.into(),
            start_time: "16:30".into(),
            duration_minutes: 30,
        },
    )
    .unwrap_err();
    match &late {
        Error::Conflict { message } => {
            assert!(message.contains("Garden Room is taken"), "{message}")
        }
        other => panic!("expected the room's collision, got {other:?}"),
    }
    // Right after it ends, the room is free.
    book(&desk, &c, sam, DAY, "17:00");
}
