//! Signing, co-signing and addenda. A signature stores who, when, and the
//! SHA-256 of the note's canonical content; from then on triggers in
//! clinical.db refuse every change to the note, and `verify` recomputes the
//! hash of every signed note and addendum to catch changes forced past them.
//!
//! The audit row of every signature and addendum carries that hash too
//! (`hash=<hex>`, never text), in practice.db's HMAC-chained log: someone
//! holding the clinical key can rewrite a note and store a recomputed hash
//! beside it, but not the hash the audit trail recorded, so `verify` also
//! compares the two.

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection, OptionalExtension};

use super::model::addendum::addendum_hash;
use super::model::index::index_addendum;
use super::model::note::{
    booked_members, frozen_details_of, load_content, note_by_id, note_of_session, NoteRow,
    NoteStatus, MAX_SECTION_CHARS,
};
use super::model::purge_trail::{self, Trail};
use super::model::signature::{content_hash, signatures, Signers, CANONICAL_FORMAT};
use super::session_note::{self, SessionNote};
use super::templates;
use super::{access, redaction};
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::roles::{Capability, Role};
use crate::schedule::sessions;
use crate::signed_in::SignedIn;

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

fn loaded_note(signed_in: &SignedIn, session_id: i64) -> Result<(sessions::GroupSession, NoteRow)> {
    let group_session = sessions::group_session(signed_in.conn(), session_id)?;
    access::require_group_notes(signed_in, group_session.group_id)?;
    let note = note_of_session(signed_in.conn(), session_id)?
        .ok_or_else(|| Error::invalid("note", "Write the note before signing it."))?;
    Ok((group_session, note))
}

