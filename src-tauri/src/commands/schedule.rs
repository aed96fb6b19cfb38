//! Series, sessions, appointments, availability, attendance, agenda.
//! Dates are "YYYY-MM-DD" and times "HH:MM" in the practice's zone.

use circle_core::schedule::agenda::{self, Agenda};
use circle_core::schedule::appointments::{
    self, Appointment, AppointmentAttendance, AppointmentAttendanceInput, AppointmentInput,
    AvailabilityBlock, FreeSlot,
};
use circle_core::schedule::attendance::{
    self, AttendanceInput, AttendanceRecord, CheckInRow, Completion, SeriesCompletion,
};
use circle_core::schedule::individual::{self, IndividualBooking, IndividualBookingInput};
use circle_core::schedule::recurrence::RecurrenceInput;
use circle_core::schedule::sessions::{self, GroupSession, SeriesCreated};
use circle_core::schedule::{parse_date, parse_time};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn series_create(
    state: State<'_, AppState>,
    group_id: i64,
    room_id: i64,
    recurrence: RecurrenceInput,
) -> CommandResult<SeriesCreated> {
    state
        .with_signed_in(move |s| sessions::create_series(s, group_id, room_id, recurrence))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn series_update(
    state: State<'_, AppState>,
    series_id: i64,
    from_date: String,
    start_time: String,
    duration_minutes: u32,
    room_id: i64,
) -> CommandResult<Vec<GroupSession>> {
    state
        .with_signed_in(move |s| {
            sessions::update_series(
                s,
                series_id,
                parse_date("fromDate", &from_date)?,
                parse_time("startTime", &start_time)?,
                duration_minutes,
                room_id,
            )
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn group_sessions(
    state: State<'_, AppState>,
    group_id: i64,
) -> CommandResult<Vec<GroupSession>> {
    state
        .with_signed_in(move |s| sessions::sessions_of_group(s, group_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn session_move(
    state: State<'_, AppState>,
    session_id: i64,
    date: String,
    start_time: String,
    room_id: i64,
) -> CommandResult<GroupSession> {
    state
        .with_signed_in(move |s| {
            sessions::move_session(
                s,
                session_id,
                parse_date("date", &date)?,
                parse_time("startTime", &start_time)?,
                room_id,
            )
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn session_cancel_check(
    state: State<'_, AppState>,
    session_id: i64,
) -> CommandResult<sessions::SessionCancelCheck> {
    state
        .with_signed_in(move |s| sessions::cancel_check(s, session_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn session_cancel(
    state: State<'_, AppState>,
    session_id: i64,
) -> CommandResult<GroupSession> {
    state
        .with_signed_in(move |s| sessions::cancel_session(s, session_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn appointment_book(
    state: State<'_, AppState>,
    input: AppointmentInput,
) -> CommandResult<Appointment> {
    state
        .with_signed_in(move |s| appointments::book(s, input))
        .await
}

/// Books an individual or family/couple session, once or weekly or
/// fortnightly; the first with a clinician takes an owner, practice manager
/// or supervisor.
#[tauri::command]
#[specta::specta]
pub async fn individual_book(
    state: State<'_, AppState>,
    input: IndividualBookingInput,
) -> CommandResult<IndividualBooking> {
    state
        .with_signed_in(move |s| individual::book_individual(s, input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn appointment_cancel(
    state: State<'_, AppState>,
    appointment_id: i64,
) -> CommandResult<Appointment> {
    state
        .with_signed_in(move |s| appointments::cancel(s, appointment_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn client_appointments(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<Appointment>> {
    state
        .with_signed_in(move |s| appointments::appointments_of_client(s, client_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn availability_get(
    state: State<'_, AppState>,
    staff_id: i64,
) -> CommandResult<Vec<AvailabilityBlock>> {
    state
        .with_signed_in(move |s| appointments::availability(s, staff_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn availability_set(
    state: State<'_, AppState>,
    staff_id: i64,
    blocks: Vec<AvailabilityBlock>,
) -> CommandResult<Vec<AvailabilityBlock>> {
    state
        .with_signed_in(move |s| appointments::set_availability(s, staff_id, blocks))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn next_free_slot(
    state: State<'_, AppState>,
    clinician_id: i64,
    room_id: Option<i64>,
    from_date: String,
    duration_minutes: u32,
) -> CommandResult<Option<FreeSlot>> {
    state
        .with_signed_in(move |s| {
            appointments::next_free_slot(
                s,
                clinician_id,
                room_id,
                parse_date("fromDate", &from_date)?,
                duration_minutes,
            )
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn attendance_record(
    state: State<'_, AppState>,
    input: AttendanceInput,
) -> CommandResult<AttendanceRecord> {
    state
        .with_signed_in(move |s| attendance::record(s, input))
        .await
}

/// How the client attended an appointment (Today's check-in).
#[tauri::command]
#[specta::specta]
pub async fn appointment_attendance_record(
    state: State<'_, AppState>,
    input: AppointmentAttendanceInput,
) -> CommandResult<AppointmentAttendance> {
    state
        .with_signed_in(move |s| appointments::record_attendance(s, input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn check_in_list(
    state: State<'_, AppState>,
    session_id: i64,
) -> CommandResult<Vec<CheckInRow>> {
    state
        .with_signed_in(move |s| attendance::check_in_list(s, session_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn series_completion(
    state: State<'_, AppState>,
    series_id: i64,
) -> CommandResult<Vec<Completion>> {
    state
        .with_signed_in(move |s| attendance::series_completion(s, series_id))
        .await
}

/// One client's completion of each series they are booked into.
#[tauri::command]
#[specta::specta]
pub async fn client_series_completion(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<SeriesCompletion>> {
    state
        .with_signed_in(move |s| attendance::client_series_completion(s, client_id))
        .await
}

/// Sessions, appointments and waitlists for `days` local days from `from`.
#[tauri::command]
#[specta::specta]
pub async fn agenda(state: State<'_, AppState>, from: String, days: u32) -> CommandResult<Agenda> {
    state
        .with_signed_in(move |s| agenda::agenda(s, parse_date("from", &from)?, days))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn client_attendance(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<attendance::ClientSessionLine>> {
    state
        .with_signed_in(move |s| attendance::for_client(s, client_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn appointment_move(
    state: State<'_, AppState>,
    appointment_id: i64,
    date: String,
    start_time: String,
    room_id: i64,
) -> CommandResult<Appointment> {
    state
        .with_signed_in(move |s| {
            appointments::reschedule(
                s,
                appointment_id,
                parse_date("date", &date)?,
                parse_time("startTime", &start_time)?,
                room_id,
            )
        })
        .await
}
