//! Series, sessions, appointments, availability, attendance and the
//! agenda: the commands in `src-tauri/src/commands/schedule.rs`.

use circle_core::groups::{GroupFormat, NoteTemplate};
use circle_core::schedule::agenda;
use circle_core::schedule::appointments::{
    self, AppointmentAttendanceInput, AppointmentInput, AppointmentKind, AvailabilityBlock,
};
use circle_core::schedule::attendance::{self, AttendanceInput, AttendanceStatus};
use circle_core::schedule::individual::{self, IndividualBookingInput, Repeat};
use circle_core::schedule::recurrence::{DayOfWeek, NthWeek, Pattern, RecurrenceInput};
use circle_core::schedule::sessions;
use circle_core::schedule::{parse_date, parse_time};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::gen::*;
use super::harness::Fx;

fn duration() -> BoxedStrategy<u32> {
    prop_oneof![2 => select(&[5u32, 30, 60, 90, 120, 480][..]), 1 => u32_edge()].boxed()
}

fn attendance_status() -> BoxedStrategy<AttendanceStatus> {
    select(
        &[
            AttendanceStatus::Present,
            AttendanceStatus::Late,
            AttendanceStatus::LeftEarly,
            AttendanceStatus::AbsentExcused,
            AttendanceStatus::NoShow,
            AttendanceStatus::CancelledLate,
        ][..],
    )
    .boxed()
}

#[derive(Debug, Clone)]
#[allow(clippy::type_complexity)]
struct Rule {
    first_date: String,
    start_time: String,
    duration_minutes: u32,
    monthly: bool,
    interval_weeks: Option<u32>,
    nth_week: Option<NthWeek>,
    weekday: Option<DayOfWeek>,
    until_date: Option<String>,
    count: Option<u32>,
    timezone: String,
}

impl Rule {
    fn input(&self) -> RecurrenceInput {
        RecurrenceInput {
            first_date: self.first_date.clone(),
            start_time: self.start_time.clone(),
            duration_minutes: self.duration_minutes,
            pattern: if self.monthly {
                Pattern::MonthlyNthWeekday
            } else {
                Pattern::Weekly
            },
            interval_weeks: self.interval_weeks,
            nth_week: self.nth_week,
            weekday: self.weekday,
            until_date: self.until_date.clone(),
            count: self.count,
            timezone: self.timezone.clone(),
        }
    }
}

fn rule() -> impl Strategy<Value = Rule> {
    (
        (date(), time(), duration(), any::<bool>()),
        (
            opt(prop_oneof![2 => 1u32..=4, 1 => u32_edge()]),
            opt(select(
                &[
                    NthWeek::First,
                    NthWeek::Second,
                    NthWeek::Third,
                    NthWeek::Fourth,
                    NthWeek::Last,
                ][..],
            )),
            opt(select(
                &[
                    DayOfWeek::Monday,
                    DayOfWeek::Tuesday,
                    DayOfWeek::Wednesday,
                    DayOfWeek::Thursday,
                    DayOfWeek::Friday,
                    DayOfWeek::Saturday,
                    DayOfWeek::Sunday,
                ][..],
            )),
            opt(date()),
            opt(prop_oneof![3 => 1u32..=12, 1 => u32_edge()]),
            prop_oneof![2 => Just(String::new()), 1 => zone()],
        ),
    )
        .prop_map(
            |(
                (first_date, start_time, duration_minutes, monthly),
                (interval_weeks, nth_week, weekday, until_date, count, timezone),
            )| Rule {
                first_date,
                start_time,
                duration_minutes,
                monthly,
                interval_weeks,
                nth_week,
                weekday,
                until_date,
                count,
                timezone,
            },
        )
}

