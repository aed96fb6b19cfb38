//! Full-text search of notes: an FTS5 table inside clinical.db, one row per
//! section or addendum, with @-mentions written out as names. The newest
//! [`RANKED_MATCHES`] matching rows are ranked by relevance. Results are
//! limited to what the searcher may read: the whole note for sessions of
//! groups they may read; otherwise only member sections of clients whose
//! record they may read, shown as that client's record shows them.
//! Private notes are never indexed.
//!
//! The index holds the full view, so for a reader who may see a section only
//! as a client's record shows it (other members redacted), a row the index
//! found is kept only when the query also matches the redacted text: else
//! searching a redacted name would tell that reader where it was written.

use std::collections::{HashMap, HashSet};

use rusqlite::{Connection, OptionalExtension};

use super::model::addendum;
use super::model::index::ADDENDUM_SECTION;
use super::model::member_record::MemberRecord;
use super::model::note::{
    booked_members, load_content, note_by_id, MemberContent, NoteStatus, SHARED,
};
use super::model::signature::signatures;
use super::{access, redaction, templates};
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::signed_in::SignedIn;

/// Marks the matched words in a snippet (control characters never typed).
pub const MATCH_START: char = '\u{2}';
pub const MATCH_END: char = '\u{3}';
const MAX_RESULTS: usize = 50;
/// How many of the newest matching index rows are ranked by relevance.
const RANKED_MATCHES: i64 = 1000;

#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteSearchHit {
    pub session_id: i64,
    /// The member whose section matched; None for the shared part.
    pub client_id: Option<i64>,
    /// That member's display name, when the searcher may read the session.
    pub client_name: Option<String>,
    pub group_name: String,
    /// RFC 3339 UTC.
    pub starts_at: String,
    pub section_label: String,
    /// Text around the match; matched words between U+0002 and U+0003.
    pub snippet: String,
    pub status: NoteStatus,
    /// False when only this member's record may be read (open the chart,
    /// not the session note).
    pub opens_session: bool,
}

impl std::fmt::Debug for NoteSearchHit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NoteSearchHit(session {})", self.session_id)
    }
}

/// What every hit in one note shares, looked up once per note.
struct NoteFacts {
    session_id: i64,
    group_name: String,
    starts_at: String,
    template: templates::Template,
    status: NoteStatus,
    /// Whether the searcher may read the whole note (else only the
    /// sections of clients whose record they may read).
    whole: bool,
    roster: Vec<redaction::RosterMember>,
}

impl NoteFacts {
    /// `whole_groups` caches, per group, whether the searcher may read its
    /// notes whole.
    fn load(
        signed_in: &SignedIn,
        note_id: i64,
        whole_groups: &mut HashMap<i64, bool>,
    ) -> Result<Self> {
        let conn = signed_in.conn();
        let note = note_by_id(conn, note_id)?;
        let whole = match whole_groups.get(&note.group_id) {
            Some(known) => *known,
            None => {
                let may = access::may_read_group_notes(signed_in, note.group_id)?;
                whole_groups.insert(note.group_id, may);
                may
            }
        };
        let heading = crate::schedule::sessions::heading(conn, note.session_id)?;
        Ok(NoteFacts {
            session_id: note.session_id,
            group_name: heading.group_name,
            starts_at: heading.starts_at,
            template: templates::template(conn, note.template)?,
            status: signatures(conn, note_id)?.status(),
            whole,
            roster: booked_members(conn, note.session_id)?
                .into_iter()
                .map(|b| b.roster)
                .collect(),
        })
    }
}

/// One client's record of one note, as search reads it: the redaction their
/// record applies and their own texts, loaded once per search.
struct RecordTexts {
    record: MemberRecord,
    own: MemberContent,
    addenda: Vec<String>,
}

impl RecordTexts {
    fn load(conn: &Connection, note_id: i64, client_id: i64) -> Result<Self> {
        let note = note_by_id(conn, note_id)?;
        let content = load_content(conn, note_id)?;
        let record = MemberRecord::for_note(conn, &note, &content, client_id)?;
        let addenda = addendum::addenda(conn, note_id)?
            .into_iter()
            .filter(|a| a.client_id == Some(client_id))
            .map(|a| a.body)
            .collect();
        Ok(RecordTexts {
            record,
            own: content.members.get(&client_id).cloned().unwrap_or_default(),
            addenda,
        })
    }

    /// The member's texts behind one `section` of the index (several for
    /// goal comments and addenda), as written.
    fn texts(&self, section: &str) -> Vec<&str> {
        match section {
            ADDENDUM_SECTION => self.addenda.iter().map(String::as_str).collect(),
            "risk" => vec![self.own.risk_text.as_str()],
            "goals" => self.own.goals.values().map(|(_, c)| c.as_str()).collect(),
            key => self
                .own
                .sections
                .get(key)
                .map(String::as_str)
                .into_iter()
                .collect(),
        }
    }
}

/// The query run against one text at a time, with the index's tokenizer and
/// snippet: an FTS5 table in a private in-memory database (never on disk),
/// for text as a member's record shows it.
struct RedactedMatcher {
    conn: Connection,
    fts: String,
}

impl RedactedMatcher {
    fn new(fts: &str) -> Result<Self> {
        let conn = Connection::open_in_memory()?;
        // The same tokenizer as `notes_fts` (clinical migration 0002).
        conn.execute_batch(
            "PRAGMA temp_store = MEMORY;
             CREATE VIRTUAL TABLE redacted USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');",
        )?;
        Ok(RedactedMatcher {
            conn,
            fts: fts.to_owned(),
        })
    }

