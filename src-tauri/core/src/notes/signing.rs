//! Signing, co-signing and addenda. A signature stores who, when, and the
//! SHA-256 of the note's canonical content; from then on triggers in
//! clinical.db refuse every change to the note, and `verify` recomputes the
//! hash of every signed note and addendum to catch changes forced past them.

use rusqlite::{params, Connection, OptionalExtension};

use super::session_note::{
    self, Addendum, NoteContent, NoteRow, NoteStatus, SessionNote, SignatureView, MAX_SECTION_CHARS,
};
use super::templates;
use super::{access, redaction, search};
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::schedule::sessions;
use crate::staff::{self, Capability, Role};
use crate::vault::Session;

/// Version of the canonical form; part of what is hashed.
const CANONICAL_FORMAT: u32 = 1;

pub(crate) struct SignatureRow {
    pub staff_id: i64,
    pub signed_at: String,
    pub content_hash: String,
}

#[derive(Default)]
pub(crate) struct Signatures {
    pub sign: Option<SignatureRow>,
    pub cosign: Option<SignatureRow>,
    /// Set on the sign row when the signer had a supervisor.
    pub cosigner_id: Option<i64>,
}

impl Signatures {
    pub fn status(&self) -> NoteStatus {
        match (&self.sign, &self.cosign, self.cosigner_id) {
            (None, _, _) => NoteStatus::Draft,
            (Some(_), None, Some(_)) => NoteStatus::PendingCosign,
            _ => NoteStatus::Signed,
        }
    }

    fn view(conn: &Connection, row: &Option<SignatureRow>) -> Result<Option<SignatureView>> {
        row.as_ref()
            .map(|s| {
                Ok(SignatureView {
                    staff: session_note::staff_ref(conn, s.staff_id)?,
                    signed_at: s.signed_at.clone(),
                    content_hash: s.content_hash.clone(),
                })
            })
            .transpose()
    }

    pub fn sign_view(&self, conn: &Connection) -> Result<Option<SignatureView>> {
        Self::view(conn, &self.sign)
    }

    pub fn cosign_view(&self, conn: &Connection) -> Result<Option<SignatureView>> {
        Self::view(conn, &self.cosign)
    }
}

pub(crate) fn signatures(conn: &Connection, note_id: i64) -> Result<Signatures> {
    let mut out = Signatures::default();
    let mut stmt = conn.prepare(
        "SELECT kind, staff_id, signed_at, content_hash, cosigner_id FROM note_signatures WHERE note_id = ?1",
    )?;
    let rows = stmt.query_map([note_id], |r| {
        Ok((
            r.get::<_, String>(0)?,
            SignatureRow {
                staff_id: r.get(1)?,
                signed_at: r.get(2)?,
                content_hash: r.get(3)?,
            },
            r.get::<_, Option<i64>>(4)?,
        ))
    })?;
    for row in rows {
        let (kind, sig, cosigner) = row?;
        if kind == "sign" {
            out.cosigner_id = cosigner;
            out.sign = Some(sig);
        } else {
            out.cosign = Some(sig);
        }
    }
    Ok(out)
}

/// What a signature covers, in a fixed order (BTreeMaps throughout).
#[derive(serde::Serialize)]
struct Canonical<'a> {
    format: u32,
    session_id: i64,
    group_id: i64,
    template: &'a str,
    content: &'a NoteContent,
}

pub(crate) fn content_hash(note: &NoteRow, content: &NoteContent) -> Result<String> {
    let canonical = Canonical {
        format: CANONICAL_FORMAT,
        session_id: note.session_id,
        group_id: note.group_id,
        template: note.template.as_db(),
        content,
    };
    let bytes = serde_json::to_vec(&canonical).map_err(|_| Error::Storage {
        detail: "a note could not be put in canonical form".into(),
    })?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &bytes,
    )))
}

#[derive(serde::Serialize)]
struct CanonicalAddendum<'a> {
    format: u32,
    note_id: i64,
    client_id: Option<i64>,
    author_id: i64,
    signed_at: &'a str,
    body: &'a str,
}

