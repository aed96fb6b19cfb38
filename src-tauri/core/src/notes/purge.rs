//! A retention purge, clinical side: one client taken out of clinical.db for
//! good, leaving the trail `verify` checks (see [`super::model::parts`] and
//! [`super::model::purge_trail`]).
//!
//! Their rows go: their parts of every group note (section, risk, ratings,
//! the names frozen at signing), their addenda, goals, private notes,
//! discharge notes, consents and disclosures, and their rows in the
//! full-text index. A shared session stays in the other members' records:
//! where the purged member's name is written as free text in what remains
//! (the shared part, another member's section, an addendum) it is replaced
//! by the label the other members' records already showed for them, and
//! their @-mentions, which hold an id only, read "another member". Names are
//! looked for only in notes of sessions the client was booked into: a name
//! elsewhere cannot be told apart from another person's.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};

use super::model::addendum::addendum_hash;
use super::model::index::{index_addendum, index_note, ADDENDUM_SECTION};
use super::model::member_record::label_roster;
use super::model::note::{load_content, note_by_id, NoteContent, SHARED};
use super::model::parts::{is_members_part, parts, token_digests, tokens};
use super::model::purge_trail::{trail_hash, Trail};
use super::model::signature::{content_hash, signatures, Signers};
use super::redaction::{self, RosterMember};
use crate::audit::outbox::ClinicalWrite;
use crate::audit::{Action, Event};
use crate::error::{Error, Result};

/// The client being purged, as practice.db knows them.
pub(crate) struct PurgedClient {
    pub id: i64,
    pub record_number: String,
    /// Their names today (the names frozen in signed notes are read there).
    pub names: RosterMember,
    /// Every session they were booked into.
    pub sessions: Vec<i64>,
}

/// What the clinical side did.
pub(crate) struct ClinicalPurge {
    /// Signed notes whose remaining text now names them by a label.
    pub notes_relabelled: u32,
}

/// Takes `client` out of clinical.db in `tx` (a clinical write whose audit
/// row joins the chain at commit). A client already purged here (a purge
/// stopped before its practice.db side) is left as it is.
pub(crate) fn purge_client(
    tx: &ClinicalWrite<'_>,
    actor: i64,
    client: &PurgedClient,
) -> Result<ClinicalPurge> {
    let done: Option<i64> = tx
        .query_row(
            "SELECT id FROM purges WHERE client_id = ?1",
            [client.id],
            |r| r.get(0),
        )
        .optional()?;
    if done.is_some() {
        return Ok(ClinicalPurge {
            notes_relabelled: 0,
        });
    }
    let triggers = lift_guards(tx)?;
    tx.execute(
        "INSERT INTO purges (client_id, record_number, purged_at, purged_by, trail_hash) VALUES (?1, ?2, ?3, ?4, '')",
        params![client.id, client.record_number, crate::clock::now_text(), actor],
    )?;
    let purge_id = tx.last_insert_rowid();

    let mut notes_relabelled = 0;
    for note_id in notes_of(tx, client)? {
        if purge_from_note(tx, purge_id, note_id, client)? {
            notes_relabelled += 1;
        }
    }
    // Whatever else of theirs clinical.db holds. Disclosures before the
    // consents they refer to.
    for sql in [
        "DELETE FROM goals WHERE client_id = ?1",
        "DELETE FROM private_notes WHERE client_id = ?1",
        "DELETE FROM discharge_notes WHERE client_id = ?1",
        "DELETE FROM disclosures WHERE client_id = ?1",
        "DELETE FROM consents WHERE client_id = ?1",
        "DELETE FROM notes_fts WHERE client_id = ?1",
        "DELETE FROM measure_risk_flags WHERE client_id = ?1",
        "DELETE FROM measure_entries WHERE client_id = ?1",
    ] {
        tx.execute(sql, [client.id])?;
    }
    // Merge the index into one segment, so the deleted words are gone from
    // its shadow tables and not only marked deleted.
    tx.execute("INSERT INTO notes_fts (notes_fts) VALUES ('optimize')", [])?;

    let hash = trail_hash(tx, purge_id)?;
    tx.execute(
        "UPDATE purges SET trail_hash = ?1 WHERE id = ?2",
        params![hash, purge_id],
    )?;
    tx.audit(
        Event::new(Some(actor), Action::ClientPurged)
            .on("purge", purge_id)
            .detail(format!("record={} trail={hash}", client.record_number)),
    )?;
    restore_guards(tx, &triggers)?;
    Ok(ClinicalPurge { notes_relabelled })
}

