//! Rooms, groups and rosters (every role; archiving is owner/manager).

use circle_core::groups::{
    self, DischargeOutcome, DischargeReason, EnrollOutcome, Enrollment, Group, GroupInput,
    GroupUpdate,
};
use circle_core::schedule::parse_date;
use circle_core::schedule::rooms::{self, Room, RoomInput};
use circle_core::staff::{self, StaffMember};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

#[tauri::command]
#[specta::specta]
pub async fn room_list(state: State<'_, AppState>) -> CommandResult<Vec<Room>> {
    state.with_signed_in(|s| rooms::rooms(s)).await
}

#[tauri::command]
#[specta::specta]
pub async fn room_create(state: State<'_, AppState>, input: RoomInput) -> CommandResult<Room> {
    state
        .with_signed_in(move |s| rooms::create_room(s, input))
        .await
}

/// Active colleagues, for choosing facilitators and clinicians.
#[tauri::command]
#[specta::specta]
pub async fn staff_directory(state: State<'_, AppState>) -> CommandResult<Vec<StaffMember>> {
    state.with_signed_in(|s| staff::directory(s)).await
}

#[tauri::command]
#[specta::specta]
pub async fn group_list(
    state: State<'_, AppState>,
    include_archived: bool,
) -> CommandResult<Vec<Group>> {
    state
        .with_signed_in(move |s| groups::groups(s, include_archived))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn group_get(state: State<'_, AppState>, group_id: i64) -> CommandResult<Group> {
    state
        .with_signed_in(move |s| groups::get_group(s, group_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn group_create(state: State<'_, AppState>, input: GroupInput) -> CommandResult<Group> {
    state
        .with_signed_in(move |s| groups::create_group(s, input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn group_update(
    state: State<'_, AppState>,
    group_id: i64,
    input: GroupInput,
) -> CommandResult<GroupUpdate> {
    state
        .with_signed_in(move |s| groups::update_group(s, group_id, input))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn group_set_archived(
    state: State<'_, AppState>,
    group_id: i64,
    archived: bool,
) -> CommandResult<Group> {
    state
        .with_signed_in(move |s| groups::set_archived(s, group_id, archived))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn group_roster(
    state: State<'_, AppState>,
    group_id: i64,
) -> CommandResult<Vec<Enrollment>> {
    state
        .with_signed_in(move |s| groups::roster(s, group_id))
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn client_enrollments(
    state: State<'_, AppState>,
    client_id: i64,
) -> CommandResult<Vec<Enrollment>> {
    state
        .with_signed_in(move |s| groups::enrollments_of_client(s, client_id))
        .await
}

/// `from_date` ("YYYY-MM-DD"): the first day whose sessions the client joins.
#[tauri::command]
#[specta::specta]
pub async fn enroll(
    state: State<'_, AppState>,
    group_id: i64,
    client_id: i64,
    waitlist: bool,
    from_date: String,
) -> CommandResult<EnrollOutcome> {
    state
        .with_signed_in(move |s| {
            groups::enroll(
                s,
                group_id,
                client_id,
                waitlist,
                parse_date("fromDate", &from_date)?,
            )
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn accept_from_waitlist(
    state: State<'_, AppState>,
    enrollment_id: i64,
    from_date: String,
) -> CommandResult<EnrollOutcome> {
    state
        .with_signed_in(move |s| {
            groups::accept_from_waitlist(s, enrollment_id, parse_date("fromDate", &from_date)?)
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn discharge(
    state: State<'_, AppState>,
    enrollment_id: i64,
    date: String,
    reason: DischargeReason,
    clinical_note: Option<String>,
) -> CommandResult<DischargeOutcome> {
    state
        .with_signed_in(move |s| {
            groups::discharge(
                s,
                enrollment_id,
                parse_date("date", &date)?,
                reason,
                clinical_note.as_deref(),
            )
        })
        .await
}

#[tauri::command]
#[specta::specta]
pub async fn reorder_waitlist(
    state: State<'_, AppState>,
    group_id: i64,
    ordered_enrollment_ids: Vec<i64>,
) -> CommandResult<Vec<Enrollment>> {
    state
        .with_signed_in(move |s| groups::reorder_waitlist(s, group_id, &ordered_enrollment_ids))
        .await
}