fn addendum_hash(
    note_id: i64,
    client_id: Option<i64>,
    author_id: i64,
    signed_at: &str,
    body: &str,
) -> Result<String> {
    let bytes = serde_json::to_vec(&CanonicalAddendum {
        format: CANONICAL_FORMAT,
        note_id,
        client_id,
        author_id,
        signed_at,
        body,
    })
    .map_err(|_| Error::Storage {
        detail: "an addendum could not be put in canonical form".into(),
    })?;
    Ok(hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        &bytes,
    )))
}

/// The active supervisor (or owner) assigned to a staff member, if any.
fn supervisor_of(conn: &Connection, staff_id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT sup.id FROM staff s JOIN staff sup ON sup.id = s.supervisor_id
             WHERE s.id = ?1 AND sup.active = 1 AND sup.role IN ('supervisor', 'owner') AND sup.id <> s.id",
            [staff_id],
            |r| r.get(0),
        )
        .optional()?)
}

fn loaded_note(session: &Session, session_id: i64) -> Result<(sessions::GroupSession, NoteRow)> {
    let group_session = sessions::group_session(session.conn(), session_id)?;
    access::require_group_notes(session, group_session.group_id)?;
    let note = session_note::note_of_session(session.conn(), session_id)?
        .ok_or_else(|| Error::invalid("note", "Write the note before signing it."))?;
    Ok((group_session, note))
}

