//! The trail a retention purge leaves in clinical.db (migration 0014), read
//! back for `verify`: which parts of a signed note it removed (with their
//! digests), which names it replaced by a label (where, and the digests of
//! the tokens it replaced), and, for signatures in the older formats that
//! hash a note whole, the hash the note has after the purge. Each purge's
//! rows hash to the `trail_hash` its audit row in practice.db carries, so a
//! trail cannot be added or changed unseen.

use std::collections::{BTreeMap, HashMap};

use rusqlite::{params, Connection};

use super::parts::{digest_of_tokens, part_digest, token_digests, Part, TokenDigest};
use crate::error::Result;

/// A label written over a name: where its tokens stand, and what they replaced.
struct Span {
    index: usize,
    /// The label's tokens, which must still stand there.
    label: Vec<TokenDigest>,
    replaced: Vec<TokenDigest>,
}

/// What purges took out of one note.
#[derive(Default)]
pub(crate) struct Trail {
    removed: BTreeMap<String, String>,
    /// Part → spans, newest purge first and, within a purge, last span first:
    /// the order they are undone in.
    spans: BTreeMap<String, Vec<Span>>,
    /// A record that cannot be read as a purge writes it (changed by hand):
    /// nothing can be checked against it.
    broken: bool,
    /// Signature kind or "addendum:<id>" → the hash after the newest purge.
    seals: HashMap<String, String>,
}

fn digest_from_hex(text: &str) -> Option<TokenDigest> {
    let bytes = hex::decode(text).ok()?;
    bytes.try_into().ok()
}

impl Trail {
    pub fn load(conn: &Connection, note_id: i64) -> Result<Self> {
        let mut trail = Trail::default();
        let mut stmt =
            conn.prepare_cached("SELECT part, digest FROM purged_parts WHERE note_id = ?1")?;
        for row in stmt.query_map([note_id], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (part, digest): (String, String) = row?;
            trail.removed.insert(part, digest);
        }
        let mut stmt = conn.prepare_cached(
            "SELECT part, token_index, token_count, replaced, label FROM purged_spans
             WHERE note_id = ?1 ORDER BY purge_id DESC, token_index DESC",
        )?;
        let rows = stmt.query_map([note_id], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?;
        for row in rows {
            let (part, index, count, replaced, label) = row?;
            let replaced: Option<Vec<TokenDigest>> =
                replaced.split(',').map(digest_from_hex).collect();
            let label = token_digests(&label);
            let (Ok(index), Ok(true), Some(replaced)) = (
                usize::try_from(index),
                usize::try_from(count).map(|c| c == label.len()),
                replaced,
            ) else {
                trail.broken = true;
                continue;
            };
            trail.spans.entry(part).or_default().push(Span {
                index,
                label,
                replaced,
            });
        }
        let mut stmt = conn.prepare_cached(
            "SELECT kind, hash_after FROM purge_seals WHERE note_id = ?1 ORDER BY purge_id",
        )?;
        for row in stmt.query_map([note_id], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (kind, hash): (String, String) = row?;
            trail.seals.insert(kind, hash);
        }
        Ok(trail)
    }

    /// The hash a signature or addendum's text has after the newest purge
    /// that changed it (formats that hash the note whole).
    pub fn seal(&self, kind: &str) -> Option<&str> {
        self.seals.get(kind).map(String::as_str)
    }

    /// The digest of every part as it was signed: the parts now stored,
    /// each text part with the recorded spans undone, and the parts removed.
    /// None when a recorded span does not fit the text as stored (the text
    /// was changed after the purge).
    pub fn signed_digests(
        &self,
        parts: &BTreeMap<String, Part>,
    ) -> Option<BTreeMap<String, String>> {
        let mut digests = BTreeMap::new();
        for (name, part) in parts {
            let digest = match (part, self.spans.get(name)) {
                (Part::Text(text), Some(spans)) => {
                    let mut tokens = token_digests(text);
                    for span in spans {
                        let end = span.index.checked_add(span.label.len())?;
                        if tokens.get(span.index..end) != Some(span.label.as_slice()) {
                            return None;
                        }
                        tokens.splice(span.index..end, span.replaced.iter().copied());
                    }
                    digest_of_tokens(&tokens)
                }
                _ => part_digest(part),
            };
            digests.insert(name.clone(), digest);
        }
        for (name, digest) in &self.removed {
            if digests.insert(name.clone(), digest.clone()).is_some() {
                // A part recorded as removed is back: not what the purge left.
                return None;
            }
        }
        // Spans recorded for a part that is gone (unless a later purge
        // removed that part and kept its digest as signed).
        if self
            .spans
            .keys()
            .any(|name| !parts.contains_key(name) && !self.removed.contains_key(name))
        {
            return None;
        }
        Some(digests)
    }
}

/// Every addendum any purge removed, by id (for the audit comparison).
pub(crate) fn removed_addenda(conn: &Connection) -> Result<HashMap<i64, String>> {
    let mut out = HashMap::new();
    let mut stmt = conn.prepare("SELECT addendum_id, content_hash FROM purged_addenda")?;
    for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
        let (id, hash) = row?;
        out.insert(id, hash);
    }
    Ok(out)
}

