//! Rosters: enrolling clients, the ordered waitlist, offering a freed seat,
//! and discharge.

use chrono::NaiveDate;
use rusqlite::{params, Connection, OptionalExtension};

use super::enrollment::*;
use super::group::*;
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::Capability;
use crate::schedule::sessions::FullSession;
use crate::signed_in::SignedIn;

/// The one order a group's members are listed in: the roster's, which a
/// session's check-in and its note follow too. By display name (the
/// preferred name, else the legal first name, and the legal last name, in
/// the client's name order: "Nguyễn Minh" with the N's), folded, so
/// "Álvarez" sorts with the A's and "Zoë" with "Zoe"; then by client id.
/// Built from the name's parts, not from a name as some screen writes it,
/// so every list sorts alike. (The client directory sorts by family name
/// instead: [`crate::names::sort_key`].)
pub(crate) fn member_order(
    client_id: i64,
    first: &str,
    last: &str,
    preferred: Option<&str>,
    order: crate::names::NameOrder,
) -> (String, i64) {
    let called = preferred.filter(|p| !p.trim().is_empty()).unwrap_or(first);
    (
        crate::names::fold(&crate::names::everyday_name(called, last, order)),
        client_id,
    )
}

/// [`member_order`] for each client booked into or enrolled in something,
/// from `sql` returning (client id, legal first, legal last, preferred,
/// name order).
pub(crate) fn member_orders(
    conn: &Connection,
    sql: &str,
    id: i64,
) -> Result<std::collections::HashMap<i64, (String, i64)>> {
    let rows = conn
        .prepare(sql)?
        .query_map([id], |r| {
            let client_id: i64 = r.get(0)?;
            let first: String = r.get(1)?;
            let last: String = r.get(2)?;
            let preferred: Option<String> = r.get(3)?;
            let order: Option<String> = r.get(4)?;
            let order = order
                .as_deref()
                .and_then(crate::names::NameOrder::from_db)
                .unwrap_or_default();
            Ok((
                client_id,
                member_order(client_id, &first, &last, preferred.as_deref(), order),
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// What enrolling did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct EnrollOutcome {
    pub enrollment: Enrollment,
    /// Sessions the client was booked into (0 when waitlisted).
    pub sessions_booked: u32,
    /// Sessions from the start date on that were already full (every seat of
    /// the group, or of a smaller room, taken), so not booked, in order.
    pub full_sessions: Vec<FullSession>,
}

/// Enrolls a client: active while seats remain (booked into the group's
/// sessions from `from_date` on), otherwise, or when `waitlist` is asked for,
/// at the end of the waitlist.
pub fn enroll(
    signed_in: &SignedIn,
    group_id: i64,
    client_id: i64,
    waitlist: bool,
    from_date: NaiveDate,
) -> Result<EnrollOutcome> {
    signed_in.require(Capability::Scheduling)?;
    let g = group(signed_in.conn(), group_id)?;
    g.require_therapy_group()?;
    if g.archived {
        return Err(Error::invalid("groupId", "This group is archived."));
    }
    client_exists(signed_in.conn(), client_id)?;
    let open: Option<String> = signed_in
        .conn()
        .query_row(
            "SELECT status FROM enrollments WHERE group_id = ?1 AND client_id = ?2 AND status <> 'discharged'",
            params![group_id, client_id],
            |r| r.get(0),
        )
        .optional()?;
    if let Some(status) = open {
        let where_ = if status == "active" {
            "enrolled in"
        } else {
            "on the waitlist for"
        };
        return Err(Error::Conflict {
            message: format!("This client is already {where_} {}.", g.name),
        });
    }
    let seat_free = g.active_members < g.capacity;
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    let (id, booking) = if seat_free && !waitlist {
        tx.execute(
            "INSERT INTO enrollments (group_id, client_id, status, enrolled_on, created_at)
             VALUES (?1, ?2, 'active', ?3, ?4)",
            params![
                group_id,
                client_id,
                from_date.to_string(),
                crate::clock::now_text()
            ],
        )?;
        let id = tx.last_insert_rowid();
        let booking = crate::schedule::book_member_from(&tx, group_id, client_id, from_date)?;
        (id, booking)
    } else {
        let next: i64 = tx.query_row(
            "SELECT coalesce(max(waitlist_position), 0) + 1 FROM enrollments WHERE group_id = ?1 AND status = 'waitlisted'",
            [group_id],
            |r| r.get(0),
        )?;
        tx.execute(
            "INSERT INTO enrollments (group_id, client_id, status, waitlist_position, created_at)
             VALUES (?1, ?2, 'waitlisted', ?3, ?4)",
            params![group_id, client_id, next, crate::clock::now_text()],
        )?;
        (tx.last_insert_rowid(), Default::default())
    };
    crate::clients::follow_roster(signed_in, &tx, client_id)?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::Enrolled)
            .on("enrollment", id)
            .detail(format!(
                "group={group_id} client={client_id} sessions={} full={}",
                booking.booked,
                booking.full.len()
            )),
    )?;
    tx.commit()?;
    Ok(EnrollOutcome {
        enrollment: enrollment(signed_in.conn(), id)?,
        sessions_booked: booking.booked,
        full_sessions: booking.full,
    })
}

/// Moves a waitlisted person into a seat, booking them into the sessions
/// from `from_date` on (the ones already held stay as they were). Sessions
/// already full (a leaver still booked on their last day, a capacity lowered
/// since, a smaller room) are left out and named in the outcome.
pub fn accept_from_waitlist(
    signed_in: &SignedIn,
    enrollment_id: i64,
    from_date: NaiveDate,
) -> Result<EnrollOutcome> {
    signed_in.require(Capability::Scheduling)?;
    let e = enrollment(signed_in.conn(), enrollment_id)?;
    if e.status != EnrollmentStatus::Waitlisted {
        return Err(Error::invalid(
            "enrollmentId",
            "This person is not on the waitlist.",
        ));
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    // Seats are counted inside the transaction that takes one.
    let g = group(&tx, e.group_id)?;
    if g.active_members >= g.capacity {
        return Err(Error::Conflict {
            message: format!(
                "{} is full ({} of {} seats). Discharge someone or raise the capacity first.",
                g.name, g.active_members, g.capacity
            ),
        });
    }
    tx.execute(
        "UPDATE enrollments SET status = 'active', waitlist_position = NULL, enrolled_on = ?1 WHERE id = ?2",
        params![from_date.to_string(), enrollment_id],
    )?;
    let booking = crate::schedule::book_member_from(&tx, e.group_id, e.client_id, from_date)?;
    crate::clients::follow_roster(signed_in, &tx, e.client_id)?;
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::EnrollmentActivated,
        )
        .on("enrollment", enrollment_id)
        .detail(format!(
            "sessions={} full={}",
            booking.booked,
            booking.full.len()
        )),
    )?;
    tx.commit()?;
    Ok(EnrollOutcome {
        enrollment: enrollment(signed_in.conn(), enrollment_id)?,
        sessions_booked: booking.booked,
        full_sessions: booking.full,
    })
}

/// What a discharge did, and who may take the seat.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct DischargeOutcome {
    pub enrollment: Enrollment,
    /// Future sessions the client was taken out of.
    pub sessions_released: u32,
    /// The first person waiting, now that a seat is free.
    pub seat_offer: Option<Enrollment>,
}

