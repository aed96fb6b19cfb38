//! The note of one group session: a shared part written once and a section
//! per attending member (template sections, goal ratings, risk). Drafts are
//! saved whole on every autosave; signing lives in [`super::signing`].

use std::collections::{BTreeMap, BTreeSet, HashSet};

use rusqlite::{params, Connection};

use super::model::addendum::addenda;
use super::model::goal::{active_goals, goal_by_id, Goal};
use super::model::index::index_note;
use super::model::note::{
    booked_members, load_content, note_of_session, staff_ref, write_content, BookedMember,
    MemberContent, NoteContent, NoteRow,
};
use super::model::signature::{self, Signatures};
use super::name_release::{self, NameMatch, NameRelease};
use super::templates::{self, Template};
use super::{access, redaction};
use crate::audit::{Action, Event};
use crate::error::{Error, Result};
use crate::groups;
use crate::roles::Role;
use crate::schedule::attendance::AttendanceStatus;
use crate::schedule::sessions::{self, GroupSession, SessionStatus};
use crate::signed_in::SignedIn;
use crate::vault::crypto;

pub use super::model::addendum::Addendum;
pub use super::model::note::{NoteStatus, RiskLevel, StaffRef, MAX_SECTION_CHARS};
pub use super::model::signature::SignatureView;

/// One section's text. PHI: `Debug` shows the key only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SectionText {
    pub key: String,
    pub body: String,
}

impl std::fmt::Debug for SectionText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SectionText({})", self.key)
    }
}

#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct GoalRatingInput {
    pub goal_id: i64,
    /// 1 (no progress) to 5 (goal met); none when not rated this session.
    pub rating: Option<u8>,
    pub comment: String,
}

/// A member's section of the note, as the editor sends and receives it.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct MemberNoteInput {
    pub client_id: i64,
    pub sections: Vec<SectionText>,
    pub goal_ratings: Vec<GoalRatingInput>,
    pub risk_level: Option<RiskLevel>,
    pub risk_text: String,
}

impl std::fmt::Debug for MemberNoteInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MemberNoteInput(client {})", self.client_id)
    }
}

/// The whole draft, as autosave sends it.
#[derive(Debug, Clone, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteDraftInput {
    pub session_id: i64,
    /// The revision the editor last loaded or saved (0 for a new note).
    pub revision: i64,
    pub shared: Vec<SectionText>,
    pub members: Vec<MemberNoteInput>,
    /// Occurrences in shared sections the author marked "not a name".
    /// Those no longer in the text are dropped when the draft is saved.
    #[serde(default)]
    pub released: Vec<SectionRelease>,
}

/// An occurrence in one shared section marked "not a name".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SectionRelease {
    pub section_key: String,
    pub release: NameRelease,
}

/// A shared section names members in free text: those names are redacted
/// from the other members' records (the editor shows a warning listing
/// each occurrence in context, each of which the author may mark "not a
/// name").
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NameWarning {
    pub section_key: String,
    /// Members named by an occurrence not marked "not a name", in roster order.
    pub client_ids: Vec<i64>,
    /// Every occurrence, released or not, in the order written.
    pub matches: Vec<NameMatch>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteSaved {
    pub revision: i64,
    /// RFC 3339 UTC.
    pub saved_at: String,
    pub name_warnings: Vec<NameWarning>,
}

/// A member booked into the session, as the editor lists them.
#[derive(Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct NoteMember {
    pub client_id: i64,
    pub display_name: String,
    pub legal_first_name: String,
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    /// None while attendance is not recorded.
    pub attendance: Option<AttendanceStatus>,
    /// Goals the member section can rate (active ones, and any rated here).
    pub goals: Vec<Goal>,
    /// The member's section, when written.
    pub note: Option<MemberNoteInput>,
}

impl std::fmt::Debug for NoteMember {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NoteMember(client {})", self.client_id)
    }
}