/// Signs the note as saved at `revision`. Every booked member's attendance
/// must be recorded, every attending member must have a section, and every
/// required section and risk level must be filled in. A signer who has a
/// supervisor leaves the note pending until the supervisor co-signs.
pub fn sign(session: &Session, session_id: i64, revision: i64) -> Result<SessionNote> {
    session.require(Capability::Sign)?;
    let (group_session, note) = loaded_note(session, session_id)?;
    session_note::require_not_cancelled(&group_session)?;
    let conn = session.conn();
    if signatures(conn, note.id)?.sign.is_some() {
        return Err(Error::Conflict {
            message: "This note is already signed.".into(),
        });
    }
    if note.revision != revision {
        return Err(Error::Conflict {
            message: "The note changed since you last saw it. Review it and sign again.".into(),
        });
    }
    let template = templates::template(conn, note.template)?;
    let content = session_note::load_content(conn, note.id)?;
    let booked = session_note::booked_members(conn, session_id)?;

    for section in template.shared().filter(|s| s.required) {
        let empty = content
            .shared
            .get(&section.key)
            .is_none_or(|b| b.trim().is_empty());
        if empty {
            return Err(Error::invalid(
                &format!("shared.{}", section.key),
                format!("Fill in “{}” before signing.", section.label),
            ));
        }
    }
    if booked.iter().any(|b| b.attendance.is_none()) {
        return Err(Error::invalid(
            "attendance",
            "Record every member's attendance before signing.",
        ));
    }
    for member in &booked {
        let id = member.roster.client_id;
        let attended = member.attendance.is_some_and(|a| a.attended());
        let stored = content.members.get(&id);
        match (attended, stored) {
            (false, Some(_)) => {
                return Err(Error::invalid(
                    &format!("members.{id}"),
                    "This member is now marked absent. Save the note again so their section is removed.",
                ))
            }
            (true, None) => {
                return Err(Error::invalid(
                    &format!("members.{id}"),
                    "Write this member's section before signing.",
                ))
            }
            (true, Some(m)) => {
                for section in template.member().filter(|s| s.required) {
                    if m.sections.get(&section.key).is_none_or(|b| b.trim().is_empty()) {
                        return Err(Error::invalid(
                            &format!("members.{id}.{}", section.key),
                            format!("Fill in “{}” for this member before signing.", section.label),
                        ));
                    }
                }
                if m.risk_level.is_none() {
                    return Err(Error::invalid(
                        &format!("members.{id}.risk"),
                        "Choose a risk level (none, low, moderate or high) for this member.",
                    ));
                }
            }
            (false, None) => {}
        }
    }
    if content
        .members
        .keys()
        .any(|id| !booked.iter().any(|b| b.roster.client_id == *id))
    {
        return Err(Error::invalid(
            "members",
            "The note has a section for someone no longer booked into this session. Save the note again.",
        ));
    }

    let signer = session.actor().staff_id;
    let cosigner = supervisor_of(conn, signer)?;
    let tx = conn.unchecked_transaction()?;
    // Freeze the names the note was written with (see `note_roster`).
    let mut freeze = tx.prepare(
        "INSERT OR REPLACE INTO note_roster (note_id, client_id, legal_first_name, legal_last_name, preferred_name)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut content = content;
    for member in &booked {
        let r = &member.roster;
        freeze.execute(params![
            note.id,
            r.client_id,
            r.legal_first_name,
            r.legal_last_name,
            r.preferred_name
        ])?;
        content.roster.insert(
            r.client_id,
            (
                r.legal_first_name.clone(),
                r.legal_last_name.clone(),
                r.preferred_name.clone(),
            ),
        );
    }
    drop(freeze);
    // The content as `load_content` will read it back, frozen names included.
    let hash = content_hash(&note, &content)?;
    tx.execute(
        "INSERT INTO note_signatures (note_id, kind, staff_id, signed_at, content_hash, cosigner_id)
         VALUES (?1, 'sign', ?2, ?3, ?4, ?5)",
        params![note.id, signer, staff::now_rfc3339(), hash, cosigner],
    )?;
    session.audit(
        Event::new(Some(signer), Action::NoteSigned)
            .on("session", session_id)
            .detail(if cosigner.is_some() {
                "awaiting co-signature"
            } else {
                "signed"
            }),
    )?;
    tx.commit()?;
    session_note::build_view(session, group_session)
}

/// Co-signs a supervisee's pending note: the supervisor it waits for, or the
/// owner. Nobody co-signs their own note.
pub fn cosign(session: &Session, session_id: i64) -> Result<SessionNote> {
    session.require(Capability::CoSign)?;
    let (group_session, note) = loaded_note(session, session_id)?;
    let conn = session.conn();
    let sigs = signatures(conn, note.id)?;
    let actor = session.actor();
    let Some(sign) = &sigs.sign else {
        return Err(Error::Conflict {
            message: "This note is not signed yet, so there is nothing to co-sign.".into(),
        });
    };
    if sign.staff_id == actor.staff_id {
        return Err(Error::invalid(
            "cosign",
            "You cannot co-sign your own note. It waits for your supervisor.",
        ));
    }
    if sigs.status() != NoteStatus::PendingCosign {
        return Err(Error::Conflict {
            message: "This note is not waiting for a co-signature.".into(),
        });
    }
    if sigs.cosigner_id != Some(actor.staff_id) && actor.role != Role::Owner {
        return Err(Error::Forbidden);
    }
    let content = session_note::load_content(conn, note.id)?;
    let hash = content_hash(&note, &content)?;
    if hash != sign.content_hash {
        return Err(Error::Conflict {
            message: "This note no longer matches what was signed. Tell the owner: the integrity check on the Audit screen shows it.".into(),
        });
    }
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO note_signatures (note_id, kind, staff_id, signed_at, content_hash)
         VALUES (?1, 'cosign', ?2, ?3, ?4)",
        params![note.id, actor.staff_id, staff::now_rfc3339(), hash],
    )?;
    session
        .audit(Event::new(Some(actor.staff_id), Action::NoteCosigned).on("session", session_id))?;
    tx.commit()?;
    session_note::build_view(session, group_session)
}