/// SHA-256 (hex) over one purge's trail rows, in a fixed order.
pub(crate) fn trail_hash(conn: &Connection, purge_id: i64) -> Result<String> {
    let mut ctx = ring::digest::Context::new(&ring::digest::SHA256);
    let mut feed = |table: &str, sql: &str| -> Result<()> {
        let mut stmt = conn.prepare(sql)?;
        let mut rows = stmt.query(params![purge_id])?;
        while let Some(row) = rows.next()? {
            let mut line = String::from(table);
            for i in 0..row.as_ref().column_count() {
                let value: rusqlite::types::Value = row.get(i)?;
                line.push('\u{1f}');
                line.push_str(&match value {
                    rusqlite::types::Value::Null => "null".to_owned(),
                    rusqlite::types::Value::Integer(n) => n.to_string(),
                    rusqlite::types::Value::Real(f) => f.to_string(),
                    rusqlite::types::Value::Text(t) => t,
                    rusqlite::types::Value::Blob(b) => hex::encode(b),
                });
            }
            line.push('\u{1e}');
            ctx.update(line.as_bytes());
        }
        Ok(())
    };
    feed(
        "purge",
        "SELECT id, client_id, record_number, purged_at, purged_by FROM purges WHERE id = ?1",
    )?;
    feed(
        "member",
        "SELECT note_id, client_id FROM purged_members WHERE purge_id = ?1 ORDER BY note_id, client_id",
    )?;
    feed(
        "part",
        "SELECT note_id, part, digest FROM purged_parts WHERE purge_id = ?1 ORDER BY note_id, part",
    )?;
    feed(
        "span",
        "SELECT note_id, part, token_index, token_count, label, replaced FROM purged_spans
         WHERE purge_id = ?1 ORDER BY note_id, part, token_index",
    )?;
    feed(
        "seal",
        "SELECT note_id, kind, hash_after FROM purge_seals WHERE purge_id = ?1 ORDER BY note_id, kind",
    )?;
    feed(
        "addendum",
        "SELECT addendum_id, note_id, content_hash FROM purged_addenda WHERE purge_id = ?1 ORDER BY addendum_id",
    )?;
    Ok(hex::encode(ctx.finish()))
}

/// The client ids purges took out of one note: each keeps their label.
pub(crate) fn purged_members(conn: &Connection, note_id: i64) -> Result<Vec<i64>> {
    let mut stmt =
        conn.prepare_cached("SELECT client_id FROM purged_members WHERE note_id = ?1")?;
    let ids = stmt
        .query_map([note_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