/// Discharges a member (or takes someone off the waitlist) on `date`, for a
/// reason every role may see, with an optional clinical note that goes to
/// clinical.db: only someone holding the clinical key (and allowed this
/// client's record) may write one; anyone else's is refused, not dropped.
/// Sessions after that date lose them; past attendance stays.
pub fn discharge(
    signed_in: &SignedIn,
    enrollment_id: i64,
    date: NaiveDate,
    reason: DischargeReason,
    clinical_note: Option<&str>,
) -> Result<DischargeOutcome> {
    signed_in.require(Capability::Scheduling)?;
    let e = enrollment(signed_in.conn(), enrollment_id)?;
    let clinical_note =
        crate::notes::discharge_note::checked(signed_in, e.client_id, clinical_note)?;
    if e.status == EnrollmentStatus::Discharged {
        return Err(Error::invalid(
            "enrollmentId",
            "This person has already been discharged.",
        ));
    }
    if let Some(start) = e
        .enrolled_on
        .as_deref()
        .and_then(|d| d.parse::<NaiveDate>().ok())
    {
        if date < start {
            return Err(Error::invalid(
                "date",
                "The discharge date is before they joined.",
            ));
        }
    }
    let was_active = e.status == EnrollmentStatus::Active;
    if let Some(note) = &clinical_note {
        // The note first, in clinical.db alone, then the discharge in
        // practice.db: one transaction over both files is not atomic (see
        // `audit::outbox`), and a crash between must not lose the note. A
        // note whose discharge did not follow is written over by the retry.
        let tx = signed_in.clinical_write()?;
        crate::notes::discharge_note::write(
            &tx,
            signed_in.actor().staff_id,
            enrollment_id,
            e.client_id,
            e.group_id,
            note,
        )?;
        tx.audit(
            Event::new(
                Some(signed_in.actor().staff_id),
                Action::DischargeNoteWritten,
            )
            .on("enrollment", enrollment_id),
        )?;
        tx.commit()?;
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    tx.execute(
        "UPDATE enrollments SET status = 'discharged', waitlist_position = NULL, discharged_on = ?1, discharge_reason = ?2
         WHERE id = ?3",
        params![date.to_string(), reason, enrollment_id],
    )?;
    let released = if was_active {
        crate::schedule::release_member_after(&tx, e.group_id, e.client_id, date)?
    } else {
        0
    };
    crate::clients::follow_roster(signed_in, &tx, e.client_id)?;
    signed_in.audit(
        Event::new(
            Some(signed_in.actor().staff_id),
            Action::EnrollmentDischarged,
        )
        .on("enrollment", enrollment_id)
        .detail(format!(
            "sessions_released={released} reason={} clinical_note={}",
            reason.as_db(),
            clinical_note.is_some()
        )),
    )?;
    tx.commit()?;
    let seat_offer = if was_active {
        next_waitlisted(signed_in.conn(), e.group_id)?
    } else {
        None
    };
    Ok(DischargeOutcome {
        enrollment: enrollment(signed_in.conn(), enrollment_id)?,
        sessions_released: released,
        seat_offer,
    })
}

/// Puts the waitlist in the given order (every waiting enrollment, once).
pub fn reorder_waitlist(
    signed_in: &SignedIn,
    group_id: i64,
    ordered_enrollment_ids: &[i64],
) -> Result<Vec<Enrollment>> {
    signed_in.require(Capability::Scheduling)?;
    crate::limits::at_most(
        "order",
        ordered_enrollment_ids,
        crate::limits::WAITLIST,
        "people on a waitlist",
    )?;
    let mut current: Vec<i64> = waitlist(signed_in.conn(), group_id)?
        .into_iter()
        .map(|e| e.id)
        .collect();
    let mut proposed = ordered_enrollment_ids.to_vec();
    current.sort_unstable();
    proposed.sort_unstable();
    if current != proposed {
        return Err(Error::invalid(
            "order",
            "The waitlist changed while you were arranging it. Look again and retry.",
        ));
    }
    let tx = crate::vault::db::write_transaction(signed_in.conn())?;
    for (i, id) in ordered_enrollment_ids.iter().enumerate() {
        tx.execute(
            "UPDATE enrollments SET waitlist_position = ?1 WHERE id = ?2 AND group_id = ?3",
            params![i as i64 + 1, id, group_id],
        )?;
    }
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::WaitlistReordered)
            .on("group", group_id),
    )?;
    tx.commit()?;
    waitlist(signed_in.conn(), group_id)
}

