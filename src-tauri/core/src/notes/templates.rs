//! Note templates (GIRP, SOAP, DAP, BIRP) are data in clinical.db: a list of
//! sections, each shared (written once for the group) or per member.

use rusqlite::Connection;

use super::access;
use crate::error::{Error, Result};
use crate::groups::{GroupFormat, NoteTemplate};
use crate::signed_in::SignedIn;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum SectionScope {
    /// Written once for the whole group (topic, interventions, process).
    Shared,
    /// Written for each attending member.
    Member,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct TemplateSection {
    pub key: String,
    pub label: String,
    /// One line telling the writer what belongs here.
    pub guidance: String,
    pub scope: SectionScope,
    /// Must have text before the note can be signed.
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Template {
    pub code: NoteTemplate,
    pub name: String,
    pub sections: Vec<TemplateSection>,
}

impl Template {
    pub fn shared(&self) -> impl Iterator<Item = &TemplateSection> {
        self.sections
            .iter()
            .filter(|s| s.scope == SectionScope::Shared)
    }
    pub fn member(&self) -> impl Iterator<Item = &TemplateSection> {
        self.sections
            .iter()
            .filter(|s| s.scope == SectionScope::Member)
    }
    /// The template as an individual or family/couple session's note
    /// uses it: no "Group process" (optional, and there is no group), and
    /// the interventions asked about the session rather than the group.
    pub(crate) fn for_format(mut self, format: GroupFormat) -> Template {
        if format != GroupFormat::Group {
            self.sections
                .retain(|s| s.required || s.scope != SectionScope::Shared || s.key != "process");
            for section in &mut self.sections {
                if section.key == "interventions" {
                    section.guidance = "What you did in the session.".into();
                }
            }
        }
        self
    }

    pub fn label_of(&self, key: &str) -> String {
        self.sections
            .iter()
            .find(|s| s.key == key)
            .map_or_else(|| key.to_owned(), |s| s.label.clone())
    }
}

/// Every template, for the group form's choice and the editor.
pub fn templates(signed_in: &SignedIn) -> Result<Vec<Template>> {
    access::require_notes(signed_in)?;
    let codes: Vec<NoteTemplate> = signed_in
        .conn()
        .prepare("SELECT code FROM note_templates ORDER BY position")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    codes
        .iter()
        .map(|c| template(signed_in.conn(), *c))
        .collect()
}

pub(crate) fn template(conn: &Connection, code: NoteTemplate) -> Result<Template> {
    let name: String = conn
        .query_row(
            "SELECT name FROM note_templates WHERE code = ?1",
            [code.as_db()],
            |r| r.get(0),
        )
        .map_err(|_| Error::NotFound {
            what: "That note template",
        })?;
    let sections = conn
        .prepare(
            "SELECT key, label, guidance, scope, required FROM note_template_sections
             WHERE template_code = ?1 ORDER BY position",
        )?
        .query_map([code.as_db()], |r| {
            Ok(TemplateSection {
                key: r.get(0)?,
                label: r.get(1)?,
                guidance: r.get(2)?,
                scope: if r.get::<_, String>(3)? == "shared" {
                    SectionScope::Shared
                } else {
                    SectionScope::Member
                },
                required: r.get::<_, i64>(4)? == 1,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Template {
        code,
        name,
        sections,
    })
}
