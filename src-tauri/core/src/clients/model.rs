//! What a client is, as the screens send and receive it. Types that hold
//! PHI print only their id in `Debug`.

pub use crate::names::NameOrder;
use crate::stored_text::stored_as_text;

pub const MAX_LEGAL_NAME_CHARS: usize = 100;
/// The middle name is held to the same rules as the legal names.
pub const MAX_MIDDLE_NAME_CHARS: usize = MAX_LEGAL_NAME_CHARS;
pub const MAX_PREFERRED_NAME_CHARS: usize = 60;
pub const MAX_PRONOUNS_CHARS: usize = 60;
pub const MAX_EMERGENCY_NAME_CHARS: usize = 100;
pub const MAX_PHONE_CHARS: usize = 30;
pub const MAX_EMAIL_CHARS: usize = 254;
/// The most rows one search returns.
pub const MAX_PAGE: u32 = 200;
/// The most words one search may have.
pub const MAX_SEARCH_TERMS: usize = 20;

/// Where a client stands with the practice.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    specta::Type,
)]
#[serde(rename_all = "camelCase")]
pub enum ClientStatus {
    /// Enquired or booked for intake; not yet in a group.
    #[default]
    Prospect,
    Active,
    Discharged,
}

stored_as_text!(ClientStatus {
    Prospect = "prospect",
    Active = "active",
    Discharged = "discharged",
});

impl ClientStatus {
    pub const ALL: [ClientStatus; 3] = [
        ClientStatus::Prospect,
        ClientStatus::Active,
        ClientStatus::Discharged,
    ];
}

/// A client's chart header: everything the demographics form shows.
/// `Debug` prints the id only (the rest is PHI).
///
/// Names: the legal first name is the given name and the legal last name the
/// family name, whatever order they are written in (`name_order`). The
/// everyday name (`display_name`) leaves the middle name out; the legal name
/// (`legal_name`) has it. For Nguyễn Thị Minh, family name first:
/// display "Nguyễn Minh", legal "Nguyễn Thị Minh"; given name first they
/// would read "Minh Nguyễn" and "Minh Thị Nguyễn".
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct Client {
    pub id: i64,
    /// "C-000123": unique, assigned at creation, never changes.
    pub record_number: String,
    /// The given name.
    pub legal_first_name: String,
    /// Optional; part of the legal name, not of the everyday name.
    pub middle_name: Option<String>,
    /// The family name.
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    /// Whether the name is written given name or family name first.
    pub name_order: NameOrder,
    /// The name the practice calls them by: the preferred name, or the legal
    /// first name.
    pub first_name: String,
    /// The everyday name: the preferred name (or legal first name) and the
    /// legal last name, in the client's name order ("Nguyễn Minh").
    pub display_name: String,
    /// The full legal name, middle name included, in the client's name order
    /// ("Nguyễn Thị Minh").
    pub legal_name: String,
    pub pronouns: Option<String>,
    /// "YYYY-MM-DD".
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub emergency_name: Option<String>,
    pub emergency_phone: Option<String>,
    pub status: ClientStatus,
    /// "YYYY-MM-DD": when discharged, the day their last group ended (none if
    /// they were discharged by hand without ever leaving a group).
    pub discharged_on: Option<String>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// What the demographics form sends, for a new client or an edit. Text is
/// trimmed; an empty optional field is stored as nothing.
/// `Debug` prints the status only.
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientInput {
    /// The given name.
    pub legal_first_name: String,
    pub middle_name: Option<String>,
    /// The family name.
    pub legal_last_name: String,
    pub preferred_name: Option<String>,
    /// Given name first unless said otherwise (older callers send none).
    #[serde(default)]
    pub name_order: NameOrder,
    pub pronouns: Option<String>,
    /// "YYYY-MM-DD".
    pub date_of_birth: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub emergency_name: Option<String>,
    pub emergency_phone: Option<String>,
    pub status: ClientStatus,
}

impl std::fmt::Debug for ClientInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientInput")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// One row of a client list. `Debug` prints the id only.
#[derive(Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientSummary {
    pub id: i64,
    pub record_number: String,
    /// The everyday name, in the client's name order (see [`Client`]).
    pub display_name: String,
    /// The full legal name, middle name included, in the client's name order.
    pub legal_name: String,
    /// "YYYY-MM-DD".
    pub date_of_birth: Option<String>,
    pub status: ClientStatus,
}

impl std::fmt::Debug for ClientSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientSummary")
            .field("id", &self.id)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// What [`create`] did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Created {
    /// The client was saved.
    Client { client: Box<Client> },
    /// Nothing was saved: these clients have the same name and date of birth.
    /// Show them; to save anyway, call again confirming.
    PossibleDuplicate { existing: Vec<ClientSummary> },
}

/// One page of a search.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, specta::Type)]
#[serde(rename_all = "camelCase")]
pub struct ClientPage {
    pub items: Vec<ClientSummary>,
    /// How many clients match in all.
    pub total: u32,
}
