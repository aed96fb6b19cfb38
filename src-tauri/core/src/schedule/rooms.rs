//! Rooms: where groups meet and appointments happen.

use rusqlite::{params, Connection, OptionalExtension};

use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::signed_in::SignedIn;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Room {
    pub id: i64,
    pub name: String,
    pub capacity: u32,
    pub active: bool,
}

#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoomInput {
    pub name: String,
    pub capacity: u32,
}

fn validate_room(input: &RoomInput) -> Result<String> {
    let name = input.name.trim();
    if name.is_empty() {
        return Err(Error::invalid("name", "Give the room a name."));
    }
    if name.chars().count() > 60 {
        return Err(Error::invalid(
            "name",
            "Keep the room name under 60 characters.",
        ));
    }
    if !(1..=200).contains(&input.capacity) {
        return Err(Error::invalid(
            "capacity",
            "A room holds between 1 and 200 people.",
        ));
    }
    Ok(name.to_owned())
}

pub fn create_room(signed_in: &SignedIn, input: RoomInput) -> Result<Room> {
    signed_in.require(Capability::Scheduling)?;
    let name = validate_room(&input)?;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    let taken: Option<i64> = tx
        .query_row("SELECT id FROM rooms WHERE name = ?1", [&name], |r| {
            r.get(0)
        })
        .optional()?;
    if taken.is_some() {
        return Err(Error::invalid(
            "name",
            "There is already a room with that name.",
        ));
    }
    tx.execute(
        "INSERT INTO rooms (name, capacity) VALUES (?1, ?2)",
        params![name, input.capacity],
    )?;
    let id = tx.last_insert_rowid();
    signed_in
        .audit(Event::new(Some(signed_in.actor().staff_id), Action::RoomSaved).on("room", id))?;
    tx.commit()?;
    room(signed_in.conn(), id)
}

pub fn rooms(signed_in: &SignedIn) -> Result<Vec<Room>> {
    signed_in.require(Capability::Scheduling)?;
    let mut stmt = signed_in
        .conn()
        .prepare("SELECT id, name, capacity, active FROM rooms ORDER BY active DESC, name")?;
    let rows = stmt
        .query_map([], row_to_room)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn room(conn: &Connection, id: i64) -> Result<Room> {
    conn.query_row(
        "SELECT id, name, capacity, active FROM rooms WHERE id = ?1",
        [id],
        row_to_room,
    )
    .optional()?
    .ok_or(Error::NotFound { what: "That room" })
}

fn row_to_room(r: &rusqlite::Row<'_>) -> rusqlite::Result<Room> {
    Ok(Room {
        id: r.get(0)?,
        name: r.get(1)?,
        capacity: r.get(2)?,
        active: r.get::<_, i64>(3)? == 1,
    })
}