/// Everything the session note screen shows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct SessionNote {
    pub session: GroupSession,
    pub template: Template,
    pub status: NoteStatus,
    /// 0 until the first save.
    pub revision: i64,
    pub author: Option<StaffRef>,
    pub shared: Vec<SectionText>,
    pub members: Vec<NoteMember>,
    pub signature: Option<SignatureView>,
    pub cosignature: Option<SignatureView>,
    /// Who must co-sign while the note is pending.
    pub awaiting_cosigner: Option<StaffRef>,
    pub addenda: Vec<Addendum>,
    pub name_warnings: Vec<NameWarning>,
    pub can_edit: bool,
    pub can_sign: bool,
    pub can_cosign: bool,
}

/// The template a session's note uses: the note's own once started,
/// otherwise the group's default; worded for one-to-one work when the
/// session is an individual or family/couple one.
fn template_for(conn: &Connection, group_id: i64, note: Option<&NoteRow>) -> Result<Template> {
    let group = groups::group(conn, group_id)?;
    let code = match note {
        Some(n) => n.template,
        None => group.note_template,
    };
    Ok(templates::template(conn, code)?.for_format(group.format))
}

/// Opens the session's note for the editor (audited as a read).
pub fn session_note(signed_in: &SignedIn, session_id: i64) -> Result<SessionNote> {
    let view = unaudited_view(signed_in, session_id)?;
    audit_view(signed_in, session_id)?;
    Ok(view)
}

/// [`session_note`] before its audit row: for a caller that may still
/// refuse (a packet of an unsigned note), since a refusal leaves no trace.
/// Audit with [`audit_view`] once the note is used.
pub(crate) fn unaudited_view(signed_in: &SignedIn, session_id: i64) -> Result<SessionNote> {
    let group_session = sessions::group_session(signed_in.conn(), session_id)?;
    access::require_group_notes(signed_in, group_session.group_id)?;
    build_view(signed_in, group_session)
}

pub(crate) fn audit_view(signed_in: &SignedIn, session_id: i64) -> Result<()> {
    signed_in.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::NoteViewed).on("session", session_id),
    )
}

pub(crate) fn build_view(signed_in: &SignedIn, group_session: GroupSession) -> Result<SessionNote> {
    let conn = signed_in.conn();
    let note = note_of_session(conn, group_session.id)?;
    let template = template_for(conn, group_session.group_id, note.as_ref())?;
    let content = match &note {
        Some(n) => load_content(conn, n.id)?,
        None => NoteContent::default(),
    };
    let signatures = match &note {
        Some(n) => signature::signatures(conn, n.id)?,
        None => Signatures::default(),
    };
    let status = match (&note, &signatures) {
        (None, _) => NoteStatus::NotStarted,
        (Some(_), s) => s.status(),
    };
    let booked = booked_members(conn, group_session.id)?;
    let roster: Vec<redaction::RosterMember> = booked.iter().map(|b| b.roster.clone()).collect();

    let mut members = Vec::with_capacity(booked.len());
    for b in &booked {
        let id = b.roster.client_id;
        let stored = content.members.get(&id);
        let mut member_goals = active_goals(conn, id)?;
        if let Some(m) = stored {
            for goal_id in m.goals.keys() {
                if !member_goals.iter().any(|g| g.id == *goal_id) {
                    member_goals.push(goal_by_id(conn, *goal_id)?);
                }
            }
        }
        members.push(NoteMember {
            client_id: id,
            display_name: b.roster.display_name(),
            legal_first_name: b.roster.legal_first_name.clone(),
            legal_last_name: b.roster.legal_last_name.clone(),
            preferred_name: b.roster.preferred_name.clone(),
            attendance: b.attendance,
            goals: member_goals,
            note: stored.map(|m| member_input(id, &template, m)),
        });
    }

    let shared: Vec<SectionText> = template
        .shared()
        .map(|s| SectionText {
            key: s.key.clone(),
            body: content.shared.get(&s.key).cloned().unwrap_or_default(),
        })
        .collect();
    let name_warnings = name_warnings(&shared, &roster, &content.released);

    let actor = signed_in.actor();
    let signed = signatures.sign.is_some();
    let cancelled = group_session.status == SessionStatus::Cancelled;
    let can_edit = !signed && !cancelled && actor.role.can(crate::roles::Capability::Sign);
    let can_cosign = status == NoteStatus::PendingCosign
        && signatures
            .sign
            .as_ref()
            .is_some_and(|s| s.staff_id != actor.staff_id)
        && (signatures.cosigner_id == Some(actor.staff_id) || actor.role == Role::Owner);
    let awaiting_cosigner = match (status, signatures.cosigner_id) {
        (NoteStatus::PendingCosign, Some(id)) => Some(staff_ref(conn, id)?),
        _ => None,
    };
    Ok(SessionNote {
        template,
        status,
        revision: note.as_ref().map_or(0, |n| n.revision),
        author: note
            .as_ref()
            .map(|n| staff_ref(conn, n.author_id))
            .transpose()?,
        shared,
        members,
        signature: signatures.sign_view(conn)?,
        cosignature: signatures.cosign_view(conn)?,
        awaiting_cosigner,
        addenda: match &note {
            Some(n) => addenda(conn, n.id)?,
            None => Vec::new(),
        },
        name_warnings,
        can_edit,
        can_sign: can_edit && note.is_some(),
        can_cosign,
        session: group_session,
    })
}