/// The group's roster: active members first, by display name
/// ([`member_order`]), then the waitlist in order.
pub fn roster(signed_in: &SignedIn, group_id: i64) -> Result<Vec<Enrollment>> {
    signed_in.require(Capability::Scheduling)?;
    group(signed_in.conn(), group_id)?;
    let mut stmt = signed_in.conn().prepare(&format!(
        "{ENROLLMENT_SELECT} WHERE e.group_id = ?1 AND e.status <> 'discharged'
         ORDER BY e.status = 'waitlisted', e.waitlist_position, e.id"
    ))?;
    let mut rows = stmt
        .query_map([group_id], row_to_enrollment)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let order = member_orders(
        signed_in.conn(),
        "SELECT c.id, c.legal_first_name, c.legal_last_name, c.preferred_name, c.name_order
         FROM enrollments e JOIN clients c ON c.id = e.client_id
         WHERE e.group_id = ?1 AND e.status = 'active'",
        group_id,
    )?;
    // Stable: the waitlist keeps its places.
    rows.sort_by_cached_key(|e| match e.status {
        EnrollmentStatus::Waitlisted => (true, (String::new(), 0)),
        _ => (false, order.get(&e.client_id).cloned().unwrap_or_default()),
    });
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::RosterViewed).on("group", group_id),
    )?;
    Ok(rows)
}

/// A client's enrollments in every group, newest first.
pub fn enrollments_of_client(signed_in: &SignedIn, client_id: i64) -> Result<Vec<Enrollment>> {
    signed_in.require(Capability::Scheduling)?;
    let mut stmt = signed_in.conn().prepare(&format!(
        "{ENROLLMENT_SELECT} WHERE e.client_id = ?1 ORDER BY e.id DESC"
    ))?;
    let rows = stmt
        .query_map([client_id], row_to_enrollment)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ClientViewed)
            .on("client", client_id)
            .detail("enrollments"),
    )?;
    Ok(rows)
}

fn client_exists(conn: &Connection, client_id: i64) -> Result<()> {
    let found: Option<i64> = conn
        .query_row("SELECT id FROM clients WHERE id = ?1", [client_id], |r| {
            r.get(0)
        })
        .optional()?;
    found
        .map(|_| ())
        .ok_or(Error::invalid("clientId", "That client was not found."))
}