#[test]
fn series_sessions_appointments_and_attendance_take_any_input() {
    let fx = Fx::new("schedule");
    let ids = &fx.ids;
    let every = ids.every();
    let group_ids = || id(ids.groups(), every.clone());
    let room_ids = || id(vec![ids.room], every.clone());
    let session_ids = || id(ids.sessions(), every.clone());
    let series_ids = || id(ids.series(), every.clone());
    let client_ids = || id(ids.clients(), every.clone());
    let staff_ids = || id(ids.staff(), every.clone());
    let appointment_ids = || id(ids.appointments.clone(), every.clone());

    fx.command("series_create").run(
        (who(), group_ids(), room_ids(), rule()),
        |fx, (who, group, room, rule)| {
            sessions::create_series(&fx.signed(who), group, room, rule.input()).map(drop)
        },
    );
    fx.command("series_update").run(
        (who(), series_ids(), date(), time(), duration(), room_ids()),
        |fx, (who, series, from, start, minutes, room)| {
            sessions::update_series(
                &fx.signed(who),
                series,
                parse_date("fromDate", &from)?,
                parse_time("startTime", &start)?,
                minutes,
                room,
            )
            .map(drop)
        },
    );
    fx.command("group_sessions")
        .run((who(), group_ids()), |fx, (who, g)| {
            sessions::sessions_of_group(&fx.signed(who), g).map(drop)
        });
    fx.command("session_move").run(
        (who(), session_ids(), date(), time(), room_ids()),
        |fx, (who, session, date, start, room)| {
            sessions::move_session(
                &fx.signed(who),
                session,
                parse_date("date", &date)?,
                parse_time("startTime", &start)?,
                room,
            )
            .map(drop)
        },
    );
    fx.command("session_cancel_check")
        .run((who(), session_ids()), |fx, (who, s)| {
            sessions::cancel_check(&fx.signed(who), s).map(drop)
        });
    fx.command("session_cancel")
        .run((who(), session_ids()), |fx, (who, s)| {
            sessions::cancel_session(&fx.signed(who), s).map(drop)
        });
    fx.command("appointment_book").run(
        (
            who(),
            any::<bool>(),
            client_ids(),
            staff_ids(),
            room_ids(),
            date(),
            time(),
            duration(),
        ),
        |fx, (who, intake, client_id, clinician_id, room_id, date, start_time, minutes)| {
            appointments::book(
                &fx.signed(who),
                AppointmentInput {
                    kind: if intake {
                        AppointmentKind::Intake
                    } else {
                        AppointmentKind::CheckIn
                    },
                    client_id,
                    clinician_id,
                    room_id,
                    date,
                    start_time,
                    duration_minutes: minutes,
                },
            )
            .map(drop)
        },
    );
    fx.command("individual_book").run(
        (
            who(),
            select(
                &[
                    GroupFormat::Individual,
                    GroupFormat::Family,
                    GroupFormat::Group,
                ][..],
            ),
            id_list(ids.clients(), every.clone()),
            (staff_ids(), room_ids(), date(), time(), duration()),
            (
                select(&[Repeat::Once, Repeat::Weekly, Repeat::Fortnightly][..]),
                prop_oneof![2 => 1u32..=8, 1 => u32_edge()],
                opt(select(&[NoteTemplate::Soap, NoteTemplate::Dap][..])),
            ),
        ),
        |fx,
         (
            who,
            format,
            client_ids,
            (clinician_id, room_id, date, start_time, minutes),
            (repeat, sessions, note_template),
        )| {
            individual::book_individual(
                &fx.signed(who),
                IndividualBookingInput {
                    format,
                    client_ids,
                    clinician_id,
                    room_id,
                    date,
                    start_time,
                    duration_minutes: minutes,
                    repeat,
                    sessions,
                    note_template,
                },
            )
            .map(drop)
        },
    );
    fx.command("appointment_move").run(
        (who(), appointment_ids(), date(), time(), room_ids()),
        |fx, (who, appointment, date, start, room)| {
            appointments::reschedule(
                &fx.signed(who),
                appointment,
                parse_date("date", &date)?,
                parse_time("startTime", &start)?,
                room,
            )
            .map(drop)
        },
    );
    fx.command("appointment_attendance_record").run(
        (
            who(),
            appointment_ids(),
            attendance_status(),
            opt(time()),
            opt(time()),
        ),
        |fx, (who, appointment_id, status, arrived_at, left_at)| {
            appointments::record_attendance(
                &fx.signed(who),
                AppointmentAttendanceInput {
                    appointment_id,
                    status,
                    arrived_at,
                    left_at,
                },
            )
            .map(drop)
        },
    );
    fx.command("client_appointments")
        .run((who(), client_ids()), |fx, (who, c)| {
            appointments::appointments_of_client(&fx.signed(who), c).map(drop)
        });
    fx.command("availability_get")
        .run((who(), staff_ids()), |fx, (who, s)| {
            appointments::availability(&fx.signed(who), s).map(drop)
        });
    let block = (prop_oneof![3 => 0u8..7, 1 => any::<u8>()], time(), time());
    fx.command("availability_set").run(
        (
            who(),
            staff_ids(),
            prop_oneof![4 => vec(block.clone(), 0..8), 1 => vec(block, 60..80)],
        ),
        |fx, (who, staff, blocks)| {
            let blocks = blocks
                .into_iter()
                .map(|(weekday, start_time, end_time)| AvailabilityBlock {
                    weekday,
                    start_time,
                    end_time,
                })
                .collect();
            appointments::set_availability(&fx.signed(who), staff, blocks).map(drop)
        },
    );
    fx.command("next_free_slot").run(
        (who(), staff_ids(), opt(room_ids()), date(), duration()),
        |fx, (who, clinician, room, from, minutes)| {
            appointments::next_free_slot(
                &fx.signed(who),
                clinician,
                room,
                parse_date("fromDate", &from)?,
                minutes,
            )
            .map(drop)
        },
    );
    fx.command("attendance_record").run(
        (
            who(),
            session_ids(),
            client_ids(),
            attendance_status(),
            opt(time()),
            opt(time()),
        ),
        |fx, (who, session_id, client_id, status, arrived_at, left_at)| {
            attendance::record(
                &fx.signed(who),
                AttendanceInput {
                    session_id,
                    client_id,
                    status,
                    arrived_at,
                    left_at,
                },
            )
            .map(drop)
        },
    );
    fx.command("check_in_list")
        .run((who(), session_ids()), |fx, (who, s)| {
            attendance::check_in_list(&fx.signed(who), s).map(drop)
        });
    fx.command("series_completion")
        .run((who(), series_ids()), |fx, (who, s)| {
            attendance::series_completion(&fx.signed(who), s).map(drop)
        });
    fx.command("client_series_completion")
        .run((who(), client_ids()), |fx, (who, c)| {
            attendance::client_series_completion(&fx.signed(who), c).map(drop)
        });
    fx.command("client_attendance")
        .run((who(), client_ids()), |fx, (who, c)| {
            attendance::for_client(&fx.signed(who), c).map(drop)
        });
    fx.command("agenda")
        .run((who(), date(), u32_edge()), |fx, (who, from, days)| {
            agenda::agenda(&fx.signed(who), parse_date("from", &from)?, days).map(drop)
        });
    // Last: cancelling an appointment leaves fewer to move and check in.
    fx.command("appointment_cancel")
        .run((who(), appointment_ids()), |fx, (who, a)| {
            appointments::cancel(&fx.signed(who), a).map(drop)
        });
}
