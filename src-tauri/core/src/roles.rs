//! Roles and what each may do: DESIGN.md's permission table, and the person
//! acting. Both the staff records and the signed-in state use these; neither
//! owns them.

use crate::error::{Error, Result};
use crate::stored_text::stored_as_text;

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

stored_as_text!(Role {
    Owner = "owner",
    Clinician = "clinician",
    Supervisor = "supervisor",
    Manager = "manager",
    FrontDesk = "front_desk",
});

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Owner,
        Role::Clinician,
        Role::Supervisor,
        Role::Manager,
        Role::FrontDesk,
    ];

    /// As typed on the command line: `owner|clinician|supervisor|manager|front-desk`.
    pub fn from_cli(text: &str) -> Option<Role> {
        Role::from_db(&text.replace('-', "_"))
    }

    /// Clinical roles hold the clinical key and may open `clinical.db`.
    pub fn is_clinical(self) -> bool {
        matches!(self, Role::Owner | Role::Clinician | Role::Supervisor)
    }

    /// Roles whose holders may co-sign a supervisee's notes (and so be
    /// chosen as someone's supervisor).
    pub fn may_supervise(self) -> bool {
        self.can(Capability::CoSign)
    }

    /// What the screens need to know about this role, said once here.
    pub fn facts(self) -> RoleFacts {
        RoleFacts {
            role: self,
            label: self.label().to_owned(),
            clinical: self.is_clinical(),
            may_supervise: self.may_supervise(),
        }
    }

    pub fn can(self, capability: Capability) -> bool {
        use Capability::*;
        match capability {
            Scheduling => true,
            ReadWriteNotes | Sign => self.is_clinical(),
            CoSign => matches!(self, Role::Owner | Role::Supervisor),
            Administer => matches!(self, Role::Owner | Role::Manager),
            ChooseFacilitators => matches!(self, Role::Owner | Role::Manager | Role::Supervisor),
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

/// One role as the screens show it: its name, whether it is clinical (holds
/// the clinical key, sees clients' notes, facilitates groups, takes
/// appointments) and whether it may supervise. No PHI.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct RoleFacts {
    pub role: Role,
    pub label: String,
    pub clinical: bool,
    pub may_supervise: bool,
}

/// Every role's facts, in [`Role::ALL`]'s order.
pub fn role_facts() -> Vec<RoleFacts> {
    Role::ALL.into_iter().map(Role::facts).collect()
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
    /// Choosing who facilitates a group (which decides whose notes a
    /// clinician may read): owner, practice manager, supervisor.
    ChooseFacilitators,
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
