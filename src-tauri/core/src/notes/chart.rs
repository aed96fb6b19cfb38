//! What a member's record shows of a session: the one place that renders a
//! group note for a member. The chart, goal comments, search results and
//! (later) the PDF all go through [`MemberRecord`], which applies
//! [`redaction::member_view`](super::redaction::member_view) to every piece
//! of text — the shared part, the member's own sections (a therapist may
//! name a fellow member there too), risk text, goal comments and addenda.

use rusqlite::Connection;

use super::model::addendum;
use super::model::goal::goal_by_id;
use super::model::member_record::MemberRecord;
use super::model::note::{
    load_content, note_by_id, staff_ref, NoteStatus, RiskLevel, StaffRef, SHARED,
};
use super::model::signature::signatures;
use super::{access, templates};
use crate::audit::{Action, Event};
use crate::error::Result;
use crate::groups::GroupFormat;
use crate::signed_in::SignedIn;

#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChartSection {
    pub key: String,
    pub label: String,
    pub body: String,
}

#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChartGoalRating {
    pub goal_id: i64,
    pub goal_text: String,
    pub rating: Option<u8>,
    pub comment: String,
}

#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChartAddendum {
    /// True when it adds to the shared part, false for the member's section.
    pub shared: bool,
    pub body: String,
    pub author: StaffRef,
    pub signed_at: String,
}

/// One session as this member's record shows it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChartNote {
    pub session_id: i64,
    pub group_name: String,
    /// A group session's note, or an individual or family/couple one's.
    pub format: GroupFormat,
    /// RFC 3339 UTC.
    pub starts_at: String,
    pub status: NoteStatus,
    pub template_name: String,
    pub shared: Vec<ChartSection>,
    pub own: Vec<ChartSection>,
    pub goal_ratings: Vec<ChartGoalRating>,
    pub risk_level: Option<RiskLevel>,
    pub risk_text: String,
    pub addenda: Vec<ChartAddendum>,
    pub signed_by: Option<StaffRef>,
    pub signed_at: Option<String>,
    pub cosigned_by: Option<StaffRef>,
}

impl std::fmt::Debug for ChartNote {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ChartNote(session {})", self.session_id)
    }
}

/// The member view of one note for one client: shared part redacted, then
/// the member's own section (also redacted of every other member).
pub(crate) fn member_note(conn: &Connection, note_id: i64, client_id: i64) -> Result<ChartNote> {
    let note = note_by_id(conn, note_id)?;
    let content = load_content(conn, note_id)?;
    let record = MemberRecord::for_note(conn, &note, &content, client_id)?;
    let template = templates::template(conn, note.template)?;
    let heading = crate::schedule::sessions::heading(conn, note.session_id)?;
    let sigs = signatures(conn, note_id)?;
    let own = content.members.get(&client_id).cloned().unwrap_or_default();
    let section = |key: &String, body: &String| ChartSection {
        key: key.clone(),
        label: template.label_of(key),
        body: record.redact(body),
    };
    let shared = template
        .shared()
        .filter_map(|s| {
            content.shared.get(&s.key).map(|b| ChartSection {
                key: s.key.clone(),
                label: template.label_of(&s.key),
                body: record.redact_shared(&s.key, b),
            })
        })
        .filter(|s| !s.body.trim().is_empty())
        .collect();
    let own_sections = template
        .member()
        .filter_map(|s| own.sections.get(&s.key).map(|b| section(&s.key, b)))
        .collect();
    let mut goal_ratings = Vec::new();
    for (goal_id, (rating, comment)) in &own.goals {
        goal_ratings.push(ChartGoalRating {
            goal_id: *goal_id,
            goal_text: goal_by_id(conn, *goal_id)?.text,
            rating: *rating,
            comment: record.redact(comment),
        });
    }
    let addenda = addendum::addenda(conn, note_id)?
        .into_iter()
        .filter(|a| a.client_id.is_none() || a.client_id == Some(client_id))
        .map(|a| ChartAddendum {
            shared: a.client_id.is_none(),
            body: record.redact(&a.body),
            author: a.author,
            signed_at: a.signed_at,
        })
        .collect();
    Ok(ChartNote {
        session_id: note.session_id,
        group_name: heading.group_name,
        format: heading.format,
        starts_at: heading.starts_at,
        status: sigs.status(),
        template_name: template.name.clone(),
        shared,
        own: own_sections,
        goal_ratings,
        risk_level: own.risk_level,
        risk_text: record.redact(&own.risk_text),
        addenda,
        signed_by: sigs
            .sign
            .as_ref()
            .map(|s| staff_ref(conn, s.staff_id))
            .transpose()?,
        signed_at: sigs.sign.as_ref().map(|s| s.signed_at.clone()),
        cosigned_by: sigs
            .cosign
            .as_ref()
            .map(|s| staff_ref(conn, s.staff_id))
            .transpose()?,
    })
}