/// Signs the note as saved at `revision`. Every booked member's attendance
/// must be recorded, every attending member must have a section, and every
/// required section and risk level must be filled in. A signer who has a
/// supervisor leaves the note pending until the supervisor co-signs.
pub fn sign(signed_in: &SignedIn, session_id: i64, revision: i64) -> Result<SessionNote> {
    signed_in.require(Capability::Sign)?;
    let (group_session, note) = loaded_note(signed_in, session_id)?;
    session_note::require_not_cancelled(&group_session)?;
    let conn = signed_in.conn();
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
    let content = load_content(conn, note.id)?;
    let booked = booked_members(conn, session_id)?;

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

    let signer = signed_in.actor().staff_id;
    let cosigner = supervisor_of(conn, signer)?;
    let tx = signed_in.clinical_write()?;
    // Freeze the names the note was written with (see `note_roster`).
    let mut freeze = tx.prepare(
        "INSERT OR REPLACE INTO note_roster (note_id, client_id, legal_first_name, legal_last_name, preferred_name,
             middle_name, name_order)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut content = content;
    for member in &booked {
        let r = &member.roster;
        // A middle name and a family-first order are frozen beside the
        // names (NULL, and out of the hash, when there is neither).
        let more = frozen_details_of(r);
        freeze.execute(params![
            note.id,
            r.client_id,
            r.legal_first_name,
            r.legal_last_name,
            r.preferred_name,
            more.as_ref().and_then(|(middle, _)| middle.as_deref()),
            more.as_ref().map(|(_, order)| order.as_db()),
        ])?;
        if let Some(more) = more {
            content.roster_more.insert(r.client_id, more);
        }
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
    // The content as `load_content` will read it back, frozen names included,
    // with who wrote and signs it, and when.
    let now = crate::clock::now_text();
    let hash = content_hash(
        &note,
        &content,
        CANONICAL_FORMAT,
        &Signers {
            signed_by: signer,
            signed_at: &now,
            cosigner_id: cosigner,
            cosigned: None,
        },
    )?;
    tx.execute(
        "INSERT INTO note_signatures (note_id, kind, staff_id, signed_at, content_hash, cosigner_id, canonical_format)
         VALUES (?1, 'sign', ?2, ?3, ?4, ?5, ?6)",
        params![note.id, signer, now, hash, cosigner, CANONICAL_FORMAT],
    )?;
    tx.execute("DELETE FROM note_drafts WHERE note_id = ?1", [note.id])?;
    tx.audit(
        Event::new(Some(signer), Action::NoteSigned)
            .on("session", session_id)
            .detail(format!(
                "{} hash={hash}",
                if cosigner.is_some() {
                    "awaiting co-signature"
                } else {
                    "signed"
                }
            )),
    )?;
    tx.commit()?;
    session_note::build_view(signed_in, group_session)
}

/// Co-signs a supervisee's pending note: the supervisor it waits for, or the
/// owner. Nobody co-signs their own note.
pub fn cosign(signed_in: &SignedIn, session_id: i64) -> Result<SessionNote> {
    signed_in.require(Capability::CoSign)?;
    let (group_session, note) = loaded_note(signed_in, session_id)?;
    let conn = signed_in.conn();
    let sigs = signatures(conn, note.id)?;
    let actor = signed_in.actor();
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
    let content = load_content(conn, note.id)?;
    let trail = Trail::load(conn, note.id)?;
    if sigs.expected_hash(&note, &content, false, &trail)?.as_ref() != Some(&sign.content_hash) {
        return Err(Error::Conflict {
            message: "This note no longer matches what was signed. Tell the owner: the integrity check on the Audit screen shows it.".into(),
        });
    }
    // The co-signature covers the note, the signature and itself.
    let now = crate::clock::now_text();
    let hash = content_hash(
        &note,
        &content,
        CANONICAL_FORMAT,
        &Signers {
            signed_by: sign.staff_id,
            signed_at: &sign.signed_at,
            cosigner_id: sigs.cosigner_id,
            cosigned: Some((actor.staff_id, &now)),
        },
    )?;
    let tx = signed_in.clinical_write()?;
    tx.execute(
        "INSERT INTO note_signatures (note_id, kind, staff_id, signed_at, content_hash, canonical_format)
         VALUES (?1, 'cosign', ?2, ?3, ?4, ?5)",
        params![note.id, actor.staff_id, now, hash, CANONICAL_FORMAT],
    )?;
    tx.audit(
        Event::new(Some(actor.staff_id), Action::NoteCosigned)
            .on("session", session_id)
            .detail(format!("hash={hash}")),
    )?;
    tx.commit()?;
    session_note::build_view(signed_in, group_session)
}

/// Adds a signed addendum to a signed note: to the shared part (`client_id`
/// None) or to one member's section.
pub fn add_addendum(
    signed_in: &SignedIn,
    session_id: i64,
    client_id: Option<i64>,
    body: &str,
) -> Result<SessionNote> {
    signed_in.require(Capability::Sign)?;
    let (group_session, note) = loaded_note(signed_in, session_id)?;
    let conn = signed_in.conn();
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
    let content = load_content(conn, note.id)?;
    if let Some(id) = client_id {
        if !content.members.contains_key(&id) {
            return Err(Error::invalid(
                "addendumMember",
                "This member has no section in the note to add to.",
            ));
        }
    }
    let author = signed_in.actor().staff_id;
    let now = crate::clock::now_text();
    let hash = addendum_hash(note.id, client_id, author, &now, body)?;
    let tx = signed_in.clinical_write()?;
    tx.execute(
        "INSERT INTO note_addenda (note_id, client_id, body, author_id, signed_at, content_hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![note.id, client_id, body, author, now, hash],
    )?;
    let addendum_id = tx.last_insert_rowid();
    let roster: Vec<redaction::RosterMember> = booked_members(conn, session_id)?
        .into_iter()
        .map(|b| b.roster)
        .collect();
    index_addendum(&tx, note.id, client_id, body, &roster)?;
    tx.audit(
        Event::new(Some(author), Action::NoteAddendumSigned)
            .on("session", session_id)
            .detail(format!(
                "addendum={addendum_id} {} hash={hash}",
                match client_id {
                    Some(id) => format!("member client={id}"),
                    None => "shared".into(),
                }
            )),
    )?;
    tx.commit()?;
    session_note::build_view(signed_in, group_session)
}

/// For `verify`: every signed note and addendum whose stored rows no longer
/// hash to what was signed — content, and (from canonical format 2) who
/// wrote, signed and co-signed it, and when. One sentence per finding, no PHI.
pub(crate) fn hash_mismatches(conn: &Connection) -> Result<Vec<String>> {
    let mut findings = Vec::new();
    let signed: Vec<(i64, String)> = conn
        .prepare("SELECT note_id, kind FROM note_signatures ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (note_id, kind) in signed {
        let note = match note_by_id(conn, note_id) {
            Ok(note) => note,
            Err(_) => {
                findings.push(format!(
                    "clinical.db: a {kind} signature refers to note {note_id}, which is missing"
                ));
                continue;
            }
        };
        let content = load_content(conn, note_id)?;
        let sigs = signatures(conn, note_id)?;
        let trail = Trail::load(conn, note_id)?;
        let cosign = kind != "sign";
        let stored = if cosign { &sigs.cosign } else { &sigs.sign };
        let expected = sigs.expected_hash(&note, &content, cosign, &trail)?;
        if expected.is_none() || expected.as_ref() != stored.as_ref().map(|s| &s.content_hash) {
            findings.push(format!(
                "clinical.db: the note of session {} was changed after it was signed ({kind} hash does not match)",
                note.session_id
            ));
        }
    }
    // (addendum id, whether its stored hash still matches)
    let addenda: Vec<(i64, Result<bool>)> = conn
        .prepare(
            "SELECT a.id, a.note_id, a.client_id, a.author_id, a.signed_at, a.body, a.content_hash,
                    (SELECT s.hash_after FROM purge_seals s
                      WHERE s.note_id = a.note_id AND s.kind = 'addendum:' || a.id
                      ORDER BY s.purge_id DESC LIMIT 1)
             FROM note_addenda a ORDER BY a.id",
        )?
        .query_map([], |r| {
            // A purge that replaced a name in it recorded the hash it left.
            let sealed: Option<String> = r.get(7)?;
            let stored: String = sealed.unwrap_or(r.get(6)?);
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
    findings.extend(audit_mismatches(conn)?);
    findings.extend(super::purge::purge_findings(conn)?);
    Ok(findings)
}

/// What the audit row of a signature or addendum recorded.
struct Recorded {
    actor_id: Option<i64>,
    /// None in rows written before audit rows carried the hash.
    hash: Option<String>,
}

/// `key=value` from an audit detail such as "signed hash=ab12…".
fn detail_value<'a>(detail: &'a str, key: &str) -> Option<&'a str> {
    detail
        .split_whitespace()
        .find_map(|word| word.strip_prefix(key)?.strip_prefix('='))
}

/// For `verify`: every signature and addendum in clinical.db whose stored
/// hash (or signer) is not what its audit row in practice.db recorded. The
/// same connection holds both: practice.db is `main`, clinical.db is
/// attached as `clinical`. Findings name the session or addendum, no text.
fn audit_mismatches(conn: &Connection) -> Result<Vec<String>> {
    use crate::vault::db::CLINICAL_SCHEMA as CLINICAL;
    // The first audit row of each signing, by (action, session); addenda by id.
    let mut signed: HashMap<(String, i64), Recorded> = HashMap::new();
    let mut added: HashMap<i64, Recorded> = HashMap::new();
    // Sessions with addendum rows from before rows named their addendum.
    let mut unnamed_addenda: HashMap<i64, usize> = HashMap::new();
    let rows: Vec<(String, i64, Option<i64>, Option<String>)> = conn
        .prepare(
            "SELECT action, entity_id, actor_id, detail FROM main.audit_log
             WHERE action IN (?1, ?2, ?3) AND entity_kind = 'session' AND entity_id IS NOT NULL
             ORDER BY id",
        )?
        .query_map(
            params![
                Action::NoteSigned.as_str(),
                Action::NoteCosigned.as_str(),
                Action::NoteAddendumSigned.as_str()
            ],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )?
        .collect::<rusqlite::Result<_>>()?;
    for (action, session_id, actor_id, detail) in rows {
        let detail = detail.unwrap_or_default();
        let recorded = Recorded {
            actor_id,
            hash: detail_value(&detail, "hash").map(str::to_owned),
        };
        if action == Action::NoteAddendumSigned.as_str() {
            match detail_value(&detail, "addendum").and_then(|id| id.parse::<i64>().ok()) {
                Some(id) => {
                    added.entry(id).or_insert(recorded);
                }
                None => *unnamed_addenda.entry(session_id).or_default() += 1,
            }
        } else {
            signed.entry((action, session_id)).or_insert(recorded);
        }
    }

    let mut findings = Vec::new();
    let mut compare = |what: String, recorded: Option<&Recorded>, actor: i64, hash: &str| {
        match recorded {
            None => findings.push(format!("audit log: {what} has no audit row")),
            Some(r) if r.actor_id != Some(actor) => findings.push(format!(
                "audit log: {what} names someone other than its audit row"
            )),
            Some(Recorded { hash: Some(h), .. }) if h != hash => findings.push(format!(
                "audit log: {what} no longer matches its audit row (its hash was changed after signing)"
            )),
            Some(_) => {}
        }
    };
    let signatures: Vec<(String, i64, String, i64)> = conn
        .prepare(&format!(
            "SELECT s.kind, s.staff_id, s.content_hash, n.session_id
             FROM {CLINICAL}.note_signatures s JOIN {CLINICAL}.session_notes n ON n.id = s.note_id
             ORDER BY s.id"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // What is still in clinical.db of what the audit trail recorded.
    let mut present_signatures = HashSet::new();
    let mut present_addenda = HashSet::new();
    for (kind, staff_id, hash, session_id) in signatures {
        let action = if kind == "sign" {
            Action::NoteSigned
        } else {
            Action::NoteCosigned
        };
        let key = (action.as_str().to_owned(), session_id);
        compare(
            format!("the {kind} signature of the note of session {session_id}"),
            signed.get(&key),
            staff_id,
            &hash,
        );
        present_signatures.insert(key);
    }
    let addenda: Vec<(i64, i64, String, i64)> = conn
        .prepare(&format!(
            "SELECT a.id, a.author_id, a.content_hash, n.session_id
             FROM {CLINICAL}.note_addenda a JOIN {CLINICAL}.session_notes n ON n.id = a.note_id
             ORDER BY a.id"
        ))?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (id, author_id, hash, session_id) in addenda {
        present_addenda.insert(id);
        let recorded = added.get(&id);
        if recorded.is_none() && unnamed_addenda.get(&session_id).is_some_and(|n| *n > 0) {
            // Recorded before audit rows named their addendum: nothing to compare.
            continue;
        }
        compare(
            format!("addendum {id} (session {session_id})"),
            recorded,
            author_id,
            &hash,
        );
    }
    // A signed note, signature or addendum taken out of clinical.db.
    let mut gone: Vec<&(String, i64)> = signed
        .keys()
        .filter(|key| !present_signatures.contains(*key))
        .collect();
    gone.sort();
    for (action, session_id) in gone {
        let kind = if action == Action::NoteSigned.as_str() {
            "sign"
        } else {
            "cosign"
        };
        findings.push(format!(
            "audit log: the {kind} signature of the note of session {session_id} is missing from clinical.db"
        ));
    }
    // An addendum a purge removed is accounted for when the purge kept the
    // hash its audit row recorded.
    let purged = purge_trail::removed_addenda(conn)?;
    let mut gone: Vec<i64> = added
        .iter()
        .filter(|(id, recorded)| {
            !present_addenda.contains(*id)
                && purged
                    .get(*id)
                    .is_none_or(|kept| recorded.hash.as_deref().is_some_and(|h| h != kept))
        })
        .map(|(id, _)| *id)
        .collect();
    gone.sort_unstable();
    for id in gone {
        findings.push(format!(
            "audit log: addendum {id} is missing from clinical.db"
        ));
    }
    Ok(findings)
}