    /// The snippet around the query's words in `text`, or None when the query
    /// does not match `text`.
    fn snippet(&self, text: &str) -> Result<Option<String>> {
        self.conn.execute("DELETE FROM redacted", [])?;
        self.conn
            .execute("INSERT INTO redacted (body) VALUES (?1)", [text])?;
        Ok(self
            .conn
            .query_row(
                "SELECT snippet(redacted, 0, char(2), char(3), '…', 16)
                 FROM redacted WHERE redacted MATCH ?1",
                [&self.fts],
                |r| r.get(0),
            )
            .optional()?)
    }
}

/// Each word of the query as a quoted FTS5 prefix term, all required.
fn fts_query(query: &str) -> Option<String> {
    let terms: Vec<String> = query
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(12)
        .map(|w| format!("\"{w}\"*"))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" AND "))
}

/// Searches every note the signed-in person may read. Audited with the
/// number of results, never the words searched for.
pub fn search(signed_in: &SignedIn, query: &str) -> Result<Vec<NoteSearchHit>> {
    access::require_notes(signed_in)?;
    let trimmed = query.trim();
    if trimmed.chars().count() > 200 {
        return Err(Error::invalid(
            "query",
            "Search for a few words, not a passage.",
        ));
    }
    let Some(fts) = fts_query(trimmed) else {
        return Ok(Vec::new());
    };
    let conn = signed_in.conn();
    // Ranked among the newest matches (index rows are added as notes are
    // written, so a larger rowid is a newer text), not all of them: ranking
    // every match of a common word cost a third of a second on a ten-year
    // practice (150,000 sections with "practise"), and grew with every year.
    let rows: Vec<(i64, i64, String, String)> = conn
        .prepare(
            "SELECT note_id, client_id, section, snip FROM (
                 SELECT note_id, client_id, section, rank AS score,
                        snippet(notes_fts, 0, char(2), char(3), '…', 16) AS snip
                 FROM notes_fts WHERE notes_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?2)
             ORDER BY score LIMIT 500",
        )?
        .query_map(rusqlite::params![&fts, RANKED_MATCHES], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;

    let mut notes: HashMap<i64, NoteFacts> = HashMap::new();
    let mut whole_groups: HashMap<i64, bool> = HashMap::new();
    let mut client_access: HashMap<i64, bool> = HashMap::new();
    let mut records: HashMap<(i64, i64), RecordTexts> = HashMap::new();
    // Member-view sections already matched against their redacted texts.
    let mut redacted_done: HashSet<(i64, i64, String)> = HashSet::new();
    let mut matcher: Option<RedactedMatcher> = None;
    let mut hits = Vec::new();
    for (note_id, client_id, section, snippet) in rows {
        if hits.len() >= MAX_RESULTS {
            break;
        }
        let facts = match notes.entry(note_id) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => {
                slot.insert(NoteFacts::load(signed_in, note_id, &mut whole_groups)?)
            }
        };
        let member = (client_id != SHARED).then_some(client_id);
        let (snippets, opens_session) = if facts.whole {
            (vec![snippet], true)
        } else {
            let Some(id) = member else { continue };
            let may = match client_access.get(&id) {
                Some(known) => *known,
                None => {
                    let may = access::may_read_client(signed_in, id)?;
                    client_access.insert(id, may);
                    may
                }
            };
            // Only signed notes are part of a client's record.
            if !may || facts.status == NoteStatus::Draft {
                continue;
            }
            // The index matched the full view; keep only what still matches
            // as the record shows it. A section's texts (several addenda or
            // goal comments share one `section`) are matched once.
            if !redacted_done.insert((note_id, id, section.clone())) {
                continue;
            }
            let record = match records.entry((note_id, id)) {
                std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(RecordTexts::load(conn, note_id, id)?)
                }
            };
            let matcher = match &mut matcher {
                Some(m) => m,
                None => matcher.insert(RedactedMatcher::new(&fts)?),
            };
            let mut found = Vec::new();
            for text in record.texts(&section) {
                if let Some(snippet) = matcher.snippet(&record.record.redact(text))? {
                    found.push(snippet);
                }
            }
            (found, false)
        };
        let section_label = match section.as_str() {
            ADDENDUM_SECTION => "Addendum".to_owned(),
            "risk" => "Risk".to_owned(),
            "goals" => "Goal progress".to_owned(),
            key => facts.template.label_of(key),
        };
        let client_name = match member {
            Some(id) if facts.whole => facts
                .roster
                .iter()
                .find(|m| m.client_id == id)
                .map(redaction::RosterMember::display_name),
            _ => None,
        };
        for snippet in snippets.into_iter().take(MAX_RESULTS - hits.len()) {
            hits.push(NoteSearchHit {
                session_id: facts.session_id,
                client_id: member,
                client_name: client_name.clone(),
                group_name: facts.group_name.clone(),
                starts_at: facts.starts_at.clone(),
                section_label: section_label.clone(),
                snippet,
                status: facts.status,
                opens_session,
            });
        }
    }
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::NotesSearched)
            .detail(format!("results={}", hits.len())),
    )?;
    Ok(hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_become_quoted_prefix_terms_and_lose_operators() {
        assert_eq!(
            fts_query("grief  \"NEAR\" OR x*").as_deref(),
            Some("\"grief\"* AND \"NEAR\"* AND \"OR\"* AND \"x\"*")
        );
        assert_eq!(fts_query("  --  "), None);
    }

    #[test]
    fn mentions_are_written_out_as_names_for_the_index() {
        let roster = vec![redaction::RosterMember {
            client_id: 7,
            legal_first_name: "Zoë".into(),
            legal_last_name: "Martin".into(),
            preferred_name: None,
            middle_name: None,
            name_order: Default::default(),
        }];
        assert_eq!(
            redaction::full_view("Thanks @[client:7] and @[client:9].", &roster),
            "Thanks Zoë Martin and another member."
        );
    }
}