/// Adds a signed addendum to a signed note: to the shared part (`client_id`
/// None) or to one member's section.
pub fn add_addendum(
    session: &Session,
    session_id: i64,
    client_id: Option<i64>,
    body: &str,
) -> Result<SessionNote> {
    session.require(Capability::Sign)?;
    let (group_session, note) = loaded_note(session, session_id)?;
    let conn = session.conn();
    if signatures(conn, note.id)?.sign.is_none() {
        return Err(Error::Conflict {
            message:
                "This note is still a draft: change the draft itself. Addenda are for signed notes."
                    .into(),
        });
    }
    let body = body.trim_end();
    if body.trim().is_empty() {
        return Err(Error::invalid(
            "addendum",
            "Write the addendum before signing it.",
        ));
    }
    if body.chars().count() > MAX_SECTION_CHARS {
        return Err(Error::invalid(
            "addendum",
            format!("Keep an addendum under {MAX_SECTION_CHARS} characters."),
        ));
    }
    let content = session_note::load_content(conn, note.id)?;
    if let Some(id) = client_id {
        if !content.members.contains_key(&id) {
            return Err(Error::invalid(
                "addendumMember",
                "This member has no section in the note to add to.",
            ));
        }
    }
    let author = session.actor().staff_id;
    let now = staff::now_rfc3339();
    let hash = addendum_hash(note.id, client_id, author, &now, body)?;
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "INSERT INTO note_addenda (note_id, client_id, body, author_id, signed_at, content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![note.id, client_id, body, author, now, hash],
    )?;
    let roster: Vec<redaction::RosterMember> = session_note::booked_members(conn, session_id)?
        .into_iter()
        .map(|b| b.roster)
        .collect();
    search::index_addendum(&tx, note.id, client_id, body, &roster)?;
    session.audit(
        Event::new(Some(author), Action::NoteAddendumSigned)
            .on("session", session_id)
            .detail(match client_id {
                Some(id) => format!("member client={id}"),
                None => "shared".into(),
            }),
    )?;
    tx.commit()?;
    session_note::build_view(session, group_session)
}

pub(crate) fn addenda(conn: &Connection, note_id: i64) -> Result<Vec<Addendum>> {
    let rows: Vec<(i64, Option<i64>, String, i64, String)> = conn
        .prepare(
            "SELECT id, client_id, body, author_id, signed_at FROM note_addenda
             WHERE note_id = ?1 ORDER BY signed_at, id",
        )?
        .query_map([note_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    rows.into_iter()
        .map(|(id, client_id, body, author_id, signed_at)| {
            Ok(Addendum {
                id,
                client_id,
                body,
                author: session_note::staff_ref(conn, author_id)?,
                signed_at,
            })
        })
        .collect()
}

/// For `verify`: every signed note and addendum whose stored content no
/// longer hashes to what was signed. One sentence per finding, no PHI.
pub(crate) fn hash_mismatches(conn: &Connection) -> Result<Vec<String>> {
    let mut findings = Vec::new();
    let signed: Vec<(i64, String, String)> = conn
        .prepare("SELECT note_id, kind, content_hash FROM note_signatures ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (note_id, kind, stored) in signed {
        let note = match session_note::note_by_id(conn, note_id) {
            Ok(note) => note,
            Err(_) => {
                findings.push(format!(
                    "clinical.db: a {kind} signature refers to note {note_id}, which is missing"
                ));
                continue;
            }
        };
        let content = session_note::load_content(conn, note_id)?;
        if content_hash(&note, &content)? != stored {
            findings.push(format!(
                "clinical.db: the note of session {} was changed after it was signed ({kind} hash does not match)",
                note.session_id
            ));
        }
    }
    // (addendum id, whether its stored hash still matches)
    let addenda: Vec<(i64, Result<bool>)> = conn
        .prepare(
            "SELECT id, note_id, client_id, author_id, signed_at, body, content_hash FROM note_addenda ORDER BY id",
        )?
        .query_map([], |r| {
            let stored: String = r.get(6)?;
            let matches = addendum_hash(
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                &r.get::<_, String>(4)?,
                &r.get::<_, String>(5)?,
            )
            .map(|h| h == stored);
            Ok((r.get(0)?, matches))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, matches) in addenda {
        if !matches? {
            findings.push(format!(
                "clinical.db: addendum {id} was changed after it was signed"
            ));
        }
    }
    Ok(findings)
}
