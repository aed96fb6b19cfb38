//! Staff members, their roles, and what each role may do.
//!
//! Role is authoritative here in `practice.db`, not in the keyring. The
//! permission matrix is DESIGN.md's "Roles" table; every service checks it
//! through [`Actor::require`], and the keyring enforces it again
//! cryptographically (only clinical roles hold the clinical key).

use rusqlite::{params, Connection, OptionalExtension};

use crate::error::{Error, Result};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Owner,
    Clinician,
    Supervisor,
    Manager,
    FrontDesk,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Clinician,
        Role::Supervisor,
        Role::Manager,
        Role::FrontDesk,
    ];

    /// As stored in `staff.role`.
    pub fn as_db(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Clinician => "clinician",
            Role::Supervisor => "supervisor",
            Role::Manager => "manager",
            Role::FrontDesk => "front_desk",
        }
    }

    pub fn from_db(text: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_db() == text)
    }

    /// As typed on the command line: `owner|clinician|supervisor|manager|front-desk`.
    pub fn from_cli(text: &str) -> Option<Role> {
        Role::from_db(&text.replace('-', "_"))
    }

    /// Clinical roles hold the clinical key and may open `clinical.db`.
    pub fn is_clinical(self) -> bool {
        matches!(self, Role::Owner | Role::Clinician | Role::Supervisor)
    }

    pub fn can(self, capability: Capability) -> bool {
        use Capability::*;
        match capability {
            Scheduling => true,
            ReadWriteNotes | Sign => self.is_clinical(),
            CoSign => matches!(self, Role::Owner | Role::Supervisor),
            Administer => matches!(self, Role::Owner | Role::Manager),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Owner => "Owner",
            Role::Clinician => "Clinician",
            Role::Supervisor => "Supervisor",
            Role::Manager => "Practice manager",
            Role::FrontDesk => "Front desk",
        }
    }
}

/// The rows of DESIGN.md's permission table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub enum Capability {
    /// Clients' demographics, groups, schedule, booking, check-in.
    Scheduling,
    /// Read and write notes and goals; note search.
    ReadWriteNotes,
    Sign,
    CoSign,
    /// Staff accounts, practice settings, backups, audit log.
    Administer,
}

/// The person acting: every service call carries one.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Actor {
    pub staff_id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
}

impl Actor {
    pub fn require(&self, capability: Capability) -> Result<()> {
        if self.role.can(capability) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }
}

/// A staff member as the Staff screen lists them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct StaffMember {
    pub id: i64,
    pub username: String,
    pub full_name: String,
    pub role: Role,
    pub active: bool,
    /// Whose co-signature this person's notes wait for.
    pub supervisor_id: Option<i64>,
}

/// Active staff, for pickers (facilitators, clinicians): open to every role.
pub fn directory(session: &crate::vault::Session) -> Result<Vec<StaffMember>> {
    session.require(Capability::Scheduling)?;
    Ok(all(session.conn())?
        .into_iter()
        .filter(|m| m.active)
        .collect())
}

pub const MAX_NAME_CHARS: usize = 120;

/// Checks a full name; returns it trimmed.
pub fn validate_full_name(field: &str, name: &str) -> Result<String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(field, "Enter the person's full name."));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(Error::invalid(
            field,
            format!("Keep the name under {MAX_NAME_CHARS} characters."),
        ));
    }
    Ok(trimmed.to_owned())
}

/// Usernames: 2–32 of lowercase letters, digits, dot, dash, underscore.
pub fn validate_username(field: &str, username: &str) -> Result<String> {
    let u = username.trim().to_lowercase();
    let ok_chars = u
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_'));
    if u.len() < 2 || u.len() > 32 || !ok_chars {
        return Err(Error::invalid(
            field,
            "Use 2 to 32 letters, digits, dots, dashes or underscores, with no spaces.",
        ));
    }
    Ok(u)
}