fn member_input(client_id: i64, template: &Template, m: &MemberContent) -> MemberNoteInput {
    MemberNoteInput {
        client_id,
        sections: template
            .member()
            .map(|s| SectionText {
                key: s.key.clone(),
                body: m.sections.get(&s.key).cloned().unwrap_or_default(),
            })
            .collect(),
        goal_ratings: m
            .goals
            .iter()
            .map(|(goal_id, (rating, comment))| GoalRatingInput {
                goal_id: *goal_id,
                rating: *rating,
                comment: comment.clone(),
            })
            .collect(),
        risk_level: m.risk_level,
        risk_text: m.risk_text.clone(),
    }
}

fn name_warnings(
    shared: &[SectionText],
    roster: &[redaction::RosterMember],
    released: &BTreeMap<String, BTreeSet<NameRelease>>,
) -> Vec<NameWarning> {
    let none = BTreeSet::new();
    shared
        .iter()
        .filter_map(|s| {
            let matches =
                name_release::name_matches(&s.body, roster, released.get(&s.key).unwrap_or(&none));
            let named: HashSet<i64> = matches
                .iter()
                .filter(|m| !m.released)
                .flat_map(|m| m.client_ids.iter().copied())
                .collect();
            let client_ids = name_release::in_roster_order(roster, |id| named.contains(&id));
            (!matches.is_empty()).then(|| NameWarning {
                section_key: s.key.clone(),
                client_ids,
                matches,
            })
        })
        .collect()
}

fn check_length(field: &str, body: &str) -> Result<()> {
    if body.chars().count() > MAX_SECTION_CHARS {
        return Err(Error::invalid(
            field,
            format!(
                "Keep this under {MAX_SECTION_CHARS} characters; add the rest as a second note."
            ),
        ));
    }
    Ok(())
}

/// Refuses a note for a cancelled session.
pub(crate) fn require_not_cancelled(group_session: &GroupSession) -> Result<()> {
    if group_session.status == SessionStatus::Cancelled {
        return Err(Error::Conflict {
            message: "This session was cancelled; a cancelled session takes no note.".into(),
        });
    }
    Ok(())
}