/// clinical.db's triggers (the signed-note and append-only guards), taken
/// down for the purge and put back, in the same transaction, by
/// [`restore_guards`]: the one writer allowed past them.
fn lift_guards(conn: &Connection) -> Result<Vec<(String, String)>> {
    let triggers: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM clinical.sqlite_master WHERE type = 'trigger' ORDER BY name",
        )?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &triggers {
        conn.execute_batch(&format!(
            "DROP TRIGGER clinical.\"{}\"",
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(triggers)
}

fn restore_guards(conn: &Connection, triggers: &[(String, String)]) -> Result<()> {
    for (name, sql) in triggers {
        // "CREATE TRIGGER [IF NOT EXISTS] name …" as stored: put it back in
        // clinical.db, not in practice.db (the connection's main).
        let rest = sql
            .strip_prefix("CREATE TRIGGER ")
            .map(|r| r.strip_prefix("IF NOT EXISTS ").unwrap_or(r))
            .and_then(|r| r.trim_start().strip_prefix(name.as_str()))
            .ok_or_else(|| Error::Storage {
                detail: format!("the guard {name} could not be put back"),
            })?;
        conn.execute_batch(&format!(
            "CREATE TRIGGER clinical.\"{}\"{rest}",
            name.replace('"', "\"\"")
        ))?;
    }
    Ok(())
}

/// Notes that hold anything of the client: of their sessions, or with a
/// row of theirs.
fn notes_of(conn: &Connection, client: &PurgedClient) -> Result<Vec<i64>> {
    let mut notes: Vec<i64> = conn
        .prepare(
            "SELECT note_id FROM note_roster WHERE client_id = ?1
             UNION SELECT note_id FROM member_notes WHERE client_id = ?1
             UNION SELECT note_id FROM note_sections WHERE client_id = ?1
             UNION SELECT note_id FROM note_addenda WHERE client_id = ?1
             UNION SELECT note_id FROM goal_ratings WHERE client_id = ?1",
        )?
        .query_map([client.id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut by_session = conn.prepare("SELECT id FROM session_notes WHERE session_id = ?1")?;
    for session in &client.sessions {
        if let Some(id) = by_session.query_row([session], |r| r.get(0)).optional()? {
            notes.push(id);
        }
    }
    notes.sort_unstable();
    notes.dedup();
    Ok(notes)
}

/// A name replaced by a label, in token terms: where the label's tokens
/// start in the new text, how many there are, and the digests replaced.
struct Replaced {
    index: usize,
    count: usize,
    replaced: Vec<[u8; 32]>,
}

/// `text` with every free-text name of `names` replaced by `label`.
fn relabel(text: &str, names: &[RosterMember], label: &str) -> (String, Vec<Replaced>) {
    let spans = redaction::name_spans(text, names);
    if spans.is_empty() {
        return (text.to_owned(), Vec::new());
    }
    // Byte ranges of the tokens.
    let mut bounds = Vec::new();
    let mut at = 0;
    for token in tokens(text) {
        bounds.push(at..at + token.len());
        at += token.len();
    }
    let digests = token_digests(text);
    // Each name widened to whole tokens, merged where they meet.
    let mut widened: Vec<(usize, usize)> = Vec::new();
    for span in &spans {
        let first = bounds.iter().position(|b| b.end > span.range.start);
        let last = bounds.iter().rposition(|b| b.start < span.range.end);
        if let (Some(first), Some(last)) = (first, last) {
            match widened.last_mut() {
                Some(prev) if first <= prev.1 => prev.1 = prev.1.max(last),
                _ => widened.push((first, last)),
            }
        }
    }
    let label_tokens = tokens(label).len();
    let mut out = text.to_owned();
    let mut replaced = Vec::new();
    // Right to left: each replacement leaves the tokens before it where
    // they were, so every index is also its index in the final text.
    for &(first, last) in widened.iter().rev() {
        out.replace_range(bounds[first].start..bounds[last].end, label);
        replaced.push(Replaced {
            index: first,
            count: label_tokens,
            replaced: digests[first..=last].to_vec(),
        });
    }
    (out, replaced)
}

/// Takes the client out of one note; true when the note is signed and
/// text that stays in it was relabelled.
fn purge_from_note(
    tx: &ClinicalWrite<'_>,
    purge_id: i64,
    note_id: i64,
    client: &PurgedClient,
) -> Result<bool> {
    let conn: &Connection = tx;
    let x = client.id;
    let note = note_by_id(conn, note_id)?;
    let content = load_content(conn, note_id)?;
    let sigs = signatures(conn, note_id)?;
    let signed = sigs.sign.is_some();

    // Everyone the note's labels are given among (as member records do),
    // and the client's own names in it: today's and those frozen at signing.
    let roster = label_roster(conn, &note, &content)?;
    let mut names = vec![client.names.clone()];
    names.extend(roster.iter().filter(|m| m.client_id == x).cloned());
    let label = redaction::member_labels(&roster, &note.label_key)
        .remove(&x)
        .unwrap_or_else(|| redaction::ANOTHER_MEMBER.to_owned());
    let was_member = roster.iter().any(|m| m.client_id == x);

    // The digests as signed, before anything changes (an earlier purge's
    // spans undone), for the parts that go.
    let before = parts(&content);
    let signed_digests = Trail::load(conn, note_id)?.signed_digests(&before);

    // The note without them, and their name relabelled where text stays.
    let mut after = content.clone();
    after.members.remove(&x);
    after.roster.remove(&x);
    after.roster_more.remove(&x);
    let mut spans: BTreeMap<String, Vec<Replaced>> = BTreeMap::new();
    let mut relabelled = false;
    for (key, body) in after.shared.iter_mut() {
        let (new, replaced) = relabel(body, &names, &label);
        if !replaced.is_empty() {
            conn.execute(
                "UPDATE note_sections SET body = ?1 WHERE note_id = ?2 AND client_id = ?3 AND key = ?4",
                params![new, note_id, SHARED, key],
            )?;
            *body = new;
            relabelled = true;
            spans.insert(format!("shared/{key}"), replaced);
        }
    }
    for (id, member) in after.members.iter_mut() {
        for (key, body) in member.sections.iter_mut() {
            let (new, replaced) = relabel(body, &names, &label);
            if !replaced.is_empty() {
                conn.execute(
                    "UPDATE note_sections SET body = ?1 WHERE note_id = ?2 AND client_id = ?3 AND key = ?4",
                    params![new, note_id, id, key],
                )?;
                *body = new;
                relabelled = true;
                spans.insert(format!("member/{id}/section/{key}"), replaced);
            }
        }
        let (new, replaced) = relabel(&member.risk_text, &names, &label);
        if !replaced.is_empty() {
            conn.execute(
                "UPDATE member_notes SET risk_text = ?1 WHERE note_id = ?2 AND client_id = ?3",
                params![new, note_id, id],
            )?;
            member.risk_text = new;
            relabelled = true;
            spans.insert(format!("member/{id}/risk_text"), replaced);
        }
        for (goal, (_, comment)) in member.goals.iter_mut() {
            let (new, replaced) = relabel(comment, &names, &label);
            if !replaced.is_empty() {
                conn.execute(
                    "UPDATE goal_ratings SET comment = ?1 WHERE note_id = ?2 AND goal_id = ?3",
                    params![new, note_id, goal],
                )?;
                *comment = new;
                relabelled = true;
                spans.insert(format!("member/{id}/goal/{goal}/comment"), replaced);
            }
        }
    }
    for sql in [
        "DELETE FROM note_sections WHERE note_id = ?1 AND client_id = ?2",
        "DELETE FROM member_notes WHERE note_id = ?1 AND client_id = ?2",
        "DELETE FROM note_roster WHERE note_id = ?1 AND client_id = ?2",
        "DELETE FROM goal_ratings WHERE note_id = ?1 AND client_id = ?2",
    ] {
        conn.execute(sql, params![note_id, x])?;
    }

    if signed {
        // Format 3: what went, and where labels stand.
        let Some(signed_digests) = signed_digests else {
            return Err(Error::Conflict {
                message: format!(
                    "The note of session {} no longer matches what was signed, so it cannot be purged from. Run the integrity check first.",
                    note.session_id
                ),
            });
        };
        for (part, digest) in &signed_digests {
            if is_members_part(part, x) {
                conn.execute(
                    "INSERT INTO purged_parts (purge_id, note_id, part, digest) VALUES (?1, ?2, ?3, ?4)",
                    params![purge_id, note_id, part, digest],
                )?;
            }
        }
        for (part, replaced) in &spans {
            for r in replaced {
                let digests: Vec<String> = r.replaced.iter().map(hex::encode).collect();
                conn.execute(
                    "INSERT INTO purged_spans (purge_id, note_id, part, token_index, token_count, label, replaced)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![purge_id, note_id, part, r.index as i64, r.count as i64, label, digests.join(",")],
                )?;
            }
        }
        // Formats 1 and 2 hash the note whole: the hash it has now.
        for (kind, row) in [("sign", &sigs.sign), ("cosign", &sigs.cosign)] {
            let (Some(row), Some(sign)) = (row, &sigs.sign) else {
                continue;
            };
            if row.format >= 3 {
                continue;
            }
            let signers = Signers {
                signed_by: sign.staff_id,
                signed_at: &sign.signed_at,
                cosigner_id: sigs.cosigner_id,
                cosigned: (kind == "cosign").then_some((row.staff_id, row.signed_at.as_str())),
            };
            let now = content_hash(&note, &after, row.format, &signers)?;
            conn.execute(
                "INSERT INTO purge_seals (purge_id, note_id, kind, hash_after) VALUES (?1, ?2, ?3, ?4)",
                params![purge_id, note_id, kind, now],
            )?;
        }
    }
    if was_member {
        conn.execute(
            "INSERT OR IGNORE INTO purged_members (purge_id, note_id, client_id) VALUES (?1, ?2, ?3)",
            params![purge_id, note_id, x],
        )?;
    }
    purge_addenda(conn, purge_id, note_id, x, &names, &label)?;

    // The index again, without them: their mentions now read "another member".
    let remaining: Vec<RosterMember> = roster.into_iter().filter(|m| m.client_id != x).collect();
    reindex(conn, note_id, &after, &remaining)?;
    Ok(signed && relabelled)
}

/// Their addenda go (their hash kept); another addendum naming them is
/// relabelled and sealed with the hash it has now.
fn purge_addenda(
    conn: &Connection,
    purge_id: i64,
    note_id: i64,
    x: i64,
    names: &[RosterMember],
    label: &str,
) -> Result<()> {
    let addenda: Vec<(i64, Option<i64>, i64, String, String, String)> = conn
        .prepare(
            "SELECT id, client_id, author_id, signed_at, body, content_hash FROM note_addenda WHERE note_id = ?1",
        )?
        .query_map([note_id], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, client_id, author, signed_at, body, hash) in addenda {
        if client_id == Some(x) {
            conn.execute(
                "INSERT INTO purged_addenda (purge_id, addendum_id, note_id, content_hash) VALUES (?1, ?2, ?3, ?4)",
                params![purge_id, id, note_id, hash],
            )?;
            conn.execute("DELETE FROM note_addenda WHERE id = ?1", [id])?;
            continue;
        }
        let (new, replaced) = relabel(&body, names, label);
        if !replaced.is_empty() {
            conn.execute(
                "UPDATE note_addenda SET body = ?1 WHERE id = ?2",
                params![new, id],
            )?;
            conn.execute(
                "INSERT INTO purge_seals (purge_id, note_id, kind, hash_after) VALUES (?1, ?2, ?3, ?4)",
                params![
                    purge_id,
                    note_id,
                    format!("addendum:{id}"),
                    addendum_hash(note_id, client_id, author, &signed_at, &new)?
                ],
            )?;
        }
    }
    Ok(())
}

/// The note's rows in the full-text index, sections and addenda, again.
fn reindex(
    conn: &Connection,
    note_id: i64,
    content: &NoteContent,
    roster: &[RosterMember],
) -> Result<()> {
    index_note(conn, note_id, content, roster)?;
    // Addenda rows are not listed in notes_fts_rows: found by their columns.
    conn.execute(
        "DELETE FROM notes_fts WHERE note_id = ?1 AND section = ?2",
        params![note_id, ADDENDUM_SECTION],
    )?;
    let addenda: Vec<(Option<i64>, String)> = conn
        .prepare("SELECT client_id, body FROM note_addenda WHERE note_id = ?1 ORDER BY id")?
        .query_map([note_id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (client_id, body) in addenda {
        index_addendum(conn, note_id, client_id, &body, roster)?;
    }
    Ok(())
}

/// For `verify`: a purge whose trail no longer hashes to what it recorded,
/// or to what its audit row in practice.db carries.
pub(crate) fn purge_findings(conn: &Connection) -> Result<Vec<String>> {
    let purges: Vec<(i64, String)> = conn
        .prepare("SELECT id, trail_hash FROM purges ORDER BY id")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut findings = Vec::new();
    let mut audited = conn.prepare(
        "SELECT detail FROM main.audit_log WHERE action = ?1 AND entity_kind = 'purge' AND entity_id = ?2",
    )?;
    for (id, recorded) in purges {
        if trail_hash(conn, id)? != recorded {
            findings.push(format!(
                "clinical.db: the record of purge {id} was changed after the purge"
            ));
            continue;
        }
        let details: Vec<Option<String>> = audited
            .query_map(params![Action::ClientPurged.as_str(), id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let matches = details.iter().flatten().any(|d| {
            d.split_whitespace()
                .any(|w| w.strip_prefix("trail=") == Some(recorded.as_str()))
        });
        if !matches {
            findings.push(format!(
                "audit log: purge {id} has no audit row that matches it (a purge Circle did not make?)"
            ));
        }
    }
    Ok(findings)
}