pub(crate) fn insert(
    conn: &Connection,
    username: &str,
    full_name: &str,
    role: Role,
) -> Result<i64> {
    let exists: Option<i64> = conn
        .query_row(
            "SELECT id FROM staff WHERE username = ?1",
            [username],
            |r| r.get(0),
        )
        .optional()?;
    if exists.is_some() {
        return Err(Error::invalid(
            "username",
            "That username is taken. Choose another.",
        ));
    }
    conn.execute(
        "INSERT INTO staff (username, full_name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
        params![username, full_name, role.as_db(), now_rfc3339()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn by_username(conn: &Connection, username: &str) -> Result<Option<StaffMember>> {
    Ok(conn
        .query_row(
            "SELECT id, username, full_name, role, active, supervisor_id FROM staff WHERE username = ?1",
            [username],
            row_to_member,
        )
        .optional()?)
}

pub(crate) fn by_id(conn: &Connection, id: i64) -> Result<StaffMember> {
    conn.query_row(
        "SELECT id, username, full_name, role, active, supervisor_id FROM staff WHERE id = ?1",
        [id],
        row_to_member,
    )
    .optional()?
    .ok_or(Error::NotFound {
        what: "That staff member",
    })
}

pub(crate) fn all(conn: &Connection) -> Result<Vec<StaffMember>> {
    let mut stmt = conn.prepare(
        "SELECT id, username, full_name, role, active, supervisor_id FROM staff
         ORDER BY active DESC, full_name COLLATE NOCASE",
    )?;
    let rows = stmt
        .query_map([], row_to_member)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub(crate) fn set_role(conn: &Connection, id: i64, role: Role) -> Result<()> {
    conn.execute(
        "UPDATE staff SET role = ?1 WHERE id = ?2",
        params![role.as_db(), id],
    )?;
    Ok(())
}

pub(crate) fn deactivate(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE staff SET active = 0, deactivated_at = ?1 WHERE id = ?2",
        params![now_rfc3339(), id],
    )?;
    Ok(())
}

/// Sets (or clears) whose co-signature a staff member's notes wait for:
/// an active supervisor or owner other than themselves. Owner and manager.
pub fn set_supervisor(
    session: &crate::vault::Session,
    staff_id: i64,
    supervisor_id: Option<i64>,
) -> Result<StaffMember> {
    session.require(Capability::Administer)?;
    let conn = session.conn();
    let member = by_id(conn, staff_id)?;
    if let Some(sup) = supervisor_id {
        if sup == staff_id {
            return Err(Error::invalid(
                "supervisorId",
                "Nobody can supervise themselves. Choose someone else.",
            ));
        }
        let supervisor = by_id(conn, sup)?;
        if !supervisor.active || !matches!(supervisor.role, Role::Supervisor | Role::Owner) {
            return Err(Error::invalid(
                "supervisorId",
                "Choose an active supervisor or owner.",
            ));
        }
        if !member.role.is_clinical() {
            return Err(Error::invalid(
                "supervisorId",
                "Only clinical staff write notes that need co-signing.",
            ));
        }
    }
    let tx = conn.unchecked_transaction()?;
    tx.execute(
        "UPDATE staff SET supervisor_id = ?1 WHERE id = ?2",
        params![supervisor_id, staff_id],
    )?;
    session.audit(
        crate::audit::Event::new(
            Some(session.actor().staff_id),
            crate::audit::Action::StaffSupervisorChanged,
        )
        .on("staff", staff_id)
        .detail(match supervisor_id {
            Some(id) => format!("supervisor={id}"),
            None => "supervisor=none".into(),
        }),
    )?;
    tx.commit()?;
    by_id(conn, staff_id)
}

/// Active people who administer the vault (owner or manager).
pub(crate) fn active_administrators(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM staff WHERE active = 1 AND role IN ('owner', 'manager')",
        [],
        |r| r.get(0),
    )?)
}

fn row_to_member(r: &rusqlite::Row<'_>) -> rusqlite::Result<StaffMember> {
    let role_text: String = r.get(3)?;
    Ok(StaffMember {
        id: r.get(0)?,
        username: r.get(1)?,
        full_name: r.get(2)?,
        // The CHECK constraint admits only known roles; an unknown one would
        // mean a hand-edited file, treated as the least-privileged role.
        role: Role::from_db(&role_text).unwrap_or(Role::FrontDesk),
        active: r.get::<_, i64>(4)? == 1,
        supervisor_id: r.get(5)?,
    })
}

pub(crate) fn now_rfc3339() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_permission_matrix_matches_the_design() {
        use Capability::*;
        let table = [
            (Role::Owner, [true, true, true, true, true]),
            (Role::Clinician, [true, true, true, false, false]),
            (Role::Supervisor, [true, true, true, true, false]),
            (Role::Manager, [true, false, false, false, true]),
            (Role::FrontDesk, [true, false, false, false, false]),
        ];
        for (role, expected) in table {
            let got = [Scheduling, ReadWriteNotes, Sign, CoSign, Administer].map(|c| role.can(c));
            assert_eq!(got, expected, "{role:?}");
        }
    }

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(
            validate_username("u", " Front.Desk ").unwrap(),
            "front.desk"
        );
        assert!(validate_username("u", "a b").is_err());
        assert!(validate_username("u", "x").is_err());
    }

    #[test]
    fn cli_role_names_parse() {
        assert_eq!(Role::from_cli("front-desk"), Some(Role::FrontDesk));
        assert_eq!(Role::from_cli("manager"), Some(Role::Manager));
        assert_eq!(Role::from_cli("admin"), None);
    }
}