/// Checks that a member may have a clinical section: booked and attending.
pub(crate) fn require_attending(booked: &[BookedMember], client_id: i64) -> Result<()> {
    let field = format!("members.{client_id}");
    let member = booked
        .iter()
        .find(|b| b.roster.client_id == client_id)
        .ok_or_else(|| Error::invalid(&field, "This client is not booked into this session."))?;
    match member.attendance {
        Some(status) if status.attended() => Ok(()),
        Some(_) => Err(Error::invalid(
            &field,
            "This member was absent. Absent members get no clinical note; their attendance stands.",
        )),
        None => Err(Error::invalid(
            &field,
            "Record this member's attendance before writing their section.",
        )),
    }
}

/// Saves the whole draft (autosave). Refused once the note is signed, for a
/// cancelled session, for absent members, and when a colleague saved a newer
/// revision in the meantime. Nothing is written unless all of it is valid.
pub fn save_draft(signed_in: &SignedIn, input: NoteDraftInput) -> Result<NoteSaved> {
    let conn = signed_in.conn();
    let group_session = sessions::group_session(conn, input.session_id)?;
    access::require_group_notes(signed_in, group_session.group_id)?;
    signed_in.require(crate::roles::Capability::Sign)?;
    require_not_cancelled(&group_session)?;
    let existing = note_of_session(conn, input.session_id)?;
    if let Some(note) = &existing {
        if signature::signatures(conn, note.id)?.sign.is_some() {
            return Err(Error::Conflict {
                message: "This note is signed and cannot change. Add an addendum instead.".into(),
            });
        }
        if note.revision != input.revision {
            return Err(Error::Conflict {
                message: "A colleague saved this note after you opened it. Copy your text, reload the note, and add it again.".into(),
            });
        }
    } else if input.revision != 0 {
        return Err(Error::Conflict {
            message: "This note was removed after you opened it. Reload the session.".into(),
        });
    }
    let template = template_for(conn, group_session.group_id, existing.as_ref())?;
    let booked = booked_members(conn, input.session_id)?;
    let content = validate_draft(conn, &template, &booked, &input)?;

    let tx = signed_in.clinical_write()?;
    let now = crate::clock::now_text();
    let (note_id, revision) = match &existing {
        Some(note) => {
            tx.execute(
                "UPDATE session_notes SET revision = revision + 1, updated_at = ?1 WHERE id = ?2",
                params![now, note.id],
            )?;
            (note.id, note.revision + 1)
        }
        None => {
            let mut label_key = zeroize::Zeroizing::new([0u8; 32]);
            crypto::fill_random(label_key.as_mut())
                .map_err(|_| Error::Io(std::io::Error::other("the OS random source failed")))?;
            tx.execute(
                "INSERT INTO session_notes (session_id, group_id, template_code, author_id, label_key, revision, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, ?6)",
                params![
                    input.session_id,
                    group_session.group_id,
                    template.code.as_db(),
                    signed_in.actor().staff_id,
                    &label_key[..],
                    now
                ],
            )?;
            (tx.last_insert_rowid(), 1)
        }
    };
    write_content(&tx, note_id, &content)?;
    // Listed as a draft until it is signed (see `todo::notes_to_do`).
    tx.execute(
        "INSERT OR IGNORE INTO note_drafts (note_id) VALUES (?1)",
        [note_id],
    )?;
    let roster: Vec<redaction::RosterMember> = booked.iter().map(|b| b.roster.clone()).collect();
    index_note(&tx, note_id, &content, &roster)?;
    tx.audit(
        Event::new(Some(signed_in.actor().staff_id), Action::NoteDraftSaved)
            .on("session", input.session_id)
            .detail(format!("revision={revision}")),
    )?;
    tx.commit()?;
    Ok(NoteSaved {
        revision,
        saved_at: now,
        name_warnings: name_warnings(&input.shared, &roster, &content.released),
    })
}