/// How many notes the chart shows at a time, newest first; older ones come
/// a page at a time on request. Ten years in a rolling group is hundreds of
/// notes, and the newest are the ones read.
pub const CHART_PAGE_SIZE: usize = 20;

/// A page of a client's chart, newest first.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ChartPage {
    pub notes: Vec<ChartNote>,
    /// Older notes remain: ask again with the last note's session id.
    pub more: bool,
}

impl std::fmt::Debug for ChartPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ChartPage({} notes, more: {})",
            self.notes.len(),
            self.more
        )
    }
}

/// A client's notes, newest first: every signed (or pending co-signature)
/// session note with a section for them, as their record shows it.
/// Drafts are not part of the record yet. Audited as a read. The whole
/// record, for exports; the chart screen reads [`client_notes_page`].
pub fn client_notes(signed_in: &SignedIn, client_id: i64) -> Result<Vec<ChartNote>> {
    access::require_client(signed_in, client_id)?;
    let notes = chart_notes(signed_in.conn(), client_id, ChartFilter::All, None, None)?;
    audit_chart_read(signed_in, client_id, notes.len())?;
    Ok(notes)
}

/// `page_size` (1 to 100; the screen asks for [`CHART_PAGE_SIZE`]) of a
/// client's notes, newest first: the newest, or those older than the
/// session `older_than` (the last note of the page before). Each page is
/// audited as a read of the chart.
pub fn client_notes_page(
    signed_in: &SignedIn,
    client_id: i64,
    filter: ChartFilter,
    older_than: Option<i64>,
    page_size: usize,
) -> Result<ChartPage> {
    access::require_client(signed_in, client_id)?;
    let page_size = page_size.clamp(1, 100);
    let mut notes = chart_notes(
        signed_in.conn(),
        client_id,
        filter,
        older_than,
        Some(page_size + 1),
    )?;
    let more = notes.len() > page_size;
    notes.truncate(page_size);
    audit_chart_read(signed_in, client_id, notes.len())?;
    Ok(ChartPage { notes, more })
}

/// Which sessions' notes the chart shows: one timeline of every kind, or
/// only group sessions, or only individual and family/couple ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum ChartFilter {
    All,
    Group,
    Individual,
}

impl ChartFilter {
    /// The `groups.format = 'group'` value kept, or NULL for both.
    fn group_format_wanted(self) -> Option<bool> {
        match self {
            ChartFilter::All => None,
            ChartFilter::Group => Some(true),
            ChartFilter::Individual => Some(false),
        }
    }
}

fn chart_notes(
    conn: &Connection,
    client_id: i64,
    filter: ChartFilter,
    older_than: Option<i64>,
    limit: Option<usize>,
) -> Result<Vec<ChartNote>> {
    // Newest first by start, then by session id, so a page boundary between
    // two sessions starting together loses neither.
    let note_ids: Vec<i64> = conn
        .prepare(
            "SELECT n.id FROM member_notes m
             JOIN session_notes n ON n.id = m.note_id
             JOIN sessions s ON s.id = n.session_id
             JOIN groups gr ON gr.id = s.group_id
             WHERE m.client_id = ?1 AND m.client_id <> ?2
               AND EXISTS (SELECT 1 FROM note_signatures g WHERE g.note_id = n.id AND g.kind = 'sign')
               AND (?3 IS NULL OR (s.starts_at, s.id) < (SELECT o.starts_at, o.id FROM sessions o WHERE o.id = ?3))
               AND (?5 IS NULL OR (gr.format = 'group') = ?5)
             ORDER BY s.starts_at DESC, s.id DESC
             LIMIT ?4",
        )?
        .query_map(
            rusqlite::params![
                client_id,
                SHARED,
                older_than,
                limit.map_or(-1, |l| l as i64),
                filter.group_format_wanted()
            ],
            |r| r.get(0),
        )?
        .collect::<rusqlite::Result<_>>()?;
    note_ids
        .into_iter()
        .map(|id| member_note(conn, id, client_id))
        .collect()
}

fn audit_chart_read(signed_in: &SignedIn, client_id: i64, notes: usize) -> Result<()> {
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::ChartViewed)
            .on("client", client_id)
            .detail(format!("notes={notes}")),
    )
}