fn validate_draft(
    conn: &Connection,
    template: &Template,
    booked: &[BookedMember],
    input: &NoteDraftInput,
) -> Result<NoteContent> {
    use crate::limits::{at_most, GOAL_RATINGS, NOTE_MEMBERS, NOTE_SECTIONS};
    at_most("shared", &input.shared, NOTE_SECTIONS, "sections")?;
    at_most("members", &input.members, NOTE_MEMBERS, "members")?;
    for member in &input.members {
        let field = format!("members.{}", member.client_id);
        at_most(
            &format!("{field}.sections"),
            &member.sections,
            NOTE_SECTIONS,
            "sections",
        )?;
        at_most(
            &format!("{field}.goals"),
            &member.goal_ratings,
            GOAL_RATINGS,
            "goal ratings",
        )?;
    }
    let mut content = NoteContent::default();
    let shared_keys: HashSet<&str> = template.shared().map(|s| s.key.as_str()).collect();
    for section in &input.shared {
        let field = format!("shared.{}", section.key);
        if !shared_keys.contains(section.key.as_str()) {
            return Err(Error::invalid(
                &field,
                "This section is not part of the note's template.",
            ));
        }
        check_length(&field, &section.body)?;
        content
            .shared
            .insert(section.key.clone(), section.body.clone());
    }
    at_most(
        "released",
        &input.released,
        name_release::MAX_RELEASES_PER_SECTION * NOTE_SECTIONS,
        "names marked \"not a name\"",
    )?;
    let roster: Vec<redaction::RosterMember> = booked.iter().map(|b| b.roster.clone()).collect();
    let mut asked: BTreeMap<String, BTreeSet<NameRelease>> = BTreeMap::new();
    for r in &input.released {
        if !shared_keys.contains(r.section_key.as_str()) {
            return Err(Error::invalid(
                &format!("shared.{}", r.section_key),
                "Only a shared section's words can be marked \"not a name\".",
            ));
        }
        asked
            .entry(r.section_key.clone())
            .or_default()
            .insert(r.release.clone());
    }
    for (key, releases) in asked {
        let body = content.shared.get(&key).map_or("", String::as_str);
        let kept = name_release::still_present(body, &roster, &releases);
        if !kept.is_empty() {
            content.released.insert(key, kept);
        }
    }
    let member_keys: HashSet<&str> = template.member().map(|s| s.key.as_str()).collect();
    for member in &input.members {
        let id = member.client_id;
        let field = format!("members.{id}");
        if content.members.contains_key(&id) {
            return Err(Error::invalid(
                &field,
                "This member appears twice in the note.",
            ));
        }
        require_attending(booked, id)?;
        let mut stored = MemberContent {
            risk_level: member.risk_level,
            risk_text: member.risk_text.clone(),
            ..MemberContent::default()
        };
        check_length(&format!("{field}.risk"), &member.risk_text)?;
        for section in &member.sections {
            let field = format!("{field}.{}", section.key);
            if !member_keys.contains(section.key.as_str()) {
                return Err(Error::invalid(
                    &field,
                    "This section is not part of the note's template.",
                ));
            }
            check_length(&field, &section.body)?;
            stored
                .sections
                .insert(section.key.clone(), section.body.clone());
        }
        for rating in &member.goal_ratings {
            let field = format!("{field}.goals.{}", rating.goal_id);
            let goal = goal_by_id(conn, rating.goal_id)
                .map_err(|_| Error::invalid(&field, "That goal does not exist."))?;
            if goal.client_id != id {
                return Err(Error::invalid(
                    &field,
                    "That goal belongs to another client.",
                ));
            }
            if let Some(value) = rating.rating {
                if !(1..=5).contains(&value) {
                    return Err(Error::invalid(&field, "Rate progress from 1 to 5."));
                }
            }
            check_length(&field, &rating.comment)?;
            if stored
                .goals
                .insert(rating.goal_id, (rating.rating, rating.comment.clone()))
                .is_some()
            {
                return Err(Error::invalid(&field, "This goal is rated twice."));
            }
        }
        content.members.insert(id, stored);
    }
    Ok(content)
}
